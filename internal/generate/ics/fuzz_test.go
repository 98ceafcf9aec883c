package ics

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics, is deterministic, reports
// findings inside the input, and that every event's occurrences in a small
// window are bounded and in order.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"releases.ics", "google.ics", "outlook.ics"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, fs := Parse("f.ics", data)
		cal2, fs2 := Parse("f.ics", data)
		if !reflect.DeepEqual(fs, fs2) || len(cal.Events) != len(cal2.Events) {
			t.Fatalf("Parse is not deterministic")
		}
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, f := range fs {
			if f.Pos.Line < 1 || f.Pos.Line > lines || f.Pos.Col < 1 || f.Code == "" || f.Message == "" {
				t.Fatalf("bad finding %+v (input has %d lines)", f, lines)
			}
		}
		if len(cal.Events) > MaxEvents {
			t.Fatalf("%d events, more than %d", len(cal.Events), MaxEvents)
		}
		const max = 50
		for i, ev := range cal.Events {
			if ev.End.Before(ev.Start) {
				t.Fatalf("event %d ends before it starts", i)
			}
			from := ev.Start.Add(-48 * time.Hour)
			to := from.AddDate(0, 2, 0)
			occ := ev.Occurrences(from, to, max)
			if len(occ) > max {
				t.Fatalf("event %d: %d occurrences, more than %d", i, len(occ), max)
			}
			for j, o := range occ {
				if o.Before(from) || !o.Before(to) || j > 0 && !occ[j-1].Before(o) {
					t.Fatalf("event %d: occurrences out of window or order: %v", i, occ)
				}
			}
			if again := ev.Occurrences(from, to, max); !equalTimes(occ, again) {
				t.Fatalf("event %d: Occurrences is not deterministic", i)
			}
		}
	})
}
