package generate

import (
	"slices"
	"strings"

	"github.com/relsop/relsop"
)

// A brief asks for decisions in its own words: "every MR needs 2
// approvals", "the DBA reviews every migration", "protocols are
// pre-approved by Quality Assurance", "promote only if AUC >= champion",
// "functional safety manager sign-off". Each such clause becomes a gate
// (or, when a gate of the knowledge base already decides the same thing,
// an approver on it), approved by the roles the clause names, with the
// clause itself as its criterion.

// decision is what a clause asks to be decided.
type decision struct {
	kind   string   // "approval", "review", "sign-off", "peer review", ...
	object string   // what is decided, in the user's words; "" when generic
	cond   string   // for "only if X": the condition X
	action string   // for "Y only if X": the work Y, as written
	slots  []string // roles that decide, in the order the clause names them
	before bool     // the decision comes first in its phase ("pre-approved", code review)
}

var (
	// reDecisionWord finds the words of a decision in a normalised clause.
	reDecisionWord = lazyRE(`(?:^|[^a-z0-9-])(?:(pre-?)?(approv(?:e|es|ed|al|als|ing))|(sign(?:s|ed)?[- ]?offs?|signoff)|(authori[sz](?:e|es|ed))|((?:(peer|code|security|design|architecture|legal|privacy|compliance|safety) )?review(?:s|ed)?)|(red-?teams?|red-?teamed))(?:$|[^a-z0-9])|\+1\b`)
	// reMustPass and reOnlyIf are conditions that must hold.
	reMustPass = lazyRE(`([a-z0-9][a-z0-9 /&+.-]{2,59}?) (?:must|has to|have to|needs? to|should) (?:pass|be green|succeed)\b`)
	reOnlyIf   = lazyRE(`\bonly (?:if|when|after|once) (.{6,})$`)
	// reNeeds marks a clause that requires the decision.
	reNeeds = lazyRE(`\b(?:needs?|requires?|required|must|shall|has to|have to|mandatory|only|gets?)\b`)
	// rePassive is a decision made by someone: "reviewed by", "approval from".
	rePassive = lazyRE(`\b(?:is|are|be|been|being|get|gets)\s+(?:\w+ly\s+)?(?:pre-?)?(?:peer |code )?(?:approved|reviewed|signed off|authori[sz]ed|red-?teamed)\b`)
	// notDecision are reviews that look back rather than decide.
	notDecision = lazyRE(`\b(?:post[- ]?(?:implementation|incident|mortem|release)|retrospective|pir|lessons learned|review the failed|review\w* (?:[a-z]+ ){0,3}(?:metrics|dashboards?|kpis?|reports?|numbers|trends|logs|dora)|(?:evidence|records?|audit trail|logged)\b.*\bapprov\w*)\b`)
	// objectCut ends the object of a decision.
	objectCut = lazyRE(`,|;|\s(?:before|after|for|across|within|once|when|if|on|in|with|but|by|from|at|and|so|then|because|using|via|prior)\s`)
	// reApprovedNoun is "an approved exception": the noun is what is approved.
	reApprovedNoun = lazyRE(`\b(?:needs?|requires?|gets?|with|after) (?:an? )?approved ([a-z][a-z-]+)`)
	// reCodeChange is a change to code, reviewed before it is built.
	reCodeChange = lazyRE(`\b(?:mr|pr|prs|mrs|merge requests?|pull requests?|commits?|code)\b`)
)

// determiners start noun phrases without adding to their meaning.
var determiners = lazySet(`every each any all the a an its their our this that these those every some two three both`)

// genericObjects are objects that say nothing about what is decided.
var genericObjects = lazySet(`it release releases change changes this that them build deploy deployment deploys version it's`)

// decisionOf reads a clause for a decision; nil when it asks for none.
func (p *plan) decisionOf(c clause) *decision {
	low := strings.TrimSpace(c.low)
	if negatedClause(low) || notDecision.MatchString(low) {
		return nil
	}
	if m := reOnlyIf.FindStringSubmatchIndex(low); m != nil && !reDecisionWord.MatchString(low) {
		return &decision{kind: "check", cond: strings.TrimRight(low[m[2]:m[3]], " .;:"), slots: p.rolesIn(c, 0, len(low)),
			action: strings.TrimSpace(originalIn(c.text, strings.TrimSpace(low[:m[0]])))}
	}
	if m := reMustPass.FindStringSubmatch(low); m != nil && !reDecisionWord.MatchString(low) {
		return &decision{kind: "check", object: stripDeterminers(m[1]), slots: p.rolesIn(c, 0, len(low))}
	}
	loc := reDecisionWord.FindStringSubmatchIndex(low)
	if loc == nil {
		return nil
	}
	// The pattern takes the characters around the word; drop them.
	if !isWordByte(low[loc[0]]) && low[loc[0]] != '+' {
		loc[0]++
	}
	if loc[1] > loc[0] && !isWordByte(low[loc[1]-1]) {
		loc[1]--
	}
	// In "Security reviews any change" the word before "reviews" is who
	// reviews, not the kind of review.
	if loc[12] >= 0 && strings.HasSuffix(low[loc[0]:loc[1]], "reviews") {
		loc[0], loc[12], loc[13] = loc[13]+1, -1, -1
	}
	// "approved" alone describes ("any approved beta backports") unless
	// something is approved by someone or needs the approval.
	word := low[loc[0]:loc[1]]
	if word == "approved" && !rePassive.MatchString(low) && !reApprovedNoun.MatchString(low) && !strings.HasPrefix(low[loc[1]:], " by ") {
		return nil
	}
	d := &decision{kind: decisionKind(low, loc), before: loc[2] >= 0}
	passive := rePassive.MatchString(low) || strings.HasSuffix(word, "ed") && strings.HasPrefix(low[loc[1]:], " by ")
	// The roles that decide are named in the same part of the sentence:
	// in "standard changes pre-approved, normal changes via CAB" the CAB
	// does not pre-approve.
	from, to := segment(low, loc[0])
	byAt := strings.Index(low[from:to], " by ")
	if i := strings.Index(low[from:to], " from "); byAt < 0 && i >= 0 {
		byAt = i
	}
	switch {
	case byAt >= 0 && from+byAt > loc[0]-12:
		d.slots = p.rolesIn(c, from+byAt, to)
	case !passive && activeDecision(low, loc):
		// "The business user must sign off the report numbers in QA": who
		// decides comes before the verb.
		d.slots = p.rolesIn(c, from, loc[0])
		if len(d.slots) == 0 {
			if slot := p.subjectAsRole(c, from, loc[0]); slot != "" {
				d.slots = []string{slot}
			}
		}
		if len(d.slots) == 0 {
			d.slots = p.rolesIn(c, from, to)
		}
	default:
		d.slots = p.rolesIn(c, from, to)
	}
	if len(d.slots) == 0 && !passive {
		if slot := p.subjectAsRole(c, from, loc[0]); slot != "" {
			d.slots = []string{slot}
		}
	}
	if len(d.slots) == 0 && passive && byAt >= 0 {
		// "peer reviewed by an engineer other than its author"
		by := strings.Fields(cutObject(reAfterHead.ReplaceAllString(low[from+byAt+4:to], "")))
		if len(by) > 0 {
			if slot := slotForName(strings.Join(by[len(by)-1:], " ")); slot != "" && slot != "ci" {
				d.slots = []string{slot}
			}
		}
	}
	// A statement that something "is approved by" someone is a rule.
	required := reNeeds.MatchString(low) || passive && (byAt >= 0 || reBeforeRelease.MatchString(low))
	// A decision nobody is named for counts only when it is required:
	// "standard changes pre-approved" asks for none, nor does "any
	// approved beta backports".
	if len(d.slots) == 0 && !required {
		return nil
	}
	switch m := reApprovedNoun.FindStringSubmatchIndex(low); {
	case m != nil && !passive:
		d.kind = low[m[2]:m[3]] + " approval"
		d.object = subjectPhrase(low[from:m[0]])
	case passive || !activeDecision(low, loc):
		d.object = subjectPhrase(low[from:loc[0]])
		if d.object == "" && from > 0 {
			// "cherry-pick PRs, restricted to fixes, reviewed by the RPM"
			first := low[:strings.IndexAny(low, ",;")]
			d.object = firstNonEmpty(lastNounPhrase(first), subjectPhrase(first))
		}
	default:
		d.object = stripDeterminers(cutObject(low[loc[1]:]))
		if d.object == "" && from > 0 && reRelative.MatchString(low[from:loc[0]]) {
			// "gets a security impact analysis, which the ISSO reviews"
			d.object = lastNounPhrase(low[:from-1])
		}
		if m := rePurpose.FindStringSubmatch(low[loc[1]:]); m != nil && (d.object == "" || genericObjects()[d.object]) {
			d.object = stripDeterminers(cutObject(m[1]))
		}
	}
	if d.object != "" && p.isRolePhrase(d.object) {
		d.object = ""
	}
	if genericObjects()[d.object] || len(strings.Fields(d.object)) > 5 {
		d.object = ""
	}
	// "PRs need two reviews": a review of code changes, made before the
	// build like any code review.
	if d.object == "" && strings.Contains(d.kind, "review") && reCodeChange.MatchString(subjectPhrase(low[from:loc[0]])) && !strings.HasPrefix(d.kind, "code") {
		d.kind = "code review"
	}
	if reCodeChange.MatchString(d.object) || strings.HasPrefix(d.kind, "code") || strings.HasPrefix(d.kind, "peer") {
		d.before = true
	}
	return d
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// rePurpose is what a review looks for: "reviews it for bias".
var rePurpose = lazyRE(`^\s*(?:\w+\s+){0,3}?for ([a-z][a-z -]{2,40})`)

// reAfterHead ends a noun phrase at what qualifies it: "an engineer
// other than its author".
var reAfterHead = lazyRE(`\s(?:other than|who|that|which|not)\s.*$`)

// reBeforeRelease says a decision is taken before the release: "bespoke
// code is reviewed before release to production".
var reBeforeRelease = lazyRE(`\b(?:before|prior to)\s+(?:the\s+)?(?:release|deploy\w*|go-live|production|implementation|merge|publishing)\b`)

// reRelative starts a part of a sentence about the one before it.
var reRelative = lazyRE(`^\s*(?:which|that|whom)\b`)

// reObjectVerb comes before the object of a sentence.
var reObjectVerb = lazyRE(`\b(?:gets?|has|have|needs?|requires?|receives?|with|runs?|writes?|prepares?|produces?|as|into|via)\s`)

// lastNounPhrase is the object of a sentence: the words after its last
// verb of having or making.
func lastNounPhrase(s string) string {
	locs := reObjectVerb.FindAllStringIndex(s, -1)
	if locs == nil {
		return ""
	}
	return firstWords(stripDeterminers(s[locs[len(locs)-1][1]:]), 4)
}

// segment is the part of a clause between commas or semicolons that
// holds byte offset at.
func segment(low string, at int) (int, int) {
	from := strings.LastIndexAny(low[:at], ",;") + 1
	to := len(low)
	if i := strings.IndexAny(low[at:], ",;"); i >= 0 {
		to = at + i
	}
	return from, to
}

// decisionKind names the decision by the word the clause uses.
func decisionKind(low string, loc []int) string {
	at := func(g int) bool { return loc[2*g] >= 0 }
	switch {
	case at(3):
		return "sign-off"
	case at(4):
		return "authorisation"
	case at(5):
		if at(6) {
			return low[loc[12]:loc[13]] + " review"
		}
		return "review"
	case at(7):
		return "red-team review"
	case at(1):
		return "pre-approval"
	}
	return "approval"
}

// activeDecision reports "X approves Y" (the object follows the verb), not
// "Y approval" or "Y needs 2 approvals" (the object comes first).
func activeDecision(low string, loc []int) bool {
	w := strings.TrimSpace(low[loc[0]:loc[1]])
	noun := strings.HasPrefix(w, "+") || strings.Contains(w, "-off") || strings.HasPrefix(w, "signoff") ||
		strings.HasSuffix(w, "al") || strings.HasSuffix(w, "als") || strings.HasSuffix(w, "ation")
	return !noun
}

// subjectPhrase is the noun phrase a clause starts with, up to its verb:
// "every change to production is peer reviewed" gives "change to production".
func subjectPhrase(s string) string {
	words := strings.Fields(s)
	var kept []string
	for _, w := range words {
		if auxiliaries()[w] {
			break
		}
		kept = append(kept, w)
	}
	return firstWords(stripDeterminers(strings.Join(kept, " ")), 5)
}

func cutObject(s string) string {
	s = " " + strings.TrimSpace(s) + " "
	if loc := objectCut.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	return strings.Trim(s, " ,.;:()\"'")
}

func stripDeterminers(s string) string {
	words := strings.Fields(strings.Trim(s, " ,.;:()\"'"))
	for len(words) > 0 && (determiners()[words[0]] || words[0] == "of") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

func firstWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) > n {
		words = words[:n]
	}
	return strings.Join(words, " ")
}

// rolesIn lists the slots of the roles a clause names between byte
// offsets from and to, in the order named; the pipeline never decides.
func (p *plan) rolesIn(c clause, from, to int) []string {
	type hit struct {
		at, end int
		slot    string
	}
	var hits []hit
	for _, slot := range p.b.slotOrder() {
		if slot == "ci" {
			continue
		}
		for _, pat := range p.b.roleWords(slot) {
			if loc := wordRE(pat).FindStringIndex(c.low[from:to]); loc != nil {
				hits = append(hits, hit{loc[0], loc[1], slot})
				break
			}
		}
	}
	// A role's words inside a longer role's name are that role: "senior
	// developer" is the Senior Developer, not also the developer.
	all := slices.Clone(hits)
	hits = slices.DeleteFunc(hits, func(h hit) bool {
		return slices.ContainsFunc(all, func(g hit) bool { return g.at <= h.at && h.end <= g.end && g.end-g.at > h.end-h.at })
	})
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.slot)
	}
	return out
}

func (p *plan) isRolePhrase(s string) bool {
	for _, slot := range p.b.slotOrder() {
		for _, pat := range p.b.roleWords(slot) {
			if fullMatch([]string{pat}, s) {
				return true
			}
		}
	}
	return false
}

// personWords end a phrase that names people ("the utility customer",
// "clinical staff", "Responsible AI" is written as a name).
var personWords = lazySet(`customer customers client clients staff team committee board owner owners officer manager managers lead
leads engineer engineers maintainer maintainers user users reviewer reviewers approver approvers group department council
panel testers tester experts expert partner partners vendor vendors sponsor sponsors steward stewards auditor auditors
analyst analysts specialist specialists coordinator coordinators administrator administrators architect architects`)

// subjectAsRole makes the subject of "X approves ..." a role when the
// brief names no known one there: "the utility customer must approve".
func (p *plan) subjectAsRole(c clause, from, verbAt int) string {
	words := strings.Fields(c.low[from:verbAt])
	for len(words) > 0 && modalWords()[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	words = strings.Fields(stripDeterminers(strings.Join(words, " ")))
	if len(words) == 0 || len(words) > 3 {
		return ""
	}
	phrase := strings.Join(words, " ")
	orig := originalAt(c.text, phrase)
	if !personWords()[words[len(words)-1]] && !properName(orig) {
		return ""
	}
	for _, w := range words {
		if smallWords()[w] || genericObjects()[w] || strings.IndexFunc(w, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 {
			return ""
		}
		// "PRs need two reviews": what comes before a verb of needing is
		// what is decided on, not who decides.
		if needingWords()[w] {
			return ""
		}
	}
	name := orig
	if !properName(name) {
		name = roleTitle(phrase)
	}
	why := "the brief names the " + name + " as deciding: " + c.text
	slot := p.b.addOwnRole(name, why)
	// The part already plays under another name ("Product Owner"): the
	// user's "business user" is a role of its own.
	if id, ok := p.roleIDs[slot]; ok && strings.Contains(name, " ") && normalise(p.sop.Role(id).Name) != normalise(name) {
		slot = p.b.roleOfItsOwn(name, why)
	}
	return slot
}

// addOwnRole adds a role in the user's words found while reading the
// brief's clauses, as the part its name points to when that part is not
// named yet, else as a role of its own.
func (b *brief) addOwnRole(name, why string) string {
	slot := slotForName(name)
	if slot != "" {
		// A one-word part ("Security") is the lexicon's role; a name of
		// its own ("the business user") is a role of its own.
		if own, ok := b.roles[slot]; ok && (own == "" && !strings.Contains(strings.TrimSpace(name), " ") || normalise(own) == normalise(name)) {
			return slot
		}
		if _, ok := b.roles[slot]; !ok {
			b.roles[slot] = name
			b.roleWhy[slot] = why
			return slot
		}
	}
	return b.roleOfItsOwn(name, why)
}

// roleOfItsOwn is the slot of a role the lexicon has no part for, under
// the user's name, added the first time.
func (b *brief) roleOfItsOwn(name, why string) string {
	slot := "x-" + kebab(name)
	if _, ok := b.roles[slot]; !ok {
		b.roles[slot] = name
		b.roleWhy[slot] = why
	}
	return slot
}

// applyDecision attaches a decision to the gate that already makes it, or
// adds a gate for it.
func (p *plan) applyDecision(c clause, d *decision) {
	if g := p.sameGate(c, d); g != nil {
		for _, slot := range d.slots {
			p.assign(g, slot, c)
		}
		if !strings.Contains(g.Description, c.text) {
			g.Description = joinSentences(g.Description, "The brief says: "+sentence(c.text))
		}
		return
	}
	name := p.decisionName(d)
	phase := firstNonEmpty(decisionPhase(c, d), "approve")
	id := briefStepID(name)
	if p.step(id) != nil {
		return
	}
	// Nobody named: a peer reviews code, QA owns checks that must pass,
	// the release manager the rest.
	owner := "release-manager"
	switch {
	case len(d.slots) > 0:
		owner = d.slots[0]
	case d.before:
		owner = "dev-lead"
	case d.kind == "check":
		owner = "qa"
	}
	goLabel, noGoLabel := "approved", "rejected"
	if d.kind == "check" {
		goLabel, noGoLabel = "pass", "fail"
	}
	approvers := []string{p.role(owner)}
	for _, s := range d.slots[min(1, len(d.slots)):] {
		approvers = append(approvers, p.role(s))
	}
	g := gate(id, name, phase, owner, []string{sentence(c.text)}, approvers, goLabel, noGoLabel, "", "release-manager", "1d", "the brief says: "+c.text)
	g.Description = "The brief says: " + sentence(c.text)
	st := p.put(g)
	// An approval in the deploy phase ("production deploys need approval
	// from the SRE") is given before anything is deployed; a check that
	// must pass there ("smoke tests must pass") comes after.
	beforeDeploy := phase == "deploy" && d.kind != "check"
	p.spliceMain(st.ID, phase, d.before || beforeDeploy)
	if beforeDeploy {
		// Refused before anything is deployed: the release is deferred,
		// there is nothing to roll back.
		p.step(id).Outcomes[1].To = firstNonEmpty(p.existing("defer-release"), p.noGoTarget("approve", id))
	} else {
		p.step(id).Outcomes[1].To = p.noGoTarget(phase, id)
	}
	p.addGuardedWork(c, d, id, phase)
}

// addGuardedWork adds the work an "only if" guards ("cutover only after
// reconciliation is clean") right after its gate, unless the plan already
// has a step for it.
func (p *plan) addGuardedWork(c clause, d *decision, gateID, phase string) {
	if d.action == "" || len(strings.Fields(d.action)) > 8 {
		return
	}
	ac := clause{text: d.action, low: normalise(d.action), stems: inWords(d.action)}
	if len(ac.stems) == 0 || !actionClause(ac) && !inHasWord(d.action, "cutover", "promotion", "release", "registration", "rollout") {
		return
	}
	if st, score := p.bestStep(ac); st != nil && score >= len(ac.stems) {
		return
	}
	name := capName(d.action)
	id := kebab(name)
	if p.step(id) != nil {
		return
	}
	st := p.put(step{Step: relsop.Step{ID: id, Name: name, Kind: relsop.KindTask, Phase: phase}, slot: phaseOwner(phase), why: "the brief says: " + c.text})
	for i, mid := range p.main {
		if mid == gateID {
			p.main = append(p.main[:i+1], append([]string{st.ID}, p.main[i+1:]...)...)
			return
		}
	}
	p.main = append(p.main, st.ID)
}

// sameGate is the gate of the plan that already makes the decision: one
// whose name shares a specific word with the clause, or the go/no-go for
// a generic approval of the release.
func (p *plan) sameGate(c clause, d *decision) *relsop.Step {
	if d.kind == "check" {
		return nil
	}
	objWords := inWords(d.object + " " + strings.TrimSuffix(d.kind, " review"))
	var roleWords []string
	for _, slot := range d.slots {
		roleWords = append(roleWords, inWords(p.sop.Role(p.role(slot)).Name)...)
	}
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind != relsop.KindGate {
			continue
		}
		for _, w := range inWords(st.Name) {
			switch {
			case decisionWords()[w]:
			case contains(objWords, w):
				// The same decision in the user's words: "a security impact
				// analysis, which the ISSO reviews" names the security gate.
				if len(strings.Fields(d.object)) >= 2 && !p.renamed[st.ID] {
					st.Name = p.decisionName(d)
					p.renamed[st.ID] = true
				}
				return st
			case contains(roleWords, w) && d.object == "":
				return st
			}
		}
	}
	if d.object == "" && (d.kind == "approval" || d.kind == "sign-off" || d.kind == "authorisation") {
		if g := p.step("go-no-go"); g != nil && len(d.slots) > 0 {
			var names []string
			for _, s := range d.slots {
				names = append(names, p.sop.Role(p.role(s)).Name)
			}
			if !strings.Contains(g.Name, "approval") {
				g.Name = "Go/no-go approval by " + strings.Join(names, " and ")
			}
			return g
		}
	}
	return nil
}

// decisionName names a gate after what it decides and who decides it:
// "MR approval", "Migration review by DBA", "Protocol pre-approval by
// Quality Assurance".
func (p *plan) decisionName(d *decision) string {
	var name string
	switch {
	case d.cond != "":
		name = capitalise(originalIn(p.b.original, d.cond))
	case d.kind == "check":
		name = capitalise(originalIn(p.b.original, d.object)) + " passed"
	case d.object == "":
		name = capitalise(d.kind)
	case len(strings.Fields(d.object)) <= 3:
		name = capitalise(singular(originalIn(p.b.original, d.object))) + " " + d.kind
	default:
		name = capitalise(d.kind) + " of " + originalIn(p.b.original, d.object)
	}
	if len(d.slots) > 0 && d.kind != "check" {
		var names []string
		for _, s := range d.slots {
			names = append(names, p.sop.Role(p.role(s)).Name)
		}
		name += " by " + strings.Join(names, " or ")
	}
	if len(name) > 90 {
		name = firstWords(name, 12)
	}
	return name
}

// singular makes the last word of a short noun phrase singular, so that
// "release patches" are decided by a "Release patch approval".
func singular(s string) string {
	i := strings.LastIndex(s, " ") + 1
	w := s[i:]
	switch {
	case len(w) <= 3 || w == "notes" || w == "news" || w == "series" || strings.ToUpper(w) == w || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") || strings.HasSuffix(w, "as"):
		return s
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(w, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(w, "s"):
		return s[:len(s)-1]
	}
	return s
}

// originalIn is a phrase as the user wrote it, or the phrase itself.
func originalIn(orig, phrase string) string {
	if o := originalAt(orig, phrase); o != "" {
		return o
	}
	return phrase
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// decisionPhase is the phase a decision belongs to: code review before
// the build, the rest where its words point, else the approval phase.
func decisionPhase(c clause, d *decision) string {
	if d.before && (strings.HasPrefix(d.kind, "code") || strings.HasPrefix(d.kind, "peer") || reCodeChange.MatchString(d.object)) {
		return "build"
	}
	ph := inGuessPhase(c.text)
	if ph == "plan" || ph == "post-release" {
		return "approve"
	}
	return ph
}

// spliceMain puts a step on the main line at the start (first) or the end
// of its phase.
func (p *plan) spliceMain(id, phase string, first bool) {
	at := len(p.main)
	for i, mid := range p.main {
		st := p.step(mid)
		ph := indexOf(phaseOrder, st.Phase)
		if ph > indexOf(phaseOrder, phase) || first && ph == indexOf(phaseOrder, phase) && st.Kind != relsop.KindStart || st.Kind == relsop.KindEnd {
			at = i
			break
		}
	}
	p.main = append(p.main[:at], append([]string{id}, p.main[at:]...)...)
}

// noGoTarget is where a rejected decision of a phase leads: the phase's
// fix step, a halt or rollback once production is touched, or the
// deferral of the release.
func (p *plan) noGoTarget(phase, gateID string) string {
	var order []string
	switch phase {
	case "plan", "build":
		order = []string{"fix-build", "fix-defects", "defer-release"}
	case "deploy":
		order = []string{"halt-rollout", "roll-back-canary", "roll-back-production", "defer-release"}
	case "post-release":
		order = []string{"open-incident", "review-failure"}
	default:
		order = []string{"fix-defects", "fix-build", "defer-release"}
	}
	for _, id := range order {
		if p.step(id) != nil {
			return id
		}
	}
	// Nothing to lead to yet: the findings are addressed and the decision
	// is asked again.
	fix := p.side(step{Step: relsop.Step{ID: "address-" + gateID, Name: "Address the findings of the " + strings.ToLower(p.step(gateID).Name[:1]) + p.step(gateID).Name[1:],
		Phase: phase, Next: []string{gateID}}, slot: "dev-lead", why: "a rejected decision needs a way back"})
	return fix.ID
}

var (
	// auxiliaries end the noun phrase a sentence starts with.
	auxiliaries = lazySet(`is are be been was were must needs need requires require gets get has have shall should will can may`)
	// modalWords stand between who decides and the verb ("must approve").
	modalWords = lazySet(`must will shall should has have to needs need then also`)
	// decisionWords name any gate, so they do not tell two gates apart.
	decisionWords = lazySet(`approve review sign off signoff release change gate decision go no check`)
)

// needingWords say that something needs a decision rather than makes one.
var needingWords = lazySet(`need needs needed require requires required get gets has have receive receives two three four both several`)

// existing is id when the plan has that step, else "".
func (p *plan) existing(id string) string {
	if p.step(id) != nil {
		return id
	}
	return ""
}
