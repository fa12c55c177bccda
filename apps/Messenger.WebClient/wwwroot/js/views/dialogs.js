// Modal dialogs: a new group, adding a member, a group's members (admins promote and remove), and a photo at full size.

import { $, h } from '../dom.js';

export function mountDialogs({ store, client, media, onOpen }) {
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.addEventListener('click', (e) => {
      if (e.target.closest('[data-close]')) dialog.close();
    });
  }

  // Focus goes back where it was when a dialog closes.
  function show(dialog, trigger) {
    const back = trigger ?? document.activeElement;
    dialog.addEventListener('close', () => back?.focus?.(), { once: true });
    dialog.showModal();
  }

  const parseNames = (text) => [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];

  // ---- new group ---------------------------------------------------------------------------------------------------

  const groupDialog = $('group-dialog');
  const groupForm = $('group-form');
  const groupError = $('group-error');
  $('new-group').addEventListener('click', () => {
    groupForm.reset();
    groupError.textContent = '';
    show(groupDialog);
    $('group-title').focus();
  });
  groupForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = $('group-title').value.trim();
    const names = parseNames($('group-members').value).filter((n) => n !== store.me.username);
    if (!title) {
      groupError.textContent = 'Give the group a name.';
      $('group-title').focus();
      return;
    }
    const submit = groupForm.querySelector('[type=submit]');
    submit.disabled = true;
    try {
      const conversation = await client.createGroup(title, names);
      groupDialog.close();
      onOpen(conversation.conversationId);
    } catch (err) {
      groupError.textContent = err.status === 404 ? `One of those users does not exist: ${err.message}` : err.message;
    } finally {
      submit.disabled = false;
    }
  });

  // ---- add a member ------------------------------------------------------------------------------------------------

  const memberDialog = $('member-dialog');
  const memberForm = $('member-form');
  const memberError = $('member-error');
  let memberConversation = null;
  memberForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = $('member-username').value.trim();
    if (!username) {
      memberError.textContent = 'Type a username.';
      return;
    }
    const submit = memberForm.querySelector('[type=submit]');
    submit.disabled = true;
    try {
      await client.addMember(memberConversation, username);
      memberDialog.close();
    } catch (err) {
      memberError.textContent = err.status === 404 ? `There is no user “${username}”.` : err.message;
    } finally {
      submit.disabled = false;
    }
  });

  // ---- members and their roles -------------------------------------------------------------------------------------

  const membersDialog = $('members-dialog');
  const membersList = $('members-list');
  const membersError = $('members-error');
  let membersConversation = null;

  function renderMembers() {
    const conversation = membersConversation && store.conversations.get(membersConversation);
    if (!conversation) {
      if (membersDialog.open) membersDialog.close();
      return;
    }
    $('members-dialog-title').textContent = `People in ${store.titleOf(conversation)}`;
    const admin = store.isAdmin(conversation);
    membersList.replaceChildren(...conversation.memberIds.map((userId) => {
      const name = userId === store.me.userId ? 'You' : store.nameOf(userId);
      const role = store.roleOf(conversation, userId);
      const actions = [];
      if (admin && userId !== store.me.userId) {
        if (role !== 'admin') {
          actions.push(h('button', { type: 'button', class: 'secondary compact', 'aria-label': `Make ${store.nameOf(userId)} an admin`,
            onclick: () => act(() => client.promote(conversation.conversationId, userId)) }, 'Make admin'));
        }
        actions.push(h('button', { type: 'button', class: 'secondary compact', 'aria-label': `Remove ${store.nameOf(userId)}`,
          onclick: () => act(() => client.removeMember(conversation.conversationId, userId)) }, 'Remove'));
      }
      return h('li', { class: 'member', dataset: { testid: 'member', userId, role } },
        h('span', { class: 'member-name' }, name),
        role === 'admin' ? h('span', { class: 'role-badge' }, 'admin') : null,
        h('span', { class: 'member-actions' }, actions));
    }));
  }

  async function act(change) {
    membersError.textContent = '';
    try {
      await change();
    } catch (err) {
      membersError.textContent = err.message;
    }
  }

  store.addEventListener('conversations', () => {
    if (membersDialog.open) renderMembers();
  });
  store.addEventListener('users', () => {
    if (membersDialog.open) renderMembers();
  });

  // ---- a photo at full size ----------------------------------------------------------------------------------------

  const imageDialog = $('image-dialog');
  const fullImage = $('image-full');

  return {
    addMember(conversationId) {
      memberConversation = conversationId;
      memberForm.reset();
      memberError.textContent = '';
      const conversation = store.conversations.get(conversationId);
      $('member-dialog-title').textContent = `Add a member to ${store.titleOf(conversation)}`;
      show(memberDialog);
      $('member-username').focus();
    },

    members(conversationId) {
      membersConversation = conversationId;
      membersError.textContent = '';
      renderMembers();
      show(membersDialog);
    },

    async showPhoto(info, trigger) {
      fullImage.removeAttribute('src');
      fullImage.alt = trigger?.querySelector('img')?.alt ?? 'Photo';
      show(imageDialog, trigger);
      try {
        fullImage.src = info.localUrl ?? (await media.full(info));
      } catch (e) {
        fullImage.alt = `The photo could not be loaded: ${e.message}`;
      }
    },
  };
}
