package workspace_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/notify"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// chatChannel is a webhook receiver: it checks each delivery's signature
// with the secret it is given and keeps the events in the order they came.
type chatChannel struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	events []workspace.Event
	bad    []string
}

func newChatChannel(t *testing.T) *chatChannel {
	ch := &chatChannel{}
	ch.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ch.mu.Lock()
		defer ch.mu.Unlock()
		var e workspace.Event
		if !notify.Valid(ch.secret, body, r.Header.Get(notify.HeaderSignature)) || json.Unmarshal(body, &e) != nil || r.Header.Get(notify.HeaderEvent) != e.Event {
			ch.bad = append(ch.bad, string(body))
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		ch.events = append(ch.events, e)
	}))
	t.Cleanup(ch.Close)
	return ch
}

// waitFor waits until the channel holds n events, and returns them.
func (ch *chatChannel) waitFor(t *testing.T, n int) []workspace.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ch.mu.Lock()
		got, bad := append([]workspace.Event(nil), ch.events...), ch.bad
		ch.mu.Unlock()
		if len(bad) > 0 {
			t.Fatalf("deliveries with a bad signature or body: %q", bad)
		}
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) != n {
				t.Fatalf("the channel holds %d events, want %d: %+v", len(got), n, got)
			}
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func names(events []workspace.Event) string {
	var out []string
	for _, e := range events {
		s := e.Event
		if e.Step != nil {
			s += ":" + e.Step.ID
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestWebhooks follows a release in a chat channel: each event arrives
// signed, says what happened, and escapes what its users wrote.
func TestWebhooks(t *testing.T) {
	d := newReleaseDesk(t)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	d.approve(t)
	all, finished := newChatChannel(t), newChatChannel(t)

	h, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: all.URL + "/hooks/all"})
	if err != nil {
		t.Fatal(err)
	}
	all.secret = h.Secret
	if !strings.HasPrefix(h.Secret, "whsec_") || len(h.Events) != len(workspace.Events) {
		t.Fatalf("webhook %+v: want a secret and every event", h)
	}
	h2, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: finished.URL, Events: []string{"release.finished"}})
	if err != nil {
		t.Fatal(err)
	}
	finished.secret = h2.Secret

	for _, tc := range []struct {
		name string
		err  error
		code string
		want string
	}{
		{"an editor adds one", func() error {
			_, err := svc.AddWebhook(d.editor, ws, workspace.WebhookRequest{URL: all.URL})
			return err
		}(), relsop.EFORBIDDEN, ""},
		{"a viewer lists them", func() error { _, err := svc.Webhooks(d.viewer, ws); return err }(), relsop.EFORBIDDEN, ""},
		{"a stranger lists them", func() error { _, err := svc.Webhooks(d.stranger, ws); return err }(), relsop.ENOTFOUND, ""},
		{"not an address", func() error {
			_, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: "slack"})
			return err
		}(), relsop.EINVALID, "https://"},
		{"an unknown event", func() error {
			_, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: all.URL, Events: []string{"gate.wating"}})
			return err
		}(), relsop.EINVALID, `no event "gate.wating"`},
		{"another workspace's webhook", svc.DeleteWebhook(d.stranger, ws, h.ID), relsop.ENOTFOUND, ""},
	} {
		if relsop.ErrorCode(tc.err) != tc.code || !strings.Contains(errText(tc.err), tc.want) {
			t.Errorf("%s: %v (%s), want %s saying %q", tc.name, tc.err, relsop.ErrorCode(tc.err), tc.code, tc.want)
		}
	}

	v, err := svc.StartRelease(workspace.WithBaseURL(d.editor, "https://relsop.example.com/"), d.doc.ID,
		workspace.ReleaseRequest{Name: "1.0 <!channel>", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Release.ID
	started := all.waitFor(t, 1)[0]
	wantURL := "https://relsop.example.com/#/sops/" + itoa(d.doc.ID) + "/releases/" + itoa(id)
	if started.Event != "release.started" || started.By != "editor@example.com" || started.Release.URL != wantURL || started.SOP.Title != "Fork and join" {
		t.Errorf("release.started: %+v", started)
	}
	if strings.Contains(started.Text, "<!channel>") || !strings.Contains(started.Text, "1.0 &lt;!channel&gt; of Fork and join started by editor@example.com.") || !strings.HasSuffix(started.Text, "<"+wantURL+"|Open the release>") {
		t.Errorf("release.started text: %q", started.Text)
	}

	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	waiting := all.waitFor(t, 2)[1]
	if waiting.Event != "gate.waiting" || waiting.Step.ID != "approve" || strings.Join(waiting.Step.WaitsFor["qa"], ",") != "viewer@example.com" ||
		!strings.Contains(waiting.Text, "“Approve” waits for a sign-off from qa (viewer@example.com), rm (owner@example.com).") {
		t.Errorf("gate.waiting: %+v", waiting)
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	d.record(t, d.viewer, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	all.waitFor(t, 3) // several workers deliver: the test waits, so that the order is the records'
	d.record(t, d.editor, id, workspace.RecordRequest{Type: release.TypeDone, Step: "deploy"})
	got := all.waitFor(t, 4)
	if names(got) != "release.started gate.waiting:approve gate.decided:approve release.finished" {
		t.Errorf("events: %s", names(got))
	}
	if got[2].Step.Outcome != "go" || got[2].By != "viewer@example.com" || got[3].Release.State != "finished" || got[3].Release.Lessons != nil {
		t.Errorf("gate.decided %+v, release.finished %+v", got[2], got[3])
	}
	if names(finished.waitFor(t, 1)) != "release.finished" {
		t.Errorf("the webhook for release.finished only got %s", names(finished.events))
	}

	// A failed step and an abort, in a second release.
	v, err = svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.1", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	all.waitFor(t, 5)
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeFail, Step: "plan", Note: "no <@U123> capacity"})
	all.waitFor(t, 6)
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "postponed"})
	got = all.waitFor(t, 7)[4:]
	if names(got) != "release.started step.failed:plan release.aborted" || got[0].Release.URL != "" {
		t.Errorf("events of 1.1: %s (without a base URL, no link: %q)", names(got), got[0].Release.URL)
	}
	if !strings.Contains(got[1].Text, "“Plan” failed (editor@example.com). no &lt;@U123&gt; capacity") || !strings.Contains(got[2].Text, "aborted by editor@example.com. postponed") {
		t.Errorf("texts: %q, %q", got[1].Text, got[2].Text)
	}
	// It went wrong: the event says why to review the SOP.
	if strings.Join(got[2].Release.Lessons, " | ") != "it was aborted | “Plan” failed" || !strings.Contains(got[2].Text, "postponed Review suggested: it was aborted; “Plan” failed.") {
		t.Errorf("release.aborted's lessons: %q, %q", got[2].Release.Lessons, got[2].Text)
	}

	// The owner tests a webhook, sees how deliveries went, removes one.
	p, err := svc.PingWebhook(d.owner, ws, h2.ID)
	if err != nil || p.LastStatus != http.StatusOK || p.LastError != "" || p.LastAt.IsZero() {
		t.Fatalf("ping: %+v, %v", p, err)
	}
	if got := finished.waitFor(t, 2)[1]; got.Event != "ping" {
		t.Errorf("the ping arrived as %q", got.Event)
	}
	if err := svc.DeleteWebhook(d.owner, ws, h2.ID); err != nil {
		t.Fatal(err)
	}
	hooks, err := svc.Webhooks(d.owner, ws)
	if err != nil || len(hooks) != 1 || hooks[0].ID != h.ID || hooks[0].LastStatus != http.StatusOK || hooks[0].LastAt.IsZero() {
		t.Fatalf("webhooks after the deliveries and the removal: %+v, %v", hooks, err)
	}
	wantCode(t, svc.DeleteWebhook(d.owner, ws, h2.ID), relsop.ENOTFOUND)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestOverdueAlerts runs the server's rounds on a clock the test moves: a
// step past its SLA and a gate past its escalation time are each told
// once, and only to a workspace with a webhook that wants them.
func TestOverdueAlerts(t *testing.T) {
	d := newReleaseDesk(t)
	svc, ws := d.f.svc, d.doc.WorkspaceID
	doc := d.withSLA(t)
	v, err := svc.StartRelease(d.owner, doc.ID, workspace.ReleaseRequest{Name: "r1", Rehearsal: true, Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	sweep := func(want int) {
		t.Helper()
		n, err := svc.SweepOverdue(t.Context())
		if err != nil || n != want {
			t.Fatalf("a round sent %d alerts (%v), want %d", n, err, want)
		}
	}
	sweep(0)
	d.f.clock.add(31 * time.Minute)
	sweep(0) // the plan is late, but no webhook wants to hear it

	ch := newChatChannel(t)
	h, err := svc.AddWebhook(d.owner, ws, workspace.WebhookRequest{URL: ch.URL, Events: []string{"gate.overdue", "step.late"}})
	if err != nil {
		t.Fatal(err)
	}
	ch.secret = h.Secret
	sweep(1)
	sweep(0)
	late := ch.waitFor(t, 1)[0]
	if late.Event != "step.late" || late.Step.ID != "plan" || late.Step.Late != "1m0s" || !strings.Contains(late.Text, "“Plan” is 1m0s past its SLA.") {
		t.Errorf("step.late: %+v", late)
	}

	d.record(t, d.owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	d.record(t, d.owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"log"}})
	d.f.clock.add(119 * time.Minute)
	sweep(0)
	d.f.clock.add(2 * time.Minute)
	sweep(1)
	sweep(0)
	overdue := ch.waitFor(t, 2)[1]
	if overdue.Event != "gate.overdue" || overdue.Step.ID != "approve" || overdue.Step.EscalateTo != "cto" ||
		strings.Join(overdue.Step.Holders, ",") != "editor@example.com" || overdue.Step.Waited != "2h1m0s" ||
		!strings.Contains(overdue.Text, "“Approve” has waited 2h1m0s for a sign-off from qa (viewer@example.com), rm (owner@example.com); its escalation path goes to cto (editor@example.com).") {
		t.Errorf("gate.overdue: %+v", overdue)
	}

	// Once escalated, the gate is no longer overdue.
	d.record(t, d.editor, v.Release.ID, workspace.RecordRequest{Type: release.TypeEscalate, Step: "approve", Note: "QA is out"})
	d.f.clock.add(3 * time.Hour)
	sweep(0)
}
