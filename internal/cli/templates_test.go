package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
	"github.com/spf13/cobra"
)

// runTemplateCLI runs relsop as Main does, with the templates and new
// commands registered whether or not root.go adds them itself.
func runTemplateCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}
	root := newRoot(&env)
	for name, mk := range map[string]func(*Env) *cobra.Command{"templates": newTemplatesCmd, "new": newNewCmd} {
		if c, _, err := root.Find([]string{name}); err != nil || c == root {
			root.AddCommand(mk(&env))
		}
	}
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.Execute()
	var ee *exitError
	switch {
	case err == nil:
		code = ExitOK
	case errors.As(err, &ee):
		code = ee.code
	default:
		fmt.Fprintf(&errb, "relsop: %v\n", err)
		code = ExitUsage
	}
	return code, out.String(), errb.String()
}

func TestTemplatesList(t *testing.T) {
	code, out, errOut := runTemplateCLI(t, "templates")
	if code != ExitOK || errOut != "" {
		t.Fatalf("templates: exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1+len(templates.All()) || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("templates output:\n%s", out)
	}
	// Columns are aligned: the description starts at the same offset on every line.
	col := strings.Index(lines[0], "DESCRIPTION")
	for i, tpl := range templates.All() {
		line := lines[i+1]
		if !strings.HasPrefix(line, tpl.Name+" ") || !strings.Contains(line, " "+tpl.Profile+" ") {
			t.Errorf("line %q does not list %s (%s)", line, tpl.Name, tpl.Profile)
		}
		if strings.Index(line, tpl.Description) != col {
			t.Errorf("description of %s not aligned at column %d: %q", tpl.Name, col, line)
		}
	}
	for _, name := range []string{"saas-weekly", "enterprise-cab", "devops-cicd", "regulated-healthcare"} {
		if !strings.Contains(out, name) {
			t.Errorf("listing lacks %s", name)
		}
	}
	if code, _, _ := runTemplateCLI(t, "templates", "extra"); code != ExitUsage {
		t.Errorf("templates with an argument: exit %d, want %d", code, ExitUsage)
	}
}

func TestTemplateNewWritesValidFile(t *testing.T) {
	dir := t.TempDir()
	for _, tpl := range templates.All() {
		path := filepath.Join(dir, tpl.Name+".sop.yaml")
		code, out, errOut := runTemplateCLI(t, "new", "--template", tpl.Name, "-o", path)
		if code != ExitOK || out != "" {
			t.Fatalf("new %s: exit %d, stdout %q, stderr %q", tpl.Name, code, out, errOut)
		}
		if !strings.Contains(errOut, "wrote "+path) || !strings.Contains(errOut, "relsop lint") {
			t.Errorf("new %s: stderr %q", tpl.Name, errOut)
		}
		if tpl.Profile == templates.ProfileRegulated && !strings.Contains(errOut, "--profile regulated") {
			t.Errorf("new %s: the hint does not name the regulated profile: %q", tpl.Name, errOut)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(src, tpl.Source) {
			t.Errorf("new %s wrote something other than the template", tpl.Name)
		}
		if code, out, errOut := runTemplateCLI(t, "validate", path); code != ExitOK || out != "1 file valid\n" {
			t.Errorf("validate %s: exit %d %q %q", path, code, out, errOut)
		}
	}
}

func TestTemplateNewToStdout(t *testing.T) {
	want, _ := templates.Get("devops-cicd")
	for _, args := range [][]string{{"new", "--template", "devops-cicd"}, {"new", "-t", "devops-cicd", "-o", "-"}} {
		code, out, errOut := runTemplateCLI(t, args...)
		if code != ExitOK || out != string(want.Source) || errOut != "" {
			t.Errorf("%v: exit %d, %d bytes out, stderr %q", args, code, len(out), errOut)
		}
		if res := compile.Load([]byte(out)); len(res.Errors) > 0 {
			t.Errorf("%v: output does not load: %v", args, res.Errors)
		}
	}
}

func TestTemplateNewRefusesOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "release.sop.yaml")
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runTemplateCLI(t, "new", "--template", "saas-weekly", "-o", path)
	if code != ExitUsage || !strings.Contains(errOut, "already exists") || !strings.Contains(errOut, "--force") {
		t.Errorf("overwrite without --force: exit %d, stderr %q", code, errOut)
	}
	if src, _ := os.ReadFile(path); string(src) != "mine\n" {
		t.Errorf("the existing file was changed: %q", src)
	}
	code, _, errOut = runTemplateCLI(t, "new", "--template", "saas-weekly", "-o", path, "--force")
	want, _ := templates.Get("saas-weekly")
	if src, _ := os.ReadFile(path); code != ExitOK || !bytes.Equal(src, want.Source) {
		t.Errorf("overwrite with --force: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runTemplateCLI(t, "new", "--template", "saas-weekly", "-o", t.TempDir())
	if code != ExitUsage || !strings.Contains(errOut, "is a directory") {
		t.Errorf("-o DIR: exit %d, stderr %q", code, errOut)
	}
}

func TestTemplateNewUnknownName(t *testing.T) {
	code, out, errOut := runTemplateCLI(t, "new", "--template", "saas-weekley")
	if code != ExitUsage || out != "" {
		t.Errorf("unknown template: exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, `unknown template "saas-weekley"`) || !strings.Contains(errOut, `did you mean "saas-weekly"?`) {
		t.Errorf("unknown template: stderr %q", errOut)
	}
	for _, name := range templates.Names() {
		if !strings.Contains(errOut, name) {
			t.Errorf("unknown template: the message does not list %s: %q", name, errOut)
		}
	}
	for name, want := range map[string]string{"healthcare": "regulated-healthcare", "CAB": "enterprise-cab", "devops-cdci": "devops-cicd"} {
		if _, _, errOut := runTemplateCLI(t, "new", "-t", name); !strings.Contains(errOut, `did you mean "`+want+`"?`) {
			t.Errorf("new -t %s: no suggestion of %s: %q", name, want, errOut)
		}
	}
	if _, _, errOut := runTemplateCLI(t, "new", "-t", "e"); strings.Contains(errOut, "did you mean") {
		t.Errorf("new -t e: an ambiguous part should suggest nothing: %q", errOut)
	}
	code, _, errOut = runTemplateCLI(t, "new")
	if code != ExitUsage || !strings.Contains(errOut, "--template is required") || !strings.Contains(errOut, "regulated-healthcare") {
		t.Errorf("new without --template: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runTemplateCLI(t, "new", "--template", "saas-weekly", "release.sop.yaml")
	if code != ExitUsage {
		t.Errorf("new with a positional argument: exit %d, stderr %q", code, errOut)
	}
}

func TestTemplateNameCompletion(t *testing.T) {
	code, out, _ := runTemplateCLI(t, "__complete", "new", "--template", "")
	if code != ExitOK {
		t.Fatalf("completion: exit %d", code)
	}
	for _, tpl := range templates.All() {
		if !strings.Contains(out, tpl.Name+"\t"+tpl.Description) {
			t.Errorf("completion lacks %s:\n%s", tpl.Name, out)
		}
	}
	if !strings.Contains(out, ":4") { // ShellCompDirectiveNoFileComp
		t.Errorf("completion should not offer files:\n%s", out)
	}
}

func TestTemplateCommandsHelp(t *testing.T) {
	for _, cmd := range []string{"templates", "new"} {
		code, out, _ := runTemplateCLI(t, cmd, "--help")
		if code != ExitOK || !strings.Contains(out, "Usage:") || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help: exit %d\n%s", cmd, code, out)
		}
	}
}
