package encode

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/syntax"
)

// sopFiles are the SOPs every round trip is tried on: the example, and the
// built-in templates once they exist.
func sopFiles(t testing.TB) []string {
	files, _ := filepath.Glob("../../testdata/*.sop.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata/*.sop.yaml")
	}
	templates, _ := filepath.Glob("../templates/*.sop.yaml")
	return append(files, templates...)
}

func load(t testing.TB, name string, src []byte) *relsop.SOP {
	t.Helper()
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		var b strings.Builder
		for _, e := range res.Errors {
			b.WriteString("\n" + e.Pos.String() + ": " + e.Message + " [" + e.Code + "]")
		}
		t.Fatalf("%s does not load:%s\n%s", name, b.String(), src)
	}
	return res.SOP
}

// diff compares two models, ignoring where things were written. The fields
// a change sets are a set, kept in file order by compile and written in
// canonical order here, so they are compared sorted.
func diff(a, b *relsop.SOP) string {
	return cmp.Diff(normalize(a), normalize(b), cmpopts.IgnoreTypes(relsop.Pos{}, relsop.FieldPos{}))
}

func normalize(s *relsop.SOP) *relsop.SOP {
	out := *s
	out.ReleaseTypes = slices.Clone(s.ReleaseTypes)
	for i := range out.ReleaseTypes {
		rt := &out.ReleaseTypes[i]
		rt.Change = slices.Clone(rt.Change)
		for j := range rt.Change {
			rt.Change[j].Set = slices.Sorted(slices.Values(rt.Change[j].Set))
		}
	}
	return &out
}

// roundTrip checks that s written as YAML reads back as the same model,
// and that its JSON holds the same document.
func roundTrip(t testing.TB, s *relsop.SOP) []byte {
	t.Helper()
	out := YAML(s)
	back := load(t, "the written YAML", out)
	if d := diff(s, back); d != "" {
		t.Fatalf("model changed in the round trip (-before +after):\n%s\nYAML:\n%s", d, out)
	}
	again := YAML(back)
	if string(again) != string(out) {
		t.Fatalf("writing is not stable:\n%s\nthen\n%s", out, again)
	}
	data, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON any
	if err := json.Unmarshal(data, &fromJSON); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, data)
	}
	tree, perr := syntax.Parse(out)
	if perr != nil {
		t.Fatal(perr.Message)
	}
	if fromYAML := syntax.ToValue(tree.Root); !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Fatalf("JSON and YAML differ:\n%s\n%s", data, out)
	}
	return out
}

// asFile makes a resolved flow what relsop resolve writes: without the
// release type it came from (not a field of the file) and without ignore
// entries for steps the release type removed.
func asFile(resolved *relsop.SOP) *relsop.SOP {
	resolved.ResolvedType = ""
	resolved.Ignore = slices.DeleteFunc(slices.Clone(resolved.Ignore), func(ig relsop.Ignore) bool {
		return ig.Step != "" && resolved.Step(ig.Step) == nil
	})
	return resolved
}

func TestRoundTripExamplesAndTemplates(t *testing.T) {
	for _, path := range sopFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := load(t, path, src)
			roundTrip(t, s)
			for _, rt := range s.ReleaseTypes {
				resolved, err := s.Resolve(rt.ID)
				if err != nil {
					t.Fatal(err)
				}
				roundTrip(t, asFile(resolved))
			}
		})
	}
}

// fullSOP sets every field of the format, some to values that need care:
// quoting, blocks, empty required strings and changes that clear fields.
const fullSOP = `$schema: ./sop.schema.json
id: full
title: 'Everything: "quoted", #hash, and more'
version: 1.10
owner: rm
status: in-review
review:
  cadence: 90d
  last_reviewed: 2026-01-31
scope: |-
  Line one
    indented line

  after a blank line
description: "  leading blanks, a tab\tand a trailing newline\n"
sources:
  - kind: other
    title: "yes"
    link: https://example.com/a?b=c#d
    notes: "- starts like a list"
roles:
  - id: rm
    name: "null"
    description: "123"
  - id: dev
    name: ""
phases:
  - id: p1
    name: "@at"
    description: "[not a list]"
environments:
  - id: prod
    name: "Prod: live"
    production: true
    description: "ends with colon:"
steps:
  - id: s1
    name: "true"
    kind: start
    owner: rm
    raci:
      accountable: rm
      consulted: [dev]
      informed: [rm, dev]
    phase: p1
    tool: "% tool"
    channel: "#releases"
    description: "é ü — unicode\u00a0nbsp and \u0085 NEL"
    duration: 1h30m
    sla: 2d
    evidence: ["a, b", "[c]", "{d}", plain]
    notes: "multi\nline\n"
    links:
      - title: Runbook
        url: "https://example.com/x y"
    next: [g1, s2]
    on_failure: s2
    exception:
      reason: ""
      approved_by: rm
  - id: g1
    name: Gate
    kind: gate
    owner: rm
    criteria: "one criterion"
    approvers: rm
    outcomes:
      go: s2
      "no": s1
      "a: b": s2
      "<<": s2
      "": s1
    escalation:
      role: dev
      after: 4h
      to: s1
  - id: s2
    name: Deploy
    kind: deploy
    environment: prod
release_types:
  - id: t1
    name: T1
    description: A release type
    emergency: true
    remove: [g1]
    add:
      - id: a1
        name: Added
        kind: notify
        channel: "#x"
        after: s1
      - id: a2
        name: Added gate
        kind: gate
        owner: dev
        raci: {accountable: rm}
        phase: p1
        environment: prod
        tool: a tool
        description: A description
        duration: 1h
        sla: 1d
        criteria: [c1]
        approvers: [rm]
        evidence: e
        outcomes: {go: s2}
        escalation: {role: rm}
        before: s2
      - id: a3
        name: Added task
        next: s2
        on_failure: s1
        exception: {reason: why}
        notes: Notes
        links: [{title: T, url: U}]
  - id: t2
    base: t1
    change:
      - step: a1
        kind:
        escalation:
        outcomes:
      - step: s1
        name: Renamed
        owner: dev
        notes:
        raci:
        kind: task
        phase: p1
        environment: prod
        tool: t
        channel: c
        description: d
        duration: 1m
        sla: 2m
        evidence: [e]
        next: s2
        on_failure: a3
        exception:
          reason: r
        links:
          - title: t
            url: u
  - id: t3
    change:
      - step: g1
        criteria: c
        approvers: [dev]
        outcomes: {go: s2}
        escalation: {role: rm, after: 1d}
ignore:
  - rule: some-rule
    step: s1
    reason: "Because: reasons"
notes: |
  Final notes
  on two lines
links:
  - title: Doc
    url: https://example.com/doc
`

func TestRoundTripEveryField(t *testing.T) {
	tree, perr := syntax.Parse([]byte(fullSOP))
	if perr != nil {
		t.Fatal(perr.Message)
	}
	// The input must use every field of the format, so that the round trip
	// proves the writer knows them all.
	used := map[*schema.Obj]map[string]bool{}
	var walk func(n *syntax.Node, obj *schema.Obj)
	walk = func(n *syntax.Node, obj *schema.Obj) {
		if used[obj] == nil {
			used[obj] = map[string]bool{}
		}
		for _, p := range n.Pairs {
			used[obj][p.Key.Value] = true
			f := obj.Field(p.Key.Value)
			if f == nil || f.Object == nil {
				continue
			}
			switch {
			case f.Type == schema.Object && p.Value.Kind == syntax.Mapping:
				walk(p.Value, f.Object)
			case f.Type == schema.List && p.Value.Kind == syntax.Sequence:
				for _, it := range p.Value.Items {
					walk(it, f.Object)
				}
			}
		}
	}
	walk(tree.Root, schema.SOPObj)
	for obj, names := range used {
		for _, f := range obj.Fields {
			if !names[f.Name] {
				t.Errorf("fullSOP does not use field %s of %s", f.Name, obj.Name)
			}
		}
	}

	s := load(t, "fullSOP", []byte(fullSOP))
	out := roundTrip(t, s)
	for _, want := range []string{
		"title: \"Everything: \\\"quoted\\\", #hash, and more\"\n",
		"version: \"1.10\"\n",
		"scope: |-\n  Line one\n    indented line\n\n  after a blank line\n",
		"  - id: dev\n    name: \"\"\n",
		"      reason: \"\"\n",
		"    evidence:\n      - a, b\n      - \"[c]\"\n      - \"{d}\"\n      - plain\n",
		"      \"no\": s1\n",
		"      \"<<\": s2\n",
		"notes: |-\n  Final notes\n  on two lines\n",
		"      - step: a1\n        kind: task\n        outcomes:\n        escalation:\n",
		"\n        raci:\n",
		"\n        notes:\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestCanonicalOrder checks that keys come in the order of the spec,
// whatever the order of the input.
func TestCanonicalOrder(t *testing.T) {
	src := `steps:
  - next: b
    name: A
    id: a
  - owner: r
    name: B
    kind: end
    id: b
roles:
  - name: R
    id: r
title: T
id: x
`
	out := string(YAML(load(t, "input", []byte(src))))
	want := `id: x
title: T
roles:
  - id: r
    name: R

steps:
  - id: a
    name: A
    next: b

  - id: b
    name: B
    kind: end
    owner: r
`
	if out != want {
		t.Errorf("YAML =\n%s\nwant\n%s", out, want)
	}
	data, err := JSON(load(t, "input", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{
  "id": "x",
  "title": "T",
  "roles": [
    {
      "id": "r",
      "name": "R"
    }
  ],
  "steps": [
    {
      "id": "a",
      "name": "A",
      "next": "b"
    },
    {
      "id": "b",
      "name": "B",
      "kind": "end",
      "owner": "r"
    }
  ]
}
`
	if string(data) != wantJSON {
		t.Errorf("JSON =\n%s\nwant\n%s", data, wantJSON)
	}
}

func yamlOf(m mapping) []byte { return format.Format(&syntax.File{Root: tree(m)}) }

// TestScalars checks strings that YAML would read as something else, or
// could not read at all, are quoted, and others are not.
func TestScalars(t *testing.T) {
	for _, s := range []string{
		"", " ", "a ", "~", "null", "Null", "true", "FALSE", "yes", "No", "on", "y", "1", "-1", "1.5", ".5", "1e3", "1_000",
		"0x1F", "0o17", "0b101", ".inf", "-.Inf", ".nan", "- a", "-", "?", "? a", ": a", "a: b", "a #b", "#a", "&a", "*a", "!a",
		"|", ">", "'a'", `"a"`, "%a", "@a", "`a`", "[a]", "{a}", "a,b", "a\tb", "a\nb", "a\n", "\x00", "\x1b[31m", "\u0085",
		"\u2028", "\ufeff", "a\\b", "é", "日本", "😀", "a:b", "http://x", "a - b", "a # b", "---", "...", "<<", "=", "1.0.0",
		"2026-01-01", "12:30", "30m", "+1", "0", "00", "09",
	} {
		got := yamlOf(mapping{{"k", s}})
		back, perr := syntax.Parse(got)
		if perr != nil {
			t.Errorf("%q written as %s: does not parse: %s", s, got, perr.Message)
			continue
		}
		v := back.Root.Get("k")
		if v == nil || v.Kind != syntax.Scalar || v.Type != syntax.String || v.Value != s {
			t.Errorf("%q written as %s, read back as %+v", s, got, v)
		}
		if s != "" {
			got := yamlOf(mapping{{s, "v"}})
			back, perr := syntax.Parse(got)
			if perr != nil || back.Root.Kind != syntax.Mapping || back.Root.Pairs[0].Key.Value != s {
				t.Errorf("key %q written as %s does not read back", s, got)
			}
		}
	}
	for _, s := range []string{"release-manager", "Deploy to production", "GitHub Actions \"regression\" workflow", "1h30m", "2026-10-01", "v1.2.3", "a:b", "é"} {
		if got := string(yamlOf(mapping{{"k", s}})); got != "k: "+s+"\n" {
			t.Errorf("%q written as %s, want it plain", s, got)
		}
	}
}

// TestResolvedOutput checks the resolved flow is written without release
// types and with nothing added.
func TestResolvedOutput(t *testing.T) {
	src, err := os.ReadFile("../../testdata/example.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := load(t, "example", src)
	resolved, err := s.Resolve("emergency")
	if err != nil {
		t.Fatal(err)
	}
	out := string(YAML(resolved))
	if strings.Contains(out, "release_types") || strings.Contains(out, "emergency") {
		t.Errorf("resolved output mentions release types:\n%s", out)
	}
	if strings.Contains(out, "id: freeze") {
		t.Errorf("resolved emergency flow still has the freeze step:\n%s", out)
	}
}
