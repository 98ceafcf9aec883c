package mail_test

import (
	"bytes"
	"flag"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relsop/relsop/internal/mail"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var relsop = &netmail.Address{Name: "relsop", Address: "relsop@example.com"}

// TestComposeGolden keeps a message as it is sent, byte for byte: headers,
// a folded encoded Subject and a quoted-printable body with a long line.
func TestComposeGolden(t *testing.T) {
	date := time.Date(2026, 3, 14, 9, 26, 53, 0, time.FixedZone("CET", 3600))
	msg := message
	msg.Subject = "Release 2.4 wartet auf Freigabe am Gate „Go/No-Go“ — bitte bis Freitag prüfen ✓"
	got, err := mail.Compose(relsop, msg, date, "0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := mail.Compose(relsop, msg, date, "0123456789abcdef0123456789abcdef")
	if !bytes.Equal(got, again) {
		t.Error("Compose gave different bytes for the same inputs")
	}
	const golden = "testdata/compose.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/mail -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the message differs from %s (go test ./internal/mail -run Golden -update, then review the diff):\n%s", golden, got)
	}
	for i, line := range strings.Split(string(got), "\r\n") {
		if strings.ContainsAny(line, "\r\n") || len(line) > 998 {
			t.Errorf("line %d is not one line of at most 998 characters: %q", i+1, line)
		}
	}
}

// TestComposeOneLine: no control character of Subject, To or Thread
// reaches a header as such; a long Subject is cut.
func TestComposeOneLine(t *testing.T) {
	for _, tc := range []struct{ name, subject, thread string }{
		{"CRLF", "Hi\r\nBcc: evil@example.com", "r\r\nBcc: evil@example.com"},
		{"LF", "Hi\nBcc: evil@example.com", "r\nBcc: evil@example.com"},
		{"CR", "Hi\rBcc: evil@example.com", "r\rBcc: evil@example.com"},
		{"NEL and NUL", "Hi\u0085Bcc: evil@example.com\x00", "r\u0085\x00Bcc: evil@example.com"},
		{"non-ASCII", "Grüße\r\nBcc: evil@example.com", "Größe\nBcc: evil@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mail.Compose(relsop, mail.Message{To: "bob@example.com", Subject: tc.subject, Thread: tc.thread, Body: "x"}, time.Unix(0, 0), "1")
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(string(got), "\r\n\r\n")
			for _, line := range strings.Split(head, "\r\n") {
				if strings.ContainsAny(line, "\r\n\x00\u0085") || strings.HasPrefix(strings.ToLower(line), "bcc:") {
					t.Errorf("header line %q", line)
				}
			}
			m, err := netmail.ReadMessage(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Header["Bcc"]) > 0 {
				t.Errorf("a Bcc header: %q", m.Header["Bcc"])
			}
		})
	}

	long := strings.Repeat("ä", 300)
	got, err := mail.Compose(relsop, mail.Message{To: "bob@example.com", Subject: long}, time.Unix(0, 0), "1")
	if err != nil {
		t.Fatal(err)
	}
	m, err := netmail.ReadMessage(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || utf8.RuneCountInString(subject) != 200 || !strings.HasSuffix(subject, "ä…") {
		t.Errorf("a Subject of 300 runes became %d runes: %q (%v)", utf8.RuneCountInString(subject), subject, err)
	}
}

func TestComposeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		from *netmail.Address
		to   string
	}{
		{"no From", nil, "bob@example.com"},
		{"From without domain", &netmail.Address{Address: "relsop"}, "bob@example.com"},
		{"no To", relsop, ""},
		{"two To", relsop, "bob@example.com, eve@example.com"},
		{"To on two lines", relsop, "bob@example.com\r\nBcc: eve@example.com"},
		{"To not an address", relsop, "bob"},
	} {
		if _, err := mail.Compose(tc.from, mail.Message{To: tc.to}, time.Unix(0, 0), "1"); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// FuzzCompose: whatever users put in a Subject, a Thread or a Body, the
// message parses with exactly the headers Compose writes, one To, and the
// body back as it was (in valid UTF-8).
func FuzzCompose(f *testing.F) {
	f.Add("Sign-off needed: “Approve”", "release-12", "line one\nline two\n")
	f.Add("Hi\r\nBcc: evil@example.com", "r\nBcc: x@example.com", "\r\n.\r\nMAIL FROM:<x@example.com>\r\n")
	f.Add(strings.Repeat("é", 300), "", strings.Repeat("x", 2000))
	want := []string{"Auto-Submitted", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To", "X-Auto-Response-Suppress"}
	f.Fuzz(func(t *testing.T, subject, thread, body string) {
		date := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
		raw, err := mail.Compose(relsop, mail.Message{To: "ann@example.com", Subject: subject, Body: body, Thread: thread}, date, "id")
		if err != nil {
			t.Fatal(err)
		}
		m, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("the message does not parse: %v\n%q", err, raw)
		}
		var got []string
		for k := range m.Header {
			if k != "In-Reply-To" && k != "References" {
				got = append(got, k)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || len(m.Header["To"]) != 1 || m.Header.Get("To") != "<ann@example.com>" {
			t.Fatalf("headers %v (To %q), want %v", got, m.Header["To"], want)
		}
		dec, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		// Line breaks (LF, CRLF, a lone CR) travel as CRLF; the text
		// between them is as it was.
		wantBody := strings.ReplaceAll(strings.ReplaceAll(strings.ToValidUTF8(body, "\uFFFD"), "\r\n", "\n"), "\r", "\n")
		if got := strings.ReplaceAll(string(dec), "\r\n", "\n"); got != wantBody {
			t.Fatalf("body %q, want %q", got, wantBody)
		}
	})
}
