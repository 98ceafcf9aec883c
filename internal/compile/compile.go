// Package compile turns the bytes of a *.sop.yaml file into the domain
// model: it parses (syntax), checks the shape (schema), builds the model and
// resolves every reference, collecting all errors with their positions.
package compile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/suggest"
	"github.com/relsop/relsop/internal/syntax"
)

// Error codes of reference and consistency checks.
const (
	CodeDuplicateID        = "duplicate-id"
	CodeUnknownRole        = "unknown-role"
	CodeUnknownStep        = "unknown-step"
	CodeUnknownPhase       = "unknown-phase"
	CodeUnknownEnvironment = "unknown-environment"
	CodeUnknownReleaseType = "unknown-release-type"
	CodeGateNoOutcomes     = "gate-without-outcomes"
	CodeFieldNotForKind    = "field-not-for-kind"
	CodeMissingEnvironment = "deploy-without-environment"
	CodeVariantCycle       = "variant-cycle"
)

// Result is what Load gives back: the model (possibly partial when there
// are errors, nil only when the file could not be parsed at all), the
// syntax tree, and every error found.
type Result struct {
	SOP    *relsop.SOP
	Tree   *syntax.File
	Errors []relsop.Finding
}

// Load parses and compiles src. Errors carry positions but no file name;
// the caller adds it.
func Load(src []byte) Result {
	tree, perr := syntax.Parse(src)
	if perr != nil {
		return Result{Errors: []relsop.Finding{*perr}}
	}
	errs := schema.Check(tree.Root)
	if tree.Root == nil || tree.Root.Kind != syntax.Mapping {
		return Result{Tree: tree, Errors: errs}
	}
	sop := buildSOP(tree.Root)
	baseErrs := checkRefs(sop)
	errs = append(errs, baseErrs...)
	errs = append(errs, checkVariants(sop, baseErrs)...)
	return Result{SOP: sop, Tree: tree, Errors: dedupe(errs)}
}

// dedupe drops repeated errors (a variant's resolved flow repeats the base
// flow's problems) and sorts by position.
func dedupe(errs []relsop.Finding) []relsop.Finding {
	type key struct {
		pos  relsop.Pos
		code string
		msg  string
	}
	seen := map[key]bool{}
	var out []relsop.Finding
	for _, e := range errs {
		k := key{e.Pos, e.Code, e.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos.Line != out[j].Pos.Line {
			return out[i].Pos.Line < out[j].Pos.Line
		}
		return out[i].Pos.Col < out[j].Pos.Col
	})
	return out
}

type refChecker struct {
	sop  *relsop.SOP
	errs []relsop.Finding
	ids  map[string][]string // ref kind -> defined ids
}

func newRefChecker(sop *relsop.SOP) *refChecker {
	rc := &refChecker{sop: sop, ids: map[string][]string{}}
	for _, r := range sop.Roles {
		rc.ids["role"] = append(rc.ids["role"], r.ID)
	}
	for _, p := range sop.Phases {
		rc.ids["phase"] = append(rc.ids["phase"], p.ID)
	}
	for _, e := range sop.Environments {
		rc.ids["environment"] = append(rc.ids["environment"], e.ID)
	}
	for _, s := range sop.Steps {
		rc.ids["step"] = append(rc.ids["step"], s.ID)
	}
	for _, t := range sop.ReleaseTypes {
		rc.ids["release-type"] = append(rc.ids["release-type"], t.ID)
	}
	return rc
}

func (rc *refChecker) add(pos relsop.Pos, code, msg, hint string) {
	rc.errs = append(rc.errs, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: code, Message: msg, Hint: hint})
}

var refCodes = map[string]string{
	"role": CodeUnknownRole, "step": CodeUnknownStep, "phase": CodeUnknownPhase,
	"environment": CodeUnknownEnvironment, "release-type": CodeUnknownReleaseType,
}

var refSections = map[string]string{
	"role": "roles", "step": "steps", "phase": "phases", "environment": "environments", "release-type": "release_types",
}

// ref checks that id names a defined element of kind; what says where the
// reference was written ("owner of step \"build\"").
func (rc *refChecker) ref(kind, id string, pos relsop.Pos, what string) {
	if id == "" {
		return
	}
	for _, d := range rc.ids[kind] {
		if d == id {
			return
		}
	}
	defined := rc.ids[kind]
	hint := fmt.Sprintf("define it under %s:", refSections[kind])
	if len(defined) > 0 && len(defined) <= 12 {
		hint += ", or use one of: " + strings.Join(defined, ", ")
	}
	rc.add(pos, refCodes[kind], fmt.Sprintf("%s is %q, which is not a defined %s%s", what, id, strings.ReplaceAll(kind, "-", " "), suggest.Hint(id, defined)), hint)
}

func (rc *refChecker) unique(kind string, ids []string, positions []relsop.Pos) {
	first := map[string]relsop.Pos{}
	for i, id := range ids {
		if id == "" {
			continue
		}
		if p, ok := first[id]; ok {
			rc.add(positions[i], CodeDuplicateID, fmt.Sprintf("%s id %q is already used at line %d", strings.ReplaceAll(kind, "-", " "), id, p.Line),
				"give each "+strings.ReplaceAll(kind, "-", " ")+" its own id")
			continue
		}
		first[id] = positions[i]
	}
}

// checkRefs checks ids are unique and every reference resolves.
func checkRefs(sop *relsop.SOP) []relsop.Finding {
	rc := newRefChecker(sop)
	idPos := func(fp relsop.FieldPos, pos relsop.Pos) relsop.Pos { return fp.Of("id", pos) }
	var ids []string
	var pos []relsop.Pos
	collect := func(id string, p relsop.Pos) { ids = append(ids, id); pos = append(pos, p) }
	for _, r := range sop.Roles {
		collect(r.ID, idPos(r.FieldPos, r.Pos))
	}
	rc.unique("role", ids, pos)
	ids, pos = nil, nil
	for _, p := range sop.Phases {
		collect(p.ID, idPos(p.FieldPos, p.Pos))
	}
	rc.unique("phase", ids, pos)
	ids, pos = nil, nil
	for _, e := range sop.Environments {
		collect(e.ID, idPos(e.FieldPos, e.Pos))
	}
	rc.unique("environment", ids, pos)
	ids, pos = nil, nil
	for _, s := range sop.Steps {
		collect(s.ID, idPos(s.FieldPos, s.Pos))
	}
	rc.unique("step", ids, pos)
	ids, pos = nil, nil
	for _, t := range sop.ReleaseTypes {
		collect(t.ID, idPos(t.FieldPos, t.Pos))
	}
	rc.unique("release-type", ids, pos)

	for i := range sop.Steps {
		rc.step(&sop.Steps[i])
	}
	for _, t := range sop.ReleaseTypes {
		rc.ref("release-type", t.Base, t.FieldPos.Of("base", t.Pos), fmt.Sprintf("base of release type %q", t.ID))
	}
	// An ignore entry may name a step that only a variant adds.
	for _, rt := range sop.ReleaseTypes {
		for _, a := range rt.Add {
			rc.ids["step"] = append(rc.ids["step"], a.Step.ID)
		}
	}
	for _, ig := range sop.Ignore {
		rc.ref("step", ig.Step, ig.Pos, fmt.Sprintf("step of the ignore entry for %q", ig.Rule))
	}
	return rc.errs
}

// step checks one step's references and that its fields suit its kind.
func (rc *refChecker) step(st *relsop.Step) {
	what := func(field string) string { return fmt.Sprintf("%s of step %q", field, st.ID) }
	at := func(field string) relsop.Pos { return st.FieldPos.Of(field, st.Pos) }
	rc.ref("role", st.Owner, at("owner"), what("owner"))
	rc.ref("phase", st.Phase, at("phase"), what("phase"))
	rc.ref("environment", st.Environment, at("environment"), what("environment"))
	for _, list := range []struct {
		field string
		ids   []string
	}{{"approvers", st.Approvers}, {"accountable", st.RACI.Accountable}, {"consulted", st.RACI.Consulted}, {"informed", st.RACI.Informed}} {
		for i, id := range list.ids {
			rc.ref("role", id, st.FieldPos.Of(relsop.IndexedField(list.field, i), at(list.field)), what(list.field))
		}
	}
	for i, id := range st.Next {
		rc.ref("step", id, st.FieldPos.Of(relsop.IndexedField("next", i), at("next")), what("next"))
	}
	for _, o := range st.Outcomes {
		rc.ref("step", o.To, o.Pos, fmt.Sprintf("outcome %q of step %q", o.Label, st.ID))
	}
	rc.ref("step", st.OnFailure, at("on_failure"), what("on_failure"))
	if e := st.Escalation; e != nil {
		rc.ref("role", e.Role, e.FieldPos.Of("role", e.Pos), fmt.Sprintf("escalation role of step %q", st.ID))
		rc.ref("step", e.To, e.FieldPos.Of("to", e.Pos), fmt.Sprintf("escalation target of step %q", st.ID))
	}
	if ex := st.Exception; ex != nil {
		rc.ref("role", ex.ApprovedBy, ex.Pos, fmt.Sprintf("approved_by of the exception of step %q", st.ID))
	}
	rc.kindFields(st)
}

// gateOnly are the fields that make sense only on a gate.
var gateOnly = []string{"criteria", "approvers", "outcomes", "escalation"}

func (rc *refChecker) kindFields(st *relsop.Step) {
	if st.Kind == "" {
		return // an invalid kind was reported by the shape check
	}
	if st.Kind == relsop.KindGate {
		if len(st.Outcomes) == 0 {
			rc.add(st.FieldPos.Of("id", st.Pos), CodeGateNoOutcomes, fmt.Sprintf("gate %q has no outcomes", st.ID),
				"add outcomes:, such as go: <next step> and no-go: <rework step>")
		}
		if len(st.Next) > 0 {
			rc.add(st.FieldPos.Of("next", st.Pos), CodeFieldNotForKind, fmt.Sprintf("gate %q uses next:; a gate leads on through its outcomes", st.ID),
				"move the target under outcomes:, such as go: "+st.Next[0])
		}
	} else {
		for _, f := range gateOnly {
			if _, ok := st.FieldPos[f]; ok {
				rc.add(st.FieldPos[f], CodeFieldNotForKind, fmt.Sprintf("%s is set on step %q, which is a %s, not a gate", f, st.ID, st.Kind),
					"make the step kind: gate, or remove "+f+":")
			}
		}
	}
	if st.Kind == relsop.KindDeploy && st.Environment == "" {
		rc.add(st.FieldPos.Of("id", st.Pos), CodeMissingEnvironment, fmt.Sprintf("deploy step %q names no environment", st.ID),
			"add environment: with the id of the environment it deploys to")
	}
	if st.Kind == relsop.KindEnd && (len(st.Next) > 0 || st.OnFailure != "") {
		rc.add(st.FieldPos.Of("next", st.FieldPos.Of("on_failure", st.Pos)), CodeFieldNotForKind, fmt.Sprintf("end step %q has a flow leaving it", st.ID),
			"an end step ends the procedure; remove next: or make it a task")
	}
}

// checkVariants resolves every release type and checks the references of
// the resolved flow, so that a variant's added and changed steps are held to
// the same rules as the base flow.
func checkVariants(sop *relsop.SOP, baseErrs []relsop.Finding) []relsop.Finding {
	var errs []relsop.Finding
	for _, rt := range sop.ReleaseTypes {
		if rt.ID == "" {
			continue
		}
		resolved, err := sop.Resolve(rt.ID)
		if err != nil {
			re, ok := err.(*relsop.ResolveError)
			if !ok {
				continue
			}
			pos := re.Pos
			if !pos.IsValid() {
				pos = rt.Pos
			}
			if re.Code == CodeUnknownStep || re.Code == CodeUnknownReleaseType {
				// Already reported with a did-you-mean by checkRefs for
				// base; for remove/after/before, add the hint here.
				re.Msg += suggest.Hint(quotedIn(re.Msg), ids(sop))
			}
			errs = append(errs, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: re.Code, Message: re.Msg,
				Hint: "check the step and release type ids the release type names"})
			continue
		}
		resolved.Ignore = nil // checked once, against the base flow
		for _, e := range checkRefs(resolved) {
			e.Message = fmt.Sprintf("in release type %q: %s", rt.ID, e.Message)
			errs = append(errs, e)
		}
	}
	return dedupeVariantRepeats(errs, baseErrs)
}

// dedupeVariantRepeats drops errors a variant inherits from the base flow:
// those are reported once, for the base.
func dedupeVariantRepeats(errs, baseErrs []relsop.Finding) []relsop.Finding {
	base := map[string]bool{}
	for _, e := range baseErrs {
		base[fmt.Sprintf("%s|%s|%s", e.Pos, e.Code, e.Message)] = true
	}
	var out []relsop.Finding
	for _, e := range errs {
		plain := e.Message
		if i := strings.Index(plain, ": "); strings.HasPrefix(plain, "in release type ") && i >= 0 {
			plain = plain[i+2:]
		}
		if base[fmt.Sprintf("%s|%s|%s", e.Pos, e.Code, plain)] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func ids(sop *relsop.SOP) []string {
	var out []string
	for _, s := range sop.Steps {
		out = append(out, s.ID)
	}
	for _, rt := range sop.ReleaseTypes {
		for _, a := range rt.Add {
			out = append(out, a.Step.ID)
		}
	}
	return out
}

// quotedIn returns the last "quoted" word of msg.
func quotedIn(msg string) string {
	j := strings.LastIndex(msg, `"`)
	if j <= 0 {
		return ""
	}
	i := strings.LastIndex(msg[:j], `"`)
	if i < 0 {
		return ""
	}
	return msg[i+1 : j]
}
