package pdf

import "github.com/relsop/relsop/internal/diagram"

// grid draws the swimlanes and phase bands as internal/render/svg/grid.go
// does: alternating lane fills, header cells, separators, the corner cell
// and a frame. It reads the stacking from the boxes, not from
// Diagram.Direction, so it cannot disagree with the geometry.
func (r *renderer) grid() {
	d, t := r.d, r.t
	if len(d.Lanes) == 0 && len(d.Phases) == 0 {
		return
	}
	for i, l := range d.Lanes {
		r.c.rect(l.Box, 0, paint{fill: t.LaneFill[i%2]})
		r.headerCell(l.Header, l.Lines)
	}
	sep := paint{stroke: t.Grid, width: 1}
	for i := 1; i < len(d.Phases); i++ {
		r.separator(union(d.Phases[i-1].Box, d.Phases[i-1].Header), union(d.Phases[i].Box, d.Phases[i].Header), sep)
	}
	for i := 1; i < len(d.Lanes); i++ {
		r.separator(union(d.Lanes[i-1].Box, d.Lanes[i-1].Header), union(d.Lanes[i].Box, d.Lanes[i].Header), sep)
	}
	for _, p := range d.Phases {
		r.headerCell(p.Header, p.Lines)
	}
	if corner, ok := r.corner(); ok {
		r.c.rect(corner, 0, paint{fill: t.HeaderFill, stroke: t.Grid, width: 1})
	}
	r.c.rect(r.gridBounds(), 0, paint{stroke: t.Frame, width: t.NodeWidth * 0.75})
}

// headerCell draws one lane or phase header with its wrapped name.
func (r *renderer) headerCell(box diagram.Rect, lines []diagram.Text) {
	if box.W <= 0 || box.H <= 0 {
		return
	}
	r.c.rect(box, 0, paint{fill: r.t.HeaderFill, stroke: r.t.Grid, width: 1})
	for _, l := range lines {
		r.c.text(l, r.t.HeaderText)
	}
}

// separator draws the line along the shared side of two adjacent bands.
func (r *renderer) separator(a, b diagram.Rect, p paint) {
	if b.Y >= a.Bottom()-0.5 { // stacked: a horizontal line
		r.c.line(min(a.X, b.X), b.Y, max(a.Right(), b.Right()), b.Y, p)
		return
	}
	r.c.line(b.X, min(a.Y, b.Y), b.X, max(a.Bottom(), b.Bottom()), p)
}

// corner is the cell where the phase headers meet the lane headers; left
// empty it would read as a hole in the table.
func (r *renderer) corner() (diagram.Rect, bool) {
	d := r.d
	if len(d.Lanes) == 0 || len(d.Phases) == 0 {
		return diagram.Rect{}, false
	}
	lh, ph := d.Lanes[0].Header, d.Phases[0].Header
	if lh.W <= 0 || ph.H <= 0 {
		return diagram.Rect{}, false
	}
	var c diagram.Rect
	switch {
	case lh.X < ph.X && ph.Y < lh.Y: // lane headers left, phase headers on top
		c = diagram.Rect{X: lh.X, Y: ph.Y, W: lh.W, H: ph.H}
	case ph.X < lh.X && lh.Y < ph.Y: // the vertical layout
		c = diagram.Rect{X: ph.X, Y: lh.Y, W: ph.W, H: lh.H}
	default:
		return diagram.Rect{}, false
	}
	for _, n := range d.Nodes { // never paint over something that is there
		if c.Overlaps(n.Box) {
			return diagram.Rect{}, false
		}
	}
	return c, true
}

// gridBounds is the smallest box holding every lane, phase and header.
func (r *renderer) gridBounds() diagram.Rect {
	var b diagram.Rect
	for _, l := range r.d.Lanes {
		b = union(union(b, l.Box), l.Header)
	}
	for _, p := range r.d.Phases {
		b = union(union(b, p.Box), p.Header)
	}
	return b
}

// union is the smallest box holding both; an empty box does not count.
func union(a, b diagram.Rect) diagram.Rect {
	if a.W <= 0 || a.H <= 0 {
		return b
	}
	if b.W <= 0 || b.H <= 0 {
		return a
	}
	x, y := min(a.X, b.X), min(a.Y, b.Y)
	return diagram.Rect{X: x, Y: y, W: max(a.Right(), b.Right()) - x, H: max(a.Bottom(), b.Bottom()) - y}
}
