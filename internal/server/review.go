package server

import (
	"net/http"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// Reviews (docs/api.md): where an SOP stands in its review, for the
// review page, and the SOPs in review waiting for the caller, for the
// inbox.

// reviewJSON is GET /api/sops/{id}/review.
type reviewJSON struct {
	Status relsop.Status `json:"status"`
	// Submitted is the revision that put the SOP in review; absent when
	// it is not in review.
	Submitted *revisionJSON `json:"submitted,omitempty"`
	// Approved is the last approved revision, 0 when never.
	Approved int `json:"approved"`
	// Authors changed it since then; none of them may approve it.
	Authors    []string `json:"authors"`
	MayApprove bool     `json:"may_approve"`
	// Why the caller may not approve it, when they may not.
	Why string `json:"why,omitempty"`
}

func (s *Server) getReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rv, m, err := s.svc.ReviewOf(r.Context(), id)
	if err != nil {
		return err
	}
	v := reviewJSON{Status: rv.Status, Approved: rv.Approved, Authors: nonNil(rv.AuthorNames)}
	if rv.Submitted != nil {
		sub := revisionView(*rv.Submitted, false)
		v.Submitted = &sub
	}
	v.MayApprove, v.Why = rv.MayApprove(m)
	writeJSON(w, http.StatusOK, v)
	return nil
}

// waitingReviewJSON is an SOP in review in the inbox.
type waitingReviewJSON struct {
	SOP         documentJSON `json:"sop"`
	SubmittedBy string       `json:"submitted_by"`
	Since       time.Time    `json:"since"`
	Approved    int          `json:"approved"`
}

func waitingReviewView(rv workspace.WaitingReview) waitingReviewJSON {
	return waitingReviewJSON{SOP: documentView(&rv.Document, false), SubmittedBy: rv.SubmittedBy, Since: rv.Since.UTC(), Approved: rv.Approved}
}
