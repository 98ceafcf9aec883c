package mail_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/mail"
	"github.com/relsop/relsop/internal/mail/mailtest"
	"github.com/relsop/relsop/internal/testenv"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var noon = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return noon }

// message is a notification with non-ASCII text, a line longer than
// quoted-printable allows, a line that is only a dot (SMTP's end of
// message), trailing spaces and an equals sign.
var message = mail.Message{
	To:      "Ana Müller <ana@example.com>",
	Subject: "Release 2.4 wartet auf Freigabe — Größe ✓",
	Body: "Hallo Ana,\n\nRelease 2.4 wartet am Gate „Go/No-Go“ auf dich.\n" +
		strings.Repeat("Eine sehr lange Zeile mit Umlauten äöü und = Zeichen. ", 12) + "\n" +
		".\nEnde mit Leerzeichen   \n",
	Thread: "release-24",
}

// TestSendReadBack sends a message through a real server and reads it
// back from the Maildir as a mail client would.
func TestSendReadBack(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1")
	m := mail.New(s.Config(), mail.Options{Log: quiet, Now: fixedClock, Hello: "relsop.test"})
	defer m.Close()
	if err := m.Send(t.Context(), message); err != nil {
		t.Fatal(err)
	}
	got := s.Wait(t, 1)[0]
	h := got.Header

	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != message.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, message.Subject)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(got.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != message.Body {
		t.Errorf("body decodes to\n%q\nwant\n%q", got, message.Body)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Ana Müller" || to[0].Address != "ana@example.com" {
		t.Errorf("To %q: %v %v", h.Get("To"), to, err)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "relsop@example.com" {
		t.Errorf("From %q: %v %v", h.Get("From"), from, err)
	}
	if date, err := h.Date(); err != nil || !date.Equal(noon) {
		t.Errorf("Date %q: %v, want %v", h.Get("Date"), err, noon)
	}
	if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@example\.com>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	for name, want := range map[string]string{
		"In-Reply-To": "<release-24@example.com>", "References": "<release-24@example.com>",
		"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All",
		"Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable",
		"X-Test-TLS": "no", "X-Test-Rcpt": "ana@example.com",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if got := m.From(); got != "relsop <relsop@example.com>" {
		t.Errorf("From() = %q", got)
	}
}

// TestEachSendIsNewMessage: two sends are two messages, with two IDs, in
// one thread.
func TestEachSendIsNewMessage(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1")
	m := mail.New(s.Config(), mail.Options{Log: quiet})
	defer m.Close()
	for range 2 {
		if err := m.Send(t.Context(), message); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Wait(t, 2)
	if a, b := got[0].Header.Get("Message-ID"), got[1].Header.Get("Message-ID"); a == b {
		t.Errorf("both messages have the ID %s", a)
	}
	if a, b := got[0].Header.Get("References"), got[1].Header.Get("References"); a != b || a == "" {
		t.Errorf("References %q and %q, want one thread", a, b)
	}
}

// TestQuotedLocalPart: an address whose local part needs quotes keeps
// them on the envelope.
func TestQuotedLocalPart(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1")
	m := mail.New(s.Config(), mail.Options{Log: quiet})
	defer m.Close()
	msg := message
	msg.To = `"john doe"@example.com`
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if got := s.Wait(t, 1)[0].Header.Get("X-Test-Rcpt"); got != msg.To {
		t.Errorf("the envelope went to %s, want %s", got, msg.To)
	}
}

// TestSTARTTLS: a server that offers STARTTLS, and takes no mail without
// it, gets the message over TLS.
func TestSTARTTLS(t *testing.T) {
	cert, key, roots := mailtest.SelfSigned(t)
	s := mailtest.Start(t, "127.0.0.1", "--tls", "starttls", "--require-tls", "--cert", cert, "--key", key)
	m := mail.New(s.Config(), mail.Options{Log: quiet, TLSConfig: &tls.Config{RootCAs: roots}})
	defer m.Close()
	if err := m.Send(t.Context(), message); err != nil {
		t.Fatal(err)
	}
	if got := s.Wait(t, 1)[0].Header.Get("X-Test-TLS"); got != "yes" {
		t.Errorf("X-Test-TLS: %q, want yes", got)
	}

	// A certificate the client does not trust ends the attempt; nothing
	// goes in the clear instead.
	untrusting := mail.New(s.Config(), mail.Options{Log: quiet, TLSConfig: &tls.Config{RootCAs: x509.NewCertPool()}})
	defer untrusting.Close()
	err := untrusting.Send(t.Context(), message)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Send with an untrusted certificate: %v, want a certificate error", err)
	}
	s.Wait(t, 1)
}

// TestImplicitTLS: smtps:// speaks TLS from the first byte.
func TestImplicitTLS(t *testing.T) {
	cert, key, roots := mailtest.SelfSigned(t)
	s := mailtest.Start(t, "127.0.0.1", "--tls", "implicit", "--cert", cert, "--key", key)
	cfg := s.Config()
	cfg.ImplicitTLS = true
	m := mail.New(cfg, mail.Options{Log: quiet, TLSConfig: &tls.Config{RootCAs: roots}})
	defer m.Close()
	if err := m.Send(t.Context(), message); err != nil {
		t.Fatal(err)
	}
	if got := s.Wait(t, 1)[0].Header.Get("X-Test-TLS"); got != "yes" {
		t.Errorf("X-Test-TLS: %q, want yes", got)
	}
}

// TestAuth logs in with AUTH PLAIN, in the clear to loopback and over
// STARTTLS; a wrong password is an error that says the server refused.
func TestAuth(t *testing.T) {
	const password = "p@ss:wörd 1"
	cert, key, roots := mailtest.SelfSigned(t)
	for _, tlsFlag := range []string{"none", "starttls"} {
		t.Run(tlsFlag, func(t *testing.T) {
			s := mailtest.Start(t, "127.0.0.1", "--user", "ana", "--password", password, "--tls", tlsFlag, "--cert", cert, "--key", key)
			opt := mail.Options{Log: quiet, TLSConfig: &tls.Config{RootCAs: roots}}

			cfg := s.Config()
			cfg.Username, cfg.Password = "ana", password
			right := mail.New(cfg, opt)
			defer right.Close()
			if err := right.Send(t.Context(), message); err != nil {
				t.Fatal(err)
			}
			h := s.Wait(t, 1)[0].Header
			if h.Get("X-Test-Auth") != "ana" || h.Get("X-Test-TLS") != map[string]string{"none": "no", "starttls": "yes"}[tlsFlag] {
				t.Errorf("X-Test-Auth: %q, X-Test-TLS: %q", h.Get("X-Test-Auth"), h.Get("X-Test-TLS"))
			}

			cfg.Password = "not-the-password"
			wrong := mail.New(cfg, opt)
			defer wrong.Close()
			err := wrong.Send(t.Context(), message)
			if err == nil || !strings.Contains(err.Error(), "refused the login") || !strings.Contains(err.Error(), "535") {
				t.Errorf("Send with a wrong password: %v, want the server's refusal (535)", err)
			}
			if err != nil && strings.Contains(err.Error(), cfg.Password) {
				t.Errorf("the error holds the password: %v", err)
			}

			cfg.Username, cfg.Password = "", ""
			anonymous := mail.New(cfg, opt)
			defer anonymous.Close()
			if err := anonymous.Send(t.Context(), message); err == nil {
				t.Error("Send without a login to a server that asks for one: no error")
			}
			s.Wait(t, 1)
		})
	}
}

// TestNoPasswordInTheClear: to a host that is not this machine's own name
// for itself, a password goes only over TLS.
func TestNoPasswordInTheClear(t *testing.T) {
	// 127.0.0.2 is loopback on Linux but not one of the names net/smtp
	// trusts with a password in the clear.
	if l, err := net.Listen("tcp", "127.0.0.2:0"); err != nil {
		testenv.Missing(t, fmt.Sprintf("the loopback address 127.0.0.2, which every Linux has (macOS needs an alias on lo0): %v", err))
	} else {
		l.Close()
	}
	s := mailtest.Start(t, "127.0.0.2", "--user", "ana", "--password", "secret")
	cfg := s.Config()
	cfg.Username, cfg.Password = "ana", "secret"
	m := mail.New(cfg, mail.Options{Log: quiet})
	defer m.Close()
	err := m.Send(t.Context(), message)
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS; relsop will not send the password in the clear") {
		t.Errorf("Send: %v, want a refusal to send the password in the clear", err)
	}
}

// TestRetryAfter451: a busy server (451) gets the message again, and has
// it once.
func TestRetryAfter451(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1", "--fail-data", "2")
	var log logBuffer
	m := mail.New(s.Config(), mail.Options{Log: slog.New(slog.NewTextHandler(&log, nil)), Backoff: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}})
	if !m.Enqueue(message) {
		t.Fatal("Enqueue: false")
	}
	s.Wait(t, 1)
	m.Close()
	s.Wait(t, 1)
	if n := strings.Count(log.String(), "trying again"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, log.String())
	}
}

// TestNoRetryAfter550: a refusal (550) is final: one attempt, logged.
func TestNoRetryAfter550(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1", "--reject", "nobody@example.com")
	var log logBuffer
	m := mail.New(s.Config(), mail.Options{Log: slog.New(slog.NewTextHandler(&log, nil)), Backoff: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}})
	defer m.Close()
	msg := message
	msg.To = "nobody@example.com"
	if err := m.Send(t.Context(), msg); err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("Send: %v, want the server's 550", err)
	}
	if !m.Enqueue(msg) {
		t.Fatal("Enqueue: false")
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), "mail not sent") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // room for a retry that should not come
	got := log.String()
	if !strings.Contains(got, "mail not sent") || !strings.Contains(got, "attempts=1") || strings.Contains(got, "trying again") {
		t.Errorf("log, want one attempt and no retry:\n%s", got)
	}
	if strings.Contains(got, "Hallo Ana") {
		t.Errorf("the log holds the body:\n%s", got)
	}
	s.Wait(t, 0)
}

// TestHeaderInjection: line breaks in a Subject or Thread add neither a
// header nor a recipient; in To they are an error.
func TestHeaderInjection(t *testing.T) {
	s := mailtest.Start(t, "127.0.0.1")
	m := mail.New(s.Config(), mail.Options{Log: quiet})
	defer m.Close()
	msg := mail.Message{
		To:      "bob@example.com",
		Subject: "Release 1\r\nBcc: evil@example.com",
		Body:    "Hi\n",
		Thread:  "release-1>\r\nBcc: evil@example.com\r\nX-Evil: 1",
	}
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	got := s.Wait(t, 1)[0]
	if got.Header.Get("Bcc") != "" || got.Header.Get("X-Evil") != "" || got.Header.Get("X-Test-Rcpt") != "bob@example.com" {
		t.Errorf("injected: Bcc %q, X-Evil %q, recipients %q", got.Header.Get("Bcc"), got.Header.Get("X-Evil"), got.Header.Get("X-Test-Rcpt"))
	}
	if subject := got.Header.Get("Subject"); subject != "Release 1  Bcc: evil@example.com" {
		t.Errorf("Subject %q", subject)
	}
	if _, err := netmail.ParseAddress(got.Header.Get("References")); err != nil {
		// A message ID reads as an address in angle brackets.
		t.Errorf("References %q is not one message ID: %v", got.Header.Get("References"), err)
	}

	msg.To = "bob@example.com\r\nBcc: evil@example.com"
	if err := m.Send(t.Context(), msg); err == nil {
		t.Error("Send to two lines: no error")
	}
	if m.Enqueue(msg) {
		t.Error("Enqueue to two lines: true")
	}
	s.Wait(t, 1)
}

// TestTimeout: a server that never answers ends the attempt at Timeout.
func TestTimeout(t *testing.T) {
	host, port, _ := blackHole(t)
	m := mail.New(mail.Config{Host: host, Port: port, From: &netmail.Address{Address: "relsop@example.com"}}, mail.Options{Log: quiet, Timeout: 200 * time.Millisecond})
	defer m.Close()
	err := m.Send(t.Context(), message)
	if err == nil || !strings.Contains(err.Error(), "timeout") && !strings.Contains(err.Error(), "deadline") {
		t.Errorf("Send to a silent server: %v, want a timeout", err)
	}
}

// TestCloseDropsQueued: Close does not wait out the backoff of queued
// mail; afterwards Enqueue refuses.
func TestCloseDropsQueued(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close() // nobody listens: every attempt is refused at once, and retried in an hour
	m := mail.New(mail.Config{Host: host, Port: port, From: &netmail.Address{Address: "relsop@example.com"}}, mail.Options{Log: quiet, Backoff: []time.Duration{time.Hour}})
	for range 20 {
		if !m.Enqueue(message) {
			t.Fatal("Enqueue: false")
		}
	}
	closed := make(chan struct{})
	go func() { m.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close still waits after 10 s")
	}
	if m.Enqueue(message) {
		t.Error("Enqueue after Close: true")
	}
}

// TestEnqueueFull: with the workers stuck on a silent server and the queue
// full, Enqueue refuses at once.
func TestEnqueueFull(t *testing.T) {
	host, port, hangUp := blackHole(t)
	m := mail.New(mail.Config{Host: host, Port: port, From: &netmail.Address{Address: "relsop@example.com"}}, mail.Options{Log: quiet, QueueSize: 1, Timeout: time.Minute, Backoff: []time.Duration{time.Hour}})
	defer m.Close()
	defer hangUp() // before Close, which waits for the attempts under way
	// Two workers hold a message each and one waits in the queue: the
	// fourth cannot be taken.
	refused := false
	for range 4 {
		if !m.Enqueue(message) {
			refused = true
		}
	}
	if !refused {
		t.Error("Enqueue took 4 messages with 2 workers and a queue of 1")
	}
}
