// Package ids hands out the element ids the export formats need: unique in
// one file, made from the SOP's own ids, in the characters each format
// allows.
package ids

import "fmt"

// Set hands out unique ids.
type Set struct {
	keep func(r rune) bool // characters kept as they are; others become '_'
	sep  string            // between a taken id and its number: "s_x_2"
	used map[string]bool
}

// New is a set of ids made of the characters keep allows, numbered after
// sep when taken.
func New(keep func(r rune) bool, sep string) *Set {
	return &Set{keep: keep, sep: sep, used: map[string]bool{}}
}

// Make returns an unused id made from want.
func (s *Set) Make(want string) string {
	b := make([]rune, 0, len(want))
	for _, r := range want {
		if !s.keep(r) {
			r = '_'
		}
		b = append(b, r)
	}
	base := string(b)
	id := base
	for i := 2; s.used[id]; i++ {
		id = fmt.Sprintf("%s%s%d", base, s.sep, i)
	}
	s.used[id] = true
	return id
}

// Reserve marks ids as taken that the file uses for itself (draw.io's
// root cells "0" and "1").
func (s *Set) Reserve(id ...string) {
	for _, i := range id {
		s.used[i] = true
	}
}

// Word allows ASCII letters, digits and '_': ids Mermaid, PlantUML and D2
// read as plain names.
func Word(r rune) bool {
	return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// WordOrDash allows what Word does and '-'.
func WordOrDash(r rune) bool { return Word(r) || r == '-' }
