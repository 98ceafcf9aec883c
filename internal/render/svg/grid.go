package svg

import (
	"github.com/relsop/relsop/internal/diagram"
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
		a, b := union(d.Phases[i-1].Box, d.Phases[i-1].Header), union(d.Phases[i].Box, d.Phases[i].Header)
		r.separator(a, b)
	}
	w.close("g")

	w.open("g", "class", "lane-separators", "stroke", t.Grid, "stroke-width", "1")
	for i := 1; i < len(d.Lanes); i++ {
		a, b := union(d.Lanes[i-1].Box, d.Lanes[i-1].Header), union(d.Lanes[i].Box, d.Lanes[i].Header)
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

	if corner, ok := r.corner(); ok {
		w.rect(corner, 0, "class", "corner", "fill", t.HeaderFill, "stroke", t.Grid, "stroke-width", "1")
	}
	frame := r.gridBounds()
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

// corner is the cell where the row of phase headers meets the column of
// lane headers; left empty it would read as a hole in the table.
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
	if lh.X < ph.X && ph.Y < lh.Y { // lane headers left, phase headers on top
		c = diagram.Rect{X: lh.X, Y: ph.Y, W: lh.W, H: ph.H}
	} else if ph.X < lh.X && lh.Y < ph.Y { // the vertical layout
		c = diagram.Rect{X: ph.X, Y: lh.Y, W: ph.W, H: lh.H}
	} else {
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
	first := true
	add := func(x diagram.Rect) {
		if x.W <= 0 || x.H <= 0 {
			return
		}
		if first {
			b, first = x, false
			return
		}
		b = union(b, x)
	}
	for _, l := range r.d.Lanes {
		add(l.Box)
		add(l.Header)
	}
	for _, p := range r.d.Phases {
		add(p.Box)
		add(p.Header)
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
