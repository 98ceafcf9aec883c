package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/templates"
)

func TestEditCommand(t *testing.T) {
	tpl, _ := templates.Get("saas-weekly")
	path := filepath.Join(t.TempDir(), "release.sop.yaml")
	os.WriteFile(path, tpl.Source, 0o644)

	code, diff, errOut := run(t, "", "edit", path, "add a step 'Notify support' after run production smoke tests")
	if code != ExitOK || !strings.Contains(diff, "+  - id: ") || !strings.Contains(errOut, "added step") {
		t.Fatalf("dry run: exit %d, diff %q, stderr %q", code, diff, errOut)
	}
	if src, _ := os.ReadFile(path); string(src) != string(tpl.Source) {
		t.Error("the dry run changed the file")
	}
	if code, _, errOut := run(t, "", "edit", path, "add a step 'Notify support' after run production smoke tests", "-w"); code != ExitOK {
		t.Fatalf("-w: exit %d: %s", code, errOut)
	}
	src, _ := os.ReadFile(path)
	if !strings.Contains(string(src), "Notify support") || !strings.Contains(string(src), "# yaml-language-server") {
		t.Error("-w did not write the edit, or lost the comment")
	}
	if code, _, _ := run(t, "", "lint", path); code != ExitOK {
		t.Error("edited SOP fails lint")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"edit", path}, "accepts 2 arg"},
		{[]string{"edit", path, "make it nicer"}, "not understood"},
		{[]string{"edit", path, "remove the deploy step"}, "deploy-canary"},
		{[]string{"edit", path, "x", "-w", "--dry-run"}, "do not go together"},
	} {
		code, _, errOut := run(t, "", tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
