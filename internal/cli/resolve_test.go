package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
)

const resolveExample = "../../testdata/example.sop.yaml"

// runResolve runs the resolve command on its own, as the root command would,
// and returns its exit code (as Main would compute it) and output.
func runResolve(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	cmd := newResolveCmd(env)
	cmd.SetArgs(args)
	cmd.SetIn(env.Stdin)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
		code = ExitOK
	case errors.As(err, &ee):
		code = ee.code
	default:
		code = ExitUsage
	}
	return code, out.String(), errb.String(), err
}

func TestResolveYAML(t *testing.T) {
	code, out, errOut, err := runResolve(t, "", resolveExample, "--type", "emergency")
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, errOut)
	}
	res := compile.Load([]byte(out))
	if len(res.Errors) > 0 {
		t.Fatalf("output does not load: %v\n%s", res.Errors, out)
	}
	got := res.SOP
	if len(got.ReleaseTypes) != 0 || strings.Contains(out, "release_types") {
		t.Errorf("output keeps release types:\n%s", out)
	}
	if got.Step("freeze") != nil {
		t.Error("the emergency flow still has freeze, which it removes")
	}
	if next := got.Step("start").Next; len(next) != 1 || next[0] != "deploy-staging" {
		t.Errorf("start leads to %v, want the successor of the removed freeze step", next)
	}
	if a := got.Step("go-no-go").Approvers; len(a) != 1 || a[0] != "sre" {
		t.Errorf("go-no-go approvers = %v, want the changed [sre]", a)
	}

	// The output is exactly the resolved model, written once.
	src, err := os.ReadFile(resolveExample)
	if err != nil {
		t.Fatal(err)
	}
	want, err := compile.Load(src).SOP.Resolve("emergency")
	if err != nil {
		t.Fatal(err)
	}
	if w := string(encode.YAML(want)); out != w {
		t.Errorf("output is not the resolved model:\n%s\nwant\n%s", out, w)
	}
}

func TestResolveJSONAndStdin(t *testing.T) {
	src, err := os.ReadFile(resolveExample)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut, err := runResolve(t, string(src), "-", "-t", "major", "--format", "json")
	if code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc["id"] != "example-web-release" || doc["release_types"] != nil {
		t.Errorf("id %v, release_types %v", doc["id"], doc["release_types"])
	}
	review, _ := doc["review"].(map[string]any)
	if review["last_reviewed"] != "2026-10-01" {
		t.Errorf("review = %v, want last_reviewed in snake_case", review)
	}
	steps, _ := doc["steps"].([]any)
	if len(steps) == 0 {
		t.Fatalf("no steps:\n%s", out)
	}
	found := false
	for _, s := range steps {
		if st, _ := s.(map[string]any); st["on_failure"] != nil {
			found = true
		}
	}
	if !found {
		t.Errorf("no step has on_failure:\n%s", out)
	}
}

func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	noTypes := filepath.Join(dir, "no-types.sop.yaml")
	mustWrite(t, noTypes, "id: x\ntitle: X\nroles: [{id: r, name: R}]\nsteps: [{id: a, name: A, owner: r}]\n")
	invalid := filepath.Join(dir, "invalid.sop.yaml")
	mustWrite(t, invalid, "id: x\ntitle: X\nroles: [{id: r, name: R}]\nsteps:\n  - id: a\n    name: A\n    owner: rr\n")

	tests := []struct {
		name       string
		args       []string
		usage      bool     // a usage error, printed by Main
		want       []string // in the error, or in stderr when not a usage error
		wantStderr bool
	}{
		{"unknown type", []string{resolveExample, "--type", "emergncy"}, true,
			[]string{`no release type "emergncy"`, `did you mean "emergency"?`, "major, emergency"}, false},
		{"no type", []string{resolveExample}, true, []string{"--type", "major, emergency"}, false},
		{"no release types", []string{noTypes, "--type", "major"}, true, []string{"defines no release types"}, false},
		{"bad format", []string{resolveExample, "--type", "major", "--format", "xml"}, true, []string{"--format must be yaml or json"}, false},
		{"invalid file", []string{invalid, "--type", "major"}, false,
			[]string{invalid + ":7:12: error:", "[unknown-role]", "hint:"}, true},
		{"missing file", []string{filepath.Join(dir, "nope.sop.yaml"), "--type", "major"}, true, []string{"cannot read"}, false},
		{"two files", []string{resolveExample, resolveExample, "--type", "major"}, true, []string{"accepts 1 arg"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut, err := runResolve(t, "", tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if out != "" {
				t.Errorf("printed a flow:\n%s", out)
			}
			var ue *usageErr
			if isUsage := errors.As(err, &ue); isUsage != tt.usage {
				t.Errorf("usage error = %t, want %t: %v", isUsage, tt.usage, err)
			}
			text := errOut
			if !tt.wantStderr {
				if err == nil {
					t.Fatal("no error")
				}
				text = err.Error()
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
		})
	}
}

// TestResolveDropsIgnoresOfRemovedSteps checks the printed flow stays valid
// when the file ignores a finding about a step the release type removes.
func TestResolveDropsIgnoresOfRemovedSteps(t *testing.T) {
	src, err := os.ReadFile(resolveExample)
	if err != nil {
		t.Fatal(err)
	}
	withIgnore := string(src) + "ignore:\n  - rule: verb-first\n    step: freeze\n    reason: Freeze is a verb.\n  - rule: review-stale\n    reason: Reviewed last week.\n"
	path := filepath.Join(t.TempDir(), "ignore.sop.yaml")
	mustWrite(t, path, withIgnore)
	code, out, errOut, err := runResolve(t, "", path, "--type", "emergency")
	if code != ExitOK {
		t.Fatalf("exit %d, %v\n%s", code, err, errOut)
	}
	if res := compile.Load([]byte(out)); len(res.Errors) > 0 {
		t.Errorf("output does not load: %v\n%s", res.Errors, out)
	}
	if strings.Contains(out, "step: freeze") || !strings.Contains(out, "rule: review-stale") {
		t.Errorf("want only the ignore entry of the removed step dropped:\n%s", out)
	}
}
