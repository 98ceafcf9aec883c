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
	"github.com/relsop/relsop/internal/release"
)

// Notification emails (relsop serve --smtp, docs/email.md): each member
// hears of what waits for them in particular, where a webhook tells a
// whole channel. A gate ready for sign-off mails the people the roster
// gives its unsigned roles; an escalation or an overdue gate, the people
// who now decide; a failed or late step, an abort or the end, whoever
// started the release; a mention, the member named. Nobody is mailed
// about their own record, and a member who turned mail off gets none.

// Mailer queues notification emails, logging those it drops;
// internal/mail's Mailer is the one relsop serve uses.
type Mailer interface {
	Enqueue(mail.Message) bool
}

// Mailing reports whether the server sends notification emails, so that
// the account page offers to turn them off.
func (s *Service) Mailing() bool { return s.mail != nil }

// SetMailOff turns the signed-in user's notification emails off or on.
func (s *Service) SetMailOff(ctx context.Context, off bool) (*relsop.User, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetMailOff(ctx, u.ID, off); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, u.ID)
}

// link returns base + path, with base the request's address or else the
// server's --base-url; "" when neither is known.
func (s *Service) link(ctx context.Context, path string) string {
	base, _ := ctx.Value(baseURLKey{}).(string)
	if base == "" {
		base = s.baseURL // the server's own rounds come from no request
	}
	if base == "" {
		return ""
	}
	return base + path
}

// recipients maps the members of a workspace by email, as rosters and
// records name them, leaving out those who turned mail off or get a
// daily summary instead (digest.go).
type recipients map[string]relsop.Member

func (s *Service) recipients(ctx context.Context, workspaceID int64) (recipients, error) {
	members, err := s.store.Members(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := recipients{}
	for _, m := range members {
		if !m.MailOff && !m.MailDigest {
			out[strings.ToLower(m.Email)] = m
		}
	}
	return out, nil
}

// emailOf returns the key of the member with user id, "" when they are
// not among the recipients.
func (to recipients) emailOf(id int64) string {
	for email, m := range to {
		if m.UserID == id {
			return email
		}
	}
	return ""
}

// mailEvents mails each event of release o to the people it is for.
// Events are filled in (emit) before they come here; rec is the record
// that made them.
func (s *Service) mailEvents(ctx context.Context, o *openedRelease, rec release.Record, events []Event) {
	if s.mail == nil || !slices.ContainsFunc(events, func(e Event) bool { return mailedEvents[e.Event] }) {
		return // a start or a decision: for the channel, not for one person
	}
	to, err := s.recipients(ctx, o.doc.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "members not read; release emails not sent", slog.Any("err", err))
		return
	}
	starter := to.emailOf(o.rel.CreatedBy)
	account := s.link(ctx, "/#/account")
	for _, e := range events {
		escalates := ""
		if e.Event == "gate.waiting" {
			escalates = s.escalatesAt(o, e.Step.ID)
		}
		for _, who := range mailedAbout(e, starter) {
			m, ok := to[strings.ToLower(who.email)]
			if !ok || strings.EqualFold(who.email, e.By) {
				continue // not a member (any more), mail off, or their own record
			}
			subject, body := s.releaseMail(o, e, rec.Note, escalates, who)
			s.mail.Enqueue(mail.Message{To: m.Email, Subject: subject, Body: body + footer(account, who.why),
				Thread: fmt.Sprintf("release-%d", o.rel.ID)})
		}
	}
}

// addressee is someone an event is mailed to, with the roles that make
// it theirs (for a gate) and why they get it (for the footer).
type addressee struct {
	email string
	roles []string
	why   string
}

// mailedEvents are the events mailedAbout may mail anyone about.
var mailedEvents = map[string]bool{"gate.waiting": true, "gate.escalated": true, "gate.overdue": true,
	"step.failed": true, "step.late": true, "release.aborted": true, "release.finished": true}

// mailedAbout lists who hears of event e by email. starter is the email
// of whoever started the release ("" when they left the workspace).
func mailedAbout(e Event, starter string) []addressee {
	switch e.Event {
	case "gate.waiting", "gate.escalated":
		return holdersOf(e.Step.WaitsFor, "the release's roster gives you a role that signs this gate")
	case "gate.overdue":
		var out []addressee
		for _, h := range e.Step.Holders {
			out = append(out, addressee{email: h, roles: []string{e.Step.EscalateTo}, why: "this gate's escalation path goes to a role you hold in the release"})
		}
		return out
	case "step.failed", "step.late", "release.aborted", "release.finished":
		if starter == "" {
			return nil
		}
		return []addressee{{email: starter, why: "you started this release"}}
	}
	return nil
}

// holdersOf turns a gate's roles still to sign, each with its holders,
// into one addressee per person, with every role they hold.
func holdersOf(waits map[string][]string, why string) []addressee {
	byPerson := map[string]*addressee{}
	for _, role := range slices.Sorted(maps.Keys(waits)) {
		for _, h := range waits[role] {
			key := strings.ToLower(h)
			if byPerson[key] == nil {
				byPerson[key] = &addressee{email: h, why: why}
			}
			byPerson[key].roles = append(byPerson[key].roles, role)
		}
	}
	var out []addressee
	for _, key := range slices.Sorted(maps.Keys(byPerson)) {
		out = append(out, *byPerson[key])
	}
	return out
}

// releaseMail writes the subject and body of event e for one person;
// escalates is the line saying when a waiting gate escalates. The
// mail is plain text, so names go in as they are; the subject is kept to
// one line by internal/mail.
func (s *Service) releaseMail(o *openedRelease, e Event, note, escalates string, who addressee) (subject, body string) {
	rel := fmt.Sprintf("release %s of %s", e.Release.Name, e.SOP.Title)
	if e.Release.Rehearsal {
		rel += " (a rehearsal)"
	}
	gate := ""
	if e.Step != nil {
		gate = "“" + cmp.Or(e.Step.Name, e.Step.ID) + "”"
	}
	roles := s.roleNames(o, who.roles)
	var b strings.Builder
	switch e.Event {
	case "gate.waiting":
		subject = fmt.Sprintf("Sign-off needed: %s in %s", gate, rel)
		fmt.Fprintf(&b, "The gate %s in %s waits for your sign-off as %s.\n", gate, rel, roles)
		b.WriteString(escalates)
	case "gate.escalated":
		subject = fmt.Sprintf("Escalated to you: %s in %s", gate, rel)
		fmt.Fprintf(&b, "%s escalated the gate %s in %s. It now waits for your decision as %s.\n", e.By, gate, rel, roles)
	case "gate.overdue":
		subject = fmt.Sprintf("Overdue: %s in %s", gate, rel)
		fmt.Fprintf(&b, "The gate %s in %s has waited %s for a sign-off from %s.\nIts escalation path goes to %s, a role you hold: decide whether to escalate it.\n",
			gate, rel, e.Step.Waited, waitList(e.Step.WaitsFor), roles)
	case "step.failed":
		subject = fmt.Sprintf("Step failed: %s in %s", gate, rel)
		fmt.Fprintf(&b, "%s recorded that the step %s failed in %s, which you started.\n", e.By, gate, rel)
	case "step.late":
		subject = fmt.Sprintf("Late: %s in %s", gate, rel)
		fmt.Fprintf(&b, "The step %s in %s, which you started, is %s past its SLA.\n", gate, rel, e.Step.Late)
	case "release.aborted":
		subject = fmt.Sprintf("Aborted: %s", rel)
		fmt.Fprintf(&b, "%s aborted %s, which you started.\n", e.By, rel)
	case "release.finished":
		subject = fmt.Sprintf("Finished: %s", rel)
		fmt.Fprintf(&b, "The %s, which you started, reached its end.\n", rel)
	}
	if note != "" && (e.Event == "gate.escalated" || e.Event == "step.failed" || e.Event == "release.aborted") {
		fmt.Fprintf(&b, "\nNote: %s\n", note)
	}
	if len(e.Release.Lessons) > 0 {
		fmt.Fprintf(&b, "\nIt suggests reviewing the SOP: %s. Change what it taught, then record the review.\n", nameList(e.Release.Lessons))
	}
	if e.Release.URL != "" {
		fmt.Fprintf(&b, "\nOpen the release: %s\n", e.Release.URL)
	}
	return subject, b.String()
}

// roleNames reads role ids as the SOP names them: "Release Manager and QA
// Lead".
func (s *Service) roleNames(o *openedRelease, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id
		if o.run != nil {
			if r := o.run.SOP.Role(id); r != nil && r.Name != "" {
				names[i] = r.Name
			}
		}
	}
	if len(names) == 0 {
		return "an approver"
	}
	return nameList(names)
}

// escalatesAt says when gate id escalates and to whom, if its SOP says.
func (s *Service) escalatesAt(o *openedRelease, id string) string {
	if o.run == nil {
		return ""
	}
	for _, rs := range o.run.Status(s.now()).Ready {
		if rs.Step == id && rs.EscalateAt != nil {
			return fmt.Sprintf("If it is not decided by %s, it escalates to %s.\n",
				mailTime(*rs.EscalateAt), s.roleNames(o, []string{rs.EscalateTo}))
		}
	}
	return ""
}

// mailMentions mails each member a new comment names, other than its
// author.
func (s *Service) mailMentions(ctx context.Context, d *relsop.Document, c *relsop.Comment, author *relsop.User) {
	if s.mail == nil || len(c.Mentions) == 0 {
		return
	}
	to, err := s.recipients(ctx, d.WorkspaceID)
	if err != nil {
		slog.Default().WarnContext(ctx, "members not read; mention emails not sent", slog.Any("err", err))
		return
	}
	thread := c.ParentID
	if thread == 0 {
		thread = c.ID
	}
	where := "“" + d.Title + "”"
	if c.StepID != "" {
		where = fmt.Sprintf("the step %s of “%s”", c.StepID, d.Title)
	}
	open := s.link(ctx, fmt.Sprintf("/#/sops/%d/comments/%d", d.ID, c.ID))
	for _, m := range to {
		if !slices.Contains(c.Mentions, m.UserID) || m.UserID == author.ID {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s mentioned you in a comment on %s:\n\n", cmp.Or(author.Name, author.Email), where)
		for line := range strings.SplitSeq(c.Body, "\n") {
			b.WriteString("> " + line + "\n")
		}
		if open != "" {
			fmt.Fprintf(&b, "\nAnswer it: %s\n", open)
		}
		s.mail.Enqueue(mail.Message{To: m.Email, Subject: fmt.Sprintf("%s mentioned you on %s", cmp.Or(author.Name, author.Email), d.Title),
			Body: b.String() + footer(s.link(ctx, "/#/account"), "a comment mentions you"), Thread: fmt.Sprintf("comment-%d", thread)})
	}
}

// footer says why the mail came and where to turn mail off, or to
// have it once a day.
func footer(account, why string) string {
	s := "\n-- \nYou get this email from relsop because " + why + "."
	if account != "" {
		s += "\nTo get no more of these emails, turn them off on your account page: " + account +
			"\nThere you can also ask for one summary a day instead."
	}
	return s + "\n"
}

// mailTime is how a mail writes a moment.
func mailTime(t time.Time) string { return zoneTime(t, time.UTC) }

// zoneTime is a time as a summary gives it, in the reader's zone:
// "2026-11-26 09:30 CET".
func zoneTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
