package generate

import (
	"fmt"
	"strings"
	"unicode"
)

// cond is a compiled condition of the knowledge base: when a fragment of
// practice applies. Conditions are written in the data files as small
// expressions over what the planner understood from the brief:
//
//	domain:itil | asks:cab         the domain is ITIL, or the brief asks for a CAB
//	regime:pci & !excludes:security
//	regulated & (asks:validation | quality-system)
//
// Terms:
//
//	domain:ID        the brief's domain
//	asks:PRACTICE    the brief asks for a practice (in a clause that does not negate it)
//	excludes:PRACTICE the brief rules a practice out
//	regime:ID        the brief names a compliance regime (regime:any for any)
//	role:SLOT        the brief names someone in this part ("our Dev Lead")
//	step:ID          an earlier fragment already added this step
//	regulated        any regime, or a regulated domain
//	quality-system   GxP, IEC 62304, Part 11 or healthcare: quality releases
//	envs             the brief names its own environments
//	said:WORDS       the brief says these words, not negated (a pattern: _ stands for a space, / separates alternatives)
//	given:VAR        the brief gave a value the defaults would otherwise fill (pct, bake, freeze_lead, hypercare, schedule, prod)
//	true, false
//
// Operators, tightest first: ! (not), & (and), | (or); parentheses group.
type cond func(p *plan) bool

func always(*plan) bool { return true }

// parseCond compiles a condition; the empty string always holds.
func parseCond(expr string, lx *lexicon) (cond, error) {
	if strings.TrimSpace(expr) == "" {
		return always, nil
	}
	cp := &condParser{toks: tokenizeCond(expr), expr: expr, lx: lx}
	c, err := cp.or()
	if err != nil {
		return nil, err
	}
	if cp.i < len(cp.toks) {
		return nil, fmt.Errorf("condition %q: unexpected %q", expr, cp.toks[cp.i])
	}
	return c, nil
}

func tokenizeCond(s string) []string {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune("!&|()", r):
			flush()
			toks = append(toks, string(r))
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

type condParser struct {
	toks []string
	i    int
	expr string
	lx   *lexicon
}

func (cp *condParser) peek() string {
	if cp.i < len(cp.toks) {
		return cp.toks[cp.i]
	}
	return ""
}

func (cp *condParser) or() (cond, error) {
	l, err := cp.and()
	if err != nil {
		return nil, err
	}
	for cp.peek() == "|" {
		cp.i++
		r, err := cp.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(p *plan) bool { return a(p) || b(p) }
	}
	return l, nil
}

func (cp *condParser) and() (cond, error) {
	l, err := cp.not()
	if err != nil {
		return nil, err
	}
	for cp.peek() == "&" {
		cp.i++
		r, err := cp.not()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(p *plan) bool { return a(p) && b(p) }
	}
	return l, nil
}

func (cp *condParser) not() (cond, error) {
	switch cp.peek() {
	case "!":
		cp.i++
		c, err := cp.not()
		if err != nil {
			return nil, err
		}
		return func(p *plan) bool { return !c(p) }, nil
	case "(":
		cp.i++
		c, err := cp.or()
		if err != nil {
			return nil, err
		}
		if cp.peek() != ")" {
			return nil, fmt.Errorf("condition %q: missing )", cp.expr)
		}
		cp.i++
		return c, nil
	case "", ")", "&", "|":
		return nil, fmt.Errorf("condition %q: a term is missing", cp.expr)
	}
	t := cp.toks[cp.i]
	cp.i++
	return term(t, cp.lx)
}

// term compiles one term; names are checked against the lexicon so that a
// typo in the knowledge base fails its tests instead of never matching.
func term(t string, lex *lexicon) (cond, error) {
	kind, arg, _ := strings.Cut(t, ":")
	switch kind {
	case "true":
		return always, nil
	case "false":
		return func(*plan) bool { return false }, nil
	case "regulated":
		return func(p *plan) bool { return p.b.regulated() }, nil
	case "quality-system":
		return func(p *plan) bool { return p.b.qualitySystem() }, nil
	case "envs":
		return func(p *plan) bool { return len(p.b.envs) > 0 }, nil
	case "domain":
		if lex.domain(arg) == nil {
			return nil, fmt.Errorf("unknown domain %q in %q", arg, t)
		}
		return func(p *plan) bool { return p.b.domain == arg }, nil
	case "asks", "excludes":
		if _, ok := lex.Practices[arg]; !ok {
			return nil, fmt.Errorf("unknown practice %q in %q", arg, t)
		}
		if kind == "asks" {
			return func(p *plan) bool { return p.b.asks(arg) }, nil
		}
		return func(p *plan) bool { return p.b.excludes(arg) }, nil
	case "regime":
		if arg == "any" {
			return func(p *plan) bool { return len(p.b.regimes) > 0 }, nil
		}
		if lex.regime(arg) == nil {
			return nil, fmt.Errorf("unknown regime %q in %q", arg, t)
		}
		return func(p *plan) bool { return p.b.hasRegime(arg) }, nil
	case "role":
		if lex.roleSlot(arg) == nil {
			return nil, fmt.Errorf("unknown role slot %q in %q", arg, t)
		}
		return func(p *plan) bool { _, ok := p.b.roles[arg]; return ok }, nil
	case "said":
		pat := strings.NewReplacer("_", " ", "/", "|").Replace(arg)
		if _, err := compileWordRE(pat); err != nil {
			return nil, fmt.Errorf("bad pattern in %q: %v", t, err)
		}
		return func(p *plan) bool { _, ok := p.b.has(pat); return ok }, nil
	case "given":
		if !contains(givenVars, arg) {
			return nil, fmt.Errorf("unknown value %q in %q: one of %s", arg, t, strings.Join(givenVars, ", "))
		}
		return func(p *plan) bool { return p.b.given(arg) != "" }, nil
	case "step":
		return func(p *plan) bool { return p.step(arg) != nil }, nil
	}
	return nil, fmt.Errorf("unknown term %q", t)
}
