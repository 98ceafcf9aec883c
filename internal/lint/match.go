package lint

import (
	"regexp"

	"github.com/relsop/relsop"
)

// What a step does is read from its name (and, for a few rules, its
// description): release teams name steps consistently enough that these
// word lists find monitoring, incident handling, validation and review steps
// without a field for each.
var (
	monitorWords    = regexp.MustCompile(`(?i)\b(monitor|verify|validat|smoke|observ|watch|check|health|bake|canary analysis|hypercare)`)
	incidentWords   = regexp.MustCompile(`(?i)\b(incident|post-?mortem|outage)`)
	validationWords = regexp.MustCompile(`(?i)\b(validat|verif|qualif|uat\b|acceptance|iq\b|oq\b|pq\b)`)
	auditWords      = regexp.MustCompile(`(?i)\b(document|record|audit|archive|evidence|dossier|history file|dhf\b)`)
	reviewWords     = regexp.MustCompile(`(?i)(post-implementation review|post-incident review|post-?mortem|retrospective|\bpir\b|lessons learned)`)
)

func named(re *regexp.Regexp) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool { return re.MatchString(st.Name) }
}

func namedOrDescribed(re *regexp.Regexp) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool { return re.MatchString(st.Name) || re.MatchString(st.Description) }
}

func ofKind(k relsop.StepKind) func(*relsop.Step) bool {
	return func(st *relsop.Step) bool { return st.Kind == k }
}
