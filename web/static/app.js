// app.js: the entry point. Routes on the URL hash and draws the top bar.
import * as api from './api.js';
import { h, replace, select } from './dom.js';
import { session, load, workspace, setWorkspace, go } from './session.js';
import { clearError, showError, guard } from './ui.js';
import { signIn, signUp } from './auth.js';
import { library } from './library.js';
import { editor } from './editor.js';
import { historyScreen } from './history.js';
import { reviewScreen } from './review.js';
import { members, account, acceptInvite } from './account.js';
import { inboxCount } from './inbox.js';

const routes = [
  [/^#\/signin$/, signIn, { public: true }],
  [/^#\/signup$/, signUp, { public: true }],
  [/^#\/?$/, library],
  [/^#\/sops\/(\d+)$/, editor],
  [/^#\/sops\/(\d+)\/(releases|comments)\/(\d+)$/, editor],
  [/^#\/sops\/(\d+)\/history$/, historyScreen],
  [/^#\/sops\/(\d+)\/review$/, reviewScreen],
  [/^#\/workspace$/, members],
  [/^#\/(account|tokens)$/, account],
  [/^#\/invite\/([A-Za-z0-9_\-.]+)$/, acceptInvite],
];

let cleanup = null;
let afterSignIn = '';

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  clearError();
  const hash = location.hash || '#/';
  const main = document.getElementById('main');
  const match = routes.map(([re, screen, opts]) => [hash.match(re), screen, opts || {}]).find(([m]) => m);
  if (!session.user && !(match && match[2].public)) {
    afterSignIn = hash;
    go('#/signin');
    return;
  }
  drawNav();
  if (!match) {
    replace(main, h('section', { class: 'page narrow' }, h('h1', { text: 'Not found' }),
      h('p', null, 'There is no page here. ', h('a', { href: '#/', text: 'Open the library' }), '.')));
    return;
  }
  const [m, screen] = match;
  replace(main, h('p', { class: 'loading', text: 'Loading…' }));
  try {
    cleanup = (await screen(main, ...m.slice(1))) || null;
  } catch (err) {
    showError(err);
    replace(main);
  }
  main.focus({ preventScroll: true });
}

/** signedIn is called by the auth screens once the session cookie is set. */
export async function signedIn() {
  await load();
  const next = afterSignIn && !/^#\/sign(in|up)$/.test(afterSignIn) ? afterSignIn : '#/';
  afterSignIn = '';
  go(next);
}

function drawNav() {
  const nav = document.getElementById('nav');
  if (!session.user) {
    replace(nav, h('a', { href: '#/signin', text: 'Sign in' }), h('a', { href: '#/signup', text: 'Sign up' }));
    return;
  }
  const ws = workspace();
  const wsPicker = session.workspaces.length > 1
    ? h('div', { class: 'ws-switch' }, h('label', { for: 'ws-select', class: 'sr-only', text: 'Workspace' }),
      select(session.workspaces.map((w) => [String(w.id), w.name]), String(session.workspaceId), {
        id: 'ws-select',
        onchange: (e) => { setWorkspace(e.target.value); go('#/'); },
      }))
    : (ws ? h('span', { class: 'ws-name', title: 'Workspace', text: ws.name }) : null);
  const library = h('a', { href: '#/', id: 'nav-library', text: 'Library' });
  if (ws) countWaiting(library, ws.id);
  replace(nav,
    library,
    ws && ws.role === 'owner' ? h('a', { href: '#/workspace', text: 'Members' }) : null,
    h('a', { href: '#/account', text: 'Account' }),
    wsPicker,
    h('span', { class: 'who', text: session.user.name || session.user.email }),
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'signout', text: 'Sign out', onclick: signOut }));
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === (location.hash || '#/')) a.setAttribute('aria-current', 'page');
  }
}

// countWaiting adds to the Library link how many things wait for the
// member (gates to sign, mentions to answer), so they see it on any page.
async function countWaiting(link, wsId) {
  const n = await inboxCount(wsId);
  link.dataset.waiting = String(n);
  if (!n || !link.isConnected) return;
  link.append(' ', h('span', { class: 'count', id: 'waiting-count', 'aria-hidden': 'true', text: String(n) }),
    h('span', { class: 'sr-only', text: `, ${n} waiting for you` }));
  link.title = `${n} waiting for you: see the library`;
}

async function signOut() {
  await guard(async () => {
    await api.post('/api/auth/signout');
    session.user = null;
    session.workspaces = [];
    await load();
    go('#/signin');
  });
}

async function start() {
  // An invite link may arrive as /invite/TOKEN; the app routes on hashes.
  const m = location.pathname.match(/^\/invite\/([^/]+)$/);
  if (m) window.history.replaceState(null, '', `/#/invite/${m[1]}`);
  try {
    await load();
  } catch (err) {
    showError(err);
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
