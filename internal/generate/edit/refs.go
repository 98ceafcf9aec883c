package edit

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/suggest"
)

// candidate is something a reference may name.
type candidate struct {
	id, name string
	gate     bool
}

func (d *doc) steps() []candidate {
	var out []candidate
	for _, st := range d.sop.Steps {
		out = append(out, candidate{id: st.ID, name: st.Name, gate: st.Kind == relsop.KindGate})
	}
	return out
}

func (d *doc) roles() []candidate {
	var out []candidate
	for _, r := range d.sop.Roles {
		out = append(out, candidate{id: r.ID, name: r.Name})
	}
	return out
}

func (d *doc) phases() []candidate {
	var out []candidate
	for _, p := range d.sop.Phases {
		out = append(out, candidate{id: p.ID, name: p.Name})
	}
	return out
}

func (d *doc) environments() []candidate {
	var out []candidate
	for _, e := range d.sop.Environments {
		out = append(out, candidate{id: e.ID, name: e.Name})
	}
	return out
}

// Words a reference may hold that name nothing.
var stopWords = map[string]bool{"the": true, "a": true, "an": true, "step": true, "task": true, "to": true, "of": true, "on": true,
	"and": true, "for": true, "in": true, "with": true, "at": true, "by": true, "our": true, "stage": true, "its": true, "this": true}

// kindWords are the words that say what sort of thing a reference names.
var kindWords = map[string]bool{"phase": true, "role": true, "environment": true, "env": true, "gate": true, "team": true,
	"variant": true, "type": true}

// words splits a name or id into lower-case words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// compact is s lower-cased with everything but letters and digits dropped,
// so that "go/no-go", "Go no go" and "go-no-go" compare equal.
func compact(s string) string { return strings.Join(words(s), "") }

// stem drops common English endings so that "tests", "testing" and "test"
// or "approval" and "approved" match.
func stem(w string) string {
	for _, suf := range []string{"ments", "ment", "ings", "ing", "ions", "ion", "als", "al", "es", "ed", "s", "e"} {
		if len(w)-len(suf) >= 3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// wordMatch reports whether a word of a reference matches a word of a
// name: the same word, the same stem, or a prefix of at least three letters
// ("prod" for "production").
func wordMatch(ref, w string) bool {
	return ref == w || stem(ref) == stem(w) || len(ref) >= 3 && strings.HasPrefix(w, ref)
}

// refWords are the words of a reference that must match, and whether it
// said "gate".
func refWords(ref string) (ws []string, gate bool) {
	for _, w := range words(ref) {
		if w == "gate" {
			gate = true
		}
		if stopWords[w] || kindWords[w] {
			continue
		}
		ws = append(ws, w)
	}
	return ws, gate
}

// resolve finds the one candidate of kind a reference names: by id, by
// whole name, or by every significant word of the reference matching a
// word of the candidate's name or id.
func resolve(kind string, p phrase, cands []candidate) (candidate, error) {
	ref := strings.TrimSpace(p.text)
	for _, c := range cands {
		if c.id == ref {
			return c, nil
		}
	}
	key := compact(ref)
	var exact []candidate
	for _, c := range cands {
		if strings.EqualFold(c.id, ref) || compact(c.name) == key || compact(c.id) == key {
			exact = append(exact, c)
		}
	}
	if len(exact) == 0 {
		// "the Go/no-go decision step": the same without articles and
		// kind words.
		ws, _ := refWords(ref)
		key = strings.Join(ws, "")
		for _, c := range cands {
			if key != "" && (compact(c.name) == key || compact(c.id) == key) {
				exact = append(exact, c)
			}
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return candidate{}, ambiguous(kind, ref, exact)
	}
	ws, gate := refWords(ref)
	if len(ws) == 0 {
		return candidate{}, unknown(kind, ref, cands)
	}
	var found, whole []candidate
	for _, c := range cands {
		if matchesAll(ws, c) {
			found = append(found, c)
			if hasAll(ws, c) {
				whole = append(whole, c)
			}
		}
	}
	if len(whole) > 0 {
		// "deploy" is the deploy steps, not every step with
		// "deployment" in its name.
		found = whole
	}
	if len(found) > 1 && gate {
		found = filter(found, func(c candidate) bool { return c.gate })
	}
	if len(found) > 1 {
		// "run smoke tests" is "Run production smoke tests" rather than
		// a step that merely has each word somewhere.
		phrase := strings.Join(ws, " ")
		if in := filter(found, func(c candidate) bool { return strings.Contains(strings.Join(words(c.name), " "), phrase) }); len(in) == 1 {
			found = in
		}
	}
	switch len(found) {
	case 0:
		return candidate{}, unknown(kind, ref, cands)
	case 1:
		return found[0], nil
	}
	return candidate{}, ambiguous(kind, ref, found)
}

func matchesAll(ref []string, c candidate) bool {
	have := append(words(c.name), words(c.id)...)
	for _, r := range ref {
		ok := false
		for _, w := range have {
			if wordMatch(r, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// hasAll reports whether every word of a reference is a whole word of
// the candidate's name or id.
func hasAll(ref []string, c candidate) bool {
	have := append(words(c.name), words(c.id)...)
	for _, r := range ref {
		if !contains(have, r) {
			return false
		}
	}
	return true
}

func filter(cs []candidate, keep func(candidate) bool) []candidate {
	var out []candidate
	for _, c := range cs {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

func ambiguous(kind, ref string, cs []candidate) error {
	e := &AmbiguousError{Ref: ref, Kind: kind}
	for _, c := range cs {
		e.Candidates = append(e.Candidates, c.id)
		e.names = append(e.names, c.name)
	}
	return e
}

// unknown builds the error for a reference that names nothing, with the
// ids it may have meant: a near spelling of an id or name, or candidates
// sharing a word with it.
func unknown(kind, ref string, cands []candidate) error {
	e := &UnknownError{Ref: ref, Kind: kind}
	add := func(id string) {
		if id != "" && len(e.Suggestions) < 3 && !contains(e.Suggestions, id) {
			e.Suggestions = append(e.Suggestions, id)
		}
	}
	ids := make([]string, len(cands))
	names := make([]string, len(cands))
	for i, c := range cands {
		ids[i], names[i] = c.id, c.name
	}
	add(suggest.Closest(ref, ids))
	if ws, _ := refWords(ref); len(ws) > 0 {
		// "the confirm scoep step": the words that name, without
		// articles and kind words, against ids.
		add(suggest.Closest(strings.Join(ws, "-"), ids))
	}
	if n := suggest.Closest(ref, names); n != "" {
		for _, c := range cands {
			if c.name == n {
				add(c.id)
			}
		}
	}
	ws, _ := refWords(ref)
	for _, c := range cands {
		for _, w := range ws {
			if matchesAll([]string{w}, c) {
				add(c.id)
				break
			}
		}
	}
	return e
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// step resolves a reference to a step of the base flow.
func (d *doc) step(p phrase) (*relsop.Step, error) {
	c, err := resolve("step", p, d.steps())
	var amb *AmbiguousError
	if errors.As(err, &amb) {
		// "before production": a reference that is the name of an
		// environment, among several steps, is the one deployment to it.
		if st := d.deploymentTo(p); st != nil {
			return st, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return d.sop.Step(c.id), nil
}

// deploymentTo is the one deploy step to the environment p names wholly
// ("production", "the staging environment"); nil when p names none, or
// several steps deploy there.
func (d *doc) deploymentTo(p phrase) *relsop.Step {
	ref := strings.TrimSuffix(strings.TrimSuffix(article.ReplaceAllString(strings.TrimSpace(p.text), ""), " environment"), " env")
	env, ok := exactly(phrase{text: ref}, d.environments())
	if !ok {
		return nil
	}
	var found *relsop.Step
	for i := range d.sop.Steps {
		if st := &d.sop.Steps[i]; st.Kind == relsop.KindDeploy && st.Environment == env.id {
			if found != nil {
				return nil
			}
			found = st
		}
	}
	return found
}

// notARoleName is a phrase that starts or ends like an instruction, not
// like the name of a role.
var notARoleName = lazyRE(`(?i)^(?:the\s+)?(?:add|make|set|remove|delete|move|rename|put|give|let|have|keep)\s|\s(?:as|to|from|for|on|of)$`)

// roleRef is a role an instruction names: an existing one, or one the
// edit adds.
type roleRef struct {
	id, name string
	isNew    bool
}

// role resolves a reference to a role. A role that does not exist is one
// the edit adds, with an id made from its name; a reference that matches
// several roles is still an error.
func (d *doc) role(p phrase) (roleRef, error) {
	c, err := resolve("role", p, d.roles())
	if err == nil {
		return roleRef{id: c.id, name: c.name}, nil
	}
	if _, ok := err.(*UnknownError); !ok {
		return roleRef{}, err
	}
	name := roleName(p.text)
	id := kebab(name)
	if name == "" || id == "" || notARoleName.MatchString(p.text) {
		// "add the security lead as": words of an instruction read as a
		// name; no role is made of them.
		return roleRef{}, err
	}
	if near := d.nearRole(name); near != "" && !p.quoted {
		// "owned by the Relase Manager" is a slip of the keyboard, not a
		// new role: a near spelling of a role is refused, and a quoted
		// name is the way to add a role that is spelt like another.
		return roleRef{}, &UnknownError{Ref: p.text, Kind: "role", Suggestions: []string{near},
			Hint: fmt.Sprintf("to add a new role of that name, quote it: '%s'", name)}
	}
	if d.sop.Step(id) != nil || d.sop.Phase(id) != nil {
		// "make deploy to staging own ..." names a step, not a new role.
		return roleRef{}, err
	}
	return roleRef{id: id, name: name, isNew: true}, nil
}

// nearRole is the id of the role whose id or name is a near spelling of
// name (a letter or two off, by the length), or "". Short names are left
// alone: CISO and CIO are two roles, not a typo.
func (d *doc) nearRole(name string) string {
	key := compact(name)
	if len([]rune(key)) < 5 {
		return ""
	}
	best, bestDist := "", -1
	for _, r := range d.sop.Roles {
		for _, c := range []string{compact(r.ID), compact(r.Name)} {
			n := max(len([]rune(c)), len([]rune(key)))
			limit := 1
			if n > 8 {
				limit = 2
			}
			if n > 16 {
				limit = 3
			}
			if dist := editDistance(key, c); dist > 0 && dist <= limit && (bestDist < 0 || dist < bestDist) {
				best, bestDist = r.ID, dist
			}
		}
	}
	return best
}

// editDistance counts the letters to insert, delete, change or swap with
// the next to turn a into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// acronyms are short role words written in capitals.
var acronyms = map[string]bool{"sre": true, "cto": true, "cio": true, "ceo": true, "cfo": true, "ciso": true, "cab": true, "ecab": true,
	"dba": true, "pmo": true, "soc": true, "vp": true, "qa": true, "it": true, "pm": true, "ra": true, "hr": true, "ux": true, "ops": false}

// roleName turns "the VP engineering" into "VP Engineering".
func roleName(s string) string {
	ws := strings.Fields(s)
	for len(ws) > 0 && (strings.EqualFold(ws[0], "the") || strings.EqualFold(ws[0], "a") || strings.EqualFold(ws[0], "an") || strings.EqualFold(ws[0], "our")) {
		ws = ws[1:]
	}
	for len(ws) > 0 && strings.EqualFold(ws[len(ws)-1], "role") {
		ws = ws[:len(ws)-1]
	}
	for i, w := range ws {
		switch {
		case acronyms[strings.ToLower(w)]:
			ws[i] = strings.ToUpper(w)
		case w == strings.ToLower(w):
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			ws[i] = string(r)
		}
	}
	return strings.Join(ws, " ")
}

// kebab makes an id from a name: lower-case words joined by hyphens.
func kebab(s string) string {
	return strings.Join(words(s), "-")
}

// phase resolves a reference to a phase.
func (d *doc) phase(p phrase) (candidate, error) { return resolve("phase", p, d.phases()) }

// environment resolves a reference to an environment.
func (d *doc) environment(p phrase) (candidate, error) {
	return resolve("environment", p, d.environments())
}
