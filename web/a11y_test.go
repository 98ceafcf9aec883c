package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/internal/testenv"
)

// axeTags are the rules axe-core checks: WCAG 2.0, 2.1 and 2.2 at levels A
// and AA, the level public-sector and most company accessibility policies
// ask for.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']`

// axeViolation is one failed axe-core rule and the elements that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// audit runs axe-core (the engine of Lighthouse's and most browsers'
// accessibility checks) on the page as it is now and fails the test with
// every violation, naming the elements.
func (p *page) audit(screen, axeSource string) { p.auditPart(screen, axeSource, "document") }

// auditPart audits the part of the page the JavaScript expression within
// gives, such as a menu that is open over the rest.
func (p *page) auditPart(screen, axeSource, within string) {
	p.t.Helper()
	if !eval[bool](p, `typeof axe !== 'undefined'`) {
		eval[bool](p, axeSource+";\ntrue")
	}
	got := eval[[]axeViolation](p, `(async () => (await axe.run(`+within+`, {runOnly: {type: 'tag', values: `+axeTags+`}})).violations)()`)
	if len(got) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range got {
		fmt.Fprintf(&b, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 4 {
				fmt.Fprintf(&b, "\n    ... and %d more", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n    %s: %s", strings.Join(n.Target, " "), strings.ReplaceAll(n.Summary, "\n", " "))
		}
	}
	p.shot("a11y-" + screen)
	p.t.Errorf("%s: %d accessibility violations (axe-core, WCAG 2.2 A and AA):%s", screen, len(got), b.String())
}

// axeSource reads axe-core from tools/js (npm ci there installs it).
func axeSource(t *testing.T) string {
	path := filepath.Join(testenv.RepoRoot(t), "tools", "js", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		testenv.Missing(t, "axe-core ("+path+"; run npm ci in tools/js)")
	}
	return string(src)
}

// TestAccessibility audits every screen of the workspace, in the states
// people use it in: signing up, the library, the New SOP dialog, the
// editor with a step, a gate and a lane selected and each side tab open, a
// release, the help dialog, history, members and the account page.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	base := startServer(t)
	browser := startBrowser(t)
	p := newPage(t, browser, base, "a11y")

	p.open("#/signin")
	p.wait(`document.querySelector('#signin-form')`)
	p.audit("sign-in", axe)
	p.open("#/signup")
	p.wait(`document.querySelector('#signup-form')`)
	p.audit("sign-up", axe)

	p.signUp("Ada Admin", "ada@example.com")
	p.audit("empty library", axe)
	p.do(chromedp.Click(chromedp.CSS(`#new-sop`)))
	p.wait(`document.querySelector('#template-gallery button[data-template]')`)
	p.audit("new SOP dialog", axe)
	p.do(chromedp.KeyEvent("\x1b"))

	id := p.createFromTemplate("saas-weekly")
	p.audit("editor", axe)
	p.selectNode("deploy-canary")
	p.audit("editor, step selected", axe)
	p.selectNode("canary-analysis")
	p.audit("editor, gate selected", axe)
	for _, tab := range []string{"yaml", "ai", "lint", "comments", "releases"} {
		p.tab(tab)
		p.wait(`!document.querySelector('.side [role=tab][data-tab=` + tab + `][aria-selected=false]')`)
		p.audit("editor, "+tab+" tab", axe)
	}
	// The states that show more: an Edit with AI preview, a comment, a
	// lane in the inspector, a release type, lint findings.
	p.tab("ai")
	p.do(chromedp.SendKeys(chromedp.CSS(`#ai-instruction`), "rename 'Watch canary error rates and latency' to 'Watch the canary'"))
	p.do(chromedp.Click(chromedp.CSS(`#ai-run`)))
	p.wait(`document.querySelector('#ai-diff .diff-add')`)
	p.audit("editor, Edit with AI preview", axe)
	p.do(chromedp.Click(chromedp.CSS(`#ai-accept`)))
	p.idle()
	p.selectNode("deploy-canary")
	p.tab("comments")
	p.do(chromedp.SendKeys(chromedp.CSS(`#comment-body`), "Is 5% enough?"))
	p.do(chromedp.Click(chromedp.CSS(`#comment-post`)))
	p.wait(`document.querySelector('#comment-threads .comment-body')`)
	p.audit("editor, a comment", axe)
	p.tab("releases")
	p.wait(`document.querySelector('#releases[aria-busy=false] #release-start-form select[data-role]')`)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { for (const s of document.querySelectorAll('#release-start-form select[data-role]')) s.value = 'ada@example.com'; })()`))
	p.do(chromedp.SendKeys(chromedp.CSS(`#release-name`), "1.0"), chromedp.Click(chromedp.CSS(`#release-start`)))
	p.wait(`document.querySelector('#release-view .ready-step')`)
	p.audit("editor, a release", axe)
	p.tab("inspect")
	p.do(chromedp.Click(chromedp.CSS(`#zoom-fit`)), chromedp.Click(chromedp.CSS(`#editor g.lane[data-id=qa-lead] text`)))
	p.wait(`document.querySelector('#role-name')`)
	p.audit("editor, lane selected", axe)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#release-type'); s.value = 'minor'; s.dispatchEvent(new Event('change')); })()`))
	p.wait(`document.querySelector('#variant-name')`)
	p.idle()
	p.audit("editor, release type", axe)
	if code := p.apiCall("POST", fmt.Sprintf("/api/sops/%d/ops", id), map[string]any{"ops": []map[string]any{
		{"op": "set", "kind": "step", "id": "go-no-go", "field": "approvers", "value": []string{}}}}); code >= 300 {
		p.fail("making a lint finding: status %d", code)
	}
	p.open(fmt.Sprintf("#/sops/%d", id))
	p.waitDiagram()
	p.tab("lint")
	p.wait(`document.querySelector('.side [role=tabpanel]:not([hidden]) li')`)
	p.audit("editor, lint findings", axe)

	p.do(chromedp.Click(chromedp.CSS(`#export-menu summary`)))
	// An open menu lies over what is under it; that part is audited above.
	p.auditPart("editor, export menu open", axe, `document.querySelector('#export-menu')`)

	p.open(fmt.Sprintf("#/sops/%d/history", id))
	p.wait(`document.querySelector('.history-view')`)
	p.audit("history", axe)
	rev := eval[float64](p, fmt.Sprintf(`fetch('/api/sops/%d').then((r) => r.json()).then((o) => o.document.revision)`, id))
	if code := p.apiCall("POST", fmt.Sprintf("/api/sops/%d/status", id), map[string]any{"status": "in-review", "base_revision": int(rev)}); code >= 300 {
		p.fail("submitting for review: status %d", code)
	}
	p.open(fmt.Sprintf("#/sops/%d/review", id))
	p.wait(`document.querySelector('#review-why') && document.querySelector('.review .diagram-stage svg')`)
	p.audit("review", axe)
	// Ada's release reaches its first gate, which then waits for her in
	// the library, under the count in the top bar.
	reached := eval[bool](p, fmt.Sprintf(`(async () => {
		const me = await (await fetch('/api/me')).json();
		const rel = (await (await fetch('/api/sops/%d/releases')).json()).releases[0];
		let v = await (await fetch('/api/releases/' + rel.id)).json();
		for (let i = 0; i < 40 && v.status.ready.length; i++) {
			if (v.status.ready[0].kind === 'gate') return true;
			const r = await fetch('/api/releases/' + rel.id + '/records', {method: 'POST',
				headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token},
				body: JSON.stringify({type: 'done', step: v.status.ready[0].step, evidence: ['https://ci.example.com/1']})});
			v = await r.json();
		}
		return false;
	})()`, id))
	if !reached {
		p.fail("Ada's release did not reach a gate")
	}
	p.open("#/")
	p.wait(`document.querySelector('#sop-list[aria-busy=false] a') && document.querySelector('#inbox:not([hidden]) .inbox-gate') && document.querySelector('#waiting-count')`)
	p.audit("library", axe)
	p.open("#/workspace")
	p.wait(`document.querySelector('#invite-form') && document.querySelector('#webhook-list p')`)
	p.do(chromedp.SendKeys(chromedp.CSS(`#webhook-url`), "https://chat.example.com/hooks/release"), chromedp.Click(chromedp.CSS(`#webhook-add`)))
	p.wait(`document.querySelector('#webhook-secret') && document.querySelector('#webhook-list .webhook')`)
	p.audit("members, with a webhook added", axe)
	p.open("#/account")
	p.wait(`document.querySelector('#email-notifications') && document.querySelector('form')`)
	p.audit("account: notifications and API tokens", axe)
}
