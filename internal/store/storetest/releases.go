package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

// trailLine returns record seq of a trail as internal/release writes it: a
// line of JSON chained to the line before by its SHA-256, with text that
// is not ASCII and quotes to escape. Record 1 carries the SOP file whole,
// here about 200 KB of it, as a real trail's first record does.
func trailLine(seq int, prev []byte, note string) []byte {
	rec := struct {
		Seq  int    `json:"seq"`
		At   string `json:"at"`
		By   string `json:"by"`
		Type string `json:"type"`
		Note string `json:"note,omitempty"`
		SOP  string `json:"sop,omitempty"`
		Prev string `json:"prev"`
	}{
		Seq:  seq,
		At:   fmt.Sprintf("2031-03-04T05:06:%02dZ", seq),
		By:   `Zoë "the gatekeeper" O'Brien`,
		Type: "note",
		Note: note,
	}
	if seq == 1 {
		rec.Type = "start"
		step := "- id: build\n  name: \"Build the release candidate\" — 発行 ✅\n  owner: release-team\n\ttabbed: yes\n"
		rec.SOP = strings.Repeat(step, 200<<10/len(step))
	} else {
		rec.Prev = sha(prev)
	}
	line, err := json.Marshal(rec)
	if err != nil {
		panic(err)
	}
	return line
}

// sha is the chain head of a trail whose last line is line.
func sha(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

// startRelease creates a release of doc started by by, with its first
// record, and returns it as the store filled it in and the first line.
func startRelease(t *testing.T, s relsop.Store, doc int64, by *relsop.User, name string, edit func(*relsop.Release)) (*relsop.Release, []byte) {
	t.Helper()
	first := trailLine(1, nil, "")
	rel := &relsop.Release{
		DocumentID:  doc,
		Revision:    1,
		Name:        name,
		ReleaseType: "minor",
		State:       relsop.ReleaseInProgress,
		Records:     1,
		Head:        sha(first),
		CreatedBy:   by.ID,
	}
	if edit != nil {
		edit(rel)
	}
	must(t, "CreateRelease "+name, s.CreateRelease(t.Context(), rel, first))
	d, err := s.DocumentByID(t.Context(), doc)
	must(t, "DocumentByID", err)
	rel.SOPTitle = d.Title // as the store reads a release back
	return rel, first
}

// nextRecord returns rel as it stands after line is added as its next
// record, and that line.
func nextRecord(rel relsop.Release, last []byte, note string, state relsop.ReleaseState) (*relsop.Release, []byte) {
	line := trailLine(rel.Records+1, last, note)
	rel.Records++
	rel.State = state
	rel.Head = sha(line)
	return &rel, line
}

// checkTrail compares a release's trail with want line by line: a diff of
// 200 KB lines would drown the difference.
func checkTrail(t *testing.T, s relsop.Store, releaseID int64, want [][]byte) {
	t.Helper()
	got, err := s.ReleaseTrail(t.Context(), releaseID)
	must(t, "ReleaseTrail", err)
	if len(got) != len(want) {
		t.Errorf("ReleaseTrail(%d) has %d lines, want %d", releaseID, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("ReleaseTrail(%d) line %d: %d bytes, SHA-256 %s; want %d bytes, SHA-256 %s",
				releaseID, i+1, len(got[i]), sha(got[i]), len(want[i]), sha(want[i]))
		}
	}
}

// checkRelease compares ReleaseByID with want.
func checkRelease(t *testing.T, s relsop.Store, want relsop.Release) {
	t.Helper()
	got, err := s.ReleaseByID(t.Context(), want.ID)
	must(t, "ReleaseByID", err)
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("ReleaseByID(%d) (-want +got):\n%s", want.ID, diff)
	}
	checkUTC(t, "CreatedAt", got.CreatedAt)
	checkUTC(t, "UpdatedAt", got.UpdatedAt)
}

// created is rel as ReleaseByID returns it: with its creator's name.
func created(rel *relsop.Release, by *relsop.User) relsop.Release {
	want := *rel
	want.CreatorName = by.Name
	return want
}

func testReleases(t *testing.T, open Opener) {
	setup := func(t *testing.T) (relsop.Store, *relsop.Document, *relsop.User, *relsop.User) {
		return annsDocument(t, open)
	}

	t.Run("CreateAndRead", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		rel, first := startRelease(t, s, d.ID, ann, "v2.4.0", nil)
		rehearsal, rehearsalFirst := startRelease(t, s, d.ID, bob, "CHG-0042 «dry run»", func(r *relsop.Release) {
			r.ReleaseType = "" // the base flow
			r.Rehearsal = true
		})
		for _, r := range []*relsop.Release{rel, rehearsal} {
			if r.ID <= 0 {
				t.Errorf("ID = %d, want > 0", r.ID)
			}
			if r.Records != 1 {
				t.Errorf("Records = %d, want 1", r.Records)
			}
			checkStamp(t, "CreatedAt", r.CreatedAt)
			checkStamp(t, "UpdatedAt", r.UpdatedAt)
			if !r.UpdatedAt.Equal(r.CreatedAt) {
				t.Errorf("UpdatedAt = %v, want CreatedAt %v: the first record is added as the release is made", r.UpdatedAt, r.CreatedAt)
			}
		}
		if rel.ID == rehearsal.ID {
			t.Errorf("two releases have ID %d", rel.ID)
		}

		checkRelease(t, s, created(rel, ann))
		checkRelease(t, s, created(rehearsal, bob))
		checkTrail(t, s, rel.ID, [][]byte{first})
		checkTrail(t, s, rehearsal.ID, [][]byte{rehearsalFirst})
	})

	t.Run("List", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Other", nil)
		first, firstLine := startRelease(t, s, d.ID, ann, "v1", nil)
		elsewhere, _ := startRelease(t, s, other.ID, ann, "v1 of other", nil)
		second, _ := startRelease(t, s, d.ID, bob, "v2", func(r *relsop.Release) { r.State = relsop.ReleaseAborted })
		third, _ := startRelease(t, s, d.ID, ann, "v3", func(r *relsop.Release) { r.Rehearsal = true })

		// A record added to the oldest release does not move it up: the
		// list is ordered by when releases started.
		first, line := nextRecord(*first, firstLine, "late note", relsop.ReleaseFinished)
		must(t, "AppendReleaseRecord", s.AppendReleaseRecord(t.Context(), first, line))

		got, err := s.Releases(t.Context(), d.ID)
		must(t, "Releases", err)
		want := []relsop.Release{created(third, ann), created(second, bob), created(first, ann)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Releases: newest first, this document's only (-want +got):\n%s", diff)
		}
		for _, r := range got {
			checkUTC(t, "CreatedAt", r.CreatedAt)
			checkUTC(t, "UpdatedAt", r.UpdatedAt)
		}

		got, err = s.Releases(t.Context(), other.ID)
		must(t, "Releases of the other document", err)
		if diff := cmp.Diff([]relsop.Release{created(elsewhere, ann)}, got); diff != "" {
			t.Errorf("Releases of the other document (-want +got):\n%s", diff)
		}

		fresh := newDocument(t, s, d.WorkspaceID, ann.ID, "Fresh", nil)
		got, err = s.Releases(t.Context(), fresh.ID)
		must(t, "Releases of a document without releases", err)
		if len(got) != 0 {
			t.Errorf("Releases of a document without releases = %+v, want none", got)
		}
		got, err = s.Releases(t.Context(), fresh.ID+1000)
		must(t, "Releases of a missing document", err)
		if len(got) != 0 {
			t.Errorf("Releases of a missing document = %+v, want none", got)
		}
	})

	t.Run("Workspace", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Hotfix SOP ✅", nil)
		otherWS := newWorkspace(t, s, "Elsewhere", bob.ID)
		stranger := newDocument(t, s, otherWS.ID, bob.ID, "Not theirs", nil)
		old, oldLine := startRelease(t, s, d.ID, ann, "v1", nil)
		hotfix, _ := startRelease(t, s, other.ID, bob, "hotfix-7", nil)
		done, _ := startRelease(t, s, d.ID, ann, "v0", func(r *relsop.Release) { r.State = relsop.ReleaseFinished })
		startRelease(t, s, stranger.ID, bob, "theirs", nil)

		// A record moves a release up: the list is by the latest record.
		old, line := nextRecord(*old, oldLine, "still going", relsop.ReleaseInProgress)
		must(t, "AppendReleaseRecord", s.AppendReleaseRecord(t.Context(), old, line))

		got, err := s.WorkspaceReleases(t.Context(), d.WorkspaceID, "", 0)
		must(t, "WorkspaceReleases", err)
		want := []relsop.Release{created(old, ann), created(done, ann), created(hotfix, bob)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("WorkspaceReleases: this workspace's, latest record first (-want +got):\n%s", diff)
		}
		got, err = s.WorkspaceReleases(t.Context(), d.WorkspaceID, relsop.ReleaseInProgress, 0)
		must(t, "WorkspaceReleases in progress", err)
		if diff := cmp.Diff([]relsop.Release{created(old, ann), created(hotfix, bob)}, got); diff != "" {
			t.Errorf("WorkspaceReleases in progress (-want +got):\n%s", diff)
		}
		got, err = s.WorkspaceReleases(t.Context(), d.WorkspaceID, "", 1)
		must(t, "WorkspaceReleases, limit 1", err)
		if len(got) != 1 || got[0].ID != old.ID {
			t.Errorf("WorkspaceReleases, limit 1 = %+v, want the latest", got)
		}
		got, err = s.WorkspaceReleases(t.Context(), 0, relsop.ReleaseInProgress, 0)
		must(t, "WorkspaceReleases of every workspace", err)
		var names []string
		for _, r := range got {
			names = append(names, r.Name)
		}
		if diff := cmp.Diff([]string{"v1", "theirs", "hotfix-7"}, names); diff != "" {
			t.Errorf("WorkspaceReleases of every workspace in progress (-want +got):\n%s", diff)
		}
	})

	t.Run("Alerts", func(t *testing.T) {
		s, d, ann, _ := setup(t)
		rel, _ := startRelease(t, s, d.ID, ann, "v1", nil)
		other, _ := startRelease(t, s, d.ID, ann, "v2", nil)
		for _, tc := range []struct {
			release int64
			key     string
			want    bool
		}{
			{rel.ID, "overdue:go-no-go:1764160000", true},
			{rel.ID, "overdue:go-no-go:1764160000", false},
			{rel.ID, "overdue:go-no-go:1764170000", true}, // the gate came back: a new wait
			{other.ID, "overdue:go-no-go:1764160000", true},
			{rel.ID, "late:deploy «prod» ✅:1", true},
		} {
			got, err := s.ClaimReleaseAlert(t.Context(), tc.release, tc.key)
			must(t, "ClaimReleaseAlert", err)
			if got != tc.want {
				t.Errorf("ClaimReleaseAlert(%d, %q) = %v, want %v", tc.release, tc.key, got, tc.want)
			}
		}
		_, err := s.ClaimReleaseAlert(t.Context(), other.ID+1000, "overdue:x:1")
		wantCode(t, "ClaimReleaseAlert of a missing release", err, relsop.ENOTFOUND)

		// Eight servers claim one alert at once: one sends it.
		var wg sync.WaitGroup
		claimed := make([]bool, 8)
		for i := range claimed {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.ClaimReleaseAlert(t.Context(), other.ID, "overdue:race:1")
				if err != nil {
					t.Errorf("ClaimReleaseAlert %d: %v", i, err)
				}
				claimed[i] = ok
			}()
		}
		wg.Wait()
		if n := len(slices.DeleteFunc(claimed, func(ok bool) bool { return !ok })); n != 1 {
			t.Errorf("%d of 8 racing claims won, want 1", n)
		}
	})

	t.Run("Append", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		rel, first := startRelease(t, s, d.ID, ann, "v2.4.0", nil)
		createdAt := rel.CreatedAt
		other, otherFirst := startRelease(t, s, d.ID, bob, "v2.4.1", nil)
		trail := [][]byte{first}

		notes := []struct {
			note  string
			state relsop.ReleaseState
		}{
			{`Smoke tests "green" on 発行-7 ✅ — see C:\logs\smoke.txt`, relsop.ReleaseInProgress},
			{"Done.\nNothing left to do.", relsop.ReleaseFinished},
		}
		for _, n := range notes {
			next, line := nextRecord(*rel, trail[len(trail)-1], n.note, n.state)
			must(t, fmt.Sprintf("AppendReleaseRecord %d", next.Records), s.AppendReleaseRecord(t.Context(), next, line))
			checkStamp(t, "UpdatedAt", next.UpdatedAt)
			if next.UpdatedAt.Before(rel.UpdatedAt) {
				t.Errorf("record %d: UpdatedAt went back from %v to %v", next.Records, rel.UpdatedAt, next.UpdatedAt)
			}
			rel = next
			trail = append(trail, line)

			checkRelease(t, s, created(rel, ann))
			checkTrail(t, s, rel.ID, trail)
		}
		if rel.Records != 3 || rel.State != relsop.ReleaseFinished || rel.Head != sha(trail[2]) || !rel.CreatedAt.Equal(createdAt) {
			t.Errorf("after two appends: Records %d, State %q, Head %s, CreatedAt %v; want 3, finished, the last line's, %v",
				rel.Records, rel.State, rel.Head, rel.CreatedAt, createdAt)
		}

		// The other release is left as it was.
		checkRelease(t, s, created(other, bob))
		checkTrail(t, s, other.ID, [][]byte{otherFirst})
	})

	t.Run("Stale", func(t *testing.T) {
		s, d, ann, _ := setup(t)
		rel, first := startRelease(t, s, d.ID, ann, "v2.4.0", nil)
		// Two writers read the release at record 1 and both add record 2.
		mine, myLine := nextRecord(*rel, first, "mine", relsop.ReleaseInProgress)
		theirs, theirLine := nextRecord(*rel, first, "theirs", relsop.ReleaseAborted)
		must(t, "AppendReleaseRecord", s.AppendReleaseRecord(t.Context(), mine, myLine))

		err := s.AppendReleaseRecord(t.Context(), theirs, theirLine)
		wantCode(t, "a second AppendReleaseRecord of record 2", err, relsop.ECONFLICT)
		for _, records := range []int{1, 2, 4, 9, 0, -1} { // taken, taken, gap, gap, none, none
			stale := *mine
			stale.Records, stale.State = records, relsop.ReleaseAborted
			err := s.AppendReleaseRecord(t.Context(), &stale, trailLine(records, myLine, "stale"))
			wantCode(t, fmt.Sprintf("AppendReleaseRecord %d after 2", records), err, relsop.ECONFLICT)
		}

		checkRelease(t, s, created(mine, ann))
		checkTrail(t, s, rel.ID, [][]byte{first, myLine})
	})

	t.Run("ConcurrentAppends", func(t *testing.T) {
		s, d, ann, _ := setup(t)
		rel, first := startRelease(t, s, d.ID, ann, "v2.4.0", nil)
		const n = 8
		errs := make([]error, n)
		lines := make([][]byte, n)
		var wg sync.WaitGroup
		for i := range n {
			next, line := nextRecord(*rel, first, fmt.Sprintf("writer %d", i), relsop.ReleaseInProgress)
			lines[i] = line
			wg.Go(func() { errs[i] = s.AppendReleaseRecord(t.Context(), next, line) })
		}
		wg.Wait()
		winner := oneWinner(t, "AppendReleaseRecord", "record 2", errs)
		got, err := s.ReleaseByID(t.Context(), rel.ID)
		must(t, "ReleaseByID", err)
		if got.Records != 2 || got.Head != sha(lines[winner]) {
			t.Errorf("after concurrent appends: Records = %d, Head = %s; want 2 and the winner's", got.Records, got.Head)
		}
		checkTrail(t, s, rel.ID, [][]byte{first, lines[winner]})
	})

	t.Run("NotFound", func(t *testing.T) {
		s, d, ann, _ := setup(t)
		rel, first := startRelease(t, s, d.ID, ann, "v2.4.0", nil)
		missing := rel.ID + 1000

		_, err := s.ReleaseByID(t.Context(), missing)
		wantCode(t, "ReleaseByID", err, relsop.ENOTFOUND)
		_, err = s.ReleaseTrail(t.Context(), missing)
		wantCode(t, "ReleaseTrail", err, relsop.ENOTFOUND)

		next, line := nextRecord(*rel, first, "lost", relsop.ReleaseInProgress)
		next.ID = missing
		wantCode(t, "AppendReleaseRecord", s.AppendReleaseRecord(t.Context(), next, line), relsop.ENOTFOUND)
		checkRelease(t, s, created(rel, ann))
		checkTrail(t, s, rel.ID, [][]byte{first})
	})
}
