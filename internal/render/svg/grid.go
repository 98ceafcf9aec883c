package svg

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// grid draws the swimlanes and phase bands: alternating lane fills, header
// cells, thin separators and a frame around the whole table. It works for
// either direction by looking at how the boxes are stacked rather than at
// Diagram.Direction, so it cannot disagree with the geometry it is given.
func (r *renderer) grid() {
	d, w, t := r.d, &r.w, r.t
	if len(d.Lanes) == 0 && len(d.Phases) == 0 {
		return
	}
	w.open("g", "class", "grid")

	w.open("g", "class", "lanes")
	for i, l := range d.Lanes {
		w.open("g", "class", "lane", "data-id", l.ID)
		w.content("title", "Role: "+l.Name)
		w.rect(l.Box, 0, "class", "lane-band", "fill", t.LaneFill[i%2])
		r.headerCell("lane-header", l.Header, l.Lines)
		w.close("g")
	}
	w.close("g")

	// Separators run along the shared sides of bands, where they coincide
	// with the header cells' borders, so their order against the headers
	// does not matter.
	w.open("g", "class", "phase-separators", "stroke", t.Grid, "stroke-width", "1")
	for i := 1; i < len(d.Phases); i++ {
		a, b := geom.Union(d.Phases[i-1].Box, d.Phases[i-1].Header), geom.Union(d.Phases[i].Box, d.Phases[i].Header)
		r.separator(a, b)
	}
	w.close("g")

	w.open("g", "class", "lane-separators", "stroke", t.Grid, "stroke-width", "1")
	for i := 1; i < len(d.Lanes); i++ {
		a, b := geom.Union(d.Lanes[i-1].Box, d.Lanes[i-1].Header), geom.Union(d.Lanes[i].Box, d.Lanes[i].Header)
		r.separator(a, b)
	}
	w.close("g")

	w.open("g", "class", "phases")
	for _, p := range d.Phases {
		w.open("g", "class", "phase", "data-id", p.ID)
		w.content("title", "Phase: "+p.Name)
		r.headerCell("phase-header", p.Header, p.Lines)
		w.close("g")
	}
	w.close("g")

	if corner, ok := geom.Corner(r.d); ok {
		w.rect(corner, 0, "class", "corner", "fill", t.HeaderFill, "stroke", t.Grid, "stroke-width", "1")
	}
	frame := geom.GridBounds(r.d)
	w.rect(frame, 0, "class", "frame", "fill", "none", "stroke", t.Frame, "stroke-width", num(t.NodeWidth*0.75))
	w.close("g")
}

// headerCell draws one lane or phase header with its bold, wrapped name.
func (r *renderer) headerCell(class string, box diagram.Rect, lines []diagram.Text) {
	if box.W <= 0 || box.H <= 0 {
		return
	}
	w, t := &r.w, r.t
	w.open("g", "class", class)
	w.rect(box, 0, "fill", t.HeaderFill, "stroke", t.Grid, "stroke-width", "1")
	for _, l := range lines { // bold when the layout measured them bold
		w.text(l, t.HeaderText)
	}
	w.close("g")
}

// separator draws the line along the shared side of two adjacent bands.
func (r *renderer) separator(a, b diagram.Rect) {
	if b.Y >= a.Bottom()-0.5 { // stacked: a horizontal line
		x1, x2 := min(a.X, b.X), max(a.Right(), b.Right())
		r.w.line(x1, b.Y, x2, b.Y)
		return
	}
	y1, y2 := min(a.Y, b.Y), max(a.Bottom(), b.Bottom())
	r.w.line(b.X, y1, b.X, y2)
}
