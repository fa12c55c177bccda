// Formatting of times, names and previews.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatTime = (iso) => timeFormat.format(new Date(iso));
export const formatFull = (iso) => fullFormat.format(new Date(iso));

/** A local calendar day key, e.g. 2026-11-28, for day separators. */
export function dayKey(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function formatDay(iso) {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(iso) === dayKey(today.toISOString())) return 'Today';
  if (dayKey(iso) === dayKey(yesterday.toISOString())) return 'Yesterday';
  return dayFormat.format(d);
}

/** The time shown in the conversation list: a clock time today, a date before. */
export function formatListTime(iso) {
  if (!iso) return '';
  return dayKey(iso) === dayKey(new Date().toISOString()) ? formatTime(iso) : shortDayFormat.format(new Date(iso));
}

/** "last seen 5 minutes ago", "last seen yesterday", … */
export function formatLastSeen(iso, now = Date.now()) {
  if (!iso) return 'offline';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'last seen just now';
  if (abs < 3600) return `last seen ${relative.format(Math.round(seconds / 60), 'minute')}`;
  if (abs < 86400) return `last seen ${relative.format(Math.round(seconds / 3600), 'hour')}`;
  if (abs < 7 * 86400) return `last seen ${relative.format(Math.round(seconds / 86400), 'day')}`;
  return `last seen ${shortDayFormat.format(new Date(iso))}`;
}

/** Whether a message's media (or a chosen file's type) is a video rather than a photo. */
export function isVideo(media) {
  return Boolean(media?.contentType?.startsWith('video/'));
}

/** What a message says in one line: its text, or that it is a photo or a video. */
export function preview(message) {
  if (!message) return '';
  if (message.deleted) return 'This message was deleted';
  if (message.text) return message.text;
  if (message.media) return isVideo(message.media) ? 'Video' : 'Photo';
  return '';
}

export function initials(name) {
  const clean = (name || '?').replace(/^u_/, '').trim();
  return clean.slice(0, 1).toUpperCase() || '?';
}

/** A colour from a name, so that avatars stay the same across sessions. */
export function hue(seed) {
  let hash = 0;
  for (const ch of seed || '') hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}
