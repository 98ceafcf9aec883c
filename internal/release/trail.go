package release

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on a trail, so that a mistaken or hostile file is refused before
// it costs much: a release with ten thousand records is far beyond any
// real one, and the first record holds an SOP of at most a few MB.
const (
	MaxTrailSize = 64 << 20 // bytes
	MaxRecords   = 10_000
	MaxText      = 4_000 // characters in a name, note or piece of evidence
	MaxEvidence  = 50    // pieces of evidence on one record
)

// Problem is something wrong with a trail: a line that is not a record, a
// broken chain, or a record the procedure would not allow. Line and Col
// are 1-based; Col is 0 when the whole line is at fault.
type Problem struct {
	Line int    `json:"line"`
	Col  int    `json:"col,omitempty"`
	Msg  string `json:"message"`
}

func (p Problem) Error() string {
	if p.Col > 0 {
		return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg)
	}
	return fmt.Sprintf("%d: %s", p.Line, p.Msg)
}

// trail is the records of a run with the lines they were read from, which
// the chain's hashes are computed over: hashing the bytes as written, not
// a re-encoding, means no two programs can disagree on a canonical form.
type trail struct {
	records []Record
	lines   [][]byte
}

// Checksum is the SHA-256 of data in hex, as sha256sum prints it: what a
// trail keeps of its SOP file, and what chains each line to the one before.
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// head is the hash of the last line: what the next record's Prev must be,
// and what a reader writes down to prove later that nothing before it
// changed.
func (t *trail) head() string {
	if len(t.lines) == 0 {
		return ""
	}
	return Checksum(t.lines[len(t.lines)-1])
}

// append numbers and chains rec, and returns the line to write, with its
// newline.
func (t *trail) append(rec *Record) []byte {
	rec.Seq = len(t.records) + 1
	rec.Prev = t.head()
	line := rec.line()
	t.records = append(t.records, *rec)
	t.lines = append(t.lines, line)
	return append(line[:len(line):len(line)], '\n')
}

// parseTrail reads the records of data, one JSON object a line. It stops
// at the first line that is not a record, since what follows cannot be
// trusted to belong to the same chain; the chain itself is checked by
// check.
func parseTrail(data []byte) (*trail, *Problem) {
	if len(data) > MaxTrailSize {
		return nil, &Problem{Line: 1, Msg: fmt.Sprintf("the trail is larger than %d MB, far more than any release records; is this the right file?", MaxTrailSize>>20)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Problem{Line: 1, Msg: "the trail is empty; start a release with relsop release start"}
	}
	t := &trail{}
	rest := data
	for n := 1; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(line) == 0 {
			return nil, &Problem{Line: n, Msg: "blank line: a trail has one record on every line, with nothing between them"}
		}
		if len(t.records) == MaxRecords {
			return nil, &Problem{Line: n, Msg: fmt.Sprintf("more than %d records, far more than any release makes", MaxRecords)}
		}
		rec, p := decodeRecord(line, n)
		if p != nil {
			return nil, p
		}
		t.records = append(t.records, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// decodeRecord decodes one line, refusing fields a record does not have
// (a typing mistake would otherwise be lost) and anything after the
// object.
func decodeRecord(line []byte, n int) (Record, *Problem) {
	var rec Record
	if !utf8.Valid(line) {
		return rec, &Problem{Line: n, Msg: "not UTF-8 text; a trail is JSON lines written by relsop"}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(&rec)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value on the line")
		return rec, &Problem{Line: n, Col: int(dec.InputOffset()) + 1, Msg: err.Error() + "; a trail has one record on every line"}
	}
	if err != nil {
		return rec, &Problem{Line: n, Col: errorColumn(err, line), Msg: "not a record: " + jsonMessage(err)}
	}
	if rec.Type == "" || rec.At.IsZero() {
		return rec, &Problem{Line: n, Msg: "not a record: a record has at least seq, at, by, type and prev"}
	}
	return rec, nil
}

// errorColumn is where in line a JSON error is, when the error says.
func errorColumn(err error, line []byte) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	at := -1
	switch {
	case errors.As(err, &se):
		at = int(se.Offset) - 1 // the offset is of the byte after the one at fault
	case errors.As(err, &te):
		at = int(te.Offset) - 1
	case errors.Is(err, io.ErrUnexpectedEOF):
		at = len(line) // the line ended inside a value
	}
	if at < 0 {
		return 0
	}
	return utf8.RuneCount(line[:min(at, len(line))]) + 1
}

// jsonMessage is a JSON error without the package's prefix.
func jsonMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// checkChain reports every record whose number or chain link is wrong: a
// record changed, removed, inserted or moved breaks the link of the
// record after it.
func (t *trail) checkChain() []Problem {
	var out []Problem
	for i, rec := range t.records {
		n := i + 1
		if rec.Seq != n {
			out = append(out, Problem{Line: n, Msg: fmt.Sprintf("record number %d where %d belongs: a record was removed, added or moved", rec.Seq, n)})
		}
		want := ""
		if i > 0 {
			want = Checksum(t.lines[i-1])
		}
		if rec.Prev != want {
			what := "line " + fmt.Sprint(n-1) + " was changed, or a record was removed, added or moved before this one"
			if i == 0 {
				what = "the first record chains to nothing"
			}
			out = append(out, Problem{Line: n, Msg: "broken chain: " + what})
		}
	}
	return out
}

// RecordWithHead returns the number of the record of the trail data whose
// line hashes to head, or 0 when none does. A head printed after record n
// and kept elsewhere proves, when the chain is intact, that records 1 to
// n are as they were.
func RecordWithHead(data []byte, head string) int {
	n := 0
	for line := range bytes.Lines(data) {
		n++
		if Checksum(bytes.TrimSuffix(line, []byte("\n"))) == head {
			return n
		}
	}
	return 0
}

// Ext ends the name of every trail file.
const Ext = ".release.jsonl"

// FileName is the trail file of release name: the name made safe for a
// file name and a download header (letters, digits, dots, hyphens and
// underscores), with Ext.
func FileName(name string) string {
	var b strings.Builder
	for _, c := range strings.TrimSpace(name) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), ".-")
	if base == "" {
		base = "release"
	}
	return base + Ext
}
