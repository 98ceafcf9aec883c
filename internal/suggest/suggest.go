// Package suggest finds the intended word for a misspelt one ("did you
// mean"), for field names, ids, template names and rule ids.
package suggest

import "strings"

// Closest returns the candidate nearest to word, or "" when none is near
// enough to be a likely typo. Case and the separators - and _ are ignored
// when comparing, since "release_manager" for "release-manager" is the most
// common slip of all.
func Closest(word string, candidates []string) string {
	w := normalize(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(w, normalize(c))
		if d > limit(w, c) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == word {
		return ""
	}
	return best
}

// Hint returns ` (did you mean "x"?)` for the closest candidate, or "".
func Hint(word string, candidates []string) string {
	if c := Closest(word, candidates); c != "" {
		return ` (did you mean "` + c + `"?)`
	}
	return ""
}

func limit(w, c string) int {
	n := len(w)
	if len(c) > n {
		n = len(c)
	}
	switch {
	case n <= 3:
		return 1
	case n <= 8:
		return 2
	}
	return n / 3
}

// separators are what normalize drops.
var separators = strings.NewReplacer("-", "", "_", "", " ", "")

func normalize(s string) string {
	return separators.Replace(strings.ToLower(s))
}

// distance is the Levenshtein distance with adjacent transpositions counted
// as one edit (optimal string alignment).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
