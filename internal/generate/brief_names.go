package generate

import (
	"strings"
	"unicode"
)

// ownName finds the words the brief uses for a role, as the user wrote
// them: "our Dev Lead" stays "Dev Lead", "the ISSO" stays "ISSO".
var ownName = lazyRE(`\b(?:[Oo]ur|[Tt]he|[Aa]n?|by|with|from|to|and|whose|[Tt]heir|[Yy]our|[Mm]y)\s+((?:[A-Z][\w&/-]*\s+){0,3}[A-Z][\w&/-]*)`)

func (b *brief) findRoles() {
	roles := mustKnowledge().lex.Roles
	for _, rs := range roles {
		m, ok := b.has(rs.Words...)
		if !ok {
			continue
		}
		b.roles[rs.Slot] = ""
		b.roleWhy[rs.Slot] = "the brief mentions " + strings.Trim(strings.TrimSpace(m), " ,.;:()")
	}
	// Capitalised names in the original text: the user's own role names.
	for _, loc := range ownName.FindAllStringSubmatchIndex(b.original, -1) {
		name := strings.TrimSpace(b.original[loc[2]:loc[3]])
		low := normalise(name)
		for _, rs := range roles {
			if !fullMatch(rs.Words, low) {
				continue
			}
			if _, seen := b.roles[rs.Slot]; seen && b.roles[rs.Slot] == "" && properName(name) {
				b.roles[rs.Slot] = name
			}
			break
		}
	}
	// Roles named in lower case with a phrase of their own ("the
	// maintainers", "our release team") keep the user's words too.
	for _, rs := range roles {
		words, ok := b.roleWhy[rs.Slot]
		if !ok || b.roles[rs.Slot] != "" {
			continue
		}
		phrase := strings.Trim(cleanRoleName(strings.TrimPrefix(words, "the brief mentions ")), "-/& ")
		if genericRoleWords()[phrase] || len(phrase) < 3 {
			continue
		}
		b.roles[rs.Slot] = roleTitle(phrase)
	}
}

// genericRoleWords name a part too vaguely (or a tool) to become a role's
// name: the lexicon's own name is clearer.
var genericRoleWords = lazySet(`qa ci ci/cd pipeline jenkins pm po rm devs engineers security support ops operations sre sres
marketing testers tester auditors auditor contributors contributor developers developer platform infra infrastructure`)

// roleTitle capitalises a role phrase, acronyms in full: "on-call sre"
// becomes "On-call SRE".
func roleTitle(phrase string) string {
	words := strings.Fields(phrase)
	for i, w := range words {
		if roleAcronyms()[w] {
			words[i] = strings.ToUpper(w)
		} else if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

var roleAcronyms = lazySet(`sre sres qa dba dbas cab ecab ml noc isso ciso dpo psc it ops ptl`)

func fullMatch(words []string, s string) bool {
	for _, w := range words {
		if cachedRE(`^(?:` + w + `)$`).MatchString(s) {
			return true
		}
	}
	return false
}

// properName reports whether a phrase is written as a name (capitals or
// an acronym), not plain prose.
func properName(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func (b *brief) findEnvironments() {
	type hit struct {
		at       int
		id, name string
	}
	var hits []hit
	for _, e := range mustKnowledge().lex.Environments {
		for _, w := range e.Words {
			loc := wordRE(w).FindStringIndex(b.text)
			if loc == nil || negated(b.text, loc[0], loc[1]) {
				continue
			}
			name := e.Name
			if orig := originalAt(b.original, b.text[loc[0]:loc[1]]); orig != "" && e.ID != "dev" && e.ID != "test" {
				name = titleCase(orig)
			}
			hits = append(hits, hit{loc[0], e.ID, name})
			break
		}
	}
	// In the order the brief names them, then in the usual order.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && envRank(hits[j].id) < envRank(hits[j-1].id); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	for _, h := range hits {
		b.envs = append(b.envs, envName{h.id, h.name})
	}
	b.findOwnEnvironments()
	// Release channels: after nightly and beta, "the stable" is production.
	if b.prodName == "" && (b.hasEnv("beta") || b.hasEnv("nightly")) {
		if _, ok := b.has(`(?:the|a new|to|into) stable`, `stable (?:release|channel|branch|version)`); ok {
			b.prodName = "Stable"
		}
	}
	if m, ok := b.has(`live`, `prod`); ok && strings.TrimSpace(m) == "live" {
		b.prodName = "Live"
	}
}

func (b *brief) hasEnv(id string) bool {
	for _, e := range b.envs {
		if e.id == id {
			return true
		}
	}
	return false
}

func envRank(id string) int {
	envs := mustKnowledge().lex.Environments
	for i, e := range envs {
		if e.ID == id {
			return i
		}
	}
	return len(envs)
}

// originalAt finds how a normalised phrase was written in the original.
func originalAt(orig, phrase string) string {
	phrase = strings.Trim(phrase, " ,.;:()")
	if phrase == "" {
		return ""
	}
	// Match case-insensitively on the original itself: lower-casing can
	// change byte lengths (invalid UTF-8, some letters), so indexes into a
	// lowered copy are not indexes into orig.
	i, j := indexFold(orig, phrase)
	if i < 0 {
		return ""
	}
	return orig[i:j]
}

func titleCase(s string) string {
	if s == "" || properName(s) {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var (
	reCanary     = lazyRE(`(\d{1,2}(?:\.\d+)?) ?(?:%|percent)(?: of (?:traffic|users|requests|customers))?(?: canary)?|canary (?:of |at |to |with )?(\d{1,2}(?:\.\d+)?) ?(?:%|percent)`)
	reBake       = lazyRE(`(?:bake|soak|watch|observe|monitor)\w* (?:time |period )?(?:for |of )?(\d+|an?|one|two|three|four|six|twelve|twenty-four|forty-eight) ?(minutes?|mins?|m|hours?|hrs?|h|days?|d)\b`)
	reFreezeLead = lazyRE(`(\d+|one|two|three|four|five|seven) ?(hours?|hrs?|h|days?|d|weeks?|w|business days?) (?:ahead|before|in advance|prior)`)
	reHypercare  = lazyRE(`(?:hypercare|hyper-care|early life support|elevated monitoring) (?:for |of )?(\d+|one|two|three|four) ?(days?|weeks?|hours?)`)
)

var numberWords = map[string]string{"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "twelve": "12", "twenty-four": "24", "forty-eight": "48"}

func durationText(n, unit string) string {
	if v, ok := numberWords[n]; ok {
		n = v
	}
	switch {
	case strings.HasPrefix(unit, "business"):
		return n + "d"
	case strings.HasPrefix(unit, "m"):
		return n + "m"
	case strings.HasPrefix(unit, "h"):
		return n + "h"
	case strings.HasPrefix(unit, "d"):
		return n + "d"
	case strings.HasPrefix(unit, "w"):
		return n + "w"
	}
	return ""
}

func (b *brief) findNumbers() {
	if m := b.trafficShare(); m != nil && !b.excludes("canary") {
		pct := m[1]
		if pct == "" {
			pct = m[2]
		}
		b.canaryPct = pct + "%"
		// A percentage is a canary for a service, the first wave for
		// software users install.
		phasedDomain := b.domain == "mobile" || b.domain == "firmware" || b.domain == "desktop" || b.domain == "games"
		if !b.asks("canary") && !b.asks("phased") && !phasedDomain {
			b.want["canary"] = m[0]
		}
	}
	if m := reBake.FindStringSubmatch(b.text); m != nil {
		b.bake = durationText(m[1], m[2])
	}
	if m := reFreezeLead.FindStringSubmatch(b.text); m != nil {
		b.freezeLead = durationText(m[1], m[2])
	}
	if m := reHypercare.FindStringSubmatch(b.text); m != nil {
		b.hypercare = durationText(m[1], m[2])
	}
}

var reSchedule = lazyRE(`(?i)\b(?:every |each |on |on a |on the )?(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|weekly|fortnightly|bi-?weekly|monthly|quarterly|nightly|daily|sprint end)\b(?:[^.;,\n]{0,40}?\b(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)?\s?(?:-|to|until)\s?\d{1,2}(?::\d{2})?\s?(?:am|pm)?(?:\s?(?:utc|gmt|cet|cest|est|edt|pst|pdt|bst|ist))?|window|maintenance window))?`)

func (b *brief) findSchedule() {
	seen := map[string]bool{}
	for _, m := range reSchedule.FindAllString(b.original, -1) {
		m = strings.TrimSpace(m)
		if !seen[strings.ToLower(m)] {
			seen[strings.ToLower(m)] = true
			b.schedule = append(b.schedule, m)
		}
	}
}

// roleHead matches the phrases people use for roles that the lexicon has
// no words for ("the Firmware Lead", "our Release Shepherd", "Live Ops",
// "a Fix Team"): up to three words, the first capitalised, ending in a
// word that names a part people play.
var roleHead = lazyRE(`\b((?:[A-Z][\w&/-]*|[A-Z]{2,})(?:\s+(?:&|[A-Za-z][\w&/-]*)){0,2}?\s+(?i:lead|leads|manager|managers|owner|owners|officer|officials?|engineer|engineers|team|board|shepherd|coordinator|director|head|producer|liaison|champion|committee|admin|administrator|architect|analyst|steward|captain|commander|testers?|specialist|council|squad|ops|experts?|maintainers?|approvers?|reviewers?|signal|staff))\b|\b([A-Z]{2,}-(?i:team|lead|group|squad|board))\b|\b(?:[Tt]he|[Oo]ur|[Aa]n?)\s+(Producer|Shepherd|Steward|PTL|ISSO|CISO|DPO|QP|Controller|Auditor)\b|\b(Head of [A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)`)

// lowerRoleHead finds roles written in lower case with a strong head word
// ("functional safety manager sign-off").
var lowerRoleHead = lazyRE(`\b((?:[a-z][\w-]*\s+){1,2}(?:manager|officer|official|lead|owner|shepherd|coordinator|liaison|commander|director|steward|champion|expert|experts|staff|testers|team|analyst|analysts|specialist|specialists|administrator|architect|developer|developers))\b`)

// headSlots map the words in a role's name to the part it plays, most
// specific first.
var headSlots = []struct{ slot, pattern string }{
	{"release-manager", `release|shepherd|patch manager|\brm\b`},
	{"security", `secur|fix team|psc|isso|ciso|vulnerab`},
	{"privacy", `privacy|dpo|data protection`},
	{"quality", `quality|safety|regulat|complian|validation|audit|\bqp\b`},
	{"change-manager", `change`},
	{"qa", `\bqa\b|test|signal`},
	{"comms", `comm|social|marketing|\bpr\b|media`},
	{"support", `support|desk|success`},
	{"dba", `dba|database`},
	{"data", `data`},
	{"ml", `\bml\b|model|scien`},
	{"product", `product|business|owner|producer`},
	{"sre", `ops|platform|infra|sre|reliab|cloud|network|on-?call|sysadmin`},
	{"dev-lead", `lead|maintain|engineer|architect|ptl|developer|firmware|desktop|mobile|tech`},
}

// findNamedRoles keeps the roles the brief names in its own words: each
// phrase takes the part its words point to, under the user's name, unless
// the brief already named that part.
func (b *brief) findNamedRoles() {
	seen := map[string]bool{}
	var found []string
	for _, m := range roleHead.FindAllStringSubmatch(b.original, -1) {
		found = append(found, firstNonEmpty(m[1], m[2], m[3], m[4]))
	}
	for _, m := range lowerRoleHead.FindAllStringSubmatch(b.original, -1) {
		words := strings.Fields(m[1])
		for len(words) > 1 && (smallWords()[words[0]] || actionVerbs()[words[0]] || genericLead()[words[0]]) {
			words = words[1:]
		}
		if len(words) > 1 {
			found = append(found, roleTitle(strings.Join(words, " ")))
		}
	}
	for _, name := range found {
		name = cleanRoleName(name)
		low := normalise(name)
		// Trim leading words that are not part of a name ("Then the QA lead").
		for _, lead := range []string{"then ", "and ", "our ", "the ", "a ", "an ", "every ", "each ", "if ", "when ", "after ", "before "} {
			if strings.HasPrefix(low, lead) {
				name, low = strings.TrimSpace(name[len(lead):]), low[len(lead):]
			}
		}
		if seen[low] || low == "" || !properName(name) || strings.Count(low, " ") > 3 || !strings.ContainsAny(low, " -") && !acronymRole(name) || notRoleName.MatchString(low) {
			continue
		}
		seen[low] = true
		slot := slotForName(name)
		if slot == "" {
			// A part the lexicon has no words for: "the SAP Basis team",
			// "the Windows expert", "hospital biomed team".
			slot = "x-" + kebab(name)
		}
		own, ok := b.roles[slot]
		switch {
		case !ok || own == "":
			b.roles[slot] = name
		case normalise(own) == low:
			continue
		default:
			// The part is already named: this is a role of its own.
			slot = "x-" + kebab(name)
			b.roles[slot] = name
		}
		b.roleWhy[slot] = "the brief names the " + name
	}
}

// genericLead are words that start a phrase without being part of a
// role's name ("each", "any", "new", "hi team").
var genericLead = lazySet(`each any every new our their its his her current former acting then also whole both all other several hi hey hello dear thanks`)

// notRoleName are phrases that end in a role's head word without naming
// one: "challenger vs champion", "patients and clinic managers".
var notRoleName = lazyRE(`\b(?:vs|versus|against|than|and|or)\b`)

// reOwnEnv finds environments named in the user's own words: "QA-Env",
// "the perf cluster", "a pilot ring", "the clone environment".
var reOwnEnv = lazyRE(`\b([A-Za-z][\w-]*?)(?:\s+|-)(?i:env|environment|ring|channel|cluster)s?\b`)

// notEnvWords are words before "environment" that do not name one.
var notEnvWords = lazySet(`the a an our this that each every same new test dev development staging stage prod production live release
update updates k8s kubernetes all any one two three four 12 production-like prod-like own separate ephemeral slack teams
release-channel canary first second last next`)

func (b *brief) findOwnEnvironments() {
	for _, m := range reOwnEnv.FindAllStringSubmatchIndex(b.original, -1) {
		word := b.original[m[2]:m[3]]
		low := strings.ToLower(word)
		if notEnvWords()[low] || len(low) < 2 {
			continue
		}
		full := strings.Join(strings.Fields(b.original[m[2]:m[1]]), " ")
		id := kebab(full)
		if strings.HasPrefix(strings.ToLower(full), "stable") || low == "ga" || low == "general" {
			if b.prodName == "" {
				b.prodName = titleCase(full)
			}
			continue
		}
		dup := false
		for _, e := range b.envs {
			if e.id == id || e.id == low || strings.EqualFold(e.name, full) || strings.EqualFold(e.name, word) {
				dup = true
			}
		}
		if !dup {
			name := full
			if !properName(word) {
				name = titleCase(full)
			}
			b.envs = append(b.envs, envName{id, name})
		}
	}
}

// clean keeps only the role names the lexicon recognises, for a plan made
// from the knowledge base alone.
func (b *brief) clean() {
	for slot := range b.roles {
		if strings.HasPrefix(slot, "x-") {
			delete(b.roles, slot)
			delete(b.roleWhy, slot)
		}
	}
}

// cleanRoleName tidies a phrase into a role name: one space between
// words, no quotes or stray punctuation, and no words before the last
// small word ("Monday the release team" is the "release team").
func cleanRoleName(s string) string {
	words := strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("&/- ", r) {
			return r
		}
		return ' '
	}, s))
	for i := len(words) - 2; i >= 0; i-- {
		w := strings.ToLower(words[i])
		if smallWords()[w] && w != "of" && w != "and" {
			words = words[i+1:]
			break
		}
	}
	return strings.Join(words, " ")
}

// acronymRole reports a one-word role name that names someone by itself
// ("ISSO", "PTL", "Producer"), unlike a bare "Lead" or "Team".
func acronymRole(name string) bool {
	if strings.ToUpper(name) == name && len(name) >= 2 {
		return true
	}
	return toSet(`producer shepherd steward controller auditor`)[strings.ToLower(name)]
}

// reThreshold is what comes before a percentage that is a limit, not a
// share of traffic: "error rate > 1%", "above 2%", "if crashes exceed 0.5%".
var reThreshold = lazyRE(`(?:[<>=≥≤]|rate|above|below|over|under|exceeds?|more than|less than|at least|at most|drops?|rises?|budget|threshold)\s*(?:of\s*)?$`)

// trafficShare finds the first percentage in the brief that is a share of
// traffic or users, skipping limits such as "error rate > 1%".
func (b *brief) trafficShare() []string {
	for _, loc := range reCanary.FindAllStringSubmatchIndex(b.text, -1) {
		if reThreshold.MatchString(b.text[max(0, loc[0]-24):loc[0]]) {
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = b.text[loc[2*i]:loc[2*i+1]]
			}
		}
		return m
	}
	return nil
}

// slotForName is the part a role's name points to: the lexicon's words for
// the whole name (also without a trailing "team", "group" or "lead"), or
// else the words in it (headSlots); "" when neither says.
func slotForName(name string) string {
	n := normalise(name)
	for _, cand := range []string{n, strings.TrimSuffix(n, " team"), strings.TrimSuffix(n, " group"), strings.TrimSuffix(n, " lead")} {
		for _, rs := range mustKnowledge().lex.Roles {
			if fullMatch(rs.Words, cand) {
				return rs.Slot
			}
		}
	}
	for _, hs := range headSlots {
		if cachedRE(hs.pattern).MatchString(n) {
			return hs.slot
		}
	}
	return ""
}
