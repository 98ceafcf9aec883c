// Package synth generates SOPs of any size for tests and benchmarks.
package synth

import (
	"fmt"
	"strings"
)

// SOP writes an SOP of n steps over the given roles and phases:
// a main chain with gates every seventh step (a go outcome forward, a
// no-go back to rework), deploys with rollback paths, escalations, and
// cross-lane hand-offs, so that the router meets every shape of flow.
func SOP(n, roles, phases int) string {
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
