package generate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/ics"
)

// A release calendar becomes schedule constraints: its release events say
// when releases happen (on the start step), its freezes when they must not
// (on the freeze step, added when the plan has none) and its maintenance
// windows when production may be touched (on the production deploys).
// Dates are listed from the calendar's own first event, never from the
// clock, so the same calendar always gives the same SOP.

// calendarHorizon is how far past the calendar's first event dates are
// listed.
const calendarHorizon = 2 // years

// maxCalendarEvents bounds the events of one kind read from a calendar:
// expanding a rule can take long, and a procedure lists a few series.
const maxCalendarEvents = 20

func (in *inputs) applyCalendar(file string, cal *ics.Calendar) {
	p := in.p
	var rel, frz, mnt []ics.Event
	other := 0
	var ref time.Time
	for _, e := range cal.Events {
		if ref.IsZero() || e.Start.Before(ref) {
			ref = e.Start
		}
		switch e.Kind {
		case ics.KindRelease:
			rel = append(rel, e)
		case ics.KindFreeze:
			frz = append(frz, e)
		case ics.KindMaintenance:
			mnt = append(mnt, e)
		default:
			other++
		}
	}
	title := inCleanLine(cal.Name, 150)
	if title == "" {
		title = "Release calendar " + inStem(file)
	}
	counts := plural(len(rel), "release event", "release events") + ", " + plural(len(frz), "freeze", "freezes") + " and " +
		plural(len(mnt), "maintenance window", "maintenance windows")
	in.addSource("calendar", title, file, counts+": the release schedule, freeze windows and deploy windows.")
	if len(rel)+len(frz)+len(mnt) == 0 {
		in.note("calendar %s has no release, freeze or maintenance events (%d other events), so it changes nothing", file, other)
		return
	}
	for _, evs := range []*[]ics.Event{&rel, &frz, &mnt} {
		if len(*evs) > maxCalendarEvents {
			in.note("calendar %s: only the first %d of %d %s events are used", file, maxCalendarEvents, len(*evs), (*evs)[0].Kind)
			*evs = (*evs)[:maxCalendarEvents]
		}
	}
	if other > 0 {
		in.note("calendar %s: %d events that are not releases, freezes or maintenance windows are left out", file, other)
	}
	ref = ref.UTC()
	to := ref.AddDate(calendarHorizon, 0, 0)
	p.b.assumptions = append(p.b.assumptions, fmt.Sprintf("the dates listed from the calendar %s start at its first event (%s), not at today's date", file, fmtDay(ref)))
	var summary []string
	if len(rel) > 0 {
		next := in.applyReleases(file, rel, ref, to)
		summary = append(summary, fmt.Sprintf("release dates on the start step (next: %s)", strings.Join(next, ", ")))
		in.checkFreezeClashes(file, rel, frz, ref, to)
	}
	if len(frz) > 0 {
		if id := in.applyFreezes(file, frz, ref, to); id != "" {
			summary = append(summary, plural(len(frz), "freeze window", "freeze windows")+" on step "+id)
		}
	}
	if len(mnt) > 0 {
		if ids := in.applyMaintenance(file, mnt, ref, to); len(ids) > 0 {
			summary = append(summary, plural(len(mnt), "maintenance window", "maintenance windows")+" on steps "+strings.Join(ids, ", "))
		}
	}
	if len(summary) > 0 {
		p.sop.Notes = inAppendText(p.sop.Notes, "Schedule constraints from the calendar "+file+": "+strings.Join(summary, "; ")+".")
	}
	in.note("calendar %s: %s used", file, counts)
}

// applyReleases describes the release schedule on the start step and
// returns the next release dates.
func (in *inputs) applyReleases(file string, rel []ics.Event, ref, to time.Time) []string {
	var when []time.Time
	var series []string
	for _, e := range rel {
		when = append(when, e.Occurrences(ref, to, maxListedDates)...)
		series = append(series, eventText(e))
	}
	slices.SortStableFunc(when, func(a, b time.Time) int { return a.Compare(b) })
	if len(when) > maxListedDates {
		when = when[:maxListedDates]
	}
	var dates []string
	for _, t := range when {
		dates = append(dates, fmtWhen(t, isAllDay(rel, t)))
	}
	text := "Release dates follow the calendar " + file + ": " + strings.Join(series, "; ") + "."
	if len(dates) > 0 {
		text += " The first release dates: " + strings.Join(dates, ", ") + "."
	}
	for _, st := range in.mainSteps() {
		if st.Kind == relsop.KindStart {
			st.Description = inAppendText(st.Description, text)
			in.addWhy(st.ID, "the calendar "+file+" sets the release dates")
			break
		}
	}
	return dates
}

// isAllDay reports whether t is the start of an all-day event of evs.
func isAllDay(evs []ics.Event, t time.Time) bool {
	for _, e := range evs {
		if e.AllDay && e.Start.Location() == t.Location() && e.Start.Hour() == t.Hour() && e.Start.Minute() == t.Minute() {
			return true
		}
	}
	return false
}

// applyFreezes describes the freeze windows on the freeze step, adding one
// at the start of the build phase when the plan has none. It returns the
// step's id.
func (in *inputs) applyFreezes(file string, frz []ics.Event, ref, to time.Time) string {
	p := in.p
	var lines []string
	for _, e := range frz {
		lines = append(lines, "- "+eventText(e)+windowsText(e, ref, to))
	}
	text := "No release goes out during the freeze windows of the calendar " + file + ", except approved fixes for release blockers:\n" + strings.Join(lines, "\n")
	var freeze *relsop.Step
	for _, st := range in.mainSteps() {
		if (st.Kind == relsop.KindTask || st.Kind == relsop.KindAutomated) && slices.Contains(inWords(st.Name+" "+st.ID), "freeze") {
			freeze = st
			break
		}
	}
	if freeze != nil {
		freeze.Description = inAppendText(freeze.Description, text)
		in.addWhy(freeze.ID, "the calendar "+file+" sets freeze windows")
		return freeze.ID
	}
	ph := in.existingPhase("build")
	at := 0
	for i, id := range p.main {
		if st := p.sop.Step(id); st != nil && i < len(p.main)-1 && (st.Kind == relsop.KindStart || inPhaseRank(st.Phase) < inPhaseRank(ph)) {
			at = i
		}
	}
	if !in.canInsert(at) {
		in.note("calendar %s: no place for a freeze step; the freeze windows are in the SOP's notes", file)
		p.sop.Notes = inAppendText(p.sop.Notes, text)
		return ""
	}
	id, _ := in.insertMain(at, relsop.Step{ID: "freeze", Name: "Check the release date against the code freeze calendar", Kind: relsop.KindTask, Phase: ph,
		Owner: p.role("release-manager"), Description: text, RACI: relsop.RACI{Informed: []string{p.role("dev-lead")}}})
	p.why[id] = "the calendar " + file + " has freeze windows, and releases must keep out of them"
	return id
}

// applyMaintenance describes the maintenance windows on every production
// deploy of the main line and returns their ids.
func (in *inputs) applyMaintenance(file string, mnt []ics.Event, ref, to time.Time) []string {
	var parts []string
	for _, e := range mnt {
		parts = append(parts, eventText(e)+windowsText(e, ref, to))
	}
	text := "Deploy only in the maintenance window of the calendar " + file + ": " + strings.Join(parts, "; ") + "."
	var ids []string
	for _, st := range in.mainSteps() {
		if st.IsProductionDeploy(in.p.sop) {
			st.Description = inAppendText(st.Description, text)
			in.addWhy(st.ID, "the calendar "+file+" allows production changes only in its maintenance windows")
			ids = append(ids, st.ID)
		}
	}
	if len(ids) == 0 {
		in.note("calendar %s: the SOP has no production deploy for the maintenance windows; they are in its notes", file)
		in.p.sop.Notes = inAppendText(in.p.sop.Notes, text)
	}
	return ids
}

// checkFreezeClashes notes release dates that fall in a freeze window.
func (in *inputs) checkFreezeClashes(file string, rel, frz []ics.Event, ref, to time.Time) {
	type window struct {
		from, to time.Time
		name     string
	}
	var windows []window
	for _, f := range frz {
		d := f.End.Sub(f.Start)
		for _, s := range f.Occurrences(ref, to, 50) {
			windows = append(windows, window{s, s.Add(d), inCleanLine(f.Summary, 80)})
		}
	}
	var clashes []string
	for _, r := range rel {
		for _, t := range r.Occurrences(ref, to, 50) {
			for _, w := range windows {
				if !t.Before(w.from) && t.Before(w.to) {
					clashes = append(clashes, fmt.Sprintf("%s (%s) falls in %s", fmtWhen(t, r.AllDay), inCleanLine(r.Summary, 80), w.name))
				}
			}
		}
	}
	if len(clashes) > 5 {
		clashes = append(clashes[:5], fmt.Sprintf("and %d more", len(clashes)-5))
	}
	if len(clashes) > 0 {
		in.note("calendar %s: release dates in a freeze window: %s", file, strings.Join(clashes, "; "))
	}
}

// eventText says what an event is and when it recurs, in words: "Weekly
// release train (line 5): every Thursday, 01:00–04:00 Europe/London,
// except Thu 2 Apr 2026".
func eventText(e ics.Event) string {
	name := inCleanLine(e.Summary, 100)
	if name == "" {
		name = "Untitled event"
	}
	s := fmt.Sprintf("%s (line %d): %s", name, e.Line, recurText(e))
	if !e.AllDay {
		s += ", " + e.Start.Format("15:04")
		if e.End.After(e.Start) {
			if sameDay(e.Start, e.End) {
				s += "–" + e.End.Format("15:04")
			} else {
				s += " for " + fmtSpan(e.End.Sub(e.Start))
			}
		}
		s += " " + e.Start.Location().String()
	} else if d := e.End.Sub(e.Start); d > 24*time.Hour && e.Rule != nil {
		s += " for " + fmtSpan(d)
	}
	if len(e.Exdates) > 0 {
		var ex []string
		for i, t := range e.Exdates {
			if i == 5 {
				ex = append(ex, fmt.Sprintf("and %d more", len(e.Exdates)-5))
				break
			}
			ex = append(ex, fmtDay(t))
		}
		s += ", except " + strings.Join(ex, ", ")
	}
	return s
}

// recurText says when an event happens: once (its dates) or by its rule.
func recurText(e ics.Event) string {
	r := e.Rule
	if r == nil {
		if e.AllDay {
			last := e.End.AddDate(0, 0, -1)
			if !last.After(e.Start) {
				return "on " + fmtDay(e.Start)
			}
			return "from " + fmtDay(e.Start) + " to " + fmtDay(last)
		}
		if e.End.After(e.Start) && !sameDay(e.Start, e.End) {
			return "from " + fmtDay(e.Start) + " to " + fmtDay(e.End)
		}
		return "on " + fmtDay(e.Start)
	}
	unit := map[string]string{"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[r.Freq]
	if unit == "" {
		unit = strings.ToLower(r.Freq)
	}
	every := "every " + unit
	if r.Interval > 1 {
		every = fmt.Sprintf("every %d %ss", r.Interval, unit)
	}
	var days []string
	for _, d := range r.ByDay {
		day := d.Day.String()
		switch {
		case d.N == -1:
			day = "the last " + day
		case d.N < -1:
			day = fmt.Sprintf("the %s last %s", ordinal(-d.N), day)
		case d.N > 0:
			day = "the " + ordinal(d.N) + " " + day
		}
		days = append(days, day)
	}
	for _, md := range r.ByMonthDay {
		if md < 0 {
			days = append(days, fmt.Sprintf("day %d from the end of the month", -md))
		} else {
			days = append(days, fmt.Sprintf("day %d", md))
		}
	}
	s := every
	switch {
	case r.Freq == "WEEKLY" && r.Interval <= 1 && len(r.ByDay) > 0:
		s = "every " + joinAnd(days)
	case len(days) > 0:
		s += " on " + joinAnd(days)
	case r.Freq == "WEEKLY":
		s += " on " + e.Start.Weekday().String()
	}
	if len(r.ByMonth) > 0 {
		var ms []string
		for _, m := range r.ByMonth {
			if m >= 1 && m <= 12 {
				ms = append(ms, time.Month(m).String())
			}
		}
		if len(ms) > 0 {
			s += " in " + joinAnd(ms)
		}
	}
	s += " from " + fmtDay(e.Start)
	if r.Count > 0 {
		s += fmt.Sprintf(", %d times", r.Count)
	}
	if !r.Until.IsZero() {
		s += ", until " + fmtDay(r.Until)
	}
	return s
}

// windowsText lists the next windows of a recurring event.
func windowsText(e ics.Event, ref, to time.Time) string {
	if e.Rule == nil {
		return ""
	}
	d := e.End.Sub(e.Start)
	var ws []string
	for _, t := range e.Occurrences(ref, to, maxListedWindows) {
		ws = append(ws, fmtWindow(t, d, e.AllDay))
	}
	if len(ws) == 0 {
		return ""
	}
	return " (next: " + strings.Join(ws, "; ") + ")"
}

func fmtWindow(t time.Time, d time.Duration, allDay bool) string {
	if allDay {
		last := t.Add(d).AddDate(0, 0, -1)
		if !last.After(t) {
			return fmtDay(t)
		}
		return fmtDay(t) + " – " + fmtDay(last)
	}
	end := t.Add(d)
	switch {
	case d <= 0:
		return fmtWhen(t, false)
	case sameDay(t, end):
		return fmtDay(t) + " " + t.Format("15:04") + "–" + end.Format("15:04 MST")
	}
	return fmtWhen(t, false) + " – " + fmtWhen(end, false)
}

func fmtDay(t time.Time) string { return t.Format("Mon 2 Jan 2006") }

func fmtWhen(t time.Time, allDay bool) string {
	if allDay {
		return fmtDay(t)
	}
	return t.Format("Mon 2 Jan 2006 15:04 MST")
}

func fmtSpan(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		if n := int(d / (24 * time.Hour)); n != 1 {
			return fmt.Sprintf("%d days", n)
		}
		return "1 day"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d minutes", int(d/time.Minute))
}

func sameDay(a, b time.Time) bool {
	b = b.In(a.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

func ordinal(n int) string {
	if w := map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}[n]; w != "" {
		return w
	}
	return fmt.Sprintf("%dth", n)
}

func joinAnd(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
