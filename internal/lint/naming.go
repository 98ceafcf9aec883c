package lint

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "verb-first", Family: "naming", Default: relsop.SeverityWarning, Scope: ScopeFlow,
			Summary: "Step names start with a verb.",
			Doc: "A step is an instruction: \"Run regression suite\" tells the reader what to do; " +
				"\"Regression suite\" does not. Start, end and gate names are exempt: they name events " +
				"and decisions. Teams can add verbs in the config file (naming: verbs:).",
			Example: "name: Deploy to staging",
			Fix:     "start the name with what is done, such as \"Run\", \"Deploy\", \"Notify\"",
			Check: func(p *pass) {
				for i := range p.sop.Steps {
					st := &p.sop.Steps[i]
					switch st.Kind {
					case relsop.KindStart, relsop.KindEnd, relsop.KindGate:
						continue
					}
					w := firstWord(st.Name)
					if w != "" && !p.cfg.isVerb(w) {
						p.report(st.FieldPos.Of("name", idPos(st)), st.ID, fmt.Sprintf("step name %q does not start with a verb", st.Name), "")
					}
				}
			},
		},
		&Rule{
			ID: "unique-names", Family: "naming", Default: relsop.SeverityWarning, Scope: ScopeFlow,
			Summary: "Step names are unique.",
			Doc:     "Two steps with one name cannot be told apart on the diagram or in a conversation.",
			Example: "name: Deploy to staging\n...\nname: Deploy to production",
			Fix:     "name each step for what is different about it",
			Check: func(p *pass) {
				first := map[string]string{}
				for i := range p.sop.Steps {
					st := &p.sop.Steps[i]
					key := strings.ToLower(strings.Join(strings.Fields(st.Name), " "))
					if key == "" {
						continue
					}
					if other, ok := first[key]; ok {
						p.report(st.FieldPos.Of("name", idPos(st)), st.ID, fmt.Sprintf("steps %q and %q have the same name %q", other, st.ID, st.Name), "")
						continue
					}
					first[key] = st.ID
				}
			},
		},
		&Rule{
			ID: "consistent-casing", Family: "naming", Default: relsop.SeverityInfo, Scope: ScopeFlow,
			Summary: "Step names use one casing style.",
			Doc: "Mixing \"Run regression suite\" with \"Deploy To Production\" looks careless on the " +
				"diagram. The style most names use (sentence case or title case) is taken as the SOP's style.",
			Example: "name: Run regression suite\n...\nname: Deploy to production",
			Fix:     "write the name in the SOP's casing style",
			Check:   checkCasing,
		},
	)
}

// firstWord returns the first word of a name, lower-cased, without
// surrounding punctuation.
func firstWord(name string) string {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimFunc(fields[0], func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }))
}

type casing int

const (
	casingUnknown casing = iota
	casingSentence
	casingTitle
	casingLower // starts with a lower-case letter
)

func (c casing) String() string {
	switch c {
	case casingSentence:
		return "sentence case"
	case casingTitle:
		return "title case"
	case casingLower:
		return "lower case"
	}
	return "mixed case"
}

// casingOf classifies a name. Only words of letters count: acronyms (QA,
// CAB), small words (to, of) and words with digits or symbols are skipped,
// and a name with too few telling words is unknown.
func casingOf(name string) casing {
	words := strings.Fields(name)
	if len(words) == 0 {
		return casingUnknown
	}
	first := []rune(words[0])
	if unicode.IsLower(first[0]) {
		return casingLower
	}
	var upper, lower int
	for _, w := range words[1:] {
		r := []rune(w)
		if smallWords()[strings.ToLower(w)] || !allLetters(r) || (len(r) > 1 && strings.ToUpper(w) == w) {
			continue
		}
		if unicode.IsUpper(r[0]) {
			upper++
		} else {
			lower++
		}
	}
	switch {
	case lower > 0 && upper == 0:
		return casingSentence
	case upper >= 2 && lower == 0:
		return casingTitle
	}
	return casingUnknown
}

func allLetters(r []rune) bool {
	for _, c := range r {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return len(r) > 0
}

func checkCasing(p *pass) {
	count := map[casing]int{}
	for _, st := range p.sop.Steps {
		count[casingOf(st.Name)]++
	}
	style := casingSentence
	if count[casingTitle] > count[casingSentence] {
		style = casingTitle
	}
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		c := casingOf(st.Name)
		if c == casingUnknown || c == style {
			continue
		}
		p.report(st.FieldPos.Of("name", idPos(st)), st.ID, fmt.Sprintf("step name %q is in %s; most names in this SOP are in %s", st.Name, c, style), "")
	}
}
