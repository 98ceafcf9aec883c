package pdf

import "strings"

// These helpers mirror internal/render/svg so that both renderers read the
// same kinds from the same data, including unusual spellings.

// normKind folds the spellings a hand-written or imported diagram may use
// ("Automated task", "automated_task") onto the kinds the renderer knows.
func normKind(k string) string {
	k = classToken(k)
	if k == "automated-task" {
		return "automated"
	}
	return k
}

// normEdgeKind maps unknown edge kinds onto plain flow.
func normEdgeKind(k string) string {
	switch k = classToken(k); k {
	case "next", "outcome", "rollback", "escalation":
		return k
	}
	return "next"
}

// classToken lower-cases s and keeps letters, digits and dashes, turning
// spaces, underscores and colons into dashes, as the SVG renderer does.
func classToken(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_' || r == ' ' || r == ':':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}
