package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/lint"
)

var allRulesArgs = []string{"--profile", "regulated", "--config", allRulesConfig, "--today", "2026-11-25", allRules}

// TestLintGitHubAnnotations: --format github prints one workflow command
// per finding, at the finding's file, line and column, then the summary.
func TestLintGitHubAnnotations(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "")
	t.Setenv("CI_PROJECT_DIR", "")
	code, out, _ := run(t, "", append([]string{"lint", "--format", "github"}, allRulesArgs...)...)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d as for text", code, ExitFindings)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	annotation := regexp.MustCompile(`^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=relsop ([a-z-]+)::(.+)$`)
	rules := map[string]bool{}
	for _, l := range lines[:len(lines)-1] {
		m := annotation.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not an annotation at a position: %q", l)
			continue
		}
		if m[2] != filepath.ToSlash(filepath.Clean(allRules)) {
			t.Errorf("file = %q, want %q", m[2], allRules)
		}
		rules[m[5]] = true
	}
	if len(rules) != len(lint.RuleIDs()) {
		t.Errorf("annotations for %d rules, want all %d", len(rules), len(lint.RuleIDs()))
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "1 file checked: ") {
		t.Errorf("last line = %q, want the summary", last)
	}
}

// TestLintGitLabCodeQuality: --format gitlab writes a Code Quality report
// with an entry per finding, each with what GitLab requires.
func TestLintGitLabCodeQuality(t *testing.T) {
	t.Setenv("GITHUB_WORKSPACE", "")
	t.Setenv("CI_PROJECT_DIR", "")
	code, out, _ := run(t, "", append([]string{"lint", "--format", "gitlab"}, allRulesArgs...)...)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	var issues []struct {
		CheckName   string `json:"check_name"`
		Description string
		Fingerprint string
		Severity    string
		Location    struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	_, jsonOut, _ := run(t, "", append([]string{"lint", "--format", "json"}, allRulesArgs...)...)
	var doc struct{ Findings []struct{ Line int } }
	json.Unmarshal([]byte(jsonOut), &doc)
	if len(issues) != len(doc.Findings) || len(issues) == 0 {
		t.Fatalf("%d issues, %d findings", len(issues), len(doc.Findings))
	}
	prints := map[string]bool{}
	for i, is := range issues {
		if !strings.HasPrefix(is.CheckName, "relsop/") || is.Description == "" || is.Location.Path != filepath.ToSlash(filepath.Clean(allRules)) ||
			is.Location.Lines.Begin != doc.Findings[i].Line || prints[is.Fingerprint] {
			t.Errorf("issue %d = %+v", i, is)
		}
		prints[is.Fingerprint] = true
	}
}

// TestLintPathsRelativeToCheckout: on a CI runner, findings name files
// relative to the checkout's root, wherever lint ran and however the files
// were named, since annotations and reports are matched to the repository.
func TestLintPathsRelativeToCheckout(t *testing.T) {
	root := t.TempDir()
	sops := filepath.Join(root, "release", "sops")
	os.MkdirAll(sops, 0o755)
	src, err := os.ReadFile(allRules)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(sops, "all.sop.yaml")
	os.WriteFile(file, src, 0o644)
	for _, env := range []string{"GITHUB_WORKSPACE", "CI_PROJECT_DIR"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("GITHUB_WORKSPACE", "")
			t.Setenv("CI_PROJECT_DIR", "")
			t.Setenv(env, root)
			_, out, _ := run(t, "", "lint", "--format", "github", file)
			if !strings.Contains(out, "file=release/sops/all.sop.yaml,") || strings.Contains(out, root) {
				t.Errorf("annotations do not name the file from the checkout's root:\n%s", out)
			}
			_, out, _ = run(t, "", "lint", "--format", "sarif", file)
			if !strings.Contains(out, `"uri": "release/sops/all.sop.yaml"`) {
				t.Errorf("SARIF does not name the file from the checkout's root:\n%.600s", out)
			}
			// Text is for people: the path stays as they gave it.
			_, out, _ = run(t, "", "lint", file)
			if !strings.Contains(out, file+":") {
				t.Errorf("text output changed the path:\n%.300s", out)
			}
		})
	}
	// A file outside the checkout keeps its path.
	t.Setenv("GITHUB_WORKSPACE", filepath.Join(root, "release"))
	outside := filepath.Join(t.TempDir(), "x.sop.yaml")
	os.WriteFile(outside, src, 0o644)
	_, out, _ := run(t, "", "lint", "--format", "gitlab", outside)
	if !strings.Contains(out, `"path": "`+filepath.ToSlash(outside)+`"`) {
		t.Errorf("a file outside the checkout lost its path:\n%.400s", out)
	}
}
