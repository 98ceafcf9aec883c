package pdf

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/testenv"
)

// pageText is the text of page n of a PDF, as poppler lays it out.
func pageText(t *testing.T, path string, n int) string {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext page %d: %v\n%s", n, err, out)
	}
	return string(out)
}

var contentsLine = regexp.MustCompile(`^\s*(\S.*?)\s{2,}(\d+)\s*$`)

// TestDocumentContents reads each template's first page back with
// poppler: its contents list every section and subsection, in order, each
// with a page number on which poppler finds that heading (the diagram's
// section: a landscape page), and each entry links to its page.
func TestDocumentContents(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		t.Run(tpl.Name, func(t *testing.T) {
			doc, out := publish(t, tpl.SOP, "", DocumentOptions{})
			path := writeTemp(t, out)
			first := pageText(t, path, 1)
			_, list, ok := strings.Cut(first, "Contents")
			if !ok {
				t.Fatalf("no contents on page 1:\n%s", first)
			}
			var entries [][2]string // heading, page
			for _, line := range strings.Split(list, "\n") {
				if m := contentsLine.FindStringSubmatch(line); m != nil {
					entries = append(entries, [2]string{m[1], m[2]})
				}
			}
			var want []string
			for _, bl := range doc.Blocks {
				if h, ok := bl.(document.Heading); ok && listed(h) {
					want = append(want, h.Text.String())
				}
			}
			if len(entries) != len(want) {
				t.Fatalf("the contents list %d entries, want %d (%q):\n%s", len(entries), len(want), want, list)
			}
			sizes := pageSizes(t, out)
			last := 0
			for i, e := range entries {
				if e[0] != want[i] {
					t.Errorf("entry %d reads %q, want %q", i+1, e[0], want[i])
				}
				page, _ := strconv.Atoi(e[1])
				if page < last || page < 1 || page > len(sizes) {
					t.Errorf("%q is on page %d, after an entry on %d, of %d pages", e[0], page, last, len(sizes))
					continue
				}
				last = page
				if i == 0 && doc.Blocks[slicesIndexFlow(doc.Blocks)-1].(document.Heading).Text.String() == e[0] {
					if sizes[page-1][0] < sizes[page-1][1] {
						t.Errorf("the diagram's entry points at page %d, which is not landscape", page)
					}
					continue
				}
				if text := words(pageText(t, path, page)); !strings.Contains(text, words(e[0])) {
					t.Errorf("%q is said to be on page %d, which reads:\n%s", e[0], page, text)
				}
			}
			if n := bytes.Count(out, []byte("/Dest [")); n < len(want) {
				t.Errorf("%d internal links for %d entries", n, len(want))
			}
		})
	}
}

// slicesIndexFlow is the index of the Flow block.
func slicesIndexFlow(blocks []document.Block) int {
	for i, bl := range blocks {
		if _, ok := bl.(document.Flow); ok {
			return i
		}
	}
	panic(fmt.Sprint("no flow in ", len(blocks), " blocks"))
}

// TestDocumentDate: the PDF's creation date is the date of what it shows
// (the SOP's last review for a file, the revision for a workspace's
// document), never the moment it was written.
func TestDocumentDate(t *testing.T) {
	tpl := exporttest.Templates(t)[0]
	sop := *tpl.SOP
	sop.Review.LastReviewed = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	_, out := publish(t, &sop, "", DocumentOptions{})
	if !bytes.Contains(out, []byte("/CreationDate (D:20261015000000)")) {
		t.Errorf("from a file last reviewed on 2026-10-15: created %s", pdfInfo(t, out)["CreationDate"])
	}
	flow, err := sop.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	ctl := &document.Control{Revision: 7, Revisions: []document.Revision{{Number: 7, Date: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), Author: "Ann"}}}
	out, err = Document(document.Build(&sop, flow, ctl), layout.Compute(flow, layout.Options{}), DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("/CreationDate (D:20261120093000)")) {
		t.Errorf("of revision 7 of 2026-11-20 09:30: created %s", pdfInfo(t, out)["CreationDate"])
	}
}

// TestDocumentShortHasNoContents: a document whose sections all start on
// one page (a release's report, say) is not given contents.
func TestDocumentShortHasNoContents(t *testing.T) {
	doc := &document.Document{Title: "Short", Blocks: []document.Block{
		document.Heading{Level: 1, Text: document.Lit("Short")},
		document.Heading{Level: 2, Text: document.Lit("Summary")},
		document.Paragraph{Text: document.Lit("All went well.")},
		document.Heading{Level: 2, Text: document.Lit("Trail")},
		document.Paragraph{Text: document.Lit("Two records.")},
	}}
	out, err := Document(doc, nil, DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, out); strings.Contains(text, "Contents") || !strings.Contains(text, "Trail") {
		t.Errorf("a one-page document:\n%s", text)
	}
}
