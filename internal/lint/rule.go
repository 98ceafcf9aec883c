// Package lint checks an SOP against release-management practice. Rules
// live in a table (Rules), one file per family; each has an id, a severity
// per profile, a doc paragraph with an example and a fix hint, so that the
// table is also the documentation (relsop rules, relsop explain RULE).
package lint

import (
	"sort"

	"github.com/relsop/relsop"
)

// Profile selects which rules run and how severe they are.
type Profile string

// The profiles.
const (
	ProfileDefault   Profile = "default"
	ProfileRegulated Profile = "regulated"
)

// Profiles lists the profiles.
var Profiles = []Profile{ProfileDefault, ProfileRegulated}

// Off is the severity of a rule that does not run.
const Off relsop.Severity = "off"

// Scope says what a rule looks at.
type Scope int

const (
	// ScopeFlow rules run on the base flow and on each release type's
	// resolved flow.
	ScopeFlow Scope = iota
	// ScopeSOP rules run once, on the whole SOP.
	ScopeSOP
	// ScopeEmergency rules run on the resolved flow of each emergency
	// release type.
	ScopeEmergency
)

// Rule is one best-practice check.
type Rule struct {
	ID        string
	Family    string
	Summary   string          // one line: what must hold
	Default   relsop.Severity // severity in the default profile (Off: regulated only)
	Regulated relsop.Severity // severity in the regulated profile; empty means as Default
	Doc       string          // why the rule exists
	Example   string          // a YAML fragment that satisfies it
	Fix       string          // the usual fix, shown as the hint
	Scope     Scope
	Check     func(*pass)
}

// SeverityIn returns the rule's severity under profile.
func (r *Rule) SeverityIn(p Profile) relsop.Severity {
	if p == ProfileRegulated && r.Regulated != "" {
		return r.Regulated
	}
	return r.Default
}

// registry holds every rule; each family's file adds its rules in init.
var registry []*Rule

func register(rules ...*Rule) { registry = append(registry, rules...) }

// Rules returns every rule, sorted by family then id.
func Rules() []*Rule {
	out := append([]*Rule(nil), registry...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Family != out[j].Family {
			return familyOrder[out[i].Family] < familyOrder[out[j].Family]
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// familyOrder is the order families are documented in.
var familyOrder = map[string]int{"roles": 0, "gates": 1, "deploy": 2, "post-release": 3, "structure": 4, "naming": 5,
	"complexity": 6, "review": 7, "regulated": 8, "emergency": 9, "meta": 10}

// RuleByID returns the rule with the given id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range registry {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// RuleIDs lists every rule id.
func RuleIDs() []string {
	var out []string
	for _, r := range Rules() {
		out = append(out, r.ID)
	}
	return out
}
