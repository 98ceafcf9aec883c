package pdf

import (
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/document"
)

// typesetter sets a document's blocks down the pages of text, one after
// another, starting a page where the next does not fit.
type typesetter struct {
	f      *fpdf.Fpdf
	c      *canvas
	doc    *document.Document
	d      *diagram.Diagram
	paper  string // fpdf's name of the paper
	theme  string // the diagram's
	source string
	fb     *docFallback

	y      float64 // where the next block starts, from the page's top
	top    bool    // nothing is set on this page yet
	width  float64 // of the text column
	bottom float64 // the lowest baseline a line may have
	// diagramMark is the heading of the diagram, bookmarked on its first
	// page instead of set as text.
	diagramMark *document.Heading
	diagramAt   int // its block's index

	// at is the index of the block being set, -1 while setting the
	// contents; found is where each heading the contents list was set,
	// by block index.
	at    int
	found map[int]target
	// counting: this setting only finds the pages of the headings, so
	// the diagram's pages are added but not drawn.
	counting bool
}

// Type sizes and spacing of the text, in points.
const (
	bodySize    = 9.5
	bodyLeading = 13.5
	asideSize   = 8.0
	listIndent  = 14.0
	paraSpace   = 6.0
)

// headingStyle is the size of each heading level and the room above it.
var headingStyle = map[int]struct{ size, before float64 }{
	1: {20, 0}, 2: {14, 16}, 3: {11.5, 12}, 4: {10, 9},
}

func (w *typesetter) newPage() {
	w.f.AddPageFormat("P", w.f.GetPageSizeStr(w.paper))
	pw, ph := w.f.GetPageSize()
	w.width = pw - 2*docMargin
	w.y = w.y0()
	w.bottom = ph - docFooterY - 24
	w.top = true
}

// y0 is where the text starts on a fresh page.
func (w *typesetter) y0() float64 { return docHeaderY + 24 }

// room makes sure h points fit below the current position, starting a new
// page when they do not (and could on a fresh one).
func (w *typesetter) room(h float64) {
	if !w.top && w.y+h > w.bottom {
		w.newPage()
	}
}

// space leaves h points before the next block, except at a page's top.
func (w *typesetter) space(h float64) {
	if !w.top {
		w.y += h
	}
}

func (w *typesetter) block(bl document.Block) {
	switch bl := bl.(type) {
	case document.Heading:
		w.heading(bl)
	case document.Paragraph:
		size, leading, colour := bodySize, bodyLeading, inkColour
		if bl.Aside {
			size, leading, colour = asideSize, asideSize*1.4, mutedColour
		}
		w.lines(setLines("", bl.Text, size, w.width, false), docMargin, size, leading, colour)
		w.y += paraSpace
	case document.List:
		w.list(bl)
	case document.Table:
		w.table(bl)
	case document.Flow:
		w.flow()
	case document.Rule:
		w.room(12)
		w.space(6)
		pw, _ := w.f.GetPageSize()
		w.c.line(docMargin, w.y, pw-docMargin, w.y, paint{stroke: ruleColour, width: 0.5})
		w.y += 10
	}
}

// lines sets lines from the current position down, continuing on the
// next page when the page is full.
func (w *typesetter) lines(lines [][]frag, x, size, leading float64, colour string) {
	for _, l := range lines {
		w.room(leading)
		w.drawLine(l, x, w.y+size, size, colour)
		w.y += leading
		w.top = false
	}
}

// heading sets a heading, kept on a page with the first lines after it.
func (w *typesetter) heading(h document.Heading) {
	st, ok := headingStyle[h.Level]
	if !ok {
		st = headingStyle[4]
	}
	lines := setLines("", h.Text, st.size, w.width, true)
	leading := st.size * 1.3
	w.space(st.before)
	w.room(float64(len(lines))*leading + 3*bodyLeading)
	if w.at >= 0 && listed(h) {
		w.found[w.at] = target{page: w.f.PageNo(), y: w.y}
	}
	w.bookmark(h, w.y)
	w.lines(lines, docMargin, st.size, leading, inkColour)
	if h.Level <= 2 {
		pw, _ := w.f.GetPageSize()
		w.c.line(docMargin, w.y+1, pw-docMargin, w.y+1, paint{stroke: ruleColour, width: 0.75})
		w.y += 6
	}
	w.y += 3
}

// list sets a list: a bullet or number hanging left of each item, and an
// item's own list indented below it.
func (w *typesetter) list(l document.List) {
	for i, it := range l.Items {
		marker := "•"
		if l.Ordered {
			marker = strconv.Itoa(i+1) + "."
		}
		w.item(marker, it.Label, it.Text, docMargin)
		for _, sub := range it.Sub {
			w.item("–", "", sub, docMargin+listIndent)
		}
	}
	w.y += paraSpace - 2
}

func (w *typesetter) item(marker, label string, t document.Text, x float64) {
	lines := setLines(label, t, bodySize, w.width-(x-docMargin)-listIndent, false)
	if len(lines) == 0 {
		lines = [][]frag{nil}
	}
	w.room(bodyLeading)
	w.c.text(textAt(marker, x+2, w.y+bodySize, bodySize, false), mutedColour)
	w.lines(lines, x+listIndent, bodySize, bodyLeading, inkColour)
	w.y += 2
}

// flow draws the diagram on landscape pages of the same paper: the whole
// of it on one page, then, when that is too small to read on paper, in
// tiles as Render draws it. The text goes on on a new page.
func (w *typesetter) flow() {
	if len(w.d.Nodes) == 0 {
		w.block(document.Paragraph{Text: document.Lit("The SOP has no steps to draw.")})
		return
	}
	r := &renderer{d: w.d, t: themeFor(w.theme), fb: w.fb, landscape: w.paper, pagesOnly: w.counting}
	r.pageAdded = func() {
		if h := w.diagramMark; h != nil {
			w.found[w.diagramAt] = target{page: w.f.PageNo(), y: 0}
			w.bookmark(*h, 0)
			w.diagramMark = nil
		}
	}
	if !r.overview(w.f) {
		r.tiles(w.f)
	}
	w.newPage()
}

// bookmark adds h to the PDF's outline, which viewers show as a table of
// contents, pointing at y on the current page. The steps (level 4) are
// there too: the outline is how a reader finds one in a long document.
func (w *typesetter) bookmark(h document.Heading, y float64) {
	w.f.SetFont(fontFamily, "", bodySize) // the outline's text is UTF-8 only while a UTF-8 font is current
	w.f.Bookmark(h.Text.String(), max(h.Level-1, 0), y)
}
