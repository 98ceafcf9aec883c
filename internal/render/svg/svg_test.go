package svg

import (
	"bytes"
	"encoding/xml"
	"flag"
	th "github.com/relsop/relsop/internal/render/theme"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
)

var update = flag.Bool("update", false, "rewrite testdata/fixture-<theme>.svg from the current renderer")

// TestGolden compares the fixture's rendering in every theme with the files
// in testdata, which double as the pictures reviewers look at. Run
// go test ./internal/render/svg -update after an intended change.
func TestGolden(t *testing.T) {
	for _, th := range Themes() {
		got := Render(fixture(), Options{Theme: th})
		path := filepath.Join("testdata", "fixture-"+th+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/render/svg -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the rendering; if the change is intended, run go test ./internal/render/svg -update", path)
		}
	}
}

// element is a parsed SVG element, enough for the assertions below.
type element struct {
	name     string
	attrs    map[string]string
	text     string // the character data directly inside
	children []*element
	parent   *element
}

// parse decodes doc with encoding/xml, failing the test on any
// well-formedness error, and returns the root element.
func parse(t *testing.T, doc []byte) *element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var root, cur *element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attrs: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if cur == nil {
				if root != nil {
					t.Fatal("more than one root element")
				}
				root = e
			} else {
				cur.children = append(cur.children, e)
			}
			cur = e
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

// all returns every element below e (and e) for which keep is true.
func (e *element) all(keep func(*element) bool) []*element {
	var out []*element
	if keep(e) {
		out = append(out, e)
	}
	for _, c := range e.children {
		out = append(out, c.all(keep)...)
	}
	return out
}

func hasClass(e *element, c string) bool {
	return slices.Contains(strings.Fields(e.attrs["class"]), c)
}

func byClass(c string) func(*element) bool { return func(e *element) bool { return hasClass(e, c) } }

func byName(n string) func(*element) bool { return func(e *element) bool { return e.name == n } }

// texts is the content of every <text> element.
func texts(root *element) []string {
	var out []string
	for _, e := range root.all(byName("text")) {
		out = append(out, e.text)
	}
	return out
}

func TestWellFormedAndAccessible(t *testing.T) {
	for _, th := range Themes() {
		root := parse(t, Render(fixture(), Options{Theme: th}))
		if root.name != "svg" || root.attrs["role"] != "img" {
			t.Fatalf("%s: root is <%s role=%q>, want <svg role=img>", th, root.name, root.attrs["role"])
		}
		if root.attrs["viewBox"] != "0 0 1260 "+num(fixture().Height) {
			t.Errorf("%s: viewBox = %q", th, root.attrs["viewBox"])
		}
		labelled := strings.Fields(root.attrs["aria-labelledby"])
		if len(labelled) == 0 {
			t.Fatalf("%s: no aria-labelledby", th)
		}
		title := root.all(func(e *element) bool { return e.attrs["id"] == labelled[0] })
		if len(title) != 1 || title[0].name != "title" || title[0].text != "Weekly SaaS release" {
			t.Errorf("%s: aria-labelledby does not point at the SOP title", th)
		}
	}
}

func TestNodes(t *testing.T) {
	d := fixture()
	root := parse(t, Render(d, Options{}))
	nodes := map[string]*element{}
	for _, e := range root.all(byClass("node")) {
		nodes[e.attrs["data-id"]] = e
	}
	all := strings.Join(texts(root), "\n")
	for _, n := range d.Nodes {
		g, ok := nodes[n.ID]
		if !ok {
			t.Errorf("node %s has no <g class=node data-id=%q>", n.ID, n.ID)
			continue
		}
		if !hasClass(g, "node-"+n.Kind) {
			t.Errorf("node %s: class %q lacks node-%s", n.ID, g.attrs["class"], n.Kind)
		}
		if !strings.Contains(g.attrs["aria-label"], n.Name) {
			t.Errorf("node %s: aria-label %q lacks the name", n.ID, g.attrs["aria-label"])
		}
		titles := g.all(byName("title"))
		if len(titles) != 1 || !strings.Contains(titles[0].text, n.Name) || !strings.Contains(titles[0].text, "Phase: ") || !strings.Contains(titles[0].text, "Role: ") {
			t.Errorf("node %s: title %v lacks name, role or phase", n.ID, titles)
		}
		var lines []string
		for _, l := range n.Lines {
			lines = append(lines, l.Text)
		}
		if strings.Join(lines, " ") != n.Name {
			t.Fatalf("fixture: node %s wraps to %q", n.ID, lines)
		}
		for _, l := range lines {
			if !strings.Contains(all, l) {
				t.Errorf("node %s: no <text> holds %q", n.ID, l)
			}
		}
	}
	drawn := root.all(byClass("nodes"))[0]
	if len(drawn.all(byClass("mark-gear"))) != 1 || len(drawn.all(byClass("mark-envelope"))) != 1 || len(drawn.all(byClass("mark-return"))) != 1 {
		t.Error("want one gear (automated), one envelope (notify) and one return mark (rollback)")
	}
	badges := root.all(byClass("badge"))
	if len(badges) != 1 || !strings.Contains(strings.Join(texts(badges[0]), ""), "production") {
		t.Error("the deploy node's environment badge is missing")
	}
}

func TestEdgeStyles(t *testing.T) {
	root := parse(t, Render(fixture(), Options{}))
	kinds := map[string]int{}
	for _, g := range root.all(byClass("edge")) {
		kind := g.attrs["data-kind"]
		kinds[kind]++
		paths := g.all(byName("path"))
		if len(paths) != 1 {
			t.Fatalf("edge %s has %d paths", g.attrs["data-id"], len(paths))
		}
		p := paths[0].attrs
		dash := strings.Fields(p["stroke-dasharray"])
		switch kind {
		case "next", "outcome":
			if len(dash) != 0 {
				t.Errorf("%s edge is dashed: %v", kind, dash)
			}
		case "rollback":
			if len(dash) != 2 || atof(dash[0]) < 4 || p["stroke"] != th.Light.RollbackEdge.Stroke {
				t.Errorf("rollback edge: dash %v stroke %s, want long dashes in %s", dash, p["stroke"], th.Light.RollbackEdge.Stroke)
			}
		case "escalation":
			// Dots: near-zero dashes that round caps turn into circles.
			if len(dash) != 2 || atof(dash[0]) >= 1 || p["stroke-linecap"] != "round" || p["stroke"] != th.Light.Escalation.Stroke {
				t.Errorf("escalation edge: dash %v cap %s stroke %s, want amber dots", dash, p["stroke-linecap"], p["stroke"])
			}
		}
		if !strings.HasPrefix(p["marker-end"], "url(#relsop-arrow-"+kind+")") {
			t.Errorf("%s edge: marker-end %q", kind, p["marker-end"])
		}
		if strings.Contains(p["d"], "-0 ") || strings.Contains(p["d"], ",-0,") {
			t.Errorf("path has a negative zero: %s", p["d"])
		}
	}
	for _, k := range edgeKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s edge drawn", k)
		}
	}
	labels := root.all(byClass("edge-label"))
	var got []string
	for _, l := range labels {
		got = append(got, texts(l)...)
	}
	if want := []string{"go", "blocked", "approve", "fails"}; !slices.Equal(got, want) {
		t.Errorf("edge labels = %q, want %q", got, want)
	}
	for _, id := range []string{"relsop-arrow-next", "relsop-arrow-outcome", "relsop-arrow-rollback", "relsop-arrow-escalation"} {
		if len(root.all(func(e *element) bool { return e.name == "marker" && e.attrs["id"] == id })) != 1 {
			t.Errorf("marker %s is not defined once", id)
		}
	}
}

func atof(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func TestLegendAndTitleBlock(t *testing.T) {
	d := fixture()
	root := parse(t, Render(d, Options{}))
	entries := root.all(byClass("legend-entry"))
	if len(entries) != len(d.Legend.Entries) {
		t.Fatalf("%d legend entries drawn, want %d", len(entries), len(d.Legend.Entries))
	}
	for i, e := range entries {
		want := d.Legend.Entries[i]
		if e.attrs["data-kind"] != want.Kind || !slices.Contains(texts(e), want.Text.Text) {
			t.Errorf("legend entry %d = %s %q, want %s %q", i, e.attrs["data-kind"], texts(e), want.Kind, want.Text.Text)
		}
		if len(e.children) < 3 { // title, icon, text
			t.Errorf("legend entry %s has no icon", want.Kind)
		}
	}
	tb := root.all(byClass("title-block"))
	if len(tb) != 1 {
		t.Fatal("no title block")
	}
	got := strings.Join(texts(tb[0]), "|")
	for _, want := range []string{"Weekly SaaS release", "2.3.0", "Release Management", "approved", "minor", "VERSION", "OWNER", "STATUS", "RELEASE TYPE"} {
		if !strings.Contains(got, want) {
			t.Errorf("title block %q lacks %q", got, want)
		}
	}
	for _, e := range tb[0].all(byClass("title")) {
		if e.attrs["font-weight"] != "bold" {
			t.Error("the SOP title is not bold")
		}
	}
}

func TestThemes(t *testing.T) {
	seen := map[string]string{}
	for _, th := range Themes() {
		out := string(Render(fixture(), Options{Theme: th}))
		if !strings.Contains(out, `data-theme="`+th+`"`) {
			t.Errorf("%s: output does not say its theme", th)
		}
		for other, prev := range seen {
			if prev == out {
				t.Errorf("themes %s and %s render the same", th, other)
			}
		}
		seen[th] = out
	}
	if string(Render(fixture(), Options{Theme: "no-such"})) != seen["light"] {
		t.Error("an unknown theme does not fall back to light")
	}
	// Print spends no toner on area fills: no band, header or panel fill.
	root := parse(t, []byte(seen["print"]))
	for _, e := range root.all(func(e *element) bool { return hasClass(e, "lane-band") || hasClass(e, "corner") }) {
		if e.attrs["fill"] != "none" {
			t.Errorf("print: %s is filled %s", e.attrs["class"], e.attrs["fill"])
		}
	}
	if !strings.Contains(seen["dark"], lightOrDark(th.Dark.Background)) {
		t.Error("dark theme does not paint its background")
	}
}

func lightOrDark(bg string) string { return `fill="` + bg + `"` }

func TestDeterministic(t *testing.T) {
	for _, th := range Themes() {
		a := Render(fixture(), Options{Theme: th})
		b := Render(fixture(), Options{Theme: th})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same diagram differ", th)
		}
	}
}

func TestIDPrefix(t *testing.T) {
	out := string(Render(fixture(), Options{IDPrefix: `a"b<c `}))
	root := parse(t, []byte(out))
	for _, e := range root.all(func(e *element) bool { return e.attrs["id"] != "" }) {
		if !strings.HasPrefix(e.attrs["id"], "a-b-c-") {
			t.Errorf("id %q does not start with the sanitised prefix", e.attrs["id"])
		}
	}
	if strings.Contains(out, "relsop-arrow") {
		t.Error("the default prefix survives a custom one")
	}
}

func TestEmbedFonts(t *testing.T) {
	plain := Render(fixture(), Options{})
	emb := Render(fixture(), Options{EmbedFonts: true})
	parse(t, emb)
	if !bytes.Contains(emb, []byte("@font-face")) || bytes.Contains(plain, []byte("@font-face")) {
		t.Error("fonts are embedded only when asked for")
	}
	if len(emb) < len(plain)+300_000 {
		t.Errorf("embedded output is only %d bytes larger; both Go fonts should be in it", len(emb)-len(plain))
	}
}

// TestHostileText feeds markup, CDATA terminators, entities, control
// characters and scripts from many writing systems through every place user
// text reaches, and checks that the document stays well-formed, holds no
// script, and shows each string verbatim.
func TestHostileText(t *testing.T) {
	hostile := []string{
		`</text><script>alert(1)</script>`,
		`"]]>`,
		`&amp;`,
		`it's <b>"quoted"</b> & done`,
		"🚀 ship it 👩‍💻",
		"发布经理审批",
		"مدير الإصدار",
		`' onload='alert(1)`,
	}
	for i, s := range hostile {
		d := fixture()
		d.Title.Title = s
		d.Title.Owner = s
		d.Lanes[0].Name = s
		d.Lanes[0].Lines[0].Text = s
		d.Phases[0].ID = s
		d.Nodes[1].ID = s
		d.Nodes[1].Name = s
		d.Nodes[1].Lines = []diagram.Text{{Text: s, X: 260, Y: 356, Size: 12}}
		d.Edges[2].Label = s
		d.Edges[2].LabelAt.Text = s
		d.Edges[2].Kind = s // an unknown kind must still get a marker that exists
		d.Nodes[4].Badge.Text.Text = s
		d.Legend.Entries[0].Text.Text = s
		d.Legend.Entries[0].Kind = s
		out := Render(d, Options{Theme: Themes()[i%len(Themes())]})
		root := parse(t, out)
		if n := len(root.all(func(e *element) bool { return strings.EqualFold(e.name, "script") })); n > 0 {
			t.Errorf("%q: %d script elements", s, n)
		}
		for _, e := range root.all(func(*element) bool { return true }) {
			for k := range e.attrs {
				if strings.HasPrefix(strings.ToLower(k), "on") {
					t.Errorf("%q: event handler attribute %s", s, k)
				}
			}
		}
		count := 0
		for _, txt := range texts(root) {
			if txt == s {
				count++
			}
		}
		// Lane, node, label, badge, legend and the title block's title and
		// owner (the title may be shortened, the owner cell is wide enough
		// only for the short strings, so count at least five).
		if count < 5 {
			t.Errorf("%q appears verbatim in %d <text> elements, want at least 5", s, count)
		}
		ids := root.all(func(e *element) bool { return e.attrs["data-id"] == s })
		if len(ids) == 0 {
			t.Errorf("%q: no element carries it as data-id", s)
		}
		titles := root.all(byName("title"))
		if titles[0].text != s {
			t.Errorf("document title = %q, want %q", titles[0].text, s)
		}
	}
}

func TestControlCharacters(t *testing.T) {
	d := fixture()
	d.Nodes[1].ID = "a\x00b"
	d.Nodes[1].Name = "tab\there\x1b[31m red\ufffe\x7f"
	d.Nodes[1].Lines = []diagram.Text{{Text: d.Nodes[1].Name, X: 260, Y: 356, Size: 12}}
	d.Title.Title = "bad utf8 \xff\xfe end"
	root := parse(t, Render(d, Options{}))
	if !slices.Contains(texts(root), "tab here[31m red\x7f") {
		t.Errorf("control characters not stripped as expected: %q", texts(root))
	}
	if len(root.all(func(e *element) bool { return e.attrs["data-id"] == "ab" })) != 1 {
		t.Error("NUL not stripped from an id")
	}
}

func TestEmptyAndDegenerate(t *testing.T) {
	parse(t, Render(nil, Options{}))
	parse(t, Render(&diagram.Diagram{}, Options{Theme: "dark"}))
	d := fixture()
	d.Edges = append(d.Edges,
		diagram.Edge{From: "x", To: "y", Kind: "next"},                                                      // no points
		diagram.Edge{From: "x", To: "y", Kind: "next", Points: []diagram.Point{{X: 1, Y: 1}, {X: 1, Y: 1}}}, // zero length
		diagram.Edge{From: "x", To: "y", Kind: "next", Points: []diagram.Point{{X: math.NaN(), Y: 1}, {X: 5, Y: 5}}},
	)
	d.Nodes = append(d.Nodes, diagram.Node{ID: "weird", Kind: "Some Kind!", Box: diagram.Rect{X: -1, Y: -1}})
	out := Render(d, Options{})
	parse(t, out)
	if bytes.Contains(out, []byte("NaN")) || bytes.Contains(out, []byte("Inf")) {
		t.Error("non-finite numbers leaked into the output")
	}
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {-0.001, "0"}, {1.005, "1"}, {1.006, "1.01"},
		{0.1 + 0.2, "0.3"}, {1260, "1260"}, {-12.5, "-12.5"}, {math.NaN(), "0"}, {math.Inf(1), "0"},
	} {
		if got := num(c.in); got != c.want {
			t.Errorf("num(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// roundedPathData returns the path data roundedPath writes.
func roundedPathData(pts []diagram.Point, rmax, shorten float64) string {
	var p pathBuilder
	roundedPath(&p, pts, rmax, shorten)
	return string(p.b)
}

func TestRoundedPath(t *testing.T) {
	// A 4-unit jog: the corner radius must shrink to 2 (half of 4).
	d := roundedPathData([]diagram.Point{{X: 0, Y: 0}, {X: 50, Y: 0}, {X: 50, Y: 4}, {X: 100, Y: 4}}, 6, 0)
	if want := "M0,0 L48,0 A2,2,0,0,1,50,2 L50,2 A2,2,0,0,0,52,4 L100,4"; d != want {
		t.Errorf("jog path\n got %s\nwant %s", d, want)
	}
	// A long bend uses the full radius, and the end stops short for the
	// arrowhead.
	d = roundedPathData([]diagram.Point{{X: 0, Y: 0}, {X: 0, Y: 100}, {X: 100, Y: 100}}, 6, 5)
	if want := "M0,0 L0,94 A6,6,0,0,0,6,100 L95,100"; d != want {
		t.Errorf("bend path\n got %s\nwant %s", d, want)
	}
	// Collinear and repeated points vanish.
	d = roundedPathData([]diagram.Point{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 0}, {X: 30, Y: 0}}, 6, 0)
	if want := "M0,0 L30,0"; d != want {
		t.Errorf("straight path %s, want %s", d, want)
	}
}

// TestVerticalGrid transposes the fixture, as a vertical layout would
// stack it, and checks that separators follow the geometry: lanes become
// columns split by vertical lines, phases rows split by horizontal ones.
func TestVerticalGrid(t *testing.T) {
	d := transpose(fixture())
	root := parse(t, Render(d, Options{}))
	for class, vertical := range map[string]bool{"lane-separators": true, "phase-separators": false} {
		lines := root.all(byClass(class))[0].all(byName("line"))
		if len(lines) != 1 {
			t.Fatalf("%s: %d lines, want 1", class, len(lines))
		}
		a := lines[0].attrs
		if got := a["x1"] == a["x2"]; got != vertical {
			t.Errorf("%s: line %v, want vertical=%v", class, a, vertical)
		}
	}
	if len(root.all(byClass("corner"))) != 1 {
		t.Error("no corner cell in the vertical layout")
	}
}

// transpose swaps x and y everywhere except in text, which stays
// horizontal and keeps its place relative to its box's corner.
func transpose(d *diagram.Diagram) *diagram.Diagram {
	r := func(b diagram.Rect) diagram.Rect { return diagram.Rect{X: b.Y, Y: b.X, W: b.H, H: b.W} }
	tx := func(ts []diagram.Text, from, to diagram.Rect) {
		for i := range ts {
			ts[i].X += to.Center().X - from.Center().X
			ts[i].Y += to.Center().Y - from.Center().Y
		}
	}
	d.Direction = "vertical"
	d.Width, d.Height = d.Height, d.Width
	for i := range d.Lanes {
		l := &d.Lanes[i]
		h := r(l.Header)
		tx(l.Lines, l.Header, h)
		l.Box, l.Header = r(l.Box), h
	}
	for i := range d.Phases {
		p := &d.Phases[i]
		h := r(p.Header)
		tx(p.Lines, p.Header, h)
		p.Box, p.Header = r(p.Box), h
	}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		b := r(n.Box)
		b.X, b.Y, b.W, b.H = b.X+(b.W-n.Box.W)/2, b.Y+(b.H-n.Box.H)/2, n.Box.W, n.Box.H
		tx(n.Lines, n.Box, b)
		if n.Badge != nil {
			n.Badge.Box.X += b.X - n.Box.X
			n.Badge.Box.Y += b.Y - n.Box.Y
			n.Badge.Text.X += b.X - n.Box.X
			n.Badge.Text.Y += b.Y - n.Box.Y
		}
		n.Box = b
	}
	d.Edges = nil
	d.Title.Box, d.Legend = diagram.TitleBlock{}.Box, diagram.Legend{}
	return d
}
