package workspace

import (
	"context"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zone names work on hosts without a zoneinfo database (distroless images)

	"github.com/relsop/relsop"
)

// Time zones of users: a member's daily summary comes at the server's
// summary time in their own zone (docs/email.md), so that a team across
// zones each gets theirs in the morning.

// maxZoneName bounds a time zone's name; the longest IANA name is 32.
const maxZoneName = 64

// zones caches the locations loaded by name.
var zones sync.Map // string → *time.Location

// SetTimeZone sets the signed-in user's time zone: an IANA name such as
// Europe/Berlin, or "" for the server's.
func (s *Service) SetTimeZone(ctx context.Context, zone string) (*relsop.User, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	zone = strings.TrimSpace(zone)
	if zone != "" {
		if _, err := loadZone(zone); err != nil {
			return nil, err
		}
	}
	if err := s.store.SetTimeZone(ctx, u.ID, zone); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, u.ID)
}

// loadZone loads the zone named name, cached, or says what to give.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	// "Local" would be the server's zone under another name; a path, a
	// file under the zoneinfo folder; neither is a zone a user means.
	bad := len(name) > maxZoneName || name == "Local" || strings.Contains(name, "..") || strings.HasPrefix(name, "/")
	loc, err := time.LoadLocation(name)
	if bad || err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "Unknown time zone %q: give an IANA name such as Europe/Berlin, America/New_York or UTC, or none for the server's.", oneLine(name, maxZoneName))
	}
	zones.Store(name, loc)
	return loc, nil
}

// zoneOf is the location of a user's time zone: the server's for "", and
// also for a name this server's zone database no longer knows.
func (s *Service) zoneOf(name string) *time.Location {
	if name == "" {
		return s.digestZone
	}
	loc, err := loadZone(name)
	if err != nil {
		return s.digestZone
	}
	return loc
}
