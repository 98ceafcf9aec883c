package workspace_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// TestDailyDigest follows two members who asked for one summary a day:
// the editor (who starts a release and reviews SOPs) and the viewer (QA,
// who signs a gate and is mentioned). They get no email as things happen;
// after 08:00 UTC each gets one summary of what waits for them, once a
// day, and none on a day nothing does; a release the editor kept that
// was aborted adds a suggested review to theirs. The owner, who kept an
// email each time, is mailed as before.
func TestDailyDigest(t *testing.T) {
	d := newReleaseDeskWith(t, true, func(o *workspace.Options) {
		o.BaseURL = "https://relsop.example.com"
		o.DigestAt, o.DigestZone = 8*time.Hour, time.UTC
	})
	svc, ws := d.f.svc, d.doc.WorkspaceID
	d.approve(t)
	d.f.mail.take()
	for _, ctx := range []context.Context{d.editor, d.viewer} {
		u, err := svc.SetMailDigest(ctx, true)
		if err != nil || !u.MailDigest || u.MailOff {
			t.Fatalf("SetMailDigest: %+v, %v", u, err)
		}
	}
	if got := svc.DigestTime(&relsop.User{}); got != "08:00 UTC" {
		t.Errorf("DigestTime() = %q, want 08:00 UTC", got)
	}
	// Start at 06:00 UTC, before the summary time.
	now := d.f.clock.now().UTC()
	six := time.Date(now.Year(), now.Month(), now.Day(), 6, 0, 0, 0, time.UTC)
	if !six.After(now) {
		six = six.AddDate(0, 0, 1)
	}
	d.f.clock.add(six.Sub(now))
	digests := func(want int) {
		t.Helper()
		if n, err := svc.SendDigests(t.Context()); err != nil || n != want {
			t.Fatalf("SendDigests at %s = %d, %v; want %d", d.f.clock.now().UTC().Format(time.DateTime), n, err, want)
		}
	}

	v, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	rel := v.Release.ID
	for _, step := range []string{"plan", "docs", "build"} {
		d.record(t, d.editor, rel, workspace.RecordRequest{Type: release.TypeDone, Step: step, Evidence: []string{"log"}})
	}
	mention, err := svc.AddComment(d.owner, d.doc.ID, "approve", 0, "@viewer please sign\nbefore noon")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../release/testdata/fork.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	second, err := svc.Create(d.owner, ws, "", []byte(strings.Replace(string(src), "title: Fork and join", "title: Hotfix path", 1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetStatus(d.owner, second.ID, relsop.StatusInReview, second.Revision); err != nil {
		t.Fatal(err)
	}
	if got := summary(d.f.mail.take()); got != "owner@example.com: Sign-off needed: “Approve” in release 1.0 of Fork and join" {
		t.Fatalf("as things happened, only the owner should be mailed; mails:\n%s", got)
	}

	digests(0) // 06:00: not yet
	if got := d.f.mail.take(); len(got) != 0 {
		t.Fatalf("mails before 08:00:\n%s", summary(got))
	}
	d.f.clock.add(2*time.Hour + time.Minute)
	digests(2)
	got := d.f.mail.take()
	// By 08:01 the gate has waited past its two hours: the editor holds
	// its escalation role, cto.
	if s := summary(got); s != "editor@example.com: Your daily relsop summary: 1 gate and 1 review wait for you\n"+
		"viewer@example.com: Your daily relsop summary: 1 gate and 1 mention wait for you" {
		t.Fatalf("summaries:\n%s", s)
	}
	day := d.f.clock.now().UTC().Format(time.DateOnly)
	base := "https://relsop.example.com/#/sops/"
	wantBody := map[string][]string{
		"editor@example.com": {"What waits for you in relsop on " + day,
			"; overdue: decide whether to escalate it, as CTO\n",
			"SOPs waiting for your review:\n- “Hotfix path”, submitted by owner on ", // the store's date
			", never approved\n  " + fmt.Sprintf("%s%d/review", base, second.ID),
			"Releases you started:\n- 1.0 of Fork and join: in progress, at “Approve”\n  " + fmt.Sprintf("%s%d/releases/%d", base, d.doc.ID, rel),
			"To change that, or to get no emails, see your account page: https://relsop.example.com/#/account"},
		"viewer@example.com": {"Gates waiting for you:\n- “Approve” in release 1.0 of Fork and join, waiting since ",
			", for your sign-off as QA; overdue\n  " + fmt.Sprintf("%s%d/releases/%d", base, d.doc.ID, rel),
			"Comments that mention you:\n- owner on the step approve of “Fork and join”: “@viewer please sign before noon”\n  " + fmt.Sprintf("%s%d/comments/%d", base, d.doc.ID, mention.ID)},
	}
	for _, m := range got {
		for _, want := range wantBody[m.To] {
			if !strings.Contains(m.Body, want) {
				t.Errorf("%s's summary lacks %q:\n%s", m.To, want, m.Body)
			}
		}
		if strings.Contains(m.Body, "Releases you started") != (m.To == "editor@example.com") {
			t.Errorf("%s's summary lists releases they did not start:\n%s", m.To, m.Body)
		}
	}
	digests(0) // once a day
	d.f.clock.add(10 * time.Hour)
	digests(0)

	// The next day the gate is signed and the mention answered: the
	// viewer has nothing waiting and gets nothing; the editor still has
	// the review, and the release is at its deploy.
	d.record(t, d.viewer, rel, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	d.record(t, d.owner, rel, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	if _, err := svc.AddComment(d.viewer, d.doc.ID, "", mention.ID, "signed"); err != nil {
		t.Fatal(err)
	}
	// The editor keeps the SOP (rm) in release 1.1, which is aborted: the
	// summary suggests reviewing the SOP.
	v, err = svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.1", Roster: map[string][]string{"rm": {"editor@example.com"}, "qa": {"viewer@example.com"}, "cto": {"owner@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "wrong branch"})
	d.f.mail.take()
	d.f.clock.add(14 * time.Hour)
	digests(1)
	got = d.f.mail.take()
	if len(got) != 1 || got[0].To != "editor@example.com" || !strings.Contains(got[0].Body, "1.0 of Fork and join: in progress, at “Deploy”") ||
		got[0].Subject != "Your daily relsop summary: 1 review and 1 suggested review wait for you" ||
		!strings.Contains(got[0].Body, "SOPs to review after their releases:\n- “Fork and join”: release 1.1 ended on ") ||
		!strings.Contains(got[0].Body, "; it was aborted\n  "+fmt.Sprintf("%s%d\n", base, d.doc.ID)) {
		t.Fatalf("the second day's summaries:\n%s\n%v", summary(got), got)
	}

	// Back to an email each time: the viewer is mailed as things happen.
	if u, err := svc.SetMailDigest(d.viewer, false); err != nil || u.MailDigest {
		t.Fatalf("SetMailDigest(false): %+v, %v", u, err)
	}
	if _, err := svc.AddComment(d.owner, d.doc.ID, "", 0, "@viewer and @editor, see the new runbook"); err != nil {
		t.Fatal(err)
	}
	if got := summary(d.f.mail.take()); got != "viewer@example.com: owner mentioned you on Fork and join" {
		t.Errorf("mention mails with the viewer back to each time:\n%s", got)
	}
}

// TestDailyDigestOff: a member with mail off gets no summary even when
// they asked for one, a server without mail sends none, and the choice
// needs a signed-in user.
func TestDailyDigestOff(t *testing.T) {
	d := newReleaseDeskMail(t, true)
	svc := d.f.svc
	if _, err := svc.SetMailDigest(d.viewer, true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetMailOff(d.viewer, true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddComment(d.owner, d.doc.ID, "", 0, "@viewer look"); err != nil {
		t.Fatal(err)
	}
	d.f.clock.add(24 * time.Hour) // past midnight, the zero DigestAt, in any zone
	if n, err := svc.SendDigests(t.Context()); err != nil || n != 0 {
		t.Errorf("SendDigests with the viewer's mail off = %d, %v", n, err)
	}
	if got := d.f.mail.take(); len(got) != 0 {
		t.Errorf("mails:\n%s", summary(got))
	}
	if _, err := svc.SetMailOff(d.viewer, false); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.SendDigests(t.Context()); err != nil || n != 1 {
		t.Errorf("SendDigests with the viewer's mail back on = %d, %v; want 1", n, err)
	}

	quiet := newReleaseDesk(t)
	if _, err := quiet.f.svc.SetMailDigest(quiet.viewer, true); err != nil {
		t.Fatal(err)
	}
	if n, err := quiet.f.svc.SendDigests(t.Context()); err != nil || n != 0 {
		t.Errorf("SendDigests without a mailer = %d, %v", n, err)
	}
	_, err := svc.SetMailDigest(t.Context(), true)
	wantCode(t, err, relsop.EUNAUTHORIZED)
}

// TestDailyDigestZones: each member's summary comes at 08:00 in their own
// time zone (Tokyo, UTC+9 all year; New York, UTC-5 in November), with
// the day and times as they are there; a bad zone is refused and changes
// nothing.
func TestDailyDigestZones(t *testing.T) {
	d := newReleaseDeskWith(t, true, func(o *workspace.Options) {
		o.DigestAt, o.DigestZone = 8*time.Hour, time.UTC
	})
	svc := d.f.svc
	for _, m := range []struct {
		ctx  context.Context
		zone string
	}{{d.editor, "Asia/Tokyo"}, {d.viewer, " America/New_York "}} {
		if _, err := svc.SetMailDigest(m.ctx, true); err != nil {
			t.Fatal(err)
		}
		u, err := svc.SetTimeZone(m.ctx, m.zone)
		if err != nil || u.TimeZone != strings.TrimSpace(m.zone) {
			t.Fatalf("SetTimeZone(%q) = %+v, %v", m.zone, u, err)
		}
	}
	// Something waits for both: a mention each.
	if _, err := svc.AddComment(d.owner, d.doc.ID, "", 0, "@editor and @viewer, see the runbook"); err != nil {
		t.Fatal(err)
	}
	d.f.mail.take()
	// Start at 22:00 UTC on a day in November (no summer time anywhere
	// here): 07:00 in Tokyo the next day, 17:00 in New York.
	now := d.f.clock.now().UTC()
	start := time.Date(2030, 11, 4, 22, 0, 0, 0, time.UTC)
	d.f.clock.add(start.Sub(now))
	round := func(want string) {
		t.Helper()
		if _, err := svc.SendDigests(t.Context()); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range d.f.mail.take() {
			day, _, _ := strings.Cut(strings.TrimPrefix(m.Body, "What waits for you in relsop on "), ".")
			got = append(got, m.To+" "+day)
		}
		if g := strings.Join(got, ", "); g != want {
			t.Errorf("at %s UTC the round sent %q, want %q", d.f.clock.now().UTC().Format("01-02 15:04"), g, want)
		}
	}
	// New York is past its 08:00 of the 4th, which the viewer has not had;
	// Tokyo is at 07:00.
	round("viewer@example.com 2030-11-04")
	d.f.clock.add(time.Hour)
	round("editor@example.com 2030-11-05") // 08:00 in Tokyo, on its 5th
	round("")
	if got := svc.DigestTime(&relsop.User{TimeZone: "Asia/Tokyo"}); got != "08:00 JST" {
		t.Errorf("DigestTime(Tokyo) = %q", got)
	}
	d.f.clock.add(14 * time.Hour) // 13:00 UTC on the 5th: 08:00 in New York
	round("viewer@example.com 2030-11-05")
	d.f.clock.add(10 * time.Hour) // 23:00 UTC: Tokyo's next morning
	round("editor@example.com 2030-11-06")

	for _, bad := range []string{"Mars/Olympus_Mons", "Local", "../../../etc/passwd", "/usr/share/zoneinfo/UTC", strings.Repeat("Europe/", 300)} {
		_, err := svc.SetTimeZone(d.editor, bad)
		wantCode(t, err, relsop.EINVALID)
		if !strings.Contains(err.Error(), "Europe/Berlin") {
			t.Errorf("SetTimeZone(%.20q): %v, want what to give", bad, err)
		}
	}
	u, err := svc.SetTimeZone(d.editor, "")
	if err != nil || u.TimeZone != "" {
		t.Errorf("SetTimeZone(\"\") = %+v, %v", u, err)
	}
	_, err = svc.SetTimeZone(t.Context(), "UTC")
	wantCode(t, err, relsop.EUNAUTHORIZED)
}

// TestDailyDigestScheduledReview: the summary lists an approved SOP whose
// scheduled review falls due, for its keeper (the workspace's owner: it
// was never released), judged by the day in the keeper's time zone.
func TestDailyDigestScheduledReview(t *testing.T) {
	d := newReleaseDeskWith(t, true, func(o *workspace.Options) {
		o.DigestAt, o.DigestZone, o.BaseURL = 8*time.Hour, time.UTC, "https://relsop.example.com"
	})
	svc := d.f.svc
	doc, err := svc.Save(d.owner, d.doc.ID, withReview(d.doc.Source, "30d", "2030-10-06"), d.doc.Revision, "")
	if err != nil {
		t.Fatal(err)
	}
	d.doc = doc
	d.approve(t)
	if _, err := svc.SetMailDigest(d.owner, true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetTimeZone(d.owner, "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	d.f.mail.take()
	// 22:00 UTC on the 4th is 07:00 on the 5th in Tokyo, the day the
	// review falls due.
	d.f.clock.add(time.Date(2030, 11, 4, 22, 0, 0, 0, time.UTC).Sub(d.f.clock.now()))
	round := func(subject, line string) {
		t.Helper()
		if _, err := svc.SendDigests(t.Context()); err != nil {
			t.Fatal(err)
		}
		got := d.f.mail.take()
		if subject == "" {
			if len(got) != 0 {
				t.Errorf("at %s UTC: %d summaries, want none", d.f.clock.now().UTC().Format("01-02 15:04"), len(got))
			}
			return
		}
		if len(got) != 1 || got[0].To != "owner@example.com" || got[0].Subject != subject ||
			!strings.Contains(got[0].Body, "SOPs due for their scheduled review:\n- "+line+"\n  ") ||
			!strings.Contains(got[0].Body, fmt.Sprintf("\n  https://relsop.example.com/#/sops/%d\n", d.doc.ID)) {
			t.Errorf("at %s UTC:\n%s", d.f.clock.now().UTC().Format("01-02 15:04"), summary(got))
			for _, m := range got {
				t.Log(m.Subject + "\n" + m.Body)
			}
		}
	}
	round("", "")
	d.f.clock.add(time.Hour)
	round("Your daily relsop summary: 1 scheduled review waits for you", "“Fork and join”: its scheduled review falls due on 2030-11-05")
	d.f.clock.add(24 * time.Hour) // the 6th in Tokyo, the 5th still in UTC
	round("Your daily relsop summary: 1 scheduled review waits for you", "“Fork and join”: its scheduled review was due on 2030-11-05")
}
