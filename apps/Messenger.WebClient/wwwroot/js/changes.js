// Reactions, edits, deletes and "delete for me" of a message, over HTTP: each answers the stored event, which is
// folded into the held message at once (the same event coming back over the socket is then held already).

import { newClientMessageId } from './outbox.js';

/** The reaction picker's choices. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

export function createChanges({ api, store }) {
  function held(conversationId, event) {
    store.addMessages(conversationId, [event], { fold: true });
  }

  return {
    /** Reacts with `emoji`, or takes this user's reaction back when `emoji` is null. */
    react: async (conversationId, seq, emoji) => held(conversationId, await api.react(conversationId, seq, newClientMessageId(), emoji)),
    edit: async (conversationId, seq, text) => held(conversationId, await api.editMessage(conversationId, seq, newClientMessageId(), text)),
    remove: async (conversationId, seq) => held(conversationId, await api.deleteMessage(conversationId, seq, newClientMessageId())),
    hide: async (conversationId, seq) => {
      await api.hideMessage(conversationId, seq);
      store.hide(conversationId, seq);
    },
  };
}
