// Package textdecode reads text files as people's tools save them: CSV from
// spreadsheets, Markdown and calendars from editors on any platform.
package textdecode

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Decode turns the bytes of such a file into UTF-8 text with "\n" line
// ends. It understands a UTF-8 byte order mark, UTF-16 with a byte order
// mark (Excel's "Unicode text"), UTF-16 without one when the NUL bytes give it
// away, and falls back to Windows-1252 for bytes that are not UTF-8, which is
// what Excel writes as "CSV" on a Western-European Windows.
func Decode(data []byte) string {
	var text string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		text = strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		text = utf16(data, unicode.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		text = utf16(data, unicode.BigEndian)
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		text = utf16(data, unicode.LittleEndian)
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		text = utf16(data, unicode.BigEndian)
	case utf8.Valid(data):
		text = string(data)
	default:
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			out = data
		}
		text = strings.ToValidUTF8(string(out), "\uFFFD")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.ReplaceAll(text, "\r", "\n")
}

// utf16 decodes data, dropping a leading byte order mark.
func utf16(data []byte, order unicode.Endianness) string {
	out, err := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}
