package syntax

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"

	"github.com/relsop/relsop"
)

// parseFast reads the plain block YAML that relsop writes and most people
// write (block mappings and lists, one-line plain and quoted scalars,
// one-line flow lists and mappings of scalars, | and > blocks, comments)
// in a single pass over the lines, without the general YAML parser, which
// took about 2 ms for a template: most of what `relsop render` did.
//
// It must build exactly the tree Parse builds with the general parser, so
// it accepts only what it is sure of and reports ok=false for anything
// else (a construct outside the subset, an error of any kind, input near
// a limit), and Parse then uses the general parser. Scalars are typed by
// the general parser's own rule (token.New). FuzzFastParse and
// TestFastParseSameTree hold the two paths to the same result.
func parseFast(src []byte) (f *File, ok bool) {
	text := string(src)
	if strings.ContainsAny(text, "\t\r") || len(text) > fastMaxSize {
		return nil, false
	}
	p := &fastParser{lines: strings.Split(text, "\n")}
	for _, l := range p.lines {
		if strings.HasSuffix(l, " ") || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...") || strings.HasPrefix(l, "%") {
			return nil, false
		}
	}
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(fastBail); !bail {
				panic(r)
			}
			f, ok = nil, false
		}
	}()
	p.skip()
	if p.i == len(p.lines) || p.indent(p.i) != 0 || isDash(p.lines[p.i]) {
		return nil, false // empty, or not a mapping at the top: rare, left to the parser
	}
	root := p.mapping(p.i, 0, 0)
	if p.skip(); p.i != len(p.lines) {
		p.bail() // something left over: less indented than the top, or stray
	}
	file := &File{Root: root}
	attachComments(file, src, p.entries, p.comments)
	return file, true
}

// Limits of the fast path, well inside the parser's own (MaxDepth,
// MaxNodes, MaxKeys) so that input near them gets the parser's errors.
const (
	fastMaxSize  = 1 << 20
	fastMaxDepth = 24
	fastMaxNodes = 100_000
	fastMaxKeys  = 200
)

// fastBail is panicked with to abandon the fast path.
type fastBail struct{}

type fastParser struct {
	lines    []string
	i        int // the current line
	nodes    int
	entries  []entry
	comments []comment
}

func (p *fastParser) bail() { panic(fastBail{}) }

// indent is the number of spaces that start line i.
func (p *fastParser) indent(i int) int {
	l := p.lines[i]
	return len(l) - len(strings.TrimLeft(l, " "))
}

// skip moves past blank and comment lines, recording the comments.
func (p *fastParser) skip() {
	for ; p.i < len(p.lines); p.i++ {
		rest := strings.TrimLeft(p.lines[p.i], " ")
		if rest == "" {
			continue
		}
		if rest[0] != '#' {
			return
		}
		p.comment(p.i, rest)
	}
}

// comment records the comment c (from its # to the end of the line) of
// line i, as commentsOf does from the parser's comment token, whose value
// is the text after the #.
func (p *fastParser) comment(i int, c string) {
	text := strings.TrimPrefix(strings.TrimPrefix(c[1:], "#"), " ")
	p.comments = append(p.comments, comment{line: i + 1, text: strings.TrimRight(text, " \t\r")})
}

// pos is the position of byte off of line i.
func (p *fastParser) pos(i, off int) relsop.Pos {
	return relsop.Pos{Line: i + 1, Col: 1 + utf8.RuneCountInString(p.lines[i][:off])}
}

func (p *fastParser) count(depth int) {
	p.nodes++
	if p.nodes > fastMaxNodes || depth > fastMaxDepth {
		p.bail()
	}
}

func isDash(line string) bool {
	rest := strings.TrimLeft(line, " ")
	return rest == "-" || strings.HasPrefix(rest, "- ")
}

// keyLen is the length of the plain key that opens s (a word of letters,
// digits, _ and - followed by ":" and a space or the end), or 0.
func keyLen(s string) int {
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] == '-' || 'a' <= s[n] && s[n] <= 'z' || 'A' <= s[n] && s[n] <= 'Z' || '0' <= s[n] && s[n] <= '9') {
		n++
	}
	if n == 0 || s[0] == '-' || n == len(s) || s[n] != ':' || (n+1 < len(s) && s[n+1] != ' ') {
		return 0
	}
	return n
}

// mapping reads a block mapping whose first key starts at byte col of
// line i; its other keys start at the same column of later lines.
func (p *fastParser) mapping(i, col, depth int) *Node {
	p.count(depth)
	out := &Node{Kind: Mapping}
	seen := map[string]bool{}
	for first := true; ; first = false {
		if !first {
			p.skip()
			if p.i == len(p.lines) || p.indent(p.i) < col {
				break
			}
			if p.indent(p.i) > col || isDash(p.lines[p.i]) {
				p.bail()
			}
			i = p.i
		}
		line := p.lines[i]
		n := keyLen(line[col:])
		if n == 0 {
			p.bail()
		}
		key := p.scalar(line[col:col+n], p.pos(i, col), depth+1)
		if key.Kind != Scalar || key.Type != String || seen[key.Value] || len(seen) == fastMaxKeys {
			p.bail()
		}
		seen[key.Value] = true
		val := p.value(i, col+n+1, col, depth+1, true)
		out.Pairs = append(out.Pairs, &Pair{Key: key, Value: val})
		p.entries = append(p.entries, entry{line: key.Pos.Line, node: key})
	}
	out.Pos = out.Pairs[0].Key.Pos
	return out
}

// sequence reads a block list whose dashes stand at byte col, from line p.i.
func (p *fastParser) sequence(col, depth int) *Node {
	p.count(depth)
	out := &Node{Kind: Sequence, Pos: p.pos(p.i, col)}
	for {
		p.skip()
		if p.i == len(p.lines) || p.indent(p.i) < col {
			break
		}
		if p.indent(p.i) > col || !isDash(p.lines[p.i]) {
			p.bail()
		}
		i, line := p.i, p.lines[p.i]
		slot := len(p.entries)
		p.entries = append(p.entries, entry{})
		at := col + 1
		for at < len(line) && line[at] == ' ' {
			at++
		}
		var item *Node
		if at < len(line) && line[at] != '#' && keyLen(line[at:]) > 0 {
			if at != col+2 {
				p.bail() // "-   key:": see value
			}
			item = p.mapping(i, at, depth+1)
		} else {
			item = p.value(i, col+1, col, depth+1, false)
		}
		out.Items = append(out.Items, item)
		p.entries[slot] = entry{line: i + 1, node: item}
	}
	return out
}

// value reads the value that follows byte off of line i (after a key's
// colon or a list item's dash) in a block whose own column is parent, and
// leaves p.i on the line after it. A value on the lines below must be
// indented further, except a list under a mapping key, which may stand at
// the key's column.
func (p *fastParser) value(i, off, parent, depth int, inMapping bool) *Node {
	line := p.lines[i]
	for off < len(line) && line[off] == ' ' {
		off++
	}
	p.i = i + 1
	if off == len(line) || line[off] == '#' {
		if off < len(line) {
			p.comment(i, line[off:])
		}
		p.skip()
		if p.i < len(p.lines) {
			// Nesting goes two spaces at a time (a list may also stand at
			// its key's column): the parser carries odd indentation into
			// how it folds later > blocks, which is left to it.
			ind := p.indent(p.i)
			if ind == parent+2 && !isDash(p.lines[p.i]) {
				if keyLen(p.lines[p.i][ind:]) == 0 {
					p.bail()
				}
				return p.mapping(p.i, ind, depth)
			}
			if isDash(p.lines[p.i]) && (ind == parent+2 || ind == parent && inMapping) {
				return p.sequence(ind, depth)
			}
		}
		p.bail() // an empty value: the parser's position for it is its own
	}
	var n *Node
	var end int
	switch line[off] {
	case '|', '>':
		return p.block(i, off, parent, depth)
	case '[':
		n, end = p.flowList(i, off, depth)
	case '{':
		n, end = p.flowMap(i, off, depth)
	default:
		n, end = p.inline(i, off, depth, false)
	}
	rest := line[end:]
	if strings.TrimLeft(rest, " ") != "" {
		if !strings.HasPrefix(rest, " ") || !strings.HasPrefix(strings.TrimLeft(rest, " "), "#") {
			p.bail()
		}
		p.comment(i, strings.TrimLeft(rest, " "))
	}
	// A further-indented line would continue a plain scalar over several
	// lines, or be an error: both are left to the parser.
	if j := p.nextContent(); j < len(p.lines) && p.indent(j) > parent {
		p.bail()
	}
	return n
}

// nextContent is the first line from p.i on that is neither blank nor a
// comment (comments included, to be safe).
func (p *fastParser) nextContent() int {
	j := p.i
	for j < len(p.lines) && strings.TrimLeft(p.lines[j], " ") == "" {
		j++
	}
	return j
}

// inline reads a quoted or plain scalar at byte off of line i, in a flow
// collection when flow is set, and returns it with the byte offset just
// after it.
func (p *fastParser) inline(i, off, depth int, flow bool) (*Node, int) {
	line := p.lines[i]
	pos := p.pos(i, off)
	switch line[off] {
	case '"':
		end := strings.IndexByte(line[off+1:], '"')
		if end < 0 {
			p.bail()
		}
		s := line[off+1 : off+1+end]
		if strings.ContainsRune(s, '\\') {
			p.bail()
		}
		p.count(depth)
		return &Node{Kind: Scalar, Type: String, Value: s, Pos: pos}, off + end + 2
	case '\'':
		var b strings.Builder
		j := off + 1
		for {
			k := strings.IndexByte(line[j:], '\'')
			if k < 0 {
				p.bail()
			}
			b.WriteString(line[j : j+k])
			j += k + 1
			if j < len(line) && line[j] == '\'' {
				b.WriteByte('\'')
				j++
				continue
			}
			break
		}
		p.count(depth)
		return &Node{Kind: Scalar, Type: String, Value: b.String(), Pos: pos}, j
	}
	// A plain scalar: no indicator first, and no ": ", " #", brackets or
	// (in a flow collection) commas, which the parser reads in ways of its
	// own.
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", line[off]) >= 0 {
		if line[off] != '-' || off+1 == len(line) || line[off+1] == ' ' || line[off+1] == '-' {
			p.bail()
		}
	}
	end := len(line)
	if k := strings.Index(line[off:], " #"); k >= 0 {
		end = off + k
	}
	if flow {
		if k := strings.IndexAny(line[off:end], ",]}"); k >= 0 {
			end = off + k
		}
	}
	s := strings.TrimRight(line[off:end], " ")
	if strings.ContainsAny(s, "[]{}") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") || s == "" {
		p.bail()
	}
	return p.scalar(s, pos, depth), off + len(s)
}

// scalar types a plain scalar as the parser does.
func (p *fastParser) scalar(s string, pos relsop.Pos, depth int) *Node {
	p.count(depth)
	if surelyString(s) {
		return &Node{Kind: Scalar, Type: String, Value: s, Pos: pos}
	}
	switch token.New(s, s, nil).Type {
	case token.StringType:
		return &Node{Kind: Scalar, Type: String, Value: s, Pos: pos}
	case token.NullType:
		return &Node{Kind: Null, Pos: pos}
	case token.BoolType:
		return &Node{Kind: Scalar, Type: Bool, Value: s, Pos: pos}
	case token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType:
		return &Node{Kind: Scalar, Type: Int, Value: s, Pos: pos}
	case token.FloatType, token.InfinityType, token.NanType:
		return &Node{Kind: Scalar, Type: Float, Value: s, Pos: pos}
	}
	p.bail()
	return nil
}

// surelyString reports whether the parser types plain scalar s as a
// string without asking it (token.New allocates a token, and a failed
// number parse an error, for every word): s starts with a letter, so it is
// no number, and it is none of the keywords that start with one.
func surelyString(s string) bool {
	if c := s[0] | 0x20; c < 'a' || c > 'z' {
		return false
	}
	switch s {
	case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE":
		return false
	}
	return true
}

// flowList reads a one-line flow list of scalars at byte off of line i.
func (p *fastParser) flowList(i, off, depth int) (*Node, int) {
	p.count(depth)
	line := p.lines[i]
	out := &Node{Kind: Sequence, Flow: true, Pos: p.pos(i, off)}
	j := skipSpaces(line, off+1)
	if j < len(line) && line[j] == ']' {
		return out, j + 1
	}
	for {
		if j == len(line) || line[j] == '[' || line[j] == '{' {
			p.bail()
		}
		var n *Node
		n, j = p.inline(i, j, depth+1, true)
		out.Items = append(out.Items, n)
		j = skipSpaces(line, j)
		if j == len(line) {
			p.bail()
		}
		switch line[j] {
		case ']':
			return out, j + 1
		case ',':
			j = skipSpaces(line, j+1)
		default:
			p.bail()
		}
	}
}

// flowMap reads a one-line flow mapping of plain keys and scalar values at
// byte off of line i.
func (p *fastParser) flowMap(i, off, depth int) (*Node, int) {
	p.count(depth)
	line := p.lines[i]
	out := &Node{Kind: Mapping, Flow: true}
	seen := map[string]bool{}
	j := skipSpaces(line, off+1)
	for {
		n := keyLen(line[j:])
		if n == 0 || j+n+1 == len(line) {
			p.bail()
		}
		key := p.scalar(line[j:j+n], p.pos(i, j), depth+1)
		if key.Kind != Scalar || key.Type != String || seen[key.Value] {
			p.bail()
		}
		seen[key.Value] = true
		j = skipSpaces(line, j+n+1)
		if j == len(line) || line[j] == '[' || line[j] == '{' || line[j] == ',' || line[j] == '}' {
			p.bail()
		}
		var val *Node
		val, j = p.inline(i, j, depth+1, true)
		out.Pairs = append(out.Pairs, &Pair{Key: key, Value: val})
		j = skipSpaces(line, j)
		if j == len(line) {
			p.bail()
		}
		switch line[j] {
		case '}':
			out.Pos = out.Pairs[0].Key.Pos
			return out, j + 1
		case ',':
			j = skipSpaces(line, j+1)
		default:
			p.bail()
		}
	}
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// block reads a | or > block scalar whose indicator is at byte off of
// line i, in a block whose own column is parent: header |, |-, > or >-
// alone, then lines indented two more than parent (further indented lines
// only in |), with blank lines only between them.
func (p *fastParser) block(i, off, parent, depth int) *Node {
	line := p.lines[i]
	header := line[off:]
	if header != "|" && header != "|-" && header != ">" && header != ">-" {
		p.bail()
	}
	p.count(depth)
	literal, strip := header[0] == '|', len(header) == 2
	j := i + 1
	if j == len(p.lines) || p.lines[j] == "" {
		p.bail()
	}
	// Only the usual two more spaces than the key or dash: the parser
	// carries the indentation of one block into the next, so that a >
	// block after a block indented otherwise keeps line breaks it should
	// fold.
	ind := p.indent(j)
	if ind != parent+2 {
		p.bail()
	}
	var content []string // lines without their indentation; "" for blank
	for ; j < len(p.lines); j++ {
		l := p.lines[j]
		if l == "" {
			content = append(content, "")
			continue
		}
		if p.indent(j) < ind {
			break
		}
		if !literal && p.indent(j) > ind {
			p.bail()
		}
		content = append(content, l[ind:])
	}
	for len(content) > 0 && content[len(content)-1] == "" {
		content = content[:len(content)-1]
		j--
	}
	if j == len(p.lines) {
		// The last line of a file without a final line break: the parser
		// keeps a break there that a > block should fold.
		p.bail()
	}
	p.i = j
	var v string
	if literal {
		v = strings.Join(content, "\n")
	} else {
		var b strings.Builder
		for k, c := range content {
			switch {
			case k == 0:
			case c == "":
				b.WriteByte('\n')
				continue
			case content[k-1] != "":
				b.WriteByte(' ')
			}
			b.WriteString(c)
		}
		v = b.String()
	}
	if !strip {
		v += "\n"
	}
	return &Node{Kind: Scalar, Type: String, Value: v, Block: true, Pos: p.pos(i, off)}
}
