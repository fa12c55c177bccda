// Starts the client: the login screen, or (with a session in this tab) the chat.

import { createApi } from './api.js';
import { createChanges } from './changes.js';
import { ChatClient } from './client.js';
import { $, setChildren } from './dom.js';
import { MediaCache } from './media.js';
import { Notifier } from './notify.js';
import { Outbox } from './outbox.js';
import { clearSession, loadSession, saveSession, tokenExpiry } from './session.js';
import { Socket } from './socket.js';
import { Store } from './store.js';
import { mountBanner } from './views/banner.js';
import { mountChat } from './views/chat.js';
import { mountDialogs } from './views/dialogs.js';
import { mountLogin } from './views/login.js';
import { mountSidebar } from './views/sidebar.js';

const FLASH_KEY = 'messenger.flash';
const REFRESH_BEFORE_EXPIRY_MS = 15 * 60_000;

let session = loadSession();
let ending = false;

const api = createApi({
  getToken: () => session?.token ?? '',
  onRefreshed: (auth) => {
    session = { ...session, token: auth.token };
    saveSession(session);
  },
  onUnauthorized: () => endSession('Your session has ended. Please log in again.'),
});

/** Back to a clean login screen: the simplest way to drop every piece of state is a fresh page. */
function endSession(message) {
  if (ending) return;
  ending = true;
  clearSession();
  sessionStorage.removeItem('messenger.users');
  if (message) sessionStorage.setItem(FLASH_KEY, message);
  location.replace(location.pathname);
}

const login = mountLogin({
  api,
  onSignedIn: (auth) => {
    session = { userId: auth.userId, username: auth.username, token: auth.token };
    saveSession(session);
    login.hide();
    startChat();
  },
});

if (session) {
  startChat();
} else {
  const flash = sessionStorage.getItem(FLASH_KEY) ?? '';
  sessionStorage.removeItem(FLASH_KEY);
  clearSession();
  login.show(flash);
}

function startChat() {
  const store = new Store({ userId: session.userId, username: session.username });
  const notifier = new Notifier();
  const socket = new Socket(() => session.token, async () => {
    // A browser WebSocket cannot say it was refused with 401; one HTTP call can (and ends the session if so).
    await api.conversations();
  });
  const outbox = new Outbox({ api, store, socket });
  const client = new ChatClient({ api, store, socket, notifier, outbox });
  const media = new MediaCache(api);

  const dialogs = mountDialogs({ store, client, media, onOpen: open });
  const chat = mountChat({ store, client, outbox, media, dialogs, changes: createChanges({ api, store }) });
  mountSidebar({ store, client, onOpen: open });
  mountBanner({ client, socket });

  setChildren($('me'), session.username);
  $('app-view').hidden = false;
  document.title = `Messenger · ${session.username}`;

  $('logout').addEventListener('click', async () => {
    socket.stop();
    try {
      await api.logout();
    } catch {
      // Logged out here either way; the token expires on its own.
    }
    endSession('');
  });

  const notifyButton = $('enable-notifications');
  notifyButton.hidden = !notifier.canAsk;
  notifyButton.addEventListener('click', async () => {
    await notifier.ask();
    notifyButton.hidden = !notifier.canAsk;
  });

  client.addEventListener('open', (e) => open(e.detail.conversationId));
  client.addEventListener('error', (e) => console.warn('Messenger:', e.detail.message));

  let routed = false;
  async function route() {
    const match = /^#\/c\/(.+)$/.exec(location.hash);
    const id = match ? decodeURIComponent(match[1]) : null;
    if (id && store.conversations.has(id)) {
      await chat.open(id, { focus: routed || document.activeElement === document.body });
    } else if (chat.current) {
      const closed = chat.current;
      chat.close();
      document.querySelector(`[data-conversation-id="${CSS.escape(closed)}"]`)?.focus();
    }
    routed = true;
  }
  window.addEventListener('hashchange', route);

  function open(conversationId) {
    const hash = `#/c/${encodeURIComponent(conversationId)}`;
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  scheduleRefresh();
  client.start().then(() => {
    route();
    client.refreshPeople();
  }, (e) => {
    if (!ending) console.warn('Messenger: could not start', e);
  });
}

/**
 * Swaps the token for a fresh one before it expires, for as long as the tab stays open (the session's absolute age
 * still ends it). The open socket stays: it belongs to the session, not to the token it was opened with.
 */
function scheduleRefresh() {
  const expires = tokenExpiry(session.token);
  if (!expires) return;
  const wait = Math.max(60_000, expires - Date.now() - REFRESH_BEFORE_EXPIRY_MS);
  setTimeout(async () => {
    try {
      await api.refresh();
    } catch {
      // A 401 already ended the session; otherwise try again in a minute.
    }
    scheduleRefresh();
  }, Math.min(wait, 2 ** 31 - 1));
}
