package workspace_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// TestInbox follows what waits for each member: a gate shows in the
// inbox of the members its roster names for a role still to sign, and
// leaves it when they sign or hand the role on; a mention waits until it
// is answered.
func TestInbox(t *testing.T) {
	d := newReleaseDesk(t)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	d.approve(t)
	gates := func(t *testing.T, who string, ctx context.Context) string {
		t.Helper()
		in, err := svc.Inbox(ctx, ws)
		if err != nil {
			t.Fatalf("%s's inbox: %v", who, err)
		}
		var out []string
		for _, g := range in.Gates {
			g1 := g.Release.Name + "/" + g.Gate.Step + "/" + strings.Join(g.Roles, "+")
			if g.Overdue {
				g1 += " overdue"
			}
			if g.Escalation != "" {
				g1 += " escalation=" + g.Escalation
			}
			out = append(out, g1)
			if g.Release.SOPTitle != "Fork and join" || g.Gate.Name != "Approve" || g.Gate.Since.IsZero() {
				t.Errorf("%s's gate %+v lacks its SOP, name or time", who, g)
			}
		}
		return strings.Join(out, " ")
	}
	v, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.0.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Release.ID
	if got := gates(t, "viewer", d.viewer); got != "" {
		t.Fatalf("before the gate is ready the viewer waits for %q", got)
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})

	for _, tc := range []struct {
		who  string
		ctx  context.Context
		want string
	}{
		{"owner", d.owner, "1.0.0/approve/rm"},
		{"viewer", d.viewer, "1.0.0/approve/qa"},
		{"editor", d.editor, ""}, // cto decides only once it is escalated
	} {
		if got := gates(t, tc.who, tc.ctx); got != tc.want {
			t.Errorf("%s waits for %q, want %q", tc.who, got, tc.want)
		}
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	if got := gates(t, "owner", d.owner); got != "" {
		t.Errorf("after signing, the owner still waits for %q", got)
	}
	// Past its escalation time (2h), the gate is overdue for the viewer,
	// who still has to sign, and waits for the editor too, who holds the
	// escalation role (cto) that decides once it is escalated.
	d.f.clock.add(2*time.Hour + time.Minute)
	if got, want := gates(t, "viewer", d.viewer)+"|"+gates(t, "editor", d.editor), "1.0.0/approve/qa overdue|1.0.0/approve/ overdue escalation=cto"; got != want {
		t.Errorf("overdue: viewer|editor wait for %q, want %q", got, want)
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeAssign, Role: "qa", People: []string{"editor@example.com"}, Note: "away"})
	if got, want := gates(t, "viewer", d.viewer)+"|"+gates(t, "editor", d.editor), "|1.0.0/approve/qa overdue escalation=cto"; got != want {
		t.Errorf("after qa is handed on: viewer|editor wait for %q, want %q", got, want)
	}
	_, err = svc.Inbox(d.stranger, ws)
	wantCode(t, err, relsop.ENOTFOUND)

	// Mentions: the viewer is asked; the inbox lists it until they reply.
	c, err := svc.AddComment(d.owner, d.doc.ID, "approve", 0, "@viewer is QA ready?")
	if err != nil {
		t.Fatal(err)
	}
	in, err := svc.Inbox(d.viewer, ws)
	if err != nil || len(in.Mentions) != 1 || in.Mentions[0].ID != c.ID || in.Mentions[0].SOPTitle != "Fork and join" {
		t.Fatalf("the viewer's mentions: %+v, %v", in.Mentions, err)
	}
	if _, err := svc.AddComment(d.viewer, d.doc.ID, "", c.ID, "Yes."); err != nil {
		t.Fatal(err)
	}
	if in, err = svc.Inbox(d.viewer, ws); err != nil || len(in.Mentions) != 0 {
		t.Fatalf("after the reply the viewer's mentions: %+v, %v", in.Mentions, err)
	}
}

// TestInboxWhileRecording reads the inbox from several members at once
// while the release moves on and the overdue round runs: the replayed
// runs the inbox remembers are shared, so this runs under the race
// detector in CI. Once the gate is signed, nobody's inbox shows it.
func TestInboxWhileRecording(t *testing.T) {
	d := newReleaseDesk(t)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	d.approve(t)
	v, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.0.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Release.ID
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, ctx := range []context.Context{d.owner, d.viewer, d.editor, d.owner} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := svc.Inbox(ctx, ws); err != nil {
					t.Error(err)
					return
				}
				if _, err := svc.SweepOverdue(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	d.record(t, d.viewer, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	close(stop)
	wg.Wait()
	for _, ctx := range []context.Context{d.owner, d.viewer, d.editor} {
		in, err := svc.Inbox(ctx, ws)
		if err != nil || len(in.Gates) != 0 {
			t.Errorf("after the gate is decided: %+v, %v", in, err)
		}
	}
}
