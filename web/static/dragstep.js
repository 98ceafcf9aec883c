// dragstep.js: drag a step into another lane or phase column of the
// diagram to give it that owner or phase. The cell under the pointer is
// outlined while the step moves; letting go there sends the change.
import { announce } from './ui.js';
import { nameOf } from './inspectform.js';

const SVGNS = 'http://www.w3.org/2000/svg';

/**
 * cellAt finds the lane (role) and phase column under point, a position
 * in diagram units: {role, phase, box}, each part null when outside. The
 * lanes' bands and the phases' headers say where they are; headers side
 * by side mean phases are columns, stacked ones rows (a vertical diagram).
 */
export function cellAt(svg, point) {
  if (!svg || !point) return null;
  let role = null, band = null;
  for (const g of svg.querySelectorAll('g.lane[data-id]')) {
    const r = g.querySelector('rect.lane-band');
    const b = r && r.getBBox();
    if (b && point.x >= b.x && point.x <= b.x + b.width && point.y >= b.y && point.y <= b.y + b.height) { role = g.dataset.id; band = b; }
  }
  const heads = [...svg.querySelectorAll('g.phase[data-id]')].map((g) => ({ id: g.dataset.id, b: g.querySelector('rect').getBBox() }));
  const columns = heads.length < 2 || heads[0].b.x !== heads[1].b.x;
  const head = heads.find(({ b }) => (columns ? point.x >= b.x && point.x <= b.x + b.width : point.y >= b.y && point.y <= b.y + b.height));
  const phase = head ? head.id : null;
  let box = band;
  if (band && head) {
    box = columns ? { x: head.b.x, y: band.y, width: head.b.width, height: band.height }
      : { x: band.x, y: head.b.y, width: band.width, height: head.b.height };
  }
  return { role, phase, box };
}

/**
 * createDragStep returns the diagram's drag hooks for ctx, the editor's
 * shared parts: {can, over, drop}.
 */
export function createDragStep(ctx) {
  const { ed } = ctx;
  let mark = null;

  function outline(box) {
    const svg = ctx.diagram.svg;
    if (!box || !svg) { if (mark) mark.remove(); mark = null; return; }
    if (!mark || !mark.isConnected) {
      mark = document.createElementNS(SVGNS, 'rect');
      mark.setAttribute('class', 'drop-cell');
      svg.querySelector('g.grid').append(mark);
    }
    for (const [k, v] of Object.entries({ x: box.x, y: box.y, width: box.width, height: box.height })) mark.setAttribute(k, v);
  }

  return {
    can: () => ed.canEdit && !ed.connectFrom && Boolean(ed.live),
    over(id, point) {
      const cell = cellAt(ctx.diagram.svg, point);
      outline(cell && cell.role ? cell.box : null);
    },
    async drop(id, point) {
      outline(null);
      const cell = cellAt(ctx.diagram.svg, point);
      const step = ((ed.model && ed.model.steps) || []).find((s) => s.id === id);
      if (!cell || !cell.role) return;
      if (!step) { announce(`The step “${id}” comes from the release type; change it in the YAML tab.`); return; }
      const ops = [];
      if (cell.role !== step.owner) ops.push({ op: 'set', kind: 'step', id, field: 'owner', value: cell.role });
      if (cell.phase && cell.phase !== step.phase) ops.push({ op: 'set', kind: 'step', id, field: 'phase', value: cell.phase });
      if (!ops.length) return;
      const where = [cell.role !== step.owner ? `the lane “${nameOf(ed.model.roles, cell.role)}”` : '',
        cell.phase && cell.phase !== step.phase ? `the phase “${nameOf(ed.model.phases, cell.phase)}”` : ''].filter(Boolean).join(' and ');
      await ctx.applyOps(ops, `Moved “${step.name || id}” to ${where}.`);
    },
  };
}
