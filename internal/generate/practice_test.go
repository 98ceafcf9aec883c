package generate

import (
	"strings"
	"testing"

	"github.com/relsop/relsop"
)

// TestDecisionsAndPracticePlaced: a brief's decisions land where they are
// taken and its sentences about practice on the steps they describe:
// "PRs need two reviews" is a code review before the build (its "PRs need
// two" is no role), "production deploys need approval from the on-call
// SRE" is a gate before the production deploy whose refusal defers the
// release, and "we deploy ... with ArgoCD" names the deploy steps' tool
// instead of becoming a step.
func TestDecisionsAndPracticePlaced(t *testing.T) {
	res, err := Generate(Request{Brief: "We deploy our Kubernetes microservices daily with ArgoCD; PRs need two reviews; production deploys need approval from the on-call SRE", Types: ReleaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	s := res.SOP
	for _, r := range s.Roles {
		if strings.Contains(strings.ToLower(r.Name), "prs") {
			t.Errorf("a role was made of %q", r.Name)
		}
	}
	review := s.Step("code-review")
	if review == nil || review.Kind != relsop.KindGate || review.Phase != "build" {
		t.Fatalf("no code review gate in the build phase: %+v", review)
	}
	if to := review.Outcome("approved"); to == nil || to.To != "build" {
		t.Errorf("the code review does not lead to the build: %+v", review.Outcomes)
	}
	var approval *relsop.Step
	for i := range s.Steps {
		if strings.HasPrefix(s.Steps[i].ID, "production-deploy-approval") {
			approval = &s.Steps[i]
		}
	}
	if approval == nil {
		t.Fatal("no production deploy approval gate")
	}
	if strings.HasSuffix(approval.ID, "-e") || len(approval.ID) > 48 {
		t.Errorf("id %q is cut inside a word or too long", approval.ID)
	}
	if go_, nogo := approval.Outcome("approved"), approval.Outcome("rejected"); go_ == nil || go_.To != "deploy-production" || nogo == nil || nogo.To != "defer-release" {
		t.Errorf("the approval leads to %+v; want deploy-production, and defer-release when refused", approval.Outcomes)
	}
	deploys := 0
	for _, st := range s.Steps {
		if st.Kind == relsop.KindDeploy {
			deploys++
			if st.Tool != "ArgoCD" {
				t.Errorf("deploy step %s has tool %q, want ArgoCD", st.ID, st.Tool)
			}
		}
		if strings.Contains(strings.ToLower(st.Name), "kubernetes microservices") {
			t.Errorf("a step was made of the sentence about practice: %q", st.Name)
		}
	}
	if deploys == 0 {
		t.Fatal("no deploy steps")
	}
}

// TestContextIsNoStep: sentences that set the scene or say how a step is
// done are not steps of their own, and a weak hint of a domain ("the
// previous tag") does not outweigh the brief's other words.
func TestContextIsNoStep(t *testing.T) {
	banking, err := Generate(Request{Brief: "Biweekly release train for our banking app. SOX controls apply: developers cannot deploy to production, the change must be approved by the change manager, and every deploy is logged for audit.", Types: ReleaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	names := stepNames(banking.SOP)
	if strings.Contains(names, "Biweekly release train") {
		t.Errorf("the release train became a step: %s", names)
	}
	if !strings.Contains(names, "Log every deploy for audit") {
		t.Errorf("no step logs every deploy: %s", names)
	}

	startup, err := Generate(Request{Brief: "Small startup, we ship to prod straight from main with GitHub Actions after tests pass; no staging; feature flags via LaunchDarkly; rollback is redeploying the previous tag", Types: ReleaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	s := startup.SOP
	if names := stepNames(s); strings.Contains(names, "Small startup") || strings.Contains(names, "Rollback is redeploying") {
		t.Errorf("a sentence became a step: %s", names)
	}
	prod := s.Step("deploy-production")
	if prod == nil || prod.Tool != "GitHub Actions" {
		t.Fatalf("the production deploy does not name GitHub Actions: %+v", prod)
	}
	if env := s.Environment(prod.Environment); env == nil || env.Name != "Production" {
		t.Errorf("a startup shipping to prod deploys to %+v, not Production", env)
	}
	if rb := s.Step("roll-back-production"); rb == nil || !strings.Contains(rb.Description, "redeploying the previous tag") {
		t.Errorf("the rollback step does not say how it is done: %+v", rb)
	}
}

// TestIDsEndAtWords: an id made from a long name is cut at the end of a
// word, in every brief of the test set.
func TestIDsEndAtWords(t *testing.T) {
	for _, tc := range briefCases {
		res, err := Generate(Request{Brief: tc.brief, Types: ReleaseTypes, Profile: tc.profile})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range res.SOP.Steps {
			full := kebab(st.Name)
			if len(st.ID) < len(full) && strings.HasPrefix(full, st.ID) && full[len(st.ID)] != '-' {
				t.Errorf("%s: id %q cuts a word of %q", tc.name, st.ID, st.Name)
			}
		}
	}
}

// TestRolesNamedInLowerCase: "the interface analyst tests in the test
// environment" names a role and gives it the work.
func TestRolesNamedInLowerCase(t *testing.T) {
	res, err := Generate(Request{Brief: "Hospital EHR integration, HIPAA. The interface analyst tests in the test environment, then the clinical lead signs off before go-live.", Types: ReleaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	var analyst string
	for _, r := range res.SOP.Roles {
		if r.Name == "Interface Analyst" {
			analyst = r.ID
		}
	}
	if analyst == "" {
		t.Fatalf("no Interface Analyst role: %s", stepNames(res.SOP))
	}
	found := false
	for _, st := range res.SOP.Steps {
		if st.Owner == analyst && strings.HasPrefix(st.Name, "Test in the test environment") {
			found = true
		}
	}
	if !found {
		t.Errorf("the analyst owns no test step: %s", stepNames(res.SOP))
	}
}

// TestUnnamedEnvironmentMeansProduction: a sentence about deploying or
// rolling back that names no environment is about production, not the
// first deploy or rollback in the plan; one that names an environment
// keeps to it.
func TestUnnamedEnvironmentMeansProduction(t *testing.T) {
	res, err := Generate(Request{Brief: "- release every sprint (2 weeks)\n- PO signs off the demo\n- ops deploys on Thursday evening\n- if anything breaks we roll back and open a ticket\n- a 5% canary first; if the canary degrades we roll back the canary", Types: ReleaseTypes})
	if err != nil {
		t.Fatal(err)
	}
	s := res.SOP
	for id, want := range map[string]string{
		"deploy-production":    "Ops deploys on Thursday evening",
		"roll-back-production": "If anything breaks we roll back",
		"roll-back-canary":     "If the canary degrades we roll back the canary",
	} {
		if st := s.Step(id); st == nil || !strings.Contains(st.Description, want) {
			t.Errorf("%s does not carry %q: %+v", id, want, st)
		}
	}
	if names := stepNames(s); strings.Contains(names, "Thursday") || strings.Contains(names, "anything breaks") {
		t.Errorf("a sentence became a step: %s", names)
	}
}
