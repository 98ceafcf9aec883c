package ics

import (
	"math"
	"slices"
	"time"
)

// Occurrences lists the starts of the event's occurrences in [from, to),
// at most max, EXDATEs removed, in order. DTSTART is always the first
// occurrence and counts toward COUNT, as RFC 5545 says, and so do
// occurrences removed by EXDATE. Each occurrence keeps DTSTART's wall-clock
// time in DTSTART's zone, so a 01:00 Europe/London train stays at 01:00
// across the change to and from summer time.
//
// A rule that produces nothing for MaxPeriods periods, or runs past the
// year 9999, ends the expansion.
func (e Event) Occurrences(from, to time.Time, max int) []time.Time {
	if max <= 0 || !from.Before(to) {
		return nil
	}
	x := &expander{r: e.Rule, start: e.Start, from: from, to: to, max: max, ex: newExcluder(e.Exdates)}
	if !x.emit(e.Start) || e.Rule == nil {
		return x.out
	}
	x.run()
	return x.out
}

// expander walks the periods of a rule (days, weeks, months or years) and
// emits the occurrences in each.
type expander struct {
	r            *Rule
	start        time.Time
	from, to     time.Time
	max          int
	ex           excluder
	out          []time.Time
	emitted      int // occurrences so far, for COUNT
	startDay     int64
	startWeekday time.Weekday
}

// emit takes one occurrence, in order, and reports whether to go on.
func (x *expander) emit(t time.Time) bool {
	if x.r != nil && !x.r.Until.IsZero() && t.After(x.r.Until) || !t.Before(x.to) {
		return false
	}
	x.emitted++
	if !t.Before(x.from) && !x.ex.has(t) {
		x.out = append(x.out, t)
		if len(x.out) >= x.max {
			return false
		}
	}
	return x.r == nil || x.r.Count <= 0 || x.emitted < x.r.Count
}

func (x *expander) run() {
	r, loc := x.r, x.start.Location()
	h, mi, s := x.start.Clock()
	ns := x.start.Nanosecond()
	y0, m0, _ := x.start.Date()
	x.startDay = civil(x.start.Date())
	x.startWeekday = x.start.Weekday()
	iv := int64(max(r.Interval, 1))
	weekStart := x.startDay - int64((x.startWeekday-r.WeekStart+7)%7)

	// Without COUNT the periods before from need not be walked: jump to
	// the one before the period holding from.
	var k0 int64
	if r.Count <= 0 && x.from.After(x.start) {
		fy, fm, fd := x.from.In(loc).Date()
		switch r.Freq {
		case "DAILY":
			k0 = (civil(fy, fm, fd) - x.startDay) / iv
		case "WEEKLY":
			k0 = (civil(fy, fm, fd) - weekStart) / (7 * iv)
		case "MONTHLY":
			k0 = (int64(fy-y0)*12 + int64(fm-m0)) / iv
		case "YEARLY":
			k0 = int64(fy-y0) / iv
		}
		k0 = max(k0-1, 0)
	}
	last := civil(x.to.In(loc).Date()) + 1
	if !r.Until.IsZero() {
		last = min(last, civil(r.Until.In(loc).Date())+1)
	}
	for k := k0; k < k0+MaxPeriods; k++ {
		var days []int64
		var first int64
		switch r.Freq {
		case "DAILY":
			first = x.startDay + k*iv
			if x.filter(first) && x.weekdayMatch(first) {
				days = []int64{first}
			}
		case "WEEKLY":
			first = weekStart + k*7*iv
			for d := first; d < first+7; d++ {
				if x.filter(d) && x.weekdayMatch(d) {
					days = append(days, d)
				}
			}
		case "MONTHLY":
			m := int64(y0)*12 + int64(m0-1) + k*iv
			y, mo := floorDiv(m, 12), int(m-floorDiv(m, 12)*12)+1
			if y > 9999 {
				return
			}
			first = civil(int(y), time.Month(mo), 1)
			days = x.monthDays(int(y), mo, 0, 0)
		case "YEARLY":
			y := int64(y0) + k*iv
			if y > 9999 {
				return
			}
			first = civil(int(y), 1, 1)
			days = x.yearDays(int(y))
		default:
			return
		}
		if first > last || first > maxDay {
			return
		}
		for _, d := range setPos(days, r.BySetPos) {
			y, m, dd := fromCivil(d)
			t := time.Date(y, m, dd, h, mi, s, ns, loc)
			if !t.After(x.start) {
				continue
			}
			if !x.emit(t) {
				return
			}
		}
	}
}

// maxDay is 9999-12-31, past which no iCalendar date can be written.
var maxDay = civil(9999, 12, 31)

// filter applies BYMONTH and BYMONTHDAY to a day.
func (x *expander) filter(d int64) bool {
	y, m, dd := fromCivil(d)
	return (len(x.r.ByMonth) == 0 || slices.Contains(x.r.ByMonth, int(m))) &&
		(len(x.r.ByMonthDay) == 0 || monthDayMatch(x.r.ByMonthDay, dd, daysIn(y, int(m))))
}

// weekdayMatch applies BYDAY without ordinals (for DAILY and WEEKLY); with
// no BYDAY a WEEKLY rule repeats on DTSTART's weekday.
func (x *expander) weekdayMatch(d int64) bool {
	wd := weekdayOf(d)
	if len(x.r.ByDay) == 0 {
		return x.r.Freq != "WEEKLY" || wd == x.startWeekday
	}
	for _, wn := range x.r.ByDay {
		if wn.Day == wd {
			return true
		}
	}
	return false
}

// monthDays lists the days of month m of year y that the rule picks.
// BYDAY ordinals count within [scopeFirst, scopeLast], or within the month
// if scopeFirst is 0.
func (x *expander) monthDays(y, m int, scopeFirst, scopeLast int64) []int64 {
	r := x.r
	if len(r.ByMonth) > 0 && !slices.Contains(r.ByMonth, m) {
		return nil
	}
	dim := daysIn(y, m)
	first := civil(y, time.Month(m), 1)
	if len(r.ByMonthDay) == 0 && len(r.ByDay) == 0 {
		if _, _, d0 := x.start.Date(); d0 <= dim {
			return []int64{first + int64(d0-1)}
		}
		return nil
	}
	if scopeFirst == 0 {
		scopeFirst, scopeLast = first, first+int64(dim-1)
	}
	var days []int64
	for dd := 1; dd <= dim; dd++ {
		d := first + int64(dd-1)
		if (len(r.ByMonthDay) == 0 || monthDayMatch(r.ByMonthDay, dd, dim)) &&
			(len(r.ByDay) == 0 || byDayMatch(r.ByDay, d, scopeFirst, scopeLast)) {
			days = append(days, d)
		}
	}
	return days
}

// yearDays lists the days of year y that a YEARLY rule picks.
func (x *expander) yearDays(y int) []int64 {
	r := x.r
	_, m0, d0 := x.start.Date()
	if len(r.ByMonth) == 0 && len(r.ByMonthDay) == 0 && len(r.ByDay) == 0 {
		if d0 <= daysIn(y, int(m0)) {
			return []int64{civil(y, m0, d0)}
		}
		return nil
	}
	// BYDAY ordinals count within the month if BYMONTH is given ("the last
	// Friday of March"), else within the year ("the 20th Monday").
	var scopeFirst, scopeLast int64
	if len(r.ByMonth) == 0 {
		scopeFirst, scopeLast = civil(y, 1, 1), civil(y, 12, 31)
	}
	var days []int64
	for m := 1; m <= 12; m++ {
		days = append(days, x.monthDays(y, m, scopeFirst, scopeLast)...)
	}
	return days
}

func monthDayMatch(list []int, day, dim int) bool {
	for _, v := range list {
		if v == day || v < 0 && dim+v+1 == day {
			return true
		}
	}
	return false
}

// byDayMatch reports whether day d is one of list, ordinals counting
// within [first, last].
func byDayMatch(list []WeekdayNum, d, first, last int64) bool {
	wd := weekdayOf(d)
	for _, wn := range list {
		if wn.Day != wd {
			continue
		}
		switch {
		case wn.N == 0,
			wn.N > 0 && int64(wn.N) == (d-first)/7+1,
			wn.N < 0 && int64(-wn.N) == (last-d)/7+1:
			return true
		}
	}
	return false
}

// setPos keeps the days at the BYSETPOS positions of one period's set.
func setPos(days []int64, pos []int) []int64 {
	if len(pos) == 0 || len(days) == 0 {
		return days
	}
	var out []int64
	for _, p := range pos {
		i := p - 1
		if p < 0 {
			i = len(days) + p
		}
		if i >= 0 && i < len(days) {
			out = append(out, days[i])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// civil numbers a calendar date by days since 1970-01-01.
func civil(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func fromCivil(n int64) (int, time.Month, int) {
	if n > math.MaxInt64/86400 || n < math.MinInt64/86400 {
		n = 0
	}
	return time.Unix(n*86400, 0).UTC().Date()
}

func weekdayOf(n int64) time.Weekday {
	return time.Weekday(((n+4)%7 + 7) % 7) // 1970-01-01 was a Thursday
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// excluder answers whether an instant is an EXDATE.
type excluder map[[2]int64]bool

func newExcluder(ts []time.Time) excluder {
	ex := make(excluder, len(ts))
	for _, t := range ts {
		ex[[2]int64{t.Unix(), int64(t.Nanosecond())}] = true
	}
	return ex
}

func (ex excluder) has(t time.Time) bool { return ex[[2]int64{t.Unix(), int64(t.Nanosecond())}] }
