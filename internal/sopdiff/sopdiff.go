// Package sopdiff compares two versions of an SOP by meaning rather than by
// line: which metadata fields changed, and which roles, phases,
// environments, steps, gates, flows and release types were added, removed
// or changed, field by field. Compare gives the Diff, Diff.Text a report
// for people, encoding/json the same for tools, and SVG draws the newer
// version's diagram with the differences marked (relsop diff, and the web
// workspace's version history).
package sopdiff

import (
	"github.com/relsop/relsop"
)

// Op says what happened to an element between the two versions.
type Op string

// The operations a Change reports.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Kind is the sort of element a Change is about. Gates are steps of kind
// gate, reported apart because readers look for them.
type Kind string

// The kinds of element compared, in the order a Diff lists them.
const (
	KindRole        Kind = "role"
	KindPhase       Kind = "phase"
	KindEnvironment Kind = "environment"
	KindStep        Kind = "step"
	KindGate        Kind = "gate"
	KindFlow        Kind = "flow"
	KindReleaseType Kind = "release_type"
)

// Diff is what changed from an older SOP (a) to a newer one (b): metadata
// fields first, then element changes grouped by kind. Within a kind,
// elements come in the newer file's order; a removed element comes right
// after the element that preceded it in the older file, or first when none
// did, so that the report reads like the file.
type Diff struct {
	Metadata []FieldChange `json:"metadata"`
	Changes  []Change      `json:"changes"`
}

// Change is one element added, removed or changed.
type Change struct {
	Op   Op     `json:"op"`
	Kind Kind   `json:"kind"`
	ID   string `json:"id"` // the element's id; "from->to" for a flow
	// Name is the element's name: the older one for a changed or removed
	// element, the newer for an added one.
	Name   string        `json:"name,omitempty"`
	Owner  string        `json:"owner,omitempty"` // steps: the owner role
	Phase  string        `json:"phase,omitempty"` // steps: the phase
	Flow   *Flow         `json:"flow,omitempty"`  // flows: which arrow
	Fields []FieldChange `json:"fields,omitempty"`
}

// Flow names one arrow: its ends, its kind (next, outcome, rollback,
// escalation) and its label, such as a gate outcome.
type Flow struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Kind  string `json:"kind"`
	Label string `json:"label,omitempty"`
}

// FieldChange is one field's old and new value, as short single-line
// strings: long text is cut around the part that changed, lists are
// written [a, b], and a value not set is "".
type FieldChange struct {
	Field string `json:"field"` // the field's name in the file, such as "owner" or "review.cadence"
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Empty reports whether the two versions mean the same.
func (d Diff) Empty() bool { return len(d.Metadata) == 0 && len(d.Changes) == 0 }

// Compare returns what changed from a to b. Elements are matched by id, so
// a renamed id reads as a removal and an addition. A nil SOP compares as an
// empty one (a file added or deleted). Compare the resolved flows
// (SOP.Resolve) to compare a release type.
func Compare(a, b *relsop.SOP) Diff {
	if a == nil {
		a = &relsop.SOP{}
	}
	if b == nil {
		b = &relsop.SOP{}
	}
	d := Diff{Metadata: compareFields(sopFields(a), sopFields(b)), Changes: []Change{}}
	d.Metadata = append(d.Metadata, orderChanges(a, b)...)
	if d.Metadata == nil {
		d.Metadata = []FieldChange{}
	}
	d.Changes = append(d.Changes, compareByID(a.Roles, b.Roles, roleElem, nil)...)
	d.Changes = append(d.Changes, compareByID(a.Phases, b.Phases, phaseElem, nil)...)
	d.Changes = append(d.Changes, compareByID(a.Environments, b.Environments, envElem, nil)...)
	d.Changes = append(d.Changes, compareByID(a.Steps, b.Steps, stepElem, nil)...)
	d.Changes = append(d.Changes, compareFlows(a.Flows(), b.Flows())...)
	d.Changes = append(d.Changes, compareByID(a.ReleaseTypes, b.ReleaseTypes, releaseTypeElem, compareReleaseTypeSteps)...)
	return d
}

// elem is what compareByID needs to know of an element.
type elem struct {
	id, name     string
	kind         Kind
	owner, phase string
	fields       []field
}

// compareByID matches the elements of a and b by id and reports the
// differences in the order described on Diff; inner, when not nil, adds
// differences below the element's own fields.
func compareByID[T any](a, b []T, view func(*T) elem, inner func(a, b *T) []FieldChange) []Change {
	ea, eb := make([]elem, len(a)), make([]elem, len(b))
	for i := range a {
		ea[i] = view(&a[i])
	}
	for i := range b {
		eb[i] = view(&b[i])
	}
	index := map[string]int{}
	for i, e := range ea {
		if _, dup := index[e.id]; !dup {
			index[e.id] = i
		}
	}
	match := make([]int, len(eb))
	used := make([]bool, len(ea))
	for j, e := range eb {
		match[j] = -1
		if i, ok := index[e.id]; ok && !used[i] {
			match[j], used[i] = i, true
		}
	}
	var out []Change
	for _, p := range sequence(len(ea), match) {
		switch {
		case p.a < 0:
			e := eb[p.b]
			out = append(out, Change{Op: Added, Kind: e.kind, ID: e.id, Name: e.name, Owner: e.owner, Phase: e.phase})
		case p.b < 0:
			e := ea[p.a]
			out = append(out, Change{Op: Removed, Kind: e.kind, ID: e.id, Name: e.name, Owner: e.owner, Phase: e.phase})
		default:
			old, cur := ea[p.a], eb[p.b]
			fc := compareFields(old.fields, cur.fields)
			if inner != nil {
				fc = append(fc, inner(&a[p.a], &b[p.b])...)
			}
			if len(fc) > 0 {
				out = append(out, Change{Op: Changed, Kind: cur.kind, ID: cur.id, Name: old.name, Owner: cur.owner, Phase: cur.phase, Fields: fc})
			}
		}
	}
	return out
}

// pair is one step of a merged walk through two lists: indices into a and
// b, -1 for the side an element is missing from.
type pair struct{ a, b int }

// sequence merges the elements of b (match[j] is the element of a that
// b[j] is matched with, or -1) with the unmatched elements of a, each of
// which follows the element of b matched with its nearest matched
// predecessor in a, or comes first when it has none.
func sequence(na int, match []int) []pair {
	matchedA := make([]int, na) // the element of b each element of a is matched with
	for i := range matchedA {
		matchedA[i] = -1
	}
	for j, i := range match {
		if i >= 0 {
			matchedA[i] = j
		}
	}
	after := map[int][]int{} // element of b -> unmatched elements of a that follow it
	var lead []int
	anchor := -1
	for i := range na {
		if matchedA[i] >= 0 {
			anchor = matchedA[i]
			continue
		}
		if anchor < 0 {
			lead = append(lead, i)
		} else {
			after[anchor] = append(after[anchor], i)
		}
	}
	out := make([]pair, 0, na+len(match))
	for _, i := range lead {
		out = append(out, pair{i, -1})
	}
	for j, i := range match {
		out = append(out, pair{i, j})
		for _, r := range after[j] {
			out = append(out, pair{r, -1})
		}
	}
	return out
}

// compareFlows matches flows by their ends: first those that are equal in
// kind and label too, then the rest of each pair of ends in order, which
// are reported as changed (a gate outcome renamed, a next flow become an
// outcome).
func compareFlows(a, b []relsop.Flow) []Change {
	type ends struct{ from, to string }
	byEnds := map[ends][]int{}
	for i, f := range a {
		k := ends{f.From, f.To}
		byEnds[k] = append(byEnds[k], i)
	}
	match := make([]int, len(b))
	used := make([]bool, len(a))
	for j := range match {
		match[j] = -1
	}
	for j, f := range b {
		for _, i := range byEnds[ends{f.From, f.To}] {
			if !used[i] && a[i].Kind == f.Kind && a[i].Label == f.Label {
				match[j], used[i] = i, true
				break
			}
		}
	}
	for j, f := range b {
		if match[j] >= 0 {
			continue
		}
		for _, i := range byEnds[ends{f.From, f.To}] {
			if !used[i] {
				match[j], used[i] = i, true
				break
			}
		}
	}
	view := func(f relsop.Flow) *Flow {
		return &Flow{From: f.From, To: f.To, Kind: string(f.Kind), Label: f.Label}
	}
	var out []Change
	for _, p := range sequence(len(a), match) {
		switch {
		case p.a < 0:
			f := b[p.b]
			out = append(out, Change{Op: Added, Kind: KindFlow, ID: f.From + "->" + f.To, Flow: view(f)})
		case p.b < 0:
			f := a[p.a]
			out = append(out, Change{Op: Removed, Kind: KindFlow, ID: f.From + "->" + f.To, Flow: view(f)})
		default:
			old, cur := a[p.a], b[p.b]
			fc := compareFields(
				[]field{{name: "kind", value: string(old.Kind)}, {name: "label", value: old.Label}},
				[]field{{name: "kind", value: string(cur.Kind)}, {name: "label", value: cur.Label}})
			if len(fc) > 0 {
				out = append(out, Change{Op: Changed, Kind: KindFlow, ID: cur.From + "->" + cur.To, Flow: view(cur), Fields: fc})
			}
		}
	}
	return out
}
