// The WebSocket to the gateway: one JSON object per text frame, reconnecting with exponential backoff (with jitter)
// whenever it drops, and a ping now and then so that a dead link is noticed even when the network says nothing.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

/** Close codes of a socket whose session is over (docs/protocol.md): 4001 ended (logout), 4002 expired. */
const SESSION_OVER = new Set([4001, 4002]);

/**
 * Events: `open`; `frame` (detail: the parsed frame); `close` (detail: {code, reason, wasOpen}); `retry`
 * (detail: {attempt, delayMs}) when the next attempt is scheduled.
 */
export class Socket extends EventTarget {
  #getToken;
  #beforeReconnect;
  #ws = null;
  #attempt = 0;
  #timer = 0;
  #pingTimer = 0;
  #pongTimer = 0;
  #stopped = true;
  #dropCurrent = () => {};

  /**
   * @param {() => string} getToken the current bearer token
   * @param {() => Promise<void>} beforeReconnect runs before each attempt after a failed one; a throw counts as a
   *   failed attempt (used to notice a revoked or expired token, which a browser WebSocket cannot report)
   */
  constructor(getToken, beforeReconnect = async () => {}) {
    super();
    this.#getToken = getToken;
    this.#beforeReconnect = beforeReconnect;
    this.onOnline = () => this.reconnectNow();
  }

  get isOpen() {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#attempt = 0;
    window.addEventListener('online', this.onOnline);
    this.#open();
  }

  /** Closes for good (log out): no more attempts. */
  stop() {
    this.#stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.#timer);
    this.#stopPing();
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'logged out');
  }

  /** Skips the rest of the backoff wait. */
  reconnectNow() {
    if (this.#stopped || this.#ws) return;
    clearTimeout(this.#timer);
    this.#attempt = 0;
    this.#open();
  }

  /** Sends a frame if the socket is open; returns whether it went. */
  send(frame) {
    if (!this.isOpen) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  #open() {
    if (this.#stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/ws?access_token=${encodeURIComponent(this.#getToken())}`);
    this.#ws = ws;
    let wasOpen = false;

    ws.addEventListener('open', () => {
      if (this.#ws !== ws) return;
      wasOpen = true;
      this.#attempt = 0;
      this.#startPing();
      this.dispatchEvent(new Event('open'));
    });

    ws.addEventListener('message', (event) => {
      if (this.#ws !== ws || typeof event.data !== 'string') return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame?.type === 'pong') {
        clearTimeout(this.#pongTimer);
        return;
      }
      this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    });

    ws.addEventListener('close', (event) => this.#drop(ws, event.code, event.reason, wasOpen));
    this.#dropCurrent = (code, reason) => this.#drop(ws, code, reason, wasOpen);
  }

  /** Forgets a connection at once (a dead link may take minutes to finish its closing handshake) and retries. */
  #drop(ws, code, reason, wasOpen) {
    if (this.#ws !== ws) return;
    this.#ws = null;
    this.#stopPing();
    if (ws.readyState <= WebSocket.OPEN) ws.close(code >= 4000 ? code : 1000, reason);
    this.dispatchEvent(new CustomEvent('close', { detail: { code, reason, wasOpen } }));
    // A socket closed because its session is over reconnects only after beforeReconnect (whose 401 ends the session).
    this.#scheduleRetry(wasOpen && !SESSION_OVER.has(code));
  }

  #scheduleRetry(wasOpen) {
    if (this.#stopped) return;
    // The first retry after a good connection is quick; each failure after it doubles the wait, up to the cap.
    const attempt = this.#attempt++;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.dispatchEvent(new CustomEvent('retry', { detail: { attempt: attempt + 1, delayMs } }));
    this.#timer = setTimeout(async () => {
      if (this.#stopped) return;
      if (!wasOpen || attempt > 0) {
        try {
          await this.#beforeReconnect();
        } catch {
          if (!this.#stopped && !this.#ws) this.#scheduleRetry(false);
          return;
        }
      }
      if (!this.#stopped && !this.#ws) this.#open();
    }, delayMs);
  }

  #startPing() {
    this.#stopPing();
    this.#pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      clearTimeout(this.#pongTimer);
      this.#pongTimer = setTimeout(() => this.#dropCurrent(4000, 'no pong'), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  #stopPing() {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
  }
}
