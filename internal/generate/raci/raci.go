// Package raci reads a RACI matrix exported from a spreadsheet as CSV or as
// Excel "Unicode text": activities down the first column, one column per role,
// and R, A, C or I in the cells.
//
// The transposed layout, with roles down the first column and activities
// across, is recognised only when the top-left header cell says so: its first
// word is "Role", "Roles", "Team", "Who", "Person", "People" or "Stakeholder"
// (as in "Role \ Activity"). Any other matrix must have roles as columns.
package raci

import (
	"fmt"
	"github.com/relsop/relsop/internal/textdecode"
	"sort"
	"strings"

	"github.com/relsop/relsop"
)

// Limits on the input; beyond them Parse reports CodeTooLarge.
const (
	maxBytes   = 4 << 20
	maxRows    = 10_000
	maxColumns = 256
)

// Finding codes. Findings with CodeEmpty, CodeNoHeader and CodeTooLarge for
// the whole input concern the whole file and have Pos.Line 0; all others
// point at a line and column (1-based, counted in characters) of the decoded
// text.
const (
	CodeEmpty               = "raci-empty"
	CodeTooLarge            = "raci-too-large"
	CodeNoHeader            = "raci-no-header"
	CodeNoRoles             = "raci-no-roles"
	CodeNoActivities        = "raci-no-activities"
	CodeQuote               = "raci-quote"
	CodeExtraCell           = "raci-extra-cell"
	CodeUnnamedRole         = "raci-unnamed-role"
	CodeDuplicateRole       = "raci-duplicate-role"
	CodeUnnamedActivity     = "raci-unnamed-activity"
	CodeUnknownLetter       = "raci-unknown-letter"
	CodeNoAccountable       = "raci-no-accountable"
	CodeMultipleAccountable = "raci-multiple-accountable"
)

// Matrix is a RACI matrix: who is Responsible, Accountable, Consulted and
// Informed for each activity.
type Matrix struct {
	Roles      []string   // role names from the header, trimmed, white space runs as one space
	Activities []Activity // in file order
}

// Activity is one row of the matrix. Its role lists hold names from
// Matrix.Roles, in the order of Roles.
type Activity struct {
	Name string
	Line int // where the name cell starts; the header line in the transposed layout

	Responsible, Accountable, Consulted, Informed []string
}

// Parse reads a RACI matrix from data; file names it in findings. It
// collects every problem as a finding, ordered by position, and keeps what
// it could read: the matrix is nil only when no header row was found.
//
// The header is the first row with at least two non-empty cells after the
// first column; rows above it (titles, blank rows) are skipped. Columns
// headed "Notes", "Comments", "Description", "Phase", "ID" and the like are
// not roles and are skipped. Rows below the matrix that only explain the
// letters ("R = Responsible", "Legend") are skipped too.
func Parse(file string, data []byte) (*Matrix, []relsop.Finding) {
	p := &parser{file: file}
	m := p.parse(data)
	sort.SliceStable(p.findings, func(i, j int) bool {
		a, b := p.findings[i].Pos, p.findings[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return m, p.findings
}

type parser struct {
	file     string
	findings []relsop.Finding
}

func (p *parser) add(line, col int, sev relsop.Severity, code, msg, hint string) {
	p.findings = append(p.findings, relsop.Finding{
		File: p.file, Pos: relsop.Pos{Line: line, Col: col},
		Severity: sev, Code: code, Message: msg, Hint: hint,
	})
}

func (p *parser) addAt(c cell, sev relsop.Severity, code, msg, hint string) {
	p.add(c.line, c.col, sev, code, msg, hint)
}

func (p *parser) parse(data []byte) *Matrix {
	if len(data) > maxBytes {
		p.add(0, 0, relsop.SeverityError, CodeTooLarge,
			fmt.Sprintf("file is %d bytes, more than the %d accepted", len(data), maxBytes),
			"export only the sheet with the RACI matrix")
		return nil
	}
	text := textdecode.Decode(data)
	if strings.TrimSpace(strings.ReplaceAll(text, "\x00", "")) == "" {
		p.add(0, 0, relsop.SeverityError, CodeEmpty, "file is empty",
			"export the RACI sheet as CSV: activities down the first column, one column per role")
		return nil
	}
	text, delim := sniff(text)
	rows := p.readRows(text, delim)

	h := headerRow(rows)
	if h < 0 {
		p.add(0, 0, relsop.SeverityError, CodeNoHeader, "no header row with role names found",
			"the header row needs the activity column and at least two role columns, separated by commas, semicolons or tabs")
		return nil
	}
	header := rows[h]
	width := len(header)
	for width > 0 && header[width-1].empty() {
		width--
	}
	grid := [][]cell{header[:width]}
	for _, row := range rows[h+1:] {
		grid = append(grid, p.fit(row, width))
	}
	if transposed(header[0].text) {
		grid = transpose(grid, width)
	}
	return p.build(grid)
}

// headerRow returns the index of the first row with two or more non-empty
// cells after the first column, or -1.
func headerRow(rows [][]cell) int {
	for i, row := range rows {
		n := 0
		for _, c := range row[min(1, len(row)):] {
			if !c.empty() {
				n++
			}
		}
		if n >= 2 {
			return i
		}
	}
	return -1
}

// fit pads row to width cells, or cuts it there, warning about the first
// non-empty cell cut off.
func (p *parser) fit(row []cell, width int) []cell {
	for _, c := range row[min(width, len(row)):] {
		if !c.empty() {
			p.addAt(c, relsop.SeverityWarning, CodeExtraCell,
				fmt.Sprintf("cell %q is right of the last header column and is ignored", clip(c.text)),
				"add a role name to the header of this column, or delete the cell")
			break
		}
	}
	if len(row) >= width {
		return row[:width]
	}
	line := 0
	if len(row) > 0 {
		line = row[0].line
	}
	out := make([]cell, width)
	copy(out, row)
	for i := len(row); i < width; i++ {
		out[i] = cell{line: line, col: 1}
	}
	return out
}

var roleWords = map[string]bool{
	"role": true, "roles": true, "team": true, "teams": true, "who": true,
	"person": true, "people": true, "stakeholder": true, "stakeholders": true,
}

// transposed reports whether the top-left header cell says that roles run
// down the first column.
func transposed(corner string) bool {
	words := strings.FieldsFunc(strings.ToLower(corner), func(r rune) bool {
		return !('a' <= r && r <= 'z')
	})
	return len(words) > 0 && roleWords[words[0]]
}

// transpose swaps rows and columns of a grid whose rows all have width cells.
func transpose(grid [][]cell, width int) [][]cell {
	out := make([][]cell, width)
	for c := range out {
		out[c] = make([]cell, len(grid))
		for r, row := range grid {
			out[c][r] = row[c]
		}
	}
	return out
}

// nonRoleColumns are headers of columns that carry no assignments.
var nonRoleColumns = map[string]bool{
	"notes": true, "note": true, "comments": true, "comment": true, "remarks": true,
	"description": true, "details": true, "phase": true, "stage": true,
	"id": true, "#": true, "no.": true, "no": true, "ref": true,
}

// build reads the roles from grid[0] and one activity from each further row.
func (p *parser) build(grid [][]cell) *Matrix {
	header := grid[0]
	m := &Matrix{}
	var cols []int // grid column of each role
	seen := map[string]bool{}
	for c := 1; c < len(header); c++ {
		name := clean(header[c].text)
		switch {
		case name == "":
			for _, row := range grid[1:] {
				if !row[c].empty() {
					p.addAt(row[c], relsop.SeverityWarning, CodeUnnamedRole,
						"cell in a role column without a role name is ignored",
						"write the role's name in the header")
					break
				}
			}
			continue
		case nonRoleColumns[strings.ToLower(name)]:
			continue
		case seen[strings.ToLower(name)]:
			p.addAt(header[c], relsop.SeverityWarning, CodeDuplicateRole,
				fmt.Sprintf("role %q appears twice; the second one is ignored", name),
				"give each role one column, or tell them apart by name")
			continue
		}
		seen[strings.ToLower(name)] = true
		m.Roles = append(m.Roles, name)
		cols = append(cols, c)
	}
	if len(m.Roles) == 0 {
		p.addAt(header[0], relsop.SeverityError, CodeNoRoles, "no role columns found",
			"name one role per column in the header row, next to the activity column")
		return m
	}

	for _, row := range grid[1:] {
		if a, ok := p.activity(row, cols, m.Roles); ok {
			m.Activities = append(m.Activities, a)
		}
	}
	if len(m.Activities) == 0 {
		p.addAt(header[0], relsop.SeverityError, CodeNoActivities, "no activities found below the header",
			"list one activity per row under the header, with R, A, C or I in the role columns")
	}
	return m
}

// activity reads one row. ok is false for rows to skip: blank rows, legends
// and rows without a name.
func (p *parser) activity(row []cell, cols []int, roles []string) (a Activity, ok bool) {
	name := clean(row[0].text)
	var first *cell
	for _, c := range cols {
		if !row[c].empty() {
			first = &row[c]
			break
		}
	}
	if first == nil && (name == "" || isLegend(name)) {
		return a, false
	}
	if name == "" {
		p.addAt(*first, relsop.SeverityWarning, CodeUnnamedActivity,
			"row with assignments but no activity name is ignored",
			"write the activity in the first column")
		return a, false
	}
	a = Activity{Name: name, Line: row[0].line}
	for i, c := range cols {
		set, ok := parseCell(row[c].text)
		if !ok {
			p.addAt(row[c], relsop.SeverityWarning, CodeUnknownLetter,
				fmt.Sprintf("cell %q for role %q in activity %q is not a RACI assignment and is ignored", clip(row[c].text), roles[i], name),
				`use R, A, C or I, or a combination such as "R/A"; leave the cell empty or write "-" for none`)
			continue
		}
		if set&responsible != 0 {
			a.Responsible = append(a.Responsible, roles[i])
		}
		if set&accountable != 0 {
			a.Accountable = append(a.Accountable, roles[i])
		}
		if set&consulted != 0 {
			a.Consulted = append(a.Consulted, roles[i])
		}
		if set&informed != 0 {
			a.Informed = append(a.Informed, roles[i])
		}
	}
	switch n := len(a.Accountable); {
	case n == 0:
		p.addAt(row[0], relsop.SeverityWarning, CodeNoAccountable,
			fmt.Sprintf("activity %q has no accountable role", name),
			`mark exactly one role "A" for this activity; if the row is a section heading, remove it`)
	case n > 1:
		p.addAt(row[0], relsop.SeverityWarning, CodeMultipleAccountable,
			fmt.Sprintf("activity %q has %d accountable roles (%s)", name, n, strings.Join(a.Accountable, ", ")),
			`exactly one role should be accountable; make the others "R" or "C"`)
	}
	return a, true
}

// clean trims s and turns runs of white space (including the line breaks of
// multi-line cells) into single spaces.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens a cell for a message.
func clip(s string) string {
	s = clean(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// isLegend reports whether an activity name is really an explanation of the
// letters below the matrix, such as "Legend" or "R = Responsible".
func isLegend(name string) bool {
	l := strings.ToLower(name)
	if l == "legend" || l == "key" || strings.HasPrefix(l, "legend:") || strings.HasPrefix(l, "key:") {
		return true
	}
	if len(l) < 2 || !strings.ContainsRune("raci", rune(l[0])) {
		return false
	}
	rest := strings.TrimLeft(l[1:], " \t")
	if rest == "" || !strings.ContainsRune("=:-–", []rune(rest)[0]) {
		return false
	}
	rest = strings.TrimLeft(rest, " \t=:-–")
	for _, w := range []string{"responsible", "accountable", "consulted", "informed"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}
