package drawio

import (
	"encoding/xml"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/export/lanes"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	exporttest.TemplateGoldens(t, ".drawio", Export, *update)
}

// file is a draw.io file as encoding/xml reads it.
type file struct {
	XMLName  xml.Name `xml:"mxfile"`
	Diagrams []struct {
		Name  string `xml:"name,attr"`
		Model struct {
			Cells []cell `xml:"root>mxCell"`
		} `xml:"mxGraphModel"`
	} `xml:"diagram"`
}

type cell struct {
	ID       string `xml:"id,attr"`
	Value    string `xml:"value,attr"`
	Style    string `xml:"style,attr"`
	Parent   string `xml:"parent,attr"`
	Vertex   string `xml:"vertex,attr"`
	Edge     string `xml:"edge,attr"`
	Source   string `xml:"source,attr"`
	Target   string `xml:"target,attr"`
	Geometry *struct {
		X        float64 `xml:"x,attr"`
		Y        float64 `xml:"y,attr"`
		Width    float64 `xml:"width,attr"`
		Height   float64 `xml:"height,attr"`
		Relative string  `xml:"relative,attr"`
		As       string  `xml:"as,attr"`
		Points   []xy    `xml:"Array>mxPoint"`
		Offset   []xy    `xml:"mxPoint"`
	} `xml:"mxGeometry"`
}

type xy struct {
	X float64 `xml:"x,attr"`
	Y float64 `xml:"y,attr"`
}

// style returns the value of key in the cell's style; as in draw.io, a
// later value wins.
func (c cell) style(key string) string {
	var v string
	for _, kv := range strings.Split(c.Style, ";") {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

func (c cell) isLane() bool { return strings.HasPrefix(c.Style, "swimlane;") }

// read parses a draw.io file and checks what draw.io relies on: one
// diagram, the two root cells, unique ids, every parent, source and target
// an existing cell (a vertex, for an edge's ends), plain-text values
// (html=0), a geometry for every vertex and edge, every cell in a lane
// inside the lane's bounds and clear of its header. It returns the lanes
// in order and, for each lane's id, the step cells in it.
func read(t *testing.T, name string, data []byte) (lanes []cell, steps map[string][]cell, edges []cell) {
	t.Helper()
	var f file
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: not well-formed: %v", name, err)
	}
	if len(f.Diagrams) != 1 {
		t.Fatalf("%s: %d diagrams, want 1", name, len(f.Diagrams))
	}
	cells := f.Diagrams[0].Model.Cells
	byID := map[string]cell{}
	for _, c := range cells {
		if _, dup := byID[c.ID]; dup || c.ID == "" {
			t.Errorf("%s: cell id %q is empty or not unique", name, c.ID)
		}
		byID[c.ID] = c
	}
	if len(cells) < 2 || cells[0].ID != "0" || cells[1].ID != "1" || cells[1].Parent != "0" {
		t.Fatalf("%s: the root cells 0 and 1 are missing", name)
	}
	steps = map[string][]cell{}
	for _, c := range cells[2:] {
		parent, ok := byID[c.Parent]
		if !ok {
			t.Errorf("%s: cell %s has no parent %q", name, c.ID, c.Parent)
		}
		if c.style("html") != "0" {
			t.Errorf("%s: cell %s is not plain text (style %q)", name, c.ID, c.Style)
		}
		if c.Geometry == nil || c.Geometry.As != "geometry" {
			t.Errorf("%s: cell %s has no geometry", name, c.ID)
			continue
		}
		switch {
		case c.Vertex == "1" && c.Edge == "":
			g := c.Geometry
			if g.Width <= 0 || g.Height <= 0 {
				t.Errorf("%s: cell %s is %gx%g", name, c.ID, g.Width, g.Height)
			}
			switch {
			case c.isLane():
				lanes = append(lanes, c)
			case parent.isLane():
				pg := parent.Geometry
				head, _ := strconv.ParseFloat(parent.style("startSize"), 64)
				if g.X < head || g.Y < 0 || g.X+g.Width > pg.Width+0.01 || g.Y+g.Height > pg.Height+0.01 {
					t.Errorf("%s: step %s at %+v is not inside its lane %s (%gx%g, header %g)", name, c.ID, *g, parent.ID, pg.Width, pg.Height, head)
				}
				steps[parent.ID] = append(steps[parent.ID], c)
			}
		case c.Edge == "1" && c.Vertex == "":
			for _, end := range []string{c.Source, c.Target} {
				if v, ok := byID[end]; !ok || v.Vertex != "1" || v.isLane() {
					t.Errorf("%s: edge %s ends at %q, which is not a step", name, c.ID, end)
				}
			}
			if c.Geometry.Relative != "1" || c.Parent != "1" {
				t.Errorf("%s: edge %s is not a relative geometry in the top layer", name, c.ID)
			}
			edges = append(edges, c)
		default:
			t.Errorf("%s: cell %s is neither a vertex nor an edge", name, c.ID)
		}
	}
	return lanes, steps, edges
}

// TestEveryExportIsAValidModel checks every template flow and generated
// SOPs: well-formed for xmllint and encoding/xml, structurally sound (see
// read), a lane per lane of relsop's layout holding exactly its steps,
// shaped by kind, and an edge per flow with its label and style.
func TestEveryExportIsAValidModel(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	flows := exporttest.Flows(t)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 30 {
		flows = append(flows, exporttest.Template{Name: fmt.Sprintf("generated-%02d", i), SOP: exporttest.RandomSOP(r)})
	}
	dir := t.TempDir()
	for _, f := range flows {
		data := Export(f.SOP)
		path := filepath.Join(dir, strings.ReplaceAll(f.Name, "/", "-")+".drawio")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--nonet", path).CombinedOutput(); err != nil {
			t.Errorf("%s: xmllint: %v\n%s", f.Name, err, out)
		}
		ls, steps, edges := read(t, f.Name, data)
		checkSOP(t, f.Name, f.SOP, ls, steps, edges)
	}
}

// checkSOP compares the cells read back with the SOP: a lane per role in
// order (and the unassigned lane), each step once in its owner's lane with
// its label and its kind's shape, each flow once with its label and
// style, with the routed edge's bends as waypoints.
func checkSOP(t *testing.T, name string, sop *relsop.SOP, ls []cell, steps map[string][]cell, edges []cell) {
	t.Helper()
	want := lanes.Of(sop)
	if len(ls) != len(want) {
		t.Errorf("%s: %d lanes, want %d", name, len(ls), len(want))
		return
	}
	cellOf := map[string]string{}
	for i, l := range want {
		if ls[i].Value != l.Name {
			t.Errorf("%s: lane %d is %q, want %q", name, i, ls[i].Value, l.Name)
		}
		got := steps[ls[i].ID]
		if len(got) != len(l.Steps) {
			t.Errorf("%s: lane %q holds %d steps, want %d", name, l.Name, len(got), len(l.Steps))
			continue
		}
		for j, st := range l.Steps {
			c := got[j]
			cellOf[st.ID] = c.ID
			if wantLabel := lanes.StepLabel(sop, st); c.Value != wantLabel {
				t.Errorf("%s: step %s reads %q, want %q", name, st.ID, c.Value, wantLabel)
			}
			if !strings.HasPrefix(c.Style, stepStyle(st.Kind)[:8]) {
				t.Errorf("%s: step %s (%s) has style %q", name, st.ID, st.Kind, c.Style)
			}
		}
	}
	flows := lanes.Flows(sop)
	if len(edges) != len(flows) {
		t.Errorf("%s: %d edges, want %d", name, len(edges), len(flows))
		return
	}
	for i, f := range flows {
		e := edges[i]
		if e.Source != cellOf[f.From] || e.Target != cellOf[f.To] || e.Value != f.Label {
			t.Errorf("%s: edge %d is %s->%s %q, want %s->%s %q", name, i, e.Source, e.Target, e.Value, cellOf[f.From], cellOf[f.To], f.Label)
		}
		wantStroke := map[relsop.FlowKind]string{relsop.FlowRollback: "#D55E00", relsop.FlowEscalation: "#E69F00"}[f.Kind]
		if wantStroke == "" {
			wantStroke = "#333333"
		}
		if got := e.style("strokeColor"); got != wantStroke || (e.style("dashed") == "1") != (f.Kind == relsop.FlowRollback || f.Kind == relsop.FlowEscalation) {
			t.Errorf("%s: %s edge %s->%s styled %q", name, f.Kind, f.From, f.To, e.Style)
		}
		if e.style("exitX") == "" || e.style("entryX") == "" {
			t.Errorf("%s: edge %s->%s has no ports from relsop's route: %q", name, f.From, f.To, e.Style)
		}
	}
}

// TestHostileLabelsAreText parses the hostile SOP's export back and checks
// that every name is the value of exactly its cell, as plain text, and
// that no label added a cell.
func TestHostileLabelsAreText(t *testing.T) {
	sop := exporttest.HostileSOP()
	sop.Steps[len(sop.Steps)-2].Outcomes = append(sop.Steps[len(sop.Steps)-2].Outcomes, relsop.Outcome{Label: `<img src=x onerror=alert(1)>`, To: "s3"})
	data := Export(sop)
	ls, steps, edges := read(t, "hostile", data)
	checkSOP(t, "hostile", sop, ls, steps, edges)
	var f file
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Diagrams[0].Name != sop.Title {
		t.Errorf("diagram name %q, want %q", f.Diagrams[0].Name, sop.Title)
	}
	values := map[string]string{}
	for _, c := range f.Diagrams[0].Model.Cells {
		values[c.ID] = c.Value
	}
	for i, want := range exporttest.HostileNames {
		if got := values[fmt.Sprintf("step-s%d", i)]; got != want {
			t.Errorf("step s%d reads %q, want %q", i, got, want)
		}
	}
	if values["title"] != sop.Title {
		t.Errorf("title reads %q, want %q", values["title"], sop.Title)
	}
	// 2 root cells, a title, the phase headers, the lanes, the steps and
	// the flows; no more.
	phases := len(layout.Compute(sop, layout.Options{Direction: "horizontal"}).Phases)
	if got, want := len(f.Diagrams[0].Model.Cells), 3+phases+len(sop.Roles)+len(sop.Steps)+len(lanes.Flows(sop)); got != want {
		t.Errorf("%d cells, want %d", got, want)
	}
}

func TestAttr(t *testing.T) {
	for in, want := range map[string]string{
		`a "b" <c> & 'd'`:   `a &quot;b&quot; &lt;c&gt; &amp; 'd'`,
		"l1\nl2\tt\x00\xff": "l1&#10;l2&#9;t",
		"日本 🚀":              "日本 🚀",
	} {
		if got := attr(in); got != want {
			t.Errorf("attr(%q) = %s, want %s", in, got, want)
		}
	}
	ids := newIDs()
	for _, tt := range []struct{ in, want string }{{"step-a.b", "step-a_b"}, {"step-a_b", "step-a_b-2"}, {"step-日", "step-_"}} {
		if got := ids.Make(tt.in); got != tt.want {
			t.Errorf("id for %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}
