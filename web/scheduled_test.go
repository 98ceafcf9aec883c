package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Scheduled reviews: an approved SOP states how often it is reviewed and
// when it last was; from a week before its review falls due it waits in
// its keeper's inbox, is marked in the library, and its editor offers to
// record the review.

// templateReview is the review block of the saas-weekly template, which
// the test rewrites.
const templateReview = "review:\n  cadence: quarterly\n  last_reviewed: 2026-10-15\n"

// setReview saves SOP id (made from saas-weekly) with title and the
// given review block, through the API, as p.
func (p *page) setReview(id int, title, cadence, lastReviewed string) {
	p.t.Helper()
	type doc struct {
		Source   string `json:"source"`
		Revision int    `json:"revision"`
	}
	d := eval[doc](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => b.document)`, id))
	if !strings.Contains(d.Source, templateReview) {
		p.fail("the template's source has no %q", templateReview)
	}
	src := strings.Replace(d.Source, templateReview, fmt.Sprintf("review:\n  cadence: %s\n  last_reviewed: %s\n", cadence, lastReviewed), 1)
	src = strings.Replace(src, "\ntitle: Weekly SaaS feature release\n", "\ntitle: "+title+"\n", 1)
	if code := p.apiCall("PUT", fmt.Sprintf("/api/sops/%d", id), map[string]any{"source": src, "base_revision": d.Revision}); code != http.StatusOK {
		p.fail("saving SOP %d: status %d", id, code)
	}
}

// setStatus moves SOP id to status through the API, as p.
func (p *page) setStatus(id int, status string) {
	p.t.Helper()
	rev := eval[int](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => b.document.revision)`, id))
	if code := p.apiCall("POST", fmt.Sprintf("/api/sops/%d/status", id), map[string]any{"status": status, "base_revision": rev}); code != http.StatusOK {
		p.fail("SOP %d to %s: status %d", id, status, code)
	}
}

func TestScheduledReview(t *testing.T) {
	base := startServer(t)
	owner := newPage(t, startBrowser(t), base, "owner")
	owner.signUp("Olga Owner", "olga@example.com")
	late := owner.createFromTemplate("saas-weekly")
	soon := owner.createFromTemplate("saas-weekly")
	fresh := owner.createFromTemplate("saas-weekly") // reviewed 2026-10-15, quarterly: due in January 2027
	reviewer := invite(t, owner, base, "editor", "Rita Reviewer", "rita@example.com")
	owner.open("#/") // else the members page, still open, shows Rita's invite link to the next invite
	viewer := invite(t, owner, base, "viewer", "Victor Viewer", "victor@example.com")

	// Quarterly is 91 days: reviewed on 2025-01-15, due on 2025-04-16.
	owner.setReview(late, "Weekly release, long unreviewed", "quarterly", "2025-01-15")
	// Every 30 days, due in three days.
	now := time.Now()
	soonDue := now.AddDate(0, 0, 3).Format(time.DateOnly)
	owner.setReview(soon, "Weekly release, due soon", "30d", now.AddDate(0, 0, 3-30).Format(time.DateOnly))
	for _, id := range []int{late, soon, fresh} {
		owner.setStatus(id, "in-review")
		reviewer.setStatus(id, "approved")
	}
	lateCard := fmt.Sprintf(`#inbox:not([hidden]) .inbox-due a[data-due="%d"]`, late)
	row := func(id int) string { return fmt.Sprintf(`#sop-list .sop-card[data-id="%d"]`, id) }

	t.Run("the owner's inbox and library show the reviews due", func(t *testing.T) {
		p := owner
		p.t = t
		p.open("#/")
		p.wait(`document.querySelector(` + js(lateCard) + `) && document.querySelector('#sop-list[aria-busy=false] .sop-card') && document.querySelector('#nav-library[data-waiting]')`)
		type card struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		cards := eval[[]card](p, `[...document.querySelectorAll('#inbox .inbox-due')].map(c => ({id: c.querySelector('a').dataset.due, text: c.textContent}))`)
		want := map[string]string{
			fmt.Sprint(late): "Scheduled review of “Weekly release, long unreviewed” overdueoverdue since 2025-04-16",
			fmt.Sprint(soon): "Scheduled review of “Weekly release, due soon”due on " + soonDue,
		}
		if len(cards) != len(want) {
			p.fail("the inbox shows %d scheduled reviews, want %d: %v", len(cards), len(want), cards)
		}
		for _, c := range cards {
			if c.Text != want[c.ID] {
				p.fail("the scheduled review of SOP %s reads %q, want %q", c.ID, c.Text, want[c.ID])
			}
		}
		if n := eval[string](p, `document.querySelector('#nav-library').dataset.waiting`); n != "2" {
			p.fail("the top bar counts %s waiting, want 2", n)
		}

		badges := func(id int) string {
			return eval[string](p, `[...document.querySelectorAll(`+js(row(id)+` .badge[class*=badge-review-]`)+`)].map(b => b.className + ': ' + b.textContent).join('; ')`)
		}
		if got, want := badges(late), "badge badge-review-overdue: review overdue since 2025-04-16"; got != want {
			p.fail("the overdue SOP's row has the badges %q, want %q", got, want)
		}
		if got, want := badges(soon), "badge badge-review-due: review due "+soonDue; got != want {
			p.fail("the SOP due soon has the badges %q, want %q", got, want)
		}
		if got := badges(fresh); got != "" {
			p.fail("the SOP reviewed last month has the badges %q", got)
		}
		p.shot("80-library-review-due")
	})

	t.Run("another editor is not asked: the owners keep an SOP never released", func(t *testing.T) {
		p := reviewer
		p.t = t
		p.open("#/")
		p.do(chromedp.Reload()) // she is on the library since she joined
		p.wait(`document.querySelector('#inbox[data-loaded]') && document.querySelector('#sop-list[aria-busy=false] .sop-card')`)
		if eval[bool](p, `!!document.querySelector('#inbox .inbox-due')`) {
			p.fail("Rita's inbox lists a scheduled review: %s", eval[string](p, `document.querySelector('#inbox').textContent`))
		}
		// The library marks the SOP for everyone.
		if !eval[bool](p, `!!document.querySelector(`+js(row(late)+` .badge-review-overdue`)+`)`) {
			p.fail("Rita's library does not mark the overdue SOP")
		}
	})

	t.Run("a viewer reads the notice but cannot record the review", func(t *testing.T) {
		p := viewer
		p.t = t
		p.open(fmt.Sprintf("#/sops/%d", late))
		p.waitDiagram()
		p.wait(`document.querySelector('#review-due') && document.querySelector('[data-suggestions-loaded]')`)
		if text := eval[string](p, `document.querySelector('#review-due').textContent`); text != "Scheduled review due. Its review was due on 2025-04-16: it is reviewed quarterly, last on 2025-01-15. " {
			p.fail("the viewer's notice reads %q", text)
		}
		if eval[bool](p, `!!document.querySelector('#due-reviewed') || !document.querySelector('#editor .editor-head .badge-role')`) {
			p.fail("a viewer is offered to record the review, or the editor does not say it is view only")
		}
	})

	t.Run("the editor says when a review falls due", func(t *testing.T) {
		p := owner
		p.t = t
		p.open(fmt.Sprintf("#/sops/%d", soon))
		p.waitDiagram()
		p.wait(`document.querySelector('#review-due #due-reviewed')`)
		want := "Scheduled review due. Its review falls due on " + soonDue + ": it is reviewed every 30d, last on " + now.AddDate(0, 0, 3-30).Format(time.DateOnly) +
			". Check that it still says how releases are run, then record the review (the SOP then needs approving again). Mark reviewed today"
		if text := eval[string](p, `document.querySelector('#review-due').textContent`); text != want {
			p.fail("the notice reads %q, want %q", text, want)
		}
		p.open(fmt.Sprintf("#/sops/%d", fresh))
		p.waitDiagram()
		p.wait(`document.querySelector('[data-suggestions-loaded]')`)
		if eval[bool](p, `!!document.querySelector('#review-due')`) {
			p.fail("an SOP reviewed last month says its review is due")
		}
	})

	t.Run("the card, the badges and the notice are accessible", func(t *testing.T) {
		axe := axeSource(t)
		p := owner
		p.t = t
		p.open("#/")
		p.wait(`document.querySelector(` + js(lateCard) + `) && document.querySelector('#sop-list[aria-busy=false] .badge-review-overdue')`)
		p.audit("library, reviews due", axe)
		p.open(fmt.Sprintf("#/sops/%d", late))
		p.waitDiagram()
		p.wait(`document.querySelector('#review-due #due-reviewed')`)
		// The whole page, with who else is here (Victor's avatar, its ink
		// chosen for contrast on his colour).
		p.audit("editor, review due", axe)
	})

	t.Run("the card leads to the editor, which records the review", func(t *testing.T) {
		p := owner
		p.t = t
		p.open("#/")
		p.wait(`document.querySelector(` + js(lateCard) + `)`)
		p.do(chromedp.Click(chromedp.CSS(lateCard)))
		p.waitDiagram()
		p.wait(`document.querySelector('#review-due #due-reviewed') && document.querySelector('#live-state[data-state=connected]')`)
		if id := eval[int](p, `Number(document.querySelector('#editor').dataset.id)`); id != late {
			p.fail("the card opened SOP %d, want %d", id, late)
		}
		if text := eval[string](p, `document.querySelector('#review-due').textContent`); !strings.HasPrefix(text, "Scheduled review due. Its review was due on 2025-04-16: it is reviewed quarterly, last on 2025-01-15.") {
			p.fail("the notice reads %q", text)
		}
		p.shot("81-editor-review-due")

		today := eval[string](p, `new Date().toLocaleDateString('sv')`) // YYYY-MM-DD, the browser's today
		p.do(chromedp.Click(chromedp.CSS(`#due-reviewed`)))
		p.wait(`!document.querySelector('#review-due') && document.querySelector('#status').textContent === 'Marked the SOP as reviewed today.'`)
		p.shot("82-editor-reviewed")

		// The source says so, and the SOP, changed, is a draft again (once
		// the live edit is a revision).
		type doc struct {
			Source string `json:"source"`
			Status string `json:"status"`
		}
		var d doc
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			d = eval[doc](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => b.document)`, late))
			if d.Status == "draft" && strings.Contains(d.Source, "last_reviewed: "+today) {
				break
			}
		}
		if d.Status != "draft" || !strings.Contains(d.Source, "last_reviewed: "+today) {
			p.fail("after recording the review the SOP is %s with the review block %q", d.Status, d.Source[strings.Index(d.Source, "review:"):][:80])
		}

		p.do(chromedp.Reload())
		p.waitDiagram()
		p.wait(`document.querySelector('[data-suggestions-loaded]')`)
		if eval[bool](p, `!!document.querySelector('#review-due')`) {
			p.fail("the notice is back after a reload: %s", eval[string](p, `document.querySelector('#review-due').textContent`))
		}
		p.open("#/")
		p.wait(`document.querySelector('#inbox[data-loaded]') && document.querySelector('#sop-list[aria-busy=false] .sop-card')`)
		if eval[bool](p, `!!document.querySelector(`+js(lateCard)+`)`) {
			p.fail("the inbox still lists the review just recorded")
		}
		if eval[bool](p, `!!document.querySelector(`+js(row(late)+` .badge[class*=badge-review-]`)+`)`) {
			p.fail("the library still marks the review just recorded")
		}
	})
}
