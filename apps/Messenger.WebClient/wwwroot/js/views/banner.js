// The banner while the connection is down, with a countdown to the next attempt and a way to try at once.

import { $ } from '../dom.js';

export function mountBanner({ client, socket }) {
  const banner = $('offline-banner');
  const text = $('offline-text');
  let countdown = 0;

  $('reconnect-now').addEventListener('click', () => socket.reconnectNow());

  client.addEventListener('connection', (e) => {
    const { state, retryInMs } = e.detail;
    clearInterval(countdown);
    if (state === 'online') {
      banner.hidden = true;
      document.body.classList.remove('offline');
      return;
    }
    banner.hidden = false;
    document.body.classList.add('offline');
    if (!retryInMs) {
      text.textContent = 'You are offline. Reconnecting…';
      return;
    }
    const until = Date.now() + retryInMs;
    const tick = () => {
      const seconds = Math.ceil((until - Date.now()) / 1000);
      text.textContent = seconds > 1 ? `You are offline. Reconnecting in ${seconds} s…` : 'You are offline. Reconnecting…';
    };
    tick();
    countdown = setInterval(tick, 1000);
  });
}
