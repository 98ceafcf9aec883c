package generate

import (
	"slices"
	"strings"
	"sync"

	"github.com/relsop/relsop"
)

// Matching what an input names ("deploy to prod", "QA sign off", "CAB")
// to the planned step it means ("Deploy to Production", "QA sign-off",
// "CAB approval"): both are read as sets of normalised words, weighted so
// that words many steps share ("deploy", "test") count for less than words
// that pick one out ("canary", "regression").

// inMatchThreshold is the score a step needs to count as the one meant.
const inMatchThreshold = 0.5

// inPhrases are rewritten before the text is split into words.
var inPhrases = []struct {
	re lazyRegexp
	to string
}{
	{lazyRE(`go\s*/\s*no[\s-]*go|go[\s-]+no[\s-]*go|go[\s-]*/[\s-]*nogo|go-nogo`), " gonogo "},
	{lazyRE(`go[\s-]*live`), " golive "},
	{lazyRE(`sign(ed)?[\s-]*offs?`), " signoff "},
	{lazyRE(`roll(ed|ing)?[\s-]*backs?`), " rollback "},
	{lazyRE(`roll(ed|ing)?[\s-]*outs?`), " deploy "},
	{lazyRE(`back(ed|ing)?[\s-]*ups?`), " backup "},
	{lazyRE(`end[\s-]*to[\s-]*end`), " e2e "},
	{lazyRE(`change\s+advisory\s+board`), " cab "},
	{lazyRE(`quality\s+assurance`), " qa "},
	{lazyRE(`user\s+acceptance(\s+test(s|ing)?)?|\buat\b`), " acceptance test "},
	{lazyRE(`pre[\s-]*prod(uction)?`), " staging "},
	{lazyRE(`pen(etration)?[\s-]*test(s|ing)?`), " pentest "},
	{lazyRE(`post[\s-]*mortems?|retrospectives?|\bretros?\b`), " postmortem "},
}

// inWordSyn maps word forms to one word; it is built on first use.
var inWordSyn = sync.OnceValue(func() map[string]string {
	syn := map[string]string{}
	for to, forms := range map[string]string{
		"production":    "prod production live prd",
		"staging":       "stage staging stg preprod uat-env",
		"deploy":        "deploy deploys deployed deploying deployment deployments promote promotes promotion ship ships shipping push pushes launch launches cutover sync syncs",
		"approve":       "approve approves approved approving approval approvals authorise authorize authorised authorized authorisation authorization",
		"test":          "test tests tested testing",
		"build":         "build builds built building compile compiles",
		"monitor":       "monitor monitors monitoring monitored watch watches watching observe observability health track tracks telemetry dashboard dashboards",
		"notify":        "notify notifies notification notifications announce announces announcement announcements communicate communication communications comms inform informs email emails post posts tweet",
		"freeze":        "freeze freezes frozen lock locks locked",
		"artefact":      "artefact artefacts artifact artifacts package packages binary binaries",
		"plan":          "plan plans planning planned",
		"scope":         "scope scoping scoped",
		"vulnerability": "vulnerability vulnerabilities vuln vulns cve cves",
		"scan":          "scan scans scanning scanned",
		"fix":           "fix fixes fixing fixed",
		"migration":     "migrate migrates migrating migration migrations",
		"review":        "review reviews reviewed reviewing",
		"decision":      "decision decisions decide decides",
		"verify":        "verify verifies verifying verified verification validate validates validating validated validation",
		"security":      "security secure infosec appsec",
		"readiness":     "readiness ready",
		"incident":      "incident incidents",
		"canary":        "canary canaries",
		"certify":       "certify certifies certification certifications cert submit submits submission",
		"wave":          "wave waves cohort cohorts ring rings",
		"rollback":      "rollback rollbacks revert reverts reverted redeploy redeploys redeploying redeployed",
		"backup":        "backup backups snapshot snapshots",
	} {
		for _, f := range strings.Fields(forms) {
			syn[f] = to
		}
	}
	return syn
})

// inStopWords say nothing about which step is meant.
var inStopWords = lazySet(`the a an to of for on in into onto with and or by at from all any our its their this that these those
release releases step steps process task tasks activity activities run runs perform performs do does execute conduct carry out
hold make get after before new per each via as is are be checklist checklists list item items service services previous current
if when we us you they anything something everything must should will can may monday tuesday wednesday thursday friday
saturday sunday morning afternoon evening night`)

// words reads text as a set of normalised words, in order of first use.
func inWords(text string) []string {
	t := " " + strings.ToLower(text) + " "
	for _, ph := range inPhrases {
		t = ph.re.ReplaceAllString(t, ph.to)
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != '\u2013' && r != '\u2014' && r != '\u2019')
	}) {
		w = inNormWord(w)
		if w == "" || inStopWords()[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func inNormWord(w string) string {
	if s, ok := inWordSyn()[w]; ok {
		return s
	}
	if inStopWords()[w] {
		return w
	}
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		w = strings.TrimSuffix(w, "s")
		if s, ok := inWordSyn()[w]; ok {
			return s
		}
	}
	return w
}

// inCandidate is a step as the matcher sees it.
type inCandidate struct {
	id    string
	index int             // in p.sop.Steps
	main  bool            // on the main line
	name  map[string]bool // words of the name and id
	ctx   map[string]bool // words of its phase, environment and kind
	phase []string        // words of the phase
	prod  bool
}

// inMatcher scores texts against a set of candidate steps.
type inMatcher struct {
	cands  []inCandidate
	weight map[string]float64
}

// inGateWords are the words any gate answers to.
var inGateWords = []string{"approve", "review", "signoff", "decision", "gate"}

// newMatcher reads the steps for which keep returns true.
func (in *inputs) newMatcher(keep func(*relsop.Step) bool) *inMatcher {
	p := in.p
	m := &inMatcher{weight: map[string]float64{}}
	df := map[string]int{}
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind == relsop.KindStart || st.Kind == relsop.KindEnd || !keep(st) {
			continue
		}
		c := inCandidate{id: st.ID, index: i, main: in.mainIndex(st.ID) >= 0, name: map[string]bool{}, ctx: map[string]bool{}, phase: inWords(strings.ReplaceAll(st.Phase, "-", " ")),
			prod: st.IsProductionDeploy(p.sop)}
		for _, w := range inWords(st.Name + " " + strings.ReplaceAll(st.ID, "-", " ")) {
			c.name[w] = true
			df[w]++
		}
		ctx := strings.ReplaceAll(st.Phase, "-", " ")
		if env := p.sop.Environment(st.Environment); env != nil {
			ctx += " " + env.Name + " " + env.ID
			if env.Production {
				ctx += " production"
			}
		}
		switch st.Kind {
		case relsop.KindGate:
			ctx += " " + strings.Join(inGateWords, " ")
		case relsop.KindDeploy, relsop.KindRollback, relsop.KindNotify:
			ctx += " " + string(st.Kind)
		}
		for _, w := range inWords(ctx) {
			c.ctx[w] = true
		}
		m.cands = append(m.cands, c)
	}
	for w, n := range df {
		m.weight[w] = 1 / float64(n)
	}
	return m
}

func (m *inMatcher) w(word string) float64 {
	if v, ok := m.weight[word]; ok {
		return v
	}
	return 1
}

// score says how well text words a match inCandidate c: the mean of how much
// of the text the step covers (its name, phase, environment and kind) and
// how much of the step's name the text covers. strict asks for at least
// one word of the name.
func (m *inMatcher) score(a []string, c *inCandidate, strict bool) float64 {
	if len(a) == 0 || len(c.name) == 0 {
		return 0
	}
	var wa, covA, common, wn float64
	for _, t := range a {
		wt := m.w(t)
		wa += wt
		if c.name[t] {
			common += wt
			covA += wt
		} else if c.ctx[t] {
			covA += wt / 2 // the phase or environment says less than the name
		}
	}
	if strict && common == 0 {
		return 0
	}
	for t := range c.name {
		wn += m.w(t)
	}
	return (covA/wa + common/wn) / 2
}

// inScored is a inCandidate's score for one text.
type inScored struct {
	c     *inCandidate
	score float64
	phase bool // the text names the step's phase
}

// better orders inScored candidates: by score, then a inCandidate whose phase
// the text names, then main-line steps, then the order of the steps.
func inBetter(a, b inScored) bool {
	const eps = 1e-9
	switch {
	case a.score > b.score+eps:
		return true
	case b.score > a.score+eps:
		return false
	case a.phase != b.phase:
		return a.phase
	case a.c.main != b.c.main:
		return a.c.main
	}
	return a.c.index < b.c.index
}

// ranked returns the candidates that reach the threshold for text, best
// first.
func (m *inMatcher) ranked(text string, strict bool) []inScored {
	a := inWords(text)
	var out []inScored
	for i := range m.cands {
		c := &m.cands[i]
		s := m.score(a, c, strict)
		if s < inMatchThreshold {
			continue
		}
		sc := inScored{c: c, score: s}
		for _, w := range c.phase {
			sc.phase = sc.phase || slices.Contains(a, w)
		}
		out = append(out, sc)
	}
	for i := 1; i < len(out); i++ { // insertion sort: stable and small
		for j := i; j > 0 && inBetter(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// best returns the id of the best step for text, or "".
func (m *inMatcher) best(text string, strict bool) string {
	if r := m.ranked(text, strict); len(r) > 0 {
		return r[0].c.id
	}
	return ""
}

// inPhaseWords guess the phase of a step that matches none (a RACI
// activity, a statement of the brief): the phase whose words the text
// uses most. They are built on first use.
var inPhaseWords = sync.OnceValue(func() map[string]map[string]bool {
	return map[string]map[string]bool{
		"plan":         toSet("plan scope requirement requirements kickoff roadmap estimate schedule rfc request prioritise prioritize backlog agree triage assess prepare draft milestone coordinate traceability raise report"),
		"build":        toSet("build branch freeze artefact tag merge code develop implement fix sign scan vulnerability sbom version changelog bump backport cherry pick cut"),
		"test":         toSet("test qa verify regression acceptance e2e exploratory pentest performance load rehearse dry benchmark crater evaluate evaluation reconcile compare candidate rc verification validation qualification deviation protocol"),
		"approve":      toSet("approve signoff gonogo review cab decision gate readiness certify board exception"),
		"deploy":       toSet("deploy canary migration backup install production rollback smoke switch traffic dns golive wave drain maintenance backfill flag flags toggle enable apply cutover upload publish train"),
		"post-release": toSet("monitor notify postmortem incident document archive close support hypercare lessons feedback blog hotfix retire decommission afterwards baseline poam"),
	}
})

// guessPhase returns the phase the text's words point to, or "".
func inGuessPhase(text string) string {
	best, n := "", 0.0
	ws := inWords(text)
	for _, ph := range phaseOrder {
		k := 0.0
		for i, w := range ws {
			if inPhaseWords()[ph][w] {
				k++
				if i == 0 { // the verb says most
					k += 0.5
				}
			}
		}
		if k > n {
			best, n = ph, k
		}
	}
	return best
}

// hasWord reports whether text uses any of the words.
func inHasWord(text string, want ...string) bool {
	for _, w := range inWords(text) {
		for _, x := range want {
			if w == x {
				return true
			}
		}
	}
	return false
}
