package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

func init() {
	register(&Rule{
		ID: "complexity", Family: "complexity", Default: relsop.SeverityWarning, Scope: ScopeFlow,
		Summary: "The SOP stays within its complexity budget.",
		Doc: fmt.Sprintf("Don't overcomplicate: an SOP people follow fits on a page. By default at most %d "+
			"steps in all, %d per role and %d per phase; set complexity: in the config file to change the "+
			"budget. Beyond it, split a sub-procedure (say, the database migration runbook) into an SOP of "+
			"its own and link it.", DefaultMaxSteps, DefaultMaxLane, DefaultMaxPhase),
		Example: "links:\n  - title: Database migration SOP\n    url: db-migration.sop.yaml",
		Fix:     "split out a sub-procedure into its own SOP and link it from a single step",
		Check:   checkComplexity,
	})
}

func checkComplexity(p *pass) {
	steps := p.sop.Steps
	if n := len(steps); n > p.cfg.MaxSteps {
		p.report(p.sop.FieldPos.Of("steps", p.sop.Pos), "", fmt.Sprintf("the procedure has %d steps, more than the budget of %d", n, p.cfg.MaxSteps), "")
	}
	perRole, perPhase := map[string]int{}, map[string]int{}
	for _, st := range steps {
		perRole[st.Owner]++
		perPhase[st.Phase]++
	}
	for _, r := range p.sop.Roles {
		if n := perRole[r.ID]; n > p.cfg.MaxLane {
			p.report(r.FieldPos.Of("id", r.Pos), r.ID, fmt.Sprintf("role %q owns %d steps, more than the budget of %d per lane", r.ID, n, p.cfg.MaxLane), "")
		}
	}
	for _, ph := range p.sop.Phases {
		if n := perPhase[ph.ID]; n > p.cfg.MaxPhase {
			p.report(ph.FieldPos.Of("id", ph.Pos), ph.ID, fmt.Sprintf("phase %q has %d steps, more than the budget of %d per phase", ph.ID, n, p.cfg.MaxPhase), "")
		}
	}
}
