package generate

import (
	"strings"

	"github.com/relsop/relsop"
)

// reDeployPractice is a sentence about how the team deploys, not a step
// of its own: "we deploy our microservices daily with ArgoCD", "releases
// ship through Spinnaker". The tool, if named, follows with, using, via
// or through.
var (
	reDeployPractice = lazyRE(`^(?:we|our (?:team|teams|engineers|developers)|the team|teams?)\s+(?:\w+ly\s+)?(?:deploy|deploys|release|releases|ship|ships|roll out|rolls out|promote|promotes)\b`)
	reToolAfter      = lazyRE(`\b(?:with|using|via|through|by way of)\s+([A-Z][A-Za-z0-9.+-]*(?:\s+[A-Z][A-Za-z0-9.+-]*){0,2})`)
)

// addDeployPractice reads a sentence about how the team deploys with a
// tool: the tool becomes the deploy steps' tool and the sentence goes on
// the production deploy. It reports whether the sentence was one.
func (p *plan) addDeployPractice(c clause) bool {
	// The sentence may open with its setting: "Small startup, we ship to
	// prod with GitHub Actions".
	part := c.text
	if i := strings.Index(part, ", "); i >= 0 && !reDeployPractice.MatchString(c.low) {
		part = part[i+2:]
	}
	low := normalise(part)
	if !reDeployPractice.MatchString(low) || negatedClause(low) {
		return false
	}
	// Only a sentence that names the tool is taken, and only one that says
	// nothing more after a comma: "we release twice a year to the
	// hospitals, the biomed team installs it" says when and who, which the
	// other readings place.
	m := reToolAfter.FindStringSubmatch(part)
	if m == nil || strings.Contains(part, ",") {
		return false
	}
	tool := strings.TrimRight(m[1], ".,;:")
	placed := false
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind != relsop.KindDeploy {
			continue
		}
		if st.Tool == "" {
			st.Tool = tool
		}
		if st.IsProductionDeploy(p.sop) && !strings.Contains(st.Description, c.text) {
			st.Description = joinSentences(st.Description, "The brief says: "+sentence(c.text))
		}
		placed = true
	}
	return placed
}

// reMonitorFor is how long a release is watched after it goes out:
// "support team monitor 24 hours", "we watch it for two days".
var reMonitorFor = lazyRE(`\b(?:monitor|monitors|monitoring|watch|watches|watching|observe|observes)\s+(?:it\s+|the release\s+|production\s+)?(?:for\s+)?(\d+|one|two|three|four|a)\s*(hours?|hrs?|h|days?|d|weeks?|w)\b`)

// addMonitorFor reads a sentence that says how long the release is
// watched: the monitoring step takes that long, and whoever the sentence
// names watches. It reports whether the sentence was one.
func (p *plan) addMonitorFor(c clause) bool {
	m := reMonitorFor.FindStringSubmatch(c.low)
	st := p.step("monitor")
	if m == nil || st == nil || negatedClause(c.low) {
		return false
	}
	n := m[1]
	if n == "a" {
		n = "1"
	}
	d, err := relsop.ParseDuration(durationText(n, m[2]))
	if err != nil {
		return false
	}
	st.Duration = d
	if !strings.Contains(st.Description, c.text) {
		st.Description = joinSentences(st.Description, "The brief says: "+sentence(c.text))
	}
	if subject := p.subjectRole(c); subject != "" {
		p.assign(st, subject, c)
	}
	return true
}
