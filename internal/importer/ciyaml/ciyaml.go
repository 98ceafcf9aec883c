// Package ciyaml reads the YAML of CI pipeline files (GitHub Actions
// workflows, GitLab CI files) into a small positioned tree. It differs from
// package syntax, which reads *.sop.yaml files and refuses what an SOP
// never needs, in accepting what real pipelines use: several documents in
// one file, anchors and aliases, merge keys (<<) and tags such as GitLab's
// !reference. Aliases share the anchor's node, so a file of nested aliases
// (the YAML form of "billion laughs") costs no more memory than its text.
package ciyaml

import (
	"bytes"
	"errors"
	"fmt"
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
	MaxFileSize = 4 << 20 // bytes; the largest real pipelines are a few hundred KB
	MaxDepth    = 100     // nesting of flow collections ([ and {) in the text
	MaxNodes    = 500_000 // values in one file
)

// Error codes of this package.
const (
	CodeSyntax   = "yaml-syntax"
	CodeTooLarge = "too-large"
	CodeNotText  = "not-text"
	CodeEmpty    = "empty"
)

// Kind is the shape of a node.
type Kind int

// The shapes a node can have.
const (
	Null Kind = iota
	Scalar
	Mapping
	Sequence
)

// Node is one value of the tree.
type Node struct {
	Kind  Kind
	File  string // the file the node was read from, as named to ParseFile
	Tag   string // an explicit tag such as !reference; empty when none
	Value string // scalars: the decoded text
	Pos   relsop.Pos
	Pairs []*Pair // mappings, in file order, merge keys already applied
	Items []*Node // sequences

	// Dups are keys written more than once in this mapping; the last
	// value wins, as in GitLab, and the importers warn about them.
	Dups []*Node
}

// Pair is one key: value entry of a mapping.
type Pair struct {
	Key, Value *Node
	Merged     bool // the entry came from a merge key (<<: *anchor)
}

// Get returns the value of key in a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if p := n.Pair(key); p != nil {
		return p.Value
	}
	return nil
}

// Pair returns the entry of key in a mapping, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i := len(n.Pairs) - 1; i >= 0; i-- {
		if n.Pairs[i].Key.Value == key {
			return n.Pairs[i]
		}
	}
	return nil
}

// Has reports whether a mapping has key.
func (n *Node) Has(key string) bool { return n.Pair(key) != nil }

// Str returns a scalar's text, or "" for anything else.
func (n *Node) Str() string {
	if n == nil || n.Kind != Scalar {
		return ""
	}
	return n.Value
}

// Strings returns a scalar as a one-element list, or the scalar items of a
// sequence.
func (n *Node) Strings() []string {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Scalar:
		return []string{n.Value}
	case Sequence:
		var out []string
		for _, it := range n.Items {
			if it != nil && it.Kind == Scalar {
				out = append(out, it.Value)
			}
		}
		return out
	}
	return nil
}

// Keys returns the keys of a mapping in file order, each once.
func (n *Node) Keys() []string {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range n.Pairs {
		if !seen[p.Key.Value] {
			seen[p.Key.Value] = true
			out = append(out, p.Key.Value)
		}
	}
	return out
}

// Describe says what a node is, for messages.
func (n *Node) Describe() string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case Scalar:
		return "a scalar"
	case Mapping:
		return "a mapping"
	case Sequence:
		return "a list"
	}
	return "nothing"
}

// Parse reads every document of src. A failure is one finding with the
// position of the problem and no file name; the caller adds it. Empty
// documents are left out.
func Parse(src []byte) (docs []*Node, fail *relsop.Finding) { return ParseFile("", src) }

// ParseFile is Parse for a file read as one of several (an include): its
// name is kept on every node, so that warnings can say which file they are
// about.
func ParseFile(name string, src []byte) (docs []*Node, fail *relsop.Finding) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if f := precheck(src); f != nil {
		return nil, f
	}
	// The parser counts a CRLF after a comment as two line breaks; LF
	// alone reads the same and keeps every position.
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	defer func() {
		// The YAML parser is third-party code fed with user input: a panic
		// in it must become an error, never a crash.
		if r := recover(); r != nil {
			docs, fail = nil, &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1},
				Message: fmt.Sprintf("the YAML could not be parsed (%v)", r), Hint: "check that the file is valid YAML"}
		}
	}()
	file, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, parserError(err)
	}
	b := &builder{anchors: map[string]*Node{}, file: name}
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		n := b.node(doc.Body, 0)
		if b.err != nil {
			return nil, b.err
		}
		if n != nil && n.Kind != Null {
			docs = append(docs, n)
		}
	}
	if len(docs) == 0 {
		return nil, &relsop.Finding{Code: CodeEmpty, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1},
			Message: "the file holds no YAML values", Hint: "name a pipeline file with jobs in it"}
	}
	return docs, nil
}

func precheck(src []byte) *relsop.Finding {
	first := relsop.Pos{Line: 1, Col: 1}
	if len(src) > MaxFileSize {
		return &relsop.Finding{Code: CodeTooLarge, Severity: relsop.SeverityError, Pos: first,
			Message: fmt.Sprintf("file is larger than the %d MB limit for a pipeline", MaxFileSize>>20),
			Hint:    "check that this is the pipeline file you meant"}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 || !utf8.Valid(src) {
		if i < 0 {
			i = firstInvalid(src)
		}
		return &relsop.Finding{Code: CodeNotText, Severity: relsop.SeverityError, Pos: OffsetPos(src, i),
			Message: "file is not UTF-8 text", Hint: "a pipeline file is YAML text; save it as UTF-8"}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return &relsop.Finding{Code: CodeEmpty, Severity: relsop.SeverityError, Pos: first,
			Message: "file is empty", Hint: "name a pipeline file with jobs in it"}
	}
	if off, ok := tooDeep(src); ok {
		return &relsop.Finding{Code: CodeTooLarge, Severity: relsop.SeverityError, Pos: OffsetPos(src, off),
			Message: fmt.Sprintf("values are nested more than %d levels deep", MaxDepth), Hint: "a pipeline needs only a few levels of nesting"}
	}
	return nil
}

// tooDeep finds flow collections nested beyond MaxDepth, which would drive
// the recursive parser deep into the stack. Brackets inside quotes and
// comments are counted too; no real file comes near the limit either way.
func tooDeep(src []byte) (int, bool) {
	depth := 0
	for i, c := range src {
		switch c {
		case '[', '{':
			depth++
			if depth > MaxDepth {
				return i, true
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0, false
}

func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// OffsetPos converts a byte offset of src to a line and column.
func OffsetPos(src []byte, off int) relsop.Pos {
	off = min(max(off, 0), len(src))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return relsop.Pos{Line: line, Col: 1 + utf8.RuneCount(src[start:off])}
}

func parserError(err error) *relsop.Finding {
	f := &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1},
		Hint: "fix the YAML syntax here; a common cause is indentation or an unclosed quote or bracket"}
	msg := err.Error()
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			f.Pos = relsop.Pos{Line: max(tk.Position.Line, 1), Col: max(tk.Position.Column, 1)}
		}
	}
	f.Message = "YAML: " + msg
	return f
}

type builder struct {
	file    string
	anchors map[string]*Node
	nodes   int
	err     *relsop.Finding
}

func (b *builder) fail(pos relsop.Pos, code, msg, hint string) {
	if b.err == nil {
		b.err = &relsop.Finding{Code: code, Severity: relsop.SeverityError, Pos: pos, Message: msg, Hint: hint}
	}
}

func posOf(n ast.Node) relsop.Pos {
	if n == nil {
		return relsop.Pos{Line: 1, Col: 1}
	}
	return tokenPos(n.GetToken())
}

func tokenPos(tk *token.Token) relsop.Pos {
	if tk == nil || tk.Position == nil {
		return relsop.Pos{Line: 1, Col: 1}
	}
	return relsop.Pos{Line: max(tk.Position.Line, 1), Col: max(tk.Position.Column, 1)}
}

func (b *builder) node(n ast.Node, depth int) *Node {
	out := b.build(n, depth)
	if out.File == "" {
		out.File = b.file
	}
	return out
}

func (b *builder) build(n ast.Node, depth int) *Node {
	if b.err != nil || n == nil {
		return &Node{Kind: Null}
	}
	b.nodes++
	pos := posOf(n)
	if b.nodes > MaxNodes {
		b.fail(pos, CodeTooLarge, fmt.Sprintf("more than %d values in one file", MaxNodes), "check that this is the pipeline file you meant")
		return &Node{Kind: Null}
	}
	if depth > MaxDepth {
		b.fail(pos, CodeTooLarge, fmt.Sprintf("values are nested more than %d levels deep", MaxDepth), "a pipeline needs only a few levels of nesting")
		return &Node{Kind: Null}
	}
	switch v := n.(type) {
	case *ast.NullNode:
		return &Node{Kind: Null, Pos: pos}
	case *ast.StringNode:
		return &Node{Kind: Scalar, Value: v.Value, Pos: pos}
	case *ast.LiteralNode:
		return &Node{Kind: Scalar, Value: v.Value.Value, Pos: pos}
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode, *ast.BoolNode:
		return &Node{Kind: Scalar, Value: n.GetToken().Value, Pos: pos}
	case *ast.MappingNode:
		return b.mapping(v.Values, pos, depth)
	case *ast.MappingValueNode:
		return b.mapping([]*ast.MappingValueNode{v}, pos, depth)
	case *ast.SequenceNode:
		out := &Node{Kind: Sequence, Pos: pos}
		for _, it := range v.Values {
			out.Items = append(out.Items, b.node(it, depth+1))
		}
		return out
	case *ast.AnchorNode:
		val := b.node(v.Value, depth+1)
		if v.Name != nil {
			b.anchors[v.Name.GetToken().Value] = val
		}
		return val
	case *ast.AliasNode:
		name := ""
		if v.Value != nil {
			name = v.Value.GetToken().Value
		}
		if a, ok := b.anchors[name]; ok {
			return a
		}
		b.fail(pos, CodeSyntax, fmt.Sprintf("YAML: the alias *%s names no anchor defined before it", name), "define the anchor (&"+name+") earlier in the file")
		return &Node{Kind: Null}
	case *ast.TagNode:
		tag := ""
		if v.Start != nil {
			tag = v.Start.Value
		}
		val := b.node(v.Value, depth+1)
		if val.Kind == Null && val.Pos.Line == 0 {
			val.Pos = pos
		}
		// A copy, so that a tag on an alias does not change the anchor.
		c := *val
		c.Tag = tag
		return &c
	case *ast.CommentNode:
		return &Node{Kind: Null, Pos: pos}
	case *ast.MergeKeyNode:
		return &Node{Kind: Scalar, Value: "<<", Pos: pos}
	}
	b.fail(pos, CodeSyntax, fmt.Sprintf("unsupported YAML construct (%s)", n.Type()), "use plain mappings, lists and scalars")
	return &Node{Kind: Null}
}

func (b *builder) mapping(values []*ast.MappingValueNode, pos relsop.Pos, depth int) *Node {
	out := &Node{Kind: Mapping, Pos: pos}
	var merged []*Node
	seen := map[string]bool{}
	for _, mv := range values {
		if mv == nil {
			continue
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			src := b.node(mv.Value, depth+1)
			switch src.Kind {
			case Mapping:
				merged = append(merged, src)
			case Sequence:
				for _, it := range src.Items {
					if it.Kind == Mapping {
						merged = append(merged, it)
					}
				}
			}
			continue
		}
		key := b.node(mv.Key, depth+1)
		if b.err != nil {
			return &Node{Kind: Null}
		}
		if key.Kind != Scalar {
			// Complex keys (? [a, b]) never appear in pipelines; keep
			// the entry under its text so nothing is dropped silently.
			key = &Node{Kind: Scalar, Value: key.Describe(), Pos: key.Pos}
		}
		val := b.node(mv.Value, depth+1)
		if val.Kind == Null && val.Pos.Line == 0 {
			val = &Node{Kind: Null, Pos: key.Pos}
		}
		if seen[key.Value] {
			out.Dups = append(out.Dups, key)
		}
		seen[key.Value] = true
		out.Pairs = append(out.Pairs, &Pair{Key: key, Value: val})
	}
	// Merged entries take the place of keys not written explicitly; the
	// first merged mapping wins over later ones, as YAML specifies.
	for _, m := range merged {
		for _, p := range m.Pairs {
			if seen[p.Key.Value] {
				continue
			}
			seen[p.Key.Value] = true
			out.Pairs = append(out.Pairs, &Pair{Key: p.Key, Value: p.Value, Merged: true})
		}
	}
	if len(out.Pairs) > 0 && len(values) > 0 {
		out.Pos = posOf(values[0].Key)
	}
	return out
}
