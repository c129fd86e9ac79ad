// The one place the UI talks to the server: bearer token from sessionStorage, JSON in and out,
// and every non-2xx answer turned into an ApiError carrying the API's own message verbatim.

const TOKEN_KEY = 'reclaim.token';

/** The token of this tab, or '' (open loopback servers need none). */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

/** Stores the token for this tab only; an empty value forgets it. */
export function setToken(value) {
  const v = (value || '').trim();
  if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer: HTTP status, the API's error code, and its message exactly as sent. */
export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

function headers(method) {
  const h = { Accept: 'application/json' };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  // The server refuses a state change that is not declared JSON, even one without a body: other
  // sites can make a browser send the other content types here without asking.
  if (method !== 'GET' && method !== 'HEAD') h['Content-Type'] = 'application/json';
  // Labels what the UI starts (a cleanup run's trigger is "ui"); a label, not a credential.
  if (method !== 'GET' && method !== 'HEAD') h['X-Reclaim-Client'] = 'web-ui';
  return h;
}

/**
 * Calls the API. Resolves to the parsed JSON body; rejects with ApiError.
 * @param {string} method
 * @param {string} path e.g. '/api/v1/tasks?project=x'
 * @param {object} [body] sent as JSON
 */
export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: headers(method),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'cannot reach the server (' + e.message + '); is it still running?');
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401) {
      // One banner for the whole page (app.js), however many calls were refused.
      window.dispatchEvent(new CustomEvent('reclaim:unauthorized', { detail: json && json.message ? json.message : '' }));
    }
    const message = json && typeof json.message === 'string' ? json.message : 'HTTP ' + res.status + ' ' + res.statusText;
    throw new ApiError(res.status, json && json.error ? json.error : 'http_' + res.status, message, json);
  }
  return json;
}

/** GET shorthand. */
export const get = (path) => api('GET', path);
/** POST shorthand. */
export const post = (path, body) => api('POST', path, body);
/** PUT shorthand. */
export const put = (path, body) => api('PUT', path, body);

/**
 * Downloads an artifact. Without a token a plain link works, so the browser handles it natively;
 * with one, the bytes are fetched with the bearer header and saved through an object URL, because
 * a link cannot carry an Authorization header.
 */
export async function download(href, fileName) {
  const res = await fetch(href, { headers: headers('GET') });
  if (!res.ok) {
    let message = 'HTTP ' + res.status;
    try {
      message = (await res.json()).message || message;
    } catch { /* not JSON */ }
    if (res.status === 401) window.dispatchEvent(new CustomEvent('reclaim:unauthorized', { detail: message }));
    throw new ApiError(res.status, 'download', message, null);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The 401 text the page banner shows (once, not per refused call). */
export function unauthorizedText(message) {
  return 'Not authenticated (401): ' + message + ' — enter a token in the API token field above.';
}

/**
 * Text for an error, the API's message kept verbatim; 403 says what to do about it. A 401 is '' here:
 * the page's one banner shows it, so pages do not repeat it in every section.
 * @param {unknown} err
 */
export function describe(err) {
  if (err instanceof ApiError) {
    if (err.status === 401) return '';
    if (err.status === 403) return 'Not allowed (403): ' + err.message;
    return err.message;
  }
  return String(err && err.message ? err.message : err);
}
