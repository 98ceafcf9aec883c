package generate

import (
	"strings"
	"testing"
)

func TestKnowledgeBaseLoads(t *testing.T) {
	k, err := loadKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	if len(k.lex.Domains) != 13 || len(k.lex.Regimes) != 9 {
		t.Errorf("%d domains and %d regimes; want the 13 domains and 9 regimes the planner promises", len(k.lex.Domains), len(k.lex.Regimes))
	}
	if len(k.fragments) < 40 {
		t.Errorf("only %d fragments of practice", len(k.fragments))
	}
}

// Every placeholder in the knowledge base must be one the planner fills,
// and every flow must lead to a fragment that exists.
func TestKnowledgeBaseReferences(t *testing.T) {
	k := mustKnowledge()
	p := assemble(understand("weekly SaaS release"), true)
	v := p.vars([]envName{{"staging", "Staging"}}).withEnv(envName{"staging", "Staging"})
	ids := map[string]bool{"deploy-staging": true}
	for _, f := range k.fragments {
		ids[f.ID] = true
	}
	for _, f := range k.fragments {
		all := []string{f.ID, f.Owner, f.Environment, f.Duration, f.SLA, f.OnFailure, f.NoGoTo, f.Escalate, f.EscalateAfter}
		all = append(all, f.Next...)
		all = append(all, f.Approvers...)
		for _, ts := range []texts{f.Name, f.Description, f.Evidence, f.Criteria, f.Why, f.Assume} {
			for _, a := range ts {
				all = append(all, a.Text)
			}
		}
		for _, s := range all {
			if e := v.expand(s); strings.ContainsAny(e, "{}") {
				t.Errorf("fragment %s: %q has a placeholder the planner does not fill", f.ID, s)
			}
		}
		for _, to := range append([]string{f.OnFailure, f.NoGoTo}, f.Next...) {
			if to = v.expand(to); to != "" && !ids[to] {
				t.Errorf("fragment %s leads to %q, which no fragment adds", f.ID, to)
			}
		}
		for _, slot := range append(append([]string{f.Owner, f.Escalate}, f.Approvers...), append(f.Consulted, f.Informed...)...) {
			if slot = v.expand(slot); slot != "" && k.lex.roleSlot(slot) == nil {
				t.Errorf("fragment %s names role slot %q, which the lexicon does not define", f.ID, slot)
			}
		}
	}
}

func TestConditions(t *testing.T) {
	lx := mustKnowledge().lex
	p := assemble(understand("Weekly SaaS releases under PCI DSS with a 5% canary; we skip the CAB."), true)
	for expr, want := range map[string]bool{
		"domain:saas":                                true,
		"domain:itil":                                false,
		"regime:pci & asks:canary":                   true,
		"excludes:cab":                               true,
		"!excludes:cab | domain:itil":                false,
		"(domain:itil | regime:pci) & !regime:hipaa": true,
		"given:pct & !given:bake":                    true,
		"said:weekly_saas/monthly":                   true,
		"step:deploy-canary":                         true,
		"":                                           true,
	} {
		c, err := parseCond(expr, lx)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		if got := c(p); got != want {
			t.Errorf("%q = %v, want %v", expr, got, want)
		}
	}
	for _, bad := range []string{"domain:nowhere", "asks:teleport", "regime:gdpr", "a &", "(domain:saas", "domain:saas )", "role:wizard", "given:colour", "said:("} {
		if _, err := parseCond(bad, lx); err == nil {
			t.Errorf("%q: compiled; want an error", bad)
		}
	}
}
