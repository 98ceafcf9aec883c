package compile

import (
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/syntax"
)

// The build functions copy a shape-checked tree into the model. They are
// tolerant: a value of the wrong shape was already reported by
// schema.Check, so here it is skipped and the rest is still built, which
// keeps partial results for editors.

func str(n *syntax.Node, key string) string {
	v := n.Get(key)
	if v == nil || v.Kind != syntax.Scalar {
		return ""
	}
	return v.Value
}

func text(n *syntax.Node, key string) string {
	return strings.TrimRight(str(n, key), "\n")
}

func boolean(n *syntax.Node, key string) bool {
	v := n.Get(key)
	return v != nil && v.Kind == syntax.Scalar && v.Type == syntax.Bool && strings.EqualFold(v.Value, "true")
}

// builder builds the model of one file.
type builder struct {
	// lists is the free room of a block that the model's string lists (a
	// step's next, approvers, ...) are carved from: nearly every step has
	// a few, and allocating each on its own was a good part of building.
	lists []string
}

// listBlock is how many strings a block of lists holds.
const listBlock = 64

// list returns an empty list with room for n strings. Its capacity is n, so
// that appending past it reallocates instead of writing into the next list.
func (b *builder) list(n int) []string {
	if len(b.lists) < n {
		b.lists = make([]string, max(n, listBlock))
	}
	out := b.lists[:0:n]
	b.lists = b.lists[n:]
	return out
}

// strs reads a field that holds one string or a list of strings, recording
// the position of each element as key[i].
func (b *builder) strs(n *syntax.Node, key string, fp relsop.FieldPos) []string {
	v := n.Get(key)
	if v == nil {
		return nil
	}
	items := []*syntax.Node{v}
	if v.Kind == syntax.Sequence {
		items = v.Items
	}
	out := b.list(len(items))
	for _, it := range items {
		if it.Kind != syntax.Scalar {
			continue
		}
		if fp != nil {
			fp[indexedField(key, len(out))] = it.Pos
		}
		out = append(out, it.Value)
	}
	if len(out) == 0 {
		return nil // as for no field
	}
	return out
}

// indexedField is relsop.IndexedField(key, i), made once for the first
// items of the lists whose positions strs records: most lists are short,
// and nearly every step has one.
func indexedField(key string, i int) string {
	if names := firstIndexedFields[key]; i < len(names) {
		return names[i]
	}
	return relsop.IndexedField(key, i)
}

// firstIndexedFields is read only, so that concurrent loads may share it.
var firstIndexedFields = func() map[string][]string {
	m := map[string][]string{}
	for _, key := range []string{"approvers", "next", "accountable", "consulted", "informed", "remove"} {
		for i := range 8 {
			m[key] = append(m[key], relsop.IndexedField(key, i))
		}
	}
	return m
}()

// itemCount is how many positions strs records for key.
func itemCount(n *syntax.Node, key string) int {
	v := n.Get(key)
	switch {
	case v == nil:
		return 0
	case v.Kind == syntax.Sequence:
		return len(v.Items)
	}
	return 1
}

func duration(n *syntax.Node, key string) relsop.Duration {
	s := str(n, key)
	if s == "" {
		return relsop.Duration{}
	}
	d, err := relsop.ParseDuration(s)
	if err != nil {
		return relsop.Duration{}
	}
	return d
}

// fieldPos records where each field of a mapping was written: the position
// of its value, or of its key when the value is empty. indexed is how many
// list items the caller will add (see strs), so that the map is made at its
// size, not grown.
func fieldPos(n *syntax.Node, indexed int) relsop.FieldPos {
	fp := make(relsop.FieldPos, len(n.Pairs)+indexed)
	for _, p := range n.Pairs {
		pos := p.Value.Pos
		if p.Value.Kind == syntax.Null || !pos.IsValid() {
			pos = p.Key.Pos
		}
		fp[p.Key.Value] = pos
	}
	return fp
}

// buildAll builds an element of the model from each mapping in the list
// under key, into a slice made at its size: a step is about 500 bytes, and
// growing the slice by appends copied each several times.
func buildAll[T any](n *syntax.Node, key string, build func(*syntax.Node) T) []T {
	v := n.Get(key)
	if v == nil || v.Kind != syntax.Sequence {
		return nil
	}
	count := 0
	for _, it := range v.Items {
		if it.Kind == syntax.Mapping {
			count++
		}
	}
	if count == 0 {
		return nil
	}
	out := make([]T, 0, count)
	for _, it := range v.Items {
		if it.Kind == syntax.Mapping {
			out = append(out, build(it))
		}
	}
	return out
}

func object(n *syntax.Node, key string) *syntax.Node {
	v := n.Get(key)
	if v == nil || v.Kind != syntax.Mapping {
		return nil
	}
	return v
}

func buildSOP(root *syntax.Node) *relsop.SOP {
	b := &builder{}
	s := &relsop.SOP{
		Schema:      str(root, "$schema"),
		ID:          str(root, "id"),
		Title:       str(root, "title"),
		Version:     str(root, "version"),
		Owner:       str(root, "owner"),
		Status:      relsop.Status(str(root, "status")),
		Scope:       text(root, "scope"),
		Description: text(root, "description"),
		Notes:       text(root, "notes"),
		Links:       buildLinks(root),
		Pos:         root.Pos,
		FieldPos:    fieldPos(root, 0),
	}
	if r := object(root, "review"); r != nil {
		s.Review = relsop.Review{Cadence: duration(r, "cadence"), Pos: r.Pos, FieldPos: fieldPos(r, 0)}
		if d, err := time.Parse(time.DateOnly, str(r, "last_reviewed")); err == nil {
			s.Review.LastReviewed = d
		}
	}
	s.Sources = buildAll(root, "sources", func(n *syntax.Node) relsop.DataSource {
		return relsop.DataSource{Kind: str(n, "kind"), Title: str(n, "title"), Link: str(n, "link"), Notes: text(n, "notes"), Pos: n.Pos}
	})
	s.Roles = buildAll(root, "roles", func(n *syntax.Node) relsop.Role {
		return relsop.Role{ID: str(n, "id"), Name: str(n, "name"), Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n, 0)}
	})
	s.Phases = buildAll(root, "phases", func(n *syntax.Node) relsop.Phase {
		return relsop.Phase{ID: str(n, "id"), Name: str(n, "name"), Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n, 0)}
	})
	s.Environments = buildAll(root, "environments", func(n *syntax.Node) relsop.Environment {
		return relsop.Environment{ID: str(n, "id"), Name: str(n, "name"), Production: boolean(n, "production"),
			Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n, 0)}
	})
	s.Steps = buildAll(root, "steps", b.step)
	s.ReleaseTypes = buildAll(root, "release_types", b.releaseType)
	s.Ignore = buildAll(root, "ignore", func(n *syntax.Node) relsop.Ignore {
		return relsop.Ignore{Rule: str(n, "rule"), Step: str(n, "step"), Reason: text(n, "reason"), Pos: n.Pos}
	})
	return s
}

func buildLinks(n *syntax.Node) []relsop.Link {
	return buildAll(n, "links", func(l *syntax.Node) relsop.Link {
		return relsop.Link{Title: str(l, "title"), URL: str(l, "url"), Pos: l.Pos}
	})
}

func (b *builder) step(n *syntax.Node) relsop.Step {
	raci := object(n, "raci")
	indexed := itemCount(n, "approvers") + itemCount(n, "next")
	if raci != nil {
		indexed += itemCount(raci, "accountable") + itemCount(raci, "consulted") + itemCount(raci, "informed")
	}
	fp := fieldPos(n, indexed)
	st := relsop.Step{
		ID:          str(n, "id"),
		Name:        str(n, "name"),
		Kind:        relsop.StepKind(str(n, "kind")),
		Owner:       str(n, "owner"),
		Phase:       str(n, "phase"),
		Environment: str(n, "environment"),
		Description: text(n, "description"),
		Notes:       text(n, "notes"),
		Links:       buildLinks(n),
		Tool:        str(n, "tool"),
		Channel:     str(n, "channel"),
		Duration:    duration(n, "duration"),
		SLA:         duration(n, "sla"),
		Evidence:    b.strs(n, "evidence", nil),
		Criteria:    b.strs(n, "criteria", nil),
		Approvers:   b.strs(n, "approvers", fp),
		Next:        b.strs(n, "next", fp),
		OnFailure:   str(n, "on_failure"),
		Pos:         n.Pos,
		FieldPos:    fp,
	}
	// An empty kind: is as good as none (the shape check accepts it), so it
	// means task too; only a kind of the wrong shape is left empty.
	if k := n.Get("kind"); st.Kind == "" && (k == nil || k.Kind == syntax.Null) {
		st.Kind = relsop.KindTask
	}
	if raci != nil {
		st.RACI = relsop.RACI{Accountable: b.strs(raci, "accountable", fp), Consulted: b.strs(raci, "consulted", fp), Informed: b.strs(raci, "informed", fp)}
	}
	if o := object(n, "outcomes"); o != nil {
		for _, p := range o.Pairs {
			if p.Value.Kind == syntax.Scalar {
				st.Outcomes = append(st.Outcomes, relsop.Outcome{Label: p.Key.Value, To: p.Value.Value, Pos: p.Value.Pos})
			}
		}
	}
	if e := object(n, "escalation"); e != nil {
		st.Escalation = &relsop.Escalation{Role: str(e, "role"), After: duration(e, "after"), To: str(e, "to"), Pos: e.Pos, FieldPos: fieldPos(e, 0)}
	}
	if e := object(n, "exception"); e != nil {
		st.Exception = &relsop.Exception{Reason: text(e, "reason"), ApprovedBy: str(e, "approved_by"), Pos: e.Pos, FieldPos: fieldPos(e, 0)}
	}
	return st
}

func (b *builder) releaseType(n *syntax.Node) relsop.ReleaseType {
	fp := fieldPos(n, itemCount(n, "remove"))
	rt := relsop.ReleaseType{
		ID:          str(n, "id"),
		Name:        str(n, "name"),
		Description: text(n, "description"),
		Base:        str(n, "base"),
		Emergency:   boolean(n, "emergency"),
		Remove:      b.strs(n, "remove", fp),
		Pos:         n.Pos,
		FieldPos:    fp,
	}
	rt.Add = buildAll(n, "add", func(a *syntax.Node) relsop.AddedStep {
		return relsop.AddedStep{Step: b.step(a), After: str(a, "after"), Before: str(a, "before")}
	})
	rt.Change = buildAll(n, "change", func(c *syntax.Node) relsop.StepChange {
		ch := relsop.StepChange{Step: str(c, "step"), Fields: b.step(c), Pos: c.Pos}
		for _, p := range c.Pairs {
			if p.Key.Value != "step" {
				ch.Set = append(ch.Set, p.Key.Value)
			}
		}
		return ch
	})
	return rt
}
