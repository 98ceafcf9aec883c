package cli

import (
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/testenv"
)

// TestRenderPDFTextIsExtractable renders every template to PDF and checks
// with pdftotext that every line of every step name can be found.
func TestRenderPDFTextIsExtractable(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext")
	dir := t.TempDir()
	for _, tpl := range templates.All() {
		src := filepath.Join(dir, tpl.Name+".sop.yaml")
		os.WriteFile(src, tpl.Source, 0o644)
		out := filepath.Join(dir, tpl.Name+".pdf")
		if code, _, errOut := run(t, "", "render", src, "-o", out); code != ExitOK {
			t.Fatalf("%s: exit %d %s", tpl.Name, code, errOut)
		}
		text, err := exec.Command(pdftotext, "-raw", out, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		flat := strings.Join(strings.Fields(string(text)), " ")
		_, geo, _ := run(t, "", "render", src, "--format", "json")
		var d diagram.Diagram
		if err := json.Unmarshal([]byte(geo), &d); err != nil {
			t.Fatal(err)
		}
		for _, n := range d.Nodes {
			for _, l := range n.Lines {
				if !strings.Contains(flat, strings.Join(strings.Fields(l.Text), " ")) {
					t.Errorf("%s: PDF text lacks %q (step %s)", tpl.Name, l.Text, n.ID)
				}
			}
		}
	}
}

// TestRenderPNGSize checks PNG output decodes at the diagram size times the
// scale.
func TestRenderPNGSize(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.png")
	if code, _, errOut := run(t, "", "render", example, "--scale", "1", "-o", out); code != ExitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	_, geo, _ := run(t, "", "render", example, "--format", "json")
	var d diagram.Diagram
	json.Unmarshal([]byte(geo), &d)
	if b := img.Bounds(); b.Dx() < int(d.Width) || b.Dx() > int(d.Width)+1 || b.Dy() < int(d.Height) || b.Dy() > int(d.Height)+1 {
		t.Errorf("PNG is %dx%d, diagram %.1fx%.1f", b.Dx(), b.Dy(), d.Width, d.Height)
	}
	if code, _, errOut := run(t, "", "render", example, "--scale", "0", "-o", out); code != ExitUsage || !strings.Contains(errOut, "--scale") {
		t.Errorf("--scale 0: exit %d %q", code, errOut)
	}
}

// TestRenderSuggestsLargerPaper: a template takes two rows of A4 or Letter
// pages and one row of A3 or tabloid, so the smaller paper gets a note
// naming the larger; the larger paper, and a small SOP on A4, get none.
func TestRenderSuggestsLargerPaper(t *testing.T) {
	tpl, _ := templates.Get("saas-weekly")
	dir := t.TempDir()
	src := filepath.Join(dir, "saas.sop.yaml")
	os.WriteFile(src, tpl.Source, 0o644)
	for _, tc := range []struct{ in, page, want string }{
		{src, "a4", "takes 2 rows of A4 pages (12 pages); --page a3 holds it in one row of 5"},
		{src, "letter", "--page tabloid holds it in one row of"},
		{src, "a3", ""},
		{src, "fit", ""},
		{example, "a4", ""},
	} {
		code, _, errOut := run(t, "", "render", tc.in, "--page", tc.page, "-o", filepath.Join(dir, "x.pdf"))
		if code != ExitOK {
			t.Fatalf("%s on %s: exit %d %s", tc.in, tc.page, code, errOut)
		}
		if tc.want == "" && errOut != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s on %s: stderr %q, want %q", filepath.Base(tc.in), tc.page, errOut, tc.want)
		}
	}
}
