// Everything the client knows, in one place, with change events the views listen to:
// `conversations`, `messages` (detail: {conversationId}), `receipts` ({conversationId}), `presence` ({userId}),
// `typing` ({conversationId}), `users`.
// Messages are keyed by (conversationId, seq), so a message delivered twice is held once.

const TYPING_SHOWS_MS = 5000;
const USERS_KEY = 'messenger.users';

export class Store extends EventTarget {
  constructor(me) {
    super();
    /** @type {{userId: string, username: string}} */
    this.me = me;
    this.conversations = new Map();
    this.messages = new Map(); // conversationId -> Map(seq -> message)
    this.pending = new Map(); // conversationId -> Map(clientMessageId -> pending message)
    this.history = new Map(); // conversationId -> {loaded, hasMoreBefore, loading}
    this.receipts = new Map(); // conversationId -> Map(userId -> {deliveredSeq, readSeq})
    this.presence = new Map(); // userId -> {online, lastSeen}
    this.typing = new Map(); // conversationId -> Map(userId -> timer)
    this.users = new Map(); // userId -> {userId, username, displayName}
    this.blocked = new Set(); // userIds this user blocks
    this.activeId = null;
    this.#loadUsers();
    this.rememberUser({ userId: me.userId, username: me.username, displayName: me.username });
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  // ---- conversations -------------------------------------------------------------------------------------------

  /** Most recent activity first. */
  conversationList() {
    const activity = (c) => c.lastMessage?.sentAt ?? c.lastActivityAt ?? c.createdAt ?? '';
    return [...this.conversations.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
  }

  /**
   * Takes a conversation from the server. Membership and title are the server's; the counters are taken only when
   * the server's copy is at least as new as what this client already holds, so a slow answer never rolls back.
   */
  upsertConversation(dto) {
    const held = this.conversations.get(dto.conversationId);
    if (!held) {
      this.conversations.set(dto.conversationId, { ...dto, memberIds: [...(dto.memberIds ?? [])] });
    } else {
      held.type = dto.type;
      held.title = dto.title;
      held.memberIds = [...(dto.memberIds ?? held.memberIds)];
      held.members = dto.members ?? held.members;
      held.createdAt = dto.createdAt ?? held.createdAt;
      if (dto.lastSeq >= held.lastSeq) {
        held.lastSeq = dto.lastSeq;
        held.lastMessage = dto.lastMessage ?? held.lastMessage;
        held.unreadCount = dto.unreadCount;
        held.lastActivityAt = dto.lastActivityAt ?? held.lastActivityAt;
      }
    }
    this.emit('conversations');
    return this.conversations.get(dto.conversationId);
  }

  removeConversation(conversationId) {
    this.conversations.delete(conversationId);
    this.messages.delete(conversationId);
    this.pending.delete(conversationId);
    this.history.delete(conversationId);
    this.receipts.delete(conversationId);
    this.emit('conversations');
    this.emit('messages', { conversationId });
  }

  setUnread(conversationId, count) {
    const conversation = this.conversations.get(conversationId);
    if (conversation && conversation.unreadCount !== count) {
      conversation.unreadCount = count;
      this.emit('conversations');
    }
  }

  otherMemberIds(conversation) {
    return (conversation?.memberIds ?? []).filter((id) => id !== this.me.userId);
  }

  /** The one other person of a direct conversation. */
  /** 'admin' or 'member' (a direct conversation has members only). */
  roleOf(conversation, userId) {
    return conversation?.members?.find((m) => m.userId === userId)?.role ?? 'member';
  }

  isAdmin(conversation, userId = this.me.userId) {
    return conversation?.type === 'group' && this.roleOf(conversation, userId) === 'admin';
  }

  setBlocked(userIds) {
    this.blocked = new Set(userIds);
    this.emit('blocked');
  }

  peerOf(conversation) {
    return conversation?.type === 'direct' ? this.otherMemberIds(conversation)[0] ?? null : null;
  }

  titleOf(conversation) {
    if (!conversation) return '';
    if (conversation.type === 'group') {
      return conversation.title || this.otherMemberIds(conversation).map((id) => this.nameOf(id)).join(', ') || 'Group';
    }
    const peer = this.peerOf(conversation);
    return peer ? this.nameOf(peer) : 'Just you';
  }

  // ---- messages ------------------------------------------------------------------------------------------------

  /**
   * Adds messages (live, synced or from history), skipping those already held. Returns the ones that were new.
   * `countUnread`: whether other members' messages past the last known seq raise the unread count.
   */
  addMessages(conversationId, messages, { countUnread = false, fold = false } = {}) {
    const held = this.#held(conversationId);
    const conversation = this.conversations.get(conversationId);
    const added = [];
    for (const message of messages) {
      if (held.has(message.seq)) continue;
      held.set(message.seq, message);
      added.push(message);
      if (message.senderId === this.me.userId) this.pending.get(conversationId)?.delete(message.clientMessageId);
      if (isChange(message)) {
        // A reaction, edit or delete: held for its seq, shown through the message it changes. Pages of history
        // hold messages folded already; live events (and gap fills and syncs, newer than all held) are folded here.
        if (fold) this.#fold(held, message);
        if (conversation && message.seq > (conversation.lastSeq ?? 0)) conversation.lastSeq = message.seq;
        continue;
      }
      if (conversation && message.seq > (conversation.lastSeq ?? 0)) {
        conversation.lastSeq = message.seq;
        conversation.lastMessage = message;
        conversation.lastActivityAt = message.sentAt;
        if (countUnread && message.senderId !== this.me.userId) conversation.unreadCount = (conversation.unreadCount ?? 0) + 1;
      } else if (conversation && message.seq === conversation.lastSeq && !conversation.lastMessage) {
        conversation.lastMessage = message;
      }
    }
    if (added.length) {
      this.emit('messages', { conversationId });
      this.emit('conversations');
    }
    return added;
  }

  /** Held messages (not the changes of them, nor the ones hidden) in seq order, then the pending ones in the order they were written. */
  messageList(conversationId) {
    const held = [...(this.messages.get(conversationId)?.values() ?? [])]
      .filter((m) => !isChange(m) && !m.hidden)
      .sort((a, b) => a.seq - b.seq);
    return [...held, ...(this.pending.get(conversationId)?.values() ?? [])];
  }

  /** A held message by seq, or null. */
  messageAt(conversationId, seq) {
    return this.messages.get(conversationId)?.get(seq) ?? null;
  }

  /** "Delete for me" is done: the message leaves this user's view. */
  hide(conversationId, seq) {
    const message = this.messageAt(conversationId, seq);
    if (!message) return;
    message.hidden = true;
    this.emit('messages', { conversationId });
  }

  /** Applies a reaction, edit or delete to the message it targets (if held), and to the replies quoting it. */
  #fold(held, change) {
    const target = held.get(change.targetSeq);
    if (!target || isChange(target)) return;
    if (change.kind === 'reaction') {
      const reactions = {};
      for (const [emoji, users] of Object.entries(target.reactions ?? {})) {
        const kept = users.filter((u) => u !== change.senderId);
        if (kept.length) reactions[emoji] = kept;
      }
      if (change.emoji) reactions[change.emoji] = [...(reactions[change.emoji] ?? []), change.senderId];
      target.reactions = reactions;
    } else if (change.kind === 'edit') {
      target.text = change.text;
      target.editedAt = change.sentAt;
    } else if (change.kind === 'delete') {
      Object.assign(target, { text: null, media: null, replyTo: null, replyPreview: null, reactions: {}, editedAt: null, deleted: true });
    }
    for (const message of held.values()) {
      if (message.replyTo !== target.seq) continue;
      message.replyPreview = target.deleted
        ? { deleted: true }
        : target.media
          ? { senderId: target.senderId, mediaKind: target.media.contentType?.startsWith('video/') ? 'video' : 'image' }
          : { senderId: target.senderId, text: [...(target.text ?? '')].slice(0, 100).join('') };
      message.version = (message.version ?? 0) + 1;
    }
    target.version = (target.version ?? 0) + 1;
    this.emit('conversations');
  }

  lowestSeq(conversationId) {
    let lowest = Infinity;
    for (const seq of this.messages.get(conversationId)?.keys() ?? []) lowest = Math.min(lowest, seq);
    return lowest === Infinity ? null : lowest;
  }

  highestSeq(conversationId) {
    let highest = 0;
    for (const seq of this.messages.get(conversationId)?.keys() ?? []) highest = Math.max(highest, seq);
    return highest;
  }

  /** The cursor for `sync`: everything up to it is held, or is in the history a view pages in over HTTP. */
  syncCursors() {
    const cursors = {};
    for (const [id, conversation] of this.conversations) cursors[id] = Math.max(conversation.lastSeq ?? 0, this.highestSeq(id));
    return cursors;
  }

  historyOf(conversationId) {
    let state = this.history.get(conversationId);
    if (!state) {
      state = { loaded: false, hasMoreBefore: true, loading: false };
      this.history.set(conversationId, state);
    }
    return state;
  }

  #held(conversationId) {
    let held = this.messages.get(conversationId);
    if (!held) {
      held = new Map();
      this.messages.set(conversationId, held);
    }
    return held;
  }

  // ---- my messages on their way ----------------------------------------------------------------------------------

  addPending(pending) {
    let map = this.pending.get(pending.conversationId);
    if (!map) {
      map = new Map();
      this.pending.set(pending.conversationId, map);
    }
    map.set(pending.clientMessageId, pending);
    this.emit('messages', { conversationId: pending.conversationId });
  }

  /** Every pending message of every conversation. */
  allPending() {
    return [...this.pending.values()].flatMap((map) => [...map.values()]);
  }

  findPending(clientMessageId, conversationId) {
    if (conversationId) return this.pending.get(conversationId)?.get(clientMessageId) ?? null;
    for (const map of this.pending.values()) if (map.has(clientMessageId)) return map.get(clientMessageId);
    return null;
  }

  updatePending(pending, changes) {
    Object.assign(pending, changes);
    this.emit('messages', { conversationId: pending.conversationId });
  }

  /** A `sent` frame: the pending message is now stored under its seq. */
  confirmSent(frame) {
    const pending = this.findPending(frame.clientMessageId, frame.conversationId);
    // No pending copy: the message already came back another way (a sync), or this tab did not write it.
    if (!pending) return;
    const message = {
      messageId: frame.messageId,
      conversationId: frame.conversationId,
      seq: frame.seq,
      senderId: this.me.userId,
      clientMessageId: frame.clientMessageId,
      text: pending.text ?? null,
      media: pending.media ?? null,
      sentAt: frame.sentAt,
      kind: 'message',
      reactions: {},
      replyTo: pending.replyTo ?? null,
      replyPreview: pending.replyPreview ?? null,
    };
    this.addMessages(frame.conversationId, [message]);
  }

  // ---- receipts ---------------------------------------------------------------------------------------------------

  applyReceipt({ conversationId, userId, deliveredSeq, readSeq }) {
    let map = this.receipts.get(conversationId);
    if (!map) {
      map = new Map();
      this.receipts.set(conversationId, map);
    }
    const held = map.get(userId) ?? { deliveredSeq: 0, readSeq: 0 };
    const read = Math.max(held.readSeq, readSeq ?? 0);
    map.set(userId, { readSeq: read, deliveredSeq: Math.max(held.deliveredSeq, deliveredSeq ?? 0, read) });
    this.emit('receipts', { conversationId });
  }

  /** sent, delivered or read: delivered once every other member has it, read once every other member read it. */
  statusOf(conversationId, seq) {
    const others = this.otherMemberIds(this.conversations.get(conversationId));
    if (!others.length) return 'sent';
    const cursors = this.receipts.get(conversationId);
    const cursor = (id) => cursors?.get(id) ?? { deliveredSeq: 0, readSeq: 0 };
    if (others.every((id) => cursor(id).readSeq >= seq)) return 'read';
    if (others.every((id) => cursor(id).deliveredSeq >= seq)) return 'delivered';
    return 'sent';
  }

  // ---- presence and people ------------------------------------------------------------------------------------------

  applyPresence({ userId, online, lastSeen }) {
    const held = this.presence.get(userId);
    this.presence.set(userId, { online: Boolean(online), lastSeen: lastSeen ?? held?.lastSeen ?? null });
    this.emit('presence', { userId });
  }

  rememberUser({ userId, username, displayName }) {
    if (!userId || !username) return;
    this.users.set(userId, { userId, username, displayName: displayName || username });
    this.#saveUsers();
    this.emit('users');
  }

  /** A person's display name, as far as this client knows it. */
  nameOf(userId) {
    if (userId === this.me.userId) return 'You';
    const user = this.users.get(userId);
    return user?.displayName || user?.username || `user ${userId.replace(/^u_/, '').slice(0, 6)}`;
  }

  usernameOf(userId) {
    return this.users.get(userId)?.username ?? null;
  }

  // People looked up in this tab are remembered for it (sessionStorage, like the token), so names survive a reload.
  #loadUsers() {
    try {
      for (const user of JSON.parse(sessionStorage.getItem(USERS_KEY) ?? '[]')) this.users.set(user.userId, user);
    } catch {
      // A damaged cache is only a cache.
    }
  }

  #saveUsers() {
    try {
      sessionStorage.setItem(USERS_KEY, JSON.stringify([...this.users.values()]));
    } catch {
      // Storage full or disabled: names are then known until the page reloads.
    }
  }

  // ---- typing -----------------------------------------------------------------------------------------------------

  setTyping(conversationId, userId) {
    let map = this.typing.get(conversationId);
    if (!map) {
      map = new Map();
      this.typing.set(conversationId, map);
    }
    clearTimeout(map.get(userId));
    map.set(userId, setTimeout(() => this.clearTyping(conversationId, userId), TYPING_SHOWS_MS));
    this.emit('typing', { conversationId });
  }

  clearTyping(conversationId, userId) {
    const map = this.typing.get(conversationId);
    if (!map?.has(userId)) return;
    clearTimeout(map.get(userId));
    map.delete(userId);
    this.emit('typing', { conversationId });
  }

  typingUsers(conversationId) {
    return [...(this.typing.get(conversationId)?.keys() ?? [])];
  }
}

/** Whether a stored event is a change of a message (reaction, edit, delete) rather than a message. */
export function isChange(message) {
  return !!message.kind && message.kind !== 'message';
}
