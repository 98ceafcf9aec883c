package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"

	"github.com/relsop/relsop"
)

// gitlabIssue is one entry of a GitLab Code Quality report (a subset of
// the Code Climate issue format): what GitLab's merge request widget and
// diff annotations read.
type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// GitLab writes findings as a GitLab Code Quality report, for a job's
// artifacts:reports:codequality.
//
// A fingerprint identifies a finding across pipelines, so that GitLab can
// tell new findings from fixed ones: it hashes the file, rule, element and
// message but not the line, which moves whenever lines are added above.
// Two findings that agree on all of those are told apart by their order.
func GitLab(w io.Writer, findings []relsop.Finding) error {
	issues := []gitlabIssue{}
	seen := map[string]int{}
	for _, f := range findings {
		path, ok := repoPath(f.File)
		if !ok {
			path = "stdin"
		}
		key := path + "\x00" + f.Code + "\x00" + f.Element + "\x00" + f.Message
		seen[key]++
		if n := seen[key]; n > 1 {
			key += "\x00" + strconv.Itoa(n)
		}
		sum := sha256.Sum256([]byte(key))
		desc := f.Message
		if f.Hint != "" {
			desc += ". Fix: " + f.Hint
		}
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   "relsop/" + f.Code,
			Description: desc,
			Fingerprint: hex.EncodeToString(sum[:16]),
			Severity:    gitlabSeverity(f.Severity),
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(f.Pos.Line, 1)}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}

// gitlabSeverity maps a severity to GitLab's scale (info, minor, major,
// critical, blocker) as other linters' GitLab reports do: an error blocks
// the release process, so major; a warning minor.
func gitlabSeverity(s relsop.Severity) string {
	switch s {
	case relsop.SeverityError:
		return "major"
	case relsop.SeverityWarning:
		return "minor"
	}
	return "info"
}
