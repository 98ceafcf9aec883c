package generate

import "strings"

// A release often has parts on their own calendar: "libraries have an
// earlier final-release deadline", "the docs have a later freeze", "client
// SDKs get their own cut-off". Such a statement is a milestone of its own
// for that part, named after it: "Library final-release deadline, earlier
// than the rest of the release".

// reSubsetDeadline is "<part> have an earlier/later/own <kind of>
// deadline|freeze|cut-off ...", on a normalised clause.
var reSubsetDeadline = lazyRE(`^(?:the |all |our |any |their )?([a-z][a-z0-9/-]*(?: [a-z][a-z0-9/-]*){0,3}?) (?:have|has|get|gets|follow|follows|keep|keeps) (?:an? |their own |its own |their |its )?(earlier|later|separate|own|different|extra) ((?:[a-z0-9][a-z0-9/-]* ){0,3}?)(deadline|freeze|cut-?off|due date)s?\b(.*)$`)

// subsetRelation says how a part's milestone stands to the rest.
var subsetRelation = map[string]string{
	"earlier":   "earlier than the rest of the release",
	"later":     "later than the rest of the release",
	"separate":  "separate from the rest of the release",
	"own":       "separate from the rest of the release",
	"different": "separate from the rest of the release",
	"extra":     "in addition to the rest of the release",
}

// subsetDeadline names the milestone a clause gives a part of the release
// ("Library final-release deadline, earlier than the rest of the
// release"); "" when the clause gives none.
func subsetDeadline(c clause) string {
	if !strings.Contains(c.low, "deadline") && !strings.Contains(c.low, "freeze") && !strings.Contains(c.low, "cut") && !strings.Contains(c.low, "due date") || negatedClause(c.low) {
		return "" // most statements name no milestone: skip the pattern
	}
	m := reSubsetDeadline.FindStringSubmatch(strings.TrimRight(c.low, " ."))
	if m == nil {
		return ""
	}
	for _, w := range strings.Fields(m[1]) {
		if smallWords()[w] || negBefore.MatchString(w) {
			return "" // "we have an earlier freeze" is not about a part
		}
	}
	// The part as the brief writes it ("SDKs"), named in the singular.
	name := singular(originalIn(c.text, m[1])) + " " + originalIn(c.text, strings.TrimSpace(m[3]+m[4]))
	if rest := strings.TrimSpace(strings.Trim(m[5], " ,;:")); rest != "" && len(rest) <= 40 {
		name += " " + originalIn(c.text, rest)
	}
	return capName(name + ", " + subsetRelation[m[2]])
}

// addSubsetDeadline adds the milestone a clause gives a part of the
// release as a step of its own, in the phase its words point to (else
// the build phase, where parts are finished before the release
// candidate). It reports whether it placed the clause.
func (p *plan) addSubsetDeadline(c clause) bool {
	name := subsetDeadline(c)
	if name == "" {
		return false
	}
	phase := firstNonEmpty(timingPhase(c.text), "build")
	if !p.addBriefStepAs(c, firstNonEmpty(p.subjectRole(c), "release-manager"), phase, name, "the brief gives part of the release a milestone of its own: "+c.text) {
		return false
	}
	if st := p.step(briefStepID(name)); st != nil && st.Description == "" {
		st.Description = "The brief says: " + sentence(c.text) + " Plan the work on this part of the release to meet it."
	}
	return true
}
