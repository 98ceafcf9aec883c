package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"
)

// The first view of a wide SOP is readable: the lanes as tall as the view
// (never below 70 % of the text's size), scrolled to the start of the flow.
// With RELSOP_README_SCREENSHOT=path the editor is also saved there for the
// README.
func TestReadableDiagram(t *testing.T) {
	base := startServer(t)
	p := newPage(t, startBrowser(t), base, "owner")
	p.do(chromedp.EmulateViewport(1400, 900))
	p.signUp("Ada Lovelace", "ada@example.com")
	id := p.createFromTemplate("saas-weekly")

	type view struct {
		Scale  float64 `json:"scale"`
		Left   float64 `json:"left"`   // the diagram's left edge, from the viewport's
		Width  float64 `json:"width"`  // the diagram's width on screen
		Height float64 `json:"height"` // the viewport's height
		Zoom   string  `json:"zoom"`
		Stored string  `json:"stored"`
	}
	current := func() view {
		return eval[view](p, `(() => {
			const vp = document.querySelector('#editor .diagram-viewport'), svg = vp.querySelector('svg');
			const a = vp.getBoundingClientRect(), b = svg.getBoundingClientRect();
			return {scale: Number(vp.dataset.scale), left: b.left - a.left, width: b.width, height: vp.clientHeight,
				zoom: document.querySelector('#zoom-level').textContent,
				stored: sessionStorage.getItem('relsop.view.sop-`+fmt.Sprint(id)+`') || ''};
		})()`)
	}

	first := current()
	if first.Scale < 0.7 || first.Scale > 1 {
		p.fail("the first view's zoom is %.3f, want between 0.7 and 1", first.Scale)
	}
	if first.Left < 0 || first.Left > 20 {
		p.fail("the first view does not start at the left of the diagram: its left edge is at %.0f px", first.Left)
	}
	if first.Width < 2*1400 {
		p.fail("the diagram is %.0f px wide on screen: the first view shows it whole, too small to read", first.Width)
	}
	if first.Height < 600 {
		p.fail("the diagram area is %.0f px tall in a 900 px window", first.Height)
	}
	if want := fmt.Sprintf("%.0f%%", first.Scale*100); first.Zoom != want {
		p.fail("the zoom reads %q, want %q", first.Zoom, want)
	}

	// A step to show in the side panel: a gate near the start has the most fields.
	step := eval[string](p, `(() => {
		const vp = document.querySelector('#editor .diagram-viewport').getBoundingClientRect();
		const seen = [...document.querySelectorAll('#editor g.node[data-id]')].filter(g => {
			const r = g.getBoundingClientRect();
			return r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom;
		});
		const pick = seen.find(g => g.dataset.kind === 'gate') || seen.find(g => g.dataset.kind === 'task') || seen[0];
		return pick ? pick.dataset.id : '';
	})()`)
	if step == "" {
		p.fail("no step is wholly in the first view")
	}
	p.selectNode(step)
	if v := current(); v.Scale != first.Scale || v.Left != first.Left {
		p.fail("selecting a step in view moved the diagram: %+v, was %+v", v, first)
	}
	// The "Selected …" message goes, and has slid out of the window.
	p.wait(`!document.querySelector('#toast.show') && document.querySelector('#toast').getBoundingClientRect().top >= innerHeight`)
	p.shot("50-editor-readable")
	if out := os.Getenv("RELSOP_README_SCREENSHOT"); out != "" {
		p.readmeShot(out)
	}

	// Fit all shows the whole width; Fit height the whole height.
	p.do(chromedp.Click(chromedp.CSS(`#zoom-fit`)))
	all := current()
	if all.Scale >= first.Scale || all.Width > 1400 {
		p.fail("Fit all: zoom %.3f, %.0f px wide", all.Scale, all.Width)
	}
	p.shot("51-fit-all")
	p.do(chromedp.Click(chromedp.CSS(`#zoom-height`)))
	tall := eval[float64](p, `(() => {
		const vp = document.querySelector('#editor .diagram-viewport'), svg = vp.querySelector('svg');
		return svg.getBoundingClientRect().height / vp.clientHeight;
	})()`)
	if tall < 0.95 || tall > 1 {
		p.fail("Fit height: the diagram is %.2f of the view's height", tall)
	}

	// The zoom is remembered for this SOP in this tab.
	p.do(chromedp.Click(chromedp.CSS(`#zoom-in`)))
	zoomed := current()
	p.wait(`(JSON.parse(sessionStorage.getItem('relsop.view.sop-` + fmt.Sprint(id) + `') || '{}').scale || 0).toFixed(3) === ` + js(fmt.Sprintf("%.3f", zoomed.Scale)))
	p.do(chromedp.Reload())
	p.waitDiagram()
	if again := current(); again.Scale != zoomed.Scale || again.Left != zoomed.Left {
		p.fail("after a reload the view is %+v, want the one left: %+v", again, zoomed)
	}
	p.do(chromedp.ResetViewport())
}

// readmeShot saves the page, at most ~400 KB, as the README's picture.
func (p *page) readmeShot(out string) {
	p.t.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.fail("README screenshot: %v", err)
	}
	if len(buf) > 400<<10 {
		buf = p.shrink(buf, 1280, 800)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(out, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("README screenshot: %s (%d KB)", out, len(buf)>>10)
}

func (p *page) shrink(buf []byte, w, h int) []byte {
	src, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		p.fail("decode the screenshot: %v", err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, dst); err != nil {
		p.fail("encode the screenshot: %v", err)
	}
	return out.Bytes()
}

// newSop opens the New SOP dialog on one of its tabs.
func (p *page) newSop(tab string) {
	p.t.Helper()
	p.open("#/")
	p.wait(`document.querySelector('#sop-list[aria-busy=false]') && document.querySelector('#new-sop')`)
	p.do(chromedp.Click(chromedp.CSS(`#new-sop`)))
	sel := js(`dialog[open] #tab-` + tab)
	p.wait(`document.querySelector(` + sel + `)`)
	// The tabs must not move as the template gallery loads or a tab's pane
	// changes the dialog's height: a centred dialog moved them under the
	// pointer, and a click aimed at one landed elsewhere.
	top := `Math.round(document.querySelector(` + sel + `).getBoundingClientRect().top)`
	before := eval[int](p, top)
	p.wait(`document.querySelector('#template-gallery[aria-busy=false]')`)
	p.do(chromedp.Click(chromedp.CSS(`dialog[open] #tab-` + tab)))
	p.wait(`document.querySelector(` + sel + `).getAttribute('aria-selected') === 'true'`)
	if after := eval[int](p, top); after != before {
		p.fail("the New SOP dialog's tabs moved from y=%d to y=%d as its content changed", before, after)
	}
}

// cards are the titles of the SOPs the library lists.
const cards = `[...document.querySelectorAll('#sop-list .sop-card .sop-title')].map(a => a.textContent)`

func TestCreateAndFind(t *testing.T) {
	base := startServer(t)
	p := newPage(t, startBrowser(t), base, "owner")
	p.signUp("Margaret Hamilton", "margaret@example.com")

	var generated string
	t.Run("generate from a brief", func(t *testing.T) {
		p.t = t
		p.newSop("generate")
		p.wait(`document.querySelector('#gen-brief')`)
		p.do(chromedp.SendKeys(chromedp.CSS(`#gen-brief`), "Weekly SaaS release, security approves auth changes, canary then full rollout"))
		p.shot("60-generate-brief")
		p.do(chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
		p.waitDiagram()
		p.wait(`!document.querySelector('dialog[open]')`)
		type sop struct {
			ID    int    `json:"id"`
			Title string `json:"title"`
			Steps int    `json:"steps"`
			Gates int    `json:"gates"`
			Lanes int    `json:"lanes"`
		}
		got := eval[sop](p, `({
			id: Number(document.querySelector('#editor').dataset.id),
			title: document.querySelector('#sop-heading').textContent,
			steps: document.querySelectorAll('#editor g.node[data-id]').length,
			gates: document.querySelectorAll('#editor g.node[data-kind=gate]').length,
			lanes: document.querySelectorAll('#editor g.lane[data-id]').length,
		})`)
		if got.ID == 0 || got.Title == "" || got.Steps < 5 || got.Gates < 1 || got.Lanes < 2 {
			p.fail("the generated SOP: %+v, want an editor with a title, steps, a gate and lanes", got)
		}
		if !strings.Contains(p.location(), fmt.Sprintf("#/sops/%d", got.ID)) {
			p.fail("the generated SOP opened at %s", p.location())
		}
		generated = got.Title
		p.shot("61-generated")
	})

	t.Run("import a GitHub Actions workflow", func(t *testing.T) {
		p.t = t
		file := filepath.Join(t.TempDir(), "release.yml")
		workflow := `name: Release
on:
  push:
    tags: ["v*"]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: go test ./...
  deploy:
    needs: test
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - run: ./scripts/deploy.sh
`
		if err := os.WriteFile(file, []byte(workflow), 0o644); err != nil {
			t.Fatal(err)
		}
		p.newSop("import")
		p.wait(`document.querySelector('dialog[open] input[type=file]')`)
		p.do(chromedp.SetUploadFiles(chromedp.CSS(`dialog[open] input[type=file]`), []string{file}))
		p.wait(`document.querySelector('dialog[open] input[type=file]').files.length === 1`)
		p.do(chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
		p.waitDiagram()
		p.wait(`document.querySelector('#sop-heading').textContent === 'Release'`)
		type sop struct {
			Jobs   []string `json:"jobs"`
			Lanes  []string `json:"lanes"`
			Deploy int      `json:"deploy"`
		}
		got := eval[sop](p, `({
			jobs: [...document.querySelectorAll('#editor g.node[data-id]')].map(g => g.dataset.id),
			lanes: [...document.querySelectorAll('#editor g.lane[data-id]')].map(g => g.dataset.id),
			deploy: document.querySelectorAll('#editor g.node[data-kind=deploy], #editor g.node[data-id=deploy]').length,
		})`)
		if !contains(got.Jobs, "test") || got.Deploy == 0 || !contains(got.Lanes, "github-actions") {
			p.fail("the imported workflow: %+v, want the test and deploy jobs in the GitHub Actions lane", got)
		}
		p.shot("62-imported")
	})

	t.Run("library filters and search", func(t *testing.T) {
		p.t = t
		if generated == "" {
			t.Fatal("no generated SOP to filter and search for: generate from a brief failed")
		}
		// The imported SOP goes to review; the generated one stays a draft.
		imported := eval[int](p, `Number(document.querySelector('#editor').dataset.id)`)
		rev := eval[int](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => b.document.revision)`, imported))
		if status := p.apiCall("POST", fmt.Sprintf("/api/sops/%d/status", imported), map[string]any{"status": "in-review", "base_revision": rev}); status != http.StatusOK {
			p.fail("status answered %d", status)
		}
		p.open("#/")
		p.wait(cards + `.length === 2`)
		p.shot("63-library")

		p.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const s = [...document.querySelectorAll('.filters select')].find(s => [...s.options].some(o => o.value === 'in-review'));
			s.value = 'in-review'; s.dispatchEvent(new Event('change'));
		})()`))
		p.wait(`document.querySelector('#sop-list[aria-busy=false]') && ` + cards + `.join('|') === 'Release'`)
		if badge := eval[string](p, `document.querySelector('#sop-list .sop-card .badge').textContent`); badge != "in-review" {
			p.fail("the filtered card's status reads %q", badge)
		}
		p.shot("64-library-in-review")

		p.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const s = [...document.querySelectorAll('.filters select')].find(s => [...s.options].some(o => o.value === 'in-review'));
			s.value = ''; s.dispatchEvent(new Event('change'));
		})()`))
		p.wait(cards + `.length === 2`)
		word := strings.Fields(generated)[0]
		p.do(chromedp.SendKeys(chromedp.CSS(`#sop-search`), word))
		p.wait(`document.querySelector('#sop-list[aria-busy=false]') && ` + cards + `.join('|') === ` + js(generated))
		p.shot("65-library-search")

		p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#sop-search').value = ''`),
			chromedp.SendKeys(chromedp.CSS(`#sop-search`), "no such procedure"))
		p.wait(`document.querySelector('#sop-list[aria-busy=false] .empty')`)
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *page) location() string {
	return eval[string](p, `location.href`)
}

// TestReviewAndMembers: undo and redo, the review workflow with two people,
// and an owner changing a member's role.
func TestReviewAndMembers(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	owner := newPage(t, browser, base, "owner")
	owner.signUp("Olga Owner", "olga@example.com")
	id := owner.createFromTemplate("devops-cicd")
	editorURL := fmt.Sprintf("#/sops/%d", id)

	t.Run("undo and redo a side-panel change", func(t *testing.T) {
		p := owner
		p.t = t
		step := eval[string](p, `document.querySelector('#editor g.node[data-kind=task], #editor g.node[data-kind=automated]').dataset.id`)
		p.selectNode(step)
		old := eval[string](p, `document.querySelector('#step-name').value`)
		if !eval[bool](p, `document.querySelector('#undo').disabled && document.querySelector('#redo').disabled`) {
			p.fail("undo or redo is enabled before any change")
		}
		p.do(chromedp.SetValue(chromedp.CSS(`#step-name`), "Smoke-test the build"))
		p.do(chromedp.Click(chromedp.CSS(`#apply`)))
		p.idle()
		p.wait(stepTitle(step) + `.includes('Smoke-test the build') && !document.querySelector('#undo').disabled`)

		p.do(chromedp.Click(chromedp.CSS(`#undo`)))
		p.idle()
		p.wait(stepTitle(step) + `.includes(` + js(old) + `) && !document.querySelector('#redo').disabled`)
		if got := eval[string](p, `document.querySelector('#step-name').value`); got != old {
			p.fail("after undo the side panel shows %q, want %q", got, old)
		}
		// The change and its undo go into the history as live edits.
		p.wait(`Number(document.querySelector('#revision').textContent.replace('revision ', '')) >= 2`)
		p.shot("70-undone")

		p.do(chromedp.Click(chromedp.CSS(`#redo`)))
		p.idle()
		p.wait(stepTitle(step) + `.includes('Smoke-test the build') && document.querySelector('#redo').disabled`)
		if got := eval[string](p, `document.querySelector('#step-name').value`); got != "Smoke-test the build" {
			p.fail("after redo the side panel shows %q", got)
		}
		p.shot("71-redone")
	})

	// A second member, an editor, through an invite link.
	owner.t = t
	owner.open("#/workspace")
	owner.wait(`document.querySelector('#invite-form')`)
	owner.do(chromedp.SetValue(chromedp.CSS(`#invite-role`), "editor"))
	owner.do(chromedp.Click(chromedp.CSS(`#invite-form button[type=submit]`)))
	owner.wait(`document.querySelector('#invite-url')`)
	invite := eval[string](owner, `document.querySelector('#invite-url').value`)
	reviewer := newPage(t, browser, base, "reviewer")
	reviewer.signUp("Rita Reviewer", "rita@example.com")
	reviewer.do(chromedp.Navigate(invite))
	reviewer.wait(`document.querySelector('#accept-invite')`)
	reviewer.do(chromedp.Click(chromedp.CSS(`#accept-invite`)))
	reviewer.wait(`document.querySelector('#sop-list[aria-busy=false] .sop-card')`)

	status := func(p *page) string {
		return eval[string](p, `document.querySelector('#editor .editor-head .badge[class*=badge-status-]').textContent`)
	}

	t.Run("review: the author submits but cannot approve", func(t *testing.T) {
		p := owner
		p.t = t
		p.open(editorURL)
		p.waitDiagram()
		p.do(chromedp.Click(chromedp.CSS(`#status-in-review`)))
		p.idle()
		p.wait(`document.querySelector('#status-approved')`)
		if s := status(p); s != "in-review" {
			p.fail("after submitting the status is %q", s)
		}
		p.do(chromedp.Click(chromedp.CSS(`#status-approved`)))
		p.idle()
		p.wait(`document.querySelector('#alert:not([hidden]) .alert-text')`)
		msg := eval[string](p, `document.querySelector('#alert .alert-text').textContent`)
		if !strings.Contains(msg, "someone else must approve") {
			p.fail("the author's approval shows %q", msg)
		}
		if s := status(p); s != "in-review" {
			p.fail("after the author's approval the status is %q", s)
		}
		p.shot("72-author-cannot-approve")

		// The review page tells the author why, and offers only to send it back.
		p.do(chromedp.Click(chromedp.CSS(`#review-link`)))
		p.wait(`document.querySelector('#review-why') && document.querySelector('.review .diagram-stage svg g.node[data-id]')`)
		if why := eval[string](p, `document.querySelector('#review-why').textContent`); !strings.Contains(why, "someone else must approve") {
			p.fail("the author's review page says %q", why)
		}
		if eval[bool](p, `!!document.querySelector('#review-approve') || !document.querySelector('#review-back')`) {
			p.fail("the author is offered to approve, or not to send it back")
		}
	})

	t.Run("review: another editor finds it in the inbox and approves it there", func(t *testing.T) {
		p := reviewer
		p.t = t
		p.open("#/")
		p.do(chromedp.Reload()) // she is still on the library she joined on, from before the submission
		card := fmt.Sprintf(`#inbox .inbox-review a[data-review="%d"]`, id)
		p.wait(`document.querySelector(` + js(card) + `) && document.querySelector('#waiting-count')`)
		if n := eval[string](p, `document.querySelector('#waiting-count').textContent`); n != "1" {
			p.fail("the top bar counts %s waiting, want 1 (the review)", n)
		}
		if txt := eval[string](p, `document.querySelector('#inbox .inbox-review').textContent`); !strings.Contains(txt, "submitted by Olga Owner") || !strings.Contains(txt, "never approved") {
			p.fail("the review card reads %q", txt)
		}
		p.do(chromedp.Click(chromedp.CSS(card)))
		p.wait(`document.querySelector('#review-approve') && document.querySelector('.review .diagram-stage svg g.node[data-id]')`)
		if sum := eval[string](p, `document.querySelector('#review-summary').textContent`); !strings.Contains(sum, "Submitted for review by Olga Owner") || !strings.Contains(sum, "Never approved") {
			p.fail("the review page's summary reads %q", sum)
		}
		p.shot("73-review-page")
		p.do(chromedp.Click(chromedp.CSS(`#review-approve`)))
		p.wait(`document.querySelector('#review-summary .badge').textContent === 'approved' && !document.querySelector('#review-approve')`)
		if shown := eval[bool](p, `!document.querySelector('#alert').hidden`); shown {
			p.fail("the approval shows an error: %s", eval[string](p, `document.querySelector('#alert').textContent`))
		}
		p.open(editorURL)
		p.waitDiagram()
		p.wait(`document.querySelector('#status-retired')`)
		if s := status(p); s != "approved" {
			p.fail("after the reviewer's approval the status is %q", s)
		}
		p.shot("74-approved")
	})

	// A chat channel for the workspace's release events.
	var channel struct {
		sync.Mutex
		events []string // event:step
	}
	chat := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var e struct {
			Event string `json:"event"`
			Step  struct {
				ID string `json:"id"`
			} `json:"step"`
		}
		_ = json.NewDecoder(r.Body).Decode(&e)
		channel.Lock()
		channel.events = append(channel.events, e.Event+":"+e.Step.ID)
		channel.Unlock()
	}))
	defer chat.Close()
	heard := func(event string) bool {
		channel.Lock()
		defer channel.Unlock()
		return slices.Contains(channel.events, event)
	}

	t.Run("webhooks: the owner posts release events to a chat channel and tests it", func(t *testing.T) {
		p := owner
		p.t = t
		p.open("#/workspace")
		p.wait(`document.querySelector('#webhook-form') && document.querySelector('#webhook-list p, #webhook-list ul')`)
		p.do(chromedp.SendKeys(chromedp.CSS(`#webhook-url`), chat.URL+"/hooks/release"))
		p.do(chromedp.Click(chromedp.CSS(`#webhook-event-release-finished`))) // every event but this one
		p.do(chromedp.Click(chromedp.CSS(`#webhook-add`)))
		p.wait(`document.querySelector('#webhook-secret') && document.querySelector('#webhook-list .webhook')`)
		if secret := eval[string](p, `document.querySelector('#webhook-secret').value`); !strings.HasPrefix(secret, "whsec_") {
			p.fail("the secret shown reads %q", secret)
		}
		if events := eval[string](p, `document.querySelector('#webhook-list .webhook .muted').textContent`); strings.Contains(events, "release.finished") || !strings.Contains(events, "gate.waiting") {
			p.fail("the webhook's events read %q", events)
		}
		p.do(chromedp.Click(chromedp.CSS(`#webhook-list .webhook button`)))
		p.wait(`document.querySelector('#webhook-list .webhook-last[data-status="200"]')`)
		if !heard("ping:") {
			p.fail("the chat channel did not get the test")
		}
		p.shot("72a-webhooks")
	})

	t.Run("release: the owner records steps, the reviewer signs the gate the roster gives her", func(t *testing.T) {
		p := owner
		p.t = t
		p.open(editorURL)
		p.waitDiagram()
		p.do(chromedp.Click(chromedp.CSS(`button[data-tab=releases]`)))
		p.wait(`document.querySelector('#releases[aria-busy=false] #release-start-form select[data-role=developer]')`)
		if eval[bool](p, `document.querySelector('#release-rehearsal').checked`) {
			p.fail("an approved SOP starts as a rehearsal by default")
		}
		// Rita holds the developer role, who signs the peer review; Olga every other.
		eval[bool](p, `(() => { for (const s of document.querySelectorAll('#release-start-form select[data-role]'))
			s.value = s.dataset.role === 'developer' ? 'rita@example.com' : 'olga@example.com'; return true })()`)
		p.do(chromedp.SendKeys(chromedp.CSS(`#release-name`), "2026.11.1"))
		p.do(chromedp.Click(chromedp.CSS(`#release-start`)))
		p.wait(`document.querySelector('#release-view[data-state=in-progress] .ready-step')`)
		for i := 0; !eval[bool](p, `!!document.querySelector('.ready-step[data-step=peer-review]')`); i++ {
			if i == 20 {
				p.fail("the release did not reach the peer review")
			}
			head := eval[string](p, `document.querySelector('#release-view').dataset.head`)
			step := eval[string](p, `(() => { const c = [...document.querySelectorAll('.ready-step')].find((c) => c.querySelector('[data-action=done]')); return c ? c.dataset.step : '' })()`)
			if step == "" {
				p.fail("no step to carry out before the peer review")
			}
			card := fmt.Sprintf(`.ready-step[data-step=%q]`, step)
			p.do(chromedp.SendKeys(chromedp.CSS(card+` .release-evidence`), "https://ci.example.com/1"))
			p.do(chromedp.Click(chromedp.CSS(card + ` [data-action=done]`)))
			p.wait(`document.querySelector('#release-view').dataset.head !== ` + js(head))
		}
		for i := 0; !heard("gate.waiting:peer-review"); i++ {
			if i == 200 {
				p.fail("the chat channel did not hear that the peer review waits: %v", channel.events)
			}
			time.Sleep(10 * time.Millisecond)
		}
		// The release's progress is marked on the editor's diagram while its
		// tab is open, and said in each step's label.
		p.wait(`document.querySelector('#editor g.node[data-id=peer-review][data-run=ready] .run-mark') && !document.querySelector('#run-legend').hidden`)
		if label := eval[string](p, `document.querySelector('#editor g.node[data-id=peer-review]').getAttribute('aria-label')`); !strings.HasSuffix(label, "(ready now)") {
			p.fail("the peer review's label reads %q", label)
		}
		if done := eval[int](p, `document.querySelectorAll('#editor g.node[data-run=done]').length`); done < 2 {
			p.fail("%d steps marked done on the diagram", done)
		}
		p.shot("73a-release-on-diagram")
		p.tab("comments")
		p.wait(`document.querySelector('#run-legend').hidden && !document.querySelector('#editor g.node[data-run]')`)
		p.tab("releases")
		p.wait(`document.querySelector('#editor g.node[data-id=peer-review][data-run=ready]')`)
		p.do(chromedp.Click(chromedp.CSS(`#run-legend-hide`)))
		p.wait(`!document.querySelector('#editor g.node[data-run]') && !document.querySelector('#release-on-diagram').checked`)
		p.do(chromedp.Click(chromedp.CSS(`#release-on-diagram`)))
		p.wait(`document.querySelector('#editor g.node[data-id=peer-review][data-run=ready]')`)
		if eval[bool](p, `!!document.querySelector('.ready-step[data-step=peer-review] [data-action=sign]')`) {
			p.fail("Olga is offered to sign the peer review, which the roster gives to Rita")
		}
		p.wait(`(() => { const i = document.querySelector('#release-progress img'); return i && i.complete && i.naturalWidth > 0 })()`)

		// Rita finds the gate waiting for her in the library, and the count
		// of what waits for her in the top bar.
		r := reviewer
		r.t = t
		r.open("#/")
		gate := `#inbox:not([hidden]) .inbox-gate a[data-gate=peer-review]`
		r.wait(`document.querySelector(` + js(gate) + `)`)
		if text := eval[string](r, `document.querySelector('#inbox .inbox-gate').textContent`); !strings.Contains(text, "in release 2026.11.1 of DevOps CI/CD release flow") || !strings.Contains(text, "as developer") {
			r.fail("the gate waiting for Rita reads %q", text)
		}
		r.wait(`document.querySelector('#waiting-count') && document.querySelector('#waiting-count').textContent === '1'`)
		r.shot("73b-inbox-gate")

		// A day later (the peer review escalates after 1d), the gate is
		// overdue for Rita, and waits for Olga too, who holds the
		// escalation role.
		shiftServerClock(t, 25*time.Hour)
		r.open("#/sops")
		r.open("#/")
		r.wait(`document.querySelector('#inbox:not([hidden]) .inbox-gate.overdue')`)
		if text := eval[string](r, `document.querySelector('#inbox .inbox-gate').textContent`); !strings.Contains(text, "escalation to engineering-manager was due") || !strings.Contains(text, "as developer") {
			r.fail("the overdue gate reads %q for Rita", text)
		}
		p.open("#/sops")
		p.open("#/")
		p.wait(`document.querySelector('#inbox:not([hidden]) .inbox-gate.overdue')`)
		if text := eval[string](p, `document.querySelector('#inbox .inbox-gate').textContent`); !strings.Contains(text, "“Peer review approval” is overdue in release 2026.11.1") || !strings.Contains(text, "its escalation path goes to you (engineering-manager)") {
			p.fail("the overdue gate reads %q for Olga", text)
		}
		p.shot("73b-inbox-overdue")
		p.do(chromedp.Click(chromedp.CSS(`#inbox .inbox-gate a[data-gate=peer-review]`))) // back to the release, to watch Rita sign
		p.wait(`document.querySelector('#release-view[data-state=in-progress] .ready-step[data-step=peer-review]')`)
		r.do(chromedp.Click(chromedp.CSS(gate)))
		sign := `.ready-step[data-step=peer-review] [data-action=sign][data-outcome=approved][data-role=developer]`
		r.wait(`document.querySelector(` + js(sign) + `)`)
		r.do(chromedp.Click(chromedp.CSS(sign)))
		r.wait(`[...document.querySelectorAll('#release-records li')].some((li) => li.textContent.includes('rita@example.com') && li.textContent.includes('signed approved'))`)
		if eval[bool](r, `!!document.querySelector('.ready-step[data-step=peer-review]')`) {
			r.fail("the peer review is still waiting after its only approver signed")
		}
		r.shot("73c-release-signed")

		// Olga, still looking at the release, sees Rita's sign-off arrive.
		p.wait(`[...document.querySelectorAll('#release-records li')].some((li) => li.textContent.includes('rita@example.com'))`)

		// The library lists the release in progress, and leads to it.
		r.open("#/")
		r.wait(`document.querySelector('#running-releases:not([hidden]) a[data-release]')`)
		if text := eval[string](r, `document.querySelector('#running-releases').textContent`); !strings.Contains(text, "Release 2026.11.1 of DevOps CI/CD release flow") {
			r.fail("the library's releases in progress say %q", text)
		}
		if eval[bool](r, `!document.querySelector('#inbox').hidden`) {
			r.fail("the library still shows the signed gate waiting: %s", eval[string](r, `document.querySelector('#inbox').textContent`))
		}
		r.shot("73d-library-running")
		r.do(chromedp.Click(chromedp.CSS(`#running-releases a[data-release]`)))
		r.wait(`document.querySelector('#release-view[data-state=in-progress]')`)
	})

	t.Run("inbox: a mention waits for Rita until she answers it", func(t *testing.T) {
		p := owner
		p.t = t
		p.open(editorURL)
		p.waitDiagram()
		p.do(chromedp.Click(chromedp.CSS(`button[data-tab=comments]`)))
		p.do(chromedp.SendKeys(chromedp.CSS(`#comment-body`), "@rita can you check the rollback?"))
		p.do(chromedp.Click(chromedp.CSS(`#comment-post`)))
		p.wait(`[...document.querySelectorAll('#comment-threads .comment')].some((c) => c.textContent.includes('check the rollback'))`)

		r := reviewer
		r.t = t
		r.open("#/")
		mention := `#inbox:not([hidden]) .inbox-mention a[data-comment]`
		r.wait(`document.querySelector(` + js(mention) + `)`)
		if text := eval[string](r, `document.querySelector('#inbox .inbox-mention').textContent`); !strings.Contains(text, "mentioned you on DevOps CI/CD release flow") || !strings.Contains(text, "check the rollback") {
			r.fail("the mention reads %q", text)
		}
		r.shot("74-inbox-mention")
		r.do(chromedp.Click(chromedp.CSS(mention)))
		r.wait(`document.querySelector('#comment-threads .comment.wanted') && document.activeElement && document.activeElement.closest('.reply')`)
		if text := eval[string](r, `document.querySelector('.comment.wanted').textContent`); !strings.Contains(text, "check the rollback") {
			r.fail("the comment brought into view reads %q", text)
		}
		r.do(chromedp.SendKeys(chromedp.CSS(`.thread:has(.comment.wanted) .reply textarea`), "Checked: it rolls back in one step."))
		r.do(chromedp.Click(chromedp.CSS(`.thread:has(.comment.wanted) .reply button[type=submit]`)))
		r.wait(`[...document.querySelectorAll('#comment-threads .comment')].some((c) => c.textContent.includes('rolls back in one step'))`)
		r.open("#/")
		r.wait(`document.querySelector('#inbox[data-loaded]') && document.querySelector('#nav-library[data-waiting]')`)
		if eval[bool](r, `!document.querySelector('#inbox').hidden || !!document.querySelector('#waiting-count')`) {
			r.fail("after her answer the mention still waits: %s", eval[string](r, `document.querySelector('#inbox').textContent`))
		}
	})

	t.Run("lessons: an aborted release suggests reviewing the SOP", func(t *testing.T) {
		p := owner
		p.t = t
		p.open(editorURL)
		p.waitDiagram()
		if eval[bool](p, `!!document.querySelector('#review-suggested')`) {
			p.fail("a review is suggested while the release still runs")
		}
		p.do(chromedp.Click(chromedp.CSS(`button[data-tab=releases]`)))
		p.wait(`document.querySelector('#release-list .release-card')`)
		p.do(chromedp.Click(chromedp.CSS(`#release-list .release-card`)))
		p.wait(`document.querySelector('#release-view[data-state=in-progress] #abort-reason')`)
		p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#abort-reason').closest('details').open = true`))
		p.do(chromedp.SendKeys(chromedp.CSS(`#abort-reason`), "The payment provider is down"))
		p.do(chromedp.Click(chromedp.CSS(`#abort-reason + button`)))
		p.wait(`document.querySelector('#release-view[data-state=aborted]')`)
		p.do(chromedp.Reload())
		p.wait(`document.querySelector('#review-suggested')`)
		text := eval[string](p, `document.querySelector('#review-suggested').textContent`)
		if !strings.Contains(text, "Release 2026.11.1 ended") || !strings.Contains(text, "it was aborted") || !strings.Contains(text, "record the review") {
			p.fail("the suggestion reads %q", text)
		}
		p.shot("74a-review-suggested")
		p.do(chromedp.Click(chromedp.CSS(`#review-suggested a`)))
		p.wait(`document.querySelector('#release-view[data-state=aborted]')`)

		// Olga held the SOP's owner role (release-manager) in that release:
		// the library's Waiting for you asks her to review it.
		p.open("#/")
		card := fmt.Sprintf(`#inbox:not([hidden]) .inbox-suggested a[data-suggested="%d"]`, id)
		p.wait(`document.querySelector(` + js(card) + `)`)
		if text := eval[string](p, `document.querySelector('#inbox .inbox-suggested').textContent`); !strings.Contains(text, "Review “DevOps CI/CD release flow” after release 2026.11.1") || !strings.Contains(text, "It was aborted · ended") {
			p.fail("the suggested review's card reads %q", text)
		}
		p.shot("74b-inbox-suggested")
		p.do(chromedp.Click(chromedp.CSS(card)))
		p.wait(`document.querySelector('#review-suggested #suggested-reviewed')`)

		// She finds nothing to change: one click records the review, which
		// settles the suggestion here, after a reload and in her list.
		p.do(chromedp.Click(chromedp.CSS(`#suggested-reviewed`)))
		p.wait(`!document.querySelector('#review-suggested') && document.querySelector('#status').textContent === 'Marked the SOP as reviewed today.'`)
		p.do(chromedp.Reload())
		p.waitDiagram()
		p.wait(`document.querySelector('[data-suggestions-loaded]')`) // the releases are asked for after the first draw
		if eval[bool](p, `!!document.querySelector('#review-suggested')`) {
			p.fail("the suggestion is back after a reload: %s", eval[string](p, `document.querySelector('#review-suggested').textContent`))
		}
		p.open("#/")
		p.wait(`document.querySelector('#inbox[data-loaded]')`)
		if eval[bool](p, `!!document.querySelector('#inbox .inbox-suggested')`) {
			p.fail("the library still suggests the review")
		}
	})

	t.Run("members: change a role", func(t *testing.T) {
		p := owner
		p.t = t
		p.open("#/workspace")
		sel := `#members select[aria-label="Role of Rita Reviewer"]`
		p.wait(`document.querySelector(` + js(sel) + `)`)
		if v := eval[string](p, `document.querySelector(`+js(sel)+`).value`); v != "editor" {
			p.fail("Rita's role reads %q, want editor", v)
		}
		p.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const s = document.querySelector(` + js(sel) + `);
			s.value = 'viewer'; s.dispatchEvent(new Event('change'));
		})()`))
		p.wait(`document.querySelector('#status').textContent === 'Rita Reviewer is now viewer.'`)
		p.wait(`document.querySelector(` + js(sel) + `) && document.querySelector(` + js(sel) + `).value === 'viewer'`)
		role := eval[string](p, `(async () => {
			const ws = (await (await fetch('/api/me')).json()).workspaces[0].id;
			const m = (await (await fetch('/api/workspaces/' + ws + '/members')).json()).members;
			return m.find(x => x.email === 'rita@example.com').role;
		})()`)
		if role != "viewer" {
			p.fail("the server has Rita as %q, want viewer", role)
		}
		p.shot("74-members")

		// Rita now only views.
		reviewer.t = t
		reviewer.open("#/")
		reviewer.wait(`document.querySelector('#sop-list[aria-busy=false]')`)
		reviewer.open(editorURL)
		reviewer.waitDiagram()
		if n := eval[int](reviewer, `document.querySelectorAll('#undo, #status-retired, #duplicate').length`); n != 0 {
			reviewer.fail("a viewer still sees %d editing buttons", n)
		}
		reviewer.shot("75-now-viewer")
	})

	t.Run("account: a member turns notification emails off", func(t *testing.T) {
		p := reviewer
		p.t = t
		p.open("#/")
		p.wait(`document.querySelector('#nav a[href="#/account"]')`)
		p.do(chromedp.Click(chromedp.CSS(`#nav a[href="#/account"]`)))
		p.wait(`document.querySelector('#email-notifications') && document.querySelector('table.tokens')`)
		if !eval[bool](p, `document.querySelector('#email-notifications').checked`) {
			p.fail("notification emails are off for a new account")
		}
		// This test server sends no email: the page says so.
		if !eval[bool](p, `document.querySelector('#notifications').textContent.includes('sends no emails yet')`) {
			p.fail("the page does not say that the server sends no email")
		}
		// One summary a day instead of an email each time.
		if !eval[bool](p, `document.querySelector('#email-each').checked && !document.querySelector('#email-when').disabled`) {
			p.fail("a new account does not get an email each time, or cannot choose")
		}
		p.do(chromedp.Click(chromedp.CSS(`#email-daily`)))
		p.wait(`document.querySelector('#email-notifications-status').textContent === 'Saved: one summary a day.'`)
		// In the morning of Tokyo, not of the server.
		if !eval[bool](p, `document.querySelector('#digest-zone').value === '' && document.querySelector('#digest-zone option[value="Asia/Tokyo"]') !== null`) {
			p.fail("the time zone does not start at the server's, or does not offer Tokyo")
		}
		p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#digest-zone'); s.value = 'Asia/Tokyo'; s.dispatchEvent(new Event('change')); })()`))
		p.wait(`document.querySelector('#email-notifications-status').textContent === 'Saved: summaries in Asia/Tokyo.'`)
		// A zone the server does not know is refused, said, and put back.
		p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#digest-zone');
			s.append(new Option('Mars/Olympus_Mons', 'Mars/Olympus_Mons')); s.value = 'Mars/Olympus_Mons'; s.dispatchEvent(new Event('change')); })()`))
		p.wait(`!document.querySelector('#alert').hidden && document.querySelector('#alert').textContent.includes('Unknown time zone')`)
		if zone := eval[string](p, `document.querySelector('#digest-zone').value`); zone != "Asia/Tokyo" {
			p.fail("after a refused zone the select reads %q, want Asia/Tokyo", zone)
		}
		p.do(chromedp.Click(chromedp.CSS(`#alert .alert-close`)))
		p.do(chromedp.Click(chromedp.CSS(`#email-notifications`)))
		p.wait(`document.querySelector('#email-notifications-status').textContent === 'Saved: emails off.'`)
		if !eval[bool](p, `document.querySelector('#email-when').disabled`) {
			p.fail("with emails off, how they come can still be chosen")
		}
		p.shot("76-account")
		p.do(chromedp.Reload()) // the page asks the server anew
		p.wait(`document.querySelector('#email-notifications')`)
		if eval[bool](p, `document.querySelector('#email-notifications').checked`) {
			p.fail("notification emails are on again after a reload")
		}
		if !eval[bool](p, `document.querySelector('#email-daily').checked`) {
			p.fail("the daily summary is not chosen after a reload")
		}
		if zone := eval[string](p, `document.querySelector('#digest-zone').value`); zone != "Asia/Tokyo" {
			p.fail("the summary's time zone reads %q after a reload, want Asia/Tokyo", zone)
		}
	})
}
