package edit

import (
	"slices"

	"github.com/relsop/relsop/internal/syntax"
)

// Helpers to read and change the syntax tree. New nodes carry no position;
// the printer does not need one, and the result is parsed again anyway.

func strNode(v string) *syntax.Node {
	return &syntax.Node{Kind: syntax.Scalar, Type: syntax.String, Value: v}
}

// listNode is a list of strings; the printer writes it inline when it fits.
func listNode(vs ...string) *syntax.Node {
	n := &syntax.Node{Kind: syntax.Sequence}
	for _, v := range vs {
		n.Items = append(n.Items, strNode(v))
	}
	return n
}

// refsNode holds one or more step ids: a single one as a plain value, the
// way people write next: x.
func refsNode(ids []string) *syntax.Node {
	if len(ids) == 1 {
		return strNode(ids[0])
	}
	return listNode(ids...)
}

// mapNode builds a mapping from key, value pairs; nil values are left out.
// The printer puts the keys into canonical order.
func mapNode(kv ...any) *syntax.Node {
	n := &syntax.Node{Kind: syntax.Mapping}
	for i := 0; i+1 < len(kv); i += 2 {
		v, _ := kv[i+1].(*syntax.Node)
		if v == nil {
			continue
		}
		n.Pairs = append(n.Pairs, &syntax.Pair{Key: strNode(kv[i].(string)), Value: v})
	}
	return n
}

// set gives key the value v in mapping m, replacing the old value (the
// key keeps its comments) or adding the key.
func set(m *syntax.Node, key string, v *syntax.Node) {
	if p := m.Pair(key); p != nil {
		v.Line = p.Value.Line
		p.Value = v
		return
	}
	m.Pairs = append(m.Pairs, &syntax.Pair{Key: strNode(key), Value: v})
}

// del removes key from mapping m.
func del(m *syntax.Node, key string) {
	m.Pairs = slices.DeleteFunc(m.Pairs, func(p *syntax.Pair) bool { return p.Key.Value == key })
}

// strs reads a value that is one string or a list of strings.
func strs(n *syntax.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == syntax.Scalar {
		return []string{n.Value}
	}
	var out []string
	for _, it := range n.Items {
		if it.Kind == syntax.Scalar {
			out = append(out, it.Value)
		}
	}
	return out
}

// scalar returns the text of a scalar value of m, or "".
func scalar(m *syntax.Node, key string) string {
	v := m.Get(key)
	if v == nil || v.Kind != syntax.Scalar {
		return ""
	}
	return v.Value
}

// items returns the items of the top-level list key, or nil.
func (d *doc) items(key string) []*syntax.Node {
	if n := d.root.Get(key); n != nil && n.Kind == syntax.Sequence {
		return n.Items
	}
	return nil
}

// list returns the top-level list key, adding an empty one if need be.
func (d *doc) list(key string) *syntax.Node {
	n := d.root.Get(key)
	if n == nil || n.Kind != syntax.Sequence {
		n = &syntax.Node{Kind: syntax.Sequence}
		set(d.root, key, n)
	}
	return n
}

// item returns the index and node of the item of top-level list key whose
// field field is id.
func (d *doc) item(key, field, id string) (int, *syntax.Node) {
	for i, it := range d.items(key) {
		if scalar(it, field) == id {
			return i, it
		}
	}
	return -1, nil
}

func (d *doc) stepNode(id string) *syntax.Node {
	_, n := d.item("steps", "id", id)
	return n
}

// flowNodes are the mappings that hold flows of the base flow or of a
// release type: the base steps, and the steps release types add or
// change. With each comes the id of the step it is (or changes).
func (d *doc) flowNodes() (nodes []*syntax.Node, self []string) {
	for _, st := range d.items("steps") {
		nodes, self = append(nodes, st), append(self, scalar(st, "id"))
	}
	for _, rt := range d.items("release_types") {
		for _, a := range seqItems(rt.Get("add")) {
			nodes, self = append(nodes, a), append(self, scalar(a, "id"))
		}
		for _, c := range seqItems(rt.Get("change")) {
			nodes, self = append(nodes, c), append(self, scalar(c, "step"))
		}
	}
	return nodes, self
}

func seqItems(n *syntax.Node) []*syntax.Node {
	if n == nil || n.Kind != syntax.Sequence {
		return nil
	}
	return n.Items
}

// retarget points the flows of step node m (step self) that lead to from
// at others instead: next lists get all of nexts, single flows (outcomes,
// on_failure, escalation) get one. A flow that would lead back to the step
// itself, or nowhere, is dropped. It reports whether anything changed.
func retarget(m *syntax.Node, self, from string, nexts []string, one string) bool {
	changed := retargetMain(m, self, from, nexts, one)
	if one == self {
		one = ""
	}
	if scalar(m, "on_failure") == from {
		changed = true
		if one == "" {
			del(m, "on_failure")
		} else {
			set(m, "on_failure", strNode(one))
		}
	}
	if e := m.Get("escalation"); e != nil && e.Kind == syntax.Mapping && scalar(e, "to") == from {
		changed = true
		if one == "" {
			del(e, "to")
		} else {
			set(e, "to", strNode(one))
		}
	}
	return changed
}

// retargetMain is retarget for the main flow only: next lists and gate
// outcomes, not failure or escalation paths.
func retargetMain(m *syntax.Node, self, from string, nexts []string, one string) bool {
	changed := false
	if v := m.Get("next"); v != nil && slices.Contains(strs(v), from) {
		var out []string
		for _, n := range strs(v) {
			if n != from {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
				continue
			}
			for _, to := range nexts {
				if to != self && !slices.Contains(out, to) {
					out = append(out, to)
				}
			}
		}
		if len(out) == 0 {
			del(m, "next")
		} else {
			set(m, "next", refsNode(out))
		}
		changed = true
	}
	if one == self {
		one = ""
	}
	if o := m.Get("outcomes"); o != nil && o.Kind == syntax.Mapping {
		var keep []*syntax.Pair
		for _, p := range o.Pairs {
			if p.Value.Kind == syntax.Scalar && p.Value.Value == from {
				changed = true
				if one == "" {
					continue
				}
				p.Value.Value = one
			}
			keep = append(keep, p)
		}
		o.Pairs = keep
	}
	return changed
}

// comments counts the comments in a subtree.
func comments(n *syntax.Node) int {
	if n == nil {
		return 0
	}
	c := len(n.Head)
	if n.Line != "" {
		c++
	}
	for _, p := range n.Pairs {
		c += comments(p.Key) + comments(p.Value)
	}
	for _, it := range n.Items {
		c += comments(it)
	}
	return c
}
