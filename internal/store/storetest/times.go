package storetest

import (
	"testing"
	"time"

	"github.com/relsop/relsop"
)

// testTimes checks the promise in store.go: times are kept to the
// microsecond, in UTC, whatever zone and precision they were given in.
func testTimes(t *testing.T, open Opener) {
	zones := []*time.Location{time.UTC, zone, time.FixedZone("UTC-09:30", -(9*3600 + 30*60))}
	instants := []time.Time{
		time.Date(2031, 3, 4, 5, 6, 7, 123456789, time.UTC), // below a microsecond
		time.Date(2031, 3, 4, 5, 6, 7, 999999999, time.UTC), // rounds across a second either way
		time.Date(1999, 12, 31, 23, 59, 59, 1000, time.UTC),
		time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), // beyond int64 nanoseconds since 1970
	}
	s := open(t)
	u := newUser(t, s, "ann@example.com")
	for _, loc := range zones {
		for _, instant := range instants {
			in := instant.In(loc)
			t.Run(in.Format(time.RFC3339Nano), func(t *testing.T) {
				token := "tok" + in.Format(time.RFC3339Nano)
				sess := &relsop.Session{TokenHash: token, UserID: u.ID, CSRF: "c", CreatedAt: at(0), ExpiresAt: in}
				must(t, "CreateSession", s.CreateSession(t.Context(), sess))
				got, err := s.SessionByToken(t.Context(), token, instant.Add(-time.Hour))
				must(t, "SessionByToken", err)
				exp := got.ExpiresAt
				if exp.Location() != time.UTC {
					t.Errorf("ExpiresAt in %v, want UTC", exp.Location())
				}
				if exp.Nanosecond()%1000 != 0 {
					t.Errorf("ExpiresAt = %v keeps sub-microsecond digits", exp)
				}
				if d := exp.Sub(instant); d <= -time.Microsecond || d >= time.Microsecond {
					t.Errorf("ExpiresAt = %v, want %v to the microsecond", exp, instant)
				}
			})
		}
	}
}
