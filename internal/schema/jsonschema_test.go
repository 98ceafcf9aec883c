package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/relsop/relsop/internal/syntax"
)

// compileJSONSchema compiles JSONSchema with a validator of draft 2020-12,
// which also proves the generated document is a well-formed schema.
func compileJSONSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema()))
	if err != nil {
		t.Fatalf("JSONSchema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("JSONSchema does not compile: %v", err)
	}
	return sch
}

// judge parses src and returns what Check and the JSON Schema say of it.
func judge(t *testing.T, sch *jsonschema.Schema, src string) (checkErrs []string, schemaErr error) {
	t.Helper()
	f, perr := syntax.Parse([]byte(src))
	if perr != nil {
		t.Fatalf("does not parse: %s\n%s", perr.Message, src)
	}
	for _, e := range Check(f.Root) {
		checkErrs = append(checkErrs, e.Pos.String()+": "+e.Message)
	}
	return checkErrs, sch.Validate(syntax.ToValue(f.Root))
}

func TestJSONSchemaAcceptsExampleAndTemplates(t *testing.T) {
	sch := compileJSONSchema(t)
	files, _ := filepath.Glob("../../testdata/*.sop.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata/*.sop.yaml")
	}
	templates, _ := filepath.Glob("../templates/*.sop.yaml")
	for _, path := range append(files, templates...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkErrs, schemaErr := judge(t, sch, string(src))
			if len(checkErrs) > 0 {
				t.Errorf("Check: %s", strings.Join(checkErrs, "\n"))
			}
			if schemaErr != nil {
				t.Errorf("JSON Schema: %v", schemaErr)
			}
		})
	}
}

// minimal is a valid SOP that the cases below break in one place each.
const minimal = `id: x
title: X
status: draft
review:
  cadence: quarterly
  last_reviewed: 2026-03-31
roles:
  - id: rm
    name: RM
steps:
  - id: a
    name: A
    kind: gate
    owner: rm
    approvers: [rm]
    outcomes: {go: b}
    escalation: {role: rm, after: 4h}
  - id: b
    name: B
    duration: 1h30m
    next: a
release_types:
  - id: minor
    remove: a
`

// TestJSONSchemaAgreesWithCheck holds the editor's JSON Schema and relsop's
// own shape check to the same verdict: what an editor marks is what relsop
// validate rejects.
func TestJSONSchemaAgreesWithCheck(t *testing.T) {
	sch := compileJSONSchema(t)
	tests := []struct {
		name, old, new string
		valid          bool
	}{
		{"minimal", "", "", true},
		{"version as number", "title: X\n", "title: X\nversion: 1.4\n", true},
		{"one reference for a list", "approvers: [rm]", "approvers: rm", true},

		{"unknown top-level field", "title: X\n", "title: X\ncolour: red\n", false},
		{"unknown step field", "    name: B\n", "    name: B\n    nxet: a\n", false},
		{"unknown review field", "  cadence: quarterly\n", "  cadence: quarterly\n  every: week\n", false},
		{"unknown escalation field", "after: 4h}", "after: 4h, who: rm}", false},
		{"wrong status", "status: draft", "status: published", false},
		{"wrong kind", "kind: gate", "kind: gatee", false},
		{"bad SOP id", "id: x\n", "id: has space\n", false},
		{"bad step id", "  - id: b\n", "  - id: b/c\n", false},
		{"bad reference", "next: a", "next: -a", false},
		{"bad reference in list", "approvers: [rm]", "approvers: [rm, 'r m']", false},
		{"long id", "id: x\n", "id: " + strings.Repeat("x", MaxIDLength+1) + "\n", false},
		{"bad duration", "duration: 1h30m", "duration: 90 minutes", false},
		{"bad duration unit", "duration: 1h30m", "duration: 5x", false},
		{"bad cadence", "cadence: quarterly", "cadence: every week", false},
		{"bad escalation delay", "after: 4h", "after: soon", false},
		{"bad date", "last_reviewed: 2026-03-31", "last_reviewed: 31/03/2026", false},
		{"steps not a list", "steps:\n", "steps: x\nold_steps:\n", false},
		{"next a mapping", "next: a", "next: {a: b}", false},
		{"production not a bool", "roles:\n", "environments:\n  - id: p\n    name: P\n    production: \"yes\"\nroles:\n", false},
		{"outcomes a list", "outcomes: {go: b}", "outcomes: [b]", false},
		{"missing title", "title: X\n", "", false},
		{"missing step name", "    name: A\n", "", false},
		{"title a list", "title: X", "title: [X]", false},
		{"release type without id", "  - id: minor\n", "  - name: minor\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.old != "" && !strings.Contains(minimal, tt.old) {
				t.Fatalf("minimal has no %q", tt.old)
			}
			src := strings.Replace(minimal, tt.old, tt.new, 1)
			checkErrs, schemaErr := judge(t, sch, src)
			if checkValid := len(checkErrs) == 0; checkValid != tt.valid {
				t.Errorf("Check valid = %t, want %t: %v\n%s", checkValid, tt.valid, checkErrs, src)
			}
			if schemaValid := schemaErr == nil; schemaValid != tt.valid {
				t.Errorf("JSON Schema valid = %t, want %t: %v\n%s", schemaValid, tt.valid, schemaErr, src)
			}
		})
	}
}

// TestJSONSchemaKnownDifferences records where the two deliberately or
// necessarily differ, so that a change to either is a decision, not an
// accident. The JSON Schema cannot say that a date exists or that a line
// has no line break without formats editors do not assert, and it is
// stricter than Check about empty values, which Check treats as absent.
func TestJSONSchemaKnownDifferences(t *testing.T) {
	sch := compileJSONSchema(t)
	tests := []struct {
		name, old, new          string
		checkValid, schemaValid bool
	}{
		{"impossible date", "last_reviewed: 2026-03-31", "last_reviewed: 2026-02-30", false, true},
		{"title on two lines", "title: X", "title: \"X\\nY\"", false, true},
		{"duration too large", "duration: 1h30m", "duration: 1000000h", false, true},
		{"empty optional value", "status: draft", "status:", true, false},
		{"empty outcomes", "outcomes: {go: b}", "outcomes: {}", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("minimal has no %q", tt.old)
			}
			checkErrs, schemaErr := judge(t, sch, strings.Replace(minimal, tt.old, tt.new, 1))
			if got := len(checkErrs) == 0; got != tt.checkValid {
				t.Errorf("Check valid = %t, want %t: %v", got, tt.checkValid, checkErrs)
			}
			if got := schemaErr == nil; got != tt.schemaValid {
				t.Errorf("JSON Schema valid = %t, want %t: %v", got, tt.schemaValid, schemaErr)
			}
		})
	}
}
