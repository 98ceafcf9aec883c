package pdf

import (
	"fmt"
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

// tilePage is the size of the pages tiles are drawn on.
func (r *renderer) tilePage(f *fpdf.Fpdf) (pw, ph float64) {
	if r.landscape != "" {
		// The pages are added as the tiles are drawn; the current page
		// is the document's own, portrait one.
		sz := f.GetPageSizeStr(r.landscape)
		return max(sz.Wd, sz.Ht), min(sz.Wd, sz.Ht)
	}
	return f.GetPageSize()
}

// overview draws the whole diagram on one page, however small that makes
// it (a PDF viewer zooms into the vectors), and reports whether that is
// all of it: when the diagram is drawn at the same scale on one page as
// tiles would draw it, no tiles need follow.
func (r *renderer) overview(f *fpdf.Fpdf) (whole bool) {
	d := r.d
	pw, ph := r.tilePage(f)
	aw, ah := pw-2*pageMargin, ph-2*pageMargin-footer
	dw, dh := dimension(d.Width), dimension(d.Height)
	s := min(1, aw/dw, ah/dh)
	tiled, xs, ys, _, _ := cut(d, titlesOf(d), aw, ah)
	whole = len(xs) == 1 && len(ys) == 1 || tiled <= s
	r.addPage(f)
	r.c = &canvas{f: f, s: 1, fb: r.fb}
	r.c.rect(diagram.Rect{W: pw, H: ph}, 0, paint{fill: r.t.Background})
	label := "the whole flow on one page"
	if !whole {
		label += "; the pages after it show it in parts at a readable size"
	}
	r.footerLabel(pw, ph, label)
	r.c = &canvas{f: f, s: s, fb: r.fb, dx: pageMargin + (aw-dw*s)/2, dy: pageMargin + (ah-dh*s)/2}
	if !r.pagesOnly {
		r.page()
	}
	return whole
}

// tiles draws the diagram across as many pages as it needs, repeating
// the header strips on the tiles cut from them (titles.go).
func (r *renderer) tiles(f *fpdf.Fpdf) {
	d := r.d
	pw, ph := r.tilePage(f)
	aw, ah := pw-2*pageMargin, ph-2*pageMargin-footer
	dw, dh := dimension(d.Width), dimension(d.Height)
	pt := titlesOf(d)
	s, xs, ys, fw, fh := cut(d, pt, aw, ah)
	// A diagram that fits one way is centred that way.
	x0 := pageMargin + max(aw-dw*s, 0)/2
	y0 := pageMargin + max(ah-dh*s, 0)/2
	total := len(xs) * len(ys)
	for row, sy := range ys {
		for col, sx := range xs {
			r.addPage(f)
			r.c = &canvas{f: f, s: 1, fb: r.fb}
			r.c.rect(diagram.Rect{W: pw, H: ph}, 0, paint{fill: r.t.Background})
			r.footer(pw, ph, row*len(xs)+col+1, total, tilePlace(row, col, len(ys), len(xs)))
			if r.pagesOnly {
				continue
			}
			// The part of the page after the repeated strips, if any.
			left, top := 0.0, 0.0
			if col > 0 {
				left = fw
			}
			if row > 0 {
				top = fh
			}
			dx, dy := x0+left-sx, y0+top-sy
			f.ClipRect(pageMargin+left, pageMargin+top, aw-left, ah-top, false)
			r.c = &canvas{f: f, s: s, fb: r.fb, dx: dx, dy: dy}
			// Only what shows through the clip is drawn: a large diagram
			// has hundreds of tiles, and drawing all of it on each one
			// made the file and the time grow with their product.
			r.view = &diagram.Rect{X: (pageMargin + left - dx) / s, Y: (pageMargin + top - dy) / s, W: (aw - left) / s, H: (ah - top) / s}
			r.page()
			r.view = nil
			f.ClipEnd()
			if left > 0 {
				r.strip(f, pageMargin, pageMargin+top, left, ah-top, pageMargin-pt.left.X*s, dy, s, pt.leftCells)
			}
			if top > 0 {
				r.strip(f, pageMargin+left, pageMargin, aw-left, top, dx, pageMargin-pt.top.Y*s, s, pt.topCells)
			}
			if left > 0 && top > 0 {
				r.strip(f, pageMargin, pageMargin, left, top, pageMargin-pt.left.X*s, pageMargin-pt.top.Y*s, s,
					[]header{pt.corner})
			}
		}
	}
}

// cut chooses the scale of the diagram on pages whose printed area is
// aw × ah, and where the tiles start across (xs) and down (ys), with the
// room the repeated strips take on the pages after the first (fw, fh).
func cut(d *diagram.Diagram, pt printTitles, aw, ah float64) (s float64, xs, ys []float64, fw, fh float64) {
	dw, dh := dimension(d.Width), dimension(d.Height)
	s = min(1, aw/dw, ah/dh)
	if s < minScale {
		s = max(min(1, ah/dh), minScale)
	}
	xs, fw = starts(dw*s, aw, pt.left.W*s)
	ys, fh = starts(dh*s, ah, pt.top.H*s)
	return s, xs, ys, fw, fh
}

// Tiles returns how many rows and columns of pages d takes on a paper
// size (see Pages); 1 × 1 for "fit".
func Tiles(d *diagram.Diagram, page string) (rows, cols int) {
	p, paper := paperOf(page)
	if !paper || d == nil {
		return 1, 1
	}
	pw, ph := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "L", UnitStr: "pt", SizeStr: p.size}).GetPageSize()
	_, xs, ys, _, _ := cut(d, titlesOf(d), pw-2*pageMargin, ph-2*pageMargin-footer)
	return len(ys), len(xs)
}

// strip draws header cells, at scale s and offset (dx, dy), clipped to
// the page area (x, y, w, h), over the page's background.
func (r *renderer) strip(f *fpdf.Fpdf, x, y, w, h, dx, dy, s float64, cells []header) {
	f.ClipRect(x, y, w, h, false)
	r.c = &canvas{f: f, s: 1, fb: r.fb}
	r.c.rect(diagram.Rect{X: x, Y: y, W: w, H: h}, 0, paint{fill: r.t.Background})
	r.c = &canvas{f: f, s: s, fb: r.fb, dx: dx, dy: dy, dash: "-", cap: "-", join: "-"} // set line state afresh
	r.drawCells(cells)
	f.ClipEnd()
}

// footer writes the title and the page label ("2/6", and where the tile
// goes) under the tile.
func (r *renderer) footer(pw, ph float64, n, total int, place string) {
	r.footerLabel(pw, ph, strconv.Itoa(n)+"/"+strconv.Itoa(total)+place)
}

// footerLabel writes the title and label under a page of the diagram.
func (r *renderer) footerLabel(pw, ph float64, label string) {
	y := ph - pageMargin - 2
	lw := textmeasure.Width(label, labelSize, false)
	title := r.d.Title.Title
	if title == "" {
		title = "Release SOP"
	}
	title = textmeasure.Ellipsize(title, labelSize, pw-2*pageMargin-lw-24, false)
	r.c.text(diagram.Text{Text: title, X: pageMargin, Y: y, Size: labelSize}, r.t.Muted)
	r.c.text(diagram.Text{Text: label, X: pw - pageMargin - lw, Y: y, Size: labelSize}, r.t.Muted)
}

// tilePlace says where a tile goes when the pages are laid out to be
// taped together: " · row 1 of 2, column 3 of 7", or only the column or
// the row when the tiles run one way; nothing for a single page.
func tilePlace(row, col, rows, cols int) string {
	switch {
	case rows > 1 && cols > 1:
		return fmt.Sprintf(" · row %d of %d, column %d of %d", row+1, rows, col+1, cols)
	case cols > 1:
		return fmt.Sprintf(" · column %d of %d", col+1, cols)
	case rows > 1:
		return fmt.Sprintf(" · row %d of %d", row+1, rows)
	}
	return ""
}
