package relsop

import (
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
