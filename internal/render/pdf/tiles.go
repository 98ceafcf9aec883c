package pdf

import (
	"math"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Tiling on paper. A diagram that fits one page at a readable scale (12-unit
// text at least 6.6 points) is printed on one page. Otherwise it is shrunk
// to the page height, as far as that stays readable, and tiled across, and
// down as well when even that is too tall. Tiles overlap, so that a box cut
// by one page edge appears whole on the next page when the sheets are
// taped together.
const (
	pageMargin  = 24.0 // points around the printed area; printers cannot print to the edge
	footer      = 14.0 // points below the printed area for the page label
	overlap     = 24.0 // points shared by neighbouring tiles
	minScale    = 0.55
	labelSize   = 8.0
	maxTileSide = 1000 // pages per row or column; keeps absurd sizes from hanging the renderer
)

// tiles draws the diagram across as many pages as it needs.
func (r *renderer) tiles(f *fpdf.Fpdf) {
	d := r.d
	pw, ph := f.GetPageSize()
	aw, ah := pw-2*pageMargin, ph-2*pageMargin-footer
	dw, dh := dimension(d.Width), dimension(d.Height)
	s := min(1, aw/dw, ah/dh)
	if s < minScale {
		s = max(min(1, ah/dh), minScale)
	}
	cols := count(dw*s, aw)
	rows := count(dh*s, ah)
	// A diagram that fits one way is centred that way.
	x0 := pageMargin + max(aw-dw*s, 0)/2
	y0 := pageMargin + max(ah-dh*s, 0)/2
	total := cols * rows
	for row := range rows {
		for col := range cols {
			f.AddPage()
			r.c = &canvas{f: f, s: 1, fb: r.fb}
			r.c.rect(diagram.Rect{W: pw, H: ph}, 0, paint{fill: r.t.Background})
			r.footer(pw, ph, row*cols+col+1, total)
			f.ClipRect(pageMargin, pageMargin, aw, ah, false)
			r.c = &canvas{f: f, s: s, fb: r.fb, dx: x0 - float64(col)*(aw-overlap), dy: y0 - float64(row)*(ah-overlap)}
			r.page()
			f.ClipEnd()
		}
	}
}

// count is how many tiles of size avail, overlapping, cover length.
func count(length, avail float64) int {
	if length <= avail+0.01 || avail <= overlap { // the tolerance absorbs rounding in the scale
		return 1
	}
	n := math.Ceil((length - overlap) / (avail - overlap))
	return int(min(max(n, 1), maxTileSide))
}

// footer writes the title and the page label ("2/6") under the tile.
func (r *renderer) footer(pw, ph float64, n, total int) {
	y := ph - pageMargin - 2
	label := strconv.Itoa(n) + "/" + strconv.Itoa(total)
	lw := textmeasure.Width(label, labelSize, false)
	title := r.d.Title.Title
	if title == "" {
		title = "Release SOP"
	}
	title = textmeasure.Ellipsize(title, labelSize, pw-2*pageMargin-lw-24, false)
	r.c.text(diagram.Text{Text: title, X: pageMargin, Y: y, Size: labelSize}, r.t.Muted)
	r.c.text(diagram.Text{Text: label, X: pw - pageMargin - lw, Y: y, Size: labelSize}, r.t.Muted)
}
