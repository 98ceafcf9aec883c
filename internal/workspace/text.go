package workspace

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// StatusPrefix starts the message of a revision that records a status
// change, so that history can tell them from content changes.
const StatusPrefix = "Status: "

func joinMessage(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// joinSummary makes one revision message of an edit's summary lines.
func joinSummary(lines []string) string {
	msg := strings.Join(lines, "; ")
	if utf8.RuneCountInString(msg) > 300 {
		msg = string([]rune(msg)[:299]) + "…"
	}
	return msg
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
