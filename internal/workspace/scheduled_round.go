package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/mail"
)

// The round for scheduled reviews: once an approved SOP's review comes
// within a week of falling due (reviewNotice), relsop serve's minute
// round tells the webhooks that want sop.review_due, once, and mails
// whoever keeps the SOP, unless they chose one summary a day (it lists
// the review) or no email. The inbox lists it all the while.

// maxSweepReviews bounds the SOPs one round looks at.
const maxSweepReviews = 1000

// SweepReviewsDue sends the alerts of scheduled reviews that came within
// a week of falling due and returns how many SOPs it told of. Each is
// claimed in the store before it is sent, so that several servers, or a
// round after a restart, send it once per due date; the store lists only
// those not told of yet.
func (s *Service) SweepReviewsDue(ctx context.Context) (int, error) {
	if s.notify == nil && s.mail == nil {
		return 0, nil
	}
	today := s.today(ctx) // the server's: a round has no user
	docs, err := s.store.ReviewsToTell(ctx, today.Add(reviewNotice).Format(time.DateOnly), maxSweepReviews)
	if err != nil {
		return 0, err
	}
	sent := 0
	r := &reviewRound{s: s, hooks: map[int64][]relsop.Webhook{}, members: map[int64][]relsop.Member{}}
	for i := range docs {
		ok, err := r.tell(ctx, &docs[i], today)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// reviewRound is one round over the reviews to tell of, with each
// workspace's webhooks and members read once: an SOP nobody wants to
// hear of stays on the list, and is looked at again every minute.
type reviewRound struct {
	s       *Service
	hooks   map[int64][]relsop.Webhook
	members map[int64][]relsop.Member
}

// workspace reads a workspace's webhooks (when the server posts any) and
// members, once per round.
func (r *reviewRound) workspace(ctx context.Context, id int64) ([]relsop.Webhook, []relsop.Member, error) {
	if ms, ok := r.members[id]; ok {
		return r.hooks[id], ms, nil
	}
	var hooks []relsop.Webhook
	var err error
	if r.s.notify != nil {
		if hooks, err = r.s.store.Webhooks(ctx, id); err != nil {
			return nil, nil, err
		}
	}
	ms, err := r.s.store.Members(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r.hooks[id], r.members[id] = hooks, ms
	return hooks, ms, nil
}

// tell tells of one SOP's scheduled review, if anyone wants to hear of
// it and no round told of it before.
func (r *reviewRound) tell(ctx context.Context, d *relsop.Document, today time.Time) (bool, error) {
	s := r.s
	hooks, members, err := r.workspace(ctx, d.WorkspaceID)
	if err != nil {
		return false, err
	}
	wanted := slices.ContainsFunc(hooks, func(h relsop.Webhook) bool { return slices.Contains(h.Events, "sop.review_due") })
	k, err := s.keeperOf(ctx, d)
	if err != nil {
		return false, err
	}
	var keepers, mailed []relsop.Member
	for _, m := range members {
		if m.Role.Rank() >= relsop.RoleEditor.Rank() && k.keeps(&m, m.Email) {
			keepers = append(keepers, m)
			if s.mail != nil && !m.MailOff && !m.MailDigest {
				mailed = append(mailed, m)
			}
		}
	}
	if !wanted && len(mailed) == 0 {
		return false, nil // not claimed: a webhook added, or a keeper who wants email, while it is still due hears of it
	}
	// The key ReviewsToTell looks for: told once per due date.
	claimed, err := s.store.ClaimDocumentAlert(ctx, d.ID, "review-due:"+d.ReviewDue)
	if err != nil || !claimed {
		return false, err
	}
	ws, err := s.store.WorkspaceByID(ctx, d.WorkspaceID)
	if err != nil {
		return false, err
	}
	e := Event{Event: "sop.review_due", At: s.now().UTC(), Workspace: EventRef{ID: ws.ID, Title: ws.Name},
		SOP: EventRef{ID: d.ID, Title: d.Title},
		Review: &EventReview{Status: string(d.Status), Revision: d.Revision, URL: s.link(ctx, fmt.Sprintf("/#/sops/%d", d.ID)),
			Due: d.ReviewDue, Overdue: pastDay(d.ReviewDue, today)}}
	for _, m := range keepers {
		e.Review.WaitsFor = append(e.Review.WaitsFor, m.Email)
	}
	e.Text = reviewText(e)
	s.post(hooks, []Event{e})
	if len(mailed) > 0 {
		subject, body := s.reviewDueMail(ctx, d, ws, e.Review)
		body += footer(s.link(ctx, "/#/account"), k.why())
		for _, m := range mailed {
			s.mail.Enqueue(mail.Message{To: m.Email, Subject: subject, Body: body, Thread: fmt.Sprintf("review-due-%d-%s", d.ID, d.ReviewDue)})
		}
	}
	return true, nil
}

// reviewDueMail writes the email of an SOP's scheduled review coming due,
// the same for each keeper.
func (s *Service) reviewDueMail(ctx context.Context, d *relsop.Document, ws *relsop.Workspace, r *EventReview) (subject, body string) {
	var b strings.Builder
	subject = "Review due: " + d.Title
	when := "falls due on"
	if r.Overdue {
		subject, when = "Review overdue: "+d.Title, "was due on"
	}
	fmt.Fprintf(&b, "The scheduled review of “%s” in %s %s %s.\n", d.Title, ws.Name, when, r.Due)
	if full, err := s.store.DocumentByID(ctx, d.ID); err == nil {
		if sop, err := load(full.Source); err == nil && !sop.Review.LastReviewed.IsZero() {
			fmt.Fprintf(&b, "It was last reviewed on %s, and its cadence is %s.\n", sop.Review.LastReviewed.Format(time.DateOnly), sop.Review.Cadence.Text)
		}
	}
	b.WriteString("Go through it with the people who carry it out, change what no longer matches how you release, " +
		"then record the review: Mark reviewed today in the editor, or review.last_reviewed in its YAML. " +
		"The change makes it a draft to approve again.\n")
	if r.URL != "" {
		fmt.Fprintf(&b, "\nOpen it: %s\n", r.URL)
	}
	return subject, b.String()
}
