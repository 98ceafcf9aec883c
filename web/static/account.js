// account.js: workspace members and invites (owners), the user's account
// (notification emails, API tokens), and accepting an invite link.
import * as api from './api.js';
import { h, replace, field, select, time } from './dom.js';
import { session, workspace, load, setWorkspace, go } from './session.js';
import { guard, announce, confirm } from './ui.js';
import { webhooksSection } from './webhooks.js';

const ROLES = [['viewer', 'Viewer'], ['editor', 'Editor'], ['owner', 'Owner']];

export async function members(main) {
  const ws = workspace();
  if (!ws) return go('#/');
  const list = h('tbody');
  const inviteRole = select(ROLES, 'editor', { id: 'invite-role' });
  const inviteOut = h('div', { id: 'invite-result', 'aria-live': 'polite' });
  const owner = ws.role === 'owner';

  const refresh = async () => {
    const res = await guard(() => api.get(`/api/workspaces/${ws.id}/members`));
    if (!res) return;
    replace(list, res.members.map((m) => h('tr', { dataset: { user: String(m.user_id) } },
      h('th', { scope: 'row', text: m.name || '' }), h('td', { text: m.email || '' }),
      h('td', null, owner ? select(ROLES, m.role, { 'aria-label': `Role of ${m.name || m.email}`,
        onchange: (e) => guard(async () => {
          await api.put(`/api/workspaces/${ws.id}/members/${m.user_id}`, { role: e.target.value });
          announce(`${m.name || m.email} is now ${e.target.value}.`);
        }).then(refresh) }) : m.role),
      h('td', null, owner && m.user_id !== session.user.id ? h('button', { type: 'button', class: 'btn btn-small btn-danger',
        text: 'Remove', 'aria-label': `Remove ${m.name || m.email}`,
        onclick: async () => {
          if (!await confirm(`Remove ${m.name || m.email} from ${ws.name}?`, 'Remove')) return;
          await guard(() => api.del(`/api/workspaces/${ws.id}/members/${m.user_id}`));
          refresh();
        } }) : null))));
  };

  const inviteForm = h('form', { class: 'row', id: 'invite-form' }, field('Role of the new member', inviteRole),
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create invite link' }));
  inviteForm.addEventListener('submit', (e) => {
    e.preventDefault();
    guard(async () => {
      const res = await api.post(`/api/workspaces/${ws.id}/invites`, { role: inviteRole.value });
      const url = new URL(res.url || `/#/invite/${res.token}`, location.origin).href;
      const out = h('input', { type: 'text', readonly: true, value: url, id: 'invite-url', class: 'code' });
      replace(inviteOut, field('Invite link (valid until the date below)', out),
        h('p', { class: 'muted' }, 'Expires ', time(res.expires_at), '. Anyone with the link can join as ', res.role || inviteRole.value, '.'),
        h('button', { type: 'button', class: 'btn', text: 'Copy', onclick: async () => {
          out.select();
          try { await navigator.clipboard.writeText(url); announce('Copied the link.'); } catch (err) { announce('Select the link and copy it.'); }
        } }));
      out.select();
    });
  });

  replace(main, h('section', { class: 'page' },
    h('h1', { text: `Members of ${ws.name}` }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'members', id: 'members' },
      h('thead', null, h('tr', null, ['Name', 'Email', 'Role', ''].map((t) => h('th', { scope: 'col', text: t })))), list)),
    owner ? h('section', { class: 'card stack' }, h('h2', { text: 'Invite someone' }), inviteForm, inviteOut) : null,
    owner ? webhooksSection(ws) : null));
  await refresh();
}

/** account is the signed-in user's page: notification emails and API tokens. */
export async function account(main) {
  const list = h('tbody');
  const created = h('div', { id: 'token-created', 'aria-live': 'polite' });
  const name = h('input', { type: 'text', id: 'token-name', required: true, placeholder: 'CI lint job' });
  const refresh = async () => {
    const res = await guard(() => api.get('/api/tokens'));
    if (!res) return;
    if (!res.tokens.length) { replace(list, h('tr', null, h('td', { colspan: '4', class: 'muted', text: 'No tokens yet.' }))); return; }
    replace(list, res.tokens.map((t) => h('tr', null,
      h('th', { scope: 'row', text: t.name }), h('td', null, time(t.created_at)), h('td', null, t.last_used_at ? time(t.last_used_at) : 'never'),
      h('td', null, h('button', { type: 'button', class: 'btn btn-small btn-danger', text: 'Delete', 'aria-label': `Delete the token ${t.name}`,
        onclick: async () => {
          if (!await confirm(`Delete the token “${t.name}”? Scripts using it stop working.`, 'Delete')) return;
          await guard(() => api.del(`/api/tokens/${t.id}`));
          refresh();
        } })))));
  };
  const form = h('form', { class: 'row' }, field('Name', name), h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create token' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    guard(async () => {
      const res = await api.post('/api/tokens', { name: name.value });
      name.value = '';
      replace(created, h('div', { class: 'notice' },
        h('p', { text: 'Copy the token now: it is shown only once.' }),
        h('input', { type: 'text', readonly: true, class: 'code', value: res.token, id: 'new-token', 'aria-label': 'The new token' })));
      await refresh();
    });
  });
  replace(main, h('section', { class: 'page' },
    h('h1', { text: 'Your account' }),
    h('p', { class: 'muted', text: `Signed in as ${session.user.email}.` }),
    notifications(),
    h('h2', { text: 'API tokens' }),
    h('p', { class: 'muted' }, 'Scripts and CI use a token with the header ', h('code', { text: 'Authorization: Bearer relsop_…' }), '.'),
    h('section', { class: 'card stack' }, h('h3', { text: 'New token' }), form, created),
    h('div', { class: 'table-wrap' }, h('table', { class: 'tokens' },
      h('thead', null, h('tr', null, ['Name', 'Created', 'Last used', ''].map((t) => h('th', { scope: 'col', text: t })))), list))));
  await refresh();
}

/**
 * notifications is the email setting: on or off, and each time or once a
 * day in one summary. Each control saves at once; the server says whether
 * it sends emails at all (relsop serve --smtp) and when summaries go out.
 */
function notifications() {
  const user = session.user;
  const box = h('input', { type: 'checkbox', id: 'email-notifications', checked: user.email_notifications !== false });
  const status = h('span', { class: 'muted', id: 'email-notifications-status', 'aria-live': 'polite' });
  const when = h('span', { id: 'digest-at', text: session.digest_at ? ` at ${session.digest_at}` : '' });
  const each = h('input', { type: 'radio', name: 'email-when', id: 'email-each', value: 'each', checked: !user.email_digest });
  const daily = h('input', { type: 'radio', name: 'email-when', id: 'email-daily', value: 'daily', checked: !!user.email_digest });
  const zone = zoneSelect(user.time_zone || '');
  const how = h('fieldset', { class: 'checks', id: 'email-when' },
    h('legend', { text: 'How often' }),
    h('label', { class: 'check' }, each, ' Each time, as it happens'),
    h('label', { class: 'check' }, daily, ' Once a day', when, ', in one summary of what waits for me and how the releases I started stand'),
    h('label', { class: 'field zone-field', for: 'digest-zone' }, 'Its time zone', zone));
  const saved = (res, what) => {
    session.user = res.user;
    const u = res.user;
    if (res.digest_at) when.textContent = ` at ${res.digest_at}`;
    how.disabled = !u.email_notifications;
    status.textContent = what === 'zone' ? `Saved: summaries in ${u.time_zone || 'the server’s time zone'}.`
      : !u.email_notifications ? 'Saved: emails off.'
        : u.email_digest ? 'Saved: one summary a day.' : 'Saved: emails on, each time.';
  };
  // save sends one choice; a refused one puts the controls back as saved.
  const save = async (body, what) => {
    const res = await guard(() => api.put('/api/me/notifications', body));
    if (res) { saved(res, what); return; }
    const u = session.user;
    box.checked = u.email_notifications !== false;
    each.checked = !u.email_digest;
    daily.checked = !!u.email_digest;
    zone.value = u.time_zone || '';
  };
  how.disabled = !box.checked;
  box.addEventListener('change', () => save({ email: box.checked }));
  for (const radio of [each, daily]) radio.addEventListener('change', () => save({ digest: daily.checked }));
  zone.addEventListener('change', () => save({ time_zone: zone.value }, 'zone'));
  const what = 'a gate waits for your sign-off, a gate is escalated to you or overdue, an SOP waits for your review, a comment mentions you, or a release you started fails, runs late or ends';
  return h('section', { class: 'card stack', id: 'notifications' },
    h('h2', { text: 'Notifications' }),
    h('label', { class: 'check' }, box, ` Email me at ${user.email} when ${what}.`),
    how,
    session.mail ? null : h('p', { class: 'muted', text: 'This server sends no emails yet (its administrator sets it up with relsop serve --smtp); your choice is kept for when it does.' }),
    status);
}

/**
 * zoneSelect offers every time zone the browser knows, the browser's own
 * first, after the server's (the default, ""), with current selected.
 */
function zoneSelect(current) {
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const names = [...new Set([mine, current, ...all].filter(Boolean))];
  const serverZone = session.server_zone ? ` (${session.server_zone})` : '';
  return h('select', { id: 'digest-zone' },
    h('option', { value: '', text: `The server’s${serverZone}`, selected: current === '' }),
    names.map((n) => h('option', { value: n, text: n === mine ? `${n} (this browser’s)` : n, selected: n === current })));
}

export async function acceptInvite(main, token) {
  const button = h('button', { type: 'button', class: 'btn btn-primary', id: 'accept-invite', text: 'Join the workspace' });
  button.addEventListener('click', () => guard(async () => {
    const ws = await api.post(`/api/invites/${encodeURIComponent(token)}/accept`);
    await load();
    setWorkspace(ws.id);
    announce(`You joined ${ws.name} as ${ws.role}.`);
    go('#/');
  }));
  replace(main, h('section', { class: 'page narrow card stack' },
    h('h1', { text: 'You are invited' }),
    h('p', { text: `Signed in as ${session.user.email}. Accept to join the workspace.` }), h('div', { class: 'actions' }, button)));
}
