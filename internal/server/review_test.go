package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestReviewOverHTTP: Alice submits her SOP; Bob, an editor who changed
// none of it, finds it in his inbox and is told he may approve it; Alice
// is told why she may not. Once approved it waits for no one, until a
// release through it is aborted: then it suggests a review, in Alice's
// inbox.
func TestReviewOverHTTP(t *testing.T) {
	w, bob := liveWorld(t)
	sop := fmt.Sprintf("/api/sops/%d", w.doc)
	type review struct {
		Status    string `json:"status"`
		Submitted *struct {
			Number     int    `json:"number"`
			AuthorName string `json:"author_name"`
		} `json:"submitted"`
		Approved   int      `json:"approved"`
		Authors    []string `json:"authors"`
		MayApprove bool     `json:"may_approve"`
		Why        string   `json:"why"`
	}
	type inbox struct {
		Reviews []struct {
			SOP struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			} `json:"sop"`
			SubmittedBy string `json:"submitted_by"`
			Since       string `json:"since"`
			Approved    *int   `json:"approved"`
		} `json:"reviews"`
	}
	inboxPath := fmt.Sprintf("/api/workspaces/%d/inbox", w.aliceWS)

	var rv review
	if st := bob.call("GET", sop+"/review", nil, &rv); st != http.StatusOK || rv.Status != "draft" || rv.Submitted != nil || rv.MayApprove || rv.Authors == nil {
		t.Fatalf("a draft's review: %d %+v", st, rv)
	}
	if st := w.alice.call("POST", sop+"/status", map[string]any{"status": "in-review", "base_revision": 1}, nil); st != http.StatusOK {
		t.Fatalf("submit: %d", st)
	}
	rv = review{}
	if st := bob.call("GET", sop+"/review", nil, &rv); st != http.StatusOK || rv.Status != "in-review" || rv.Submitted == nil ||
		rv.Submitted.Number != 2 || !rv.MayApprove || rv.Why != "" || len(rv.Authors) != 1 || rv.Approved != 0 {
		t.Fatalf("Bob's review page: %d %+v", st, rv)
	}
	rv = review{}
	if st := w.alice.call("GET", sop+"/review", nil, &rv); st != http.StatusOK || rv.MayApprove || rv.Why == "" {
		t.Fatalf("Alice's review page: %d %+v", st, rv)
	}
	var in inbox
	if st := bob.call("GET", inboxPath, nil, &in); st != http.StatusOK || len(in.Reviews) != 1 || in.Reviews[0].SOP.ID != w.doc ||
		in.Reviews[0].SOP.Status != "in-review" || in.Reviews[0].Since == "" || in.Reviews[0].SubmittedBy == "" || in.Reviews[0].Approved == nil {
		t.Fatalf("Bob's inbox: %d %+v", st, in)
	}
	in = inbox{}
	if st := w.alice.call("GET", inboxPath, nil, &in); st != http.StatusOK || in.Reviews == nil || len(in.Reviews) != 0 {
		t.Fatalf("Alice's inbox lists her own SOP for review (or null): %d %+v", st, in)
	}
	if st := bob.call("POST", sop+"/status", map[string]any{"status": "approved", "base_revision": 2}, nil); st != http.StatusOK {
		t.Fatalf("approve: %d", st)
	}
	in = inbox{}
	if st := bob.call("GET", inboxPath, nil, &in); st != http.StatusOK || len(in.Reviews) != 0 {
		t.Fatalf("an approved SOP still waits: %+v", in)
	}
	rv = review{}
	if st := bob.call("GET", sop+"/review", nil, &rv); st != http.StatusOK || rv.Approved != 3 || rv.Submitted != nil || len(rv.Authors) != 0 {
		t.Fatalf("after approval: %+v", rv)
	}

	// A release through the approved SOP is aborted: the SOP's releases
	// suggest reviewing it, to every member.
	type releases struct {
		Releases        []json.RawMessage `json:"releases"`
		ReviewSuggested *struct {
			Release struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"release"`
			Ended   string   `json:"ended"`
			Lessons []string `json:"lessons"`
			Since   string   `json:"since"`
		} `json:"review_suggested"`
	}
	var list releases
	if st := bob.call("GET", sop+"/releases", nil, &list); st != http.StatusOK || list.ReviewSuggested != nil {
		t.Fatalf("before a real release: %d %+v", st, list.ReviewSuggested)
	}
	body := w.releaseBody()
	body["name"], body["rehearsal"] = "2.0", false
	var started struct {
		Release struct {
			ID int64 `json:"id"`
		} `json:"release"`
	}
	if st := w.alice.call("POST", sop+"/releases", body, &started); st != http.StatusCreated {
		t.Fatalf("start 2.0: %d", st)
	}
	if st := w.alice.call("POST", fmt.Sprintf("/api/releases/%d/records", started.Release.ID), map[string]any{"type": "abort", "note": "the vendor's outage"}, nil); st != http.StatusCreated {
		t.Fatalf("abort 2.0: %d", st)
	}
	if st := bob.call("GET", sop+"/releases", nil, &list); st != http.StatusOK || list.ReviewSuggested == nil ||
		list.ReviewSuggested.Release.ID != started.Release.ID || fmt.Sprint(list.ReviewSuggested.Lessons) != "[it was aborted]" ||
		list.ReviewSuggested.Ended == "" || list.ReviewSuggested.Since == "" || len(list.Releases) != 2 {
		t.Fatalf("after 2.0 was aborted: %d %+v", st, list.ReviewSuggested)
	}
	// It waits in the inbox of Alice, who held the SOP's owner role in
	// 2.0, and not in Bob's.
	type suggested struct {
		Suggested []struct {
			SOP struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"sop"`
			Release struct {
				ID int64 `json:"id"`
			} `json:"release"`
			Ended   string   `json:"ended"`
			Lessons []string `json:"lessons"`
		} `json:"suggested"`
	}
	var mine suggested
	if st := w.alice.call("GET", inboxPath, nil, &mine); st != http.StatusOK || len(mine.Suggested) != 1 || mine.Suggested[0].SOP.ID != w.doc ||
		mine.Suggested[0].SOP.Title == "" || mine.Suggested[0].Release.ID != started.Release.ID || mine.Suggested[0].Ended == "" ||
		fmt.Sprint(mine.Suggested[0].Lessons) != "[it was aborted]" {
		t.Fatalf("Alice's inbox after 2.0 was aborted: %d %+v", st, mine)
	}
	var his suggested
	if st := bob.call("GET", inboxPath, nil, &his); st != http.StatusOK || his.Suggested == nil || len(his.Suggested) != 0 {
		t.Fatalf("Bob's inbox after 2.0 was aborted (or null): %d %+v", st, his)
	}
}

// TestScheduledReviewOverHTTP: an approved SOP reviewed a year ago on a
// quarterly cadence is overdue: it waits in the inbox of Alice, who owns
// the workspace (the SOP was never released), not in Bob's; the SOP
// carries the date it fell due.
func TestScheduledReviewOverHTTP(t *testing.T) {
	w, bob := liveWorld(t)
	sop := fmt.Sprintf("/api/sops/%d", w.doc)
	inboxPath := fmt.Sprintf("/api/workspaces/%d/inbox", w.aliceWS)
	var doc struct {
		Document struct {
			Revision  int    `json:"revision"`
			ReviewDue string `json:"review_due"`
			Source    string `json:"source"`
		} `json:"document"`
	}
	if st := w.alice.call("GET", sop, nil, &doc); st != http.StatusOK || doc.Document.ReviewDue != "2027-01-14" {
		t.Fatalf("the template, reviewed 2026-10-15 every quarter (91 days): %d %+v", st, doc.Document.ReviewDue)
	}
	src := strings.Replace(doc.Document.Source, "last_reviewed: 2026-10-15", "last_reviewed: 2025-01-15", 1)
	if st := w.alice.call("PUT", sop, map[string]any{"source": src, "base_revision": doc.Document.Revision}, &doc); st != http.StatusOK {
		t.Fatalf("save: %d", st)
	}
	dueOn := doc.Document.ReviewDue
	if dueOn != "2025-04-16" {
		t.Errorf("review_due = %q, want 2025-04-16, 91 days after 2025-01-15", dueOn)
	}
	if st := w.alice.call("POST", sop+"/status", map[string]any{"status": "in-review", "base_revision": doc.Document.Revision}, nil); st != http.StatusOK {
		t.Fatalf("submit: %d", st)
	}
	if st := bob.call("POST", sop+"/status", map[string]any{"status": "approved", "base_revision": doc.Document.Revision + 1}, nil); st != http.StatusOK {
		t.Fatalf("approve: %d", st)
	}

	type inbox struct {
		Due []struct {
			SOP struct {
				ID        int64  `json:"id"`
				Title     string `json:"title"`
				Status    string `json:"status"`
				ReviewDue string `json:"review_due"`
				Source    *string
			} `json:"sop"`
			Due     string `json:"due"`
			Overdue bool   `json:"overdue"`
		} `json:"due"`
	}
	var hers inbox
	if st := w.alice.call("GET", inboxPath, nil, &hers); st != http.StatusOK || len(hers.Due) != 1 {
		t.Fatalf("Alice's inbox: %d %+v", st, hers)
	}
	if got := hers.Due[0]; got.SOP.ID != w.doc || got.SOP.Title == "" || got.SOP.Status != "approved" || got.SOP.ReviewDue != dueOn ||
		got.Due != dueOn || !got.Overdue || got.SOP.Source != nil {
		t.Errorf("Alice's due review: %+v", got)
	}
	var his inbox
	if st := bob.call("GET", inboxPath, nil, &his); st != http.StatusOK || his.Due == nil || len(his.Due) != 0 {
		t.Errorf("Bob's inbox (or null): %d %+v", st, his)
	}
}
