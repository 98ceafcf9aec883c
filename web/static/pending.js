// pending.js: this tab's field changes the server has not acknowledged yet:
// shown in the model and on the diagram at once (marked pending, a step's
// new name written into its shape) until the server's state is drawn again.

/** pendingOps are this tab's set operations the server has not acknowledged yet. */
export function pendingOps(ed) {
  if (!ed.live) return [];
  return ed.live.pending.flatMap((b) => (b.msg.type === 'ops' ? b.msg.ops : [])).filter((op) => op.op === 'set');
}

/** applyLocal shows a set operation in the model before the server has it. */
export function applyLocal(ed, op) {
  const m = ed.model;
  if (!m || op.op !== 'set') return;
  const lists = { step: m.steps, role: m.roles, phase: m.phases, environment: m.environments };
  const target = op.kind === 'sop' ? m : (lists[op.kind] || []).find((x) => x.id === op.id);
  if (!target) return;
  if (op.value === '' || op.value === null || op.value === undefined) delete target[op.field];
  else target[op.field] = op.value;
}

/** markPending marks the shapes whose change is not yet acknowledged, showing a new step name at once. */
export function markPending(ed, diagram) {
  const svg = diagram.svg;
  if (!svg) return;
  for (const g of svg.querySelectorAll('.pending')) g.classList.remove('pending');
  for (const op of pendingOps(ed)) {
    const g = op.kind === 'sop' ? null : diagram.shape({ kind: op.kind, id: op.id });
    if (!g) continue;
    g.classList.add('pending');
    if (op.kind === 'step' && op.field === 'name' && op.value) relabel(g, String(op.value));
  }
}

/** relabel writes a step's new name into its lines of text, as the server would wrap it, roughly. */
function relabel(g, name) {
  const lines = [...g.querySelectorAll(':scope > text')];
  if (!lines.length) return;
  const width = Math.max(8, ...lines.map((t) => t.textContent.length));
  const out = [''];
  for (const word of name.split(/\s+/)) {
    const last = out[out.length - 1];
    if (!last) out[out.length - 1] = word;
    else if ((last + ' ' + word).length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  if (out.length > lines.length) out.splice(lines.length - 1, Infinity, `${out.slice(lines.length - 1).join(' ').slice(0, width - 1)}…`);
  // Fewer lines than before stay centred where the old ones were.
  const ys = lines.map((t) => parseFloat(t.getAttribute('y')));
  const step = ys.length > 1 ? (ys[ys.length - 1] - ys[0]) / (ys.length - 1) : 0;
  const shift = ((lines.length - out.length) / 2) * step;
  const shape = g.querySelector(':scope > .shape');
  const box = shape ? shape.getBBox() : null;
  lines.forEach((t, i) => {
    t.textContent = out[i] || '';
    if (Number.isFinite(ys[i])) t.setAttribute('y', String(ys[i] + shift));
    if (box) { t.setAttribute('x', String(box.x + box.width / 2)); t.setAttribute('text-anchor', 'middle'); }
  });
  const title = g.querySelector(':scope > title');
  if (title) title.textContent = [name, ...title.textContent.split(' · ').slice(1)].join(' · ');
}
