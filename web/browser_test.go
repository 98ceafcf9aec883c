package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/internal/headless"
	"github.com/relsop/relsop/internal/live"
	"github.com/relsop/relsop/internal/notify"
	"github.com/relsop/relsop/internal/server"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/testenv"
	"github.com/relsop/relsop/internal/workspace"
	"github.com/relsop/relsop/web"
)

// The browser tests drive the real workspace (server, SQLite store and the
// embedded app) in headless Chromium. Screenshots go to RELSOP_SCREENSHOTS
// when set, else to the test's temporary directory.

const password = "correct horse battery"

// startServer runs relsop serve's handler on 127.0.0.1:0 over a temporary
// SQLite database and returns its address.
// serverShift moves the clock of the servers the tests start, so that a
// test can see a gate become overdue without waiting for it; see
// shiftServerClock.
var serverShift atomic.Int64

func serverNow() time.Time { return time.Now().Add(time.Duration(serverShift.Load())) }

// shiftServerClock moves the servers' clock d ahead until the test ends.
func shiftServerClock(t *testing.T, d time.Duration) {
	serverShift.Add(int64(d))
	t.Cleanup(func() { serverShift.Add(-int64(d)) })
}

func startServer(t *testing.T) string {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "relsop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	// Webhooks go to receivers the tests run on loopback.
	sender := notify.New(notify.Options{AllowPrivate: true, Backoff: []time.Duration{}, Record: workspace.RecordDelivery(store)})
	t.Cleanup(sender.Close)
	svc := workspace.New(store, workspace.Options{Notify: sender, WebhooksPrivate: true, Now: serverNow})
	hub := live.New(svc, live.Options{CheckpointIdle: 300 * time.Millisecond})
	handler := server.New(server.Config{Service: svc, Assets: web.Assets(), Live: hub})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hub.Close(ctx)
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// shared is the one Chromium of the test binary: starting it is the slow
// part, and every page opens in a browser context of its own (its own
// cookies and storage), so the tests share it. TestMain stops it.
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// startBrowser starts Chromium once and returns a context for its first tab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := headless.Find("/usr/bin/chromium")
	if err != nil {
		testenv.Missing(t, err.Error())
	}
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "relsop-chromium-")
		if shared.err != nil {
			return
		}
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), headless.Options(path, shared.dir)...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		shared.ctx = ctx
		shared.cancel = func() { cancel(); cancelAlloc() }
		shared.err = chromedp.Do(ctx)
	})
	if shared.err != nil {
		t.Fatalf("start chromium: %v", shared.err)
	}
	return shared.ctx
}

// page is one browser tab (with its own cookies) on the test server.
type page struct {
	t     *testing.T
	ctx   context.Context
	base  string
	name  string
	mu    sync.Mutex
	log   []string
	shots string
}

func newPage(t *testing.T, browser context.Context, base, name string) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("RELSOP_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, base: base, name: name, shots: dir}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.log = append(p.log, m.String())
			p.mu.Unlock()
		}
	}()
	return p
}

// fail takes a screenshot and stops the test with the console's messages.
func (p *page) fail(format string, args ...any) {
	p.t.Helper()
	p.shot("failed-" + p.t.Name())
	p.mu.Lock()
	console := strings.Join(p.log, "\n  ")
	p.mu.Unlock()
	p.t.Fatalf("%s: %s\nbrowser console:\n  %s", p.name, fmt.Sprintf(format, args...), console)
}

func (p *page) timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, 20*time.Second)
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail("%v", err)
	}
}

// wait polls a JavaScript expression until it is truthy.
func (p *page) wait(expr string) {
	p.t.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		p.fail("waiting for %s: %v", expr, err)
	}
}

func eval[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := p.timeout()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail("evaluate %s: %v", expr, err)
	}
	return v
}

func (p *page) shot(name string) {
	ctx, cancel := p.timeout()
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(p.shots, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p.t.Logf("screenshot: %s", file)
}

func (p *page) open(hash string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + "/" + hash))
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (p *page) signUp(name, email string) {
	p.t.Helper()
	p.open("#/signup")
	p.wait(`document.querySelector('#signup-form')`)
	p.do(
		chromedp.SendKeys(chromedp.CSS(`#signup-form input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`#signup-form input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`#signup-form input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`#signup-form button[type=submit]`)),
	)
	p.wait(`document.querySelector('#sop-list[aria-busy=false]') && document.querySelector('#nav .who')`)
}

// createFromTemplate makes an SOP from a template in the UI and returns its id.
func (p *page) createFromTemplate(template string) int {
	p.t.Helper()
	p.open("#/")
	p.wait(`document.querySelector('#new-sop')`)
	p.do(chromedp.Click(chromedp.CSS(`#new-sop`)))
	sel := fmt.Sprintf(`#template-gallery button[data-template=%q]`, template)
	p.wait(`document.querySelector(` + js(sel) + `)`)
	p.do(chromedp.Click(chromedp.CSS(sel)))
	p.waitDiagram()
	return eval[int](p, `Number(document.querySelector('#editor').dataset.id)`)
}

func (p *page) waitDiagram() {
	p.t.Helper()
	p.wait(`document.querySelector('#editor[aria-busy=false] .diagram-stage svg g.node[data-id]')`)
}

// idle waits until the editor has saved and drawn the last change.
func (p *page) idle() {
	p.t.Helper()
	p.wait(`document.querySelector('#editor[aria-busy=false]')`)
}

// selectNode clicks a step in the diagram and waits for the inspector.
func (p *page) selectNode(id string) {
	p.t.Helper()
	p.idle()
	sel := fmt.Sprintf(`#editor g.node[data-id=%q]`, id)
	p.do(chromedp.Click(chromedp.CSS(sel)))
	p.wait(`document.querySelector('#step-name') && document.querySelector(` + js(sel+`.selected`) + `)`)
}

// stepTitle is the full name of a step as the diagram's <title> says it.
func stepTitle(id string) string {
	return fmt.Sprintf(`((document.querySelector('#editor g.node[data-id=%q] > title') || {}).textContent || '')`, id)
}

func (p *page) tab(name string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(`.side [role=tab][data-tab=` + name + `]`)))
}

// apiCall runs fetch in the page with the session cookie and CSRF token,
// and returns the status.
func (p *page) apiCall(method, path string, body any) int {
	p.t.Helper()
	b, _ := json.Marshal(body)
	return eval[int](p, fmt.Sprintf(`(async () => {
		const me = await (await fetch('/api/me')).json();
		const r = await fetch(%s, {method: %s, headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token}, body: %s});
		return r.status;
	})()`, js(path), js(method), js(string(b))))
}

func TestWorkspaceFlows(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	p := newPage(t, browser, base, "owner")

	t.Run("sign up", func(t *testing.T) {
		p.t = t
		p.open("")
		p.wait(`document.querySelector('#signin-form')`)
		p.shot("01-signin")
		p.signUp("Ada Lovelace", "ada@example.com")
		if who := eval[string](p, `document.querySelector('#nav .who').textContent`); who != "Ada Lovelace" {
			p.fail("signed in as %q, want Ada Lovelace", who)
		}
		p.shot("02-library-empty")
	})

	var id int
	var step, oldName string
	t.Run("create from a template", func(t *testing.T) {
		p.t = t
		p.open("#/")
		p.wait(`document.querySelector('#new-sop')`)
		p.do(chromedp.Click(chromedp.CSS(`#new-sop`)))
		p.wait(`document.querySelectorAll('#template-gallery img').length >= 4 && [...document.querySelectorAll('#template-gallery img')].every(i => i.complete && i.naturalWidth > 0)`)
		p.shot("03-template-gallery")
		p.do(chromedp.Click(chromedp.CSS(`#template-gallery button[data-template="saas-weekly"]`)))
		p.waitDiagram()
		id = eval[int](p, `Number(document.querySelector('#editor').dataset.id)`)
		if got := eval[string](p, `document.querySelector('#sop-heading').textContent`); got != "Weekly SaaS feature release" {
			p.fail("heading %q", got)
		}
		p.shot("04-editor")
	})

	t.Run("rename a step in the side panel", func(t *testing.T) {
		p.t = t
		step = eval[string](p, `document.querySelector('#editor g.node[data-kind=task]').dataset.id`)
		p.selectNode(step)
		oldName = eval[string](p, `document.querySelector('#step-name').value`)
		p.do(chromedp.SetValue(chromedp.CSS(`#step-name`), "Check the canary dashboards"))
		p.do(chromedp.Click(chromedp.CSS(`#apply`)))
		p.wait(stepTitle(step) + `.includes('Check the canary dashboards')`)
		p.idle()
		// Live edits go into the history a moment after the last one.
		p.wait(`document.querySelector('#revision').textContent === 'revision 2'`)
		p.shot("05-step-renamed")
	})

	t.Run("edit with AI", func(t *testing.T) {
		p.t = t
		p.tab("ai")
		p.do(chromedp.SendKeys(chromedp.CSS(`#ai-instruction`), "rename 'Check the canary dashboards' to 'Review the canary metrics'"))
		p.do(chromedp.Click(chromedp.CSS(`#ai-run`)))
		p.wait(`document.querySelector('#ai-diff .diff-add') && document.querySelector('#ai-diff .diff-del')`)
		p.shot("06-ai-diff")
		if added := eval[string](p, `[...document.querySelectorAll('#ai-diff .diff-add')].map(e => e.textContent).join('')`); !strings.Contains(added, "Review the canary metrics") {
			p.fail("the diff's added lines do not show the new name: %q", added)
		}
		p.do(chromedp.Click(chromedp.CSS(`#ai-accept`)))
		p.wait(stepTitle(step) + `.includes('Review the canary metrics')`)
		p.wait(`document.querySelector('#revision').textContent === 'revision 3'`)
	})

	t.Run("comment on a step", func(t *testing.T) {
		p.t = t
		p.selectNode(step)
		p.tab("comments")
		p.do(chromedp.SendKeys(chromedp.CSS(`#comment-body`), "Is 15 minutes enough? @Ada Lovelace"))
		p.do(chromedp.Click(chromedp.CSS(`#comment-post`)))
		p.wait(`document.querySelector('#comment-threads .thread .comment-body')`)
		body := eval[string](p, `document.querySelector('#comment-threads .comment-body').textContent`)
		if !strings.HasPrefix(body, "Is 15 minutes enough?") {
			p.fail("comment body %q", body)
		}
		if m := eval[string](p, `(document.querySelector('#comment-threads .mention') || {}).textContent`); m != "@Ada Lovelace" {
			p.fail("the mention is highlighted as %q, want @Ada Lovelace", m)
		}
		p.do(chromedp.Click(chromedp.CSS(`#comment-threads .thread .actions button:nth-child(2)`))) // Resolve
		p.wait(`document.querySelector('#comment-threads .thread.resolved')`)
		p.shot("07-comment")
	})

	t.Run("history and restore", func(t *testing.T) {
		p.t = t
		p.do(chromedp.Click(chromedp.CSS(`#history-link`)))
		p.wait(`document.querySelectorAll('#revisions tbody tr').length === 3 && document.querySelector('.history-view svg')`)
		p.do(chromedp.Click(chromedp.CSS(`#compare`)))
		p.wait(`document.querySelector('#compare-list li')`)
		changes := eval[string](p, `document.querySelector('#compare-list').textContent`)
		if !strings.Contains(changes, "Review the canary metrics") {
			p.fail("the comparison of 2 and 3 does not mention the new name: %q", changes)
		}
		p.shot("08-history-compare")
		p.do(chromedp.Click(chromedp.CSS(`button[data-restore="1"]`)))
		p.wait(`document.querySelector('dialog[open] .btn-primary')`)
		p.do(chromedp.Click(chromedp.CSS(`dialog[open] .btn-primary`)))
		p.wait(`document.querySelectorAll('#revisions tbody tr').length === 4`)
		p.open(fmt.Sprintf("#/sops/%d", id))
		p.waitDiagram()
		p.wait(stepTitle(step) + `.includes(` + js(oldName) + `)`)
		p.shot("09-restored")
	})

	t.Run("narrow window and shortcuts", func(t *testing.T) {
		p.t = t
		p.do(chromedp.EmulateViewport(600, 1000))
		p.open(fmt.Sprintf("#/sops/%d", id))
		p.waitDiagram()
		// The side panel stacks under the diagram.
		if below := eval[bool](p, `document.querySelector('.side').getBoundingClientRect().top >= document.querySelector('.diagram-wrap').getBoundingClientRect().bottom`); !below {
			p.fail("the side panel is not under the diagram in a narrow window")
		}
		p.shot("10-narrow")
		p.do(chromedp.ResetViewport())
		p.do(chromedp.Click(chromedp.CSS(`#sop-heading`)), chromedp.KeyEvent("?"))
		p.wait(`document.querySelector('dialog[open] .shortcuts')`)
		p.shot("11-shortcuts")
		p.do(chromedp.KeyEvent("\x1b")) // Escape closes the dialog
		p.wait(`!document.querySelector('dialog[open]')`)
	})

	t.Run("export a PNG", func(t *testing.T) {
		p.t = t
		href := eval[string](p, `document.querySelector('#export-menu a[data-format=png]').href`)
		type result struct {
			Status int    `json:"status"`
			Type   string `json:"type"`
			Size   int    `json:"size"`
			Head   []int  `json:"head"`
		}
		got := eval[result](p, `(async () => {
			const r = await fetch(`+js(href)+`);
			const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, type: r.headers.get('Content-Type'), size: b.length, head: [...b.slice(0, 8)]};
		})()`)
		want := []int{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}
		if got.Status != 200 || fmt.Sprint(got.Head) != fmt.Sprint(want) || got.Size < 10000 {
			p.fail("export PNG: status %d, %s, %d bytes, starting %v", got.Status, got.Type, got.Size, got.Head)
		}
	})
}

func TestViewerCannotEdit(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	owner := newPage(t, browser, base, "owner")
	owner.signUp("Olga Owner", "olga@example.com")
	id := owner.createFromTemplate("devops-cicd")

	owner.open("#/workspace")
	owner.wait(`document.querySelector('#invite-form')`)
	owner.do(chromedp.SetValue(chromedp.CSS(`#invite-role`), "viewer"))
	owner.do(chromedp.Click(chromedp.CSS(`#invite-form button[type=submit]`)))
	owner.wait(`document.querySelector('#invite-url')`)
	invite := eval[string](owner, `document.querySelector('#invite-url').value`)
	owner.shot("20-invite")

	viewer := newPage(t, browser, base, "viewer")
	viewer.signUp("Victor Viewer", "victor@example.com")
	viewer.do(chromedp.Navigate(invite))
	viewer.wait(`document.querySelector('#accept-invite')`)
	viewer.do(chromedp.Click(chromedp.CSS(`#accept-invite`)))
	viewer.wait(`document.querySelector('#sop-list[aria-busy=false] .sop-card')`)
	if n := eval[int](viewer, `document.querySelectorAll('#new-sop, .sop-card-actions button').length`); n != 0 {
		viewer.fail("the library shows %d editing buttons to a viewer", n)
	}

	viewer.open(fmt.Sprintf("#/sops/%d", id))
	viewer.waitDiagram()
	step := eval[string](viewer, `document.querySelector('#editor g.node[data-kind=automated]').dataset.id`)
	viewer.selectNode(step)
	type controls struct {
		Present  []string `json:"present"`
		Disabled bool     `json:"disabled"`
		ReadOnly bool     `json:"readonly"`
	}
	got := eval[controls](viewer, `({
		present: ['#apply', '#add-after', '#connect', '#delete-step', '#undo', '#redo', '#status-in-review', '#status-approved', '#duplicate', '#archive']
			.filter(s => document.querySelector(s)),
		disabled: document.querySelector('#step-name').disabled && document.querySelector('#yaml-save').disabled && document.querySelector('#ai-run').disabled,
		readonly: document.querySelector('#yaml-source').readOnly,
	})`)
	if len(got.Present) > 0 || !got.Disabled || !got.ReadOnly {
		viewer.fail("a viewer sees editing controls: present %v, inputs disabled %v, YAML read-only %v", got.Present, got.Disabled, got.ReadOnly)
	}
	viewer.shot("21-viewer")
	if !eval[bool](viewer, `document.querySelector('#step-tool').disabled && document.querySelector('#step-evidence').disabled`) {
		viewer.fail("a viewer can type in the step's tool or evidence")
	}
	// The SOP panel: no adding or removing roles, phases or environments.
	viewer.do(chromedp.Click(chromedp.CSS(`#sop-heading`)), chromedp.KeyEvent("\x1b"))
	viewer.wait(`document.querySelector('#environments')`)
	sopPanel := eval[controls](viewer, `({
		present: ['#apply', '#add-role', '#add-phase', '#add-environment', '.env-item button'].filter(s => document.querySelector(s)),
		disabled: [...document.querySelectorAll('#inspector input, #inspector textarea, #inspector select')].every(el => el.disabled),
	})`)
	if len(sopPanel.Present) > 0 || !sopPanel.Disabled {
		viewer.fail("a viewer sees editing controls in the SOP panel: present %v, inputs disabled %v", sopPanel.Present, sopPanel.Disabled)
	}

	rev := eval[int](viewer, `fetch('/api/sops/`+fmt.Sprint(id)+`').then(r => r.json()).then(b => b.document.revision)`)
	status := viewer.apiCall("POST", fmt.Sprintf("/api/sops/%d/ops", id), map[string]any{
		"base_revision": rev,
		"ops":           []any{map[string]any{"op": "set", "kind": "step", "id": step, "field": "name", "value": "Hijacked"}},
	})
	if status != http.StatusForbidden {
		viewer.fail("a viewer's ops POST answered %d, want 403", status)
	}
}

func TestUserTextIsNeverMarkup(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	p := newPage(t, browser, base, "owner")
	p.signUp(`<b>Mallory</b>`, "mallory@example.com")
	id := p.createFromTemplate("saas-weekly")

	const imgPayload = `<img src=x onerror="window.__xss=1">`
	const scriptPayload = `<script>window.__xss=1</script>`

	// The SOP title, through the side panel with nothing selected.
	p.wait(`document.querySelector('#sop-title')`)
	p.do(chromedp.SetValue(chromedp.CSS(`#sop-title`), imgPayload))
	p.do(chromedp.Click(chromedp.CSS(`#apply`)))
	p.wait(`document.querySelector('#sop-heading').textContent === ` + js(imgPayload))

	// A step name.
	step := eval[string](p, `document.querySelector('#editor g.node[data-kind=task]').dataset.id`)
	p.selectNode(step)
	p.do(chromedp.SetValue(chromedp.CSS(`#step-name`), scriptPayload))
	p.do(chromedp.Click(chromedp.CSS(`#apply`)))
	p.wait(stepTitle(step) + `.includes(` + js(scriptPayload) + `)`)

	// A role name, through its lane.
	lane := eval[string](p, `document.querySelector('#editor g.lane[data-id]').dataset.id`)
	p.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#editor g.lane[data-id=%q] .lane-header, #editor g.lane[data-id=%q] text`, lane, lane))))
	p.wait(`document.querySelector('#role-name')`)
	p.do(chromedp.SetValue(chromedp.CSS(`#role-name`), imgPayload+scriptPayload))
	p.do(chromedp.Click(chromedp.CSS(`#apply`)))
	p.idle()
	p.wait(`document.querySelector('#role-name').value === ` + js(imgPayload+scriptPayload))

	// A comment.
	p.selectNode(step)
	p.tab("comments")
	p.do(chromedp.SetValue(chromedp.CSS(`#comment-body`), imgPayload+" "+scriptPayload))
	p.do(chromedp.Click(chromedp.CSS(`#comment-post`)))
	p.wait(`document.querySelector('#comment-threads .comment-body')`)

	// Everything again from a fresh load, then the library and history.
	for _, hash := range []string{fmt.Sprintf("#/sops/%d", id), "#/", fmt.Sprintf("#/sops/%d/history", id)} {
		p.open(hash)
		p.wait(`document.querySelector('#editor svg g.node, #sop-list[aria-busy=false] .sop-card, #revisions tbody tr')`)
		if hash == fmt.Sprintf("#/sops/%d", id) {
			p.wait(`document.querySelector('#comment-threads .comment-body')`)
			if got := eval[string](p, `document.querySelector('#comment-threads .comment-body').textContent`); got != imgPayload+" "+scriptPayload {
				p.fail("comment shown as %q", got)
			}
			p.shot("30-xss-editor")
		}
		time.Sleep(300 * time.Millisecond) // let an injected image fail to load, if there were one
		type check struct {
			XSS     bool `json:"xss"`
			Images  int  `json:"images"`
			Scripts int  `json:"scripts"`
			Shown   bool `json:"shown"`
		}
		got := eval[check](p, `({
			xss: window.__xss !== undefined,
			images: document.querySelectorAll('img[src="x"], svg img, svg image').length,
			scripts: [...document.querySelectorAll('script')].filter(s => !s.src).length,
			shown: document.body.textContent.includes('<img src=x onerror='),
		})`)
		if got.XSS || got.Images != 0 || got.Scripts != 0 || !got.Shown {
			p.fail("%s: window.__xss set %v, injected images %d, inline scripts %d, payload shown as text %v", hash, got.XSS, got.Images, got.Scripts, got.Shown)
		}
	}
	p.shot("31-xss-library")
}

// A change someone else makes while the YAML tab has unsaved text is
// counted, not lost, and Save merges the two.
func TestConcurrentChangeIsMerged(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	p := newPage(t, browser, base, "owner")
	p.signUp("Grace Hopper", "grace@example.com")
	id := p.createFromTemplate("enterprise-cab")
	p.tab("yaml")
	p.wait(`document.querySelector('#yaml-source').value.length > 100`)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector('#yaml-source'); a.value = a.value.replace(/^title: .*$/m, 'title: Mine'); a.dispatchEvent(new Event('input')); })()`))
	// Someone else saves behind the page's back.
	rev := eval[int](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => b.document.revision)`, id))
	step := eval[string](p, `document.querySelector('#editor g.node[data-kind=task]').dataset.id`)
	if status := p.apiCall("POST", fmt.Sprintf("/api/sops/%d/ops", id), map[string]any{
		"base_revision": rev,
		"ops":           []any{map[string]any{"op": "set", "kind": "step", "id": step, "field": "name", "value": "Changed elsewhere"}},
	}); status != http.StatusOK {
		p.fail("ops answered %d", status)
	}
	p.wait(stepTitle(step) + `.includes('Changed elsewhere')`)
	p.wait(`document.querySelector('#yaml-others:not([hidden])') && document.querySelector('#yaml-source').value.includes('title: Mine')`)
	p.shot("40-yaml-others-changed")
	p.do(chromedp.Click(chromedp.CSS(`#yaml-save`)))
	p.idle()
	p.wait(`document.querySelector('#sop-heading').textContent === 'Mine' && document.querySelector('#yaml-source').value.includes('Changed elsewhere') && document.querySelector('#yaml-others').hidden`)
	if shown := eval[bool](p, `!document.querySelector('#alert').hidden`); shown {
		p.fail("the merge shows an error: %s", eval[string](p, `document.querySelector('#alert').textContent`))
	}
}
