package workspace

import (
	"context"
	"time"

	"github.com/relsop/relsop"
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
	revs, err := s.store.Revisions(ctx, d.ID)
	if err != nil {
		return time.Time{}, err
	}
	var at time.Time
	for i, r := range revs { // newest first
		if r.Status == relsop.StatusApproved && (i+1 == len(revs) || revs[i+1].Status != relsop.StatusApproved) {
			at = r.CreatedAt
			break
		}
	}
	// The editor opened this source just before: its analysis is cached.
	if a, err := s.opened.get(d.Source, s.now().UTC().Format(time.DateOnly)); err == nil && !a.sop.Review.LastReviewed.IsZero() {
		if day := a.sop.Review.LastReviewed.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Nanosecond); day.After(at) {
			at = day
		}
	}
	return at, nil
}
