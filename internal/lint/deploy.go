package lint

import (
	"fmt"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "prod-rollback", Family: "deploy", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every production deploy has a rollback or contingency path.",
			Doc: "Deploys fail. Decide before the release what happens then, so that nobody improvises " +
				"under pressure: on_failure: leads to the rollback path.",
			Example: "- id: deploy-production\n  kind: deploy\n  environment: production\n  on_failure: roll-back",
			Fix:     "add on_failure: leading to a rollback step",
			Check: func(p *pass) {
				for _, st := range p.g.productionDeploys() {
					if st.OnFailure == "" {
						p.report(idPos(st), st.ID, fmt.Sprintf("production deploy %q has no rollback path (on_failure)", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "rollback-ends", Family: "deploy", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every rollback path restores service, then notifies or hands over to incident handling.",
			Doc: "A failure path of a production deploy must reach a rollback step (one that restores " +
				"service), and every rollback step must lead on to a notify step or to incident handling, " +
				"so that the people affected learn what happened.",
			Example: "- id: roll-back\n  kind: rollback\n  next: notify-stakeholders\n- id: notify-stakeholders\n  kind: notify",
			Fix:     "lead the failure path to a kind: rollback step, and that step on to a notify or incident step",
			Check:   checkRollbackEnds,
		},
		&Rule{
			ID: "prod-after-validation", Family: "deploy", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "A production deploy comes only after validation in an earlier environment.",
			Doc: "Deploying to production untested in any other environment is the classic cause of " +
				"outages. Deploy to an earlier environment (staging, test) first; where that is truly " +
				"impossible, record an exception with its reason on the deploy step.",
			Example: "- id: deploy-staging\n  kind: deploy\n  environment: staging\n  next: deploy-production",
			Fix:     "deploy to an earlier environment before production, or record exception: with a reason",
			Check: func(p *pass) {
				for _, st := range p.g.productionDeploys() {
					if st.Exception != nil && st.Exception.Reason != "" {
						continue
					}
					prodIdx := p.sop.EnvironmentIndex(st.Environment)
					earlier := func(a *relsop.Step) bool {
						if a.Kind != relsop.KindDeploy {
							return false
						}
						env := p.sop.Environment(a.Environment)
						idx := p.sop.EnvironmentIndex(a.Environment)
						return env != nil && !env.Production && idx < prodIdx
					}
					if !p.g.any(p.g.ancestors(st.ID), earlier) {
						p.report(idPos(st), st.ID, fmt.Sprintf("production deploy %q is not preceded by a deploy to an earlier environment", st.ID), "")
					}
				}
			},
		},
	)
}

func checkRollbackEnds(p *pass) {
	restores := ofKind(relsop.KindRollback)
	for _, st := range p.g.productionDeploys() {
		if st.OnFailure == "" || p.sop.Step(st.OnFailure) == nil {
			continue
		}
		path := p.g.reach([]string{st.OnFailure}, append(mainFlows, relsop.FlowRollback), false)
		path[st.OnFailure] = true
		if !p.g.any(path, restores) {
			p.report(st.FieldPos.Of("on_failure", idPos(st)), st.ID,
				fmt.Sprintf("the failure path of production deploy %q never reaches a rollback step", st.ID), "")
		}
	}
	tellsSomeone := func(s *relsop.Step) bool { return s.Kind == relsop.KindNotify || incidentWords().MatchString(s.Name) }
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind != relsop.KindRollback || tellsSomeone(st) {
			continue
		}
		if !p.g.any(p.g.descendants(st.ID), tellsSomeone) {
			p.report(idPos(st), st.ID, fmt.Sprintf("rollback step %q leads to no notification or incident handling", st.ID), "")
		}
	}
}
