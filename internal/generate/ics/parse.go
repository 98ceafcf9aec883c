package ics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// Parse reads an iCalendar file. It returns a calendar (never nil) with
// every event it could read, and findings for every problem found, sorted
// by position. An event without DTSTART is reported and left out.
//
// Floating times (no Z, no TZID) are taken as UTC. A floating or date-only
// UNTIL, and a floating or date-only EXDATE of a timed event, are read in
// the zone of the event's DTSTART, which is what calendar programs mean.
func Parse(file string, data []byte) (*Calendar, []relsop.Finding) {
	p := &parser{file: file, cal: &Calendar{}, zones: map[string]*time.Location{}}
	if len(data) > MaxFileSize {
		p.errorf(relsop.Pos{Line: 1, Col: 1}, CodeTooLarge, "split the calendar or export a shorter date range",
			"file is %d bytes, more than the limit of %d", len(data), MaxFileSize)
		return p.cal, p.fs
	}
	lines := unfold(strings.TrimPrefix(string(data), "\ufeff"))
	if p.precheck(lines) {
		for i := range lines {
			if !p.line(&lines[i]) {
				break
			}
		}
		for len(p.stack) > 0 {
			fr := p.pop()
			p.errorf(relsop.Pos{Line: fr.line, Col: 1}, CodeUnbalanced, "add END:"+fr.name+" where the component ends",
				"component %s is never closed", fr.name)
		}
	}
	slices.SortStableFunc(p.cal.Events, func(a, b Event) int { return cmp.Compare(a.Line, b.Line) })
	slices.SortStableFunc(p.fs, func(a, b relsop.Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return p.cal, p.fs
}

type parser struct {
	file   string
	cal    *Calendar
	fs     []relsop.Finding
	stack  []frame
	events int                       // VEVENTs begun
	zones  map[string]*time.Location // TZID -> location; UTC for unknown ones, warned once
}

// frame is an open component.
type frame struct {
	name string
	line int
	ev   *eventBuilder // for a VEVENT
}

// eventBuilder gathers the properties of a VEVENT until its END, as
// DTSTART may come after the properties that depend on it.
type eventBuilder struct {
	ev              Event
	start, end      *dateValue
	endPos          relsop.Pos
	dur             *duration
	durPos          relsop.Pos
	rule            *parsedRule
	ruleSeen, rdate bool
	exdates         []dateValue
}

func (p *parser) report(sev relsop.Severity, pos relsop.Pos, code, hint, format string, args ...any) {
	p.fs = append(p.fs, relsop.Finding{File: p.file, Pos: pos, Severity: sev, Code: code,
		Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (p *parser) errorf(pos relsop.Pos, code, hint, format string, args ...any) {
	p.report(relsop.SeverityError, pos, code, hint, format, args...)
}

func (p *parser) warnf(pos relsop.Pos, code, hint, format string, args ...any) {
	p.report(relsop.SeverityWarning, pos, code, hint, format, args...)
}

// precheck tells a file that is not iCalendar at all (a CSV export, a
// spreadsheet) from one with errors, and reports the first with a single
// finding. It reports whether to go on.
func (p *parser) precheck(lines []logicalLine) bool {
	const hint = "export the calendar as an iCalendar (.ics) file: in Google Calendar under Settings > Import & export, in Outlook with File > Save Calendar"
	if len(lines) == 0 {
		p.errorf(relsop.Pos{Line: 1, Col: 1}, CodeNotICalendar, hint, "file is empty; want an iCalendar file")
		return false
	}
	isBegin := func(l logicalLine, name string) bool {
		return strings.EqualFold(strings.TrimSpace(l.text), "BEGIN:"+name)
	}
	if isBegin(lines[0], "VCALENDAR") {
		return true
	}
	hasCal, hasEvent := false, false
	for _, l := range lines {
		hasCal = hasCal || isBegin(l, "VCALENDAR")
		hasEvent = hasEvent || isBegin(l, "VEVENT")
	}
	first := lines[0].pos(0)
	switch {
	case hasCal:
		return true
	case hasEvent:
		p.errorf(first, CodeNoVCalendar, "put BEGIN:VCALENDAR on the first line and END:VCALENDAR on the last",
			"file has no BEGIN:VCALENDAR")
		return true
	}
	what := "does not start with BEGIN:VCALENDAR"
	if t := lines[0].text; strings.Count(t, ",") >= 2 || strings.Count(t, ";") >= 2 && !strings.Contains(t, ":") {
		what = "it looks like CSV"
	}
	p.errorf(first, CodeNotICalendar, hint, "file is not an iCalendar file: %s (first line %s)", what, quote(lines[0].text))
	return false
}

// line handles one logical line. It reports whether to go on.
func (p *parser) line(l *logicalLine) bool {
	c, f := parseContentLine(p.file, l)
	if f != nil {
		p.fs = append(p.fs, *f)
		return true
	}
	at := l.pos(0)
	switch c.name {
	case "BEGIN":
		fr := frame{name: strings.ToUpper(strings.TrimSpace(c.value)), line: at.Line}
		if fr.name == "VEVENT" {
			if p.events >= MaxEvents {
				p.errorf(at, CodeTooManyEvents, "split the calendar or export a shorter date range",
					"file has more than %d events; the rest are not read", MaxEvents)
				return false
			}
			p.events++
			fr.ev = &eventBuilder{ev: Event{Line: at.Line}}
		}
		p.stack = append(p.stack, fr)
	case "END":
		name := strings.ToUpper(strings.TrimSpace(c.value))
		i := len(p.stack) - 1
		for i >= 0 && p.stack[i].name != name {
			i--
		}
		if i < 0 {
			p.errorf(at, CodeUnbalanced, "remove the line or add the BEGIN:"+name+" it closes",
				"unmatched END:%s: no BEGIN:%s is open", name, name)
			return true
		}
		for len(p.stack) > i+1 {
			fr := p.pop()
			p.errorf(relsop.Pos{Line: fr.line, Col: 1}, CodeUnbalanced, "add END:"+fr.name+" before line "+fmt.Sprint(at.Line),
				"component %s is not closed before END:%s on line %d", fr.name, name, at.Line)
		}
		p.pop()
	default:
		if len(p.stack) == 0 {
			return true
		}
		top := p.stack[len(p.stack)-1]
		switch {
		case top.ev != nil:
			p.property(top.ev, c)
		case top.name == "VCALENDAR" && c.name == "X-WR-CALNAME":
			p.cal.Name = unescapeText(c.value)
		}
	}
	return true
}

// pop closes the innermost component, finishing it if it is an event.
func (p *parser) pop() frame {
	fr := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if fr.ev != nil {
		p.finish(fr.ev)
	}
	return fr
}

// property reads one property of an event.
func (p *parser) property(b *eventBuilder, c *contentLine) {
	at := func(off int) relsop.Pos { return c.src.pos(c.valueOff + off) }
	switch c.name {
	case "UID":
		b.ev.UID = unescapeText(c.value)
	case "SUMMARY":
		b.ev.Summary = unescapeText(c.value)
	case "DESCRIPTION":
		b.ev.Description = unescapeText(c.value)
	case "LOCATION":
		b.ev.Location = unescapeText(c.value)
	case "CATEGORIES":
		items, _ := splitList(c.value)
		for _, it := range items {
			if it = strings.TrimSpace(unescapeText(it)); it != "" {
				b.ev.Categories = append(b.ev.Categories, it)
			}
		}
	case "DTSTART", "DTEND":
		dst := &b.start
		if c.name == "DTEND" {
			dst = &b.end
		}
		if *dst != nil {
			p.warnf(c.src.pos(0), CodeDuplicateProp, "remove one of them", "event has a second %s; it is ignored", c.name)
			return
		}
		if v, ok := p.date(c, c.value, 0); ok {
			*dst = &v
			if c.name == "DTEND" {
				b.endPos = at(0)
			}
		}
	case "DURATION":
		d, where, err := parseDuration(strings.TrimSpace(c.value))
		if err != nil {
			p.errorf(at(where), CodeBadDuration, "", "%v", err)
			return
		}
		b.dur, b.durPos = &d, at(0)
	case "RRULE":
		if b.ruleSeen {
			p.warnf(c.src.pos(0), CodeUnsupported, "merge the rules into one or split the event", "event has more than one RRULE; only the first is used")
			return
		}
		b.ruleSeen = true
		r, fs := parseRule(p.file, c.value, at)
		p.fs = append(p.fs, fs...)
		b.rule = r
	case "EXDATE":
		values, offs := splitList(c.value)
		for i, s := range values {
			if v, ok := p.date(c, s, offs[i]); ok {
				b.exdates = append(b.exdates, v)
			}
		}
	case "RDATE":
		if !b.rdate {
			b.rdate = true
			p.warnf(c.src.pos(0), CodeUnsupported, "add the extra dates as events of their own", "extra dates in RDATE are not supported and are ignored")
		}
	}
}

// date reads the date s found at offset off of c's value, applying c's
// TZID, and reports a bad one.
func (p *parser) date(c *contentLine, s string, off int) (dateValue, bool) {
	v, _, err := parseDate(strings.TrimSpace(s))
	if err != nil {
		hint := "write dates like 20261203 or 20261203T010000, with Z for UTC"
		if strings.ContainsAny(s, "-:") {
			hint = "write dates without dashes or colons, like 20261203 or 20261203T010000Z"
		}
		p.errorf(c.src.pos(c.valueOff+off), CodeBadDate, hint, "bad %s date %s: %v", c.name, quote(s), err)
		return v, false
	}
	if tzid, toff, ok := c.param("TZID"); ok && !v.dateOnly && !v.utc {
		v.loc = p.zone(tzid, c.src.pos(toff))
	}
	return v, true
}

// zone resolves a TZID, warning once per unknown name.
func (p *parser) zone(tzid string, at relsop.Pos) *time.Location {
	if loc, ok := p.zones[tzid]; ok {
		return loc
	}
	loc, ok := resolveZone(tzid)
	if !ok {
		loc = time.UTC
		p.warnf(at, CodeUnknownTZID, "use an IANA zone name such as Europe/Berlin",
			"unknown time zone %s; its times are read as UTC", quote(tzid))
	}
	p.zones[tzid] = loc
	return loc
}

// finish turns a complete VEVENT into an Event.
func (p *parser) finish(b *eventBuilder) {
	ev := b.ev
	if b.start == nil {
		p.errorf(relsop.Pos{Line: ev.Line, Col: 1}, CodeMissingDTStart, "add a DTSTART, such as DTSTART:20261203T010000Z",
			"event %shas no DTSTART; it is left out", describe(ev))
		return
	}
	ev.Start, ev.AllDay = b.start.time(), b.start.dateOnly
	loc := ev.Start.Location()
	h, mi, s := ev.Start.Clock()
	switch {
	case b.end != nil:
		ev.End = b.end.time()
		if b.dur != nil {
			p.warnf(b.durPos, CodeDuplicateProp, "remove DURATION or DTEND", "event has both DTEND and DURATION; DURATION is ignored")
		}
	case b.dur != nil:
		ev.End = b.dur.add(ev.Start)
	case ev.AllDay:
		ev.End = ev.Start.AddDate(0, 0, 1)
	default:
		ev.End = ev.Start
	}
	if ev.End.Before(ev.Start) {
		pos := cmp.Or(b.endPos, b.durPos)
		p.warnf(pos, CodeEndBeforeStart, "check the end date", "event %sends before it starts; it is read as ending at its start", describe(ev))
		ev.End = ev.Start
	}
	if b.rule != nil {
		r := b.rule.rule
		if u := b.rule.until; u != nil {
			switch {
			case u.dateOnly && ev.AllDay:
				r.Until = u.time()
			case u.dateOnly:
				r.Until = time.Date(u.year, time.Month(u.month), u.day, 23, 59, 59, 0, loc)
			case u.utc:
				r.Until = u.time()
			default:
				r.Until = time.Date(u.year, time.Month(u.month), u.day, u.hour, u.minute, u.second, 0, loc)
			}
		}
		ev.Rule = &r
	}
	for _, x := range b.exdates {
		switch {
		case ev.AllDay:
			ev.Exdates = append(ev.Exdates, time.Date(x.year, time.Month(x.month), x.day, 0, 0, 0, 0, time.UTC))
		case x.dateOnly:
			ev.Exdates = append(ev.Exdates, time.Date(x.year, time.Month(x.month), x.day, h, mi, s, 0, loc))
		case !x.utc && x.loc == nil:
			ev.Exdates = append(ev.Exdates, time.Date(x.year, time.Month(x.month), x.day, x.hour, x.minute, x.second, 0, loc))
		default:
			ev.Exdates = append(ev.Exdates, x.time())
		}
	}
	ev.Kind = classify(ev)
	p.cal.Events = append(p.cal.Events, ev)
}

// describe names an event in a message: `"Release train" `, or nothing.
func describe(ev Event) string {
	if ev.Summary == "" {
		return ""
	}
	return quote(ev.Summary) + " "
}
