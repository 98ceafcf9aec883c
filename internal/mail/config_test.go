package mail_test

import (
	netmail "net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop/internal/mail"
)

func TestParse(t *testing.T) {
	from := "relsop <relsop@example.com>"
	relsop := &netmail.Address{Name: "relsop", Address: "relsop@example.com"}
	for _, tc := range []struct {
		url, from string
		want      mail.Config
	}{
		{"smtp://mail.example.com", from, mail.Config{Host: "mail.example.com", Port: "587", From: relsop}},
		{"smtps://mail.example.com", from, mail.Config{Host: "mail.example.com", Port: "465", ImplicitTLS: true, From: relsop}},
		{"SMTP://mail.example.com:2525/", from, mail.Config{Host: "mail.example.com", Port: "2525", From: relsop}},
		{"smtp://relsop:s3cr3t@mail.example.com:25", from, mail.Config{Host: "mail.example.com", Port: "25", Username: "relsop", Password: "s3cr3t", From: relsop}},
		{"smtp://relsop%40example.com:p%40ss%3Aw%2F%23rd@mail.example.com", from, mail.Config{Host: "mail.example.com", Port: "587", Username: "relsop@example.com", Password: "p@ss:w/#rd", From: relsop}},
		{"smtp://apikey@mail.example.com", from, mail.Config{Host: "mail.example.com", Port: "587", Username: "apikey", From: relsop}},
		{"smtps://[::1]:1465", "relsop@example.com", mail.Config{Host: "::1", Port: "1465", ImplicitTLS: true, From: &netmail.Address{Address: "relsop@example.com"}}},
		{"smtp://localhost:25", `"Relsop Bot" <bot@example.com>`, mail.Config{Host: "localhost", Port: "25", From: &netmail.Address{Name: "Relsop Bot", Address: "bot@example.com"}}},
	} {
		got, err := mail.Parse(tc.url, tc.from)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.url, tc.from, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q, %q) (-want +got):\n%s", tc.url, tc.from, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const password = "s3cr3t"
	from := "relsop@example.com"
	for _, tc := range []struct{ url, from, want string }{
		{"", from, "--smtp: no URL"},
		{"ftp://x", from, `--smtp "ftp://x": the scheme must be smtp or smtps`},
		{"mail.example.com", from, `--smtp "mail.example.com": the scheme must be smtp or smtps`},
		{"smtp:mail.example.com", from, "with two slashes"},
		{"smtp://", from, "--smtp: no host"},
		{"smtp://:25", from, "--smtp: no host"},
		{"smtp://u:s3cr3t@:25", from, "--smtp: no host"},
		{"smtp://mail.example.com/relay", from, "a path is not allowed"},
		{"smtp://mail.example.com?tls=no", from, "a query (?...) is not allowed"},
		{"smtp://mail.example.com#x", from, "a fragment (#...) is not allowed"},
		{"smtp://mail.example.com:0", from, "the port must be a number from 1 to 65535"},
		{"smtp://mail.example.com:65536", from, "the port must be a number from 1 to 65535"},
		{"smtp://mail.example.com:smtp", from, "not a URL"},
		{"smtp://:s3cr3t@mail.example.com", from, "a password without a user name"},
		{"smtp://u:s3cr3t@mail.example.com/x", from, `--smtp "smtp://u:xxxxx@mail.example.com/x": a path is not allowed`},
		{"smtp://u:s3cr3t@mail.example.com?x", from, "a query"},
		{"smtp://u:s3cr3t@mail.example.com#x", from, "a fragment"},
		{"smtp://u:s3cr3t@mail.example.com:0", from, "the port must be"},
		{"ftp://u:s3cr3t@mail.example.com", from, `--smtp "ftp://u:xxxxx@mail.example.com": the scheme`},
		{"smtp://u:s3cr#3t@mail.example.com", from, "--smtp"},      // # not encoded: the password is cut
		{"smtp://u:s3cr/3t@mail.example.com", from, "--smtp"},      // / not encoded
		{"smtp://u:s3cr3t%zz@mail.example.com", from, "not a URL"}, // a bad escape
		{"smtp://u:s3cr3t@mail.example.com", "", "--mail-from is needed with --smtp"},
		{"smtp://mail.example.com", "bob", `--mail-from "bob": not an email address (e.g. relsop@example.com or "relsop <relsop@example.com>")`},
		{"smtp://mail.example.com", "a@example.com, b@example.com", "--mail-from"},
		{"smtp://mail.example.com", "a@example.com\r\nBcc: b@example.com", "--mail-from"},
	} {
		_, err := mail.Parse(tc.url, tc.from)
		switch {
		case err == nil:
			t.Errorf("Parse(%q, %q): no error, want %q", tc.url, tc.from, tc.want)
		case !strings.Contains(err.Error(), tc.want):
			t.Errorf("Parse(%q, %q): %v, want %q", tc.url, tc.from, err, tc.want)
		case strings.Contains(err.Error(), "s3cr"):
			t.Errorf("Parse(%q, %q): %v holds (part of) the password %s", tc.url, tc.from, err, password)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"smtp://mail.example.com", "smtps://u:p%40w@mail.example.com:465", "smtp://[::1]:25", "smtp://u:p#w@h",
		"ftp://x", "smtp://", "smtp:h", "smtp://h/p?q#f", "smtp://h:99999", "%zz", "",
	} {
		f.Add(s, "relsop <relsop@example.com>")
	}
	f.Add("smtp://mail.example.com", "bob")
	f.Add("smtp://mail.example.com", `"a\"b" <a@b>`)
	f.Fuzz(func(t *testing.T, rawURL, from string) {
		cfg, err := mail.Parse(rawURL, from)
		if err != nil {
			return
		}
		if cfg.Host == "" {
			t.Fatalf("Parse(%q, %q): no host and no error", rawURL, from)
		}
		if n, err := strconv.Atoi(cfg.Port); err != nil || n < 1 || n > 65535 {
			t.Fatalf("Parse(%q, %q): port %q", rawURL, from, cfg.Port)
		}
		if cfg.From == nil {
			t.Fatalf("Parse(%q, %q): no From and no error", rawURL, from)
		}
		if _, err := netmail.ParseAddress(cfg.From.String()); err != nil {
			t.Fatalf("Parse(%q, %q): From %q does not parse: %v", rawURL, from, cfg.From.String(), err)
		}
		if _, err := mail.Compose(cfg.From, mail.Message{To: "bob@example.com"}, time.Unix(0, 0), "1"); err != nil {
			t.Fatalf("Parse(%q, %q) took a From that Compose refuses: %v", rawURL, from, err)
		}
	})
}
