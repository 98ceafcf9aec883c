package syntax

import (
	"strings"
	"unicode/utf8"

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
