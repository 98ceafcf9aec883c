package workspace_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/workspace"
)

// BenchmarkInbox is the library's "Waiting for you" (asked on every page
// for the top bar's count) in a workspace with 20 rehearsals of a
// template in progress, each waiting at its first gate for the member.
func BenchmarkInbox(b *testing.B) {
	f := newFixture(b)
	owner, ws := f.user(b, "owner@example.com")
	doc, err := f.svc.Create(owner, ws, "saas-weekly", nil, "")
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := templates.Get("saas-weekly")
	roster := map[string][]string{}
	for _, role := range compile.Load(tpl.Source).SOP.Roles {
		roster[role.ID] = []string{"owner@example.com"}
	}
	for i := range 20 {
		v, err := f.svc.StartRelease(owner, doc.ID, workspace.ReleaseRequest{Name: fmt.Sprint("1.", i), Rehearsal: true, Roster: roster})
		if err != nil {
			b.Fatal(err)
		}
		for len(v.Status.Ready) > 0 && v.Status.Ready[0].Kind != "gate" {
			if v, err = f.svc.AddRecord(owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeDone, Step: v.Status.Ready[0].Step, Evidence: []string{"https://ci.example.com/1"}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	in, err := f.svc.Inbox(owner, ws)
	if err != nil || len(in.Gates) != 20 {
		b.Fatalf("%d gates waiting, want 20: %v", len(in.Gates), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.svc.Inbox(owner, ws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInboxSuggested is the same list in a workspace whose five
// approved SOPs each had four real releases aborted: each SOP suggests a
// review, for the member who kept it.
func BenchmarkInboxSuggested(b *testing.B) {
	f := newFixture(b)
	owner, ws := f.user(b, "owner@example.com")
	editor, _ := f.user(b, "editor@example.com")
	f.join(b, owner, ws, editor, relsop.RoleEditor)
	tpl, _ := templates.Get("saas-weekly")
	roster := map[string][]string{}
	for _, role := range compile.Load(tpl.Source).SOP.Roles {
		roster[role.ID] = []string{"owner@example.com"}
	}
	for range 5 {
		doc, err := f.svc.Create(owner, ws, "saas-weekly", nil, "")
		if err != nil {
			b.Fatal(err)
		}
		if doc, err = f.svc.SetStatus(owner, doc.ID, relsop.StatusInReview, doc.Revision); err != nil {
			b.Fatal(err)
		}
		if _, err = f.svc.SetStatus(editor, doc.ID, relsop.StatusApproved, doc.Revision); err != nil {
			b.Fatal(err)
		}
		// The store stamps the approval by the wall clock, the service the
		// records by the fixture's: the releases end after the approval.
		f.clock.add(time.Since(f.clock.now()) + time.Minute)
		for i := range 4 {
			v, err := f.svc.StartRelease(owner, doc.ID, workspace.ReleaseRequest{Name: fmt.Sprint("1.", i), Roster: roster})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.svc.AddRecord(owner, v.Release.ID, workspace.RecordRequest{Type: release.TypeAbort, Note: "not today"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	in, err := f.svc.Inbox(owner, ws)
	if err != nil || len(in.Suggested) != 5 {
		b.Fatalf("%d reviews suggested, want 5: %v", len(in.Suggested), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.svc.Inbox(owner, ws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInboxReviews is the same list in a workspace with 30 SOPs in
// review, each with 10 revisions, that the member may approve.
func BenchmarkInboxReviews(b *testing.B) {
	f := newFixture(b)
	owner, ws := f.user(b, "owner@example.com")
	editor, _ := f.user(b, "editor@example.com")
	f.join(b, owner, ws, editor, relsop.RoleEditor)
	for i := range 30 {
		doc, err := f.svc.Create(owner, ws, "saas-weekly", nil, "")
		if err != nil {
			b.Fatal(err)
		}
		for j := range 8 {
			src := strings.Replace(string(doc.Source), "\ntitle: ", fmt.Sprintf("\ntitle: %d.%d ", i, j), 1)
			if doc, err = f.svc.Save(owner, doc.ID, []byte(src), doc.Revision, "retitled"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err = f.svc.SetStatus(owner, doc.ID, relsop.StatusInReview, doc.Revision); err != nil {
			b.Fatal(err)
		}
	}
	in, err := f.svc.Inbox(editor, ws)
	if err != nil || len(in.Reviews) != 30 {
		b.Fatalf("%d reviews waiting, want 30: %v", len(in.Reviews), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.svc.Inbox(editor, ws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInboxDue: the workspace owner's inbox with 30 approved SOPs
// whose scheduled review is overdue, each released twice (its keeper is
// read from its latest release's replay).
func BenchmarkInboxDue(b *testing.B) {
	f := newFixture(b)
	owner, ws := f.user(b, "owner@example.com")
	editor, _ := f.user(b, "editor@example.com")
	f.join(b, owner, ws, editor, relsop.RoleEditor)
	src, err := os.ReadFile("../release/testdata/fork.sop.yaml")
	if err != nil {
		b.Fatal(err)
	}
	roster := map[string][]string{"rm": {"owner@example.com"}, "qa": {"editor@example.com"}, "cto": {"editor@example.com"}}
	for range 30 {
		doc, err := f.svc.Create(owner, ws, "", withReview(src, "quarterly", "2020-01-01"), "")
		if err != nil {
			b.Fatal(err)
		}
		if doc, err = f.svc.SetStatus(owner, doc.ID, relsop.StatusInReview, doc.Revision); err != nil {
			b.Fatal(err)
		}
		if _, err = f.svc.SetStatus(editor, doc.ID, relsop.StatusApproved, doc.Revision); err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{"1.0", "1.1"} {
			if _, err := f.svc.StartRelease(owner, doc.ID, workspace.ReleaseRequest{Name: name, Rehearsal: true, Roster: roster}); err != nil {
				b.Fatal(err)
			}
		}
	}
	in, err := f.svc.Inbox(owner, ws)
	if err != nil || len(in.Due) != 30 {
		b.Fatalf("%d reviews due, want 30: %v", len(in.Due), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.svc.Inbox(owner, ws); err != nil {
			b.Fatal(err)
		}
	}
}
