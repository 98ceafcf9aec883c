package ics

import (
	"reflect"
	"testing"
	"time"
)

// parseOne parses a calendar of one event and fails on any finding.
func parseOne(t *testing.T, body string) Event {
	t.Helper()
	cal, fs := Parse("t.ics", []byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\n"+body+"END:VEVENT\nEND:VCALENDAR\n"))
	if len(fs) > 0 || len(cal.Events) != 1 {
		t.Fatalf("findings %v, %d events", fs, len(cal.Events))
	}
	return cal.Events[0]
}

// TestRuleExpansion holds rules whose expected occurrences were computed
// with python-dateutil's rrule, an independent implementation.
func TestRuleExpansion(t *testing.T) {
	tests := []struct {
		dtstart, rrule string
		want           []string
	}{
		{"20260131T090000Z", "FREQ=MONTHLY;COUNT=5", []string{"2026-01-31T09:00:00Z", "2026-03-31T09:00:00Z", "2026-05-31T09:00:00Z", "2026-07-31T09:00:00Z", "2026-08-31T09:00:00Z"}},
		{"20260131T090000Z", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", []string{"2026-01-31T09:00:00Z", "2026-02-28T09:00:00Z", "2026-03-31T09:00:00Z", "2026-04-30T09:00:00Z"}},
		{"20260130T090000Z", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4", []string{"2026-01-30T09:00:00Z", "2026-02-27T09:00:00Z", "2026-03-31T09:00:00Z", "2026-04-30T09:00:00Z"}},
		{"20260108T090000Z", "FREQ=MONTHLY;BYDAY=2TH,-2TH;COUNT=4", []string{"2026-01-08T09:00:00Z", "2026-01-22T09:00:00Z", "2026-02-12T09:00:00Z", "2026-02-19T09:00:00Z"}},
		{"20260329T090000Z", "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU;COUNT=4", []string{"2026-03-29T09:00:00Z", "2026-10-25T09:00:00Z", "2027-03-28T09:00:00Z", "2027-10-31T09:00:00Z"}},
		{"20240229T120000Z", "FREQ=YEARLY;COUNT=3", []string{"2024-02-29T12:00:00Z", "2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"}},
		{"20260105T080000Z", "FREQ=DAILY;BYDAY=MO,WE,FR;BYMONTH=1;UNTIL=20260116T080000Z", []string{"2026-01-05T08:00:00Z", "2026-01-07T08:00:00Z", "2026-01-09T08:00:00Z", "2026-01-12T08:00:00Z", "2026-01-14T08:00:00Z", "2026-01-16T08:00:00Z"}},
		{"20260105T080000Z", "FREQ=DAILY;INTERVAL=10;COUNT=4", []string{"2026-01-05T08:00:00Z", "2026-01-15T08:00:00Z", "2026-01-25T08:00:00Z", "2026-02-04T08:00:00Z"}},
		{"20260804T000000Z", "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU;COUNT=4", []string{"2026-08-04T00:00:00Z", "2026-08-16T00:00:00Z", "2026-08-18T00:00:00Z", "2026-08-30T00:00:00Z"}},
		{"20260804T000000Z", "FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=TU,SU;COUNT=4", []string{"2026-08-04T00:00:00Z", "2026-08-09T00:00:00Z", "2026-08-18T00:00:00Z", "2026-08-23T00:00:00Z"}},
		{"20260518T090000Z", "FREQ=YEARLY;BYDAY=20MO;COUNT=2", []string{"2026-05-18T09:00:00Z", "2027-05-17T09:00:00Z"}},
		{"20260201T090000Z", "FREQ=YEARLY;BYMONTHDAY=1,-1;BYMONTH=2;COUNT=4", []string{"2026-02-01T09:00:00Z", "2026-02-28T09:00:00Z", "2027-02-01T09:00:00Z", "2027-02-28T09:00:00Z"}},
		{"20260213T090000Z", "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;COUNT=3", []string{"2026-02-13T09:00:00Z", "2026-03-13T09:00:00Z", "2026-11-13T09:00:00Z"}},
		{"20260110T090000Z", "FREQ=YEARLY;BYMONTH=1,7;COUNT=3", []string{"2026-01-10T09:00:00Z", "2026-07-10T09:00:00Z", "2027-01-10T09:00:00Z"}},
		// DTSTART is the first occurrence even when the rule would not
		// produce it (RFC 5545 3.8.5.3), and it counts toward COUNT.
		{"20260101T090000Z", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", []string{"2026-01-01T09:00:00Z", "2026-01-30T09:00:00Z", "2026-02-27T09:00:00Z"}},
		// A rule that matches nothing ends at MaxPeriods or year 9999.
		{"20260101T090000Z", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", []string{"2026-01-01T09:00:00Z"}},
		{"20260101T090000Z", "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=4;COUNT=3", []string{"2026-01-01T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.rrule, func(t *testing.T) {
			ev := parseOne(t, "DTSTART:"+tt.dtstart+"\nRRULE:"+tt.rrule+"\n")
			got := ev.Occurrences(utc("2000-01-01T00:00:00Z"), utc("2100-01-01T00:00:00Z"), 100)
			if want := times(tt.want...); !equalTimes(got, want) {
				t.Errorf("Occurrences:\n got %v\nwant %v", fmtTimes(got), fmtTimes(want))
			}
		})
	}
}

// TestSkipAhead checks that starting the walk near from (when there is no
// COUNT) gives the same occurrences as walking from DTSTART.
func TestSkipAhead(t *testing.T) {
	for _, rule := range []string{
		"FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU", "FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR",
		"FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=31",
	} {
		t.Run(rule, func(t *testing.T) {
			ev := parseOne(t, "DTSTART;TZID=Europe/London:20200103T013000\nRRULE:"+rule+"\n")
			all := ev.Occurrences(ev.Start, utc("2031-01-01T00:00:00Z"), 100_000)
			from := utc("2029-06-15T12:00:00Z")
			var want []time.Time
			for _, o := range all {
				if !o.Before(from) {
					want = append(want, o)
				}
			}
			if got := ev.Occurrences(from, utc("2031-01-01T00:00:00Z"), 100_000); !equalTimes(got, want) || len(want) == 0 {
				t.Errorf("from %v:\n got %v\nwant %v", from, fmtTimes(got), fmtTimes(want))
			}
		})
	}
}

func TestDatesAndDurations(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		start, end  string
		allDay      bool
		occurrences []string // in 2026
	}{
		{"floating time is UTC", "DTSTART:20260601T090000\nDTEND:20260601T100000\n", "2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z", false, []string{"2026-06-01T09:00:00Z"}},
		{"quoted TZID", "DTSTART;TZID=\"Europe/Berlin\":20260601T090000\nDURATION:PT2H30M\n", "2026-06-01T07:00:00Z", "2026-06-01T09:30:00Z", false, nil},
		{"globally unique TZID", "DTSTART;TZID=/Europe/Berlin:20260601T090000\n", "2026-06-01T07:00:00Z", "2026-06-01T07:00:00Z", false, nil},
		{"week duration", "DTSTART;VALUE=DATE:20260601\nDURATION:P1W\n", "2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", true, nil},
		{"day duration is nominal across DST", "DTSTART;TZID=Europe/London:20260328T120000\nDURATION:P1D\n", "2026-03-28T12:00:00Z", "2026-03-29T11:00:00Z", false, nil},
		{"all-day recurring with date EXDATE", "DTSTART;VALUE=DATE:20261218\nRRULE:FREQ=DAILY;UNTIL=20261222\nEXDATE;VALUE=DATE:20261219,20261220\n",
			"2026-12-18T00:00:00Z", "2026-12-19T00:00:00Z", true, []string{"2026-12-18T00:00:00Z", "2026-12-21T00:00:00Z", "2026-12-22T00:00:00Z"}},
		{"date EXDATE on a timed event", "DTSTART;TZID=Europe/London:20260701T090000\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE;VALUE=DATE:20260702\n",
			"2026-07-01T08:00:00Z", "2026-07-01T08:00:00Z", false, []string{"2026-07-01T08:00:00Z", "2026-07-03T08:00:00Z"}},
		{"floating UNTIL in DTSTART's zone", "DTSTART;TZID=America/New_York:20260701T090000\nRRULE:FREQ=DAILY;UNTIL=20260702T090000\n",
			"2026-07-01T13:00:00Z", "2026-07-01T13:00:00Z", false, []string{"2026-07-01T13:00:00Z", "2026-07-02T13:00:00Z"}},
		{"lower-case names and escaped text", "dtstart:20260701T090000Z\nsummary:Release\\, 2.0\\; go\n", "2026-07-01T09:00:00Z", "2026-07-01T09:00:00Z", false, []string{"2026-07-01T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := parseOne(t, tt.body)
			if !ev.Start.Equal(utc(tt.start)) || !ev.End.Equal(utc(tt.end)) || ev.AllDay != tt.allDay {
				t.Errorf("Start %v End %v AllDay %v, want %s %s %v", ev.Start, ev.End, ev.AllDay, tt.start, tt.end, tt.allDay)
			}
			if tt.occurrences != nil {
				got := ev.Occurrences(utc("2026-01-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"), 100)
				if want := times(tt.occurrences...); !equalTimes(got, want) {
					t.Errorf("Occurrences:\n got %v\nwant %v", fmtTimes(got), fmtTimes(want))
				}
			}
		})
	}
}

func TestParseRule(t *testing.T) {
	ev := parseOne(t, "DTSTART:20260101T090000Z\nRRULE:freq=monthly;interval=2;count=5;byday=1MO,-1FR,+2TH;bymonthday=1,-3;bymonth=1,6;bysetpos=1,-1;wkst=su\n")
	want := &Rule{Freq: "MONTHLY", Interval: 2, Count: 5,
		ByDay:      []WeekdayNum{{1, time.Monday}, {-1, time.Friday}, {2, time.Thursday}},
		ByMonthDay: []int{1, -3}, ByMonth: []int{1, 6}, BySetPos: []int{1, -1}, WeekStart: time.Sunday}
	if !reflect.DeepEqual(ev.Rule, want) {
		t.Errorf("Rule = %+v, want %+v", ev.Rule, want)
	}
	cal, fs := Parse("t.ics", []byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000Z\nRRULE:FREQ=WEEKLY;BYDAY=1MO;BYWEEKNO=3\nEND:VEVENT\nEND:VCALENDAR\n"))
	if len(fs) != 2 || cal.Events[0].Rule == nil || cal.Events[0].Rule.ByDay[0] != (WeekdayNum{0, time.Monday}) {
		t.Errorf("findings %v, rule %+v; want two warnings and BYDAY=MO", fs, cal.Events[0].Rule)
	}
}
