// Package report writes findings for people and for tools: text with
// source excerpts (grouped by file, coloured only on a terminal), JSON with
// stable field names, and SARIF 2.1.0 for code-scanning services.
package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// Excerpt returns the source line of pos and a caret under its column, as
// "   12 | owner: qa-laed\n      |        ^". It returns "" when pos lies
// outside src.
func Excerpt(src []byte, pos relsop.Pos) string {
	return NewExcerpter(src).Excerpt(pos)
}

// Excerpter gives excerpts of one source, splitting it into lines once:
// a file with hundreds of findings must not be split hundreds of times.
type Excerpter struct{ lines []string }

// NewExcerpter prepares src for excerpts.
func NewExcerpter(src []byte) *Excerpter {
	return &Excerpter{lines: strings.Split(string(src), "\n")}
}

// Excerpt is the package-level Excerpt on the prepared source.
func (e *Excerpter) Excerpt(pos relsop.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	lines := e.lines
	if pos.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[pos.Line-1], "\r")
	const maxWidth = 160
	col := pos.Col
	if utf8.RuneCountInString(line) > maxWidth {
		// Keep very long lines readable: show a window around the column.
		r := []rune(line)
		start := max(0, min(col-1-maxWidth/2, len(r)-maxWidth))
		line = string(r[start:min(len(r), start+maxWidth)])
		col -= start
	}
	line = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' {
			return '?' // never echo control characters to a terminal
		}
		return r
	}, line)
	num := fmt.Sprint(pos.Line)
	gutter := strings.Repeat(" ", len(num))
	pad := strings.Builder{}
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return fmt.Sprintf(" %s | %s\n %s | %s^", num, line, gutter, pad.String())
}

// Style decides whether text output is coloured.
type Style struct{ Color bool }

func (s Style) paint(code, text string) string {
	if !s.Color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s Style) severity(sev relsop.Severity) string {
	switch sev {
	case relsop.SeverityError:
		return s.paint("1;31", string(sev))
	case relsop.SeverityWarning:
		return s.paint("1;33", string(sev))
	}
	return s.paint("1;36", string(sev))
}

// Text writes findings one after another as
//
//	file:line:col: severity: message [code]
//	 12 | source line
//	    |   ^
//	  hint: what to do
//
// Findings are expected grouped by file and sorted by position.
func Text(w io.Writer, findings []relsop.Finding, st Style) {
	for _, f := range findings {
		loc := f.File
		if f.Pos.IsValid() {
			loc += ":" + f.Pos.String()
		}
		fmt.Fprintf(w, "%s: %s: %s %s\n", st.paint("1", loc), st.severity(f.Severity), f.Message, st.paint("2", "["+f.Code+"]"))
		if f.Excerpt != "" {
			fmt.Fprintln(w, f.Excerpt)
		}
		if f.Hint != "" {
			fmt.Fprintf(w, "  %s %s\n", st.paint("36", "hint:"), f.Hint)
		}
	}
}

// Summary writes one closing line counting findings by severity.
func Summary(w io.Writer, files int, findings []relsop.Finding) {
	n := map[relsop.Severity]int{}
	for _, f := range findings {
		n[f.Severity]++
	}
	fmt.Fprintf(w, "%s checked: %s, %s, %s\n", plural(files, "file"), plural(n[relsop.SeverityError], "error"),
		plural(n[relsop.SeverityWarning], "warning"), plural(n[relsop.SeverityInfo], "info finding"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
