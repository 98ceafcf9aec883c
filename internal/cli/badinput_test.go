package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/syntax"
)

// goodSOP is a small valid SOP; most bad inputs below break it in one place,
// so that the expected positions can be read off these lines.
const goodSOP = `id: x
title: X
roles:
  - id: rm
    name: RM
phases:
  - id: plan
    name: Plan
environments:
  - id: prod
    name: Prod
    production: true
steps:
  - id: a
    name: Start
    kind: start
    owner: rm
    phase: plan
    next: b
  - id: b
    name: Decide
    kind: gate
    owner: rm
    approvers: [rm]
    outcomes:
      go: c
      no-go: a
  - id: c
    name: Deploy
    kind: deploy
    owner: rm
    environment: prod
    next: d
  - id: d
    name: Done
    kind: end
    owner: rm
release_types:
  - id: major
    name: Major
  - id: minor
    remove: [b]
`

// validateFile runs relsop validate on one file through Main.
func validateFile(t *testing.T, path string, extra ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"validate", path}, extra...), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// edit returns goodSOP with old replaced by new, failing when old is not
// there so that a change to goodSOP cannot silently void a case.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(goodSOP, old) {
		t.Fatalf("goodSOP has no %q", old)
	}
	return strings.Replace(goodSOP, old, new, 1)
}

// garbage is a PNG header followed by random bytes: what relsop sees when
// given an image by mistake.
func garbage() string {
	r := rand.New(rand.NewPCG(1, 2))
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for range 4096 {
		b = append(b, byte(r.UintN(256)))
	}
	return string(b)
}

// billionLaughs expands to 10^9 strings in a parser that follows aliases.
const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		src  func(t *testing.T) string
		loc  string // line:col of the error
		code string
		msg  string // part of the message, such as a did-you-mean
	}{
		// Malformed YAML.
		{"unclosed bracket", lit("id: x\nnext: [a, b\ntitle: c\n"), "3:1", "yaml-syntax", "']' must be specified"},
		{"unclosed quote", lit("id: x\ntitle: \"X\nroles: []\n"), "2:8", "yaml-syntax", ""},
		{"bad indentation", lit("id: x\ntitle: X\nroles:\n  - id: r\n     name: R\n"), "4:9", "yaml-syntax", ""},
		{"tab indentation", lit("id: x\nsteps:\n\t- id: a\n"), "3:1", "yaml-syntax", "'\t'"},
		{"duplicate key", func(t *testing.T) string { return edit(t, "    name: Start\n", "    name: Start\n    name: Again\n") },
			"16:5", "duplicate-key", `"name" already defined`},
		{"duplicate top-level key", lit("id: x\ntitle: X\nid: y\n"), "3:1", "duplicate-key", ""},

		// Values of the wrong type.
		{"steps a string", lit("id: x\ntitle: X\nroles: [{id: rm, name: RM}]\nsteps: \"x\"\n"), "4:8", "wrong-type", "steps of the SOP must be a list, not a string"},
		{"next a mapping", func(t *testing.T) string { return edit(t, "next: b\n", "next: {a: b}\n") },
			"19:12", "wrong-type", "next of step \"a\" must be a string or a list of strings, not a mapping"},
		{"production a string", func(t *testing.T) string { return edit(t, "production: true", `production: "yes"`) },
			"12:17", "wrong-type", "must be true or false, not a string"},

		// Unknown fields, with did-you-mean.
		{"unknown top-level field", func(t *testing.T) string { return edit(t, "title: X", "titel: X") },
			"2:1", "unknown-field", `unknown field "titel" in the SOP (did you mean "title"?)`},
		{"unknown step field", func(t *testing.T) string {
			return edit(t, "    owner: rm\n    phase: plan", "    ownr: rm\n    phase: plan")
		},
			"17:5", "unknown-field", `unknown field "ownr" in step "a" (did you mean "owner"?)`},

		// References to nothing, with did-you-mean.
		{"unknown owner", func(t *testing.T) string {
			return edit(t, "    owner: rm\n    phase: plan", "    owner: rn\n    phase: plan")
		},
			"17:12", "unknown-role", `owner of step "a" is "rn", which is not a defined role (did you mean "rm"?)`},
		{"unknown next", func(t *testing.T) string { return edit(t, "next: b\n", "next: bb\n") },
			"19:11", "unknown-step", `next of step "a" is "bb", which is not a defined step (did you mean "b"?)`},
		{"unknown outcome target", func(t *testing.T) string { return edit(t, "go: c", "go: cc") },
			"26:11", "unknown-step", `outcome "go" of step "b" is "cc"`},
		{"unknown phase", func(t *testing.T) string { return edit(t, "phase: plan", "phase: plam") },
			"18:12", "unknown-phase", `(did you mean "plan"?)`},
		{"unknown environment", func(t *testing.T) string { return edit(t, "environment: prod", "environment: prd") },
			"32:18", "unknown-environment", `(did you mean "prod"?)`},
		{"unknown approver", func(t *testing.T) string { return edit(t, "approvers: [rm]", "approvers: [rm, qa]") },
			"24:21", "unknown-role", `approvers of step "b" is "qa"`},
		{"unknown escalation role", func(t *testing.T) string {
			return edit(t, "      no-go: a\n", "      no-go: a\n    escalation:\n      role: sre\n")
		}, "29:13", "unknown-role", `escalation role of step "b" is "sre"`},
		{"unknown base release type", func(t *testing.T) string { return edit(t, "  - id: minor\n", "  - id: minor\n    base: majr\n") },
			"42:11", "unknown-release-type", `(did you mean "major"?)`},
		{"variant removes unknown step", func(t *testing.T) string { return edit(t, "remove: [b]", "remove: [bb]") },
			"42:14", "unknown-step", `release type "minor" removes unknown step "bb" (did you mean "b"?)`},
		{"variant changes unknown step", func(t *testing.T) string {
			return edit(t, "    remove: [b]\n", "    remove: [b]\n    change:\n      - step: zz\n        owner: rm\n")
		}, "44:9", "unknown-step", `release type "minor" changes unknown step "zz"`},

		// Consistency.
		{"duplicate step id", func(t *testing.T) string { return edit(t, "  - id: d\n", "  - id: c\n") },
			"34:9", "duplicate-id", `step id "c" is already used at line 28`},
		{"gate without outcomes", func(t *testing.T) string { return edit(t, "    outcomes:\n      go: c\n      no-go: a\n", "") },
			"20:9", "gate-without-outcomes", `gate "b" has no outcomes`},
		{"deploy without environment", func(t *testing.T) string { return edit(t, "    environment: prod\n", "") },
			"28:9", "deploy-without-environment", `deploy step "c" names no environment`},
		{"variant base cycle", func(t *testing.T) string {
			return edit(t, "  - id: major\n    name: Major\n", "  - id: major\n    name: Major\n    base: minor\n") +
				"    base: major\n"
		}, "41:11", "variant-cycle", `release type "major" builds on itself through base`},

		// Not an SOP at all.
		{"empty file", lit(""), "1:1", "empty", "file is empty"},
		{"whitespace only", lit("  \n\t\n   \n"), "1:1", "empty", "file is empty"},
		{"binary garbage", func(*testing.T) string { return garbage() }, "3:1", "not-text", "not UTF-8 text"},
		{"invalid UTF-8", lit("id: x\ntitle: caf\xe9\n"), "2:11", "not-text", "not UTF-8 text"},
		{"lone carriage returns", lit("id: x\rtitle: X\r"), "1:6", "unsupported-yaml", "carriage return"},
		{"deeply nested flow", lit("a: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"), "1:68", "too-large", "nested more than 64 levels"},
		{"deeply nested block", lit(strings.Repeat("- ", 10000) + "x\n"), "1:129", "too-large", "nested more than 64 levels"},
		{"deeply nested indentation", lit(nestedIndent(2000)), "65:65", "too-large", "nested more than 64 levels"},
		{"billion laughs", lit(billionLaughs), "1:4", "unsupported-yaml", "anchors and aliases"},
		{"merge key", lit("base: {a: 1}\nother:\n  <<: {b: 2}\n"), "3:3", "unsupported-yaml", "merge keys"},
		{"too many keys", lit(manyKeys(syntax.MaxKeys + 1)), "1003:5", "too-large", "entries in one mapping"},
		{"multiple documents", func(t *testing.T) string { return goodSOP + "---\n" + goodSOP }, "44:1", "unsupported-yaml", "second YAML document"},
		{"root is a list", lit("- id: x\n- id: y\n"), "1:1", "wrong-type", "must be a mapping of fields"},
		{"root is a scalar", lit("just some text\n"), "1:1", "wrong-type", "must be a mapping of fields (id:, title:, roles:, steps:, ...), not a string"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".sop.yaml")
			mustWrite(t, path, tt.src(t))
			start := time.Now()
			code, out, errOut := validateFile(t, path)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if code != ExitUsage {
				t.Errorf("exit %d, want %d\n%s", code, ExitUsage, errOut)
			}
			if out != "" {
				t.Errorf("stdout: %q", out)
			}
			if !hasFinding(errOut, path+":"+tt.loc+": error: ", tt.msg, "["+tt.code+"]") {
				t.Errorf("stderr lacks %s:%s: error: ...%s... [%s]:\n%s", path, tt.loc, tt.msg, tt.code, errOut)
			}
			if !strings.Contains(errOut, "\n  hint: ") {
				t.Errorf("stderr lacks a hint:\n%s", errOut)
			}
		})
	}
}

// lit is a case whose input is a fixed string.
func lit(s string) func(*testing.T) string { return func(*testing.T) string { return s } }

// hasFinding reports whether text has a finding line that starts with
// prefix, contains msg and ends with code.
func hasFinding(text, prefix, msg, code string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) && strings.Contains(line, msg) && strings.HasSuffix(line, " "+code) {
			return true
		}
	}
	return false
}

// nestedIndent nests n mappings by indentation alone, one level a line.
func nestedIndent(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

// manyKeys writes one mapping of n keys.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("id: x\nsteps:\n  - ")
	for i := range n {
		if i > 0 {
			b.WriteString("    ")
		}
		b.WriteString("k" + strconv.Itoa(i) + ": v\n")
	}
	return b.String()
}

// TestBadInputJSON checks that findings about a bad file come out as JSON
// a tool can read, with the stable field names.
func TestBadInputJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.sop.yaml")
	mustWrite(t, path, edit(t, "next: b\n", "next: bb\n"))
	code, out, errOut := validateFile(t, path, "--format", "json")
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	var rep struct {
		Findings []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Rule     string `json:"rule"`
			Message  string `json:"message"`
			Hint     string `json:"hint"`
		} `json:"findings"`
		Errors int `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, out, errOut)
	}
	if len(rep.Findings) != 1 || rep.Errors != 1 {
		t.Fatalf("want one finding, got %+v", rep)
	}
	f := rep.Findings[0]
	if f.File != path || f.Line != 19 || f.Column != 11 || f.Rule != "unknown-step" || f.Severity != "error" ||
		!strings.Contains(f.Message, `"bb"`) || f.Hint == "" {
		t.Errorf("finding = %+v", f)
	}
}

// TestBadInputReportsEveryError checks that validate does not stop at the
// first problem: a file with five different problems gets five findings.
func TestBadInputReportsEveryError(t *testing.T) {
	src := goodSOP
	for _, e := range []struct{ old, new string }{
		{"production: true", `production: "yes"`},                        // wrong-type
		{"    phase: plan\n", "    phase: plan\n    colour: red\n"},      // unknown-field
		{"next: b\n", "next: bb\n"},                                      // unknown-step
		{"    owner: rm\n    approvers", "    owner: rn\n    approvers"}, // unknown-role
		{"    next: d\n", "    next: d\n    duration: 5x\n"},             // invalid-value
	} {
		if !strings.Contains(src, e.old) {
			t.Fatalf("no %q", e.old)
		}
		src = strings.Replace(src, e.old, e.new, 1)
	}
	path := filepath.Join(t.TempDir(), "five.sop.yaml")
	mustWrite(t, path, src)
	code, out, _ := validateFile(t, path, "--format", "json")
	var rep struct {
		Findings []struct {
			Line int    `json:"line"`
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, strconv.Itoa(f.Line)+":"+f.Rule)
	}
	want := []string{"12:wrong-type", "19:unknown-field", "20:unknown-step", "24:unknown-role", "35:invalid-value"}
	if code != ExitUsage || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("exit %d, findings %v, want %v", code, got, want)
	}
	_, _, errOut := validateFile(t, path)
	if n := strings.Count(errOut, ": error: "); n != 5 {
		t.Errorf("text output has %d errors, want 5:\n%s", n, errOut)
	}
}

// TestBadInputHugeFile checks that a 50 MB file is refused at once, after
// reading no more than the limit.
func TestBadInputHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.sop.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte("- id: step\n  name: A step that goes on and on\n")
	chunk := bytes.Repeat(line, (1<<20)/len(line))
	for written := 0; written < 50<<20; written += len(chunk) {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	code, _, errOut := validateFile(t, path)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if code != ExitUsage || !hasFinding(errOut, path+":1:1: error: ", "larger than the", "[too-large]") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if elapsed > 3*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc >= 50<<20 {
		t.Errorf("allocated %d MB for a 50 MB file: it was read whole", alloc>>20)
	}
}

// countingReader yields n bytes of YAML-ish text and counts what is read.
type countingReader struct{ n, read int }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := min(len(p), r.n-r.read)
	for i := range p[:k] {
		p[i] = "a: b\n"[(r.read+i)%5]
	}
	r.read += k
	return k, nil
}

// TestReadInputStopsAtLimit checks readInput reads at most one byte past
// the size limit, however long the input.
func TestReadInputStopsAtLimit(t *testing.T) {
	in := &countingReader{n: 50 << 20}
	var out, errb bytes.Buffer
	code := Main([]string{"validate", "-"}, Env{Stdin: in, Stdout: &out, Stderr: &errb})
	if code != ExitUsage || !hasFinding(errb.String(), stdinName+":1:1: error: ", "larger than the", "[too-large]") {
		t.Errorf("exit %d:\n%s", code, errb.String())
	}
	if in.read > syntax.MaxFileSize+1 {
		t.Errorf("read %d bytes, more than the %d-byte limit and one", in.read, syntax.MaxFileSize)
	}
}
