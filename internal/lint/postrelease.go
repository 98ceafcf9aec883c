package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "post-monitoring", Family: "post-release", Default: relsop.SeverityWarning, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every production deploy is followed by monitoring or validation.",
			Doc: "Accountability continues after deployment: someone watches error rates, latency and " +
				"business metrics, or runs smoke tests, before the release is called done.",
			Example: "- id: monitor\n  name: Monitor error rates and latency\n  owner: sre",
			Fix:     "add a step after the production deploy that monitors or verifies it",
			Check: func(p *pass) {
				for _, st := range p.g.productionDeploys() {
					if !p.g.any(p.g.descendants(st.ID), named(monitorWords)) {
						p.report(idPos(st), st.ID, fmt.Sprintf("nothing monitors or verifies production deploy %q afterwards", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "post-communication", Family: "post-release", Default: relsop.SeverityWarning, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Stakeholders are told after a production deploy.",
			Doc: "Support, sales and users need to know what shipped. A notify step after the production " +
				"deploy closes the loop.",
			Example: "- id: announce\n  name: Announce the release\n  kind: notify\n  channel: \"#releases\"",
			Fix:     "add a kind: notify step after the production deploy",
			Check: func(p *pass) {
				for _, st := range p.g.productionDeploys() {
					if !p.g.any(p.g.descendants(st.ID), ofKind(relsop.KindNotify)) {
						p.report(idPos(st), st.ID, fmt.Sprintf("no one is notified after production deploy %q", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "post-incident", Family: "post-release", Default: relsop.SeverityWarning, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "The SOP says how incidents are handled.",
			Doc: "When a release causes an incident, the SOP should lead into incident handling (open an " +
				"incident, page on-call, hold a postmortem) rather than stop at the rollback.",
			Example: "- id: open-incident\n  name: Open an incident and page on-call\n  owner: sre",
			Fix:     "add a step that handles incidents, such as \"Open an incident\", on the failure path",
			Check: func(p *pass) {
				if len(p.sop.Steps) == 0 || len(p.g.productionDeploys()) == 0 {
					return
				}
				for i := range p.sop.Steps {
					if namedOrDescribed(incidentWords)(&p.sop.Steps[i]) {
						return
					}
				}
				p.report(p.sop.FieldPos.Of("steps", p.sop.Pos), "", "no step handles incidents", "")
			},
		},
	)
}
