package workspace

import (
	"context"
	"slices"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
)

// The inbox: what waits for the signed-in member in a workspace. A gate
// waits for the people its release's roster names for its roles (and,
// once overdue, for those who hold its escalation role), and a comment
// for the members it mentions, an SOP in review for the editors who
// may approve it, an SOP whose last release went wrong for the editor
// who kept it in that release (lessons.go), and an SOP whose scheduled
// review falls due for whoever keeps it (scheduled.go); without the inbox
// they would find out only by opening the right release or the right SOP.

// Inbox bounds: the releases in progress looked at (each trail is
// replayed) and the mentions listed.
const (
	maxInboxReleases = 100
	maxInboxMentions = 50
)

// Inbox is what waits for one member.
type Inbox struct {
	// Gates are the gates ready now that the member may sign, oldest
	// waiting first.
	Gates []WaitingGate
	// Reviews are the SOPs in review the member may approve, the longest
	// waiting first.
	Reviews []WaitingReview
	// Mentions are the comments that mention the member and that they have
	// not answered, newest first.
	Mentions []relsop.Comment
	// Suggested are the SOPs whose releases suggest a review that waits
	// for the member (lessons.go), the longest waiting first.
	Suggested []SuggestedReview
	// Due are the approved SOPs whose scheduled review falls due within a
	// week or is overdue, and waits for the member (scheduled.go), the
	// longest due first; not those already in Suggested.
	Due []DueReview
}

// WaitingGate is a gate of a release in progress that waits for the
// member: for their sign-off, or, once it is overdue, for them to decide
// on its escalation.
type WaitingGate struct {
	Release relsop.Release
	Gate    release.ReadyStep
	// Roles are the roles the member may sign it for; none when it waits
	// for them only as the holder of its escalation role.
	Roles []string
	// Overdue: it has waited past its escalation time and is not
	// escalated.
	Overdue bool
	// Escalation is the escalation role the member holds, for a gate that
	// is overdue: whoever holds it decides once the gate is escalated.
	Escalation string
}

// Inbox returns what waits for the signed-in member in a workspace.
func (s *Service) Inbox(ctx context.Context, workspaceID int64) (*Inbox, error) {
	m, err := s.access(ctx, workspaceID, relsop.RoleViewer, "workspace")
	if err != nil {
		return nil, err
	}
	rels, err := s.store.WorkspaceReleases(ctx, workspaceID, relsop.ReleaseInProgress, maxInboxReleases)
	if err != nil {
		return nil, err
	}
	in := &Inbox{Gates: []WaitingGate{}}
	by := UserFrom(ctx).Email
	for i := range rels {
		gates, err := s.waitingGates(ctx, &rels[i], by)
		if err != nil {
			return nil, err
		}
		in.Gates = append(in.Gates, gates...)
	}
	slices.SortStableFunc(in.Gates, func(a, b WaitingGate) int { return a.Gate.Since.Compare(b.Gate.Since) })
	if in.Reviews, err = s.waitingReviews(ctx, m); err != nil {
		return nil, err
	}
	if in.Mentions, err = s.store.Mentions(ctx, workspaceID, m.UserID, maxInboxMentions); err != nil {
		return nil, err
	}
	if in.Suggested, err = s.suggestedReviews(ctx, m, by); err != nil {
		return nil, err
	}
	if in.Due, err = s.dueReviews(ctx, m, by, in.Suggested); err != nil {
		return nil, err
	}
	return in, nil
}

// waitingGates replays a release's trail and returns its gates ready now
// that by may sign. A trail with problems takes no sign-offs (the release
// itself says why), so it has none.
func (s *Service) waitingGates(ctx context.Context, rel *relsop.Release, by string) ([]WaitingGate, error) {
	e, err := s.runs.get(ctx, s, rel)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.run
	if r == nil || len(e.problems) > 0 {
		return nil, nil
	}
	var out []WaitingGate
	var status *release.Status
	now := s.now()
	for _, id := range r.ReadySteps() {
		st := r.State(id)
		if st == nil || !st.Step.IsGate() {
			continue
		}
		roles := r.MaySign(id, by)
		esc := st.Step.Escalation
		holdsEscalation := esc != nil && len(r.Holders(esc.Role)) > 0 && r.Holds(esc.Role, by)
		if len(roles) == 0 && !holdsEscalation {
			continue
		}
		if status == nil { // most releases wait for no one in particular: build it only when one may
			st := r.Status(now)
			status = &st
		}
		for _, rs := range status.Ready {
			if rs.Step != id {
				continue
			}
			g := WaitingGate{Release: *rel, Gate: rs, Roles: roles}
			g.Overdue = rs.EscalateAt != nil && !now.Before(*rs.EscalateAt)
			if g.Overdue && holdsEscalation {
				g.Escalation = esc.Role
			}
			if len(g.Roles) > 0 || g.Escalation != "" {
				out = append(out, g)
			}
		}
	}
	return out, nil
}
