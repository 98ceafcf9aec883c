package edit

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// This file decides whether two SOPs mean the same and, when they do not,
// lists how they differ in words people read, marking what structured
// operations cannot make at all.

// sameSOP reports whether a and b mean the same. Positions, comments and
// layout do not count, nor, as for relsop diff (package sopdiff), the
// order of the steps in the file or of a step's flows: the diagram is
// drawn from the flows, not from the order they are written in. The order
// of roles, phases and environments does count: it is the order of the
// diagram's lanes and columns and the way to production.
func sameSOP(a, b *relsop.SOP) bool {
	return reflect.DeepEqual(canonical(a), canonical(b))
}

// canonical is s as plain values, without positions, with steps sorted by
// id and each step's flows sorted.
func canonical(s *relsop.SOP) any {
	c := *s
	c.Steps = slices.Clone(s.Steps)
	slices.SortStableFunc(c.Steps, func(x, y relsop.Step) int { return cmp.Compare(x.ID, y.ID) })
	for i := range c.Steps {
		st := &c.Steps[i]
		st.Next = slices.Sorted(slices.Values(st.Next))
		st.Outcomes = slices.Clone(st.Outcomes)
		slices.SortStableFunc(st.Outcomes, func(x, y relsop.Outcome) int {
			return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.To, y.To))
		})
	}
	return canon(reflect.ValueOf(c))
}

var (
	posType      = reflect.TypeFor[relsop.Pos]()
	fieldPosType = reflect.TypeFor[relsop.FieldPos]()
	timeType     = reflect.TypeFor[time.Time]()
)

// canon turns a model value into maps, slices and scalars for
// reflect.DeepEqual: positions are left out, and so are zero values, so
// that a list written empty equals one not written.
func canon(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Invalid:
		return nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return canon(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if t.IsZero() {
				return nil
			}
			return t.Format(time.RFC3339Nano)
		}
		m := map[string]any{}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type == posType || f.Type == fieldPosType {
				continue
			}
			if c := canon(v.Field(i)); c != nil {
				m[f.Name] = c
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = canon(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		m := map[string]any{}
		for it := v.MapRange(); it.Next(); {
			m[fmt.Sprint(it.Key().Interface())] = canon(it.Value())
		}
		return m
	}
	if v.IsZero() {
		return nil
	}
	return v.Interface()
}

// same reports whether two field values mean the same.
func same(x, y any) bool {
	return reflect.DeepEqual(canon(reflect.ValueOf(x)), canon(reflect.ValueOf(y)))
}

// difference is one way two SOPs differ, as a phrase ("adding the phase
// “hypercare”"). mergeable is false when no list of structured operations
// can make it; a mergeable difference may still turn out not to be made,
// which DiffOps finds when it checks its result.
type difference struct {
	what      string
	mergeable bool
}

// value is one field of an element, named as in the file.
type value struct {
	field string
	v     any
}

func sopValues(s *relsop.SOP) []value {
	return []value{
		{"$schema", s.Schema}, {"id", s.ID}, {"title", s.Title}, {"version", s.Version}, {"owner", s.Owner},
		{"status", string(s.Status)}, {"review.cadence", s.Review.Cadence.Text}, {"review.last_reviewed", date(s.Review.LastReviewed)},
		{"scope", s.Scope}, {"description", s.Description},
		{"sources", s.Sources}, {"notes", s.Notes}, {"links", s.Links}, {"ignore", s.Ignore},
	}
}

func roleValues(r *relsop.Role) []value {
	return []value{{"name", r.Name}, {"description", r.Description}}
}

func phaseValues(p *relsop.Phase) []value {
	return []value{{"name", p.Name}, {"description", p.Description}}
}

func environmentValues(e *relsop.Environment) []value {
	return []value{{"name", e.Name}, {"production", e.Production}, {"description", e.Description}}
}

// date is a date as the file writes it, or "" for none.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// stepValues are a step's fields except its id and where it leads on
// success (next and outcomes), which are compared as flows. The settable
// ones come first, in the order DiffOps sets them.
func stepValues(st *relsop.Step) []value {
	var esc relsop.Escalation
	if st.Escalation != nil {
		esc = *st.Escalation
	}
	var exc relsop.Exception
	if st.Exception != nil {
		exc = *st.Exception
	}
	return []value{
		{"name", st.Name}, {"kind", string(st.Kind)}, {"owner", st.Owner}, {"phase", st.Phase},
		{"environment", st.Environment}, {"description", st.Description}, {"notes", st.Notes},
		{"tool", st.Tool}, {"channel", st.Channel}, {"duration", st.Duration.Text}, {"sla", st.SLA.Text},
		{"criteria", st.Criteria}, {"approvers", st.Approvers}, {"evidence", st.Evidence},
		{"raci.accountable", st.RACI.Accountable}, {"raci.consulted", st.RACI.Consulted}, {"raci.informed", st.RACI.Informed},
		{"links", st.Links}, {"on_failure", st.OnFailure},
		{"exception.reason", exc.Reason}, {"exception.approved_by", exc.ApprovedBy},
		// The role first: an escalation needs one before it takes the
		// others, and keeps it until they are gone (setSteps takes
		// values away in the reverse order).
		{"escalation.role", esc.Role}, {"escalation.after", esc.After.Text}, {"escalation.to", esc.To},
	}
}

// differences lists how b differs from a, element by element in b's order.
func differences(a, b *relsop.SOP) []difference {
	var out []difference
	out = append(out, fieldDifferences("sop", "", sopValues(a), sopValues(b), sopRedirectable)...)
	out = append(out, elementDifferences("role", a.Roles, b.Roles, func(r *relsop.Role) (string, string) { return r.ID, r.Name }, roleValues)...)
	out = append(out, elementDifferences("phase", a.Phases, b.Phases, func(p *relsop.Phase) (string, string) { return p.ID, p.Name }, phaseValues)...)
	out = append(out, elementDifferences("environment", a.Environments, b.Environments, func(e *relsop.Environment) (string, string) { return e.ID, e.Name }, environmentValues)...)
	out = append(out, stepDifferences(a, b)...)
	out = append(out, releaseTypeDifferences(a.ReleaseTypes, b.ReleaseTypes)...)
	return out
}

// fieldDifferences compares the fields of one element; kind and id name it
// and say which fields set can change. Fields in also may change too,
// though set cannot change them: removing a step does.
func fieldDifferences(kind, id string, old, cur []value, also map[string]bool) []difference {
	var out []difference
	for i, f := range cur {
		if same(old[i].v, f.v) {
			continue
		}
		_, ok := settable[kind][f.field]
		out = append(out, difference{fmt.Sprintf("changing the %s of %s", f.field, element(kind, id)), ok || also[f.field]})
	}
	return out
}

// Fields set cannot change but removing a step can: it drops the ignore
// entries that name the step, and leads failure and escalation paths into
// it on to where it led.
var (
	sopRedirectable  = map[string]bool{"ignore": true}
	stepRedirectable = map[string]bool{"on_failure": true, "escalation.to": true}
	typeRedirectable = map[string]bool{"add": true, "change": true}
)

// elementDifferences compares roles, phases or environments: elements are
// added anywhere, removed and reordered, and their fields change as far as
// set reaches them.
func elementDifferences[T any](kind string, a, b []T, ident func(*T) (id, name string), values func(*T) []value) []difference {
	id := func(x *T) string { id, _ := ident(x); return id }
	ia, ib := idsOf(a, id), idsOf(b, id)
	find := func(list []T, id string) *T {
		for i := range list {
			if x, _ := ident(&list[i]); x == id {
				return &list[i]
			}
		}
		return nil
	}
	var out []difference
	var added, removed []*T
	for i := range b {
		old := find(a, ib[i])
		if old == nil {
			added = append(added, &b[i])
			continue
		}
		out = append(out, fieldDifferences(kind, ib[i], values(old), values(&b[i]), nil)...)
	}
	for i := range a {
		if !slices.Contains(ib, ia[i]) {
			removed = append(removed, &a[i])
		}
	}
	out = append(out, addedRemoved(kind, added, removed, ident)...)
	common := func(x, y []string) []string {
		return slices.DeleteFunc(slices.Clone(x), func(id string) bool { return !slices.Contains(y, id) })
	}
	if !slices.Equal(common(ia, ib), common(ib, ia)) {
		out = append(out, difference{fmt.Sprintf("reordering the %ss", kind), true})
	}
	return out
}

// addedRemoved reports added and removed elements; an element removed and
// one added with the same name read as a changed id, which cannot be
// merged: others' edits name the element by its old id.
func addedRemoved[T any](kind string, added, removed []*T, ident func(*T) (id, name string)) []difference {
	var out []difference
	renamed := map[string]bool{}
	for _, r := range removed {
		rid, rname := ident(r)
		for _, n := range added {
			nid, nname := ident(n)
			if rname != "" && rname == nname && !renamed[nid] {
				renamed[nid], renamed[rid] = true, true
				out = append(out, difference{fmt.Sprintf("changing the id of the %s %s to %s", kind, quote(rid), quote(nid)), false})
				break
			}
		}
	}
	for _, n := range added {
		if id, _ := ident(n); !renamed[id] {
			out = append(out, difference{"adding " + element(kind, id), true})
		}
	}
	for _, r := range removed {
		if id, _ := ident(r); !renamed[id] {
			out = append(out, difference{"removing " + element(kind, id), true})
		}
	}
	return out
}

// stepDifferences compares steps: fields as far as set reaches them, a
// kind that becomes or stops being a gate (no list of operations gets
// there: a gate must have outcomes, anything else must not), and where
// each step leads.
func stepDifferences(a, b *relsop.SOP) []difference {
	var out []difference
	var added, removed []*relsop.Step
	for i := range b.Steps {
		nb := &b.Steps[i]
		na := a.Step(nb.ID)
		if na == nil {
			added = append(added, nb)
			out = append(out, newStepDifferences(nb)...)
			continue
		}
		out = append(out, fieldDifferences("step", nb.ID, stepValues(na), stepValues(nb), stepRedirectable)...)
		if na.IsGate() != nb.IsGate() {
			out = append(out, difference{fmt.Sprintf("changing the kind of the step %s from %s to %s", quote(nb.ID), na.Kind, nb.Kind), false})
		}
		if !same(sorted(na.Next), sorted(nb.Next)) || !same(outcomeSet(na), outcomeSet(nb)) {
			out = append(out, difference{fmt.Sprintf("changing where the step %s leads", quote(nb.ID)), true})
		}
	}
	for i := range a.Steps {
		if b.Step(a.Steps[i].ID) == nil {
			removed = append(removed, &a.Steps[i])
		}
	}
	ident := func(st *relsop.Step) (string, string) { return st.ID, st.Name }
	return append(out, addedRemoved("step", added, removed, ident)...)
}

// newStepDifferences reports the fields of an added step that neither
// add_step nor set can give it.
func newStepDifferences(st *relsop.Step) []difference {
	var out []difference
	for _, f := range stepValues(st) {
		if _, ok := settable["step"][f.field]; ok || same(f.v, nil) {
			continue
		}
		out = append(out, difference{fmt.Sprintf("adding the step %s with %s", quote(st.ID), f.field), false})
	}
	return out
}

func sorted(ids []string) []string { return slices.Sorted(slices.Values(ids)) }

func outcomeSet(st *relsop.Step) []string {
	out := make([]string, len(st.Outcomes))
	for i, o := range st.Outcomes {
		out[i] = o.Label + "\x00" + o.To
	}
	return sorted(out)
}

// releaseTypeValues are a release type's fields but its id; the settable
// ones first.
func releaseTypeValues(rt *relsop.ReleaseType) []value {
	return []value{{"name", rt.Name}, {"description", rt.Description}, {"emergency", rt.Emergency}, {"remove", rt.Remove},
		{"base", rt.Base}, {"add", rt.Add}, {"change", rt.Change}}
}

// releaseTypeDifferences compares release types: one may be added as
// add_release_type makes it (an id, a name and a base, after the others),
// then given what set reaches; a changed one may change as far as set
// reaches (its name, description, emergency flag and skipped steps), and
// may be what removing a step does to it.
func releaseTypeDifferences(a, b []relsop.ReleaseType) []difference {
	var out []difference
	var ia, ib []string
	for _, rt := range a {
		ia = append(ia, rt.ID)
	}
	for _, rt := range b {
		ib = append(ib, rt.ID)
	}
	for i := range b {
		rt := &b[i]
		k := slices.Index(ia, rt.ID)
		switch {
		case k < 0:
			out = append(out, difference{"adding " + element("release type", rt.ID), addableType(rt) && !slices.ContainsFunc(ib[i+1:], func(id string) bool { return slices.Contains(ia, id) })})
		case !same(a[k], *rt):
			// A step's removal may change add and change too: they stay
			// mergeable, and DiffOps checks that the result matches.
			out = append(out, fieldDifferences("release_type", rt.ID, releaseTypeValues(&a[k]), releaseTypeValues(rt), typeRedirectable)...)
		}
	}
	for _, rt := range a {
		if !slices.Contains(ib, rt.ID) {
			out = append(out, difference{"removing " + element("release type", rt.ID), true})
		}
	}
	return out
}

// addableType reports whether add_release_type and set can make rt: it
// holds nothing but an id, a name, a base and what set reaches.
func addableType(rt *relsop.ReleaseType) bool {
	bare := relsop.ReleaseType{ID: rt.ID, Name: rt.Name, Base: rt.Base, Description: rt.Description, Emergency: rt.Emergency, Remove: rt.Remove}
	return rt.Name != "" && same(*rt, bare)
}

// element names an element for people: the SOP, the step “build”.
func element(kind, id string) string {
	if kind == "sop" {
		return "the SOP"
	}
	return "the " + strings.ReplaceAll(kind, "_", " ") + " " + quote(id)
}

func quote(id string) string { return "“" + id + "”" }
