package edit

import (
	"regexp"
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

var politeness = regexp.MustCompile(`(?i)^(?:please\s+|(?:can|could|would)\s+you\s+(?:please\s+)?|i\s+want\s+(?:you\s+)?to\s+|let's\s+|we\s+should\s+)+`)

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

var placeholder = regexp.MustCompile(quoteMark + `(\d+)` + quoteMark)

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
	var best error = errNoSplit
	bestStage := -1
	for _, sp := range splits(s, sep) {
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
var durationRE = regexp.MustCompile(`(?i)^(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$`)

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
