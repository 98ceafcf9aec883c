package release

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/export/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestReportGolden keeps the report of a release with a failure, a skip,
// an escalation, a veto and a rollback as it reads, byte for byte.
func TestReportGolden(t *testing.T) {
	p := begin(t, fork, Start{Release: "1.0.0"})
	p.add(done("plan"))
	p.add(Record{Type: TypeFail, Step: "build", Note: "compiler crashed"})
	p.add(done("build", "Build log: https://ci.example.com/build/2"))
	p.add(Record{Type: TypeSkip, Step: "docs", Note: "No user-facing change"})
	p.add(sign("approve", "go", "rm", "ana"))
	p.add(sign("approve", "no-go", "qa", "ben"))
	p.toTheGate()
	p.add(Record{Type: TypeEscalate, Step: "approve", Note: "QA lead away"})
	p.add(sign("approve", "go", "cto", "cy"))
	p.add(Record{Type: TypeFail, Step: "deploy", Note: "error rate 5%"})
	p.add(done("roll-back"))
	p.add(Record{Type: TypeNote, Note: "Review on Monday", Evidence: []string{"INC-7"}})
	r, problems := Replay(p.trail.Bytes())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := markdown.Write(r.Report("1.0.0.release.jsonl", nil, false))
	const golden = "testdata/report.md"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/release -run Golden -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("the report differs from %s (go test ./internal/release -run Golden -update, then review the diff):\n%s", golden, got)
	}
	for _, want := range []string{"**Escalated:**", "**Skipped:**", "**Stopped:**", "rolled back (roll-back)", "CTO: cy (go"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestReportLateSteps: a step done later than its SLA after the release
// reached it is a departure; the time counts from when it was reached,
// not from the record before.
func TestReportLateSteps(t *testing.T) {
	src := strings.Replace(fork, "  - id: docs\n    name: Docs\n", "  - id: docs\n    name: Docs\n    sla: 2m\n", 1)
	p := begin(t, src, Start{Release: "1"})
	p.add(done("plan"))                                    // 09:01: build and docs reached
	p.add(done("build", "log"))                            // 09:02
	p.add(Record{Type: TypeNote, Note: "waiting on docs"}) // 09:03
	p.add(done("docs"))                                    // 09:04: 3 minutes after it was reached
	got := markdown.Write(p.r.Report("t", nil, false))
	if want := "**Late:** Docs (docs) took 3m0s from when the release reached it; its SLA is 2m"; !strings.Contains(string(got), want) {
		t.Fatalf("the report lacks %q:\n%s", want, got)
	}
}

// TestReportRehearsal: a rehearsal says it is no evidence, and why: a
// draft SOP, or practice chosen on an approved one, without calling the
// approved SOP unapproved.
func TestReportRehearsal(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"approved", fork, "Rehearsal. This run through the approved SOP was started as practice: it is no evidence of a release."},
		{"draft", strings.Replace(fork, "status: approved", "status: draft", 1), "Rehearsal. The SOP was draft, not approved, when this run started"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := begin(t, tc.src, Start{Release: "1", Rehearsal: true})
			got := words(string(markdown.Write(p.r.Report("t", nil, false))))
			if !strings.Contains(got, tc.want) || strings.Count(got, "Rehearsal.") != 1 {
				t.Errorf("the report lacks %q:\n%s", tc.want, got)
			}
		})
	}
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }
