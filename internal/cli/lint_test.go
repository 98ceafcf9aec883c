package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/testenv"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// run calls Main as the shell would and returns the exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

const (
	allRules       = "../lint/testdata/all-rules.sop.yaml"
	allRulesConfig = "../lint/testdata/all-rules.relsop.yaml"
	example        = "../../testdata/example.sop.yaml"
)

func TestLintExitCodes(t *testing.T) {
	warnOnly := filepath.Join(t.TempDir(), "warn.sop.yaml")
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	// A role that does nothing is a warning, not an error.
	withRole := strings.Replace(string(src), "roles:\n", "roles:\n  - id: spare\n    name: Spare role\n", 1)
	if err := os.WriteFile(warnOnly, []byte(withRole), 0o644); err != nil {
		t.Fatal(err)
	}
	invalid := filepath.Join(t.TempDir(), "bad.sop.yaml")
	os.WriteFile(invalid, []byte("id: x\ntitle: y\nroles: []\nsteps:\n  - id: a\n    name: A\n    owner: nobody\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"lint", "--today", "2026-11-25", example}, ExitOK},
		{"warnings allowed", []string{"lint", "--today", "2026-11-25", warnOnly}, ExitOK},
		{"warnings strict", []string{"lint", "--strict", "--today", "2026-11-25", warnOnly}, ExitFindings},
		{"errors", []string{"lint", "--profile", "regulated", "--config", allRulesConfig, "--today", "2026-11-25", allRules}, ExitFindings},
		{"invalid file", []string{"lint", invalid}, ExitUsage},
		{"missing file", []string{"lint", "no/such.sop.yaml"}, ExitUsage},
		{"bad format", []string{"lint", "--format", "xml", example}, ExitUsage},
		{"bad profile", []string{"lint", "--profile", "strict", example}, ExitUsage},
		{"bad today", []string{"lint", "--today", "tomorrow", example}, ExitUsage},
		{"unknown flag", []string{"lint", "--frobnicate", example}, ExitUsage},
		{"no files", []string{"lint"}, ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, out, errOut)
			}
		})
	}
}

func TestLintTextNamesFileLineColumn(t *testing.T) {
	_, out, _ := run(t, "", "lint", "--profile", "regulated", "--config", allRulesConfig, "--today", "2026-11-25", allRules)
	want := allRules + ":94:9: error: gate \"gate-no-approver\" has no approvers [gate-approver]"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if !strings.Contains(out, "  hint: add approvers:") || !strings.Contains(out, "94 |   - id: gate-no-approver") {
		t.Errorf("output lacks hint or excerpt:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
}

func TestLintJSON(t *testing.T) {
	_, out, _ := run(t, "", "lint", "--format", "json", "--profile", "regulated", "--config", allRulesConfig, "--today", "2026-11-25", allRules)
	var doc struct {
		Findings []struct {
			File, Severity, Rule, Message, Hint string
			Line, Column                        int
		}
		Errors, Warnings, Infos int
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got, want := len(doc.Findings), len(lint.RuleIDs()); got != want {
		t.Errorf("%d findings, want %d", got, want)
	}
	if doc.Errors+doc.Warnings+doc.Infos != len(doc.Findings) {
		t.Errorf("counts %d+%d+%d do not add up to %d", doc.Errors, doc.Warnings, doc.Infos, len(doc.Findings))
	}
	for _, f := range doc.Findings {
		if f.File != allRules || f.Line < 1 || f.Column < 1 || f.Rule == "" || f.Message == "" || f.Hint == "" {
			t.Errorf("incomplete finding %+v", f)
		}
	}
}

// TestLintSARIFValidates checks the SARIF output against the OASIS SARIF
// 2.1.0 JSON Schema.
func TestLintSARIFValidates(t *testing.T) {
	dir := testenv.SharedDir(t, "RELSOP_SCHEMAS", "schemas")
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join(dir, "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	for _, args := range [][]string{
		{"lint", "--format", "sarif", "--profile", "regulated", "--config", allRulesConfig, "--today", "2026-11-25", allRules},
		{"lint", "--format", "sarif", "--today", "2026-11-25", example},
	} {
		_, out, _ := run(t, "", args...)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatalf("SARIF is not JSON: %v", err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("SARIF does not validate: %v", err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct{ Rules []struct{ ID string } }
				}
				Results []struct {
					RuleID    string
					RuleIndex int
				}
			}
		}
		json.Unmarshal([]byte(out), &log)
		run := log.Runs[0]
		if len(run.Tool.Driver.Rules) < len(lint.RuleIDs()) {
			t.Errorf("driver lists %d rules, want all %d", len(run.Tool.Driver.Rules), len(lint.RuleIDs()))
		}
		for _, r := range run.Results {
			if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("result %s points at rule %d (%s)", r.RuleID, r.RuleIndex, run.Tool.Driver.Rules[r.RuleIndex].ID)
			}
		}
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := run(t, "", "rules")
	if code != 0 || !strings.Contains(out, "gate-escalation") || !strings.Contains(out, "separation-of-duties") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "explain", "gate-escalation")
	if code != 0 || !strings.Contains(out, "escalation:") || !strings.Contains(out, "error in the regulated profile") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	code, _, errOut := run(t, "", "explain", "gate-escalaton")
	if code != ExitUsage || !strings.Contains(errOut, `did you mean "gate-escalation"`) {
		t.Errorf("explain typo: exit %d\n%s", code, errOut)
	}
}
