package png

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// grid draws the swimlanes and phase bands as the SVG does: alternating
// lane fills, header cells, thin separators and a frame. Like the SVG it
// reads the direction from how the boxes are stacked.
func (r *renderer) grid() {
	d, t := r.d, r.t
	if len(d.Lanes) == 0 && len(d.Phases) == 0 {
		return
	}
	for i, l := range d.Lanes {
		r.rect(l.Box, 0, t.LaneFill[i%2], "none", 0)
		r.headerCell(l.Header, l.Lines)
	}
	for i := 1; i < len(d.Phases); i++ {
		r.separator(geom.Union(d.Phases[i-1].Box, d.Phases[i-1].Header), geom.Union(d.Phases[i].Box, d.Phases[i].Header))
	}
	for i := 1; i < len(d.Lanes); i++ {
		r.separator(geom.Union(d.Lanes[i-1].Box, d.Lanes[i-1].Header), geom.Union(d.Lanes[i].Box, d.Lanes[i].Header))
	}
	for _, p := range d.Phases {
		r.headerCell(p.Header, p.Lines)
	}
	if c, ok := geom.Corner(r.d); ok {
		r.rect(c, 0, t.HeaderFill, t.Grid, 1)
	}
	r.rect(geom.GridBounds(r.d), 0, "none", t.Frame, t.NodeWidth*0.75)
}

// headerCell draws one lane or phase header with its wrapped name.
func (r *renderer) headerCell(box diagram.Rect, lines []diagram.Text) {
	if box.W <= 0 || box.H <= 0 {
		return
	}
	r.rect(box, 0, r.t.HeaderFill, r.t.Grid, 1)
	for _, l := range lines {
		r.text(l, r.t.HeaderText)
	}
}

// separator draws the line along the shared side of two adjacent bands.
func (r *renderer) separator(a, b diagram.Rect) {
	if b.Y >= a.Bottom()-0.5 {
		r.line(min(a.X, b.X), b.Y, max(a.Right(), b.Right()), b.Y, r.t.Grid, 1)
		return
	}
	r.line(b.X, min(a.Y, b.Y), b.X, max(a.Bottom(), b.Bottom()), r.t.Grid, 1)
}
