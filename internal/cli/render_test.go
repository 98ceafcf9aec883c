package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/templates"
)

// TestRenderGoldens renders every template to SVG, and one in the vertical
// direction too, and compares with the golden files (refresh with -update
// after looking at the change).
func TestRenderGoldens(t *testing.T) {
	dir := t.TempDir()
	type golden struct {
		name string
		path string
		args []string
	}
	var cases []golden
	for _, tpl := range templates.All() {
		path := filepath.Join(dir, tpl.Name+".sop.yaml")
		if err := os.WriteFile(path, tpl.Source, 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, golden{tpl.Name, path, nil})
		if tpl.Name == "saas-weekly" {
			cases = append(cases, golden{tpl.Name + "-vertical", path, []string{"--direction", "vertical"}})
		}
	}
	for _, tc := range cases {
		args := append([]string{"render", tc.path}, tc.args...)
		code, out, errOut := run(t, "", args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
			t.Errorf("%s: SVG is not well-formed XML: %v", tc.name, err)
		}
		_, again, _ := run(t, "", args...)
		if again != out {
			t.Errorf("%s: two renders differ", tc.name)
		}
		golden := filepath.Join("testdata", "render", tc.name+".svg")
		if *updateDocs {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/cli -run RenderGoldens -update)", err)
		}
		if !bytes.Equal(want, []byte(out)) {
			t.Errorf("%s: SVG differs from %s (run with -update after checking)", tc.name, golden)
		}
	}
}

func TestRenderFormatsAndErrors(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := run(t, "", "render", example, "-o", filepath.Join(dir, "x.json"))
	if code != ExitOK {
		t.Fatalf("json: exit %d %s", code, errOut)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "x.json"))
	var d struct {
		Lanes, Phases, Nodes, Edges []json.RawMessage
	}
	if err := json.Unmarshal(data, &d); err != nil || len(d.Nodes) == 0 || len(d.Edges) == 0 || len(d.Lanes) == 0 || len(d.Phases) == 0 {
		t.Errorf("json geometry incomplete: %v %d nodes", err, len(d.Nodes))
	}
	code, _, _ = run(t, "", "render", example, allRules, "-o", filepath.Join(dir, "many"))
	if code != ExitOK {
		t.Errorf("several files: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "many", "example.svg")); err != nil {
		t.Errorf("several files: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"render", example, "--format", "gif"}, "--format must be one of"},
		{[]string{"render", example, "--theme", "neon"}, "--theme must be one of"},
		{[]string{"render", example, "--direction", "diagonal"}, `--direction must be one of horizontal, vertical, not "diagonal"`},
		{[]string{"stats", example, "--direction", "up"}, "--direction must be one of"},
		{[]string{"render", example, "--type", "nope"}, `unknown release type "nope" (defined: major, emergency)`},
		{[]string{"render", example, allRules}, "-o must name a folder"},
		{[]string{"render", "no/such.sop.yaml"}, "cannot read"},
	} {
		code, _, errOut := run(t, "", tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestStatsJSON checks the keys relsop stats promises and the quality bar
// on every fixture and template, in both directions.
func TestStatsJSON(t *testing.T) {
	dir := t.TempDir()
	files := []string{example, allRules}
	for _, tpl := range templates.All() {
		path := filepath.Join(dir, tpl.Name+".sop.yaml")
		if err := os.WriteFile(path, tpl.Source, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	for _, path := range files {
		for _, dir := range []string{"horizontal", "vertical"} {
			code, out, errOut := run(t, "", "stats", "--format", "json", "--direction", dir, path)
			if code != ExitOK {
				t.Fatalf("%s %s: exit %d %s", path, dir, code, errOut)
			}
			var m map[string]float64
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"nodes", "edges", "crossings", "bends", "edge_length", "area", "overlaps", "edges_through_boxes", "text_overflows", "layout_ms", "render_ms"} {
				if _, ok := m[k]; !ok {
					t.Errorf("stats lacks %s", k)
				}
			}
			if m["nodes"] == 0 || m["edges"] == 0 || m["area"] == 0 || m["overlaps"] != 0 || m["edges_through_boxes"] != 0 || m["text_overflows"] != 0 {
				t.Errorf("%s %s: stats = %v", filepath.Base(path), dir, m)
			}
		}
	}
}
