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
