package sopdiff

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// field is one compared value of an element, written as it is reported.
type field struct{ name, value string }

// compareFields reports the fields whose values differ, in the order of
// cur; both lists name the same fields in the same order.
func compareFields(old, cur []field) []FieldChange {
	var out []FieldChange
	for i, f := range cur {
		o := ""
		if i < len(old) && old[i].name == f.name {
			o = old[i].value
		}
		if o != f.value {
			a, b := shorten(o, f.value)
			out = append(out, FieldChange{Field: f.name, Old: a, New: b})
		}
	}
	return out
}

// textFields hold free text, which Text quotes; the other fields hold ids,
// numbers, durations, flags or lists already written with brackets. A
// field is known by the last part of its name ("exception.reason",
// "add.hold-pir.name").
var textFields = map[string]bool{
	"title": true, "name": true, "description": true, "scope": true, "notes": true,
	"tool": true, "channel": true, "reason": true, "label": true,
}

func isText(name string) bool {
	return textFields[name[strings.LastIndexByte(name, '.')+1:]]
}

func sopFields(s *relsop.SOP) []field {
	lastReviewed := ""
	if !s.Review.LastReviewed.IsZero() {
		lastReviewed = s.Review.LastReviewed.Format("2006-01-02")
	}
	sources := make([]string, len(s.Sources))
	for i, src := range s.Sources {
		sources[i] = strconv.Quote(src.Title)
		if src.Kind != "" {
			sources[i] = src.Kind + " " + sources[i]
		}
	}
	ignores := make([]string, len(s.Ignore))
	for i, ig := range s.Ignore {
		ignores[i] = ig.Rule
		if ig.Step != "" {
			ignores[i] += "@" + ig.Step
		}
	}
	return []field{
		{"id", s.ID},
		{"title", s.Title},
		{"version", s.Version},
		{"owner", s.Owner},
		{"status", string(s.Status)},
		{"review.cadence", s.Review.Cadence.Text},
		{"review.last_reviewed", lastReviewed},
		{"scope", s.Scope},
		{"description", s.Description},
		{"sources", list(sources)},
		{"notes", s.Notes},
		{"links", links(s.Links)},
		{"ignore", list(ignores)},
	}
}

// orderChanges reports a new order of the roles (the diagram's lanes), of
// the phases (its columns) or of the environments (the way to production)
// among those both versions have; additions and removals alone do not
// count.
func orderChanges(a, b *relsop.SOP) []FieldChange {
	var out []FieldChange
	roleIDs := func(s *relsop.SOP) []string { return ids(s.Roles, func(r relsop.Role) string { return r.ID }) }
	phaseIDs := func(s *relsop.SOP) []string { return ids(s.Phases, func(p relsop.Phase) string { return p.ID }) }
	envIDs := func(s *relsop.SOP) []string {
		return ids(s.Environments, func(e relsop.Environment) string { return e.ID })
	}
	for _, o := range []struct {
		name   string
		ia, ib []string
	}{{"roles.order", roleIDs(a), roleIDs(b)}, {"phases.order", phaseIDs(a), phaseIDs(b)}, {"environments.order", envIDs(a), envIDs(b)}} {
		ca, cb := common(o.ia, o.ib), common(o.ib, o.ia)
		if !slices.Equal(ca, cb) {
			x, y := shorten(list(ca), list(cb))
			out = append(out, FieldChange{Field: o.name, Old: x, New: y})
		}
	}
	return out
}

// ids lists the ids of a list of elements, in its order.
func ids[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	return out
}

// common returns the ids of a that b has too, in a's order.
func common(a, b []string) []string {
	var out []string
	for _, id := range a {
		if slices.Contains(b, id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func roleElem(r *relsop.Role) elem {
	return elem{id: r.ID, name: r.Name, kind: KindRole, fields: []field{
		{"name", r.Name}, {"description", r.Description},
	}}
}

func phaseElem(p *relsop.Phase) elem {
	return elem{id: p.ID, name: p.Name, kind: KindPhase, fields: []field{
		{"name", p.Name}, {"description", p.Description},
	}}
}

func envElem(e *relsop.Environment) elem {
	return elem{id: e.ID, name: e.Name, kind: KindEnvironment, fields: []field{
		{"name", e.Name}, {"production", yes(e.Production)}, {"description", e.Description},
	}}
}

func stepElem(st *relsop.Step) elem {
	kind := KindStep
	if st.IsGate() {
		kind = KindGate
	}
	return elem{id: st.ID, name: st.Name, kind: kind, owner: st.Owner, phase: st.Phase, fields: stepFields(st)}
}

// stepFields are the fields of a step compared one by one. Where the step
// leads (next, outcomes, on_failure, escalation.to) is compared as flows.
func stepFields(st *relsop.Step) []field {
	var escRole, escAfter, excReason, excBy string
	if e := st.Escalation; e != nil {
		escRole, escAfter = e.Role, e.After.Text
	}
	if e := st.Exception; e != nil {
		excReason, excBy = e.Reason, e.ApprovedBy
	}
	return []field{
		{"name", st.Name},
		{"kind", string(st.Kind)},
		{"owner", st.Owner},
		{"phase", st.Phase},
		{"environment", st.Environment},
		{"raci.accountable", list(st.RACI.Accountable)},
		{"raci.consulted", list(st.RACI.Consulted)},
		{"raci.informed", list(st.RACI.Informed)},
		{"description", st.Description},
		{"notes", st.Notes},
		{"links", links(st.Links)},
		{"tool", st.Tool},
		{"channel", st.Channel},
		{"duration", st.Duration.Text},
		{"sla", st.SLA.Text},
		{"evidence", quotedList(st.Evidence)},
		{"criteria", quotedList(st.Criteria)},
		{"approvers", list(st.Approvers)},
		{"escalation.role", escRole},
		{"escalation.after", escAfter},
		{"exception.reason", excReason},
		{"exception.approved_by", excBy},
	}
}

// releaseTypeElem compares a release type's own fields, the lists of steps
// it removes, adds and changes, and, for an added step or a change both
// versions have, their fields ("add.hold-pir.owner", "change.go-no-go.approvers").
func releaseTypeElem(rt *relsop.ReleaseType) elem {
	adds := make([]string, len(rt.Add))
	for i, a := range rt.Add {
		adds[i] = a.Step.ID
		switch {
		case a.After != "":
			adds[i] += " after " + a.After
		case a.Before != "":
			adds[i] += " before " + a.Before
		}
	}
	changes := make([]string, len(rt.Change))
	for i, c := range rt.Change {
		changes[i] = c.Step
	}
	fs := []field{
		{"name", rt.Name},
		{"description", rt.Description},
		{"base", rt.Base},
		{"emergency", yes(rt.Emergency)},
		{"remove", list(rt.Remove)},
		{"add", list(adds)},
		{"change", list(changes)},
	}
	return elem{id: rt.ID, name: rt.Name, kind: KindReleaseType, fields: fs}
}

// compareReleaseTypeSteps reports the differences inside the steps two
// versions of a release type both add, and inside the changes both make
// to the same step.
func compareReleaseTypeSteps(a, b *relsop.ReleaseType) []FieldChange {
	var out []FieldChange
	for _, nb := range b.Add {
		for _, na := range a.Add {
			if na.Step.ID == nb.Step.ID {
				out = append(out, prefixed("add."+nb.Step.ID+".", compareFields(stepFlowFields(&na.Step), stepFlowFields(&nb.Step)))...)
				break
			}
		}
	}
	for _, cb := range b.Change {
		for _, ca := range a.Change {
			if ca.Step == cb.Step {
				set := append(slices.Clone(ca.Set), cb.Set...)
				out = append(out, prefixed("change."+cb.Step+".", compareFields(changeFields(ca, set), changeFields(cb, set)))...)
				break
			}
		}
	}
	return out
}

// stepFlowFields are a step's fields and, since an added step has no flows
// in the base, where it leads.
func stepFlowFields(st *relsop.Step) []field {
	outs := make([]string, len(st.Outcomes))
	for i, o := range st.Outcomes {
		outs[i] = o.Label + ": " + o.To
	}
	escTo := ""
	if st.Escalation != nil {
		escTo = st.Escalation.To
	}
	return append(stepFields(st),
		field{"next", list(st.Next)},
		field{"outcomes", list(outs)},
		field{"on_failure", st.OnFailure},
		field{"escalation.to", escTo})
}

// changeFields are the fields of a variant's change named in set (the
// union of both versions' sets), "" for one the change does not set.
func changeFields(c relsop.StepChange, set []string) []field {
	all := stepFlowFields(&c.Fields)
	var out []field
	for _, f := range all {
		top, _, _ := strings.Cut(f.name, ".")
		if !slices.Contains(set, top) {
			continue
		}
		if !slices.Contains(c.Set, top) {
			f.value = ""
		}
		out = append(out, f)
	}
	return out
}

func prefixed(prefix string, fcs []FieldChange) []FieldChange {
	for i := range fcs {
		fcs[i].Field = prefix + fcs[i].Field
	}
	return fcs
}

// list writes ids as [a, b]; "" when there are none.
func list(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

// quotedList writes free-text items as ["a", "b"].
func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return list(q)
}

func links(ls []relsop.Link) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = strconv.Quote(l.Title) + " <" + l.URL + ">"
		if l.Title == "" {
			q[i] = "<" + l.URL + ">"
		}
	}
	return list(q)
}

func yes(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// maxValue is the most runes a reported value keeps.
const maxValue = 72

// shorten cuts two long values down to the part where they differ, with
// some context either side and an ellipsis where text was left out, so
// that a one-word change in a paragraph stays visible. Both values are
// made single-line.
func shorten(old, cur string) (string, string) {
	old, cur = oneLine(old), oneLine(cur)
	if utf8.RuneCountInString(old) <= maxValue && utf8.RuneCountInString(cur) <= maxValue {
		return old, cur
	}
	a, b := []rune(old), []rune(cur)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	const context = 16
	start := max(0, pre-context)
	cut := func(r []rune) string {
		end := min(len(r), len(r)-suf+context)
		part := r[start:end]
		tail := end < len(r)
		if len(part) > maxValue {
			part, tail = part[:maxValue], true
		}
		s := string(part)
		if start > 0 {
			s = "…" + strings.TrimLeft(s, " ")
		}
		if tail {
			s = strings.TrimRight(s, " ") + "…"
		}
		return s
	}
	return cut(a), cut(b)
}

// oneLine replaces line breaks and tabs with spaces: every value is
// reported on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
