package edit

import (
	"strconv"
	"strings"
	"unicode"
)

// instruction is a user's instruction made ready for matching: quoted
// names are replaced by placeholders, so that a quoted "Deploy to prod"
// never splits at its "to", and spacing and politeness are dropped.
type instruction struct {
	raw    string   // as the user wrote it
	text   string   // normalised, with placeholders
	quotes []string // the quoted texts, by placeholder number
}

// quoteMark opens and closes a placeholder: \x01 number \x01.
const quoteMark = "\x01"

var politeness = lazyRE(`(?i)^(?:please\s+|(?:can|could|would)\s+you\s+(?:please\s+)?|i\s+want\s+(?:you\s+)?to\s+|let's\s+|we\s+should\s+)+`)

func parseInstruction(s string) instruction {
	in := instruction{raw: s}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if closing, ok := quotePair(r); ok && (i == 0 || !isWordRune(rs[i-1])) {
			if j := closeQuote(rs, i+1, closing); j > i {
				b.WriteString(quoteMark + strconv.Itoa(len(in.quotes)) + quoteMark)
				in.quotes = append(in.quotes, strings.TrimSpace(string(rs[i+1:j])))
				i = j
				continue
			}
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	t := strings.Join(strings.Fields(b.String()), " ")
	t = strings.TrimRight(t, ".!;: ")
	t = politeness.ReplaceAllString(t, "")
	in.text = t
	return in
}

func quotePair(r rune) (rune, bool) {
	switch r {
	case '\'':
		return '\'', true
	case '"':
		return '"', true
	case '‘':
		return '’', true
	case '“':
		return '”', true
	case '`':
		return '`', true
	}
	return 0, false
}

// closeQuote finds the closing quote of a quote opened before start: the
// first closing mark not followed by a letter (so "team's" is not one).
func closeQuote(rs []rune, start int, closing rune) int {
	for j := start; j < len(rs); j++ {
		if rs[j] == closing && (j+1 == len(rs) || !isWordRune(rs[j+1])) {
			return j
		}
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var placeholder = lazyRE(quoteMark + `(\d+)` + quoteMark)

// phrase is a part of an instruction that names something or gives a text.
type phrase struct {
	text   string // with the quoted parts restored
	quoted bool   // the whole phrase was one quoted text: match it exactly
}

// phrase restores the quoted parts of s and trims articles and spaces.
func (in instruction) phrase(s string) phrase {
	s = strings.TrimSpace(s)
	if m := placeholder.FindStringSubmatch(s); m != nil && m[0] == s {
		n, _ := strconv.Atoi(m[1])
		return phrase{text: in.quotes[n], quoted: true}
	}
	s = placeholder.ReplaceAllStringFunc(s, func(p string) string {
		n, _ := strconv.Atoi(placeholder.FindStringSubmatch(p)[1])
		return in.quotes[n]
	})
	return phrase{text: strings.TrimSpace(s)}
}

// hasQuote reports whether s holds a quoted part.
func hasQuote(s string) bool { return placeholder.MatchString(s) }

// splits returns the ways s divides around the word sep, the split at
// the last occurrence first: "deploy to production to the SRE" divides as
// ("deploy to production", "the SRE") before ("deploy", "production to
// the SRE"), since names hold "to" more often on the left.
func splits(s, sep string) [][2]string {
	words := strings.Fields(s)
	var out [][2]string
	for i := len(words) - 2; i >= 1; i-- {
		if strings.EqualFold(words[i], sep) {
			out = append(out, [2]string{strings.Join(words[:i], " "), strings.Join(words[i+1:], " ")})
		}
	}
	return out
}

// trySplits runs fn on each way s divides around sep until one succeeds.
// fn says how far it got (0: the left part did not resolve, 1: the right
// part did not); the error of the split that got furthest is returned, or
// errNoSplit when s does not hold sep.
func trySplits(s, sep string, fn func(left, right string) (int, error)) error {
	return trySplitsOrdered(s, sep, nil, fn)
}

// trySplitsOrdered is trySplits with the ways to divide s reordered by
// order first (nil keeps the longest left part first).
func trySplitsOrdered(s, sep string, order func([][2]string), fn func(left, right string) (int, error)) error {
	var best error = errNoSplit
	bestStage := -1
	all := splits(s, sep)
	if order != nil {
		order(all)
	}
	for _, sp := range all {
		stage, err := fn(sp[0], sp[1])
		if err == nil {
			return nil
		}
		if stage > bestStage {
			best, bestStage = err, stage
		}
	}
	return best
}

// durationWords turns "4 hours" or "4h" into a duration of the format.
var durationRE = lazyRE(`(?i)^(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$`)

func parseDuration(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "an "), "a ")
	switch strings.ToLower(s) {
	case "hour":
		return "1h", true
	case "day":
		return "1d", true
	case "week":
		return "1w", true
	}
	m := durationRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + strings.ToLower(m[2][:1]), true
}

// clauseVerbs are the words an edit starts with. An instruction is divided
// into several edits only where the part after a ";" or a "then" starts
// with one, so that "if the deploy fails, then roll back" and "reorder
// environments: canary then production" stay whole.
var clauseVerbs = map[string]bool{
	"add": true, "insert": true, "create": true, "put": true, "include": true, "introduce": true, "append": true,
	"remove": true, "delete": true, "drop": true, "skip": true, "cut": true, "get": true, "take": true,
	"rename": true, "retitle": true, "change": true, "set": true, "call": true,
	"move": true, "shift": true, "relocate": true, "place": true, "reorder": true, "order": true, "sort": true, "promote": true,
	"reassign": true, "assign": true, "give": true, "hand": true, "handover": true, "transfer": true, "delegate": true,
	"make": true, "appoint": true, "escalate": true, "define": true, "draw": true, "roll": true, "rollback": true,
	"please": true,
}

// clauses divides an instruction into the edits it holds, in order:
// "rename build to Compile; remove smoke tests", "add a step 'Notify
// support' after publish release notes and then make the support lead own
// it". Only ";" and "then" (or "and then") divide, and only where an edit
// starts after them: "and" alone is part of names ("build and freeze") and
// of single edits ("skips the CAB and UAT"). Quoted names never divide, as
// they are placeholders here.
func (in instruction) clauses() []instruction {
	var parts []string
	for _, semi := range strings.Split(in.text, ";") {
		ws := strings.Fields(semi)
		start := 0
		for i := 1; i < len(ws)-1; i++ {
			if !strings.EqualFold(strings.Trim(ws[i], ","), "then") || !clauseVerbs[strings.ToLower(ws[i+1])] {
				continue
			}
			left := ws[start:i]
			for len(left) > 0 && (strings.EqualFold(left[len(left)-1], "and") || left[len(left)-1] == ",") {
				left = left[:len(left)-1]
			}
			if len(left) > 0 {
				left[len(left)-1] = strings.TrimRight(left[len(left)-1], ",")
			}
			if len(left) == 0 {
				continue
			}
			parts = append(parts, strings.Join(left, " "))
			start = i + 1
		}
		parts = append(parts, strings.Join(ws[start:], " "))
	}
	// A ";" divides only before an edit too: "a hotfix variant that skips
	// the CAB; needs the incident commander" is one edit.
	var merged []string
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i > 0 && len(merged) > 0 && !startsClause(p) {
			merged[len(merged)-1] += "; " + p
			continue
		}
		merged = append(merged, p)
	}
	var out []instruction
	for _, p := range merged {
		t := strings.TrimRight(p, ".!;:, ")
		t = politeness.ReplaceAllString(t, "")
		if t == "" {
			continue
		}
		out = append(out, instruction{raw: in.restore(t), text: t, quotes: in.quotes})
	}
	if len(out) <= 1 {
		return []instruction{in}
	}
	return out
}

func startsClause(s string) bool {
	ws := strings.Fields(s)
	return len(ws) > 0 && clauseVerbs[strings.ToLower(ws[0])]
}

// restore puts the quoted texts back into s, in single quotes.
func (in instruction) restore(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		n, _ := strconv.Atoi(placeholder.FindStringSubmatch(p)[1])
		return "'" + in.quotes[n] + "'"
	})
}
