package pdf

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

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
		r.separator(geom.Union(d.Phases[i-1].Box, d.Phases[i-1].Header), geom.Union(d.Phases[i].Box, d.Phases[i].Header), sep)
	}
	for i := 1; i < len(d.Lanes); i++ {
		r.separator(geom.Union(d.Lanes[i-1].Box, d.Lanes[i-1].Header), geom.Union(d.Lanes[i].Box, d.Lanes[i].Header), sep)
	}
	for _, p := range d.Phases {
		r.headerCell(p.Header, p.Lines)
	}
	if corner, ok := geom.Corner(r.d); ok {
		r.c.rect(corner, 0, paint{fill: t.HeaderFill, stroke: t.Grid, width: 1})
	}
	r.c.rect(geom.GridBounds(r.d), 0, paint{stroke: t.Frame, width: t.NodeWidth * 0.75})
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
