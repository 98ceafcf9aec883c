// webhooks.js: a workspace's webhooks, on the Members page for owners:
// addresses its release events are posted to (a chat channel, another
// tool), with how the last delivery went, a test, and the secret shown
// once when one is added (docs/webhooks.md).
import * as api from './api.js';
import { h, replace, field, time } from './dom.js';
import { guard, announce, confirm } from './ui.js';

// EVENT_LABELS words the events the server lists (GET .../webhooks
// answers with them); one it adds later shows by its name.
const EVENT_LABELS = {
  'release.started': 'A release starts',
  'gate.waiting': 'A gate waits for sign-offs',
  'gate.decided': 'A gate is decided',
  'gate.escalated': 'A gate is escalated',
  'gate.overdue': 'A gate waits past its escalation time',
  'step.late': 'A step runs past its SLA',
  'step.failed': 'A step fails',
  'release.finished': 'A release finishes',
  'release.aborted': 'A release is aborted',
  'sop.submitted': 'An SOP is submitted for review',
  'sop.approved': 'An SOP is approved',
  'sop.returned': 'An SOP is sent back to draft',
  'sop.review_due': 'An SOP’s scheduled review comes within a week',
};

/** webhooksSection returns the section and fills it. */
export function webhooksSection(ws) {
  const list = h('div', { id: 'webhook-list', 'aria-live': 'polite' });
  const created = h('div', { id: 'webhook-created', 'aria-live': 'polite' });
  const url = h('input', { type: 'url', id: 'webhook-url', required: true, maxlength: '2000', placeholder: 'https://hooks.slack.com/services/…', class: 'code' });
  let allEvents = []; // the events the server has, from its list
  const eventBoxes = h('fieldset', { class: 'checks events' }, h('legend', { text: 'Events' }));
  const checked = () => [...eventBoxes.querySelectorAll('input:checked')].map((b) => b.value);
  const form = h('form', { class: 'stack', id: 'webhook-form' },
    field('Address to post to', url, 'Slack, Mattermost and Google Chat read the “text” of each event; other tools read the whole JSON.'),
    eventBoxes,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'webhook-add', text: 'Add webhook' })));

  const refresh = async () => {
    const res = await guard(() => api.get(`/api/workspaces/${ws.id}/webhooks`));
    if (!res) return;
    if (!allEvents.length) {
      allEvents = res.events;
      eventBoxes.append(...allEvents.map((ev) => {
        const box = h('input', { type: 'checkbox', id: `webhook-event-${ev.replace('.', '-')}`, value: ev, checked: true });
        return h('div', { class: 'field-check' }, box, h('label', { for: box.id, text: EVENT_LABELS[ev] || ev }));
      }));
    }
    if (!res.webhooks.length) { replace(list, h('p', { class: 'muted', text: 'No webhooks yet.' })); return; }
    replace(list, h('ul', { class: 'cards' }, res.webhooks.map((wh) => card(wh))));
  };

  const card = (wh) => h('li', { class: 'card webhook', dataset: { id: String(wh.id) } },
    h('div', { class: 'code webhook-url', text: wh.url }),
    h('div', { class: 'muted' }, allEvents.every((ev) => wh.events.includes(ev)) ? 'Every event' : wh.events.join(', ')),
    h('div', { class: 'webhook-last', dataset: { status: String(wh.last_status) } }, lastDelivery(wh)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn btn-small', text: 'Send a test', 'aria-label': `Send a test to ${wh.url}`,
        onclick: () => guard(async () => {
          const res = await api.post(`/api/workspaces/${ws.id}/webhooks/${wh.id}/ping`, {});
          announce(res.webhook.last_error ? `The test was not delivered: ${res.webhook.last_error}` : 'The test was delivered.');
          await refresh();
        }) }),
      h('button', { type: 'button', class: 'btn btn-small btn-danger', text: 'Remove', 'aria-label': `Remove the webhook ${wh.url}`,
        onclick: async () => {
          if (!await confirm(`Stop posting release events to ${wh.url}?`, 'Remove')) return;
          await guard(() => api.del(`/api/workspaces/${ws.id}/webhooks/${wh.id}`));
          announce('Removed the webhook.');
          await refresh();
        } })));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const events = checked();
    if (!events.length) { announce('Choose at least one event.'); return; }
    guard(async () => {
      const res = await api.post(`/api/workspaces/${ws.id}/webhooks`, { url: url.value.trim(), events });
      url.value = '';
      const secret = h('input', { type: 'text', readonly: true, value: res.webhook.secret, id: 'webhook-secret', class: 'code' });
      replace(created, field('Signing secret (shown this once)', secret,
        'The receiver checks X-Relsop-Signature-256, the HMAC-SHA256 of the body with this secret.'),
      h('button', { type: 'button', class: 'btn', text: 'Copy', onclick: async () => {
        secret.select();
        try { await navigator.clipboard.writeText(secret.value); announce('Copied the secret.'); } catch (err) { announce('Select the secret and copy it.'); }
      } }));
      announce('Added the webhook.');
      await refresh();
    });
  });

  refresh();
  return h('section', { class: 'card stack', id: 'webhooks' },
    h('h2', { text: 'Webhooks' }),
    h('p', { class: 'muted', text: 'Post this workspace’s release events to a chat channel or another tool: a gate waiting for its sign-offs, a failed step, a release finished.' }),
    list, form, created);
}

function lastDelivery(wh) {
  if (!wh.last_at) return 'Not delivered yet.';
  if (!wh.last_error) return ['Last delivered ', time(wh.last_at), ` (${wh.last_status}).`];
  return [h('strong', { class: 'webhook-failed', text: 'Last delivery failed' }), ' ', time(wh.last_at), `: ${wh.last_error}`];
}
