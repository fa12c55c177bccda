// The open conversation: header with presence, the message list that pages in history on scroll-up, the typing
// line, and the composer (views/composer.js).

import { $, h, icon, ICONS } from '../dom.js';
import { dayKey, formatDay, formatLastSeen, hue, initials } from '../format.js';
import { mountComposer } from './composer.js';
import { createBubble, messageKey, updateBubble } from './messages.js';

const NEAR_TOP_PX = 120;
const NEAR_BOTTOM_PX = 80;

export function mountChat({ store, client, outbox, media, dialogs, changes }) {
  const pane = $('chat-pane');
  const empty = $('chat-empty');
  const scroller = $('messages');
  const list = $('message-list');
  const historyStatus = $('history-status');
  const typingLine = $('typing');

  $('back').append(icon(ICONS.back));

  const bubbles = new Map(); // key -> <li>
  let current = null;
  let stickToBottom = true;

  const composer = mountComposer({
    client,
    outbox,
    store,
    conversationId: () => current,
    onSent: () => {
      stickToBottom = true;
      scrollToBottom();
    },
  });

  const deps = {
    store,
    media,
    changes,
    onReply: (message) => composer.replyTo(message),
    onJumpTo: (seq) => {
      const original = list.querySelector(`li.message[data-seq="${seq}"]`);
      if (!original) return;
      stickToBottom = false;
      original.scrollIntoView({ block: 'center' });
      original.classList.add('highlight');
      setTimeout(() => original.classList.remove('highlight'), 1500);
    },
    onError: (text) => composer.showError(text),
    onRetry: (pending) => outbox.retry(pending),
    onOpenPhoto: (info, trigger) => dialogs.showPhoto(info, trigger),
    onImageLoaded: () => {
      if (stickToBottom) scrollToBottom();
    },
  };

  // ---- opening and closing ----------------------------------------------------------------------------------------

  async function open(conversationId, { focus = true } = {}) {
    if (!store.conversations.has(conversationId)) return false;
    if (current !== conversationId) {
      current = conversationId;
      store.activeId = conversationId;
      bubbles.clear();
      list.replaceChildren();
      composer.reset();
      stickToBottom = true;
    }
    empty.hidden = true;
    pane.hidden = false;
    document.body.classList.add('chat-open');
    renderHeader();
    renderTyping();
    render();
    store.emit('conversations');
    if (focus) composer.focus();

    try {
      await client.loadLatest(conversationId);
      await fillViewport(conversationId);
    } catch (e) {
      if (current === conversationId) historyStatus.textContent = `Could not load messages: ${e.message}`;
    }
    if (current === conversationId) client.markRead(conversationId);
    return true;
  }

  function close() {
    current = null;
    store.activeId = null;
    bubbles.clear();
    list.replaceChildren();
    pane.hidden = true;
    empty.hidden = false;
    document.body.classList.remove('chat-open');
    store.emit('conversations');
  }

  // Pages in older messages until the list can scroll, so that scrolling up is possible at all.
  async function fillViewport(conversationId) {
    for (let i = 0; i < 5 && current === conversationId; i++) {
      if (scroller.scrollHeight > scroller.clientHeight + NEAR_TOP_PX || !store.historyOf(conversationId).hasMoreBefore) break;
      if (!(await client.loadOlder(conversationId))) break;
    }
    renderHistoryStatus();
  }

  // ---- rendering -------------------------------------------------------------------------------------------------

  function render() {
    if (!current) return;
    const messages = store.messageList(current);
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const firstBefore = list.firstElementChild;
    const wasAtBottom = stickToBottom;

    const wanted = [];
    let lastDay = null;
    for (const message of messages) {
      const day = dayKey(message.sentAt);
      if (day !== lastDay) {
        lastDay = day;
        const key = `d:${day}`;
        if (!bubbles.has(key)) bubbles.set(key, h('li', { class: 'day-separator' }, h('span', {}, formatDay(message.sentAt))));
        wanted.push(bubbles.get(key));
      }
      const key = messageKey(message, store.me.userId);
      let li = bubbles.get(key);
      if (!li) {
        li = createBubble(message, deps);
        bubbles.set(key, li);
      } else {
        updateBubble(li, message, deps);
      }
      wanted.push(li);
    }

    // Put the wanted nodes in order, moving only those out of place; drop the rest.
    let cursor = list.firstChild;
    for (const node of wanted) {
      if (node === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(node, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    const keep = new Set(wanted);
    for (const [key, node] of bubbles) if (!keep.has(node)) bubbles.delete(key);

    if (wasAtBottom) scrollToBottom();
    else if (list.firstElementChild !== firstBefore) scroller.scrollTop = scroller.scrollHeight - fromBottom;
    renderHistoryStatus();
  }

  function renderStatuses() {
    if (!current) return;
    for (const message of store.messageList(current)) {
      if (message.senderId !== store.me.userId) continue;
      const li = bubbles.get(messageKey(message, store.me.userId));
      if (li) updateBubble(li, message, deps);
    }
  }

  function renderHistoryStatus() {
    if (!current) return;
    const history = store.historyOf(current);
    historyStatus.textContent = history.loading
      ? 'Loading earlier messages…'
      : history.loaded && !history.hasMoreBefore
        ? (store.messageList(current).length ? 'This is the beginning of the conversation.' : 'No messages yet. Say hello!')
        : '';
  }

  function renderHeader() {
    if (!current) return;
    const conversation = store.conversations.get(current);
    if (!conversation) return;
    const title = store.titleOf(conversation);
    $('chat-title').textContent = title;
    const avatar = $('chat-avatar');
    const peer = store.peerOf(conversation);
    avatar.textContent = initials(conversation.type === 'group' ? title : store.usernameOf(peer) ?? title);
    avatar.style.setProperty('--avatar-hue', String(hue(conversation.type === 'group' ? conversation.conversationId : peer ?? '')));
    avatar.classList.toggle('group', conversation.type === 'group');

    const subtitle = $('chat-subtitle');
    if (conversation.type === 'group') {
      const others = store.otherMemberIds(conversation);
      const online = others.filter((id) => store.presence.get(id)?.online).length;
      subtitle.textContent = `${others.length + 1} members${online ? ` · ${online} online` : ''}`;
      avatar.classList.remove('online');
    } else {
      const presence = peer ? store.presence.get(peer) : null;
      subtitle.textContent = !presence ? '' : presence.online ? 'online' : formatLastSeen(presence.lastSeen);
      avatar.classList.toggle('online', Boolean(presence?.online));
    }
    const group = conversation.type === 'group';
    $('members-button').hidden = !group;
    $('add-member').hidden = !group || !store.isAdmin(conversation);
    $('leave-group').hidden = !group;
    renderBlock(conversation, peer);
  }

  // A direct chat's header offers block / unblock; while this user blocks the peer, nothing can be sent (unblock
  // first, as the server requires).
  function renderBlock(conversation, peer) {
    const button = $('block-user');
    const blocking = conversation.type === 'direct' && Boolean(peer) && store.blocked.has(peer);
    button.hidden = conversation.type !== 'direct' || !peer;
    button.textContent = blocking ? 'Unblock' : 'Block';
    button.setAttribute('aria-pressed', String(blocking));
    const note = $('blocked-note');
    note.hidden = !blocking;
    note.textContent = blocking ? `You blocked ${store.nameOf(peer)}. Unblock them to send messages.` : '';
    for (const id of ['message-input', 'send', 'attach']) $(id).disabled = blocking;
  }

  function renderTyping() {
    const who = current ? store.typingUsers(current).map((id) => store.nameOf(id)) : [];
    const text = who.length === 0 ? '' : who.length === 1 ? `${who[0]} is typing…` : `${who.join(', ')} are typing…`;
    if (typingLine.textContent !== text) typingLine.textContent = text;
    typingLine.classList.toggle('active', who.length > 0);
  }

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  // ---- store events ------------------------------------------------------------------------------------------------

  store.addEventListener('messages', (e) => {
    if (e.detail.conversationId === current) render();
  });
  store.addEventListener('receipts', (e) => {
    if (e.detail.conversationId === current) renderStatuses();
  });
  store.addEventListener('typing', (e) => {
    if (e.detail.conversationId === current) renderTyping();
  });
  store.addEventListener('presence', renderHeader);
  store.addEventListener('blocked', renderHeader);
  store.addEventListener('users', renderHeader);
  store.addEventListener('conversations', () => {
    if (current && !store.conversations.has(current)) close();
    else renderHeader();
  });
  setInterval(renderHeader, 30_000);

  // ---- scrolling ---------------------------------------------------------------------------------------------------

  scroller.addEventListener('scroll', async () => {
    stickToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
    if (!current || scroller.scrollTop > NEAR_TOP_PX) return;
    const id = current;
    const history = store.historyOf(id);
    if (!history.loaded || history.loading || !history.hasMoreBefore) return;
    const load = client.loadOlder(id);
    renderHistoryStatus();
    try {
      await load;
    } catch (e) {
      historyStatus.textContent = `Could not load earlier messages: ${e.message}`;
      return;
    }
    renderHistoryStatus();
  }, { passive: true });

  // ---- header actions ----------------------------------------------------------------------------------------------

  $('back').addEventListener('click', () => {
    location.hash = '#/';
  });
  $('add-member').addEventListener('click', () => current && dialogs.addMember(current));
  $('members-button').addEventListener('click', () => current && dialogs.members(current));
  $('block-user').addEventListener('click', async () => {
    const conversation = current && store.conversations.get(current);
    const peer = store.peerOf(conversation);
    if (!peer) return;
    const blocking = store.blocked.has(peer);
    if (!blocking && !confirm(`Block ${store.nameOf(peer)}? They will not be able to message you or add you to groups.`)) return;
    try {
      if (blocking) await client.unblock(peer);
      else await client.block(peer);
    } catch (e) {
      composer.showError(`Could not ${blocking ? 'unblock' : 'block'}: ${e.message}`);
    }
  });
  $('leave-group').addEventListener('click', async () => {
    if (!current) return;
    const conversation = store.conversations.get(current);
    if (!confirm(`Leave “${store.titleOf(conversation)}”? You will no longer see its messages.`)) return;
    try {
      await client.leave(current);
      location.hash = '#/';
    } catch (e) {
      composer.showError(`Could not leave the group: ${e.message}`);
    }
  });

  client.addEventListener('removed', (e) => {
    if (e.detail.conversationId === current) location.hash = '#/';
  });

  return { open, close, get current() { return current; } };
}

