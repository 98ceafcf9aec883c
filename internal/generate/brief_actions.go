package generate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// People describe work in three shapes: "the DBA backs up the database"
// (active), "deviations are resolved before release" (passive) and
// "every release needs: traceability, unit verification, system test"
// (a list of activities). All three become steps named in the imperative,
// as steps are: "Resolve deviations before release", "Unit verification".

// verbBase is the base form of an action verb in any of its forms
// ("trained", "resolves", "translating"), or "" when w is none.
func verbBase(w string) string {
	w = strings.Trim(w, ",.:;()")
	if actionVerbs()[w] {
		for _, base := range []string{strings.TrimSuffix(w, "s"), strings.TrimSuffix(w, "es")} {
			if base != w && actionVerbs()[base] {
				return base
			}
		}
		return w
	}
	for _, cand := range verbCandidates(w) {
		if actionVerbs()[cand] {
			return cand
		}
	}
	return ""
}

// verbCandidates undoes an ending: "planned" -> plan, "resolved" ->
// resolve, "updated" -> update, "running" -> run.
func verbCandidates(w string) []string {
	var out []string
	for _, suf := range []string{"ed", "ing"} {
		if !strings.HasSuffix(w, suf) || len(w) <= len(suf)+2 {
			continue
		}
		stem := w[:len(w)-len(suf)]
		out = append(out, stem, stem+"e")
		if n := len(stem); n >= 2 && stem[n-1] == stem[n-2] {
			out = append(out, stem[:n-1]) // planned, running
		}
		if strings.HasSuffix(stem, "i") {
			out = append(out, stem[:len(stem)-1]+"y") // verified
		}
	}
	if strings.HasSuffix(w, "ies") {
		out = append(out, w[:len(w)-3]+"y")
	}
	return out
}

// actionClause reports a clause that describes work: a verb of action
// among its first words, not negated before it ("we don't canary" is
// not work; "check the scanner doesn't flag the installer" is).
func actionClause(c clause) bool {
	words := strings.Fields(c.low)
	for i, w := range words {
		if i > 5 {
			break
		}
		// "release train" names the train; it trains no one.
		if i > 0 && words[i-1] == "release" && (w == "train" || w == "trains") {
			continue
		}
		if verbBase(w) != "" && !strings.HasSuffix(strings.Trim(w, ",.:;()"), "ing") {
			// "our platform runs in GovCloud" says where, not what is done.
			if i+2 < len(words) && placeWords()[words[i+1]] && words[i+2] != "parallel" && words[i+2] != "shadow" && verbBase(w) == "run" {
				return false
			}
			return !negBefore.MatchString(strings.Join(words[:i], " "))
		}
	}
	return false
}

// rePassiveAction is "X is/are <done> ...": "the POA&M is updated with any
// findings", "users are trained on the changed functionality", "the fix is
// cherry-picked to the release branch" (a hyphenated verb).
var rePassiveAction = lazyRE(`^(.{2,60}?)\s+(?:is|are|gets|get|will be|must be|should be|has to be|have to be|needs to be|need to be)\s+(?:(?:also|then|always|first|manually|automatically)\s+)?((?:[a-z]+-)?[a-z]+(?:ed|en|wn|ilt|ent|ut|un))\b(.*)$`)

// passiveStepName turns a passive clause into an imperative step name:
// "the configuration baseline is updated afterwards" gives "Update the
// configuration baseline afterwards"; "" when the clause is not one.
func passiveStepName(text string) string {
	low := normalise(text)
	m := rePassiveAction.FindStringSubmatchIndex(low)
	if m == nil {
		return ""
	}
	verb := verbBase(low[m[4]:m[5]])
	if verb == "" {
		verb = irregularBase[low[m[4]:m[5]]]
	}
	if verb == "" {
		return ""
	}
	subjectLow := strings.TrimSpace(low[m[2]:m[3]])
	// "On release day, within 21 days, the fix is cherry-picked": the
	// subject is after the last comma.
	if i := strings.LastIndexAny(subjectLow, ",;"); i >= 0 {
		subjectLow = strings.TrimSpace(subjectLow[i+1:])
	}
	for _, pre := range []string{"then ", "also ", "first ", "finally ", "and "} {
		subjectLow = strings.TrimPrefix(subjectLow, pre)
	}
	// "the Friday before release week the version is bumped": the last
	// noun phrase is what is done to; the rest says when.
	if words := strings.Fields(subjectLow); len(words) > 3 {
		for i := len(words) - 2; i > 0; i-- {
			if articles()[words[i]] {
				subjectLow = strings.Join(words[i:], " ")
				break
			}
		}
	}
	subject := strings.TrimSpace(originalIn(text, subjectLow))
	if subject == "" || strings.ContainsAny(subject, ",;") || len(strings.Fields(subject)) > 7 {
		return ""
	}
	// The rest as written: after the participle in the original text.
	rest := ""
	if _, j := indexFold(text, low[m[4]:m[5]]); j >= 0 {
		rest = strings.TrimSpace(strings.TrimRight(text[j:], " ."))
	}
	// A long rest ends at its first comma: what follows is another clause.
	if i := strings.IndexAny(rest, ",;"); i >= 0 && len(rest) > 50 {
		rest = rest[:i]
	}
	// "Significant changes must be reported to X" -> "Report significant changes to X".
	subject = lowerFirst(subject)
	name := strings.TrimSpace(capitalise(verb) + " " + subject + " " + rest)
	return strings.Join(strings.Fields(name), " ")
}

// irregularBase are past participles of verbs of work that do not end
// in -ed.
var irregularBase = map[string]string{"built": "build", "written": "write", "run": "run", "sent": "send", "cut": "cut",
	"frozen": "freeze", "drawn": "draw", "shown": "show", "taken": "take", "given": "give", "done": "do", "rolled": "roll"}

// lowerFirst lower-cases the first letter of a phrase written as plain
// words, and keeps names and acronyms ("POA&M", "QA") as they are.
func lowerFirst(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	w := words[0]
	if len(w) > 1 && unicode.IsUpper(rune(w[0])) && !unicode.IsUpper(rune(w[1])) {
		words[0] = strings.ToLower(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// reListLead introduces a list of activities: "every release needs:",
// "the validation plan defines".
var reListLead = lazyRE(`^(?:.{0,60}?(?::|\b(?:needs?|requires?|includes?|including|defines?|covers?|consists? of|comprises?|means?)\b:?))\s+`)

// reListSep separates the items of a list of activities.
var reListSep = lazyRE(`\s*(?:,\s*(?:and\s+)?|\s\+\s|\s&\s|\s+and\s+)\s*`)

// reFiniteVerb marks a sentence, not a name of an activity.
var reFiniteVerb = lazyRE(`\b(?:is|are|was|were|will|can|must|should|do|does|don't|has|have)\b`)

// reActivityWord is a word that names a piece of work: "traceability",
// "verification", "release notes", "KB article".
var reActivityWord = lazyRE(`(?:tion|ment|ing|ity|sis|ance|ence|ure|ysis)s?$|^(?:notes?|articles?|tests?|reviews?|scans?|checks?|reports?|plans?|audits?|backups?|changelog|sbom|emails?|posts?|blog|demo|docs|sign-?off|announcements?|drills?|rehearsals?|freeze|tag|build)$`)

// activityName reports a list item that names work, not a platform or a
// product ("iOS + Android").
func activityName(low string) bool {
	if _, ok := mustKnowledge().lex.Glossary[low]; ok {
		return true
	}
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return r == ' ' || r == '-' || r == '/' }) {
		w = strings.Trim(w, ",.;:()")
		if _, ok := mustKnowledge().lex.Glossary[w]; ok || reActivityWord.MatchString(w) || verbBase(w) != "" {
			return true
		}
	}
	return false
}

// activityList splits a clause that lists activities into its items:
// at least two, each a short phrase without a verb of its own.
func activityList(c clause) []string {
	text := c.text
	if loc := reListLead.FindStringIndex(normalise(text)); loc != nil {
		lead := normalise(text)[:loc[1]]
		text = strings.TrimSpace(text[min(len(text), len(originalIn(text, strings.TrimSpace(lead)))+1):])
	} else if !strings.Contains(c.text, " + ") {
		return nil
	}
	items := reListSep.Split(strings.Trim(text, " .;"), -1)
	if len(items) < 2 {
		return nil
	}
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(strings.Trim(it, " .;:()"))
		n := len(strings.Fields(it))
		low := strings.ToLower(it)
		if n == 0 || n > 6 || negStart.MatchString(low) || reFiniteVerb.MatchString(low) || !activityName(low) {
			return nil
		}
		out = append(out, it)
	}
	return out
}

// addBriefActivities adds the work a clause describes without a verb of
// action up front: a passive sentence ("the POA&M is updated with any
// findings") or a list of activities ("every release needs: traceability,
// unit verification, system test"). It reports whether it placed the
// clause.
func (p *plan) addBriefActivities(c clause, subject string) bool {
	if negatedClause(c.low) {
		return false
	}
	if name := passiveStepName(c.text); name != "" {
		if st, score := p.bestStep(clause{text: name, low: normalise(name), stems: inWords(name)}); st != nil && score >= 3 {
			// The plan has a step for this work already ("the fix is
			// cherry-picked to every release branch" is the backport):
			// the brief's words go on it.
			if st.Kind == relsop.KindStart || strings.Contains(st.Description, c.text) {
				return false
			}
			st.Description = joinSentences(st.Description, "The brief says: "+sentence(c.text))
			return true
		}
		phase := firstNonEmpty(timingPhase(c.text), inGuessPhase(name), "post-release")
		return p.addBriefStepAs(c, firstNonEmpty(subject, phaseOwner(phase)), phase, capName(name), "the brief says: "+c.text)
	}
	items := activityList(c)
	if items == nil {
		return false
	}
	placed := false
	for _, it := range items {
		ic := clause{text: it, low: normalise(it), stems: inWords(it)}
		if len(ic.stems) == 0 {
			continue
		}
		// An item the plan already has a step for ("unit tests") is
		// noted on it; the others become steps.
		if st, score := p.bestStep(ic); st != nil && score >= len(ic.stems) {
			if !strings.Contains(st.Description, it) {
				st.Description = joinSentences(st.Description, "The brief lists: "+sentence(it))
			}
			placed = true
			continue
		}
		name := glossaryName(it)
		phase := firstNonEmpty(timingPhase(c.text), inGuessPhase(name), inGuessPhase(c.text), "test")
		if p.addBriefStepAs(ic, firstNonEmpty(subject, phaseOwner(phase)), phase, name, "the brief lists "+it+": "+c.text) {
			placed = true
		}
	}
	return placed
}

// glossaryName names a listed activity, its abbreviation spelt out:
// "IQ" is "Installation qualification (IQ)", "OTA for vehicles in the
// field" is "Over-the-air (OTA) update for vehicles in the field".
func glossaryName(item string) string {
	words := strings.Fields(item)
	for n := min(3, len(words)); n >= 1; n-- {
		full, ok := mustKnowledge().lex.Glossary[strings.ToLower(strings.Join(words[:n], " "))]
		if ok {
			return capName(strings.TrimSpace(full + " " + strings.Join(words[n:], " ")))
		}
	}
	return capName(item)
}

// reContext is a statement about the team or the product, not a piece of
// work: "we ship every Tuesday", "Kubernetes ships a minor release three
// times a year", "so HIPAA applies", "we run the patient portal".
var reContext = lazyRE(`^(?:(?:we|our [a-z]+|[a-z0-9-]+)\s+)?(?:ship|ships|release|releases|make|makes|do|does|publish|publishes|run|runs|deliver|delivers|deploy|deploys)\b.{0,60}\b(?:every|each|per|times a|a year|a month|a week|twice|weekly|monthly|quarterly|yearly|annually|fortnightly|bi-?weekly)\b|\b(?:applies|apply|is in scope|are in scope)\s*$|^(?:we\s+)?(?:run|runs|operate|operates|maintain|maintains|make|makes|build|builds)\s+(?:the|a|an|our)\s+(?:[\w-]+\s+){0,4}(?:portal|system|platform|service|product|app|application|shooter|game|site|website|software|library|crate|company)\b`)

// contextStatement reports a clause that describes the setting, which is
// kept in the start step's description rather than made a step.
func contextStatement(low string) bool { return reContext.MatchString(low) }

// reBeforeGoLive and reAfterGoLive say when work happens relative to the
// release: "support is briefed the day before", "the baseline is updated
// afterwards".
var (
	reBeforeGoLive = lazyRE(`\b(?:(?:the )?(?:day|days|hours?|weeks?|night) (?:before|ahead)|in advance|beforehand|ahead of (?:the )?(?:release|go-live|launch|deploy\w*)|before (?:the )?(?:release|go-live|launch|deploy\w*|cutover))\b`)
	reAfterGoLive  = lazyRE(`\b(?:afterwards|after (?:the )?(?:release|go-live|launch|deploy\w*|cutover)|post-release|once (?:it is |it's )?live)\b`)
)

// timingPhase is the phase the brief's words about timing point to: work
// announced "the day before" happens at the end of the approval phase,
// just before the deploy; "afterwards" is post-release. "" when they say
// nothing.
func timingPhase(text string) string {
	low := normalise(text)
	switch {
	case reBeforeGoLive.MatchString(low):
		return "approve"
	case reAfterGoLive.MatchString(low):
		return "post-release"
	}
	return ""
}

// phaseOwner is who does work of a phase nobody is named for.
func phaseOwner(phase string) string {
	switch phase {
	case "build":
		return "dev-lead"
	case "test":
		return "qa"
	}
	return "release-manager"
}

// capName caps a step name at about 80 characters (cutName) and
// capitalises it.
func capName(s string) string {
	return capitalise(cutName(strings.TrimSpace(s)))
}

const (
	// maxName is about as long as a step name gets; a name may run on to
	// softMaxName to finish its phrase.
	maxName     = 80
	softMaxName = 100
)

// reNameBreak ends a phrase inside a step name: a colon, a semicolon, a
// dash, an opening parenthesis, or a comma before a word that starts a
// phrase of its own (phraseStart), not one between the items of a list
// ("the CVE, severity, impact and mitigations").
var reNameBreak = lazyRE(`([,;:]) | - | \(| \x{2014} `)

// phraseStarts are words that start a new phrase after a comma.
var phraseStarts = lazySet(`and or but then so which who whom that where while when whenever if unless with without before after
once until by for in on at to from via because as`)

// cutName shortens a long step name so that it ends with a phrase, not in
// the middle of one. A name up to softMaxName characters stays whole;
// a longer one ends at its last phrase break within softMaxName that
// keeps at least half of maxName ("Promote
// the branches: a stable PR with the final release notes and any approved
// beta backports", not "... and any approved"); else on a word boundary
// before maxName, without the small words a cut phrase ends in ("... an
// impact assessment on the"). What is cut stays in the step's
// description, which keeps the brief's whole sentence.
func cutName(s string) string {
	if len(s) <= softMaxName {
		return s // it ends its phrase, a little past maxName at most
	}
	end := -1
	for _, loc := range reNameBreak.FindAllStringSubmatchIndex(s, -1) {
		at := loc[0]
		if at < maxName/2 || at > softMaxName {
			continue
		}
		if loc[2] >= 0 && s[loc[2]] == ',' {
			next := strings.Fields(s[loc[1]:])
			if len(next) == 0 {
				continue
			}
			w := strings.ToLower(strings.Trim(next[0], ",;:()"))
			if !phraseStarts()[w] && verbBase(w) == "" && !strings.HasSuffix(w, "ing") && !strings.HasSuffix(w, "ed") {
				continue
			}
		}
		end = at
	}
	if end >= 0 {
		return strings.TrimSpace(s[:end])
	}
	cut := strings.LastIndex(s[:maxName], " ")
	if cut < 20 {
		cut = maxName
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // not inside a letter
		}
		return s[:cut]
	}
	words := strings.Fields(s[:cut])
	for len(words) > 3 && smallWords()[strings.ToLower(strings.Trim(words[len(words)-1], ",;:("))] {
		words = words[:len(words)-1]
	}
	return strings.TrimRight(strings.Join(words, " "), ",;:(")
}

var (
	// placeWords after "runs" say where, not what ("runs in GovCloud").
	placeWords = lazySet(`in on under at inside within`)
	// articles start the noun phrase a passive sentence is about.
	articles = lazySet(`the a an our their`)
)
