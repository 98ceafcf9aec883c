package relsop

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a span of time as written in an SOP ("30m", "4h", "2d", "1w",
// "1h30m", or for review cadences "quarterly"). Text keeps the author's
// spelling so that formatting never rewrites it.
type Duration struct {
	Text string
	D    time.Duration
}

// IsZero reports whether no duration was given.
func (d Duration) IsZero() bool { return d.Text == "" && d.D == 0 }

func (d Duration) String() string { return d.Text }

const day = 24 * time.Hour

// namedCadences are the words people use for review cadences.
var namedCadences = map[string]time.Duration{
	"daily": day, "weekly": 7 * day, "biweekly": 14 * day, "fortnightly": 14 * day,
	"monthly": 30 * day, "quarterly": 91 * day, "semiannually": 182 * day, "semi-annually": 182 * day,
	"annually": 365 * day, "yearly": 365 * day,
}

// CadenceWords lists the named cadences ParseDuration accepts, sorted.
var CadenceWords = []string{"annually", "biweekly", "daily", "fortnightly", "monthly", "quarterly", "semi-annually", "semiannually", "weekly", "yearly"}

// unitSizes maps the unit letters of a duration to their length.
var unitSizes = map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': day, 'w': 7 * day}

// ParseDuration reads a duration such as "45m", "4h", "2d", "1w", "1h30m" or a
// named cadence such as "quarterly".
func ParseDuration(text string) (Duration, error) {
	s := strings.TrimSpace(text)
	if d, ok := namedCadences[strings.ToLower(s)]; ok {
		return Duration{Text: text, D: d}, nil
	}
	if s == "" {
		return Duration{}, fmt.Errorf("empty duration")
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return Duration{}, fmt.Errorf("%q is not a duration: write a number with a unit, such as 30m, 4h, 2d or 1w", text)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return Duration{}, fmt.Errorf("%q is not a duration: the number is too large", text)
		}
		unit, ok := unitSizes[rest[i]]
		if !ok {
			return Duration{}, fmt.Errorf("%q is not a duration: unknown unit %q (use s, m, h, d or w)", text, rest[i:i+1])
		}
		total += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	return Duration{Text: text, D: total}, nil
}
