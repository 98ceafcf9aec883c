package workspace_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/mail"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// mailbox keeps the emails the service queues. How they travel over SMTP
// is internal/mail's part, tested against a real SMTP server there and
// end to end in internal/server.
type mailbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (m *mailbox) Enqueue(msg mail.Message) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return true
}

// take returns the emails queued since the last take.
func (m *mailbox) take() []mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.msgs
	m.msgs = nil
	return out
}

// summary reads "to: subject" for each email, sorted.
func summary(msgs []mail.Message) string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To+": "+m.Subject)
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// TestNotificationEmails follows two releases and a comment and checks who
// is mailed what: the holders of a gate's roles when it waits (not whoever
// made the record), the escalation role's holder when it is escalated or
// overdue, the starter when a step fails or the release ends; a member
// who turned mail off, or left the workspace, gets nothing.
func TestNotificationEmails(t *testing.T) {
	d := newReleaseDeskMail(t, true)
	svc := d.f.svc
	d.approve(t)
	d.f.mail.take() // the review's mails: TestReviews
	if !svc.Mailing() {
		t.Fatal("Mailing() = false with a mailer")
	}
	ctx := workspace.WithBaseURL(d.editor, "https://relsop.example.com")
	v, err := svc.StartRelease(ctx, d.doc.ID, workspace.ReleaseRequest{Name: "1.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Release.ID
	if got := d.f.mail.take(); len(got) != 0 {
		t.Errorf("starting a release mailed %s", summary(got))
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, workspace.WithBaseURL(d.owner, "https://relsop.example.com"), id,
		workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	got := d.f.mail.take()
	// The gate waits for qa (viewer) and rm (owner); the owner made the
	// record that readied it, so only the viewer is mailed.
	if summary(got) != "viewer@example.com: Sign-off needed: “Approve” in release 1.0 of Fork and join" {
		t.Fatalf("mails when the gate became ready:\n%s", summary(got))
	}
	link := fmt.Sprintf("https://relsop.example.com/#/sops/%d/releases/%d", d.doc.ID, id)
	for _, want := range []string{"waits for your sign-off as QA.", "If it is not decided by ", "it escalates to CTO.", "Open the release: " + link,
		"because the release's roster gives you a role that signs this gate", "https://relsop.example.com/#/account"} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("the body lacks %q:\n%s", want, got[0].Body)
		}
	}
	if got[0].Thread != fmt.Sprintf("release-%d", id) {
		t.Errorf("thread %q", got[0].Thread)
	}

	// The owner escalates: the CTO's holder (the editor) now decides.
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeEscalate, Step: "approve", Note: "QA is out"})
	got = d.f.mail.take()
	if summary(got) != "editor@example.com: Escalated to you: “Approve” in release 1.0 of Fork and join" ||
		!strings.Contains(got[0].Body, "owner@example.com escalated the gate “Approve”") || !strings.Contains(got[0].Body, "as CTO.") ||
		!strings.Contains(got[0].Body, "Note: QA is out") {
		t.Fatalf("mails on escalation:\n%s\n%v", summary(got), got)
	}
	d.record(t, d.editor, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "deploy"})
	// The editor started the release; the owner's last record ended it.
	// It was escalated on the way: the mail suggests reviewing the SOP.
	got = d.f.mail.take()
	if summary(got) != "editor@example.com: Finished: release 1.0 of Fork and join" ||
		!strings.Contains(got[0].Body, "It suggests reviewing the SOP: the gate “Approve” was escalated. Change what it taught") {
		t.Errorf("mails at the end:\n%s\n%v", summary(got), got)
	}

	// The viewer turns mail off; in a second release the gate mails no one
	// but the owner, who is not the one recording now.
	u, err := svc.SetMailOff(d.viewer, true)
	if err != nil || !u.MailOff {
		t.Fatalf("SetMailOff: %+v, %v", u, err)
	}
	v, err = svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1.1", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	if got := summary(d.f.mail.take()); got != "owner@example.com: Sign-off needed: “Approve” in release 1.1 of Fork and join" {
		t.Errorf("mails with the viewer's mail off:\n%s", got)
	}

	// Overdue: the CTO's holder hears once, from the server's round, with
	// no webhook at all.
	d.f.clock.add(2*time.Hour + time.Minute)
	if n, err := svc.SweepOverdue(t.Context()); err != nil || n != 1 {
		t.Fatalf("the round sent %d alerts (%v), want 1", n, err)
	}
	got = d.f.mail.take()
	if summary(got) != "editor@example.com: Overdue: “Approve” in release 1.1 of Fork and join" ||
		!strings.Contains(got[0].Body, "has waited 2h1m0s for a sign-off from qa (viewer@example.com), rm (owner@example.com).") {
		t.Fatalf("overdue mails:\n%s\n%v", summary(got), got)
	}
	if n, _ := svc.SweepOverdue(t.Context()); n != 0 || len(d.f.mail.take()) != 0 {
		t.Errorf("a second round sent %d alerts", n)
	}

	// A failure and an abort reach the starter (the owner), with the notes.
	d.record(t, d.owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "no-go"})
	d.f.mail.take()
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "postponed to Monday"})
	got = d.f.mail.take()
	if summary(got) != "owner@example.com: Aborted: release 1.1 of Fork and join" || !strings.Contains(got[0].Body, "Note: postponed to Monday") ||
		!strings.Contains(got[0].Body, "It suggests reviewing the SOP: it was aborted.") {
		t.Errorf("mails on abort:\n%s\n%v", summary(got), got)
	}

	// A member who left the workspace is not mailed, though the roster of a
	// release in progress still names them.
	v, err = svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.2", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetMailOff(d.viewer, false); err != nil {
		t.Fatal(err)
	}
	if err := svc.RemoveMember(d.owner, d.doc.WorkspaceID, workspace.UserFrom(d.viewer).ID); err != nil {
		t.Fatal(err)
	}
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	if got := summary(d.f.mail.take()); got != "owner@example.com: Sign-off needed: “Approve” in release 1.2 of Fork and join" {
		t.Errorf("with the viewer gone, mails:\n%s", got)
	}
}

// TestMentionEmails: a comment mails each member it names, not its author,
// and not a member who turned mail off; the mail quotes the comment and
// links to it.
func TestMentionEmails(t *testing.T) {
	d := newReleaseDeskMail(t, true)
	svc := d.f.svc
	ctx := workspace.WithBaseURL(d.owner, "https://relsop.example.com")
	c, err := svc.AddComment(ctx, d.doc.ID, "approve", 0, "@editor @owner can you check\nthe criteria? @viewer too")
	if err != nil {
		t.Fatal(err)
	}
	got := d.f.mail.take()
	if summary(got) != "editor@example.com: owner mentioned you on Fork and join\nviewer@example.com: owner mentioned you on Fork and join" {
		t.Fatalf("mention mails:\n%s", summary(got))
	}
	for _, want := range []string{"owner mentioned you in a comment on the step approve of “Fork and join”:",
		"> @editor @owner can you check\n> the criteria? @viewer too\n",
		fmt.Sprintf("Answer it: https://relsop.example.com/#/sops/%d/comments/%d", d.doc.ID, c.ID), "because a comment mentions you"} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("the body lacks %q:\n%s", want, got[0].Body)
		}
	}
	if _, err := svc.SetMailOff(d.viewer, true); err != nil {
		t.Fatal(err)
	}
	reply, err := svc.AddComment(d.editor, d.doc.ID, "", c.ID, "done, @owner and @viewer")
	if err != nil {
		t.Fatal(err)
	}
	got = d.f.mail.take()
	if summary(got) != "owner@example.com: editor mentioned you on Fork and join" || got[0].Thread != fmt.Sprintf("comment-%d", c.ID) || reply.ParentID != c.ID {
		t.Errorf("reply mails:\n%s (thread %v)", summary(got), got)
	}
}

// TestOverdueAlertNobodyMailed: with mail on, a late step whose starter
// gets no email now (they chose a daily summary, then left the
// workspace) is not claimed by the round, so that a webhook added later
// still hears of it.
func TestOverdueAlertNobodyMailed(t *testing.T) {
	d := newReleaseDeskMail(t, true)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	doc := d.withSLA(t)
	if _, err := svc.StartRelease(d.editor, doc.ID, workspace.ReleaseRequest{Name: "r1", Rehearsal: true, Roster: forkRoster}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetMailDigest(d.editor, true); err != nil {
		t.Fatal(err)
	}
	sweep := func(want int) {
		t.Helper()
		if n, err := svc.SweepOverdue(t.Context()); err != nil || n != want {
			t.Fatalf("a round sent %d alerts (%v), want %d", n, err, want)
		}
	}
	d.f.clock.add(31 * time.Minute)
	sweep(0) // the plan is late; its starter gets a summary instead
	if err := svc.RemoveMember(d.owner, ws, workspace.UserFrom(d.editor).ID); err != nil {
		t.Fatal(err)
	}
	sweep(0) // and is gone
	if got := d.f.mail.take(); len(got) != 0 {
		t.Errorf("mails:\n%s", summary(got))
	}
	ch := newChatChannel(t)
	h, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: ch.URL, Events: []string{"step.late"}})
	if err != nil {
		t.Fatal(err)
	}
	ch.secret = h.Secret
	sweep(1)
	if late := ch.waitFor(t, 1)[0]; late.Event != "step.late" || late.Step.ID != "plan" {
		t.Errorf("the webhook heard %+v", late)
	}
}
