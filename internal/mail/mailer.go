package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/relsop/relsop/internal/outbox"
)

// Options tune a Mailer; the zero value is fine.
type Options struct {
	// Timeout bounds one attempt, from dialling to QUIT. Default 30 s.
	Timeout time.Duration
	// Backoff are the waits before each attempt after the first. Default
	// 30 s, 2 min, 10 min: four attempts.
	Backoff []time.Duration
	// QueueSize bounds the messages waiting; more are dropped and logged.
	// Default 1,000.
	QueueSize int
	// TLSConfig checks the server's certificate. Default: the system's
	// roots, for the name Config.Host.
	TLSConfig *tls.Config
	// Now is the clock, for the Date header. Default time.Now.
	Now func() time.Time
	// Log receives dropped and failed messages, never their body nor the
	// password. Default slog.Default().
	Log *slog.Logger
	// Hello is the name given in EHLO; relays check it. Default the
	// machine's host name, or "localhost" when it has none.
	Hello string
}

// Mailer sends messages. Its methods are safe for concurrent use.
type Mailer struct {
	cfg Config
	opt Options
	tls *tls.Config
	out *outbox.Outbox[queued]
}

// queued is a composed message waiting in the queue: every attempt sends
// the same bytes, so the same Message-ID, and a receiver can drop repeats.
type queued struct {
	to   string // the envelope recipient
	data []byte
}

// workers is how many messages are sent at once.
const workers = 2

// errNoStartTLS refuses to log in over a connection anyone on the way
// can read.
var errNoStartTLS = errors.New("the server does not offer STARTTLS; relsop will not send the password in the clear")

// New starts a Mailer for cfg; Close stops it.
func New(cfg Config, opt Options) *Mailer {
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute}
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 1000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if cfg.Port == "" && cfg.ImplicitTLS { // a Config made by hand, not by Parse
		cfg.Port = "465"
	} else if cfg.Port == "" {
		cfg.Port = "587"
	}
	if opt.Hello == "" {
		opt.Hello, _ = os.Hostname()
		if opt.Hello == "" {
			opt.Hello = "localhost"
		}
	}
	tc := opt.TLSConfig.Clone()
	if tc == nil {
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tc.ServerName == "" {
		tc.ServerName = cfg.Host
	}
	m := &Mailer{cfg: cfg, opt: opt, tls: tc}
	m.out = outbox.New(outbox.Options[queued]{
		Workers:  workers,
		Size:     opt.QueueSize,
		Backoff:  opt.Backoff,
		Try:      m.try,
		Retrying: m.retrying,
		Done:     m.done,
		Stopped:  m.stopped,
	})
	return m
}

// From is the sender as configured, for logs and the UI:
// "relsop <relsop@example.com>".
func (m *Mailer) From() string {
	switch {
	case m.cfg.From == nil:
		return ""
	case m.cfg.From.Name == "":
		return m.cfg.From.Address
	}
	return oneLine(m.cfg.From.Name) + " <" + m.cfg.From.Address + ">"
}

// Send makes one attempt to send msg, now, and says why it failed.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	q, err := m.compose(msg)
	if err != nil {
		return err
	}
	return m.send(ctx, q)
}

// Enqueue queues msg and returns at once; false, and msg is dropped and
// logged, when msg.To is not an email address, the queue is full or the
// Mailer is closed.
func (m *Mailer) Enqueue(msg Message) bool {
	if m.out.Closed() {
		m.opt.Log.Warn("mail dropped: the mailer is closed", "to", msg.To)
		return false
	}
	q, err := m.compose(msg)
	if err != nil {
		m.opt.Log.Warn("mail dropped", "to", msg.To, "err", err)
		return false
	}
	switch err := m.out.Add(q); {
	case err == nil:
		return true
	case errors.Is(err, outbox.ErrFull):
		m.opt.Log.Warn("mail dropped: the queue is full", "to", q.to)
	default: // closed since the check above
		m.opt.Log.Warn("mail dropped: the mailer is closed", "to", msg.To)
	}
	return false
}

// Close stops taking messages and waits for the attempts under way; the
// messages still queued are dropped.
func (m *Mailer) Close() {
	if n := m.out.Close(); n > 0 {
		m.opt.Log.Warn("mail dropped: the mailer is closed", "messages", n)
	}
}

func (m *Mailer) compose(msg Message) (queued, error) {
	to, err := recipient(msg.To)
	if err != nil {
		return queued{}, err
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id) // never fails (crypto/rand)
	data, err := Compose(m.cfg.From, msg, m.opt.Now(), hex.EncodeToString(id))
	return queued{to: envelope(to.Address), data: data}, err
}

// envelope is addr as SMTP's MAIL FROM and RCPT TO take it: a local part
// that needs quotes ("john doe"@example.com) has them.
func envelope(addr string) string {
	return strings.TrimSuffix(strings.TrimPrefix((&mail.Address{Address: addr}).String(), "<"), ">")
}

// try makes one attempt at q for the outbox.
func (m *Mailer) try(ctx context.Context, q queued) (retry bool, err error) {
	err = m.send(ctx, q)
	return err != nil && temporary(err), err
}

// retrying logs a failed attempt that will be made again after wait.
func (m *Mailer) retrying(q queued, wait time.Duration, err error) {
	m.opt.Log.Info("mail not sent yet; trying again", "to", q.to, "in", wait, "err", err)
}

// done logs a message that was not sent after its last attempt.
func (m *Mailer) done(q queued, attempts int, err error) {
	if err != nil {
		m.opt.Log.Warn("mail not sent", "to", q.to, "attempts", attempts, "err", err)
	}
}

// stopped logs a message whose wait for another attempt Close cut short.
func (m *Mailer) stopped(q queued, attempts int, err error) {
	m.opt.Log.Warn("mail dropped: the mailer is closed", "to", q.to, "attempts", attempts, "err", err)
}

// temporary reports whether a failed attempt may go better later: no
// connection, no answer in time, or a 4xx reply. A 5xx reply, a
// certificate that does not check out or a refusal of ours will not.
func temporary(err error) bool {
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return reply.Code >= 400 && reply.Code <= 499
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// send makes one attempt within opt.Timeout.
func (m *Mailer) send(ctx context.Context, q queued) error {
	ctx, cancel := context.WithTimeout(ctx, m.opt.Timeout)
	defer cancel()
	addr := net.JoinHostPort(m.cfg.Host, m.cfg.Port)
	conn, err := m.dial(ctx, addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	// A ctx cancelled before its deadline stops the exchange too.
	defer context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })()
	if err := m.session(conn, q); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	return nil
}

func (m *Mailer) dial(ctx context.Context, addr string) (net.Conn, error) {
	if m.cfg.ImplicitTLS {
		return (&tls.Dialer{Config: m.tls}).DialContext(ctx, "tcp", addr)
	}
	return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
}

// session is one SMTP exchange on conn: EHLO, STARTTLS when offered, AUTH
// when a user is configured, then the message.
func (m *Mailer) session(conn net.Conn, q queued) error {
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(m.opt.Hello); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if !m.cfg.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tls); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		} else if m.cfg.Username != "" && !loopback(m.cfg.Host) {
			return errNoStartTLS
		}
	}
	if m.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server does not offer AUTH; leave the user out of --smtp, or use the relay's submission port")
		}
		// PlainAuth itself refuses a connection in the clear to any host
		// but this one.
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host)); err != nil {
			return fmt.Errorf("the server refused the login of %q: %w", m.cfg.Username, err)
		}
	}
	if err := c.Mail(envelope(m.cfg.From.Address)); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(q.to); err != nil {
		return fmt.Errorf("RCPT TO <%s>: %w", q.to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(q.data); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil { // the server's answer to the message
		return fmt.Errorf("DATA: %w", err)
	}
	_ = c.Quit() // the message is taken: a lost goodbye changes nothing
	return nil
}
