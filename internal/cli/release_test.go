package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	stdpng "image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/testenv"
)

// releaseDesk runs relsop release commands in a folder of its own, with a
// clock that moves a minute per command.
type releaseDesk struct {
	t   *testing.T
	dir string
	now time.Time
}

func newReleaseDesk(t *testing.T, sop string) *releaseDesk {
	t.Helper()
	t.Setenv("RELSOP_BY", "")
	dir := t.TempDir()
	src, err := os.ReadFile(sop)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "release.sop.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	return &releaseDesk{t: t, dir: dir, now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
}

func (d *releaseDesk) path(name string) string { return filepath.Join(d.dir, name) }

// relsop runs relsop; arguments naming files are given as paths in the
// desk's folder by the caller.
func (d *releaseDesk) relsop(args ...string) (code int, stdout, stderr string) {
	d.t.Helper()
	d.now = d.now.Add(time.Minute)
	var out, errb bytes.Buffer
	now := d.now
	code = Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }})
	return code, out.String(), errb.String()
}

func (d *releaseDesk) must(args ...string) string {
	d.t.Helper()
	code, out, errs := d.relsop(args...)
	if code != 0 {
		d.t.Fatalf("relsop %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (d *releaseDesk) status(trail string) release.Status {
	d.t.Helper()
	var st release.Status
	if err := json.Unmarshal([]byte(d.must("release", "status", trail, "--format", "json")), &st); err != nil {
		d.t.Fatal(err)
	}
	return st
}

// forkRelease starts release 1 of the small SOP whose flow forks and
// joins (internal/release/testdata) and returns its trail.
func forkRelease(t *testing.T) (*releaseDesk, string) {
	t.Helper()
	d := newReleaseDesk(t, "../../internal/release/testdata/fork.sop.yaml")
	trail := d.path("1.release.jsonl")
	d.must("release", "start", d.path("release.sop.yaml"), "--release", "1", "--by", "ana", "-o", trail)
	return d, trail
}

const saasWeeklyFile = "../templates/saas-weekly.sop.yaml"

// TestReleaseThroughATemplate carries out the emergency flow of a
// template from start to end as a team would, then verifies and reports
// it.
func TestReleaseThroughATemplate(t *testing.T) {
	d := newReleaseDesk(t, saasWeeklyFile)
	trail := d.path("CHG-7.release.jsonl")
	out := d.must("release", "start", d.path("release.sop.yaml"), "--release", "CHG 7", "--type", "emergency", "--by", "ana", "-o", trail)
	if !strings.Contains(out, "Started release CHG 7 through saas-weekly-release") || !strings.Contains(out, "Chain head: ") {
		t.Fatalf("start said:\n%s", out)
	}
	people := map[string]string{}
	last := "" // what the last record said
	for i := 0; ; i++ {
		st := d.status(trail)
		if st.State != "in-progress" {
			if st.State != "finished" {
				t.Fatalf("state = %s", st.State)
			}
			break
		}
		if i > 60 || len(st.Ready) == 0 {
			t.Fatalf("the release is stuck: %+v", st)
		}
		rs := st.Ready[0]
		if rs.Kind != "gate" {
			last = d.must("release", "done", trail, rs.Step, "--by", "ana", "--evidence", "Record: https://ci.example.com/"+rs.Step)
			continue
		}
		for _, role := range rs.Unsigned {
			if people[role] == "" {
				people[role] = "person " + role
			}
			last = d.must("release", "sign", trail, rs.Step, rs.Proceed, "--role", role, "--by", people[role], "--note", "criteria met")
		}
	}
	st := d.status(trail)
	if len(st.Decisions) == 0 || st.Ended == nil || st.ReleaseType != "emergency" {
		t.Fatalf("status of the finished release: %+v", st)
	}
	// An emergency release is when the procedure met reality: review it.
	if !strings.Contains(last, "The release is finished.") || !strings.Contains(last, "Review suggested: it was an emergency release (Emergency fix); change what it taught in ") {
		t.Errorf("the last record said:\n%s", last)
	}
	out = d.must("release", "verify", trail, "--sop", d.path("release.sop.yaml"), "--head", headAfter(t, st.Records[2], trail))
	for _, want := range []string{"records 1 to 3 are as they were", "is the SOP the release started from", "chain intact"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify does not say %q:\n%s", want, out)
		}
	}
	md := d.path("report.md")
	d.must("release", "report", trail, "-o", md)
	report, _ := os.ReadFile(md)
	for _, want := range []string{"# Release CHG 7: Weekly SaaS feature release", "release type Emergency fix", "## Gate decisions", "criteria met", "## Departures from the procedure", "None: every step", st.Head,
		"**Review:** suggested for the SOP, because it was an emergency release (Emergency fix)"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	pdfOut := d.path("report.pdf")
	d.must("release", "report", trail, "-o", pdfOut, "--page", "letter")
	text, err := exec.Command(testenv.Tool(t, "pdftotext"), pdfOut, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, text)
	}
	if strings.Contains(string(report), "The path taken") {
		t.Errorf("the Markdown report has a path it cannot draw")
	}
	for _, want := range []string{"Release CHG 7", "Gate decisions", "Trail", "CHG-7.release.jsonl", "The path taken", "Done, and the flows taken"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF report lacks %q", want)
		}
	}
}

// headAfter is the chain head as it was after record r: the hash of its
// line in the trail.
func headAfter(t *testing.T, r release.StatusRecord, trail string) string {
	t.Helper()
	data, err := os.ReadFile(trail)
	if err != nil {
		t.Fatal(err)
	}
	return release.Checksum([]byte(strings.Split(string(data), "\n")[r.Seq-1]))
}

func TestReleaseRefusals(t *testing.T) {
	d := newReleaseDesk(t, saasWeeklyFile)
	trail := d.path("2.4.0.release.jsonl")
	sop := d.path("release.sop.yaml")
	draft := d.path("draft.sop.yaml")
	src, _ := os.ReadFile(sop)
	os.WriteFile(draft, bytes.Replace(src, []byte("status: approved"), []byte("status: draft"), 1), 0o644)
	d.must("release", "start", sop, "--release", "2.4.0", "--by", "ana", "-o", trail)
	before, _ := os.ReadFile(trail)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a trail that exists", []string{"release", "start", sop, "--release", "2.4.0", "--by", "ana", "-o", trail}, "is never overwritten"},
		{"no release name", []string{"release", "start", sop, "--by", "ana"}, "--release"},
		{"a draft SOP", []string{"release", "start", draft, "--release", "x", "--by", "ana", "-o", d.path("x.release.jsonl")}, "not approved"},
		{"an unknown release type", []string{"release", "start", sop, "--release", "x", "--type", "minr", "--by", "ana", "-o", d.path("y.release.jsonl")}, "minor"},
		{"a folder that is not there", []string{"release", "start", sop, "--release", "x", "--by", "ana", "-o", d.path("no/x.release.jsonl")}, "does not exist"},
		{"a step not reached", []string{"release", "done", trail, "deploy-production", "--by", "ana"}, "has not reached deploy-production"},
		{"a misspelt step", []string{"release", "done", trail, "confirm-scop", "--by", "ana"}, `did you mean "confirm-scope"`},
		{"no evidence", []string{"release", "done", trail, "confirm-scope", "--by", "ana"}, "--evidence"},
		{"a skip without reason", []string{"release", "skip", trail, "confirm-scope", "--by", "ana"}, "--reason"},
		{"a note without text", []string{"release", "note", trail, "--by", "ana"}, "--note"},
		{"an abort without reason", []string{"release", "abort", trail, "--by", "ana"}, "--reason"},
		{"a missing trail", []string{"release", "status", d.path("none.release.jsonl")}, "relsop release start"},
		{"a folder as trail", []string{"release", "status", d.dir}, "is a directory"},
		{"no one", []string{"release", "note", trail, "--note", "hi"}, "--by NAME"},
		{"a bad format", []string{"release", "status", trail, "--format", "yaml"}, "text, json, svg, png"},
		{"a bad report name", []string{"release", "report", trail, "-o", d.path("r.docx")}, "cannot tell the format"},
	}
	t.Setenv("USER", "")
	t.Setenv("USERNAME", "")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := d.relsop(tc.args...)
			if code != ExitUsage || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 saying %q", code, errs, tc.want)
			}
			if after, _ := os.ReadFile(trail); !bytes.Equal(after, before) {
				t.Fatalf("a refused command changed the trail")
			}
		})
	}
	// A rehearsal runs a draft, and its report says it is practice.
	rehearsal := d.path("r.release.jsonl")
	d.must("release", "start", draft, "--release", "x", "--rehearsal", "--by", "ana", "-o", rehearsal)
	if code, out, _ := d.relsop("release", "report", rehearsal, "--format", "markdown"); code != 0 || !strings.Contains(out, "Rehearsal.") {
		t.Fatalf("the rehearsal's report (exit %d):\n%s", code, out)
	}
}

func TestReleaseSignNeedsARoleWhenAGateHasSeveral(t *testing.T) {
	d, trail := forkRelease(t)
	d.must("release", "done", trail, "plan", "--by", "ana")
	d.must("release", "done", trail, "docs", "--by", "ana")
	out := d.must("release", "status", trail)
	if !strings.Contains(out, "approve waits for build") {
		t.Fatalf("status does not show the join:\n%s", out)
	}
	d.must("release", "done", trail, "build", "--by", "ana", "--evidence", "log")
	if code, _, errs := d.relsop("release", "sign", trail, "approve", "go", "--by", "ana"); code != ExitUsage || !strings.Contains(errs, "--role") {
		t.Fatalf("a sign-off without its role: exit %d, %s", code, errs)
	}
	out = d.must("release", "sign", trail, "approve", "go", "--role", "rm", "--by", "ana")
	if !strings.Contains(out, "needs go from qa (rm signed go)") {
		t.Fatalf("sign said:\n%s", out)
	}
	out = d.must("release", "sign", trail, "approve", "no-go", "--role", "qa", "--by", "ben", "--note", "docs wrong")
	if !strings.Contains(out, "the gate is decided: no-go, on to plan") {
		t.Fatalf("sign said:\n%s", out)
	}
}

func TestReleaseRoster(t *testing.T) {
	d := newReleaseDesk(t, "../../internal/release/testdata/fork.sop.yaml")
	trail := d.path("1.release.jsonl")
	sop := d.path("release.sop.yaml")
	for _, tc := range []struct {
		assign []string
		want   string
	}{
		{[]string{"qa"}, "write ROLE=PERSON"},
		{[]string{"qa= ,"}, "names no one"},
		{[]string{"qa=ben", "qa=cy"}, "names qa twice"},
		{[]string{"qaa=ben"}, `did you mean "qa"`},
	} {
		args := []string{"release", "start", sop, "--release", "1", "--by", "ana", "-o", trail}
		for _, a := range tc.assign {
			args = append(args, "--assign", a)
		}
		if code, _, errs := d.relsop(args...); code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("--assign %v: exit %d, %s; want it to say %q", tc.assign, code, errs, tc.want)
		}
		if _, err := os.Stat(trail); err == nil {
			t.Fatalf("--assign %v: a refused start wrote the trail", tc.assign)
		}
	}
	d.must("release", "start", sop, "--release", "1", "--by", "ana", "-o", trail, "--assign", "qa=ben, cy", "--assign", "cto=dee")
	d.must("release", "done", trail, "plan", "--by", "ana")
	d.must("release", "done", trail, "docs", "--by", "ana")
	out := d.must("release", "done", trail, "build", "--by", "ana", "--evidence", "log")
	if !strings.Contains(out, "needs go from rm, qa (ben or cy)") {
		t.Fatalf("done does not say who may sign:\n%s", out)
	}
	if out := d.must("release", "status", trail); !strings.Contains(out, "Roster: qa: ben, cy; cto: dee") {
		t.Fatalf("status does not show the roster:\n%s", out)
	}
	if code, _, errs := d.relsop("release", "sign", trail, "approve", "go", "--role", "qa", "--by", "eve"); code != ExitUsage || !strings.Contains(errs, "eve does not hold qa") {
		t.Fatalf("a sign-off by someone off the roster: exit %d, %s", code, errs)
	}
	// ben holds only qa of the gate's approvers, so his role need not be said.
	if out := d.must("release", "sign", trail, "approve", "go", "--by", "Ben"); !strings.Contains(out, "Ben signed go on approve for qa") {
		t.Fatalf("sign said:\n%s", out)
	}
	if code, _, errs := d.relsop("release", "assign", trail, "qa", "eve", "--by", "ana"); code != ExitUsage || !strings.Contains(errs, "say why qa changes hands") {
		t.Fatalf("assign without a reason: exit %d, %s", code, errs)
	}
	out = d.must("release", "assign", trail, "cto", "eve", "fay", "--by", "ana", "--reason", "Dee is away")
	if !strings.Contains(out, "ana gave cto to eve, fay") {
		t.Fatalf("assign said:\n%s", out)
	}
	if st := d.status(trail); strings.Join(st.Roster["cto"], ",") != "eve,fay" || strings.Join(st.Roster["qa"], ",") != "ben,cy" {
		t.Fatalf("status roster = %v", st.Roster)
	}
	d.must("release", "verify", trail)
}

func TestReleaseVerifyFindsTampering(t *testing.T) {
	d := newReleaseDesk(t, saasWeeklyFile)
	trail := d.path("2.4.0.release.jsonl")
	d.must("release", "start", d.path("release.sop.yaml"), "--release", "2.4.0", "--by", "ana", "-o", trail)
	d.must("release", "done", trail, "confirm-scope", "--by", "ana", "--evidence", "REL-1")
	early := d.status(trail).Head
	d.must("release", "done", trail, "agree-readiness", "--by", "ana", "--evidence", "REL-2")
	d.must("release", "done", trail, "cut-branch", "--by", "ana")
	data, _ := os.ReadFile(trail)
	tampered := bytes.Replace(data, []byte(`"REL-2"`), []byte(`"REL-3"`), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("the test's edit did not apply")
	}
	os.WriteFile(trail, tampered, 0o644)
	code, _, errs := d.relsop("release", "verify", trail, "--head", early)
	if code != ExitFindings || !strings.Contains(errs, trail+":4: error: broken chain: line 3 was changed") {
		t.Fatalf("verify of an edited trail: exit %d\n%s", code, errs)
	}
	code, _, errs = d.relsop("release", "done", trail, "build-artefacts", "--by", "ana", "--evidence", "x")
	if code != ExitUsage || !strings.Contains(errs, "has problems") {
		t.Fatalf("recording into an edited trail: exit %d\n%s", code, errs)
	}
	// The report still comes, with the problems listed, and exits 1.
	code, out, _ := d.relsop("release", "report", trail, "--format", "markdown")
	if code != ExitFindings || !strings.Contains(out, "## Problems found in the trail") {
		t.Fatalf("report of an edited trail: exit %d\n%s", code, out)
	}
	os.WriteFile(trail, data, 0o644)
	if code, _, errs := d.relsop("release", "verify", trail, "--head", strings.Repeat("0", 64)); code != ExitFindings || !strings.Contains(errs, "no record of the trail ends with the chain head") {
		t.Fatalf("verify with a head from nowhere: exit %d\n%s", code, errs)
	}
	os.WriteFile(d.path("release.sop.yaml"), []byte("id: changed\n"), 0o644)
	if code, _, errs := d.relsop("release", "verify", trail, "--sop", d.path("release.sop.yaml")); code != ExitFindings || !strings.Contains(errs, "is not the SOP the release started from") {
		t.Fatalf("verify with another SOP: exit %d\n%s", code, errs)
	}
}

// TestReleaseOutputHasNoTerminalEscapes: names from the SOP and notes
// from the trail cannot move the cursor or recolour the terminal.
func TestReleaseOutputHasNoTerminalEscapes(t *testing.T) {
	d := newReleaseDesk(t, "../../internal/release/testdata/fork.sop.yaml")
	src, _ := os.ReadFile(d.path("release.sop.yaml"))
	hostile := bytes.Replace(src, []byte("name: Plan\n"), []byte("name: \"Plan\\e[2J\\e]0;owned\\a\\x9b2J\"\n"), 1)
	os.WriteFile(d.path("release.sop.yaml"), hostile, 0o644)
	trail := d.path("1.release.jsonl")
	out := d.must("release", "start", d.path("release.sop.yaml"), "--release", "1", "--by", "ana", "-o", trail)
	out += d.must("release", "note", trail, "plan", "--note", "two\nlines", "--by", "ana")
	out += d.must("release", "status", trail)
	if !strings.Contains(out, "Plan") {
		t.Fatalf("the step's name is not shown:\n%s", out)
	}
	for _, c := range []string{"\x1b", "\a", "\u009b"} {
		if strings.Contains(out, c) {
			t.Fatalf("the output holds %q:\n%q", c, out)
		}
	}
}

// TestReleaseProgressSVG draws where a release stands: done steps and the
// flows taken, the step ready now, a failure and a skip, in a well-formed
// SVG that is the same bytes each time.
func TestReleaseProgressSVG(t *testing.T) {
	d, trail := forkRelease(t)
	d.must("release", "done", trail, "plan", "--by", "ana")
	d.must("release", "fail", trail, "build", "--by", "ana", "--note", "flaky <test> & more")
	out := d.path("progress.svg")
	d.must("release", "status", trail, "--format", "svg", "-o", out)
	svgText, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svgText))
	for {
		if _, err := dec.Token(); err != nil {
			if err != io.EOF {
				t.Fatalf("the SVG is not well-formed XML: %v", err)
			}
			break
		}
	}
	for _, want := range []string{
		`data-id="plan" data-mark="done"`, `data-id="docs" data-mark="now"`, `data-id="build" data-mark="failed"`,
		`data-id="start" data-mark="done"`, "flaky &lt;test&gt; &amp; more", "Ready now", `class="diff-edge mark-done"`,
	} {
		if !bytes.Contains(svgText, []byte(want)) {
			t.Errorf("the progress SVG lacks %q", want)
		}
	}
	if bytes.Contains(svgText, []byte(`data-id="approve" data-mark`)) {
		t.Errorf("the gate, not yet reached, is marked")
	}
	_, again, _ := d.relsop("release", "status", trail, "--format", "svg")
	if again != string(svgText) {
		t.Errorf("the progress SVG differs from one run to the next")
	}
	pngOut := d.path("progress.png")
	d.must("release", "status", trail, "--format", "png", "-o", pngOut)
	if f, err := os.Open(pngOut); err != nil {
		t.Fatal(err)
	} else if _, err := stdpng.Decode(f); err != nil {
		t.Errorf("status --format png did not write a PNG: %v", err)
	}
	d.must("release", "skip", trail, "docs", "--by", "ana", "--reason", "no user-facing change")
	if _, skipped, _ := d.relsop("release", "status", trail, "--format", "svg"); !strings.Contains(skipped, `data-id="docs" data-mark="skipped"`) {
		t.Errorf("the skipped step is not marked so")
	}
	if code, _, errs := d.relsop("release", "status", trail, "-o", d.path("x.txt")); code != ExitUsage || !strings.Contains(errs, "-o is for --format svg or png") {
		t.Errorf("-o with text: exit %d, %s", code, errs)
	}
}
