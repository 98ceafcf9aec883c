package syntax

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/relsop/relsop"
)

// Limits on input, so that a hostile or mistaken file fails fast with a
// clear message instead of exhausting memory or the stack.
const (
	MaxFileSize = 4 << 20 // bytes; the largest real SOPs are a few hundred KB
	MaxDepth    = 64      // nesting of mappings and lists
	MaxNodes    = 400_000 // values in one file
)

// Error codes of this package.
const (
	CodeSyntax      = "yaml-syntax"
	CodeTooLarge    = "too-large"
	CodeNotText     = "not-text"
	CodeEmpty       = "empty"
	CodeUnsupported = "unsupported-yaml"
	CodeDuplicate   = "duplicate-key"
)

// Parse reads src into a tree. On failure it returns a finding with the
// position of the problem; the YAML parser stops at its first error, so
// there is at most one.
func Parse(src []byte) (f *File, err *relsop.Finding) {
	if fe := precheck(src); fe != nil {
		return nil, fe
	}
	defer func() {
		// The YAML parser is third-party code fed with user input: a panic
		// in it must become an error, never a crash.
		if r := recover(); r != nil {
			f, err = nil, &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1},
				Message: fmt.Sprintf("the YAML could not be parsed (%v)", r), Hint: "check the file is valid YAML"}
		}
	}()
	astFile, perr := parser.ParseBytes(src, 0)
	if perr != nil {
		return nil, parserError(perr)
	}
	b := &builder{}
	var root *Node
	for _, doc := range astFile.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		n := b.node(doc.Body, 0)
		if b.err != nil {
			return nil, b.err
		}
		if root != nil {
			return nil, &relsop.Finding{Code: CodeUnsupported, Severity: relsop.SeverityError, Pos: n.Pos,
				Message: "a second YAML document in one file", Hint: "keep one SOP per file; remove the --- separator"}
		}
		root = n
	}
	file := &File{Root: root}
	attachComments(file, src, b.entries)
	return file, nil
}

// precheck rejects input that is too large, not text, or nested too deeply
// for the recursive YAML parser to handle safely.
func precheck(src []byte) *relsop.Finding {
	first := relsop.Pos{Line: 1, Col: 1}
	if len(src) > MaxFileSize {
		return &relsop.Finding{Code: CodeTooLarge, Pos: first, Severity: relsop.SeverityError,
			Message: fmt.Sprintf("file is %s, larger than the %s limit for an SOP", size(len(src)), size(MaxFileSize)),
			Hint:    "split the procedure into several SOPs, or check that this is the file you meant"}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 || !utf8.Valid(src) {
		pos := first
		if i >= 0 {
			pos = offsetPos(src, i)
		} else {
			pos = offsetPos(src, firstInvalidUTF8(src))
		}
		return &relsop.Finding{Code: CodeNotText, Pos: pos, Severity: relsop.SeverityError,
			Message: "file is not UTF-8 text", Hint: "an SOP file is YAML text; save it as UTF-8"}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return &relsop.Finding{Code: CodeEmpty, Pos: first, Severity: relsop.SeverityError,
			Message: "file is empty", Hint: "start from a template: relsop new --template saas-weekly"}
	}
	if off, ok := tooDeep(src); ok {
		return &relsop.Finding{Code: CodeTooLarge, Pos: offsetPos(src, off), Severity: relsop.SeverityError,
			Message: fmt.Sprintf("values are nested more than %d levels deep", MaxDepth), Hint: "an SOP needs only a few levels of nesting; flatten the structure"}
	}
	return nil
}

// tooDeep estimates nesting without parsing: flow brackets opened and not
// closed, and block indicators ("- ", "? ") stacked on one line, both of
// which cost the parser a level of recursion each. Quotes are skipped.
func tooDeep(src []byte) (int, bool) {
	depth := 0
	var quote byte
	lineStart := true
	stacked := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
			continue
		}
		switch c {
		case '\n':
			lineStart, stacked = true, 0
			continue
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
			continue
		case '"', '\'':
			if i == 0 || src[i-1] == ' ' || src[i-1] == '[' || src[i-1] == '{' || src[i-1] == ',' || src[i-1] == ':' || src[i-1] == '\n' {
				quote = c
			}
		case '[', '{':
			depth++
			if depth > MaxDepth {
				return i, true
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '-', '?', ':':
			if lineStart && (i+1 == len(src) || src[i+1] == ' ') {
				stacked++
				if stacked > MaxDepth {
					return i, true
				}
				continue
			}
		case ' ', '\t':
			continue
		}
		lineStart = false
	}
	return 0, false
}

func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func offsetPos(src []byte, off int) relsop.Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return relsop.Pos{Line: line, Col: 1 + utf8.RuneCount(src[start:off])}
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// parserError turns the YAML parser's error into a positioned finding.
func parserError(err error) *relsop.Finding {
	f := &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1}}
	var ye yaml.Error
	msg := err.Error()
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			f.Pos = relsop.Pos{Line: tk.Position.Line, Col: tk.Position.Column}
		}
	}
	if strings.Contains(msg, "already defined") {
		f.Code = CodeDuplicate
		f.Hint = "each key may appear once in a mapping; merge the two entries"
	} else {
		f.Hint = "fix the YAML syntax here; a common cause is indentation or an unclosed quote or bracket"
	}
	f.Message = "YAML: " + msg
	return f
}

// builder converts the parser's AST into the tree, counting nodes and
// recording every mapping entry and list item so comments can be attached.
type builder struct {
	nodes   int
	err     *relsop.Finding
	entries []entry
}

// entry is a place a comment can attach to: a mapping key or a list item.
type entry struct {
	line int
	node *Node
}

func (b *builder) fail(n ast.Node, code, msg, hint string) *relsop.Finding {
	if b.err == nil {
		b.err = &relsop.Finding{Code: code, Severity: relsop.SeverityError, Pos: tokenPos(n.GetToken()), Message: msg, Hint: hint}
	}
	return b.err
}

func tokenPos(tk *token.Token) relsop.Pos {
	if tk == nil || tk.Position == nil {
		return relsop.Pos{Line: 1, Col: 1}
	}
	return relsop.Pos{Line: tk.Position.Line, Col: tk.Position.Column}
}

func (b *builder) node(n ast.Node, depth int) *Node {
	if b.err != nil {
		return nil
	}
	b.nodes++
	if b.nodes > MaxNodes {
		b.fail(n, CodeTooLarge, fmt.Sprintf("more than %d values in one file", MaxNodes), "split the procedure into several SOPs")
		return nil
	}
	if depth > MaxDepth {
		b.fail(n, CodeTooLarge, fmt.Sprintf("values are nested more than %d levels deep", MaxDepth), "flatten the structure")
		return nil
	}
	pos := tokenPos(n.GetToken())
	switch v := n.(type) {
	case *ast.NullNode:
		return &Node{Kind: Null, Pos: pos}
	case *ast.StringNode:
		return &Node{Kind: Scalar, Type: String, Value: v.Value, Pos: pos}
	case *ast.LiteralNode:
		return &Node{Kind: Scalar, Type: String, Value: v.Value.Value, Block: true, Pos: pos}
	case *ast.IntegerNode:
		return &Node{Kind: Scalar, Type: Int, Value: v.GetToken().Value, Pos: pos}
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return &Node{Kind: Scalar, Type: Float, Value: n.GetToken().Value, Pos: pos}
	case *ast.BoolNode:
		return &Node{Kind: Scalar, Type: Bool, Value: v.GetToken().Value, Pos: pos}
	case *ast.MappingNode:
		return b.mapping(v.Values, v.IsFlowStyle, pos, depth)
	case *ast.MappingValueNode:
		return b.mapping([]*ast.MappingValueNode{v}, false, pos, depth)
	case *ast.SequenceNode:
		out := &Node{Kind: Sequence, Flow: v.IsFlowStyle, Pos: pos}
		for _, item := range v.Values {
			// The item's entry is reserved before its children's so that,
			// among entries on one line, the outermost comes first.
			slot := len(b.entries)
			if !v.IsFlowStyle {
				b.entries = append(b.entries, entry{})
			}
			child := b.node(item, depth+1)
			if b.err != nil {
				return nil
			}
			out.Items = append(out.Items, child)
			if !v.IsFlowStyle {
				b.entries[slot] = entry{line: child.Pos.Line, node: child}
			}
		}
		return out
	case *ast.AnchorNode, *ast.AliasNode:
		b.fail(n, CodeUnsupported, "YAML anchors and aliases (& and *) are not supported in SOP files",
			"write the value out in full: each step of an SOP should read on its own")
	case *ast.TagNode:
		b.fail(n, CodeUnsupported, fmt.Sprintf("YAML tag %s is not supported in SOP files", v.Start.Value), "remove the tag; relsop infers every type from the field")
	case *ast.MergeKeyNode:
		b.fail(n, CodeUnsupported, "YAML merge keys (<<) are not supported in SOP files", "write the keys out in full")
	default:
		b.fail(n, CodeUnsupported, fmt.Sprintf("unsupported YAML construct (%s)", n.Type()), "use plain mappings, lists and scalars")
	}
	return nil
}

func (b *builder) mapping(values []*ast.MappingValueNode, flow bool, pos relsop.Pos, depth int) *Node {
	out := &Node{Kind: Mapping, Flow: flow, Pos: pos}
	for _, mv := range values {
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			b.fail(mv.Key, CodeUnsupported, "YAML merge keys (<<) are not supported in SOP files", "write the keys out in full")
			return nil
		}
		key := b.node(mv.Key, depth+1)
		if b.err != nil {
			return nil
		}
		if key.Kind != Scalar {
			b.fail(mv.Key, CodeUnsupported, "a mapping key must be a plain name", "write keys as simple words, such as id: or name:")
			return nil
		}
		val := b.node(mv.Value, depth+1)
		if b.err != nil {
			return nil
		}
		if val.Kind == Null && (val.Pos.Line < key.Pos.Line || (val.Pos.Line == key.Pos.Line && val.Pos.Col <= key.Pos.Col)) {
			val.Pos = key.Pos // an empty value has no token of its own
		}
		out.Pairs = append(out.Pairs, &Pair{Key: key, Value: val})
		if !flow {
			b.entries = append(b.entries, entry{line: key.Pos.Line, node: key})
		}
	}
	if len(out.Pairs) > 0 {
		out.Pos = out.Pairs[0].Key.Pos
	}
	return out
}
