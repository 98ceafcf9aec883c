package generate

import (
	"strings"

	"github.com/relsop/relsop"
)

// addTypes adds the release-type variants asked for.
func (p *plan) addTypes(types []string) {
	for _, t := range types {
		switch t {
		case "major":
			p.majorType()
		case "minor":
			p.minorType()
		case "emergency":
			p.emergencyType()
		}
	}
}

// present keeps the ids of steps that exist.
func (p *plan) present(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if p.step(id) != nil {
			out = append(out, id)
		}
	}
	return out
}

func (p *plan) majorType() {
	rt := relsop.ReleaseType{ID: "major", Name: "Major release",
		Description: "A release with new features, breaking changes or large migrations: adds a load test and a readiness review to the base flow."}
	if p.step("load-tests") == nil && p.step("regression-tests") != nil {
		rt.Add = append(rt.Add, relsop.AddedStep{After: "regression-tests", Step: relsop.Step{ID: "load-tests", Name: "Run load and performance tests",
			Kind: relsop.KindAutomated, Owner: p.role("ci"), Phase: "test", OnFailure: "fix-defects", Evidence: []string{"Load test report"}}})
	}
	p.sop.ReleaseTypes = append(p.sop.ReleaseTypes, rt)
	p.why["type:major"] = "asked for with --types: big releases get more testing"
}

func (p *plan) minorType() {
	rt := relsop.ReleaseType{ID: "minor", Name: "Minor release",
		Description: "Small fixes with no new features or schema changes: planning and manual acceptance are skipped; the automated suites decide."}
	rt.Remove = p.present("agree-scope")
	if !p.b.regulated() {
		// Regulated releases keep a validation step before production, however small.
		rt.Remove = append(rt.Remove, p.present("acceptance-tests")...)
	}
	p.sop.ReleaseTypes = append(p.sop.ReleaseTypes, rt)
	p.why["type:minor"] = "asked for with --types: small releases skip the heavy steps"
}

func (p *plan) emergencyType() {
	rt := relsop.ReleaseType{ID: "emergency", Name: "Emergency fix", Emergency: true,
		Description: "A fix that cannot wait for the next release: planning, the freeze and manual testing are skipped, the incident commander authorises the deploy, and a post-implementation review follows."}
	rt.Remove = p.present("agree-scope", "freeze", "qa-signoff", "load-tests")
	if !p.b.regulated() {
		// A regulated emergency fix is still verified before it ships.
		rt.Remove = append(rt.Remove, p.present("acceptance-tests")...)
	}
	if p.step("go-no-go") != nil {
		rt.Change = append(rt.Change, relsop.StepChange{Step: "go-no-go", Set: []string{"approvers"},
			Fields: relsop.Step{Approvers: p.approvers("incident-commander", "release-manager")}})
		if p.step("cab-approval") != nil {
			if _, ecab := p.b.roles["ecab"]; ecab {
				// The brief names an emergency CAB: it decides instead of the CAB.
				rt.Change = append(rt.Change, relsop.StepChange{Step: "cab-approval", Set: []string{"name", "kind", "approvers"},
					Fields: relsop.Step{Name: "Emergency CAB (ECAB) approval", Kind: relsop.KindGate, Approvers: p.approvers("ecab")}})
				rt.Description = strings.Replace(rt.Description, "the incident commander authorises the deploy", "the emergency CAB and the incident commander authorise the deploy", 1)
			} else {
				rt.Remove = append(rt.Remove, "cab-approval")
			}
		}
	}
	if p.step("post-implementation-review") == nil {
		rt.Add = append(rt.Add, relsop.AddedStep{After: "announce-release", Step: relsop.Step{ID: "post-implementation-review",
			Name: "Hold the post-implementation review", Owner: p.role("release-manager"), Phase: "post-release", Evidence: []string{"Review record"}}})
	}
	p.sop.ReleaseTypes = append(p.sop.ReleaseTypes, rt)
	p.why["type:emergency"] = "every SOP needs an expedited path that is still authorised and reviewed"
}
