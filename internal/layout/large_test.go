package layout

import (
	"fmt"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
)

// syntheticSOP writes an SOP of n steps over the given roles and phases:
// a main chain with gates every seventh step (a go outcome forward, a
// no-go back to rework), deploys with rollback paths, escalations, and
// cross-lane hand-offs, so that the router meets every shape of flow.
func syntheticSOP(n, roles, phases int) string {
	var b strings.Builder
	b.WriteString("id: synthetic\ntitle: Synthetic SOP\nroles:\n")
	for r := 0; r < roles; r++ {
		fmt.Fprintf(&b, "  - id: r%d\n    name: Role number %d\n", r, r)
	}
	b.WriteString("phases:\n")
	for p := 0; p < phases; p++ {
		fmt.Fprintf(&b, "  - id: p%d\n    name: Phase %d\n", p, p)
	}
	b.WriteString("environments:\n  - id: staging\n    name: Staging\n  - id: prod\n    name: Production\n    production: true\nsteps:\n")
	phase := func(i int) int { return i * phases / n }
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("s%d", i)
		owner := fmt.Sprintf("r%d", (i*7/3)%roles)
		fmt.Fprintf(&b, "  - id: %s\n    owner: %s\n    phase: p%d\n", id, owner, phase(i))
		switch {
		case i == 0:
			fmt.Fprintf(&b, "    name: Release requested\n    kind: start\n    next: s1\n")
		case i == n-1:
			fmt.Fprintf(&b, "    name: Release complete\n    kind: end\n")
		case i%7 == 3 && i > 3:
			fmt.Fprintf(&b, "    name: Decide whether step %d may proceed\n    kind: gate\n    approvers: [%s]\n    criteria: [ok]\n    outcomes:\n      go: s%d\n      no-go: s%d\n    escalation: {role: r0, after: 4h, to: s%d}\n",
				i, owner, i+1, i-2, min(i+2, n-1))
		case i%11 == 5:
			fmt.Fprintf(&b, "    name: Deploy build %d to production\n    kind: deploy\n    environment: prod\n    next: s%d\n    on_failure: s%d\n", i, i+1, min(i+3, n-1))
		case i%13 == 8:
			fmt.Fprintf(&b, "    name: Roll back change %d\n    kind: rollback\n    environment: prod\n    next: [s%d, s%d]\n", i, i+1, min(i+5, n-1))
		default:
			fmt.Fprintf(&b, "    name: Carry out task number %d of the release\n    kind: %s\n    next: s%d\n", i, []string{"task", "automated", "notify"}[i%3], i+1)
		}
	}
	return b.String()
}

func TestLargeSOPsLayOutCleanly(t *testing.T) {
	for _, tc := range []struct{ n, roles, phases int }{{300, 12, 8}, {1000, 12, 8}} {
		res := compile.Load([]byte(syntheticSOP(tc.n, tc.roles, tc.phases)))
		if len(res.Errors) > 0 {
			t.Fatalf("synthetic SOP does not load: %+v", res.Errors[0])
		}
		d := Compute(res.SOP, Options{})
		m := diagram.Measure(d)
		t.Logf("%d steps: %+v", tc.n, m)
		if m.Overlaps != 0 || m.EdgesThroughBoxes != 0 || m.TextOverflows != 0 {
			t.Errorf("%d steps: overlaps %d, edges through boxes %d, text overflows %d", tc.n, m.Overlaps, m.EdgesThroughBoxes, m.TextOverflows)
		}
	}
}

// TestOddInputs draws something sensible for degenerate SOPs.
func TestOddInputs(t *testing.T) {
	long := strings.Repeat("Verylongword ", 160)
	cases := map[string]*relsop.SOP{
		"empty":         {Title: "Empty"},
		"single step":   {Steps: []relsop.Step{{ID: "a", Name: "Only", Kind: relsop.KindTask}}},
		"no phases":     {Roles: []relsop.Role{{ID: "r", Name: "R"}}, Steps: []relsop.Step{{ID: "a", Name: "A", Owner: "r", Next: []string{"b"}}, {ID: "b", Name: "B", Owner: "r"}}},
		"self loop":     {Steps: []relsop.Step{{ID: "a", Name: "Retry", Next: []string{"a"}}}},
		"long name":     {Steps: []relsop.Step{{ID: "a", Name: long}}},
		"cjk rtl emoji": {Steps: []relsop.Step{{ID: "a", Name: "部署到生产环境 🚀"}, {ID: "b", Name: "نشر الإصدار"}}},
		"empty role":    {Roles: []relsop.Role{{ID: "r", Name: "Busy"}, {ID: "idle", Name: "Idle"}}, Steps: []relsop.Step{{ID: "a", Name: "A", Owner: "r"}}},
	}
	for name, sop := range cases {
		d := Compute(sop, Options{})
		m := diagram.Measure(d)
		if m.Overlaps != 0 || m.EdgesThroughBoxes != 0 || m.TextOverflows != 0 || d.Width <= 0 || d.Height <= 0 {
			t.Errorf("%s: %+v, size %.0fx%.0f", name, m, d.Width, d.Height)
		}
		if name == "cjk rtl emoji" && len(d.Warnings) == 0 {
			t.Errorf("%s: no warning about missing glyphs", name)
		}
		if name == "empty role" && len(d.Lanes) != 2 {
			t.Errorf("%s: %d lanes, want the idle role drawn too", name, len(d.Lanes))
		}
	}
}
