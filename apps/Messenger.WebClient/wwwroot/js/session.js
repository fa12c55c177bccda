// The signed-in user: kept in sessionStorage (this tab only, gone when it closes), never in localStorage.

const KEY = 'messenger.session';

/** @returns {{userId: string, username: string, token: string} | null} */
export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (!session?.token || !session.userId) return null;
    const expires = tokenExpiry(session.token);
    return expires !== null && expires <= Date.now() ? null : session;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify({ userId: session.userId, username: session.username, token: session.token }));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

/** When a JWT expires (ms since the epoch), from its `exp` claim; null if it cannot be read. */
export function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
