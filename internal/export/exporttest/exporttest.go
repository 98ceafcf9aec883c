// Package exporttest holds what the exporters' tests share: the SOPs they
// are all checked with (the built-in templates, labels that try to break out
// of their quoting, generated SOPs for property tests), golden files, and
// running the Node.js tools installed in tools/js.
package exporttest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/testenv"
)

// Template is one built-in template, loaded.
type Template struct {
	Name string
	SOP  *relsop.SOP
}

// Templates loads every built-in template; their base flows are what the
// golden files hold.
func Templates(t testing.TB) []Template {
	t.Helper()
	var out []Template
	for _, tpl := range templates.All() {
		res := compile.Load(tpl.Source)
		if len(res.Errors) > 0 {
			t.Fatalf("template %s: %v", tpl.Name, res.Errors[0])
		}
		out = append(out, Template{Name: tpl.Name, SOP: res.SOP})
	}
	if len(out) == 0 {
		t.Fatal("no templates")
	}
	return out
}

// Flows returns every template's base flow and each of its release types'
// resolved flows, named template or template/type.
func Flows(t testing.TB) []Template {
	t.Helper()
	var out []Template
	for _, tpl := range Templates(t) {
		out = append(out, tpl)
		for _, rt := range tpl.SOP.ReleaseTypes {
			flow, err := tpl.SOP.Resolve(rt.ID)
			if err != nil {
				t.Fatalf("%s --type %s: %v", tpl.Name, rt.ID, err)
			}
			out = append(out, Template{Name: tpl.Name + "/" + rt.ID, SOP: flow})
		}
	}
	return out
}

// TemplateGoldens exports each template twice, checks the two are the
// same bytes, and compares them with testdata/NAME+ext (Golden).
func TemplateGoldens(t *testing.T, ext string, export func(*relsop.SOP) []byte, update bool) {
	t.Helper()
	for _, tpl := range Templates(t) {
		t.Run(tpl.Name, func(t *testing.T) {
			got := export(tpl.SOP)
			if again := export(tpl.SOP); !bytes.Equal(again, got) {
				t.Fatal("two exports of the same SOP differ")
			}
			Golden(t, filepath.Join("testdata", tpl.Name+ext), got, update)
		})
	}
}

// Golden compares got with the file at path, or rewrites the file when
// update is set (go test -update).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test with -update after checking the change):\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n  got:  %q\n  want: %q", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}

// HostileNames are labels that try to break out of each format's quoting:
// quotes, brackets, line breaks, markup, comment and arrow syntax, entity
// references, directives and injection attempts. Every exporter must write
// them so that the real tool reads each back as plain text.
var HostileNames = []string{
	`say "hi" and 'bye'`,
	"two\nlines",
	`"]; click x call alert(1)`,
	`</bpmn:task><bpmn:task id="evil">`,
	`a --> b -.-> c ==> d`,
	`fish & chips <b>bold</b> &amp; &#65; #quot;`,
	`[brackets] (parens) {braces} |pipes|`,
	"日本語 ✓ émoji 🚀",
	`%%{init: {"securityLevel": "loose"}}%%`,
	`back\slash \n \t`,
	`@enduml`,
	"; semi: colon # hash `tick` *star* _under_",
	`style x fill:red`,
	`<script>alert(1)</script>`,
	"]]> <!-- --> <![CDATA[x]]>",
	`$var ${x} {{t}}`,
}

// HostileSOP is a small SOP whose title, role, step and outcome names are
// HostileNames: a start, one task per name in a lane named after a hostile
// name, a gate whose outcomes carry hostile labels, and an end. The step
// ids are plain, s0, s1, ...; the task s<i> is named HostileNames[i].
func HostileSOP() *relsop.SOP {
	sop := &relsop.SOP{
		ID:    "hostile",
		Title: `Title "quoted" </title> -->`,
		Roles: []relsop.Role{{ID: "r1", Name: `Lane "one" | ]]>`}, {ID: "r2", Name: "Lane <two> & 日本"}},
	}
	sop.Steps = append(sop.Steps, relsop.Step{ID: "start", Name: "Start", Kind: relsop.KindStart, Owner: "r1", Next: []string{"s0"}})
	for i, n := range HostileNames {
		st := relsop.Step{ID: fmt.Sprintf("s%d", i), Name: n, Kind: relsop.KindTask, Owner: []string{"r1", "r2"}[i%2]}
		if i+1 < len(HostileNames) {
			st.Next = []string{fmt.Sprintf("s%d", i+1)}
		} else {
			st.Next = []string{"gate"}
		}
		sop.Steps = append(sop.Steps, st)
	}
	sop.Steps = append(sop.Steps,
		relsop.Step{ID: "gate", Name: `Go? "yes" | no`, Kind: relsop.KindGate, Owner: "r2", Outcomes: []relsop.Outcome{
			{Label: `go "now" -->`, To: "end"}, {Label: `no|go ]; click`, To: "s0"},
		}},
		relsop.Step{ID: "end", Name: "End", Kind: relsop.KindEnd, Owner: "r2"},
	)
	return sop
}

// RandomSOP generates a valid SOP for property tests: one start, tasks of
// every kind spread over lanes and phases, gates with two or three
// outcomes, forks (several next steps), joins, rollback paths, escalations
// and loops back, and one end every path reaches.
func RandomSOP(r *rand.Rand) *relsop.SOP {
	nRoles := 1 + r.IntN(4)
	sop := &relsop.SOP{ID: "generated", Title: "Generated SOP"}
	for i := range nRoles {
		sop.Roles = append(sop.Roles, relsop.Role{ID: fmt.Sprintf("role%d", i), Name: fmt.Sprintf("Role %d", i)})
	}
	for i := range 1 + r.IntN(4) {
		sop.Phases = append(sop.Phases, relsop.Phase{ID: fmt.Sprintf("phase%d", i), Name: fmt.Sprintf("Phase %d", i)})
	}
	sop.Environments = []relsop.Environment{{ID: "staging", Name: "Staging"}, {ID: "prod", Name: "Production", Production: true}}
	kinds := []relsop.StepKind{relsop.KindTask, relsop.KindAutomated, relsop.KindGate, relsop.KindDeploy, relsop.KindRollback, relsop.KindNotify}
	n := 2 + r.IntN(12)
	role := func() string { return sop.Roles[r.IntN(nRoles)].ID }
	phase := func(i int) string { return sop.Phases[i*len(sop.Phases)/(n+2)].ID }
	id := func(i int) string {
		switch i {
		case 0:
			return "start"
		case n + 1:
			return "end"
		}
		return fmt.Sprintf("step%d", i)
	}
	sop.Steps = append(sop.Steps, relsop.Step{ID: "start", Name: "Start", Kind: relsop.KindStart, Owner: role(), Phase: phase(0), Next: []string{id(1)}})
	for i := 1; i <= n; i++ {
		st := relsop.Step{ID: id(i), Name: fmt.Sprintf("Step %d", i), Kind: kinds[r.IntN(len(kinds))], Owner: role(), Phase: phase(i)}
		later := func() string { return id(i + 1 + r.IntN(n+1-i)) }
		switch st.Kind {
		case relsop.KindGate:
			st.Outcomes = []relsop.Outcome{{Label: "go", To: id(i + 1)}, {Label: "no-go", To: id(1 + r.IntN(i))}}
			if r.IntN(2) == 0 {
				st.Outcomes = append(st.Outcomes, relsop.Outcome{Label: "skip", To: later()})
			}
			if r.IntN(3) == 0 {
				st.Escalation = &relsop.Escalation{Role: role(), To: later()}
			}
		default:
			if st.Kind == relsop.KindDeploy || st.Kind == relsop.KindRollback {
				st.Environment = []string{"staging", "prod"}[r.IntN(2)]
			}
			st.Next = []string{id(i + 1)}
			if r.IntN(4) == 0 && i < n {
				if extra := later(); extra != id(i+1) {
					st.Next = append(st.Next, extra)
				}
			}
			if r.IntN(4) == 0 {
				st.OnFailure = id(1 + r.IntN(n))
				if st.OnFailure == st.ID {
					st.OnFailure = ""
				}
			}
		}
		sop.Steps = append(sop.Steps, st)
	}
	sop.Steps = append(sop.Steps, relsop.Step{ID: "end", Name: "End", Kind: relsop.KindEnd, Owner: role(), Phase: phase(n + 1)})
	return sop
}

// Node runs a script of tools/js with Node.js and returns its standard
// output; the test skips (or fails under RELSOP_REQUIRE_TOOLS=1) when Node
// or the npm packages are missing, and fails when the script does.
func Node(t testing.TB, script string, stdin []byte, args ...string) []byte {
	t.Helper()
	dir := ToolsJS(t)
	cmd := exec.Command("node", append([]string{filepath.Join(dir, script)}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	return out
}

// ToolsJS returns the tools/js directory with its npm packages installed.
func ToolsJS(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		testenv.Missing(t, "the tool node")
	}
	dir := filepath.Join(testenv.RepoRoot(t), "tools", "js")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		testenv.Missing(t, "the npm packages of tools/js (run npm ci in tools/js)")
	}
	return dir
}
