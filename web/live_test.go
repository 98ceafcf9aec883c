package web_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Live co-editing (docs/live.md) with two people on one SOP, each in a
// browser context of their own: edits, presence, a deleted selection, a
// YAML merge, and edits made while the connection is down.

// invite makes a second member with the given role through an invite link
// and returns their page, signed in, on the library.
func invite(t *testing.T, owner *page, base, role, name, email string) *page {
	t.Helper()
	owner.open("#/workspace")
	owner.wait(`document.querySelector('#invite-form')`)
	owner.do(chromedp.SetValue(chromedp.CSS(`#invite-role`), role))
	owner.do(chromedp.Click(chromedp.CSS(`#invite-form button[type=submit]`)))
	owner.wait(`document.querySelector('#invite-url')`)
	link := eval[string](owner, `document.querySelector('#invite-url').value`)
	p := newPage(t, startBrowser(t), base, strings.Fields(name)[0])
	p.signUp(name, email)
	p.do(chromedp.Navigate(link))
	p.wait(`document.querySelector('#accept-invite')`)
	p.do(chromedp.Click(chromedp.CSS(`#accept-invite`)))
	p.wait(`document.querySelector('#sop-list[aria-busy=false] .sop-card')`)
	return p
}

// openLive opens an SOP's editor and waits until it is live.
func (p *page) openLive(id int) {
	p.t.Helper()
	p.open(fmt.Sprintf("#/sops/%d", id))
	p.waitDiagram()
	p.wait(`document.querySelector('#live-state[data-state=connected]')`)
	p.do(chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true`))
}

// typeInto sets a form control's value as typing does, with an input event.
func (p *page) typeInto(sel, value string) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.querySelector(` + js(sel) + `);
		el.value = ` + js(value) + `;
		el.dispatchEvent(new Event('input', {bubbles: true}));
	})()`))
}

// stillLoaded fails when the page was loaded again since openLive.
// goOffline drops the page's live connection (the app's test hook) and
// waits until the page says so; comeBack lets it reconnect.
func (p *page) goOffline() {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`window.__relsopLive.drop()`))
	p.wait(`document.querySelector('#live-state[data-state=offline]')`)
}

func (p *page) comeBack() {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](`window.__relsopLive.resume()`))
}

func (p *page) stillLoaded() {
	p.t.Helper()
	if !eval[bool](p, `window.__notReloaded === true`) {
		p.fail("the page was loaded again")
	}
}

// serverStep is a step as the server has it now.
type serverStep struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (p *page) serverStep(id int, step string) serverStep {
	p.t.Helper()
	return eval[serverStep](p, fmt.Sprintf(`fetch('/api/sops/%d/export?format=json').then(r => r.json()).then(m => {
		const s = m.steps.find(s => s.id === %s) || {};
		return {name: s.name || '', description: s.description || ''};
	})`, id, js(step)))
}

func TestLiveCoEditing(t *testing.T) {
	base := startServer(t)
	browser := startBrowser(t)
	a := newPage(t, browser, base, "Ada")
	a.signUp("Ada Lovelace", "ada@example.com")
	id := a.createFromTemplate("saas-weekly")
	b := invite(t, a, base, "editor", "Bea Bishop", "bea@example.com")
	a.openLive(id)
	b.openLive(id)

	// Steps to select and point at, those wholly in B's first view first.
	steps := eval[[]string](b, `(() => {
		const vp = document.querySelector('#editor .diagram-viewport').getBoundingClientRect();
		const seen = (g) => { const r = g.getBoundingClientRect(); return r.left >= vp.left && r.right <= vp.right && r.top >= vp.top && r.bottom <= vp.bottom; };
		const all = [...document.querySelectorAll('#editor g.node[data-kind=task], #editor g.node[data-kind=automated], #editor g.node[data-kind=gate]')];
		return [...all.filter(seen), ...all.filter(g => !seen(g))].map(g => g.dataset.id);
	})()`)
	if len(steps) < 6 {
		b.fail("only %d steps in view: %v", len(steps), steps)
	}

	t.Run("a rename shows on the other page", func(t *testing.T) {
		a.t, b.t = t, t
		a.selectNode(steps[0])
		a.typeInto(`#step-name`, "Freeze the release branch")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		b.wait(stepTitle(steps[0]) + `.includes('Freeze the release branch')`)
		a.idle()
		b.stillLoaded()
		a.wait(`document.querySelector('#live-state').textContent === 'connected'`)
	})

	t.Run("presence: selection and pointer", func(t *testing.T) {
		a.t, b.t = t, t
		a.wait(`document.querySelector('#peers .avatar[aria-label="Bea Bishop"]')`)
		b.wait(`document.querySelector('#peers .avatar[aria-label="Ada Lovelace"]')`)
		b.selectNode(steps[1])
		sel := fmt.Sprintf(`#editor g.node[data-id=%q] .peer-selection[data-name="Bea Bishop"]`, steps[1])
		a.wait(`document.querySelector(` + js(sel) + `)`)
		type outline struct {
			Stroke string `json:"stroke"`
			Label  string `json:"label"`
			Avatar string `json:"avatar"`
		}
		got := eval[outline](a, `(() => {
			const m = document.querySelector(`+js(sel)+`);
			return {stroke: m.querySelector('.peer-outline').getAttribute('stroke'), label: m.querySelector('.peer-tag text').textContent,
				avatar: document.querySelector('#peers .avatar[aria-label="Bea Bishop"]').style.backgroundColor};
		})()`)
		if got.Label != "Bea Bishop" || !strings.HasPrefix(got.Stroke, "#") || got.Avatar == "" {
			a.fail("B's selection on A's page: %+v", got)
		}
		// Names on a peer's colour read at WCAG AA contrast (4.5:1) on
		// every colour of the palette (internal/live: Okabe–Ito).
		low := eval[[]string](a, `(async () => {
			const { ink } = await import('/presence.js');
			const lum = (hex) => [0, 2, 4].map((i) => parseInt(hex.slice(1 + i, 3 + i), 16) / 255)
				.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
				.reduce((l, v, i) => l + v * [0.2126, 0.7152, 0.0722][i], 0);
			const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
			const full = (c) => (c.length === 4 ? '#' + [...c.slice(1)].map((d) => d + d).join('') : c);
			return ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#52606d']
				.filter((bg) => contrast(bg, full(ink(bg))) < 4.5).map((bg) => bg + ' with ' + ink(bg));
		})()`)
		if len(low) > 0 {
			a.fail("names on these peer colours are below 4.5:1: %q", low)
		}

		// B points at the middle of another step; A sees the arrow there.
		type point struct{ X, Y float64 }
		at := eval[point](b, fmt.Sprintf(`(() => {
			const r = document.querySelector('#editor g.node[data-id=%q]').getBoundingClientRect();
			return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
		})()`, steps[2]))
		b.do(chromedp.MouseEvent(chromedp.MouseMoved, at.X-20, at.Y-10), chromedp.MouseEvent(chromedp.MouseMoved, at.X, at.Y))
		cursor := `document.querySelector('#editor g.peer-cursor[data-name="Bea Bishop"]')`
		a.wait(cursor)
		type spot struct {
			Cursor point `json:"cursor"`
			Center point `json:"center"`
			Label  string
		}
		var s spot
		for range 20 { // the last of the moves may still be on its way
			s = eval[spot](a, fmt.Sprintf(`(() => {
				const c = %s, b = document.querySelector('#editor g.node[data-id=%q]').getBBox();
				return {cursor: {X: Number(c.dataset.x), Y: Number(c.dataset.y)}, center: {X: b.x + b.width / 2, Y: b.y + b.height / 2},
					Label: c.querySelector('text').textContent};
			})()`, cursor, steps[2]))
			if math.Abs(s.Cursor.X-s.Center.X) < 2 && math.Abs(s.Cursor.Y-s.Center.Y) < 2 {
				break
			}
			a.wait(`new Promise(r => setTimeout(() => r(true), 100))`)
		}
		if math.Abs(s.Cursor.X-s.Center.X) >= 2 || math.Abs(s.Cursor.Y-s.Center.Y) >= 2 || s.Label != "Bea Bishop" {
			a.fail("B's pointer shows at %+v labelled %q, want the middle of %s at %+v", s.Cursor, s.Label, steps[2], s.Center)
		}
		a.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('#editor g.node[data-id=%q]').scrollIntoView({block: 'center', inline: 'center'})`, steps[1])))
		a.shot("80-live-presence")
	})

	t.Run("different fields both survive", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[3]
		a.selectNode(step)
		b.selectNode(step)
		// B has typed a description and not applied it when A's rename arrives.
		b.typeInto(`#step-description`, "Check the error budget first.")
		a.typeInto(`#step-name`, "Smoke-test staging")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		b.wait(stepTitle(step) + `.includes('Smoke-test staging')`)
		b.idle()
		if got := eval[[]string](b, `[document.querySelector('#step-name').value, document.querySelector('#step-description').value]`); got[0] != "Smoke-test staging" || got[1] != "Check the error budget first." {
			b.fail("B's side panel after A's rename: name %q, description %q", got[0], got[1])
		}
		b.do(chromedp.Click(chromedp.CSS(`#apply`)))
		b.idle()
		a.wait(`document.querySelector('#step-description').value === 'Check the error budget first.'`)
		if got := a.serverStep(id, step); got.Name != "Smoke-test staging" || got.Description != "Check the error budget first." {
			a.fail("the server has %+v", got)
		}

		// At the same moment, without waiting for each other.
		a.typeInto(`#step-description`, "Both at once: A")
		b.typeInto(`#step-name`, "Both at once: B")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		b.do(chromedp.Click(chromedp.CSS(`#apply`)))
		a.idle()
		b.idle()
		a.wait(stepTitle(step) + `.includes('Both at once: B') && document.querySelector('#step-description').value === 'Both at once: A'`)
		b.wait(stepTitle(step) + `.includes('Both at once: B') && document.querySelector('#step-description').value === 'Both at once: A'`)
	})

	t.Run("the selected step is deleted by someone else", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[4]
		b.selectNode(step)
		a.selectNode(step)
		a.do(chromedp.Click(chromedp.CSS(`#delete-step`)))
		a.wait(`document.querySelector('dialog[open] .btn-primary')`)
		a.do(chromedp.Click(chromedp.CSS(`dialog[open] .btn-primary`)))
		b.wait(`document.querySelector('#live-notices').textContent.includes('Ada Lovelace deleted the step you had selected.')`)
		b.wait(fmt.Sprintf(`!document.querySelector('#editor g.node[data-id=%q]') && !document.querySelector('#editor g.selected') && !document.querySelector('#step-name')`, step))
		b.shot("81-live-selection-deleted")
		b.stillLoaded()
	})

	t.Run("a YAML edit merges with another's change", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[5]
		b.tab("yaml")
		b.wait(`document.querySelector('#yaml-source').value.includes('title:')`)
		b.do(chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector('#yaml-source'); a.value = a.value.replace(/^title: .*$/m, 'title: Weekly release, merged'); a.dispatchEvent(new Event('input')); })()`))
		a.selectNode(step)
		a.typeInto(`#step-name`, "Renamed while B edits the YAML")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		a.idle()
		b.wait(`document.querySelector('#yaml-others:not([hidden])') && document.querySelector('#yaml-others').textContent.startsWith('1 change by others')`)
		if v := eval[string](b, `document.querySelector('#yaml-source').value`); !strings.Contains(v, "title: Weekly release, merged") || strings.Contains(v, "Renamed while B edits the YAML") {
			b.fail("B's unsaved YAML was overwritten")
		}
		b.shot("82-live-yaml-others")
		b.do(chromedp.Click(chromedp.CSS(`#yaml-save`)))
		b.idle()
		b.wait(`document.querySelector('#yaml-source').value.includes('Renamed while B edits the YAML') && document.querySelector('#yaml-state').textContent === 'Saved'`)
		a.wait(`document.querySelector('#sop-heading').textContent === 'Weekly release, merged'`)
		a.wait(stepTitle(step) + `.includes('Renamed while B edits the YAML')`)
		b.tab("inspect")
	})

	t.Run("edits made offline are sent when back", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[1]
		a.selectNode(step)
		a.goOffline()
		a.typeInto(`#step-name`, "Made while offline")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		// Shown at once, marked as not yet saved.
		a.wait(stepTitle(step) + `.includes('Made while offline') && document.querySelector(` + js(fmt.Sprintf(`#editor g.node[data-id=%q].pending`, step)) + `)`)
		a.wait(`document.querySelector('#live-state').textContent === 'offline – 1 unsent edit'`)
		a.shot("83-live-offline")
		if eval[bool](b, stepTitle(step)+`.includes('Made while offline')`) {
			b.fail("B sees an edit A has not sent")
		}
		a.comeBack()
		a.wait(`document.querySelector('#live-state[data-state=connected]')`)
		a.idle()
		b.wait(stepTitle(step) + `.includes('Made while offline')`)
		if eval[bool](a, `Boolean(document.querySelector('#editor g.pending'))`) {
			a.fail("a step is still marked pending after the acknowledgement")
		}
		a.stillLoaded()
	})

	t.Run("a replaced value is reported", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[2]
		a.selectNode(step)
		b.selectNode(step)
		// B is offline while A renames the step, then renames it too.
		b.goOffline()
		a.typeInto(`#step-name`, "Ada's name")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		a.idle()
		b.typeInto(`#step-name`, "Bea's name")
		b.do(chromedp.Click(chromedp.CSS(`#apply`)))
		b.comeBack()
		b.idle()
		a.wait(`document.querySelector('#live-notices').textContent.includes(` + js("Bea Bishop changed name of step "+step+" after you; your value “Ada's name” was replaced.") + `)`)
		a.wait(stepTitle(step) + `.includes("Bea's name")`)
		a.shot("84-live-overwritten")
	})

	t.Run("an edit of a step deleted meanwhile is refused and rolled back", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[0]
		a.selectNode(step)
		a.goOffline()
		a.typeInto(`#step-name`, "Renamed while deleted")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		a.wait(stepTitle(step) + `.includes('Renamed while deleted')`)
		b.selectNode(step)
		b.do(chromedp.Click(chromedp.CSS(`#delete-step`)))
		b.wait(`document.querySelector('dialog[open] .btn-primary')`)
		b.do(chromedp.Click(chromedp.CSS(`dialog[open] .btn-primary`)))
		// The step leaves B's diagram only once the server has stored the
		// deletion; idle alone can come before the batch is even sent, and
		// then A's rename would arrive first and rightly be applied.
		b.wait(fmt.Sprintf(`!document.querySelector('#editor g.node[data-id=%q]')`, step))
		b.idle()
		a.comeBack()
		a.idle()
		a.wait(`document.querySelector('#alert:not([hidden]) .alert-text')`)
		msg := eval[string](a, `document.querySelector('#alert .alert-text').textContent`)
		if !strings.Contains(msg, "deleted by Bea Bishop") {
			a.fail("the refused edit shows %q", msg)
		}
		a.wait(fmt.Sprintf(`!document.querySelector('#editor g.node[data-id=%q]') && !document.querySelector('#editor g.pending')`, step))
		a.shot("85-live-refused")
		a.do(chromedp.Click(chromedp.CSS(`#alert .alert-close`)))
	})

	t.Run("undo sends the inverse", func(t *testing.T) {
		a.t, b.t = t, t
		step := steps[3]
		a.selectNode(step)
		before := eval[string](a, `document.querySelector('#step-name').value`)
		a.typeInto(`#step-name`, "To be undone")
		a.do(chromedp.Click(chromedp.CSS(`#apply`)))
		a.idle()
		a.wait(`!document.querySelector('#undo').disabled`)
		b.wait(stepTitle(step) + `.includes('To be undone')`)
		a.do(chromedp.Click(chromedp.CSS(`#undo`)))
		a.idle()
		b.wait(stepTitle(step) + `.includes(` + js(before) + `)`)
		a.wait(`!document.querySelector('#redo').disabled`)
	})

	t.Run("the selected phase is removed by someone else", func(t *testing.T) {
		a.t, b.t = t, t
		a.idle()
		a.do(chromedp.Click(chromedp.CSS(`#sop-heading`)), chromedp.KeyEvent("\x1b"))
		a.wait(`document.querySelector('#add-phase')`)
		a.do(chromedp.Click(chromedp.CSS(`#add-phase`)))
		a.answer("Hypercare")
		a.wait(`document.querySelector('#phase-name')`)
		b.wait(`document.querySelector('#editor g.phase[data-id=hypercare]')`)
		b.idle()
		b.do(chromedp.Click(chromedp.CSS(`#zoom-fit`)), chromedp.Click(chromedp.CSS(`#editor g.phase[data-id=hypercare] text`)))
		b.wait(`document.querySelector('#phase-name')`)
		a.do(chromedp.Click(chromedp.CSS(`#remove-phase`)))
		a.confirmDialog()
		b.wait(`document.querySelector('#live-notices').textContent.includes('Ada Lovelace deleted the phase you had selected.')`)
		b.wait(`!document.querySelector('#editor g.phase[data-id=hypercare]') && !document.querySelector('#phase-name') && document.querySelector('#sop-title')`)
		b.stillLoaded()
	})
}
