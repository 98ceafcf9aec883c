package release

import (
	"strings"
	"testing"
)

// TestLessons: an ended release says why its SOP deserves a review (an
// abort, a rollback, a failure, an escalation, an emergency or major
// release type); one that went as planned, or still runs, says nothing.
func TestLessons(t *testing.T) {
	typed := fork + "release_types:\n  - id: major\n    name: Major\n  - id: hotfix\n    name: Hotfix\n    emergency: true\n  - id: minor\n    name: Minor\n"
	clean := func(p *player) {
		p.toTheGate()
		p.add(sign("approve", "go", "rm", "ana"))
		p.add(sign("approve", "go", "qa", "ben"))
		p.add(done("deploy")) // the end step follows by itself
	}
	for _, tc := range []struct {
		name  string
		src   string
		start Start
		play  func(p *player)
		want  string
	}{
		{"in progress", fork, Start{Release: "1"}, func(p *player) { p.add(done("plan")) }, ""},
		{"as planned", fork, Start{Release: "1"}, clean, ""},
		{"a minor release as planned", typed, Start{Release: "1", ReleaseType: "minor"}, clean, ""},
		{"aborted", fork, Start{Release: "1"}, func(p *player) {
			p.add(done("plan"))
			p.add(Record{Type: TypeAbort, Note: "the vendor's outage"})
		}, "it was aborted"},
		{"failed and rolled back, after an escalation", fork, Start{Release: "1"}, func(p *player) {
			p.add(done("plan"))
			p.add(Record{Type: TypeFail, Step: "build", Note: "flaky test"})
			p.add(done("build", "log"))
			p.add(done("docs"))
			p.add(Record{Type: TypeEscalate, Step: "approve", Note: "QA away"})
			p.add(sign("approve", "go", "cto", "cy"))
			p.add(Record{Type: TypeFail, Step: "deploy", Note: "error rate 5%"})
			p.add(done("roll-back"))
		}, "it was rolled back (“Roll back”) | “Build”, “Deploy” failed | the gate “Approve” was escalated"},
		{"a major release", typed, Start{Release: "3.0", ReleaseType: "major"}, clean, "it was a major release"},
		{"an emergency release", typed, Start{Release: "3.0.1", ReleaseType: "hotfix"}, clean, "it was an emergency release (Hotfix)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := begin(t, tc.src, tc.start)
			tc.play(p)
			if got := strings.Join(p.r.Lessons(), " | "); got != tc.want {
				t.Errorf("Lessons() = %q, want %q", got, tc.want)
			}
		})
	}
}
