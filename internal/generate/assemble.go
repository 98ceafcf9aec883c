package generate

import (
	"strings"

	"github.com/relsop/relsop"
)

// assemble builds the base flow: each stage adds the practice fragments
// the brief calls for, in release order, and the side paths they need.
func assemble(b *brief) *plan {
	p := newPlan(b)
	p.planStage()
	p.buildStage()
	envs := p.environments()
	p.testStage(envs)
	p.approveStage()
	p.deployStage()
	p.postStage()
	p.link()
	return p
}

func (p *plan) planStage() {
	b := p.b
	start := map[string]string{"itil": "Change requested", "cicd": "Change merged to the main branch", "library": "Release planned by the maintainers",
		"mobile": "App release planned", "firmware": "Firmware release planned", "ml": "Model candidate ready for release", "data": "Pipeline change ready for release",
		"games": "Game update planned", "desktop": "Desktop release planned", "database": "Database change requested", "iac": "Infrastructure change proposed",
		"healthcare": "Release planned", "saas": "Release requested"}[b.domain]
	desc := ""
	if len(b.schedule) > 0 {
		desc = "Releases follow the schedule in the brief: " + strings.Join(b.schedule, "; ") + "."
	}
	p.add(step{Step: relsop.Step{ID: "start", Name: start, Kind: relsop.KindStart, Phase: "plan", Description: desc}, slot: "release-manager"})
	switch {
	case b.domain == "itil" || b.asks("cab"):
		p.add(step{Step: relsop.Step{ID: "raise-rfc", Name: "Raise the request for change", Phase: "plan",
			Description: "Record the change, its reason, the services it touches, the implementation and back-out plans.",
			Evidence:    []string{"Change record"}}, slot: "change-manager", why: "changes to enterprise services are recorded as a request for change"})
		p.add(step{Step: relsop.Step{ID: "assess-risk", Name: "Assess the risk and impact of the change", Phase: "plan", Duration: dur("2h"),
			RACI: relsop.RACI{Consulted: p.approvers("dev-lead", "sre")}}, slot: "change-manager", why: "the CAB decides on an assessed risk"})
	case b.domain == "cicd" && !b.regulated():
		// Continuous delivery: the merge is the plan.
	default:
		p.add(step{Step: relsop.Step{ID: "agree-scope", Name: "Agree the release scope and readiness criteria", Phase: "plan", Duration: dur("1h"),
			RACI: relsop.RACI{Consulted: p.approvers("product", "dev-lead", "qa")}, Evidence: []string{"Release scope and readiness criteria"}},
			slot: "release-manager", why: "a release starts from an agreed scope and a shared idea of ready"})
	}
	if b.regulated() {
		regs := b.regimeNames()
		why := "the brief is about " + domainName(b.domain)
		if regs != "" {
			why = "the brief mentions " + regs
		}
		p.add(step{Step: relsop.Step{ID: "assess-impact", Name: "Assess the change for safety, security and compliance impact", Phase: "plan",
			Description: "Classify the change and record its impact on risk controls" + withRegimes(regs) + ".",
			Evidence:    []string{"Impact assessment"}}, slot: impactSlot(b), why: why + ", so every change is assessed before work on the release starts"})
	}
}

// impactSlot assesses compliance impact: quality under a quality system,
// security otherwise.
func impactSlot(b *brief) string {
	if b.qualitySystem() {
		return "quality"
	}
	return "security"
}

func withRegimes(regs string) string {
	if regs == "" {
		return ""
	}
	return " under " + regs
}

func (p *plan) buildStage() {
	b := p.b
	if b.asks("freeze") || (!b.excludes("freeze") && (b.domain == "itil" || b.domain == "games" || b.domain == "mobile" || b.domain == "healthcare" || b.domain == "saas" && b.asks("window"))) {
		desc := "After the freeze only fixes for release blockers go in, each approved by the release manager."
		if b.freezeLead != "" {
			desc = "The freeze starts " + b.freezeLead + " before the release. " + desc
		}
		why := "the brief asks for a freeze"
		if !b.asks("freeze") {
			why = "a " + domainName(b.domain) + " release freezes its change set before testing"
		}
		p.add(step{Step: relsop.Step{ID: "freeze", Name: "Freeze the release branch", Phase: "build", Description: desc,
			RACI: relsop.RACI{Informed: p.approvers("qa", "release-manager")}}, slot: "dev-lead", why: why})
	}
	sign := b.asks("signing") || b.regulated() || b.domain == "firmware" || b.domain == "desktop" || b.domain == "mobile"
	name := "Build the release artefacts"
	if sign && !b.excludes("signing") {
		name = "Build and sign the release artefacts"
	}
	p.add(step{Step: relsop.Step{ID: "build", Name: name, Kind: relsop.KindAutomated, Phase: "build", OnFailure: "fix-build", Duration: dur("15m"),
		Evidence: []string{"Build log", "Artefact checksums"}}, slot: "ci", why: "a release is built once, by the pipeline, and the same artefact goes everywhere"})
	p.add(step{Step: relsop.Step{ID: "unit-tests", Name: "Run unit and integration tests", Kind: relsop.KindAutomated, Phase: "build", OnFailure: "fix-build",
		Duration: dur("20m"), Evidence: []string{"Test report"}}, slot: "ci", why: "every candidate passes the automated tests before anyone spends time on it"})
	if !b.excludes("security") {
		why := "scanning for known vulnerabilities is standard practice"
		if b.hasRegime("pci") {
			why = "the brief mentions PCI DSS, so a vulnerability scan gates the build"
		} else if len(b.regimes) > 0 {
			why = "the brief mentions " + b.regimeNames() + ", which require vulnerability management"
		} else if b.asks("security") {
			why = "the brief asks for security checks (" + b.want["security"] + ")"
		}
		p.add(step{Step: relsop.Step{ID: "security-scan", Name: "Scan code and dependencies for vulnerabilities", Kind: relsop.KindAutomated, Phase: "build",
			OnFailure: "fix-build", Duration: dur("15m"), Evidence: []string{"Vulnerability scan report"}}, slot: "ci", why: why})
	}
	if b.asks("sbom") || b.hasRegime("fedramp") {
		p.add(step{Step: relsop.Step{ID: "sbom", Name: "Generate the software bill of materials", Kind: relsop.KindAutomated, Phase: "build",
			Evidence: []string{"SBOM"}}, slot: "ci", why: "the brief asks for an SBOM or an ATO, which needs one"})
	}
	p.side(step{Step: relsop.Step{ID: "fix-build", Name: "Fix the build, test or scan failure", Phase: "build", SLA: dur("4h"), Next: []string{"build"},
		RACI: relsop.RACI{Informed: p.approvers("release-manager")}}, slot: "dev-lead", why: "a failed build needs an owner and a way back into the pipeline"})
}

// environments are the pre-production environments a release passes
// through: the brief's own, or a staging environment, or (when the brief
// rules staging out) an ephemeral test environment, since production must
// come after validation somewhere.
func (p *plan) environments() []envName {
	b := p.b
	envs := b.envs
	if len(envs) == 0 {
		switch {
		case b.excludes("staging"):
			envs = []envName{{"test", "Ephemeral test environment"}}
			b.assumptions = append(b.assumptions, "the brief rules out staging ("+b.exclude["staging"]+"), so the candidate is validated in an ephemeral test environment the pipeline creates")
		case b.domain == "library":
			envs = []envName{{"test-registry", "Test package index"}}
		case b.domain == "mobile":
			envs = []envName{{"beta", "Beta testers"}}
		case b.domain == "firmware":
			envs = []envName{{"lab", "Device lab"}}
		default:
			envs = []envName{{"staging", "Staging"}}
			b.assumptions = append(b.assumptions, "the brief names no test environment, so a production-like staging environment is assumed")
		}
	}
	for _, e := range envs {
		p.sop.Environments = append(p.sop.Environments, relsop.Environment{ID: e.id, Name: e.name})
	}
	return envs
}

func (p *plan) testStage(envs []envName) {
	b := p.b
	firstDeploy := ""
	for i, e := range envs {
		id := "deploy-" + e.id
		if firstDeploy == "" {
			firstDeploy = id
		}
		p.add(step{Step: relsop.Step{ID: id, Name: "Deploy to " + e.name, Kind: relsop.KindDeploy, Phase: "test", Environment: e.id,
			OnFailure: "fix-build", Duration: dur("15m")}, slot: "ci", why: "the release candidate is validated in " + e.name + " before production"})
		if i == len(envs)-1 {
			p.add(step{Step: relsop.Step{ID: "regression-tests", Name: "Run regression and end-to-end tests on " + e.name, Kind: relsop.KindAutomated, Phase: "test",
				OnFailure: "fix-defects", Duration: dur("45m"), Evidence: []string{"Regression report"}}, slot: "ci", why: "regressions are caught before production"})
		}
	}
	if b.asks("validation") || b.hasRegime("gxp", "part11", "iec62304") || b.domain == "healthcare" {
		p.add(step{Step: relsop.Step{ID: "execute-validation", Name: "Execute the verification and validation protocols", Phase: "test",
			Description: "Run the approved IQ/OQ protocols against the release candidate and record every deviation.",
			Evidence:    []string{"Executed protocols", "Deviation log", "Traceability matrix"}}, slot: "qa", why: "regulated software is verified against approved protocols before release"})
	}
	if b.asks("load-test") {
		p.add(step{Step: relsop.Step{ID: "load-tests", Name: "Run load and performance tests", Kind: relsop.KindAutomated, Phase: "test",
			OnFailure: "fix-defects", Evidence: []string{"Load test report"}}, slot: "ci", why: "the brief asks for " + b.want["load-test"]})
	}
	if b.asks("manual-test") || b.domain == "itil" || b.domain == "games" || b.domain == "mobile" || (b.regulated() && !b.excludes("manual-test")) {
		name := "Verify the release against its acceptance criteria"
		if strings.Contains(b.want["manual-test"], "uat") || strings.Contains(b.want["manual-test"], "user acceptance") {
			name = "Run user acceptance testing"
		}
		p.add(step{Step: relsop.Step{ID: "acceptance-tests", Name: name, Phase: "test", Duration: dur("4h"),
			RACI: relsop.RACI{Consulted: p.approvers("product")}, Evidence: []string{"Test session notes"}}, slot: "qa", why: "people check what automated tests cannot"})
	}
	if b.domain == "database" || b.asks("migration") {
		p.add(step{Step: relsop.Step{ID: "rehearse-migration", Name: "Rehearse the migration and its rollback on a copy of production data", Phase: "test",
			Evidence: []string{"Rehearsal timings"}}, slot: "dba", why: "a schema change is rehearsed, with its rollback, before it touches production"})
	}
	p.side(step{Step: relsop.Step{ID: "fix-defects", Name: "Fix release-blocking defects", Phase: "test", SLA: dur("1d"), Next: []string{firstDeploy},
		RACI: relsop.RACI{Consulted: p.approvers("qa")}}, slot: "dev-lead", why: "failed tests and rejected gates send the candidate back to be fixed"})
}

func (p *plan) approveStage() {
	b := p.b
	if !b.excludes("qa-signoff") && (b.asks("qa-signoff") || b.domain != "cicd" || b.regulated()) {
		p.add(gate("qa-signoff", "QA sign-off", "approve", "qa",
			[]string{"Regression and end-to-end tests pass on the release candidate", "No open release-blocking defects", "Acceptance criteria met"},
			p.approvers("qa"), "pass", "fail", "fix-defects", "dev-lead", "4h", "quality is signed off before release"))
	}
	if !b.excludes("security") && (b.asks("security") || len(b.regimes) > 0 || b.domain == "saas" || b.domain == "itil") {
		why := "security approves what reaches production"
		if len(b.regimes) > 0 {
			why = "the brief mentions " + b.regimeNames() + ", so security approves every release"
		}
		p.add(gate("security-approval", "Security approval", "approve", "security",
			[]string{"No open critical or high vulnerabilities", "Security-relevant changes reviewed"},
			p.approvers("security"), "approved", "rejected", "fix-defects", "dev-lead", "8h", why))
	}
	if !b.excludes("privacy") && (b.asks("privacy") || b.hasRegime("hipaa")) {
		p.add(gate("privacy-review", "Privacy review", "approve", "privacy",
			[]string{"Changes to personal or health data handling reviewed", "Data processing records updated"},
			p.approvers("privacy"), "approved", "rejected", "fix-defects", "release-manager", "1d", "the brief mentions privacy or HIPAA, so personal data changes are reviewed"))
	}
	if b.qualitySystem() {
		crit := []string{"Verification and validation complete with no open deviations", "Traceability from requirements to tests complete", "Release documentation approved"}
		if b.hasRegime("part11") {
			crit = append(crit, "Approval recorded with an electronic signature under 21 CFR Part 11")
		}
		p.add(gate("quality-release", "Quality release approval", "approve", "quality", crit,
			p.approvers("quality"), "approved", "rejected", "fix-defects", "release-manager", "1d", "regulated releases are approved by quality before they reach users"))
	}
	if !b.excludes("cab") && (b.asks("cab") || b.domain == "itil" || b.hasRegime("sox")) {
		why := "the brief asks for a CAB"
		if !b.asks("cab") {
			why = "enterprise changes (and SOX change control) go through a change advisory board"
		}
		p.add(gate("cab-approval", "CAB approval", "approve", "cab",
			[]string{"Risk assessed and accepted", "Implementation, test and back-out plans reviewed", "Change window agreed"},
			p.approvers("cab", "change-manager"), "approved", "rejected", "defer-release", "change-manager", "1d", why))
	}
	if b.domain == "mobile" || b.domain == "games" && b.asks("store-review") {
		p.add(gate("store-review", "App store review", "approve", "release-manager",
			[]string{"Build submitted with release notes and screenshots", "Store guidelines met"},
			p.approvers("release-manager"), "approved", "rejected", "fix-defects", "product", "2d", "store releases pass the platform's review"))
	}
	if !b.excludes("go-no-go") {
		p.add(gate("go-no-go", "Go/no-go decision", "approve", "release-manager",
			[]string{"All earlier gates passed", "Rollback plan ready and tested", "On-call staffed for the release window"},
			p.approvers("release-manager", "sre"), "go", "no-go", "defer-release", "dev-lead", "2h", "the release manager decides, with operations, whether the release goes out"))
	}
	p.side(step{Step: relsop.Step{ID: "defer-release", Name: "Defer the release to the next window", Phase: "approve", Next: []string{"notify-deferral"}},
		slot: "release-manager", why: "a no-go needs a defined way out"})
	p.side(step{Step: relsop.Step{ID: "notify-deferral", Name: "Notify stakeholders of the deferral", Kind: relsop.KindNotify, Phase: "approve", Next: []string{"end"},
		RACI: relsop.RACI{Informed: p.approvers("product", "support")}}, slot: "release-manager", why: "people waiting for the release are told it moved"})
}

func (p *plan) deployStage() {
	b := p.b
	prodName := "Production"
	if b.prodName != "" {
		prodName = b.prodName
	}
	if b.domain == "library" {
		prodName = "Package registry"
	}
	if b.asks("window") || b.asks("downtime") || b.domain == "itil" || b.asks("status-page") {
		p.add(step{Step: relsop.Step{ID: "announce-window", Name: "Announce the release window", Kind: relsop.KindNotify, Phase: "deploy",
			RACI: relsop.RACI{Informed: p.approvers("support")}}, slot: "release-manager", why: "users and support know in advance when the release happens"})
	}
	if b.asks("backup") || b.domain == "database" || b.domain == "itil" || b.asks("migration") {
		p.add(step{Step: relsop.Step{ID: "back-up", Name: "Back up production data and configuration", Kind: relsop.KindAutomated, Phase: "deploy",
			Evidence: []string{"Backup record"}}, slot: "dba", why: "a restore point exists before production changes"})
	}
	prod := relsop.Environment{ID: "production", Name: prodName, Production: true}
	switch {
	case b.asks("canary") && !b.excludes("canary") || (b.domain == "saas" || b.domain == "ml") && !b.excludes("canary") && !b.asks("blue-green") && !b.asks("rolling"):
		pct := b.canaryPct
		if pct == "" {
			pct = "5%"
			b.assumptions = append(b.assumptions, "no canary size given: 5% of traffic")
		}
		p.sop.Environments = append(p.sop.Environments, relsop.Environment{ID: "canary", Name: "Canary (" + pct + ")", Production: true})
		p.add(step{Step: relsop.Step{ID: "deploy-canary", Name: "Deploy the canary to " + pct + " of traffic", Kind: relsop.KindDeploy, Phase: "deploy",
			Environment: "canary", OnFailure: "roll-back-canary"}, slot: "sre", why: "a canary limits who a bad release can hurt"})
		bake := b.bake
		if bake == "" {
			bake = "1h"
		}
		p.add(step{Step: relsop.Step{ID: "watch-canary", Name: "Watch the canary for " + bake, Phase: "deploy", Duration: dur(bake), OnFailure: "roll-back-canary"},
			slot: "sre", why: "the canary bakes before the decision to promote"})
		p.add(gate("canary-analysis", "Canary analysis", "deploy", "sre",
			[]string{"Error rate and latency within limits of the stable fleet", "No new alerts attributable to the release"},
			p.approvers("sre"), "proceed", "roll back", "roll-back-canary", "release-manager", "1h", "the canary is judged on metrics before it is promoted"))
		p.side(step{Step: relsop.Step{ID: "roll-back-canary", Name: "Roll back the canary", Kind: relsop.KindRollback, Phase: "deploy", Environment: "canary",
			Next: []string{"open-incident"}}, slot: "sre", why: "a failed canary is taken out of service"})
	case b.asks("phased") || b.domain == "mobile" || b.domain == "firmware" || b.domain == "games":
		p.sop.Environments = append(p.sop.Environments, relsop.Environment{ID: "first-wave", Name: "First wave of users", Production: true})
		p.add(step{Step: relsop.Step{ID: "release-first-wave", Name: "Release to the first wave of users", Kind: relsop.KindDeploy, Phase: "deploy",
			Environment: "first-wave", OnFailure: "halt-rollout"}, slot: "release-manager", why: "a phased rollout limits who a bad release can hurt"})
		p.add(gate("rollout-health", "Rollout health check", "deploy", "sre",
			[]string{"Crash-free rate and error reports within limits", "No new critical user reports"},
			p.approvers("sre", "release-manager"), "continue", "stop", "halt-rollout", "release-manager", "1d", "each wave is judged before the next"))
		p.side(step{Step: relsop.Step{ID: "halt-rollout", Name: "Halt the rollout and roll back the first wave", Kind: relsop.KindRollback, Phase: "deploy",
			Environment: "first-wave", Next: []string{"open-incident"}}, slot: "release-manager", why: "a bad wave is stopped before it reaches everyone"})
	}
	strategy := "the release"
	switch {
	case b.asks("blue-green"):
		strategy = "with a blue-green switch"
	case b.asks("rolling"):
		strategy = "in a rolling update"
	}
	name := "Deploy to " + prodName
	if strategy != "the release" {
		name += " " + strategy
	}
	if b.domain == "library" {
		name = "Publish the release to the package registry"
	}
	p.sop.Environments = append(p.sop.Environments, prod)
	p.add(step{Step: relsop.Step{ID: "deploy-production", Name: name, Kind: relsop.KindDeploy, Phase: "deploy", Environment: "production",
		OnFailure: "roll-back-production", Evidence: []string{"Deployment record"}}, slot: deploySlot(b), why: "the release reaches " + prodName})
	if !b.excludes("smoke") && b.domain != "library" {
		p.add(step{Step: relsop.Step{ID: "smoke-tests", Name: "Run smoke tests in " + prodName, Kind: relsop.KindAutomated, Phase: "deploy",
			OnFailure: "roll-back-production"}, slot: "ci", why: "the release is checked in production right after it lands"})
	}
	rollback := "Roll back " + prodName + " to the previous release"
	if b.domain == "library" {
		rollback = "Yank the release and publish a fixed version"
	}
	p.side(step{Step: relsop.Step{ID: "roll-back-production", Name: rollback, Kind: relsop.KindRollback, Phase: "deploy", Environment: "production",
		SLA: dur("30m"), Next: []string{"open-incident"}}, slot: deploySlot(b), why: "every production deploy has a rehearsed way back"})
	p.side(step{Step: relsop.Step{ID: "open-incident", Name: "Open an incident and page the on-call engineer", Phase: "post-release",
		Next: []string{"notify-rollback"}}, slot: incidentSlot(b), why: "a rollback is an incident: someone leads the response"})
	p.side(step{Step: relsop.Step{ID: "notify-rollback", Name: "Notify stakeholders of the rollback", Kind: relsop.KindNotify, Phase: "post-release",
		Next: []string{"review-failure"}, RACI: relsop.RACI{Informed: p.approvers("product", "support")}}, slot: "release-manager", why: "people are told when a release is rolled back"})
	p.side(step{Step: relsop.Step{ID: "review-failure", Name: "Review the failed release and file follow-ups", Phase: "post-release",
		Next: []string{"end"}}, slot: "dev-lead", why: "a failed release is reviewed so it does not fail the same way twice"})
}

func deploySlot(b *brief) string {
	switch b.domain {
	case "library", "mobile":
		return "release-manager"
	case "database":
		return "dba"
	}
	return "sre"
}

func incidentSlot(b *brief) string {
	if _, ok := b.roles["incident-commander"]; ok {
		return "incident-commander"
	}
	return "sre"
}

func (p *plan) postStage() {
	b := p.b
	watch := "Monitor service health after the release"
	if b.hypercare != "" {
		watch = "Monitor the release in hypercare for " + b.hypercare
	} else if b.asks("hypercare") {
		watch = "Monitor the release in hypercare"
	}
	p.add(step{Step: relsop.Step{ID: "monitor", Name: watch, Phase: "post-release", Duration: dur(firstNonEmpty(b.hypercare, "2h")), OnFailure: "roll-back-production"},
		slot: "sre", why: "every production release is followed by monitoring"})
	p.add(step{Step: relsop.Step{ID: "announce-release", Name: "Announce the release to users and stakeholders", Kind: relsop.KindNotify, Phase: "post-release",
		RACI: relsop.RACI{Informed: p.approvers("support", "product")}}, slot: "release-manager", why: "stakeholders are told when the release is done"})
	if b.regulated() {
		p.add(step{Step: relsop.Step{ID: "archive-records", Name: "Archive the release records for the audit trail", Phase: "post-release",
			Evidence: []string{"Release record with approvals, test evidence and deployment logs"}}, slot: impactSlot(b),
			why: "the brief mentions " + firstNonEmpty(b.regimeNames(), domainName(b.domain)) + ", which need the release documented for audit"})
	}
	if b.asks("postmortem") || b.regulated() || b.domain == "itil" {
		p.add(step{Step: relsop.Step{ID: "post-implementation-review", Name: "Hold the post-implementation review", Phase: "post-release",
			Evidence: []string{"Review record"}}, slot: "release-manager", why: "the release is reviewed and lessons are recorded"})
	}
	p.add(step{Step: relsop.Step{ID: "end", Name: "Release complete", Kind: relsop.KindEnd, Phase: "post-release"}, slot: "release-manager"})
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
