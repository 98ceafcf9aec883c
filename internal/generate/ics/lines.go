package ics

import (
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// logicalLine is one content line after unfolding, with what is needed to
// map an offset in it back to the physical line and column.
type logicalLine struct {
	text string
	segs []segment // one per physical line, in order
}

// segment is the part of a logical line that came from one physical line.
type segment struct {
	off  int // where the segment starts in text
	line int // its physical line, 1-based
	col  int // the column of its first character: 1, or 2 after a fold's space
}

// pos maps a byte offset in l.text to the physical line and column
// (columns count characters, from 1).
func (l *logicalLine) pos(off int) relsop.Pos {
	s := l.segs[0]
	for _, t := range l.segs[1:] {
		if t.off > off {
			break
		}
		s = t
	}
	off = min(max(off, s.off), len(l.text))
	return relsop.Pos{Line: s.line, Col: s.col + utf8.RuneCountInString(l.text[s.off:off])}
}

// unfold splits src into logical lines: CRLF or LF ends a line, and a line
// starting with a space or tab continues the previous one. Empty lines are
// dropped.
func unfold(src string) []logicalLine {
	var out []logicalLine
	var b strings.Builder
	var cur *logicalLine
	flush := func() {
		if cur != nil {
			cur.text = b.String()
			if strings.TrimSpace(cur.text) != "" {
				out = append(out, *cur)
			}
			cur = nil
			b.Reset()
		}
	}
	for n := 1; src != ""; n++ {
		phys, rest, _ := strings.Cut(src, "\n")
		src = rest
		phys = strings.TrimSuffix(phys, "\r")
		if cur != nil && phys != "" && (phys[0] == ' ' || phys[0] == '\t') {
			cur.segs = append(cur.segs, segment{off: b.Len(), line: n, col: 2})
			b.WriteString(phys[1:])
			continue
		}
		flush()
		cur = &logicalLine{segs: []segment{{line: n, col: 1}}}
		b.WriteString(phys)
	}
	flush()
	return out
}

// contentLine is a parsed "NAME;PARAM=VALUE:value" line.
type contentLine struct {
	name     string // upper case
	params   []param
	value    string
	valueOff int // offset of value in the logical line
	src      *logicalLine
}

type param struct {
	name   string // upper case
	values []string
	offs   []int // offset of each value (after an opening quote)
}

// param returns the first value of parameter name, its offset and whether it
// is present.
func (c *contentLine) param(name string) (string, int, bool) {
	for _, p := range c.params {
		if p.name == name && len(p.values) > 0 {
			return p.values[0], p.offs[0], true
		}
	}
	return "", 0, false
}

// parseContentLine splits a logical line into name, parameters and value.
// On failure it returns a finding.
func parseContentLine(file string, l *logicalLine) (*contentLine, *relsop.Finding) {
	s := l.text
	bad := func(off int, code, msg, hint string) *relsop.Finding {
		return &relsop.Finding{File: file, Pos: l.pos(off), Severity: relsop.SeverityError, Code: code, Message: msg, Hint: hint}
	}
	i := strings.IndexAny(s, ";:")
	if i < 0 {
		return nil, bad(0, CodeNoColon, "line has no colon; want NAME:value",
			"a long value continues on the next line only if that line starts with a space or a tab")
	}
	c := &contentLine{name: strings.ToUpper(s[:i]), src: l}
	if !validName(c.name) {
		return nil, bad(0, CodeBadLine, "bad property name "+quote(s[:i]),
			"property names are letters, digits and dashes, such as DTSTART or X-WR-CALNAME")
	}
	for s[i] == ';' {
		i++
		eq := strings.IndexAny(s[i:], "=;:")
		if eq < 0 || s[i+eq] != '=' {
			if eq < 0 {
				return nil, bad(i, CodeNoColon, "line has no colon after its parameters; want NAME;PARAM=value:value", "")
			}
			return nil, bad(i, CodeBadLine, "parameter "+quote(s[i:i+eq])+" has no '='", "write parameters as NAME=value, such as TZID=Europe/Berlin")
		}
		p := param{name: strings.ToUpper(s[i : i+eq])}
		i += eq + 1
		for {
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, bad(i, CodeBadLine, "quoted parameter value is never closed", "add the closing '\"'")
				}
				p.values = append(p.values, s[i+1:i+1+end])
				p.offs = append(p.offs, i+1)
				i += end + 2
			} else {
				end := strings.IndexAny(s[i:], ",;:")
				if end < 0 {
					end = len(s) - i
				}
				p.values = append(p.values, s[i:i+end])
				p.offs = append(p.offs, i)
				i += end
			}
			if i >= len(s) {
				return nil, bad(len(s), CodeNoColon, "line has no colon after its parameters; want NAME;PARAM=value:value", "")
			}
			if s[i] != ',' {
				break
			}
			i++
		}
		c.params = append(c.params, p)
		if s[i] != ';' && s[i] != ':' {
			return nil, bad(i, CodeBadLine, "unexpected "+quote(s[i:i+1])+" after a quoted parameter value", "")
		}
	}
	c.value, c.valueOff = s[i+1:], i+1
	return c, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// quote quotes s for a message, cut short if long.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "..."
	}
	return `"` + s + `"`
}
