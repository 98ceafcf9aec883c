package edit

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
)

func loadExample(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("../../../testdata/example.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func applied(t *testing.T, src []byte, ops ...Op) *relsop.SOP {
	t.Helper()
	res, err := ApplyOps(src, ops)
	if err != nil {
		t.Fatalf("ApplyOps: %v", err)
	}
	loaded := compile.Load(res.Source)
	if len(loaded.Errors) > 0 {
		t.Fatalf("result does not load: %v", loaded.Errors)
	}
	return loaded.SOP
}

func TestApplyOps(t *testing.T) {
	src := loadExample(t)
	t.Run("set step name keeps comments", func(t *testing.T) {
		withComment := strings.Replace(string(src), "  - id: freeze\n", "  # Freeze on Tuesday.\n  - id: freeze\n", 1)
		res, err := ApplyOps([]byte(withComment), []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "name", Value: "Freeze <main> & tag"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(res.Source), "# Freeze on Tuesday.") {
			t.Error("the comment above the step was lost")
		}
		if got := compile.Load(res.Source).SOP.Step("freeze").Name; got != "Freeze <main> & tag" {
			t.Errorf("name = %q", got)
		}
	})
	t.Run("set list field", func(t *testing.T) {
		s := applied(t, src, Op{Op: "set", Kind: "step", ID: "go-no-go", Field: "criteria", Value: []any{"All green", " ", "Sign-off"}})
		if got := s.Step("go-no-go").Criteria; !slices.Equal(got, []string{"All green", "Sign-off"}) {
			t.Errorf("criteria = %q", got)
		}
	})
	t.Run("delete optional field", func(t *testing.T) {
		s := applied(t, src, Op{Op: "set", Kind: "step", ID: "deploy-prod", Field: "duration", Value: ""})
		if !s.Step("deploy-prod").Duration.IsZero() {
			t.Error("duration still set")
		}
	})
	t.Run("set role and sop", func(t *testing.T) {
		s := applied(t, src, Op{Op: "set", Kind: "role", ID: "qa", Field: "name", Value: "QA Guild"}, Op{Op: "set", Kind: "sop", Field: "title", Value: "New title"})
		if s.Role("qa").Name != "QA Guild" || s.Title != "New title" {
			t.Errorf("role %q, title %q", s.Role("qa").Name, s.Title)
		}
	})
	t.Run("add step after takes over successors", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_step", After: "freeze", Step: &NewStep{Name: "Scan dependencies", Kind: "automated", Owner: "ci"}})
		st := s.Step("scan-dependencies")
		if st == nil || st.Phase != "plan" || !slices.Equal(st.Next, []string{"deploy-staging"}) {
			t.Fatalf("new step = %+v", st)
		}
		if got := s.Step("freeze").Next; !slices.Equal(got, []string{"scan-dependencies"}) {
			t.Errorf("freeze.next = %q", got)
		}
	})
	t.Run("add step without after goes before the end", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_step", Step: &NewStep{Name: "Close the ticket"}})
		if st := s.Step("close-the-ticket"); st == nil || !slices.Equal(st.Next, []string{"end"}) {
			t.Fatalf("new step = %+v", st)
		}
	})
	t.Run("remove step reconnects", func(t *testing.T) {
		s := applied(t, src, Op{Op: "remove_step", ID: "freeze"})
		if s.Step("freeze") != nil || !slices.Equal(s.Step("start").Next, []string{"deploy-staging"}) {
			t.Errorf("start.next = %q", s.Step("start").Next)
		}
	})
	t.Run("connect and disconnect", func(t *testing.T) {
		s := applied(t, src, Op{Op: "connect", From: "freeze", To: "regression"})
		if !slices.Equal(s.Step("freeze").Next, []string{"deploy-staging", "regression"}) {
			t.Errorf("after connect: %q", s.Step("freeze").Next)
		}
		s = applied(t, src, Op{Op: "connect", From: "freeze", To: "regression"}, Op{Op: "disconnect", From: "freeze", To: "regression"})
		if !slices.Equal(s.Step("freeze").Next, []string{"deploy-staging"}) {
			t.Errorf("after disconnect: %q", s.Step("freeze").Next)
		}
	})
	t.Run("add role", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_role", Role: &NewRole{Name: "Security Officer"}}, Op{Op: "set", Kind: "step", ID: "freeze", Field: "owner", Value: "security-officer"})
		if s.Role("security-officer") == nil || s.Step("freeze").Owner != "security-officer" {
			t.Error("role not added or not assignable")
		}
	})
	t.Run("add release type", func(t *testing.T) {
		s := applied(t, src, Op{Op: "add_release_type", Type: &NewType{ID: "hotfix"}}, Op{Op: "add_release_type", Type: &NewType{ID: "big-bang", Name: "Big bang", Base: "major"}})
		if rt := s.ReleaseType("hotfix"); rt == nil || rt.Name != "Hotfix" || rt.Base != "" {
			t.Errorf("hotfix = %+v", rt)
		}
		if rt := s.ReleaseType("big-bang"); rt == nil || rt.Base != "major" {
			t.Errorf("big-bang = %+v", rt)
		}
	})
	t.Run("JSON form", func(t *testing.T) {
		var ops []Op
		if err := json.Unmarshal([]byte(`[{"op":"set","kind":"step","id":"go-no-go","field":"approvers","value":["qa"]}]`), &ops); err != nil {
			t.Fatal(err)
		}
		s := applied(t, src, ops...)
		if !slices.Equal(s.Step("go-no-go").Approvers, []string{"qa"}) {
			t.Errorf("approvers = %q", s.Step("go-no-go").Approvers)
		}
	})
}

func TestApplyOpsErrors(t *testing.T) {
	src := loadExample(t)
	tests := []struct {
		name string
		ops  []Op
		want string
	}{
		{"none", nil, "no operations"},
		{"unknown op", []Op{{Op: "explode"}}, "unknown operation"},
		{"unknown kind", []Op{{Op: "set", Kind: "gate", ID: "x", Field: "name", Value: "y"}}, "kind sop, step"},
		{"id not settable", []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "id", Value: "y"}}, "cannot be set"},
		{"missing step", []Op{{Op: "set", Kind: "step", ID: "nope", Field: "name", Value: "y"}}, `no step has the id "nope"`},
		{"list for scalar", []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "name", Value: []any{"a"}}}, "not a list"},
		{"bad value", []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "name", Value: 3.0}}, "string or a list"},
		{"unknown owner", []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "owner", Value: "nobody"}}, "does not load"},
		{"remove start", []Op{{Op: "remove_step", ID: "start"}}, "cannot be removed"},
		{"add nameless", []Op{{Op: "add_step", Step: &NewStep{}}}, "with a name"},
		{"add duplicate id", []Op{{Op: "add_step", Step: &NewStep{ID: "freeze", Name: "x"}}}, "already exists"},
		{"add bad kind", []Op{{Op: "add_step", Step: &NewStep{Name: "x", Kind: "end"}}}, "kind must be"},
		{"connect self", []Op{{Op: "connect", From: "freeze", To: "freeze"}}, "itself"},
		{"connect gate without label", []Op{{Op: "connect", From: "go-no-go", To: "end"}}, "which outcome"},
		{"disconnect missing", []Op{{Op: "disconnect", From: "freeze", To: "end"}}, "does not lead"},
		{"type without id", []Op{{Op: "add_release_type", Type: &NewType{}}}, "with an id"},
		{"type bad id", []Op{{Op: "add_release_type", Type: &NewType{ID: "Hot Fix"}}}, "lower-case"},
		{"type exists", []Op{{Op: "add_release_type", Type: &NewType{ID: "major"}}}, "already exists"},
		{"type bad base", []Op{{Op: "add_release_type", Type: &NewType{ID: "x", Base: "nope"}}}, `"nope"`},
		{"second fails, none applied", []Op{{Op: "set", Kind: "sop", Field: "title", Value: "x"}, {Op: "remove_step", ID: "nope"}}, "operation 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ApplyOps(src, tt.ops)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			var oe *OpError
			if len(tt.ops) > 0 && !errors.As(err, &oe) {
				t.Errorf("err is %T, not *OpError", err)
			}
		})
	}
}

// TestSessionMatchesApplyOps applies batches one after the other through a
// session and through ApplyOps: the same files, and a refused batch leaves
// the session where it was.
func TestSessionMatchesApplyOps(t *testing.T) {
	tp, ok := templates.Get("saas-weekly")
	if !ok {
		t.Fatal("no template saas-weekly")
	}
	src := tp.Source
	batches := [][]Op{
		{{Op: "set", Kind: "step", ID: "qa-signoff", Field: "name", Value: "QA says yes"}},
		{{Op: "set", Kind: "step", ID: "no-such-step", Field: "name", Value: "refused"}},
		{{Op: "add_step", After: "qa-signoff", Step: &NewStep{Name: "Check the docs", Owner: "qa-lead", Phase: "test"}}},
		{{Op: "remove_step", ID: "collect-feedback"}, {Op: "set", Kind: "sop", Field: "title", Value: "Renamed"}},
	}
	s := NewSession(src)
	want := src
	for i, ops := range batches {
		res, next, err := s.Apply(ops)
		direct, derr := ApplyOps(want, ops)
		if (err == nil) != (derr == nil) {
			t.Fatalf("batch %d: session %v, ApplyOps %v", i, err, derr)
		}
		if err != nil {
			continue // s stays at its source
		}
		if string(res.Source) != string(direct.Source) {
			t.Fatalf("batch %d: the session's file differs from ApplyOps'", i)
		}
		s, want = next, direct.Source
	}
	if string(s.Source()) != string(want) {
		t.Fatal("the session ended elsewhere")
	}
}

// TestSettableFieldsDocumented keeps the list of settable fields in
// docs/api.md the same as settable (the SOP's status, which the API
// changes through /status, aside).
func TestSettableFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(doc), "The fields `set` changes, by `kind`")
	if !ok {
		t.Fatal("docs/api.md has no list of the fields set changes")
	}
	list, _, _ = strings.Cut(list, "\n\n#")
	documented := map[string]map[string]bool{}
	for _, line := range strings.Split(list, "\n") {
		kinds, fields, ok := strings.Cut(strings.TrimPrefix(line, "- "), ": ")
		if !ok || !strings.HasPrefix(line, "- ") {
			continue
		}
		for _, k := range strings.Split(kinds, ", ") {
			k = strings.Trim(k, "`")
			documented[k] = map[string]bool{}
			for _, f := range strings.Split(fields, ", ") {
				documented[k][strings.Trim(f, "`")] = true
			}
		}
	}
	for kind, fields := range settable {
		for f := range fields {
			if !documented[kind][f] && !(kind == "sop" && f == "status") {
				t.Errorf("docs/api.md does not list %s.%s", kind, f)
			}
		}
		for f := range documented[kind] {
			if _, ok := fields[f]; !ok {
				t.Errorf("docs/api.md lists %s.%s, which set does not change", kind, f)
			}
		}
	}
	if len(documented) != len(settable) {
		t.Errorf("docs/api.md lists the kinds %v", documented)
	}
}
