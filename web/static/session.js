// session.js: who is signed in and which workspace is open.
import * as api from './api.js';

const WS_KEY = 'relsop.workspace';

export const session = {
  user: null,
  workspaces: [],
  workspaceId: null,
  mail: false, // the server sends notification emails
  digest_at: '', // when it sends the user's daily summary: "08:00 CET"
  server_zone: '', // the server's time zone, the summary's default: "UTC"
};

/** load asks the server who we are; false when signed out. */
export async function load() {
  const me = await api.me();
  session.user = me ? me.user : null;
  session.workspaces = (me && me.workspaces) || [];
  session.mail = Boolean(me && me.mail);
  session.digest_at = (me && me.digest_at) || '';
  session.server_zone = (me && me.server_zone) || '';
  const saved = Number(localStorage.getItem(WS_KEY));
  const ids = session.workspaces.map((w) => w.id);
  session.workspaceId = ids.includes(saved) ? saved : (ids[0] ?? null);
  return Boolean(me);
}

export function workspace() {
  return session.workspaces.find((w) => w.id === session.workspaceId) || null;
}

export function setWorkspace(id) {
  session.workspaceId = Number(id);
  localStorage.setItem(WS_KEY, String(id));
}

/** go changes the route. */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
