package workspace_test

import (
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// TestSuggestedReview: a release that was rolled back after the SOP's
// approval suggests reviewing the SOP, to every member who may read it;
// a rehearsal does not; recording a review (review.last_reviewed) after
// it settles the suggestion.
func TestSuggestedReview(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	d.approve(t)
	suggested := func() *workspace.ReviewSuggestion {
		t.Helper()
		_, sg, err := svc.Releases(d.viewer, d.doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sg
	}
	if sg := suggested(); sg != nil {
		t.Fatalf("before any release: %+v", sg)
	}
	// The store stamps revisions by the wall clock, the service stamps
	// records by the test's: bring the test's past the approval.
	d.f.clock.add(time.Since(d.f.clock.now()) + time.Minute)
	v, err := svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	rel := v.Release.ID
	for _, step := range []string{"plan", "docs", "build"} {
		d.record(t, d.owner, rel, workspace.RecordRequest{Type: release.TypeDone, Step: step, Evidence: []string{"log"}})
	}
	d.record(t, d.owner, rel, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	d.record(t, d.viewer, rel, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	if sg := suggested(); sg != nil {
		t.Fatalf("while the release runs: %+v", sg)
	}
	d.record(t, d.owner, rel, workspace.RecordRequest{Type: release.TypeFail, Step: "deploy", Note: "error rate 5%"})
	d.record(t, d.owner, rel, workspace.RecordRequest{Type: release.TypeDone, Step: "roll-back"})

	// A rehearsal after it, aborted, teaches nothing about the SOP's use.
	r2, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.1", Rehearsal: true, Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	d.record(t, d.editor, r2.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "practice over"})

	sg := suggested()
	if sg == nil || sg.Release.ID != rel || strings.Join(sg.Lessons, " | ") != "it was rolled back (“Roll back”) | “Deploy” failed" || sg.Ended.IsZero() || sg.Since.IsZero() {
		t.Fatalf("after a rollback: %+v", sg)
	}
	if _, _, err := svc.Releases(d.stranger, d.doc.ID); relsop.ErrorCode(err) != relsop.ENOTFOUND {
		t.Errorf("a stranger: %v, want not found", err)
	}

	// The owner reviews the SOP and records it.
	day := d.f.clock.now().UTC().Format(time.DateOnly)
	src := strings.Replace(string(d.doc.Source), "status: approved\n", "status: approved\nreview:\n  cadence: 90d\n  last_reviewed: "+day+"\n", 1)
	if _, err := svc.Save(d.owner, d.doc.ID, []byte(src), d.doc.Revision, "Reviewed after 1.0's rollback"); err != nil {
		t.Fatal(err)
	}
	if sg := suggested(); sg != nil {
		t.Errorf("after the review was recorded: %+v", sg)
	}
}
