package workspace

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/mail"
)

// Reviews: an SOP submitted for review waits for an editor or owner who
// wrote none of its changes since it was last approved (SetStatus
// enforces the same rule). The inbox lists it for them, the review page
// shows what changed and offers the decision, and emails tell the
// reviewers of a submission and the submitter of the decision.

// maxInboxReviews bounds the SOPs in review the inbox looks at.
const maxInboxReviews = 50

// Review is where an SOP stands in its review workflow.
type Review struct {
	Status relsop.Status
	// Submitted is the revision that moved the SOP to in review, when it
	// is in review: who submitted it and when.
	Submitted *relsop.Revision
	// Approved is the number of the last approved revision, 0 if none.
	Approved int
	// ApprovedAt is when the SOP last became approved: the oldest of the
	// approved revisions up to Approved. Zero if never.
	ApprovedAt time.Time
	// Authors are the users who changed the SOP's content since it was
	// last approved (or ever): none of them may approve it.
	Authors map[int64]bool
	// AuthorNames are their names, for the review page, sorted.
	AuthorNames []string
}

// reviewOf reads an SOP's revisions (newest first) into its review state.
func reviewOf(status relsop.Status, revs []relsop.Revision) *Review {
	rv := &Review{Status: status, Authors: map[int64]bool{}}
	names := map[string]bool{}
	inRun := status == relsop.StatusInReview // in the newest revisions, all in review
	for i := range revs {
		r := &revs[i]
		if r.Status == relsop.StatusApproved {
			rv.Approved, rv.ApprovedAt = r.Number, r.CreatedAt
			for _, older := range revs[i+1:] {
				if older.Status != relsop.StatusApproved {
					break
				}
				rv.ApprovedAt = older.CreatedAt
			}
			break
		}
		if inRun = inRun && r.Status == relsop.StatusInReview; inRun {
			rv.Submitted = r // by the end, the oldest of that run: the submission
		}
		if !strings.HasPrefix(r.Message, StatusPrefix) {
			rv.Authors[r.AuthorID] = true
			names[r.AuthorName] = true
			for _, c := range r.Coauthors {
				rv.Authors[c] = true
			}
		}
	}
	for n := range names {
		if n != "" {
			rv.AuthorNames = append(rv.AuthorNames, n)
		}
	}
	slices.Sort(rv.AuthorNames)
	return rv
}

// review reads the review state of document d; it is shared and must
// not be changed.
func (s *Service) review(ctx context.Context, d *relsop.Document) (*Review, error) {
	return s.reviews.get(ctx, s.store, d)
}

// MayApprove says whether member m may approve the SOP in this review
// state, and if not, why, in a sentence for the review page.
func (rv *Review) MayApprove(m *relsop.Member) (bool, string) {
	if rv.Status != relsop.StatusInReview {
		return false, "It is not in review."
	}
	return rv.mayReview(m)
}

// mayReview says whether m may approve the SOP once it is in review: an
// editor or owner who changed none of it since its last approval.
func (rv *Review) mayReview(m *relsop.Member) (bool, string) {
	switch {
	case m.Role.Rank() < relsop.RoleEditor.Rank():
		return false, "Only the workspace's editors and owners approve SOPs; you are a viewer."
	case rv.Authors[m.UserID]:
		return false, "You changed this SOP since it was last approved, so someone else must approve it."
	}
	return true, ""
}

// ReviewOf returns the review state of an SOP and whether the signed-in
// member may approve it, for the review page.
func (s *Service) ReviewOf(ctx context.Context, id int64) (*Review, *relsop.Member, error) {
	d, m, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, nil, err
	}
	rv, err := s.review(ctx, d)
	return rv, m, err
}

// WaitingReview is an SOP in review that the member may approve.
type WaitingReview struct {
	Document    relsop.Document
	SubmittedBy string // the submitter's name
	Since       time.Time
	Approved    int // the last approved revision, 0 if none
}

// waitingReviews lists the SOPs of the workspace in review that member
// m may approve, the longest waiting first.
func (s *Service) waitingReviews(ctx context.Context, m *relsop.Member) ([]WaitingReview, error) {
	out := []WaitingReview{}
	if m.Role.Rank() < relsop.RoleEditor.Rank() {
		return out, nil
	}
	docs, err := s.store.Documents(ctx, relsop.DocumentFilter{WorkspaceID: m.WorkspaceID, Status: relsop.StatusInReview, Limit: maxInboxReviews})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		rv, err := s.review(ctx, &d)
		if err != nil {
			return nil, err
		}
		if ok, _ := rv.MayApprove(m); !ok || rv.Submitted == nil {
			continue
		}
		out = append(out, WaitingReview{Document: d, SubmittedBy: rv.Submitted.AuthorName, Since: rv.Submitted.CreatedAt, Approved: rv.Approved})
	}
	slices.SortStableFunc(out, func(a, b WaitingReview) int { return a.Since.Compare(b.Since) })
	return out, nil
}

// mailReview tells the members who may approve an SOP that it was
// submitted for review, and its submitter that it was approved or sent
// back to draft. d is the SOP after the change, from its status before,
// rv its review state before; by made the change.
func (s *Service) mailReview(ctx context.Context, d *relsop.Document, from relsop.Status, rv *Review, by *relsop.Member) {
	if s.mail == nil {
		return
	}
	var mailed func(m relsop.Member) bool
	switch {
	case d.Status == relsop.StatusInReview:
		mailed = func(m relsop.Member) bool {
			ok, _ := rv.mayReview(&m) // rv is from before the submission, when it was a draft
			return ok
		}
	case from == relsop.StatusInReview && rv.Submitted != nil:
		mailed = func(m relsop.Member) bool { return m.UserID == rv.Submitted.AuthorID }
	default:
		return
	}
	to, err := s.recipients(ctx, d.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "members not read; review emails not sent", slog.Any("err", err))
		return
	}
	subject, body, why, thread := s.reviewMail(ctx, d, rv, cmp.Or(by.Name, by.Email))
	body += footer(s.link(ctx, "/#/account"), why)
	for _, email := range slices.Sorted(maps.Keys(to)) {
		if m := to[email]; m.UserID != by.UserID && mailed(m) {
			s.mail.Enqueue(mail.Message{To: m.Email, Subject: subject, Body: body, Thread: thread})
		}
	}
}

// reviewMail writes the email of a submission (d is in review) or of the
// decision on one, the same for everyone it goes to, with why they get it
// and its thread: one per submission, its decision included.
func (s *Service) reviewMail(ctx context.Context, d *relsop.Document, rv *Review, who string) (subject, body, why, thread string) {
	var b strings.Builder
	if d.Status == relsop.StatusInReview {
		subject, why = fmt.Sprintf("Review needed: %s", d.Title), "you may approve SOPs in this workspace and made none of this one's changes"
		fmt.Fprintf(&b, "%s submitted “%s” for review (revision %d).\n", who, d.Title, d.Revision)
		if rv.Approved > 0 {
			fmt.Fprintf(&b, "Since revision %d, the last approved, it was changed by %s.\n", rv.Approved, nameList(rv.AuthorNames))
		} else {
			b.WriteString("It has never been approved.\n")
		}
		b.WriteString("You made none of those changes, so you may approve it or send it back to draft.\n")
		if link := s.link(ctx, fmt.Sprintf("/#/sops/%d/review", d.ID)); link != "" {
			fmt.Fprintf(&b, "\nReview it: %s\n", link)
		}
		return subject, b.String(), why, fmt.Sprintf("review-%d-%d", d.ID, d.Revision)
	}
	why = "you submitted this SOP for review"
	if d.Status == relsop.StatusApproved {
		subject = fmt.Sprintf("Approved: %s", d.Title)
		fmt.Fprintf(&b, "%s approved “%s”, which you submitted for review; it is revision %d.\n", who, d.Title, d.Revision)
	} else {
		subject = fmt.Sprintf("Sent back to draft: %s", d.Title)
		fmt.Fprintf(&b, "%s sent “%s”, which you submitted for review, back to draft.\n", who, d.Title)
	}
	if link := s.link(ctx, fmt.Sprintf("/#/sops/%d", d.ID)); link != "" {
		fmt.Fprintf(&b, "\nOpen it: %s\n", link)
	}
	return subject, b.String(), why, fmt.Sprintf("review-%d-%d", d.ID, rv.Submitted.Number)
}

// nameList reads names as a sentence does: "Ann, Ben and Cy".
func nameList(names []string) string {
	switch len(names) {
	case 0:
		return "nobody"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// reviewEvent names the webhook event of a status change, "" for the
// changes that are no review's (retiring, say).
func reviewEvent(from, to relsop.Status) string {
	switch {
	case to == relsop.StatusInReview:
		return "sop.submitted"
	case from == relsop.StatusInReview && to == relsop.StatusApproved:
		return "sop.approved"
	case from == relsop.StatusInReview && to == relsop.StatusDraft:
		return "sop.returned"
	}
	return ""
}

// postReview posts a review's submission or decision to the workspace's
// webhooks that want it. d is the SOP after the change, from its status
// before; by made the change.
func (s *Service) postReview(ctx context.Context, d *relsop.Document, from relsop.Status, by *relsop.Member) {
	name := reviewEvent(from, d.Status)
	if s.notify == nil || name == "" {
		return
	}
	hooks, err := s.store.Webhooks(ctx, d.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "webhooks not read; review event not posted", slog.Any("err", err))
		return
	}
	if !slices.ContainsFunc(hooks, func(h relsop.Webhook) bool { return slices.Contains(h.Events, name) }) {
		return
	}
	ws, err := s.store.WorkspaceByID(ctx, d.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "workspace not read; review event not posted", slog.Any("err", err))
		return
	}
	e := Event{Event: name, At: s.now().UTC(), By: by.Email, Workspace: EventRef{ID: ws.ID, Title: ws.Name},
		SOP:    EventRef{ID: d.ID, Title: d.Title},
		Review: &EventReview{Status: string(d.Status), Revision: d.Revision, URL: s.link(ctx, fmt.Sprintf("/#/sops/%d/review", d.ID))}}
	e.Text = reviewText(e)
	s.post(hooks, []Event{e})
}

// reviewText is the line a chat channel shows for an sop.* event, with
// user text escaped as in eventText.
func reviewText(e Event) string {
	var b strings.Builder
	title, by := "“"+slackText(e.SOP.Title)+"”", slackText(e.By)
	switch e.Event {
	case "sop.submitted":
		fmt.Fprintf(&b, "%s was submitted for review by %s.", title, by)
	case "sop.approved":
		fmt.Fprintf(&b, "%s was approved by %s (revision %d).", title, by, e.Review.Revision)
	case "sop.returned":
		fmt.Fprintf(&b, "%s was sent back to draft by %s.", title, by)
	case "sop.review_due":
		when := "falls due on"
		if e.Review.Overdue {
			when = "was due on"
		}
		fmt.Fprintf(&b, "The scheduled review of %s %s %s", title, when, e.Review.Due)
		if len(e.Review.WaitsFor) > 0 {
			fmt.Fprintf(&b, "; it waits for %s", slackText(nameList(e.Review.WaitsFor)))
		}
		b.WriteString(".")
	}
	if e.Review.URL != "" && e.Event == "sop.review_due" {
		fmt.Fprintf(&b, " <%s|Open the SOP>", e.Review.URL)
	} else if e.Review.URL != "" {
		fmt.Fprintf(&b, " <%s|Open the review>", e.Review.URL)
	}
	return b.String()
}
