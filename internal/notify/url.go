package notify

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// MaxURL is the longest webhook address taken.
const MaxURL = 2000

// CheckURL refuses a webhook address that cannot be delivered to: not
// http or https, without a host, with a user name or password in it (the
// list of webhooks would show them), too long, or, unless allowPrivate,
// an IP address on the server's own network. A host name is checked when
// a delivery dials it, since what it names may change.
func CheckURL(raw string, allowPrivate bool) error {
	if raw == "" {
		return fmt.Errorf("give the address to post to, such as https://hooks.slack.com/services/...")
	}
	if len(raw) > MaxURL {
		return fmt.Errorf("the address is %d characters long; at most %d are taken", len(raw), MaxURL)
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r < ' ' || r == 0x7f || r == ' ' }) {
		return fmt.Errorf("the address has spaces or control characters in it")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not an address: %v", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("the address must start with https:// (or http://), not %q", u.Scheme+":")
	}
	if u.Hostname() == "" {
		return fmt.Errorf("the address %q names no host", raw)
	}
	if u.User != nil {
		return fmt.Errorf("the address has a user name or password in it; put a token in its path or query instead, as chat services do")
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && !allowPrivate && Private(ip) {
		return fmt.Errorf("%s is an address on the server's own network, where webhooks are not delivered unless the server is started with --webhooks-private", ip)
	}
	return nil
}
