// diagram.js: a swimlane diagram from the server, with pan, zoom and
// selection. The SVG is parsed as image/svg+xml and only its <svg> element
// is imported into the page; scripts, foreign objects and event attributes
// are dropped on the way in, although the server never writes them.
import * as api from './api.js';
import { h } from './dom.js';

const SELECTABLE = 'g.node[data-id], g.lane[data-id], g.phase[data-id]';
const MIN = 0.1, MAX = 4;

/** parseSVG turns SVG text into an <svg> element owned by this document. */
export function parseSVG(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length || root.localName !== 'svg') {
    throw new Error('The server sent a diagram that is not valid SVG.');
  }
  for (const bad of root.querySelectorAll('script, foreignObject, iframe')) bad.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) {
      if (/^on/i.test(a.name) || (/href$/i.test(a.name) && /^\s*javascript:/i.test(a.value))) el.removeAttribute(a.name);
    }
  }
  return document.importNode(root, true);
}

export function kindOf(g) {
  if (g.classList.contains('node')) return 'step';
  if (g.classList.contains('lane')) return 'role';
  return 'phase';
}

/**
 * createDiagram makes a pannable, zoomable view. onSelect(sel) is called
 * with {kind: 'step'|'role'|'phase', id} or null.
 */
export function createDiagram({ onSelect = () => {}, label = 'Diagram' } = {}) {
  const stage = h('div', { class: 'diagram-stage' });
  const viewport = h('div', { class: 'diagram-viewport', tabindex: '0', role: 'region',
    'aria-label': `${label}. Drag to pan, use the mouse wheel or + and - to zoom, 0 to fit.` }, stage);
  let svg = null, scale = 1, tx = 0, ty = 0, size = { w: 800, h: 600 }, selected = null, url = '';

  const apply = () => { stage.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`; };
  const zoomAt = (factor, cx, cy) => {
    const next = Math.min(MAX, Math.max(MIN, scale * factor));
    if (cx === undefined) { cx = viewport.clientWidth / 2; cy = viewport.clientHeight / 2; }
    tx = cx - (cx - tx) * (next / scale);
    ty = cy - (cy - ty) * (next / scale);
    scale = next;
    apply();
  };
  const fit = () => {
    const vw = viewport.clientWidth || 800, vh = viewport.clientHeight || 600;
    scale = Math.min(MAX, Math.max(MIN, Math.min((vw - 16) / size.w, (vh - 16) / size.h)));
    tx = (vw - size.w * scale) / 2;
    ty = Math.max(8, (vh - size.h * scale) / 2);
    apply();
  };

  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  let drag = null;
  viewport.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, tx, ty, moved: false, target: e.target, id: e.pointerId };
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { drag.moved = true; viewport.setPointerCapture(drag.id); viewport.classList.add('panning'); }
    tx = drag.tx + dx; ty = drag.ty + dy;
    apply();
  });
  const end = () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    viewport.classList.remove('panning');
    if (!d.moved) pick(d.target);
  };
  viewport.addEventListener('pointerup', end);
  viewport.addEventListener('pointercancel', () => { drag = null; viewport.classList.remove('panning'); });
  viewport.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches && e.target.matches(SELECTABLE)) {
      e.preventDefault();
      pick(e.target);
    }
  });

  function pick(target) {
    const g = target && target.closest ? target.closest(SELECTABLE) : null;
    const sel = g ? { kind: kindOf(g), id: g.dataset.id } : null;
    onSelect(sel);
  }

  function outline(g) {
    if (!svg) return;
    for (const old of svg.querySelectorAll('.sel-outline')) old.remove();
    for (const old of svg.querySelectorAll('.selected')) old.classList.remove('selected');
    if (!g) return;
    g.classList.add('selected');
    const b = g.getBBox();
    const pad = 4;
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    r.setAttribute('class', 'sel-outline');
    r.setAttribute('x', b.x - pad); r.setAttribute('y', b.y - pad);
    r.setAttribute('width', b.width + 2 * pad); r.setAttribute('height', b.height + 2 * pad);
    r.setAttribute('rx', '6');
    g.append(r);
  }

  function find(sel) {
    if (!svg || !sel) return null;
    const cls = { step: 'node', role: 'lane', phase: 'phase' }[sel.kind];
    return [...svg.querySelectorAll(`g.${cls}[data-id]`)].find((g) => g.dataset.id === sel.id) || null;
  }

  return {
    element: viewport,
    get svg() { return svg; },
    /** load fetches and shows a diagram; the view is kept across reloads of one SOP. */
    async load(src, { keepView = true } = {}) {
      const text = await api.text(src);
      const next = parseSVG(text);
      const vb = next.viewBox && next.viewBox.baseVal;
      const w = parseFloat(next.getAttribute('width')) || (vb && vb.width) || 800;
      const hh = parseFloat(next.getAttribute('height')) || (vb && vb.height) || 600;
      next.setAttribute('width', w); next.setAttribute('height', hh);
      next.setAttribute('role', 'img');
      for (const g of next.querySelectorAll(SELECTABLE)) {
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        if (!g.hasAttribute('aria-label')) g.setAttribute('aria-label', `${kindOf(g)}: ${g.textContent.replace(/\s+/g, ' ').trim()}`);
      }
      const first = !svg || !keepView;
      size = { w, h: hh };
      stage.replaceChildren(next);
      svg = next;
      url = src;
      if (first) fit();
      this.select(selected);
    },
    select(sel) {
      selected = sel;
      const g = find(sel);
      outline(g);
      return Boolean(g);
    },
    has(sel) { return Boolean(find(sel)); },
    zoomIn: () => zoomAt(1.25),
    zoomOut: () => zoomAt(0.8),
    fit,
    get url() { return url; },
  };
}
