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

// strs reads a field that holds one string or a list of strings, recording
// the position of each element as key[i].
func strs(n *syntax.Node, key string, fp relsop.FieldPos) []string {
	v := n.Get(key)
	if v == nil {
		return nil
	}
	items := []*syntax.Node{v}
	if v.Kind == syntax.Sequence {
		items = v.Items
	}
	var out []string
	for _, it := range items {
		if it.Kind != syntax.Scalar {
			continue
		}
		if fp != nil {
			fp[relsop.IndexedField(key, len(out))] = it.Pos
		}
		out = append(out, it.Value)
	}
	return out
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
// of its value, or of its key when the value is empty.
func fieldPos(n *syntax.Node) relsop.FieldPos {
	fp := relsop.FieldPos{}
	for _, p := range n.Pairs {
		pos := p.Value.Pos
		if p.Value.Kind == syntax.Null || !pos.IsValid() {
			pos = p.Key.Pos
		}
		fp[p.Key.Value] = pos
	}
	return fp
}

func mappings(n *syntax.Node, key string) []*syntax.Node {
	v := n.Get(key)
	if v == nil || v.Kind != syntax.Sequence {
		return nil
	}
	var out []*syntax.Node
	for _, it := range v.Items {
		if it.Kind == syntax.Mapping {
			out = append(out, it)
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
		FieldPos:    fieldPos(root),
	}
	if r := object(root, "review"); r != nil {
		s.Review = relsop.Review{Cadence: duration(r, "cadence"), Pos: r.Pos, FieldPos: fieldPos(r)}
		if d, err := time.Parse(time.DateOnly, str(r, "last_reviewed")); err == nil {
			s.Review.LastReviewed = d
		}
	}
	for _, n := range mappings(root, "sources") {
		s.Sources = append(s.Sources, relsop.DataSource{Kind: str(n, "kind"), Title: str(n, "title"), Link: str(n, "link"), Notes: text(n, "notes"), Pos: n.Pos})
	}
	for _, n := range mappings(root, "roles") {
		s.Roles = append(s.Roles, relsop.Role{ID: str(n, "id"), Name: str(n, "name"), Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n)})
	}
	for _, n := range mappings(root, "phases") {
		s.Phases = append(s.Phases, relsop.Phase{ID: str(n, "id"), Name: str(n, "name"), Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n)})
	}
	for _, n := range mappings(root, "environments") {
		s.Environments = append(s.Environments, relsop.Environment{ID: str(n, "id"), Name: str(n, "name"), Production: boolean(n, "production"),
			Description: text(n, "description"), Pos: n.Pos, FieldPos: fieldPos(n)})
	}
	for _, n := range mappings(root, "steps") {
		s.Steps = append(s.Steps, buildStep(n))
	}
	for _, n := range mappings(root, "release_types") {
		s.ReleaseTypes = append(s.ReleaseTypes, buildReleaseType(n))
	}
	for _, n := range mappings(root, "ignore") {
		s.Ignore = append(s.Ignore, relsop.Ignore{Rule: str(n, "rule"), Step: str(n, "step"), Reason: text(n, "reason"), Pos: n.Pos})
	}
	return s
}

func buildLinks(n *syntax.Node) []relsop.Link {
	var out []relsop.Link
	for _, l := range mappings(n, "links") {
		out = append(out, relsop.Link{Title: str(l, "title"), URL: str(l, "url"), Pos: l.Pos})
	}
	return out
}

func buildStep(n *syntax.Node) relsop.Step {
	fp := fieldPos(n)
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
		Evidence:    strs(n, "evidence", nil),
		Criteria:    strs(n, "criteria", nil),
		Approvers:   strs(n, "approvers", fp),
		Next:        strs(n, "next", fp),
		OnFailure:   str(n, "on_failure"),
		Pos:         n.Pos,
		FieldPos:    fp,
	}
	// An empty kind: is as good as none (the shape check accepts it), so it
	// means task too; only a kind of the wrong shape is left empty.
	if k := n.Get("kind"); st.Kind == "" && (k == nil || k.Kind == syntax.Null) {
		st.Kind = relsop.KindTask
	}
	if r := object(n, "raci"); r != nil {
		st.RACI = relsop.RACI{Accountable: strs(r, "accountable", fp), Consulted: strs(r, "consulted", fp), Informed: strs(r, "informed", fp)}
	}
	if o := object(n, "outcomes"); o != nil {
		for _, p := range o.Pairs {
			if p.Value.Kind == syntax.Scalar {
				st.Outcomes = append(st.Outcomes, relsop.Outcome{Label: p.Key.Value, To: p.Value.Value, Pos: p.Value.Pos})
			}
		}
	}
	if e := object(n, "escalation"); e != nil {
		st.Escalation = &relsop.Escalation{Role: str(e, "role"), After: duration(e, "after"), To: str(e, "to"), Pos: e.Pos, FieldPos: fieldPos(e)}
	}
	if e := object(n, "exception"); e != nil {
		st.Exception = &relsop.Exception{Reason: text(e, "reason"), ApprovedBy: str(e, "approved_by"), Pos: e.Pos, FieldPos: fieldPos(e)}
	}
	return st
}

func buildReleaseType(n *syntax.Node) relsop.ReleaseType {
	fp := fieldPos(n)
	rt := relsop.ReleaseType{
		ID:          str(n, "id"),
		Name:        str(n, "name"),
		Description: text(n, "description"),
		Base:        str(n, "base"),
		Emergency:   boolean(n, "emergency"),
		Remove:      strs(n, "remove", fp),
		Pos:         n.Pos,
		FieldPos:    fp,
	}
	for _, a := range mappings(n, "add") {
		rt.Add = append(rt.Add, relsop.AddedStep{Step: buildStep(a), After: str(a, "after"), Before: str(a, "before")})
	}
	for _, c := range mappings(n, "change") {
		ch := relsop.StepChange{Step: str(c, "step"), Fields: buildStep(c), Pos: c.Pos}
		for _, p := range c.Pairs {
			if p.Key.Value != "step" {
				ch.Set = append(ch.Set, p.Key.Value)
			}
		}
		rt.Change = append(rt.Change, ch)
	}
	return rt
}
