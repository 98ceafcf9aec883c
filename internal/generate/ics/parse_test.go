package ics

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
)

func load(t *testing.T, name string) *Calendar {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cal, fs := Parse(name, data)
	for _, f := range fs {
		t.Errorf("%s:%s: %s: %s [%s]", f.File, f.Pos, f.Severity, f.Message, f.Code)
	}
	return cal
}

func find(t *testing.T, cal *Calendar, uid string) Event {
	t.Helper()
	for _, ev := range cal.Events {
		if ev.UID == uid {
			return ev
		}
	}
	t.Fatalf("no event with UID %q", uid)
	return Event{}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// eventSummary is what TestParseFiles compares of an event; times in UTC.
type eventSummary struct {
	Summary    string
	Kind       Kind
	Start, End string
	AllDay     bool
	Categories []string
	Recurs     bool
	Exdates    int
	Line       int
}

func summarize(ev Event) eventSummary {
	return eventSummary{ev.Summary, ev.Kind, ev.Start.UTC().Format(time.RFC3339), ev.End.UTC().Format(time.RFC3339),
		ev.AllDay, ev.Categories, ev.Rule != nil, len(ev.Exdates), ev.Line}
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file string
		name string
		want []eventSummary
	}{
		{"releases.ics", "Platform releases 2026", []eventSummary{
			{"Weekly release train", KindRelease, "2026-03-05T01:00:00Z", "2026-03-05T04:00:00Z", false, []string{"Release", "Train"}, true, 3, 5},
			{"Year-end code freeze", KindFreeze, "2026-12-18T00:00:00Z", "2027-01-05T00:00:00Z", true, nil, false, 0, 17},
			{"Database maintenance", KindMaintenance, "2026-01-30T22:00:00Z", "2026-01-31T02:00:00Z", false, nil, true, 0, 24},
			{"Quarterly platform launch", KindRelease, "2026-01-06T09:00:00Z", "2026-01-06T10:00:00Z", false, nil, true, 0, 32},
			{"Hotfix deploy", KindRelease, "2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z", false, nil, true, 0, 39},
			{"Team offsite", KindOther, "2026-06-12T00:00:00Z", "2026-06-13T00:00:00Z", true, nil, false, 0, 46},
		}},
		{"google.ics", "Payments – Releases", []eventSummary{
			{"Payments 4.2 go-live", KindRelease, "2026-12-03T00:00:00Z", "2026-12-03T02:00:00Z", false, nil, false, 0, 27},
			{"Maintenance window (card vault)", KindMaintenance, "2026-03-03T17:00:00Z", "2026-03-03T19:00:00Z", false, nil, true, 1, 50},
			{"Change freeze", KindFreeze, "2026-12-21T00:00:00Z", "2027-01-02T00:00:00Z", true, nil, false, 0, 64},
		}},
		{"outlook.ics", "", []eventSummary{
			{"Billing 7.0 release", KindRelease, "2026-04-15T19:00:00Z", "2026-04-15T21:00:00Z", false, nil, false, 0, 36},
			{"Network work (US-East)", KindMaintenance, "2026-03-06T01:00:00Z", "2026-03-06T03:00:00Z", false, []string{"Ops", "Maintenance"}, true, 0, 61},
			{"Mobile app launch sync", KindRelease, "2026-06-01T15:00:00Z", "2026-06-01T16:00:00Z", false, nil, false, 0, 71},
			{"Blackout review", KindFreeze, "2026-07-01T08:00:00Z", "2026-07-01T08:30:00Z", false, nil, false, 0, 77},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cal := load(t, tt.file)
			if cal.Name != tt.name {
				t.Errorf("Name = %q, want %q", cal.Name, tt.name)
			}
			var got []eventSummary
			for _, ev := range cal.Events {
				got = append(got, summarize(ev))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestParseValues checks text unescaping, folding and zone names.
func TestParseValues(t *testing.T) {
	g := load(t, "google.ics")
	golive := find(t, g, "5q0v1o3k2l7s8n9m6a4b2c1d0e@google.com")
	wantDesc := "<b>Go-live of payments 4.2</b><br>Runbook: https://wiki.example.com/payments/runbooks/4.2-go-live" +
		"<br>Rollback owner: Ana<br>Join: https://meet.google.com/abc-defg-hij\n\nChecklist; smoke tests, canary, full rollout."
	if golive.Description != wantDesc {
		t.Errorf("Description = %q, want %q", golive.Description, wantDesc)
	}
	if loc := golive.Start.Location().String(); loc != "Europe/Berlin" {
		t.Errorf("Start zone = %s, want Europe/Berlin", loc)
	}

	o := load(t, "outlook.ics")
	billing := o.Events[0]
	if want := "040000008200E00074C5B7101A82E00800000000B0C2D1E3F4A5D901000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F9"; billing.UID != want {
		t.Errorf("UID = %q, want %q", billing.UID, want)
	}
	if want := "Quarterly release of the billing service.\nOwner: Release Management\n"; billing.Description != want {
		t.Errorf("Description = %q, want %q", billing.Description, want)
	}
	for i, want := range []string{"Europe/Berlin", "America/New_York", "America/Los_Angeles", "Europe/London"} {
		if got := o.Events[i].Start.Location().String(); got != want {
			t.Errorf("event %d zone = %s, want %s", i, got, want)
		}
	}

	r := load(t, "releases.ics")
	train := find(t, r, "train-2026@platform.example.com")
	if want := "Production deploy of everything merged by Wednesday 18:00.\nRollback with the previous train's tag, then page the release manager."; train.Description != want {
		t.Errorf("Description = %q, want %q", train.Description, want)
	}
	wantRule := &Rule{Freq: "WEEKLY", Interval: 1, ByDay: []WeekdayNum{{0, time.Thursday}}, WeekStart: time.Monday}
	if !reflect.DeepEqual(train.Rule, wantRule) {
		t.Errorf("Rule = %+v, want %+v", train.Rule, wantRule)
	}
	hotfix := find(t, r, "hotfix@platform.example.com")
	if got, want := hotfix.Rule.Until, utc("2026-03-25T23:59:59Z"); !got.Equal(want) {
		t.Errorf("Until = %v, want %v", got, want)
	}
}

func times(ss ...string) []time.Time {
	var out []time.Time
	for _, s := range ss {
		out = append(out, utc(s))
	}
	return out
}

func TestOccurrences(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		uid      string
		from, to string
		max      int
		want     []time.Time
	}{
		{"train across spring DST, one EXDATE", "releases.ics", "train-2026@platform.example.com", "2026-03-01T00:00:00Z", "2026-04-30T00:00:00Z", 100,
			times("2026-03-05T01:00:00Z", "2026-03-12T01:00:00Z", "2026-03-19T01:00:00Z", "2026-03-26T01:00:00Z",
				"2026-04-09T00:00:00Z", "2026-04-16T00:00:00Z", "2026-04-23T00:00:00Z")},
		{"train across autumn DST", "releases.ics", "train-2026@platform.example.com", "2026-10-15T00:00:00Z", "2026-11-06T00:00:00Z", 100,
			times("2026-10-15T00:00:00Z", "2026-10-22T00:00:00Z", "2026-10-29T01:00:00Z", "2026-11-05T01:00:00Z")},
		{"train comma-separated EXDATEs", "releases.ics", "train-2026@platform.example.com", "2026-12-15T00:00:00Z", "2027-01-15T00:00:00Z", 100,
			times("2026-12-17T01:00:00Z", "2027-01-07T01:00:00Z", "2027-01-14T01:00:00Z")},
		{"train max", "releases.ics", "train-2026@platform.example.com", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 2,
			times("2026-03-05T01:00:00Z", "2026-03-12T01:00:00Z")},
		{"train from is inclusive, to exclusive", "releases.ics", "train-2026@platform.example.com", "2026-03-12T01:00:00Z", "2026-03-26T01:00:00Z", 100,
			times("2026-03-12T01:00:00Z", "2026-03-19T01:00:00Z")},
		{"last Friday of the month", "releases.ics", "maint-last-friday@platform.example.com", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 100,
			times("2026-01-30T22:00:00Z", "2026-02-27T22:00:00Z", "2026-03-27T22:00:00Z", "2026-04-24T21:00:00Z",
				"2026-05-29T21:00:00Z", "2026-06-26T21:00:00Z", "2026-07-31T21:00:00Z", "2026-08-28T21:00:00Z",
				"2026-09-25T21:00:00Z", "2026-10-30T22:00:00Z", "2026-11-27T22:00:00Z", "2026-12-25T22:00:00Z")},
		{"last Friday far ahead", "releases.ics", "maint-last-friday@platform.example.com", "2031-01-01T00:00:00Z", "2031-04-01T00:00:00Z", 100,
			times("2031-01-31T22:00:00Z", "2031-02-28T22:00:00Z", "2031-03-28T22:00:00Z")},
		{"COUNT", "releases.ics", "quarterly@platform.example.com", "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", 100,
			times("2026-01-06T09:00:00Z", "2026-04-07T09:00:00Z", "2026-07-07T09:00:00Z", "2026-10-06T09:00:00Z")},
		{"COUNT counts before from", "releases.ics", "quarterly@platform.example.com", "2026-05-01T00:00:00Z", "2030-01-01T00:00:00Z", 100,
			times("2026-07-07T09:00:00Z", "2026-10-06T09:00:00Z")},
		{"UNTIL", "releases.ics", "hotfix@platform.example.com", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 100,
			times("2026-03-02T14:00:00Z", "2026-03-04T14:00:00Z", "2026-03-16T14:00:00Z", "2026-03-18T14:00:00Z")},
		{"all-day single", "releases.ics", "freeze-2026@platform.example.com", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", 100,
			times("2026-12-18T00:00:00Z")},
		{"single outside window", "releases.ics", "freeze-2026@platform.example.com", "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", 100, nil},
		{"google UNTIL and EXDATE in Berlin", "google.ics", "0a1b2c3d4e5f6g7h8i9j@google.com", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 100,
			times("2026-03-03T17:00:00Z", "2026-03-10T17:00:00Z", "2026-03-24T17:00:00Z")},
		{"outlook COUNT across US DST", "outlook.ics", "040000008200E00074C5B7101A82E00800000000F1E2D3C4B5A6D9010000000000000000100000002222", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 100,
			times("2026-03-06T01:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z")},
	}
	cals := map[string]*Calendar{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, ok := cals[tt.file]
			if !ok {
				cal = load(t, tt.file)
				cals[tt.file] = cal
			}
			ev := find(t, cal, tt.uid)
			got := ev.Occurrences(utc(tt.from), utc(tt.to), tt.max)
			if !equalTimes(got, tt.want) {
				t.Errorf("Occurrences:\n got %v\nwant %v", fmtTimes(got), fmtTimes(tt.want))
			}
		})
	}
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func fmtTimes(ts []time.Time) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.UTC().Format(time.RFC3339))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// TestOccurrencesWallClock checks that occurrences keep DTSTART's zone and
// wall-clock time, so callers can show them in local time.
func TestOccurrencesWallClock(t *testing.T) {
	train := find(t, load(t, "releases.ics"), "train-2026@platform.example.com")
	for _, o := range train.Occurrences(utc("2026-03-01T00:00:00Z"), utc("2026-12-01T00:00:00Z"), 1000) {
		if h, m, _ := o.Clock(); h != 1 || m != 0 || o.Weekday() != time.Thursday || o.Location().String() != "Europe/London" {
			t.Errorf("occurrence %v is not Thursday 01:00 Europe/London", o)
		}
	}
}

func TestParseErrors(t *testing.T) {
	type want struct {
		Line, Col int
		Severity  relsop.Severity
		Code      string
	}
	cal := func(body string) string {
		return "BEGIN:VCALENDAR\nVERSION:2.0\n" + body + "END:VCALENDAR\n"
	}
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"csv", "date,summary,kind\n2026-12-03,Go-live,release\n", []want{{1, 1, "error", CodeNotICalendar}}},
		{"empty", "", []want{{1, 1, "error", CodeNotICalendar}}},
		{"plain text", "hello\nworld\n", []want{{1, 1, "error", CodeNotICalendar}}},
		{"no VCALENDAR", "\nBEGIN:VEVENT\nDTSTART:20260101\nEND:VEVENT\n", []want{{2, 1, "error", CodeNoVCalendar}}},
		{"bad date", cal("BEGIN:VEVENT\nDTSTART:2026-13-40\nEND:VEVENT\n"),
			[]want{{3, 1, "error", CodeMissingDTStart}, {4, 9, "error", CodeBadDate}}},
		{"bad date after params", cal("BEGIN:VEVENT\nDTSTART;TZID=Europe/Berlin:20261340T010000\nEND:VEVENT\n"),
			[]want{{3, 1, "error", CodeMissingDTStart}, {4, 28, "error", CodeBadDate}}},
		{"bad hour", cal("BEGIN:VEVENT\nDTSTART:20261203T250000Z\nEND:VEVENT\n"),
			[]want{{3, 1, "error", CodeMissingDTStart}, {4, 9, "error", CodeBadDate}}},
		{"second EXDATE bad", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=DAILY\nEXDATE:20261204,2026120X\nEND:VEVENT\n"),
			[]want{{6, 17, "error", CodeBadDate}}},
		{"missing DTSTART", cal("BEGIN:VEVENT\nSUMMARY:Release\nEND:VEVENT\n"), []want{{3, 1, "error", CodeMissingDTStart}}},
		{"no colon", cal("BEGIN:VEVENT\nDTSTART:20261203\nSUMMARY Release\nEND:VEVENT\n"), []want{{5, 1, "error", CodeNoColon}}},
		{"unclosed event", cal("BEGIN:VEVENT\nDTSTART:20261203\n"), []want{{3, 1, "error", CodeUnbalanced}}},
		{"unclosed calendar", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261203\nEND:VEVENT\n", []want{{1, 1, "error", CodeUnbalanced}}},
		{"stray END", cal("END:VEVENT\n"), []want{{3, 1, "error", CodeUnbalanced}}},
		{"mismatched END", cal("BEGIN:VEVENT\nDTSTART:20261203\nBEGIN:VALARM\nEND:VEVENT\n"), []want{{5, 1, "error", CodeUnbalanced}}},
		{"RRULE without FREQ", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:COUNT=3\nEND:VEVENT\n"), []want{{5, 7, "error", CodeBadRRule}}},
		{"RRULE bad FREQ", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\n"), []want{{5, 12, "error", CodeBadRRule}}},
		{"RRULE bad BYDAY", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=MONTHLY;BYDAY=MO,9XX\nEND:VEVENT\n"), []want{{5, 29, "error", CodeBadRRule}}},
		{"RRULE part without =", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=DAILY;COUNT\nEND:VEVENT\n"), []want{{5, 18, "error", CodeBadRRule}}},
		{"RRULE bad COUNT", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=DAILY;COUNT=-1\nEND:VEVENT\n"), []want{{5, 24, "error", CodeBadRRule}}},
		{"RRULE bad UNTIL", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=DAILY;UNTIL=2026-12-31\nEND:VEVENT\n"), []want{{5, 28, "error", CodeBadDate}}},
		{"RRULE BYHOUR unsupported", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=DAILY;BYHOUR=9\nEND:VEVENT\n"), []want{{5, 18, "warning", CodeUnsupported}}},
		{"unknown TZID", cal("BEGIN:VEVENT\nDTSTART;TZID=Mars/Olympus:20261203T010000\nEND:VEVENT\n"), []want{{4, 14, "warning", CodeUnknownTZID}}},
		{"bad duration", cal("BEGIN:VEVENT\nDTSTART:20261203T010000Z\nDURATION:PT2X\nEND:VEVENT\n"), []want{{5, 13, "error", CodeBadDuration}}},
		{"end before start", cal("BEGIN:VEVENT\nDTSTART:20261203T010000Z\nDTEND:20261202T010000Z\nEND:VEVENT\n"), []want{{5, 7, "warning", CodeEndBeforeStart}}},
		{"unclosed quote", cal("BEGIN:VEVENT\nDTSTART;TZID=\"Europe/Berlin:20261203T010000\nEND:VEVENT\n"),
			[]want{{3, 1, "error", CodeMissingDTStart}, {4, 14, "error", CodeBadLine}}},
		{"folded error keeps physical position", cal("BEGIN:VEVENT\nDTSTART:20261203\nRRULE:FREQ=WEEKLY;\n BYDAY=TH,XX\nEND:VEVENT\n"),
			[]want{{6, 11, "error", CodeBadRRule}}},
		{"CRLF", strings.ReplaceAll(cal("BEGIN:VEVENT\nDTSTART:2026-12-03\nEND:VEVENT\n"), "\n", "\r\n"),
			[]want{{3, 1, "error", CodeMissingDTStart}, {4, 9, "error", CodeBadDate}}},
		{"ignored components and properties", cal("BEGIN:VTODO\nDTSTART:bogus\nEND:VTODO\nBEGIN:VEVENT\nDTSTART:20261203\nX-FOO;X-BAR=\"a:b;c\":baz\nBEGIN:VALARM\nTRIGGER:-PT15M\nEND:VALARM\nEND:VEVENT\n"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := Parse("x.ics", []byte(tt.src))
			var got []want
			for _, f := range fs {
				got = append(got, want{f.Pos.Line, f.Pos.Col, f.Severity, f.Code})
				if f.File != "x.ics" || f.Message == "" || f.Message != strings.ToLower(f.Message[:1])+f.Message[1:] {
					t.Errorf("finding %+v: want File x.ics and a lower-case message", f)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %+v\nwant %+v\n%v", got, tt.want, fs)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	_, fs := Parse("big.ics", make([]byte, MaxFileSize+1))
	if len(fs) != 1 || fs[0].Code != CodeTooLarge {
		t.Errorf("large file: findings %v, want one %s", fs, CodeTooLarge)
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\n")
	for range MaxEvents + 5 {
		b.WriteString("BEGIN:VEVENT\nDTSTART:20261203\nEND:VEVENT\n")
	}
	b.WriteString("END:VCALENDAR\n")
	cal, fs := Parse("many.ics", []byte(b.String()))
	if len(cal.Events) != MaxEvents || len(fs) == 0 || fs[len(fs)-1].Code != CodeTooManyEvents {
		t.Errorf("many events: %d events, findings %v; want %d and %s", len(cal.Events), fs, MaxEvents, CodeTooManyEvents)
	}
}

func TestWindowsZonesLoad(t *testing.T) {
	for win, iana := range windowsZones {
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("%s -> %s: %v", win, iana, err)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		ev   Event
		want Kind
	}{
		{Event{Summary: "Payments go live"}, KindRelease},
		{Event{Summary: "v2.3 Go-Live"}, KindRelease},
		{Event{Summary: "Ship it"}, KindRelease},
		{Event{Summary: "Change freeze"}, KindFreeze},
		{Event{Summary: "code-freeze"}, KindFreeze},
		{Event{Summary: "No deploys: release blackout"}, KindFreeze},
		{Event{Summary: "Planned downtime"}, KindMaintenance},
		{Event{Summary: "Team lunch", Categories: []string{"Maintenance"}}, KindMaintenance},
		{Event{Summary: "Standup", Description: "talk about the launch"}, KindRelease},
		{Event{Summary: "Outage review", Description: "freeze"}, KindMaintenance},
		{Event{Summary: "Shipment of chairs"}, KindOther},
		{Event{Summary: "Releaser sync"}, KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.ev.Summary, func(t *testing.T) {
			if got := classify(tt.ev); got != tt.want {
				t.Errorf("classify = %s, want %s", got, tt.want)
			}
		})
	}
}
