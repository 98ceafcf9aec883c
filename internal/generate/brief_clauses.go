package generate

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
)

// The knowledge base gives the shape of a release; the brief's own
// sentences carry its specifics: who does what, when, with which tool.
// readClauses keeps them: each clause of the brief is attached to the step
// it is about (so "Tuesday 2-4 am UTC" lands on the deploy step), the role
// it names as doing the work becomes that step's owner (or a gate's
// approver), and an activity no step covers becomes a step of its own.
// Nothing the brief says is dropped silently.

// maxClauses bounds the statements matched one by one to steps, which
// keeps generation fast on long policy texts.
const maxClauses = 300

// clause is one statement of the brief, as the user wrote it.
type clause struct {
	text  string   // original text, trimmed
	low   string   // normalised
	stems []string // content words, stemmed
	agent string   // who does the work when the text does not say: the antecedent of "who" ("the Windows expert, who builds the installer")
}

var (
	// A sentence ends at its punctuation, a bullet or a blank line; a line
	// break that only wraps prose does not end it.
	sentenceBreak = lazyRE(`(?:[.!?;]+(?:\s+|$)|\n\s*(?:[-*•+]|\d+[.)]|\d+(?:\.\d+)+|[a-z][.)])\s+|\n\s*\n|^\s*(?:[-*•+]|\d+[.)]|\d+(?:\.\d+)+|[a-z][.)])\s+)`)
	clauseSplit   = lazyRE(`(?i),?\s+(?:and then|then|after that|afterwards)\s+|,\s+and\s+(?:we\s+)?|\s+and\s+(?:then\s+)?(?:we|they|it)\s+|\s*(?:->|→|=>)\s*`)
)

// listMarker starts an item of a list: "- ", "2) ", "4.2 ", "a) ".
var listMarker = lazyRE(`^\s*(?:[-*•+]|\d+[.)]|\d+(?:\.\d+)+:?|[a-z][.)])\s+`)

// reEndsAux ends a piece that "then" cut in the middle of its verb: "the
// pre-release is | then published".
var reEndsAux = lazyRE(`\b(?:is|are|was|were|be|been|gets|get|will|must|should)$`)

// clausesOf splits a brief into clauses: sentences and bullets, then
// "X, then Y" and "X and we Y" inside them.
func clausesOf(orig string) []clause {
	var out []clause
	for _, s := range sentenceBreak.Split(orig, -1) {
		s = listMarker.ReplaceAllString(s, "")
		first := len(out)
		for _, pc := range splitRelatives(clauseSplit.Split(s, -1)) {
			for _, c := range splitActions([]string{pc.text}) {
				out = appendClause(out, first, c, pc.agent)
			}
		}
	}
	return out
}

// appendClause adds one piece of a sentence to the clauses; sentence is
// the index of the sentence's first clause in out.
func appendClause(out []clause, sentence int, c, agent string) []clause {
	c = strings.Join(strings.Fields(strings.Trim(c, " ,:-*•\t")), " ")
	if c == "" || len(c) > 400 {
		return out
	}
	// "1%, then 10%, then 50%" is one statement: a piece too short to say
	// anything by itself stays with the one before it.
	if len(out) > sentence && (len(c) < 8 || !strings.Contains(c, " ") || reEndsAux.MatchString(out[len(out)-1].low)) {
		prev := &out[len(out)-1]
		if reEndsAux.MatchString(prev.low) {
			prev.text += " " + c
		} else {
			prev.text += ", then " + c
		}
		prev.low, prev.stems = normalise(prev.text), inWords(prev.text)
		return out
	}
	if len(c) < 4 {
		return out
	}
	return append(out, clause{text: c, low: normalise(c), stems: inWords(c), agent: agent})
}

// piece is a part of a sentence and who does its work, when a relative
// clause says so.
type piece struct{ text, agent string }

// reWho starts a relative clause about people: "the macOS expert, who
// builds the installer", "a Release Manager who drafts the schedule".
var reWho = lazyRE(`(?i)(?:,\s*|\s+)who\s+`)

// reNotWork ends a relative clause that is the subject of its sentence
// rather than a piece of work: "the person who approves a change may not
// implement it".
var reNotWork = lazyRE(`\b(?:is|are|was|were|will|can|cannot|can't|may|might|must|should|shall|do|does|don't|doesn't|has|have|had|never|not)\b`)

// antecedentWords join the words of the noun phrase a relative clause is
// about ("the Windows expert and the macOS expert").
var antecedentWords = lazySet(`the a an and or & our their both its`)

// splitRelatives splits a relative clause that describes work off the
// part of the sentence it hangs on: "hands over to the Windows expert and
// the macOS expert, who build, sign and upload the installers" is the
// hand-over, and "build, sign and upload the installers" done by the
// experts. "The QA lead, who owns testing, signs off" keeps "The QA lead
// signs off" as one statement. A relative clause that does not start
// with a verb of work, or that the sentence goes on from ("the person who
// approves a change may not implement it"), stays as it is.
func splitRelatives(parts []string) []piece {
	out := make([]piece, 0, len(parts))
	for _, part := range parts {
		loc := reWho.FindStringIndex(part)
		if loc == nil || loc[0] == 0 {
			out = append(out, piece{text: part})
			continue
		}
		head, rel := part[:loc[0]], part[loc[1]:]
		words := strings.Fields(rel)
		if len(words) < 2 || verbBase(strings.ToLower(words[0])) == "" || strings.HasSuffix(strings.ToLower(words[0]), "ing") || reNotWork.MatchString(strings.ToLower(rel)) {
			out = append(out, piece{text: part})
			continue
		}
		agent := antecedent(head)
		if agent == "" {
			out = append(out, piece{text: part})
			continue
		}
		// "The QA lead, who owns testing, signs off": the sentence goes on
		// after the relative clause when its head is only a noun phrase.
		if agent == strings.TrimSpace(head) {
			if i := strings.LastIndex(rel, ", "); i >= 0 {
				if next := strings.Fields(rel[i+2:]); len(next) > 1 && verbBase(strings.ToLower(next[0])) != "" && strings.HasSuffix(strings.ToLower(next[0]), "s") {
					out = append(out, piece{text: head + " " + rel[i+2:]})
					rel = rel[:i]
				}
			}
		} else {
			out = append(out, piece{text: head})
		}
		out = append(out, piece{text: rel, agent: agent})
	}
	return out
}

// antecedent is the noun phrase at the end of s that a relative clause is
// about: "hands over to the Windows expert and the macOS expert" gives
// "the Windows expert and the macOS expert"; "" when s ends in none.
func antecedent(s string) string {
	words := strings.Fields(s)
	i := len(words)
	for i > 0 {
		w := strings.ToLower(words[i-1])
		if strings.HasSuffix(w, ",") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") || smallWords()[w] && !antecedentWords()[w] {
			break
		}
		i--
	}
	for i < len(words) && antecedentWords()[strings.ToLower(words[i])] && !articles()[strings.ToLower(words[i])] {
		i++ // a phrase does not start with "and"
	}
	if i == len(words) || len(words)-i > 8 {
		return ""
	}
	return strings.Join(words[i:], " ")
}

// reContinues starts a part of a sentence that goes on from the one before.
var reContinues = lazyRE(`^(?:which|that|then|and|who|whom|but|so)\b`)

// splitDecisions splits a statement that asks for several decisions
// ("the eval suite has to pass, Trust & Safety red-teams every change")
// into one statement per decision.
func splitDecisions(cs []clause) []clause {
	var out []clause
	for _, c := range cs {
		parts := strings.Split(c.text, ", ")
		n := 0
		for _, part := range parts {
			low := normalise(part)
			if reContinues.MatchString(low) {
				n = 0 // "..., which the ISSO reviews, then approves" is one decision
				break
			}
			if reDecisionWord.MatchString(low) || reMustPass.MatchString(low) || reOnlyIf.MatchString(low) {
				n++
			}
		}
		if n < 2 {
			out = append(out, c)
			continue
		}
		for _, part := range parts {
			if len(part) >= 4 {
				out = append(out, clause{text: part, low: normalise(part), stems: inWords(part), agent: c.agent})
			}
		}
	}
	return out
}

// smallWords are the grammar words of English, which never name a role,
// a freeze or an environment.
var smallWords = lazySet(`a an the and or of to in on at for with by from into onto we our us they their it its is are be been was
were this that these those each every all any some then when if so as via per than up out over after before during until
do does did has have had can could will would should must may might not no your you i my me also just only`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// readClauses applies the brief's clauses to the planned steps.
func (p *plan) readClauses() {
	attached := map[string]int{}
	var unplaced []string
	cs := clausesOf(p.b.original)
	if len(cs) > maxClauses {
		p.notes = append(p.notes, fmt.Sprintf("the brief and policies have %d statements; the first %d were matched to steps (all of them were read for domain, regimes and practices)", len(cs), maxClauses))
		cs = cs[:maxClauses]
	}
	p.nameStems = map[string][]string{}
	p.clauses = cs
	cs = splitDecisions(cs)
	for _, c := range cs {
		if d := p.decisionOf(c); d != nil {
			p.applyDecision(c, d)
			continue
		}
		if p.addSubsetDeadline(c) || p.addDeployPractice(c) || p.addMonitorFor(c) {
			continue
		}
		subject := p.subjectRole(c)
		if items := activityList(c); len(items) >= 3 && p.addBriefActivities(c, subject) {
			continue
		}
		st, score := p.bestStep(c)
		placed := false
		switch {
		case st != nil && (score >= 2 || score >= 1 && len(c.stems) <= 3 && len(c.stems) >= 2) && !p.newWork(c, st, score):
			switch {
			case strings.Contains(st.Description, c.text):
				placed = true
			case attached[st.ID] < 3:
				attached[st.ID]++
				st.Description = joinSentences(st.Description, "The brief says: "+sentence(c.text))
				placed = true
			}
			if subject != "" {
				p.assign(st, subject, c)
			}
		case contextStatement(c.low):
			// "We release twice a year to the hospitals, the biomed team
			// installs it": the setting, then work.
			if parts := strings.SplitN(c.text, ", ", 2); len(parts) == 2 {
				pc := clause{text: parts[1], low: normalise(parts[1]), stems: inWords(parts[1])}
				if !contextStatement(pc.low) && actionClause(pc) {
					p.addBriefStep(pc, p.subjectRole(pc))
				}
			}
		case actionClause(c) && !negatedClause(c.low):
			placed = p.addBriefStep(c, subject)
		default:
			placed = p.addBriefActivities(c, subject)
		}
		if !placed {
			unplaced = append(unplaced, sentence(c.text))
		}
	}
	p.placeNamedRoles()
	p.keepUnplaced(unplaced)
}

// maxUnplaced bounds the brief's own words kept on the start step.
const maxUnplaced = 2000

// keepUnplaced keeps what the brief says that no step is about on the
// start step, so nothing it says is lost; past maxUnplaced characters a
// note says how many statements were left out.
func (p *plan) keepUnplaced(unplaced []string) {
	st := p.step("start")
	if st == nil || len(unplaced) == 0 {
		return
	}
	kept, n := "", 0
	for _, u := range unplaced {
		if len(kept)+len(u) > maxUnplaced {
			break
		}
		kept = joinSentences(kept, u)
		n++
	}
	if n < len(unplaced) {
		p.notes = append(p.notes, fmt.Sprintf("%d statements of the brief are about no step and were left out of the start step's description (it keeps the first %d characters of such statements)", len(unplaced)-n, maxUnplaced))
	}
	if kept != "" {
		st.Description = joinSentences(st.Description, "From the brief: "+kept)
	}
}

// newWork reports a statement of work that only shares some words with
// its best step: "the release team promotes the branches: a stable PR with
// the release notes and the backports" is not "Deploy to Beta", though it
// names the beta.
func (p *plan) newWork(c clause, st *relsop.Step, score int) bool {
	if reConditional.MatchString(c.low) {
		return false // "if the canary degrades we roll back" is about the rollback
	}
	if passiveStepName(c.text) != "" && score*2 < len(c.stems) {
		return true
	}
	if !actionClause(c) || score*2 > len(c.stems) {
		return false
	}
	if score*2 == len(c.stems) {
		// Half its words match: "build, sign and upload the installers"
		// is still not "Build and sign the release artifacts", whose name
		// has neither what is worked on (the last word) nor every verb
		// the statement starts with.
		name := p.nameStems[st.Name]
		if contains(name, c.stems[len(c.stems)-1]) {
			return false
		}
		for _, v := range leadingVerbs(c.low) {
			if !nameHasVerb(name, v) {
				return true
			}
		}
		return false
	}
	verb := ""
	for _, w := range strings.Fields(c.low) {
		if verb = verbBase(w); verb != "" {
			break
		}
	}
	return verb != "" && !nameHasVerb(p.nameStems[st.Name], verb)
}

// nameHasVerb reports whether a step name's words include a verb, each of
// its parts for a verb written with a hyphen ("cherry-pick"). A verb that
// names no work by itself ("run", "do", "perform") is in every name: in
// "before the real run we rehearse the migration" it does not make the
// rehearsal new work.
func nameHasVerb(name []string, verb string) bool {
	for _, w := range inWords(verb) {
		if !contains(name, w) {
			return false
		}
	}
	return true
}

// leadingVerbs are the verbs a statement starts with, in their base form:
// "build, sign and upload the installers" gives build, sign, upload;
// none when it starts otherwise ("rolling deploy to prod").
func leadingVerbs(low string) []string {
	var out []string
	for _, w := range strings.Fields(low) {
		t := strings.Trim(w, ",")
		if (t == "and" || t == "or") && len(out) > 0 {
			continue
		}
		v := verbBase(t)
		if v == "" || strings.HasSuffix(t, "ing") || strings.HasSuffix(t, "ed") {
			break
		}
		out = append(out, v)
	}
	return out
}

var reConditional = lazyRE(`^(?:if|when|whenever|unless|in case|should)\b`)

var negStart = lazyRE(`^(?:no|never|not|without|we (?:don't|do not|never|skip)|don't|do not|nothing)\b`)

func negatedClause(low string) bool { return negStart.MatchString(low) }

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

func joinSentences(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// bestStep is the step a clause is most about: the most shared content
// words with its name; of steps that tie, the one in the later
// environment ("ops deploys on Thursday evening" is the production
// deploy, "if anything breaks we roll back" the production rollback, not
// the canary's) when the clause names no environment, else the earlier.
func (p *plan) bestStep(c clause) (*relsop.Step, int) {
	best, bestScore := -1, 0
	// A clause that names an environment has said which; only one that
	// names none is taken to mean the later.
	laterWins := !p.namesEnvironment(c)
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind == relsop.KindEnd {
			continue
		}
		name, ok := p.nameStems[st.Name]
		if !ok {
			name = inWords(st.Name)
			p.nameStems[st.Name] = name
		}
		score := 0
		for _, w := range c.stems {
			if contains(name, w) {
				score++
			}
		}
		if score > bestScore || laterWins && score > 0 && score == bestScore && p.sop.EnvironmentIndex(st.Environment) > p.sop.EnvironmentIndex(p.sop.Steps[best].Environment) {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return nil, 0
	}
	return &p.sop.Steps[best], bestScore
}

// subjectRole is the slot of the role a clause names as doing the work:
// one named near its start ("the Firmware Lead approves each wave").
func (p *plan) subjectRole(c clause) string {
	text, bestAt, best := c.low, 40, ""
	if c.agent != "" {
		// "the Windows expert and the macOS expert, who build the
		// installers": the first role the relative clause is about.
		text = normalise(c.agent)
		bestAt = len(text) + 1
	}
	for _, slot := range p.b.slotOrder() {
		for _, pat := range p.b.roleWords(slot) {
			loc := wordRE(pat).FindStringIndex(text)
			if loc != nil && loc[0] < bestAt {
				bestAt, best = loc[0], slot
			}
		}
	}
	return best
}

// assign makes a clause's subject the owner of its step, or an approver
// of its gate. Automated steps stay with the pipeline.
func (p *plan) assign(st *relsop.Step, slot string, c clause) {
	id := p.role(slot)
	switch st.Kind {
	case relsop.KindGate:
		if !contains(st.Approvers, id) {
			st.Approvers = append(st.Approvers, id)
		}
	case relsop.KindStart, relsop.KindEnd, relsop.KindAutomated:
		if !contains(st.RACI.Accountable, id) && st.Owner != id {
			st.RACI.Accountable = append(st.RACI.Accountable, id)
		}
	default:
		if st.Owner != id {
			st.Owner = id
			p.why["owner:"+st.ID] = "the brief says: " + c.text
		}
	}
}

var actionVerbs = lazySet(`run runs build builds test tests review reviews approve approves sign signs tag tags publish publishes
announce announces notify notifies post posts write writes prepare prepares check checks verify verifies scan scans deploy
deploys promote promotes push pushes merge merges cut cuts freeze freezes send sends upload uploads create creates generate
generates draft drafts triage triages rotate rotates revoke revokes backport backports cherry-pick cherry-picks bump bumps
update updates submit submits ship ships rehearse rehearses record records archive archives file files open opens close closes
collect collects hold holds schedule schedules coordinate coordinates communicate communicates document documents validate
validates reconcile reconciles compare compares migrate migrates backfill backfills snapshot snapshots restore restores
monitor monitors watch watches drain drains disable disables enable enables toggle toggles flip flips switch switches retire
retires decommission decommissions pause pauses halt halts roll rolls train trains evaluate evaluates benchmark benchmarks
label labels remove removes add adds translate translates localise localises localize localizes assess assesses audit audits
resolve resolves install installs train trains execute executes raise raises register registers report reports upload uploads
qualify qualifies cutover cut-over decommission decommissions rotate rotates sync syncs apply applies release-note
provision provisions configure configures smoke-test smoke-tests update-the inform informs tell tells email emails
brief briefs dogfood dogfoods submit submits certify certifies trace traces bump bumps deprecate deprecates lift lifts log logs`)

// addBriefStep turns an activity the knowledge base has no fragment for
// into a step, in the phase its words point to, owned by the role the
// clause names (or the release manager), spliced into the main line at the
// end of its phase.
func (p *plan) addBriefStep(c clause, subject string) bool {
	if p.addBriefActivities(c, subject) {
		return true
	}
	name := stepName(c.text, p, subject)
	if name == "" {
		return false
	}
	return p.addBriefStepAs(c, firstNonEmpty(subject, "release-manager"), firstNonEmpty(timingPhase(c.text), inGuessPhase(c.text), "post-release"), name, "the brief says: "+c.text)
}

func (p *plan) addBriefStepAs(c clause, slot, phase, name, why string) bool {
	kind := relsop.KindTask
	if contains(c.stems, "notify") {
		kind = relsop.KindNotify
	}
	id := briefStepID(name)
	if p.step(id) != nil {
		return false
	}
	st := p.put(step{Step: relsop.Step{ID: id, Name: name, Kind: kind, Phase: phase}, slot: slot, why: why})
	if len(name)+3 < len(c.text) && !strings.Contains(st.Description, c.text) {
		// The name is short for what the brief says: keep all of it.
		st.Description = "The brief says: " + sentence(c.text)
	}
	at := len(p.main)
	for i, mid := range p.main {
		if indexOf(phaseOrder, p.step(mid).Phase) > indexOf(phaseOrder, phase) || p.step(mid).Kind == relsop.KindEnd {
			at = i
			break
		}
	}
	p.main = append(p.main[:at], append([]string{st.ID}, p.main[at:]...)...)
	return true
}

// briefStepID is the id of a step named after the brief's words: its
// name in kebab case, at most 48 characters.
func briefStepID(name string) string {
	id := kebab(name)
	if len(id) > 48 {
		// At a word's end: "...-in-the-test-environment" is "...-in-the-test",
		// not "...-in-the-test-environm".
		id = strings.TrimRight(id[:48], "-")
		if i := strings.LastIndex(id, "-"); i >= 24 && kebab(name)[len(id)] != '-' {
			id = id[:i]
		}
	}
	return id
}

// stepName turns a clause into a step name: its subject dropped, the first
// letter capitalised, at most about 80 characters (cutName).
func stepName(text string, p *plan, subject string) string {
	s := strings.TrimSpace(text)
	low := strings.ToLower(s)
	for _, pre := range []string{"we ", "then ", "they ", "it ", "also ", "finally ", "first "} {
		if strings.HasPrefix(low, pre) {
			s, low = s[len(pre):], low[len(pre):]
		}
	}
	if subject != "" {
		for _, pat := range p.b.roleWords(subject) {
			if loc := wordRE(pat).FindStringIndex(normalise(s)); loc != nil && loc[0] < 40 {
				// Drop "the Release Manager" from "the Release Manager tags the release".
				words := strings.Fields(s)
				n := len(strings.Fields(normalise(s)[:loc[1]]))
				if n < len(words) {
					s = strings.Join(skipQualifier(words[n:]), " ")
				}
				break
			}
		}
	}
	s = strings.TrimSpace(strings.Trim(s, " ,.;:"))
	// "promotes the branches" is named "Promote the branches"; a "then"
	// left from the sentence goes.
	if words := strings.Fields(s); len(words) > 1 {
		// "builds, signs and uploads the installers": every verb the
		// name starts with.
		for i, w := range words {
			low, punct := strings.ToLower(strings.TrimRight(w, ",")), w[len(strings.TrimRight(w, ",")):]
			if i > 0 && (low == "and" || low == "or") {
				continue
			}
			base := verbBase(low)
			if base == "" || i > 0 && !strings.HasSuffix(words[i-1], ",") && !strings.EqualFold(words[i-1], "and") && !strings.EqualFold(words[i-1], "or") {
				break
			}
			if strings.HasSuffix(low, "s") {
				words[i] = base + punct
			}
		}
		if strings.EqualFold(words[1], "then") {
			words = append(words[:1], words[2:]...)
		}
		s = strings.Join(words, " ")
	}
	s = cutName(s)
	if s == "" {
		return ""
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// qualifierWords start a phrase that says more about a subject: "Release
// Managers from SIG Release", "the lead of each team".
var qualifierWords = lazySet(`from of at in on for with within`)

// skipQualifier drops what qualifies a sentence's subject, up to its verb:
// after "Release Managers", "from SIG Release cut the alphas" is "cut the
// alphas". Words that do not reach a verb within a few words stay.
func skipQualifier(words []string) []string {
	if len(words) < 2 || !qualifierWords()[strings.ToLower(words[0])] {
		return words
	}
	for i := 1; i < len(words)-1 && i <= 4; i++ {
		w := strings.ToLower(strings.Trim(words[i], ",;:"))
		if strings.HasSuffix(words[i], ",") {
			break
		}
		if verbBase(w) != "" && !strings.HasSuffix(w, "ing") && !strings.HasSuffix(w, "ed") {
			return words[i:]
		}
	}
	return words
}

// slotOrder lists the role slots the brief names, in a fixed order.
func (b *brief) slotOrder() []string {
	slots := make([]string, 0, len(b.roles))
	for s := range b.roles {
		slots = append(slots, s)
	}
	sort.Strings(slots)
	return slots
}

// roleWords are the patterns that name a slot in the brief: the lexicon's
// words and the user's own name for it.
func (b *brief) roleWords(slot string) []string {
	var out []string
	if own := b.roles[slot]; own != "" {
		out = append(out, regexp.QuoteMeta(normalise(own)))
	}
	if rs := mustKnowledge().lex.roleSlot(slot); rs != nil {
		out = append(out, rs.Words...)
	}
	return out
}

// placeNamedRoles gives every role the brief names a place in the SOP:
// a role no step uses yet is consulted on the step its sentence is about
// (an approver if the sentence approves), or on the go/no-go.
func (p *plan) placeNamedRoles() {
	for _, slot := range p.b.slotOrder() {
		if p.b.roles[slot] == "" {
			continue
		}
		if _, used := p.roleIDs[slot]; used {
			continue
		}
		var target *relsop.Step
		approves := false
		// The work a relative clause gives a role ("the macOS expert, who
		// builds the installer") places it before any other mention.
		clauses := slices.Concat(slices.DeleteFunc(slices.Clone(p.clauses), func(c clause) bool { return c.agent == "" }), p.clauses)
		for _, c := range clauses {
			if !p.mentions(c, slot) {
				continue
			}
			if st, score := p.bestStep(c); st != nil && score >= 1 {
				target, approves = st, contains(c.stems, "approve")
				break
			}
		}
		if target == nil {
			target = firstStep(p, "go-no-go", "start")
		}
		if target == nil {
			continue
		}
		id := p.role(slot)
		switch {
		case target.Kind == relsop.KindGate && approves:
			target.Approvers = append(target.Approvers, id)
		case target.Kind == relsop.KindStart:
			target.RACI.Informed = append(target.RACI.Informed, id)
		default:
			target.RACI.Consulted = append(target.RACI.Consulted, id)
		}
	}
}

func (p *plan) mentions(c clause, slot string) bool {
	for _, pat := range p.b.roleWords(slot) {
		if wordRE(pat).MatchString(c.low) || c.agent != "" && wordRE(pat).MatchString(normalise(c.agent)) {
			return true
		}
	}
	return false
}

func firstStep(p *plan, ids ...string) *relsop.Step {
	for _, id := range ids {
		if st := p.step(id); st != nil {
			return st
		}
	}
	return nil
}

var reNamedFreeze = lazyRE(`\b([a-z]+)\)? freezes?\b`)

// namedFreezes adds each kind of freeze the brief names ("string freeze",
// "docs freeze", "test freeze") that the knowledge base did not already
// add, in the order the brief names them.
func (p *plan) namedFreezes() {
	skip := toSet(`code change release feature features enhancement enhancements branch the a no any this that`)
	for _, loc := range reNamedFreeze.FindAllStringSubmatchIndex(p.b.text, -1) {
		kind := p.b.text[loc[2]:loc[3]]
		if skip[kind] || smallWords()[kind] || negated(p.b.text, loc[0], loc[1]) {
			continue
		}
		name := capitalise(originalIn(p.b.original, kind)) + " freeze"
		if p.step(kebab(name)) != nil {
			continue
		}
		c := clause{text: name, low: normalise(name), stems: []string{"freeze"}}
		p.addBriefStepAs(c, "release-manager", "build", name, "the brief names a "+strings.ToLower(name)+": after it, "+kind+" changes need an exception")
	}
}

var listSplit = lazyRE(`,\s+(?:and\s+)?|\s+and\s+`)

// splitActions splits a list of actions ("review and publish the draft,
// announce it, update the changelog") at each comma or "and" that starts
// a new action, and leaves other lists ("bug and security fixes") whole.
func splitActions(parts []string) []string {
	var out []string
	for _, part := range parts {
		cur, last := "", 0
		for _, loc := range listSplit.FindAllStringIndex(part, -1) {
			next := strings.Fields(part[loc[1]:])
			// "review and publish the draft" is one action on one object:
			// a new action needs a left side of its own (three words or more).
			if len(next) > 0 && actionVerbs()[strings.ToLower(next[0])] && len(strings.Fields(cur+part[last:loc[0]])) >= 3 {
				out = append(out, cur+part[last:loc[0]])
				cur, last = "", loc[1]
			}
		}
		out = append(out, cur+part[last:])
	}
	return out
}

// namesEnvironment reports whether a clause names one of the plan's
// environments ("prod", "QA-Env", "staging").
func (p *plan) namesEnvironment(c clause) bool {
	for _, e := range p.sop.Environments {
		for _, w := range append(inWords(e.Name), inWords(e.ID)...) {
			if contains(c.stems, w) {
				return true
			}
		}
	}
	return false
}
