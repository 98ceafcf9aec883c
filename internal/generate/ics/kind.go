package ics

import (
	"strings"
	"unicode"
)

// kindWords are the words that make an event a freeze, a maintenance
// window or a release. A text with words of several kinds takes the first
// kind in this order: "no deploys during the freeze" is a freeze.
var kindWords = []struct {
	kind  Kind
	words []string
}{
	{KindFreeze, []string{"freeze", "freezes", "frozen", "blackout", "blackouts"}},
	{KindMaintenance, []string{"maintenance", "window", "windows", "downtime", "outage", "outages"}},
	{KindRelease, []string{"release", "releases", "go-live", "golive", "deploy", "deploys", "deployment", "deployments",
		"launch", "launches", "ship", "ships", "shipping"}},
}

// classify finds an event's kind from its summary, then its categories,
// then its description: the summary says best what the event is.
func classify(ev Event) Kind {
	for _, text := range []string{ev.Summary, strings.Join(ev.Categories, " "), ev.Description} {
		if k := kindOf(text); k != KindOther {
			return k
		}
	}
	return KindOther
}

func kindOf(text string) Kind {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	// "go live" is a release too, and "go-live" splits at the dash below.
	for i, w := range words {
		if w == "go" && i+1 < len(words) && words[i+1] == "live" {
			words[i] = "go-live"
		}
	}
	for _, kw := range kindWords {
		for _, w := range words {
			w = strings.Trim(w, "-")
			for _, want := range kw.words {
				if w == want || strings.Contains(w, "-") && hasPart(w, want) {
					return kw.kind
				}
			}
		}
	}
	return KindOther
}

// hasPart reports whether a dashed word such as "code-freeze" has want as
// one of its parts, or is want itself ("go-live").
func hasPart(w, want string) bool {
	if w == want {
		return true
	}
	for _, part := range strings.Split(w, "-") {
		if part == want {
			return true
		}
	}
	return false
}
