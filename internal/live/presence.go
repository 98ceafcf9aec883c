package live

import (
	"bytes"
	"encoding/json"
	"math"
	"time"
)

// palette colours editors' outlines and cursors: the Okabe–Ito colours,
// which stay distinct for colour-blind readers.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

func colorOf(userID int64) string { return palette[int(userID%int64(len(palette)))] }

// remoteTTL is how long an editor on another server counts as present
// without news: browsers send their presence again every 30 s.
const remoteTTL = 90 * time.Second

// selection and cursor are what a client may say it points at.
type selection struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

type cursor struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// cleanSelection checks a selection from a client and returns it in its
// normal form; null means nothing selected.
func cleanSelection(raw json.RawMessage) (json.RawMessage, bool) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, true
	}
	var s selection
	if json.Unmarshal(raw, &s) != nil || len(s.ID) == 0 || len(s.ID) > 200 {
		return nil, false
	}
	switch s.Kind {
	case "step", "role", "phase", "sop":
	default:
		return nil, false
	}
	return encode(s), true
}

func cleanCursor(raw json.RawMessage) (json.RawMessage, bool) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, true
	}
	var c cursor
	if json.Unmarshal(raw, &c) != nil || !finite(c.X) || !finite(c.Y) {
		return nil, false
	}
	return encode(c), true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) < 1e7 }

// setPresence records what a client points at and tells the others, here
// and on other servers.
func (r *room) setPresence(c *client, sel, cur json.RawMessage) {
	r.mu.Lock()
	c.presence.Selection, c.presence.Cursor = sel, cur
	p := c.presence
	p.Type = typePresence
	r.broadcastLocked(encode(p), c)
	r.mu.Unlock()
	if c.shouldFanOut(sel) {
		r.hub.publishAsync(fanoutMsg{Doc: r.id, Presence: &p})
	}
}

// remotePresence takes the presence of an editor on another server.
func (r *room) remotePresence(p presence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p.Left {
		delete(r.remote, p.Client)
	} else {
		r.remote[p.Client] = remotePeer{p: p, at: time.Now()}
	}
	p.Type = typePresence
	r.broadcastLocked(encode(p), nil)
}

// peersLocked lists everyone on the page but c.
func (r *room) peersLocked(c *client) []presence {
	list := []presence{}
	for o := range r.clients {
		if o != c {
			list = append(list, o.presence)
		}
	}
	now := time.Now()
	for id, rp := range r.remote {
		if now.Sub(rp.at) > remoteTTL {
			delete(r.remote, id)
			continue
		}
		list = append(list, rp.p)
	}
	sortPeers(list)
	return list
}
