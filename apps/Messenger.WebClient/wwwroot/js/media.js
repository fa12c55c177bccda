// Photos: the API's media paths need the bearer token, which an <img> cannot send, so the bytes are fetched with it
// and shown from blob: URLs (the page's CSP allows blob: images). Each path is fetched once per page.
// Videos are never fetched whole: a <video> streams them itself (range requests, seeking) from the media path with
// the token in the query, which the server allows for media GETs; with blob storage it follows the redirect to a
// short-lived signed URL.

import { ApiError } from './api.js';

const THUMBNAIL_TRIES = 6;

export class MediaCache {
  #api;
  #urls = new Map(); // path -> Promise<string>

  constructor(api) {
    this.#api = api;
  }

  /** A URL an <img> can show for the thumbnail; while the server is still making it, waits; without one, the original. */
  thumbnail(media) {
    const path = `/api/media/${encodeURIComponent(media.mediaId)}/thumbnail`;
    if (!this.#urls.has(path)) {
      this.#urls.set(path, this.#thumbnailUrl(path, media).catch((e) => {
        this.#urls.delete(path);
        throw e;
      }));
    }
    return this.#urls.get(path);
  }

  /** A URL an <img> can show for the full photo. */
  full(media) {
    const { external, path } = this.#locate(media);
    return external ? Promise.resolve(external) : this.#objectUrl(path);
  }

  /** A URL a <video> can stream the original from; made afresh on every call, so that it carries the current token. */
  stream(media) {
    const { external, path } = this.#locate(media);
    return external ?? this.#api.mediaStreamUrl(path);
  }

  /** Where the original is: an absolute URL on another origin (a short-lived signed link needs no token), else an API path. */
  #locate(media) {
    const url = media.url || `/api/media/${encodeURIComponent(media.mediaId)}`;
    return /^https?:/i.test(url) && new URL(url).origin !== location.origin
      ? { external: url, path: null }
      : { external: null, path: new URL(url, location.origin).pathname };
  }

  async #thumbnailUrl(path, media) {
    for (let attempt = 0; attempt < THUMBNAIL_TRIES; attempt++) {
      try {
        return URL.createObjectURL(await this.#api.mediaBlob(path));
      } catch (e) {
        // 404 when there is no thumbnail (use the original), or for a moment while it is being made (wait).
        if (!(e instanceof ApiError) || e.status !== 404) throw e;
        if (/no thumbnail/i.test(e.message)) break;
        if (attempt === THUMBNAIL_TRIES - 1) throw e;
        await new Promise((resolve) => setTimeout(resolve, 300 * 2 ** attempt));
      }
    }
    return this.full(media);
  }

  #objectUrl(path) {
    if (!this.#urls.has(path)) {
      this.#urls.set(path, this.#api.mediaBlob(path).then((blob) => URL.createObjectURL(blob), (e) => {
        this.#urls.delete(path);
        throw e;
      }));
    }
    return this.#urls.get(path);
  }
}
