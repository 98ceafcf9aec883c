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
	CodeTooManyErrors      = "too-many-errors"
)

// Bounds on the work Load does, so that a hostile or mistaken file within
// the syntax limits is still answered in well under a second: without them
// a few hundred KB of steps with bad references, or of release types, took
// minutes, since every error searches all ids for a did-you-mean and every
// release type resolves the whole flow again.
const (
	MaxErrors       = schema.MaxErrors // errors reported for one file
	MaxReleaseTypes = 100              // release types resolved and checked
	maxSuggestWork  = 100_000          // ids compared for did-you-mean hints
	maxVariantWork  = 100_000_000      // step visits to resolve every release type, about a second
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
	h := &hinter{budget: maxSuggestWork}
	reported := map[refKey]bool{}
	defs := newDefinitions(sop)
	baseErrs := checkRefs(sop, defs, h, reported)
	errs = append(errs, baseErrs...)
	errs = append(errs, checkVariants(sop, defs, baseErrs, h, reported)...)
	return Result{SOP: sop, Tree: tree, Errors: truncate(dedupe(errs))}
}

// truncate keeps the first MaxErrors errors and says that there were more.
func truncate(errs []relsop.Finding) []relsop.Finding {
	if len(errs) <= MaxErrors {
		return errs
	}
	more := relsop.Finding{Pos: errs[MaxErrors].Pos, Severity: relsop.SeverityError, Code: CodeTooManyErrors,
		Message: fmt.Sprintf("more than %d errors; the rest are not reported", MaxErrors),
		Hint:    "fix the errors above and validate again; a file this broken may be of some other format"}
	return append(errs[:MaxErrors:MaxErrors], more)
}

// hinter gives did-you-mean hints until its budget of comparisons is spent:
// thousands of bad references among thousands of ids would otherwise take
// minutes to report.
type hinter struct{ budget int }

func (h *hinter) hint(word string, candidates []string) string {
	h.budget -= len(candidates)
	if h.budget < 0 {
		return ""
	}
	return suggest.Hint(word, candidates)
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

// gateOnly are the fields that make sense only on a gate.
var gateOnly = []string{"criteria", "approvers", "outcomes", "escalation"}

// hasGateField reports whether st holds a value for the gate-only field f.
// An empty value does not count: it is as good as none, and it is how a
// release type's change clears the field when it turns a gate into a task.
func hasGateField(st *relsop.Step, f string) bool {
	switch f {
	case "criteria":
		return len(st.Criteria) > 0
	case "approvers":
		return len(st.Approvers) > 0
	case "outcomes":
		return len(st.Outcomes) > 0
	case "escalation":
		return st.Escalation != nil
	}
	return false
}

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
			if _, ok := st.FieldPos[f]; ok && hasGateField(st, f) {
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
// the same rules as the base flow. defs are the ids of the base flow.
func checkVariants(sop *relsop.SOP, defs definitions, baseErrs []relsop.Finding, h *hinter, reported map[refKey]bool) []relsop.Finding {
	if f := variantsTooLarge(sop); f != nil {
		return []relsop.Finding{*f}
	}
	var errs []relsop.Finding
	steps := &idTable{} // of each resolved flow in turn
	for _, rt := range sop.ReleaseTypes {
		if rt.ID == "" {
			continue
		}
		if isBaseFlow(&rt) {
			continue // checked already
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
			if re.Code == CodeUnknownReleaseType {
				continue // an unknown base, reported by checkRefs where it is written
			}
			if re.Code == CodeUnknownStep {
				re.Msg += h.hint(quotedIn(re.Msg), ids(sop))
			}
			errs = append(errs, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: re.Code, Message: re.Msg,
				Hint: "check the step and release type ids the release type names"})
			continue
		}
		resolved.Ignore = nil // checked once, against the base flow
		for _, e := range checkRefs(resolved, defs.forFlow(resolved, steps), h, reported) {
			e.Message = fmt.Sprintf("in release type %q: %s", rt.ID, e.Message)
			errs = append(errs, e)
		}
	}
	return dedupeVariantRepeats(errs, baseErrs)
}

// variantsTooLarge reports release types too many, or changing too much of
// too large a flow, to resolve in reasonable time. Resolving and checking
// one release type costs about as much as visiting every step a hundred
// times (copying and checking it), plus once per edit (remove, add, change)
// of the release type and of those it builds on.
func variantsTooLarge(sop *relsop.SOP) *relsop.Finding {
	rts := sop.ReleaseTypes
	if len(rts) > MaxReleaseTypes {
		return &relsop.Finding{Pos: rts[MaxReleaseTypes].Pos, Severity: relsop.SeverityError, Code: syntax.CodeTooLarge,
			Message: fmt.Sprintf("more than %d release types", MaxReleaseTypes),
			Hint:    "a release type is a kind of release, such as major, minor or emergency; merge similar ones"}
	}
	steps := len(sop.Steps)
	byID := map[string]*relsop.ReleaseType{}
	for i := range rts {
		steps += len(rts[i].Add)
		if _, ok := byID[rts[i].ID]; !ok {
			byID[rts[i].ID] = &rts[i]
		}
	}
	work := 0
	for i := range rts {
		if isBaseFlow(&rts[i]) {
			continue // not resolved: see checkVariants
		}
		edits := 100
		// A chain is at most as long as there are release types; a cycle
		// is reported by Resolve.
		rt := &rts[i]
		for n := 0; rt != nil && n <= len(rts); n++ {
			edits += len(rt.Remove) + len(rt.Add) + len(rt.Change)
			rt = byID[rt.Base]
		}
		work += edits * steps
		if work > maxVariantWork {
			return &relsop.Finding{Pos: rts[0].Pos, Severity: relsop.SeverityError, Code: syntax.CodeTooLarge,
				Message: fmt.Sprintf("the %d release types change too much of the %d steps to be checked", len(rts), steps),
				Hint:    "keep release types to the steps they change, or split the procedure into several SOPs"}
		}
	}
	return nil
}

// isBaseFlow reports whether rt changes nothing, so that its flow is the
// base flow.
func isBaseFlow(rt *relsop.ReleaseType) bool {
	return rt.Base == "" && len(rt.Remove) == 0 && len(rt.Add) == 0 && len(rt.Change) == 0
}

// dedupeVariantRepeats drops errors a variant inherits from the base flow,
// or from the release type it builds on: those are reported once, where
// they first appear. An error with the same code at the same place is the
// same problem even when its message differs, as a did-you-mean does when
// the variant removes the step it would suggest.
func dedupeVariantRepeats(errs, baseErrs []relsop.Finding) []relsop.Finding {
	type key struct {
		pos  relsop.Pos
		code string
	}
	seen := map[key]bool{}
	for _, e := range baseErrs {
		seen[key{e.Pos, e.Code}] = true
	}
	var out []relsop.Finding
	for _, e := range errs {
		if k := (key{e.Pos, e.Code}); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
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
