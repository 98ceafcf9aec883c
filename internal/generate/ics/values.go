package ics

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// unescapeText undoes the TEXT escapes \n \N \, \; and \\. A backslash
// before any other character is dropped, as Outlook writes \: at times.
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// splitList splits a TEXT list at commas that are not escaped, giving the
// offset of each item.
func splitList(s string) (items []string, offs []int) {
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ',':
			items, offs = append(items, s[start:i]), append(offs, start)
			start = i + 1
		}
	}
	return append(items, s[start:]), append(offs, start)
}

// dateValue is a DATE or DATE-TIME as written, before it becomes a time:
// a floating time or a date takes its meaning from the event it is in.
type dateValue struct {
	year, month, day     int
	hour, minute, second int
	dateOnly             bool
	utc                  bool           // ends in Z
	loc                  *time.Location // from TZID; nil if none
}

// time is v as an instant; dates are at 00:00 UTC and floating times are
// taken as UTC.
func (v dateValue) time() time.Time {
	if v.dateOnly {
		return time.Date(v.year, time.Month(v.month), v.day, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(v.year, time.Month(v.month), v.day, v.hour, v.minute, v.second, 0, v.location())
}

func (v dateValue) location() *time.Location {
	if v.utc || v.loc == nil {
		return time.UTC
	}
	return v.loc
}

// parseDate reads YYYYMMDD or YYYYMMDDTHHMMSS with an optional Z. On
// failure it returns the offset of the first wrong character and why.
func parseDate(s string) (dateValue, int, error) {
	var v dateValue
	digits := func(at, n int) (int, bool) {
		if at+n > len(s) {
			return 0, false
		}
		x := 0
		for _, c := range []byte(s[at : at+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			x = x*10 + int(c-'0')
		}
		return x, true
	}
	fail := func(at int, why string) (dateValue, int, error) {
		return dateValue{}, at, errors.New(why)
	}
	const form = "want YYYYMMDD or YYYYMMDDTHHMMSS, with Z for UTC"
	var ok bool
	if v.year, ok = digits(0, 4); !ok {
		return fail(0, form)
	}
	if v.month, ok = digits(4, 2); !ok {
		return fail(4, form)
	}
	if v.day, ok = digits(6, 2); !ok {
		return fail(6, form)
	}
	if v.month < 1 || v.month > 12 {
		return fail(4, fmt.Sprintf("there is no month %d", v.month))
	}
	if dim := daysIn(v.year, v.month); v.day < 1 || v.day > dim {
		return fail(6, fmt.Sprintf("there is no day %d in %s %04d", v.day, time.Month(v.month), v.year))
	}
	if len(s) == 8 {
		v.dateOnly = true
		return v, 0, nil
	}
	if s[8] != 'T' && s[8] != 't' {
		return fail(8, form)
	}
	if v.hour, ok = digits(9, 2); !ok {
		return fail(9, form)
	}
	if v.minute, ok = digits(11, 2); !ok {
		return fail(11, form)
	}
	if v.second, ok = digits(13, 2); !ok {
		return fail(13, form)
	}
	switch {
	case v.hour > 23:
		return fail(9, fmt.Sprintf("there is no hour %d", v.hour))
	case v.minute > 59:
		return fail(11, fmt.Sprintf("there is no minute %d", v.minute))
	case v.second > 60:
		return fail(13, fmt.Sprintf("there is no second %d", v.second))
	case v.second == 60: // a leap second
		v.second = 59
	}
	switch rest := s[15:]; rest {
	case "":
	case "Z", "z":
		v.utc = true
	default:
		return fail(15, form)
	}
	return v, 0, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// duration is an iCalendar DURATION. Weeks and days are nominal (a day in
// a zone with a DST change is 23 or 25 hours), the rest is exact.
type duration struct {
	days int // weeks included
	secs int64
	neg  bool
}

// add returns t moved by d.
func (d duration) add(t time.Time) time.Time {
	sign := 1
	if d.neg {
		sign = -1
	}
	return t.AddDate(0, 0, sign*d.days).Add(time.Duration(int64(sign)*d.secs) * time.Second)
}

// parseDuration reads [+-]P[nW][nD][T[nH][nM][nS]], returning the offset
// of the first wrong character on failure.
func parseDuration(s string) (duration, int, error) {
	var d duration
	fail := func(at int) (duration, int, error) {
		return duration{}, at, fmt.Errorf("bad duration %s: want a form such as P1D, PT2H30M or P1W", quote(s))
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	if i >= len(s) || s[i] != 'P' && s[i] != 'p' {
		return fail(i)
	}
	i++
	inTime, seen := false, false
	for i < len(s) {
		if s[i] == 'T' || s[i] == 't' {
			if inTime {
				return fail(i)
			}
			inTime = true
			i++
			continue
		}
		start, n := i, int64(0)
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			n = n*10 + int64(s[i]-'0')
			i++
			if i-start > 7 { // ten million units is far beyond any calendar
				return fail(start)
			}
		}
		if i == start || i == len(s) {
			return fail(i)
		}
		unit := s[i] | 0x20 // lower case
		switch {
		case !inTime && unit == 'w':
			d.days += 7 * int(n)
		case !inTime && unit == 'd':
			d.days += int(n)
		case inTime && unit == 'h':
			d.secs += 3600 * n
		case inTime && unit == 'm':
			d.secs += 60 * n
		case inTime && unit == 's':
			d.secs += n
		default:
			return fail(i)
		}
		seen = true
		i++
	}
	if !seen {
		return fail(len(s))
	}
	return d, 0, nil
}

// resolveZone finds the location of a TZID: an IANA name, an IANA name
// with the "/" prefix of a globally unique id, or a Windows zone name.
func resolveZone(tzid string) (*time.Location, bool) {
	name := strings.TrimSpace(strings.TrimPrefix(tzid, "/"))
	if iana, ok := windowsZones[name]; ok {
		name = iana
	}
	// "" and "Local" would load UTC or this machine's zone; neither is what
	// the file meant, and the second would make results vary by machine.
	if name == "" || name == "Local" || len(name) > 100 {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return loc, true
}
