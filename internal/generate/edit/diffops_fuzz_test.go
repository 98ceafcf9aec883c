package edit

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
)

// chooser turns fuzz input into choices; past its end every choice is 0.
type chooser struct {
	data []byte
	i    int
}

func (c *chooser) n(k int) int {
	if k <= 0 || c.i >= len(c.data) {
		return 0
	}
	b := c.data[c.i]
	c.i++
	return int(b) % k
}

func pick[T any](c *chooser, list []T) T {
	var zero T
	if len(list) == 0 {
		return zero
	}
	return list[c.n(len(list))]
}

// randomOp makes one operation for s, valid or not: ApplyOps decides.
func randomOp(c *chooser, s *relsop.SOP) Op {
	var roles, phases, envs, steps []string
	for _, r := range s.Roles {
		roles = append(roles, r.ID)
	}
	for _, p := range s.Phases {
		phases = append(phases, p.ID)
	}
	for _, e := range s.Environments {
		envs = append(envs, e.ID)
	}
	for _, st := range s.Steps {
		steps = append(steps, st.ID)
	}
	names := []string{"Check twice", "Ask the team", "Scan images", "Tell support", "Hold"}
	switch c.n(8) {
	case 0, 1:
		return randomSet(c, s, roles, phases, envs, steps)
	case 2:
		kind := pick(c, []string{"task", "automated", "gate", "notify", "rollback"})
		return Op{Op: "add_step", After: pick(c, append([]string{""}, steps...)),
			Step: &NewStep{Name: pick(c, names), Kind: kind, Owner: pick(c, append([]string{""}, roles...)), Phase: pick(c, append([]string{""}, phases...))}}
	case 3:
		return Op{Op: "remove_step", ID: pick(c, steps)}
	case 4:
		return Op{Op: "connect", From: pick(c, steps), To: pick(c, steps), Label: pick(c, []string{"go", "no-go", "retry"})}
	case 5:
		st := s.Step(pick(c, steps))
		if st == nil || len(st.Flows()) == 0 {
			return Op{Op: "disconnect"}
		}
		return Op{Op: "disconnect", From: st.ID, To: pick(c, st.Flows()).To}
	case 6:
		return randomPlace(c, roles, phases, envs)
	}
	if c.n(2) == 0 {
		return Op{Op: "add_role", Role: &NewRole{Name: pick(c, []string{"Auditor", "Hypercare Lead", "QA"})}}
	}
	return Op{Op: "add_release_type", Type: &NewType{ID: pick(c, []string{"hotfix", "big-bang"}), Base: pick(c, []string{"", "major"})}}
}

// randomPlace adds, removes or moves a role, a phase or an environment,
// somewhere.
func randomPlace(c *chooser, roles, phases, envs []string) Op {
	name := pick(c, []string{"Hypercare", "Canary", "Plan", "Soak"})
	where := func(ids []string) (after, before string) {
		switch c.n(3) {
		case 0:
			return pick(c, ids), ""
		case 1:
			return "", pick(c, ids)
		}
		return "", ""
	}
	switch c.n(9) {
	case 6:
		after, before := where(roles)
		return Op{Op: "move_role", ID: pick(c, roles), After: after, Before: before}
	case 7:
		after, before := where(phases)
		return Op{Op: "move_phase", ID: pick(c, phases), After: after, Before: before}
	case 8:
		after, before := where(envs)
		return Op{Op: "move_environment", ID: pick(c, envs), After: after, Before: before}
	case 4:
		after, before := where(roles)
		return Op{Op: "add_role", After: after, Before: before, Role: &NewRole{Name: name}}
	case 5:
		return Op{Op: "remove_role", ID: pick(c, roles)}
	case 0:
		after, before := where(phases)
		return Op{Op: "add_phase", After: after, Before: before, Phase: &NewPhase{Name: name}}
	case 1:
		after, before := where(envs)
		return Op{Op: "add_environment", After: after, Before: before, Environment: &NewEnvironment{Name: name, Production: c.n(2) == 0}}
	case 2:
		return Op{Op: "remove_phase", ID: pick(c, phases)}
	}
	return Op{Op: "remove_environment", ID: pick(c, envs)}
}

func randomSet(c *chooser, s *relsop.SOP, roles, phases, envs, steps []string) Op {
	kind := pick(c, []string{"sop", "step", "step", "step", "role", "phase", "environment", "release_type"})
	id := ""
	switch kind {
	case "release_type":
		if len(s.ReleaseTypes) == 0 {
			return Op{Op: "add_release_type", Type: &NewType{ID: "hotfix"}}
		}
		id = pick(c, idsOf(s.ReleaseTypes, func(rt *relsop.ReleaseType) string { return rt.ID }))
		if c.n(8) == 0 {
			return Op{Op: "remove_release_type", ID: id}
		}
	case "step":
		id = pick(c, steps)
	case "role":
		id = pick(c, roles)
	case "phase":
		id = pick(c, phases)
	case "environment":
		id = pick(c, envs)
	}
	field := pick(c, sortedKeys(settable[kind]))
	var v any
	switch field {
	case "review.cadence":
		v = pick(c, []string{"", "monthly", "90d"})
	case "review.last_reviewed":
		v = pick(c, []string{"", "2026-01-31"})
	case "owner", "escalation.role", "exception.approved_by":
		v = pick(c, append([]string{""}, roles...))
	case "escalation.to", "on_failure":
		v = pick(c, append([]string{""}, steps...))
	case "phase":
		v = pick(c, append([]string{""}, phases...))
	case "environment":
		v = pick(c, append([]string{""}, envs...))
	case "kind":
		v = pick(c, []string{"task", "automated", "notify", "rollback", "deploy", "gate"})
	case "status":
		v = pick(c, []string{"draft", "in-review", "approved"})
	case "duration", "sla", "escalation.after":
		v = pick(c, []string{"", "30m", "2h", "1d"})
	case "approvers", "raci.accountable", "raci.consulted", "raci.informed":
		v = []string{pick(c, roles), pick(c, roles)}[:c.n(3)]
	case "criteria", "evidence":
		v = []string{"Green build", "Signed off"}[:c.n(3)]
	case "production", "emergency":
		v = c.n(2) == 0
	case "remove":
		v = []string{pick(c, steps), pick(c, steps)}[:c.n(3)]
	case "links":
		v = []any{map[string]any{"title": "Runbook", "url": "https://example.com/runbook"}}[:c.n(2)]
	default:
		v = pick(c, []string{"", "Something new", "Line one\nline two", "7.0"})
	}
	return Op{Op: "set", Kind: kind, ID: id, Field: field, Value: v}
}

// randomEdit applies up to n random operations to src, keeping those that
// apply, and returns the result.
func randomEdit(c *chooser, src []byte, n int) []byte {
	for range n {
		op := randomOp(c, compile.Load(src).SOP)
		if res, err := ApplyOps(src, []Op{op}); err == nil {
			src = res.Source
		}
	}
	return src
}

// checkRandomPair checks DiffOps on from and to: it fails only as
// unsupported, and what it gives turns from into to.
func checkRandomPair(t *testing.T, from, to []byte) (unsupported error) {
	t.Helper()
	ops, err := DiffOps(from, to)
	if err != nil {
		var ue *UnsupportedChangeError
		if !errors.As(err, &ue) {
			t.Fatalf("DiffOps: %v", err)
		}
		return err
	}
	if len(ops) == 0 {
		if !sameSOP(compile.Load(from).SOP, compile.Load(to).SOP) {
			t.Fatal("no operations for different SOPs")
		}
		return nil
	}
	res, err := ApplyOps(from, ops)
	if err != nil {
		t.Fatalf("ApplyOps(from, DiffOps(from, to)): %v\nops: %s", err, opsString(ops))
	}
	if got, want := compile.Load(res.Source).SOP, compile.Load(to).SOP; !sameSOP(got, want) {
		t.Fatalf("the result differs from to: %v\nops: %s", remaining(got, want), opsString(ops))
	}
	return nil
}

// FuzzDiffOps edits a template with random operations and checks that
// DiffOps finds operations that make the same SOP, or says the change is
// unsupported, and that undoing works the same way.
func FuzzDiffOps(f *testing.F) {
	f.Add(uint8(0), []byte{2, 3, 1, 0, 4, 5, 6})
	f.Add(uint8(1), []byte{3, 7, 3, 9, 4, 1, 2})
	f.Add(uint8(2), []byte{2, 0, 5, 3, 2, 2, 6, 1, 0, 0, 1, 4})
	f.Add(uint8(3), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(uint8(1), []byte{6, 0, 1, 1, 5, 2, 2, 2, 4, 4, 4})
	names := templates.Names()
	f.Fuzz(func(t *testing.T, which uint8, choices []byte) {
		tp, _ := templates.Get(names[int(which)%len(names)])
		c := &chooser{data: choices}
		to := randomEdit(c, tp.Source, 1+c.n(8))
		checkRandomPair(t, tp.Source, to)
		checkRandomPair(t, to, tp.Source)
	})
}

// TestDiffOpsRandom runs the fuzz target's check on many random edits and
// reports how many come out unsupported, to notice when that grows.
func TestDiffOpsRandom(t *testing.T) {
	names := templates.Names()
	r := rand.New(rand.NewPCG(1, 2))
	const runs = 120
	unsupported := map[string]int{}
	total, undo := 0, 0
	for i := range runs {
		data := make([]byte, 40)
		for j := range data {
			data[j] = byte(r.IntN(256))
		}
		tp, _ := templates.Get(names[i%len(names)])
		c := &chooser{data: data}
		to := randomEdit(c, tp.Source, 1+c.n(8))
		if err := checkRandomPair(t, tp.Source, to); err != nil {
			unsupported[err.Error()]++
			total++
		}
		if err := checkRandomPair(t, to, tp.Source); err != nil {
			undo++
		}
	}
	t.Logf("%d of %d edits and %d of their undos unsupported", total, runs, undo)
	for msg, n := range unsupported {
		t.Logf("%3d × %s", n, msg)
	}
}
