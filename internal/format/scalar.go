package format

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/relsop/relsop/internal/syntax"
)

// place is where a scalar is written; each place allows fewer plain
// strings than the one before it.
type place int

const (
	inValue place = iota // after "key: " or "- "
	inFlow               // an item of a [a, b] list
	inKey                // a mapping key
)

// scalarText returns how a scalar is written on one line. Numbers and
// booleans keep the text the author wrote; strings are plain when YAML
// reads them back as the same string, and double-quoted otherwise.
func scalarText(n *syntax.Node, at place) string {
	if n.Type != syntax.String {
		return n.Value
	}
	if plainOK(n.Value, at) {
		return n.Value
	}
	return quote(n.Value)
}

// plainOK reports whether s can be written without quotes at a place. The
// rule is deliberately stricter than YAML: a string that merely might be
// read as something else is quoted, because a formatter that changes a
// value is worse than one that quotes too often.
func plainOK(s string, at place) bool {
	if s == "" || looksTyped(s) {
		return false
	}
	if strings.ContainsRune(" -?:,[]{}#&*!|>'\"%@`<", rune(s[0])) {
		return false
	}
	if last := s[len(s)-1]; last == ':' || last == ' ' {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	for _, r := range s {
		// Tabs are included: the YAML parser drops tabs inside plain text.
		if r != ' ' && !unicode.IsPrint(r) {
			return false
		}
	}
	switch at {
	case inFlow:
		return !strings.ContainsAny(s, ",[]{}#:")
	case inKey:
		// The parser takes some keys containing << for merge keys, and
		// "..." at the start of a line ends the document.
		return !strings.ContainsAny(s, "#:") && !strings.Contains(s, "<<") && !strings.HasPrefix(s, "...")
	}
	return true
}

// nonStrings are the plain words YAML 1.1 or 1.2 reads as null, a boolean
// or a special float, compared in lower case. The YAML 1.1 words yes, no,
// on and off are strings to our parser, but quoted for other tools.
var nonStrings = map[string]bool{
	"~": true, "null": true, "true": true, "false": true,
	"yes": true, "no": true, "on": true, "off": true,
	".inf": true, "-.inf": true, "+.inf": true, ".nan": true,
}

// looksTyped reports whether plain s might be read as anything but a
// string: a null or boolean word, or a number in any notation YAML knows
// (decimal, 1_000, 0x1F, 0o17, 0b101, 1e3, .5, inf).
func looksTyped(s string) bool {
	if nonStrings[strings.ToLower(s)] {
		return true
	}
	t := strings.ReplaceAll(strings.TrimLeft(s, "+-"), "_", "")
	if len(t) > 1 && t[0] == '0' && strings.ContainsRune("xXoObB", rune(t[1])) {
		return true
	}
	_, err := strconv.ParseFloat(t, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// quote writes s as a double-quoted YAML string on one line, escaping
// what is not printable.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r == ' ' || unicode.IsPrint(r):
				b.WriteRune(r)
			case r <= 0xFFFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			default:
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// literalOK reports whether a multi-line string can be written as a |
// block and read back unchanged. Blocks cannot carry trailing spaces
// (they would be invisible, and we strip them) nor start with an indented
// line (that needs an indentation indicator); several trailing newlines
// would need |+, which the blank lines fmt adds between steps would
// change. Such strings are double-quoted instead.
func literalOK(s string) bool {
	body, ok := strings.CutSuffix(s, "\n")
	if !ok {
		body = s
	}
	if !strings.Contains(body, "\n") && !ok {
		return false
	}
	if strings.HasSuffix(body, "\n") || strings.TrimSpace(body) == "" {
		return false
	}
	firstText := true
	for _, line := range strings.Split(body, "\n") {
		if line == "" {
			continue
		}
		if firstText && (line[0] == ' ' || line[0] == '\t') {
			return false
		}
		firstText = false
		if last := line[len(line)-1]; last == ' ' || last == '\t' {
			return false
		}
		for _, r := range line {
			if r != ' ' && r != '\t' && !unicode.IsPrint(r) {
				return false
			}
		}
	}
	return true
}

// literalLines splits a string for literalOK into the block header (| or
// |-) and its lines.
func literalLines(s string) (header string, lines []string) {
	header = "|-"
	if body, ok := strings.CutSuffix(s, "\n"); ok {
		header, s = "|", body
	}
	return header, strings.Split(s, "\n")
}

// maxWidth is the column long text is wrapped at.
const maxWidth = 100

// folded wraps a long one-line text into the lines of a >- block, at most
// width columns each where words allow. Folding joins the lines with single
// spaces, so only text whose words are separated by single spaces, with no
// leading or trailing space and nothing unprintable, reads back unchanged.
func folded(s string, width int) ([]string, bool) {
	if s == "" || strings.ContainsAny(s, "\n\t\r") || strings.Contains(s, "  ") || s[0] == ' ' || s[len(s)-1] == ' ' {
		return nil, false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) && r != ' ' {
			return nil, false
		}
	}
	width = max(width, 40)
	var lines []string
	line := ""
	for _, w := range strings.Split(s, " ") {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	lines = append(lines, line)
	return lines, len(lines) > 1
}
