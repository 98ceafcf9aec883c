package workspace

import (
	"context"
	"slices"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
)

// Lessons of releases: review the SOP after major releases and incidents,
// not only on its cadence (the seed's "review and update the SOP after
// major releases or incidents"; internal/release/lessons.go says which
// releases count). The SOP's releases say when the last such release
// ended after the SOP was last approved or reviewed, so that the editor
// can ask for a review while the lesson is fresh.

// ReviewSuggestion is a release that suggests reviewing its SOP: it
// ended after the SOP was last approved or reviewed, and its lessons say
// why.
type ReviewSuggestion struct {
	Release relsop.Release
	Ended   time.Time
	Lessons []string
	// Since is when the SOP was last approved or reviewed (the later of
	// the two); zero when never.
	Since time.Time
}

// maxLessonReleases bounds the ended releases looked at, newest first.
const maxLessonReleases = 20

// suggestedReview returns the newest of rels, the releases of SOP d, that
// suggests reviewing it, or nil. Rehearsals teach nothing about the
// SOP's real use and are left out.
func (s *Service) suggestedReview(ctx context.Context, d *relsop.Document, rels []relsop.Release) (*ReviewSuggestion, error) {
	var err error
	var since time.Time
	sinceRead := false
	looked := 0
	for i := range rels {
		rel := &rels[i]
		if rel.Rehearsal || rel.State == relsop.ReleaseInProgress {
			continue
		}
		if looked++; looked > maxLessonReleases {
			break
		}
		if !sinceRead { // only an SOP with an ended release pays for this
			if since, err = s.lastReviewed(ctx, d); err != nil {
				return nil, err
			}
			sinceRead = true
		}
		if !rel.UpdatedAt.After(since) {
			continue // it ended before: the review has seen it
		}
		e, err := s.runs.get(ctx, s, rel)
		if err != nil {
			return nil, err
		}
		e.mu.Lock()
		var lessons []string
		var ended time.Time
		if e.run != nil && len(e.problems) == 0 {
			lessons, ended = e.run.Lessons(), e.run.Ended
		}
		e.mu.Unlock()
		if len(lessons) > 0 && ended.After(since) {
			return &ReviewSuggestion{Release: *rel, Ended: ended, Lessons: lessons, Since: since}, nil
		}
	}
	return nil, nil
}

// lastReviewed is when SOP d was last approved (the revision that made
// it approved) or reviewed (its review.last_reviewed date, to the end of
// that day: a review recorded on the day a release ended counts),
// whichever is later.
func (s *Service) lastReviewed(ctx context.Context, d *relsop.Document) (time.Time, error) {
	rv, err := s.review(ctx, d)
	if err != nil {
		return time.Time{}, err
	}
	at := rv.ApprovedAt
	// Its analysis is cached by source: the editor opened it just before,
	// or an earlier inbox read it.
	if a, err := s.opened.get(d.Source, s.now().UTC().Format(time.DateOnly)); err == nil && !a.sop.Review.LastReviewed.IsZero() {
		if day := a.sop.Review.LastReviewed.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Nanosecond); day.After(at) {
			at = day
		}
	}
	return at, nil
}

// SuggestedReview is an SOP whose releases suggest reviewing it, as the
// inbox lists it for the member the review waits for.
type SuggestedReview struct {
	Document relsop.Document // without its source
	ReviewSuggestion
}

// maxInboxLessonReleases bounds the workspace's latest releases the inbox
// looks at for lessons.
const maxInboxLessonReleases = 50

// suggestedReviews lists the SOPs of m's workspace whose last ended
// releases suggest a review that waits for m (signed in as by), the
// longest waiting first. Only editors may change an SOP, so only they
// are asked; an SOP already in review (the review is under way), retired
// or archived is left out.
func (s *Service) suggestedReviews(ctx context.Context, m *relsop.Member, by string) ([]SuggestedReview, error) {
	out := []SuggestedReview{}
	if m.Role.Rank() < relsop.RoleEditor.Rank() {
		return out, nil
	}
	rels, err := s.store.WorkspaceReleases(ctx, m.WorkspaceID, "", maxInboxLessonReleases)
	if err != nil {
		return nil, err
	}
	byDoc := map[int64][]relsop.Release{}
	var docs []int64 // in the order of their latest release
	for _, rel := range rels {
		if rel.Rehearsal || rel.State == relsop.ReleaseInProgress {
			continue
		}
		if byDoc[rel.DocumentID] == nil {
			docs = append(docs, rel.DocumentID)
		}
		byDoc[rel.DocumentID] = append(byDoc[rel.DocumentID], rel)
	}
	for _, id := range docs {
		// Most ended releases teach nothing, or not to m: those SOPs are
		// not read. The replays are cached.
		if !slices.ContainsFunc(byDoc[id], func(rel relsop.Release) bool { return s.reviewWaitsFor(ctx, &rel, m, by) }) {
			continue
		}
		d, err := s.store.DocumentByID(ctx, id)
		if relsop.ErrorCode(err) == relsop.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if d.Archived || d.Status == relsop.StatusInReview || d.Status == relsop.StatusRetired {
			continue
		}
		sg, err := s.suggestedReview(ctx, d, byDoc[id])
		if err != nil {
			return nil, err
		}
		if sg == nil || !s.reviewWaitsFor(ctx, &sg.Release, m, by) {
			continue
		}
		d.Source = nil
		out = append(out, SuggestedReview{Document: *d, ReviewSuggestion: *sg})
	}
	slices.SortStableFunc(out, func(a, b SuggestedReview) int { return a.Ended.Compare(b.Ended) })
	return out, nil
}

// reviewWaitsFor says whether the review that release rel suggests (if
// it suggests one) waits for member m, signed in as by: for whoever held
// the SOP's owner role in the release's roster, or, when the roster names
// nobody for it, for the member who started the release. They lived
// through it and keep the procedure.
func (s *Service) reviewWaitsFor(ctx context.Context, rel *relsop.Release, m *relsop.Member, by string) bool {
	e, err := s.runs.get(ctx, s, rel)
	if err != nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.run
	if r == nil || len(e.problems) > 0 || len(r.Lessons()) == 0 {
		return false
	}
	return keptBy(r, rel, m, by)
}

// keptBy says whether member m, signed in as by, kept the SOP in release
// rel, replayed as r: held the SOP's owner role in its roster, or, when
// the roster names nobody for it, started it. The caller holds the
// replay's lock.
func keptBy(r *release.Run, rel *relsop.Release, m *relsop.Member, by string) bool {
	if len(r.Holders(r.SOP.Owner)) > 0 {
		return r.Holds(r.SOP.Owner, by)
	}
	return rel.CreatedBy == m.UserID
}
