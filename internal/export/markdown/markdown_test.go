package markdown

import (
	"bytes"
	"flag"
	"html"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/export/mermaid"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden: the document of every template's base flow, and of one
// release type's flow, byte for byte, the same twice.
func TestGolden(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		types := []string{""}
		if len(tpl.SOP.ReleaseTypes) > 0 {
			types = append(types, tpl.SOP.ReleaseTypes[len(tpl.SOP.ReleaseTypes)-1].ID)
		}
		for _, typ := range types {
			name := tpl.Name
			if typ != "" {
				name += "-" + typ
			}
			t.Run(name, func(t *testing.T) {
				got := export(t, tpl.SOP, typ)
				if again := export(t, tpl.SOP, typ); !bytes.Equal(got, again) {
					t.Fatal("two exports of the same SOP differ")
				}
				exporttest.Golden(t, filepath.Join("testdata", name+".md"), got, *update)
			})
		}
	}
}

func export(t *testing.T, sop *relsop.SOP, typ string) []byte {
	t.Helper()
	flow, err := sop.Resolve(typ)
	if err != nil {
		t.Fatal(err)
	}
	return Export(sop, flow)
}

// render turns Markdown into HTML as a GitHub-flavoured renderer does
// (goldmark, CommonMark with GFM tables, task lists, strikethrough and
// autolinks; raw HTML left out, as GitHub sanitises it).
func render(t testing.TB, md []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var tag = regexp.MustCompile(`<[^>]*>`)

// textOf is what a reader sees of an HTML fragment.
func textOf(fragment string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tag.ReplaceAllString(fragment, ""))), " ")
}

// all returns the inner HTML of every element el.
func all(doc, el string) []string {
	re := regexp.MustCompile(`(?s)<` + el + `(?: [^>]*)?>(.*?)</` + el + `>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestRendersAsADocument renders each template's document and checks what
// a reader gets: a heading per step with its number and name, the roles
// and RACI tables with a row per role and per step, the gates table, and
// the Mermaid diagram, the exact Mermaid export, in a code block a viewer
// draws.
func TestRendersAsADocument(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		t.Run(tpl.Name, func(t *testing.T) {
			flow, _ := tpl.SOP.Resolve("")
			doc := render(t, Export(tpl.SOP, flow))
			headings := all(doc, "h4")
			if len(headings) != len(flow.Steps) {
				t.Fatalf("%d step headings for %d steps", len(headings), len(flow.Steps))
			}
			numbers := document.StepNumbers(flow)
			seen := map[string]bool{}
			for _, h := range headings {
				seen[textOf(h)] = true
			}
			for _, st := range flow.Steps {
				if want := numbers[st.ID] + " " + st.Name; !seen[want] {
					t.Errorf("no heading %q", want)
				}
			}
			tables := all(doc, "table")
			rows := func(table string) int { return len(all(table, "tr")) - 1 }
			gates, work := 0, 0
			for _, st := range flow.Steps {
				if st.IsGate() {
					gates++
				}
				if st.Kind != relsop.KindStart && st.Kind != relsop.KindEnd {
					work++
				}
			}
			if len(tables) != 4 || rows(tables[0]) != len(flow.Roles) || rows(tables[1]) != gates || rows(tables[3]) != work {
				t.Errorf("tables: %d; roles %d rows for %d roles, gates %d for %d, RACI %d for %d steps",
					len(tables), rows(tables[0]), len(flow.Roles), rows(tables[1]), gates, rows(tables[3]), work)
			}
			code := regexp.MustCompile(`(?s)<pre><code class="language-mermaid">(.*?)</code></pre>`).FindStringSubmatch(doc)
			if code == nil || html.UnescapeString(code[1]) != string(mermaid.Export(flow)) {
				t.Errorf("the Mermaid block is missing or not the Mermaid export")
			}
			if strings.Contains(doc, "<!-- raw HTML omitted -->") {
				t.Errorf("the document has raw HTML")
			}
		})
	}
}

// TestHostileText puts text that tries to become markup everywhere the
// document shows SOP text: each renders as the same text, and nothing
// becomes HTML, emphasis, a link or a table cell of its own.
func TestHostileText(t *testing.T) {
	sop := exporttest.HostileSOP()
	names := append(exporttest.HostileNames,
		"# heading", "- item", "1. one", "> quote", "=====", "---", "    code", "| a | b |", "~~strike~~", "**bold**",
		"[x](javascript:alert(1))", "![img](http://x/y.png)", "<https://evil.example>", "&lt;b&gt;", "$x^2$", "trailing\\",
		"line one\n\n# line two")
	sop.Description = strings.Join(names, "\n\n")
	sop.Scope = "scope *with* `code`"
	sop.Phases = []relsop.Phase{{ID: "p", Name: "Phase | one", Description: "- not a list"}}
	for i := range sop.Steps {
		st := &sop.Steps[i]
		st.Phase = "p"
		st.Criteria = names
		st.Notes = names[i%len(names)]
		st.Evidence = names[:3]
		st.Links = []relsop.Link{{Title: "evil", URL: "javascript:alert(1)"}, {Title: "a [runbook]", URL: "https://example.com/a b)c>"},
			{Title: "no host", URL: "http:relative"}, {Title: "mail", URL: "mailto:release@example.com"}}
	}
	for i := range len(names) - len(exporttest.HostileNames) {
		st := &sop.Steps[1+i%(len(sop.Steps)-2)]
		st.Name += " " + names[len(exporttest.HostileNames)+i]
	}
	flow, err := sop.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	md := Export(sop, flow)
	doc := render(t, md)
	// The closing line is the document's own emphasis, not SOP text.
	doc = doc[:strings.LastIndex(doc, "<p><em>Generated by relsop")]
	for _, bad := range []string{"<script", "<b>", "<em>", "<strong>bold", "<del>", "<img", "<blockquote>", "<h1>heading", "<hr>\n<h", `href="javascript:`, "<code>code", "raw HTML omitted"} {
		if strings.Contains(doc, bad) {
			t.Errorf("SOP text became markup: %q in\n%s", bad, doc)
		}
	}
	// Every step's heading reads as its number and name.
	numbers := document.StepNumbers(flow)
	headings := map[string]bool{}
	for _, h := range all(doc, "h4") {
		headings[textOf(h)] = true
	}
	for _, st := range flow.Steps {
		if want := numbers[st.ID] + " " + strings.Join(strings.Fields(st.Name), " "); !headings[want] {
			t.Errorf("no heading reads %q", want)
		}
	}
	// The description's paragraphs read as written.
	paras := map[string]bool{}
	for _, p := range all(doc, "p") {
		paras[textOf(p)] = true
	}
	for _, n := range names {
		for _, para := range strings.Split(n, "\n\n") {
			if want := strings.Join(strings.Fields(para), " "); want != "" && !paras[want] {
				t.Errorf("no paragraph reads %q", want)
			}
		}
	}
	// The one real link goes where it says, with its characters encoded.
	if !strings.Contains(doc, `<a href="https://example.com/a%20b%29c%3E">a [runbook]</a>`) {
		t.Errorf("the https link is not written as a link:\n%s", doc)
	}
	if strings.Contains(doc, `href="http:relative"`) || !strings.Contains(doc, `<a href="mailto:release@example.com">mail</a>`) {
		t.Errorf("an address without a host became a link, or a mailto address did not")
	}
	// Table cells: the roles table still has four columns in every row.
	for _, row := range all(all(doc, "table")[0], "tr") {
		if n := len(all(row, "td")) + len(all(row, "th")); n != 4 {
			t.Errorf("a roles row has %d cells: %s", n, row)
		}
	}
}

// FuzzInline: any text, written as inline Markdown in a list item or as a
// paragraph, reads back as the same text, and never as markup.
func FuzzInline(f *testing.F) {
	for _, n := range exporttest.HostileNames {
		f.Add(n)
	}
	f.Add("1) x")
	f.Add("* [ ] task")
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(dropControls(strings.ToValidUTF8(s, ""))), " ")
		t0 := text(document.Say(s))
		for i, md := range []string{"- **Notes:** " + t0 + "\n", lineStart(t0) + "\n", "- " + lineStart(t0) + "\n"} {
			out := render(t, []byte(md))
			got := textOf(out)
			if i == 0 {
				got = strings.TrimSpace(strings.TrimPrefix(got, "Notes:"))
			}
			if got != want {
				t.Fatalf("%q wrote %q, which reads %q, not %q", s, md, got, want)
			}
			if want != "" && strings.Count(out, "<p>")+strings.Count(out, "<li>") != 1 {
				t.Fatalf("%q made more than one block: %s", s, out)
			}
			// GFM makes web and e-mail addresses in text links, as GitHub
			// does; that is the only way a link may appear.
			for _, a := range regexp.MustCompile(`<a [^>]*>`).FindAllString(out, -1) {
				if !regexp.MustCompile(`^<a href="(https?://|mailto:)[^"]*">$`).MatchString(a) {
					t.Fatalf("%q became the link %s", s, a)
				}
			}
			for _, bad := range []string{"<em>", "<strong>", "<code>", "<del>", "<img", "<h", "<blockquote", "<pre", "raw HTML"} {
				if strings.Contains(strings.Replace(out, "<strong>Notes:</strong>", "", 1), bad) {
					t.Fatalf("%q became markup %s: %s", s, bad, out)
				}
			}
		}
	})
}

// dropControls removes what inline drops (and turns line breaks and tabs
// into the spaces inline writes).
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// TestSmallAndLargeSOPs: an SOP with nothing but an id still makes a
// document; one too large for Mermaid's layout gets a note instead of a
// diagram; exceptions and suppressed findings are listed with reasons.
func TestSmallAndLargeSOPs(t *testing.T) {
	empty := &relsop.SOP{ID: "empty"}
	doc := string(Export(empty, empty))
	if !strings.HasPrefix(doc, "# empty\n") || strings.Contains(doc, "## Procedure") || !strings.Contains(doc, "Generated by relsop") {
		t.Errorf("empty SOP:\n%s", doc)
	}

	large := &relsop.SOP{ID: "large", Title: "Large", Roles: []relsop.Role{{ID: "a", Name: "A"}}}
	for i := range LargeSteps {
		st := relsop.Step{ID: "s" + strconv.Itoa(i), Name: "Do thing " + strconv.Itoa(i), Kind: relsop.KindTask, Owner: "a"}
		if i+1 < LargeSteps {
			st.Next = []string{"s" + strconv.Itoa(i+1)}
		}
		large.Steps = append(large.Steps, st)
	}
	large.Steps[3].Exception = &relsop.Exception{Reason: "No staging for the legacy host", ApprovedBy: "a"}
	large.Ignore = []relsop.Ignore{{Rule: "verb-first", Step: "s4", Reason: "A team name"}}
	doc = string(Export(large, large))
	if strings.Contains(doc, "```mermaid") || !strings.Contains(doc, "The SOP has 50 steps, more than Mermaid's layout draws reliably") {
		t.Errorf("a large SOP kept its Mermaid diagram")
	}
	for _, want := range []string{
		"### 1. Steps without a phase", "#### 1.50 Do thing 49",
		"- 1.4 Do thing 3: No staging for the legacy host (approved by A)",
		"- Rule verb-first not applied to 1.5 Do thing 4: A team name",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("no %q in\n%.2000s", want, doc)
		}
	}
}

// TestDocumentControl: the control section lists revisions newest first,
// at most document.MaxRevisions of them, with authors' names escaped, and says
// whether the SOP is under its approval.
func TestDocumentControl(t *testing.T) {
	tpl := exporttest.Templates(t)[0].SOP
	flow, _ := tpl.Resolve("")
	start := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	var revs []document.Revision
	for n := 30; n >= 1; n-- {
		r := document.Revision{Number: n, Date: start.Add(time.Duration(n) * time.Hour), Author: "*Eve* <b>x</b>", Status: relsop.StatusDraft, Message: "Renamed | a step"}
		switch {
		case n == 28:
			r.Status, r.Approval, r.Message = relsop.StatusApproved, true, "Status: in-review → approved"
		case n > 28:
			r.Status = relsop.StatusApproved
		}
		revs = append(revs, r)
	}
	doc := string(ExportControlled(tpl, flow, &document.Control{Revision: 30, Revisions: revs}))
	for _, want := range []string{
		"## Document control\n\n- Revision 30 in the relsop workspace.\n- Approved by \\*Eve\\* \\<b\\>x\\</b\\> on 2026-03-02 (revision 28).\n",
		"| Revision | Date | By | Status | Change |\n|---|---|---|---|---|\n| 30 | 2026-03-02 15:30 UTC | \\*Eve\\* \\<b\\>x\\</b\\> | approved | Renamed \\| a step |\n",
		"| 6 | ", "5 earlier revisions not listed",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("no %q in\n%s", want, doc[:strings.Index(doc, "## Flow")])
		}
	}
	if strings.Contains(doc, "| 5 | ") {
		t.Errorf("more than %d revisions listed", document.MaxRevisions)
	}
	html := render(t, []byte(doc))
	if strings.Contains(html, "<em>Eve") || strings.Contains(html, "<b>x") {
		t.Errorf("an author's name became markup")
	}
	// Live edits since the approved revision are not under it.
	doc = string(ExportControlled(tpl, flow, &document.Control{Revision: 30, Unsaved: true, Revisions: revs}))
	if !strings.Contains(doc, "- Revision 30 in the relsop workspace, with live edits made since.\n- Revision 28 was approved by") {
		t.Errorf("live edits not told apart:\n%s", doc[:strings.Index(doc, "## Flow")])
	}
	// Moved to a draft after the approval: not approved.
	revs[0].Status = relsop.StatusDraft
	doc = string(ExportControlled(tpl, flow, &document.Control{Revision: 30, Revisions: revs}))
	if !strings.Contains(doc, "- Not approved: changed since it was last approved, by") {
		t.Errorf("a draft after an approval reads as approved")
	}
}
