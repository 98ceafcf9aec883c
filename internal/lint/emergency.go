package lint

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
)

// Emergency rules run on the resolved flow of every emergency release type
// (emergency: true, or an id such as emergency or hotfix).
func init() {
	register(
		&Rule{
			ID: "emergency-authorization", Family: "emergency", Default: relsop.SeverityError, Scope: ScopeEmergency,
			Summary: "An emergency release is still authorised before it reaches production.",
			Doc: "An emergency may skip the CAB meeting, never the decision: an emergency change still " +
				"passes a gate with approvers (an emergency CAB, the incident commander) before production.",
			Example: "change:\n  - step: cab-approval\n    name: Emergency CAB approval\n    approvers: [incident-commander]",
			Fix:     "keep or add a gate with approvers before the production deploy in the emergency variant",
			Check: func(p *pass) {
				authorised := func(s *relsop.Step) bool { return s.IsGate() && len(s.Approvers) > 0 }
				var bad []string
				for _, st := range p.g.productionDeploys() {
					if !p.g.any(p.g.ancestors(st.ID), authorised) {
						bad = append(bad, fmt.Sprintf("%q", st.ID))
					}
				}
				if len(bad) > 0 {
					rt := p.variant
					p.report(rt.FieldPos.Of("id", rt.Pos), rt.ID, fmt.Sprintf("emergency release type %q reaches production (%s) without an authorisation gate", rt.ID, strings.Join(bad, ", ")), "")
				}
			},
		},
		&Rule{
			ID: "emergency-review", Family: "emergency", Default: relsop.SeverityError, Scope: ScopeEmergency,
			Summary: "An emergency release ends with a post-implementation review.",
			Doc: "Emergency changes bypass parts of the process; a post-implementation review afterwards " +
				"checks the change and feeds lessons back into the SOP.",
			Example: "add:\n  - id: pir\n    name: Hold post-implementation review\n    owner: release-manager\n    after: monitor",
			Fix:     "add a post-implementation review step after the production deploy in the emergency variant",
			Check: func(p *pass) {
				var bad []string
				for _, st := range p.g.productionDeploys() {
					if !p.g.any(p.g.descendants(st.ID), named(reviewWords)) {
						bad = append(bad, fmt.Sprintf("%q", st.ID))
					}
				}
				if len(bad) > 0 {
					rt := p.variant
					p.report(rt.FieldPos.Of("id", rt.Pos), rt.ID, fmt.Sprintf("emergency release type %q has no post-implementation review after production (%s)", rt.ID, strings.Join(bad, ", ")), "")
				}
			},
		},
	)
}
