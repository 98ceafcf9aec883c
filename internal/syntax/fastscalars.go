package syntax

// The fast path's scalars (plain, quoted and block) and one-line flow
// collections ([a, b], {k: v}); fast.go reads the block structure around
// them.

import (
	"strings"

	"github.com/goccy/go-yaml/token"

	"github.com/relsop/relsop"
)

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
