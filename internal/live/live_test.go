package live

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
)

func TestBucket(t *testing.T) {
	b := newBucket(10, 3)
	now := time.Unix(0, 0)
	for i := range 3 {
		if !b.take(now) {
			t.Fatalf("burst: message %d refused", i)
		}
	}
	if b.take(now) {
		t.Fatal("a fourth message at once should be refused")
	}
	if !b.take(now.Add(100 * time.Millisecond)) {
		t.Fatal("a tenth of a second later one more should pass")
	}
	if b.take(now.Add(110 * time.Millisecond)) {
		t.Fatal("but not two")
	}
}

func TestOverwrites(t *testing.T) {
	r := newRoom(nil, 1)
	setName := func(v string) []edit.Op {
		return []edit.Op{{Op: "set", Kind: "step", ID: "build", Field: "name", Value: v}}
	}
	r.remember(applied{seq: 1, client: "ann", author: person{1, "Ann"}, ops: setName("old")})
	r.remember(applied{seq: 2, client: "bob", author: person{2, "Bob"}, ops: setName("Bob's")})
	r.remember(applied{seq: 3, client: "ann", author: person{1, "Ann"}, ops: []edit.Op{{Op: "set", Kind: "step", ID: "build", Field: "owner", Value: "qa"}}})

	// Cy had seen up to 1: Bob's value at 2 was concurrent, Ann's at 1 not.
	got := r.overwrites(applied{seq: 4, client: "cy", ops: setName("Cy's")}, 1)
	if len(got) != 1 || got[0].Client != "bob" || got[0].Value != "Bob's" {
		t.Fatalf("%+v", got)
	}
	// Having seen 2, nothing was concurrent.
	if got := r.overwrites(applied{seq: 4, client: "cy", ops: setName("Cy's")}, 2); len(got) != 0 {
		t.Fatalf("%+v", got)
	}
	// One's own earlier value is not an overwrite.
	if got := r.overwrites(applied{seq: 4, client: "bob", ops: setName("again")}, 0); len(got) != 1 || got[0].Client != "ann" {
		t.Fatalf("%+v", got)
	}
}

func TestRecentIsBounded(t *testing.T) {
	r := newRoom(nil, 1)
	for i := range recentOps + 10 {
		r.remember(applied{seq: int64(i + 1)})
	}
	if len(r.recent) != recentOps || r.recent[0].seq != 11 {
		t.Fatalf("%d kept, oldest %d", len(r.recent), r.recent[0].seq)
	}
}

// FuzzIncoming feeds the message decoder and the presence checks anything:
// they never panic, and what they let through is well formed.
func FuzzIncoming(f *testing.F) {
	for _, s := range []string{
		`{"type":"presence","selection":{"kind":"step","id":"build"},"cursor":{"x":1,"y":2}}`,
		`{"type":"presence","selection":null,"cursor":null}`,
		`{"type":"ops","client_seq":1,"base_seq":0,"ops":[{"op":"set","kind":"sop","field":"title","value":"x"}]}`,
		`{"type":"yaml","client_seq":2,"from":"id: x","to":"id: y"}`,
		`{"type":"presence","cursor":{"x":1e308,"y":"NaN"}}`,
		`[]`, `null`, `{"type":`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in incoming
		if json.Unmarshal(data, &in) != nil {
			return
		}
		if sel, ok := cleanSelection(in.Selection); ok && sel != nil {
			var s selection
			if err := json.Unmarshal(sel, &s); err != nil || s.ID == "" || len(s.ID) > 200 {
				t.Fatalf("let through %s", sel)
			}
		}
		if cur, ok := cleanCursor(in.Cursor); ok && cur != nil {
			var c cursor
			if err := json.Unmarshal(cur, &c); err != nil || !finite(c.X) || !finite(c.Y) {
				t.Fatalf("let through %s", cur)
			}
		}
	})
}

func TestFanoutNotesMergeAndFit(t *testing.T) {
	notes := []fanoutMsg{{Doc: 1, Seq: 5}, {Doc: 2, Seq: 3}, {Doc: 1, Seq: 7}, {Doc: 1, Revision: 4, Seq: 7},
		{Doc: 2, Presence: &presence{Client: "c"}}, {Doc: 1, Seq: 6}}
	got := merge(notes)
	want := []fanoutMsg{{Doc: 1, Seq: 7}, {Doc: 2, Seq: 3}, {Doc: 1, Revision: 4, Seq: 7}, {Doc: 2, Presence: &presence{Client: "c"}}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i].Doc != want[i].Doc || got[i].Seq != want[i].Seq || got[i].Revision != want[i].Revision || (got[i].Presence == nil) != (want[i].Presence == nil) {
			t.Fatalf("note %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	h := &Hub{instance: "abc"}
	var many []fanoutMsg
	for i := range 2000 {
		many = append(many, fanoutMsg{Doc: int64(i + 1), Seq: 123456})
	}
	many = append(many, fanoutMsg{Doc: 1, Presence: &presence{Client: "huge", Name: string(make([]byte, 9000))}})
	total := 0
	for _, p := range h.payloads(many) {
		if len(p) > relsop.MaxFanoutPayload {
			t.Fatalf("a payload of %d bytes", len(p))
		}
		var b fanoutBatch
		if err := json.Unmarshal(p, &b); err != nil || b.Instance != "abc" {
			t.Fatal(err)
		}
		total += len(b.Notes)
	}
	if total != 2000 {
		t.Fatalf("%d notes sent, want the 2000 that fit", total)
	}
}

func TestCapitalise(t *testing.T) {
	for in, want := range map[string]string{
		"no step has the id \"x\".": "No step has the id \"x\"",
		"über alles":                "Über alles",
		"“quoted” first":            "“quoted” first",
		"":                          "",
	} {
		if got := capitalise(in); got != want {
			t.Errorf("capitalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidClientID(t *testing.T) {
	for id, want := range map[string]bool{
		"t0123abcd": true, "abc-DEF_12": true, strings.Repeat("a", 64): true,
		"short": false, strings.Repeat("a", 65): false, "has space1": false, "naïve-tab1": false, "": false,
	} {
		if got := ValidClientID(id); got != want {
			t.Errorf("ValidClientID(%q) = %v, want %v", id, got, want)
		}
	}
}
