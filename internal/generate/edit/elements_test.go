package edit

import (
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
)

func TestRolePhaseAndEnvironmentOps(t *testing.T) {
	src := loadExample(t)
	t.Run("add a phase after one", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_phase", After: "test", Phase: &NewPhase{Name: "Harden", Description: " Soak the candidate. "}})
		if got, want := phaseIDs(s), []string{"plan", "test", "harden", "approve", "deploy", "post-release"}; !slices.Equal(got, want) {
			t.Errorf("phases %v, want %v", got, want)
		}
		if p := s.Phase("harden"); p.Name != "Harden" || p.Description != "Soak the candidate." {
			t.Errorf("the new phase is %+v", p)
		}
	})
	t.Run("add a phase before the first, with an id", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_phase", Before: "plan", Phase: &NewPhase{ID: "intake", Name: "Intake"}})
		if got := phaseIDs(s); got[0] != "intake" || len(got) != 6 {
			t.Errorf("phases %v, want intake first", got)
		}
	})
	t.Run("add a phase at the end, its id made unique", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_phase", Phase: &NewPhase{Name: "Plan"}})
		if got := phaseIDs(s); got[len(got)-1] != "plan-2" {
			t.Errorf("phases %v, want plan-2 last", got)
		}
	})
	t.Run("a new phase holds a step moved into it", func(t *testing.T) {
		s := applied(t, src,
			Op{Op: "add_phase", After: "approve", Phase: &NewPhase{ID: "schedule", Name: "Schedule"}},
			Op{Op: "set", Kind: "step", ID: "go-no-go", Field: "phase", Value: "schedule"})
		if got := s.Step("go-no-go").Phase; got != "schedule" {
			t.Errorf("go-no-go is in %q", got)
		}
	})
	t.Run("add a production environment before production", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_environment", Before: "production", Environment: &NewEnvironment{Name: "Canary", Production: true}})
		if got, want := environmentIDs(s), []string{"staging", "canary", "production"}; !slices.Equal(got, want) {
			t.Errorf("environments %v, want %v", got, want)
		}
		if e := s.Environment("canary"); !e.Production || e.Name != "Canary" {
			t.Errorf("the new environment is %+v", e)
		}
	})
	t.Run("remove an unused phase and environment", func(t *testing.T) {
		s := applied(t, src,
			Op{Op: "add_phase", Phase: &NewPhase{ID: "extra", Name: "Extra"}},
			Op{Op: "remove_phase", ID: "extra"},
			Op{Op: "add_environment", After: "staging", Environment: &NewEnvironment{ID: "qa", Name: "QA"}},
			Op{Op: "remove_environment", ID: "qa"})
		if got := phaseIDs(s); slices.Contains(got, "extra") || len(got) != 5 {
			t.Errorf("phases %v", got)
		}
		if got := environmentIDs(s); !slices.Equal(got, []string{"staging", "production"}) {
			t.Errorf("environments %v, want [staging production]", got)
		}
	})
	t.Run("add a role before another, remove an unused one", func(t *testing.T) {
		s := applied(t, src,
			Op{Op: "add_role", Before: "developer", Role: &NewRole{Name: "Auditor"}},
			Op{Op: "add_role", Role: &NewRole{ID: "spare", Name: "Spare"}},
			Op{Op: "remove_role", ID: "spare"})
		var ids []string
		for _, r := range s.Roles {
			ids = append(ids, r.ID)
		}
		if want := []string{"release-manager", "auditor", "developer", "qa", "ci", "sre"}; !slices.Equal(ids, want) {
			t.Errorf("roles %v, want %v", ids, want)
		}
	})
	t.Run("move roles, phases and environments", func(t *testing.T) {
		s := applied(t, src,
			Op{Op: "move_role", ID: "sre", Before: "release-manager"},
			Op{Op: "move_role", ID: "developer", After: "ci"},
			Op{Op: "move_phase", ID: "plan", After: "post-release"},
			Op{Op: "move_environment", ID: "staging", After: "production"},
			Op{Op: "move_phase", ID: "test", After: "approve"})
		if got, want := roleIDs(s), []string{"sre", "release-manager", "qa", "ci", "developer"}; !slices.Equal(got, want) {
			t.Errorf("roles %v, want %v", got, want)
		}
		if got, want := phaseIDs(s), []string{"approve", "test", "deploy", "post-release", "plan"}; !slices.Equal(got, want) {
			t.Errorf("phases %v, want %v", got, want)
		}
		if got, want := environmentIDs(s), []string{"production", "staging"}; !slices.Equal(got, want) {
			t.Errorf("environments %v, want %v", got, want)
		}
	})
	t.Run("a move to where it is changes nothing", func(t *testing.T) {
		res, err := ApplyOps(src, []Op{{Op: "move_phase", ID: "test", After: "plan"}})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Source) != string(src) {
			t.Error("the source changed")
		}
	})
	t.Run("set and clear an environment's production flag", func(t *testing.T) {
		for _, v := range []any{true, "true", " TRUE "} {
			if s := applied(t, src, Op{Op: "set", Kind: "environment", ID: "staging", Field: "production", Value: v}); !s.Environment("staging").Production {
				t.Errorf("production set to %#v: staging is not production", v)
			}
		}
		for _, v := range []any{false, "false", "", nil} {
			res, err := ApplyOps(src, []Op{{Op: "set", Kind: "environment", ID: "production", Field: "production", Value: v}})
			if err != nil {
				t.Fatalf("production set to %#v: %v", v, err)
			}
			if compile.Load(res.Source).SOP.Environment("production").Production {
				t.Errorf("production set to %#v: production is still production", v)
			}
			if strings.Contains(string(res.Source), "production: false") {
				t.Errorf("production set to %#v wrote the flag as false instead of leaving it out", v)
			}
		}
	})
	t.Run("keeps comments", func(t *testing.T) {
		withComment := strings.Replace(string(src), "  - id: approve\n", "  # CAB meets on Thursdays.\n  - id: approve\n", 1)
		res, err := ApplyOps([]byte(withComment), []Op{{Op: "add_phase", After: "test", Phase: &NewPhase{Name: "Harden"}}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(res.Source), "# CAB meets on Thursdays.") {
			t.Error("a comment between the phases was lost")
		}
	})
}

func TestRolePhaseAndEnvironmentOpErrors(t *testing.T) {
	src := loadExample(t)
	tests := []struct {
		name string
		op   Op
		want string
	}{
		{"phase without name", Op{Op: "add_phase", Phase: &NewPhase{ID: "x"}}, "phase with a name"},
		{"no phase", Op{Op: "add_phase"}, "phase with a name"},
		{"phase id taken", Op{Op: "add_phase", Phase: &NewPhase{ID: "test", Name: "Test again"}}, `a phase with the id "test" already exists`},
		{"bad phase id", Op{Op: "add_phase", Phase: &NewPhase{ID: "Not An Id", Name: "x"}}, "does not load"},
		{"after unknown", Op{Op: "add_phase", After: "nope", Phase: &NewPhase{Name: "x"}}, `after: no phase has the id "nope"`},
		{"before unknown", Op{Op: "add_environment", Before: "nope", Environment: &NewEnvironment{Name: "x"}}, `before: no environment has the id "nope"`},
		{"after and before", Op{Op: "add_phase", After: "plan", Before: "test", Phase: &NewPhase{Name: "x"}}, "not both"},
		{"environment without name", Op{Op: "add_environment", Environment: &NewEnvironment{}}, "environment with a name"},
		{"remove a phase in use", Op{Op: "remove_phase", ID: "deploy"}, `the phase "deploy" is still the phase of the step(s) "deploy-prod"`},
		{"remove an environment in use", Op{Op: "remove_environment", ID: "production"}, `is still the environment of the step(s)`},
		{"remove a missing phase", Op{Op: "remove_phase", ID: "nope"}, `no phase has the id "nope"`},
		{"remove a role that owns steps", Op{Op: "remove_role", ID: "ci"}, `the role "ci" is still the owner of the step(s)`},
		{"remove a role still an approver", Op{Op: "remove_role", ID: "qa"}, `approvers of step "go-no-go" is "qa", which is not a defined role`},
		{"add a role after a missing one", Op{Op: "add_role", After: "nope", Role: &NewRole{Name: "Auditor"}}, `after: no role has the id "nope"`},
		{"remove a missing environment", Op{Op: "remove_environment", ID: "nope"}, `no environment has the id "nope"`},
		{"move a missing role", Op{Op: "move_role", ID: "nope", After: "qa"}, `no role has the id "nope"`},
		{"move nowhere", Op{Op: "move_phase", ID: "test"}, "move_phase needs after or before"},
		{"move after itself", Op{Op: "move_environment", ID: "staging", After: "staging"}, "cannot go after or before itself"},
		{"move after a missing one", Op{Op: "move_phase", ID: "test", After: "nope"}, `after: no phase has the id "nope"`},
		{"move after and before", Op{Op: "move_role", ID: "qa", After: "ci", Before: "sre"}, "move_role takes after or before, not both"},
		{"production maybe", Op{Op: "set", Kind: "environment", ID: "staging", Field: "production", Value: "maybe"}, "production: the value must be true or false"},
		{"production as a list", Op{Op: "set", Kind: "environment", ID: "staging", Field: "production", Value: []any{"true"}}, "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ApplyOps(src, []Op{tt.op})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// A step's RACI is set one list at a time: raci.accountable,
// raci.consulted and raci.informed; the raci mapping comes and goes with
// its lists.
func TestSetRACI(t *testing.T) {
	src := loadExample(t)
	s := applied(t, src, Op{Op: "set", Kind: "step", ID: "announce", Field: "raci.consulted", Value: []any{"sre"}})
	if r := s.Step("announce").RACI; !slices.Equal(r.Consulted, []string{"sre"}) || !slices.Equal(r.Informed, []string{"developer", "qa"}) {
		t.Errorf("announce's RACI is %+v", r)
	}
	res, err := ApplyOps(src, []Op{{Op: "set", Kind: "step", ID: "announce", Field: "raci.informed", Value: nil}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Source), "raci:") {
		t.Errorf("an empty RACI stays in the file:\n%s", res.Source)
	}
	s = applied(t, src, Op{Op: "set", Kind: "step", ID: "freeze", Field: "raci.accountable", Value: []string{"release-manager"}})
	if r := s.Step("freeze").RACI; !slices.Equal(r.Accountable, []string{"release-manager"}) {
		t.Errorf("freeze's RACI is %+v", r)
	}
	_, err = ApplyOps(src, []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "raci.informed", Value: []string{"nobody"}}})
	if err == nil || !strings.Contains(err.Error(), `"nobody", which is not a defined role`) {
		t.Errorf("a RACI naming no role: %v", err)
	}
	_, err = ApplyOps(src, []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "raci.responsible", Value: []string{"qa"}}})
	if err == nil || !strings.Contains(err.Error(), `the field "raci.responsible" of a step cannot be set here`) {
		t.Errorf("a RACI field that is not there: %v", err)
	}
}

// A step's links are set as a whole list of {title, url}, as JSON gives
// them; a link without a title or URL is refused.
func TestSetLinks(t *testing.T) {
	src := loadExample(t)
	s := applied(t, src, Op{Op: "set", Kind: "step", ID: "freeze", Field: "links", Value: []any{
		map[string]any{"title": " Runbook ", "url": "https://runbooks.example.com/freeze"},
		map[string]any{"title": "Dashboard", "url": "https://grafana.example.com/d/release"},
	}})
	if got := s.Step("freeze").Links; len(got) != 2 || got[0].Title != "Runbook" || got[1].URL != "https://grafana.example.com/d/release" {
		t.Errorf("freeze's links are %+v", got)
	}
	res, err := ApplyOps(src, []Op{
		{Op: "set", Kind: "step", ID: "freeze", Field: "links", Value: []LinkValue{{Title: "Runbook", URL: "https://example.com"}}},
		{Op: "set", Kind: "step", ID: "freeze", Field: "links", Value: []any{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Source), "links:") {
		t.Errorf("an empty list of links stays in the file")
	}
	for _, bad := range []struct {
		value any
		want  string
	}{
		{[]any{map[string]any{"title": "Runbook"}}, "link 1 needs a title and a URL"},
		{[]any{"https://example.com"}, "a list of links is needed"},
		{"https://example.com", "a list of links is needed"},
	} {
		_, err := ApplyOps(src, []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "links", Value: bad.value}})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("links %#v: err = %v, want %q", bad.value, err, bad.want)
		}
	}
}

// The review and a step's exception are set a field at a time; bad values
// are refused with the loader's message.
func TestSetReviewAndException(t *testing.T) {
	src := loadExample(t)
	res, err := ApplyOps(src, []Op{
		{Op: "set", Kind: "sop", Field: "review.last_reviewed", Value: "2026-11-26"},
		{Op: "set", Kind: "sop", Field: "review.cadence", Value: "monthly"},
		{Op: "set", Kind: "step", ID: "deploy-prod", Field: "exception.reason", Value: "The CAB accepted a direct deploy."},
		{Op: "set", Kind: "step", ID: "deploy-prod", Field: "exception.approved_by", Value: "release-manager"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Source), "last_reviewed: 2026-11-26\n") {
		t.Errorf("the date is not written as a plain date:\n%s", res.Source)
	}
	s := compile.Load(res.Source).SOP
	if got := s.Review.LastReviewed.Format("2006-01-02"); got != "2026-11-26" || s.Review.Cadence.Text != "monthly" {
		t.Errorf("review: %s, %q", got, s.Review.Cadence.Text)
	}
	if e := s.Step("deploy-prod").Exception; e == nil || e.ApprovedBy != "release-manager" || e.Reason != "The CAB accepted a direct deploy." {
		t.Errorf("exception: %+v", e)
	}
	for _, bad := range []struct {
		op   Op
		want string
	}{
		{Op{Op: "set", Kind: "sop", Field: "review.last_reviewed", Value: "yesterday"}, "last_reviewed"},
		{Op{Op: "set", Kind: "sop", Field: "review.cadence", Value: "now and then"}, "cadence"},
		{Op{Op: "set", Kind: "step", ID: "deploy-prod", Field: "exception.approved_by", Value: "release-manager"}, "reason"},
	} {
		if _, err := ApplyOps(src, []Op{bad.op}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s = %v: err = %v, want one about %s", bad.op.Field, bad.op.Value, err, bad.want)
		}
	}
}

// A release type's name, description, emergency flag and skipped steps are
// set like any field; one is removed unless another builds on it.
func TestReleaseTypeOps(t *testing.T) {
	src := loadExample(t)
	s := applied(t, src,
		Op{Op: "set", Kind: "release_type", ID: "major", Field: "remove", Value: []any{"announce"}},
		Op{Op: "set", Kind: "release_type", ID: "major", Field: "emergency", Value: true},
		Op{Op: "set", Kind: "release_type", ID: "major", Field: "name", Value: "Big bang"},
		Op{Op: "add_release_type", Type: &NewType{ID: "patch", Base: "major"}},
		Op{Op: "remove_release_type", ID: "emergency"})
	major := s.ReleaseType("major")
	if major.Name != "Big bang" || !major.Emergency || !slices.Equal(major.Remove, []string{"announce"}) || s.ReleaseType("emergency") != nil {
		t.Errorf("release types: %+v", s.ReleaseTypes)
	}
	for _, bad := range []struct {
		ops  []Op
		want string
	}{
		{[]Op{{Op: "set", Kind: "release_type", ID: "major", Field: "remove", Value: []any{"nope"}}}, "nope"},
		{[]Op{{Op: "set", Kind: "release_type", ID: "major", Field: "add", Value: []any{"x"}}}, `the field "add" of a release_type cannot be set here`},
		{[]Op{{Op: "remove_release_type", ID: "nope"}}, `no release type has the id "nope"`},
		{[]Op{{Op: "add_release_type", Type: &NewType{ID: "patch", Base: "major"}}, {Op: "remove_release_type", ID: "major"}}, `the release type "patch" builds on "major"`},
	} {
		if _, err := ApplyOps(src, bad.ops); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: err = %v, want %q", bad.ops[len(bad.ops)-1].Op, err, bad.want)
		}
	}
}
