package edit

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/syntax"
	"github.com/relsop/relsop/internal/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Comments added to every template, in the places a user would write
// them, to check that edits keep them.
var addedComments = []struct{ before, after string }{
	{"\nroles:\n", "\nroles:  # one swimlane each\n"},
	{"\n  - id: end\n", "\n  # The end step closes the release ticket.\n  - id: end\n"},
}

// keptComments must be in every edited file.
var keptComments = []string{
	"# yaml-language-server: $schema=./sop.schema.json\n",
	"\nroles:  # one swimlane each\n",
	"\n  # The end step closes the release ticket.\n  - id: end\n",
}

// source returns a copy of a built-in template with comments added.
func source(t testing.TB, name string) []byte {
	t.Helper()
	tp, ok := templates.Get(name)
	if !ok {
		t.Fatalf("no template %q", name)
	}
	src := string(tp.Source)
	for _, c := range addedComments {
		if !strings.Contains(src, c.before) {
			t.Fatalf("template %s has no %q", name, c.before)
		}
		src = strings.Replace(src, c.before, c.after, 1)
	}
	return []byte(src)
}

func load(t *testing.T, src []byte) *relsop.SOP {
	t.Helper()
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		t.Fatalf("the file does not load: %v\n%s", res.Errors, src)
	}
	return res.SOP
}

func step(t *testing.T, s *relsop.SOP, id string) *relsop.Step {
	t.Helper()
	st := s.Step(id)
	if st == nil {
		t.Fatalf("no step %q", id)
	}
	return st
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func resolved(t *testing.T, s *relsop.SOP, typ string) *relsop.SOP {
	t.Helper()
	r, err := s.Resolve(typ)
	if err != nil {
		t.Fatalf("Resolve(%q): %v", typ, err)
	}
	return r
}

func outcome(st *relsop.Step, label string) string {
	if o := st.Outcome(label); o != nil {
		return o.To
	}
	return ""
}

// TestTemplatesCanonical checks what the package relies on: printing an
// unedited template, comments and all, gives back the same bytes, so an
// edit changes only what it touches.
func TestTemplatesCanonical(t *testing.T) {
	for _, name := range templates.Names() {
		src := source(t, name)
		tree, err := syntax.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := format.Format(tree); !bytes.Equal(got, src) {
			t.Errorf("%s: format changes the template", name)
		}
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		tpl, instruction string
		check            func(t *testing.T, before, after *relsop.SOP)
	}{
		// add a step
		{"saas-weekly", "add a security review after run unit tests owned by the security engineer", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "security-review")
			eq(t, "name, kind, owner, phase", []string{st.Name, string(st.Kind), st.Owner, st.Phase}, []string{"Security review", "task", "security-engineer", "build"})
			eq(t, "run-unit-tests next", step(t, a, "run-unit-tests").Next, []string{"security-review"})
			eq(t, "security-review next", st.Next, []string{"scan-vulnerabilities"})
		}},
		{"saas-weekly", "insert a smoke test step before deploy to production", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "smoke-test")
			eq(t, "smoke-test next", st.Next, []string{"deploy-production"})
			eq(t, "canary analysis proceeds to", outcome(step(t, a, "canary-analysis"), "proceed"), "smoke-test")
			eq(t, "owner and phase", []string{st.Owner, st.Phase}, []string{"sre", "deploy"})
		}},
		{"saas-weekly", "add a step 'Notify support' in the post-release phase", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "notify-support")
			eq(t, "kind and phase", []string{string(st.Kind), st.Phase}, []string{"notify", "post-release"})
			eq(t, "review-metrics next", step(t, a, "review-metrics").Next, []string{"notify-support"})
			eq(t, "notify-support next", st.Next, []string{"end"})
		}},
		{"saas-weekly", "add a gate 'Security sign-off' before deploy canary", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "security-sign-off")
			eq(t, "kind", st.Kind, relsop.KindGate)
			eq(t, "go", outcome(st, "go"), "deploy-canary")
			eq(t, "approvers", st.Approvers, []string{"sre"})
			eq(t, "announce-window next", step(t, a, "announce-window").Next, []string{"security-sign-off"})
		}},
		{"saas-weekly", "add 'Rehearse the rollback' between watch canary and canary analysis owned by SRE", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "watch-canary next", step(t, a, "watch-canary").Next, []string{"rehearse-the-rollback"})
			eq(t, "new next", step(t, a, "rehearse-the-rollback").Next, []string{"canary-analysis"})
		}},
		{"saas-weekly", "add a step 'Run database migration checks' right after build artefacts", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "run-database-migration-checks")
			eq(t, "kind and owner", []string{string(st.Kind), st.Owner}, []string{"automated", "ci"})
			eq(t, "next", st.Next, []string{"run-unit-tests"})
		}},
		{"devops-cicd", "add a release freeze check before production approval owned by the release manager", func(t *testing.T, b, a *relsop.SOP) {
			st := step(t, a, "release-freeze-check")
			eq(t, "next", st.Next, []string{"production-approval"})
			eq(t, "qa approved leads to", outcome(step(t, a, "qa-approval"), "approved"), "release-freeze-check")
			eq(t, "wait-for-window next", step(t, a, "wait-for-window").Next, []string{"release-freeze-check"})
		}},
		// remove a step
		{"saas-weekly", "remove the confirm scope step", func(t *testing.T, b, a *relsop.SOP) {
			if a.Step("confirm-scope") != nil {
				t.Error("confirm-scope is still there")
			}
			eq(t, "start next", step(t, a, "start").Next, []string{"agree-readiness"})
			if slices.Contains(a.ReleaseType("emergency").Remove, "confirm-scope") {
				t.Error("the emergency release type still removes confirm-scope")
			}
		}},
		{"saas-weekly", "delete fix build", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "run-unit-tests on failure", step(t, a, "run-unit-tests").OnFailure, "build-artefacts")
			eq(t, "build-artefacts on failure", step(t, a, "build-artefacts").OnFailure, "")
		}},
		{"saas-weekly", "drop the QA sign-off", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "verify-features next", step(t, a, "verify-features").Next, []string{"security-approval"})
			r := resolved(t, a, "emergency")
			if r.Step("qa-signoff") != nil {
				t.Error("qa-signoff in the emergency flow")
			}
		}},
		{"enterprise-cab", "skip the back-out rehearsal", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "run-uat next", step(t, a, "run-uat").Next, []string{"test-signoff"})
		}},
		// rename
		{"devops-cicd", "rename 'Deploy to production with a blue-green switch' to 'Blue-green deploy'", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "name", step(t, a, "deploy-production").Name, "Blue-green deploy")
			eq(t, "flows", a.Flows(), b.Flows())
		}},
		{"saas-weekly", "rename the deploy phase to Rollout", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "phase name", a.Phase("deploy").Name, "Rollout")
		}},
		{"saas-weekly", "rename role sre to 'On-call SRE'", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "role name", a.Role("sre").Name, "On-call SRE")
		}},
		{"saas-weekly", "call canary analysis 'Canary verdict'", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "name", step(t, a, "canary-analysis").Name, "Canary verdict")
		}},
		// move to a phase
		{"saas-weekly", "move smoke tests to the deploy phase", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "phase", step(t, a, "run-smoke-tests").Phase, "deploy")
		}},
		{"regulated-healthcare", "move verify production into post-release", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "phase", step(t, a, "verify-production").Phase, "post-release")
		}},
		// owner
		{"devops-cicd", "make the QA lead own exploratory testing", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "explore-staging").Owner, "qa-lead")
			eq(t, "new role", a.Role("qa-lead").Name, "QA Lead")
		}},
		{"saas-weekly", "reassign canary analysis to the release manager", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "canary-analysis").Owner, "release-manager")
		}},
		{"saas-weekly", "hand over deploy to production to the release manager", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "deploy-production").Owner, "release-manager")
		}},
		{"enterprise-cab", "the service desk should own verify services", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "verify-services").Owner, "service-desk")
		}},
		// gates
		{"enterprise-cab", "add the CISO as an approver of the CAB approval", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "approvers", step(t, a, "cab-approval").Approvers, []string{"cab", "change-manager", "ciso"})
			eq(t, "new role", a.Role("ciso").Name, "CISO")
		}},
		{"regulated-healthcare", "make the head of quality an approver of the V&V review", func(t *testing.T, b, a *relsop.SOP) {
			if !slices.Contains(step(t, a, "vv-review").Approvers, "head-of-quality") {
				t.Error("head-of-quality does not approve vv-review")
			}
		}},
		{"saas-weekly", "remove the SRE as approver of go/no-go", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "approvers", step(t, a, "go-no-go").Approvers, []string{"release-manager", "product-manager"})
		}},
		{"saas-weekly", "add criterion 'no open sev-1 bugs' to go/no-go", func(t *testing.T, b, a *relsop.SOP) {
			c := step(t, a, "go-no-go").Criteria
			eq(t, "last criterion", c[len(c)-1], "no open sev-1 bugs")
			eq(t, "criteria", len(c), len(step(t, b, "go-no-go").Criteria)+1)
		}},
		{"devops-cicd", "add load test results reviewed as a criterion to QA approval", func(t *testing.T, b, a *relsop.SOP) {
			c := step(t, a, "qa-approval").Criteria
			eq(t, "last criterion", c[len(c)-1], "Load test results reviewed")
		}},
		{"saas-weekly", "escalate go/no-go to the VP engineering after 4 hours", func(t *testing.T, b, a *relsop.SOP) {
			e := step(t, a, "go-no-go").Escalation
			eq(t, "escalation", []string{e.Role, e.After.Text}, []string{"vp-engineering", "4h"})
			eq(t, "new role", a.Role("vp-engineering").Name, "VP Engineering")
		}},
		{"enterprise-cab", "escalate RFC acceptance to the change manager", func(t *testing.T, b, a *relsop.SOP) {
			e := step(t, a, "rfc-acceptance").Escalation
			eq(t, "escalation", []string{e.Role, e.After.Text}, []string{"change-manager", "2d"})
		}},
		// failure paths
		{"saas-weekly", "add a rollback from watch canary to roll back production", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "on failure", step(t, a, "watch-canary").OnFailure, "roll-back-production")
		}},
		{"saas-weekly", "if run regression fails, go to fix build", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "on failure", step(t, a, "run-regression").OnFailure, "fix-build")
		}},
		// release types
		{"saas-weekly", "make a hotfix variant that skips canary analysis but needs the incident commander", func(t *testing.T, b, a *relsop.SOP) {
			rt := a.ReleaseType("hotfix")
			if rt == nil || !rt.Emergency {
				t.Fatalf("no emergency release type hotfix: %+v", rt)
			}
			r := resolved(t, a, "hotfix")
			if r.Step("canary-analysis") != nil {
				t.Error("canary-analysis in the hotfix flow")
			}
			eq(t, "watch-canary next", step(t, r, "watch-canary").Next, []string{"incident-commander-approval"})
			g := step(t, r, "incident-commander-approval")
			eq(t, "gate", []string{string(g.Kind), g.Owner, outcome(g, "go")}, []string{"gate", "incident-commander", "deploy-production"})
		}},
		{"enterprise-cab", "make an emergency variant that skips the CAB but needs the incident commander", func(t *testing.T, b, a *relsop.SOP) {
			r := resolved(t, a, "emergency")
			eq(t, "ecab approved leads to", outcome(step(t, r, "ecab-approval"), "approved"), "incident-commander-approval")
			eq(t, "then", outcome(step(t, r, "incident-commander-approval"), "go"), "notify-users")
		}},
		{"saas-weekly", "create a quick release type that skips verify features and agree readiness, but needs the CISO", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "removes", a.ReleaseType("quick").Remove, []string{"verify-features", "agree-readiness"})
			r := resolved(t, a, "quick")
			eq(t, "go/no-go approvers", step(t, r, "go-no-go").Approvers, []string{"release-manager", "product-manager", "sre", "ciso"})
		}},
		// environments
		{"saas-weekly", "put production before canary", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "order", envIDs(a), []string{"staging", "production", "canary"})
		}},
		{"devops-cicd", "put staging before production", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "order", envIDs(a), []string{"dev", "staging", "production"})
		}},
		{"enterprise-cab", "move the pre-production environment after production", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "order", envIDs(a), []string{"test", "production", "pre-production"})
		}},
		{"saas-weekly", "reorder environments: staging then production then canary", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "order", envIDs(a), []string{"staging", "production", "canary"})
		}},
		// new steps and the release types that skip the steps around them
		{"saas-weekly", "add a step 'Check the freeze calendar' after defer release", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "defer-release next", step(t, a, "defer-release").Next, []string{"check-the-freeze-calendar"})
			// The emergency fix skips the deferral and leads from its
			// go/no-go elsewhere: the new step would be unreachable there.
			eq(t, "emergency removes", a.ReleaseType("emergency").Remove[len(b.ReleaseType("emergency").Remove):], []string{"check-the-freeze-calendar"})
			if resolved(t, a, "emergency").Step("check-the-freeze-calendar") != nil {
				t.Error("the new step is in the emergency flow")
			}
			if resolved(t, a, "minor").Step("check-the-freeze-calendar") == nil {
				t.Error("the new step is not in the minor flow")
			}
		}},
		{"enterprise-cab", "add a step 'Book the CAB room' before submit to cab", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "new next", step(t, a, "book-the-cab-room").Next, []string{"submit-to-cab"})
			if !slices.Contains(a.ReleaseType("emergency").Remove, "book-the-cab-room") {
				t.Error("the emergency change, which skips the CAB, does not skip the new step")
			}
			// The minor change skips submit-to-cab too, but its flow
			// still runs through the new step.
			if slices.Contains(a.ReleaseType("minor").Remove, "book-the-cab-room") {
				t.Error("the minor change skips the new step")
			}
			eq(t, "minor: new step leads to", step(t, resolved(t, a, "minor"), "book-the-cab-room").Next, []string{"cab-approval"})
		}},
		{"saas-weekly", "add a security review after confirm scope", func(t *testing.T, b, a *relsop.SOP) {
			// The emergency fix skips confirm-scope; its rerouting runs
			// through the new step, which it keeps.
			r := resolved(t, a, "emergency")
			eq(t, "emergency start next", step(t, r, "start").Next, []string{"security-review"})
			eq(t, "emergency removes", a.ReleaseType("emergency").Remove, b.ReleaseType("emergency").Remove)
		}},
		{"saas-weekly", "add a gate 'Scope review' after confirm scope", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "no-go", outcome(step(t, a, "scope-review"), "no-go"), "confirm-scope")
			// Its no-go leads back to a step the emergency fix skips.
			if resolved(t, a, "emergency").Step("scope-review") != nil {
				t.Error("the new gate is in the emergency flow")
			}
		}},
		{"devops-cicd", "add a step 'Check the change calendar' before wait for window", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "defer leads to", outcome(step(t, a, "production-approval"), "defer"), "check-the-change-calendar")
			if resolved(t, a, "emergency").Step("check-the-change-calendar") != nil {
				t.Error("the new step is in the emergency flow")
			}
		}},
		// move within the flow
		{"saas-weekly", "move scan vulnerabilities before run unit tests", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "build-artefacts next", step(t, a, "build-artefacts").Next, []string{"scan-vulnerabilities"})
			eq(t, "scan-vulnerabilities next", step(t, a, "scan-vulnerabilities").Next, []string{"run-unit-tests"})
			eq(t, "run-unit-tests next", step(t, a, "run-unit-tests").Next, []string{"deploy-staging"})
			eq(t, "failure path kept", step(t, a, "scan-vulnerabilities").OnFailure, step(t, b, "scan-vulnerabilities").OnFailure)
		}},
		{"saas-weekly", "move qa sign-off after security approval", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "verify-features next", step(t, a, "verify-features").Next, []string{"security-approval"})
			eq(t, "security approved leads to", successorOf(step(t, a, "security-approval")), "qa-signoff")
			eq(t, "qa approved leads to", successorOf(step(t, a, "qa-signoff")), "go-no-go")
			eq(t, "qa no-go kept", outcome(step(t, a, "qa-signoff"), "rejected"), outcome(step(t, b, "qa-signoff"), "rejected"))
		}},
		{"saas-weekly", "move verify features to right after run unit tests", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "run-unit-tests next", step(t, a, "run-unit-tests").Next, []string{"verify-features"})
			eq(t, "phase follows", step(t, a, "verify-features").Phase, "build")
			eq(t, "run-regression next", step(t, a, "run-regression").Next, []string{"qa-signoff"})
		}},
		{"saas-weekly", "shift collect feedback before publish release notes", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "collect-feedback next", step(t, a, "collect-feedback").Next, []string{"publish-release-notes"})
			eq(t, "publish-release-notes next", step(t, a, "publish-release-notes").Next, []string{"review-metrics"})
		}},
		{"saas-weekly", "move security approval after qa sign-off", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "flows unchanged", a.Flows(), b.Flows())
		}},
		// several edits at once
		{"saas-weekly", "rename build artefacts to Compile; remove run smoke tests", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "name", step(t, a, "build-artefacts").Name, "Compile")
			if a.Step("run-smoke-tests") != nil {
				t.Error("run-smoke-tests is still there")
			}
		}},
		{"saas-weekly", "add a step 'Notify support' after publish release notes and then make the customer support lead own notify support", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "notify-support").Owner, "support-lead")
			eq(t, "publish-release-notes next", step(t, a, "publish-release-notes").Next, []string{"notify-support"})
		}},
		{"saas-weekly", "make a quick variant that skips verify features and agree readiness, then escalate go/no-go to the release manager after 2 hours", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "removes", a.ReleaseType("quick").Remove, []string{"verify-features", "agree-readiness"})
			eq(t, "escalation", step(t, a, "go-no-go").Escalation.After.Text, "2h")
		}},
		{"saas-weekly", "if run regression fails, then go to fix build", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "on failure", step(t, a, "run-regression").OnFailure, "fix-build")
		}},
		// roles: a new one when the name is clearly new
		{"saas-weekly", "add a step 'Review data protection' after run unit tests owned by the Data Protection Officer", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "review-data-protection").Owner, "data-protection-officer")
			eq(t, "new role", a.Role("data-protection-officer").Name, "Data Protection Officer")
		}},
		{"saas-weekly", "make 'Relase Manager' own canary analysis", func(t *testing.T, b, a *relsop.SOP) {
			eq(t, "owner", step(t, a, "canary-analysis").Owner, "relase-manager")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.tpl+"/"+tt.instruction, func(t *testing.T) {
			src := source(t, tt.tpl)
			res, err := Apply(tt.tpl+".sop.yaml", src, tt.instruction)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if len(res.Summary) == 0 {
				t.Error("no summary")
			}
			for _, c := range keptComments {
				if !strings.Contains(string(res.Source), c) {
					t.Errorf("comment %q lost", c)
				}
			}
			after := load(t, res.Source)
			noFlowErrors(t, after)
			tt.check(t, load(t, src), after)
			if t.Failed() {
				t.Logf("summary: %q", res.Summary)
			}
		})
	}
}

// noFlowErrors checks that the base flow and every release type's
// variant have no error-level lint findings but the criteria of a new gate.
func noFlowErrors(t *testing.T, s *relsop.SOP) {
	t.Helper()
	for _, rt := range s.ReleaseTypes {
		resolved(t, s, rt.ID)
	}
	for _, f := range lint.Run(s, lint.Config{}) {
		if f.Severity == relsop.SeverityError && f.Code != "gate-criteria" {
			t.Errorf("lint error: %s: %s", f.Code, f.Message)
		}
	}
}

func successorOf(st *relsop.Step) string {
	if len(st.Next) > 0 {
		return st.Next[0]
	}
	for _, o := range st.Outcomes {
		if relsop.MeaningOf(o.Label) == relsop.OutcomeGo {
			return o.To
		}
	}
	return ""
}

func envIDs(s *relsop.SOP) []string {
	var out []string
	for _, e := range s.Environments {
		out = append(out, e.ID)
	}
	return out
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		tpl, instruction string
		check            func(t *testing.T, err error)
	}{
		{"devops-cicd", "remove the deploy step", ambiguousAmong("deploy-dev", "deploy-staging", "deploy-production")},
		{"saas-weekly", "add a security review after run tests owned by the security engineer", ambiguousAmong("run-unit-tests", "run-smoke-tests")},
		{"saas-weekly", "reassign roll back to the SRE", ambiguousAmong("roll-back-canary", "roll-back-production")},
		{"saas-weekly", "remove deplyo canary", unknownWith("step", "deploy-canary")},
		{"saas-weekly", "move smoke tests to the deplyo phase", unknownWith("phase", "deploy")},
		{"saas-weekly", "move smoke tests to the launch phase", unknownWith("phase")},
		{"saas-weekly", "add the SRE as approver of the go live gate", unknownWith("step")},
		{"saas-weekly", "remove the start step", errorSaying("start step and cannot be removed")},
		{"enterprise-cab", "delete the end step", errorSaying("end step and cannot be removed")},
		{"saas-weekly", "add criterion 'scope agreed' to confirm scope", errorSaying("not a gate")},
		{"saas-weekly", "escalate go/no-go to the SRE after a while", errorSaying("not a duration")},
		{"saas-weekly", "add a step 'Tidy up' after the end step", errorSaying("end step")},
		{"saas-weekly", "add a step 'Notify support'", errorSaying("say where")},
		{"saas-weekly", "add a step 'Deploy a hotfix' after watch canary", errorSaying("names its environment")},
		{"saas-weekly", "add a rollback from deploy canary to deploy canary", errorSaying("its own rollback path")},
		{"saas-weekly", "fly me to the moon", isUnsupported},
		{"saas-weekly", "   ", isUnsupported},
		{"saas-weekly", "make a hotfix variant that dances the tango", isUnsupported},
		{"saas-weekly", "rename go/no-go", isUnsupported},
		// edits that would break a release type's flow, or the base flow
		{"saas-weekly", "put canary before staging", flowError("prod-after-validation", "the base flow")},
		{"saas-weekly", "reorder environments: canary, staging, production", flowError("prod-after-validation", "the base flow")},
		{"saas-weekly", "move run smoke tests after deploy canary", flowError("unreachable", `release type "emergency"`)},
		{"saas-weekly", "remove the SRE as approver of go/no-go; remove the release manager as approver of go/no-go; remove the product manager as approver of go/no-go", flowError("gate-approver", "the base flow")},
		// impossible moves
		{"saas-weekly", "move start after cut branch", errorSaying("start step and cannot move")},
		{"saas-weekly", "move the end step before monitor release", errorSaying("end step and cannot move")},
		{"saas-weekly", "move canary analysis after canary analysis", errorSaying("cannot move after itself")},
		{"saas-weekly", "move deploy canary after the end step", errorSaying("nothing can follow it")},
		{"saas-weekly", "move deploy canary before the start step", errorSaying("nothing comes before it")},
		{"devops-cicd", "move the deploy step after build image", ambiguousAmong("deploy-dev", "deploy-staging", "deploy-production")},
		{"saas-weekly", "move deplyo canary after watch canary", unknownWith("step", "deploy-canary")},
		{"saas-weekly", "move deploy canary after teh wacth canray", unknownWith("step")},
		// misspelt roles, steps and phases
		{"saas-weekly", "add a step 'Check licences' after run unit tests owned by the Relase Manager", unknownWith("role", "release-manager")},
		{"saas-weekly", "make the relese manger own canary analysis", unknownWith("role", "release-manager")},
		{"saas-weekly", "escalate go/no-go to the Enginering Lead after 2 hours", unknownWith("role", "engineering-lead")},
		{"saas-weekly", "remove the confirm scoep step", unknownWith("step", "confirm-scope")},
		{"saas-weekly", "add a step 'Tidy up' in the post-relase phase", unknownWith("phase", "post-release")},
		// several edits: all or none
		{"saas-weekly", "rename build artefacts to Compile; remove deplyo canary", clauseError(2, 2, unknownWith("step", "deploy-canary"))},
		{"saas-weekly", "remove the confirm scope step then rename go/no-go", clauseError(2, 2, isUnsupported)},
		{"saas-weekly", "remove agree readiness and then remove the start step", clauseError(2, 2, errorSaying("start step and cannot be removed"))},
	}
	for _, tt := range tests {
		t.Run(tt.tpl+"/"+tt.instruction, func(t *testing.T) {
			res, err := Apply(tt.tpl+".sop.yaml", source(t, tt.tpl), tt.instruction)
			if err == nil {
				t.Fatalf("no error; summary %q", res.Summary)
			}
			tt.check(t, err)
		})
	}
}

func ambiguousAmong(ids ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var amb *AmbiguousError
		if !errors.As(err, &amb) {
			t.Fatalf("got %T %v, want an AmbiguousError", err, err)
		}
		eq(t, "candidates", amb.Candidates, ids)
		for _, id := range ids {
			if !strings.Contains(err.Error(), id+" (") {
				t.Errorf("message %q does not list %s with its name", err, id)
			}
		}
	}
}

func unknownWith(kind string, suggestions ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var unk *UnknownError
		if !errors.As(err, &unk) {
			t.Fatalf("got %T %v, want an UnknownError", err, err)
		}
		eq(t, "kind", unk.Kind, kind)
		for _, s := range suggestions {
			if !slices.Contains(unk.Suggestions, s) {
				t.Errorf("suggestions %q lack %q", unk.Suggestions, s)
			}
		}
		if len(suggestions) > 0 && !strings.Contains(err.Error(), "did you mean") {
			t.Errorf("message %q has no did-you-mean", err)
		}
	}
}

func errorSaying(text string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		if !strings.Contains(err.Error(), text) {
			t.Errorf("error %q does not say %q", err, text)
		}
		var unk *UnknownError
		var amb *AmbiguousError
		var uns *UnsupportedError
		if errors.As(err, &unk) || errors.As(err, &amb) || errors.As(err, &uns) {
			t.Errorf("got %T, want a plain error", err)
		}
	}
}

func flowError(rule, flow string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var fe *FlowError
		if !errors.As(err, &fe) {
			t.Fatalf("got %T %v, want a FlowError", err, err)
		}
		if !slices.Contains(fe.Flows, flow) {
			t.Errorf("flows %q lack %s", fe.Flows, flow)
		}
		if !slices.ContainsFunc(fe.Problems, func(p string) bool { return strings.HasPrefix(p, rule+": ") }) {
			t.Errorf("problems %q lack rule %s", fe.Problems, rule)
		}
		if !strings.Contains(err.Error(), "was not made") {
			t.Errorf("message %q does not say the edit was not made", err)
		}
	}
}

// clauseError checks the error of an instruction of several edits: which
// one failed, that none was made, and the failed edit's own error.
func clauseError(n, of int, inner func(*testing.T, error)) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ce *ClauseError
		if !errors.As(err, &ce) {
			t.Fatalf("got %T %v, want a ClauseError", err, err)
		}
		eq(t, "failed edit", [2]int{ce.N, ce.Of}, [2]int{n, of})
		if !strings.Contains(err.Error(), "none of the") {
			t.Errorf("message %q does not say nothing was made", err)
		}
		inner(t, ce.Err)
	}
}

func isUnsupported(t *testing.T, err error) {
	var uns *UnsupportedError
	if !errors.As(err, &uns) {
		t.Fatalf("got %T %v, want an UnsupportedError", err, err)
	}
	if len(uns.Examples) == 0 || !strings.Contains(err.Error(), uns.Examples[0]) {
		t.Errorf("message %q lists no examples", err)
	}
}

// TestExamples checks that every example the UnsupportedError offers
// works on some template.
func TestExamples(t *testing.T) {
	for _, ex := range append(slices.Clone(Examples), variantExamples...) {
		ok := false
		var errs []string
		for _, name := range templates.Names() {
			if _, err := Apply(name, source(t, name), ex); err == nil {
				ok = true
				break
			} else {
				errs = append(errs, name+": "+err.Error())
			}
		}
		if !ok {
			t.Errorf("example %q works on no template:\n%s", ex, strings.Join(errs, "\n"))
		}
	}
}

// TestBrokenInput checks that a file that does not load is refused with
// its errors.
func TestBrokenInput(t *testing.T) {
	src := []byte("id: x\ntitle: X\nroles: [{id: a, name: A}]\nsteps:\n  - id: s\n    name: S\n    owner: nobody\n")
	_, err := Apply("broken.sop.yaml", src, "rename s to T")
	if err == nil || !strings.Contains(err.Error(), "broken.sop.yaml does not load") || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("got %v", err)
	}
}

// TestNonCanonical checks that a file not in the canonical layout comes
// back formatted as relsop fmt writes it.
func TestNonCanonical(t *testing.T) {
	src := []byte(`id: tiny
title: Tiny
roles:
- {id: dev, name: Developer}   # the only role
steps:
- id: start
  kind: start
  name: Start
  owner: dev
  next: work
- {id: work, name: Do the work, owner: dev, next: end}
- {id: end, name: End, kind: end, owner: dev}
`)
	res, err := Apply("tiny.sop.yaml", src, "rename do the work to 'Write the code'")
	if err != nil {
		t.Fatal(err)
	}
	tree, perr := syntax.Parse(res.Source)
	if perr != nil {
		t.Fatal(perr)
	}
	if got := format.Format(tree); !bytes.Equal(got, res.Source) {
		t.Errorf("result is not canonical:\n%s", res.Source)
	}
	if !strings.Contains(string(res.Source), "# the only role") || !strings.Contains(string(res.Source), "name: Write the code") {
		t.Errorf("result:\n%s", res.Source)
	}
}

// TestGolden compares whole edited files with testdata; go test -update
// rewrites them.
func TestGolden(t *testing.T) {
	tests := []struct{ name, tpl, instruction string }{
		{"add-step", "saas-weekly", "add a security review after run unit tests owned by the security engineer"},
		{"variant", "enterprise-cab", "make a hotfix variant that skips the CAB but needs the incident commander"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Apply(tt.tpl, source(t, tt.tpl), tt.instruction)
			if err != nil {
				t.Fatal(err)
			}
			got := "# " + tt.instruction + "\n# " + strings.Join(res.Summary, "\n# ") + "\n" + string(res.Source)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("%s (-want +got):\n%s", path, d)
			}
		})
	}
}
