package compile

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/syntax"
)

// base is a valid SOP with one of every kind of reference; each case below
// breaks it in one place.
const base = `id: x
title: X
roles:
  - id: release-manager
    name: Release Manager
  - id: sre
    name: SRE
phases:
  - id: plan
    name: Plan
environments:
  - id: production
    name: Production
    production: true
steps:
  - id: start
    name: Start
    kind: start
    owner: release-manager
    phase: plan
    raci: {accountable: release-manager, consulted: [sre], informed: [sre]}
    next: decide
    on_failure: end
  - id: decide
    name: Decide
    kind: gate
    owner: release-manager
    approvers: [release-manager, sre]
    outcomes:
      go: ship
      no-go: end
    escalation: {role: sre, after: 4h, to: end}
  - id: ship
    name: Ship
    kind: deploy
    environment: production
    exception: {reason: Tested upstream., approved_by: sre}
    next: end
  - id: end
    name: End
    kind: end
release_types:
  - id: major
    add:
      - id: load-test
        name: Run load test
        kind: automated
        owner: sre
        after: start
  - id: emergency
    base: major
    remove: [decide]
    change:
      - step: ship
        owner: sre
ignore:
  - rule: some-rule
    step: ship
    reason: Because.
`

func TestBaseIsValid(t *testing.T) {
	res := Load([]byte(base))
	if len(res.Errors) > 0 {
		t.Fatalf("base has errors: %v", res.Errors)
	}
	if res.SOP == nil || res.Tree == nil {
		t.Fatal("no SOP or tree")
	}
}

// edit returns base with old replaced by new.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	if !strings.Contains(base, old) {
		t.Fatalf("base has no %q", old)
	}
	return []byte(strings.Replace(base, old, new, 1))
}

// TestReferences checks each reference of the format is resolved, and a
// wrong one reported where it is written, with a did-you-mean when there is
// a likely intended id and the ids to choose from in the hint.
func TestReferences(t *testing.T) {
	tests := []struct {
		name, old, new string
		pos, code, msg string
		hint           string
	}{
		{"owner", "    owner: release-manager\n    phase", "    owner: release_manager\n    phase", "19:12", CodeUnknownRole,
			`owner of step "start" is "release_manager", which is not a defined role (did you mean "release-manager"?)`,
			"define it under roles:, or use one of: release-manager, sre"},
		{"accountable", "accountable: release-manager", "accountable: release-manger", "21:25", CodeUnknownRole,
			`accountable of step "start" is "release-manger", which is not a defined role (did you mean "release-manager"?)`, ""},
		{"consulted", "consulted: [sre]", "consulted: [sre, ops]", "21:59", CodeUnknownRole, `consulted of step "start" is "ops"`, ""},
		{"informed", "informed: [sre]}", "informed: [ser]}", "21:71", CodeUnknownRole, `(did you mean "sre"?)`, ""},
		{"phase", "phase: plan", "phase: plna", "20:12", CodeUnknownPhase, `phase of step "start" is "plna", which is not a defined phase (did you mean "plan"?)`,
			"define it under phases:, or use one of: plan"},
		{"next", "next: decide", "next: [decide, dceide]", "22:20", CodeUnknownStep, `next of step "start" is "dceide", which is not a defined step (did you mean "decide"?)`, ""},
		{"on_failure", "on_failure: end", "on_failure: ned", "23:17", CodeUnknownStep, `on_failure of step "start" is "ned"`, ""},
		{"approvers", "approvers: [release-manager, sre]", "approvers: [release-manager, sr]", "28:34", CodeUnknownRole, `approvers of step "decide" is "sr", which is not a defined role (did you mean "sre"?)`, ""},
		{"outcome", "go: ship", "go: shp", "30:11", CodeUnknownStep, `outcome "go" of step "decide" is "shp", which is not a defined step (did you mean "ship"?)`, ""},
		{"escalation role", "escalation: {role: sre,", "escalation: {role: qa,", "32:24", CodeUnknownRole, `escalation role of step "decide" is "qa"`, ""},
		{"escalation target", "after: 4h, to: end}", "after: 4h, to: fin}", "32:44", CodeUnknownStep, `escalation target of step "decide" is "fin"`, ""},
		{"environment", "environment: production", "environment: prod", "36:18", CodeUnknownEnvironment, `environment of step "ship" is "prod", which is not a defined environment`,
			"define it under environments:, or use one of: production"},
		{"exception approver", "approved_by: sre}", "approved_by: cab}", "37:56", CodeUnknownRole, `approved_by of the exception of step "ship" is "cab"`, ""},
		{"release type base", "base: major", "base: mjaor", "51:11", CodeUnknownReleaseType, `base of release type "emergency" is "mjaor", which is not a defined release type (did you mean "major"?)`,
			"define it under release_types:, or use one of: major, emergency"},
		{"ignore step", "    step: ship\n    reason", "    step: shipp\n    reason", "57:5", CodeUnknownStep, `step of the ignore entry for "some-rule" is "shipp", which is not a defined step (did you mean "ship"?)`, ""},
		{"remove", "remove: [decide]", "remove: [decied]", "52:14", CodeUnknownStep, `release type "emergency" removes unknown step "decied" (did you mean "decide"?)`, ""},
		{"after", "after: start", "after: strat", "49:16", CodeUnknownStep, `release type "major" adds step "load-test" after unknown step "strat" (did you mean "start"?)`, ""},
		{"change", "- step: ship\n", "- step: shiip\n", "54:9", CodeUnknownStep, `release type "emergency" changes unknown step "shiip" (did you mean "ship"?)`, ""},
		{"added step owner", "owner: sre\n        after", "owner: sre-team\n        after", "48:16", CodeUnknownRole,
			`in release type "major": owner of step "load-test" is "sre-team"`, ""},
		{"no suggestion when nothing is close", "phase: plan", "phase: deployment", "20:12", CodeUnknownPhase, `is "deployment", which is not a defined phase`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(edit(t, tt.old, tt.new))
			if len(res.Errors) != 1 {
				t.Fatalf("want 1 error, got %d: %v", len(res.Errors), res.Errors)
			}
			e := res.Errors[0]
			if e.Pos.String() != tt.pos || e.Code != tt.code || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("got %s: %s [%s]\nwant %s: %s [%s]", e.Pos, e.Message, e.Code, tt.pos, tt.msg, tt.code)
			}
			if tt.name == "no suggestion when nothing is close" && strings.Contains(e.Message, "did you mean") {
				t.Errorf("unexpected suggestion: %s", e.Message)
			}
			if e.Hint == "" || (tt.hint != "" && e.Hint != tt.hint) {
				t.Errorf("hint = %q, want %q", e.Hint, tt.hint)
			}
			if e.Severity != relsop.SeverityError {
				t.Errorf("severity %q", e.Severity)
			}
		})
	}
}

func TestConsistency(t *testing.T) {
	tests := []struct {
		name, old, new string
		pos, code, msg string
	}{
		{"duplicate role", "  - id: sre\n    name: SRE", "  - id: release-manager\n    name: SRE", "6:9", CodeDuplicateID, `role id "release-manager" is already used at line 4`},
		{"duplicate step", "  - id: end\n", "  - id: ship\n", "39:9", CodeDuplicateID, `step id "ship" is already used at line 33`},
		{"duplicate release type", "  - id: emergency\n", "  - id: major\n", "50:9", CodeDuplicateID, `release type id "major" is already used at line 43`},
		{"gate without outcomes", "    outcomes:\n      go: ship\n      no-go: end\n", "", "24:9", CodeGateNoOutcomes, `gate "decide" has no outcomes`},
		{"gate with next", "    kind: gate\n", "    kind: gate\n    next: ship\n", "27:11", CodeFieldNotForKind, `gate "decide" uses next:`},
		{"approvers on a task", "    kind: deploy\n", "    kind: deploy\n    approvers: sre\n", "36:16", CodeFieldNotForKind, `approvers is set on step "ship", which is a deploy, not a gate`},
		{"deploy without environment", "    environment: production\n    exception", "    exception", "33:9", CodeMissingEnvironment, `deploy step "ship" names no environment`},
		{"end with next", "    kind: end\n", "    kind: end\n    next: start\n", "42:11", CodeFieldNotForKind, `end step "end" has a flow leaving it`},
		{"variant cycle", "  - id: major\n", "  - id: major\n    base: emergency\n", "44:11", CodeVariantCycle, `release type "major" builds on itself through base`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Load(edit(t, tt.old, tt.new))
			for _, e := range res.Errors {
				if e.Pos.String() == tt.pos && e.Code == tt.code && strings.Contains(e.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no %s: %s [%s] among %v", tt.pos, tt.msg, tt.code, res.Errors)
		})
	}
}

// TestEmptyValues checks an empty value counts as no value: an empty kind
// is a task, and an empty gate-only field on a task is no finding.
func TestEmptyValues(t *testing.T) {
	res := Load(edit(t, "    name: Ship\n    kind: deploy\n    environment: production\n", "    name: Ship\n    kind:\n    approvers:\n    outcomes:\n"))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if k := res.SOP.Step("ship").Kind; k != relsop.KindTask {
		t.Errorf("kind = %q, want task", k)
	}
	// A change that turns a gate into a task clears its gate fields.
	res = Load(edit(t, "      - step: ship\n        owner: sre\n",
		"      - step: ship\n        owner: sre\n      - step: end\n        kind: task\n"+
			"  - id: no-gate\n    change:\n      - step: decide\n        kind: task\n        approvers:\n        outcomes:\n        escalation:\n        next: ship\n"))
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
}

// TestVariantErrorsReportedOnce checks that a problem of the base flow,
// which every release type's flow repeats, is reported once, even when the
// did-you-mean differs in a flow that lacks the suggested step.
func TestVariantErrorsReportedOnce(t *testing.T) {
	res := Load(edit(t, "go: ship", "go: decid"))
	if len(res.Errors) != 1 {
		t.Errorf("want 1 error, got %v", res.Errors)
	}
	// An error in a step that a release type adds is reported once, not
	// again for each release type built on it.
	res = Load(edit(t, "owner: sre\n        after", "owner: nobody\n        after"))
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, `in release type "major"`) {
		t.Errorf("want 1 error in major, got %v", res.Errors)
	}
}

// TestAllErrorsSorted checks Load reports every error, sorted by position.
func TestAllErrorsSorted(t *testing.T) {
	src := strings.NewReplacer(
		"title: X", "title: [X]",
		"phase: plan", "phase: nowhere",
		"go: ship", "go: nowhere",
		"duration", "x",
	).Replace(base) + "colour: red\n"
	res := Load([]byte(src))
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Pos.String()+" "+e.Code)
	}
	want := []string{"2:8 wrong-type", "20:12 unknown-phase", "30:11 unknown-step", "60:1 unknown-field"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("errors = %v, want %v", got, want)
	}
}

func TestResultShape(t *testing.T) {
	res := Load([]byte("a: [b\n"))
	if res.SOP != nil || res.Tree != nil || len(res.Errors) != 1 || res.Errors[0].Code != syntax.CodeSyntax {
		t.Errorf("parse error: %+v", res)
	}
	res = Load([]byte("- a\n"))
	if res.SOP != nil || res.Tree == nil || len(res.Errors) != 1 {
		t.Errorf("list root: %+v", res)
	}
	res = Load(edit(t, "title: X\n", ""))
	if res.SOP == nil || res.SOP.ID != "x" || len(res.SOP.Steps) != 4 {
		t.Errorf("a file with errors still gives the partial model: %+v", res.SOP)
	}
}

// steps writes an SOP of n steps whose next flows are written by next.
func steps(n int, next func(i int) string, extra string) []byte {
	var b strings.Builder
	b.WriteString("id: big\ntitle: Big\nroles:\n  - id: r\n    name: R\nsteps:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - id: s%d\n    name: Step %d\n    owner: r\n    next: %s\n", i, i, next(i))
	}
	b.WriteString(extra)
	return []byte(b.String())
}

// TestLimits checks the bounds that keep Load fast on hostile input: a
// few hundred KB used to take minutes.
func TestLimits(t *testing.T) {
	t.Run("errors", func(t *testing.T) {
		start := time.Now()
		res := Load(steps(4000, func(i int) string { return fmt.Sprintf("q%d", i) }, ""))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
		if len(res.Errors) != MaxErrors+1 {
			t.Fatalf("%d errors, want %d and a last one", len(res.Errors), MaxErrors)
		}
		// The last says there are more, at the first one not reported.
		last := res.Errors[MaxErrors]
		if last.Code != CodeTooManyErrors || last.Pos.Line <= res.Errors[MaxErrors-1].Pos.Line || last.Hint == "" {
			t.Errorf("last error = %+v", last)
		}
	})
	t.Run("release types", func(t *testing.T) {
		var rts strings.Builder
		rts.WriteString("release_types:\n")
		for i := range MaxReleaseTypes + 1 {
			fmt.Fprintf(&rts, "  - id: t%d\n    remove: s%d\n", i, i)
		}
		res := Load(steps(200, func(i int) string { return fmt.Sprintf("s%d", (i+1)%200) }, rts.String()))
		if len(res.Errors) != 1 || res.Errors[0].Code != syntax.CodeTooLarge || !strings.Contains(res.Errors[0].Message, "more than 100 release types") {
			t.Errorf("errors = %v", res.Errors)
		}
	})
	t.Run("variant work", func(t *testing.T) {
		var rts strings.Builder
		rts.WriteString("release_types:\n")
		for i := range MaxReleaseTypes {
			fmt.Fprintf(&rts, "  - id: t%d\n    change:\n", i)
			for j := range 40 {
				fmt.Fprintf(&rts, "      - step: s%d\n        owner: r\n", j)
			}
		}
		start := time.Now()
		res := Load(steps(30000, func(i int) string { return fmt.Sprintf("s%d", (i+1)%30000) }, rts.String()))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
		if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "change too much") {
			t.Errorf("errors = %v", res.Errors)
		}
	})
	t.Run("many valid references", func(t *testing.T) {
		start := time.Now()
		res := Load(steps(20000, func(i int) string { return fmt.Sprintf("s%d", (i+1)%20000) }, ""))
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
		if len(res.Errors) > 0 {
			t.Errorf("errors: %v", res.Errors[0])
		}
	})
}

// TestExampleAndTemplatesLoad checks the files users start from are valid.
func TestExampleAndTemplatesLoad(t *testing.T) {
	for _, path := range []string{"../../testdata/example.sop.yaml"} {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if res := Load(src); len(res.Errors) > 0 {
			t.Errorf("%s: %v", path, res.Errors)
		}
	}
}
