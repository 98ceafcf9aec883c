package lint

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
)

var update = flag.Bool("update", false, "rewrite golden files")

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// lintFile loads and lints a testdata file, failing the test on load errors.
func lintFile(t *testing.T, path string, cfg Config) []relsop.Finding {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		t.Fatalf("%s does not load: %+v", path, res.Errors)
	}
	if cfg.Today.IsZero() {
		cfg.Today = today
	}
	return Run(res.SOP, cfg)
}

// TestAllRulesGolden lints a file with one instance of each rule's problem
// and checks that every rule reports exactly once, at the expected line and
// column (the golden file).
func TestAllRulesGolden(t *testing.T) {
	cfgSrc, err := os.ReadFile("testdata/all-rules.relsop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, errs := ParseConfig(cfgSrc)
	if len(errs) > 0 {
		t.Fatalf("config: %+v", errs)
	}
	cfg.Profile = ProfileRegulated
	findings := lintFile(t, "testdata/all-rules.sop.yaml", cfg)

	count := map[string]int{}
	var b strings.Builder
	for _, f := range findings {
		count[f.Code]++
		fmt.Fprintf(&b, "%s %s %s: %s\n", f.Pos, f.Severity, f.Code, f.Message)
	}
	for _, id := range RuleIDs() {
		if count[id] != 1 {
			t.Errorf("rule %s reported %d times, want once", id, count[id])
		}
	}
	for id := range count {
		if RuleByID(id) == nil {
			t.Errorf("unexpected finding code %s", id)
		}
	}
	golden(t, "testdata/all-rules.golden", b.String())
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/lint -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestRuleTableIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if r.Family == "" || r.Summary == "" || r.Doc == "" || r.Example == "" || r.Fix == "" || r.Check == nil {
			t.Errorf("rule %s lacks a family, summary, doc, example, fix or check", r.ID)
		}
		if _, ok := familyOrder[r.Family]; !ok {
			t.Errorf("rule %s has unknown family %s", r.ID, r.Family)
		}
		for _, p := range Profiles {
			switch r.SeverityIn(p) {
			case relsop.SeverityError, relsop.SeverityWarning, relsop.SeverityInfo, Off:
			default:
				t.Errorf("rule %s has bad severity %q in %s", r.ID, r.SeverityIn(p), p)
			}
		}
	}
}

func TestCleanFilesHaveNoFindings(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/*.sop.yaml")
	tpls, _ := filepath.Glob("../templates/*.sop.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata SOPs found")
	}
	for _, path := range append(files, tpls...) {
		profile := ProfileDefault
		if strings.Contains(path, "regulated") {
			profile = ProfileRegulated
		}
		for _, f := range lintFile(t, path, Config{Profile: profile}) {
			t.Errorf("%s:%s: %s: %s [%s]", path, f.Pos, f.Severity, f.Message, f.Code)
		}
	}
}

func TestIgnoreAndConfig(t *testing.T) {
	src, err := os.ReadFile("testdata/all-rules.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Suppress one finding per step and one whole rule in the file.
	withIgnores := string(src) + `
ignore:
  - rule: gate-approver
    step: gate-no-approver
    reason: Tested.
  - rule: verb-first
    reason: Tested.
  - rule: gate-aprover
    reason: A misspelt rule is reported.
`
	res := compile.Load([]byte(withIgnores))
	if len(res.Errors) > 0 {
		t.Fatalf("load: %+v", res.Errors)
	}
	cfg := Config{Profile: ProfileRegulated, Today: today, Rules: map[string]relsop.Severity{"unique-names": Off, "duplicate-flow": relsop.SeverityError}}
	codes := map[string]relsop.Severity{}
	var unknown string
	for _, f := range Run(res.SOP, cfg) {
		codes[f.Code] = f.Severity
		if f.Code == CodeUnknownRule {
			unknown = f.Message
		}
	}
	for _, gone := range []string{"gate-approver", "verb-first", "unique-names"} {
		if _, ok := codes[gone]; ok {
			t.Errorf("%s still reported", gone)
		}
	}
	if codes["duplicate-flow"] != relsop.SeverityError {
		t.Errorf("duplicate-flow severity = %q, want error from config", codes["duplicate-flow"])
	}
	if !strings.Contains(unknown, `did you mean "gate-approver"`) {
		t.Errorf("unknown rule message = %q", unknown)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ src, code, pos string }{
		{"profile: strict\n", "invalid-value", "1:10"},
		{"rules:\n  verb-frist: off\n", CodeUnknownRule, "2:3"},
		{"rules:\n  verb-first: loud\n", "invalid-value", "2:15"},
		{"complexity:\n  max_steps: 0\n", "invalid-value", "2:14"},
		{"ignore:\n  - rule: complexity\n    paths: [a]\n", "missing-field", "2:5"},
		{"colour: red\n", "unknown-field", "1:1"},
		{"ignore:\n  - rule: complexity\n    paths: [\"ok/*\", \"legacy/[a\"]\n    reason: split\n", "invalid-value", "3:21"},
	}
	for _, tt := range tests {
		_, errs := ParseConfig([]byte(tt.src))
		if len(errs) != 1 || errs[0].Code != tt.code || errs[0].Pos.String() != tt.pos {
			t.Errorf("ParseConfig(%q) = %+v, want one %s at %s", tt.src, errs, tt.code, tt.pos)
		}
	}
}

func TestReviewFreshnessUsesInjectedDate(t *testing.T) {
	src := []byte(strings.Replace(mustRead(t, "../../testdata/example.sop.yaml"), "last_reviewed: 2026-10-01", "last_reviewed: 2026-01-01", 1))
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	has := func(day time.Time) bool {
		for _, f := range Run(res.SOP, Config{Today: day}) {
			if f.Code == "review-freshness" {
				return true
			}
		}
		return false
	}
	if has(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("review reported overdue two months after it")
	}
	if !has(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("review not reported overdue five months after a quarterly review")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCasingOf(t *testing.T) {
	tests := []struct {
		name string
		want casing
	}{
		{"Run regression suite", casingSentence},
		{"Run Regression Suite", casingTitle},
		{"Deploy to production", casingSentence},
		{"Notify QA and CAB", casingUnknown},
		{"deploy to staging", casingLower},
		{"Deploy Staging", casingUnknown},
	}
	for _, tt := range tests {
		if got := casingOf(tt.name); got != tt.want {
			t.Errorf("casingOf(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestIgnoresFile: a config's ignore entry matches a file however the
// file was named on the command line.
func TestIgnoresFile(t *testing.T) {
	cfg, errs := ParseConfig([]byte("ignore:\n  - rule: complexity\n    paths: [\"legacy/*.sop.yaml\", \"old/**\", \"draft.sop.yaml\"]\n    reason: being split\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for file, want := range map[string]bool{
		"legacy/a.sop.yaml": true, "./legacy/a.sop.yaml": true, "legacy//a.sop.yaml": true, "old/x/y.sop.yaml": true,
		"./old/y.sop.yaml": true, "sops/draft.sop.yaml": true, "legacy/a.sop.yml": false, "new/a.sop.yaml": false,
	} {
		if got := cfg.IgnoresFile("complexity", file); got != want {
			t.Errorf("IgnoresFile(complexity, %q) = %v, want %v", file, got, want)
		}
		if cfg.IgnoresFile("verb-first", file) {
			t.Errorf("IgnoresFile(verb-first, %q): the entry is for complexity only", file)
		}
	}
}

// FuzzParseConfig: whatever a .relsop.yaml holds, reading it does not
// panic, and every problem it reports has a position in the file and a
// message.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"profile: regulated\nrules: {verb-first: off, gate-escalation: error}\n",
		"complexity: {max_steps: 80, max_steps_per_lane: 25}\nnaming: {verbs: [onboard]}\n",
		"ignore:\n  - rule: complexity\n    paths: [\"legacy/*.sop.yaml\"]\n    reason: split\n",
		"ignore:\n  - rule: '*'\n    paths: legacy/[\n",
		"ignore: [{}]\nnaming: {verbs: x}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, errs := ParseConfig(src)
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, e := range errs {
			if !e.Pos.IsValid() || e.Pos.Line > lines || e.Message == "" {
				t.Fatalf("finding %+v for %q: no position in the file or no message", e, src)
			}
		}
	})
}
