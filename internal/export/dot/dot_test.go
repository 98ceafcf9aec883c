package dot

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/testenv"
)

// TestDotAcceptsEveryTemplate runs the real Graphviz dot on every template.
func TestDotAcceptsEveryTemplate(t *testing.T) {
	dotBin := testenv.Tool(t, "dot")
	files, _ := filepath.Glob("../../templates/*.sop.yaml")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := compile.Load(src)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors[0])
		}
		runDot(t, dotBin, Export(res.SOP), len(res.SOP.Steps))
	}
}

// TestDotReadsHostileLabelsAsText checks that quotes, backslashes,
// newlines, brackets and injection attempts stay plain label text.
func TestDotReadsHostileLabelsAsText(t *testing.T) {
	dotBin := testenv.Tool(t, "dot")
	names := []string{`say "hi"`, `back\slash \N \l`, "two\nlines", `"]; x [label="pwned`, `</b><script>`, `-->`, "日本 🚀", `a;b{c}`}
	sop := &relsop.SOP{ID: "x", Title: `Title "quoted"`, Roles: []relsop.Role{{ID: "r", Name: `Lane "}`}}}
	for i, n := range names {
		st := relsop.Step{ID: string(rune('a' + i)), Name: n, Owner: "r"}
		if i+1 < len(names) {
			st.Next = []string{string(rune('a' + i + 1))}
		}
		sop.Steps = append(sop.Steps, st)
	}
	out := runDot(t, dotBin, Export(sop), len(names))
	for i, n := range names {
		want := n
		if got := out[string(rune('a'+i))]; got != want {
			t.Errorf("label of %q read back as %q, want %q", n, got, want)
		}
	}
}

// runDot draws src with dot -Tsvg and returns the text Graphviz drew for
// each node (its lines joined by newlines), keyed by node id.
func runDot(t *testing.T, dotBin string, src []byte, nodes int) map[string]string {
	t.Helper()
	cmd := exec.Command(dotBin, "-Tsvg")
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot: %v %s\n%s", err, stderr.String(), src)
	}
	type text struct {
		Value string `xml:",chardata"`
	}
	type group struct {
		Class string  `xml:"class,attr"`
		Title string  `xml:"title"`
		Texts []text  `xml:"text"`
		Inner []group `xml:"g"`
	}
	var svg struct {
		Groups []group `xml:"g"`
	}
	if err := xml.Unmarshal(out, &svg); err != nil {
		t.Fatalf("dot's SVG does not parse: %v", err)
	}
	labels := map[string]string{}
	var walk func(gs []group)
	walk = func(gs []group) {
		for _, g := range gs {
			if g.Class == "node" {
				var lines []string
				for _, tx := range g.Texts {
					lines = append(lines, tx.Value)
				}
				labels[g.Title] = strings.Join(lines, "\n")
			}
			walk(g.Inner)
		}
	}
	walk(svg.Groups)
	if len(labels) != nodes {
		t.Errorf("dot drew %d nodes, want %d", len(labels), nodes)
	}
	return labels
}
