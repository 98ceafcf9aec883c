package server

import (
	"encoding/json"
	"fmt"
	"net/http"
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
