package workspace

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/relsop/relsop"
)

// Scheduled reviews: an SOP states how often it is reviewed
// (review.cadence) and when it last was (review.last_reviewed), and
// lint's review-freshness rule warns once the review is overdue. The
// inbox brings an approved SOP's review to whoever keeps it from a week
// before it falls due, so that it is done on time rather than found
// late in a lint report. Each document keeps the date, derived from its
// source whenever a revision is saved (Document.ReviewDue), so that the
// inbox reads the due SOPs without reading every SOP.

// reviewNotice is how long before its review falls due an SOP is listed.
const reviewNotice = 7 * 24 * time.Hour

// maxInboxDue bounds the SOPs due for review the inbox lists.
const maxInboxDue = 50

// DueReview is an approved SOP whose scheduled review falls due soon or
// is overdue, as the inbox lists it for the member it waits for.
type DueReview struct {
	Document relsop.Document // without its source; ReviewDue is the day it falls due
	// Overdue: the member's today is after that day.
	Overdue bool
}

// reviewDue is the date (YYYY-MM-DD) an SOP's scheduled review falls
// due, "" when it states no cadence or no last review.
func reviewDue(sop *relsop.SOP) string {
	due := sop.Review.Due()
	if due.IsZero() {
		return ""
	}
	return due.Format(time.DateOnly)
}

// dueReviews lists the approved SOPs of m's workspace whose scheduled
// review falls due within a week of the member's today, or is overdue,
// and waits for m (signed in as by), the longest due first. Only
// editors may change an SOP, so only they are asked. An SOP in skip (its
// releases already suggest a review) is left out: one review does both.
func (s *Service) dueReviews(ctx context.Context, m *relsop.Member, by string, skip []SuggestedReview) ([]DueReview, error) {
	out := []DueReview{}
	if m.Role.Rank() < relsop.RoleEditor.Rank() {
		return out, nil
	}
	today := s.today(ctx)
	docs, err := s.store.ReviewsDue(ctx, m.WorkspaceID, today.Add(reviewNotice).Format(time.DateOnly), maxInboxDue)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		d := &docs[i]
		if slices.ContainsFunc(skip, func(sg SuggestedReview) bool { return sg.Document.ID == d.ID }) {
			continue
		}
		k, err := s.keeperOf(ctx, d)
		if err != nil {
			return nil, err
		}
		if k.keeps(m, by) {
			out = append(out, DueReview{Document: *d, Overdue: pastDay(d.ReviewDue, today)})
		}
	}
	return out, nil
}

// pastDay says whether day (YYYY-MM-DD) is before today: ISO dates
// compare as text.
func pastDay(day string, today time.Time) bool { return day < today.Format(time.DateOnly) }

// today is the signed-in user's date, in their time zone, as midnight
// UTC: the dates of reviews are days, not instants.
func (s *Service) today(ctx context.Context) time.Time {
	var zone string
	if u := UserFrom(ctx); u != nil {
		zone = u.TimeZone
	}
	y, mo, d := s.now().In(s.zoneOf(zone)).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// keeper is who keeps an SOP, whom its scheduled review waits for:
// whoever kept it in its latest release (keptBy, as for the lessons of a
// release), or, for an SOP never released, the workspace's owners, who
// answer for all its SOPs.
type keeper struct {
	rel *relsop.Release // its latest release with a sound trail; nil when none
	e   *replayed       // that release's replay
}

// keeperOf reads who keeps SOP d.
func (s *Service) keeperOf(ctx context.Context, d *relsop.Document) (keeper, error) {
	rels, err := s.store.Releases(ctx, d.ID)
	if err != nil {
		return keeper{}, err
	}
	for i := range rels {
		e, err := s.runs.get(ctx, s, &rels[i])
		if err != nil {
			return keeper{}, err
		}
		e.mu.Lock()
		ok := e.run != nil && len(e.problems) == 0
		e.mu.Unlock()
		if ok {
			return keeper{rel: &rels[i], e: e}, nil
		}
		// A trail with problems names no one for sure: the release before.
	}
	return keeper{}, nil
}

// keeps says whether member m, signed in as by, keeps the SOP.
func (k keeper) keeps(m *relsop.Member, by string) bool {
	if k.rel == nil {
		return m.Role == relsop.RoleOwner
	}
	k.e.mu.Lock()
	defer k.e.mu.Unlock()
	return keptBy(k.e.run, k.rel, m, by)
}

// why says, in a phrase, why the review waits for a keeper.
func (k keeper) why() string {
	if k.rel == nil {
		return "you own the workspace, and the SOP has not been released yet"
	}
	return fmt.Sprintf("you kept the SOP in its latest release, %s", k.rel.Name)
}

// DeriveReviewDates gives the documents saved before the store kept
// review dates theirs (store.UnderivedDocuments), from their latest
// source, and returns how many. The server runs it as it starts; it is
// quick when there are none.
func (s *Service) DeriveReviewDates(ctx context.Context) (int, error) {
	const batch = 100
	n := 0
	for {
		ids, err := s.store.UnderivedDocuments(ctx, batch)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			d, err := s.store.DocumentByID(ctx, id)
			if err != nil {
				return n, err
			}
			due := ""
			if sop, err := load(d.Source); err == nil {
				due = reviewDue(sop)
			} // a source that does not load states no date
			if err := s.store.SetReviewDue(ctx, id, due); err != nil {
				return n, err
			}
			n++
		}
	}
}
