package relsop

import (
	"errors"
	"slices"
	"testing"
)

func edgeSOP() *SOP {
	return &SOP{
		Steps: []Step{
			{ID: "start", Kind: KindStart, Next: []string{"build"}},
			{ID: "build", Kind: KindTask, Next: []string{"review"}},
			{ID: "review", Kind: KindGate, Outcomes: []Outcome{{Label: "go", To: "ship"}, {Label: "no-go", To: "fix"}}},
			{ID: "fix", Kind: KindTask, Next: []string{"review"}},
			{ID: "ship", Kind: KindDeploy, Next: []string{"end"}},
			{ID: "end", Kind: KindEnd},
		},
		ReleaseTypes: []ReleaseType{
			{ID: "no-fix", Remove: []string{"fix"}},
			{ID: "extra-gate", Add: []AddedStep{{After: "build", Step: Step{ID: "cab", Kind: KindGate,
				Outcomes: []Outcome{{Label: "approved", To: "review"}, {Label: "rejected", To: "end"}}}}}},
		},
	}
}

// Removing a rework step whose successor is the gate that led to it must
// not leave the gate pointing at itself.
func TestResolveDropsSelfLoops(t *testing.T) {
	got, err := edgeSOP().Resolve("no-fix")
	if err != nil {
		t.Fatal(err)
	}
	review := got.Step("review")
	for _, o := range review.Outcomes {
		if o.To == "review" {
			t.Errorf("outcome %q of review points at review itself", o.Label)
		}
	}
	if len(review.Outcomes) != 1 || review.Outcomes[0].Label != "go" {
		t.Errorf("review outcomes = %+v, want only go", review.Outcomes)
	}
}

// A gate spliced in after a step leads on through its own outcomes; it does
// not inherit the step's next flows.
func TestResolveAddedGateKeepsOutcomes(t *testing.T) {
	got, err := edgeSOP().Resolve("extra-gate")
	if err != nil {
		t.Fatal(err)
	}
	cab := got.Step("cab")
	if len(cab.Next) != 0 {
		t.Errorf("added gate got next %v", cab.Next)
	}
	if !slices.Equal(got.Step("build").Next, []string{"cab"}) {
		t.Errorf("build.Next = %v, want [cab]", got.Step("build").Next)
	}
}

// A step removed once is gone: removing it again is an unknown step, and
// where two steps share an id (an error lint reports), the second removal
// takes the second of them.
func TestResolveRemoveTwice(t *testing.T) {
	s := edgeSOP()
	s.ReleaseTypes = []ReleaseType{{ID: "twice", Remove: []string{"fix", "fix"}}}
	_, err := s.Resolve("twice")
	var re *ResolveError
	if !errors.As(err, &re) || re.Code != "unknown-step" || re.Msg != `release type "twice" removes unknown step "fix"` {
		t.Fatalf("err = %v, want the second removal of fix refused", err)
	}

	s = edgeSOP()
	s.Steps = append(s.Steps, Step{ID: "fix", Kind: KindTask, Name: "second fix"})
	s.ReleaseTypes = []ReleaseType{{ID: "twice", Remove: []string{"fix", "fix"}}}
	got, err := s.Resolve("twice")
	if err != nil {
		t.Fatal(err)
	}
	if got.Step("fix") != nil || len(got.Steps) != 5 {
		t.Errorf("steps = %v, want both steps named fix gone", stepIDs(got))
	}
}

// A resolved flow owns its lists: appending to one step's list changes
// neither the SOP it came from nor the step after it (ownSteps copies the
// lists into shared blocks, each copy's capacity its length).
func TestResolvedListsAreIndependent(t *testing.T) {
	s := edgeSOP()
	got, err := s.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	got.Steps[0].Next = append(got.Steps[0].Next, "extra")
	got.Steps[2].Outcomes[0].To = "changed"
	if !slices.Equal(got.Steps[1].Next, []string{"review"}) {
		t.Errorf("build's next = %v after appending to start's", got.Steps[1].Next)
	}
	if !slices.Equal(s.Steps[0].Next, []string{"build"}) || s.Steps[2].Outcomes[0].To != "ship" {
		t.Errorf("the original changed: start next %v, review go %q", s.Steps[0].Next, s.Steps[2].Outcomes[0].To)
	}
	if s.Steps[3].Next == nil || got.Steps[5].Next != nil {
		t.Errorf("nil lists must stay nil and others not: %v %v", s.Steps[3].Next, got.Steps[5].Next)
	}
}
