package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "step-owner", Family: "roles", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every step has an owner.",
			Doc: "A step nobody owns is a step nobody does. The owner is the responsible role of the RACI " +
				"and decides the swimlane the step is drawn in. (That every owner is a defined role is " +
				"checked when the file loads: unknown-role.)",
			Example: "- id: run-regression\n  name: Run regression suite\n  owner: qa",
			Fix:     "add owner: with the id of the role responsible for the step",
			Check: func(p *pass) {
				for i := range p.sop.Steps {
					st := &p.sop.Steps[i]
					if st.Owner == "" {
						p.report(idPos(st), st.ID, fmt.Sprintf("step %q has no owner", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "role-unused", Family: "roles", Default: relsop.SeverityWarning, Scope: ScopeSOP,
			Summary: "Every defined role owns, approves or is consulted or informed on something.",
			Doc: "A role that appears in no step is an empty swimlane and a responsibility left undefined. " +
				"Give it work, make it an approver, an escalation contact or a RACI party, or remove it. " +
				"Roles used only by a release type's variant count as used.",
			Example: "roles:\n  - id: security\n    name: Security Officer\nsteps:\n  - id: security-review\n    kind: gate\n    approvers: [security]",
			Fix:     "give the role a step, an approval or a RACI part, or remove it",
			Check:   checkRoleUnused,
		},
	)
}

func checkRoleUnused(p *pass) {
	used := map[string]bool{p.sop.Owner: true}
	mark := func(s *relsop.SOP) {
		for _, st := range s.Steps {
			used[st.Owner] = true
			for _, id := range append(st.Approvers, st.RACI.Roles()...) {
				used[id] = true
			}
			if st.Escalation != nil {
				used[st.Escalation.Role] = true
			}
			if st.Exception != nil {
				used[st.Exception.ApprovedBy] = true
			}
		}
	}
	mark(p.sop)
	for _, v := range p.resolved {
		mark(v)
	}
	for _, r := range p.sop.Roles {
		if !used[r.ID] {
			p.report(r.FieldPos.Of("id", r.Pos), r.ID, fmt.Sprintf("role %q owns, approves and is informed of nothing", r.ID), "")
		}
	}
}
