// The HTTP API (docs/protocol.md). Every call but register and login carries the bearer token; a 401 on such a call
// means the session is over, and `onUnauthorized` sends the user back to the login screen. A refresh replaces the
// token and the old one stops working at once, so a call that raced a refresh and got 401 is sent once more with the
// new token instead.

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || `The server answered ${status}.`);
    this.status = status;
    this.code = code;
  }
}

/** Thrown when the server cannot be reached at all. */
export class NetworkError extends Error {
  constructor(cause) {
    super('The server cannot be reached. Check your connection and try again.');
    this.cause = cause;
  }
}

export function createApi({ getToken, onRefreshed, onUnauthorized }) {
  let refreshing = null;

  async function send(method, path, options = {}, again = false) {
    const { body, raw, contentType, auth = true, signal, isRefresh = false } = options;
    const headers = {};
    const token = getToken();
    if (auth) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (raw !== undefined) {
      payload = raw;
      headers['Content-Type'] = contentType || 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }

    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, signal, cache: 'no-store' });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new NetworkError(e);
    }

    if (response.status === 401 && auth) {
      if (!isRefresh && refreshing) await refreshing.catch(() => {});
      if (!isRefresh && !again && getToken() !== token) return send(method, path, options, true);
      onUnauthorized();
    }
    return response;
  }

  /** Swaps the token for a new one of the same session; `onRefreshed` has stored it before this resolves. */
  function refresh() {
    const call = json('POST', '/api/auth/refresh', { isRefresh: true }).then((auth) => {
      onRefreshed(auth);
      return auth;
    });
    refreshing = call;
    call.then(() => {}, () => {}).finally(() => {
      if (refreshing === call) refreshing = null;
    });
    return call;
  }

  async function json(method, path, options) {
    const response = await send(method, path, options);
    if (!response.ok) throw await toError(response);
    if (response.status === 204) return null;
    return response.json();
  }

  const id = encodeURIComponent;

  return {
    register: (username, password) => json('POST', '/api/auth/register', { body: { username, password }, auth: false }),
    login: (username, password) => json('POST', '/api/auth/login', { body: { username, password }, auth: false }),
    refresh,
    logout: () => json('POST', '/api/auth/logout'),

    user: (username) => json('GET', `/api/users/${id(username)}`),
    /** Profiles and presence by user id (proposed to the server: GET /api/users?ids=a,b -> [user]). */
    usersById: (userIds) => json('GET', `/api/users?${new URLSearchParams({ ids: userIds.join(',') })}`),
    block: (userId) => json('POST', `/api/users/${id(userId)}/block`),
    unblock: (userId) => json('DELETE', `/api/users/${id(userId)}/block`),
    /** The users this user blocks: [{userId, username, displayName}]. */
    blocked: () => json('GET', '/api/users/me/blocked'),

    conversations: () => json('GET', '/api/conversations'),
    conversation: (conversationId) => json('GET', `/api/conversations/${id(conversationId)}`),
    createDirect: (userId) => json('POST', '/api/conversations', { body: { type: 'direct', memberIds: [userId] } }),
    createGroup: (title, memberIds) => json('POST', '/api/conversations', { body: { type: 'group', title, memberIds } }),
    addMember: (conversationId, userId) => json('POST', `/api/conversations/${id(conversationId)}/members`, { body: { userId } }),
    promote: (conversationId, userId) => json('POST', `/api/conversations/${id(conversationId)}/admins`, { body: { userId } }),
    removeMember: (conversationId, userId) => json('DELETE', `/api/conversations/${id(conversationId)}/members/${id(userId)}`),

    /** One page of history, ascending: the newest `limit`, or the `limit` just before `beforeSeq`, or just after `afterSeq`. */
    messages: (conversationId, { beforeSeq, afterSeq, limit = 50 } = {}) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (beforeSeq !== undefined) query.set('beforeSeq', String(beforeSeq));
      if (afterSeq !== undefined) query.set('afterSeq', String(afterSeq));
      return json('GET', `/api/conversations/${id(conversationId)}/messages?${query}`).then((page) => page.messages);
    },
    sendMessage: (conversationId, clientMessageId, text, mediaId) =>
      json('POST', `/api/conversations/${id(conversationId)}/messages`, { body: { clientMessageId, text, mediaId } }),
    /** A reaction (emoji, or null to take one's back), an edit, a delete for everyone: each answers the stored event. */
    react: (conversationId, seq, clientMessageId, emoji) =>
      json('POST', `/api/conversations/${id(conversationId)}/messages/${seq}/reactions`, { body: { clientMessageId, emoji } }),
    editMessage: (conversationId, seq, clientMessageId, text) =>
      json('PATCH', `/api/conversations/${id(conversationId)}/messages/${seq}`, { body: { clientMessageId, text } }),
    deleteMessage: (conversationId, seq, clientMessageId) =>
      json('DELETE', `/api/conversations/${id(conversationId)}/messages/${seq}`, { body: { clientMessageId } }),
    /** "Delete for me": the message leaves this user's history on every device. */
    hideMessage: (conversationId, seq) => json('POST', `/api/conversations/${id(conversationId)}/messages/${seq}/hide`),

    /** Every member's cursors (proposed to the server: GET .../receipts -> {receipts: [{userId, deliveredSeq, readSeq}]}). */
    receipts: (conversationId) => json('GET', `/api/conversations/${id(conversationId)}/receipts`).then((r) => r.receipts),
    markRead: (conversationId, seq) => json('POST', `/api/conversations/${id(conversationId)}/read`, { body: { seq } }),

    /** Uploads a file's bytes as they are; the server sniffs and checks the type. */
    uploadMedia: (file, signal) =>
      json('POST', '/api/media', { raw: file, contentType: file.type || 'application/octet-stream', signal }),

    /**
     * A URL a <video> can stream an API media path from (ranges, seeking) with no header of its own: the token goes
     * in ?access_token=, which the server accepts for media GETs only and never logs. Not for display or logging.
     */
    mediaStreamUrl: (path) => `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams({ access_token: getToken() })}`,

    /** The bytes behind an API media path (they need the bearer token, so an <img> cannot load them itself). */
    mediaBlob: async (path, signal) => {
      const response = await send('GET', path, { signal });
      if (!response.ok) throw await toError(response);
      return response.blob();
    },
  };
}

async function toError(response) {
  let code;
  let detail;
  try {
    const problem = await response.json();
    code = problem.code;
    detail = problem.detail || problem.title;
  } catch {
    // Not problem details: the status says enough.
  }
  return new ApiError(response.status, code, detail);
}
