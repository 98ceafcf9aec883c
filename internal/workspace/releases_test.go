package workspace_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// releaseDesk is a workspace with an approved copy of the fork SOP
// (internal/release/testdata): plan, then build and docs side by side,
// then the gate approve (approvers rm and qa, escalation to cto), then
// deploy with a rollback. Its owner wrote it, an editor approved it, a
// viewer is the QA lead, and a stranger belongs to another workspace.
type releaseDesk struct {
	f                               *fixture
	owner, editor, viewer, stranger context.Context
	doc                             *relsop.Document
}

func newReleaseDesk(t *testing.T) *releaseDesk { return newReleaseDeskMail(t, false) }

// newReleaseDeskMail is newReleaseDesk, with notification emails in
// d.f.mail when withMail is set.
func newReleaseDeskMail(t *testing.T, withMail bool) *releaseDesk {
	t.Helper()
	return newReleaseDeskWith(t, withMail, nil)
}

// newReleaseDeskWith is newReleaseDeskMail with the service's options
// tuned by tune, when not nil.
func newReleaseDeskWith(t *testing.T, withMail bool, tune func(*workspace.Options)) *releaseDesk {
	t.Helper()
	f := newFixtureWith(t, withMail, tune)
	d := &releaseDesk{f: f}
	var ws int64
	d.owner, ws = f.user(t, "owner@example.com")
	d.editor, _ = f.user(t, "editor@example.com")
	d.viewer, _ = f.user(t, "viewer@example.com")
	d.stranger, _ = f.user(t, "stranger@example.com")
	f.join(t, d.owner, ws, d.editor, relsop.RoleEditor)
	f.join(t, d.owner, ws, d.viewer, relsop.RoleViewer)
	src, err := os.ReadFile("../release/testdata/fork.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d.doc, err = f.svc.Create(d.owner, ws, "", src, ""); err != nil {
		t.Fatal(err)
	}
	return d
}

// withSLA adds a second SOP to the desk's workspace: the fork SOP with a
// 30-minute SLA on its plan step, for the overdue rounds.
func (d *releaseDesk) withSLA(t *testing.T) *relsop.Document {
	t.Helper()
	src, err := os.ReadFile("../release/testdata/fork.sop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withSLA := strings.Replace(string(src), "    next: [build, docs]\n", "    sla: 30m\n    next: [build, docs]\n", 1)
	doc, err := d.f.svc.Create(d.owner, d.doc.WorkspaceID, "", []byte(withSLA), "")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// approve takes the SOP through review to approved.
func (d *releaseDesk) approve(t *testing.T) {
	t.Helper()
	doc, err := d.f.svc.SetStatus(d.owner, d.doc.ID, relsop.StatusInReview, d.doc.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if d.doc, err = d.f.svc.SetStatus(d.editor, d.doc.ID, relsop.StatusApproved, doc.Revision); err != nil {
		t.Fatal(err)
	}
}

var forkRoster = map[string][]string{"rm": {"owner@example.com"}, "qa": {"Viewer@Example.com "}, "cto": {"editor@example.com"}}

func (d *releaseDesk) record(t *testing.T, ctx context.Context, id int64, req workspace.RecordRequest) *workspace.ReleaseView {
	t.Helper()
	v, err := d.f.svc.AddRecord(ctx, id, req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Type, req.Step, err)
	}
	return v
}

func readyIDs(v *workspace.ReleaseView) string {
	var ids []string
	for _, r := range v.Status.Ready {
		ids = append(ids, r.Step)
	}
	return strings.Join(ids, ",")
}

func TestStartReleaseRefusals(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	_, err := svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1.0.0", Roster: forkRoster})
	wantCode(t, err, relsop.EINVALID)
	if !strings.Contains(err.Error(), "not approved") {
		t.Fatalf("a release through a draft: %v", err)
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		req  workspace.ReleaseRequest
		code string
		want string
	}{
		{"no name", d.owner, workspace.ReleaseRequest{Rehearsal: true, Roster: forkRoster}, relsop.EINVALID, "Name the release"},
		{"no roster", d.owner, workspace.ReleaseRequest{Name: "1", Rehearsal: true}, relsop.EINVALID, "Say who holds rm, qa, cto"},
		{"a stranger in the roster", d.owner, workspace.ReleaseRequest{Name: "1", Rehearsal: true,
			Roster: map[string][]string{"rm": {"owner@example.com"}, "qa": {"stranger@example.com"}, "cto": {"editor@example.com"}}}, relsop.EINVALID, "not a member"},
		{"an unknown role", d.owner, workspace.ReleaseRequest{Name: "1", Rehearsal: true,
			Roster: map[string][]string{"rm": {"owner@example.com"}, "qa": {"viewer@example.com"}, "cto": {"editor@example.com"}, "qaa": {"owner@example.com"}}}, relsop.EINVALID, `did you mean "qa"`},
		{"an unknown release type", d.owner, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Type: "hotfix", Roster: forkRoster}, relsop.EINVALID, "hotfix"},
		{"a viewer", d.viewer, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Roster: forkRoster}, relsop.EFORBIDDEN, "editor"},
		{"a stranger", d.stranger, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Roster: forkRoster}, relsop.ENOTFOUND, "No such SOP"},
	} {
		_, err := svc.StartRelease(tc.ctx, d.doc.ID, tc.req)
		if relsop.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v (%s), want %s saying %q", tc.name, err, relsop.ErrorCode(err), tc.code, tc.want)
		}
	}
	v, err := svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Release.Rehearsal || v.Status.Roster["qa"][0] != "viewer@example.com" {
		t.Fatalf("rehearsal %v, roster %v (want the member's email as the account has it)", v.Release.Rehearsal, v.Status.Roster)
	}
	_, err = svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Roster: forkRoster})
	wantCode(t, err, relsop.ECONFLICT)

	running, err := svc.WorkspaceReleases(d.viewer, d.doc.WorkspaceID, relsop.ReleaseInProgress)
	if err != nil || len(running) != 1 || running[0].ID != v.Release.ID || running[0].SOPTitle != "Fork and join" {
		t.Fatalf("the workspace's releases in progress: %+v, %v", running, err)
	}
	_, err = svc.WorkspaceReleases(d.viewer, d.doc.WorkspaceID, "running")
	wantCode(t, err, relsop.EINVALID)
	_, err = svc.WorkspaceReleases(d.stranger, d.doc.WorkspaceID, "")
	wantCode(t, err, relsop.ENOTFOUND)
}

func TestReleaseSignOffsAreTheSignedInMembers(t *testing.T) {
	d := newReleaseDesk(t)
	svc := d.f.svc
	d.approve(t)
	v, err := svc.StartRelease(d.editor, d.doc.ID, workspace.ReleaseRequest{Name: "1.0.0", Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	id := v.Release.ID
	if v.Release.Revision != d.doc.Revision || v.Status.StartedBy != "editor@example.com" || readyIDs(v) != "plan" || !v.You.Record || !v.You.Assign {
		t.Fatalf("started: revision %d (want %d), by %s, ready %s, rights %+v", v.Release.Revision, d.doc.Revision, v.Status.StartedBy, readyIDs(v), v.You)
	}

	_, err = svc.AddRecord(d.viewer, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	wantCode(t, err, relsop.EFORBIDDEN)
	_, err = svc.AddRecord(d.stranger, id, workspace.RecordRequest{Type: release.TypeNote, Note: "hi"})
	wantCode(t, err, relsop.ENOTFOUND)
	_, err = svc.Release(d.stranger, id)
	wantCode(t, err, relsop.ENOTFOUND)

	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "plan"})
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "docs"})
	_, err = svc.AddRecord(d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "build"})
	wantCode(t, err, relsop.EINVALID) // the SOP asks for a build log
	v = d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeDone, Step: "build", Evidence: []string{"Build log: https://ci.example.com/1"}})
	if readyIDs(v) != "approve" {
		t.Fatalf("ready %s, want approve", readyIDs(v))
	}

	seen, err := svc.Release(d.viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	if seen.You.Record || seen.You.Assign || strings.Join(seen.You.Sign["approve"], ",") != "qa" {
		t.Fatalf("the viewer's rights: %+v", seen.You)
	}
	_, err = svc.AddRecord(d.editor, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go", Role: "qa"})
	if relsop.ErrorCode(err) != relsop.EINVALID || !strings.Contains(err.Error(), "editor@example.com does not hold qa") {
		t.Fatalf("a sign-off for a role the roster gives to another: %v", err)
	}
	d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"}) // rm, the owner's only role
	_, err = svc.AddRecord(d.viewer, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go", Head: seen.Status.Head})
	wantCode(t, err, relsop.ECONFLICT) // the viewer looked before the owner signed
	v = d.record(t, d.viewer, id, workspace.RecordRequest{Type: release.TypeSign, Step: "approve", Outcome: "go"})
	if readyIDs(v) != "deploy" || len(v.Status.Decisions) != 1 {
		t.Fatalf("after both sign-offs: ready %s, decisions %v", readyIDs(v), v.Status.Decisions)
	}
	last := v.Status.Records[len(v.Status.Records)-1]
	if last.By != "viewer@example.com" || last.Role != "qa" {
		t.Fatalf("the sign-off is by %s for %s", last.By, last.Role)
	}

	_, err = svc.AddRecord(d.viewer, id, workspace.RecordRequest{Type: release.TypeAssign, Role: "qa", People: []string{"editor@example.com"}, Note: "away"})
	wantCode(t, err, relsop.EFORBIDDEN)
	_, err = svc.AddRecord(d.owner, id, workspace.RecordRequest{Type: release.TypeAssign, Role: "qa", People: []string{"stranger@example.com"}, Note: "away"})
	wantCode(t, err, relsop.EINVALID)
	v = d.record(t, d.owner, id, workspace.RecordRequest{Type: release.TypeAssign, Role: "qa", People: []string{"EDITOR@example.com"}, Note: "Viewer is away"})
	if strings.Join(v.Status.Roster["qa"], ",") != "editor@example.com" {
		t.Fatalf("roster after the change: %v", v.Status.Roster)
	}
	d.record(t, d.viewer, id, workspace.RecordRequest{Type: release.TypeNote, Note: "Watching the dashboards"})
	v = d.record(t, d.editor, id, workspace.RecordRequest{Type: release.TypeDone, Step: "deploy"})
	if v.Release.State != relsop.ReleaseFinished || v.You.Record {
		t.Fatalf("after the deploy: state %s, rights %+v", v.Release.State, v.You)
	}

	list, _, err := svc.Releases(d.viewer, d.doc.ID)
	if err != nil || len(list) != 1 || list[0].Records != len(v.Status.Records) || list[0].Head != v.Status.Head || list[0].CreatorName != "editor" {
		t.Fatalf("releases: %+v, %v", list, err)
	}
	trail, err := svc.ReleaseTrail(d.viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	r, problems := release.Replay(trail.Data)
	if len(problems) > 0 || r.Head() != v.Status.Head || !strings.HasSuffix(trail.Filename, ".release.jsonl") {
		t.Fatalf("the trail downloaded: problems %v, head %s (want %s), file %s", problems, r.Head(), v.Status.Head, trail.Filename)
	}
	md, err := svc.ReleaseReport(d.viewer, id, "markdown")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"viewer@example.com (go", "Roster changed", "Viewer is away", "chain intact"} {
		if !strings.Contains(string(md.Data), want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	pdf, err := svc.ReleaseReport(d.viewer, id, "pdf")
	if err != nil || !strings.HasPrefix(string(pdf.Data), "%PDF-") || pdf.MediaType != "application/pdf" {
		t.Fatalf("the PDF report: %v", err)
	}
	pic, err := svc.ReleaseDiagram(d.viewer, id, "", "")
	if err != nil || !strings.Contains(string(pic.Data), "<svg") {
		t.Fatalf("progress diagram: %v", err)
	}
	_, err = svc.ReleaseReport(d.viewer, id, "docx")
	wantCode(t, err, relsop.EINVALID)
}

// TestReleaseRecordsAtOnce has members record notes at the same moment:
// each is stored, in some order, and the trail stays one chain.
func TestReleaseRecordsAtOnce(t *testing.T) {
	d := newReleaseDesk(t)
	v, err := d.f.svc.StartRelease(d.owner, d.doc.ID, workspace.ReleaseRequest{Name: "1", Rehearsal: true, Roster: forkRoster})
	if err != nil {
		t.Fatal(err)
	}
	const each = 10
	var wg sync.WaitGroup
	errs := make(chan error, 3*each)
	for _, ctx := range []context.Context{d.owner, d.editor, d.viewer} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := d.f.svc.AddRecord(ctx, v.Release.ID, workspace.RecordRequest{Type: release.TypeNote, Note: "n"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if relsop.ErrorCode(err) != relsop.ECONFLICT {
			t.Fatalf("a note: %v", err)
		}
		failed++ // three tries lost to others: the member is told to try again
	}
	trail, err := d.f.svc.ReleaseTrail(d.owner, v.Release.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, problems := release.Replay(trail.Data)
	if len(problems) > 0 || len(r.Records()) != 1+3*each-failed {
		t.Fatalf("%d records (%d refused), problems %v", len(r.Records()), failed, problems)
	}
}
