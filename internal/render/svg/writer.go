package svg

import (
	"bytes"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
)

// writer emits indented SVG. Every attribute value and every piece of text
// goes through esc, so no caller can forget to escape user data: safety is a
// property of the writer, not of each call site.
type writer struct {
	b     bytes.Buffer
	depth int
}

func (w *writer) indent() {
	for range w.depth {
		w.b.WriteString("  ")
	}
}

func (w *writer) attrs(kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue // an empty value means "leave the attribute out"
		}
		w.b.WriteByte(' ')
		w.b.WriteString(kv[i])
		w.b.WriteString(`="`)
		w.b.WriteString(esc(kv[i+1]))
		w.b.WriteByte('"')
	}
}

// open starts an element that has children.
func (w *writer) open(name string, kv ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteString(">\n")
	w.depth++
}

// close ends the element opened last.
func (w *writer) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteString(">\n")
}

// leaf writes an element without children.
func (w *writer) leaf(name string, kv ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteString("/>\n")
}

// content writes an element holding only text, on one line so that no
// indentation whitespace leaks into the text.
func (w *writer) content(name, text string, kv ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteByte('>')
	w.b.WriteString(esc(text))
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteString(">\n")
}

// text draws one laid-out line as a real <text> element, so that it stays
// selectable, searchable and readable by assistive technology.
func (w *writer) text(t diagram.Text, fill string, kv ...string) {
	if strings.TrimSpace(t.Text) == "" {
		return
	}
	weight := ""
	if t.Bold {
		weight = "bold"
	}
	w.content("text", t.Text, append([]string{
		"x", num(t.X), "y", num(t.Y), "font-size", num(t.Size),
		"font-weight", weight, "fill", fill,
	}, kv...)...)
}

// rect writes a rectangle with optional corner radius.
func (w *writer) rect(r diagram.Rect, rx float64, kv ...string) {
	radius := ""
	if rx > 0 {
		radius = num(rx)
	}
	w.leaf("rect", append([]string{
		"x", num(r.X), "y", num(r.Y), "width", num(max(r.W, 0)), "height", num(max(r.H, 0)), "rx", radius,
	}, kv...)...)
}

// line writes a straight line.
func (w *writer) line(x1, y1, x2, y2 float64, kv ...string) {
	w.leaf("line", append([]string{"x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2)}, kv...)...)
}

// pathBuilder accumulates path data with fixed number formatting.
type pathBuilder struct{ strings.Builder }

func (p *pathBuilder) cmd(c string, vals ...float64) {
	if p.Len() > 0 {
		p.WriteByte(' ')
	}
	p.WriteString(c)
	for i, v := range vals {
		if i > 0 {
			p.WriteByte(',')
		}
		p.WriteString(num(v))
	}
}
