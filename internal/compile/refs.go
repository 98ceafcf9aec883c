package compile

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/schema"
)

// idTable holds the ids of one kind (roles, steps, ...) defined in a flow.
type idTable struct {
	all   []string              // in file order, with repeats and empty ids, as hints list them
	first map[string]relsop.Pos // where each id is first defined
	dups  []relsop.Finding      // ids defined again
}

// newIDTable reads the n ids of kind; idAt gives the i-th and where it is
// written.
func newIDTable(kind string, n int, idAt func(i int) (string, relsop.Pos)) *idTable {
	if n == 0 {
		return noIDs // a resolved flow, for one, has no release types
	}
	t := &idTable{}
	t.fill(kind, n, idAt)
	return t
}

// fill makes t the table of the n ids of kind, reusing its room: checking
// the release types reads each one's steps into the same table, as a
// flow's table is needed only while the flow is checked.
func (t *idTable) fill(kind string, n int, idAt func(i int) (string, relsop.Pos)) {
	t.all = slices.Grow(t.all[:0], n)[:n]
	if t.first == nil {
		t.first = make(map[string]relsop.Pos, n)
	}
	clear(t.first)
	t.dups = t.dups[:0]
	words := strings.ReplaceAll(kind, "-", " ")
	for i := range n {
		id, pos := idAt(i)
		t.all[i] = id
		if id == "" {
			continue
		}
		if p, ok := t.first[id]; ok {
			t.dups = append(t.dups, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: CodeDuplicateID,
				Message: fmt.Sprintf("%s id %q is already used at line %d", words, id, p.Line), Hint: "give each " + words + " its own id"})
			continue
		}
		t.first[id] = pos
	}
}

// noIDs is the table of no ids. It is read only, so that concurrent loads
// may share it.
var noIDs = &idTable{}

func (t *idTable) defines(id string) bool {
	_, ok := t.first[id]
	return ok
}

// definitions are the id tables of a flow, one per kind of reference.
type definitions struct {
	role, phase, environment, step, releaseType *idTable
}

// newDefinitions reads the ids sop defines. The roles, phases and
// environments are those of every flow of the SOP (a release type changes
// only steps), so the flows of its release types share them: see
// checkVariantFlow.
func newDefinitions(sop *relsop.SOP) definitions {
	d := definitions{
		role: newIDTable("role", len(sop.Roles), func(i int) (string, relsop.Pos) {
			r := &sop.Roles[i]
			return r.ID, r.FieldPos.Of("id", r.Pos)
		}),
		phase: newIDTable("phase", len(sop.Phases), func(i int) (string, relsop.Pos) {
			p := &sop.Phases[i]
			return p.ID, p.FieldPos.Of("id", p.Pos)
		}),
		environment: newIDTable("environment", len(sop.Environments), func(i int) (string, relsop.Pos) {
			e := &sop.Environments[i]
			return e.ID, e.FieldPos.Of("id", e.Pos)
		}),
	}
	d.step = &idTable{}
	d.step.fill("step", len(sop.Steps), func(i int) (string, relsop.Pos) { return stepID(&sop.Steps[i]) })
	d.releaseType = newIDTable("release-type", len(sop.ReleaseTypes), func(i int) (string, relsop.Pos) {
		t := &sop.ReleaseTypes[i]
		return t.ID, t.FieldPos.Of("id", t.Pos)
	})
	return d
}

// stepID returns the id of st and where it is written.
func stepID(st *relsop.Step) (string, relsop.Pos) { return st.ID, st.FieldPos.Of("id", st.Pos) }

// of returns the table of kind.
func (d *definitions) of(kind string) *idTable {
	switch kind {
	case "role":
		return d.role
	case "phase":
		return d.phase
	case "environment":
		return d.environment
	case "step":
		return d.step
	}
	return d.releaseType
}

type refChecker struct {
	defs    definitions
	errs    []relsop.Finding
	hints   *hinter
	earlier map[refKey]bool // undefined ids reported for other flows
	found   map[refKey]bool // undefined ids reported for this one
}

// refKey is a reference to an undefined id. A release type's flow repeats
// the references of the base flow, some in steps of its own (a step added
// after another takes over its next flows), so an undefined id already
// reported for another flow is not reported again.
type refKey struct{ kind, id string }

// full reports whether more errors have been found than are reported; the
// one past MaxErrors tells Load to say that there are more.
func (rc *refChecker) full() bool { return len(rc.errs) > MaxErrors }

func (rc *refChecker) add(pos relsop.Pos, code, msg, hint string) {
	if rc.full() {
		return
	}
	rc.errs = append(rc.errs, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: code, Message: msg, Hint: hint})
}

var refCodes = map[string]string{
	"role": CodeUnknownRole, "step": CodeUnknownStep, "phase": CodeUnknownPhase,
	"environment": CodeUnknownEnvironment, "release-type": CodeUnknownReleaseType,
}

var refSections = map[string]string{
	"role": "roles", "step": "steps", "phase": "phases", "environment": "environments", "release-type": "release_types",
}

// ref checks that id names a defined element of kind. where gives the
// position of the reference and says what it is ("owner of step
// \"build\""); it is called only for an error, since a large SOP has many
// references and most of them resolve.
func (rc *refChecker) ref(kind, id string, where func() (relsop.Pos, string)) {
	k := refKey{kind, id}
	if id == "" || rc.defs.of(kind).defines(id) || rc.earlier[k] || rc.full() {
		return
	}
	rc.found[k] = true
	pos, what := where()
	defined := rc.defs.of(kind).all
	hint := fmt.Sprintf("define it under %s:", refSections[kind])
	if len(defined) > 0 && len(defined) <= 12 {
		hint += ", or use one of: " + strings.Join(defined, ", ")
	}
	rc.add(pos, refCodes[kind], fmt.Sprintf("%s is %q, which is not a defined %s%s", what, id, strings.ReplaceAll(kind, "-", " "), rc.hints.hint(id, defined)), hint)
}

// checkRefs checks that the ids of flow are unique and that every
// reference resolves; defs are its ids. reported holds the undefined ids
// reported for other flows; checkRefs adds those it reports.
func checkRefs(flow *relsop.SOP, defs definitions, h *hinter, reported map[refKey]bool) []relsop.Finding {
	rc := &refChecker{defs: defs, hints: h, earlier: reported, found: map[refKey]bool{}}
	defer maps.Copy(reported, rc.found)
	rc.dups(defs.role, defs.phase, defs.environment, defs.step, defs.releaseType)
	for i := range flow.Steps {
		rc.step(&flow.Steps[i])
	}
	for _, t := range flow.ReleaseTypes {
		rc.ref("release-type", t.Base, func() (relsop.Pos, string) {
			return t.FieldPos.Of("base", t.Pos), fmt.Sprintf("base of release type %q", t.ID)
		})
	}
	if len(flow.Ignore) > 0 {
		// An ignore entry may name a step that only a variant adds: the
		// hints offer those too.
		steps := slices.Clip(defs.step.all)
		for _, rt := range flow.ReleaseTypes {
			for _, a := range rt.Add {
				steps = append(steps, a.Step.ID)
			}
		}
		rc.defs.step = &idTable{all: steps, first: defs.step.first}
	}
	for _, ig := range flow.Ignore {
		if strings.TrimSpace(ig.Reason) == "" {
			rc.add(ig.Pos, schema.CodeMissingField, fmt.Sprintf("the ignore entry for %q gives no reason", ig.Rule),
				"say why the finding does not apply: a suppression without a reason cannot be reviewed")
		}
		rc.ref("step", ig.Step, func() (relsop.Pos, string) {
			return ig.Pos, fmt.Sprintf("step of the ignore entry for %q", ig.Rule)
		})
	}
	return rc.errs
}

// dups reports the ids defined again in tables.
func (rc *refChecker) dups(tables ...*idTable) {
	for _, t := range tables {
		for _, e := range t.dups {
			rc.add(e.Pos, e.Code, e.Message, e.Hint)
		}
	}
}

// step checks one step's references and that its fields suit its kind.
func (rc *refChecker) step(st *relsop.Step) {
	at := func(field string) relsop.Pos { return st.FieldPos.Of(field, st.Pos) }
	of := func(field string) string { return fmt.Sprintf("%s of step %q", field, st.ID) }
	rc.ref("role", st.Owner, func() (relsop.Pos, string) { return at("owner"), of("owner") })
	rc.ref("phase", st.Phase, func() (relsop.Pos, string) { return at("phase"), of("phase") })
	rc.ref("environment", st.Environment, func() (relsop.Pos, string) { return at("environment"), of("environment") })
	for _, list := range []struct {
		field string
		ids   []string
	}{{"approvers", st.Approvers}, {"accountable", st.RACI.Accountable}, {"consulted", st.RACI.Consulted}, {"informed", st.RACI.Informed}} {
		for i, id := range list.ids {
			rc.ref("role", id, func() (relsop.Pos, string) {
				return st.FieldPos.Of(relsop.IndexedField(list.field, i), at(list.field)), of(list.field)
			})
		}
	}
	for i, id := range st.Next {
		rc.ref("step", id, func() (relsop.Pos, string) {
			return st.FieldPos.Of(relsop.IndexedField("next", i), at("next")), of("next")
		})
	}
	for _, o := range st.Outcomes {
		rc.ref("step", o.To, func() (relsop.Pos, string) {
			return o.Pos, fmt.Sprintf("outcome %q of step %q", o.Label, st.ID)
		})
	}
	rc.ref("step", st.OnFailure, func() (relsop.Pos, string) { return at("on_failure"), of("on_failure") })
	if e := st.Escalation; e != nil {
		rc.ref("role", e.Role, func() (relsop.Pos, string) {
			return e.FieldPos.Of("role", e.Pos), fmt.Sprintf("escalation role of step %q", st.ID)
		})
		rc.ref("step", e.To, func() (relsop.Pos, string) {
			return e.FieldPos.Of("to", e.Pos), fmt.Sprintf("escalation target of step %q", st.ID)
		})
	}
	if ex := st.Exception; ex != nil {
		rc.ref("role", ex.ApprovedBy, func() (relsop.Pos, string) {
			return ex.FieldPos.Of("approved_by", ex.Pos), fmt.Sprintf("approved_by of the exception of step %q", st.ID)
		})
	}
	rc.kindFields(st)
}
