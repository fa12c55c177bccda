// The conversation list (last message, unread count, presence dot) and starting a direct chat by username.

import { $, h } from '../dom.js';
import { formatListTime, hue, initials, preview } from '../format.js';

export function mountSidebar({ store, client, onOpen }) {
  const listEl = $('conversation-list');
  const emptyNote = $('no-conversations');
  const items = new Map(); // conversationId -> <li>

  function render() {
    const conversations = store.conversationList();
    emptyNote.hidden = conversations.length > 0;
    const wanted = conversations.map((conversation) => {
      let li = items.get(conversation.conversationId);
      if (!li) {
        li = createItem(conversation.conversationId);
        items.set(conversation.conversationId, li);
      }
      updateItem(li, conversation);
      return li;
    });

    let cursor = listEl.firstChild;
    for (const node of wanted) {
      if (node === cursor) cursor = cursor.nextSibling;
      else listEl.insertBefore(node, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    for (const [id, node] of items) if (!wanted.includes(node)) items.delete(id);
  }

  function createItem(conversationId) {
    const button = h('button', {
      type: 'button',
      class: 'conversation-item',
      dataset: { testid: 'conversation-item', conversationId },
      onclick: () => onOpen(conversationId),
    },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, h('span', { class: 'avatar-letter' }), h('span', { class: 'presence-dot' })),
    h('span', { class: 'item-main' },
      h('span', { class: 'item-top' }, h('span', { class: 'item-title' }), h('time', { class: 'item-time' })),
      h('span', { class: 'item-bottom' }, h('span', { class: 'item-preview' }), h('span', { class: 'badge' }))));
    return h('li', {}, button);
  }

  function updateItem(li, conversation) {
    const button = li.firstElementChild;
    const title = store.titleOf(conversation);
    const peer = store.peerOf(conversation);
    const presence = peer ? store.presence.get(peer) : null;
    const online = Boolean(presence?.online);
    const last = conversation.lastMessage;
    const lastText = last ? `${last.senderId === store.me.userId ? 'You: ' : conversation.type === 'group' ? `${store.nameOf(last.senderId)}: ` : ''}${preview(last)}` : 'No messages yet';
    const unread = conversation.unreadCount ?? 0;
    const active = conversation.conversationId === store.activeId;

    const avatar = button.querySelector('.avatar');
    avatar.style.setProperty('--avatar-hue', String(hue(conversation.type === 'group' ? conversation.conversationId : peer ?? '')));
    avatar.classList.toggle('group', conversation.type === 'group');
    setText(button.querySelector('.avatar-letter'), initials(conversation.type === 'group' ? title : store.usernameOf(peer) ?? title));
    const dot = button.querySelector('.presence-dot');
    dot.hidden = conversation.type !== 'direct';
    dot.classList.toggle('online', online);
    dot.dataset.online = String(online);

    setText(button.querySelector('.item-title'), title);
    const time = button.querySelector('.item-time');
    const when = last?.sentAt ?? conversation.lastActivityAt ?? conversation.createdAt;
    setText(time, formatListTime(when));
    if (when) time.dateTime = when;
    setText(button.querySelector('.item-preview'), lastText);
    const badge = button.querySelector('.badge');
    badge.hidden = unread === 0;
    setText(badge, unread > 99 ? '99+' : String(unread));
    button.classList.toggle('unread', unread > 0);

    if (active) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
    const parts = [title];
    if (conversation.type === 'direct' && presence) parts.push(online ? 'online' : 'offline');
    if (unread) parts.push(`${unread} unread ${unread === 1 ? 'message' : 'messages'}`);
    parts.push(`last message: ${lastText}`);
    button.setAttribute('aria-label', parts.join(', '));
  }

  store.addEventListener('conversations', render);
  store.addEventListener('presence', render);
  store.addEventListener('users', render);
  render();

  // ---- start a direct chat ------------------------------------------------------------------------------------------

  const form = $('new-chat-form');
  const input = $('new-chat-username');
  const error = $('new-chat-error');
  const button = $('start-chat');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = input.value.trim();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (!username) {
      error.textContent = 'Type the username of the person to chat with.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    if (username === store.me.username) {
      error.textContent = 'That is you. Type someone else’s username.';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    button.disabled = true;
    try {
      const conversation = await client.startDirect(username);
      input.value = '';
      onOpen(conversation.conversationId);
    } catch (err) {
      error.textContent = err.status === 404 ? `There is no user “${username}”.` : err.status === 400 ? `“${username}” is not a valid username.` : err.message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
