// library.js: the SOPs of the current workspace, with search and filters,
// and the ways to make a new one.
import * as api from './api.js';
import { h, replace, field, select, time, badge, debounce } from './dom.js';
import { workspace, go } from './session.js';
import { guard, announce, prompt } from './ui.js';
import { newSopDialog } from './create.js';
import { drawInbox } from './inbox.js';
import { reviewBadge } from './scheduled.js';

export const STATUSES = [['', 'Any status'], ['draft', 'Draft'], ['in-review', 'In review'], ['approved', 'Approved'], ['retired', 'Retired']];
const LINTS = [['', 'Any lint state'], ['clean', 'Clean'], ['warnings', 'Warnings'], ['errors', 'Errors']];

export async function library(main) {
  const ws = workspace();
  if (!ws) {
    replace(main, h('section', { class: 'page narrow' }, h('h1', { text: 'No workspace' }),
      h('p', { text: 'You are not a member of any workspace yet. Ask an owner for an invite link.' })));
    return;
  }
  const canEdit = ws.role !== 'viewer';
  const filters = { q: '', status: '', owner: '', type: '', lint: '', archived: '' };
  const list = h('div', { class: 'sop-list', id: 'sop-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const waiting = h('section', { class: 'inbox', id: 'inbox', 'aria-label': 'Waiting for you', hidden: true });
  const running = h('section', { class: 'running', id: 'running-releases', 'aria-label': 'Releases in progress', hidden: true });

  const refresh = async () => {
    list.setAttribute('aria-busy', 'true');
    const res = await guard(() => api.get(`/api/sops${api.query({ workspace: ws.id, ...filters })}`));
    list.setAttribute('aria-busy', 'false');
    if (res) drawList(list, res.sops || [], canEdit, refresh);
  };
  const later = debounce(refresh, 250);
  const bind = (el, key, lazy) => { el.addEventListener(lazy ? 'input' : 'change', () => { filters[key] = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim(); (lazy ? later : refresh)(); }); return el; };

  const search = bind(h('input', { type: 'search', id: 'sop-search', placeholder: 'Title, role, step…' }), 'q', true);
  const filterBar = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    field('Search', search),
    field('Status', bind(select(STATUSES, ''), 'status')),
    field('Owner role', bind(h('input', { type: 'text', placeholder: 'release-manager' }), 'owner', true)),
    field('Release type', bind(h('input', { type: 'text', placeholder: 'emergency' }), 'type', true)),
    field('Lint', bind(select(LINTS, ''), 'lint')),
    h('div', { class: 'field field-check' }, bind(h('input', { type: 'checkbox', id: 'show-archived' }), 'archived'),
      h('label', { for: 'show-archived', text: 'Archived' })));

  replace(main, h('section', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', null, 'SOPs ', h('span', { class: 'muted', text: `in ${ws.name}` })),
      canEdit ? h('button', { type: 'button', class: 'btn btn-primary', id: 'new-sop', text: 'New SOP',
        onclick: () => newSopDialog(ws.id) }) : badge('viewer', 'role')),
    waiting, running, filterBar, list));
  await Promise.all([refresh(), drawInbox(waiting, ws.id), drawRunning(running, ws.id)]);
}

function drawList(list, sops, canEdit, refresh) {
  if (!sops.length) {
    replace(list, h('p', { class: 'empty', text: 'No SOPs match. Make one with “New SOP”, or change the filters.' }));
    return;
  }
  replace(list, h('ul', { class: 'cards' }, sops.map((d) => h('li', { class: 'card sop-card', dataset: { id: String(d.id) } },
    h('div', { class: 'sop-card-main' },
      h('a', { class: 'sop-title', href: `#/sops/${d.id}`, text: d.title || '(untitled)' }),
      h('div', { class: 'meta' },
        badge(d.status || 'draft', `status-${d.status || 'draft'}`),
        lintBadge(d.lint),
        reviewBadge(d),
        d.archived ? badge('archived', 'archived') : null,
        d.owner ? h('span', { title: 'Owner role', text: d.owner }) : null,
        (d.release_types || []).length ? h('span', { title: 'Release types', text: d.release_types.join(', ') }) : null,
        h('span', null, 'updated ', time(d.updated_at)))),
    canEdit ? h('div', { class: 'sop-card-actions' },
      h('button', { type: 'button', class: 'btn btn-small', text: 'Duplicate', 'aria-label': `Duplicate ${d.title}`,
        onclick: () => duplicate(d) }),
      h('button', { type: 'button', class: 'btn btn-small', text: d.archived ? 'Unarchive' : 'Archive',
        'aria-label': `${d.archived ? 'Unarchive' : 'Archive'} ${d.title}`,
        onclick: () => archive(d, refresh) })) : null))));
}

export function lintBadge(lint) {
  if (!lint) return null;
  const label = { clean: 'lint clean', warnings: 'lint warnings', errors: 'lint errors' }[lint] || lint;
  return badge(label, `lint-${lint}`);
}

/** duplicate copies an SOP, or adds a release type to it (a variant). */
export async function duplicate(d) {
  const kind = await prompt('Duplicate', 'Leave empty for a copy, or name a release type to add a variant of this SOP (e.g. emergency)', '');
  if (kind === null) return;
  await guard(async () => {
    if (kind === '') {
      const res = await api.post(`/api/sops/${d.id}/duplicate`, { as: 'copy' });
      announce('Copied.');
      go(`#/sops/${res.document.id}`);
    } else {
      const full = await api.get(`/api/sops/${d.id}`);
      await api.post(`/api/sops/${d.id}/duplicate`, { as: 'variant', release_type: kind, base_revision: full.document.revision });
      announce(`Added the release type ${kind}.`);
      go(`#/sops/${d.id}`);
    }
  });
}

export async function archive(d, refresh) {
  await guard(async () => {
    await api.post(`/api/sops/${d.id}/archive`, { archived: !d.archived });
    announce(d.archived ? 'Unarchived.' : 'Archived.');
    await refresh();
  });
}


// drawRunning lists the workspace's releases in progress, each a link to
// the release in its SOP's Releases tab; hidden when none runs.
async function drawRunning(el, wsId) {
  const res = await api.get(`/api/workspaces/${wsId}/releases?state=in-progress`).catch(() => null);
  const rels = (res && res.releases) || [];
  el.hidden = !rels.length;
  if (!rels.length) return;
  replace(el, h('h2', { text: 'Releases in progress' }),
    h('ul', { class: 'cards' }, rels.map((r) => h('li', { class: 'card' },
      h('a', { href: `#/sops/${r.sop_id}/releases/${r.id}`, dataset: { release: String(r.id) } },
        h('strong', { text: `Release ${r.name}` }), ` of ${r.sop_title}`),
      r.rehearsal ? [' ', badge('rehearsal', 'rehearsal')] : null,
      h('div', { class: 'muted' }, `${r.records} records · started by ${r.creator_name} · last record `, time(r.updated_at))))));
}
