package raci

import "strings"

// letters is a set of RACI letters.
type letters uint8

const (
	responsible letters = 1 << iota
	accountable
	consulted
	informed
)

var words = map[string]letters{
	"responsible": responsible, "accountable": accountable,
	"consulted": consulted, "informed": informed,
}

// none are cell values that mean "no involvement".
var none = map[string]bool{
	"": true, "-": true, "–": true, "—": true, "x": true, ".": true,
	"n/a": true, "na": true, "none": true,
}

// parseCell reads a cell: "R", "A", "C", "I" in any case and combination
// ("R/A", "A,R", "RA", "A / R"), the full words, notes in parentheses or
// brackets ("R (lead)"), and "-", "x" or nothing for none. ok is false when
// the cell holds anything else.
func parseCell(s string) (set letters, ok bool) {
	s = strings.ToLower(stripNotes(s))
	s = strings.TrimSpace(s)
	if none[s] {
		return 0, true
	}
	tokens := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(" \t\n/\\,;+&|-–", r)
	})
	for _, t := range tokens {
		if w, found := words[t]; found {
			set |= w
			continue
		}
		for _, r := range t {
			switch r {
			case 'r':
				set |= responsible
			case 'a':
				set |= accountable
			case 'c':
				set |= consulted
			case 'i':
				set |= informed
			default:
				return 0, false
			}
		}
	}
	return set, true
}

// stripNotes removes text in parentheses or brackets; an unclosed one runs
// to the end of the cell.
func stripNotes(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
