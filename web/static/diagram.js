// diagram.js: a swimlane diagram from the server, with pan, zoom and
// selection. The SVG is parsed as image/svg+xml and only its <svg> element
// is imported into the page; scripts, foreign objects and event attributes
// are dropped on the way in, although the server never writes them.
import * as api from './api.js';
import { h } from './dom.js';

const SELECTABLE = 'g.node[data-id], g.lane[data-id], g.phase[data-id]';
const MIN = 0.1, MAX = 4;
// READABLE is the smallest zoom of the first view: step text stays at least
// this share of its size. NATURAL is the largest: a small diagram is not
// blown up past its size.
const READABLE = 0.7, NATURAL = 1, PAD = 8;
const STORE = 'relsop.view.';

/** store and restore keep a diagram's zoom and position for this browser tab. */
function store(key, v) {
  try { sessionStorage.setItem(STORE + key, JSON.stringify(v)); } catch (e) { /* storage full or off */ }
}
function restore(key) {
  try {
    const v = JSON.parse(sessionStorage.getItem(STORE + key) || 'null');
    if (v && [v.scale, v.tx, v.ty].every(Number.isFinite) && v.scale >= MIN && v.scale <= MAX) return v;
  } catch (e) { /* unreadable: start afresh */ }
  return null;
}

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
 * with {kind: 'step'|'role'|'phase', id} or null. With drag, a step can
 * be dragged instead of panning the view: drag.can() says whether now,
 * drag.over(id, point) is called as it moves (point in diagram units) and
 * drag.drop(id, point) where it is let go; the step then goes back to its
 * place until the diagram is drawn again.
 */
// The states of a release's steps, as the diagram says and signs them.
const RUN_WORDS = { done: 'done', ready: 'ready now', waiting: 'waiting for a branch', failed: 'failed', skipped: 'skipped' };
const RUN_SIGNS = { done: '✓', ready: '●', waiting: '…', failed: '✗', skipped: '–' };

function svgEl(name, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

export function createDiagram({ onSelect = () => {}, onView = () => {}, label = 'Diagram', drag: dragStep = null } = {}) {
  const stage = h('div', { class: 'diagram-stage' });
  const viewport = h('div', { class: 'diagram-viewport', tabindex: '0', role: 'region',
    'aria-label': `${label}. Drag to pan, use the mouse wheel or + and - to zoom, 0 to fit all, 1 to fit the height.` }, stage);
  let svg = null, scale = 1, tx = 0, ty = 0, size = { w: 800, h: 600 }, selected = null, url = '';
  let viewKey = '', pending = false, saveTimer = 0;

  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const box = () => ({ w: viewport.clientWidth || 800, h: viewport.clientHeight || 600 });
  const apply = () => {
    stage.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
    viewport.dataset.scale = scale.toFixed(3);
    onView({ scale });
    if (viewKey) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => store(viewKey, { scale, tx, ty }), 200);
    }
  };
  const zoomAt = (factor, cx, cy) => {
    const next = clamp(scale * factor, MIN, MAX);
    if (cx === undefined) { cx = viewport.clientWidth / 2; cy = viewport.clientHeight / 2; }
    tx = cx - (cx - tx) * (next / scale);
    ty = cy - (cy - ty) * (next / scale);
    scale = next;
    apply();
  };
  /** fit shows the whole diagram, centred. */
  const fit = () => {
    const { w: vw, h: vh } = box();
    scale = clamp(Math.min((vw - 2 * PAD) / size.w, (vh - 2 * PAD) / size.h), MIN, MAX);
    tx = (vw - size.w * scale) / 2;
    ty = Math.max(PAD, (vh - size.h * scale) / 2);
    apply();
  };
  /** fitHeight makes the diagram as tall as the view, keeping what is in the middle of it. */
  const fitHeight = () => {
    const { w: vw, h: vh } = box();
    const mid = (vw / 2 - tx) / scale; // the diagram's x at the centre of the view
    scale = clamp((vh - 2 * PAD) / size.h, MIN, MAX);
    tx = edgeX(vw / 2 - mid * scale, vw);
    ty = Math.max(PAD, (vh - size.h * scale) / 2);
    apply();
  };
  /** edgeX keeps a diagram wider than the view from leaving empty space at its sides. */
  const edgeX = (x, vw) => (size.w * scale + 2 * PAD <= vw ? (vw - size.w * scale) / 2 : clamp(x, vw - size.w * scale - PAD, PAD));
  /**
   * readable is the first view of a diagram: all of it when its text stays
   * at READABLE of its size or more; else its lanes (with the phase
   * headers) as tall as the view, but never so small that text is below
   * READABLE, scrolled to the start of the flow.
   */
  const readable = () => {
    const { w: vw, h: vh } = box();
    const whole = Math.min((vw - 2 * PAD) / size.w, (vh - 2 * PAD) / size.h);
    if (whole >= READABLE) { // it all fits, readable: show it all, at most at its size
      scale = clamp(Math.min(whole, NATURAL), MIN, MAX);
      tx = (vw - size.w * scale) / 2;
      ty = Math.max(PAD, (vh - size.h * scale) / 2);
      apply();
      return;
    }
    const r = region();
    scale = clamp((vh - 2 * PAD) / r.h, READABLE, NATURAL);
    tx = edgeX(PAD, vw);
    // The whole height if it fits, else the lanes centred if they fit, else
    // the lanes from their top (the phase headers).
    if (size.h * scale + 2 * PAD <= vh) ty = (vh - size.h * scale) / 2;
    else {
      const top = r.h * scale + 2 * PAD <= vh ? (vh - r.h * scale) / 2 - r.y * scale : 1 - r.y * scale;
      ty = clamp(top, vh - size.h * scale - PAD, PAD);
    }
    apply();
  };
  /** region is the part of the diagram that matters for its height: the lanes and phase headers. */
  const region = () => {
    const grid = svg && svg.querySelector('g.grid');
    try {
      const b = grid && grid.getBBox();
      if (b && b.width > 0 && b.height > 0) return { y: b.y, h: b.height };
    } catch (e) { /* not rendered: use the whole diagram */ }
    return { y: 0, h: size.h };
  };
  /** initial restores the view this diagram had in this tab, or shows the readable one. */
  const initial = () => {
    if (!viewport.clientWidth) { pending = true; return; }
    pending = false;
    const saved = viewKey && restore(viewKey);
    if (saved) { ({ scale, tx, ty } = saved); apply(); } else readable();
  };
  new ResizeObserver(() => { if (pending && viewport.clientWidth) initial(); }).observe(viewport);

  // The view moves by transform only. When the browser scrolls the viewport
  // itself (keyboard focus on a shape out of view, scrollIntoView), the
  // scroll becomes a pan, so the shape stays where the browser put it.
  viewport.addEventListener('scroll', () => {
    if (!viewport.scrollLeft && !viewport.scrollTop) return;
    tx -= viewport.scrollLeft; ty -= viewport.scrollTop;
    viewport.scrollLeft = 0; viewport.scrollTop = 0;
    apply();
  });

  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  let drag = null;
  viewport.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const node = dragStep && dragStep.can() && e.target.closest ? e.target.closest('g.node[data-id]') : null;
    drag = { x: e.clientX, y: e.clientY, tx, ty, moved: false, target: e.target, id: e.pointerId, node };
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      viewport.setPointerCapture(drag.id);
      viewport.classList.add(drag.node ? 'dragging' : 'panning');
      if (drag.node) drag.node.classList.add('dragged');
    }
    if (drag.node) {
      drag.node.setAttribute('transform', `translate(${dx / scale} ${dy / scale})`);
      dragStep.over(drag.node.dataset.id, pointOf(e));
      return;
    }
    tx = drag.tx + dx; ty = drag.ty + dy;
    apply();
  });
  /** putBack ends dragging a step: it goes back to its place until the diagram is drawn again. */
  const putBack = (d) => {
    viewport.classList.remove('panning', 'dragging');
    if (!d.node) return;
    d.node.removeAttribute('transform');
    d.node.classList.remove('dragged');
  };
  const end = (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    putBack(d);
    if (!d.moved) pick(d.target);
    else if (d.node) dragStep.drop(d.node.dataset.id, pointOf(e));
  };
  viewport.addEventListener('pointerup', end);
  viewport.addEventListener('pointercancel', () => {
    if (drag) { putBack(drag); if (drag.node) dragStep.over(drag.node.dataset.id, null); }
    drag = null;
  });
  /** pointOf is where a pointer event is, in diagram units. */
  function pointOf(e) {
    const ctm = svg && svg.getScreenCTM();
    if (!ctm) return null;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  }
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

  // marks are the states of a release shown on the diagram (step id →
  // done, ready, waiting, failed or skipped), drawn as an outline and a
  // sign on each step and said in its label; kept across redraws.
  let marks = null;
  function paintMarks() {
    if (!svg) return;
    for (const old of svg.querySelectorAll('.run-mark')) old.remove();
    for (const g of svg.querySelectorAll('g.node[data-id]')) {
      if (g.dataset.label === undefined) g.dataset.label = g.getAttribute('aria-label') || '';
      const state = marks && marks.get(g.dataset.id);
      if (!state) { delete g.dataset.run; g.setAttribute('aria-label', g.dataset.label); continue; }
      g.dataset.run = state;
      g.setAttribute('aria-label', `${g.dataset.label} (${RUN_WORDS[state]})`);
      const b = g.getBBox();
      const pad = 5;
      const mark = svgEl('g', { class: `run-mark run-${state}`, 'aria-hidden': 'true' });
      mark.append(svgEl('rect', { x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad, rx: 8 }));
      const cx = b.x + b.width + pad, cy = b.y - pad;
      mark.append(svgEl('circle', { cx, cy, r: 9 }));
      const t = svgEl('text', { x: cx, y: cy + 4, 'text-anchor': 'middle' });
      t.textContent = RUN_SIGNS[state];
      mark.append(t);
      g.append(mark);
    }
  }

  function find(sel) {
    if (!svg || !sel) return null;
    const cls = { step: 'node', role: 'lane', phase: 'phase' }[sel.kind];
    return [...svg.querySelectorAll(`g.${cls}[data-id]`)].find((g) => g.dataset.id === sel.id) || null;
  }

  return {
    element: viewport,
    get svg() { return svg; },
    /**
     * load fetches and shows a diagram; the view is kept across reloads of
     * one SOP. view names the diagram for remembering its zoom in this tab.
     */
    async load(src, { keepView = true, view = '' } = {}) {
      const text = await api.text(src);
      const next = parseSVG(text);
      const vb = next.viewBox && next.viewBox.baseVal;
      const w = parseFloat(next.getAttribute('width')) || (vb && vb.width) || 800;
      const hh = parseFloat(next.getAttribute('height')) || (vb && vb.height) || 600;
      next.setAttribute('width', w); next.setAttribute('height', hh);
      // A group, not an image: its steps, lanes and phases are buttons, and
      // an image may hold nothing interactive.
      next.setAttribute('role', 'group');
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
      if (view) viewKey = view;
      if (first) initial();
      this.select(selected);
      paintMarks();
    },
    /** mark shows a release's step states (a Map of step id → state), or none (null). */
    mark(states) {
      marks = states && states.size ? states : null;
      paintMarks();
    },
    select(sel) {
      selected = sel;
      const g = find(sel);
      outline(g);
      return Boolean(g);
    },
    has(sel) { return Boolean(find(sel)); },
    /** shape is the <g> of a step, lane or phase, or null. */
    shape: find,
    /** point turns a position on screen into diagram (SVG user) units, or null. */
    point(clientX, clientY) {
      const ctm = svg && svg.getScreenCTM();
      if (!ctm) return null;
      const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
      return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    },
    /** reveal pans to a shape that is not wholly in view. */
    reveal(sel) {
      const g = find(sel);
      if (!g || !viewport.clientWidth) return;
      const b = g.getBBox(), { w: vw, h: vh } = box();
      const x0 = b.x * scale + tx, y0 = b.y * scale + ty;
      if (x0 >= PAD && y0 >= PAD && x0 + b.width * scale <= vw - PAD && y0 + b.height * scale <= vh - PAD) return;
      tx = vw / 2 - (b.x + b.width / 2) * scale;
      ty = vh / 2 - (b.y + b.height / 2) * scale;
      apply();
    },
    zoomIn: () => zoomAt(1.25),
    zoomOut: () => zoomAt(0.8),
    fit,
    fitHeight,
    /** reset goes back to the first, readable view. */
    reset: readable,
    get scale() { return scale; },
    get url() { return url; },
  };
}
