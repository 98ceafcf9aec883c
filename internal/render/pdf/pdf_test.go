package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/testenv"
)

// keep writes the fixture PDFs to this directory, for looking at them:
// go test ./internal/render/pdf -keep /tmp/pdf
var keep = flag.String("keep", "", "directory to write rendered PDFs to")

func render(t *testing.T, d *diagram.Diagram, opts Options) []byte {
	t.Helper()
	out, err := Render(d, opts)
	if err != nil {
		t.Fatalf("Render(%+v): %v", opts, err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) || !bytes.Contains(out[max(len(out)-64, 0):], []byte("%%EOF")) {
		t.Fatalf("Render(%+v) did not produce a complete PDF (%d bytes)", opts, len(out))
	}
	if *keep != "" {
		name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()) + "-" + or(opts.Theme, "default") + "-" + or(opts.Page, "fit") + ".pdf"
		if err := os.WriteFile(filepath.Join(*keep, name), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	tool := testenv.Tool(t, "pdftotext")
	out, err := exec.Command(tool, "-enc", "UTF-8", writeTemp(t, b), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// pdfInfo returns poppler's pdfinfo fields.
func pdfInfo(t *testing.T, b []byte) map[string]string {
	t.Helper()
	tool := testenv.Tool(t, "pdfinfo")
	out, err := exec.Command(tool, writeTemp(t, b)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

func TestRenderThemes(t *testing.T) {
	for _, theme := range Themes() {
		t.Run(theme, func(t *testing.T) {
			d := fixture()
			out := render(t, d, Options{Theme: theme})
			if !bytes.Contains(out, []byte("/FontFile2")) {
				t.Error("the Go fonts are not embedded")
			}
			text := pdfText(t, out)
			var want []string
			for _, n := range d.Nodes {
				for _, l := range n.Lines {
					want = append(want, l.Text)
				}
			}
			for _, l := range d.Lanes {
				want = append(want, l.Name)
			}
			for _, p := range d.Phases {
				want = append(want, p.Name)
			}
			want = append(want, d.Title.Title, "production", "approve", "blocked", "Escalation path", "RELEASE TYPE")
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("text %q not extractable; pdftotext gave:\n%s", w, text)
				}
			}
		})
	}
}

func TestFitPageIsDiagramSize(t *testing.T) {
	d := fixture()
	info := pdfInfo(t, render(t, d, Options{}))
	want := "1260 x " + strconv.FormatFloat(d.Height, 'f', -1, 64) + " pts"
	if info["Page size"] != want || info["Pages"] != "1" {
		t.Errorf("page size %q, pages %q; want %q on 1 page", info["Page size"], info["Pages"], want)
	}
	if info["Title"] != d.Title.Title || info["Creator"] != "relsop" || !strings.Contains(info["Subject"], "2.3.0") {
		t.Errorf("metadata: %v", info)
	}
}

func TestDeterministic(t *testing.T) {
	for _, page := range Pages() {
		a := render(t, fixture(), Options{Theme: "dark", Page: page})
		b := render(t, fixture(), Options{Theme: "dark", Page: page})
		if !bytes.Equal(a, b) {
			t.Errorf("page %s: two renders of the same diagram differ", page)
		}
		if !bytes.Contains(a, []byte("D:19700101000000")) {
			t.Errorf("page %s: creation date is not the fixed epoch", page)
		}
	}
}

var pageObject = regexp.MustCompile(`/Type /Page\b[^s]`)

// wide stretches the fixture to three times its width, as a long SOP would.
func wide() *diagram.Diagram {
	d := fixture()
	d.Width *= 3
	for i := range d.Lanes {
		d.Lanes[i].Box.W = d.Width - 48
	}
	return d
}

func TestTiling(t *testing.T) {
	for _, page := range []string{"a4", "letter", "a3", "tabloid"} {
		t.Run(page, func(t *testing.T) {
			out := render(t, wide(), Options{Theme: "light", Page: page})
			n := len(pageObject.FindAll(out, -1))
			if n < 2 {
				t.Fatalf("%d pages for a diagram three pages wide", n)
			}
			info := pdfInfo(t, out)
			if info["Pages"] != strconv.Itoa(n) {
				t.Errorf("pdfinfo reports %s pages, the file has %d page objects", info["Pages"], n)
			}
			var w, h float64
			if _, err := fmt.Sscanf(info["Page size"], "%g x %g", &w, &h); err != nil || w <= h {
				t.Errorf("page size %q is not landscape", info["Page size"])
			}
			text := pdfText(t, out)
			label := "2/" + strconv.Itoa(n) + " · column 2 of " + strconv.Itoa(n)
			if !strings.Contains(text, label) {
				t.Errorf("page label %q missing", label)
			}
		})
	}
}

func TestSmallDiagramOnePage(t *testing.T) {
	out := render(t, fixture(), Options{Page: "a4"})
	if n := len(pageObject.FindAll(out, -1)); n != 1 {
		t.Errorf("the fixture fits one A4 page at a readable scale, got %d pages", n)
	}
}

func TestUnknownPage(t *testing.T) {
	if _, err := Render(fixture(), Options{Page: "a0"}); err == nil {
		t.Error("an unknown page size was accepted")
	}
}

func TestEmptyAndNil(t *testing.T) {
	for _, d := range []*diagram.Diagram{nil, {}} {
		for _, page := range Pages() {
			render(t, d, Options{Page: page})
		}
	}
}

// TestHostileText puts text the Go fonts cannot draw everywhere text goes:
// it must neither crash nor vanish silently.
func TestHostileText(t *testing.T) {
	hostile := []string{
		"部署到生产环境",                                      // CJK
		"Ship it \U0001F680\U0001F469\u200d\U0001F4BB", // emoji with a ZWJ sequence
		"פריסה לייצור",                                 // Hebrew, right to left
		"نشر الإصدار",                                  // Arabic
		"tab\there\nnewline\x00",                       // control characters
		"e\u0301\ufe0f\u200d",                          // combining mark, selector, joiner
		"bad \xff utf-8",
		"(paren) \\ back)slash(",
	}
	for i, s := range hostile {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			d := fixture()
			d.Title.Title = s
			d.Title.Owner = s
			d.Nodes[1].Lines[0].Text = s
			d.Lanes[0].Lines[0].Text = s
			d.Edges[2].LabelAt.Text = s
			d.Legend.Entries[0].Text.Text = s
			for _, page := range Pages() {
				out := render(t, d, Options{Page: page})
				if i == 0 && !strings.Contains(pdfText(t, out), "???????") {
					t.Errorf("missing glyphs were not drawn as '?'")
				}
			}
		})
	}
}

func TestDrawnText(t *testing.T) {
	for in, want := range map[string]string{
		"Deploy to prod":   "Deploy to prod",
		"部署":               "??",
		"a\u200db\x00c\td": "abc d",
		"ok \U0001F680\U0001F469\u200d\U0001F4BB": "ok ???",
	} {
		if got := DrawnText(in, false); got != want {
			t.Errorf("DrawnText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConcurrent renders from several goroutines, as a server would; run
// with -race.
func TestConcurrent(t *testing.T) {
	want := render(t, fixture(), Options{Theme: "print"})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := Render(fixture(), Options{Theme: "print"})
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestTilesRepeatHeaders prints a template on A4, which takes pages
// across and down, and reads each page back with pdftotext: every page
// names the lanes and the phases its boxes are in, as the repeated
// header strips do on pages after the first across and down.
func TestTilesRepeatHeaders(t *testing.T) {
	d := rendertest.Template(t, "regulated-healthcare")
	out := render(t, d, Options{Theme: "print", Page: "a4"})
	pages := strings.Split(strings.TrimRight(pdfText(t, out), "\f\n"), "\f")
	if len(pages) < 4 {
		t.Fatalf("%d pages; the template should take several across and down", len(pages))
	}
	names := func(lines [][]diagram.Text) []string {
		var out []string
		for _, ls := range lines {
			for _, l := range ls {
				out = append(out, l.Text)
			}
		}
		return out
	}
	var lanes, phases [][]diagram.Text
	for _, l := range d.Lanes {
		lanes = append(lanes, l.Lines)
	}
	for _, p := range d.Phases {
		phases = append(phases, p.Lines)
	}
	last := pages[len(pages)-1]
	if want := fmt.Sprintf("%d/%d · row 2 of 2", len(pages), len(pages)); !strings.Contains(last, want) {
		t.Errorf("the last page is not labelled %q:\n%s", want, last)
	}
	for i, page := range pages {
		if !slices.ContainsFunc(names(lanes), func(n string) bool { return strings.Contains(page, n) }) {
			t.Errorf("page %d names no lane:\n%s", i+1, page)
		}
		if !slices.ContainsFunc(names(phases), func(n string) bool { return strings.Contains(page, n) }) {
			t.Errorf("page %d names no phase:\n%s", i+1, page)
		}
	}
}

// On A3 and tabloid a template is tiled in one row of pages: that is what
// they are offered for, as A4 and Letter need a second, mostly empty row.
// pdfinfo reads the paper size.
func TestLargePaperOneRow(t *testing.T) {
	d := rendertest.Template(t, "regulated-healthcare")
	for page, size := range map[string]string{"a3": "1190.55 x 841.89", "tabloid": "1224 x 792"} {
		t.Run(page, func(t *testing.T) {
			out := render(t, d, Options{Theme: "print", Page: page})
			info := pdfInfo(t, out)
			if !strings.HasPrefix(info["Page size"], size) {
				t.Errorf("page size %q, want %s pts", info["Page size"], size)
			}
			text := pdfText(t, out)
			if strings.Contains(text, " · row ") {
				t.Errorf("the template takes more than one row of %s pages", page)
			}
			n, _ := strconv.Atoi(info["Pages"])
			if n < 2 || !strings.Contains(text, fmt.Sprintf("%d/%d · column %d of %d", n, n, n, n)) {
				t.Errorf("%d pages, and the last is not labelled as the last column", n)
			}
		})
	}
}

// Tiles counts the pages Render draws, on every paper.
func TestTilesCountsPages(t *testing.T) {
	d := rendertest.Template(t, "saas-weekly")
	for _, page := range Pages() {
		rows, cols := Tiles(d, page)
		n := len(pageObject.FindAll(render(t, d, Options{Page: page}), -1))
		if rows*cols != n {
			t.Errorf("%s: Tiles says %d × %d, Render drew %d pages", page, rows, cols, n)
		}
	}
}

// TestTilesDrawWhatShows: tiled, every step's text is on some page, and
// each page draws only what shows through it: the tiles of a template
// (twelve on A4) together weigh about what the one fitted page does,
// where drawing the whole diagram, clipped, on each made them weigh
// twelve times as much.
func TestTilesDrawWhatShows(t *testing.T) {
	d := rendertest.Template(t, "saas-weekly")
	tiled := render(t, d, Options{Page: "a4"})
	pages := strings.Split(strings.TrimRight(pdfText(t, tiled), "\f\n"), "\f")
	all := strings.Join(pages, " ")
	for _, n := range d.Nodes {
		for _, l := range n.Lines {
			if !strings.Contains(all, l.Text) {
				t.Errorf("%q is on no page", l.Text)
			}
		}
	}
	fit := render(t, d, Options{})
	if len(pages) < 6 || len(tiled) > 3*len(fit) {
		t.Errorf("%d tiles weigh %d bytes, the fitted page %d", len(pages), len(tiled), len(fit))
	}
}
