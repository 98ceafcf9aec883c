// ui.js: the alert banner, the live status region and dialogs.
import { h, append, replace } from './dom.js';

/** announce tells screen readers (and the user) what just happened. */
export function announce(message) {
  const el = document.getElementById('status');
  el.textContent = '';
  // a new text node so that repeated messages are read again
  setTimeout(() => { el.textContent = message; }, 30);
  toast(message);
}

let toastTimer;
function toast(message) {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', class: 'toast', 'aria-hidden': 'true' });
    document.body.append(el);
  }
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 2500);
}

/** showError puts an error (an ApiError or any Error) in the alert banner. */
export function showError(err, action) {
  // Inside a modal dialog the page behind is inert: show the error there.
  const el = document.querySelector('dialog[open] .dialog-alert') || document.getElementById('alert');
  const msg = err && err.message ? err.message : String(err);
  const findings = (err && err.findings) || [];
  replace(el,
    h('p', { class: 'alert-text', text: msg }),
    findings.length ? h('ul', { class: 'alert-findings' },
      findings.slice(0, 8).map((f) => h('li', { text: findingText(f) }))) : null,
    action ? h('button', { type: 'button', class: 'btn', onclick: () => { clearError(); action.run(); }, text: action.label }) : null,
    h('button', { type: 'button', class: 'btn btn-quiet alert-close', 'aria-label': 'Dismiss the message', onclick: clearError, text: '×' }),
  );
  el.hidden = false;
  if (!(err && err.status)) console.error(err);
}

export function clearError() {
  for (const el of document.querySelectorAll('#alert, .dialog-alert')) {
    el.hidden = true;
    el.replaceChildren();
  }
}

export function findingText(f) {
  const pos = f.line ? `${f.line}:${f.col || 1}: ` : '';
  return `${pos}${f.severity || 'error'}: ${f.message}${f.code ? ` [${f.code}]` : ''}`;
}

/** guard runs an async action, showing its error instead of throwing. */
export async function guard(fn) {
  try {
    return await fn();
  } catch (err) {
    showError(err);
    return undefined;
  }
}

/**
 * dialog opens a modal <dialog> with a title and body; it resolves with the
 * value given to close() or null when dismissed.
 */
export function dialog(title, build) {
  return new Promise((resolve) => {
    const heading = h('h2', { id: `dlg-${Date.now()}`, text: title });
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': heading.id });
    let result = null;
    const close = (value) => { result = value ?? null; dlg.close(); };
    const body = h('div', { class: 'dialog-body' }, h('div', { class: 'alert dialog-alert', role: 'alert', hidden: true }));
    dlg.append(h('div', { class: 'dialog-head' }, heading,
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': 'Close', text: '×', onclick: () => close(null) })), body);
    append(body, [build(close)]);
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** confirm asks a yes/no question in a dialog. */
export function confirm(question, yes = 'OK') {
  return dialog('Please confirm', (close) => h('div', null,
    h('p', { text: question }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn btn-primary', text: yes, onclick: () => close(true) }),
      h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => close(false) })),
  )).then(Boolean);
}

/** prompt asks for one line of text. */
export function prompt(question, label, initial = '') {
  return dialog(question, (close) => {
    const input = h('input', { type: 'text', value: initial, required: true, id: 'prompt-input' });
    const form = h('form', { class: 'stack', onsubmit: (e) => { e.preventDefault(); close(input.value.trim()); } },
      h('label', { for: 'prompt-input', text: label }), input,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', text: 'OK' }),
        h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => close(null) })));
    setTimeout(() => input.focus(), 0);
    return form;
  });
}
