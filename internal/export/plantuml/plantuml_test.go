package plantuml

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/export/lanes"
	"github.com/relsop/relsop/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	exporttest.TemplateGoldens(t, ".puml", Export, *update)
}

// drawing is what PlantUML drew, read back from its SVG.
type drawing struct {
	title    string
	clusters []item // the lanes, in the order PlantUML draws them
	nodes    []item // the activities, in the order they were declared
	links    []item // every link, hidden ones included
	errors   []string
}

// item is one thing PlantUML drew: a lane, activity or link, with the
// lines of text drawn for it.
type item struct {
	name  string // a cluster's name, a link's "A to B"
	fill  string // an activity's fill colour
	lines []string
}

func (it item) text() string { return strings.Join(it.lines, "\n") }

// render runs PlantUML once on each SOP's export and reads back the SVGs.
func render(t *testing.T, sops map[string]*relsop.SOP) map[string]drawing {
	t.Helper()
	plantuml := testenv.Tool(t, "plantuml")
	testenv.Tool(t, "dot") // PlantUML lays out these diagrams with Graphviz
	dir := t.TempDir()
	args := []string{"-charset", "UTF-8", "-tsvg", "-o", dir}
	paths := map[string]string{}
	for name, sop := range sops {
		base := strings.ReplaceAll(name, "/", "-")
		src := filepath.Join(dir, base+".puml")
		if err := os.WriteFile(src, Export(sop), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, src)
		paths[name] = filepath.Join(dir, base+".svg")
	}
	// One Java start for all files; PlantUML draws its errors into the
	// image (its exit code does not say), so the SVG is checked instead.
	if out, err := exec.Command(plantuml, args...).CombinedOutput(); err != nil {
		t.Fatalf("plantuml: %v\n%s", err, out)
	}
	out := map[string]drawing{}
	for name, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = readSVG(t, data)
	}
	return out
}

// readSVG reads a PlantUML 1.2020 activity diagram's SVG: the title's
// text comes first; each lane is a folder whose name is drawn in bold
// (after a "cluster NAME" comment, except for an empty lane); each link
// follows a "link A to B" comment; each activity is a rounded rect
// followed by its text lines.
func readSVG(t *testing.T, svg []byte) drawing {
	t.Helper()
	var d drawing
	var cur *item
	inTitle, lastBold := true, false
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.Comment:
			c := strings.TrimSpace(string(tok))
			if _, rest, ok := strings.Cut(c, "\n"); ok {
				c = rest // after the MD5 line
			}
			if strings.HasPrefix(c, "link ") {
				d.links = append(d.links, item{name: strings.TrimPrefix(c, "link ")})
				cur, inTitle = &d.links[len(d.links)-1], false
			} else {
				cur = nil
			}
			lastBold = false
		case xml.StartElement:
			switch tok.Name.Local {
			case "rect":
				if attr(tok, "rx") != "" {
					d.nodes = append(d.nodes, item{fill: attr(tok, "fill")})
					cur, inTitle = &d.nodes[len(d.nodes)-1], false
				}
				lastBold = false
			case "polygon":
				lastBold = false
			case "text":
				var s string
				bold := attr(tok, "font-weight") == "bold"
				if err := dec.DecodeElement(&s, &tok); err != nil {
					t.Fatalf("PlantUML's SVG does not parse: %v", err)
				}
				switch {
				case inTitle:
					d.title = s
					inTitle = false
				case bold && lastBold:
					c := &d.clusters[len(d.clusters)-1]
					c.lines = append(c.lines, s)
				case bold:
					d.clusters = append(d.clusters, item{lines: []string{s}})
				case cur != nil:
					cur.lines = append(cur.lines, s)
				}
				lastBold = bold
				if strings.Contains(s, "An error has occured") || strings.Contains(s, "Syntax Error") {
					d.errors = append(d.errors, s)
				}
			}
		}
	}
	return d
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// declared lists sop's steps in the order the export declares them, lane
// by lane.
func declared(sop *relsop.SOP) []*relsop.Step {
	var out []*relsop.Step
	for _, l := range lanes.Of(sop) {
		out = append(out, l.Steps...)
	}
	return out
}

// TestPlantUMLDrawsEverySOP renders every template flow and generated SOPs
// with the real PlantUML and checks that it drew every lane, every step in
// its kind's colour and every flow, and no error.
func TestPlantUMLDrawsEverySOP(t *testing.T) {
	sops := map[string]*relsop.SOP{}
	for _, f := range exporttest.Flows(t) {
		sops[f.Name] = f.SOP
	}
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 30 {
		sops[fmt.Sprintf("generated-%02d", i)] = exporttest.RandomSOP(r)
	}
	for name, d := range render(t, sops) {
		sop := sops[name]
		if len(d.errors) > 0 {
			t.Errorf("%s: plantuml: %s", name, strings.Join(d.errors, "; "))
			continue
		}
		if want := len(lanes.Of(sop)); len(d.clusters) != want {
			t.Errorf("%s: plantuml drew %d lanes, want %d", name, len(d.clusters), want)
		}
		steps := declared(sop)
		if len(d.nodes) != len(steps) {
			t.Errorf("%s: plantuml drew %d activities, want %d", name, len(d.nodes), len(steps))
			continue
		}
		for i, st := range steps {
			if want := fillOf(st.Kind); d.nodes[i].fill != want {
				t.Errorf("%s: step %s (%s) filled %s, want %s", name, st.ID, st.Kind, d.nodes[i].fill, want)
			}
		}
		// Each step has its hidden declaring link besides the flows.
		if want := len(steps) + len(lanes.Flows(sop)); len(d.links) != want {
			t.Errorf("%s: plantuml drew %d links, want %d", name, len(d.links), want)
		}
	}
}

func fillOf(k relsop.StepKind) string {
	for _, c := range kinds {
		if c.kind == kindOf(k) {
			return c.fill
		}
	}
	return ""
}

// TestPlantUMLReadsHostileLabelsAsText renders the hostile SOP with the
// real PlantUML and reads back the text drawn for the title, each lane,
// step and gate outcome: each must be the name as it was, and nothing may
// have been included, expanded or added.
func TestPlantUMLReadsHostileLabelsAsText(t *testing.T) {
	sop := exporttest.HostileSOP()
	// Directives of PlantUML's preprocessor and of its diagram syntax,
	// besides the names every exporter is checked with.
	extra := []string{"!include /etc/passwd", `%getenv("HOME")`, "skinparam backgroundColor red", "title evil", "\"; (*) --> \"x\"", "<img:/etc/passwd>", "[[http://x]] <color:red>c</color> **b** ~x", "“curly” «guillemets»", "\\n"}
	for i, n := range extra {
		sop.Steps[len(sop.Steps)-1].Next = []string{fmt.Sprintf("x%d", i)}
		sop.Steps = append(sop.Steps, relsop.Step{ID: fmt.Sprintf("x%d", i), Name: n, Kind: relsop.KindTask, Owner: "r1"})
	}
	d := render(t, map[string]*relsop.SOP{"hostile": sop})["hostile"]
	if len(d.errors) > 0 {
		t.Fatalf("plantuml: %s", strings.Join(d.errors, "; "))
	}
	if d.title != sop.Title {
		t.Errorf("title drawn as %q, want %q", d.title, sop.Title)
	}
	var clusters []string
	for _, c := range d.clusters {
		clusters = append(clusters, c.text())
	}
	for _, r := range sop.Roles {
		if !contains(clusters, r.Name) {
			t.Errorf("lane %q not drawn; lanes: %q", r.Name, clusters)
		}
	}
	steps := declared(sop)
	if len(d.nodes) != len(steps) {
		t.Fatalf("plantuml drew %d activities, want %d", len(d.nodes), len(steps))
	}
	for i, st := range steps {
		if got := d.nodes[i].text(); got != st.Name {
			t.Errorf("step %s drawn as %q, want %q", st.ID, got, st.Name)
		}
	}
	var labels []string
	for _, l := range d.links {
		if len(l.lines) > 0 {
			labels = append(labels, l.text())
		}
	}
	gate := sop.Step("gate")
	if want := []string{gate.Outcomes[0].Label, gate.Outcomes[1].Label}; fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("link labels drawn as %q, want %q", labels, want)
	}
	if want := len(steps) + len(lanes.Flows(sop)); len(d.links) != want {
		t.Errorf("plantuml drew %d links, want %d", len(d.links), want)
	}
	home, _ := os.UserHomeDir()
	for _, it := range append(append(d.nodes, d.clusters...), d.links...) {
		if s := it.text(); strings.Contains(s, "root:") || (home != "" && strings.Contains(s, home) && !strings.Contains(s, "HOME")) {
			t.Errorf("a label drew a file or the environment: %q", s)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain Text 42":        "plain Text 42",
		`a "b" \c $d %e`:       "a <U+0022>b<U+0022> <U+005C>c <U+0024>d <U+0025>e",
		"x\ny\tz\x00\xff":      `x\ny z`,
		"日本 🚀 “q” \u2028":      "日本 🚀 <U+201C>q<U+201D> <U+2028>",
		"":                     "<U+0020>",
		"@enduml ]":            "<U+0040>enduml <U+005D>",
		"!include /etc/x":      "<U+0021>include <U+002F>etc<U+002F>x",
		"<b>**c**</b> [[l]] ~": "<U+003C>b<U+003E><U+002A><U+002A>c<U+002A><U+002A><U+003C><U+002F>b<U+003E> <U+005B><U+005B>l<U+005D><U+005D> <U+007E>",
	} {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %s, want %s", in, got, want)
		}
	}
	ids := newIDs()
	for _, tt := range []struct{ in, want string }{{"a-b", "s_a_b"}, {"a_b", "s_a_b_2"}, {"end", "s_end"}, {"日", "s__"}} {
		if got := ids.Make("s_" + tt.in); got != tt.want {
			t.Errorf("id for %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSameLaneNames checks that two roles of the same name stay two lanes.
func TestSameLaneNames(t *testing.T) {
	sop := &relsop.SOP{ID: "x", Roles: []relsop.Role{{ID: "a", Name: "Ops"}, {ID: "b", Name: "Ops"}}, Steps: []relsop.Step{
		{ID: "s1", Name: "One", Kind: relsop.KindStart, Owner: "a", Next: []string{"s2"}},
		{ID: "s2", Name: "Two", Kind: relsop.KindEnd, Owner: "b"},
	}}
	d := render(t, map[string]*relsop.SOP{"same": sop})["same"]
	var got []string
	for _, c := range d.clusters {
		got = append(got, c.text())
	}
	if !contains(got, "Ops") || !contains(got, "Ops (2)") || len(got) != 2 {
		t.Errorf("lanes drawn as %q, want Ops and Ops (2)", got)
	}
}
