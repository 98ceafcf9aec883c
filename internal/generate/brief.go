package generate

import (
	"regexp"
	"strings"
	"sync"
)

// brief is what the planner understood from a brief (and any policy text):
// the domain, compliance regimes, practices asked for or excluded, numbers
// with units, the user's own role and environment names, and schedules.
type brief struct {
	text     string // normalised: lower case, one space between words
	original string

	domain      string
	domainWhy   string
	regimes     []regime
	want        map[string]string // practice id -> the words that asked for it
	exclude     map[string]string // practice id -> the words that excluded it
	roles       map[string]string // role slot -> the user's own name for it
	roleWhy     map[string]string
	envs        []envName // pre-production environments the brief names, in order
	prodName    string    // the user's name for production, if any
	canaryPct   string    // "5%"
	bake        string    // "2h"
	freezeLead  string    // "48h"
	hypercare   string    // "2w"
	schedule    []string  // phrases about when releases happen, verbatim
	assumptions []string

	regulatedProfile bool // the SOP must pass the regulated lint profile
}

type envName struct{ id, name string }

type regime struct{ id, name string }

// understand reads a brief. Policy texts are read the same way and add to it.
func understand(texts ...string) *brief {
	orig := strings.Join(texts, "\n")
	b := &brief{original: orig, text: normalise(orig), want: map[string]string{}, exclude: map[string]string{},
		roles: map[string]string{}, roleWhy: map[string]string{}}
	b.findDomain()
	b.findRegimes()
	b.findPractices()
	b.findRoles()
	b.findNamedRoles()
	b.findEnvironments()
	b.findNumbers()
	b.findSchedule()
	return b
}

var spaces = lazyRE(`\s+`)

// normalise lower-cases text, unifies dashes and quotes, and collapses
// white space, so that patterns need not care how a brief was typed.
func normalise(s string) string {
	r := strings.NewReplacer("\u2013", "-", "\u2014", " - ", "\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ", "→", " then ", "->", " then ", "=>", " then ")
	s = r.Replace(strings.ToLower(s))
	// A bullet or a blank line ends a statement, so "- no staging" does not
	// negate the next bullet; a line that merely wraps prose does not.
	s = itemBreak.ReplaceAllString(s, "; ")
	return strings.Trim(spaces.ReplaceAllString(s, " "), " ;")
}

var itemBreak = lazyRE(`\n\s*(?:[-*•+]|\d+[.)]|\d+(?:\.\d+)+|[a-z][.)])\s+|\n\s*\n`)

// has reports whether the brief mentions any of the patterns (regular
// expressions matched on word boundaries) in a clause that does not negate
// it, and returns the words matched.
func (b *brief) has(patterns ...string) (string, bool) {
	for _, p := range patterns {
		re := wordRE(p)
		for _, loc := range re.FindAllStringIndex(b.text, -1) {
			if !negated(b.text, loc[0], loc[1]) {
				return b.text[loc[0]:loc[1]], true
			}
		}
	}
	return "", false
}

// denies reports whether the brief mentions one of the patterns only to
// exclude it ("no staging", "we skip the CAB", "CAB is not needed").
func (b *brief) denies(patterns ...string) (string, bool) {
	for _, p := range patterns {
		re := wordRE(p)
		for _, loc := range re.FindAllStringIndex(b.text, -1) {
			if negated(b.text, loc[0], loc[1]) {
				return clauseAround(b.text, loc[0], loc[1]), true
			}
		}
	}
	return "", false
}

// wordRE matches pattern p as whole words.
func wordRE(p string) *regexp.Regexp {
	return cachedRE(wordExpr(p))
}

func wordExpr(p string) string { return `(?:^|[^a-z0-9])(?:` + p + `)(?:$|[^a-z0-9])` }

// compileWordRE checks a pattern of the knowledge base.
func compileWordRE(p string) (*regexp.Regexp, error) { return regexp.Compile(wordExpr(p)) }

// cachedRE compiles each pattern of the knowledge base once; Generate may
// run on many requests at a time, hence the lock.
func cachedRE(expr string) *regexp.Regexp {
	reMu.Lock()
	defer reMu.Unlock()
	re, ok := reCache[expr]
	if !ok {
		re = regexp.MustCompile(expr)
		// Patterns made of the user's role names join the cache; a long-
		// running server starts it afresh rather than let it grow.
		if len(reCache) >= maxCachedRE {
			clear(reCache)
		}
		reCache[expr] = re
	}
	return re
}

const maxCachedRE = 4096

// indexFold finds sub in s ignoring case, as byte offsets into s; -1, -1
// when it is not there. No regular expression is built from user text.
func indexFold(s, sub string) (int, int) {
	if sub == "" {
		return -1, -1
	}
	if ls := strings.ToLower(s); len(ls) == len(s) {
		lsub := strings.ToLower(sub)
		if i := strings.Index(ls, lsub); i >= 0 && len(lsub) == len(sub) {
			return i, i + len(sub)
		}
		if len(lsub) == len(sub) {
			return -1, -1
		}
	}
	// Case folding changed byte lengths: compare rune by rune.
	for i := range s {
		if j := i + len(sub); j <= len(s) && strings.EqualFold(s[i:j], sub) {
			return i, j
		}
	}
	return -1, -1
}

var (
	reMu    sync.Mutex
	reCache = map[string]*regexp.Regexp{}
)

// clauseBreaks end the reach of a negation.
var clauseBreak = lazyRE(`[.;:!?\n()]| but | and then | then | however | although | while | so `)

// clauseReach bounds how far a clause is looked for around a match, so
// that reading a long policy stays linear in its length.
const clauseReach = 240

func clauseBounds(text string, start, end int) (int, int) {
	lo := max(0, start-clauseReach)
	for _, loc := range clauseBreak.FindAllStringIndex(text[lo:start], -1) {
		lo = max(0, start-clauseReach) + loc[1]
	}
	hi := min(len(text), end+clauseReach)
	if loc := clauseBreak.FindStringIndex(text[end:hi]); loc != nil {
		hi = end + loc[0]
	}
	// A comma ends a clause too, unless it is inside a list right after
	// the negation ("no staging, canary or CAB").
	// A comma followed by a subject starts a new clause all the same ("no
	// staging db, we rehearse on a prod clone").
	if i := strings.LastIndex(text[lo:start], ","); i >= 0 && (!strings.Contains(text[lo:start], "no ") || reSubjectStart.MatchString(text[lo+i+1:start])) {
		lo += i + 1
	}
	return lo, hi
}

// reSubjectStart is a clause that starts with its own subject.
var reSubjectStart = lazyRE(`^\s*(?:we|they|i|you|it|our|the team)\s`)

func clauseAround(text string, start, end int) string {
	lo, hi := clauseBounds(text, start, end)
	return strings.TrimSpace(text[lo:hi])
}

var (
	negBefore = lazyRE(`(?:^|[^a-z])(?:no|not|without|skip|skips|skipping|skipped|don't|dont|do not|does not|doesn't|never|n't|no longer|drop|dropping|avoid|exclude|excluding|instead of|rather than|forgo|bypass|bypassing|minus|zero)(?:[^a-z]|$)`)
	negAfter  = lazyRE(`^[^.;]{0,30}?(?:not (?:needed|required|necessary|used|wanted|applicable)|isn't (?:needed|required|necessary)|aren't (?:needed|required)|is optional|are optional|is skipped|are skipped|is out of scope|are out of scope|not in scope)`)
)

// negated reports whether the words at text[start:end] are excluded by
// their clause: a negation before them in the clause, or "not needed"
// and the like after them.
func negated(text string, start, end int) bool {
	lo, hi := clauseBounds(text, start, end)
	before := text[lo:start]
	// "no-go" and "go/no-go" are words, not negations.
	before = strings.NewReplacer("no-go", "", "no go", "").Replace(before)
	if negBefore.MatchString(before) {
		return true
	}
	return negAfter.MatchString(text[end:hi])
}

func (b *brief) findDomain() {
	best, bestScore := "saas", 0
	var why string
	for _, d := range mustKnowledge().lex.Domains {
		score, words := 0, []string{}
		for _, w := range d.Words {
			if m, ok := b.has(w); ok {
				score++
				words = append(words, strings.TrimSpace(strings.Trim(m, " ,.;:()")))
			}
		}
		if score > bestScore {
			best, bestScore, why = d.ID, score, strings.Join(words, ", ")
		}
	}
	b.domain = best
	if bestScore == 0 {
		b.assumptions = append(b.assumptions, "the brief names no domain, so a SaaS web service is assumed")
		return
	}
	b.domainWhy = "the brief mentions " + why
}

func domainName(id string) string {
	if d := mustKnowledge().lex.domain(id); d != nil {
		return d.Name
	}
	return id
}

func (b *brief) findRegimes() {
	for _, r := range mustKnowledge().lex.Regimes {
		if _, ok := b.has(r.Words...); ok {
			b.regimes = append(b.regimes, regime{r.ID, r.Name})
		}
	}
}

// regulated reports a brief under any compliance regime; qualitySystem one
// under a quality system (GxP, IEC 62304, Part 11, healthcare), whose
// releases are approved by quality.
func (b *brief) regulated() bool {
	return len(b.regimes) > 0 || b.domain == "healthcare" || b.regulatedProfile
}

func (b *brief) qualitySystem() bool {
	return b.domain == "healthcare" || b.hasRegime("gxp", "iec62304", "part11")
}

func (b *brief) hasRegime(ids ...string) bool {
	for _, r := range b.regimes {
		for _, id := range ids {
			if r.id == id {
				return true
			}
		}
	}
	return false
}

func (b *brief) regimeNames() string {
	var names []string
	for _, r := range b.regimes {
		names = append(names, r.name)
	}
	return strings.Join(names, ", ")
}

func (b *brief) findPractices() {
	lx := mustKnowledge().lex
	for _, id := range lx.practiceIDs {
		if m, ok := b.has(lx.Practices[id]...); ok {
			b.want[id] = strings.Trim(strings.TrimSpace(m), " ,.;:()")
		} else if why, ok := b.denies(lx.Practices[id]...); ok {
			b.exclude[id] = why
		}
	}
}

// asks reports whether the brief asks for practice id; excludes whether
// it rules it out.
func (b *brief) asks(id string) bool     { _, ok := b.want[id]; return ok }
func (b *brief) excludes(id string) bool { _, ok := b.exclude[id]; return ok }

// givenVars are the values a brief can give that defaults otherwise fill.
var givenVars = []string{"pct", "bake", "freeze_lead", "hypercare", "schedule", "prod"}

// given returns the value the brief gave for name, or "".
func (b *brief) given(name string) string {
	switch name {
	case "pct":
		return b.canaryPct
	case "bake":
		return b.bake
	case "freeze_lead":
		return b.freezeLead
	case "hypercare":
		return b.hypercare
	case "schedule":
		return strings.Join(b.schedule, "; ")
	case "prod":
		return b.prodName
	}
	return ""
}
