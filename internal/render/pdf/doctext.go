package pdf

import (
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/textmeasure"
)

// frag is a piece of a set line: text in one style at its place.
type frag struct {
	text string
	x, w float64 // from the line's start, in points
	bold bool
	url  string // a link's address, "" for text
}

// piece is a run of text that a line may not break inside, unless it is
// wider than the line.
type piece struct {
	parts []frag // x and w unset; consecutive styles of one word
	space bool   // a space comes before it
}

// pieces cuts t into words, keeping each span's style. Spans that meet
// without a space ("Deploy" + ".") stay one word.
func pieces(t document.Text, bold bool) []piece {
	var out []piece
	space := false
	for _, s := range t {
		words := strings.Split(s.Text, " ")
		for i, wd := range words {
			if i > 0 {
				space = true
			}
			if wd == "" {
				continue
			}
			f := frag{text: wd, bold: bold, url: s.URL}
			if !space && len(out) > 0 {
				last := &out[len(out)-1]
				last.parts = append(last.parts, f)
			} else {
				out = append(out, piece{parts: []frag{f}, space: space && len(out) > 0})
			}
			space = false
		}
		if strings.HasSuffix(s.Text, " ") {
			space = true
		}
	}
	return out
}

// setLines breaks t, after label in bold if there is one ("Approvers:"),
// into lines of at most width points at type size. A word wider than the
// line is cut where it overflows.
func setLines(label string, t document.Text, size, width float64, bold bool) [][]frag {
	ps := pieces(t, bold)
	if label != "" {
		if len(ps) > 0 {
			ps[0].space = true
		}
		ps = append(pieces(document.Lit(label+":"), true), ps...)
	}
	var lines [][]frag
	var line []frag
	x := 0.0
	space := textmeasure.Width(" ", size, false)
	for _, p := range ps {
		pw := 0.0
		for _, f := range p.parts {
			pw += textmeasure.Width(f.text, size, f.bold)
		}
		gap := 0.0
		if len(line) > 0 && p.space {
			gap = space
		}
		if len(line) > 0 && x+gap+pw > width {
			lines, line, x, gap = append(lines, line), nil, 0, 0
		}
		x += gap
		for _, f := range p.parts {
			for _, cut := range cutToFit(f.text, size, f.bold, width-x, width) {
				cw := textmeasure.Width(cut, size, f.bold)
				if len(line) > 0 && x+cw > width {
					lines, line, x = append(lines, line), nil, 0
				}
				line = append(line, frag{text: cut, x: x, w: cw, bold: f.bold, url: f.url})
				x += cw
			}
		}
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

// cutToFit splits s so that its first part fits in first points and each
// later part in width points; s is one part when it fits. Every part has
// at least one character, so a line too narrow for any still progresses.
func cutToFit(s string, size float64, bold bool, first, width float64) []string {
	if textmeasure.Width(s, size, bold) <= first {
		return []string{s}
	}
	if textmeasure.Width(s, size, bold) <= width {
		return []string{s} // it goes whole onto the next line
	}
	var out []string
	room := first
	for s != "" {
		n, w := 0, 0.0
		for n < len(s) {
			_, size1 := utf8.DecodeRuneInString(s[n:])
			cw := textmeasure.Width(s[n:n+size1], size, bold)
			if n > 0 && w+cw > room {
				break
			}
			n, w = n+size1, w+cw
		}
		if w > room && room < width {
			// Not even one character fits where the line stands: start
			// on a fresh line instead.
			room = width
			continue
		}
		out = append(out, s[:n])
		s, room = s[n:], width
	}
	return out
}

func textAt(s string, x, y, size float64, bold bool) diagram.Text {
	return diagram.Text{Text: s, X: x, Y: y, Size: size, Bold: bold}
}

// drawLine draws one set line with its left edge at x and its baseline at
// y, links in the link colour with an underline and a link annotation.
func (w *typesetter) drawLine(line []frag, x, y, size float64, colour string) {
	for i, f := range line {
		col := colour
		if f.url != "" {
			col = linkColour
		}
		w.c.text(textAt(f.text, x+f.x, y, size, f.bold), col)
		if f.url != "" {
			// The underline and the link's area run on across the space
			// to the next word of the same link.
			end := f.x + f.w
			if i+1 < len(line) && line[i+1].url == f.url {
				end = line[i+1].x
			}
			w.c.line(x+f.x, y+1.5, x+end, y+1.5, paint{stroke: linkColour, width: 0.5})
			w.f.LinkString(x+f.x, y-size, end-f.x, size*1.3, f.url)
		}
	}
}
