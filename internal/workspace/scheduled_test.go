package workspace_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// withReview gives the fork SOP a review cadence and last review date,
// in place of those it states.
func withReview(src []byte, cadence, last string) []byte {
	src = regexp.MustCompile(`(?m)^review:\n(  .*\n)*`).ReplaceAll(src, nil)
	return []byte(strings.Replace(string(src), "owner: rm\n", "owner: rm\nreview:\n  cadence: "+cadence+"\n  last_reviewed: "+last+"\n", 1))
}

// day is the test clock's date, offset by days, in the server's zone
// (the members' zone when they chose none).
func (d *releaseDesk) day(days int) string {
	return d.f.clock.now().AddDate(0, 0, days).Format(time.DateOnly)
}

// dueIn lists the scheduled reviews in a member's inbox, as "TITLE due
// DATE" with " (overdue)" when it is.
func (d *releaseDesk) dueIn(t *testing.T, who string, ctx context.Context) string {
	t.Helper()
	in, err := d.f.svc.Inbox(ctx, d.doc.WorkspaceID)
	if err != nil {
		t.Fatalf("%s's inbox: %v", who, err)
	}
	var out []string
	for _, r := range in.Due {
		if len(r.Document.Source) > 0 {
			t.Errorf("%s's inbox lists %q with its source", who, r.Document.Title)
		}
		s := fmt.Sprintf("%s due %s", r.Document.Title, r.Document.ReviewDue)
		if r.Overdue {
			s += " (overdue)"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// TestScheduledReview: an approved SOP whose review falls due by its
// cadence waits, from a week before, for whoever keeps it: the
// workspace's owners while it was never released, then whoever held its
// owner role in its latest release. A release that already suggests a
// review takes its place; a recorded review, once approved, moves the
// date on.
func TestScheduledReview(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	doc, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "30d", d.day(-25)), d.doc.Revision, "Review every 30 days")
	if err != nil {
		t.Fatal(err)
	}
	if want := d.day(5); doc.ReviewDue != want {
		t.Fatalf("ReviewDue = %q, want %s", doc.ReviewDue, want)
	}
	d.doc = doc
	check := func(when string, want map[string]string) {
		t.Helper()
		for _, who := range []struct {
			name string
			ctx  context.Context
		}{{"owner", d.owner}, {"editor", d.editor}, {"viewer", d.viewer}} {
			if got := d.dueIn(t, who.name, who.ctx); got != want[who.name] {
				t.Errorf("%s: %s's inbox lists %q, want %q", when, who.name, got, want[who.name])
			}
		}
	}
	check("a draft", nil) // the review is under way
	d.approve(t)
	d.f.clock.add(time.Since(d.f.clock.now()) + time.Minute) // past the approval (see TestSuggestedReview)
	due := "Fork and join due " + d.day(5)
	check("approved, due in 5 days, never released", map[string]string{"owner": due})

	d.f.clock.add(5 * 24 * time.Hour)
	check("on the day it is due", map[string]string{"owner": due})
	d.f.clock.add(24 * time.Hour)
	check("the day after", map[string]string{"owner": due + " (overdue)"})

	// The editor keeps the SOP in release 1.0 (holds rm, its owner role).
	roster := map[string][]string{"rm": {"editor@example.com"}, "qa": {"viewer@example.com"}, "cto": {"owner@example.com"}}
	v, err := svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1.0", Roster: roster})
	if err != nil {
		t.Fatal(err)
	}
	check("kept by the editor in 1.0", map[string]string{"editor": due + " (overdue)"})

	// Aborted, 1.0 suggests a review itself: one review does both.
	d.record(t, d.owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "the build server is down"})
	check("1.0 aborted", nil)
	in, err := svc.Inbox(d.editor, d.doc.WorkspaceID)
	if err != nil || len(in.Suggested) != 1 {
		t.Fatalf("the editor's suggested reviews after 1.0: %+v, %v", in, err)
	}

	// The owner records the review; approved again, it is due in 30 days.
	rev, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "30d", d.day(0)), d.doc.Revision, "Reviewed")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = rev
	d.approve(t)
	if want := d.day(30); d.doc.ReviewDue != want {
		t.Errorf("after the review, ReviewDue = %q, want %s", d.doc.ReviewDue, want)
	}
	check("reviewed today", nil)
	d.f.clock.add(24 * 24 * time.Hour)
	check("6 days before it is due again", map[string]string{"editor": "Fork and join due " + d.day(6)})

	if _, err := svc.Inbox(d.stranger, d.doc.WorkspaceID); relsop.ErrorCode(err) != relsop.ENOTFOUND {
		t.Errorf("a stranger's inbox of the workspace: %v, want not found", err)
	}
}

// TestScheduledReviewNeedsADate: an SOP that states no cadence, or no
// last review, has no date (lint's review-freshness says what is
// missing), and an archived or retired one is not asked for.
func TestScheduledReviewNeedsADate(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	for _, tc := range []struct {
		name, review string
	}{
		{"no review", ""},
		{"no cadence", "review:\n  last_reviewed: 2020-01-01\n"},
		{"no date", "review:\n  cadence: quarterly\n"},
	} {
		src := strings.Replace(string(d.doc.Source), "owner: rm\n", "owner: rm\n"+tc.review, 1)
		doc, err := svc.Create(d.owner, d.doc.WorkspaceID, "", []byte(src), "")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if doc.ReviewDue != "" {
			t.Errorf("%s: ReviewDue = %q, want none", tc.name, doc.ReviewDue)
		}
	}

	doc, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "quarterly", "2020-01-01"), d.doc.Revision, "")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	d.approve(t)
	if got := d.dueIn(t, "owner", d.owner); !strings.HasSuffix(got, "(overdue)") {
		t.Fatalf("approved, reviewed in 2020: %q", got)
	}
	if _, err := svc.SetStatus(d.owner, d.doc.ID, relsop.StatusRetired, d.doc.Revision); err != nil {
		t.Fatal(err)
	}
	if got := d.dueIn(t, "owner", d.owner); got != "" {
		t.Errorf("retired: %q", got)
	}
}

// TestDeriveReviewDates: SOPs saved before the store kept review dates
// (their review_due NULL, as migration 0009 leaves them) get theirs from
// their source when the server starts, and are in the inbox again.
func TestDeriveReviewDates(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	doc, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "30d", d.day(-40)), d.doc.Revision, "")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	d.approve(t)
	other := d.withSLA(t) // states no review: derived as none
	want := "Fork and join due " + d.day(-10) + " (overdue)"
	if got := d.dueIn(t, "owner", d.owner); got != want {
		t.Fatalf("before: %q, want %q", got, want)
	}

	db, err := sql.Open("sqlite", d.f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(t.Context(), `UPDATE documents SET review_due = NULL`)
	if err != nil {
		t.Fatal(err)
	}
	forgotten, _ := res.RowsAffected()
	if got := d.dueIn(t, "owner", d.owner); got != "" {
		t.Fatalf("with no dates: %q", got)
	}

	n, err := svc.DeriveReviewDates(context.Background())
	if err != nil || n != int(forgotten) {
		t.Fatalf("DeriveReviewDates = %d, %v; want %d", n, err, forgotten)
	}
	if got := d.dueIn(t, "owner", d.owner); got != want {
		t.Errorf("after: %q, want %q", got, want)
	}
	if got, err := svc.Document(d.owner, other.ID); err != nil || got.Document.ReviewDue != "" {
		t.Errorf("the SOP without a review: %v, %+v", err, got)
	}
	if n, err := svc.DeriveReviewDates(context.Background()); n != 0 || err != nil {
		t.Errorf("DeriveReviewDates again = %d, %v; want 0", n, err)
	}
}

// TestScheduledReviewRound: the minute round mails the keeper of an SOP
// whose scheduled review came within a week, once per due date, and tells
// the webhooks that want sop.review_due; a keeper who chose a daily
// summary is not mailed, and nobody hears of a review not yet a week off.
func TestScheduledReviewRound(t *testing.T) {
	d := newReleaseDeskWith(t, true, func(o *workspace.Options) { o.BaseURL = "https://relsop.example.com" })
	svc, ws := d.f.svc, d.doc.WorkspaceID
	round := func(want int) {
		t.Helper()
		if n, err := svc.SweepReviewsDue(t.Context()); err != nil || n != want {
			t.Fatalf("a round told of %d SOPs (%v), want %d", n, err, want)
		}
	}
	doc, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "30d", d.day(-20)), d.doc.Revision, "")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	d.approve(t)
	d.f.mail.take()
	round(0) // due in 10 days
	d.f.clock.add(4 * 24 * time.Hour)
	round(1)
	got := d.f.mail.take()
	if len(got) != 1 || got[0].To != "owner@example.com" || got[0].Subject != "Review due: Fork and join" {
		t.Fatalf("the round's mails:\n%s", summary(got))
	}
	for _, want := range []string{
		"The scheduled review of “Fork and join” in owner's workspace falls due on " + d.day(6) + ".\n",
		"It was last reviewed on " + d.day(-24) + ", and its cadence is 30d.\n",
		"record the review: Mark reviewed today in the editor",
		fmt.Sprintf("Open it: https://relsop.example.com/#/sops/%d\n", d.doc.ID),
		"because you own the workspace, and the SOP has not been released yet.",
	} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("the mail lacks %q:\n%s", want, got[0].Body)
		}
	}
	round(0) // told once per due date
	d.f.clock.add(2 * 24 * time.Hour)
	round(0)

	// An SOP reviewed long ago, kept by an owner who chose a daily summary:
	// nobody wants to hear of it until a webhook does.
	if _, err := svc.SetMailDigest(d.owner, true); err != nil {
		t.Fatal(err)
	}
	old := d.withSLA(t)
	old, err = svc.Save(d.owner, old.ID, withReview(old.Source, "quarterly", "2020-01-01"), old.Revision, "")
	if err != nil {
		t.Fatal(err)
	}
	if old, err = svc.SetStatus(d.owner, old.ID, relsop.StatusInReview, old.Revision); err != nil {
		t.Fatal(err)
	}
	if old, err = svc.SetStatus(d.editor, old.ID, relsop.StatusApproved, old.Revision); err != nil {
		t.Fatal(err)
	}
	d.f.mail.take()
	round(0)
	if got := d.f.mail.take(); len(got) != 0 {
		t.Errorf("mails to a keeper who chose a summary:\n%s", summary(got))
	}
	ch := newChatChannel(t)
	h, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: ch.URL, Events: []string{"sop.review_due"}})
	if err != nil {
		t.Fatal(err)
	}
	ch.secret = h.Secret
	round(1)
	e := ch.waitFor(t, 1)[0]
	wantText := fmt.Sprintf("The scheduled review of “%s” was due on %s; it waits for owner@example.com. <https://relsop.example.com/#/sops/%d|Open the SOP>", old.Title, old.ReviewDue, old.ID)
	if e.Event != "sop.review_due" || e.SOP.ID != old.ID || e.Review == nil || e.Review.Due != old.ReviewDue || !e.Review.Overdue ||
		fmt.Sprint(e.Review.WaitsFor) != "[owner@example.com]" || e.Release != nil || e.Text != wantText {
		t.Errorf("the webhook heard %+v\n%+v\nwant text %q", e, e.Review, wantText)
	}
	round(0)
}
