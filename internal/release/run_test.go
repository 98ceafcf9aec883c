package release

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/export/markdown"
)

// t0 is when the test releases start; records follow a minute apart.
var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// fork is a small approved SOP whose flow splits and joins again:
// plan → (build, docs) → approve → deploy → end, with a rollback path,
// and a gate of two approvers that escalates to the CTO.
var fork = func() string {
	src, err := os.ReadFile("testdata/fork.sop.yaml")
	if err != nil {
		panic(err)
	}
	return string(src)
}()

// player adds records to a run a minute apart and keeps the trail's
// bytes, as relsop release appends them to a file.
type player struct {
	t     testing.TB
	r     *Run
	trail bytes.Buffer
	at    time.Time
}

func begin(t testing.TB, src string, st Start) *player {
	t.Helper()
	r, line, err := Begin(st, "fork.sop.yaml", []byte(src), t0, "ana")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	p := &player{t: t, r: r, at: t0}
	p.trail.Write(line)
	return p
}

func (p *player) try(rec Record) error {
	p.at = p.at.Add(time.Minute)
	rec.At = p.at
	if rec.By == "" {
		rec.By = "ana"
	}
	line, err := p.r.Add(rec)
	if err == nil {
		p.trail.Write(line)
	}
	return err
}

func (p *player) add(rec Record) {
	p.t.Helper()
	if err := p.try(rec); err != nil {
		p.t.Fatalf("%s %s: %v", rec.Type, rec.Step, err)
	}
}

func (p *player) ready(want ...string) {
	p.t.Helper()
	if got := strings.Join(p.r.ReadySteps(), ","); got != strings.Join(want, ",") {
		p.t.Fatalf("ready = %q, want %q", got, strings.Join(want, ","))
	}
}

// toTheGate carries out both branches of the fork SOP, up to its gate.
func (p *player) toTheGate() {
	p.t.Helper()
	p.add(done("plan"))
	p.add(done("build", "log"))
	p.add(done("docs"))
}

func done(step string, evidence ...string) Record {
	return Record{Type: TypeDone, Step: step, Evidence: evidence}
}

func sign(step, outcome, role, by string) Record {
	return Record{Type: TypeSign, Step: step, Outcome: outcome, Role: role, By: by}
}

func TestForkWaitsForBothBranches(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.ready("plan")
	p.add(done("plan"))
	p.ready("build", "docs")
	p.add(done("docs"))
	p.ready("build")
	if got := p.r.WaitsFor("approve"); strings.Join(got, ",") != "build" {
		t.Fatalf("approve waits for %q, want build", got)
	}
	if err := p.try(sign("approve", "go", "rm", "ana")); err == nil || !strings.Contains(err.Error(), "waits for build") {
		t.Fatalf("sign before the join: err = %v, want it to wait for build", err)
	}
	p.add(done("build", "https://ci.example.com/1"))
	p.ready("approve")
}

func TestGateNeedsEveryApproverToProceed(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.toTheGate()
	p.add(sign("approve", "go", "rm", "ana"))
	p.ready("approve")
	if got := p.r.Unsigned("approve"); strings.Join(got, ",") != "qa" {
		t.Fatalf("unsigned = %v, want qa", got)
	}
	p.add(sign("approve", "go", "qa", "ben"))
	p.ready("deploy")
}

func TestAnyApproverStopsTheRelease(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.toTheGate()
	p.add(sign("approve", "go", "rm", "ana"))
	p.add(sign("approve", "no-go", "qa", "ben"))
	p.ready("plan")
	if v := p.r.State("plan").Visits; v != 2 {
		t.Fatalf("plan visits = %d, want 2 (the release went back)", v)
	}
	// The gate's sign-offs belong to its visit: back at the gate, both
	// approvers sign again.
	p.toTheGate()
	p.add(sign("approve", "go", "qa", "ben"))
	p.ready("approve")
}

func TestEscalationLetsItsRoleDecideAlone(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.toTheGate()
	if err := p.try(sign("approve", "go", "cto", "cy")); err == nil || !strings.Contains(err.Error(), "signed by rm, qa") {
		t.Fatalf("the CTO signed before escalation: err = %v", err)
	}
	p.add(Record{Type: TypeEscalate, Step: "approve", Note: "QA lead away"})
	p.add(sign("approve", "go", "cto", "cy"))
	p.ready("deploy")
}

func TestFailureTakesTheRollbackPath(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.add(done("plan"))
	p.add(Record{Type: TypeFail, Step: "docs", Note: "site build broke"})
	p.ready("build", "docs") // docs has no failure path: it stays, to try again
	p.add(done("docs"))
	p.add(done("build", "log"))
	p.add(sign("approve", "go", "rm", "ana"))
	p.add(sign("approve", "go", "qa", "ben"))
	p.add(Record{Type: TypeFail, Step: "deploy", Note: "error rate 5%"})
	p.ready("roll-back")
	p.add(done("roll-back"))
	if !p.r.Finished() || p.r.Aborted {
		t.Fatalf("finished = %v, aborted = %v after the rollback reached the end", p.r.Finished(), p.r.Aborted)
	}
	if err := p.try(done("deploy")); err == nil || !strings.Contains(err.Error(), "finished") {
		t.Fatalf("done after the end: err = %v", err)
	}
	p.add(Record{Type: TypeNote, Note: "post-incident review on Monday"})
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{"a step not reached", done("deploy"), "has not reached deploy"},
		{"an unknown step", done("plann"), `did you mean "plan"`},
		{"a gate done", done("approve"), "has not reached"},
		{"no step", Record{Type: TypeDone}, "names its step"},
		{"a skip without reason", Record{Type: TypeSkip, Step: "plan"}, "say why plan is skipped"},
		{"a failure without note", Record{Type: TypeFail, Step: "plan"}, "say what failed"},
		{"an abort without reason", Record{Type: TypeAbort}, "say why the release is stopped"},
		{"a second start", Record{Type: TypeStart}, "already started"},
		{"an unknown type", Record{Type: "approve"}, "unknown record type"},
		{"no author", Record{Type: TypeNote, By: " "}, "--by"},
		{"a control character", Record{Type: TypeNote, Note: "a\x1b[2Jb"}, "control character"},
		{"a C1 control character", Record{Type: TypeNote, Note: "a\u009b2Jb"}, "control character"},
		{"a long note", Record{Type: TypeNote, Note: strings.Repeat("x", MaxText+1)}, "longer than"},
		{"too much evidence", Record{Type: TypeNote, Evidence: make([]string, MaxEvidence+1)}, "pieces of evidence"},
		{"sign a task", sign("plan", "go", "rm", "ana"), "not a gate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := begin(t, fork, Start{Release: "1.0.0"})
			before := p.trail.Len()
			err := p.try(tc.rec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
			if p.trail.Len() != before || len(p.r.Records()) != 1 {
				t.Fatalf("a refused record was added")
			}
		})
	}
}

func TestGateRefusals(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.add(done("plan"))
	p.add(done("docs"))
	if err := p.try(done("build")); err == nil || !strings.Contains(err.Error(), "Build log") {
		t.Fatalf("done without evidence: err = %v", err)
	}
	p.add(done("build", "log"))
	for _, tc := range []struct {
		rec  Record
		want string
	}{
		{done("approve"), "approvers (rm, qa) decide it"},
		{Record{Type: TypeSkip, Step: "approve", Note: "late"}, "cannot be skipped"},
		{Record{Type: TypeFail, Step: "approve", Note: "late"}, "sign its no-go outcome"},
		{sign("approve", "yes", "rm", "ana"), "no outcome \"yes\""},
		{sign("approve", "go", "dev", "ana"), "not one of them"},
	} {
		if err := p.try(tc.rec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", tc.rec.Type, err, tc.want)
		}
	}
	p.add(sign("approve", "go", "rm", "ana"))
	if err := p.try(sign("approve", "go", "qa", "Ana")); err == nil || !strings.Contains(err.Error(), "one person signs a gate for one role") {
		t.Errorf("one person for two roles: err = %v", err)
	}
	if err := p.try(sign("approve", "go", "rm", "ben")); err == nil || !strings.Contains(err.Error(), "already signed") {
		t.Errorf("a role twice: err = %v", err)
	}
}

func TestRosterBindsSignOffs(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0", Roster: Roster{"qa": {"ben", "Cy"}, "cto": {"dee"}}})
	p.toTheGate()
	p.add(sign("approve", "go", "rm", "ana")) // rm is not on the roster: anyone may sign for it
	if err := p.try(sign("approve", "go", "qa", "eve")); err == nil || !strings.Contains(err.Error(), "eve does not hold qa in this release: the roster names ben, Cy") {
		t.Fatalf("a sign-off by someone off the roster: err = %v", err)
	}
	if err := p.try(Record{Type: TypeAssign, Role: "qa", People: []string{"eve"}}); err == nil || !strings.Contains(err.Error(), "say why qa changes hands") {
		t.Fatalf("a roster change without a reason: err = %v", err)
	}
	p.add(Record{Type: TypeAssign, Role: "qa", People: []string{"eve"}, Note: "Ben is on leave"})
	if got := p.r.Holders("qa"); strings.Join(got, ",") != "eve" {
		t.Fatalf("holders of qa = %v, want eve", got)
	}
	if p.r.Holds("qa", "ben") || !p.r.Holds("qa", " EVE ") || !p.r.Holds("rm", "anyone") {
		t.Fatalf("Holds disagrees with the roster %v", p.r.Roster)
	}
	p.add(sign("approve", "go", "qa", "eve"))
	p.ready("deploy")
	if p.r.Start.Roster["qa"][0] != "ben" {
		t.Fatalf("the start record's roster changed: %v", p.r.Start.Roster)
	}

	r, problems := Replay(p.trail.Bytes())
	if len(problems) > 0 || strings.Join(r.Holders("qa"), ",") != "eve" {
		t.Fatalf("replay: problems %v, holders of qa %v", problems, r.Holders("qa"))
	}
	doc := string(markdown.Write(r.Report("t.release.jsonl", nil, false)))
	for _, want := range []string{"**Roster:** QA: ben, Cy; CTO: dee", "**Roster changed:** QA held by eve", "Ben is on leave", "gave QA to eve"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the report does not say %q:\n%s", want, doc)
		}
	}
}

func TestRosterRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		roster Roster
		want   string
	}{
		{"an unknown role", Roster{"qaa": {"ben"}}, `no role "qaa" to hold (did you mean "qa"?)`},
		{"no one", Roster{"qa": {}}, "name who holds qa"},
		{"a person twice", Roster{"qa": {"ben", " BEN"}}, "named twice"},
		{"a blank name", Roster{"qa": {" "}}, "a person holding qa is missing"},
		{"a control character", Roster{"qa": {"b\x1bn"}}, "control character"},
		{"too many", Roster{"qa": make([]string, MaxHolders+1)}, "the most is 50"},
	} {
		if _, _, err := Begin(Start{Release: "1", Roster: tc.roster}, "f", []byte(fork), t0, "ana"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", tc.name, err, tc.want)
		}
	}
	p := begin(t, fork, Start{Release: "1"})
	for _, tc := range []struct {
		rec  Record
		want string
	}{
		{Record{Type: TypeAssign, Role: "qa", Note: "n"}, "name who holds qa"},
		{Record{Type: TypeAssign, Step: "plan", Role: "qa", People: []string{"a"}, Note: "n"}, "about a role, not a step"},
		{Record{Type: TypeNote, People: []string{"a"}, Note: "n"}, "only a roster change (assign) names people"},
	} {
		if err := p.try(tc.rec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want it to say %q", tc.rec, err, tc.want)
		}
	}
}

func TestBeginRefusesWhatCannotRun(t *testing.T) {
	draft := strings.Replace(fork, "status: approved", "status: draft", 1)
	if _, _, err := Begin(Start{Release: "1"}, "f", []byte(draft), t0, "ana"); err == nil || !strings.Contains(err.Error(), "not approved") {
		t.Fatalf("a draft SOP: err = %v", err)
	}
	if _, _, err := Begin(Start{Release: "1", Rehearsal: true}, "f", []byte(draft), t0, "ana"); err != nil {
		t.Fatalf("a rehearsal of a draft: %v", err)
	}
	for _, tc := range []struct {
		name string
		st   Start
		src  string
		by   string
		want string
	}{
		{"no release", Start{}, fork, "ana", "the release is missing"},
		{"no author", Start{Release: "1"}, fork, "", "--by"},
		{"an unknown release type", Start{Release: "1", ReleaseType: "hotfix"}, fork, "ana", "hotfix"},
		{"an invalid SOP", Start{Release: "1"}, "id: [", "ana", "not valid"},
	} {
		if _, _, err := Begin(tc.st, "f", []byte(tc.src), t0, tc.by); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", tc.name, err, tc.want)
		}
	}
}

// aRelease plays a short release of the fork SOP and returns its trail.
func aRelease(t testing.TB) []byte {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.toTheGate()
	p.add(sign("approve", "go", "rm", "ana"))
	p.add(sign("approve", "go", "qa", "ben"))
	p.add(done("deploy"))
	return p.trail.Bytes()
}

func TestReplayGivesTheSameRelease(t *testing.T) {
	data := aRelease(t)
	r, problems := Replay(data)
	if len(problems) > 0 {
		t.Fatalf("problems in an untouched trail: %v", problems)
	}
	if !r.Finished() || len(r.Records()) != 7 {
		t.Fatalf("finished = %v, records = %d; want a finished release of 7 records", r.Finished(), len(r.Records()))
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if r.Head() != Checksum(lines[len(lines)-1]) {
		t.Fatalf("head is not the hash of the last line")
	}
	if !bytes.Equal(r.Trail(), data) {
		t.Fatalf("Trail() is not the trail read, byte for byte")
	}
}

func TestFileName(t *testing.T) {
	for name, want := range map[string]string{
		"2.4.0":            "2.4.0.release.jsonl",
		" CHG-1042 ":       "CHG-1042.release.jsonl",
		"v2 / hotfix":      "v2---hotfix.release.jsonl",
		"../../etc/passwd": "etc-passwd.release.jsonl",
		"発行":               "release.release.jsonl",
	} {
		if got := FileName(name); got != want {
			t.Errorf("FileName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestReplayFindsTampering(t *testing.T) {
	data := aRelease(t)
	lines := strings.SplitAfter(string(data), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	tests := []struct {
		name  string
		edit  func([]string) []string
		line  int
		words string
	}{
		{"a signer renamed", func(l []string) []string {
			l[4] = strings.Replace(l[4], `"by":"ana"`, `"by":"zed"`, 1)
			return l
		}, 6, "line 5 was changed"},
		{"a record removed", func(l []string) []string { return append(l[:2:2], l[3:]...) }, 3, "record number 4 where 3 belongs"},
		{"two records swapped", func(l []string) []string { l[1], l[2] = l[2], l[1]; return l }, 2, "record number 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edited := tc.edit(append([]string(nil), lines...))
			_, problems := Replay([]byte(strings.Join(edited, "")))
			for _, p := range problems {
				if p.Line == tc.line && strings.Contains(p.Msg, tc.words) {
					return
				}
			}
			t.Fatalf("problems = %v, want line %d to say %q", problems, tc.line, tc.words)
		})
	}
}

// A trail rewritten with a correct chain is still checked against the
// procedure: a gate decided by one approver alone is found out.
func TestReplayFindsARewrittenChain(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.toTheGate()
	p.add(sign("approve", "go", "rm", "ana"))
	// Forge what the procedure refuses, with the chain made good.
	forged := Record{At: p.at.Add(time.Minute), By: "ana", Type: TypeDone, Step: "deploy"}
	line := p.r.trail.append(&forged)
	p.trail.Write(line)
	r, problems := Replay(p.trail.Bytes())
	if len(problems) != 1 || problems[0].Line != 6 || !strings.Contains(problems[0].Msg, "deploy") {
		t.Fatalf("problems = %v, want one on line 6 about deploy", problems)
	}
	if r.Finished() {
		t.Fatalf("the forged record was applied")
	}
}

func TestReplayRefusesWhatIsNotATrail(t *testing.T) {
	good := aRelease(t)
	first := string(good[:bytes.IndexByte(good, '\n')+1])
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "1: the trail is empty"},
		{"a YAML file", "id: x\n", "1:1: not a record"},
		{"broken JSON", first + `{"seq":2,"at":` + "\n", "2:15: not a record"},
		{"an unknown field", first + `{"seq":2,"at":"2026-11-26T09:00:00Z","by":"a","type":"note","prev":"","sigh":1}` + "\n", `unknown field "sigh"`},
		{"a blank line", first + "\n" + first, "2: blank line"},
		{"two objects", first[:len(first)-1] + "{}\n", "more than one JSON value"},
		{"no start", `{"seq":1,"at":"2026-11-26T09:00:00Z","by":"a","type":"note","prev":""}` + "\n", "must start the release"},
		{"not UTF-8", "\xff\n", "not UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := Replay([]byte(tc.data))
			var msgs []string
			for _, p := range problems {
				msgs = append(msgs, p.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
				t.Fatalf("problems = %q, want %q", msgs, tc.want)
			}
		})
	}
}

func TestATemplateReleaseRunsToItsEnd(t *testing.T) {
	src, err := os.ReadFile("../templates/saas-weekly.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := begin(t, string(src), Start{Release: "2026.48"})
	signers := map[string]string{}
	for steps := 0; !p.r.Finished(); steps++ {
		if steps > 100 {
			t.Fatalf("the release did not end; ready: %v", p.r.ReadySteps())
		}
		id := p.r.ReadySteps()[0]
		st := p.r.State(id).Step
		if !st.IsGate() {
			p.add(done(id, "https://ci.example.com/"+id))
			continue
		}
		for _, role := range p.r.Unsigned(id) {
			if signers[role] == "" {
				signers[role] = "person-" + role
			}
			p.add(sign(id, Proceed(st), role, signers[role]))
		}
	}
	if !p.r.State("review-metrics").Step.IsGate() && p.r.State("review-metrics").Visits != 1 {
		t.Fatalf("the release did not pass review-metrics")
	}
	if p.r.State("roll-back-production").Visits != 0 {
		t.Fatalf("a release with every gate passed took a rollback path")
	}
	if _, problems := Replay(p.trail.Bytes()); len(problems) > 0 {
		t.Fatalf("replay: %v", problems)
	}
}

func FuzzReplay(f *testing.F) {
	f.Add(string(aRelease(f)))
	f.Add(`{"seq":1,"at":"2026-11-26T09:00:00Z","by":"a","type":"start","prev":"","start":{"release":"1","file":"f","sha256":"","sop":"","status":"","source":""}}` + "\n")
	f.Add("{}\n{}\n")
	f.Fuzz(func(t *testing.T, data string) {
		r, problems := Replay([]byte(data))
		if r == nil && len(problems) == 0 {
			t.Fatalf("no run and no problem")
		}
		if r != nil {
			_ = r.ReadySteps()
		}
	})
}

// FuzzAdd plays records chosen by the fuzzer into a release of the fork
// SOP, the allowed ones and the refused, and checks that what Add accepts
// always replays to the same release, with no problem found.
func FuzzAdd(f *testing.F) {
	f.Add([]byte{1, 1, 0, 0, 1, 2, 0, 0, 1, 3, 0, 0, 4, 4, 0, 0, 4, 4, 0, 1})
	f.Add([]byte{3, 1, 0, 0, 2, 2, 0, 0, 5, 4, 0, 0, 4, 4, 2, 3, 7, 0, 0, 0})
	types := []Type{TypeStart, TypeDone, TypeSkip, TypeFail, TypeSign, TypeEscalate, TypeNote, TypeAbort, TypeAssign}
	steps := []string{"", "plan", "build", "docs", "approve", "deploy", "roll-back", "end", "nowhere"}
	outcomes := []string{"go", "no-go", "", "maybe"}
	roles := []string{"rm", "qa", "cto", "dev"}
	people := []string{"ana", "ben", "cy"}
	f.Fuzz(func(t *testing.T, ops []byte) {
		p := begin(t, fork, Start{Release: "1", Roster: Roster{"qa": {"ben", "cy"}}})
		for i := 0; i+3 < len(ops) && i < 400; i += 4 {
			rec := Record{Type: types[int(ops[i])%len(types)], Step: steps[int(ops[i+1])%len(steps)],
				Outcome: outcomes[int(ops[i+2])%len(outcomes)], Role: roles[int(ops[i+3])%len(roles)],
				By: people[int(ops[i+3])%len(people)], Note: "n", Evidence: []string{"e"}}
			if rec.Type == TypeAssign {
				rec.People = []string{people[int(ops[i+2])%len(people)]}
				if ops[i+1]%2 == 0 {
					rec.Step = ""
				}
			}
			p.try(rec)
		}
		r, problems := Replay(p.trail.Bytes())
		if len(problems) > 0 {
			t.Fatalf("a trail Add wrote has problems: %v", problems)
		}
		if r.Head() != p.r.Head() || r.Finished() != p.r.Finished() || strings.Join(r.ReadySteps(), ",") != strings.Join(p.r.ReadySteps(), ",") {
			t.Fatalf("replay differs: head %s/%s, ready %v/%v", r.Head(), p.r.Head(), r.ReadySteps(), p.r.ReadySteps())
		}
	})
}
