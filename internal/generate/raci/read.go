package raci

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// cell is one CSV field with the position where it starts: Line is 1-based,
// Col is the 1-based character (not byte) column in that line.
type cell struct {
	text      string
	line, col int
}

// empty reports whether the cell holds nothing but white space.
func (c cell) empty() bool { return strings.TrimSpace(c.text) == "" }

// delimiters are the ones sniffed, in order of preference on a tie.
var delimiters = []rune{',', ';', '\t'}

// sniff picks the delimiter. An Excel "sep=;" first line wins and is blanked
// (keeping the line numbers); otherwise the delimiter that splits most of the
// first records into the same number (two or more) of fields wins.
func sniff(text string) (string, rune) {
	first, _, _ := strings.Cut(text, "\n")
	if s := strings.TrimSpace(first); len(s) > 4 && strings.EqualFold(s[:4], "sep=") {
		if d, n := utf8.DecodeRuneInString(s[4:]); n == len(s)-4 && validDelimiter(d) {
			return text[len(first):], d
		}
	}
	best, bestScore, bestWidth := ',', 0, 0
	for _, d := range delimiters {
		score, width := consistency(text, d)
		if score > bestScore || (score == bestScore && width > bestWidth) {
			best, bestScore, bestWidth = d, score, width
		}
	}
	return text, best
}

func validDelimiter(d rune) bool {
	return d != '"' && d != '\n' && d != '\r' && d != utf8.RuneError && d != 0xFEFF && d != ' '
}

// consistency splits the first records with d and returns how many of them
// have the most common field count, and that count (0 when below two).
func consistency(text string, d rune) (score, width int) {
	r := newReader(text, d)
	counts := map[int]int{}
	for range 100 {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if len(rec) >= 2 {
			counts[len(rec)]++
		}
	}
	for w, n := range counts {
		if n > score || (n == score && w > width) {
			score, width = n, w
		}
	}
	return score, width
}

func newReader(text string, d rune) *csv.Reader {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = d
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	// Leading spaces are skipped so that `R, "A, lead"` keeps its quotes, but
	// not for tabs: csv would swallow the empty fields between them.
	r.TrimLeadingSpace = d != '\t'
	return r
}

// lineIndex turns csv's byte columns into character columns. It holds the
// byte offset where each line starts, and remembers the last conversion so
// that the cells of a row, read left to right, cost one pass over the line.
type lineIndex struct {
	text   string
	starts []int
	last   struct{ line, byteCol, col int }
}

func newLineIndex(text string) *lineIndex {
	ix := &lineIndex{text: text, starts: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			ix.starts = append(ix.starts, i+1)
		}
	}
	return ix
}

// runeCol turns a 1-based byte column of line into a 1-based character
// column.
func (ix *lineIndex) runeCol(line, byteCol int) int {
	if line < 1 || line > len(ix.starts) || byteCol < 1 {
		return max(byteCol, 1)
	}
	start := ix.starts[line-1]
	end := min(start+byteCol-1, len(ix.text))
	from, col := start, 1
	if l := ix.last; l.line == line && l.byteCol <= byteCol && start+l.byteCol-1 <= end {
		from, col = start+l.byteCol-1, l.col
	}
	col += utf8.RuneCountInString(ix.text[from:end])
	ix.last.line, ix.last.byteCol, ix.last.col = line, byteCol, col
	return col
}

// readRows reads all records of text with delimiter d, with positions. It
// reports a stray or unterminated quote once (found by a strict pass) and
// reads leniently, the way spreadsheets do.
func (p *parser) readRows(text string, d rune) [][]cell {
	ix := newLineIndex(text)
	r := newReader(text, d)
	var rows [][]cell
	for {
		rec, err := r.Read()
		if err != nil {
			break // with LazyQuotes only io.EOF ends the input
		}
		line, col := r.FieldPos(0)
		if len(rows) == maxRows {
			p.add(line, ix.runeCol(line, col), relsop.SeverityError, CodeTooLarge,
				fmt.Sprintf("more than %d rows; the rest of the file is ignored", maxRows),
				"split the matrix into several files")
			break
		}
		if len(rec) > maxColumns {
			l, c := r.FieldPos(maxColumns)
			p.add(l, ix.runeCol(l, c), relsop.SeverityError, CodeTooLarge,
				fmt.Sprintf("row has %d columns, more than %d; the rest of the row is ignored", len(rec), maxColumns),
				"delete the unused columns in the spreadsheet before exporting")
			rec = rec[:maxColumns]
		}
		row := make([]cell, len(rec))
		for i, s := range rec {
			l, c := r.FieldPos(i)
			row[i] = cell{text: s, line: l, col: ix.runeCol(l, c)}
		}
		rows = append(rows, row)
	}
	p.checkQuotes(text, d, ix, rows)
	return rows
}

// checkQuotes reads text strictly to find the first quoting mistake. A
// quoted cell that is never closed swallows the rest of the file; it is
// reported where it starts, which is the last cell read leniently.
func (p *parser) checkQuotes(text string, d rune, ix *lineIndex, rows [][]cell) {
	r := newReader(text, d)
	r.LazyQuotes = false
	for range maxRows {
		_, err := r.Read()
		if err == nil {
			continue
		}
		var pe *csv.ParseError
		if !errors.As(err, &pe) || errors.Is(err, io.EOF) {
			return
		}
		hint := `write a quote inside a cell as "" and put quotes around the whole cell; the cell is read as written`
		if errors.Is(pe.Err, csv.ErrQuote) && len(rows) > 0 {
			last := rows[len(rows)-1]
			if c := last[len(last)-1]; last[0].line == pe.StartLine && c.line <= pe.StartLine && pe.Line > c.line {
				p.addAt(c, relsop.SeverityWarning, CodeQuote,
					"quoted cell is not closed; the rest of the file is read as part of it", hint)
				return
			}
		}
		msg := "stray quote in an unquoted cell"
		if errors.Is(pe.Err, csv.ErrQuote) {
			msg = "closing quote is not followed by the delimiter"
		}
		p.add(pe.Line, ix.runeCol(pe.Line, pe.Column), relsop.SeverityWarning, CodeQuote, msg, hint)
		return
	}
}
