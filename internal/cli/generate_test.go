package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "release.sop.yaml")
	code, _, errOut := run(t, "", "generate", "--brief", "Weekly SaaS releases with a 5% canary; we skip the CAB.", "--types", "major,emergency", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, lintOut, _ := run(t, "", "lint", out)
	if code != ExitOK {
		t.Errorf("generated SOP fails lint: %s", lintOut)
	}
	src, _ := os.ReadFile(out)
	if !strings.Contains(string(src), "deploy-canary") || strings.Contains(string(src), "cab-approval") {
		t.Errorf("generated SOP ignores the brief:\n%s", src)
	}

	brief := filepath.Join(dir, "brief.md")
	os.WriteFile(brief, []byte("- medical device software, IEC 62304\n- the ISSO approves security\n"), 0o644)
	code, js, errOut := run(t, "", "generate", "--brief-file", brief, "--profile", "regulated", "--format", "json", "--explain")
	if code != ExitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc struct {
		SOP struct {
			Steps []struct{ ID string } `json:"steps"`
		} `json:"sop"`
		Reasons []struct{ Element, Why string } `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || len(doc.SOP.Steps) == 0 || len(doc.Reasons) == 0 {
		t.Errorf("json with explanation: %v, %d steps, %d reasons", err, len(doc.SOP.Steps), len(doc.Reasons))
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate"}, "--brief TEXT or --brief-file FILE"},
		{[]string{"generate", "--brief", "x", "--brief-file", brief}, "one of them"},
		{[]string{"generate", "--brief", "  "}, "the brief is empty"},
		{[]string{"generate", "--brief", "x", "--types", "hotfix"}, `unknown release type "hotfix"`},
		{[]string{"generate", "--brief", "x", "--format", "xml"}, "--format must be yaml or json"},
		{[]string{"generate", "--brief", "x", "--profile", "strict"}, "--profile must be default or regulated"},
		{[]string{"generate", "--brief-file", filepath.Join(dir, "nope.md")}, "cannot read"},
	} {
		code, _, errOut := run(t, "", tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
