package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/notify"
	"github.com/relsop/relsop/internal/release"
)

// Release events for the workspace's webhooks (webhooks.go). Each record
// stored may make several: a sign-off that decides a gate makes
// gate.decided, and the next gate ready makes gate.waiting.

type baseURLKey struct{}

// WithBaseURL returns a context carrying the address people open the
// workspace at, so that notifications link to the release.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, strings.TrimRight(base, "/"))
}

// Event is the JSON body posted to a webhook (docs/webhooks.md).
type Event struct {
	Event     string        `json:"event"`
	Text      string        `json:"text"` // one line for a chat channel; user text escaped for Slack
	At        time.Time     `json:"at"`
	By        string        `json:"by,omitempty"`
	Workspace EventRef      `json:"workspace"`
	SOP       EventRef      `json:"sop"`
	Release   *EventRelease `json:"release,omitempty"` // absent for sop.* events
	Step      *EventStep    `json:"step,omitempty"`
	Review    *EventReview  `json:"review,omitempty"` // sop.* events only
}

// EventReview is the review an sop.* event is about.
type EventReview struct {
	Status   string `json:"status"`   // the SOP's status now
	Revision int    `json:"revision"` // the revision that recorded it
	URL      string `json:"url,omitempty"`
	// Due, Overdue and WaitsFor are for sop.review_due: the day the
	// scheduled review falls due, whether that day has passed, and the
	// emails of those who keep the SOP.
	Due      string   `json:"due,omitempty"`
	Overdue  bool     `json:"overdue,omitempty"`
	WaitsFor []string `json:"waits_for,omitempty"`
}

// EventRef names a workspace or an SOP.
type EventRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// EventRelease is the release an event is about.
type EventRelease struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ReleaseType string `json:"release_type,omitempty"`
	Rehearsal   bool   `json:"rehearsal"`
	State       string `json:"state"`
	Revision    int    `json:"revision"`
	URL         string `json:"url,omitempty"`
	// Lessons, on release.finished and release.aborted of a release that
	// is no rehearsal: why it suggests reviewing its SOP (lessons.go).
	Lessons []string `json:"lessons,omitempty"`
}

// EventStep is the step or gate an event is about.
type EventStep struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Outcome string `json:"outcome,omitempty"`
	// WaitsFor: for a gate waiting, each role still to sign it and the
	// people who hold it (none: anyone may); for a gate escalated where
	// it is, the escalation role that now decides it and its holders.
	WaitsFor map[string][]string `json:"waits_for,omitempty"`
	Note     string              `json:"note,omitempty"`
	// For gate.overdue: how long it has waited, the role its escalation
	// path goes to and who holds it (none: anyone may). gate.escalated
	// has EscalateTo too.
	Waited     string   `json:"waited,omitempty"`
	EscalateTo string   `json:"escalate_to,omitempty"`
	Holders    []string `json:"holders,omitempty"`
	// For step.late: how long past its SLA it is.
	Late string `json:"late,omitempty"`
}

// before is what a release looked like before a record, to tell what the
// record changed.
type before struct {
	ready     []string
	decisions int
	state     string
}

func snapshot(r *release.Run) before {
	return before{ready: r.ReadySteps(), decisions: len(r.Decisions), state: r.RunState()}
}

// changes lists the events record rec made, given the release before it.
func changes(r *release.Run, was before, rec release.Record) []Event {
	var out []Event
	step := func(id string) *EventStep {
		st := r.State(id)
		if st == nil {
			return &EventStep{ID: id}
		}
		return &EventStep{ID: id, Name: st.Step.Name, Kind: string(st.Step.Kind)}
	}
	for _, d := range r.Decisions[was.decisions:] {
		es := step(d.Gate)
		es.Outcome = d.Outcome
		out = append(out, Event{Event: "gate.decided", Step: es})
	}
	if rec.Type == release.TypeEscalate {
		es := step(rec.Step)
		es.Note = rec.Note
		if st := r.State(rec.Step); st != nil && st.Step.Escalation != nil {
			esc := st.Step.Escalation
			es.EscalateTo = esc.Role
			if esc.To == "" { // the escalation role now decides the gate where it is
				es.WaitsFor = map[string][]string{esc.Role: slices.Clone(r.Holders(esc.Role))}
			}
		}
		out = append(out, Event{Event: "gate.escalated", Step: es})
	}
	if rec.Type == release.TypeFail {
		es := step(rec.Step)
		es.Note = rec.Note
		out = append(out, Event{Event: "step.failed", Step: es})
	}
	for _, id := range r.ReadySteps() {
		if st := r.State(id); st != nil && st.Step.IsGate() && !slices.Contains(was.ready, id) {
			es := step(id)
			es.WaitsFor = waitsFor(r, id)
			out = append(out, Event{Event: "gate.waiting", Step: es})
		}
	}
	if state := r.RunState(); state != was.state {
		switch state {
		case "finished":
			out = append(out, Event{Event: "release.finished"})
		case "aborted":
			out = append(out, Event{Event: "release.aborted"})
		}
	}
	return out
}

// waitsFor maps each role still to sign gate id to its holders.
func waitsFor(r *release.Run, id string) map[string][]string {
	out := map[string][]string{}
	for _, role := range r.Unsigned(id) {
		out[role] = slices.Clone(r.Holders(role))
	}
	return out
}

// emit fills in the events about release rel, made by record rec, and
// hands them to the workspace's webhooks and to the notification emails.
// A notification that cannot be sent never fails the record: it is
// logged.
func (s *Service) emit(ctx context.Context, o *openedRelease, rec release.Record, events []Event) {
	if len(events) == 0 {
		return
	}
	var hooks []relsop.Webhook
	if s.notify != nil {
		var err error
		if hooks, err = s.store.Webhooks(ctx, o.doc.WorkspaceID); err != nil {
			slog.Default().WarnContext(ctx, "webhooks not read; release events not posted", slog.Any("err", err))
		}
	}
	if len(hooks) == 0 && s.mail == nil {
		return // most workspaces: nobody to tell
	}
	ws, err := s.store.WorkspaceByID(ctx, o.doc.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "workspace not read; release events not sent", slog.Any("err", err))
		return
	}
	rel := o.rel
	link := s.link(ctx, fmt.Sprintf("/#/sops/%d/releases/%d", rel.DocumentID, rel.ID))
	for i := range events {
		e := &events[i]
		e.At, e.By = rec.At.UTC(), rec.By
		e.Workspace = EventRef{ID: ws.ID, Title: ws.Name}
		e.SOP = EventRef{ID: o.doc.ID, Title: o.doc.Title}
		e.Release = &EventRelease{ID: rel.ID, Name: rel.Name, ReleaseType: rel.ReleaseType, Rehearsal: rel.Rehearsal,
			State: string(rel.State), Revision: rel.Revision, URL: link}
		if (e.Event == "release.finished" || e.Event == "release.aborted") && !rel.Rehearsal && o.run != nil {
			e.Release.Lessons = o.run.Lessons()
		}
		e.Text = eventText(*e, rec)
	}
	s.post(hooks, events)
	s.mailEvents(ctx, o, rec, events)
}

// post queues events for the webhooks that want them.
func (s *Service) post(hooks []relsop.Webhook, events []Event) {
	for _, e := range events {
		body, err := json.Marshal(e)
		if err != nil {
			continue // cannot happen: every field marshals
		}
		for _, h := range hooks {
			if slices.Contains(h.Events, e.Event) {
				s.notify.Enqueue(notify.Delivery{Hook: h, Event: e.Event, Body: body})
			}
		}
	}
}

// eventText is the one line a chat channel shows. The names in it are
// user text: slackText escapes them so that a release named
// "<!channel>" cannot notify a whole channel.
func eventText(e Event, rec release.Record) string {
	what := fmt.Sprintf("Release %s of %s", e.Release.Name, e.SOP.Title)
	if e.Release.Rehearsal {
		what += " (rehearsal)"
	}
	var b strings.Builder
	b.WriteString(slackText(what))
	name := func() string {
		if e.Step.Name != "" {
			return "“" + slackText(e.Step.Name) + "”"
		}
		return slackText(e.Step.ID)
	}
	switch e.Event {
	case "release.started":
		fmt.Fprintf(&b, " started by %s.", slackText(e.By))
	case "gate.waiting":
		fmt.Fprintf(&b, ": %s waits for a sign-off from %s.", name(), slackText(waitList(e.Step.WaitsFor)))
	case "gate.decided":
		fmt.Fprintf(&b, ": %s decided %s.", name(), slackText(e.Step.Outcome))
	case "gate.escalated":
		to := e.Step.EscalateTo
		if len(e.Step.WaitsFor) > 0 {
			to = waitList(e.Step.WaitsFor)
		}
		fmt.Fprintf(&b, ": %s escalated by %s to %s.", name(), slackText(e.By), slackText(to))
	case "step.failed":
		fmt.Fprintf(&b, ": %s failed (%s).", name(), slackText(e.By))
	case "gate.overdue":
		to := e.Step.EscalateTo
		if len(e.Step.Holders) > 0 {
			to += " (" + strings.Join(e.Step.Holders, " or ") + ")"
		}
		fmt.Fprintf(&b, ": %s has waited %s for a sign-off from %s; its escalation path goes to %s.",
			name(), e.Step.Waited, slackText(waitList(e.Step.WaitsFor)), slackText(to))
	case "step.late":
		fmt.Fprintf(&b, ": %s is %s past its SLA.", name(), e.Step.Late)
	case "release.finished":
		b.WriteString(" finished.")
	case "release.aborted":
		fmt.Fprintf(&b, " aborted by %s.", slackText(e.By))
	}
	if rec.Note != "" && (e.Event == "gate.escalated" || e.Event == "step.failed" || e.Event == "release.aborted") {
		b.WriteString(" " + slackText(oneLine(rec.Note, 300)))
	}
	if len(e.Release.Lessons) > 0 {
		b.WriteString(" Review suggested: " + slackText(strings.Join(e.Release.Lessons, "; ")) + ".")
	}
	if e.Release.URL != "" {
		fmt.Fprintf(&b, " <%s|Open the release>", e.Release.URL)
	}
	return b.String()
}

// waitList reads "qa (viewer@example.com), rm (owner@example.com)".
func waitList(w map[string][]string) string {
	var parts []string
	for _, role := range slices.Sorted(maps.Keys(w)) {
		if len(w[role]) == 0 {
			parts = append(parts, role)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", role, strings.Join(w[role], " or ")))
	}
	if len(parts) == 0 {
		return "no one"
	}
	return strings.Join(parts, ", ")
}

// slackText escapes what Slack's message format reads as markup: &, <
// and > (links, @channel and user mentions start with <).
func slackText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// oneLine keeps a note to one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
