package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "gate-approver", Family: "gates", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every gate has at least one approver.",
			Doc:     "A gate is a decision; the SOP must say who makes it, so that nobody waves a release through by default.",
			Example: "kind: gate\napprovers: [release-manager, qa]",
			Fix:     "add approvers: with the roles that decide",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if len(st.Approvers) == 0 {
					p.report(idPos(st), st.ID, fmt.Sprintf("gate %q has no approvers", st.ID), "")
				}
			}),
		},
		&Rule{
			ID: "gate-criteria", Family: "gates", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every gate states explicit criteria.",
			Doc:     "Approvers need to know what \"ready\" means. Explicit criteria make the decision repeatable and auditable.",
			Example: "criteria:\n  - Regression suite green\n  - No open severity-1 defects",
			Fix:     "add criteria: listing the conditions for a go",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if len(st.Criteria) == 0 {
					p.report(idPos(st), st.ID, fmt.Sprintf("gate %q has no criteria", st.ID), "")
				}
			}),
		},
		&Rule{
			ID: "gate-go-no-go", Family: "gates", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every gate has a go and a no-go outcome.",
			Doc: "A gate that cannot say no is not a gate. Label one outcome go (or approved, pass, proceed) " +
				"and one no-go (or rejected, fail, rework, defer, hold), each leading to a step.",
			Example: "outcomes:\n  go: deploy-production\n  no-go: fix-defects",
			Fix:     "label one outcome go and one no-go",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if len(st.Outcomes) < 2 {
					return // gate-single-outcome or the loader reports these
				}
				var goes, noGoes int
				for _, o := range st.Outcomes {
					switch relsop.MeaningOf(o.Label) {
					case relsop.OutcomeGo:
						goes++
					case relsop.OutcomeNoGo:
						noGoes++
					}
				}
				switch {
				case goes == 0:
					p.report(st.FieldPos.Of("outcomes", idPos(st)), st.ID, fmt.Sprintf("gate %q has no go outcome", st.ID), "")
				case noGoes == 0:
					p.report(st.FieldPos.Of("outcomes", idPos(st)), st.ID, fmt.Sprintf("gate %q has no no-go outcome", st.ID), "")
				}
			}),
		},
		&Rule{
			ID: "gate-single-outcome", Family: "gates", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "No gate has a single outcome.",
			Doc:     "A decision with one possible result decides nothing: it is a task, or its no-go path is missing.",
			Example: "outcomes:\n  go: deploy-production\n  no-go: fix-defects",
			Fix:     "add the no-go outcome, or make the step a task",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if len(st.Outcomes) == 1 {
					p.report(st.FieldPos.Of("outcomes", idPos(st)), st.ID, fmt.Sprintf("gate %q has a single outcome", st.ID), "")
				}
			}),
		},
		&Rule{
			ID: "gate-escalation", Family: "gates", Default: relsop.SeverityWarning, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every gate has an escalation path.",
			Doc: "When approvers disagree or do not answer, a release stalls. Name the role that decides " +
				"then, and how long the gate may wait.",
			Example: "escalation:\n  role: head-of-engineering\n  after: 4h",
			Fix:     "add escalation: with role: and after:",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if st.Escalation == nil || st.Escalation.Role == "" {
					p.report(idPos(st), st.ID, fmt.Sprintf("gate %q has no escalation path", st.ID), "")
				}
			}),
		},
	)
}

// eachGate adapts a per-gate check to a rule check.
func eachGate(check func(*pass, *relsop.Step)) func(*pass) {
	return func(p *pass) {
		for i := range p.sop.Steps {
			if p.sop.Steps[i].IsGate() {
				check(p, &p.sop.Steps[i])
			}
		}
	}
}
