package lint

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/suggest"
)

// pass is one run of one rule over one flow.
type pass struct {
	sop     *relsop.SOP // the flow checked: the base flow or a resolved variant
	whole   *relsop.SOP // the SOP as written, with all release types
	variant *relsop.ReleaseType
	// resolved holds the resolved flow of every release type, by id.
	resolved map[string]*relsop.SOP
	cfg      *Config
	g        *graph
	rule     *Rule
	out      []relsop.Finding
}

// report adds a finding about element at pos; an empty hint uses the rule's.
func (p *pass) report(pos relsop.Pos, element, msg, hint string) {
	if hint == "" {
		hint = p.rule.Fix
	}
	if p.variant != nil && p.rule.Scope == ScopeFlow {
		msg = fmt.Sprintf("in release type %q: %s", p.variant.ID, msg)
	}
	p.out = append(p.out, relsop.Finding{Pos: pos, Code: p.rule.ID, Message: msg, Hint: hint, Element: element})
}

// idPos is where a step's id was written.
func idPos(st *relsop.Step) relsop.Pos { return st.FieldPos.Of("id", st.Pos) }

// Run lints sop under cfg and returns the findings sorted by position. The
// SOP must have loaded without errors.
func Run(sop *relsop.SOP, cfg Config) []relsop.Finding {
	cfg.defaults()
	var all []relsop.Finding
	// Each flow's graph is built once and shared by every rule.
	base := newGraph(sop)
	variants := map[string]*relsop.SOP{}
	graphs := map[string]*graph{}
	for i := range sop.ReleaseTypes {
		id := sop.ReleaseTypes[i].ID
		if v, err := sop.Resolve(id); err == nil {
			variants[id], graphs[id] = v, newGraph(v)
		}
	}
	for _, r := range Rules() {
		sev := cfg.severity(r)
		if sev == Off {
			continue
		}
		var found []relsop.Finding
		run := func(flow *relsop.SOP, g *graph, rt *relsop.ReleaseType) {
			p := &pass{sop: flow, whole: sop, variant: rt, resolved: variants, cfg: &cfg, g: g, rule: r}
			r.Check(p)
			found = append(found, p.out...)
		}
		switch r.Scope {
		case ScopeSOP:
			run(sop, base, nil)
		case ScopeFlow:
			run(sop, base, nil)
			for i := range sop.ReleaseTypes {
				if v := variants[sop.ReleaseTypes[i].ID]; v != nil {
					run(v, graphs[sop.ReleaseTypes[i].ID], &sop.ReleaseTypes[i])
				}
			}
		case ScopeEmergency:
			for i := range sop.ReleaseTypes {
				rt := &sop.ReleaseTypes[i]
				if v := variants[rt.ID]; v != nil && rt.IsEmergency() {
					run(v, graphs[rt.ID], rt)
				}
			}
		}
		for i := range found {
			found[i].Severity = sev
		}
		all = append(all, dropVariantRepeats(found)...)
	}
	all = applyIgnores(sop, all)
	sortFindings(all)
	return all
}

// dropVariantRepeats keeps one finding per rule and position: a problem of
// the base flow shows up again in every variant that keeps the step.
func dropVariantRepeats(fs []relsop.Finding) []relsop.Finding {
	seen := map[string]bool{}
	var out []relsop.Finding
	for _, f := range fs {
		k := fmt.Sprintf("%s|%s|%s", f.Code, f.Pos, stripVariant(f.Message))
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

var variantPrefix = lazyRegexp(`^in release type "[^"]*": `)

func stripVariant(msg string) string { return variantPrefix().ReplaceAllString(msg, "") }

// applyIgnores drops findings the file's ignore entries suppress, and
// reports ignore entries that name no rule.
func applyIgnores(sop *relsop.SOP, fs []relsop.Finding) []relsop.Finding {
	var out []relsop.Finding
	for _, f := range fs {
		if !ignored(sop.Ignore, f) {
			out = append(out, f)
		}
	}
	for _, ig := range sop.Ignore {
		if RuleByID(ig.Rule) == nil {
			out = append(out, relsop.Finding{Pos: ig.Pos, Severity: relsop.SeverityError, Code: CodeUnknownRule,
				Message: fmt.Sprintf("ignore names rule %q, which does not exist%s", ig.Rule, suggest.Hint(ig.Rule, RuleIDs())),
				Hint:    "see the rule ids with: relsop rules"})
		}
	}
	return out
}

// CodeUnknownRule is reported for an ignore or config entry naming no rule.
const CodeUnknownRule = "unknown-rule"

func ignored(igs []relsop.Ignore, f relsop.Finding) bool {
	for _, ig := range igs {
		if ig.Rule == f.Code && (ig.Step == "" || ig.Step == f.Element) {
			return true
		}
	}
	return false
}

func sortFindings(fs []relsop.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Code < b.Code
	})
}

// Config is how a project tunes lint: the profile, rule severities, the
// complexity budget, extra verbs, and ignores by file.
type Config struct {
	Profile  Profile
	Rules    map[string]relsop.Severity // rule id -> severity or Off
	MaxSteps int                        // in total
	MaxLane  int                        // per role
	MaxPhase int                        // per phase
	Verbs    []string                   // extra verbs for verb-first
	Ignore   []PathIgnore
	// Today is the date review freshness is judged against; zero means
	// the current date. Tests set it.
	Today time.Time
}

// PathIgnore turns a rule off for files matching any of Paths.
type PathIgnore struct {
	Rule   string
	Paths  []string // glob patterns, matched against the path as given
	Reason string
}

// Default complexity budget: beyond these an SOP stops being readable on
// one page and should be split into sub-procedures.
const (
	DefaultMaxSteps = 60
	DefaultMaxLane  = 20
	DefaultMaxPhase = 20
)

func (c *Config) defaults() {
	if c.Profile == "" {
		c.Profile = ProfileDefault
	}
	if c.MaxSteps == 0 {
		c.MaxSteps = DefaultMaxSteps
	}
	if c.MaxLane == 0 {
		c.MaxLane = DefaultMaxLane
	}
	if c.MaxPhase == 0 {
		c.MaxPhase = DefaultMaxPhase
	}
	if c.Today.IsZero() {
		c.Today = time.Now()
	}
}

func (c *Config) severity(r *Rule) relsop.Severity {
	if s, ok := c.Rules[r.ID]; ok {
		return s
	}
	return r.SeverityIn(c.Profile)
}

// IgnoresFile reports whether the config turns rule off for file.
func (c *Config) IgnoresFile(rule, file string) bool {
	file = path.Clean(filepath.ToSlash(file)) // "./sops/x.sop.yaml" is "sops/x.sop.yaml"
	for _, ig := range c.Ignore {
		if ig.Rule != rule && ig.Rule != "*" {
			continue
		}
		for _, pat := range ig.Paths {
			if ok, _ := path.Match(pat, file); ok {
				return true
			}
			if ok, _ := path.Match(pat, path.Base(file)); ok {
				return true
			}
			if strings.HasSuffix(pat, "/**") && strings.HasPrefix(file, strings.TrimSuffix(pat, "**")) {
				return true
			}
		}
	}
	return false
}

// isVerb reports whether word opens an instruction.
func (c *Config) isVerb(word string) bool {
	if verbs()[word] {
		return true
	}
	for _, v := range c.Verbs {
		if strings.EqualFold(v, word) {
			return true
		}
	}
	return false
}
