package pdf

import (
	"math"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// Tiles of a large diagram would show boxes without saying whose lane or
// which phase they are in: only the first column of pages holds the lane
// names. So, as a spreadsheet repeats its title rows and columns on every
// printed page, each tile repeats the header cells that run along the
// side it was cut from: the lane names down the left of every page after
// the first across (the phase names in the vertical layout), and the
// phase names along the top of every page after the first down.

// header is one lane or phase header cell with its name.
type header struct {
	box   diagram.Rect
	lines []diagram.Text
}

// printTitles are the header strips repeated on the tiles: the one along
// the left side of the grid and the one along its top, in diagram units,
// each with its cells. A strip with no cells is not repeated.
type printTitles struct {
	left, top           diagram.Rect
	leftCells, topCells []header
	corner              header // where they meet
}

// titlesOf finds the header strips from the geometry, as grid.go reads
// the stacking: a band's header is at the start of its box, as tall as
// the band when the band is a row (the header is on its left), as wide
// as the band when it is a column (on its top).
func titlesOf(d *diagram.Diagram) printTitles {
	var pt printTitles
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.5 }
	add := func(box, band diagram.Rect, lines []diagram.Text) {
		if box.W <= 0 || box.H <= 0 || !near(box.X, band.X) || !near(box.Y, band.Y) {
			return
		}
		switch {
		case near(box.H, band.H) && box.W < band.W:
			pt.left = geom.Union(pt.left, box)
			pt.leftCells = append(pt.leftCells, header{box, lines})
		case near(box.W, band.W) && box.H < band.H:
			pt.top = geom.Union(pt.top, box)
			pt.topCells = append(pt.topCells, header{box, lines})
		}
	}
	for _, l := range d.Lanes {
		add(l.Header, l.Box, l.Lines)
	}
	for _, p := range d.Phases {
		add(p.Header, p.Box, p.Lines)
	}
	// Where the strips meet is the grid's corner cell; each strip carries
	// it, so that a strip repeated alone still starts with it.
	if len(pt.leftCells) > 0 && len(pt.topCells) > 0 {
		pt.corner = header{box: diagram.Rect{X: pt.left.X, Y: pt.top.Y, W: pt.left.W, H: pt.top.H}}
		pt.leftCells = append(pt.leftCells, pt.corner)
		pt.topCells = append(pt.topCells, pt.corner)
	}
	return pt
}

// drawCells draws header cells through the current canvas.
func (r *renderer) drawCells(cells []header) {
	for _, h := range cells {
		r.headerCell(h.box, h.lines)
	}
}

// starts cuts a length of page points into tiles of avail points: the
// first tile shows avail, each later one avail-frozen (after the repeated
// strip of frozen points), starting overlap points before the one before
// it ends. It returns where each tile starts along the diagram, in page
// points. A strip that leaves too little room is not repeated: frozen
// becomes 0.
func starts(length, avail, frozen float64) (out []float64, frozenUsed float64) {
	if avail-frozen <= 2*overlap {
		frozen = 0
	}
	out = []float64{0}
	if length <= avail+0.01 || avail <= overlap { // the tolerance absorbs rounding in the scale
		return out, frozen
	}
	for end := avail; end < length-0.01 && len(out) < maxTileSide; {
		start := end - overlap
		out = append(out, start)
		end = start + avail - frozen
	}
	return out, frozen
}
