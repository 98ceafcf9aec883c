package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runFmt runs the fmt command alone, mapping its error to an exit code as
// Main does.
func runFmt(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	cmd := newFmtCmd(env)
	cmd.SetArgs(args)
	cmd.SetIn(env.Stdin)
	cmd.SetOut(env.Stdout)
	cmd.SetErr(env.Stderr)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
		code = ExitOK
	case errors.As(err, &ee):
		code = ee.code
	default:
		errb.WriteString(err.Error())
		code = ExitUsage
	}
	return code, out.String(), errb.String()
}

const (
	messySOP     = "title: T\nid: x   # the id\nroles:\n- {id: a, name: A}\n"
	formattedSOP = "id: x  # the id\ntitle: T\nroles:\n  - id: a\n    name: A\n"
)

// writeSOP writes a file in a temporary directory and returns its path.
func writeSOP(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFmtStdin(t *testing.T) {
	for _, args := range [][]string{nil, {"-"}} {
		code, out, errOut := runFmt(t, messySOP, args...)
		if code != ExitOK || out != formattedSOP || errOut != "" {
			t.Errorf("fmt %v: exit %d, stderr %q, stdout:\n%s", args, code, errOut, out)
		}
	}
}

// TestFmtCRLF checks that Windows line ends keep comments in place.
func TestFmtCRLF(t *testing.T) {
	src := "# top\r\ntitle: T\r\n# about id\r\nid: x  # the id\r\nnotes: |\r\n  a\r\n  b\r\n"
	want := "# top\n# about id\nid: x  # the id\ntitle: T\nnotes: |\n  a\n  b\n"
	if code, out, _ := runFmt(t, src); code != ExitOK || out != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
}

func TestFmtFilesToStdout(t *testing.T) {
	a := writeSOP(t, "a.sop.yaml", messySOP, 0o644)
	b := writeSOP(t, "b.sop.yaml", formattedSOP, 0o644)
	code, out, _ := runFmt(t, "", a, b)
	if code != ExitOK || out != formattedSOP+formattedSOP {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}
	if src, _ := os.ReadFile(a); string(src) != messySOP {
		t.Error("fmt without -w changed the file")
	}
}

func TestFmtWrite(t *testing.T) {
	messy := writeSOP(t, "messy.sop.yaml", messySOP, 0o600)
	tidy := writeSOP(t, "tidy.sop.yaml", formattedSOP, 0o644)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(tidy, old, old)
	code, out, errOut := runFmt(t, "", "-w", messy, tidy)
	if code != ExitOK || out != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if src, _ := os.ReadFile(messy); string(src) != formattedSOP {
		t.Errorf("file not rewritten:\n%s", src)
	}
	if fi, _ := os.Stat(messy); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(tidy); !fi.ModTime().Equal(old) {
		t.Error("a formatted file was rewritten")
	}
	entries, _ := os.ReadDir(filepath.Dir(messy))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestFmtWriteKeepsSymlink(t *testing.T) {
	target := writeSOP(t, "real.sop.yaml", messySOP, 0o644)
	link := filepath.Join(t.TempDir(), "link.sop.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatalf("cannot make a symbolic link to test with: %v", err)
	}
	if code, _, errOut := runFmt(t, "", "-w", link); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if src, _ := os.ReadFile(target); string(src) != formattedSOP {
		t.Errorf("target not rewritten:\n%s", src)
	}
}

func TestFmtCheck(t *testing.T) {
	messy := writeSOP(t, "messy.sop.yaml", messySOP, 0o644)
	tidy := writeSOP(t, "tidy.sop.yaml", formattedSOP, 0o644)
	code, out, _ := runFmt(t, "", "--check", messy, tidy)
	if code != ExitFindings || out != messy+"\n" {
		t.Errorf("--check: exit %d, stdout %q; want 1 and %q", code, out, messy)
	}
	if code, out, _ := runFmt(t, "", "--check", tidy); code != ExitOK || out != "" {
		t.Errorf("--check on a formatted file: exit %d, stdout %q", code, out)
	}
	if code, out, _ := runFmt(t, messySOP, "--check"); code != ExitFindings || out != "<stdin>\n" {
		t.Errorf("--check on stdin: exit %d, stdout %q", code, out)
	}
}

func TestFmtDiff(t *testing.T) {
	messy := writeSOP(t, "messy.sop.yaml", messySOP, 0o644)
	tidy := writeSOP(t, "tidy.sop.yaml", formattedSOP, 0o644)
	code, out, _ := runFmt(t, "", "--diff", messy, tidy)
	want := "--- " + messy + ".orig\n+++ " + messy + "\n" +
		"@@ -1,4 +1,5 @@\n+id: x  # the id\n title: T\n-id: x   # the id\n roles:\n-- {id: a, name: A}\n+  - id: a\n+    name: A\n"
	if code != ExitOK || out != want {
		t.Errorf("--diff: exit %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
	if code, _, _ := runFmt(t, "", "--diff", "--check", messy); code != ExitFindings {
		t.Errorf("--diff --check: exit %d, want 1", code)
	}
	if code, out, _ := runFmt(t, "", "--diff", "--check", tidy); code != ExitOK || out != "" {
		t.Errorf("--diff --check on a formatted file: exit %d, stdout %q", code, out)
	}
}

func TestFmtErrors(t *testing.T) {
	bad := writeSOP(t, "bad.sop.yaml", "id: x\nnext: [a, b\n", 0o644)
	good := writeSOP(t, "good.sop.yaml", messySOP, 0o644)
	code, out, errOut := runFmt(t, "", "-w", bad, good)
	if code != ExitUsage || out != "" {
		t.Errorf("parse error: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{bad + ":", "error:", "[yaml-syntax]", " | ", "hint:"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if src, _ := os.ReadFile(good); string(src) != formattedSOP {
		t.Error("a parse error in one file stopped the others from being formatted")
	}
	if src, _ := os.ReadFile(bad); string(src) != "id: x\nnext: [a, b\n" {
		t.Error("a file that does not parse was changed")
	}

	for _, tt := range []struct {
		name string
		args []string
	}{
		{"-w with stdin", []string{"-w"}},
		{"-w with -", []string{"-w", "-"}},
		{"stdin twice", []string{"-", "-"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.sop.yaml")}},
	} {
		if code, _, errOut := runFmt(t, messySOP, tt.args...); code != ExitUsage || errOut == "" {
			t.Errorf("%s: exit %d, stderr %q; want 2 and a message", tt.name, code, errOut)
		}
	}
}

// TestFmtRefusesUnwritableTree covers a flow mapping repeating a key, which
// the YAML parser accepts when the first has no value but which has no
// block form: relsop refuses it when parsing, and fmt leaves the file alone.
func TestFmtRefusesUnwritableTree(t *testing.T) {
	src := "id: x\nreview: {cadence, cadence: weekly}\n"
	path := writeSOP(t, "dup.sop.yaml", src, 0o644)
	code, _, errOut := runFmt(t, "", "-w", path)
	if code != ExitUsage || !strings.Contains(errOut, `dup.sop.yaml:2:19: error: YAML: mapping key "cadence" is repeated [duplicate-key]`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != src {
		t.Error("the file was changed")
	}
}
