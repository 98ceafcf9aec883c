package edit

import (
	"math/rand/v2"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
)

// checkSetInverse makes a batch of random set operations on a template and
// checks that SetInverse's batch takes the result back to the template,
// as InverseOps's does. It reports whether the batch applied.
func checkSetInverse(t *testing.T, which uint8, choices []byte) bool {
	t.Helper()
	names := templates.Names()
	tp, _ := templates.Get(names[int(which)%len(names)])
	s := compile.Load(tp.Source).SOP
	c := &chooser{data: choices}
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	roles := ids(len(s.Roles), func(i int) string { return s.Roles[i].ID })
	phases := ids(len(s.Phases), func(i int) string { return s.Phases[i].ID })
	envs := ids(len(s.Environments), func(i int) string { return s.Environments[i].ID })
	steps := ids(len(s.Steps), func(i int) string { return s.Steps[i].ID })
	var ops []Op
	for range 1 + c.n(4) {
		if op := randomSet(c, s, roles, phases, envs, steps); op.Op == "set" && !(op.Kind == "sop" && op.Field == "status") {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		return false
	}
	res, err := ApplyOps(tp.Source, ops)
	if err != nil {
		return false // a batch that does not apply has nothing to undo
	}
	inverse, ok := SetInverse(s, ops)
	if !ok {
		t.Fatalf("no inverse for the set operations %s", opsString(ops))
	}
	back, err := ApplyOps(res.Source, inverse)
	if err != nil {
		t.Fatalf("the inverse %s of %s does not apply: %v", opsString(inverse), opsString(ops), err)
	}
	if got := compile.Load(back.Source).SOP; !sameSOP(got, s) {
		t.Fatalf("the inverse %s of %s leaves: %v", opsString(inverse), opsString(ops), remaining(got, s))
	}
	return true
}

func TestSetInverseRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	applied := 0
	for range 300 {
		choices := make([]byte, 24)
		for i := range choices {
			choices[i] = byte(r.UintN(256))
		}
		if checkSetInverse(t, uint8(r.UintN(256)), choices) {
			applied++
		}
	}
	if applied < 100 {
		t.Errorf("only %d of 300 random batches applied: the check barely ran", applied)
	}
	t.Logf("%d of 300 random batches applied and were undone", applied)
}

func TestSetInverseOnlyForSets(t *testing.T) {
	s := compile.Load(loadExample(t)).SOP
	for _, ops := range [][]Op{
		{{Op: "set", Kind: "step", ID: "freeze", Field: "name", Value: "x"}, {Op: "remove_step", ID: "freeze"}},
		{{Op: "set", Kind: "step", ID: "nope", Field: "name", Value: "x"}},
		{{Op: "set", Kind: "step", ID: "freeze", Field: "next", Value: "x"}},
		nil,
	} {
		if inv, ok := SetInverse(s, ops); ok {
			t.Errorf("SetInverse(%s) = %s, want none", opsString(ops), opsString(inv))
		}
	}
}

func FuzzSetInverse(f *testing.F) {
	f.Add(uint8(0), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint8(2), []byte{0, 9, 3, 1, 7, 7, 2, 0, 4, 1})
	f.Fuzz(func(t *testing.T, which uint8, choices []byte) { checkSetInverse(t, which, choices) })
}
