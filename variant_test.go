package relsop

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// variantSOP is a small release flow with one of each kind of flow:
// next, gate outcomes, on_failure and an escalation target.
//
//	start -> build -> test -> cab (gate: approved -> deploy, rejected -> fix,
//	escalates to triage) -> deploy -> end; fix -> test; deploy fails to rollback.
func variantSOP() *SOP {
	return &SOP{
		ID: "v",
		Steps: []Step{
			{ID: "start", Kind: KindStart, Next: []string{"build"}},
			{ID: "build", Kind: KindTask, Next: []string{"test"}, OnFailure: "fix"},
			{ID: "test", Kind: KindAutomated, Next: []string{"cab"}, OnFailure: "fix"},
			{ID: "cab", Kind: KindGate, Approvers: []string{"cab-chair"},
				Outcomes:   []Outcome{{Label: "rejected", To: "fix"}, {Label: "approved", To: "deploy"}},
				Escalation: &Escalation{Role: "cto", To: "triage"}},
			{ID: "triage", Kind: KindTask, Next: []string{"cab"}},
			{ID: "fix", Kind: KindTask, Next: []string{"test"}},
			{ID: "deploy", Kind: KindDeploy, Environment: "prod", Next: []string{"end"}, OnFailure: "rollback"},
			{ID: "rollback", Kind: KindRollback, Next: []string{"end"}},
			{ID: "end", Kind: KindEnd},
		},
		ReleaseTypes: []ReleaseType{
			{ID: "no-test", Remove: []string{"test"}},
			{ID: "no-cab", Remove: []string{"cab"}},
			{ID: "no-triage", Remove: []string{"triage"}},
			{ID: "scan-after", Add: []AddedStep{{After: "build", Step: Step{ID: "scan", Kind: KindAutomated}}}},
			{ID: "scan-before", Add: []AddedStep{{Before: "cab", Step: Step{ID: "scan", Kind: KindAutomated}}}},
			{ID: "notes", Add: []AddedStep{{Step: Step{ID: "notes", Kind: KindNotify, Next: []string{"end"}}}}},
			{ID: "fast-cab", Change: []StepChange{
				{Step: "cab", Fields: Step{Approvers: []string{"sre"}, FieldPos: FieldPos{"approvers": {Line: 40, Col: 20}}}, Set: []string{"approvers"}},
				{Step: "build", Fields: Step{Next: []string{"deploy"}, Name: "ignored: not in Set"}, Set: []string{"next"}},
			}},
			{ID: "emergency", Base: "no-test", Emergency: true, Remove: []string{"cab"}},
			{ID: "emergency-scan", Base: "emergency", Add: []AddedStep{{After: "build", Step: Step{ID: "scan", Kind: KindAutomated}}}},
		},
	}
}

func resolve(t *testing.T, s *SOP, typeID string) *SOP {
	t.Helper()
	out, err := s.Resolve(typeID)
	if err != nil {
		t.Fatalf("Resolve(%q): %v", typeID, err)
	}
	if out.ResolvedType != typeID || out.ReleaseTypes != nil {
		t.Errorf("Resolve(%q): ResolvedType %q, %d release types", typeID, out.ResolvedType, len(out.ReleaseTypes))
	}
	return out
}

func stepIDs(s *SOP) []string {
	var out []string
	for _, st := range s.Steps {
		out = append(out, st.ID)
	}
	return out
}

func wantNext(t *testing.T, s *SOP, id string, want ...string) {
	t.Helper()
	st := s.Step(id)
	if st == nil {
		t.Fatalf("no step %q in %v", id, stepIDs(s))
	}
	if !slices.Equal(st.Next, want) {
		t.Errorf("%s.Next = %v, want %v", id, st.Next, want)
	}
}

// Removing a step reroutes every flow into it (next and on_failure) to the
// step's successor, so that skipping a step keeps the flow connected.
func TestResolveRemoveReroutesToSuccessor(t *testing.T) {
	got := resolve(t, variantSOP(), "no-test")
	if got.Step("test") != nil {
		t.Fatal("test was not removed")
	}
	wantNext(t, got, "build", "cab")
	wantNext(t, got, "fix", "cab")
	if f := got.Step("build").OnFailure; f != "fix" {
		t.Errorf("build.OnFailure = %q, want it untouched", f)
	}
}

// Removing a gate reroutes flows into it to the step its go outcome leads
// to, whatever the outcome's place or spelling ("approved").
func TestResolveRemoveGateReroutesToGoTarget(t *testing.T) {
	got := resolve(t, variantSOP(), "no-cab")
	wantNext(t, got, "test", "deploy")
	wantNext(t, got, "triage", "deploy")
}

// Removing a step that is an escalation target drops the target, since
// the escalating gate has no next flows to inherit.
func TestResolveRemoveEscalationTarget(t *testing.T) {
	got := resolve(t, variantSOP(), "no-triage")
	if e := got.Step("cab").Escalation; e == nil || e.To != "" || e.Role != "cto" {
		t.Errorf("cab.Escalation = %+v, want the role kept and no target", e)
	}
}

// Removing the target of an outcome reroutes the outcome.
func TestResolveRemoveOutcomeTarget(t *testing.T) {
	s := variantSOP()
	s.ReleaseTypes = []ReleaseType{{ID: "no-fix", Remove: []string{"fix"}}}
	got := resolve(t, s, "no-fix")
	if o := got.Step("cab").Outcome("rejected"); o == nil || o.To != "test" {
		t.Errorf("rejected outcome = %+v, want it rerouted to fix's successor test", o)
	}
	if f := got.Step("build").OnFailure; f != "test" {
		t.Errorf("build.OnFailure = %q, want test", f)
	}
}

// A step added after another takes over its next flows; one added before
// another receives the flows into it.
func TestResolveAddAfterAndBefore(t *testing.T) {
	got := resolve(t, variantSOP(), "scan-after")
	wantNext(t, got, "build", "scan")
	wantNext(t, got, "scan", "test")
	if i, j := slices.Index(stepIDs(got), "build"), slices.Index(stepIDs(got), "scan"); j != i+1 {
		t.Errorf("scan is at %d, build at %d: want it right after", j, i)
	}

	got = resolve(t, variantSOP(), "scan-before")
	wantNext(t, got, "test", "scan")
	wantNext(t, got, "triage", "scan")
	wantNext(t, got, "scan", "cab")
	if i, j := slices.Index(stepIDs(got), "cab"), slices.Index(stepIDs(got), "scan"); j != i-1 {
		t.Errorf("scan is at %d, cab at %d: want it right before", j, i)
	}

	got = resolve(t, variantSOP(), "notes")
	if ids := stepIDs(got); ids[len(ids)-1] != "notes" {
		t.Errorf("steps = %v, want notes appended", ids)
	}
	wantNext(t, got, "notes", "end")
}

// A change sets exactly the fields it names, and records where they were
// written so that findings point at the change.
func TestResolveChange(t *testing.T) {
	got := resolve(t, variantSOP(), "fast-cab")
	cab := got.Step("cab")
	if !slices.Equal(cab.Approvers, []string{"sre"}) {
		t.Errorf("cab.Approvers = %v, want [sre]", cab.Approvers)
	}
	if len(cab.Outcomes) != 2 || cab.Escalation == nil {
		t.Errorf("change touched fields it does not set: %+v", cab)
	}
	if p := cab.FieldPos["approvers"]; p != (Pos{Line: 40, Col: 20}) {
		t.Errorf("cab.FieldPos[approvers] = %v, want the change's position", p)
	}
	build := got.Step("build")
	wantNext(t, got, "build", "deploy")
	if build.Name != "" || build.OnFailure != "fix" {
		t.Errorf("build = %+v: want only next changed", build)
	}
}

// A release type builds on its base: the base's edits come first.
func TestResolveBaseChain(t *testing.T) {
	got := resolve(t, variantSOP(), "emergency-scan")
	ids := stepIDs(got)
	for _, gone := range []string{"test", "cab"} {
		if slices.Contains(ids, gone) {
			t.Errorf("%s still in %v", gone, ids)
		}
	}
	wantNext(t, got, "build", "scan")
	wantNext(t, got, "scan", "deploy")
	if got.ReleaseType("emergency") != nil {
		t.Error("resolved flow keeps release types")
	}
}

func TestResolveBaseFlow(t *testing.T) {
	s := variantSOP()
	got := resolve(t, s, "")
	if !slices.Equal(stepIDs(got), stepIDs(s)) {
		t.Errorf("base flow = %v, want %v", stepIDs(got), stepIDs(s))
	}
}

func TestResolveErrors(t *testing.T) {
	s := variantSOP()
	s.ReleaseTypes = append(s.ReleaseTypes,
		ReleaseType{ID: "loop-a", Base: "loop-b", Pos: Pos{Line: 50, Col: 5}, FieldPos: FieldPos{"base": {Line: 51, Col: 11}}},
		ReleaseType{ID: "loop-b", Base: "loop-a"},
		ReleaseType{ID: "bad-remove", Remove: []string{"test", "nope"}, FieldPos: FieldPos{"remove[1]": {Line: 60, Col: 20}}},
		ReleaseType{ID: "bad-after", Add: []AddedStep{{After: "nope", Step: Step{ID: "x", Pos: Pos{Line: 70, Col: 9}}}}},
		ReleaseType{ID: "bad-before", Add: []AddedStep{{Before: "nope", Step: Step{ID: "x"}}}},
		ReleaseType{ID: "bad-change", Change: []StepChange{{Step: "nope", Pos: Pos{Line: 80, Col: 9}}}},
		ReleaseType{ID: "bad-base", Base: "nope"},
	)
	tests := []struct {
		typeID, code, msg string
		pos               Pos
	}{
		{"emergncy", "unknown-release-type", `unknown release type "emergncy" (defined: no-test, no-cab, `, Pos{}},
		{"loop-a", "variant-cycle", `release type "loop-a" builds on itself through base`, Pos{Line: 51, Col: 11}},
		{"bad-remove", "unknown-step", `release type "bad-remove" removes unknown step "nope"`, Pos{Line: 60, Col: 20}},
		{"bad-after", "unknown-step", `adds step "x" after unknown step "nope"`, Pos{Line: 70, Col: 9}},
		{"bad-before", "unknown-step", `adds step "x" before unknown step "nope"`, Pos{}},
		{"bad-change", "unknown-step", `release type "bad-change" changes unknown step "nope"`, Pos{Line: 80, Col: 9}},
		{"bad-base", "unknown-release-type", `unknown release type "nope"`, Pos{}},
	}
	for _, tt := range tests {
		t.Run(tt.typeID, func(t *testing.T) {
			got, err := s.Resolve(tt.typeID)
			var re *ResolveError
			if !errors.As(err, &re) {
				t.Fatalf("Resolve = %v, %v; want a *ResolveError", got, err)
			}
			if re.Code != tt.code || !strings.Contains(re.Msg, tt.msg) || re.Pos != tt.pos || re.Error() != re.Msg {
				t.Errorf("error = %s at %v [%s], want %s at %v [%s]", re.Msg, re.Pos, re.Code, tt.msg, tt.pos, tt.code)
			}
		})
	}
	if _, err := (&SOP{}).Resolve("x"); err == nil || !strings.Contains(err.Error(), "defines no release types") {
		t.Errorf("Resolve on an SOP without release types: %v", err)
	}
}

// Resolve works on a copy: the SOP it is called on, and the steps its
// variants add and change, are the same afterwards.
func TestResolveLeavesOriginalUntouched(t *testing.T) {
	s := variantSOP()
	for _, rt := range s.ReleaseTypes {
		if _, err := s.Resolve(rt.ID); err != nil {
			t.Fatalf("Resolve(%q): %v", rt.ID, err)
		}
		// Resolving twice gives the same flow: nothing leaked between runs.
		a, _ := s.Resolve(rt.ID)
		b, _ := s.Resolve(rt.ID)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Resolve(%q) differs between two calls", rt.ID)
		}
	}
	if want := variantSOP(); !reflect.DeepEqual(s, want) {
		t.Errorf("Resolve changed the SOP:\n%+v\nwant\n%+v", s, want)
	}
}

// ResolveShared gives the steps Resolve gives, sharing those no variant
// touched with the SOP, and changes nothing of the SOP.
func TestResolveSharedSharesOnlyUntouchedSteps(t *testing.T) {
	s := variantSOP()
	for _, rt := range s.ReleaseTypes {
		flow, err := s.ResolveShared(rt.ID)
		if err != nil {
			t.Fatalf("ResolveShared(%q): %v", rt.ID, err)
		}
		want := resolve(t, s, rt.ID)
		for i, fs := range flow {
			if !reflect.DeepEqual(*fs.Step, want.Steps[i]) {
				t.Errorf("%s: step %d = %+v, want %+v", rt.ID, i, *fs.Step, want.Steps[i])
			}
			orig := s.Step(fs.Step.ID)
			if shared := fs.Step == orig; shared == fs.Changed {
				t.Errorf("%s: step %q shared with the SOP %v, changed %v", rt.ID, fs.Step.ID, shared, fs.Changed)
			}
		}
	}
	if !reflect.DeepEqual(s, variantSOP()) {
		t.Error("ResolveShared changed the SOP")
	}
}
