package lint

import (
	"regexp"
	"sync"

	"github.com/relsop/relsop"
)

// What a step does is read from its name (and, for a few rules, its
// description): release teams name steps consistently enough that these
// word lists find monitoring, incident handling, validation and review steps
// without a field for each. They are compiled when a rule first needs
// them, so that commands that do not lint (render, export) do not pay for
// them at start-up.
var (
	monitorWords    = lazyRegexp(`(?i)\b(monitor|verify|validat|smoke|observ|watch|check|health|bake|canary analysis|hypercare)`)
	incidentWords   = lazyRegexp(`(?i)\b(incident|post-?mortem|outage)`)
	validationWords = lazyRegexp(`(?i)\b(validat|verif|qualif|uat\b|acceptance|iq\b|oq\b|pq\b)`)
	auditWords      = lazyRegexp(`(?i)\b(document|record|audit|archive|evidence|dossier|history file|dhf\b)`)
	reviewWords     = lazyRegexp(`(?i)(post-implementation review|post-incident review|post-?mortem|retrospective|\bpir\b|lessons learned)`)
)

// lazyRegexp returns expr compiled on the first call.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func named(words func() *regexp.Regexp) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool { return words().MatchString(st.Name) }
}

func namedOrDescribed(words func() *regexp.Regexp) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool {
		re := words()
		return re.MatchString(st.Name) || re.MatchString(st.Description)
	}
}

func ofKind(k relsop.StepKind) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool { return st.Kind == k }
}
