package sopdiff

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/relsop/relsop/internal/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// load compiles src, failing the test on any finding.
func load(t *testing.T, name string, src []byte) *relsop.SOP {
	t.Helper()
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %v", name, res.Errors[0])
	}
	return res.SOP
}

// versions are the built-in saas-weekly template and testdata's edited copy of
// it: a role and a step added, a task and a gate removed, steps, a gate, a
// phase, a flow label and release types changed, metadata changed.
func versions(t *testing.T) (a, b *relsop.SOP) {
	t.Helper()
	tpl, ok := templates.Get("saas-weekly")
	if !ok {
		t.Fatal("no saas-weekly template")
	}
	edited, err := os.ReadFile(filepath.Join("testdata", "saas-weekly-edited.sop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return load(t, "saas-weekly", tpl.Source), load(t, "edited", edited)
}

// TestGoldens writes the diff of the pair in each format twice, checks the
// two are the same bytes, and compares them with testdata/saas-weekly.diff.*
// (refresh with go test ./internal/sopdiff -update after looking).
func TestGoldens(t *testing.T) {
	a, b := versions(t)
	emergencyA, err := a.Resolve("emergency")
	if err != nil {
		t.Fatal(err)
	}
	emergencyB, err := b.Resolve("emergency")
	if err != nil {
		t.Fatal(err)
	}
	formats := []struct {
		name string
		out  func() []byte
	}{
		{"saas-weekly.diff.txt", func() []byte { return []byte(Compare(a, b).Text()) }},
		{"saas-weekly.diff.json", func() []byte {
			data, err := json.MarshalIndent(Compare(a, b), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			return append(data, '\n')
		}},
		{"saas-weekly.diff.svg", func() []byte { return mustSVG(t, a, b, Options{}) }},
		{"saas-weekly-emergency.diff.svg", func() []byte { return mustSVG(t, emergencyA, emergencyB, Options{Theme: "dark"}) }},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			got := f.out()
			if again := f.out(); !bytes.Equal(got, again) {
				t.Fatal("two runs differ")
			}
			if strings.HasSuffix(f.name, ".svg") {
				wellFormed(t, got)
			}
			exporttest.Golden(t, filepath.Join("testdata", f.name), got, *update)
		})
	}
}

func mustSVG(t *testing.T, a, b *relsop.SOP, opts Options) []byte {
	t.Helper()
	data, err := SVG(a, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wellFormed parses doc strictly, failing on any XML error.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// TestSVGMarks checks that each difference of the pair is drawn where it
// belongs.
func TestSVGMarks(t *testing.T) {
	a, b := versions(t)
	doc := string(mustSVG(t, a, b, Options{}))
	for _, want := range []string{
		`class="diff-mark mark-added" data-id="rehearse-migration"`,
		`class="diff-mark mark-changed" data-id="build-artefacts"`,
		`class="diff-mark mark-changed" data-id="qa-signoff"`,
		`class="diff-edge mark-added" data-id="run-regression-&gt;rehearse-migration"`,
		`class="node node-gate ghost mark-removed" data-id="security-approval"`,
		`class="node node-task ghost mark-removed" data-id="watch-canary"`,
		`data-kind="mark:added"`, `data-kind="mark:changed"`, `data-kind="mark:removed"`,
		`Flow: Security approval → Go/no-go decision (approved)`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	if strings.Contains(doc, `data-id="watch-canary" data-kind="task" data-lane`) {
		t.Error("a removed step is drawn in the grid")
	}
}

// TestSVGWithoutDifferences checks that two equal SOPs draw exactly the
// plain diagram: no marks, no legend entries for them, no panel.
func TestSVGWithoutDifferences(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		got := mustSVG(t, tpl.SOP, tpl.SOP, Options{})
		want := svg.Render(layout.Compute(tpl.SOP, layout.Options{}), svg.Options{})
		if !bytes.Equal(got, want) {
			t.Errorf("%s: a diff with no differences is not the plain rendering", tpl.Name)
		}
		geometry, err := json.Marshal(layout.Compute(tpl.SOP, layout.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"mark"`, `"panels"`} {
			if bytes.Contains(geometry, []byte(key)) {
				t.Errorf("%s: geometry JSON without marks has %s", tpl.Name, key)
			}
		}
	}
}

// TestSVGHostileText diffs SOPs whose names try to break out of XML, and
// checks that every one of them arrives as escaped text: in marked nodes,
// tooltips, ghosts and the removed panel.
func TestSVGHostileText(t *testing.T) {
	a := exporttest.HostileSOP()
	b := exporttest.HostileSOP()
	b.Title = `<script>alert("t")</script> & co`
	b.Steps[2].Name = `<script>alert('changed')</script> "q" & a`
	// Remove s3, keeping the chain connected, and add a hostile step.
	b.Steps[3].Next = []string{"s3x"}
	b.Steps[4] = relsop.Step{ID: "s3x", Name: `<img src=x onerror="alert(1)"> & 'x'`, Kind: relsop.KindTask, Owner: "r1", Next: []string{"s4"}}
	doc := mustSVG(t, a, b, Options{})
	wellFormed(t, doc)
	for _, bad := range []string{"<script", "<img", `onerror="alert`, "</title> -->"} {
		if bytes.Contains(doc, []byte(bad)) {
			t.Errorf("unescaped %q in the SVG", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#39;changed&#39;)&lt;/script&gt; &quot;q&quot; &amp; a", "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", "mark-removed"} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	text := Compare(a, b).Text()
	if !strings.Contains(text, `→ "<script>alert('changed')</script> \"q\" & a"`) {
		t.Errorf("text diff does not quote the hostile name:\n%s", text)
	}
}

func TestSVGOptions(t *testing.T) {
	if _, err := SVG(nil, base(), Options{Theme: "neon"}); err == nil {
		t.Error("unknown theme accepted")
	}
	if _, err := SVG(nil, base(), Options{Direction: "diagonal"}); err == nil {
		t.Error("unknown direction accepted")
	}
	// Everything removed: the file was deleted; the panel holds it all.
	doc := mustSVG(t, base(), nil, Options{Direction: "vertical", Theme: "print"})
	wellFormed(t, doc)
	if n := bytes.Count(doc, []byte(`ghost mark-removed`)); n != len(base().Steps) {
		t.Errorf("%d ghosts, want %d", n, len(base().Steps))
	}
}
