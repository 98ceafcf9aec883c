// api.js: the one place that talks to the server. JSON in and out, the
// CSRF token on every request that changes something, and one error shape.

let csrfToken = '';

/** ApiError carries the server's {error:{code,message,findings}}. */
export class ApiError extends Error {
  constructor(status, code, message, findings) {
    super(message || `Request failed (${status}).`);
    this.status = status;
    this.code = code || 'internal';
    this.findings = findings || [];
  }
}

export function setCsrf(token) {
  if (token) csrfToken = token;
}

async function request(method, path, body, { raw = false } = {}) {
  const headers = { Accept: raw ? '*/*' : 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await toError(res);
  if (raw) return res;
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

async function toError(res) {
  let code = '', message = '', findings = [];
  try {
    const body = await res.json();
    if (body && body.error) ({ code, message, findings } = body.error);
  } catch (e) { /* not JSON: keep the status text */ }
  if (!message) message = `${res.status} ${res.statusText}`.trim();
  if (res.status === 429) {
    const after = res.headers.get('Retry-After');
    if (after) message += ` Try again in ${after} seconds.`;
  }
  return new ApiError(res.status, code, message, findings);
}

export const get = (path) => request('GET', path);
export const post = (path, body = {}) => request('POST', path, body);
export const put = (path, body = {}) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

/** text fetches a non-JSON resource such as an SVG diagram. */
export async function text(path) {
  const res = await request('GET', path, undefined, { raw: true });
  return res.text();
}

/** me returns {user, csrf_token, workspaces}, or null when signed out. */
export async function me() {
  const res = await fetch('/api/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch (e) { /* ignore */ }
  if (body && body.csrf_token) setCsrf(body.csrf_token);
  if (res.status === 401) return null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code, body?.error?.message);
  return body;
}

/** query builds "?a=1&b=2" from the non-empty values of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
