// The chat logic between the socket, the HTTP API and the store: sync on (re)connect (then the outbox sends what
// waited), delivered and read cursors, typing, presence, and what to tell the person about new messages.

import { announce } from './announcer.js';
import { ApiError, NetworkError } from './api.js';
import { preview } from './format.js';
import { isChange } from './store.js';

const RECEIPT_DEBOUNCE_MS = 150;
const TYPING_EVERY_MS = 3000;
const PAGE = 50;

/**
 * Events: `connection` (detail: {state: 'connecting'|'online'|'offline', retryInMs?}), `removed` (detail:
 * {conversationId}) when the user left or was removed, `error` (detail: {message}) for errors without a message.
 */
export class ChatClient extends EventTarget {
  #api;
  #store;
  #socket;
  #notifier;
  #outbox;
  #delivered = new Map(); // conversationId -> {sent, wanted, timer}
  #read = new Map(); // conversationId -> highest read seq sent
  #typingSentAt = new Map();
  #fetchingConversation = new Map();
  #connectedOnce = false;
  #synced = false;

  constructor({ api, store, socket, notifier, outbox }) {
    super();
    this.#api = api;
    this.#store = store;
    this.#socket = socket;
    this.#notifier = notifier;
    this.#outbox = outbox;
    socket.addEventListener('open', () => this.#onOpen());
    socket.addEventListener('frame', (e) => this.#onFrame(e.detail));
    socket.addEventListener('close', () => this.#setConnection('offline'));
    socket.addEventListener('retry', (e) => this.#setConnection('offline', e.detail.delayMs));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && store.activeId) this.markRead(store.activeId);
    });
  }

  connection = { state: 'connecting', retryInMs: null };

  /** Loads the conversation list and opens the socket. */
  async start() {
    let list;
    for (let attempt = 0; !list; attempt++) {
      try {
        list = await this.#api.conversations();
      } catch (e) {
        // Not reachable (yet), or failing: show it, wait, try again. Anything else (401 ends the session) stops here.
        if (!(e instanceof NetworkError) && !(e instanceof ApiError && e.status >= 500)) throw e;
        const delayMs = Math.min(30_000, 1000 * 2 ** attempt);
        this.#setConnection('offline', delayMs);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    for (const conversation of list) this.#store.upsertConversation(conversation);
    await this.loadBlocked();
    this.#socket.start();
  }

  /** Whom this user blocks (for the block / unblock control of a direct chat). */
  async loadBlocked() {
    try {
      this.#store.setBlocked((await this.#api.blocked()).map((u) => u.userId));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status === 401) throw e;
    }
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  #setConnection(state, retryInMs = null) {
    this.connection = { state, retryInMs };
    this.dispatchEvent(new CustomEvent('connection', { detail: this.connection }));
  }

  #onOpen() {
    const reconnected = this.#connectedOnce;
    this.#connectedOnce = true;
    this.#synced = false;
    this.#reconnected = reconnected;
    this.#setConnection('online');
    // Everything past what this client holds, per conversation; then the messages that were waiting to go out.
    this.#socket.send({ type: 'sync', cursors: this.#store.syncCursors() });
    this.#outbox.resend();
  }

  #reconnected = false;

  async #onSynced() {
    this.#synced = true;
    // Unread counts, titles and membership may have changed while away; the list is the authority on them.
    if (this.#reconnected) {
      try {
        // Only conversations held before asking can have gone; one that arrived meanwhile is newer than the answer.
        const before = [...this.#store.conversations.keys()];
        const list = await this.#api.conversations();
        const known = new Set(list.map((c) => c.conversationId));
        for (const conversation of list) this.resolveUnknown(this.#store.upsertConversation(conversation));
        for (const id of before) if (!known.has(id) && this.#store.conversations.has(id)) this.#removed(id);
        this.refreshPeople();
      } catch {
        // The next reconnect tries again.
      }
    }
    if (this.#store.activeId) this.markRead(this.#store.activeId);
  }

  // ---- frames from the server ------------------------------------------------------------------------------------

  #onFrame(frame) {
    switch (frame.type) {
      case 'message':
        this.#onMessage(frame.message);
        break;
      case 'sent':
        this.#outbox.confirm(frame);
        break;
      case 'receipt':
        if (frame.userId !== this.#store.me.userId) this.#store.applyReceipt(frame);
        break;
      case 'typing':
        if (frame.userId !== this.#store.me.userId && this.#store.conversations.has(frame.conversationId)) {
          this.#store.setTyping(frame.conversationId, frame.userId);
        }
        break;
      case 'presence':
        this.#store.applyPresence(frame);
        break;
      case 'conversation':
        this.resolveUnknown(this.#store.upsertConversation(frame.conversation));
        break;
      case 'conversationRemoved':
        this.#removed(frame.conversationId);
        break;
      case 'synced':
        this.#onSynced();
        break;
      case 'error':
        this.#onError(frame);
        break;
      default:
        break; // Frames this client does not know are ignored, as the protocol allows additions.
    }
  }

  async #onMessage(message) {
    const store = this.#store;
    const id = message.conversationId;
    if (!store.conversations.has(id)) {
      try {
        await this.#ensureConversation(id);
      } catch {
        return; // Not a member (any more): nothing to show.
      }
    }

    const history = store.historyOf(id);
    const top = store.highestSeq(id);
    const reading = this.#isReading(id);
    const added = store.addMessages(id, [message], { countUnread: !reading, fold: true });
    if (!added.length) return;

    // The view holds a run of messages; if this one does not follow it, fetch what lies between.
    if (history.loaded && top > 0 && message.seq > top + 1) this.#fillGap(id, top, message.seq);

    if (message.senderId === store.me.userId) return;
    store.clearTyping(id, message.senderId);
    this.#queueDelivered(id, message.seq);
    if (reading) {
      this.markRead(id);
    }
    // A reaction, edit or delete shows on the message it changes; it is not announced.
    if (isChange(message)) return;
    const conversation = store.conversations.get(id);
    const sender = store.nameOf(message.senderId);
    const where = conversation?.type === 'group' ? ` in ${store.titleOf(conversation)}` : '';
    // Sync replays can be long: only live messages are announced.
    if (this.#synced) {
      announce(`New message from ${sender}${where}: ${preview(message)}`);
      this.#notifier.show({
        title: conversation?.type === 'group' ? `${sender} · ${store.titleOf(conversation)}` : sender,
        body: preview(message),
        tag: id,
        onClick: () => this.dispatchEvent(new CustomEvent('open', { detail: { conversationId: id } })),
      });
    }
  }

  async #fillGap(conversationId, afterSeq, beforeSeq) {
    try {
      let cursor = afterSeq;
      while (cursor < beforeSeq - 1) {
        const page = await this.#api.messages(conversationId, { afterSeq: cursor, limit: 200 });
        if (!page.length) break;
        this.#store.addMessages(conversationId, page, { fold: true });
        cursor = page[page.length - 1].seq;
      }
    } catch {
      // The next sync fills it.
    }
  }

  #ensureConversation(conversationId) {
    let pending = this.#fetchingConversation.get(conversationId);
    if (!pending) {
      pending = this.#api.conversation(conversationId)
        .then((c) => {
          const conversation = this.#store.upsertConversation(c);
          this.resolveUnknown(conversation);
          return conversation;
        })
        .finally(() => this.#fetchingConversation.delete(conversationId));
      this.#fetchingConversation.set(conversationId, pending);
    }
    return pending;
  }

  #removed(conversationId) {
    this.#store.removeConversation(conversationId);
    this.dispatchEvent(new CustomEvent('removed', { detail: { conversationId } }));
  }

  #onError(frame) {
    if (this.#outbox.fail(frame.ref, frame.message || frame.code)) return;
    if (frame.code === 'rate_limited' && !this.#synced) {
      // Perhaps the sync itself was turned away (after many reconnects): ask again shortly; a repeat does no harm.
      setTimeout(() => {
        if (!this.#synced) this.#socket.send({ type: 'sync', cursors: this.#store.syncCursors() });
      }, 2000 + Math.random() * 3000);
      return;
    }
    if (frame.code === 'unauthorized') {
      // The token went bad under an open socket: the HTTP call makes the API send the user to the login screen.
      this.#api.conversations().catch(() => {});
      return;
    }
    this.dispatchEvent(new CustomEvent('error', { detail: { message: frame.message || frame.code } }));
  }

  // ---- what the person does ------------------------------------------------------------------------------------------

  /** Tells the others this user is typing; at most once every few seconds. */
  typing(conversationId) {
    const now = Date.now();
    if (now - (this.#typingSentAt.get(conversationId) ?? 0) < TYPING_EVERY_MS) return;
    if (this.#socket.send({ type: 'typing', conversationId })) this.#typingSentAt.set(conversationId, now);
  }

  /** Stopped typing (sent a message): the next keystroke announces typing again at once. */
  typingStopped(conversationId) {
    this.#typingSentAt.delete(conversationId);
  }

  /** Marks everything in the conversation read, when it is on screen. */
  markRead(conversationId) {
    if (!this.#isReading(conversationId)) return;
    const store = this.#store;
    const conversation = store.conversations.get(conversationId);
    if (!conversation) return;
    const seq = Math.max(conversation.lastSeq ?? 0, store.highestSeq(conversationId));
    store.setUnread(conversationId, 0);
    if (seq <= 0 || seq <= (this.#read.get(conversationId) ?? 0)) return;
    if (this.#socket.send({ type: 'read', conversationId, seq })) {
      this.#read.set(conversationId, seq);
    } else {
      this.#api.markRead(conversationId, seq).then(() => this.#read.set(conversationId, seq), () => {});
    }
  }

  #isReading(conversationId) {
    return this.#store.activeId === conversationId && document.visibilityState === 'visible';
  }

  #queueDelivered(conversationId, seq) {
    let state = this.#delivered.get(conversationId);
    if (!state) {
      state = { sent: 0, wanted: 0, timer: 0 };
      this.#delivered.set(conversationId, state);
    }
    state.wanted = Math.max(state.wanted, seq);
    if (state.timer || state.wanted <= state.sent) return;
    state.timer = setTimeout(() => {
      state.timer = 0;
      if (state.wanted > state.sent && this.#socket.send({ type: 'delivered', conversationId, seq: state.wanted })) {
        state.sent = state.wanted;
      }
    }, RECEIPT_DEBOUNCE_MS);
  }

  // ---- history ------------------------------------------------------------------------------------------------------

  /** The newest page, the first time a conversation is opened (and again after it was removed from the store). */
  async loadLatest(conversationId) {
    const history = this.#store.historyOf(conversationId);
    if (history.loaded || history.loading) return;
    history.loading = true;
    try {
      const [page] = await Promise.all([this.#api.messages(conversationId, { limit: PAGE }), this.loadReceipts(conversationId)]);
      history.loaded = true;
      history.hasMoreBefore = page.length > 0 && page[0].seq > 1;
      this.#store.addMessages(conversationId, page);
    } finally {
      history.loading = false;
    }
  }

  /** The page just before the oldest held message; returns how many came. */
  async loadOlder(conversationId) {
    const history = this.#store.historyOf(conversationId);
    const lowest = this.#store.lowestSeq(conversationId);
    if (history.loading || !history.hasMoreBefore || lowest === null) return 0;
    history.loading = true;
    try {
      const page = await this.#api.messages(conversationId, { beforeSeq: lowest, limit: PAGE });
      history.hasMoreBefore = page.length > 0 && page[0].seq > 1;
      this.#store.addMessages(conversationId, page);
      return page.length;
    } finally {
      history.loading = false;
    }
  }

  // ---- people and conversations ------------------------------------------------------------------------------------

  /** Looks a user up by username, remembering the name and presence. */
  async lookUp(username) {
    const user = await this.#api.user(username);
    this.#store.rememberUser(user);
    // Presence comes only for contacts; for anyone else online and lastSeen are null.
    if (typeof user.online === 'boolean') this.#store.applyPresence({ userId: user.userId, online: user.online, lastSeen: user.lastSeen });
    return user;
  }

  /**
   * Names and presence of everyone in this user's conversations (presence frames only report changes). By id where
   * the server can look people up by id; otherwise by username, for the people this tab has looked up before.
   */
  async refreshPeople() {
    const store = this.#store;
    const people = new Set();
    for (const conversation of store.conversations.values()) for (const id of store.otherMemberIds(conversation)) people.add(id);
    const ids = [...people];
    if (ids.length && (await this.#lookUpByIds(ids))) return;
    await Promise.allSettled(ids.map((id) => store.usernameOf(id)).filter(Boolean).map((name) => this.lookUp(name)));
  }

  /** People this client has no name for yet (members of a new conversation, a new sender). */
  resolveUnknown(conversation) {
    const unknown = this.#store.otherMemberIds(conversation).filter((id) => !this.#store.users.has(id) && !this.#resolving.has(id));
    if (!unknown.length || this.#byIdUnavailable) return;
    unknown.forEach((id) => this.#resolving.add(id));
    this.#lookUpByIds(unknown).finally(() => unknown.forEach((id) => this.#resolving.delete(id)));
  }

  #resolving = new Set();
  #byIdUnavailable = false;

  /** Returns false when the server has no lookup by id (then names stay short ids until looked up by username). */
  async #lookUpByIds(ids) {
    if (this.#byIdUnavailable) return false;
    try {
      for (let i = 0; i < ids.length; i += 100) {
        for (const user of await this.#api.usersById(ids.slice(i, i + 100))) {
          this.#store.rememberUser(user);
          if (typeof user.online === 'boolean') this.#store.applyPresence(user);
        }
      }
      return true;
    } catch (e) {
      if (e instanceof ApiError && [404, 405].includes(e.status)) this.#byIdUnavailable = true;
      return false;
    }
  }

  /** Where each other member has got to, so that receipts on older messages show after a reload too. */
  async loadReceipts(conversationId) {
    if (this.#receiptsUnavailable) return;
    try {
      for (const cursor of await this.#api.receipts(conversationId)) {
        if (cursor.userId !== this.#store.me.userId) this.#store.applyReceipt({ conversationId, ...cursor });
      }
    } catch (e) {
      if (e instanceof ApiError && [404, 405].includes(e.status)) this.#receiptsUnavailable = true;
    }
  }

  #receiptsUnavailable = false;

  // A lookup by username shows presence only for contacts: once a conversation makes someone one, their presence is
  // asked for again (presence frames only report changes).
  async startDirect(username) {
    const user = await this.lookUp(username);
    const conversation = this.#store.upsertConversation(await this.#api.createDirect(user.userId));
    this.#lookUpByIds([user.userId]);
    return conversation;
  }

  async createGroup(title, usernames) {
    const users = await Promise.all(usernames.map((name) => this.lookUp(name)));
    const conversation = this.#store.upsertConversation(await this.#api.createGroup(title, users.map((u) => u.userId)));
    if (users.length) this.#lookUpByIds(users.map((u) => u.userId));
    return conversation;
  }

  async addMember(conversationId, username) {
    const user = await this.lookUp(username);
    await this.#api.addMember(conversationId, user.userId);
    this.#store.upsertConversation(await this.#api.conversation(conversationId));
    this.#lookUpByIds([user.userId]);
  }

  async removeMember(conversationId, userId) {
    await this.#api.removeMember(conversationId, userId);
    this.#store.upsertConversation(await this.#api.conversation(conversationId));
  }

  async promote(conversationId, userId) {
    await this.#api.promote(conversationId, userId);
    this.#store.upsertConversation(await this.#api.conversation(conversationId));
  }

  async block(userId) {
    await this.#api.block(userId);
    this.#store.setBlocked([...this.#store.blocked, userId]);
  }

  async unblock(userId) {
    await this.#api.unblock(userId);
    this.#store.setBlocked([...this.#store.blocked].filter((id) => id !== userId));
  }

  async leave(conversationId) {
    await this.#api.removeMember(conversationId, this.#store.me.userId);
    this.#removed(conversationId);
  }
}
