package workspace_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/notify"
	relsoppng "github.com/relsop/relsop/internal/render/png"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/workspace"
)

// clock is a settable clock for rate limits and expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	svc   *workspace.Service
	clock *clock
	mail  *mailbox // what the service mailed, when made with mail
	db    string   // the SQLite file
}

func newFixture(t testing.TB) *fixture { return newFixtureMail(t, false) }

// newFixtureMail is newFixture with notification emails kept in the
// fixture's mailbox when withMail is set.
func newFixtureMail(t testing.TB, withMail bool) *fixture { return newFixtureWith(t, withMail, nil) }

// newFixtureWith is newFixtureMail with the service's options tuned by
// tune, when not nil.
func newFixtureWith(t testing.TB, withMail bool, tune func(*workspace.Options)) *fixture {
	t.Helper()
	db := filepath.Join(t.TempDir(), "relsop.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Now()}
	// Webhooks are delivered for real, to receivers the tests run on
	// loopback: private addresses allowed, no waiting between attempts.
	sender := notify.New(notify.Options{AllowPrivate: true, Backoff: []time.Duration{}, Record: workspace.RecordDelivery(st)})
	t.Cleanup(sender.Close)
	opts := workspace.Options{Now: c.now, Notify: sender, WebhooksPrivate: true}
	box := &mailbox{}
	if withMail {
		opts.Mail = box
	}
	if tune != nil {
		tune(&opts)
	}
	return &fixture{svc: workspace.New(st, opts), clock: c, mail: box, db: db}
}

// user signs up a user and returns a context signed in as them, with
// their first workspace's id.
func (f *fixture) user(t testing.TB, email string) (context.Context, int64) {
	t.Helper()
	u, _, _, err := f.svc.SignUp(context.Background(), email, strings.Split(email, "@")[0], "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	ctx := workspace.WithUser(context.Background(), u)
	ms, err := f.svc.Workspaces(ctx)
	if err != nil || len(ms) != 1 {
		t.Fatalf("workspaces: %v %v", ms, err)
	}
	return ctx, ms[0].Workspace.ID
}

// join adds the user of ctx to workspace ws with role, through an invite.
func (f *fixture) join(t testing.TB, owner context.Context, ws int64, ctx context.Context, role relsop.MemberRole) {
	t.Helper()
	_, token, err := f.svc.CreateInvite(owner, ws, role)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AcceptInvite(ctx, token); err != nil {
		t.Fatal(err)
	}
}

// authorAndReviewer signs up an author and a reviewer, both editors of
// the author's workspace, and has the author make an SOP from saas-weekly.
func (f *fixture) authorAndReviewer(t *testing.T) (author, reviewer context.Context, d *relsop.Document) {
	t.Helper()
	author, ws := f.user(t, "author@example.com")
	reviewer, _ = f.user(t, "reviewer@example.com")
	f.join(t, author, ws, reviewer, relsop.RoleEditor)
	d, err := f.svc.Create(author, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return author, reviewer, d
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := relsop.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestAccounts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, sess, token, err := f.svc.SignUp(ctx, " Ada@Example.com ", "Ada", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !u.Admin || u.Email != "ada@example.com" || sess.CSRF == "" || token == "" {
		t.Errorf("first user = %+v, session %+v", u, sess)
	}
	u2, _, _, err := f.svc.SignUp(ctx, "bob@example.com", "Bob", "correct horse battery")
	if err != nil || u2.Admin {
		t.Errorf("second user admin=%v err=%v", u2.Admin, err)
	}
	_, _, _, err = f.svc.SignUp(ctx, "ADA@example.com", "Ada 2", "correct horse battery")
	wantCode(t, err, relsop.ECONFLICT)
	for _, bad := range []struct{ email, name, password string }{
		{"not-an-email", "x", "correct horse battery"},
		{"x@example.com", "x", "short"},
		{"x@example.com", "line\nbreak", "correct horse battery"},
		{"x@example.com", "x", strings.Repeat("p", 2000)},
	} {
		_, _, _, err := f.svc.SignUp(ctx, bad.email, bad.name, bad.password)
		wantCode(t, err, relsop.EINVALID)
	}

	_, _, tok, err := f.svc.SignIn(ctx, "ada@example.com", "correct horse battery", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := f.svc.Session(ctx, tok); err != nil || got.ID != u.ID {
		t.Fatalf("session: %v %v", got, err)
	}
	_, _, _, err = f.svc.SignIn(ctx, "ada@example.com", "wrong password!", "10.0.0.1")
	wantCode(t, err, relsop.EUNAUTHORIZED)
	_, _, _, err = f.svc.SignIn(ctx, "nobody@example.com", "wrong password!", "10.0.0.1")
	wantCode(t, err, relsop.EUNAUTHORIZED)

	if err := f.svc.SignOut(ctx, tok); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Session(ctx, tok)
	wantCode(t, err, relsop.EUNAUTHORIZED)

	// Sessions expire.
	f.clock.add(workspace.SessionLifetime + time.Minute)
	_, _, err = f.svc.Session(ctx, token)
	wantCode(t, err, relsop.EUNAUTHORIZED)
}

func TestSignInRateLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, _, _, err := f.svc.SignUp(ctx, "ada@example.com", "Ada", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		_, _, _, err := f.svc.SignIn(ctx, "ada@example.com", "guess number "+string(rune('a'+i)), "10.0.0.9")
		wantCode(t, err, relsop.EUNAUTHORIZED)
	}
	// Now even the right password is refused, from any address.
	_, _, _, err := f.svc.SignIn(ctx, "ada@example.com", "correct horse battery", "10.0.0.10")
	wantCode(t, err, relsop.ERATELIMIT)
	var rl *workspace.RateLimitError
	if !errors.As(err, &rl) || rl.Wait <= 0 || rl.Wait > 15*time.Minute {
		t.Errorf("rate limit error %v", err)
	}
	f.clock.add(16 * time.Minute)
	if _, _, _, err := f.svc.SignIn(ctx, "ada@example.com", "correct horse battery", "10.0.0.10"); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	ctx, _ := f.user(t, "ada@example.com")
	tok, secret, err := f.svc.CreateAPIToken(ctx, "CI")
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.svc.UserByAPIToken(context.Background(), secret)
	if err != nil || u.Email != "ada@example.com" {
		t.Fatalf("token user %v %v", u, err)
	}
	if err := f.svc.DeleteAPIToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.UserByAPIToken(context.Background(), secret)
	wantCode(t, err, relsop.EUNAUTHORIZED)
	_, err = f.svc.UserByAPIToken(context.Background(), "not-a-token")
	wantCode(t, err, relsop.EUNAUTHORIZED)
}

func TestPermissions(t *testing.T) {
	f := newFixture(t)
	owner, ws := f.user(t, "owner@example.com")
	editor, _ := f.user(t, "editor@example.com")
	viewer, _ := f.user(t, "viewer@example.com")
	stranger, _ := f.user(t, "stranger@example.com")
	f.join(t, owner, ws, editor, relsop.RoleEditor)
	f.join(t, owner, ws, viewer, relsop.RoleViewer)
	d, err := f.svc.Create(editor, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}

	// The viewer reads and comments, but cannot change anything.
	if _, err := f.svc.Document(viewer, d.ID); err != nil {
		t.Errorf("viewer open: %v", err)
	}
	if _, err := f.svc.AddComment(viewer, d.ID, "", 0, "Looks good"); err != nil {
		t.Errorf("viewer comment: %v", err)
	}
	_, err = f.svc.Save(viewer, d.ID, d.Source, d.Revision, "")
	wantCode(t, err, relsop.EFORBIDDEN)
	_, err = f.svc.ApplyOps(viewer, d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "x"}})
	wantCode(t, err, relsop.EFORBIDDEN)
	_, err = f.svc.Create(viewer, ws, "saas-weekly", nil, "")
	wantCode(t, err, relsop.EFORBIDDEN)
	_, _, err = f.svc.CreateInvite(editor, ws, relsop.RoleOwner)
	wantCode(t, err, relsop.EFORBIDDEN)

	// A stranger learns nothing: every call is "not found".
	for name, call := range map[string]func() error{
		"open":     func() error { _, err := f.svc.Document(stranger, d.ID); return err },
		"list":     func() error { _, err := f.svc.Documents(stranger, relsop.DocumentFilter{WorkspaceID: ws}); return err },
		"history":  func() error { _, err := f.svc.Revisions(stranger, d.ID); return err },
		"comments": func() error { _, err := f.svc.Comments(stranger, d.ID); return err },
		"save":     func() error { _, err := f.svc.Save(stranger, d.ID, d.Source, d.Revision, ""); return err },
		"members":  func() error { _, err := f.svc.Members(stranger, ws); return err },
		"artifact": func() error {
			_, err := f.svc.Artifact(stranger, d.ID, workspace.ArtifactRequest{Format: "svg"})
			return err
		},
		"missing": func() error { _, err := f.svc.Document(owner, d.ID+100); return err },
	} {
		t.Run(name, func(t *testing.T) { wantCode(t, call(), relsop.ENOTFOUND) })
	}

	// Without a user, everything asks to sign in.
	_, err = f.svc.Document(context.Background(), d.ID)
	wantCode(t, err, relsop.EUNAUTHORIZED)

	// The last owner cannot step down.
	ownerUser := workspace.UserFrom(owner)
	_, err = f.svc.SetMemberRole(owner, ws, ownerUser.ID, relsop.RoleViewer)
	wantCode(t, err, relsop.EINVALID)
}

func TestSaveAndHistory(t *testing.T) {
	f := newFixture(t)
	ctx, ws := f.user(t, "ada@example.com")
	d, err := f.svc.Create(ctx, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != relsop.StatusDraft || !bytes.Contains(d.Source, []byte("status: draft")) {
		t.Errorf("a template starts as a draft; status %s", d.Status)
	}
	d2, err := f.svc.ApplyOps(ctx, d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Renamed"}})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Revision != 2 || d2.Title != "Renamed" {
		t.Errorf("after ops: revision %d, title %q", d2.Revision, d2.Title)
	}
	// A stale base is a conflict, and nothing is saved.
	_, err = f.svc.Save(ctx, d.ID, d.Source, 1, "")
	wantCode(t, err, relsop.ECONFLICT)
	// A file that does not load is refused with findings.
	_, err = f.svc.Save(ctx, d.ID, []byte("id: x\nsteps: [\n"), 2, "")
	var fe *workspace.FindingsError
	if !errors.As(err, &fe) || len(fe.Findings) == 0 || fe.Findings[0].Pos.Line == 0 {
		t.Errorf("bad YAML: %v", err)
	}
	wantCode(t, err, relsop.EINVALID)
	// Saving cannot approve.
	approved := bytes.Replace(d2.Source, []byte("status: draft"), []byte("status: approved"), 1)
	_, err = f.svc.Save(ctx, d.ID, approved, 2, "")
	wantCode(t, err, relsop.EINVALID)

	revs, err := f.svc.Revisions(ctx, d.ID)
	if err != nil || len(revs) != 2 || revs[0].Number != 2 {
		t.Fatalf("revisions %v %v", revs, err)
	}
	restored, err := f.svc.Restore(ctx, d.ID, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Revision != 3 || restored.Title != "Weekly SaaS feature release" {
		t.Errorf("restored: revision %d title %q", restored.Revision, restored.Title)
	}
	c, err := f.svc.Compare(ctx, d.ID, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Diff.Empty() || !strings.Contains(c.Diff.Text(), "Renamed") {
		t.Errorf("compare 1..2:\n%s", c.Diff.Text())
	}
	svg, err := c.SVG("", "")
	if err != nil || !bytes.HasPrefix(bytes.TrimSpace(svg), []byte("<svg")) && !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("compare svg: %v", err)
	}
}

func TestStatusWorkflow(t *testing.T) {
	f := newFixture(t)
	author, reviewer, d := f.authorAndReviewer(t)
	_, err := f.svc.SetStatus(author, d.ID, relsop.StatusApproved, 1)
	wantCode(t, err, relsop.EINVALID) // draft cannot jump to approved
	d, err = f.svc.SetStatus(author, d.ID, relsop.StatusInReview, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.SetStatus(author, d.ID, relsop.StatusApproved, d.Revision)
	wantCode(t, err, relsop.EFORBIDDEN) // the author cannot approve
	d, err = f.svc.SetStatus(reviewer, d.ID, relsop.StatusApproved, d.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != relsop.StatusApproved {
		t.Errorf("status %s", d.Status)
	}
	revs, _ := f.svc.Revisions(author, d.ID)
	if !strings.HasPrefix(revs[0].Message, workspace.StatusPrefix) || revs[0].AuthorName != "reviewer" {
		t.Errorf("status change not recorded: %+v", revs[0])
	}
	// Changing the approved content makes it a draft again.
	d, err = f.svc.ApplyOps(author, d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Changed"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != relsop.StatusDraft {
		t.Errorf("after a change, status %s", d.Status)
	}
	_, err = f.svc.ApplyOps(author, d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "status", Value: "approved"}})
	wantCode(t, err, relsop.EINVALID)
}

func TestCommentsAndMentions(t *testing.T) {
	f := newFixture(t)
	ada, ws := f.user(t, "ada@example.com")
	bob, _ := f.user(t, "bob.smith@example.com")
	f.join(t, ada, ws, bob, relsop.RoleViewer)
	d, err := f.svc.Create(ada, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.AddComment(ada, d.ID, "watch-canary", 0, "@bob.smith can you check this? <script>x</script>")
	if err != nil {
		t.Fatal(err)
	}
	bobID := workspace.UserFrom(bob).ID
	if len(c.Mentions) != 1 || c.Mentions[0] != bobID || c.StepID != "watch-canary" || c.AuthorName != "ada" {
		t.Errorf("comment %+v", c)
	}
	reply, err := f.svc.AddComment(bob, d.ID, "", c.ID, "Done.")
	if err != nil || reply.ParentID != c.ID || reply.StepID != "watch-canary" {
		t.Fatalf("reply %+v %v", reply, err)
	}
	if _, err := f.svc.ResolveComment(bob, reply.ID, true); err != nil {
		t.Fatal(err)
	}
	cs, _ := f.svc.Comments(ada, d.ID)
	if len(cs) != 2 || !cs[0].Resolved {
		t.Errorf("resolving a reply resolves its thread: %+v", cs)
	}
	_, err = f.svc.AddComment(ada, d.ID, "no-such-step", 0, "x")
	wantCode(t, err, relsop.EINVALID)
	_, err = f.svc.AddComment(ada, d.ID, "", 0, "   ")
	wantCode(t, err, relsop.EINVALID)
}

func TestGenerateImportAndArtifacts(t *testing.T) {
	f := newFixture(t)
	ctx, ws := f.user(t, "ada@example.com")
	d, res, err := f.svc.Generate(ctx, ws, workspace.GenerateRequest{Brief: "We ship our SaaS weekly with a canary; the CAB approves; PCI DSS applies."})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != relsop.StatusDraft || len(res.Reasons) == 0 {
		t.Errorf("generated: status %s, %d reasons", d.Status, len(res.Reasons))
	}
	_, _, err = f.svc.Generate(ctx, ws, workspace.GenerateRequest{Brief: "x", RACI: "\"unterminated"})
	if relsop.ErrorCode(err) != relsop.EINVALID {
		t.Errorf("bad RACI: %v", err)
	}

	workflow := "name: release\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
	imp, err := f.svc.Import(ctx, ws, "release.yml", []byte(workflow), "")
	if err != nil {
		t.Fatal(err)
	}
	if imp.Document.ID == 0 {
		t.Error("import made no document")
	}
	_, err = f.svc.Import(ctx, ws, "x.txt", []byte("just words"), "")
	wantCode(t, err, relsop.EINVALID)
	gitlab := "include:\n  - local: /etc/passwd\nbuild:\n  stage: build\n  script: [make]\n"
	// A local include is never read from the server's disk: the import
	// goes on without it and says so.
	gl, err := f.svc.Import(ctx, ws, ".gitlab-ci.yml", []byte(gitlab), "")
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range gl.Warnings {
		warned = warned || strings.Contains(w.Message, "not read in the workspace")
	}
	if !warned || bytes.Contains(gl.Document.Source, []byte("root:")) {
		t.Errorf("local include: warnings %v", gl.Warnings)
	}

	for _, format := range workspace.DownloadFormats() {
		a, err := f.svc.Artifact(ctx, d.ID, workspace.ArtifactRequest{Format: format})
		if err != nil || len(a.Data) == 0 || a.MediaType == "" || !strings.Contains(a.Filename, ".") {
			t.Errorf("%s: %v (%d bytes, %q)", format, err, len(a.Data), a.Filename)
		}
	}
	_, err = f.svc.Artifact(ctx, d.ID, workspace.ArtifactRequest{Format: "exe"})
	wantCode(t, err, relsop.EINVALID)
	_, err = f.svc.Artifact(ctx, d.ID, workspace.ArtifactRequest{Format: "svg", Type: "nope"})
	wantCode(t, err, relsop.EINVALID)
}

// TestPNGsWaitTheirTurn draws at most MaxPNGs PNGs at once: with every
// slot taken, a PNG download or a PDF document waits (and gives up with
// its request), while other formats are not held up.
func TestPNGsWaitTheirTurn(t *testing.T) {
	f := newFixture(t)
	ctx, ws := f.user(t, "ada@example.com")
	d, err := f.svc.Create(ctx, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	release := f.svc.FillPNGSlots()
	if _, err := f.svc.Artifact(ctx, d.ID, workspace.ArtifactRequest{Format: "svg"}); err != nil {
		t.Errorf("an SVG waited for a PNG slot: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := f.svc.Artifact(short, d.ID, workspace.ArtifactRequest{Format: "png"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a PNG with every slot taken: %v, want it to wait until its request ends", err)
	}
	short, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := f.svc.Artifact(short, d.ID, workspace.ArtifactRequest{Format: "document"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a PDF document with every slot taken: %v, want it to wait too", err)
	}
	release()
	a, err := f.svc.Artifact(ctx, d.ID, workspace.ArtifactRequest{Format: "png"})
	if err != nil || a.MediaType != "image/png" {
		t.Errorf("a PNG once slots are free: %v", err)
	}

	// An SOP too large for the default scale gets its PNG at a smaller one.
	large, err := f.svc.Create(ctx, ws, "", []byte(synth.SOP(100, 12, 8)), "")
	if err != nil {
		t.Fatal(err)
	}
	a, err = f.svc.Artifact(ctx, large.ID, workspace.ArtifactRequest{Format: "png"})
	if err != nil {
		t.Fatalf("a large SOP's PNG: %v", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(a.Data))
	if err != nil || cfg.Width*cfg.Height > relsoppng.MaxPixels {
		t.Errorf("a large SOP's PNG: %v, %d x %d", err, cfg.Width, cfg.Height)
	}
}

func TestEditPreviewAndVariant(t *testing.T) {
	f := newFixture(t)
	ctx, ws := f.user(t, "ada@example.com")
	d, err := f.svc.Create(ctx, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.PreviewEdit(ctx, d.ID, "rename step watch-canary to Observe the canary", d.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Diff, "+    name: Observe the canary") {
		t.Errorf("diff:\n%s", p.Diff)
	}
	if again, _ := f.svc.Document(ctx, d.ID); again.Revision != 1 {
		t.Error("a preview must not save")
	}
	_, err = f.svc.PreviewEdit(ctx, d.ID, "make it better somehow", d.Revision)
	wantCode(t, err, relsop.EINVALID)

	v, err := f.svc.AddVariant(ctx, d.ID, "hotfix", "", "", d.Revision)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(v.ReleaseTypes, ","), "hotfix") {
		t.Errorf("release types %v", v.ReleaseTypes)
	}
	cp, err := f.svc.Duplicate(ctx, d.ID)
	if err != nil || cp.ID == d.ID || !strings.HasPrefix(cp.Title, "Copy of ") {
		t.Errorf("duplicate %+v %v", cp, err)
	}
	if _, err := f.svc.SetArchived(ctx, cp.ID, true); err != nil {
		t.Fatal(err)
	}
	active, _ := f.svc.Documents(ctx, relsop.DocumentFilter{WorkspaceID: ws})
	archived, _ := f.svc.Documents(ctx, relsop.DocumentFilter{WorkspaceID: ws, Archived: true})
	if len(active) != 1 || len(archived) != 1 {
		t.Errorf("active %d, archived %d", len(active), len(archived))
	}
}

// TestGenerateWithFailingLLM: an LLM that fails is never fatal; the
// built-in planner's SOP is kept, with a note saying so.
func TestGenerateWithFailingLLM(t *testing.T) {
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "relsop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	client := llm.New(llm.Config{URL: broken.URL, Model: "m", Retries: -1, Timeout: 5 * time.Second}, nil)
	f := &fixture{svc: workspace.New(st, workspace.Options{LLM: client}), clock: &clock{t: time.Now()}}
	ctx, ws := f.user(t, "ada@example.com")
	d, res, err := f.svc.Generate(ctx, ws, workspace.GenerateRequest{Brief: "weekly SaaS release with a canary"})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == 0 || len(res.Notes) == 0 {
		t.Errorf("document %d, notes %q", d.ID, res.Notes)
	}
}

// TestOpenUsesCachedLint: opening the same revision twice gives the same
// findings (the second from the cache), and a changed source is linted anew.
func TestOpenUsesCachedLint(t *testing.T) {
	f := newFixture(t)
	ctx, ws := f.user(t, "ada@example.com")
	d, err := f.svc.Create(ctx, ws, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	first, _ := f.svc.Document(ctx, d.ID)
	second, _ := f.svc.Document(ctx, d.ID)
	if len(first.Findings) != len(second.Findings) {
		t.Errorf("findings %d then %d", len(first.Findings), len(second.Findings))
	}
	// Removing the canary's rollback path makes a finding that was not there.
	src := strings.Replace(string(d.Source), "    on_failure: roll-back-canary\n", "", 1)
	if _, err := f.svc.Save(ctx, d.ID, []byte(src), d.Revision, ""); err != nil {
		t.Fatal(err)
	}
	third, _ := f.svc.Document(ctx, d.ID)
	if len(third.Findings) <= len(second.Findings) {
		t.Errorf("after removing a rollback path: %d findings, before %d", len(third.Findings), len(second.Findings))
	}
}

// TestMarkdownIsAControlledDocument: the workspace's Markdown download
// says which revision it shows, the approval it is under (or that the SOP
// changed since), and lists the revisions with who made them.
func TestMarkdownIsAControlledDocument(t *testing.T) {
	f := newFixture(t)
	author, reviewer, d := f.authorAndReviewer(t)
	var err error
	markdown := func(revision int) string {
		t.Helper()
		a, err := f.svc.Artifact(reviewer, d.ID, workspace.ArtifactRequest{Format: "markdown", Revision: revision})
		if err != nil {
			t.Fatal(err)
		}
		if a.MediaType != "text/markdown; charset=utf-8" || !strings.HasSuffix(a.Filename, ".md") {
			t.Errorf("markdown artifact: %q, %q", a.MediaType, a.Filename)
		}
		return string(a.Data)
	}
	wantAll := func(doc string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(doc, w) {
				t.Errorf("no %q in the document's control section:\n%s", w, doc[:strings.Index(doc, "## Flow")])
			}
		}
	}
	wantAll(markdown(0), "## Document control", "- Revision 1 in the relsop workspace.", "- Not approved yet.", "| 1 | ")

	f.clock.add(time.Hour)
	d, _ = f.svc.SetStatus(author, d.ID, relsop.StatusInReview, d.Revision)
	f.clock.add(time.Hour)
	d, err = f.svc.SetStatus(reviewer, d.ID, relsop.StatusApproved, d.Revision)
	if err != nil {
		t.Fatal(err)
	}
	day := f.clock.now().UTC().Format("2006-01-02")
	approved := markdown(0)
	wantAll(approved, "- Revision 3 in the relsop workspace.", "- Approved by reviewer on "+day+" (revision 3).",
		"| 3 | ", " | reviewer | approved | Status: in-review → approved |", " | author | in-review | ")
	if strings.Index(approved, "| 3 | ") > strings.Index(approved, "| 2 | ") {
		t.Errorf("revisions are not listed newest first")
	}

	d, err = f.svc.ApplyOps(author, d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Changed"}})
	if err != nil {
		t.Fatal(err)
	}
	wantAll(markdown(0), "- Revision 4 in the relsop workspace.", "- Not approved: changed since it was last approved, by reviewer on "+day+" (revision 3).")
	// An older revision's document is that revision's, under its approval.
	old := markdown(3)
	wantAll(old, "- Revision 3 in the relsop workspace.", "- Approved by reviewer on "+day+" (revision 3).")
	if strings.Contains(old, "| 4 | ") {
		t.Errorf("the document of revision 3 lists revision 4")
	}
	// The file's own export has no control section: it has no revisions.
	if a, _ := f.svc.Artifact(reviewer, d.ID, workspace.ArtifactRequest{Format: "bpmn"}); a == nil || strings.Contains(string(a.Data), "Document control") {
		t.Errorf("document control leaked into another format")
	}
}
