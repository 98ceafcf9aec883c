package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

// These rules hold in the regulated profile only (SOX, GxP, IEC 62304, FDA
// 21 CFR Part 11, ...), where auditors look for them.
func init() {
	register(
		&Rule{
			ID: "separation-of-duties", Family: "regulated", Default: Off, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "A gate's approver does not approve their own work.",
			Doc: "Regulated releases need separation of duties: the role that did the work leading into " +
				"a gate must not be the one that approves it.",
			Example: "- id: write-release-notes\n  owner: developer\n  next: qa-signoff\n- id: qa-signoff\n  kind: gate\n  approvers: [qa-manager]",
			Fix:     "make a role other than the owner of the preceding work approve the gate",
			Check: eachGate(func(p *pass, gate *relsop.Step) {
				for _, f := range p.g.in[gate.ID] {
					if f.Kind != relsop.FlowNext && f.Kind != relsop.FlowOutcome {
						continue
					}
					prev := p.sop.Step(f.From)
					if prev == nil || prev.Kind == relsop.KindStart || prev.IsGate() {
						continue
					}
					for i, a := range gate.Approvers {
						if a == prev.Owner {
							p.report(gate.FieldPos.Of(relsop.IndexedField("approvers", i), idPos(gate)), gate.ID,
								fmt.Sprintf("%q approves gate %q, but also owns step %q that leads into it", a, gate.ID, prev.ID), "")
						}
					}
				}
			}),
		},
		&Rule{
			ID: "signoff-evidence", Family: "regulated", Default: Off, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every gate records the evidence of its sign-off.",
			Doc:     "An auditor must be able to see that a gate was passed and on what grounds: list the records each gate leaves.",
			Example: "evidence:\n  - Signed validation summary report\n  - Approval record in the QMS",
			Fix:     "add evidence: listing the records the sign-off produces",
			Check: eachGate(func(p *pass, st *relsop.Step) {
				if len(st.Evidence) == 0 {
					p.report(idPos(st), st.ID, fmt.Sprintf("gate %q records no evidence of its sign-off", st.ID), "")
				}
			}),
		},
		&Rule{
			ID: "validation-before-release", Family: "regulated", Default: Off, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Formal validation comes before the production release.",
			Doc:     "Regulated software is validated (verification, qualification, user acceptance) before it is released.",
			Example: "- id: execute-validation\n  name: Execute validation protocol\n  owner: qa",
			Fix:     "add a validation, verification or acceptance step before the production deploy",
			Check: func(p *pass) {
				for _, st := range p.g.productionDeploys() {
					if !p.g.any(p.g.ancestors(st.ID), named(validationWords)) {
						p.report(idPos(st), st.ID, fmt.Sprintf("no validation step comes before production deploy %q", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "audit-trail", Family: "regulated", Default: Off, Regulated: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "The procedure keeps documentation for the audit trail.",
			Doc:     "A step that documents, records or archives the release (the release record, the design history file) makes it auditable.",
			Example: "- id: archive-records\n  name: Archive release records in the QMS\n  owner: regulatory",
			Fix:     "add a step that documents or archives the release records",
			Check: func(p *pass) {
				for i := range p.sop.Steps {
					if named(auditWords)(&p.sop.Steps[i]) {
						return
					}
				}
				p.report(p.sop.FieldPos.Of("steps", p.sop.Pos), "", "no step documents or archives the release for the audit trail", "")
			},
		},
	)
}
