package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/testenv"
)

// TestMain lets the test binary stand in for relsop when a test runs it as
// a child process (git calling relsop diff --git), so that no build is
// needed.
func TestMain(m *testing.M) {
	if os.Getenv("RELSOP_TEST_AS_RELSOP") == "1" {
		os.Exit(Main(os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

const editedSaaS = "../sopdiff/testdata/saas-weekly-edited.sop.yaml"

// saasWeekly writes the saas-weekly template into dir and returns its path.
func saasWeekly(t *testing.T, dir string) string {
	t.Helper()
	tpl, ok := templates.Get("saas-weekly")
	if !ok {
		t.Fatal("no saas-weekly template")
	}
	path := filepath.Join(dir, "saas-weekly.sop.yaml")
	if err := os.WriteFile(path, tpl.Source, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	old := saasWeekly(t, dir)
	bad := filepath.Join(dir, "bad.sop.yaml")
	os.WriteFile(bad, []byte("id: x\ntitle: y\nroles: []\nsteps:\n  - id: a\n    name: A\n    owner: nobody\n"), 0o644)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // a substring of the output; "" for none at all
		stderr   string
		noStdout bool
	}{
		{"same", []string{old, old}, ExitOK, "", "", true},
		{"differ", []string{old, editedSaaS}, ExitDifferent, `+ step rehearse-migration "Rehearse database migrations" (dba, test)`, "", false},
		{"json", []string{old, editedSaaS, "--format", "json"}, ExitDifferent, `"op": "removed"`, "", false},
		{"type", []string{old, editedSaaS, "--type", "emergency"}, ExitDifferent, "- gate security-approval", "", false},
		{"added file", []string{"/dev/null", old}, ExitDifferent, `+ gate go-no-go "Go/no-go decision"`, "", false},
		{"deleted file", []string{old, "/dev/null"}, ExitDifferent, "- step end", "", false},
		{"stdin", []string{"-", old}, ExitDifferent, "- role dba", "", false},
		{"missing file", []string{old, filepath.Join(dir, "nope.sop.yaml")}, ExitUsage, "", "cannot read", true},
		{"file that does not load", []string{bad, old}, ExitUsage, "", "bad.sop.yaml:7:12: error", true},
		{"both do not load", []string{bad, bad}, ExitUsage, "", "unknown-role", true},
		{"unknown format", []string{old, old, "--format", "html"}, ExitUsage, "", "--format must be one of text, json, svg", true},
		{"unknown type", []string{old, editedSaaS, "--type", "nightly"}, ExitUsage, "", `unknown release type "nightly"`, true},
		{"unknown theme", []string{old, old, "--format", "svg", "--theme", "neon"}, ExitUsage, "", "--theme must be", true},
		{"one file", []string{old}, ExitUsage, "", "accepts 2 arg(s)", true},
		{"two stdins", []string{"-", "-"}, ExitUsage, "", "only one of the two files", true},
		{"git with too few args", []string{"--git", "a", "b", "c"}, ExitUsage, "", "git's 7 arguments", true},
		{"git with json", []string{"--git", "--format", "json", "a", "b", "c", "d", "e", "f", "g"}, ExitUsage, "", "text format", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdin := ""
			if tc.args[0] == "-" {
				src, _ := os.ReadFile(editedSaaS)
				stdin = string(src)
			}
			code, out, errOut := run(t, stdin, append([]string{"diff"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if tc.noStdout && out != "" {
				t.Errorf("unexpected output:\n%s", out)
			}
			if !strings.Contains(out, tc.stdout) {
				t.Errorf("output lacks %q:\n%s", tc.stdout, out)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errOut)
			}
		})
	}
}

func TestDiffOutputs(t *testing.T) {
	dir := t.TempDir()
	old := saasWeekly(t, dir)
	svgOut := filepath.Join(dir, "changes.svg")
	code, out, errOut := run(t, "", "diff", old, editedSaaS, "-o", svgOut)
	if code != ExitDifferent || out != "" {
		t.Fatalf("svg: exit %d %q %s", code, out, errOut)
	}
	doc, err := os.ReadFile(svgOut)
	if err != nil || !strings.HasPrefix(string(doc), "<?xml") || !strings.Contains(string(doc), "mark-removed") {
		t.Errorf("svg output: %v\n%.200s", err, doc)
	}
	jsonOut := filepath.Join(dir, "changes.json")
	if code, _, errOut := run(t, "", "diff", old, editedSaaS, "-o", jsonOut); code != ExitDifferent {
		t.Fatalf("json: exit %d %s", code, errOut)
	}
	data, _ := os.ReadFile(jsonOut)
	var d struct {
		Metadata []struct{ Field, Old, New string }
		Changes  []struct{ Op, Kind, ID string }
	}
	if err := json.Unmarshal(data, &d); err != nil || len(d.Metadata) == 0 || len(d.Changes) == 0 {
		t.Errorf("json output: %v %+v", err, d)
	}
	// The text format is the same twice, and coloured only on a terminal.
	_, first, _ := run(t, "", "diff", old, editedSaaS)
	_, second, _ := run(t, "", "diff", old, editedSaaS)
	if first != second || strings.Contains(first, "\x1b[") {
		t.Errorf("text output unstable or coloured off a terminal")
	}
}

// TestDiffAsGitDriver runs a real git in a temporary repository with
// relsop (this test binary, see TestMain) as the diff driver of *.sop.yaml
// files, as docs/diff.md sets it up.
func TestDiffAsGitDriver(t *testing.T) {
	testenv.Tool(t, "git")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	git := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "diff.relsop.command='" + exe + "' diff --git", "-c", "core.pager=cat"}, args...)...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "RELSOP_TEST_AS_RELSOP=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out), stderr.String()
	}
	write := func(name string, src []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(repo, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tpl, _ := templates.Get("saas-weekly")
	edited, err := os.ReadFile(editedSaaS)
	if err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	write(".gitattributes", []byte("*.sop.yaml diff=relsop\n"))
	write("release.sop.yaml", tpl.Source)
	git("add", ".")
	git("commit", "-q", "-m", "first")

	// A changed file: the semantic diff under a header naming the path.
	write("release.sop.yaml", edited)
	out, _ := git("diff")
	for _, want := range []string{
		"diff --relsop a/release.sop.yaml b/release.sop.yaml\n",
		`title: "Weekly SaaS feature release" → "Weekly SaaS release train"`,
		`+ step rehearse-migration "Rehearse database migrations" (dba, test)`,
		`- gate security-approval "Security approval"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("git diff lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "@@") {
		t.Errorf("git diff shows a line diff:\n%s", out)
	}

	// A new file is compared with an empty SOP.
	write("other.sop.yaml", tpl.Source)
	git("add", "other.sop.yaml")
	out, _ = git("diff", "--cached")
	if !strings.Contains(out, "diff --relsop a/other.sop.yaml b/other.sop.yaml\nnew file\n") || !strings.Contains(out, "+ step cut-branch") {
		t.Errorf("git diff --cached of a new file:\n%s", out)
	}

	// Only formatting changed: said so, not an empty diff.
	write("other.sop.yaml", append([]byte("# a comment\n"), tpl.Source...))
	out, _ = git("diff", "other.sop.yaml")
	if !strings.Contains(out, "(same meaning: only formatting or comments differ)") {
		t.Errorf("comment-only change:\n%s", out)
	}

	// A revision that does not load: its findings on stderr, a line diff on
	// stdout, and git goes on.
	write("release.sop.yaml", []byte("id: x\ntitle: [unclosed\n"))
	out, errOut := git("diff", "release.sop.yaml")
	if !strings.Contains(errOut, "b/release.sop.yaml:") || !strings.Contains(out, "+title: [unclosed") {
		t.Errorf("broken revision:\nstdout: %s\nstderr: %s", out, errOut)
	}
}
