package raci

import (
	"bytes"
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
		want *Matrix
		errs []at
	}{
		{
			file: "excel_semicolon_bom.csv",
			want: &Matrix{
				Roles: []string{"Release Manager", "Dev Lead", "QA", "ISSO"},
				Activities: []Activity{
					{Name: "Plan release scope", Line: 4, Responsible: []string{"Dev Lead"}, Accountable: []string{"Release Manager"}, Consulted: []string{"QA"}, Informed: []string{"ISSO"}},
					{Name: "Build, tag and sign", Line: 5, Responsible: []string{"Dev Lead"}, Accountable: []string{"Dev Lead"}, Informed: []string{"Release Manager"}},
					{Name: "Regression test", Line: 6, Responsible: []string{"QA"}, Accountable: []string{"QA"}, Consulted: []string{"Dev Lead"}, Informed: []string{"Release Manager"}},
					{Name: "Security review", Line: 7, Responsible: []string{"ISSO"}, Accountable: []string{"ISSO"}, Consulted: []string{"Release Manager"}, Informed: []string{"Dev Lead"}},
					{Name: "Go/no-go decision", Line: 8, Accountable: []string{"Release Manager"}, Consulted: []string{"Dev Lead", "QA", "ISSO"}},
				},
			},
		},
		{
			file: "google_sheets.csv",
			want: &Matrix{
				Roles: []string{"Release manager", "Dev Lead", "QA"},
				Activities: []Activity{
					{Name: "Cut release branch", Line: 3, Responsible: []string{"Dev Lead"}, Accountable: []string{"Release manager"}, Informed: []string{"QA"}},
					{Name: "Run the test suite (unit, integration, e2e)", Line: 4, Responsible: []string{"QA"}, Accountable: []string{"QA"}, Consulted: []string{"Dev Lead"}, Informed: []string{"Release manager"}},
					{Name: "Deploy to production", Line: 7, Responsible: []string{"Dev Lead"}, Accountable: []string{"Release manager"}, Informed: []string{"QA"}},
				},
			},
		},
		{
			file: "windows1252.csv",
			want: &Matrix{
				Roles: []string{"Müller (Release)", "Sécurité", "Entwicklung"},
				Activities: []Activity{
					{Name: "Freigabe planen", Line: 2, Responsible: []string{"Entwicklung"}, Accountable: []string{"Müller (Release)"}, Consulted: []string{"Sécurité"}},
					{Name: "Sicherheitsprüfung", Line: 3, Responsible: []string{"Sécurité"}, Accountable: []string{"Sécurité"}, Consulted: []string{"Entwicklung"}, Informed: []string{"Müller (Release)"}},
				},
			},
		},
		{
			file: "excel_unicode_text.txt",
			want: unicodeText,
		},
		{
			file: "utf16be.txt",
			want: unicodeText,
		},
		{
			file: "transposed.csv",
			want: &Matrix{
				Roles: []string{"Release Manager", "Developer", "Ops"},
				Activities: []Activity{
					{Name: "Plan", Line: 1, Responsible: []string{"Developer"}, Accountable: []string{"Release Manager"}, Consulted: []string{"Ops"}},
					{Name: "Build", Line: 1, Responsible: []string{"Developer"}, Accountable: []string{"Developer"}, Informed: []string{"Release Manager"}},
					{Name: "Deploy", Line: 1, Responsible: []string{"Developer", "Ops"}, Accountable: []string{"Release Manager"}},
				},
			},
		},
		{
			file: "bad.csv",
			want: &Matrix{
				Roles: []string{"Dev", "QA", "Ops"},
				Activities: []Activity{
					{Name: "Plan", Line: 2, Responsible: []string{"Ops"}, Accountable: []string{"Dev"}},
					{Name: "Build", Line: 3, Responsible: []string{"Dev", "QA"}},
					{Name: "Test", Line: 4, Accountable: []string{"Dev", "QA"}},
					{Name: "Deploy", Line: 6, Responsible: []string{"Dev"}, Accountable: []string{"QA"}},
				},
			},
			errs: []at{
				{CodeUnknownLetter, 2, 8},
				{CodeNoAccountable, 3, 1},
				{CodeExtraCell, 3, 12},
				{CodeMultipleAccountable, 4, 1},
				{CodeUnknownLetter, 4, 10},
				{CodeUnnamedActivity, 5, 2},
				{CodeUnknownLetter, 7, 11},
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
				t.Errorf("matrix (-want +got):\n%s", diff)
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

var unicodeText = &Matrix{
	Roles: []string{"Our Dev Lead", "ISSO", "CAB"},
	Activities: []Activity{
		{Name: "Change request", Line: 2, Responsible: []string{"Our Dev Lead"}, Accountable: []string{"CAB"}, Consulted: []string{"ISSO"}},
		{Name: "Deploy", Line: 3, Responsible: []string{"Our Dev Lead"}, Accountable: []string{"Our Dev Lead"}, Informed: []string{"ISSO", "CAB"}},
	},
}

func TestParseFindings(t *testing.T) {
	tests := []struct {
		name  string
		input string
		errs  []at
		nilM  bool
	}{
		{"empty", "", []at{{CodeEmpty, 0, 0}}, true},
		{"blank lines", "\r\n \n;;;\n", []at{{CodeNoHeader, 0, 0}}, true},
		{"bom only", "\uFEFF", []at{{CodeEmpty, 0, 0}}, true},
		{"one column", "Activity\nPlan\nBuild\n", []at{{CodeNoHeader, 0, 0}}, true},
		{"no roles", "Activity,Notes,Phase\nPlan,x,y\n", []at{{CodeNoRoles, 1, 1}}, false},
		{"no activities", "Title\n\nTask,Dev,Ops\n", []at{{CodeNoActivities, 3, 1}}, false},
		{"bare quote", "Task,Dev,Ops\nPlan,A,R \"lead\"\n", []at{{CodeUnknownLetter, 2, 8}, {CodeQuote, 2, 10}}, false},
		{"unclosed quote", "Task,Dev,Ops\nPlan,A,\"R\nBuild,A,R\n", []at{{CodeQuote, 2, 8}, {CodeUnknownLetter, 2, 8}}, false},
		{"quote then text", "Task,Dev,Ops\nPlan,A,\"R\"x\n", []at{{CodeUnknownLetter, 2, 8}, {CodeQuote, 2, 10}}, false},
		{"duplicate role", "Task,Dev,dev\nPlan,A,R\n", []at{{CodeDuplicateRole, 1, 10}}, false},
		{"unnamed role", "Task,Dev,,Ops\nPlan,A,R,\n", []at{{CodeUnnamedRole, 2, 8}}, false},
		{"column in characters", "Tâche;Développeur;Opérateur\nDéployer;A;é\n", []at{{CodeUnknownLetter, 2, 12}}, false},
		{"tab and leading space", "Task\tDev\tOps\nPlan\t A\t\tR\n", []at{{CodeExtraCell, 2, 10}}, false},
		{"empty corner and legend", ";Dev;Ops\nPlan;A;R\n;;\nLegend;;\nA = Accountable;;\n", nil, false},
		{"section row", "Task,Dev,Ops\nBuild phase,,\nCompile,A,R\n", []at{{CodeNoAccountable, 2, 1}}, false},
		{"sep line", "sep=;\nTask;Dev;Ops\nPlan;A;R\n", nil, false},
		{"too large", strings.Repeat("a", maxBytes+1), []at{{CodeTooLarge, 0, 0}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, findings := Parse("in.csv", []byte(tt.input))
			if diff := cmp.Diff(tt.errs, codes(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, findings)
			}
			if (m == nil) != tt.nilM {
				t.Errorf("matrix = %v, want nil %v", m, tt.nilM)
			}
		})
	}
}

func TestParseCell(t *testing.T) {
	tests := []struct {
		in   string
		want letters
		ok   bool
	}{
		{"", 0, true},
		{" - ", 0, true},
		{"x", 0, true},
		{"X", 0, true},
		{"R", responsible, true},
		{"r", responsible, true},
		{"R/A", responsible | accountable, true},
		{"A,R", responsible | accountable, true},
		{"RA", responsible | accountable, true},
		{"A / R", responsible | accountable, true},
		{"R (lead)", responsible, true},
		{"C [if auth changes]", consulted, true},
		{"Informed", informed, true},
		{"R+C", responsible | consulted, true},
		{"S", 0, false},
		{"R/S", 0, false},
		{"yes", 0, false},
		{"✓", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseCell(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseCell(%q) = %04b, %v; want %04b, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseRowLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("Task,Dev,Ops\n")
	for range maxRows + 5 {
		b.WriteString("Step,A,R\n")
	}
	m, findings := Parse("big.csv", b.Bytes())
	if diff := cmp.Diff([]at{{CodeTooLarge, maxRows + 1, 1}}, codes(findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if got := len(m.Activities); got != maxRows-1 {
		t.Errorf("got %d activities, want %d", got, maxRows-1)
	}
}
