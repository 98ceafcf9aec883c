package workspace_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/workspace"
)

// TestReviews follows an SOP through two reviews: who finds it in their
// inbox, who is mailed of the submission and of the decision, and what
// the review page is told. The owner wrote it, so the editor reviews it;
// once the editor changes it, the owner does; the viewer never does.
func TestReviews(t *testing.T) {
	d := newReleaseDeskMail(t, true)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	owner := workspace.WithBaseURL(d.owner, "https://relsop.example.com")
	editor := workspace.WithBaseURL(d.editor, "https://relsop.example.com")
	reviews := func(who string, ctx context.Context) string {
		t.Helper()
		in, err := svc.Inbox(ctx, ws)
		if err != nil {
			t.Fatalf("%s's inbox: %v", who, err)
		}
		var out []string
		for _, r := range in.Reviews {
			out = append(out, fmt.Sprintf("%s by %s since %d", r.Document.Title, r.SubmittedBy, r.Approved))
			if r.Since.IsZero() || r.Document.ID != d.doc.ID {
				t.Errorf("%s's review %+v lacks its time or SOP", who, r)
			}
		}
		return strings.Join(out, "; ")
	}
	setStatus := func(ctx context.Context, to relsop.Status) {
		t.Helper()
		doc, err := svc.SetStatus(ctx, d.doc.ID, to, d.doc.Revision)
		if err != nil {
			t.Fatalf("→ %s: %v", to, err)
		}
		d.doc = doc
	}

	// The first review: the owner wrote it, the editor sends it back once.
	setStatus(owner, relsop.StatusInReview)
	got := d.f.mail.take()
	if summary(got) != "editor@example.com: Review needed: Fork and join" {
		t.Fatalf("submission mails:\n%s", summary(got))
	}
	for _, want := range []string{"owner submitted “Fork and join” for review (revision 2).", "It has never been approved.",
		fmt.Sprintf("Review it: https://relsop.example.com/#/sops/%d/review", d.doc.ID), "made none of this one's changes"} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("the submission mail lacks %q:\n%s", want, got[0].Body)
		}
	}
	submitThread := got[0].Thread
	for _, tc := range []struct {
		who  string
		ctx  context.Context
		want string
	}{{"owner", d.owner, ""}, {"editor", d.editor, "Fork and join by owner since 0"}, {"viewer", d.viewer, ""}} {
		if got := reviews(tc.who, tc.ctx); got != tc.want {
			t.Errorf("%s's reviews: %q, want %q", tc.who, got, tc.want)
		}
	}
	rv, m, err := svc.ReviewOf(d.viewer, d.doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := rv.MayApprove(m); ok || !strings.Contains(why, "viewer") || rv.Submitted == nil || rv.Submitted.Number != 2 || strings.Join(rv.AuthorNames, ",") != "owner" {
		t.Errorf("the viewer's review page: may approve %v (%q), submitted %+v, authors %v", ok, why, rv.Submitted, rv.AuthorNames)
	}
	if _, _, err := svc.ReviewOf(d.stranger, d.doc.ID); relsop.ErrorCode(err) != relsop.ENOTFOUND {
		t.Errorf("a stranger reads the review: %v", err)
	}

	setStatus(editor, relsop.StatusDraft)
	got = d.f.mail.take()
	if summary(got) != "owner@example.com: Sent back to draft: Fork and join" || !strings.Contains(got[0].Body, "editor sent “Fork and join”, which you submitted for review, back to draft.") ||
		got[0].Thread != submitThread {
		t.Fatalf("sent back: %s (thread %q, want the submission's %q)\n%s", summary(got), got[0].Thread, submitThread, got[0].Body)
	}
	if got := reviews("editor", d.editor); got != "" {
		t.Errorf("a draft still waits for review: %q", got)
	}

	setStatus(owner, relsop.StatusInReview)
	if got := summary(d.f.mail.take()); got != "editor@example.com: Review needed: Fork and join" {
		t.Fatalf("the second submission mails:\n%s", got)
	}
	setStatus(editor, relsop.StatusApproved)
	approved := d.doc.Revision
	got = d.f.mail.take()
	if summary(got) != "owner@example.com: Approved: Fork and join" || !strings.Contains(got[0].Body, fmt.Sprintf("editor approved “Fork and join”, which you submitted for review; it is revision %d.", approved)) {
		t.Fatalf("approval mails: %s\n%v", summary(got), got)
	}

	// The second review: the editor changed it, so the owner reviews it,
	// and the editor can no longer approve it.
	doc, err := svc.ApplyOps(d.editor, d.doc.ID, d.doc.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Fork and join, v2"}})
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	if _, err := svc.SetMailOff(d.viewer, true); err != nil { // a viewer is never mailed; this only checks nothing breaks
		t.Fatal(err)
	}
	setStatus(editor, relsop.StatusInReview)
	got = d.f.mail.take()
	if summary(got) != "owner@example.com: Review needed: Fork and join, v2" ||
		!strings.Contains(got[0].Body, fmt.Sprintf("Since revision %d, the last approved, it was changed by editor.", approved)) {
		t.Fatalf("the owner is to review the editor's change: %s\n%v", summary(got), got)
	}
	if got := reviews("owner", d.owner); got != fmt.Sprintf("Fork and join, v2 by editor since %d", approved) {
		t.Errorf("the owner's reviews: %q", got)
	}
	if got := reviews("editor", d.editor); got != "" {
		t.Errorf("the author is asked to review their own change: %q", got)
	}
	_, err = svc.SetStatus(d.editor, d.doc.ID, relsop.StatusApproved, d.doc.Revision)
	wantCode(t, err, relsop.EFORBIDDEN)

	// A member who turned mail off hears nothing of the decision.
	if _, err := svc.SetMailOff(d.editor, true); err != nil {
		t.Fatal(err)
	}
	setStatus(owner, relsop.StatusApproved)
	if got := summary(d.f.mail.take()); got != "" {
		t.Errorf("mail off, yet: %s", got)
	}
	if got := reviews("owner", d.owner); got != "" {
		t.Errorf("an approved SOP still waits for review: %q", got)
	}
}

// TestReviewWebhooks: a review's submission and decisions reach the
// channels that chose them, signed, with the SOP's title escaped and a
// link to the review page; a channel that chose only release events hears
// nothing of them.
func TestReviewWebhooks(t *testing.T) {
	d := newReleaseDesk(t)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	reviews, releases := newChatChannel(t), newChatChannel(t)
	h, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: reviews.URL, Events: []string{"sop.submitted", "sop.approved", "sop.returned"}})
	if err != nil {
		t.Fatal(err)
	}
	reviews.secret = h.Secret
	h2, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: releases.URL, Events: []string{"release.started"}})
	if err != nil {
		t.Fatal(err)
	}
	releases.secret = h2.Secret
	doc, err := svc.ApplyOps(d.owner, d.doc.ID, d.doc.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Fork <!channel> & join"}})
	if err != nil {
		t.Fatal(err)
	}
	base := workspace.WithBaseURL(d.owner, "https://relsop.example.com")
	steps := []struct {
		ctx  context.Context
		to   relsop.Status
		want string
	}{
		{base, relsop.StatusInReview, "sop.submitted by owner@example.com: “Fork &lt;!channel&gt; &amp; join” was submitted for review by owner@example.com. <https://relsop.example.com/#/sops/%d/review|Open the review>"},
		{d.editor, relsop.StatusDraft, "sop.returned by editor@example.com: “Fork &lt;!channel&gt; &amp; join” was sent back to draft by editor@example.com."},
		{d.owner, relsop.StatusInReview, "sop.submitted by owner@example.com: “Fork &lt;!channel&gt; &amp; join” was submitted for review by owner@example.com."},
		{d.editor, relsop.StatusApproved, "sop.approved by editor@example.com: “Fork &lt;!channel&gt; &amp; join” was approved by editor@example.com (revision 6)."},
		{d.owner, relsop.StatusRetired, ""}, // no review's
	}
	n := 0
	for _, st := range steps {
		if doc, err = svc.SetStatus(st.ctx, doc.ID, st.to, doc.Revision); err != nil {
			t.Fatalf("→ %s: %v", st.to, err)
		}
		if st.want == "" {
			continue
		}
		n++
		e := reviews.waitFor(t, n)[n-1]
		got := fmt.Sprintf("%s by %s: %s", e.Event, e.By, e.Text)
		want := st.want
		if strings.Contains(want, "%d") {
			want = fmt.Sprintf(want, doc.ID)
		}
		if got != want {
			t.Errorf("→ %s:\n got %s\nwant %s", st.to, got, want)
		}
		if e.Release != nil || e.Review == nil || e.Review.Status != string(st.to) || e.Review.Revision != doc.Revision || e.SOP.ID != doc.ID || e.Workspace.ID != ws {
			t.Errorf("→ %s: event %+v (review %+v)", st.to, e, e.Review)
		}
	}
	time.Sleep(50 * time.Millisecond) // time for a wrong delivery to arrive
	reviews.waitFor(t, n)
	releases.waitFor(t, 0)
}
