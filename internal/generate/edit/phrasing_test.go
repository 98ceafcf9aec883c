package edit

import (
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop"
)

// TestMorePhrasings covers the ways people say things that other forms
// already do: "require X to approve G", "remove S in minor releases",
// "automate S", "make S manual", and a place put first ("after S, do T").
func TestMorePhrasings(t *testing.T) {
	tests := []struct {
		instruction string
		check       func(t *testing.T, a *relsop.SOP)
	}{
		{"require the CISO to approve the go/no-go", func(t *testing.T, a *relsop.SOP) {
			if a.Role("ciso") == nil || !slices.Contains(step(t, a, "go-no-go").Approvers, "ciso") {
				t.Errorf("approvers %v", step(t, a, "go-no-go").Approvers)
			}
		}},
		{"ask the QA lead to sign off on the canary analysis", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(step(t, a, "canary-analysis").Approvers, "qa-lead") {
				t.Errorf("approvers %v", step(t, a, "canary-analysis").Approvers)
			}
		}},
		{"remove the security approval in minor releases", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(a.ReleaseType("minor").Remove, "security-approval") || a.Step("security-approval") == nil {
				t.Errorf("minor removes %v; the base flow must keep the step", a.ReleaseType("minor").Remove)
			}
		}},
		{"drop confirm scope from minor releases", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(a.ReleaseType("minor").Remove, "confirm-scope") {
				t.Errorf("minor removes %v", a.ReleaseType("minor").Remove)
			}
		}},
		{"make confirm scope automated", func(t *testing.T, a *relsop.SOP) {
			eq(t, "kind", step(t, a, "confirm-scope").Kind, relsop.KindAutomated)
		}},
		{"automate the readiness criteria", func(t *testing.T, a *relsop.SOP) {
			eq(t, "kind", step(t, a, "agree-readiness").Kind, relsop.KindAutomated)
		}},
		{"make build release artefacts manual", func(t *testing.T, a *relsop.SOP) {
			eq(t, "kind", step(t, a, "build-artefacts").Kind, relsop.KindTask)
		}},
		{"after monitoring, hold a retrospective with the whole team", func(t *testing.T, a *relsop.SOP) {
			st := step(t, a, "hold-a-retrospective-with-the-whole")
			eq(t, "name", st.Name, "Hold a retrospective with the whole team")
			eq(t, "monitor-release next", step(t, a, "monitor-release").Next, []string{st.ID})
		}},
		{"before the deployment window, add a change freeze notice", func(t *testing.T, a *relsop.SOP) {
			eq(t, "next", step(t, a, "change-freeze-notice").Next, []string{"announce-window"})
		}},
		{"add a smoke test by the QA lead after deploy to staging", func(t *testing.T, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "smoke-test").Owner, "qa-lead")
		}},
		{"add a sign off by email after deploy to staging", func(t *testing.T, a *relsop.SOP) {
			eq(t, "name (email is no role)", step(t, a, "sign-off-by-email").Name, "Sign off by email")
		}},
		{"add a feature flag cleanup step at the end", func(t *testing.T, a *relsop.SOP) {
			eq(t, "next", step(t, a, "feature-flag-cleanup").Next, []string{"end"})
			eq(t, "review-metrics next", step(t, a, "review-metrics").Next, []string{"feature-flag-cleanup"})
		}},
		{"add a kickoff meeting at the start owned by the product manager", func(t *testing.T, a *relsop.SOP) {
			eq(t, "start next", step(t, a, "start").Next, []string{"kickoff-meeting"})
			eq(t, "owner", step(t, a, "kickoff-meeting").Owner, "product-manager")
		}},
	}
	// The enterprise template names things differently: "Minor change" is a
	// release type, "Service Desk" a role whose words a step also has.
	ecab := []struct {
		instruction string
		check       func(t *testing.T, a *relsop.SOP)
	}{
		{"skip UAT for minor changes", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(a.ReleaseType("minor").Remove, "run-uat") {
				t.Errorf("minor removes %v", a.ReleaseType("minor").Remove)
			}
		}},
		{"the CAB approval needs approval from the service owner", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(step(t, a, "cab-approval").Approvers, "service-owner") {
				t.Errorf("approvers %v", step(t, a, "cab-approval").Approvers)
			}
		}},
		{"the CAB approval requires the IT service director's sign-off too", func(t *testing.T, a *relsop.SOP) {
			if !slices.Contains(step(t, a, "cab-approval").Approvers, "it-director") {
				t.Errorf("approvers %v", step(t, a, "cab-approval").Approvers)
			}
		}},
		{"rename the service desk to IT support", func(t *testing.T, a *relsop.SOP) {
			eq(t, "role name", a.Role("service-desk").Name, "IT support")
			eq(t, "step name", step(t, a, "hand-over-operations").Name, "Hand over to IT operations and the service desk")
		}},
		{"put the service desk lane at the bottom", func(t *testing.T, a *relsop.SOP) {
			eq(t, "last role", a.Roles[len(a.Roles)-1].ID, "service-desk")
		}},
		{"the change manager owns the CAB approval", func(t *testing.T, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "cab-approval").Owner, "change-manager")
		}},
		{"the implementer is now responsible for the UAT", func(t *testing.T, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "run-uat").Owner, "implementer")
		}},
	}
	// Where only a gate will do, a reference many steps match means the
	// one gate among them.
	res, err := Apply("regulated-healthcare.sop.yaml", source(t, "regulated-healthcare"), "add criterion 'all CAPAs closed' to the release")
	if err != nil {
		t.Fatalf("criterion to the release: %v", err)
	}
	if !slices.Contains(step(t, load(t, res.Source), "release-signoff").Criteria, "all CAPAs closed") {
		t.Errorf("the criterion did not reach the release sign-off gate: %q", res.Summary)
	}

	// "before production": the one deployment to the environment it names.
	res, err = Apply("devops-cicd.sop.yaml", source(t, "devops-cicd"), "add a database backup before production")
	if err != nil {
		t.Fatalf("before production: %v", err)
	}
	eq(t, "database-backup next", step(t, load(t, res.Source), "database-backup").Next, []string{"deploy-production"})

	// On the CI/CD template: a new name with "to" in it, a notification in
	// a verb, a RACI part said with "as", and no role made of an
	// instruction's words.
	dc := func(instruction string) *relsop.SOP {
		t.Helper()
		res, err := Apply("devops-cicd.sop.yaml", source(t, "devops-cicd"), instruction)
		if err != nil {
			t.Fatalf("%s: %v", instruction, err)
		}
		return load(t, res.Source)
	}
	eq(t, "renamed", step(t, dc("rename deploy to production to Blue-green deploy to production"), "deploy-production").Name, "Blue-green deploy to production")
	for _, ins := range []string{"notify the team on Slack after deploy to production", "add a step to notify the team on Slack after deploy to production"} {
		st := step(t, dc(ins), "notify-the-team-on-slack")
		eq(t, ins+": name and kind", []string{st.Name, string(st.Kind)}, []string{"Notify the team on Slack", "notify"})
	}
	for _, ins := range []string{"make production approval escalate to the CTO after 2 hours", "the production approval escalates to the CTO after 2 hours"} {
		e := step(t, dc(ins), "production-approval").Escalation
		if e == nil || e.Role != "cto" || e.After.String() != "2h" {
			t.Errorf("%s: escalation %+v", ins, e)
		}
	}
	a := dc("add the security lead as consulted on the production approval")
	if a.Role("security-lead") == nil || !slices.Contains(step(t, a, "production-approval").RACI.Consulted, "security-lead") {
		t.Errorf("the security lead is not consulted: roles %v", a.Roles)
	}
	if _, err := Apply("devops-cicd.sop.yaml", source(t, "devops-cicd"), "make add the auditor as accountable for deploy to production"); err == nil {
		t.Errorf("a role was made of an instruction's words")
	}

	// Review cadences in months and years, and "link" for a document.
	for ins, want := range map[string]string{"review the SOP every 6 months": "semiannually", "review the SOP every 2 years": "720d", "review the SOP every 4 months": "120d"} {
		res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), ins)
		if err != nil {
			t.Fatalf("%s: %v", ins, err)
		}
		eq(t, ins, load(t, res.Source).Review.Cadence.String(), want)
	}
	res, err = Apply("regulated-healthcare.sop.yaml", source(t, "regulated-healthcare"), "link the validation plan https://qms.example.com/vp-12 to write the V&V report")
	if err != nil {
		t.Fatalf("link: %v", err)
	}
	if links := step(t, load(t, res.Source), "write-vv-report").Links; len(links) == 0 || links[len(links)-1].URL != "https://qms.example.com/vp-12" {
		t.Errorf("links %+v", links)
	}

	// Two lanes or phases trade places; environments too, unless the flow
	// would then deploy to production first; steps do not.
	res, err = Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), "swap the QA lead and release manager lanes")
	if err != nil {
		t.Fatalf("swap lanes: %v", err)
	}
	var order []string
	for _, r := range load(t, res.Source).Roles {
		order = append(order, r.ID)
	}
	eq(t, "roles after the swap", order[:4], []string{"qa-lead", "product-manager", "engineering-lead", "release-manager"})
	for ins, says := range map[string]string{
		"swap staging and production":         "was not made",
		"swap deploy canary and watch canary": "only lanes, phases and environments trade places",
	} {
		if _, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), ins); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want an error saying %q", ins, err, says)
		}
	}

	for _, tt := range ecab {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("enterprise-cab.sop.yaml", source(t, "enterprise-cab"), tt.instruction)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			after := load(t, res.Source)
			noFlowErrors(t, after)
			tt.check(t, after)
		})
	}

	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			after := load(t, res.Source)
			noFlowErrors(t, after)
			tt.check(t, after)
			if t.Failed() {
				t.Logf("summary: %q", res.Summary)
			}
		})
	}

	for _, tt := range []struct{ instruction, says string }{
		{"make deploy to production automated", "is a deploy step and stays one; to say what runs it: set the tool of deploy-production"},
		{"automate the canary analysis", "is a gate, not a task"},
		{"make confirm scope manual", "already a manual task"},
		{"after deploy to production fails, roll back production", "if deploy to production fails, go to <step>"},
		{"go/no-go needs the VP of engineering", "no role matches \"VP of engineering\"; to make a new role an approver of go-no-go, say: add VP of engineering as an approver of go-no-go"},
	} {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				errorSaying(tt.says)(t, err)
				return
			}
			if !slices.ContainsFunc(res.Summary, func(s string) bool { return strings.Contains(s, tt.says) }) {
				t.Errorf("summary %q does not say %q", res.Summary, tt.says)
			}
		})
	}
	// A step that "needs" something that is no role is not this form.
	_, err = Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), "deploy to production needs a rollback")
	isUnsupported(t, err)
}
