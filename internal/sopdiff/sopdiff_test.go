package sopdiff

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

// base is a small SOP that each case below edits a copy of.
func base() *relsop.SOP {
	return &relsop.SOP{
		ID: "weekly", Title: "Weekly release", Version: "1", Owner: "rm", Status: relsop.StatusDraft,
		Roles:        []relsop.Role{{ID: "rm", Name: "Release manager"}, {ID: "ci", Name: "CI"}, {ID: "sre", Name: "SRE"}},
		Phases:       []relsop.Phase{{ID: "build", Name: "Build"}, {ID: "deploy", Name: "Deploy"}},
		Environments: []relsop.Environment{{ID: "staging", Name: "Staging"}, {ID: "prod", Name: "Production", Production: true}},
		Steps: []relsop.Step{
			{ID: "start", Name: "Start", Kind: relsop.KindStart, Owner: "rm", Phase: "build", Next: []string{"build"}},
			{ID: "build", Name: "Build", Kind: relsop.KindAutomated, Owner: "ci", Phase: "build", Next: []string{"cab"}},
			{ID: "cab", Name: "CAB approval", Kind: relsop.KindGate, Owner: "rm", Phase: "deploy", Approvers: []string{"rm"},
				Outcomes: []relsop.Outcome{{Label: "go", To: "deploy"}, {Label: "no-go", To: "end"}}},
			{ID: "deploy", Name: "Deploy", Kind: relsop.KindDeploy, Owner: "sre", Phase: "deploy", Environment: "prod", Next: []string{"end"}},
			{ID: "end", Name: "Done", Kind: relsop.KindEnd, Owner: "rm", Phase: "deploy"},
		},
		ReleaseTypes: []relsop.ReleaseType{
			{ID: "minor", Name: "Minor", Remove: []string{"cab"}},
		},
	}
}

// edit returns a deep enough copy of base with f applied.
func edit(f func(s *relsop.SOP)) *relsop.SOP {
	s := base()
	f(s)
	return s
}

func step(s *relsop.SOP, id string) *relsop.Step { return s.Step(id) }

func TestCompare(t *testing.T) {
	tests := []struct {
		name     string
		b        *relsop.SOP
		metadata []FieldChange
		changes  []Change
	}{
		{"same", base(), nil, nil},
		{"metadata", edit(func(s *relsop.SOP) {
			s.Title, s.Version, s.Status = "Weekly SaaS release", "2", relsop.StatusApproved
		}), []FieldChange{
			{Field: "title", Old: "Weekly release", New: "Weekly SaaS release"},
			{Field: "version", Old: "1", New: "2"},
			{Field: "status", Old: "draft", New: "approved"},
		}, nil},
		{"role added", edit(func(s *relsop.SOP) {
			s.Roles = append(s.Roles, relsop.Role{ID: "qa", Name: "QA"})
		}), nil, []Change{{Op: Added, Kind: KindRole, ID: "qa", Name: "QA"}}},
		{"role removed", edit(func(s *relsop.SOP) {
			s.Roles = s.Roles[1:]
		}), nil, []Change{{Op: Removed, Kind: KindRole, ID: "rm", Name: "Release manager"}}},
		{"role changed", edit(func(s *relsop.SOP) {
			s.Roles[2].Name, s.Roles[2].Description = "Site reliability", "Runs production"
		}), nil, []Change{{Op: Changed, Kind: KindRole, ID: "sre", Name: "SRE", Fields: []FieldChange{
			{Field: "name", Old: "SRE", New: "Site reliability"}, {Field: "description", Old: "", New: "Runs production"},
		}}}},
		{"phase added", edit(func(s *relsop.SOP) {
			s.Phases = append(s.Phases, relsop.Phase{ID: "post", Name: "Post-release"})
		}), nil, []Change{{Op: Added, Kind: KindPhase, ID: "post", Name: "Post-release"}}},
		{"phase removed", edit(func(s *relsop.SOP) {
			s.Phases = s.Phases[:1]
		}), nil, []Change{{Op: Removed, Kind: KindPhase, ID: "deploy", Name: "Deploy"}}},
		{"phase renamed", edit(func(s *relsop.SOP) {
			s.Phases[0].Name = "Build and freeze"
		}), nil, []Change{{Op: Changed, Kind: KindPhase, ID: "build", Name: "Build", Fields: []FieldChange{
			{Field: "name", Old: "Build", New: "Build and freeze"},
		}}}},
		{"phases reordered", edit(func(s *relsop.SOP) {
			s.Phases[0], s.Phases[1] = s.Phases[1], s.Phases[0]
		}), []FieldChange{{Field: "phases.order", Old: "[build, deploy]", New: "[deploy, build]"}}, nil},
		{"lanes reordered", edit(func(s *relsop.SOP) {
			s.Roles[0], s.Roles[1] = s.Roles[1], s.Roles[0]
		}), []FieldChange{{Field: "roles.order", Old: "[rm, ci, sre]", New: "[ci, rm, sre]"}}, nil},
		{"environment added", edit(func(s *relsop.SOP) {
			s.Environments = append([]relsop.Environment{{ID: "dev", Name: "Dev"}}, s.Environments...)
		}), nil, []Change{{Op: Added, Kind: KindEnvironment, ID: "dev", Name: "Dev"}}},
		{"environment removed", edit(func(s *relsop.SOP) {
			s.Environments = s.Environments[1:]
		}), nil, []Change{{Op: Removed, Kind: KindEnvironment, ID: "staging", Name: "Staging"}}},
		{"environment now production", edit(func(s *relsop.SOP) {
			s.Environments[0].Production = true
		}), nil, []Change{{Op: Changed, Kind: KindEnvironment, ID: "staging", Name: "Staging", Fields: []FieldChange{
			{Field: "production", Old: "", New: "true"},
		}}}},
		{"step added", edit(func(s *relsop.SOP) {
			step(s, "build").Next = []string{"canary"}
			s.Steps = append(s.Steps[:2], append([]relsop.Step{{ID: "canary", Name: "Deploy canary", Kind: relsop.KindDeploy,
				Owner: "sre", Phase: "deploy", Environment: "prod", Next: []string{"cab"}}}, s.Steps[2:]...)...)
		}), nil, []Change{
			{Op: Added, Kind: KindStep, ID: "canary", Name: "Deploy canary", Owner: "sre", Phase: "deploy"},
			{Op: Removed, Kind: KindFlow, ID: "build->cab", Flow: &Flow{From: "build", To: "cab", Kind: "next"}},
			{Op: Added, Kind: KindFlow, ID: "build->canary", Flow: &Flow{From: "build", To: "canary", Kind: "next"}},
			{Op: Added, Kind: KindFlow, ID: "canary->cab", Flow: &Flow{From: "canary", To: "cab", Kind: "next"}},
		}},
		{"gate removed", edit(func(s *relsop.SOP) {
			step(s, "build").Next = []string{"deploy"}
			s.Steps = append(s.Steps[:2], s.Steps[3:]...)
		}), nil, []Change{
			{Op: Removed, Kind: KindGate, ID: "cab", Name: "CAB approval", Owner: "rm", Phase: "deploy"},
			{Op: Removed, Kind: KindFlow, ID: "build->cab", Flow: &Flow{From: "build", To: "cab", Kind: "next"}},
			{Op: Removed, Kind: KindFlow, ID: "cab->deploy", Flow: &Flow{From: "cab", To: "deploy", Kind: "outcome", Label: "go"}},
			{Op: Removed, Kind: KindFlow, ID: "cab->end", Flow: &Flow{From: "cab", To: "end", Kind: "outcome", Label: "no-go"}},
			{Op: Added, Kind: KindFlow, ID: "build->deploy", Flow: &Flow{From: "build", To: "deploy", Kind: "next"}},
		}},
		{"step changed", edit(func(s *relsop.SOP) {
			st := step(s, "build")
			st.Name, st.Owner, st.Duration = "Build and sign", "rm", relsop.Duration{Text: "15m"}
		}), nil, []Change{{Op: Changed, Kind: KindStep, ID: "build", Name: "Build", Owner: "rm", Phase: "build", Fields: []FieldChange{
			{Field: "name", Old: "Build", New: "Build and sign"},
			{Field: "owner", Old: "ci", New: "rm"},
			{Field: "duration", Old: "", New: "15m"},
		}}}},
		{"gate changed", edit(func(s *relsop.SOP) {
			st := step(s, "cab")
			st.Approvers = []string{"rm", "sre"}
			st.Escalation = &relsop.Escalation{Role: "sre", After: relsop.Duration{Text: "4h"}}
		}), nil, []Change{{Op: Changed, Kind: KindGate, ID: "cab", Name: "CAB approval", Owner: "rm", Phase: "deploy", Fields: []FieldChange{
			{Field: "approvers", Old: "[rm]", New: "[rm, sre]"},
			{Field: "escalation.role", Old: "", New: "sre"},
			{Field: "escalation.after", Old: "", New: "4h"},
		}}}},
		{"task becomes gate", edit(func(s *relsop.SOP) {
			st := step(s, "build")
			st.Kind, st.Next = relsop.KindGate, nil
			st.Outcomes = []relsop.Outcome{{Label: "pass", To: "cab"}}
		}), nil, []Change{
			{Op: Changed, Kind: KindGate, ID: "build", Name: "Build", Owner: "ci", Phase: "build", Fields: []FieldChange{
				{Field: "kind", Old: "automated", New: "gate"},
			}},
			{Op: Changed, Kind: KindFlow, ID: "build->cab", Flow: &Flow{From: "build", To: "cab", Kind: "outcome", Label: "pass"}, Fields: []FieldChange{
				{Field: "kind", Old: "next", New: "outcome"}, {Field: "label", Old: "", New: "pass"},
			}},
		}},
		{"outcome renamed", edit(func(s *relsop.SOP) {
			step(s, "cab").Outcomes[1].Label = "hold"
		}), nil, []Change{{Op: Changed, Kind: KindFlow, ID: "cab->end", Flow: &Flow{From: "cab", To: "end", Kind: "outcome", Label: "hold"},
			Fields: []FieldChange{{Field: "label", Old: "no-go", New: "hold"}}}}},
		{"rollback path added", edit(func(s *relsop.SOP) {
			step(s, "deploy").OnFailure = "end"
		}), nil, []Change{{Op: Added, Kind: KindFlow, ID: "deploy->end", Flow: &Flow{From: "deploy", To: "end", Kind: "rollback"}}}},
		{"release type added", edit(func(s *relsop.SOP) {
			s.ReleaseTypes = append(s.ReleaseTypes, relsop.ReleaseType{ID: "hotfix", Name: "Hotfix", Emergency: true})
		}), nil, []Change{{Op: Added, Kind: KindReleaseType, ID: "hotfix", Name: "Hotfix"}}},
		{"release type removed", edit(func(s *relsop.SOP) {
			s.ReleaseTypes = nil
		}), nil, []Change{{Op: Removed, Kind: KindReleaseType, ID: "minor", Name: "Minor"}}},
		{"release type changed", edit(func(s *relsop.SOP) {
			rt := &s.ReleaseTypes[0]
			rt.Remove = nil
			rt.Change = []relsop.StepChange{{Step: "cab", Set: []string{"approvers"}, Fields: relsop.Step{Approvers: []string{"sre"}}}}
		}), nil, []Change{{Op: Changed, Kind: KindReleaseType, ID: "minor", Name: "Minor", Fields: []FieldChange{
			{Field: "remove", Old: "[cab]", New: ""},
			{Field: "change", Old: "", New: "[cab]"},
		}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare(base(), tc.b)
			if tc.metadata == nil {
				tc.metadata = []FieldChange{}
			}
			if tc.changes == nil {
				tc.changes = []Change{}
			}
			want := Diff{Metadata: tc.metadata, Changes: tc.changes}
			if d := cmp.Diff(got, want); d != "" {
				t.Errorf("Compare (-got +want):\n%s\n%s", d, got.Text())
			}
			if got.Empty() != (tc.name == "same") {
				t.Errorf("Empty() = %v", got.Empty())
			}
			// Swapping the sides swaps additions and removals.
			back := Compare(tc.b, base())
			if len(back.Changes) != len(got.Changes) {
				t.Errorf("reverse has %d changes, forward %d", len(back.Changes), len(got.Changes))
			}
		})
	}
}

// TestReleaseTypeSteps compares what two versions of a release type do
// inside a step they both add and a change they both make.
func TestReleaseTypeSteps(t *testing.T) {
	a := edit(func(s *relsop.SOP) {
		s.ReleaseTypes[0].Add = []relsop.AddedStep{{Step: relsop.Step{ID: "pir", Name: "Review", Owner: "rm"}, Before: "end"}}
		s.ReleaseTypes[0].Change = []relsop.StepChange{{Step: "cab", Set: []string{"approvers"}, Fields: relsop.Step{Approvers: []string{"rm"}}}}
	})
	b := edit(func(s *relsop.SOP) {
		s.ReleaseTypes[0].Add = []relsop.AddedStep{{Step: relsop.Step{ID: "pir", Name: "Post-implementation review", Owner: "rm"}, Before: "end"}}
		s.ReleaseTypes[0].Change = []relsop.StepChange{{Step: "cab", Set: []string{"name"}, Fields: relsop.Step{Name: "Quick CAB"}}}
	})
	got := Compare(a, b).Changes
	want := []Change{{Op: Changed, Kind: KindReleaseType, ID: "minor", Name: "Minor", Fields: []FieldChange{
		{Field: "add.pir.name", Old: "Review", New: "Post-implementation review"},
		{Field: "change.cab.name", Old: "", New: "Quick CAB"},
		{Field: "change.cab.approvers", Old: "[rm]", New: ""},
	}}}
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("(-got +want):\n%s", d)
	}
}

// TestOrder checks that elements come in the newer file's order and that
// a removed one follows the element that preceded it in the older file.
func TestOrder(t *testing.T) {
	role := func(ids ...string) *relsop.SOP {
		s := &relsop.SOP{}
		for _, id := range ids {
			s.Roles = append(s.Roles, relsop.Role{ID: id})
		}
		return s
	}
	got := Compare(role("a", "x", "b", "y", "c"), role("new", "a", "b", "c", "late")).Text()
	want := "+ role new\n- role x\n- role y\n+ role late\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	got = Compare(role("x", "a"), role("a")).Text()
	if want := "- role x\n"; got != want {
		t.Errorf("removed first element: got %q, want %q", got, want)
	}
}

func TestNilAndEmpty(t *testing.T) {
	if d := Compare(nil, nil); !d.Empty() || d.Text() != "" {
		t.Errorf("nil vs nil: %+v", d)
	}
	d := Compare(nil, base())
	for _, c := range d.Changes {
		if c.Op != Added {
			t.Errorf("a new file can only add: %+v", c)
		}
	}
	if !strings.Contains(d.Text(), `+ gate cab "CAB approval" (rm, deploy)`) {
		t.Errorf("new file lacks the gate:\n%s", d.Text())
	}
	for _, c := range Compare(base(), nil).Changes {
		if c.Op != Removed {
			t.Errorf("a deleted file can only remove: %+v", c)
		}
	}
}

func TestText(t *testing.T) {
	b := edit(func(s *relsop.SOP) {
		s.Title = "Weekly SaaS release"
		st := step(s, "build")
		st.Name, st.Owner = "Build and sign", "rm"
		st.Notes = "line one\nline \"two\""
		step(s, "cab").Outcomes[1].Label = "hold"
		step(s, "deploy").OnFailure = "end"
	})
	got := Compare(base(), b).Text()
	want := `title: "Weekly release" → "Weekly SaaS release"
~ step build "Build": name "Build" → "Build and sign"; owner ci → rm; notes (none) → "line one line \"two\""
~ flow cab → end (hold): label "no-go" → "hold"
+ flow deploy → end (on failure)
`
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("Text (-got +want):\n%s", d)
	}
}

func TestJSONFieldNames(t *testing.T) {
	b := edit(func(s *relsop.SOP) {
		s.Title = "New"
		step(s, "build").Name = "Build and sign"
		step(s, "deploy").OnFailure = "end"
	})
	data, err := json.Marshal(Compare(base(), b))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metadata":[{"field":"title","old":"Weekly release","new":"New"}],"changes":[` +
		`{"op":"changed","kind":"step","id":"build","name":"Build","owner":"ci","phase":"build","fields":[{"field":"name","old":"Build","new":"Build and sign"}]},` +
		`{"op":"added","kind":"flow","id":"deploy-\u003eend","flow":{"from":"deploy","to":"end","kind":"rollback"}}]}`
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	var back Diff
	if err := json.Unmarshal(data, &back); err != nil || back.Text() != Compare(base(), b).Text() {
		t.Errorf("round trip: %v\n%s", err, back.Text())
	}
	data, _ = json.Marshal(Compare(base(), base()))
	if string(data) != `{"metadata":[],"changes":[]}` {
		t.Errorf("empty diff: %s", data)
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("word ", 30)
	tests := []struct{ old, cur, wantOld, wantNew string }{
		{"short", "also short", "short", "also short"},
		{"two\nlines", "x", "two lines", "x"},
		{long + "end", long + "finish", "…word word word end", "…word word word finish"},
		{"start " + long, "begin " + long, "start word word word…", "begin word word word…"},
	}
	for _, tc := range tests {
		gotOld, gotNew := shorten(tc.old, tc.cur)
		if gotOld != tc.wantOld || gotNew != tc.wantNew {
			t.Errorf("shorten(%q, %q) = %q, %q; want %q, %q", tc.old, tc.cur, gotOld, gotNew, tc.wantOld, tc.wantNew)
		}
	}
	// A change in a long run without context is still cut to maxValue.
	a, b := shorten(strings.Repeat("a", 200), strings.Repeat("b", 200))
	if n := len([]rune(a)); n != maxValue+1 || len([]rune(b)) != maxValue+1 {
		t.Errorf("cut to %d runes: %q", n, a)
	}
}
