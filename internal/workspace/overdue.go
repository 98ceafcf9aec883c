package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
)

// Overdue rounds: relsop serve looks over the releases in progress every
// minute and tells the webhooks, once, when a gate has waited past the
// time its escalation path names (gate.overdue) and when a step runs past
// its SLA (step.late), and mails the people they are for (mail.go). Nothing is recorded in the trail: whether to
// escalate is for people to decide, and their decision is the record.

// maxSweepReleases bounds the releases one round looks at.
const maxSweepReleases = 1000

// SweepOverdue sends the overdue and late alerts due now and returns how
// many it sent. Each is claimed in the store before it is sent, so that
// several servers, or a round after a restart, send it once.
func (s *Service) SweepOverdue(ctx context.Context) (int, error) {
	if s.notify == nil && s.mail == nil {
		return 0, nil
	}
	rels, err := s.store.WorkspaceReleases(ctx, 0, relsop.ReleaseInProgress, maxSweepReleases)
	if err != nil {
		return 0, err
	}
	sent := 0
	for i := range rels {
		n, err := s.sweepRelease(ctx, &rels[i])
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// overdueAlert is an alert due for one release, with the key that makes
// it once: the step and when it became ready (a gate that comes back
// after a no-go waits anew).
type overdueAlert struct {
	key   string
	event Event
}

func (s *Service) sweepRelease(ctx context.Context, rel *relsop.Release) (int, error) {
	e, err := s.runs.get(ctx, s, rel)
	if err != nil {
		return 0, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.run
	if r == nil || len(e.problems) > 0 {
		return 0, nil // the release shows its problems to whoever opens it
	}
	now := s.now()
	due := dueAlerts(r, now)
	if len(due) == 0 {
		return 0, nil
	}
	doc, err := s.store.DocumentByID(ctx, rel.DocumentID)
	if err != nil {
		return 0, err
	}
	hooks, err := s.store.Webhooks(ctx, doc.WorkspaceID)
	if err != nil {
		return 0, err
	}
	mailed := s.overdueMailed(ctx, doc.WorkspaceID, rel)
	var events []Event
	for _, a := range due {
		wanted := slices.ContainsFunc(hooks, func(h relsop.Webhook) bool { return slices.Contains(h.Events, a.event.Event) })
		if !wanted {
			if wanted, err = mailed(a.event); err != nil {
				return 0, err
			}
		}
		if !wanted {
			continue // not claimed: a webhook added, or a member who joins, while it is still due hears of it
		}
		claimed, err := s.store.ClaimReleaseAlert(ctx, rel.ID, a.key)
		if err != nil {
			return 0, err
		}
		if claimed {
			events = append(events, a.event)
		}
	}
	s.emit(ctx, &openedRelease{rel: rel, doc: doc, run: r}, release.Record{At: now}, events)
	return len(events), nil
}

// overdueMailed returns whether an alert of release rel would mail
// anyone now: someone it is for (mailedAbout) who is still a member and
// gets an email each time. Without one, the alert is left unclaimed. The
// members are read at the first question only: an alert a webhook wants,
// due again every minute, needs none.
func (s *Service) overdueMailed(ctx context.Context, workspaceID int64, rel *relsop.Release) func(Event) (bool, error) {
	var to recipients
	return func(e Event) (bool, error) {
		if s.mail == nil {
			return false, nil
		}
		if to == nil {
			var err error
			if to, err = s.recipients(ctx, workspaceID); err != nil {
				return false, err
			}
		}
		starter := to.emailOf(rel.CreatedBy)
		return slices.ContainsFunc(mailedAbout(e, starter), func(a addressee) bool { _, ok := to[strings.ToLower(a.email)]; return ok }), nil
	}
}

// dueAlerts lists the alerts due now for a release: each gate ready past
// its escalation time and not escalated, each step ready past its SLA.
func dueAlerts(r *release.Run, now time.Time) []overdueAlert {
	var out []overdueAlert
	st := r.Status(now)
	for _, rs := range st.Ready {
		step := &EventStep{ID: rs.Step, Name: rs.Name, Kind: rs.Kind}
		since := rs.Since.Unix()
		if rs.EscalateAt != nil && !now.Before(*rs.EscalateAt) {
			es := *step
			es.WaitsFor, es.EscalateTo = waitsFor(r, rs.Step), rs.EscalateTo
			es.Holders = slices.Clone(r.Holders(rs.EscalateTo))
			es.Waited = now.Sub(rs.Since).Round(time.Minute).String()
			out = append(out, overdueAlert{key: fmt.Sprintf("overdue:%s:%d", rs.Step, since), event: Event{Event: "gate.overdue", Step: &es}})
		}
		if rs.Late != "" {
			es := *step
			es.Late = rs.Late
			out = append(out, overdueAlert{key: fmt.Sprintf("late:%s:%d", rs.Step, since), event: Event{Event: "step.late", Step: &es}})
		}
	}
	return out
}
