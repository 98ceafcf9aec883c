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
