package bpmn

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
)

// Limits on input: a BPMN file is read whole into a tree, so its size,
// depth and element count are bounded before anything else happens.
const (
	MaxFileSize = 8 << 20 // bytes; the largest real diagrams are a few hundred KB
	MaxDepth    = 100     // nesting of elements
	MaxElements = 200_000 // elements in one file
)

// elem is one XML element with its position.
type elem struct {
	space, name string // namespace URI and local name
	attrs       map[string]string
	children    []*elem
	text        strings.Builder
	pos         relsop.Pos
}

func (e *elem) attr(name string) string { return e.attrs[name] }

// child returns the first child with the local name, or nil.
func (e *elem) child(name string) *elem {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (e *elem) all(name string) []*elem {
	var out []*elem
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// parse reads src into an element tree. It refuses DOCTYPE declarations
// (and with them every entity trick: billion laughs, external entities),
// and reports malformed XML with its line and column.
func parse(src []byte) (*elem, error) {
	if len(src) > MaxFileSize {
		return nil, importer.Errorf(relsop.Pos{Line: 1, Col: 1}, importer.CodeInvalid, "check that this is the BPMN file you meant",
			"file is larger than the %d MB limit for a BPMN file", MaxFileSize>>20)
	}
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = true
	// UTF-8 and ISO-8859-1 (which some modelers still write) are read;
	// any other declared charset is refused instead of being guessed at.
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
			return latin1(input)
		}
		return nil, fmt.Errorf("the encoding %q is not supported; save the file as UTF-8", charset)
	}
	var stack []*elem
	var root *elem
	count := 0
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(d, err)
		}
		pos := relsop.Pos{Line: line, Col: col}
		switch t := tok.(type) {
		case xml.Directive:
			text := strings.TrimSpace(string(t))
			what := "a DOCTYPE declaration"
			if !strings.HasPrefix(strings.ToUpper(text), "DOCTYPE") {
				what = "an XML declaration <!" + firstWord(text) + ">"
			}
			return nil, importer.Errorf(pos, importer.CodeUnsafe,
				"remove the DOCTYPE; BPMN files need none, and entity definitions are how XML attacks (billion laughs, external entities) work",
				"%s is refused: relsop does not read DTDs or entities in BPMN files", what)
		case xml.StartElement:
			count++
			if count > MaxElements {
				return nil, importer.Errorf(pos, importer.CodeInvalid, "check that this is the BPMN file you meant", "more than %d XML elements", MaxElements)
			}
			if len(stack) >= MaxDepth {
				return nil, importer.Errorf(pos, importer.CodeInvalid, "a BPMN process needs only a few levels of nesting", "elements are nested more than %d levels deep", MaxDepth)
			}
			e := &elem{space: t.Name.Space, name: t.Name.Local, attrs: map[string]string{}, pos: pos}
			for _, a := range t.Attr {
				if a.Name.Space == "" || a.Name.Space == t.Name.Space {
					e.attrs[a.Name.Local] = a.Value
				} else {
					e.attrs[a.Name.Space+" "+a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, importer.Errorf(relsop.Pos{Line: 1, Col: 1}, importer.CodeInvalid, "a BPMN file starts with <bpmn:definitions>", "the file holds no XML element")
	}
	return root, nil
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// syntaxError positions an XML error: the decoder gives the line; the
// column is where it stopped reading.
func syntaxError(d *xml.Decoder, err error) error {
	line, col := d.InputPos()
	var se *xml.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Msg
		if se.Line != line {
			line, col = se.Line, 1
		}
	}
	hint := "fix the XML here; a common cause is an unclosed element or an unescaped & or <"
	if strings.Contains(msg, "entity") {
		hint = "BPMN files use only the predefined entities (&amp; &lt; &gt; &quot; &apos;); relsop does not read DTDs"
	}
	return importer.Errorf(relsop.Pos{Line: line, Col: max(col, 1)}, importer.CodeInvalid, hint, "malformed XML: %s", msg)
}

// latin1 decodes ISO-8859-1, whose bytes are the first 256 code points.
func latin1(r io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return strings.NewReader(b.String()), nil
}
