package server

import (
	"net/http"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// The inbox: what waits for the caller in a workspace (docs/api.md).

type waitingGateJSON struct {
	Release    releaseJSON       `json:"release"`
	Gate       release.ReadyStep `json:"gate"`
	Roles      []string          `json:"roles"`
	Overdue    bool              `json:"overdue"`
	Escalation string            `json:"escalation,omitempty"`
}

// mentionJSON is a comment with the SOP it is on.
type mentionJSON struct {
	commentJSON
	SOPID    int64  `json:"sop_id"`
	SOPTitle string `json:"sop_title"`
}

// suggestedJSON is an SOP whose last releases suggest reviewing it, for
// the member who kept it in them.
type suggestedJSON struct {
	SOP documentJSON `json:"sop"`
	suggestionJSON
}

// dueJSON is an approved SOP whose scheduled review falls due within a
// week or is overdue, for the member who keeps it.
type dueJSON struct {
	SOP     documentJSON `json:"sop"`
	Due     string       `json:"due"` // YYYY-MM-DD
	Overdue bool         `json:"overdue"`
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	in, err := s.svc.Inbox(r.Context(), ws)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"gates": list(in.Gates, func(g workspace.WaitingGate) waitingGateJSON {
			return waitingGateJSON{Release: releaseView(g.Release), Gate: g.Gate, Roles: nonNil(g.Roles), Overdue: g.Overdue, Escalation: g.Escalation}
		}),
		"reviews": list(in.Reviews, waitingReviewView),
		"mentions": list(in.Mentions, func(c relsop.Comment) mentionJSON {
			return mentionJSON{commentJSON: commentView(c), SOPID: c.DocumentID, SOPTitle: c.SOPTitle}
		}),
		"suggested": list(in.Suggested, func(sg workspace.SuggestedReview) suggestedJSON {
			return suggestedJSON{SOP: documentView(&sg.Document, false), suggestionJSON: suggestionView(&sg.ReviewSuggestion)}
		}),
		"due": list(in.Due, func(r workspace.DueReview) dueJSON {
			return dueJSON{SOP: documentView(&r.Document, false), Due: r.Document.ReviewDue, Overdue: r.Overdue}
		}),
	})
	return nil
}
