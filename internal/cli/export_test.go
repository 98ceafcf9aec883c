package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/export"
	"github.com/relsop/relsop/internal/synth"
)

func TestExport(t *testing.T) {
	const tpl = "../templates/saas-weekly.sop.yaml"
	out := filepath.Join(t.TempDir(), "out.bpmn")
	tests := []struct {
		name   string
		args   []string
		code   int
		prefix string // of standard output
	}{
		{"bpmn", []string{"export", example, "--format", "bpmn"}, ExitOK, `<?xml version="1.0" encoding="UTF-8"?>`},
		{"mermaid", []string{"export", example, "--format", "mermaid"}, ExitOK, "---\ntitle: "},
		{"plantuml", []string{"export", example, "--format", "plantuml"}, ExitOK, "@startuml\n"},
		{"drawio", []string{"export", example, "--format", "drawio"}, ExitOK, "<mxfile "},
		{"dot", []string{"export", example, "--format", "dot"}, ExitOK, "digraph "},
		{"d2", []string{"export", example, "--format", "d2"}, ExitOK, "direction: right\n"},
		{"dot by default", []string{"export", example}, ExitOK, "digraph "},
		{"json", []string{"export", example, "--format", "json"}, ExitOK, "{\n"},
		{"release type", []string{"export", tpl, "--format", "mermaid", "--type", "emergency"}, ExitOK, "---\n"},
		{"to a file", []string{"export", example, "--format", "bpmn", "-o", out}, ExitOK, ""},
		{"unknown format", []string{"export", example, "--format", "visio"}, ExitUsage, ""},
		{"unknown type", []string{"export", tpl, "--type", "hotfix"}, ExitUsage, ""},
		{"missing file", []string{"export", "no/such.sop.yaml"}, ExitUsage, ""},
		{"no file", []string{"export"}, ExitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.HasPrefix(stdout, tt.prefix) {
				t.Errorf("output starts %.60q, want %q", stdout, tt.prefix)
			}
			if tt.code == ExitOK && tt.prefix != "" {
				if _, again, _ := run(t, "", tt.args...); again != stdout {
					t.Error("two exports of the same file differ")
				}
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), "<bpmn:definitions") {
		t.Errorf("-o wrote %.60q (%v), want a BPMN file", data, err)
	}
}

// TestExportJSONIsTheResolvedFlow checks that json with --type is the
// release type's flow as relsop resolve prints it.
func TestExportJSONIsTheResolvedFlow(t *testing.T) {
	const tpl = "../templates/saas-weekly.sop.yaml"
	_, exported, _ := run(t, "", "export", tpl, "--format", "json", "--type", "emergency")
	_, resolved, _ := run(t, "", "resolve", tpl, "--type", "emergency", "--format", "json")
	if exported != resolved {
		t.Error("export --format json --type differs from resolve --format json")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(exported), &v); err != nil {
		t.Fatal(err)
	}
	if _, ok := v["release_types"]; ok {
		t.Error("the resolved flow still lists release types")
	}
}

// TestExportNotesLargeGraphs checks that exporting an SOP of 50 steps or
// more to Mermaid or D2 says on standard error that their dagre layouts
// often give up on such graphs, and that nothing is said for smaller SOPs
// or for formats without that limit; the file is written either way.
func TestExportNotesLargeGraphs(t *testing.T) {
	large := filepath.Join(t.TempDir(), "large.sop.yaml")
	if err := os.WriteFile(large, []byte(synth.SOP(60, 12, 8)), 0o644); err != nil {
		t.Fatal(err)
	}
	const tpl = "../templates/saas-weekly.sop.yaml"
	tests := []struct {
		file, format string
		note         string // a part of the note; "" for none
	}{
		{large, "mermaid", "Mermaid's layout (dagre) often gives up on lane-clustered graphs of 50 steps or more (this one has 60)"},
		{large, "d2", "D2's default layout (dagre) often gives up"},
		{large, "dot", ""},
		{large, "bpmn", ""},
		{tpl, "mermaid", ""},
		{tpl, "d2", ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, "", "export", tt.file, "--format", tt.format)
		if code != ExitOK || stdout == "" {
			t.Fatalf("%s to %s: exit %d, %d bytes written; stderr:\n%s", tt.file, tt.format, code, len(stdout), stderr)
		}
		switch {
		case tt.note == "" && stderr != "":
			t.Errorf("%s to %s: want nothing on standard error, got %q", filepath.Base(tt.file), tt.format, stderr)
		case tt.note != "" && !strings.Contains(stderr, tt.note):
			t.Errorf("%s to %s: standard error %q, want a note with %q", filepath.Base(tt.file), tt.format, stderr, tt.note)
		case tt.note != "" && !strings.Contains(stderr, "draw it with relsop render"):
			t.Errorf("%s to %s: the note %q does not say what to do instead", filepath.Base(tt.file), tt.format, stderr)
		case tt.note != "" && !strings.HasPrefix(stderr, "relsop: "+tt.file+": "):
			t.Errorf("standard error %q does not name the file", stderr)
		}
	}
}

// TestExportFormatFromExtension: with -o and no --format, the file's
// extension says the format, as for render; an extension that names none
// is refused rather than written as DOT; --format wins when given.
func TestExportFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	for _, f := range export.Formats {
		if got, ok := export.ByExtension("x" + f.Extension); !ok || got != f.Name {
			t.Errorf("the extension %s of %s reads as %q", f.Extension, f.Name, got)
		}
	}
	for _, tc := range []struct{ file, start string }{
		{"release.md", "# "}, {"release.mmd", "---\ntitle:"}, {"release.bpmn", "<?xml"}, {"release.gv", "digraph"},
	} {
		out := filepath.Join(dir, tc.file)
		if code, _, errOut := run(t, "", "export", example, "-o", out); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", tc.file, code, errOut)
		}
		if data, _ := os.ReadFile(out); !strings.HasPrefix(string(data), tc.start) {
			t.Errorf("%s starts %q, want %q", tc.file, firstLine(string(data)), tc.start)
		}
	}
	code, _, errOut := run(t, "", "export", example, "-o", filepath.Join(dir, "release.txt"))
	if code != ExitUsage || !strings.Contains(errOut, "cannot tell the format from the name") {
		t.Errorf("unknown extension: exit %d: %s", code, errOut)
	}
	out := filepath.Join(dir, "forced.md")
	run(t, "", "export", example, "--format", "dot", "-o", out)
	if data, _ := os.ReadFile(out); !strings.HasPrefix(string(data), "digraph") {
		t.Errorf("--format dot with a .md name wrote %q", firstLine(string(data)))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
