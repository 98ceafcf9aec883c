package ics

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

var weekdays = map[string]time.Weekday{
	"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday,
}

// unsupportedParts are RRULE parts of RFC 5545 (and RFC 7529) that this
// package does not expand; they are dropped with a warning.
var unsupportedParts = map[string]bool{
	"BYSECOND": true, "BYMINUTE": true, "BYHOUR": true, "BYWEEKNO": true,
	"BYYEARDAY": true, "RSCALE": true, "SKIP": true,
}

// parsedRule is an RRULE as read, with UNTIL kept as written: a floating
// or date-only UNTIL takes its meaning from DTSTART, which may come later.
type parsedRule struct {
	rule  Rule
	until *dateValue
}

// parseRule reads an RRULE value. at maps an offset in value to a
// position. On an error it returns nil and the findings.
func parseRule(file, value string, at func(off int) relsop.Pos) (*parsedRule, []relsop.Finding) {
	var fs []relsop.Finding
	report := func(sev relsop.Severity, code string, off int, msg, hint string) {
		fs = append(fs, relsop.Finding{File: file, Pos: at(off), Severity: sev, Code: code, Message: msg, Hint: hint})
	}
	bad := func(off int, msg string) {
		report(relsop.SeverityError, CodeBadRRule, off, msg, "write the rule as NAME=value parts separated by ';', such as FREQ=WEEKLY;BYDAY=TH")
	}
	pr := &parsedRule{rule: Rule{Interval: 1, WeekStart: time.Monday}}
	r := &pr.rule
	seen := map[string]bool{}
	failed := false
	ordinalAt := -1
	off := 0
	for _, part := range strings.Split(value, ";") {
		partOff := off
		off += len(part) + 1
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		name = strings.ToUpper(name)
		valOff := partOff + len(name) + 1
		if !ok {
			bad(partOff, "rule part "+quote(part)+" has no '='")
			failed = true
			continue
		}
		if seen[name] {
			bad(partOff, "rule part "+name+" is given twice")
			failed = true
			continue
		}
		seen[name] = true
		var err error
		switch name {
		case "FREQ":
			switch f := strings.ToUpper(val); f {
			case "DAILY", "WEEKLY", "MONTHLY", "YEARLY":
				r.Freq = f
			case "SECONDLY", "MINUTELY", "HOURLY":
				report(relsop.SeverityWarning, CodeUnsupported, valOff, "frequency "+f+" is not supported; the event is read as a single occurrence",
					"use DAILY, WEEKLY, MONTHLY or YEARLY")
				return nil, fs
			default:
				err = fmt.Errorf("unknown frequency %s", quote(val))
			}
		case "INTERVAL":
			r.Interval, err = number(val, 1, 10_000)
		case "COUNT":
			r.Count, err = number(val, 1, 1_000_000_000)
		case "UNTIL":
			v, where, derr := parseDate(val)
			if derr != nil {
				report(relsop.SeverityError, CodeBadDate, valOff+where, "bad UNTIL date "+quote(val)+": "+derr.Error(), "write UNTIL like 20261231T235959Z or 20261231")
				failed = true
				continue
			}
			pr.until = &v
		case "BYDAY":
			for item, o := range items(val) {
				wn, ok := parseWeekdayNum(item)
				if !ok {
					bad(valOff+o, "bad weekday "+quote(item)+" in BYDAY; want MO..SU with an optional ordinal such as 1MO or -1FR")
					failed = true
					continue
				}
				if wn.N != 0 && ordinalAt < 0 {
					ordinalAt = valOff + o
				}
				r.ByDay = append(r.ByDay, wn)
			}
		case "BYMONTHDAY":
			r.ByMonthDay, err = numbers(val, 31, true)
		case "BYMONTH":
			r.ByMonth, err = numbers(val, 12, false)
		case "BYSETPOS":
			r.BySetPos, err = numbers(val, 366, true)
		case "WKST":
			d, ok := weekdays[strings.ToUpper(val)]
			if !ok {
				err = fmt.Errorf("bad week start %s; want MO..SU", quote(val))
			}
			r.WeekStart = d
		default:
			if unsupportedParts[name] || strings.HasPrefix(name, "X-") {
				report(relsop.SeverityWarning, CodeUnsupported, partOff, "rule part "+name+" is not supported and is ignored",
					"occurrences are expanded without it; check them against your calendar")
				continue
			}
			bad(partOff, "unknown rule part "+quote(name))
			failed = true
			continue
		}
		if err != nil {
			bad(valOff, err.Error()+" in "+name)
			failed = true
		}
	}
	if r.Freq == "" && !failed {
		bad(0, "rule has no FREQ")
		failed = true
	}
	if failed {
		return nil, fs
	}
	if ordinalAt >= 0 && (r.Freq == "DAILY" || r.Freq == "WEEKLY") {
		report(relsop.SeverityWarning, CodeBadRRule, ordinalAt, "ordinals such as 1MO in BYDAY mean nothing with FREQ="+r.Freq+"; they are ignored",
			"use FREQ=MONTHLY or FREQ=YEARLY for \"the first Monday\" and the like")
		for i := range r.ByDay {
			r.ByDay[i].N = 0
		}
	}
	return pr, fs
}

// items yields the comma-separated items of s with their offsets.
func items(s string) func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		off := 0
		for _, it := range strings.Split(s, ",") {
			if !yield(it, off) {
				return
			}
			off += len(it) + 1
		}
	}
}

func parseWeekdayNum(s string) (WeekdayNum, bool) {
	s = strings.ToUpper(s)
	if len(s) < 2 {
		return WeekdayNum{}, false
	}
	d, ok := weekdays[s[len(s)-2:]]
	if !ok {
		return WeekdayNum{}, false
	}
	wn := WeekdayNum{Day: d}
	if n := s[:len(s)-2]; n != "" {
		v, err := signed(n, 53)
		if err != nil || v == 0 {
			return WeekdayNum{}, false
		}
		wn.N = v
	}
	return wn, true
}

// number reads an unsigned integer in [lo, hi].
func number(s string, lo, hi int) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" || len(s) > 10 {
		return 0, fmt.Errorf("want a whole number, not %s", quote(s))
	}
	v, _ := strconv.Atoi(s)
	if v < lo || v > hi {
		return 0, fmt.Errorf("%d is out of range %d..%d", v, lo, hi)
	}
	return v, nil
}

// signed reads an integer with an optional sign, 1 <= |v| <= hi.
func signed(s string, hi int) (int, error) {
	neg := strings.HasPrefix(s, "-")
	v, err := number(strings.TrimLeft(s, "+-"), 1, hi)
	if err != nil || len(strings.TrimLeft(s, "+-")) < len(s)-1 {
		return 0, fmt.Errorf("want a number from 1 to %d, optionally signed, not %s", hi, quote(s))
	}
	if neg {
		v = -v
	}
	return v, nil
}

// numbers reads a comma-separated list of numbers with |v| in 1..hi,
// negative ones allowed if signedOK.
func numbers(s string, hi int, signedOK bool) ([]int, error) {
	var out []int
	for it := range items(s) {
		var v int
		var err error
		if signedOK {
			v, err = signed(it, hi)
		} else {
			v, err = number(it, 1, hi)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
