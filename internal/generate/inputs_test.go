package generate

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/lint"
)

const inputBrief = "weekly SaaS releases with a canary"

func inputFile(t testing.TB, name string) File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "inputs", name))
	if err != nil {
		t.Fatal(err)
	}
	return File{Name: name, Data: data}
}

// inputRequest uses every good input file of the testdata.
func inputRequest(t testing.TB, raci string) Request {
	return Request{Brief: inputBrief, Types: ReleaseTypes,
		RACI:       []File{inputFile(t, raci)},
		Calendars:  []File{inputFile(t, "releases.ics")},
		Checklists: []File{inputFile(t, "go-no-go.md"), inputFile(t, "qa.md")}}
}

func generateInputs(t *testing.T, req Request) *Result {
	t.Helper()
	res, err := Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Severity == relsop.SeverityError {
			t.Errorf("lint error: %s %s", f.Code, f.Message)
		}
	}
	for _, r := range res.Reasons {
		if strings.TrimSpace(r.Why) == "" {
			t.Errorf("%s has no reason", r.Element)
		}
	}
	return res
}

func mustStep(t *testing.T, s *relsop.SOP, id string) *relsop.Step {
	t.Helper()
	st := s.Step(id)
	if st == nil {
		t.Fatalf("no step %s", id)
	}
	return st
}

func ownerName(s *relsop.SOP, st *relsop.Step) string { return roleNameOf(s, st.Owner) }

func reason(res *Result, element string) string {
	for _, r := range res.Reasons {
		if r.Element == element {
			return r.Why
		}
	}
	return ""
}

func stepNamed(s *relsop.SOP, name string) *relsop.Step {
	for i := range s.Steps {
		if s.Steps[i].Name == name {
			return &s.Steps[i]
		}
	}
	return nil
}

// reaches reports whether to can be reached from from along next flows and
// gate outcomes.
func reaches(s *relsop.SOP, from, to string) bool {
	seen := map[string]bool{}
	var walk func(id string) bool
	walk = func(id string) bool {
		if id == to {
			return true
		}
		if seen[id] {
			return false
		}
		seen[id] = true
		st := s.Step(id)
		if st == nil {
			return false
		}
		for _, f := range st.Flows() {
			if (f.Kind == relsop.FlowNext || f.Kind == relsop.FlowOutcome) && walk(f.To) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

func TestInputRACIExcel(t *testing.T) {
	res := generateInputs(t, inputRequest(t, "raci_excel.csv"))
	s := res.SOP

	prod := mustStep(t, s, "deploy-production")
	if got := ownerName(s, prod); got != "Ops Lead" {
		t.Errorf("production deploy owned by %q, want the matrix's Ops Lead", got)
	}
	if !slices.Contains(prod.RACI.Accountable, "release-manager") {
		t.Errorf("production deploy accountable %v, want the release manager", prod.RACI.Accountable)
	}
	if w := reason(res, "deploy-production"); !strings.Contains(w, "raci_excel.csv line 10") || !strings.Contains(w, "Ops Lead responsible") {
		t.Errorf("production deploy reason %q does not cite the matrix", w)
	}
	scope := mustStep(t, s, "agree-scope") // "Plan release scope"
	if got := ownerName(s, scope); got != "Product Owner" {
		t.Errorf("scope owned by %q", got)
	}
	sec := mustStep(t, s, "security-approval") // "Security review"
	if got := roleNameOf(s, sec.Approvers[0]); got != "CISO" || len(sec.Approvers) != 1 {
		t.Errorf("security approvers %v, want the CISO", sec.Approvers)
	}
	if gng := mustStep(t, s, "go-no-go"); !slices.Equal(gng.Approvers, []string{"release-manager"}) || len(gng.RACI.Consulted) != 4 {
		t.Errorf("go/no-go approvers %v consulted %v", gng.Approvers, gng.RACI.Consulted)
	}
	// QA is accountable for the sign-off in the matrix, but owns the test
	// step that leads into it: separation of duties wins, and says so.
	if w := reason(res, "qa-signoff"); !strings.Contains(w, "separation of duties") {
		t.Errorf("qa-signoff reason %q does not explain the approver", w)
	}
	// An activity no step covers becomes a step on the main line.
	status := stepNamed(s, "Update the status page")
	if status == nil {
		t.Fatal("the status page activity is not a step")
	}
	if ownerName(s, status) != "Product Owner" || status.Phase != "deploy" {
		t.Errorf("status page step: owner %s, phase %s", status.Owner, status.Phase)
	}
	if !reaches(s, "start", status.ID) || !reaches(s, status.ID, "end") {
		t.Error("the added step is not on the way from start to end")
	}
	// A role with no letter is left out; the note says so.
	for _, r := range s.Roles {
		if r.Name == "Auditor" {
			t.Error("the Auditor, who has no letter, became a role")
		}
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "Auditor") }) {
		t.Errorf("no note about the Auditor: %q", res.Notes)
	}
	if !slices.ContainsFunc(s.Sources, func(d relsop.DataSource) bool { return d.Kind == "raci" && d.Link == "raci_excel.csv" }) {
		t.Errorf("sources %v", s.Sources)
	}
}

func TestInputRACILayouts(t *testing.T) {
	for _, tc := range []struct{ file, prodOwner string }{
		{"raci_google.csv", "SRE"},
		{"raci_transposed.csv", "Ops"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := generateInputs(t, Request{Brief: inputBrief, RACI: []File{inputFile(t, tc.file)}})
			if got := ownerName(res.SOP, mustStep(t, res.SOP, "deploy-production")); got != tc.prodOwner {
				t.Errorf("production deploy owned by %q, want %q", got, tc.prodOwner)
			}
		})
	}
	res := generateInputs(t, Request{Brief: inputBrief, RACI: []File{inputFile(t, "raci_google.csv")}})
	if got := ownerName(res.SOP, mustStep(t, res.SOP, "roll-back-production")); got != "SRE" {
		t.Errorf("rollback owned by %q", got)
	}
	if got := ownerName(res.SOP, mustStep(t, res.SOP, "unit-tests")); got != "QA" {
		t.Errorf("the test suite (a quoted, multi-line cell) owned by %q", got)
	}
	if st := stepNamed(res.SOP, "Cut the release branch"); st == nil || st.Phase != "build" {
		t.Errorf("cut the release branch: %+v", st)
	}
}

func TestInputMatchActivities(t *testing.T) {
	res := generateInputs(t, Request{Brief: inputBrief + ". CAB approval and a code freeze."})
	p := &plan{sop: res.SOP}
	for id := "start"; id != "" && !slices.Contains(p.main, id); { // the main line: next flows and go outcomes
		p.main = append(p.main, id)
		st, next := res.SOP.Step(id), ""
		if len(st.Next) > 0 {
			next = st.Next[0]
		} else if len(st.Outcomes) > 0 {
			next = st.Outcomes[0].To
		}
		id = next
	}
	in := &inputs{p: p}
	m := in.newMatcher(func(*relsop.Step) bool { return true })
	for text, want := range map[string]string{
		"deploy to prod":        "deploy-production",
		"Deploy":                "deploy-production",
		"QA sign off":           "qa-signoff",
		"CAB":                   "cab-approval",
		"Go/No-Go meeting":      "go-no-go",
		"Security review":       "security-approval",
		"Regression testing":    "regression-tests",
		"Roll back production":  "roll-back-production",
		"Monitor production":    "monitor",
		"Code freeze":           "freeze",
		"Negotiate the budget":  "",
		"Write the release FAQ": "",
	} {
		if got := m.best(text, false); got != want {
			t.Errorf("%q matches %q, want %q", text, got, want)
		}
	}
}

func TestInputCalendar(t *testing.T) {
	res := generateInputs(t, Request{Brief: inputBrief, Calendars: []File{inputFile(t, "releases.ics")}})
	s := res.SOP
	start := mustStep(t, s, "start")
	for _, want := range []string{"releases.ics", "every Thursday", "Thu 5 Mar 2026 10:00 GMT", "Thu 19 Mar 2026", "Thu 9 Apr 2026 10:00 BST", "except Thu 12 Mar 2026"} {
		if !strings.Contains(start.Description, want) {
			t.Errorf("start description lacks %q:\n%s", want, start.Description)
		}
	}
	if strings.Contains(start.Description, "Thu 12 Mar 2026 10:00") {
		t.Error("an EXDATE is listed as a release date")
	}
	// The SaaS plan has no freeze of its own: the calendar adds one in the build phase.
	freeze := mustStep(t, s, "freeze")
	if freeze.Phase != "build" || !strings.Contains(freeze.Description, "Fri 18 Dec 2026 to Mon 4 Jan 2027") {
		t.Errorf("freeze step: phase %s, description %q", freeze.Phase, freeze.Description)
	}
	if !reaches(s, "start", "freeze") || !reaches(s, "freeze", "end") {
		t.Error("the freeze step is not on the main line")
	}
	prod := mustStep(t, s, "deploy-production")
	if !strings.Contains(prod.Description, "Deploy only in the maintenance window") || !strings.Contains(prod.Description, "every Saturday") ||
		!strings.Contains(prod.Description, "01:00–04:00 UTC") {
		t.Errorf("production deploy description %q", prod.Description)
	}
	if !slices.ContainsFunc(s.Sources, func(d relsop.DataSource) bool { return d.Kind == "calendar" && d.Title == "Payments releases 2026" }) {
		t.Errorf("sources %v", s.Sources)
	}
	if !strings.Contains(s.Notes, "Schedule constraints from the calendar releases.ics") {
		t.Errorf("SOP notes %q", s.Notes)
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "Thu 24 Dec 2026") && strings.Contains(n, "freeze") }) {
		t.Errorf("no note of the release dates in the freeze: %q", res.Notes)
	}

	// A plan with a freeze of its own gets the windows on that step.
	res = generateInputs(t, Request{Brief: "Enterprise change release with a CAB and a code freeze", Calendars: []File{inputFile(t, "releases.ics")}})
	if n := strings.Count(string(res.YAML), "Year-end code freeze"); n != 1 {
		t.Errorf("the freeze window is described %d times", n)
	}
	if st := mustStep(t, res.SOP, "freeze"); st.Name == "Check the release date against the code freeze calendar" || !strings.Contains(st.Description, "Year-end code freeze") {
		t.Errorf("planned freeze step %q: %q", st.Name, st.Description)
	}
}

func TestInputChecklists(t *testing.T) {
	res := generateInputs(t, Request{Brief: inputBrief, Checklists: []File{inputFile(t, "go-no-go.md"), inputFile(t, "qa.md"), inputFile(t, "go-no-go.md")}})
	s := res.SOP
	for gate, items := range map[string][]string{
		"go-no-go":          {"On-call engineer named for the release window", "Customer support briefed on the changes"},
		"qa-signoff":        {"All regression tests green on staging", "No open P1 or P2 defects", "Checklist Exploratory complete"},
		"security-approval": {"Dependency scan has no critical findings", "Pen test findings triaged"},
	} {
		st := mustStep(t, s, gate)
		for _, it := range items {
			if !slices.Contains(st.Criteria, it) {
				t.Errorf("%s criteria %q lack %q", gate, st.Criteria, it)
			}
		}
	}
	gng := mustStep(t, s, "go-no-go")
	n := 0
	for _, c := range gng.Criteria {
		if c == "Rollback plan ready and tested" {
			n++
		}
	}
	if n != 1 || len(gng.Criteria) != 5 {
		t.Errorf("go/no-go criteria not deduplicated: %q", gng.Criteria)
	}
	// The "Smoke" section is the smoke test step; "Exploratory" is new.
	if smoke := mustStep(t, s, "smoke-tests"); !strings.Contains(smoke.Description, "- Refund the payment") {
		t.Errorf("smoke tests description %q", smoke.Description)
	}
	ex := stepNamed(s, "Complete the Exploratory checklist")
	if ex == nil || ex.Phase != "test" || !strings.Contains(ex.Description, "- Try the new checkout flow on mobile Safari") {
		t.Fatalf("exploratory step %+v", ex)
	}
	if !reaches(s, "start", ex.ID) || !reaches(s, ex.ID, "qa-signoff") {
		t.Error("the checklist step is not on the main line before the QA sign-off")
	}
	if got := strings.Count(ex.Description, "Log in with a test account"); got != 1 {
		t.Errorf("item listed %d times", got)
	}
}

func TestInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  Request
		want []string
	}{
		{"raci", Request{RACI: []File{inputFile(t, "bad.csv")}}, []string{"bad.csv:1:1: "}},
		{"ics", Request{Calendars: []File{inputFile(t, "bad.ics")}}, []string{"bad.ics:6:"}},
		{"checklist", Request{Checklists: []File{inputFile(t, "bad.md")}}, []string{"bad.md: no checklist items found"}},
		{"all", Request{RACI: []File{inputFile(t, "bad.csv")}, Calendars: []File{inputFile(t, "bad.ics")}, Checklists: []File{inputFile(t, "bad.md")}},
			[]string{"problems in the input files:", "bad.csv:1:1: ", "bad.ics:6:9: bad DTSTART", "bad.md: "}},
		{"too large", Request{RACI: []File{{Name: "huge.csv", Data: make([]byte, MaxInputFile+1)}}}, []string{"huge.csv: the RACI matrix is 1048577 bytes; at most 1048576"}},
		{"unnamed", Request{Calendars: []File{{Data: []byte("hello")}}}, []string{"(calendar 1)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Brief = inputBrief
			_, err := Generate(tc.req)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
			for _, f := range ie.Findings {
				if f.File == "" || f.Severity != relsop.SeverityError || f.Message == "" {
					t.Errorf("finding %+v", f)
				}
			}
		})
	}
	// Warnings do not stop generation: they are notes.
	res := generateInputs(t, Request{Brief: inputBrief, RACI: []File{{Name: "warn.csv", Data: []byte("Activity,Dev,Ops\nDeploy to production,R,X\n")}}})
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.HasPrefix(n, "warning: warn.csv:2:") }) {
		t.Errorf("notes %q", res.Notes)
	}
}

func TestInputDeterministicAndRegulated(t *testing.T) {
	for _, profile := range []lint.Profile{lint.ProfileDefault, lint.ProfileRegulated} {
		for _, raci := range []string{"raci_excel.csv", "raci_google.csv", "raci_transposed.csv"} {
			req := inputRequest(t, raci)
			req.Profile = profile
			a := generateInputs(t, req)
			b := generateInputs(t, req)
			if string(a.YAML) != string(b.YAML) || strings.Join(a.Notes, "\n") != strings.Join(b.Notes, "\n") {
				t.Errorf("%s %s: two runs differ", profile, raci)
			}
		}
	}
	req := inputRequest(t, "raci_excel.csv")
	req.Brief = "Medical device software under IEC 62304 and FDA 21 CFR Part 11. Releases twice a year with IQ/OQ validation."
	req.Profile = lint.ProfileRegulated
	generateInputs(t, req)
}

func FuzzApplyInputs(f *testing.F) {
	for _, name := range []string{"raci_excel.csv", "raci_google.csv", "raci_transposed.csv", "releases.ics", "go-no-go.md", "qa.md", "bad.csv", "bad.ics", "bad.md"} {
		f.Add(inputFile(f, name).Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := []File{{Name: "fuzz", Data: data}}
		for _, req := range []Request{{RACI: file}, {Calendars: file}, {Checklists: file}, {RACI: file, Calendars: file, Checklists: file}} {
			req.Brief, req.Types = inputBrief, ReleaseTypes
			res, err := Generate(req)
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) || len(ie.Findings) == 0 {
					t.Fatalf("error %v is not an input error", err)
				}
				continue
			}
			if len(res.SOP.Steps) == 0 {
				t.Fatal("no steps")
			}
		}
	})
}
