// Package pdf draws a laid-out swimlane diagram as a vector PDF that looks
// like the SVG rendering: the same theme colours, symbols, marks, edge
// styles, label pills, legend and title block, with text set in the
// embedded Go fonts the layout measured with, so it stays selectable and
// searchable. Like the SVG renderer it never lays anything out itself.
//
// The output is byte-for-byte reproducible: fixed dates, sorted catalogs
// and no randomness, so a PDF can be checked into a repository or compared
// in a test.
package pdf

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Options chooses how a diagram is drawn.
type Options struct {
	// Theme is one of Themes(): light (the default), dark or print.
	Theme string
	// Page is "fit" (the default: one page the size of the diagram, one
	// diagram unit to one point) or a paper size (see Pages): landscape
	// pages, the diagram scaled to a readable size and tiled across as
	// many pages as it needs, with a small overlap and page labels such as
	// "2/6".
	Page string
	// Fallback is a TrueType font (see package fallback) for characters
	// the Go fonts lack; it is embedded, as a subset, only when a
	// character needs it. Without one, or where it lacks a character too,
	// the character is drawn as '?'.
	Fallback []byte
}

// Pages returns the names Options.Page accepts: "fit", then the papers.
func Pages() []string {
	pages := []string{"fit"}
	for _, p := range papers {
		pages = append(pages, p.page)
	}
	return pages
}

// paper is a paper size Options.Page names. A3 and tabloid (11 × 17
// inches) are there because a template-sized SOP is a little too tall for
// one row of A4 or Letter pages at a readable scale: on them it takes a
// second row of mostly empty pages, where one row of the larger paper
// holds it.
type paper struct {
	page   string // as Options.Page names it
	size   string // as the PDF library names it, and as people write it
	larger string // the page of the same family with twice the area, if offered
}

var papers = []paper{{"a4", "A4", "a3"}, {"letter", "Letter", "tabloid"}, {"a3", "A3", ""}, {"tabloid", "Tabloid", ""}}

func paperOf(page string) (paper, bool) {
	for _, p := range papers {
		if p.page == page {
			return p, true
		}
	}
	return paper{}, false
}

// Paper returns how people write the paper size page names ("A4") and the
// page of the same family with twice its area ("a3"; "" when none is
// offered); ok is false for "fit" and unknown names.
func Paper(page string) (name, larger string, ok bool) {
	p, ok := paperOf(page)
	return p.size, p.larger, ok
}

// epoch is the creation and modification date of every document: a fixed
// date keeps the bytes reproducible, and a zero time.Time would make fpdf
// use the current time instead.
var epoch = time.Unix(0, 0).UTC()

// renderer carries the state of one Render call.
type renderer struct {
	d  *diagram.Diagram
	t  *theme
	c  *canvas
	fb *docFallback // nil without a fallback font
	// landscape adds the tiles as landscape pages of this size to a
	// document whose own pages are portrait (see Document); "" for the
	// document's own pages.
	landscape string
	// pageAdded, if set, runs after each tile's page is added.
	pageAdded func()
	// view is the part of the diagram a tile shows; nil for all of it.
	view *diagram.Rect
	// pagesOnly adds the diagram's pages without drawing on them, for a
	// setting of a document that only counts its pages (Document).
	pagesOnly bool
}

// viewMargin is how far, in diagram units, a step's or flow's drawing may
// reach beyond its box or points: strokes, arrowheads, badges, marks.
const viewMargin = 24

// sees reports whether anything drawn within viewMargin of b shows in
// the view.
func (r *renderer) sees(b diagram.Rect) bool {
	v := r.view
	if v == nil {
		return true
	}
	return b.X-viewMargin < v.X+v.W && v.X < b.X+b.W+viewMargin && b.Y-viewMargin < v.Y+v.H && v.Y < b.Y+b.H+viewMargin
}

// bounds is the smallest box holding the points.
func bounds(pts []diagram.Point) diagram.Rect {
	if len(pts) == 0 {
		return diagram.Rect{}
	}
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts[1:] {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	return diagram.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// addPage starts the next tile's page.
func (r *renderer) addPage(f *fpdf.Fpdf) {
	if r.landscape != "" {
		f.AddPageFormat("L", f.GetPageSizeStr(r.landscape))
	} else {
		f.AddPage()
	}
	if r.pageAdded != nil {
		r.pageAdded()
	}
}

// Render draws d as a PDF document. It fails only for an unknown page size
// or when the PDF library reports an error; a panic inside the library is
// turned into an error too, so that hostile input cannot take down the
// caller.
func Render(d *diagram.Diagram, opts Options) (out []byte, err error) {
	if d == nil {
		d = &diagram.Diagram{}
	}
	page := strings.ToLower(strings.TrimSpace(opts.Page))
	if _, paper := paperOf(page); !paper && page != "" && page != "fit" {
		return nil, fmt.Errorf("pdf: unknown page size %q (want one of %s)", opts.Page, strings.Join(Pages(), ", "))
	}
	fb, err := parseFallback(opts.Fallback)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("pdf: rendering failed: %v", p)
		}
	}()

	f := newDocument(d, page)
	r := &renderer{d: d, t: themeFor(opts.Theme), fb: fb}
	if _, paper := paperOf(page); paper {
		r.tiles(f)
	} else {
		r.c = &canvas{f: f, s: 1, fb: fb}
		f.AddPage()
		r.page()
	}
	return output(f)
}

// output finishes the document and returns its bytes.
func output(f *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// newDocument sets up an empty document with the fonts and metadata.
func newDocument(d *diagram.Diagram, page string) *fpdf.Fpdf {
	init := &fpdf.InitType{OrientationStr: "P", UnitStr: "pt"}
	if p, paper := paperOf(page); paper {
		init.OrientationStr, init.SizeStr = "L", p.size
	} else {
		init.Size = fpdf.SizeType{Wd: dimension(d.Width), Ht: dimension(d.Height)}
	}
	subject := "Release SOP swimlane diagram"
	if v := strings.TrimSpace(d.Title.Version); v != "" {
		subject += ", version " + v
	}
	return emptyDocument(init, d.Title.Title, subject, d.Title.Owner)
}

// emptyDocument is a document without pages: reproducible dates and
// catalog, no margins or automatic page breaks (every renderer here
// places everything itself), the Go fonts, and the metadata.
func emptyDocument(init *fpdf.InitType, title, subject, author string) *fpdf.Fpdf {
	f := fpdf.NewCustom(init)
	f.SetCreationDate(epoch)
	f.SetModificationDate(epoch)
	f.SetCatalogSort(true)
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.AddUTF8FontFromBytes(fontFamily, "", textmeasure.Regular)
	f.AddUTF8FontFromBytes(fontFamily, "B", textmeasure.Bold)
	if title = strings.TrimSpace(title); title == "" {
		title = "Release SOP"
	}
	f.SetTitle(title, true)
	f.SetSubject(subject, true)
	if author = strings.TrimSpace(author); author != "" {
		f.SetAuthor(author, true)
	}
	f.SetCreator("relsop", true)
	f.SetProducer("relsop", true)
	return f
}

// dimension makes a page side from a diagram size: PDF viewers reject
// empty, negative and non-finite page sizes.
func dimension(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 1 {
		return 1
	}
	return v
}

// page draws the whole diagram through the current canvas.
func (r *renderer) page() {
	d := r.d
	r.c.dash, r.c.cap, r.c.join = "-", "-", "-" // make the first shape set its line state on this page
	r.c.rect(diagram.Rect{W: d.Width, H: d.Height}, 0, paint{fill: r.t.Background})
	r.grid()
	r.edgeHighlights()
	r.nodes()
	r.edges()
	r.nodeMarks()
	r.titleBlock()
	r.legend()
}

// pdfNum formats a number for a raw PDF operator.
func pdfNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}
