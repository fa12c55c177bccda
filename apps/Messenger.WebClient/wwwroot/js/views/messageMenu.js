// A message's menu: reply, react (six emoji and remove), edit (own text, in place), delete for everyone (own) and
// delete for me. Failures show in the composer's error line.

import { h } from '../dom.js';
import { REACTIONS } from '../changes.js';

/**
 * @param {object} deps {store, changes, onReply(message), onError(text)}
 */
export function messageMenu(li, message, deps) {
  const { store, changes } = deps;
  const mine = message.senderId === store.me.userId;
  const id = message.conversationId;
  const seq = message.seq;
  const menu = h('div', { class: 'message-actions', role: 'menu', dataset: { testid: 'message-actions' } });

  const run = (work) => async () => {
    close();
    try {
      await work();
    } catch (e) {
      deps.onError(e.message);
    }
  };
  const item = (testid, label, onclick) => h('button', { type: 'button', role: 'menuitem', class: 'menu-item', dataset: { testid }, onclick }, label);

  function close() {
    menu.remove();
  }

  function picker() {
    setChildren(
      ...REACTIONS.map((emoji) => h('button', {
        type: 'button', class: 'emoji-option', 'aria-label': `React with ${emoji}`, dataset: { testid: 'react-option', emoji },
        onclick: run(() => changes.react(id, seq, emoji)),
      }, emoji)),
      h('button', { type: 'button', class: 'menu-item', dataset: { testid: 'react-remove' }, onclick: run(() => changes.react(id, seq, null)) }, 'Remove'));
  }

  function setChildren(...children) {
    menu.replaceChildren(...children);
    menu.querySelector('button')?.focus();
  }

  const items = [
    item('reply', 'Reply', () => {
      close();
      deps.onReply(message);
    }),
    item('react', 'React', picker),
  ];
  if (mine && message.text) items.push(item('edit', 'Edit', () => {
    close();
    editInPlace(li, message, deps);
  }));
  if (mine) items.push(item('delete', 'Delete for everyone', run(() => changes.remove(id, seq))));
  items.push(item('delete-for-me', 'Delete for me', run(() => changes.hide(id, seq))));
  menu.append(...items);
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  return menu;
}

/** Replaces the text with an input: Enter (or Save) stores the edit, Escape (or Cancel) leaves it. */
function editInPlace(li, message, { changes, onError }) {
  const text = li.querySelector('.text');
  if (!text || li.querySelector('.edit-box')) return;
  const input = h('textarea', { class: 'edit-input', rows: 2, 'aria-label': 'Edit message', dataset: { testid: 'edit-input' } });
  input.value = message.text;
  const done = () => {
    box.remove();
    text.hidden = false;
  };
  const save = async () => {
    const value = input.value.trim();
    if (!value || value === message.text) return done();
    try {
      await changes.edit(message.conversationId, message.seq, value);
      done();
    } catch (e) {
      onError(e.message);
    }
  };
  const box = h('div', { class: 'edit-box' }, input,
    h('button', { type: 'button', class: 'link-button', dataset: { testid: 'edit-save' }, onclick: save }, 'Save'),
    h('button', { type: 'button', class: 'link-button', onclick: done }, 'Cancel'));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      done();
    }
  });
  text.hidden = true;
  text.after(box);
  input.focus();
}
