package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/relsop/relsop"
)

// GitHub writes findings as GitHub Actions workflow commands, one line
// each, so that a lint step in a workflow annotates the SOP file in the
// pull request:
//
//	::error file=sops/release.sop.yaml,line=12,col=5,title=relsop unknown-role::owner is "qa-laed"%0Ahint: define it
//
// User text (messages quote step names) is escaped as the runner expects,
// so no name can end the line early or start a command of its own.
func GitHub(w io.Writer, findings []relsop.Finding) error {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString("::")
		b.WriteString(githubLevel(f.Severity))
		sep := " "
		prop := func(key, value string) {
			b.WriteString(sep)
			b.WriteString(key)
			b.WriteByte('=')
			b.WriteString(escapeGitHubProperty(value))
			sep = ","
		}
		if path, ok := repoPath(f.File); ok {
			prop("file", path)
			if f.Pos.IsValid() {
				prop("line", strconv.Itoa(f.Pos.Line))
				prop("col", strconv.Itoa(f.Pos.Col))
			}
		}
		prop("title", "relsop "+f.Code)
		b.WriteString("::")
		msg := f.Message
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		b.WriteString(escapeGitHubData(msg))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// githubLevel maps a severity to the workflow command that shows it.
func githubLevel(s relsop.Severity) string {
	switch s {
	case relsop.SeverityError:
		return "error"
	case relsop.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// escapeGitHubData escapes a command's message as the Actions runner
// (and its toolkit's escapeData) expects: a percent sign and line breaks.
func escapeGitHubData(s string) string { return githubData.Replace(s) }

// escapeGitHubProperty escapes a property value: as a message, and also
// the colon and comma that end a property.
func escapeGitHubProperty(s string) string { return githubProperty.Replace(s) }

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
