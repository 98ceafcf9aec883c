package pdf

import (
	"strconv"

	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/textmeasure"
)

// The contents: on the first page, before the first section, each section
// (level 2) and subsection (level 3: the procedure's phases, the release
// types) with the page it starts on, each a link to it. A printed copy in
// an audit binder is read by page number; the PDF's outline is no help
// there. The page numbers are known only once the document is set, so
// Document sets it twice: the first time to learn them (the contents take
// the same room whatever the numbers are), the second to print them.

// contentsLevel is the deepest heading level the contents list.
const contentsLevel = 3

// minContentsPages is how many different pages the headings must start
// on for the document to have contents.
const minContentsPages = 3

// spread counts the different pages the headings start on.
func spread(targets map[int]target) int {
	pages := map[int]bool{}
	for _, t := range targets {
		pages[t.page] = true
	}
	return len(pages)
}

// target is where a heading was set: its page and the top of its line.
type target struct {
	page int
	y    float64
}

// contentsAt is the index of the block the contents go before: the first
// section's heading; -1 when the document has none.
func contentsAt(blocks []document.Block) int {
	for i, bl := range blocks {
		if h, ok := bl.(document.Heading); ok && h.Level == 2 {
			return i
		}
	}
	return -1
}

// listed reports whether the contents list heading h.
func listed(h document.Heading) bool { return h.Level >= 2 && h.Level <= contentsLevel }

// contents sets the contents: an entry per listed heading of the
// document, indented by level, with a dotted leader to its page number,
// which links to the heading. targets are the headings' places, by block
// index, from the first setting; none yet on the first.
func (w *typesetter) contents(targets map[int]target) {
	const (
		size    = bodySize
		leading = bodyLeading + 1
		numW    = 24.0 // the page number's column, the same whatever the numbers
		indent  = 14.0
	)
	w.heading(document.Heading{Level: 3, Text: document.Lit("Contents")})
	pw, _ := w.f.GetPageSize()
	right := pw - docMargin
	for i, bl := range w.doc.Blocks {
		h, ok := bl.(document.Heading)
		if !ok || !listed(h) {
			continue
		}
		x := docMargin + float64(h.Level-2)*indent
		bold := h.Level == 2
		lines := setLines("", h.Text, size, right-numW-6-x, bold)
		if len(lines) == 0 {
			continue
		}
		w.room(float64(len(lines)) * leading)
		top := w.y
		for j, l := range lines {
			if j > 0 {
				w.y += leading
			}
			w.drawLine(l, x, w.y+size, size, inkColour)
		}
		last := lines[len(lines)-1]
		end := x
		if n := len(last); n > 0 {
			end = x + last[n-1].x + last[n-1].w
		}
		base := w.y + size
		if t, ok := targets[i]; ok {
			num := strconv.Itoa(t.page)
			nw := textmeasure.Width(num, size, bold)
			w.c.text(textAt(num, right-nw, base, size, bold), inkColour)
			w.dots(end+4, right-numW, base)
			link := w.f.AddLink()
			w.f.SetLink(link, t.y, t.page)
			w.f.Link(x, top, right-x, w.y+leading-top, link)
		}
		w.y += leading
		w.top = false
	}
	w.y += paraSpace
}

// dots draws a leader of round dots from x0 to x1 on the baseline y: one
// dashed line of zero-length dashes with round caps.
func (w *typesetter) dots(x0, x1, y float64) {
	if x1 > x0 {
		w.c.line(x0, y-1, x1, y-1, paint{stroke: mutedColour, width: 0.9, dash: []float64{0, 3}, cap: "round"})
	}
}
