package compile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/relsop/relsop"
)

// checkVariantsWhole is what checkVariants stands for: every release type's
// flow resolved in full and checked whole, as the base flow is.
func checkVariantsWhole(sop *relsop.SOP, defs definitions, baseErrs []relsop.Finding, h *hinter, reported map[refKey]bool) []relsop.Finding {
	var errs []relsop.Finding
	for _, rt := range sop.ReleaseTypes {
		if rt.ID == "" || isBaseFlow(&rt) {
			continue
		}
		resolved, err := sop.Resolve(rt.ID)
		if err != nil {
			if f, ok := resolveFinding(sop, &rt, err, h); ok {
				errs = append(errs, f)
			}
			continue
		}
		resolved.Ignore = nil
		d := defs
		d.step = &idTable{}
		d.step.fill("step", len(resolved.Steps), func(i int) (string, relsop.Pos) { return stepID(&resolved.Steps[i]) })
		d.releaseType = noIDs
		for _, e := range checkRefs(resolved, d, h, reported) {
			e.Message = fmt.Sprintf("in release type %q: %s", rt.ID, e.Message)
			errs = append(errs, e)
		}
	}
	return dedupeVariantRepeats(errs, baseErrs)
}

// variantFindings checks sop's base flow and then its release types with
// check, as Load does.
func variantFindings(sop *relsop.SOP, check func(*relsop.SOP, definitions, []relsop.Finding, *hinter, map[refKey]bool) []relsop.Finding) []relsop.Finding {
	h := &hinter{budget: maxSuggestWork}
	reported := map[refKey]bool{}
	defs := newDefinitions(sop)
	baseErrs := checkRefs(sop, defs, h, reported)
	return append(baseErrs, check(sop, defs, baseErrs, h, reported)...)
}

// checkVariants checks only what a release type changes; it must find what
// checking each flow whole finds, for release types that remove, add and
// change steps every which way, and for base flows with errors of their own,
// up to more than MaxErrors of them.
func TestCheckVariantsFindsWhatWholeFlowsHave(t *testing.T) {
	paths, _ := filepath.Glob("../templates/*.sop.yaml")
	if len(paths) == 0 {
		t.Fatal("found no templates in ../templates")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 150 {
			sop := Load(src).SOP
			mutateSOP(rng, sop, i%10 == 0)
			if variantsTooLarge(sop) != nil {
				continue
			}
			got := variantFindings(sop, checkVariants)
			want := variantFindings(sop, checkVariantsWhole)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, mutation %d: checkVariants found\n%v\nwant\n%v", filepath.Base(path), i, got, want)
			}
		}
	}
}

// mutateSOP replaces sop's release types with random ones, naming steps
// that exist, steps they remove and steps that do not exist; broken adds
// steps with errors to the base flow, more than MaxErrors of them.
func mutateSOP(rng *rand.Rand, sop *relsop.SOP, broken bool) {
	ids := []string{"ghost", "new-0", "new-1"}
	for _, st := range sop.Steps {
		ids = append(ids, st.ID)
	}
	pick := func() string { return ids[rng.IntN(len(ids))] }
	at := func() relsop.Pos { return relsop.Pos{Line: 1000 + rng.IntN(50), Col: 1 + rng.IntN(3)} }
	step := func(id string) relsop.Step {
		st := relsop.Step{ID: id, Kind: relsop.StepKinds[rng.IntN(len(relsop.StepKinds))], Owner: []string{"", "nobody", sop.Roles[0].ID}[rng.IntN(3)],
			Pos: at(), FieldPos: relsop.FieldPos{"id": at(), "next": at()}}
		for range rng.IntN(3) {
			st.Next = append(st.Next, pick())
		}
		if rng.IntN(3) == 0 {
			st.Outcomes = []relsop.Outcome{{Label: "go", To: pick(), Pos: at()}, {Label: "no-go", To: pick(), Pos: at()}}
		}
		if rng.IntN(4) == 0 {
			st.Escalation = &relsop.Escalation{Role: "nobody", To: pick(), Pos: at()}
		}
		if rng.IntN(4) == 0 {
			st.OnFailure = pick()
		}
		return st
	}
	// A gate that loses its only outcome when the step it leads to is
	// removed: rerouting to the gate itself drops the outcome.
	sop.Steps = append(sop.Steps,
		relsop.Step{ID: "loop-gate", Kind: relsop.KindGate, Outcomes: []relsop.Outcome{{Label: "go", To: "loop-fix"}}, Pos: at()},
		relsop.Step{ID: "loop-fix", Kind: relsop.KindTask, Next: []string{"loop-gate"}, Pos: at()})
	if broken {
		n := 200 + rng.IntN(500)
		for i := range n {
			sop.Steps = append(sop.Steps, step(fmt.Sprintf("bad-%d", i%(n-20))))
		}
	}
	rts := make([]relsop.ReleaseType, 1+rng.IntN(4))
	for i := range rts {
		rt := &rts[i]
		rt.ID, rt.Pos = fmt.Sprintf("type-%d", i), at()
		if rng.IntN(4) == 0 {
			rt.Base = fmt.Sprintf("type-%d", rng.IntN(len(rts)))
		}
		for range rng.IntN(6) {
			rt.Remove = append(rt.Remove, sop.Steps[rng.IntN(len(sop.Steps))].ID)
		}
		for range rng.IntN(3) {
			a := relsop.AddedStep{Step: step(pick())}
			switch rng.IntN(3) {
			case 0:
				a.After = pick()
			case 1:
				a.Before = pick()
			}
			rt.Add = append(rt.Add, a)
		}
		for range rng.IntN(4) {
			c := relsop.StepChange{Step: pick(), Fields: step(""), Pos: at()}
			for _, f := range relsop.ChangeableFields {
				if rng.IntN(4) == 0 {
					c.Set = append(c.Set, f)
				}
			}
			if rng.IntN(10) == 0 {
				c.Set = append(c.Set, "id") // a field no change may set: it moves the id's position only
			}
			rt.Change = append(rt.Change, c)
		}
	}
	sop.ReleaseTypes = rts
}
