package format

import (
	"slices"

	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/syntax"
)

// context is what the schema says about a value: the field it belongs to
// (nil for unknown keys and list items) and, for mappings, the object
// whose canonical key order applies (nil to keep the author's order).
type context struct {
	field *schema.Field
	obj   *schema.Obj
}

// valueContext is the context of the value of key in a mapping of obj.
func valueContext(obj *schema.Obj, key string) context {
	if obj == nil {
		return context{}
	}
	f := obj.Field(key)
	if f != nil && f.Type == schema.Object {
		return context{field: f, obj: f.Object}
	}
	return context{field: f}
}

// itemContext is the context of the items of a list in context c: the
// items of a List field are its objects.
func itemContext(c context) context {
	if c.field != nil && c.field.Type == schema.List {
		return context{obj: c.field.Object}
	}
	return context{}
}

// clone copies a tree, so that normalising never changes the caller's.
func clone(n *syntax.Node) *syntax.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Head = slices.Clone(n.Head)
	c.Pairs = make([]*syntax.Pair, len(n.Pairs))
	for i, p := range n.Pairs {
		c.Pairs[i] = &syntax.Pair{Key: clone(p.Key), Value: clone(p.Value)}
	}
	c.Items = make([]*syntax.Node, len(n.Items))
	for i, it := range n.Items {
		c.Items[i] = clone(it)
	}
	return &c
}

// normalize sorts the keys of every mapping into canonical order and moves
// comments to the places where the printer writes them and the parser
// finds them again. It works bottom-up, so that a comment hoisted out of a
// nested list item keeps rising to the outermost item on the same line.
func normalize(n *syntax.Node, c context) {
	switch n.Kind {
	case syntax.Mapping:
		if c.obj != nil {
			rank := func(p *syntax.Pair) int {
				for i, f := range c.obj.Fields {
					if f.Name == p.Key.Value {
						return i
					}
				}
				return len(c.obj.Fields) // unknown keys last, in their order
			}
			slices.SortStableFunc(n.Pairs, func(a, b *syntax.Pair) int { return rank(a) - rank(b) })
		}
		for _, p := range n.Pairs {
			// The parser puts a pair's comments on its key; a tree built
			// otherwise may have them on the value.
			p.Key.Head = append(p.Key.Head, p.Value.Head...)
			p.Value.Head = nil
			if p.Value.Line != "" {
				p.Key.Line = join(p.Key.Line, p.Value.Line)
				p.Value.Line = ""
			}
			normalize(p.Value, valueContext(c.obj, p.Key.Value))
		}
	case syntax.Sequence:
		ic := itemContext(c)
		for _, it := range n.Items {
			normalize(it, ic)
			// A collection item's first entry is written on the "- " line,
			// so comments above that entry go above the item, and the
			// item's own trailing comment goes after that entry.
			if first := firstEntry(it); first != nil {
				it.Head = append(it.Head, first.Head...)
				first.Head = nil
				if it.Line != "" {
					lastEntry(first).Line = join(lastEntry(first).Line, it.Line)
					it.Line = ""
				}
			}
		}
	}
}

// firstEntry is the node holding the comments of the first line of a
// non-empty collection: its first key or first item.
func firstEntry(n *syntax.Node) *syntax.Node {
	switch {
	case n.Kind == syntax.Mapping && len(n.Pairs) > 0:
		return n.Pairs[0].Key
	case n.Kind == syntax.Sequence && len(n.Items) > 0:
		return n.Items[0]
	}
	return nil
}

// lastEntry follows first entries down to the innermost one on a line:
// for "- - a: 1", the key a. A trailing comment on that line is found
// there by the parser.
func lastEntry(n *syntax.Node) *syntax.Node {
	for {
		next := firstEntry(n)
		if next == nil {
			return n
		}
		n = next
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + " " + b
}
