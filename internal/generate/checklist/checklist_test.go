package checklist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relsop/relsop"
)

// at is a finding reduced to what the tests pin down.
type at struct {
	Code      string
	Line, Col int
}

func codes(fs []relsop.Finding) []at {
	var out []at
	for _, f := range fs {
		out = append(out, at{f.Code, f.Pos.Line, f.Pos.Col})
	}
	return out
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file string
		want *Checklist
		errs []at
	}{
		{
			file: "release.md",
			want: &Checklist{
				Title: "Release checklist — v2.4",
				Sections: []Section{
					{Heading: "Before the freeze", Level: 2, Line: 6, Items: []Item{
						{Text: "Create the release branch release/2.4", Box: true, Line: 9, Col: 7},
						{Text: "Update the changelog including migration notes", Box: true, Checked: true, Line: 10, Col: 7},
						{Text: "Check old deprecations", Box: true, Depth: 1, Line: 12, Col: 11},
						{Text: "Notify #release on Slack", Box: true, Checked: true, Depth: 1, Line: 13, Col: 8},
						{Text: "Ping QA (no box)", Line: 14, Col: 3},
					}},
					{Heading: "Build & test", Level: 2, Line: 16, Items: []Item{
						{Text: "Run make test", Box: true, Line: 18, Col: 8},
						{Text: "Run the e2e suite: and attach the report", Box: true, Line: 19, Col: 8},
						{Text: "Tag the build https://ci.example.com/build/42", Box: true, Checked: true, Line: 27, Col: 8},
					}},
					{Heading: "Deploy", Level: 3, Line: 34, Items: []Item{
						{Text: "Deploy to canary", Box: true, Line: 36, Col: 7},
						{Text: "Deploy to production_eu and prod_us", Box: true, Line: 40, Col: 7},
					}},
				},
			},
		},
		{
			file: "qa.md",
			want: &Checklist{
				Title: "QA sign-off",
				Sections: []Section{
					{Line: 3, Items: []Item{
						{Text: "smoke test login", Box: true, Line: 3, Col: 7},
						{Text: "smoke test checkout", Box: true, Checked: true, Line: 4, Col: 7},
					}},
					{Heading: "QA sign-off", Level: 1, Line: 6, Items: []Item{
						{Text: "QA lead signs off", Box: true, Line: 8, Col: 7},
					}},
				},
			},
		},
		{
			file: "bad.md",
			want: &Checklist{
				Title: "Bad",
				Sections: []Section{
					{Heading: "Bad", Level: 1, Line: 1, Items: []Item{
						{Text: "[y] wrong box", Line: 3, Col: 3},
						{Text: "[] empty brackets", Line: 5, Col: 3},
						{Text: "spaced out", Box: true, Checked: true, Line: 6, Col: 12},
						{Text: "fine", Box: true, Line: 7, Col: 7},
					}},
				},
			},
			errs: []at{
				{CodeMalformedBox, 3, 3},
				{CodeEmptyItem, 4, 1},
				{CodeMalformedBox, 5, 3},
				{CodeUnclosedFence, 8, 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, findings := Parse(tt.file, data)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checklist (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, codes(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, findings)
			}
			for _, f := range findings {
				if f.File != tt.file || f.Message == "" || f.Hint == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
}

func TestParseSmall(t *testing.T) {
	tests := []struct {
		name  string
		input string
		items []Item
		errs  []at
	}{
		{"empty", "", nil, []at{{CodeNoItems, 0, 0}}},
		{"prose only", "# Title\n\nJust text.\n", nil, []at{{CodeNoItems, 0, 0}}},
		{"thematic break is no item", "* * *\n- - -\n", nil, []at{{CodeNoItems, 0, 0}}},
		{"code only", "```\n- [ ] x\n```\n", nil, []at{{CodeNoItems, 0, 0}}},
		{"bold is no bullet", "**Note** this\n-no space\n", nil, []at{{CodeNoItems, 0, 0}}},
		{"lazy continuation", "- [ ] one\ntwo\n", []Item{{Text: "one two", Box: true, Line: 1, Col: 7}}, nil},
		{"blank ends item", "- [ ] one\n\ntwo\n", []Item{{Text: "one", Box: true, Line: 1, Col: 7}}, nil},
		{"inline comment", "- [ ] one <!-- two --> three\n", []Item{{Text: "one three", Box: true, Line: 1, Col: 7}}, nil},
		{"unclosed comment", "- [ ] one\n  <!-- two\n- [ ] three\n", []Item{{Text: "one", Box: true, Line: 1, Col: 7}}, []at{{CodeUnclosedComment, 2, 3}}},
		{"tab after marker", "-\t[x]\tdone\n", []Item{{Text: "done", Box: true, Checked: true, Line: 1, Col: 7}}, nil},
		{"characters not bytes", "## Überprüfung\n- [ ] Prüfen\n", []Item{{Text: "Prüfen", Box: true, Line: 2, Col: 7}}, nil},
		{"nesting", "- a\n  - b\n    - c\n  - d\n- e\n", []Item{
			{Text: "a", Line: 1, Col: 3}, {Text: "b", Depth: 1, Line: 2, Col: 5},
			{Text: "c", Depth: 2, Line: 3, Col: 7}, {Text: "d", Depth: 1, Line: 4, Col: 5},
			{Text: "e", Line: 5, Col: 3},
		}, nil},
		{"windows-1252", "- [ ] caf\xe9\n", []Item{{Text: "café", Box: true, Line: 1, Col: 7}}, nil},
		{"utf-16", "\xff\xfe-\x00 \x00[\x00x\x00]\x00 \x00a\x00", []Item{{Text: "a", Box: true, Checked: true, Line: 1, Col: 7}}, nil},
		{"too large", strings.Repeat("-", maxBytes+1), nil, []at{{CodeTooLarge, 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, findings := Parse("in.md", []byte(tt.input))
			var items []Item
			for _, s := range cl.Sections {
				items = append(items, s.Items...)
			}
			if diff := cmp.Diff(tt.items, items, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, codes(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, findings)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**bold** and *em* and _em_", "bold and em and em"},
		{"__strong__ ~~gone~~", "strong gone"},
		{"snake_case_name stays", "snake_case_name stays"},
		{"2 * 3 * 4", "2 * 3 * 4"},
		{"`a *b* c`", "a *b* c"},
		{"``code with ` tick``", "code with ` tick"},
		{"[text](http://x.y/(a)) after", "text after"},
		{"![logo](l.png) [ref][1]", "logo ref"},
		{"[not a link] and [y]", "[not a link] and [y]"},
		{"[**bold link**](u)", "bold link"},
		{`\*not em\*`, "*not em*"},
		{"<https://a.b/c> <notalink>", "https://a.b/c <notalink>"},
		{"unclosed *star", "unclosed *star"},
		{"  many   spaces\t ", "many spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			in := inliner{budget: totalBudget}
			if got := in.plain(tt.in); got != tt.want {
				t.Errorf("plain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
