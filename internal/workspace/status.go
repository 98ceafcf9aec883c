package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
)

// transitions are the SOP status workflow: which status may follow which.
var transitions = map[relsop.Status][]relsop.Status{
	relsop.StatusDraft:    {relsop.StatusInReview},
	relsop.StatusInReview: {relsop.StatusApproved, relsop.StatusDraft},
	relsop.StatusApproved: {relsop.StatusRetired, relsop.StatusDraft},
	relsop.StatusRetired:  {relsop.StatusDraft},
}

// SetStatus moves an SOP along its workflow — draft, in review, approved,
// retired — as a new revision that records who did it. Only someone who
// wrote none of the changes since the last approval may approve.
func (s *Service) SetStatus(ctx context.Context, id int64, to relsop.Status, base int) (*relsop.Document, error) {
	d, m, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if base != d.Revision {
		return nil, staleBase(base, d.Revision)
	}
	if d.Seq != d.RevisionSeq {
		// Live edits the caller is looking at: they become a revision of
		// their own first, so that their authors count for approval.
		if d, err = s.checkpoint(ctx, d); err != nil {
			return nil, err
		}
		base = d.Revision
	}
	if !slices.Contains(relsop.Statuses, to) {
		return nil, relsop.Errorf(relsop.EINVALID, "The status must be one of draft, in-review, approved, retired, not %q.", to)
	}
	if !slices.Contains(transitions[d.Status], to) {
		return nil, relsop.Errorf(relsop.EINVALID, "An SOP that is %s cannot become %s; from %s it can become %s.", d.Status, to, d.Status, statusList(transitions[d.Status]))
	}
	var rv *Review // read only when needed: approval is refused to its authors, and the emails name them
	if to == relsop.StatusApproved || s.mail != nil {
		if rv, err = s.review(ctx, d); err != nil {
			return nil, err
		}
	}
	if to == relsop.StatusApproved {
		if ok, why := rv.MayApprove(m); !ok {
			return nil, relsop.Errorf(relsop.EFORBIDDEN, "%s", why)
		}
	}
	res, err := edit.ApplyOps(d.Source, []edit.Op{{Op: "set", Kind: "sop", Field: "status", Value: string(to)}})
	if err != nil {
		return nil, err
	}
	a, err := analyse(res.Source)
	if err != nil {
		return nil, err
	}
	from := d.Status
	msg := fmt.Sprintf("%s%s → %s", StatusPrefix, from, to)
	if d, err = s.saveRevision(ctx, d, m.UserID, res.Source, a, base, msg); err != nil {
		return nil, err
	}
	s.mailReview(ctx, d, from, rv, m)
	s.postReview(ctx, d, from, m)
	return d, nil
}

func statusList(ss []relsop.Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " or ")
}
