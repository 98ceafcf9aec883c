package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImport(t *testing.T) {
	const dir = "testdata/import/"
	out := filepath.Join(t.TempDir(), "out.sop.yaml")
	bpmnFile := filepath.Join(t.TempDir(), "saas.bpmn")
	if code, _, stderr := run(t, "", "export", "../templates/saas-weekly.sop.yaml", "--format", "bpmn", "-o", bpmnFile); code != ExitOK {
		t.Fatalf("export failed: %s", stderr)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a part of standard output
		stderr []string
	}{
		{"github actions detected", []string{"import", dir + "release.yml"}, ExitOK, "kind: deploy",
			[]string{"as github-actions", dir + "release.yml:6:1: warning: workflow key permissions: is not imported [import-unmapped]",
				"assumptions:", "environment \"production\" is protected", "review of the imported SOP"}},
		{"gitlab ci detected", []string{"import", dir + ".gitlab-ci.yml"}, ExitOK, "kind: gate",
			[]string{"as gitlab-ci", dir + ".gitlab-ci.yml:5:3: warning: job keyword cache:", "has no rollback path"}},
		{"bpmn round trip", []string{"import", bpmnFile}, ExitOK, "id: go-no-go", []string{"as bpmn"}},
		{"explicit format", []string{"import", dir + "release.yml", "--from", "github-actions", "-o", out}, ExitOK, "", []string{"as github-actions"}},
		{"wrong explicit format", []string{"import", dir + "release.yml", "--from", "bpmn"}, ExitUsage, "", []string{dir + "release.yml:1:1: error: the file holds no XML element"}},
		{"needs cycle", []string{"import", dir + "cycle.yml"}, ExitUsage, "", []string{dir + "cycle.yml:", "needs: form a cycle", "[import-cycle]"}},
		{"entities refused", []string{"import", dir + "xxe.bpmn"}, ExitUsage, "", []string{dir + "xxe.bpmn:2:1: error: a DOCTYPE declaration is refused", "[import-unsafe]"}},
		{"unknown format", []string{"import", dir + "release.yml", "--from", "jenkins"}, ExitUsage, "", []string{"--from must be one of bpmn, github-actions, gitlab-ci"}},
		{"missing file", []string{"import", "no/such.yml"}, ExitUsage, "", []string{"cannot read no/such.yml"}},
		{"no file", []string{"import"}, ExitUsage, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("standard output does not hold %q:\n%.400s", tt.stdout, stdout)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("standard error does not hold %q:\n%s", want, stderr)
				}
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), "kind: deploy") {
		t.Errorf("-o wrote %.60q (%v), want the SOP", data, err)
	}
	// The written SOP validates.
	if code, _, stderr := run(t, "", "validate", out); code != ExitOK {
		t.Errorf("the imported SOP does not validate:\n%s", stderr)
	}
}

func TestImportStdin(t *testing.T) {
	src, err := os.ReadFile("testdata/import/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, string(src), "import", "-")
	if code != ExitOK || !strings.Contains(stdout, "kind: deploy") {
		t.Errorf("exit code %d; stderr:\n%s", code, stderr)
	}
}
