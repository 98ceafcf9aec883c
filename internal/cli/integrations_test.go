package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/relsop/relsop/internal/testenv"
)

// The files that put relsop into other tools' hands: the GitHub Action
// (action.yml and the script it runs) and the pre-commit hooks.
const (
	actionFile     = "../../action.yml"
	actionScript   = "../../ci/github-lint.sh"
	preCommitHooks = "../../.pre-commit-hooks.yaml"
)

// TestGitHubActionWiring: every input the action declares reaches the
// script through the environment, and none is pasted into a shell line,
// where a crafted input (a branch name, say) would run as code.
func TestGitHubActionWiring(t *testing.T) {
	src, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name, Description string
		Author            string
		Branding          struct{ Icon, Color string }
		Inputs            map[string]struct {
			Description, Default string
			Required             bool
		}
		Runs struct {
			Using string
			Steps []struct {
				Name, Uses, Run, Shell string
				WorkingDirectory       string `yaml:"working-directory"`
				With, Env              map[string]string
			}
		}
	}
	if err := yaml.UnmarshalWithOptions(src, &action, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", actionFile, err)
	}
	if action.Name == "" || action.Description == "" || action.Runs.Using != "composite" {
		t.Errorf("action.yml lacks a name, description or composite runs: %+v", action)
	}
	script, err := os.ReadFile(actionScript)
	if err != nil {
		t.Fatal(err)
	}
	passed := map[string]bool{}
	inputRef := regexp.MustCompile(`^\$\{\{ inputs\.([a-z-]+) \}\}$`)
	for _, st := range action.Runs.Steps {
		if strings.Contains(st.Run, "${{") {
			t.Errorf("a run line expands an expression in the shell: %q", st.Run)
		}
		for name, value := range st.Env {
			m := inputRef.FindStringSubmatch(value)
			if m == nil {
				continue
			}
			if _, ok := action.Inputs[m[1]]; !ok {
				t.Errorf("env %s reads undeclared input %q", name, m[1])
			}
			if !strings.Contains(string(script), name) {
				t.Errorf("env %s is set but the script never reads it", name)
			}
			passed[m[1]] = true
		}
		if strings.Contains(st.Run, "github-lint.sh") && !strings.Contains(st.Run, "ci/github-lint.sh") {
			t.Errorf("the step runs a script other than ci/github-lint.sh: %q", st.Run)
		}
	}
	for name, in := range action.Inputs {
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
		if !passed[name] {
			t.Errorf("input %q never reaches the script", name)
		}
	}
	if fi, err := os.Stat(actionScript); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable", actionScript)
	}
}

// TestGitHubActionScript runs the action's script with bash in a git
// repository, as the runner would, with this test binary as relsop.
func TestGitHubActionScript(t *testing.T) {
	testenv.Tool(t, "bash")
	testenv.Tool(t, "git")
	script, err := filepath.Abs(actionScript)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(allRules)
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, "sops", "old"), 0o755)
	os.WriteFile(filepath.Join(repo, "sops", "release.sop.yaml"), good, 0o644)
	os.WriteFile(filepath.Join(repo, "sops", "old", "legacy.sop.yaml"), src, 0o644)
	os.WriteFile(filepath.Join(repo, "notes.yaml"), []byte("not: an SOP\n"), 0o644)
	sh := func(env ...string) (int, string) {
		t.Helper()
		cmd := exec.Command("bash", script)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "RELSOP_TEST_AS_RELSOP=1", "RELSOP="+exe, "RELSOP_TODAY=2026-11-25",
			"GITHUB_WORKSPACE="+repo, "CI_PROJECT_DIR=", "RELSOP_FILES=", "RELSOP_PROFILE=", "RELSOP_STRICT=", "RELSOP_SARIF=")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}

	// Outside a git checkout, the script finds the SOPs itself.
	code, out := sh()
	if code != ExitFindings || !strings.Contains(out, "::error file=sops/old/legacy.sop.yaml,line=") ||
		strings.Contains(out, "file=sops/release.sop.yaml") || !strings.Contains(out, "2 files checked") {
		t.Errorf("all SOPs: exit %d\n%s", code, out)
	}
	// In a checkout, the SOPs git knows of.
	git := exec.Command("git", "init", "-q")
	git.Dir = repo
	if out, err := git.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	git = exec.Command("git", "add", "sops/release.sop.yaml")
	git.Dir = repo
	git.Run()
	if code, out := sh(); code != ExitOK || !strings.Contains(out, "1 file checked: 0 errors") {
		t.Errorf("tracked SOPs: exit %d\n%s", code, out)
	}

	tests := []struct {
		name string
		env  []string
		code int
		want string
	}{
		{"pattern", []string{"RELSOP_FILES=sops/*.sop.yaml"}, ExitOK, "1 file checked"},
		{"globstar and two patterns", []string{"RELSOP_FILES=sops/**/*.sop.yaml  sops/release.sop.yaml"}, ExitFindings, "3 files checked"},
		{"no match", []string{"RELSOP_FILES=docs/*.sop.yaml"}, ExitUsage, `::error title=relsop::no file matches "docs/*.sop.yaml"`},
		{"strict", []string{"RELSOP_FILES=sops/old/legacy.sop.yaml", "RELSOP_STRICT=true"}, ExitFindings, "::warning file=sops/old/legacy.sop.yaml"},
		{"bad strict", []string{"RELSOP_STRICT=yes"}, ExitUsage, "the strict input must be true or false"},
		{"regulated", []string{"RELSOP_FILES=sops/release.sop.yaml", "RELSOP_PROFILE=regulated"}, ExitFindings, "title=relsop audit-trail"},
		{"bad profile", []string{"RELSOP_PROFILE=lenient"}, ExitUsage, "the profile input must be default or regulated"},
		{"input is not code", []string{"RELSOP_FILES=$(touch pwned) `touch pwned`"}, ExitUsage, "no file matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := sh(tt.env...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d with %q:\n%s", code, tt.code, tt.want, out)
			}
			if _, err := os.Stat(filepath.Join(repo, "pwned")); err == nil {
				t.Fatal("an input ran as a shell command")
			}
		})
	}

	// With a SARIF path, the log is written as well as the annotations.
	sarif := filepath.Join(repo, "relsop.sarif")
	code, out = sh("RELSOP_FILES=sops/old/legacy.sop.yaml", "RELSOP_SARIF="+sarif)
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	data, err := os.ReadFile(sarif)
	if err != nil || json.Unmarshal(data, &log) != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("SARIF not written (%v):\n%s", err, data)
	}
	if uri := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "sops/old/legacy.sop.yaml" {
		t.Errorf("SARIF names %q", uri)
	}
	if code != ExitFindings || !strings.Contains(out, "::error file=") {
		t.Errorf("with SARIF: exit %d\n%s", code, out)
	}
}

// TestPreCommitHooks runs each hook's entry as pre-commit would: the
// entry, then the staged files its pattern selects.
func TestPreCommitHooks(t *testing.T) {
	src, err := os.ReadFile(preCommitHooks)
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Description, Entry, Language, Files string
	}
	if err := yaml.UnmarshalWithOptions(src, &hooks, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", preCommitHooks, err)
	}
	byID := map[string]string{}
	for _, h := range hooks {
		if h.Name == "" || h.Description == "" || h.Language != "golang" {
			t.Errorf("hook %q lacks a name or description, or is not built with Go: %+v", h.ID, h)
		}
		files, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %q: files: %v", h.ID, err)
		}
		for name, want := range map[string]bool{"sops/release.sop.yaml": true, "a.sop.yml": true, "ci.yaml": false, "x.sop.yaml.bak": false} {
			if files.MatchString(name) != want {
				t.Errorf("hook %q: files %q matches %s: %v", h.ID, h.Files, name, !want)
			}
		}
		byID[h.ID] = h.Entry
	}
	dir := t.TempDir()
	messy := filepath.Join(dir, "messy.sop.yaml")
	os.WriteFile(messy, []byte(messySOP), 0o644)
	// run runs an entry ("relsop fmt -w") on files with this test binary as relsop.
	runHook := func(id string, files ...string) int {
		t.Helper()
		args := strings.Fields(byID[id])
		if len(args) == 0 || args[0] != "relsop" {
			t.Fatalf("hook %q: entry %q does not run relsop", id, byID[id])
		}
		return Main(append(args[1:], files...), Env{Stdin: strings.NewReader(""), Stdout: new(strings.Builder), Stderr: new(strings.Builder)})
	}
	runHook("relsop-fmt", messy)
	if got, _ := os.ReadFile(messy); string(got) == messySOP || !strings.HasPrefix(string(got), "id: x") {
		t.Errorf("relsop-fmt left the file as it was:\n%s", got)
	}
	t.Setenv("RELSOP_TODAY", "2026-11-25")
	if code := runHook("relsop-lint", example); code != ExitOK {
		t.Errorf("relsop-lint on a clean SOP: exit %d", code)
	}
	if code := runHook("relsop-lint", allRules, example); code == ExitOK {
		t.Errorf("relsop-lint passed an SOP with errors")
	}
}
