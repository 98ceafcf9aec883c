// Package checklist reads a Markdown checklist ("- [ ] task", "- [x] done")
// into items grouped by the heading above them.
//
// It reads the part of Markdown that checklists use: list items with "-",
// "*", "+", "1." or "1)" markers, task boxes, ATX ("## Title") and setext
// (underlined) headings, fenced code blocks and HTML comments (both
// ignored), and continuation lines. Other prose is ignored. Columns are
// 1-based and count characters, a tab as one; indentation for nesting counts
// a tab to the next multiple of four.
package checklist

import (
	"fmt"
	"github.com/relsop/relsop/internal/textdecode"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// Limits on the input; beyond them Parse reports CodeTooLarge.
const (
	maxBytes = 4 << 20
	maxLines = 100_000
)

// Finding codes. CodeNoItems and CodeTooLarge for the file size concern the
// whole file and have Pos.Line 0; all others point at a line and column.
const (
	CodeTooLarge        = "checklist-too-large"
	CodeNoItems         = "checklist-no-items"
	CodeMalformedBox    = "checklist-malformed-box"
	CodeEmptyItem       = "checklist-empty-item"
	CodeUnclosedFence   = "checklist-unclosed-fence"
	CodeUnclosedComment = "checklist-unclosed-comment"
)

// Checklist is the items of a Markdown checklist, by section.
type Checklist struct {
	Title    string    // the first heading, if any
	Sections []Section // in file order; headings without items are left out
}

// Section is the items under one heading. Items before any heading form a
// section with an empty Heading and Level 0, whose Line is its first item's.
type Section struct {
	Heading string
	Level   int // 1 for "#" or "===", 2 for "##" or "---" ...; 0 for none
	Line    int
	Items   []Item
}

// Item is one list item.
type Item struct {
	Text    string // plain text: emphasis, code marks and link targets removed; continuation lines joined
	Checked bool
	Box     bool // written with a task box "[ ]" or "[x]"; false for a plain bullet
	Depth   int  // nesting by indentation, 0 at the top
	Line    int
	Col     int // where the item text starts
}

// Parse reads a checklist from data; file names it in findings. It never
// returns a nil Checklist, and keeps every item it could read.
func Parse(file string, data []byte) (*Checklist, []relsop.Finding) {
	p := &parser{file: file, cl: &Checklist{}, inline: inliner{budget: totalBudget}}
	if len(data) > maxBytes {
		p.add(0, 0, relsop.SeverityError, CodeTooLarge,
			fmt.Sprintf("file is %d bytes, more than the %d accepted", len(data), maxBytes),
			"split the checklist into several files")
		return p.cl, p.findings
	}
	lines := strings.Split(textdecode.Decode(data), "\n")
	if len(lines) > maxLines {
		p.add(maxLines+1, 1, relsop.SeverityError, CodeTooLarge,
			fmt.Sprintf("more than %d lines; the rest of the file is ignored", maxLines),
			"split the checklist into several files")
		lines = lines[:maxLines]
	}
	for i, line := range lines {
		p.line(i+1, line)
	}
	p.finish()
	return p.cl, p.findings
}

type parser struct {
	file     string
	findings []relsop.Finding
	cl       *Checklist
	inline   inliner
	sections []Section // all, also those without items
	titled   bool

	fence     string     // the opening fence while inside a code block
	fenceAt   relsop.Pos // where it is
	comment   int        // line where an unclosed HTML comment started, or 0
	commentAt relsop.Pos // where it starts

	item  *openItem // the item continuation lines are added to
	blank bool      // a blank line since the item's last line
	nest  []int     // indent widths of the enclosing items' markers
	para  []string  // prose lines that a setext underline would make a heading
	paraL int
}

type openItem struct {
	Item
	parts   []string
	content int // indent width of the item's text; deeper lines after a blank belong to it
	marker  relsop.Pos
}

func (p *parser) add(line, col int, sev relsop.Severity, code, msg, hint string) {
	p.findings = append(p.findings, relsop.Finding{
		File: p.file, Pos: relsop.Pos{Line: line, Col: col},
		Severity: sev, Code: code, Message: msg, Hint: hint,
	})
}

var (
	atxRe      = lazyRegexp(`^(#{1,6})(?:[ \t]+(.*))?$`)
	closingRe  = lazyRegexp(`(?:^|[ \t]+)#+[ \t]*$`)
	setext1Re  = lazyRegexp(`^=+[ \t]*$`)
	setext2Re  = lazyRegexp(`^-+[ \t]*$`)
	breakRe    = lazyRegexp(`^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	markerRe   = lazyRegexp(`^([-*+]|[0-9]{1,9}[.)])(?:[ \t]+|$)`)
	fenceOpen  = lazyRegexp("^(`{3,}|~{3,})")
	fenceClose = lazyRegexp("^(`{3,}|~{3,})[ \t]*$")
)

// lazyRegexp returns expr compiled on the first call: every relsop
// command links this package, and most never use its patterns.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// line reads one line; n is its 1-based number.
func (p *parser) line(n int, line string) {
	if p.fence != "" {
		if m := fenceClose().FindString(strings.TrimLeft(line, " \t")); m != "" {
			if f := strings.TrimRight(m, " \t"); f[0] == p.fence[0] && len(f) >= len(p.fence) {
				p.fence = ""
			}
		}
		return
	}
	line, hadComment := p.stripComments(n, line)
	width, off := indent(line)
	rest := line[off:]
	if rest == "" {
		if !hadComment {
			p.blank = true
			p.para = nil
		}
		return
	}
	if m := fenceOpen().FindString(rest); m != "" && !(m[0] == '`' && strings.Contains(rest[len(m):], "`")) {
		p.fence, p.fenceAt = m, relsop.Pos{Line: n, Col: col(line, off)}
		p.blank, p.para = true, nil
		return
	}
	top := width <= 3
	switch {
	case top && atxRe().MatchString(rest):
		m := atxRe().FindStringSubmatch(rest)
		p.heading(n, len(m[1]), closingRe().ReplaceAllString(m[2], ""))
		return
	case top && len(p.para) > 0 && setext1Re().MatchString(rest):
		p.heading(p.paraL, 1, strings.Join(p.para, " "))
		return
	case top && len(p.para) > 0 && setext2Re().MatchString(rest):
		p.heading(p.paraL, 2, strings.Join(p.para, " "))
		return
	case top && breakRe().MatchString(rest):
		p.closeItem()
		p.nest, p.para = nil, nil
		return
	}
	if m := markerRe().FindString(rest); m != "" {
		p.listItem(n, line, width, off, m)
		return
	}
	if p.item != nil && (!p.blank || width >= p.item.content) {
		p.item.parts = append(p.item.parts, rest)
		p.blank = false
		return
	}
	p.closeItem()
	p.nest = nil
	if len(p.para) == 0 {
		p.paraL = n
	}
	p.para = append(p.para, rest)
}

// stripComments blanks out HTML comments, keeping the columns of the rest.
// It reports whether the line had any.
func (p *parser) stripComments(n int, line string) (string, bool) {
	had := false
	for from := 0; ; {
		if p.comment == 0 {
			i := strings.Index(line[from:], "<!--")
			if i < 0 {
				return line, had
			}
			from += i
			p.comment = n
		}
		had = true
		end := len(line)
		j := strings.Index(line[from:], "-->")
		if j >= 0 {
			end = from + j + 3
			p.comment = 0
		}
		if p.comment != 0 && p.commentAt.Line == 0 {
			p.commentAt = relsop.Pos{Line: n, Col: col(line, from)}
		}
		k := utf8.RuneCountInString(line[from:end])
		line = line[:from] + strings.Repeat(" ", k) + line[end:]
		if j < 0 {
			return line, had
		}
		p.commentAt = relsop.Pos{}
		from += k // past the spaces just written
	}
}

// indent returns the width of the leading white space of line, a tab
// counting to the next multiple of four, and its length in bytes.
func indent(line string) (width, off int) {
	for off < len(line) {
		switch line[off] {
		case ' ':
			width++
		case '\t':
			width += 4 - width%4
		default:
			return width, off
		}
		off++
	}
	return width, off
}

func (p *parser) heading(line, level int, text string) {
	p.closeItem()
	p.nest, p.para = nil, nil
	text = p.inline.plain(text)
	if !p.titled {
		p.cl.Title, p.titled = text, true
	}
	p.sections = append(p.sections, Section{Heading: text, Level: level, Line: line})
}

// listItem starts the item whose marker m begins at byte off of line.
func (p *parser) listItem(n int, line string, width, off int, m string) {
	p.closeItem()
	p.para = nil
	for len(p.nest) > 0 && width <= p.nest[len(p.nest)-1] {
		p.nest = p.nest[:len(p.nest)-1]
	}
	it := &openItem{Item: Item{Depth: len(p.nest), Line: n}, marker: relsop.Pos{Line: n, Col: col(line, off)}}
	p.nest = append(p.nest, width)

	marker := strings.TrimRight(m, " \t")
	gap := len(m) - len(marker)
	it.content = width + len(marker) + max(1, min(gap, 4))
	at := off + len(m)
	text := line[at:]
	if inner, after, ok := box(text); ok {
		switch inner {
		case " ", "x", "X":
			it.Box, it.Checked = true, inner != " "
			trimmed := strings.TrimLeft(after, " \t")
			at += len(text) - len(trimmed)
			text = trimmed
		default:
			p.add(n, col(line, at), relsop.SeverityWarning, CodeMalformedBox,
				fmt.Sprintf("task box %q is neither [ ] nor [x]; the item is read as a plain bullet", "["+inner+"]"),
				`write "[ ]" for an open item or "[x]" for a done one`)
		}
	}
	it.Col = col(line, at)
	it.parts = []string{text}
	p.item, p.blank = it, false
}

// box splits a task box off the start of text: "[" up to one character
// (or a few spaces) "]" followed by white space or the end of the line.
func box(text string) (inner, after string, ok bool) {
	if !strings.HasPrefix(text, "[") {
		return "", "", false
	}
	j := strings.IndexByte(text, ']')
	if j < 0 {
		return "", "", false
	}
	inner, after = text[1:j], text[j+1:]
	if after != "" && after[0] != ' ' && after[0] != '\t' {
		return "", "", false
	}
	if utf8.RuneCountInString(inner) > 1 && (len(inner) > 3 || strings.TrimSpace(inner) != "") {
		return "", "", false
	}
	return inner, after, true
}

// col is the 1-based character column of byte off in line.
func col(line string, off int) int { return utf8.RuneCountInString(line[:off]) + 1 }

// closeItem finishes the open item and files it under the current section.
func (p *parser) closeItem() {
	it := p.item
	if it == nil {
		return
	}
	p.item = nil
	it.Text = p.inline.plain(strings.Join(it.parts, " "))
	if it.Text == "" {
		p.add(it.marker.Line, it.marker.Col, relsop.SeverityWarning, CodeEmptyItem,
			"empty checklist item is ignored", "write what is to be done after the marker, or delete the line")
		return
	}
	if len(p.sections) == 0 {
		p.sections = append(p.sections, Section{Line: it.Line})
	}
	s := &p.sections[len(p.sections)-1]
	s.Items = append(s.Items, it.Item)
}

func (p *parser) finish() {
	p.closeItem()
	if p.fence != "" {
		p.add(p.fenceAt.Line, p.fenceAt.Col, relsop.SeverityWarning, CodeUnclosedFence,
			"code block is not closed; the rest of the file is ignored",
			fmt.Sprintf("close the code block with a line %q", p.fence))
	}
	if p.comment != 0 {
		p.add(p.commentAt.Line, p.commentAt.Col, relsop.SeverityWarning, CodeUnclosedComment,
			"HTML comment is not closed; the rest of the file is ignored", `close the comment with "-->"`)
	}
	for _, s := range p.sections {
		if len(s.Items) > 0 {
			p.cl.Sections = append(p.cl.Sections, s)
		}
	}
	if len(p.cl.Sections) == 0 {
		p.add(0, 0, relsop.SeverityError, CodeNoItems, "no checklist items found",
			"write one item per line: \"- [ ] open task\" or \"- [x] done task\", under \"## Section\" headings")
	}
}
