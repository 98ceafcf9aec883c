// Package ics reads an iCalendar file (RFC 5545) of release dates, code
// freezes and maintenance windows, so that a release SOP can be checked
// against the calendar a team already keeps in Google Calendar or Outlook.
//
// Parse is the one entry point; it collects every problem of the file as a
// relsop.Finding with the line and column of the physical (folded) line and
// keeps whatever events it could read. Event.Occurrences expands a
// recurring event into concrete start times.
//
// Times are read as follows: a value ending in Z is UTC; a value with a
// TZID parameter is local time in that IANA zone (or a Windows zone name
// mapped to IANA; an unknown zone is a warning and UTC is used); a floating
// local time, with neither, is treated as UTC, because the file does not say
// where it is meant. VTIMEZONE definitions are skipped: the IANA database
// embedded with time/tzdata is used instead.
package ics

import (
	"time"

	_ "time/tzdata" // TZIDs must resolve on machines without a zoneinfo database
)

// Limits on input, so that a hostile or mistaken file fails fast instead of
// exhausting memory or time.
const (
	MaxFileSize = 4 << 20 // bytes
	MaxEvents   = 10_000  // VEVENTs in one file
	// MaxPeriods is how many periods (days, weeks, months or years) of a
	// rule one call of Occurrences looks at before it gives up; a rule that
	// matches no date, such as BYMONTH=2;BYMONTHDAY=30, would loop forever.
	MaxPeriods = 200_000
)

// Finding codes of this package.
const (
	CodeTooLarge       = "ics-too-large"
	CodeNotICalendar   = "ics-not-icalendar"
	CodeNoVCalendar    = "ics-no-vcalendar"
	CodeUnbalanced     = "ics-unbalanced"
	CodeNoColon        = "ics-no-colon"
	CodeBadLine        = "ics-bad-line"
	CodeMissingDTStart = "ics-missing-dtstart"
	CodeBadDate        = "ics-bad-date"
	CodeBadDuration    = "ics-bad-duration"
	CodeBadRRule       = "ics-bad-rrule"
	CodeUnsupported    = "ics-unsupported"
	CodeUnknownTZID    = "ics-unknown-tzid"
	CodeTooManyEvents  = "ics-too-many-events"
	CodeEndBeforeStart = "ics-end-before-start"
	CodeDuplicateProp  = "ics-duplicate-property"
)

// Calendar is the content of one iCalendar file.
type Calendar struct {
	Name   string  // X-WR-CALNAME if present
	Events []Event // VEVENTs in file order; events without DTSTART are left out
}

// Kind is what an event means for a release.
type Kind string

// The kinds of event.
const (
	KindRelease     Kind = "release"
	KindFreeze      Kind = "freeze"
	KindMaintenance Kind = "maintenance"
	KindOther       Kind = "other"
)

// Event is one VEVENT.
type Event struct {
	UID, Summary, Description, Location string
	Categories                          []string

	// Start and End are the event's first occurrence. End comes from DTEND,
	// or DTSTART+DURATION, or is Start (one day later for all-day events).
	// All-day events have dates at 00:00 in time.UTC and an exclusive End.
	Start, End time.Time
	AllDay     bool
	Kind       Kind // classified from the words of summary, categories and description
	Rule       *Rule
	Exdates    []time.Time // starts to leave out of the rule's occurrences
	Line       int         // line of BEGIN:VEVENT
}

// Rule is a recurrence rule (RRULE). Parts that are not supported
// (BYHOUR, BYWEEKNO, BYYEARDAY, ...) have been dropped with a warning.
type Rule struct {
	Freq       string // DAILY, WEEKLY, MONTHLY or YEARLY
	Interval   int    // at least 1
	Count      int    // 0: no limit; DTSTART counts as the first occurrence
	Until      time.Time
	ByDay      []WeekdayNum
	ByMonthDay []int // 1..31 or -31..-1 (from the end of the month)
	ByMonth    []int
	BySetPos   []int
	WeekStart  time.Weekday
}

// WeekdayNum is one BYDAY value such as TH, 1MO or -1FR.
type WeekdayNum struct {
	N   int // 0 every such weekday, 1 the first, -1 the last, ...
	Day time.Weekday
}
