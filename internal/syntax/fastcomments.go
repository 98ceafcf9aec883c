package syntax

// entries lists the block mapping keys and list items of the tree the fast
// path read, in line order (an entry before those of its value), as the
// homes attachComments chooses among. They are found in the finished tree
// rather than recorded while reading it, since most files have few
// comments or none, and then the list is not needed at all.
func (p *fastParser) entries(root *Node) []entry {
	out := make([]entry, 0, p.keys)
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Flow {
			return // the fast path reads a flow collection only on one line
		}
		for _, pair := range n.Pairs {
			out = append(out, entry{line: pair.Key.Pos.Line, node: pair.Key})
			walk(pair.Value)
		}
		for _, it := range n.Items {
			out = append(out, entry{line: p.dashLine(n, it), node: it})
			walk(it)
		}
	}
	walk(root)
	return out
}

// dashLine is the line number of the dash of item, in list: the line the
// item starts on, or the nearest line above it with a dash at the list's
// column, for an item below a dash alone on its line (only blank and
// comment lines may stand between them).
func (p *fastParser) dashLine(list, item *Node) int {
	col := list.Pos.Col - 1 // the dash is indented by spaces only
	i := item.Pos.Line - 1
	for p.indent(i) != col || !p.isDash(i) {
		i--
	}
	return i + 1
}
