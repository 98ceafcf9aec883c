package pdf

import (
	"fmt"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/textmeasure"
)

// DocumentOptions chooses how an SOP document is published.
type DocumentOptions struct {
	// Page is the paper, "a4" (the default) or "letter": portrait pages
	// for the text, landscape pages of the same paper for the diagram,
	// tiled as Render tiles it.
	Page string
	// Theme is the diagram's theme (see Themes); the text is always set
	// dark on white.
	Theme string
	// Source says what the document was made from, for its footer: a
	// file and its checksum, or a workspace and revision.
	Source string
	// Fallback is a TrueType font for characters the Go fonts lack, as in
	// Options.
	Fallback []byte
}

// DocumentPages returns the papers Document accepts.
func DocumentPages() []string { return []string{"a4", "letter"} }

// Document publishes doc as a PDF: the document's blocks set as text on
// portrait pages, with the flow drawn from d (the laid-out diagram of
// doc.SOP) where the document places it, on landscape pages. Every page
// names the SOP, its version and status, and its page number; the pages
// of text also say what the document was made from and that printed
// copies are not controlled. Like Render, it is byte-for-byte
// reproducible and turns a panic in the PDF library into an error.
func Document(doc *document.Document, d *diagram.Diagram, opts DocumentOptions) (out []byte, err error) {
	page := strings.ToLower(strings.TrimSpace(opts.Page))
	if page == "" {
		page = "a4"
	}
	if !slices.Contains(DocumentPages(), page) {
		return nil, fmt.Errorf("pdf: unknown page size %q for a document (want one of %s)", opts.Page, strings.Join(DocumentPages(), ", "))
	}
	fb, err := parseFallback(opts.Fallback)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("pdf: publishing failed: %v", p)
		}
	}()
	if d == nil {
		d = &diagram.Diagram{}
	}
	p, _ := paperOf(page)
	author := ""
	if doc.SOP != nil {
		author = doc.SOP.Owner
	}
	set := func(targets map[int]target, withContents bool) (*fpdf.Fpdf, map[int]target) {
		f := emptyDocument(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: p.size}, doc.Title, subject(doc), author)
		f.AliasNbPages(pageTotal)
		if !doc.Date.IsZero() {
			f.SetCreationDate(doc.Date.UTC())
			f.SetModificationDate(doc.Date.UTC())
		}
		fb := fb.fresh() // registered in this setting's document when a character needs it
		w := &typesetter{f: f, doc: doc, d: d, paper: p.size, theme: opts.Theme, source: opts.Source, fb: fb, found: map[int]target{}, counting: targets == nil}
		w.c = &canvas{f: f, s: 1, fb: fb}
		// The footer function runs as each page is finished, so the header
		// and footer are drawn over the page, where a tile's background
		// cannot cover them.
		f.SetFooterFunc(w.furniture)
		w.newPage()
		toc := -1
		if withContents {
			toc = contentsAt(doc.Blocks)
		}
		for i, bl := range doc.Blocks {
			if i == toc {
				w.at = -1
				w.contents(targets)
			}
			w.at = i
			if h, ok := bl.(document.Heading); ok && len(d.Nodes) > 0 && i+1 < len(doc.Blocks) && doc.Blocks[i+1] == document.Block(document.Flow{}) {
				// The diagram's own pages carry its title; the heading
				// would stand alone at the foot of a page of text.
				w.diagramMark, w.diagramAt = &h, i
				continue
			}
			w.block(bl)
		}
		return f, w.found
	}
	// The first setting finds the pages the contents list; the second
	// prints them, unless they all start on a page or two: a short
	// document (a release's report) needs none.
	_, targets := set(nil, true)
	f, _ := set(targets, spread(targets) >= minContentsPages)
	return output(f)
}

// pageTotal stands for the number of pages until the document is done.
const pageTotal = "{nb}"

// subject is the document's subject in the PDF's properties.
func subject(doc *document.Document) string {
	s := "Release SOP"
	if doc.SOP == nil {
		return s
	}
	if v := strings.TrimSpace(doc.SOP.Version); v != "" {
		s += ", version " + v
	}
	if doc.SOP.ResolvedType != "" {
		s += ", " + doc.SOP.ResolvedType + " release flow"
	}
	return s
}

// The page of text: margins, and where the running header and footer go.
const (
	docMargin   = 54.0 // points on every side of the text
	docHeaderY  = 30.0 // baseline of the running header
	docFooterY  = 26.0 // baseline of the footer's last line, from the bottom edge
	docFurnSize = 7.5  // type size of the header and footer
)

// Colours of the text pages: always dark on white paper, whatever the
// diagram's theme.
const (
	inkColour   = "#1F2933"
	mutedColour = "#5B6675"
	ruleColour  = "#C5CCD6"
	linkColour  = "#1A5FB4"
	headColour  = "#EEF1F5" // table header fill
)

// running is the text of the running header: the SOP, its version and
// status, and the release type whose flow the document shows.
func (w *typesetter) running() string {
	s := w.doc.SOP
	if s == nil {
		return w.doc.Title
	}
	parts := []string{w.doc.Title}
	if s.ID != "" && s.ID != w.doc.Title {
		parts = append(parts, s.ID)
	}
	if v := strings.TrimSpace(s.Version); v != "" {
		parts = append(parts, "version "+v)
	}
	if s.Status != "" {
		parts = append(parts, string(s.Status))
	}
	if s.ResolvedType != "" {
		parts = append(parts, s.ResolvedType+" release")
	}
	return document.Say(strings.Join(parts, " · ")).String()
}

// furniture draws the running header on every page, and the footer on the
// pages of text. The diagram's pages are the landscape ones; their tiles
// have a footer of their own, and the header takes the colour of the
// diagram's theme.
func (w *typesetter) furniture() {
	pw, ph := w.f.GetPageSize()
	text := pw < ph
	muted := mutedColour
	if !text {
		muted = themeFor(w.theme).Muted
	}
	c := &canvas{f: w.f, s: 1, fb: w.fb}
	label := fmt.Sprintf("Page %d of %s", w.f.PageNo(), pageTotal)
	lw := textmeasure.Width(fmt.Sprintf("Page %d of %d", w.f.PageNo(), 9999), docFurnSize, false)
	// A diagram's page has its narrower margins, and the header sits
	// higher, clear of the tile.
	margin, y := docMargin, docHeaderY
	if !text {
		margin, y = pageMargin, docHeaderY-8
	}
	head := textmeasure.Ellipsize(w.running(), docFurnSize, pw-2*margin-lw-18, false)
	c.text(diagram.Text{Text: head, X: margin, Y: y, Size: docFurnSize}, muted)
	c.text(diagram.Text{Text: label, X: pw - margin - lw, Y: y, Size: docFurnSize}, muted)
	if !text {
		return
	}
	c.line(docMargin, docHeaderY+6, pw-docMargin, docHeaderY+6, paint{stroke: ruleColour, width: 0.5})
	foot := "Generated by relsop from the SOP; printed copies are not controlled."
	if w.source != "" {
		foot = "Generated by relsop from " + document.Say(w.source).String() + "; printed copies are not controlled."
	}
	for i, line := range textmeasure.Wrap(foot, docFurnSize, pw-2*docMargin, false, 2) {
		c.text(diagram.Text{Text: line, X: docMargin, Y: ph - docFooterY - 10 + float64(i)*10, Size: docFurnSize}, mutedColour)
	}
}
