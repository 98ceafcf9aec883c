package lint

import (
	"fmt"
	"strings"
)

// Markdown returns the rule reference: a summary table, then each rule's
// doc, example and fix. docs/rules.md is this text; a test keeps them in sync.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| rule | family | default | regulated | what must hold |\n|---|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Family, r.SeverityIn(ProfileDefault), r.SeverityIn(ProfileRegulated), r.Summary)
	}
	for _, r := range Rules() {
		fmt.Fprintf(&b, "\n### %s\n\n%s %s\n\nSeverity: %s by default, %s in the regulated profile.\n\n```yaml\n%s\n```\n\nFix: %s.\n",
			r.ID, r.Summary, r.Doc, r.SeverityIn(ProfileDefault), r.SeverityIn(ProfileRegulated), r.Example, r.Fix)
	}
	return b.String()
}
