// Desktop notifications (Notification API) for messages that arrive while the tab is hidden.

export class Notifier {
  get supported() {
    return 'Notification' in window;
  }

  /** Whether asking makes sense: supported and not yet answered. */
  get canAsk() {
    return this.supported && Notification.permission === 'default';
  }

  async ask() {
    if (!this.canAsk) return this.supported ? Notification.permission : 'denied';
    return Notification.requestPermission();
  }

  /** Shows one notification per conversation (a newer one replaces the older), only while the page is hidden. */
  show({ title, body, tag, onClick }) {
    if (!this.supported || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
    try {
      const notification = new Notification(title, { body, tag, renotify: true, icon: '/favicon.svg' });
      notification.onclick = () => {
        window.focus();
        onClick?.();
        notification.close();
      };
    } catch {
      // Some browsers only allow notifications from a service worker; the in-page badge still shows the message.
    }
  }
}
