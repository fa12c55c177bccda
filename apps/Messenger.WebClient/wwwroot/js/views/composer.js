// The composer of the open conversation: the growing text input (Enter sends, Shift+Enter breaks the line), typing
// notices, a photo or video attached by the button or pasted, and the send that hands the message to the outbox.

import { $, icon, ICONS, setChildren } from '../dom.js';
import { isVideo } from '../format.js';

const MAX_TEXT_CODE_POINTS = 4096;
const MAX_INPUT_HEIGHT_PX = 160;
const MAX_PHOTO_BYTES = 25 * 1024 * 1024;
const MAX_VIDEO_BYTES = 100 * 1024 * 1024;
/** The videos the server takes (docs/protocol.md, Media); photos are any image/*, which the server checks further. */
const VIDEO_TYPES = new Set(['video/mp4', 'video/webm', 'video/quicktime']);

/**
 * `conversationId()` names the open conversation (null when none is); `onSent()` runs after a message was handed
 * to the outbox. Returns `reset()` (empties it for another conversation), `focus()` and `showError(text)`.
 */
export function mountComposer({ client, outbox, store, conversationId, onSent }) {
  const input = $('message-input');
  const composer = $('composer');
  const fileInput = $('file-input');
  const attachment = $('attachment');
  const attachmentPreview = $('attachment-preview');
  const attachmentVideo = $('attachment-video');
  const attachmentRemove = $('attachment-remove');
  const composerError = $('composer-error');
  const quote = $('reply-quote');
  let reply = null; // {seq, preview} of the message the next one quotes

  $('attach').append(icon(ICONS.attach));
  $('send').append(icon(ICONS.send));

  let file = null;
  let fileUrl = null;

  function resizeInput() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_INPUT_HEIGHT_PX)}px`;
  }

  input.addEventListener('input', () => {
    resizeInput();
    const current = conversationId();
    if (current && input.value.trim()) client.typing(current);
  });

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });

  input.addEventListener('paste', (e) => {
    const pasted = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/') || VIDEO_TYPES.has(f.type));
    if (pasted) {
      e.preventDefault();
      attach(pasted);
    }
  });

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const current = conversationId();
    if (!current) return;
    const text = input.value.trim();
    if (!text && !file) return;
    if ([...text].length > MAX_TEXT_CODE_POINTS) {
      composerError.textContent = `A message can be at most ${MAX_TEXT_CODE_POINTS} characters.`;
      return;
    }
    composerError.textContent = '';
    outbox.send(current, text, file, reply);
    clearReply();
    client.typingStopped(current);
    input.value = '';
    resizeInput();
    clearAttachment();
    onSent();
    input.focus();
  });

  $('attach').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    if (fileInput.files?.[0]) attach(fileInput.files[0]);
    fileInput.value = '';
  });
  attachmentRemove.addEventListener('click', () => {
    clearAttachment();
    input.focus();
  });

  function attach(chosen) {
    composerError.textContent = '';
    const video = isVideo({ contentType: chosen.type });
    if (video ? !VIDEO_TYPES.has(chosen.type) : !chosen.type.startsWith('image/')) {
      composerError.textContent = video
        ? 'Only MP4, WebM and QuickTime videos can be attached.'
        : 'Only photos and videos can be attached.';
      return;
    }
    if (chosen.size > (video ? MAX_VIDEO_BYTES : MAX_PHOTO_BYTES)) {
      composerError.textContent = video ? 'That video is too large (at most 100 MB).' : 'That photo is too large (at most 25 MB).';
      return;
    }
    clearAttachment();
    file = chosen;
    fileUrl = URL.createObjectURL(chosen);
    // A video previews as its first frame (muted, no autoplay); the bubble that follows has the controls.
    const preview = video ? attachmentVideo : attachmentPreview;
    preview.src = fileUrl;
    preview.hidden = false;
    attachmentRemove.textContent = video ? 'Remove video' : 'Remove photo';
    setChildren($('attachment-name'), chosen.name || (video ? 'Pasted video' : 'Pasted photo'));
    attachment.hidden = false;
    input.focus();
  }

  // The pending message makes its own URL for its bubble, so the preview's can always go.
  function clearAttachment() {
    if (fileUrl) URL.revokeObjectURL(fileUrl);
    file = null;
    fileUrl = null;
    attachmentPreview.removeAttribute('src');
    attachmentPreview.hidden = true;
    if (attachmentVideo.hasAttribute('src')) {
      attachmentVideo.removeAttribute('src');
      attachmentVideo.load(); // lets go of the file the removed source held
    }
    attachmentVideo.hidden = true;
    attachment.hidden = true;
  }

  /** Shows the quote of `message` above the input: the next message sent replies to it. */
  function replyTo(message) {
    const preview = message.media && !message.text
      ? { senderId: message.senderId, mediaKind: isVideo(message.media) ? 'video' : 'image' }
      : { senderId: message.senderId, text: [...(message.text ?? '')].slice(0, 100).join('') };
    reply = { seq: message.seq, preview };
    $('reply-quote-sender').textContent = message.senderId === store.me.userId ? 'you' : store.nameOf(message.senderId);
    $('reply-quote-text').textContent = preview.text ?? (preview.mediaKind === 'video' ? 'Video' : 'Photo');
    quote.hidden = false;
    input.focus();
  }

  function clearReply() {
    reply = null;
    quote.hidden = true;
  }

  $('reply-cancel').addEventListener('click', () => {
    clearReply();
    input.focus();
  });

  /** Empties the composer (text, attachment, error, reply) for another conversation. */
  function reset() {
    clearReply();
    clearAttachment();
    composerError.textContent = '';
    input.value = '';
    resizeInput();
  }

  return {
    reset,
    replyTo,
    focus: () => input.focus(),
    showError: (text) => {
      composerError.textContent = text;
    },
  };
}
