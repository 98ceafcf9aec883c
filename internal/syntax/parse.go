package syntax

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
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
	MaxKeys     = 1_000   // entries in one mapping; an SOP object has a few dozen fields
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
	// A byte order mark may open a YAML stream, and some Windows editors
	// write one, but the parser would read it as part of the first key.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if fe := precheck(src); fe != nil {
		return nil, fe
	}
	// The parser counts the CRLF after a comment as two line breaks, which
	// puts every later position of a Windows file on the wrong line. LF
	// alone means the same to YAML and keeps every line and column; precheck
	// has rejected any other CR, so none is left. Most files have no CR,
	// and ReplaceAll would copy them all the same.
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	// The text is copied once, here, for both paths: the tree's strings
	// are slices of it.
	text := string(src)
	if f, ok := parseFast(text); ok {
		return f, nil
	}
	return parseYAML(text)
}

// parseYAML reads src, already prechecked and with LF line ends, with the
// general YAML parser.
func parseYAML(src string) (f *File, err *relsop.Finding) {
	defer func() {
		// The YAML parser is third-party code fed with user input: a panic
		// in it must become an error, never a crash.
		if r := recover(); r != nil {
			f, err = nil, &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1},
				Message: fmt.Sprintf("the YAML could not be parsed (%v)", r), Hint: "check the file is valid YAML"}
		}
	}()
	lines := lineLengths(src)
	tokens := lexer.Tokenize(src)
	if fe := crowded(tokens, lines); fe != nil {
		return nil, fe
	}
	if fe := tabInPlain(tokens, lines); fe != nil {
		return nil, fe
	}
	// Comments are read from the tokens before the parser consumes them,
	// so the file is scanned once.
	comments := commentsOf(tokens)
	astFile, perr := parser.Parse(tokens, 0)
	if perr != nil {
		return nil, parserError(perr, lines)
	}
	b := &builder{lines: lines}
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
	attachComments(file, strings.Split(src, "\n"), b.entries, comments)
	return file, nil
}

// precheck rejects input that is too large, not text, or nested too deeply
// for the recursive YAML parser to handle safely.
func precheck(src []byte) *relsop.Finding {
	first := relsop.Pos{Line: 1, Col: 1}
	if len(src) > MaxFileSize {
		return &relsop.Finding{Code: CodeTooLarge, Pos: first, Severity: relsop.SeverityError,
			// Callers may stop reading just past the limit, so the size
			// of src need not be the size of the file.
			Message: fmt.Sprintf("file is larger than the %s limit for an SOP", size(MaxFileSize)),
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
	if i := loneCR(src); i >= 0 {
		// The parser counts a lone CR as a line break; everything else
		// counts lines by LF, so positions would point at the wrong line.
		return &relsop.Finding{Code: CodeUnsupported, Pos: offsetPos(src, i), Severity: relsop.SeverityError,
			Message: "a carriage return (CR) without a line feed; lines must end in LF or CRLF",
			Hint:    "save the file with Unix (LF) or Windows (CRLF) line endings"}
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
	if !mayBeTooDeep(src) {
		return 0, false
	}
	depth := 0
	lineStart := true
	stacked := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !lineStart && !deepSignal[c] {
			continue // most of a file: one lookup a byte
		}
		switch c {
		case '\n':
			lineStart, stacked = true, 0
			continue
		case '#':
			i = endOfLine(src, i) - 1
			continue
		case '"', '\'':
			if i == 0 || src[i-1] == ' ' || src[i-1] == '[' || src[i-1] == '{' || src[i-1] == ',' || src[i-1] == ':' || src[i-1] == '\n' {
				i = closingQuote(src, i)
				lineStart = false
				continue
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

// mayBeTooDeep is a quick bound for tooDeep, which is otherwise a good
// part of the time of loading a file: it reports false when there are too
// few brackets in all to nest too deep, and no line starts with too many
// block indicators (counted as tooDeep counts them, but also in quoted text
// and comments, which tooDeep skips).
func mayBeTooDeep(src []byte) bool {
	if bytes.Count(src, []byte("["))+bytes.Count(src, []byte("{")) > MaxDepth {
		return true
	}
	for start := 0; start < len(src); start = endOfLine(src, start) + 1 {
		stacked := 0
		for i := start; i < len(src); i++ {
			if c := src[i]; c == '-' || c == '?' || c == ':' {
				if i+1 < len(src) && src[i+1] != ' ' {
					break
				}
				if stacked++; stacked > MaxDepth {
					return true
				}
			} else if c != ' ' && c != '\t' {
				break
			}
		}
	}
	return false
}

// deepSignal are the bytes tooDeep acts on after the start of a line.
var deepSignal = [256]bool{'\n': true, '#': true, '"': true, '\'': true, '[': true, '{': true, ']': true, '}': true}

// endOfLine is the offset of the line break at or after i, or len(src).
func endOfLine(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// closingQuote is the offset of the quote that closes the one at open
// (after a backslash escape in double quotes), or len(src); line breaks
// inside quotes are skipped with the rest.
func closingQuote(src []byte, open int) int {
	q := src[open]
	for i := open + 1; i < len(src); i++ {
		switch src[i] {
		case q:
			return i
		case '\\':
			if q == '"' {
				i++
			}
		}
	}
	return len(src)
}

// crowded rejects, before parsing, a mapping with more than MaxKeys
// entries, which the YAML parser would take time quadratic in the entries
// to read (a 4 MB file of keys takes minutes), and input with more keys and
// list items than MaxNodes. It works on the tokens alone: the keys of one
// block mapping share a column, and a token further left ends the mapping.
func crowded(tokens token.Tokens, lines []int) *relsop.Finding {
	type run struct{ col, keys int }
	var runs []run // open mappings, innermost last
	values := 0
	for i, tk := range tokens {
		if tk.Position == nil || tk.Type == token.CommentType {
			continue // comments may sit anywhere without ending a mapping
		}
		col := tk.Position.Column
		for len(runs) > 0 && runs[len(runs)-1].col > col {
			runs = runs[:len(runs)-1]
		}
		switch {
		case tk.Type == token.SequenceEntryType:
			values++
		case i+1 < len(tokens) && tokens[i+1].Type == token.MappingValueType:
			values++
			if len(runs) == 0 || runs[len(runs)-1].col < col {
				runs = append(runs, run{col: col})
			}
			runs[len(runs)-1].keys++
			if runs[len(runs)-1].keys > MaxKeys {
				return &relsop.Finding{Code: CodeTooLarge, Severity: relsop.SeverityError, Pos: within(tokenPos(tk), lines),
					Message: fmt.Sprintf("more than %d entries in one mapping", MaxKeys), Hint: "an SOP object has a few dozen fields; check the indentation"}
			}
		}
		if values > MaxNodes {
			return &relsop.Finding{Code: CodeTooLarge, Severity: relsop.SeverityError, Pos: within(tokenPos(tk), lines),
				Message: fmt.Sprintf("more than %d values in one file", MaxNodes), Hint: "split the procedure into several SOPs"}
		}
	}
	return nil
}

// loneCR returns the offset of the first CR not followed by LF, or -1.
func loneCR(src []byte) int {
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\r')
		if i < 0 {
			return -1
		}
		off += i
		if off+1 == len(src) || src[off+1] != '\n' {
			return off
		}
		off++
	}
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

// lineLengths returns the length in runes of each line of src.
func lineLengths(src string) []int {
	out := make([]int, 0, strings.Count(src, "\n")+1)
	for line := range strings.SplitSeq(src, "\n") {
		out = append(out, utf8.RuneCountInString(line))
	}
	return out
}

// within moves a position the parser placed past the end of its line or of
// the text back onto it, so that every finding points into the file: the
// parser puts an implicit null at the very end of the input two columns
// after its colon, past the end of the line.
func within(pos relsop.Pos, lines []int) relsop.Pos {
	if len(lines) == 0 {
		return pos
	}
	if pos.Line > len(lines) {
		pos.Line, pos.Col = len(lines), lines[len(lines)-1]+1
	}
	if pos.Line >= 1 && pos.Col > lines[pos.Line-1]+1 {
		pos.Col = lines[pos.Line-1] + 1
	}
	return pos
}

// parserError turns the YAML parser's error into a positioned finding.
func parserError(err error, lines []int) *relsop.Finding {
	f := &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: relsop.Pos{Line: 1, Col: 1}}
	var ye yaml.Error
	msg := err.Error()
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			f.Pos = within(relsop.Pos{Line: tk.Position.Line, Col: tk.Position.Column}, lines)
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
	lines   []int // rune length of each line of the source
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
		b.err = &relsop.Finding{Code: code, Severity: relsop.SeverityError, Pos: b.pos(n), Message: msg, Hint: hint}
	}
	return b.err
}

// pos is where node n starts in the source.
func (b *builder) pos(n ast.Node) relsop.Pos {
	return within(tokenPos(n.GetToken()), b.lines)
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
	pos := b.pos(n)
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
		for i, item := range v.Values {
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
				// The item starts at its dash, which may stand alone on
				// the line above the item's first key.
				line := child.Pos.Line
				if i < len(v.Entries) && v.Entries[i] != nil && v.Entries[i].Start != nil && v.Entries[i].Start.Position != nil {
					line = v.Entries[i].Start.Position.Line
				}
				b.entries[slot] = entry{line: line, node: child}
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
	seen := map[string]bool{}
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
		// The parser lets a key repeat in a flow mapping ({a, a: 1}); a
		// repeated key would silently lose one of its values.
		if seen[key.Value] {
			b.fail(mv.Key, CodeDuplicate, fmt.Sprintf("YAML: mapping key %q is repeated", key.Value), "each key may appear once in a mapping; merge the two entries")
			return nil
		}
		seen[key.Value] = true
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

// tabInPlain rejects a tab inside an unquoted value: the YAML parser drops
// it ("x<TAB>b" reads as "xb"), and relsop never changes text silently.
func tabInPlain(tokens token.Tokens, lines []int) *relsop.Finding {
	for _, tk := range tokens {
		if tk.Type != token.StringType || tk.Position == nil {
			continue
		}
		text := strings.TrimLeft(tk.Origin, " \t")
		if strings.ContainsRune(strings.TrimRight(text, " \t\n"), '\t') && !strings.ContainsRune(tk.Value, '\t') {
			return &relsop.Finding{Code: CodeSyntax, Severity: relsop.SeverityError, Pos: within(tokenPos(tk), lines),
				Message: fmt.Sprintf("a tab inside the unquoted value %q would be lost", tk.Value),
				Hint:    "use spaces, or put the value in double quotes with \\t for a tab"}
		}
	}
	return nil
}
