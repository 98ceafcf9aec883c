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
func parseFast(text string) (f *File, ok bool) {
	if strings.IndexByte(text, '\t') >= 0 || strings.IndexByte(text, '\r') >= 0 || len(text) > fastMaxSize {
		return nil, false
	}
	p := newFastParser(strings.Split(text, "\n"))
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
	if p.i == len(p.lines) || p.indent(p.i) != 0 || p.isDash(p.i) {
		return nil, false // empty, or not a mapping at the top: rare, left to the parser
	}
	root := p.mapping(p.i, 0, 0)
	if p.skip(); p.i != len(p.lines) {
		p.bail() // something left over: less indented than the top, or stray
	}
	file := &File{Root: root}
	if len(p.comments) > 0 {
		attachComments(file, p.lines, p.entries(root), p.comments)
	}
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
	indents  []int32 // of each line: the spaces it starts with
	i        int     // the current line
	nodes    int
	keys     int // block mapping keys and list items read: see entries
	comments []comment

	// The tree's nodes, mapping entries and their lists come from slabs; the
	// entries and items of the mappings and lists being read wait on
	// stacks (innermost last) until their count is known.
	nodeSlab  slab[Node]
	pairSlab  slab[Pair]
	pairLists slab[*Pair]
	itemLists slab[*Node]
	pairStack []*Pair
	itemStack []*Node
}

// newFastParser sizes the slabs for the lines of a file: a line holds a
// key and its value, or a list item, so about two nodes.
func newFastParser(lines []string) *fastParser {
	indents := make([]int32, len(lines))
	for i, l := range lines {
		indents[i] = int32(len(l) - len(strings.TrimLeft(l, " ")))
	}
	return &fastParser{
		lines:     lines,
		indents:   indents,
		nodeSlab:  newSlab[Node](2 * len(lines)),
		pairSlab:  newSlab[Pair](len(lines)),
		pairLists: newSlab[*Pair](len(lines)),
		itemLists: newSlab[*Node](len(lines) / 2),
	}
}

// node returns a new node of kind k at pos. Its other fields are set one
// by one where needed: copying a whole Node into the slab costs a write
// barrier for each of its pointers while the garbage collector runs.
func (p *fastParser) node(k Kind, pos relsop.Pos) *Node {
	n := p.nodeSlab.one()
	n.Kind, n.Pos = k, pos
	return n
}

// scalarNode returns a new scalar node of type t holding value.
func (p *fastParser) scalarNode(t ScalarType, value string, pos relsop.Pos) *Node {
	n := p.node(Scalar, pos)
	n.Type, n.Value = t, value
	return n
}

func (p *fastParser) bail() { panic(fastBail{}) }

// indent is the number of spaces that start line i.
func (p *fastParser) indent(i int) int { return int(p.indents[i]) }

// skip moves past blank and comment lines, recording the comments.
func (p *fastParser) skip() {
	for ; p.i < len(p.lines); p.i++ {
		rest := p.lines[p.i][p.indent(p.i):]
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

// pos is the position of byte off of line i. Within the indentation (where
// most keys start) bytes are columns, and runes need no counting.
func (p *fastParser) pos(i, off int) relsop.Pos {
	if off <= p.indent(i) {
		return relsop.Pos{Line: i + 1, Col: 1 + off}
	}
	return relsop.Pos{Line: i + 1, Col: 1 + utf8.RuneCountInString(p.lines[i][:off])}
}

func (p *fastParser) count(depth int) {
	p.nodes++
	if p.nodes > fastMaxNodes || depth > fastMaxDepth {
		p.bail()
	}
}

// isDash reports whether line i is a list item.
func (p *fastParser) isDash(i int) bool {
	rest := p.lines[i][p.indent(i):]
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
	out := p.node(Mapping, relsop.Pos{})
	start := len(p.pairStack)
	for first := true; ; first = false {
		if !first {
			p.skip()
			if p.i == len(p.lines) || p.indent(p.i) < col {
				break
			}
			if p.indent(p.i) > col || p.isDash(p.i) {
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
		if key.Kind != Scalar || key.Type != String || p.repeated(start, key.Value) || len(p.pairStack)-start == fastMaxKeys {
			p.bail()
		}
		p.keys++
		p.pushPair(key, p.value(i, col+n+1, col, depth+1, true))
	}
	out.Pairs = p.popPairs(start)
	out.Pos = out.Pairs[0].Key.Pos
	return out
}

// repeated reports whether key is among the keys read so far of the
// mapping whose entries start at start of the stack. A linear search: a
// mapping of the fast path has at most fastMaxKeys entries.
func (p *fastParser) repeated(start int, key string) bool {
	for _, q := range p.pairStack[start:] {
		if q.Key.Value == key {
			return true
		}
	}
	return false
}

// pushPair puts an entry of the mapping being read on the stack.
func (p *fastParser) pushPair(key, value *Node) {
	pair := p.pairSlab.one()
	*pair = Pair{Key: key, Value: value}
	p.pairStack = append(p.pairStack, pair)
}

// popPairs takes the entries of a mapping, from start on, off the stack.
func (p *fastParser) popPairs(start int) []*Pair {
	out := p.pairLists.copyOf(p.pairStack[start:])
	clear(p.pairStack[start:])
	p.pairStack = p.pairStack[:start]
	return out
}

// popItems takes the items of a list, from start on, off the stack.
func (p *fastParser) popItems(start int) []*Node {
	out := p.itemLists.copyOf(p.itemStack[start:])
	clear(p.itemStack[start:])
	p.itemStack = p.itemStack[:start]
	return out
}

// sequence reads a block list whose dashes stand at byte col, from line p.i.
func (p *fastParser) sequence(col, depth int) *Node {
	p.count(depth)
	out := p.node(Sequence, p.pos(p.i, col))
	start := len(p.itemStack)
	for {
		p.skip()
		if p.i == len(p.lines) || p.indent(p.i) < col {
			break
		}
		if p.indent(p.i) > col || !p.isDash(p.i) {
			p.bail()
		}
		i, line := p.i, p.lines[p.i]
		p.keys++
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
		p.itemStack = append(p.itemStack, item)
	}
	out.Items = p.popItems(start)
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
			if ind == parent+2 && !p.isDash(p.i) {
				if keyLen(p.lines[p.i][ind:]) == 0 {
					p.bail()
				}
				return p.mapping(p.i, ind, depth)
			}
			if p.isDash(p.i) && (ind == parent+2 || ind == parent && inMapping) {
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
	for j < len(p.lines) && p.indent(j) == len(p.lines[j]) {
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
		return p.scalarNode(String, s, pos), off + end + 2
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
		return p.scalarNode(String, b.String(), pos), j
	}
	// A plain scalar: no indicator first, and no ": ", " #", brackets or
	// (in a flow collection) commas, which the parser reads in ways of its
	// own.
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", line[off]) >= 0 {
		if line[off] != '-' || off+1 == len(line) || line[off+1] == ' ' || line[off+1] == '-' {
			p.bail()
		}
	}
	s := strings.TrimRight(line[off:off+plainEnd(line[off:], flow)], " ")
	if !plainSure(s) {
		p.bail()
	}
	return p.scalar(s, pos, depth), off + len(s)
}

// plainEnd is where the plain scalar that opens s ends: before " #", or in
// a flow collection at the first ",", "]" or "}". (Most of a file is plain
// scalars: they are searched with IndexByte, which looks at many bytes at
// once, for bytes that are rare in them.)
func plainEnd(s string, flow bool) int {
	end := len(s)
	for from := 0; ; {
		k := strings.IndexByte(s[from:], '#')
		if k < 0 {
			break
		}
		if k += from; k > 0 && s[k-1] == ' ' {
			end = k - 1
			break
		}
		from = k + 1
	}
	if flow {
		if k := strings.IndexAny(s[:end], ",]}"); k >= 0 {
			end = k
		}
	}
	return end
}

// plainSure reports whether the plain scalar s holds nothing the parser
// reads in ways of its own: not empty, no brackets or braces, no ": ", and
// no ":" at the end.
func plainSure(s string) bool {
	if s == "" || s[len(s)-1] == ':' {
		return false
	}
	const brackets = "[]{}"
	for i := range len(brackets) {
		if strings.IndexByte(s, brackets[i]) >= 0 {
			return false
		}
	}
	for from := 0; ; {
		k := strings.IndexByte(s[from:], ':')
		if k < 0 {
			return true
		}
		if k += from; s[k+1] == ' ' {
			return false
		}
		from = k + 1
	}
}

// scalar types a plain scalar as the parser does.
func (p *fastParser) scalar(s string, pos relsop.Pos, depth int) *Node {
	p.count(depth)
	if surelyString(s) {
		return p.scalarNode(String, s, pos)
	}
	switch token.New(s, s, nil).Type {
	case token.StringType:
		return p.scalarNode(String, s, pos)
	case token.NullType:
		return p.node(Null, pos)
	case token.BoolType:
		return p.scalarNode(Bool, s, pos)
	case token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType:
		return p.scalarNode(Int, s, pos)
	case token.FloatType, token.InfinityType, token.NanType:
		return p.scalarNode(Float, s, pos)
	}
	p.bail()
	return nil
}

// surelyString reports whether the parser types plain scalar s as a
// string without asking it (token.New allocates a token, and a failed
// number parse an error, for every word): s starts with a letter, so it is
// no number, and it is none of the keywords that start with one; or s is a
// duration such as 30m or 2d.
func surelyString(s string) bool {
	if c := s[0] | 0x20; c < 'a' || c > 'z' {
		return isDuration(s)
	}
	switch s {
	case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE":
		return false
	}
	return true
}

// isDuration reports whether s is digits and then one of the unit letters
// d, h, m, s and w, which the parser's number rules read in no base (its
// keywords all start otherwise).
func isDuration(s string) bool {
	n := len(s) - 1
	if n < 1 || strings.IndexByte("dhmsw", s[n]) < 0 {
		return false
	}
	for i := range n {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// flowList reads a one-line flow list of scalars at byte off of line i.
func (p *fastParser) flowList(i, off, depth int) (*Node, int) {
	p.count(depth)
	line := p.lines[i]
	out := p.node(Sequence, p.pos(i, off))
	out.Flow = true
	j := skipSpaces(line, off+1)
	if j < len(line) && line[j] == ']' {
		return out, j + 1
	}
	start := len(p.itemStack)
	for {
		if j == len(line) || line[j] == '[' || line[j] == '{' {
			p.bail()
		}
		var n *Node
		n, j = p.inline(i, j, depth+1, true)
		p.itemStack = append(p.itemStack, n)
		j = skipSpaces(line, j)
		if j == len(line) {
			p.bail()
		}
		switch line[j] {
		case ']':
			out.Items = p.popItems(start)
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
	out := p.node(Mapping, relsop.Pos{})
	out.Flow = true
	start := len(p.pairStack)
	j := skipSpaces(line, off+1)
	for {
		n := keyLen(line[j:])
		if n == 0 || j+n+1 == len(line) {
			p.bail()
		}
		key := p.scalar(line[j:j+n], p.pos(i, j), depth+1)
		if key.Kind != Scalar || key.Type != String || p.repeated(start, key.Value) {
			p.bail()
		}
		j = skipSpaces(line, j+n+1)
		if j == len(line) || line[j] == '[' || line[j] == '{' || line[j] == ',' || line[j] == '}' {
			p.bail()
		}
		var val *Node
		val, j = p.inline(i, j, depth+1, true)
		p.pushPair(key, val)
		j = skipSpaces(line, j)
		if j == len(line) {
			p.bail()
		}
		switch line[j] {
		case '}':
			out.Pairs = p.popPairs(start)
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
	start, size := j, 0
	for ; j < len(p.lines); j++ {
		l := p.lines[j]
		size += len(l) + 1
		if l == "" {
			continue
		}
		if p.indent(j) < ind {
			break
		}
		if !literal && p.indent(j) > ind {
			p.bail()
		}
	}
	for j > start && p.lines[j-1] == "" {
		j--
	}
	if j == len(p.lines) {
		// The last line of a file without a final line break: the parser
		// keeps a break there that a > block should fold.
		p.bail()
	}
	p.i = j
	// The content: lines without their indentation, "" for a blank one.
	content := func(k int) string {
		if l := p.lines[k]; l != "" {
			return l[ind:]
		}
		return ""
	}
	var b strings.Builder
	b.Grow(size)
	for k := start; k < j; k++ {
		c := content(k)
		switch {
		case k == start:
		case literal:
			b.WriteByte('\n')
		case c == "":
			b.WriteByte('\n')
			continue
		case content(k-1) != "":
			b.WriteByte(' ')
		}
		b.WriteString(c)
	}
	if !strip {
		b.WriteByte('\n')
	}
	n := p.scalarNode(String, b.String(), p.pos(i, off))
	n.Block = true
	return n
}
