package generate

import (
	"strings"

	"github.com/relsop/relsop"
)

// assemble builds the base flow from the knowledge base: every fragment of
// practice the brief calls for, in release order, with the side paths the
// kept fragments lead to.
func assemble(b *brief, readBrief bool) *plan {
	p := newPlan(b)
	envs := p.environments()
	v := p.vars(envs)
	for _, f := range mustKnowledge().fragments {
		if !f.applies(p) {
			continue
		}
		if f.Each == "test-env" {
			for _, e := range envs {
				ev := v.withEnv(e)
				if p.step(ev.expand(f.ID)) == nil {
					f.instantiate(p, ev)
				}
			}
			continue
		}
		// For one id the first fragment that applies wins.
		if p.step(v.expand(f.ID)) == nil {
			f.instantiate(p, v)
		}
	}
	if readBrief {
		p.namedFreezes()
		p.readClauses()
	}
	p.link()
	return p
}

// environments are the pre-production environments a release passes
// through: the brief's own, or the domain's usual ones, or staging, or
// (when the brief rules staging out) an ephemeral test environment, since
// production must come after validation somewhere.
func (p *plan) environments() []envName {
	b := p.b
	envs := b.envs
	if len(envs) == 0 {
		d := mustKnowledge().lex.domain(b.domain)
		switch {
		case b.excludes("staging"):
			envs = []envName{{"test", "Ephemeral test environment"}}
			b.assumptions = append(b.assumptions, "the brief rules out staging ("+b.exclude["staging"]+"), so the candidate is validated in an ephemeral test environment the pipeline creates")
		case d != nil && len(d.Envs) > 0:
			for _, e := range d.Envs {
				envs = append(envs, envName{e.ID, e.Name})
			}
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

// vars are the values the knowledge base's placeholders stand for: what
// the brief said, or the domain's defaults.
func (p *plan) vars(envs []envName) vars {
	b := p.b
	d := mustKnowledge().lex.domain(b.domain)
	prod := firstNonEmpty(b.prodName, d.Prod, "Production")
	values := map[string]string{
		"prod":              prod,
		"pct":               firstNonEmpty(b.canaryPct, "5%"),
		"bake":              firstNonEmpty(b.bake, "1h"),
		"freeze_lead":       b.freezeLead,
		"hypercare":         b.hypercare,
		"monitor_for":       firstNonEmpty(b.hypercare, "2h"),
		"monitor_owner":     monitorSlot(b.domain),
		"monitor_fail":      "roll-back-production",
		"regimes":           b.regimeNames(),
		"domain":            d.Name,
		"start":             d.Start,
		"deployer":          d.Deployer,
		"incident":          incidentSlot(b),
		"impact":            impactSlot(b),
		"announcer":         announcerSlot(b),
		"schedule":          strings.Join(b.schedule, "; "),
		"first_test_deploy": "deploy-" + envs[0].id,
		"last_env":          envs[len(envs)-1].name,
	}
	return func(name string) (string, bool) {
		if practice, ok := strings.CutPrefix(name, "want:"); ok {
			return firstNonEmpty(b.want[practice], practice), true
		}
		v, ok := values[name]
		return v, ok
	}
}

// withEnv adds the {env.id} and {env.name} of one environment.
func (v vars) withEnv(e envName) vars {
	return func(name string) (string, bool) {
		switch name {
		case "env.id":
			return e.id, true
		case "env.name":
			return e.name, true
		}
		return v(name)
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

func incidentSlot(b *brief) string {
	if _, ok := b.roles["incident-commander"]; ok {
		return "incident-commander"
	}
	return "sre"
}

// monitorSlot watches the release: the people who own what was released
// where it is not a running service.
func monitorSlot(domain string) string {
	switch domain {
	case "ml":
		return "ml"
	case "data":
		return "data"
	case "library":
		return "dev-lead"
	}
	return "sre"
}

func announcerSlot(b *brief) string {
	if _, ok := b.roles["comms"]; ok {
		return "comms"
	}
	return "release-manager"
}

// firstNonEmpty is the first value with more than white space in it.
func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
