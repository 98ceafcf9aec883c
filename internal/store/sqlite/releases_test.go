package sqlite

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop"
)

// TestReleasesSameInstant pins the tie-break the conformance suite can
// only state: releases started in the same microsecond list newest id
// first.
func TestReleasesSameInstant(t *testing.T) {
	s := open(t)
	instant := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	s.now = func() time.Time { return instant }
	u, w := annsWorkspace(t, s)
	d := &relsop.Document{WorkspaceID: w.ID, Title: "Release", Status: relsop.StatusApproved, Lint: relsop.LintClean, CreatedBy: u.ID}
	if err := s.CreateDocument(t.Context(), d, &relsop.Revision{AuthorID: u.ID, Source: []byte("sop: x\n")}); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, name := range []string{"v1", "v2", "v3"} {
		rel := &relsop.Release{DocumentID: d.ID, Revision: 1, Name: name, State: relsop.ReleaseInProgress,
			Records: 1, Head: "h", CreatedBy: u.ID}
		if err := s.CreateRelease(t.Context(), rel, []byte(`{"seq":1}`)); err != nil {
			t.Fatal(err)
		}
		want = append([]int64{rel.ID}, want...)
	}
	rels, err := s.Releases(t.Context(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, rel := range rels {
		got = append(got, rel.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Releases order at one instant (-want +got):\n%s", diff)
	}
}
