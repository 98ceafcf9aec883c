package workspace

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/mail"
)

// The daily summary (docs/email.md): a member who would rather not have an
// email each time something waits for them asks for one a day instead. At
// the server's summary time each day they get what their Waiting for you
// list holds in each of their workspaces (gates to sign, SOPs to review,
// comments that mention them, SOPs whose releases suggest a review) and
// how the releases they started stand.
// The per-event emails leave them out (recipients).

// maxDigestUsers bounds the summaries one round writes; the next round,
// a minute later, writes the rest.
const maxDigestUsers = 200

// SetMailDigest chooses between an email each time (false) and one
// summary a day (true) for the signed-in user.
func (s *Service) SetMailDigest(ctx context.Context, digest bool) (*relsop.User, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetMailDigest(ctx, u.ID, digest); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, u.ID)
}

// DigestTime says when user u's daily summary goes out, in their time
// zone, as the account page shows it: "08:00 CET".
func (s *Service) DigestTime(u *relsop.User) string {
	at := fmt.Sprintf("%02d:%02d", int(s.digestAt.Hours()), int(s.digestAt.Minutes())%60)
	return at + " " + s.now().In(s.zoneOf(u.TimeZone)).Format("MST")
}

// ServerZone names the server's time zone, which a user's "" stands for:
// "Europe/Berlin", or the abbreviation ("CET") when the server only knows
// its zone as Local.
func (s *Service) ServerZone() string {
	if name := s.digestZone.String(); name != "Local" {
		return name
	}
	return s.now().In(s.digestZone).Format("MST")
}

// SendDigests mails today's summary to each user who asked for one and
// has not had it, once the summary time has passed in their time zone;
// it returns how many it sent. A user is claimed in the store before
// their summary is written, so that several servers, or a round after a
// restart, send it once; a user with nothing to report is claimed and
// sent nothing.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	if s.mail == nil {
		return 0, nil
	}
	zones, err := s.store.DigestZones(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, zone := range zones {
		n, err := s.sendDigestsIn(ctx, zone)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// sendDigestsIn sends the summaries due to the users of one time zone.
func (s *Service) sendDigestsIn(ctx context.Context, zone string) (int, error) {
	loc := s.zoneOf(zone)
	now := s.now().In(loc)
	// By the wall clock: on a day the clocks change, 08:00 is still 08:00.
	if time.Duration(now.Hour())*time.Hour+time.Duration(now.Minute())*time.Minute < s.digestAt {
		return 0, nil
	}
	day := now.Format(time.DateOnly)
	users, err := s.store.DigestUsers(ctx, zone, day, maxDigestUsers)
	if err != nil {
		return 0, err
	}
	sent := 0
	for i := range users {
		u := &users[i]
		claimed, err := s.store.ClaimDigest(ctx, u.ID, day)
		if err != nil {
			return sent, err
		}
		if !claimed {
			continue // another server's round
		}
		d, err := s.digestOf(WithUser(ctx, u), u, loc)
		if err != nil {
			// One user's summary is lost for the day rather than
			// every later user's: the round goes on.
			slog.Default().WarnContext(ctx, "daily summary not written", slog.Int64("user", u.ID), slog.Any("err", err))
			continue
		}
		if d.empty() {
			continue
		}
		if s.mail.Enqueue(mail.Message{To: u.Email, Subject: d.subject(), Body: d.body(day, s.link(ctx, "/#/account"))}) {
			sent++
		}
	}
	return sent, nil
}

// digest is one user's summary: a section per workspace with something
// in it.
type digest struct {
	sections                                 []digestSection
	gates, reviews, mentions, suggested, due int
}

// digestSection is what one workspace holds for the user, each item a
// line of text and a link.
type digestSection struct {
	workspace                                          string
	gates, reviews, mentions, suggested, due, releases []digestItem
}

type digestItem struct{ text, link string }

// digestWindow is how far back a summary looks for releases that ended.
const digestWindow = 24 * time.Hour

// digestOf gathers user u's summary over their workspaces, with times in
// loc; ctx carries u as the signed-in user, so every read is checked as
// theirs.
func (s *Service) digestOf(ctx context.Context, u *relsop.User, loc *time.Location) (*digest, error) {
	ms, err := s.store.Memberships(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	d := &digest{}
	for _, m := range ms {
		in, err := s.Inbox(ctx, m.Workspace.ID)
		if relsop.ErrorCode(err) == relsop.ENOTFOUND {
			continue // left the workspace since
		}
		if err != nil {
			return nil, err
		}
		sec := digestSection{workspace: m.Workspace.Name}
		for _, g := range in.Gates {
			sec.gates = append(sec.gates, s.digestGate(ctx, g, loc))
		}
		for _, r := range in.Reviews {
			sec.reviews = append(sec.reviews, s.digestReview(ctx, r, loc))
		}
		for _, c := range in.Mentions {
			sec.mentions = append(sec.mentions, s.digestMention(ctx, c))
		}
		for _, sg := range in.Suggested {
			sec.suggested = append(sec.suggested, s.digestSuggested(ctx, sg, loc))
		}
		for _, r := range in.Due {
			sec.due = append(sec.due, s.digestDue(ctx, r))
		}
		if err := s.digestReleases(ctx, &sec, m.Workspace.ID, u.ID, loc); err != nil {
			return nil, err
		}
		d.gates += len(sec.gates)
		d.reviews += len(sec.reviews)
		d.mentions += len(sec.mentions)
		d.suggested += len(sec.suggested)
		d.due += len(sec.due)
		if len(sec.gates)+len(sec.reviews)+len(sec.mentions)+len(sec.suggested)+len(sec.due)+len(sec.releases) > 0 {
			d.sections = append(d.sections, sec)
		}
	}
	return d, nil
}

func (s *Service) digestGate(ctx context.Context, g WaitingGate, loc *time.Location) digestItem {
	text := fmt.Sprintf("“%s” in release %s of %s, waiting since %s", cmp.Or(g.Gate.Name, g.Gate.Step), g.Release.Name, g.Release.SOPTitle, zoneTime(g.Gate.Since, loc))
	if len(g.Roles) > 0 {
		text += ", for your sign-off as " + s.releaseRoles(ctx, &g.Release, g.Roles)
	}
	if g.Overdue {
		text += "; overdue"
		if g.Escalation != "" {
			text += ": decide whether to escalate it, as " + s.releaseRoles(ctx, &g.Release, []string{g.Escalation})
		}
	}
	return digestItem{text: text, link: s.link(ctx, fmt.Sprintf("/#/sops/%d/releases/%d", g.Release.DocumentID, g.Release.ID))}
}

func (s *Service) digestReview(ctx context.Context, r WaitingReview, loc *time.Location) digestItem {
	text := fmt.Sprintf("“%s”, submitted by %s on %s", r.Document.Title, cmp.Or(r.SubmittedBy, "someone"), r.Since.In(loc).Format(time.DateOnly))
	if r.Approved > 0 {
		text += fmt.Sprintf(", changed since revision %d", r.Approved)
	} else {
		text += ", never approved"
	}
	return digestItem{text: text, link: s.link(ctx, fmt.Sprintf("/#/sops/%d/review", r.Document.ID))}
}

func (s *Service) digestMention(ctx context.Context, c relsop.Comment) digestItem {
	where := "“" + c.SOPTitle + "”"
	if c.StepID != "" {
		where = fmt.Sprintf("the step %s of “%s”", c.StepID, c.SOPTitle)
	}
	text := fmt.Sprintf("%s on %s: “%s”", cmp.Or(c.AuthorName, "someone"), where, oneLine(c.Body, 120))
	return digestItem{text: text, link: s.link(ctx, fmt.Sprintf("/#/sops/%d/comments/%d", c.DocumentID, c.ID))}
}

func (s *Service) digestSuggested(ctx context.Context, sg SuggestedReview, loc *time.Location) digestItem {
	text := fmt.Sprintf("“%s”: release %s ended on %s; %s", sg.Document.Title, sg.Release.Name, zoneTime(sg.Ended, loc), nameList(sg.Lessons))
	return digestItem{text: text, link: s.link(ctx, fmt.Sprintf("/#/sops/%d", sg.Document.ID))}
}

func (s *Service) digestDue(ctx context.Context, r DueReview) digestItem {
	when := "falls due on "
	if r.Overdue {
		when = "was due on "
	}
	text := fmt.Sprintf("“%s”: its scheduled review %s%s", r.Document.Title, when, r.Document.ReviewDue)
	return digestItem{text: text, link: s.link(ctx, fmt.Sprintf("/#/sops/%d", r.Document.ID))}
}

// releaseRoles names role ids as the release's SOP names them.
func (s *Service) releaseRoles(ctx context.Context, rel *relsop.Release, ids []string) string {
	e, err := s.runs.get(ctx, s, rel)
	if err != nil {
		return nameList(ids)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return s.roleNames(&openedRelease{run: e.run}, ids)
}

// digestReleases adds to sec the releases user started in a workspace:
// each one in progress, with the steps it is at, and each that ended in
// the last day.
func (s *Service) digestReleases(ctx context.Context, sec *digestSection, workspaceID, user int64, loc *time.Location) error {
	rels, err := s.store.WorkspaceReleases(ctx, workspaceID, "", maxInboxReleases)
	if err != nil {
		return err
	}
	now := s.now()
	for i := range rels {
		rel := &rels[i]
		if rel.CreatedBy != user {
			continue
		}
		item := digestItem{link: s.link(ctx, fmt.Sprintf("/#/sops/%d/releases/%d", rel.DocumentID, rel.ID))}
		name := fmt.Sprintf("%s of %s", rel.Name, rel.SOPTitle)
		if rel.Rehearsal {
			name += " (a rehearsal)"
		}
		switch rel.State {
		case relsop.ReleaseInProgress:
			item.text = name + ": in progress" + s.releaseAt(ctx, rel, now)
		case relsop.ReleaseFinished, relsop.ReleaseAborted:
			if now.Sub(rel.UpdatedAt) > digestWindow {
				continue
			}
			item.text = fmt.Sprintf("%s: %s on %s", name, rel.State, zoneTime(rel.UpdatedAt, loc))
		default:
			continue
		}
		sec.releases = append(sec.releases, item)
	}
	return nil
}

// releaseAt says which steps a release in progress is at: ", at “Build”
// (late by 20m) and “Approve”".
func (s *Service) releaseAt(ctx context.Context, rel *relsop.Release, now time.Time) string {
	e, err := s.runs.get(ctx, s, rel)
	if err != nil {
		return ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.run == nil || len(e.problems) > 0 {
		return ", with problems in its trail: open it to see them"
	}
	var at []string
	for _, rs := range e.run.Status(now).Ready {
		step := "“" + cmp.Or(rs.Name, rs.Step) + "”"
		if rs.Late != "" {
			step += " (late by " + rs.Late + ")"
		}
		at = append(at, step)
	}
	if len(at) == 0 {
		return ""
	}
	return ", at " + nameList(at)
}

func (d *digest) empty() bool { return len(d.sections) == 0 }

// subject counts what waits: "3 gates, 1 review and 2 mentions wait for
// you"; with nothing waiting, the releases.
func (d *digest) subject() string {
	var parts []string
	for _, c := range []struct {
		n          int
		one, other string
	}{{d.gates, "gate", "gates"}, {d.reviews, "review", "reviews"}, {d.mentions, "mention", "mentions"},
		{d.suggested, "suggested review", "suggested reviews"}, {d.due, "scheduled review", "scheduled reviews"}} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.one)
		case c.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.other))
		}
	}
	if len(parts) == 0 {
		return "Your daily relsop summary: your releases"
	}
	verb := "waits"
	if len(parts) > 1 || d.gates > 1 || d.reviews > 1 || d.mentions > 1 || d.suggested > 1 || d.due > 1 {
		verb = "wait"
	}
	return fmt.Sprintf("Your daily relsop summary: %s %s for you", nameList(parts), verb)
}

// body writes the summary as plain text, a section per workspace.
func (d *digest) body(day, account string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "What waits for you in relsop on %s.\n", day)
	for _, sec := range d.sections {
		fmt.Fprintf(&b, "\n%s\n%s\n", sec.workspace, strings.Repeat("=", max(len([]rune(sec.workspace)), 3)))
		writeItems(&b, "Gates waiting for you", sec.gates)
		writeItems(&b, "SOPs waiting for your review", sec.reviews)
		writeItems(&b, "Comments that mention you", sec.mentions)
		writeItems(&b, "SOPs to review after their releases", sec.suggested)
		writeItems(&b, "SOPs due for their scheduled review", sec.due)
		writeItems(&b, "Releases you started", sec.releases)
	}
	b.WriteString("\n-- \nYou get this summary once a day because you chose it instead of an email each time.")
	if account != "" {
		b.WriteString("\nTo change that, or to get no emails, see your account page: " + account)
	}
	return b.String() + "\n"
}

func writeItems(b *strings.Builder, heading string, items []digestItem) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", heading)
	for _, it := range items {
		fmt.Fprintf(b, "- %s\n", it.text)
		if it.link != "" {
			fmt.Fprintf(b, "  %s\n", it.link)
		}
	}
}
