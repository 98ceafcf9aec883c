package d2

import (
	"encoding/base64"
	"encoding/xml"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	exporttest.TemplateGoldens(t, ".d2", Export, *update)
}

// TestD2AcceptsEverySOP compiles every template flow and generated SOPs
// with the real d2 (d2 validate compiles without laying out).
func TestD2AcceptsEverySOP(t *testing.T) {
	d2 := testenv.Tool(t, "d2")
	dir := t.TempDir()
	flows := exporttest.Flows(t)
	r := rand.New(rand.NewPCG(2, 2))
	for i := range 20 {
		flows = append(flows, exporttest.Template{Name: fmt.Sprintf("generated-%02d", i), SOP: exporttest.RandomSOP(r)})
	}
	for _, f := range flows {
		path := filepath.Join(dir, strings.ReplaceAll(f.Name, "/", "-")+".d2")
		if err := os.WriteFile(path, Export(f.SOP), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(d2, "validate", path).CombinedOutput(); err != nil {
			t.Errorf("%s: d2 validate: %v\n%s", f.Name, err, out)
		}
	}
}

// TestD2ReadsHostileLabelsAsText renders the hostile SOP with the real d2
// and reads the text it drew for each shape and edge back from the SVG,
// where D2 names each group by its object's id (base64).
func TestD2ReadsHostileLabelsAsText(t *testing.T) {
	d2 := testenv.Tool(t, "d2")
	sop := exporttest.HostileSOP()
	dir := t.TempDir()
	src, svg := filepath.Join(dir, "hostile.d2"), filepath.Join(dir, "hostile.svg")
	if err := os.WriteFile(src, Export(sop), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(d2, src, svg).CombinedOutput(); err != nil {
		t.Fatalf("d2: %v\n%s", err, out)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	drawn := drawnText(t, data)
	want := map[string]string{"title": sop.Title, "lane0": sop.Roles[0].Name, "lane1": sop.Roles[1].Name}
	for i, name := range exporttest.HostileNames {
		want[fmt.Sprintf("lane%d.s_s%d", i%2, i)] = name
	}
	gate := sop.Step("gate")
	want["lane1.(s_gate -> s_end)[0]"] = gate.Outcomes[0].Label
	want["(lane1.s_gate -> lane0.s_s0)[0]"] = gate.Outcomes[1].Label
	for id, w := range want {
		if got, ok := drawn[id]; !ok || got != w {
			t.Errorf("%s drawn as %q, want %q", id, got, w)
		}
	}
	shapes := 0
	for id := range drawn {
		if strings.Contains(id, ".s_") && !strings.Contains(id, "->") {
			shapes++
		}
	}
	if want := len(sop.Steps); shapes != want {
		t.Errorf("d2 drew %d step shapes, want %d:\n%v", shapes, want, drawn)
	}
}

// drawnText maps each object id of a d2 SVG to the text drawn in its
// group, lines joined by newlines.
func drawnText(t *testing.T, svg []byte) map[string]string {
	t.Helper()
	type text struct {
		Chars  string   `xml:",chardata"`
		Tspans []string `xml:"tspan"`
	}
	type group struct {
		Class string  `xml:"class,attr"`
		Texts []text  `xml:"text"`
		Inner []group `xml:"g"`
	}
	var doc struct {
		Groups []group `xml:"svg>g"`
		Inner  []group `xml:"g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("d2's SVG does not parse: %v", err)
	}
	out := map[string]string{}
	var walk func([]group)
	walk = func(gs []group) {
		for _, g := range gs {
			// The first class is the object's id, HTML-escaped, in
			// base64; a second one is the D2 class it uses.
			first, _, _ := strings.Cut(g.Class, " ")
			if id, err := base64.StdEncoding.DecodeString(first); err == nil && len(g.Texts) > 0 {
				var lines []string
				for _, tx := range g.Texts {
					if len(tx.Tspans) > 0 {
						lines = append(lines, tx.Tspans...)
					} else {
						lines = append(lines, tx.Chars)
					}
				}
				out[html.UnescapeString(string(id))] = strings.Join(lines, "\n")
			}
			walk(g.Inner)
		}
	}
	walk(doc.Groups)
	walk(doc.Inner)
	return out
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`a "b" \c`:      `"a \"b\" \\c"`,
		"${x} $y":       `"\${x} \$y"`,
		"l1\nl2\tt\x00": `"l1\nl2\tt"`,
		"日本 🚀\xff":      `"日本 🚀"`,
	} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
	keys := newKeys()
	for _, tt := range []struct{ in, want string }{{"a-b", "s_a_b"}, {"a_b", "s_a_b_2"}, {"shape", "s_shape"}} {
		if got := keys.Make("s_" + tt.in); got != tt.want {
			t.Errorf("nodeKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
