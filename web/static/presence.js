// presence.js: who else is on an SOP's editor page: their initials in the
// head, their selections as coloured outlines on the diagram and their
// pointers as small arrows, all in the diagram's own units so that they pan
// and zoom with it. Names are user text: they only ever become text nodes
// and attribute values.
import { h, replace } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const MAX_AVATARS = 8;

function svgEl(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** colour is a peer's colour when it is a plain hex colour, else a grey. */
function colour(c) {
  return /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(c || '') ? c : '#52606d';
}

/**
 * ink is the text colour that reads on a background colour: dark above
 * a relative luminance of 0.179, where dark and white text have the same
 * contrast (WCAG's formula), so the one chosen always has the more.
 */
export function ink(bg) {
  let hex = bg.slice(1);
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#111' : '#fff';
}

export function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] || '?'];
  return letters.map((w) => [...w][0]).join('').toUpperCase();
}

/** createPresence tracks the others on the page and draws them on diagram (from createDiagram). */
export function createPresence(diagram) {
  const peers = new Map(); // client id -> presence message
  const avatars = h('div', { class: 'peers', id: 'peers', role: 'list', 'aria-label': 'Also here' });

  function set(p) {
    if (!p || !p.client) return;
    if (p.left) peers.delete(p.client);
    else peers.set(p.client, { ...peers.get(p.client), ...p });
  }

  function drawAvatars() {
    const people = new Map(); // one avatar per person, however many tabs
    for (const p of peers.values()) if (!people.has(p.user_id)) people.set(p.user_id, p);
    const list = [...people.values()];
    replace(avatars, list.slice(0, MAX_AVATARS).map((p) => {
      const bg = colour(p.color);
      const el = h('span', { class: 'avatar', role: 'listitem', title: p.name || 'someone', 'aria-label': p.name || 'someone',
        text: initials(p.name), dataset: { user: String(p.user_id) } });
      el.style.backgroundColor = bg;
      el.style.color = ink(bg);
      return el;
    }), list.length > MAX_AVATARS ? h('span', { class: 'avatar avatar-more', role: 'listitem', text: `+${list.length - MAX_AVATARS}`,
      title: list.slice(MAX_AVATARS).map((p) => p.name).join(', ') }) : null);
    avatars.hidden = list.length === 0;
  }

  /** tag is a name label: a coloured box with the name, its top left at (x, y). */
  function tag(name, bg, x, y, cls) {
    const g = svgEl('g', { class: cls, transform: `translate(${x} ${y})` });
    const box = svgEl('rect', { rx: 3, height: 16, fill: bg });
    const text = svgEl('text', { x: 5, y: 12, fill: ink(bg) }, name);
    g.append(box, text);
    return { g, fit() { let w = name.length * 6.5; try { w = text.getComputedTextLength(); } catch (e) { /* not drawn */ } box.setAttribute('width', w + 10); return w + 10; } };
  }

  function drawOnDiagram() {
    const svg = diagram.svg;
    if (!svg) return;
    for (const old of svg.querySelectorAll('.peer-mark')) old.remove();
    let layer = svg.querySelector('g.presence-layer');
    if (!layer) { layer = svgEl('g', { class: 'presence-layer', 'aria-hidden': 'true' }); svg.append(layer); }
    const onShape = new Map(); // shape -> how many outlines it has
    for (const p of peers.values()) {
      const bg = colour(p.color), name = p.name || 'someone';
      const g = p.selection && p.selection.kind !== 'sop' ? diagram.shape(p.selection) : null;
      if (g) {
        const n = onShape.get(g) || 0;
        onShape.set(g, n + 1);
        const b = g.getBBox(), pad = 6 + 4 * n;
        const mark = svgEl('g', { class: 'peer-mark peer-selection', 'data-client': p.client, 'data-name': name });
        mark.append(svgEl('rect', { class: 'peer-outline', x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad,
          rx: 7, stroke: bg }));
        // The name sits on the outline's top left corner, at one size on screen.
        const anchor = svgEl('g', { class: 'peer-anchor', 'data-x': b.x - pad, 'data-y': b.y - pad });
        const t = tag(name, bg, 0, -17 - 18 * n, 'peer-tag');
        anchor.append(t.g);
        mark.append(anchor);
        g.append(mark);
        t.fit();
      }
      if (p.cursor && Number.isFinite(p.cursor.x) && Number.isFinite(p.cursor.y)) {
        const c = svgEl('g', { class: 'peer-mark peer-cursor peer-anchor', 'data-client': p.client, 'data-name': name,
          'data-x': p.cursor.x, 'data-y': p.cursor.y });
        c.append(svgEl('path', { d: 'M0 0 L0 17 L4.6 12.6 L7.6 19.4 L10.4 18.2 L7.4 11.6 L13 11.6 Z', fill: bg, stroke: '#fff', 'stroke-width': 1.2 }));
        const t = tag(name, bg, 12, 16, 'peer-tag');
        c.append(t.g);
        layer.append(c);
        t.fit();
      }
    }
    rescale();
  }

  /** rescale keeps cursors and name labels at one size on screen whatever the zoom. */
  function rescale() {
    const svg = diagram.svg;
    if (!svg) return;
    const k = 1 / (diagram.scale || 1);
    for (const c of svg.querySelectorAll('g.peer-anchor')) {
      c.setAttribute('transform', `translate(${c.dataset.x} ${c.dataset.y}) scale(${k.toFixed(4)})`);
    }
  }

  return {
    element: avatars,
    /** reset takes the list of a ready message. */
    reset(list) { peers.clear(); for (const p of list || []) set(p); this.draw(); },
    /** update takes a presence message. */
    update(p) { set(p); this.draw(); },
    draw() { drawAvatars(); drawOnDiagram(); },
    rescale,
    get peers() { return [...peers.values()]; },
  };
}
