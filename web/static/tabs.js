// tabs.js: an accessible tab list (arrow keys move between tabs).
import { h } from './dom.js';

let seq = 0;

/**
 * createTabs takes [{id, label, panel, onShow, onHide}] and returns
 * {element, show, label}. onShow, when given, is called each time its tab
 * is shown, for a panel that draws what is current only when it is looked
 * at; onHide each time another tab is shown instead.
 */
export function createTabs(items, label) {
  const n = ++seq;
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
  const panels = h('div', { class: 'tab-panels' });
  const buttons = new Map();
  let current = '';
  for (const it of items) {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${n}-${it.id}`, 'aria-controls': `panel-${n}-${it.id}`,
      'aria-selected': 'false', tabindex: '-1', dataset: { tab: it.id }, text: it.label, onclick: () => show(it.id) });
    buttons.set(it.id, b);
    list.append(b);
    panels.append(h('div', { role: 'tabpanel', id: `panel-${n}-${it.id}`, 'aria-labelledby': b.id, hidden: true, class: 'tab-panel' }, it.panel));
  }
  list.addEventListener('keydown', (e) => {
    const ids = items.map((i) => i.id);
    const i = ids.indexOf(current);
    let next = null;
    if (e.key === 'ArrowRight') next = ids[(i + 1) % ids.length];
    if (e.key === 'ArrowLeft') next = ids[(i - 1 + ids.length) % ids.length];
    if (next) { e.preventDefault(); show(next); buttons.get(next).focus(); }
  });
  function show(id) {
    const changed = current !== id;
    const before = items.find((i) => i.id === current);
    current = id;
    for (const [k, b] of buttons) {
      b.setAttribute('aria-selected', String(k === id));
      b.tabIndex = k === id ? 0 : -1;
      panels.querySelector(`#${b.getAttribute('aria-controls')}`).hidden = k !== id;
    }
    const item = items.find((i) => i.id === id);
    if (changed && before && before.onHide) before.onHide();
    if (changed && item.onShow) item.onShow();
  }
  show(items[0].id);
  return {
    element: h('div', { class: 'tabbed' }, list, panels),
    show,
    get current() { return current; },
    label(id, text) { buttons.get(id).textContent = text; },
  };
}
