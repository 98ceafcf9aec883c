package document

import (
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/exporttest"
)

// TestTextsDoNotShare: two texts built on one prefix keep their own words;
// an append into shared spare capacity would make the first read as the
// second.
func TestTextsDoNotShare(t *testing.T) {
	prefix := make(Text, 0, 8).Lit("Deploy ")
	a, b := prefix.Lit("to staging"), prefix.Lit("to production")
	if a.String() != "Deploy to staging" || b.String() != "Deploy to production" {
		t.Errorf("texts share spans: %q and %q", a, b)
	}
}

// TestSay: SOP text loses control characters, invalid UTF-8 and line
// breaks, and nothing at all is no text.
func TestSay(t *testing.T) {
	for in, want := range map[string]string{
		"  Deploy\nto\tprod\r ": "Deploy to prod",
		"a\x00b\x1b[31mc\x7f":   "ab[31mc",
		"ok\xffok":              "okok",
		"名前 🚀 اسم":              "名前 🚀 اسم",
	} {
		if got := Say(in).String(); got != want {
			t.Errorf("Say(%q) = %q, want %q", in, got, want)
		}
	}
	if Say(" \n\t") != nil {
		t.Error("blank text is not empty")
	}
}

// TestLink: only web addresses with a host and mailto addresses become
// links; anything else is shown as text beside its title.
func TestLink(t *testing.T) {
	for _, c := range []struct{ title, url, text, link string }{
		{"Runbook", "https://example.com/run book", "Runbook", "https://example.com/run%20book"},
		{"", "https://example.com", "https://example.com", "https://example.com"},
		{"Mail", "mailto:release@example.com", "Mail", "mailto:release@example.com"},
		{"x", "javascript:alert(1)", "x (javascript:alert(1))", ""},
		{"x", "http:relative", "x (http:relative)", ""},
		{"x", "data:text/html,<b>", "x (data:text/html,<b>)", ""},
		{"x", "../runbook.md", "x (../runbook.md)", ""},
	} {
		got := Link(c.title, c.url)
		var link string
		for _, s := range got {
			link += s.URL
		}
		if got.String() != c.text || link != c.link {
			t.Errorf("Link(%q, %q) = %q linking %q, want %q linking %q", c.title, c.url, got, link, c.text, c.link)
		}
	}
}

// TestBuild: every template's document has one flow, a heading per step
// with its number, every step's criteria, and a RACI row for every step
// that is work.
func TestBuild(t *testing.T) {
	for _, tpl := range exporttest.Templates(t) {
		flow, err := tpl.SOP.Resolve("")
		if err != nil {
			t.Fatal(err)
		}
		doc := Build(tpl.SOP, flow, nil)
		numbers := StepNumbers(flow)
		flows, headings, criteria := 0, map[string]bool{}, 0
		var raci *Table
		for _, bl := range doc.Blocks {
			switch bl := bl.(type) {
			case Flow:
				flows++
			case Heading:
				if bl.Level == 4 {
					headings[bl.Text.String()] = true
				}
			case List:
				for _, it := range bl.Items {
					if it.Label == "Criteria" {
						criteria += len(it.Sub)
					}
				}
			case Table:
				if bl.Head[0].String() == "Step" {
					raci = &bl
				}
			}
		}
		want, work := 0, 0
		for _, st := range flow.Steps {
			want += len(st.Criteria)
			if st.Kind != relsop.KindStart && st.Kind != relsop.KindEnd {
				work++
			}
			if h := numbers[st.ID] + " " + st.Name; !headings[h] {
				t.Errorf("%s: no heading %q", tpl.Name, h)
			}
		}
		if flows != 1 || criteria != want || raci == nil || len(raci.Rows) != work || len(raci.Head) != len(flow.Roles)+1 {
			t.Errorf("%s: %d flows, %d of %d criteria, RACI %v", tpl.Name, flows, criteria, want, raci != nil)
		}
		if doc.Title != flow.Title {
			t.Errorf("%s: title %q", tpl.Name, doc.Title)
		}
	}
}

// TestApproval: the latest approval, and whether later revisions kept
// the SOP approved.
func TestApproval(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rev := func(n int, st relsop.Status, approval bool) Revision {
		return Revision{Number: n, Date: day, Status: st, Approval: approval}
	}
	for _, c := range []struct {
		revs    []Revision
		latest  int
		current bool
	}{
		{nil, 0, false},
		{[]Revision{rev(2, relsop.StatusDraft, false), rev(1, relsop.StatusDraft, false)}, 0, false},
		{[]Revision{rev(3, relsop.StatusApproved, false), rev(2, relsop.StatusApproved, true), rev(1, relsop.StatusDraft, false)}, 2, true},
		{[]Revision{rev(4, relsop.StatusApproved, false), rev(3, relsop.StatusDraft, false), rev(2, relsop.StatusApproved, true)}, 2, false},
	} {
		latest, current := (&Control{Revisions: c.revs}).Approval()
		n := 0
		if latest != nil {
			n = latest.Number
		}
		if n != c.latest || current != c.current {
			t.Errorf("%v: approval %d current %v, want %d %v", c.revs, n, current, c.latest, c.current)
		}
	}
}

// TestHostileTextStaysText: no SOP text is ever a link or code; the
// document's own closing remark names the SOP by its id.
func TestHostileTextStaysText(t *testing.T) {
	sop := exporttest.HostileSOP()
	flow, err := sop.Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	doc := Build(sop, flow, nil)
	var all []Text
	for _, bl := range doc.Blocks {
		switch bl := bl.(type) {
		case Heading:
			all = append(all, bl.Text)
		case Paragraph:
			all = append(all, bl.Text)
		case List:
			for _, it := range bl.Items {
				all = append(all, it.Text)
				all = append(all, it.Sub...)
			}
		case Table:
			for _, r := range bl.Rows {
				all = append(all, r...)
			}
		}
	}
	for _, tx := range all {
		for _, s := range tx {
			if s.Code || s.URL != "" {
				t.Errorf("SOP text %q became code or a link", s.Text)
			}
			if strings.ContainsAny(s.Text, "\n\r\x00") {
				t.Errorf("a line break or control character is left in %q", s.Text)
			}
		}
	}
}

// TestReview: how often the SOP is reviewed, when it last was, and when
// the next review is due, as the review-overdue rule counts it.
func TestReview(t *testing.T) {
	last := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    relsop.Review
		want string
	}{
		{relsop.Review{Cadence: relsop.Duration{Text: "90d", D: 90 * 24 * time.Hour}, LastReviewed: last}, "every 90d; last reviewed 2026-01-01; next due 2026-04-01"},
		{relsop.Review{Cadence: relsop.Duration{Text: "quarterly", D: 91 * 24 * time.Hour}}, "quarterly"},
		{relsop.Review{LastReviewed: last}, "last reviewed 2026-01-01"},
		{relsop.Review{}, ""},
	} {
		if got := review(c.r).String(); got != c.want {
			t.Errorf("review(%v) = %q, want %q", c.r, got, c.want)
		}
	}
}
