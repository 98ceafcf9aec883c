package edit

import (
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop"
)

// Instructions about lanes, phases, environments and RACI, as people say
// them, on the saas-weekly template.
func TestApplyStructure(t *testing.T) {
	roleIDs := func(s *relsop.SOP) []string { return idsOf(s.Roles, func(r *relsop.Role) string { return r.ID }) }
	tests := []struct {
		instruction string
		check       func(t *testing.T, a *relsop.SOP)
	}{
		// move
		{"move the QA lead lane above the release manager", func(t *testing.T, a *relsop.SOP) {
			eq(t, "first roles", roleIDs(a)[:2], []string{"qa-lead", "release-manager"})
		}},
		{"put the security engineer role below the SRE", func(t *testing.T, a *relsop.SOP) {
			ids := roleIDs(a)
			eq(t, "after sre", ids[slices.Index(ids, "sre")+1], "security-engineer")
		}},
		{"move the support lead lane to the top", func(t *testing.T, a *relsop.SOP) { eq(t, "first role", roleIDs(a)[0], "support-lead") }},
		{"move the plan phase right", func(t *testing.T, a *relsop.SOP) { eq(t, "phases", phaseIDs(a)[:2], []string{"build", "plan"}) }},
		{"move the test phase before build", func(t *testing.T, a *relsop.SOP) {
			eq(t, "phases", phaseIDs(a)[:3], []string{"plan", "test", "build"})
		}},
		{"move the production environment before canary", func(t *testing.T, a *relsop.SOP) {
			eq(t, "environments", envIDs(a), []string{"staging", "production", "canary"})
		}},
		// add
		{"add a phase 'Hypercare' after post-release", func(t *testing.T, a *relsop.SOP) {
			eq(t, "last phase", phaseIDs(a)[len(a.Phases)-1], "hypercare")
		}},
		{"add a Hypercare phase before deploy", func(t *testing.T, a *relsop.SOP) {
			ids := phaseIDs(a)
			eq(t, "before deploy", ids[slices.Index(ids, "deploy")-1], "hypercare")
		}},
		{"add a role Compliance Officer", func(t *testing.T, a *relsop.SOP) {
			eq(t, "last role", a.Roles[len(a.Roles)-1], relsop.Role{ID: "compliance-officer", Name: "Compliance Officer", Pos: a.Roles[len(a.Roles)-1].Pos, FieldPos: a.Roles[len(a.Roles)-1].FieldPos})
		}},
		{"add a lane called 'Change Advisory Board' below the release manager", func(t *testing.T, a *relsop.SOP) {
			eq(t, "second role", roleIDs(a)[1], "change-advisory-board")
		}},
		{"add a production environment called EU before production", func(t *testing.T, a *relsop.SOP) {
			eq(t, "environments", envIDs(a), []string{"staging", "canary", "eu", "production"})
			eq(t, "eu is production", a.Environment("eu").Production, true)
		}},
		{"add a pre-production environment before canary", func(t *testing.T, a *relsop.SOP) {
			eq(t, "environments", envIDs(a), []string{"staging", "pre-production", "canary", "production"})
			eq(t, "pre-production is production", a.Environment("pre-production").Production, false)
		}},
		// remove
		{"remove the deploy canary step; remove watch canary; remove canary analysis; remove roll back the canary; remove the canary environment", func(t *testing.T, a *relsop.SOP) {
			eq(t, "environments", envIDs(a), []string{"staging", "production"})
		}},
		// production
		{"make canary a non-production environment", func(t *testing.T, a *relsop.SOP) {
			eq(t, "canary is production", a.Environment("canary").Production, false)
		}},
		// RACI
		{"make the QA lead accountable for deploy to staging", func(t *testing.T, a *relsop.SOP) {
			st := step(t, a, "deploy-staging")
			eq(t, "accountable", st.RACI.Accountable, []string{"qa-lead"})
			eq(t, "owner (responsible) unchanged", st.Owner, "ci")
		}},
		{"inform the SRE about deploy to staging", func(t *testing.T, a *relsop.SOP) {
			eq(t, "informed", step(t, a, "deploy-staging").RACI.Informed, []string{"sre"})
		}},
		{"consult security on confirm scope", func(t *testing.T, a *relsop.SOP) {
			eq(t, "consulted", step(t, a, "confirm-scope").RACI.Consulted, []string{"engineering-lead", "qa-lead", "security-engineer"})
		}},
		{"support should be informed about deploy to production", func(t *testing.T, a *relsop.SOP) {
			eq(t, "informed", step(t, a, "deploy-production").RACI.Informed, []string{"support-lead"})
		}},
		{"stop informing the product manager about notify deferral", func(t *testing.T, a *relsop.SOP) {
			eq(t, "informed", step(t, a, "notify-deferral").RACI.Informed, []string{"support-lead"})
		}},
		{"remove the support lead from the RACI of notify deferral", func(t *testing.T, a *relsop.SOP) {
			eq(t, "informed", step(t, a, "notify-deferral").RACI.Informed, []string{"product-manager"})
		}},
		// what looks alike but is about steps
		{"add a smoke test in the staging environment after deploy to staging", func(t *testing.T, a *relsop.SOP) {
			eq(t, "deploy-staging next", step(t, a, "deploy-staging").Next, []string{"smoke-test-in-the-staging-environment"})
		}},
		{"make the release manager responsible for deploy to staging", func(t *testing.T, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "deploy-staging").Owner, "release-manager")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range keptComments {
				if !strings.Contains(string(res.Source), c) {
					t.Errorf("the comment %q was lost", c)
				}
			}
			if tt.check != nil {
				tt.check(t, load(t, res.Source))
			}
		})
	}
}

func TestApplyStructureErrors(t *testing.T) {
	tests := []struct {
		instruction string
		check       func(t *testing.T, err error)
	}{
		{"remove the support lead lane", errorSaying(`the role "support-lead" is still the owner of the step(s) "collect-feedback"`)},
		{"remove the hypercare phase", unknownWith("phase")},
		{"move the QA lead lane above the release mangaer", unknownWith("role", "release-manager")},
		{"move the release manager lane up", errorSaying("role release-manager already comes first")},
		{"move the post-release phase right", errorSaying("phase post-release already comes last")},
		{"add a phase 'Plan' before plan", nil},
		{"mark staging as production", flowError("prod-after-validation", "the base flow")},
		{"stop informing the SRE about confirm scope", errorSaying("sre is not accountable, consulted or informed")},
		{"inform the SRE about the moon landing", unknownWith("step")},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if tt.check == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; the edit made:\n%s", strings.Join(res.Summary, "\n"))
			}
			tt.check(t, err)
		})
	}
}
