package workspace_test

import (
	"context"
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

// TestSuggestedReviewInbox: a review that a release suggests waits in the
// inbox of the editor who held the SOP's owner role in that release, not
// in every member's; it leaves when the SOP goes into review, and does
// not come back once it is approved again.
func TestSuggestedReviewInbox(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	d.approve(t)
	d.f.clock.add(time.Since(d.f.clock.now()) + time.Minute) // past the approval (see TestSuggestedReview)
	suggested := func(who string, ctx context.Context) string {
		t.Helper()
		in, err := svc.Inbox(ctx, d.doc.WorkspaceID)
		if err != nil {
			t.Fatalf("%s's inbox: %v", who, err)
		}
		var out []string
		for _, sg := range in.Suggested {
			if sg.Document.ID != d.doc.ID || sg.Document.Title != "Fork and join" || len(sg.Document.Source) > 0 || sg.Ended.IsZero() {
				t.Errorf("%s's suggestion names the SOP badly: %+v", who, sg.Document)
			}
			out = append(out, sg.Release.Name+": "+strings.Join(sg.Lessons, " | "))
		}
		return strings.Join(out, "; ")
	}
	abort := func(ctx context.Context, name string, roster map[string][]string, rehearsal bool) {
		t.Helper()
		v, err := svc.StartRelease(ctx, d.doc.ID, workspace.ReleaseRequest{Name: name, Roster: roster, Rehearsal: rehearsal})
		if err != nil {
			t.Fatal(err)
		}
		d.record(t, ctx, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "the build server is down"})
	}

	// The editor starts 1.0; the roster gives the owner role (rm) to the owner.
	abort(d.editor, "1.0", forkRoster, false)
	abort(d.editor, "1.1", forkRoster, true) // a rehearsal suggests nothing
	for _, tc := range []struct {
		who  string
		ctx  context.Context
		want string
	}{
		{"owner", d.owner, "1.0: it was aborted"},
		{"editor", d.editor, ""}, // started it, but the roster names the SOP's keeper
		{"viewer", d.viewer, ""}, // may not change the SOP
	} {
		if got := suggested(tc.who, tc.ctx); got != tc.want {
			t.Errorf("%s's inbox suggests %q, want %q", tc.who, got, tc.want)
		}
	}

	// In 1.2 the editor holds rm: the newest lesson is theirs.
	abort(d.owner, "1.2", map[string][]string{"rm": {"editor@example.com"}, "qa": {"viewer@example.com"}, "cto": {"owner@example.com"}}, false)
	if got := suggested("editor", d.editor); got != "1.2: it was aborted" {
		t.Errorf("the editor's inbox, after 1.2 that the editor kept: %q", got)
	}
	if got := suggested("owner", d.owner); got != "" {
		t.Errorf("the owner's inbox, after 1.2 that the editor kept: %q", got)
	}

	// Back to draft, it still waits; submitted for review, it leaves: the
	// review is under way.
	doc, err := svc.SetStatus(d.editor, d.doc.ID, relsop.StatusDraft, d.doc.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if got := suggested("editor", d.editor); got != "1.2: it was aborted" {
		t.Errorf("the editor's inbox while the SOP is a draft again: %q", got)
	}
	if doc, err = svc.SetStatus(d.editor, d.doc.ID, relsop.StatusInReview, doc.Revision); err != nil {
		t.Fatal(err)
	}
	if got := suggested("editor", d.editor); got != "" {
		t.Errorf("the editor's inbox while the SOP is in review: %q", got)
	}
	// Approving it again settles it.
	if _, err := svc.SetStatus(d.owner, d.doc.ID, relsop.StatusApproved, doc.Revision); err != nil {
		t.Fatal(err)
	}
	d.f.clock.add(time.Since(d.f.clock.now()) + time.Minute)
	if got := suggested("editor", d.editor); got != "" {
		t.Errorf("the editor's inbox after the SOP was approved again: %q", got)
	}
}

// TestSuggestedReviewStarter: when the release's roster names nobody for
// the SOP's owner role (here the owner role signs no gate, so the roster
// need not name it), the review waits for the member who started it.
func TestSuggestedReviewStarter(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	src := strings.Replace(string(d.doc.Source), "owner: rm\n", "owner: dev\n", 1)
	doc, err := svc.Save(d.owner, d.doc.ID, []byte(src), d.doc.Revision, "dev keeps it")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	d.approve(t)
	d.f.clock.add(time.Since(d.f.clock.now()) + time.Minute)
	v, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "no"})
	for _, tc := range []struct {
		who  string
		ctx  context.Context
		want int
	}{{"editor", d.editor, 1}, {"owner", d.owner, 0}} {
		in, err := svc.Inbox(tc.ctx, d.doc.WorkspaceID)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Suggested) != tc.want {
			t.Errorf("%s's inbox suggests %d reviews, want %d: %+v", tc.who, len(in.Suggested), tc.want, in.Suggested)
		}
	}
}
