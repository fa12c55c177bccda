// Messages on their way out: each shows at once as a pending message in the store, has its photo or video uploaded
// first, and goes out over the socket; what could not go out goes again after the next (re)connect, with the same
// client message id, so the server never stores it twice.

import { isVideo } from './format.js';

/** A client message id: random, printable, unique per message (crypto.randomUUID needs a secure context). */
export function newClientMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The pending messages live in the store (`addPending`, `updatePending`); their state goes 'uploading' -> 'queued'
 * (waiting for the socket) -> 'sending' -> stored (the `sent` frame), or 'failed' (the person may retry).
 */
export class Outbox {
  #api;
  #store;
  #socket;

  constructor({ api, store, socket }) {
    this.#api = api;
    this.#store = store;
    this.#socket = socket;
  }

  /**
   * Sends a message (text, a photo or video, or both; `reply`: {seq, preview} of the message it quotes). The message
   * shows at once and goes out when it can.
   */
  async send(conversationId, text, file, reply = null) {
    const pending = {
      replyTo: reply?.seq ?? null,
      replyPreview: reply?.preview ?? null,
      conversationId,
      clientMessageId: newClientMessageId(),
      senderId: this.#store.me.userId,
      text: text || null,
      media: file ? { localUrl: URL.createObjectURL(file), contentType: file.type, size: file.size } : null,
      file: file ?? null,
      mediaId: null,
      sentAt: new Date().toISOString(),
      state: file ? 'uploading' : 'queued',
      error: null,
    };
    this.#store.addPending(pending);
    if (file) await this.#upload(pending);
    else this.#transmit(pending);
  }

  /** Tries a failed message again, with the same client message id (so it is never stored twice). */
  async retry(pending) {
    this.#store.updatePending(pending, { error: null, state: pending.mediaId || !pending.file ? 'queued' : 'uploading' });
    if (pending.state === 'uploading') await this.#upload(pending);
    else this.#transmit(pending);
  }

  /** The socket is open (again) and the sync was asked for: what was waiting, or sent unanswered, goes out again. */
  resend() {
    for (const pending of this.#store.allPending()) {
      if (pending.state === 'queued' || pending.state === 'sending') this.#transmit(pending);
    }
  }

  /** A `sent` frame: the pending message is now stored under its seq. */
  confirm(frame) {
    this.#store.confirmSent(frame);
  }

  /** An `error` frame that refers to a message of this tab marks it failed; returns false when `ref` is none. */
  fail(ref, error) {
    const pending = ref ? this.#store.findPending(ref) : null;
    if (!pending) return false;
    this.#store.updatePending(pending, { state: 'failed', error });
    return true;
  }

  async #upload(pending) {
    try {
      const media = await this.#api.uploadMedia(pending.file);
      this.#store.updatePending(pending, { mediaId: media.mediaId, media: { ...media, localUrl: pending.media.localUrl }, state: 'queued' });
      this.#transmit(pending);
    } catch (e) {
      this.#store.updatePending(pending, { state: 'failed', error: `The ${isVideo(pending.media) ? 'video' : 'photo'} could not be uploaded: ${e.message}` });
    }
  }

  #transmit(pending) {
    const frame = { type: 'send', conversationId: pending.conversationId, clientMessageId: pending.clientMessageId };
    if (pending.text) frame.text = pending.text;
    if (pending.mediaId) frame.mediaId = pending.mediaId;
    if (pending.replyTo) frame.replyTo = pending.replyTo;
    // Offline, it stays queued and goes out right after the next sync.
    const state = this.#socket.send(frame) ? 'sending' : 'queued';
    if (pending.state !== state) this.#store.updatePending(pending, { state });
  }
}
