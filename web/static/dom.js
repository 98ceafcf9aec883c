// dom.js: building elements safely. User text only ever becomes a text node
// or an attribute value; nothing here parses HTML.

/**
 * h creates an element. props: class, text, on<event> handlers, booleans as
 * properties (disabled, checked, hidden), value as a property, anything else
 * as an attribute. children: nodes, strings (as text), arrays, null.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (typeof v === 'boolean' || k === 'value') el[k] = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** replace empties el and fills it with children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** field is a labelled form control: label text, then the control. */
let fieldSeq = 0;
export function field(labelText, control, hint) {
  if (!control.id) control.id = `f${++fieldSeq}`;
  const hintEl = hint ? h('small', { class: 'hint', id: `${control.id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id, text: labelText }), control, hintEl);
}

export function select(options, value, props = {}) {
  const el = h('select', props);
  for (const o of options) {
    const [v, label] = Array.isArray(o) ? o : [o, o];
    el.append(h('option', { value: v, text: label }));
  }
  el.value = value ?? '';
  return el;
}

/** relTime formats an RFC 3339 time as "3 min ago", with the full time as a title. */
export function time(iso) {
  if (!iso) return h('span', { text: '—' });
  const d = new Date(iso);
  const secs = Math.round((Date.now() - d.getTime()) / 1000);
  const ago = Math.abs(secs);
  // A time to come (a gate's escalation) reads "in 2 h"; a past one "2 h ago".
  const rel = (n, unit) => (secs < 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`);
  let label;
  if (ago < 60) label = secs < 0 ? 'in a minute' : 'just now';
  else if (ago < 3600) label = rel(Math.floor(ago / 60), 'min');
  else if (ago < 86400) label = rel(Math.floor(ago / 3600), 'h');
  else label = d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return h('time', { datetime: iso, title: d.toLocaleString(), text: label });
}

export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind || text}`, text });
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/** readFile reads a File chosen in an <input type=file> as text. */
export function readFile(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new Error(`Cannot read ${file.name}.`));
    r.readAsText(file);
  });
}

/** isTyping tells whether keyboard focus is in a text control. */
export function isTyping(target) {
  const t = target || document.activeElement;
  if (!t) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** today is the local date as YYYY-MM-DD. */
export function today() { return dateIn(0); }

/** dateIn is the local date days from today as YYYY-MM-DD: such strings compare as the dates do. */
export function dateIn(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
