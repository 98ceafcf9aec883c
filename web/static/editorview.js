// editorview.js: drawing the SOP editor from its state: the head (title,
// status, revision, who is here, a review suggested or due), the diagram
// or why it cannot be drawn, the Inspect panel (keeping what the user
// typed there) and the Lint panel.
import * as api from './api.js';
import { h, replace, badge, time, today } from './dom.js';
import { findingText } from './ui.js';
import { drawInspector } from './inspector.js';
import { lintBadge } from './library.js';
import { markPending } from './pending.js';
import { reviewComing } from './scheduled.js';

// FIX_FIELDS are, per lint rule, the side panel's field that fixes its
// findings: clicking a finding selects what it is about and puts the
// cursor there.
const FIX_FIELDS = {
  'step-owner': '#step-owner',
  'gate-approver': '#gate-approvers input',
  'gate-criteria': '#gate-criteria',
  'gate-escalation': '#escalation-role',
  'prod-after-validation': '#exception-reason',
  'prod-rollback': '#step-on-failure',
  'verb-first': '#step-name',
  'unique-names': '#step-name',
  'consistent-casing': '#step-name',
  'review-freshness': '#review-last-reviewed',
};

/**
 * createView returns {redraw, drawHead, recordReview, revisionLabel, drawSide,
 * loadDiagram, drawLint} for ctx, the editor's shared parts (editor.js).
 */
export function createView(ctx) {
  const { ed, head, diagram, diagramMsg, inspectPanel, lintPanel, liveState, presence, yaml, ai, comments, tabs } = ctx;

  async function redraw({ fit = false, yamlForce = false } = {}) {
    drawHead();
    ctx.drawToolbar();
    await loadDiagram(fit);
    drawSide();
    drawLint();
    if (yamlForce) yaml.setSource(ed.doc.source, true);
    else yaml.update(ed.doc.source);
    ai.setEnabled(ed.canEdit);
    comments.refresh();
  }

  function drawHead() {
    const d = ed.doc;
    const title = (ed.model && ed.model.title) || d.title;
    document.title = `${title} — relsop`;
    replace(head,
      h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Library' }), ' / '),
      h('h1', { id: 'sop-heading', text: title || '(untitled)' }),
      h('div', { class: 'meta' },
        badge(d.status, `status-${d.status}`), lintBadge(d.lint),
        d.archived ? badge('archived', 'archived') : null,
        h('span', { id: 'revision', text: `revision ${d.revision}` }),
        ed.canEdit ? null : badge('view only', 'role'),
        h('a', { href: `#/sops/${ed.id}/history`, id: 'history-link', text: 'History' }),
        d.status === 'in-review' ? h('a', { href: `#/sops/${ed.id}/review`, id: 'review-link', text: 'Review the changes' }) : null,
        liveState, presence.element),
      suggestion() || scheduledReview());
  }

  /**
   * recordReview sets the SOP's last review to today, as both review
   * notices and the SOP panel offer: one review settles a release's
   * suggestion and the scheduled review alike. The SOP, changed, is a
   * draft again.
   */
  async function recordReview() {
    const op = { op: 'set', kind: 'sop', field: 'review.last_reviewed', value: today() };
    if (!await ed.applyOps([op], 'Marked the SOP as reviewed today.')) return;
    ed.suggestion = null;
    ed.reviewRecorded = true; // the document read back may not say so until the edit becomes a revision
    drawHead();
  }

  function reviewButton(id) {
    return ed.canEdit ? [' ', h('button', { type: 'button', class: 'btn btn-small', id, text: 'Mark reviewed today', onclick: recordReview })] : null;
  }

  /**
   * suggestion asks for a review of the SOP when a release that ended
   * after its last approval or review has lessons (GET
   * /api/sops/{id}/releases: review_suggested; editor.js fetches it).
   */
  function suggestion() {
    const sg = ed.suggestion;
    if (!sg) return null;
    const rel = sg.release;
    // Once what the release taught is changed (or found to need no
    // change), one click records the review and settles the suggestion.
    return h('p', { class: 'notice', id: 'review-suggested', role: 'note' },
      h('strong', { text: 'Review suggested. ' }),
      `Release ${rel.name} ended `, time(sg.ended), `, after this SOP was last approved or reviewed: ${sg.lessons.join('; ')}. `,
      ed.canEdit ? 'Change what it taught, then record the review or submit the SOP for review again. ' : '',
      h('a', { href: `#/sops/${ed.id}/releases/${rel.id}`, text: `Open release ${rel.name}` }),
      reviewButton('suggested-reviewed'));
  }

  /**
   * scheduledReview says that the approved SOP's scheduled review (its
   * cadence after its last review; the document's review_due) falls due
   * within a week or is past, as the inbox of whoever keeps it does.
   */
  function scheduledReview() {
    const r = !ed.reviewRecorded && reviewComing(ed.doc);
    if (!r) return null;
    const review = (ed.model && ed.model.review) || {};
    return h('p', { class: 'notice', id: 'review-due', role: 'note' },
      h('strong', { text: 'Scheduled review due.' }),
      ` Its review ${r.overdue ? 'was due' : 'falls due'} on ${r.due}`,
      review.cadence ? `: it is reviewed ${cadenceText(review.cadence)}` : '',
      review.last_reviewed ? `, last on ${review.last_reviewed}` : '', '. ',
      ed.canEdit ? 'Check that it still says how releases are run, then record the review (the SOP then needs approving again).' : '',
      reviewButton('due-reviewed'));
  }

  // cadenceText reads a cadence in a sentence: "quarterly", "every 90d".
  function cadenceText(cadence) { return /^\d/.test(cadence) ? `every ${cadence}` : cadence; }

  function revisionLabel() {
    const el = head.querySelector('#revision');
    if (el) el.textContent = `revision ${ed.doc.revision}`;
  }

  /** drawSide draws the side panel again, keeping what the user typed there and not yet applied. */
  function drawSide() {
    const key = ed.sel ? `${ed.sel.kind}:${ed.sel.id}` : '';
    const kept = inspectPanel.dataset.sel === key ? [...inspectPanel.querySelectorAll('[data-edited]')].map((el) => ({
      key: el.id || `${el.type}:${el.value}`, value: el.value, checked: el.checked, focus: el === document.activeElement,
      start: el.selectionStart, end: el.selectionEnd })) : [];
    drawInspector(inspectPanel, ed);
    inspectPanel.dataset.sel = key;
    for (const k of kept) {
      const el = [...inspectPanel.querySelectorAll('input, textarea, select')].find((x) => (x.id || `${x.type}:${x.value}`) === k.key);
      if (!el) continue;
      if (el.type === 'checkbox') el.checked = k.checked; else el.value = k.value;
      el.dataset.edited = '1';
      if (k.focus) { el.focus(); try { el.setSelectionRange(k.start, k.end); } catch (e) { /* not a text field */ } }
    }
  }

  async function loadDiagram(fit) {
    const src = `/api/sops/${ed.id}/diagram.svg${api.query({ type: ed.type })}`;
    try {
      await diagram.load(src, { keepView: !fit, view: `sop-${ed.id}` });
      markPending(ed, diagram);
      presence.draw();
      diagramMsg.hidden = true;
      diagram.element.hidden = false;
    } catch (err) {
      diagram.element.hidden = true;
      replace(diagramMsg, h('p', { text: `The diagram cannot be drawn: ${err.message}` }),
        (err.findings || []).length ? h('ul', null, err.findings.map((f) => h('li', { text: findingText(f) }))) : null,
        h('p', { class: 'muted', text: 'Fix the problems in the YAML tab.' }));
      diagramMsg.hidden = false;
    }
  }

  function drawLint() {
    const list = ed.doc.findings || [];
    tabs.label('lint', list.length ? `Lint (${list.length})` : 'Lint');
    if (!list.length) { replace(lintPanel, h('p', { class: 'ok', text: 'No findings: this SOP follows the checked practice.' })); return; }
    replace(lintPanel, h('ul', { class: 'findings', id: 'lint-findings' }, list.map((f) => {
      const target = f.element ? elementOf(f.element) : null;
      const sopField = !f.element && FIX_FIELDS[f.code];
      return h('li', { class: `sev-${f.severity}` },
        h('button', { type: 'button', class: 'linklike', text: findingText(f),
          onclick: () => {
            if (target || sopField) {
              ctx.selectElement(target);
              tabs.show('inspect');
              focusFix(f.code);
            } else if (f.line) { tabs.show('yaml'); yaml.goTo(f.line, f.col); }
          } }),
        f.hint ? h('small', { class: 'hint', text: f.hint }) : null);
    })));
  }

  /** focusFix puts the cursor in the side panel's field that fixes a finding of rule code, if it has one. */
  function focusFix(code) {
    const el = FIX_FIELDS[code] && inspectPanel.querySelector(FIX_FIELDS[code]);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus();
  }

  function elementOf(id) {
    const m = ed.model || {};
    if ((m.steps || []).some((s) => s.id === id)) return { kind: 'step', id };
    if ((m.roles || []).some((s) => s.id === id)) return { kind: 'role', id };
    if ((m.phases || []).some((s) => s.id === id)) return { kind: 'phase', id };
    return null;
  }

  return { redraw, drawHead, recordReview, revisionLabel, drawSide, loadDiagram, drawLint };
}
