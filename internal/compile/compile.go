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
