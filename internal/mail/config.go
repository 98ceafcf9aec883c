// Package mail sends the notification emails of relsop serve
// (docs/email.md): a gate waiting for its approvers, a step failed, a
// release done. It speaks SMTP to the relay given with --smtp, over TLS
// whenever the relay offers it, and tries again later when the relay is
// busy or down.
//
// Messages wait in a queue in memory: a server that stops drops the ones
// not yet sent. An email is a convenience; the release's trail, not the
// mailbox, is the record.
package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Config is where mail goes and who it is from: relsop serve --smtp URL
// --mail-from ADDRESS.
type Config struct {
	Host, Port         string
	Username, Password string
	// ImplicitTLS is smtps://: TLS from the first byte (port 465). Without
	// it the connection starts in the clear and turns to TLS with
	// STARTTLS whenever the server offers it.
	ImplicitTLS bool
	From        *mail.Address
}

// Parse reads --smtp and --mail-from. The URL is one of
//
//	smtp://[user[:password]@]host[:port]   port 587 by default; STARTTLS whenever the server offers it,
//	                                       required when a user is given unless host is loopback
//	smtps://[user[:password]@]host[:port]  port 465 by default; TLS from the first byte
//
// with the user and password percent-encoded (%40 for @, %3A for :).
// The errors name the flag and never hold the password.
func Parse(rawURL, from string) (Config, error) {
	if rawURL == "" {
		return Config{}, errors.New("--smtp: no URL (e.g. smtp://user:password@mail.example.com:587)")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		if strings.Contains(rawURL, "@") {
			// url.Parse's error repeats the URL, password and all.
			return Config{}, errors.New("--smtp: not a URL; percent-encode @ : / ? # and % in the user and password (%40 for @)")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Config{}, fmt.Errorf("--smtp %q: not a URL: %v", rawURL, err)
	}
	// flag names the flag and, when no password can be in it, the URL.
	flag := "--smtp"
	if u.User != nil || !strings.Contains(rawURL, "@") {
		flag = fmt.Sprintf("--smtp %q", u.Redacted())
	}
	var cfg Config
	switch u.Scheme {
	case "smtp":
		cfg.Port = "587"
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = "465", true
	default:
		return Config{}, fmt.Errorf("%s: the scheme must be smtp or smtps", flag)
	}
	switch {
	case u.Opaque != "":
		return Config{}, fmt.Errorf("%s: write %s://host, with two slashes", flag, u.Scheme)
	case u.Path != "" && u.Path != "/":
		return Config{}, fmt.Errorf("%s: a path is not allowed; write %s://[user[:password]@]host[:port]", flag, u.Scheme)
	case u.RawQuery != "" || u.ForceQuery:
		return Config{}, fmt.Errorf("%s: a query (?...) is not allowed; write %s://[user[:password]@]host[:port]", flag, u.Scheme)
	case u.Fragment != "" || strings.Contains(rawURL, "#"):
		return Config{}, fmt.Errorf("%s: a fragment (#...) is not allowed; percent-encode # in a password as %%23", flag)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return Config{}, errors.New("--smtp: no host (e.g. smtp://mail.example.com:587)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("%s: the port must be a number from 1 to 65535", flag)
		}
		cfg.Port = p
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return Config{}, fmt.Errorf("%s: a password without a user name", flag)
		}
	}
	if from == "" {
		return Config{}, errors.New("--mail-from is needed with --smtp (e.g. relsop@example.com)")
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return Config{}, fmt.Errorf("--mail-from %q: not an email address (e.g. relsop@example.com or \"relsop <relsop@example.com>\")", from)
	}
	cfg.From = addr
	return cfg, nil
}

// loopback reports whether host names this machine the way net/smtp's
// PlainAuth accepts for a password sent in the clear.
func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
