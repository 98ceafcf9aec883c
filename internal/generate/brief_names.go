package generate

import (
	"regexp"
	"strings"
	"unicode"
)

// ownName finds the words the brief uses for a role, as the user wrote
// them: "our Dev Lead" stays "Dev Lead", "the ISSO" stays "ISSO".
var ownName = regexp.MustCompile(`\b(?:[Oo]ur|[Tt]he|[Aa]n?|by|with|from|to|and|whose|[Tt]heir|[Yy]our|[Mm]y)\s+((?:[A-Z][\w&/-]*\s+){0,3}[A-Z][\w&/-]*)`)

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
}

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
	if m, ok := b.has(`live`, `prod`); ok && strings.TrimSpace(m) == "live" {
		b.prodName = "Live"
	}
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
	i := strings.Index(strings.ToLower(orig), phrase)
	if i < 0 {
		return ""
	}
	return orig[i : i+len(phrase)]
}

func titleCase(s string) string {
	if s == "" || properName(s) {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var (
	reCanary     = regexp.MustCompile(`(\d{1,2}(?:\.\d+)?) ?(?:%|percent)(?: of (?:traffic|users|requests|customers))?(?: canary)?|canary (?:of |at |to |with )?(\d{1,2}(?:\.\d+)?) ?(?:%|percent)`)
	reBake       = regexp.MustCompile(`(?:bake|soak|watch|observe|monitor)\w* (?:time |period )?(?:for |of )?(\d+|an?|one|two|three|four|six|twelve|twenty-four|forty-eight) ?(minutes?|mins?|m|hours?|hrs?|h|days?|d)\b`)
	reFreezeLead = regexp.MustCompile(`(\d+|one|two|three|four|five|seven) ?(hours?|hrs?|h|days?|d|weeks?|w|business days?) (?:ahead|before|in advance|prior)`)
	reHypercare  = regexp.MustCompile(`(?:hypercare|hyper-care|early life support|elevated monitoring) (?:for |of )?(\d+|one|two|three|four) ?(days?|weeks?|hours?)`)
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
	if m := reCanary.FindStringSubmatch(b.text); m != nil && !b.excludes("canary") {
		pct := m[1]
		if pct == "" {
			pct = m[2]
		}
		b.canaryPct = pct + "%"
		if !b.asks("canary") && !b.asks("phased") {
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

var reSchedule = regexp.MustCompile(`(?i)\b(?:every |each |on |on a |on the )?(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?|weekly|fortnightly|bi-?weekly|monthly|quarterly|nightly|daily|sprint end)\b(?:[^.;,\n]{0,40}?\b(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)?\s?(?:-|to|until)\s?\d{1,2}(?::\d{2})?\s?(?:am|pm)?(?:\s?(?:utc|gmt|cet|cest|est|edt|pst|pdt|bst|ist))?|window|maintenance window))?`)

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
