package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is one email to one person.
type Message struct {
	To      string // one address, as the account has it
	Subject string // one line
	Body    string // plain text, UTF-8, lines separated by \n
	// Thread groups the messages about one thing: pass a key unique on
	// the server, such as "release-12", or "" for none. Messages with the
	// same Thread refer to one root message ID, <release-12@domain of
	// From>, so that mail clients show them as one conversation.
	Thread string
}

// maxSubject is the most runes of a Subject; a longer one is cut and
// ends in "…".
const maxSubject = 200

// Compose returns m as an RFC 5322 message from from, dated date, with
// the Message-ID <id@domain of from>: a plain-text UTF-8 body in
// quoted-printable, marked as sent by a machine (Auto-Submitted, RFC
// 3834, and X-Auto-Response-Suppress) so that out-of-office replies do
// not come back. Lines end in CRLF, and the same inputs give the same
// bytes.
//
// Subject, To and Thread come from what users typed (SOP titles, release
// names): their control characters are taken out before they reach a
// header, so none can add a header or a recipient. It fails when To is
// not one email address.
func Compose(from *mail.Address, m Message, date time.Time, id string) ([]byte, error) {
	if from == nil {
		return nil, errors.New("no From address")
	}
	if _, err := mail.ParseAddress((&mail.Address{Address: from.Address}).String()); err != nil {
		return nil, fmt.Errorf("the From address %q is not an email address", from.Address)
	}
	to, err := recipient(m.To)
	if err != nil {
		return nil, err
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]

	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name + ": " + value + "\r\n")
	}
	header("From", (&mail.Address{Name: oneLine(from.Name), Address: from.Address}).String())
	header("To", to.String())
	header("Subject", subject(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+idText(id)+"@"+idText(domain)+">")
	if thread := idText(strings.TrimSpace(oneLine(m.Thread))); thread != "" {
		root := "<" + thread + "@" + idText(domain) + ">"
		header("In-Reply-To", root)
		header("References", root)
	}
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	header("X-Auto-Response-Suppress", "All")
	b.WriteString("\r\n")
	// Line breaks become \n before the writer turns them into CRLF: given a
	// lone CR, Go's quoted-printable writer can drop a later line break
	// (FuzzCompose found "\r\x05\n" losing its \n).
	body := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(strings.ToValidUTF8(m.Body, "\uFFFD"))
	qp := quotedprintable.NewWriter(&b) // turns \n into CRLF
	_, _ = qp.Write([]byte(body))
	_ = qp.Close() // writes to memory: never fails
	return b.Bytes(), nil
}

// recipient is the one address in to.
func recipient(to string) (*mail.Address, error) {
	addr, err := mail.ParseAddress(oneLine(to))
	if err != nil {
		return nil, fmt.Errorf("%q is not an email address", to)
	}
	return addr, nil
}

// subject is s on one line, cut to maxSubject runes, encoded (RFC 2047)
// when it is not ASCII. Encoded, it is folded between encoded words so
// that no line comes near the limit of 998 characters.
func subject(s string) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) > maxSubject {
		s = string([]rune(s)[:maxSubject-1]) + "…"
	}
	enc := mime.QEncoding.Encode("utf-8", s)
	if enc == s {
		return s
	}
	return strings.ReplaceAll(enc, " ", "\r\n ") // an encoded word holds no space
}

// oneLine turns tabs and line breaks into spaces and drops every other
// control character; invalid UTF-8 becomes U+FFFD.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\r' || r == '\n':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// idText makes s fit either side of the @ of a message ID: letters,
// digits, the other atext characters and single inner dots stay; any
// other byte becomes %XX, so different keys stay different IDs.
func idText(s string) string {
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		innerDot := c == '.' && i > 0 && i < len(s)-1 && s[i-1] != '.'
		if innerDot || c != '%' && atext(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// atext reports whether c may stand unquoted in an address or message ID
// (RFC 5322 3.2.3).
func atext(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}
