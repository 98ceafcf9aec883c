package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/relsop/relsop/internal/synth"
)

// openTemplate signs a new owner up on a fresh server and opens a new SOP
// made from template in the editor; it returns the page and the SOP's id.
func openTemplate(t *testing.T, name, email, template string) (*page, int) {
	t.Helper()
	p := newPage(t, startBrowser(t), startServer(t), "owner")
	p.signUp(name, email)
	return p, p.createFromTemplate(template)
}

// modelValue fetches the SOP's model (the JSON export) in the page and returns
// the JavaScript expression's value on it, m.
func modelValue[T any](p *page, id int, expr string) T {
	p.t.Helper()
	return eval[T](p, fmt.Sprintf(`fetch('/api/sops/%d/export?format=json').then(r => r.json()).then(m => %s)`, id, expr))
}

// answer types text into the open prompt dialog and submits it.
func (p *page) answer(text string) {
	p.t.Helper()
	p.wait(`document.querySelector('dialog[open] #prompt-input')`)
	p.do(chromedp.SendKeys(chromedp.CSS(`dialog[open] #prompt-input`), text),
		chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
	p.wait(`!document.querySelector('dialog[open]')`)
}

// confirmDialog presses the open confirmation dialog's main button.
func (p *page) confirmDialog() {
	p.t.Helper()
	p.wait(`document.querySelector('dialog[open] .btn-primary')`)
	p.do(chromedp.Click(chromedp.CSS(`dialog[open] .btn-primary`)))
	p.wait(`!document.querySelector('dialog[open]')`)
}

// apply presses the side panel's Apply button and waits for the change to be drawn.
func (p *page) apply() {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(`#apply`)))
	p.idle()
}

// TestSidePanelEditsTheWholeSOP edits, in the side panel alone, what a
// release manager would otherwise need the YAML for: the SOP's version and
// scope, phases and roles (added, described, moved, removed), environments
// (added, renamed, made production, moved) and a deploy step's
// environment, duration, evidence and RACI; and sees clear refusals when a
// change would break the SOP.
func TestSidePanelEditsTheWholeSOP(t *testing.T) {
	p, id := openTemplate(t, "Katherine Johnson", "katherine@example.com", "saas-weekly")

	t.Run("the SOP's own fields", func(t *testing.T) {
		p.t = t
		p.wait(`document.querySelector('#sop-version')`)
		p.do(chromedp.SetValue(chromedp.CSS(`#sop-version`), "2.4"),
			chromedp.SetValue(chromedp.CSS(`#sop-scope`), "Every weekly release train."))
		p.apply()
		p.wait(`document.querySelector('#sop-version').value === '2.4'`)
		if got := modelValue[string](p, id, `m.version + '|' + m.scope`); got != "2.4|Every weekly release train." {
			p.fail("version and scope are %q", got)
		}
		// The review: a new cadence, then "Reviewed today".
		p.do(chromedp.SetValue(chromedp.CSS(`#review-cadence`), "monthly"))
		p.apply()
		p.do(chromedp.Click(chromedp.CSS(`#reviewed-today`)))
		p.idle()
		today := time.Now().Format(time.DateOnly)
		p.wait(`document.querySelector('#review-last-reviewed').value === ` + js(today))
		if got := modelValue[string](p, id, `m.review.cadence + '|' + m.review.last_reviewed`); got != "monthly|"+today {
			p.fail("the review is %q", got)
		}
		// An old review is a lint finding that leads to the review's date.
		p.do(chromedp.SetValue(chromedp.CSS(`#review-last-reviewed`), "2020-01-31"))
		p.apply()
		p.tab("lint")
		finding := `[...document.querySelectorAll('#lint-findings button')].find(b => b.textContent.includes('[review-freshness]'))`
		p.wait(finding)
		p.do(chromedp.Evaluate[chromedp.Void](finding + `.click()`))
		p.wait(`document.activeElement && document.activeElement.id === 'review-last-reviewed'`)
		p.do(chromedp.Click(chromedp.CSS(`#reviewed-today`)))
		p.idle()
		p.tab("lint")
		p.wait(`!` + finding)
		p.tab("inspect")
	})

	t.Run("add, describe and remove a phase", func(t *testing.T) {
		p.t = t
		p.do(chromedp.Click(chromedp.CSS(`#add-phase`)))
		p.answer("Hypercare")
		// The new phase is drawn as a band and selected.
		p.wait(`document.querySelector('#editor g.phase[data-id=hypercare].selected') && document.querySelector('#phase-name').value === 'Hypercare'`)
		p.do(chromedp.SetValue(chromedp.CSS(`#phase-description`), "Two days of extra watch after a risky release."))
		p.apply()
		if got := modelValue[string](p, id, `m.phases.map(x => x.id).join(',') + '|' + m.phases.at(-1).description`); !strings.HasSuffix(got, ",hypercare|Two days of extra watch after a risky release.") {
			p.fail("phases after adding one: %q", got)
		}
		p.shot("50-phase-added")
		p.do(chromedp.Click(chromedp.CSS(`#remove-phase`)))
		p.confirmDialog()
		p.wait(`!document.querySelector('#editor g.phase[data-id=hypercare]') && document.querySelector('#sop-title')`)
		if got := modelValue[bool](p, id, `m.phases.some(x => x.id === 'hypercare')`); got {
			p.fail("the removed phase is still in the SOP")
		}
	})

	t.Run("a role that owns steps is not removed", func(t *testing.T) {
		p.t = t
		p.idle()
		p.do(chromedp.Click(chromedp.CSS(`#zoom-fit`)),
			chromedp.Click(chromedp.CSS(`#editor g.lane[data-id=qa-lead] text`)))
		p.wait(`document.querySelector('#role-name')`)
		p.do(chromedp.Click(chromedp.CSS(`#remove-role`)))
		p.confirmDialog()
		p.wait(`!document.querySelector('#alert').hidden`)
		if msg := eval[string](p, `document.querySelector('#alert').textContent`); !strings.Contains(msg, `still the owner of the step(s)`) || !strings.Contains(msg, "another owner first") {
			p.fail("the refusal says %q", msg)
		}
		p.shot("51-role-refused")
		p.do(chromedp.Click(chromedp.CSS(`#alert .alert-close`)))
		if !modelValue[bool](p, id, `m.roles.some(x => x.id === 'qa-lead')`) {
			p.fail("the role was removed")
		}
	})

	t.Run("add a role after another", func(t *testing.T) {
		p.t = t
		p.do(chromedp.Click(chromedp.CSS(`#add-role-after`)))
		p.answer("Compliance Officer")
		p.wait(`document.querySelector('#editor g.lane[data-id=compliance-officer].selected')`)
		if got := modelValue[string](p, id, `(() => { const ids = m.roles.map(x => x.id); return ids[ids.indexOf('qa-lead') + 1]; })()`); got != "compliance-officer" {
			p.fail("the role after qa-lead is %q", got)
		}
		// Move its lane up, above qa-lead; it stays selected.
		p.do(chromedp.Click(chromedp.CSS(`#move-role-earlier`)))
		p.idle()
		p.wait(`document.querySelector('#editor g.lane[data-id=compliance-officer].selected') && document.querySelector('#role-name')`)
		if got := modelValue[string](p, id, `(() => { const ids = m.roles.map(x => x.id); return ids[ids.indexOf('qa-lead') - 1]; })()`); got != "compliance-officer" {
			p.fail("the role before qa-lead is %q after moving it up", got)
		}
	})

	t.Run("environments", func(t *testing.T) {
		p.t = t
		p.do(chromedp.KeyEvent("\x1b")) // Escape clears the selection: the SOP panel
		p.wait(`document.querySelector('#environments')`)
		p.do(chromedp.Click(chromedp.CSS(`#add-environment`)))
		p.wait(`document.querySelector('dialog[open] #environment-new-name')`)
		p.do(chromedp.SendKeys(chromedp.CSS(`#environment-new-name`), "Pre-production"),
			chromedp.Click(chromedp.CSS(`dialog[open] button[type=submit]`)))
		p.idle()
		p.wait(`document.querySelector('#environment-name-pre-production')`)
		p.do(chromedp.SetValue(chromedp.CSS(`#environment-name-pre-production`), "Pre-prod"),
			chromedp.Click(chromedp.CSS(`#environment-production-pre-production`)))
		p.apply()
		envs := `m.environments.map(e => e.id + '=' + e.name + (e.production ? '*' : '')).join(',')`
		if got := modelValue[string](p, id, envs); got != "staging=Staging,canary=Canary*,production=Production*,pre-production=Pre-prod*" {
			p.fail("environments: %q", got)
		}
		// Pre-production goes before production.
		p.do(chromedp.Click(chromedp.CSS(`.env-item[data-id=pre-production] button[aria-label^="Move the environment pre-production earlier"]`)))
		p.idle()
		p.wait(`document.querySelector('.env-item:nth-child(3)').dataset.id === 'pre-production'`)
		if got := modelValue[string](p, id, envs); got != "staging=Staging,canary=Canary*,pre-production=Pre-prod*,production=Production*" {
			p.fail("environments after a move: %q", got)
		}
		p.shot("52-environments")
	})

	t.Run("a gate's escalation", func(t *testing.T) {
		p.t = t
		p.selectNode("qa-signoff")
		p.wait(`document.querySelector('#escalation-role')`)
		p.shot("57-gate-panel")
		p.do(chromedp.SetValue(chromedp.CSS(`#escalation-role`), "release-manager"),
			chromedp.SetValue(chromedp.CSS(`#escalation-after`), "2h"))
		p.apply()
		esc := `JSON.stringify(m.steps.find(s => s.id === 'qa-signoff').escalation || null)`
		if got := modelValue[string](p, id, esc); got != `{"role":"release-manager","after":"2h"}` {
			p.fail("the escalation is %s", got)
		}
		// No escalation: the role, and with it the rest, goes.
		p.wait(`document.querySelector('#escalation-role').value === 'release-manager'`)
		p.do(chromedp.SetValue(chromedp.CSS(`#escalation-role`), ""))
		p.apply()
		if got := modelValue[string](p, id, esc); got != "null" {
			p.fail("the escalation is %s after taking it away", got)
		}
		// Lint now warns; its finding leads to the field that fixes it.
		p.selectNode("deploy-staging")
		p.tab("lint")
		finding := `[...document.querySelectorAll('#lint-findings button')].find(b => b.textContent.includes('[gate-escalation]') && b.textContent.includes('qa-signoff'))`
		p.wait(finding)
		p.do(chromedp.Evaluate[chromedp.Void](finding + `.click()`))
		p.wait(`document.activeElement && document.activeElement.id === 'escalation-role' && document.querySelector('#editor g.node[data-id=qa-signoff].selected')`)
	})

	t.Run("a deploy step's environment, duration, evidence, links and RACI", func(t *testing.T) {
		p.t = t
		p.selectNode("deploy-staging")
		p.wait(`document.querySelector('#step-environment').value === 'staging' && document.querySelector('#step-tool')`)
		p.do(chromedp.SetValue(chromedp.CSS(`#step-environment`), "pre-production"),
			chromedp.SetValue(chromedp.CSS(`#step-duration`), "45m"),
			chromedp.SetValue(chromedp.CSS(`#step-evidence`), "Deploy log\n\nArgo CD sync record\n"),
			chromedp.SetValue(chromedp.CSS(`#step-links`), "Staging runbook | https://runbooks.example.com/staging\nhttps://grafana.example.com/d/staging"),
			chromedp.Click(chromedp.CSS(`#raci-accountable-release-manager`)),
			chromedp.Click(chromedp.CSS(`#raci-informed-qa-lead`)),
			chromedp.Click(chromedp.CSS(`#raci-informed-sre`)),
			chromedp.SetValue(chromedp.CSS(`#exception-reason`), "Staging is rebuilt this week; the CAB accepted pre-production instead."),
			chromedp.SetValue(chromedp.CSS(`#exception-approved-by`), "release-manager"))
		p.apply()
		if got := modelValue[string](p, id, `JSON.stringify(m.steps.find(s => s.id === 'deploy-staging').exception)`); got != `{"reason":"Staging is rebuilt this week; the CAB accepted pre-production instead.","approved_by":"release-manager"}` {
			p.fail("the exception is %s", got)
		}
		got := modelValue[string](p, id, `(() => { const s = m.steps.find(s => s.id === 'deploy-staging'), r = s.raci || {};
			return [s.environment, s.duration, s.evidence.join(';'), (r.accountable || []).join(';'), (r.informed || []).join(';'),
				(s.links || []).map(l => l.title + '=' + l.url).join(';')].join('|'); })()`)
		if got != "pre-production|45m|Deploy log;Argo CD sync record|release-manager|qa-lead;sre|Staging runbook=https://runbooks.example.com/staging;https://grafana.example.com/d/staging=https://grafana.example.com/d/staging" {
			p.fail("deploy-staging is %q", got)
		}
		p.do(chromedp.ScrollIntoView(chromedp.CSS(`#step-raci`)))
		p.shot("54-step-raci")
		p.do(chromedp.SetValue(chromedp.CSS(`#step-duration`), "soon"))
		p.do(chromedp.Click(chromedp.CSS(`#apply`)))
		p.wait(`!document.querySelector('#alert').hidden`)
		if msg := eval[string](p, `document.querySelector('#alert').textContent`); !strings.Contains(msg, "duration") {
			p.fail("a bad duration is refused with %q", msg)
		}
		if got := modelValue[string](p, id, `m.steps.find(s => s.id === 'deploy-staging').duration`); got != "45m" {
			p.fail("the bad duration changed the step to %q", got)
		}
		p.do(chromedp.Click(chromedp.CSS(`#alert .alert-close`)))
	})
}

// TestExportMenuNotesLargeSOPs: on an SOP of 50 steps or more the export
// menu marks Mermaid and D2, whose own layouts often give up at that size,
// and says what to do instead; on a template it marks nothing.
func TestExportMenuNotesLargeSOPs(t *testing.T) {
	p, small := openTemplate(t, "Dorothy Vaughan", "dorothy@example.com", "devops-cicd")
	large := eval[int](p, fmt.Sprintf(`(async () => {
		const me = await (await fetch('/api/me')).json();
		const r = await fetch('/api/sops', {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token},
			body: JSON.stringify({workspace_id: me.workspaces[0].id, source: %s})});
		return (await r.json()).document.id;
	})()`, js(synth.SOP(60, 12, 8))))

	marked := func() []string {
		return eval[[]string](p, `[...document.querySelectorAll('#export-menu a[aria-describedby]')].map(a => a.dataset.format)`)
	}
	p.open(fmt.Sprintf("#/sops/%d", large))
	p.waitDiagram()
	p.do(chromedp.Click(chromedp.CSS(`#export-menu summary`)))
	p.wait(`document.querySelector('#export-note-mermaid')`)
	if got := strings.Join(marked(), ","); got != "mermaid,d2" {
		p.fail("the large SOP's menu marks %q, want mermaid,d2", got)
	}
	note := eval[string](p, `document.querySelector('#export-note-d2').textContent`)
	if !strings.Contains(note, "often gives up") || !strings.Contains(note, "(this one has 60)") || !strings.Contains(note, "export SVG, PNG or PDF") {
		p.fail("the D2 note says %q", note)
	}
	p.shot("53-export-notes")

	p.open(fmt.Sprintf("#/sops/%d", small))
	p.waitDiagram()
	if got := marked(); len(got) != 0 || eval[bool](p, `Boolean(document.querySelector('#export-menu .menu-note'))`) {
		p.fail("a template's menu marks %v", got)
	}
}

// TestDragStepToAnotherCell drags a step into another lane, then into
// another phase column: it gets that owner, then that phase.
func TestDragStepToAnotherCell(t *testing.T) {
	p, id := openTemplate(t, "Mary Jackson", "mary@example.com", "saas-weekly")
	p.idle()

	type point struct{ X, Y float64 }
	// The step's centre, and the centre of the cell of lane and phase, on screen.
	at := func(step, lane, phase string) (from, to point) {
		got := eval[[]point](p, fmt.Sprintf(`(() => {
			const mid = (r) => ({X: r.left + r.width / 2, Y: r.top + r.height / 2});
			const n = document.querySelector('#editor g.node[data-id=%q]').getBoundingClientRect();
			const band = document.querySelector('#editor g.lane[data-id=%q] rect.lane-band').getBoundingClientRect();
			const head = document.querySelector('#editor g.phase[data-id=%q] rect').getBoundingClientRect();
			return [mid(n), {X: head.left + head.width / 2, Y: band.top + band.height / 2}];
		})()`, step, lane, phase))
		return got[0], got[1]
	}
	drag := func(from, to point) {
		p.do(chromedp.MouseEvent(chromedp.MouseMoved, from.X, from.Y),
			chromedp.MouseEvent(chromedp.MousePressed, from.X, from.Y, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseMoved, (from.X+to.X)/2, (from.Y+to.Y)/2, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseMoved, to.X, to.Y, chromedp.ButtonLeft))
		p.wait(`document.querySelector('#editor rect.drop-cell') && document.querySelector('#editor g.node.dragged')`)
		p.shot("55-drag-step")
		p.do(chromedp.MouseEvent(chromedp.MouseReleased, to.X, to.Y, chromedp.ButtonLeft))
		p.idle()
	}
	cell := func() string {
		return modelValue[string](p, id, `(() => { const s = m.steps.find(s => s.id === 'confirm-scope'); return s.owner + '|' + s.phase; })()`)
	}

	if got := cell(); got != "product-manager|plan" {
		t.Fatalf("confirm-scope starts in %q", got)
	}
	drag(at("confirm-scope", "release-manager", "plan"))
	p.wait(`!document.querySelector('#editor rect.drop-cell') && document.querySelector('#editor g.node[data-id=confirm-scope][data-lane=release-manager]')`)
	if got := cell(); got != "release-manager|plan" {
		p.fail("after dragging it to the release manager's lane, confirm-scope is in %q", got)
	}
	drag(at("confirm-scope", "release-manager", "build"))
	p.wait(`document.querySelector('#editor g.node[data-id=confirm-scope][data-phase=build]')`)
	if got := cell(); got != "release-manager|build" {
		p.fail("after dragging it to the build phase, confirm-scope is in %q", got)
	}
	// Undo takes the last move back.
	p.do(chromedp.Click(chromedp.CSS(`#undo`)))
	p.idle()
	p.wait(`document.querySelector('#editor g.node[data-id=confirm-scope][data-phase=plan]')`)

	// The keyboard moves it too: Alt+Down to the next lane, Alt+Right to the next phase.
	p.selectNode("confirm-scope")
	p.do(chromedp.Focus(chromedp.CSS(`#editor g.node[data-id=confirm-scope]`)), chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierAlt)))
	p.wait(`document.querySelector('#editor g.node[data-id=confirm-scope][data-lane=product-manager]')`)
	p.idle()
	p.do(chromedp.Focus(chromedp.CSS(`#editor g.node[data-id=confirm-scope]`)), chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierAlt)))
	p.wait(`document.querySelector('#editor g.node[data-id=confirm-scope][data-phase=build]')`)
	p.idle()
	if got := cell(); got != "product-manager|build" {
		p.fail("after Alt+Down and Alt+Right, confirm-scope is in %q", got)
	}
}

// TestReleaseTypePanel edits release types in the side panel: restores a
// step one skips, skips another, renames it and flags it as an emergency;
// then adds a release type and removes it again.
func TestReleaseTypePanel(t *testing.T) {
	p, id := openTemplate(t, "Annie Easley", "annie@example.com", "saas-weekly")
	show := func(typ string) {
		p.idle()
		p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#release-type'); s.value = ` + js(typ) + `; s.dispatchEvent(new Event('change')); })()`))
		p.idle()
	}
	variant := func(expr string) string {
		return eval[string](p, fmt.Sprintf(`fetch('/api/sops/%d').then(r => r.json()).then(b => { const v = (b.document.variants || []).find(v => v.id === 'minor'); return %s; })`, id, expr))
	}

	show("minor")
	p.wait(`document.querySelector('#variant-name') && document.querySelector('#variant-name').value === 'Minor release'`)
	if more := eval[string](p, `document.querySelector('#variant-more').textContent`); !strings.Contains(more, "changes go-no-go") {
		p.fail("the panel says %q about the steps minor changes", more)
	}
	p.shot("56-release-type")

	// Restore a skipped step: it is drawn in the minor release again.
	p.do(chromedp.Click(chromedp.CSS(`button[aria-label="Restore the step agree-readiness in minor"]`)))
	p.idle()
	p.wait(`document.querySelector('#editor g.node[data-id=agree-readiness]')`)
	if got := variant(`v.remove.join(',')`); got != "verify-features" {
		p.fail("minor skips %q after the restore", got)
	}

	// Skip another step from the diagram. Its panel says that edits to it
	// are to the base flow.
	p.selectNode("confirm-scope")
	if note := eval[string](p, `document.querySelector('#base-flow-note').textContent`); !strings.Contains(note, "base flow") {
		p.fail("the step panel in a release type says %q", note)
	}
	p.do(chromedp.Click(chromedp.CSS(`#skip-in-variant`)))
	p.idle()
	p.wait(`!document.querySelector('#editor g.node[data-id=confirm-scope]') && document.querySelector('#variant-name')`)
	if got := variant(`v.remove.join(',')`); got != "verify-features,confirm-scope" {
		p.fail("minor skips %q after skipping confirm-scope", got)
	}

	// Rename it and make it an emergency release type.
	p.do(chromedp.SetValue(chromedp.CSS(`#variant-name`), "Small release"), chromedp.Click(chromedp.CSS(`#variant-emergency`)))
	p.apply()
	if got := variant(`v.name + '|' + v.emergency`); got != "Small release|true" {
		p.fail("minor is %q", got)
	}

	// Add a release type from the base flow's panel, then remove it.
	show("")
	p.wait(`document.querySelector('#add-variant')`)
	p.do(chromedp.Click(chromedp.CSS(`#add-variant`)))
	p.answer("Hotfix")
	p.wait(`document.querySelector('#release-type').value === 'hotfix' && document.querySelector('#variant-name') && document.querySelector('#variant-name').value === 'Hotfix'`)
	p.do(chromedp.Click(chromedp.CSS(`#remove-variant`)))
	p.confirmDialog()
	p.wait(`document.querySelector('#release-type').value === '' && !document.querySelector('#release-type option[value=hotfix]') && document.querySelector('#sop-title')`)
}

// TestFlowsInTheSidePanel draws and removes flows from the side panel: a
// task's next step, and a gate's outcome, whose label is asked for.
func TestFlowsInTheSidePanel(t *testing.T) {
	p, id := openTemplate(t, "Christine Darden", "christine@example.com", "saas-weekly")
	flows := func(step string) string {
		return modelValue[string](p, id, `(() => { const s = m.steps.find(s => s.id === `+js(step)+`);
			return [].concat(s.next || []).join(',') + '|' + Object.entries(s.outcomes || {}).map(([l, t]) => l + '=' + t).join(','); })()`)
	}
	connect := func(from, to string) {
		p.selectNode(from)
		p.do(chromedp.Click(chromedp.CSS(`#connect`)))
		p.wait(`!document.querySelector('#mode-banner').hidden`)
		p.do(chromedp.Click(chromedp.CSS(`#zoom-fit`)), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#editor g.node[data-id=%q]`, to))))
	}

	// A task: a second next step, then removed again.
	connect("cut-branch", "confirm-scope")
	p.idle()
	if got := flows("cut-branch"); got != "build-artefacts,confirm-scope|" {
		p.fail("cut-branch leads to %q", got)
	}
	p.selectNode("cut-branch")
	p.do(chromedp.Click(chromedp.CSS(`button[aria-label="Remove the flow from cut-branch to confirm-scope"]`)))
	p.idle()
	if got := flows("cut-branch"); got != "build-artefacts|" {
		p.fail("cut-branch leads to %q after removing the flow", got)
	}

	// A rollback path, set in the side panel, then none.
	p.selectNode("cut-branch")
	p.do(chromedp.SetValue(chromedp.CSS(`#step-on-failure`), "fix-build"))
	p.apply()
	onFailure := func() string {
		return modelValue[string](p, id, `m.steps.find(s => s.id === 'cut-branch').on_failure || ''`)
	}
	if got := onFailure(); got != "fix-build" {
		p.fail("cut-branch fails over to %q", got)
	}
	p.wait(`document.querySelector('#step-on-failure').value === 'fix-build'`)
	p.do(chromedp.SetValue(chromedp.CSS(`#step-on-failure`), ""))
	p.apply()
	if got := onFailure(); got != "" {
		p.fail("cut-branch still fails over to %q", got)
	}

	// A gate: the new flow is an outcome, labelled.
	connect("qa-signoff", "notify-deferral")
	p.answer("escalate")
	p.wait(`document.querySelector('#status').textContent === 'Connected qa-signoff to notify-deferral on escalate.'`)
	if got := flows("qa-signoff"); got != "|pass=security-approval,fail=fix-defects,escalate=notify-deferral" {
		p.fail("qa-signoff leads to %q", got)
	}
	p.selectNode("qa-signoff")
	p.wait(`document.querySelector('#step-flows li[data-to=notify-deferral]').textContent.startsWith('escalate → ')`)
	p.do(chromedp.Click(chromedp.CSS(`button[aria-label="Remove the flow from qa-signoff to notify-deferral"]`)))
	p.idle()
	if got := flows("qa-signoff"); got != "|pass=security-approval,fail=fix-defects" {
		p.fail("qa-signoff leads to %q after removing the outcome", got)
	}
}

// TestEditWithAIExamples: an example instruction fills the box, previews
// as a diff, and its edit is made when accepted.
func TestEditWithAIExamples(t *testing.T) {
	p, id := openTemplate(t, "Evelyn Boyd Granville", "evelyn@example.com", "saas-weekly")
	p.tab("ai")
	p.do(chromedp.Click(chromedp.CSS(`#ai-examples summary`)))
	example := `[...document.querySelectorAll('#ai-examples button')].find(b => b.textContent === 'move the QA lead lane above the release manager')`
	p.wait(example)
	p.do(chromedp.Evaluate[chromedp.Void](example + `.click()`))
	if got := eval[string](p, `document.querySelector('#ai-instruction').value`); got != "move the QA lead lane above the release manager" {
		p.fail("the instruction box holds %q", got)
	}
	p.do(chromedp.Click(chromedp.CSS(`#ai-run`)))
	p.wait(`document.querySelector('#ai-diff .diff-add')`)
	p.do(chromedp.Click(chromedp.CSS(`#ai-accept`)))
	p.idle()
	p.wait(`document.querySelector('#editor g.lane[data-id]').dataset.id === 'qa-lead'`)
	if got := modelValue[string](p, id, `m.roles.slice(0, 2).map(r => r.id).join(',')`); got != "qa-lead,release-manager" {
		p.fail("the first lanes are %q", got)
	}
}
