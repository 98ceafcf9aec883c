package pdf

import (
	"bytes"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/testenv"
)

// publish builds and publishes the document of sop's flow of type typ.
func publish(t *testing.T, sop *relsop.SOP, typ string, opts DocumentOptions) (*document.Document, []byte) {
	t.Helper()
	flow, err := sop.Resolve(typ)
	if err != nil {
		t.Fatal(err)
	}
	doc := document.Build(sop, flow, nil)
	out, err := Document(doc, layout.Compute(flow, layout.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return doc, out
}

// words collapses runs of spaces and line breaks, so that text wrapped
// onto several lines reads as one line.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestDocumentTemplates publishes every template and reads it back with
// poppler: every step's numbered heading and every section is there as
// text, every page says "Page N of M" with the real M, the diagram's pages
// are landscape and the text's portrait, and the bytes are the same twice.
func TestDocumentTemplates(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		t.Run(tpl.Name, func(t *testing.T) {
			opts := DocumentOptions{Source: tpl.Name + ".sop.yaml (SHA-256 0123)"}
			doc, out := publish(t, tpl.SOP, "", opts)
			if _, again := publish(t, tpl.SOP, "", opts); !bytes.Equal(out, again) {
				t.Fatal("two publications of the same SOP differ")
			}
			text := words(pdfText(t, out))
			numbers := document.StepNumbers(doc.SOP)
			for _, st := range doc.SOP.Steps {
				if h := numbers[st.ID] + " " + st.Name; !strings.Contains(text, h) {
					t.Errorf("no heading %q", h)
				}
			}
			for _, want := range []string{"Roles", "Procedure", "Approval gates", "RACI matrix", "Release types", tpl.Name + ".sop.yaml (SHA-256 0123)", "printed copies are not controlled"} {
				if !strings.Contains(text, want) {
					t.Errorf("no %q in the text", want)
				}
			}
			pages, err := strconv.Atoi(pdfInfo(t, out)["Pages"])
			if err != nil {
				t.Fatal(err)
			}
			raw, err := exec.Command(testenv.Tool(t, "pdftotext"), "-raw", writeTemp(t, out), "-").CombinedOutput()
			if err != nil {
				t.Fatalf("pdftotext: %v\n%s", err, raw)
			}
			// In reading order: pdftotext's layout mode may interleave the
			// header with the diagram's text below it.
			if n := len(regexp.MustCompile(`Page \d+ of `+strconv.Itoa(pages)+`\b`).FindAll(raw, -1)); n != pages {
				t.Errorf("%d of %d pages say they are of %d", n, pages, pages)
			}
			if strings.Contains(text, pageTotal) {
				t.Error("the page total was not filled in")
			}
			sizes := pageSizes(t, out)
			if len(sizes) != pages || sizes[0][0] > sizes[0][1] || sizes[1][0] < sizes[1][1] || sizes[pages-1][0] > sizes[pages-1][1] {
				t.Errorf("page 1 should be portrait, 2 (the diagram) landscape, the last portrait: %v", sizes)
			}
			if n := bytes.Count(out, []byte("/Parent ")) - pages; n < len(doc.SOP.Steps) {
				t.Errorf("the outline has %d entries for %d steps", n, len(doc.SOP.Steps))
			}
		})
	}
}

var pageSize = regexp.MustCompile(`(?m)^Page +\d+ size: +([\d.]+) x ([\d.]+) pts`)

// pageSizes returns each page's width and height, from pdfinfo.
func pageSizes(t *testing.T, pdf []byte) [][2]float64 {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, "pdfinfo"), "-f", "1", "-l", "9999", writeTemp(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	var sizes [][2]float64
	for _, m := range pageSize.FindAllStringSubmatch(string(out), -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		sizes = append(sizes, [2]float64{w, h})
	}
	return sizes
}

var wordBox = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">`)

// TestDocumentStaysInside: every word of every portrait page lies inside
// the page, between the margins; a long name, a table of twelve roles and
// a table cell longer than a page are wrapped, shrunk and continued, not
// drawn off the paper.
func TestDocumentStaysInside(t *testing.T) {
	res := compile.Load([]byte(synth.SOP(120, 12, 8)))
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0])
	}
	sop := res.SOP
	sop.Steps[3].Name = strings.Repeat("Verify the payment ledger reconciliation ", 60) // 2,400 characters
	sop.Steps[4].Description = strings.Repeat("Averyveryverylongwordwithoutanyspaces", 20)
	_, out := publish(t, sop, "", DocumentOptions{Page: "letter"})
	bbox, err := exec.Command(testenv.Tool(t, "pdftotext"), "-bbox", writeTemp(t, out), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v\n%s", err, bbox)
	}
	var pw, ph float64
	page, checked := 0, 0
	for _, m := range wordBox.FindAllStringSubmatch(string(bbox), -1) {
		if m[1] != "" {
			pw, _ = strconv.ParseFloat(m[1], 64)
			ph, _ = strconv.ParseFloat(m[2], 64)
			page++
			continue
		}
		if pw > ph {
			continue // the diagram's pages: Render's tests hold those
		}
		var b [4]float64
		for i := range b {
			b[i], _ = strconv.ParseFloat(m[3+i], 64)
		}
		if b[0] < docMargin-1 || b[2] > pw-docMargin+1 || b[1] < docHeaderY-10 || b[3] > ph-docFooterY+4 {
			t.Fatalf("page %d: a word at %v is outside the text area of %gx%g", page, b, pw, ph)
		}
		checked++
	}
	if checked < 1000 {
		t.Fatalf("only %d words checked", checked)
	}
	if !strings.Contains(words(pdfText(t, out)), "1.4 Verify the payment ledger reconciliation Verify") {
		t.Error("the long step name is not set as text")
	}
}

// TestDocumentHostileText: markup, quotes, control characters and
// scripts in SOP text are set as the same text; only the web and mail
// addresses become links, and a javascript: address is shown, not linked.
func TestDocumentHostileText(t *testing.T) {
	sop := exporttest.HostileSOP()
	sop.Description = "Tab\there, a NUL \x00 and (parentheses) \\ backslash"
	sop.Links = []relsop.Link{{Title: "evil", URL: "javascript:alert(1)"}, {Title: "runbook", URL: "https://example.com/run book"}}
	_, out := publish(t, sop, "", DocumentOptions{})
	text := words(pdfText(t, out))
	for _, want := range []string{"Tab here, a NUL and (parentheses) \\ backslash", "evil (javascript:alert(1))", `Title "quoted" </title> -->`} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the text", want)
		}
	}
	if bytes.Contains(out, []byte("/URI (javascript")) || !bytes.Contains(out, []byte("/URI (https://example.com/run%20book)")) {
		t.Error("a javascript: address became a link, or the https one did not")
	}
}

// TestDocumentSmallAndBad: an SOP of nothing but an id publishes, saying
// there is nothing to draw; a release type's document names it on every
// page; an unknown paper or a broken fallback font is an error.
func TestDocumentSmallAndBad(t *testing.T) {
	empty := &relsop.SOP{ID: "empty"}
	_, out := publish(t, empty, "", DocumentOptions{})
	if text := words(pdfText(t, out)); !strings.Contains(text, "The SOP has no steps to draw.") || !strings.Contains(text, "Page 1 of 1") {
		t.Errorf("empty SOP: %s", text)
	}
	tpl := exporttest.Templates(t)[0].SOP
	typ := tpl.ReleaseTypes[0].ID
	_, out = publish(t, tpl, typ, DocumentOptions{})
	text := pdfText(t, out)
	if pages, _ := strconv.Atoi(pdfInfo(t, out)["Pages"]); strings.Count(text, typ+" release") < pages {
		t.Errorf("not every page names the %s release", typ)
	}
	doc := document.Build(tpl, tpl, nil)
	if _, err := Document(doc, nil, DocumentOptions{Page: "a3"}); err == nil || !strings.Contains(err.Error(), "a4, letter") {
		t.Errorf("unknown paper: %v", err)
	}
	if _, err := Document(doc, nil, DocumentOptions{Fallback: []byte("not a font")}); err == nil {
		t.Error("a broken fallback font is accepted")
	}
}

// TestDocumentFallback: characters the Go fonts lack are drawn from the
// fallback font and stay extractable.
func TestDocumentFallback(t *testing.T) {
	sop := exporttest.HostileSOP()
	sop.Description = "Release ✓ approved: שלום"
	_, out := publish(t, sop, "", DocumentOptions{Fallback: rendertest.Fallback(t)})
	if text := pdfText(t, out); !strings.Contains(text, "✓") {
		t.Errorf("the fallback character is not in the text")
	}
}

// FuzzSetLines: any text, set in any width, keeps every character but
// its spaces, in order, and no line is wider than the column unless it is
// one character that is wider on its own.
func FuzzSetLines(f *testing.F) {
	f.Add("Deploy the release to production", 120.0)
	f.Add("Averyveryverylongwordwithoutanyspaces and more", 30.0)
	f.Add("名前 🚀 اسم ✓", 5.0)
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if width < 1 || width > 2000 || width != width {
			return
		}
		text := document.Lit("Step ").Say(s).Lit(".")
		var got strings.Builder
		for _, line := range setLines("Label", text, bodySize, width, false) {
			last := line[len(line)-1]
			if last.x+last.w > width+0.001 && (len(line) > 1 || utf8.RuneCountInString(last.text) > 1) {
				t.Fatalf("a line of %g points in a column of %g: %v", last.x+last.w, width, line)
			}
			for _, fr := range line {
				got.WriteString(fr.text)
			}
		}
		want := strings.ReplaceAll("Label:"+text.String(), " ", "")
		if got.String() != want {
			t.Fatalf("set %q, want %q", got.String(), want)
		}
	})
}
