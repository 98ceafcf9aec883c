package svg

import (
	"strings"

	"github.com/relsop/relsop/internal/diagram"
)

// writer emits indented SVG into one growing byte slice. Every attribute
// value and every piece of text is escaped as it is appended, so no caller
// can forget to escape user data: safety is a property of the writer, not of
// each call site. Numbers are appended in num's format, which holds nothing
// to escape.
//
// Each method builds its element in a local slice with the append functions
// below and stores it back once: while the garbage collector runs, every
// store of the slice into the writer costs a write barrier, which for short
// appends costs more than the appending.
type writer struct {
	b     []byte
	depth int
}

// open starts an element that has children.
func (w *writer) open(name string, kv ...string) {
	w.b = append(appendAttrs(w.startTag(name), kv), ">\n"...)
	w.depth++
}

// close ends the element opened last.
func (w *writer) close(name string) {
	w.depth--
	b := append(w.appendIndent(w.b), "</"...)
	b = append(b, name...)
	w.b = append(b, ">\n"...)
}

// leaf writes an element without children.
func (w *writer) leaf(name string, kv ...string) {
	w.b = append(appendAttrs(w.startTag(name), kv), "/>\n"...)
}

// content writes an element holding only text, on one line so that no
// indentation whitespace leaks into the text.
func (w *writer) content(name, text string, kv ...string) {
	w.b = appendContent(appendAttrs(w.startTag(name), kv), name, text)
}

// text draws one laid-out line as a real <text> element, so that it stays
// selectable, searchable and readable by assistive technology.
func (w *writer) text(t diagram.Text, fill string, kv ...string) {
	if strings.TrimSpace(t.Text) == "" {
		return
	}
	b := w.startTag("text")
	b = appendNumAttr(b, "x", t.X)
	b = appendNumAttr(b, "y", t.Y)
	b = appendNumAttr(b, "font-size", t.Size)
	if t.Bold {
		b = appendAttr(b, "font-weight", "bold")
	}
	b = appendAttr(b, "fill", fill)
	w.b = appendContent(appendAttrs(b, kv), "text", t.Text)
}

// rect writes a rectangle with optional corner radius.
func (w *writer) rect(r diagram.Rect, rx float64, kv ...string) {
	b := w.startTag("rect")
	b = appendNumAttr(b, "x", r.X)
	b = appendNumAttr(b, "y", r.Y)
	b = appendNumAttr(b, "width", max(r.W, 0))
	b = appendNumAttr(b, "height", max(r.H, 0))
	if rx > 0 {
		b = appendNumAttr(b, "rx", rx)
	}
	w.b = append(appendAttrs(b, kv), "/>\n"...)
}

// line writes a straight line.
func (w *writer) line(x1, y1, x2, y2 float64, kv ...string) {
	b := w.startTag("line")
	b = appendNumAttr(b, "x1", x1)
	b = appendNumAttr(b, "y1", y1)
	b = appendNumAttr(b, "x2", x2)
	b = appendNumAttr(b, "y2", y2)
	w.b = append(appendAttrs(b, kv), "/>\n"...)
}

// path writes a path with the data in d, after the class if class is not
// empty. The data is copied as it is: it holds only the command letters,
// digits and separators pathBuilder writes, nothing to escape.
func (w *writer) path(class string, d *pathBuilder, kv ...string) {
	b := appendAttr(w.startTag("path"), "class", class)
	if len(d.b) > 0 { // left out when empty, like any attribute
		b = append(b, ` d="`...)
		b = append(b, d.b...)
		b = append(b, '"')
	}
	w.b = append(appendAttrs(b, kv), "/>\n"...)
}

// startTag returns the document with the indentation and the start of a
// tag appended, up to its attributes.
func (w *writer) startTag(name string) []byte {
	b := append(w.appendIndent(w.b), '<')
	return append(b, name...)
}

func (w *writer) appendIndent(b []byte) []byte {
	for range w.depth {
		b = append(b, "  "...)
	}
	return b
}

// appendAttr appends one attribute; an empty value means "leave the
// attribute out".
func appendAttr(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, `="`...)
	b = appendEscaped(b, value)
	return append(b, '"')
}

// appendNumAttr appends an attribute holding a number, without making a
// string of it first.
func appendNumAttr(b []byte, name string, v float64) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, `="`...)
	b = appendNum(b, v)
	return append(b, '"')
}

// appendAttrs appends name-value pairs with appendAttr.
func appendAttrs(b []byte, kv []string) []byte {
	for i := 0; i+1 < len(kv); i += 2 {
		b = appendAttr(b, kv[i], kv[i+1])
	}
	return b
}

// appendContent ends a start tag and appends the element's text and its
// end tag.
func appendContent(b []byte, name, text string) []byte {
	b = append(b, '>')
	b = appendEscaped(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, ">\n"...)
}

// pathBuilder accumulates path data with num's fixed number formatting.
// The renderer keeps one and reuses its buffers from path to path (see
// renderer.newPath).
type pathBuilder struct {
	b   []byte
	pts []diagram.Point // roundedPath's simplified points
}

func (p *pathBuilder) cmd(c string, vals ...float64) {
	b := p.b // stored back once, as in writer
	if len(b) > 0 {
		b = append(b, ' ')
	}
	b = append(b, c...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, v)
	}
	p.b = b
}

// String returns the path data written so far.
func (p *pathBuilder) String() string { return string(p.b) }
