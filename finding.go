package relsop

// Severity is how much a finding matters.
type Severity string

// The severities, from most to least serious.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Finding is one problem found in an SOP file, by the loader (a parse,
// schema or reference error) or by a lint rule.
type Finding struct {
	File     string
	Pos      Pos
	Severity Severity
	Code     string // the rule id or error code, such as "gate-approver" or "unknown-role"
	Element  string // the id of the step, role, phase or release type concerned; may be empty
	Message  string
	Hint     string // how to fix it; may be empty
	Excerpt  string // the source line and a caret under the column; may be empty
}
