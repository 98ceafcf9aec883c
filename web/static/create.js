// create.js: the "New SOP" dialog: from a template, from a brief, or from a
// file (a pipeline, a BPMN diagram or SOP YAML).
import * as api from './api.js';
import { h, replace, field, select, readFile } from './dom.js';
import { go } from './session.js';
import { dialog, showError, announce } from './ui.js';

export function newSopDialog(workspaceId) {
  return dialog('New SOP', (close) => {
    const panes = {
      template: templatePane(workspaceId, close),
      generate: generatePane(workspaceId, close),
      import: importPane(workspaceId, close),
    };
    const body = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'new-sop-panel' });
    const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'How to start' });
    const show = (name) => {
      for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.tab === name));
      replace(body, panes[name]);
    };
    for (const [name, label] of [['template', 'From a template'], ['generate', 'Generate from a brief'], ['import', 'Import a file']]) {
      tabs.append(h('button', { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'new-sop-panel', dataset: { tab: name }, text: label, onclick: () => show(name) }));
    }
    show('template');
    return h('div', { class: 'new-sop' }, tabs, body);
  });
}

function opened(close, doc, message) {
  close(doc);
  announce(message);
  go(`#/sops/${doc.id}`);
}

function templatePane(workspaceId, close) {
  const gallery = h('ul', { class: 'gallery', id: 'template-gallery', 'aria-busy': 'true' });
  api.get('/api/templates').then((res) => {
    gallery.setAttribute('aria-busy', 'false');
    replace(gallery, (res.templates || []).map((t) => h('li', null,
      h('button', { type: 'button', class: 'template', dataset: { template: t.name },
        onclick: async (e) => {
          e.currentTarget.disabled = true;
          try {
            const res = await api.post('/api/sops', { workspace_id: workspaceId, template: t.name });
            opened(close, res.document, `Created “${res.document.title}” from the template.`);
          } catch (err) { showError(err); e.target.disabled = false; }
        } },
      h('img', { src: `/api/templates/${encodeURIComponent(t.name)}/thumbnail.svg`, alt: '', loading: 'lazy' }),
      h('span', { class: 'template-title', text: t.title || t.name }),
      t.profile ? h('span', { class: 'badge', text: t.profile }) : null,
      h('span', { class: 'template-desc', text: t.description || '' })))));
  }).catch(showError);
  return h('div', null, h('p', { class: 'muted', text: 'Start from a complete, checked SOP and adapt it.' }), gallery);
}

function generatePane(workspaceId, close) {
  const brief = h('textarea', { rows: '5', required: true, id: 'gen-brief',
    placeholder: 'Weekly SaaS release, security approves auth changes, canary then full rollout' });
  const files = {
    raci: h('input', { type: 'file', accept: '.csv,text/csv' }),
    calendar: h('input', { type: 'file', accept: '.ics,text/calendar' }),
    checklist: h('input', { type: 'file', accept: '.md,.markdown,text/markdown,text/plain' }),
    policy: h('input', { type: 'file', accept: '.txt,.md,text/plain' }),
  };
  const profile = select([['', 'Default'], ['regulated', 'Regulated']], '');
  const types = h('input', { type: 'text', placeholder: 'major, minor, emergency' });
  const explanation = h('div', { class: 'explanation' });
  const form = h('form', { class: 'stack' },
    field('Brief', brief, 'In plain language: cadence, who approves what, how it rolls out.'),
    h('fieldset', { class: 'grid2' }, h('legend', { text: 'Optional inputs your team already has' }),
      field('RACI matrix (CSV)', files.raci), field('Release calendar (ICS)', files.calendar),
      field('QA checklist (Markdown)', files.checklist), field('Policy text', files.policy)),
    h('div', { class: 'grid2' }, field('Release types', types, 'Comma-separated; optional.'), field('Lint profile', profile)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Generate' })),
    explanation);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = form.querySelector('[type=submit]');
    button.disabled = true;
    try {
      const body = { workspace_id: workspaceId, brief: brief.value };
      for (const [k, input] of Object.entries(files)) {
        if (input.files[0]) body[k] = await readFile(input.files[0]);
      }
      const list = types.value.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length) body.types = list;
      if (profile.value) body.profile = profile.value;
      const res = await api.post('/api/sops/generate', body);
      opened(close, res.document, 'Generated the SOP.');
    } catch (err) {
      showError(err);
      button.disabled = false;
    }
  });
  return form;
}

function importPane(workspaceId, close) {
  const file = h('input', { type: 'file', required: true, accept: '.yaml,.yml,.bpmn,.xml' });
  const from = select([['', 'Detect from the file'], ['github-actions', 'GitHub Actions workflow'], ['gitlab-ci', 'GitLab CI file'], ['bpmn', 'BPMN 2.0'], ['yaml', 'relsop SOP YAML']], '');
  const notes = h('div', { class: 'notes' });
  const form = h('form', { class: 'stack' },
    field('File', file, 'A GitHub Actions workflow, a .gitlab-ci.yml, a BPMN diagram or a *.sop.yaml.'),
    field('Format', from),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Import' })),
    notes);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const button = form.querySelector('[type=submit]');
    button.disabled = true;
    try {
      const content = await readFile(f);
      const res = await api.post('/api/sops/import', { workspace_id: workspaceId, filename: f.name, content, from: from.value || undefined });
      const extra = [...(res.warnings || []), ...(res.assumptions || [])].length;
      opened(close, res.document, `Imported ${f.name}${extra ? ` with ${extra} notes` : ''}.`);
    } catch (err) {
      showError(err);
      button.disabled = false;
    }
  });
  return form;
}
