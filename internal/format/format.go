// Package format prints a parsed SOP file in the one canonical layout that
// relsop fmt writes: keys in the order of the schema, two-space block
// indentation, plain scalars where YAML reads them back unchanged, short
// reference lists inline, and every comment kept. Formatting is
// idempotent: formatting the output again changes nothing.
package format

import (
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/syntax"
)

// MaxFlowWidth is the widest line a list may take written inline as
// [a, b]; a longer list is written one item per line.
const MaxFlowWidth = 100

// spacedLists are the top-level lists whose items are separated by a blank
// line: their items are long enough that the eye needs the break.
var spacedLists = map[string]bool{"steps": true, "release_types": true}

// Format returns the canonical text of f. It does not change f.
func Format(f *syntax.File) []byte {
	p := &printer{}
	root := clone(f.Root)
	if root != nil {
		var top []string
		if root.Kind == syntax.Mapping && len(root.Pairs) > 0 {
			// Comments above the first key open the file (a licence, an
			// editor directive); they stay first whichever key sorts first.
			top, root.Pairs[0].Key.Head = root.Pairs[0].Key.Head, nil
		}
		normalize(root, context{obj: schema.SOPObj})
		p.comments(0, top)
		p.root(root)
	}
	p.comments(0, f.Foot)
	if p.b.Len() == 0 {
		// A document with no content and no comments: "---" is the
		// shortest text that parses back to it.
		return []byte("---\n")
	}
	return []byte(p.b.String())
}

// printer accumulates the output, one line at a time.
type printer struct {
	b strings.Builder
}

func indent(n int) string { return strings.Repeat(" ", n) }

// line writes one line of output with an optional trailing comment.
func (p *printer) line(text, comment string) {
	if comment != "" {
		text += "  # " + comment
	}
	p.b.WriteString(strings.TrimRight(text, " "))
	p.b.WriteByte('\n')
}

// comments writes whole-line comments at an indentation.
func (p *printer) comments(n int, cs []string) {
	for _, c := range cs {
		if c == "" {
			p.line(indent(n)+"#", "")
		} else {
			p.line(indent(n)+"# "+c, "")
		}
	}
}

// root writes the document's top-level value.
func (p *printer) root(n *syntax.Node) {
	switch {
	case n.Kind == syntax.Mapping && len(n.Pairs) > 0:
		p.mapping(n, schema.SOPObj, 0, "", true)
	case n.Kind == syntax.Sequence && len(n.Items) > 0:
		p.sequence(n, context{}, 0, "", false)
	case n.Kind == syntax.Scalar && n.Type == syntax.String && !literal(n):
		// At the top level "..." and "---" are document markers, so a
		// string there is always quoted.
		p.line(quote(n.Value), n.Line)
	case n.Kind == syntax.Null:
		p.line("null", n.Line)
	default:
		p.value("", n, context{}, 0, n.Line, false)
	}
}

// mapping writes the pairs of a non-empty block mapping at column n. When
// lead is set, the first pair goes on that line, already begun with the
// "- " of a list item; normalize has hoisted its comments above the item.
// At the top level, block collections are separated by blank lines.
func (p *printer) mapping(m *syntax.Node, obj *schema.Obj, n int, lead string, top bool) {
	prevBlock := false
	for i, pair := range m.Pairs {
		prefix := indent(n)
		if i == 0 && lead != "" {
			prefix = lead
		}
		head := prefix + scalarText(pair.Key, inKey) + ":"
		c := valueContext(obj, pair.Key.Value)
		block := isBlock(head, pair.Value, c)
		if top && i > 0 && block && prevBlock {
			p.b.WriteByte('\n')
		}
		prevBlock = block
		p.comments(n, pair.Key.Head)
		p.value(head, pair.Value, c, n, pair.Key.Line, top && spacedLists[pair.Key.Value])
	}
}

// sequence writes the items of a non-empty block list with their dashes at
// column n; lead is as for mapping. Items of spaced lists are separated by
// blank lines.
func (p *printer) sequence(s *syntax.Node, c context, n int, lead string, spaced bool) {
	for i, it := range s.Items {
		prefix := indent(n)
		if i == 0 && lead != "" {
			prefix = lead
		}
		if spaced && i > 0 {
			p.b.WriteByte('\n')
		}
		p.comments(n, it.Head)
		switch {
		case it.Kind == syntax.Mapping && len(it.Pairs) > 0:
			p.mapping(it, c.obj, n+2, prefix+"- ", false)
		case it.Kind == syntax.Sequence && len(it.Items) > 0:
			p.sequence(it, context{}, n+2, prefix+"- ", false)
		default:
			p.value(prefix+"-", it, c, n, it.Line, false)
		}
	}
}

// value writes a value after head ("key:" or "-", already indented) for an
// entry at column n, with the entry's trailing comment. A block collection
// starts on the next line, indented two columns further.
func (p *printer) value(head string, v *syntax.Node, c context, n int, comment string, spaced bool) {
	sep := " "
	if head == "" {
		sep = ""
	}
	switch v.Kind {
	case syntax.Null:
		p.line(head, comment)
	case syntax.Scalar:
		if c.field != nil && c.field.Type == schema.Text && !literal(v) {
			if lines, ok := folded(v.Value, maxWidth-n-2); ok && len(head)+1+len(v.Value) > maxWidth {
				p.line(head+sep+">-", comment)
				for _, l := range lines {
					p.line(indent(n+2)+l, "")
				}
				return
			}
		}
		if !literal(v) {
			p.line(head+sep+scalarText(v, inValue), comment)
			return
		}
		header, lines := literalLines(v.Value)
		p.line(head+sep+header, comment)
		for _, l := range lines {
			p.line(indent(n+2)+l, "")
		}
	case syntax.Mapping:
		if len(v.Pairs) == 0 {
			p.line(head+sep+"{}", comment)
			return
		}
		p.line(head, comment)
		p.mapping(v, c.obj, n+2, "", false)
	case syntax.Sequence:
		if len(v.Items) == 0 {
			p.line(head+sep+"[]", comment)
			return
		}
		if flow, ok := flowText(head, v, c); ok {
			p.line(head+sep+flow, comment)
			return
		}
		p.line(head, comment)
		p.sequence(v, itemContext(c), n+2, "", spaced)
	}
}

// literal reports whether a scalar is written as a | block.
func literal(n *syntax.Node) bool {
	return n.Type == syntax.String && strings.Contains(n.Value, "\n") && literalOK(n.Value)
}

// isBlock reports whether a value after head takes lines of its own.
func isBlock(head string, v *syntax.Node, c context) bool {
	switch v.Kind {
	case syntax.Mapping:
		return len(v.Pairs) > 0
	case syntax.Sequence:
		_, flow := flowText(head, v, c)
		return len(v.Items) > 0 && !flow
	}
	return false
}

// flowText returns a list written inline as [a, b], and whether it may be:
// only lists of references or strings, of plain scalars without comments,
// that fit on a line of MaxFlowWidth columns after head.
func flowText(head string, s *syntax.Node, c context) (string, bool) {
	if c.field == nil || (c.field.Type != schema.RefList && c.field.Type != schema.StringList) {
		return "", false
	}
	items := make([]string, len(s.Items))
	for i, it := range s.Items {
		if it.Kind != syntax.Scalar || len(it.Head) > 0 || it.Line != "" || it.Type == syntax.String && !plainOK(it.Value, inFlow) {
			return "", false
		}
		items[i] = it.Value
	}
	text := "[" + strings.Join(items, ", ") + "]"
	return text, utf8.RuneCountInString(head)+1+utf8.RuneCountInString(text) <= MaxFlowWidth
}
