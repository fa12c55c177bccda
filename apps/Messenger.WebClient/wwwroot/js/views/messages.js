// One bubble per message, built once and updated in place (so photos are not fetched again and focus stays put).

import { h, icon, ICONS } from '../dom.js';
import { formatFull, formatTime, isVideo } from '../format.js';
import { messageMenu } from './messageMenu.js';

const STATUS_TEXT = { sent: 'Sent', delivered: 'Delivered', read: 'Read' };
const THUMB_MAX = 240;
/** The box of a video whose dimensions are not known (yet): 16:9, until its metadata says otherwise. */
const VIDEO_PLACEHOLDER = { width: THUMB_MAX, height: Math.round((THUMB_MAX * 9) / 16) };

/** The key a message keeps from the moment it is written to the moment it is stored (own messages: client id). */
export function messageKey(message, myUserId) {
  return message.senderId === myUserId ? `c:${message.clientMessageId}` : `s:${message.seq}`;
}

/**
 * @param {object} deps {store, media, changes, onRetry(pending), onOpenPhoto(media, trigger), onImageLoaded(),
 *   onReply(message), onJumpTo(seq), onError(text)}
 */
export function createBubble(message, deps) {
  const { store } = deps;
  const mine = message.senderId === store.me.userId;
  const conversation = store.conversations.get(message.conversationId);
  const li = h('li', { class: `message ${mine ? 'mine' : 'theirs'}`, dataset: { testid: 'message' } });
  if (typeof message.seq === 'number') li.dataset.seq = String(message.seq);
  const bubble = h('div', { class: 'bubble' });
  li.append(bubble);

  const sender = mine ? 'You' : store.nameOf(message.senderId);
  if (!mine && conversation?.type === 'group') bubble.append(h('span', { class: 'sender' }, sender));
  else bubble.append(h('span', { class: 'visually-hidden' }, `${sender}: `));

  bubble.append(h('div', { class: 'body' }));
  const meta = h('span', { class: 'meta' }, h('time', { class: 'time' }));
  bubble.append(meta);
  li.append(h('div', { class: 'reactions' }));
  renderBody(li, message, sender, deps);
  updateBubble(li, message, deps);
  return li;
}

/**
 * The parts a reaction, edit or delete changes: reply quote, media, text, "edited", tombstone, reactions, menu.
 * Built again only when the message's fold changed (its `version`), so photos are not fetched again.
 */
function renderBody(li, message, sender, deps) {
  const { store } = deps;
  li.dataset.version = String(message.version ?? 0);
  const body = li.querySelector('.body');
  body.replaceChildren();
  li.classList.toggle('deleted', !!message.deleted);
  if (message.deleted) {
    body.append(h('p', { class: 'text tombstone', dataset: { testid: 'deleted' } }, 'This message was deleted'));
  } else {
    if (message.replyPreview) body.append(replyPreview(message, deps));
    if (message.media) body.append(isVideo(message.media) ? video(message, sender, deps) : photo(message, sender, deps));
    if (message.text) body.append(h('p', { class: 'text' }, message.text));
    if (message.editedAt) body.append(h('span', { class: 'edited', dataset: { testid: 'edited' }, title: formatFull(message.editedAt) }, 'edited'));
  }

  const reactions = li.querySelector('.reactions');
  reactions.replaceChildren(...Object.entries(message.reactions ?? {}).map(([emoji, users]) => h('span', {
    class: `reaction${users.includes(store.me.userId) ? ' mine' : ''}`,
    title: users.map((u) => store.nameOf(u)).join(', '),
    dataset: { testid: 'reaction', emoji, count: String(users.length) },
  }, `${emoji} ${users.length}`)));

  li.querySelector('.menu-button')?.remove();
  li.querySelector('.message-actions')?.remove();
  if (typeof message.seq === 'number' && !message.deleted && deps.changes) {
    const button = h('button', {
      type: 'button', class: 'menu-button link-button', 'aria-label': 'Message actions', 'aria-haspopup': 'menu', dataset: { testid: 'message-menu' },
    }, '⋯');
    button.addEventListener('click', () => {
      const open = li.querySelector('.message-actions');
      if (open) open.remove();
      else button.after(messageMenu(li, message, deps));
    });
    li.querySelector('.bubble').after(button);
  }
}

function replyPreview(message, { store, onJumpTo }) {
  const quoted = message.replyPreview;
  const label = quoted.deleted
    ? 'Deleted message'
    : `${quoted.senderId === store.me.userId ? 'You' : store.nameOf(quoted.senderId)}: ${quoted.text ?? (quoted.mediaKind === 'video' ? 'Video' : 'Photo')}`;
  return h('button', {
    type: 'button', class: `reply-preview${quoted.deleted ? ' deleted' : ''}`, dataset: { testid: 'reply-preview', replyTo: String(message.replyTo ?? '') },
    onclick: () => message.replyTo && onJumpTo?.(message.replyTo),
  }, label);
}

/** Brings the parts that change up to date: seq, time, status, failure, and the fold. */
export function updateBubble(li, message, deps) {
  const { store, onRetry } = deps;
  const mine = message.senderId === store.me.userId;
  const stored = typeof message.seq === 'number';
  const wasStored = li.dataset.seq !== undefined;
  if (stored) li.dataset.seq = String(message.seq);
  else delete li.dataset.seq;
  if (li.dataset.version !== String(message.version ?? 0) || stored !== wasStored) {
    renderBody(li, message, mine ? 'You' : store.nameOf(message.senderId), deps);
  }

  const time = li.querySelector('time');
  if (time.dateTime !== message.sentAt) {
    time.dateTime = message.sentAt;
    time.textContent = formatTime(message.sentAt);
    time.title = formatFull(message.sentAt);
  }

  if (!mine) return;
  const meta = li.querySelector('.meta');
  const failed = !stored && message.state === 'failed';
  li.classList.toggle('failed', failed);

  let status = meta.querySelector('.status');
  const state = stored ? store.statusOf(message.conversationId, message.seq) : failed ? 'failed' : 'pending';
  if (status?.dataset.state !== state) {
    status?.remove();
    status = statusElement(state);
    meta.append(status);
  }

  let problem = li.querySelector('.send-problem');
  if (failed && !problem) {
    problem = h('p', { class: 'send-problem', role: 'alert' },
      h('span', { class: 'problem-text' }),
      h('button', { type: 'button', class: 'link-button', onclick: () => onRetry(message) }, 'Try again'));
    li.querySelector('.bubble').after(problem);
  } else if (!failed && problem) {
    problem.remove();
    problem = null;
  }
  if (problem) problem.querySelector('.problem-text').textContent = `Not sent: ${message.error || 'unknown error'}. `;
}

function statusElement(state) {
  if (state in STATUS_TEXT) {
    return h('span', { class: `status ${state}`, title: STATUS_TEXT[state], dataset: { testid: 'message-status', status: state, state } },
      icon(state === 'sent' ? ICONS.check : ICONS.doubleCheck, { size: 16 }),
      h('span', { class: 'visually-hidden' }, STATUS_TEXT[state]));
  }
  const label = state === 'failed' ? 'Not sent' : 'Sending';
  return h('span', { class: `status ${state}`, title: label, dataset: { state } },
    icon(state === 'failed' ? ICONS.alert : ICONS.clock, { size: 16 }),
    h('span', { class: 'visually-hidden' }, label));
}

/** The size of a bubble's picture: within THUMB_MAX either way, never scaled up. */
function fit(width, height) {
  const scale = Math.min(1, THUMB_MAX / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function photo(message, sender, { media, onOpenPhoto, onImageLoaded }) {
  const info = message.media;
  const img = h('img', { class: 'photo', alt: `Photo from ${sender}`, decoding: 'async' });
  if (info.width && info.height) Object.assign(img, fit(info.width, info.height));
  const button = h('button', { type: 'button', class: 'photo-button loading', 'aria-label': `Open the photo from ${sender}` }, img);
  button.addEventListener('click', () => onOpenPhoto(message.media, button));
  img.addEventListener('load', () => {
    button.classList.remove('loading');
    onImageLoaded();
  });

  if (info.localUrl) {
    img.src = info.localUrl;
  } else {
    media.thumbnail(info).then((url) => { img.src = url; }, () => {
      button.classList.remove('loading');
      button.classList.add('broken');
      img.alt = `Photo from ${sender} (could not be loaded)`;
    });
  }
  return button;
}

/**
 * A video plays in the bubble with the browser's own controls (keyboard reachable, labelled). It streams from the
 * media path (the token in the query, see MediaCache.stream), or from the file itself while the message is pending.
 */
function video(message, sender, { media, onImageLoaded }) {
  const info = message.media;
  const label = `Video from ${sender}`;
  const known = info.width && info.height;
  const el = h('video', {
    class: 'video', controls: true, preload: 'metadata', playsinline: true, 'aria-label': label, dataset: { testid: 'video' },
  });
  Object.assign(el, known ? fit(info.width, info.height) : VIDEO_PLACEHOLDER);
  const problem = h('p', { class: 'video-problem', hidden: true },
    'This video could not be loaded. ',
    h('button', { type: 'button', class: 'link-button', onclick: () => load() }, 'Try again'));
  const box = h('div', { class: 'video-box' }, el, problem);

  let hadMetadata = false;
  let recovered = false;
  let resumeAt = 0;

  function load() {
    box.classList.remove('broken');
    problem.hidden = true;
    el.setAttribute('aria-label', label);
    el.src = info.localUrl ?? media.stream(info);
  }

  el.addEventListener('loadedmetadata', () => {
    hadMetadata = true;
    if (!known && el.videoWidth && el.videoHeight) Object.assign(el, fit(el.videoWidth, el.videoHeight));
    if (resumeAt) {
      el.currentTime = resumeAt;
      resumeAt = 0;
    }
    onImageLoaded();
  });
  el.addEventListener('error', () => {
    // A stream that played before and fails now most likely outlived its URL (an expired token or signed link):
    // once, quietly, start again from a fresh URL where it was.
    if (hadMetadata && !recovered && !info.localUrl) {
      recovered = true;
      resumeAt = el.currentTime;
      load();
      return;
    }
    box.classList.add('broken');
    problem.hidden = false;
    el.setAttribute('aria-label', `${label} (could not be loaded)`);
  });

  load();
  return box;
}
