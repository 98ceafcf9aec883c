package workspace

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
)

// Releases carried out through the workspace's SOPs (docs/releases.md).
// The trail is the one relsop release writes, kept line by line in the
// store, so a trail downloaded from the workspace verifies with the CLI.
// What the workspace adds is who: every record is made by the signed-in
// account, named by its email, and a release names the members who hold
// each role that signs a gate, so that a sign-off is its signer's and no
// one else's.
//
// Who may do what:
//   - any member sees releases, their trails, progress and reports, adds
//     notes, and signs a gate for a role the release's roster gives them;
//   - editors and owners start releases and record steps done, skipped or
//     failed, escalations and aborts;
//   - owners and the release's starter hand a role to other members.

// maxReleaseAttempts bounds how often a record is tried again when someone
// else added one at the same moment. Each try checks the record against
// the release as it is then, so trying again is safe.
const maxReleaseAttempts = 3

// ReleaseRequest starts a release.
type ReleaseRequest struct {
	// Name is the release: a version or a change number.
	Name string `json:"name"`
	// Type is the release type to follow; "" for the base flow.
	Type string `json:"type"`
	// Rehearsal runs through an SOP that is not approved, for practice.
	Rehearsal bool `json:"rehearsal"`
	// Roster gives each role that signs a gate the members who hold it,
	// by email.
	Roster map[string][]string `json:"roster"`
}

// RecordRequest adds a record to a release; its fields are those of
// release.Record that a person chooses.
type RecordRequest struct {
	Type     release.Type `json:"type"`
	Step     string       `json:"step"`
	Outcome  string       `json:"outcome"`
	Role     string       `json:"role"`
	Note     string       `json:"note"`
	Evidence []string     `json:"evidence"`
	People   []string     `json:"people"`
	// Head, when given, is the chain head the person saw: if the release
	// moved on since, the record is refused (ECONFLICT) rather than made
	// on a state they did not see.
	Head string `json:"head"`
}

// ReleaseView is a release as the workspace shows it.
type ReleaseView struct {
	Release relsop.Release `json:"release"`
	Status  release.Status `json:"status"`
	// Problems are what replaying the trail found; none unless the
	// store's rows were changed behind the workspace's back.
	Problems []release.Problem `json:"problems"`
	// You is what the signed-in member may do now.
	You ReleaseRights `json:"you"`
}

// ReleaseRights says what the signed-in member may do in a release.
type ReleaseRights struct {
	// By is how the trail names them: their email.
	By string `json:"by"`
	// Record: steps done, skipped or failed, escalations, aborts.
	Record bool `json:"record"`
	// Assign: hand a role to other members.
	Assign bool `json:"assign"`
	// Sign lists, per gate ready now, the roles they may sign it for.
	Sign map[string][]string `json:"sign"`
}

// Releases lists an SOP's releases, most recent first, with the one that
// suggests reviewing the SOP, if any (lessons.go).
func (s *Service) Releases(ctx context.Context, id int64) ([]relsop.Release, *ReviewSuggestion, error) {
	d, _, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, nil, err
	}
	rels, err := s.store.Releases(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	sg, err := s.suggestedReview(ctx, d, rels)
	return rels, sg, err
}

// WorkspaceReleases lists the releases of a workspace's SOPs in state
// ("" for every state), the latest record first.
func (s *Service) WorkspaceReleases(ctx context.Context, workspaceID int64, state relsop.ReleaseState) ([]relsop.Release, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleViewer, "workspace"); err != nil {
		return nil, err
	}
	switch state {
	case "", relsop.ReleaseInProgress, relsop.ReleaseFinished, relsop.ReleaseAborted:
	default:
		return nil, relsop.Errorf(relsop.EINVALID, "The state must be in-progress, finished or aborted, not %q.", state)
	}
	return s.store.WorkspaceReleases(ctx, workspaceID, state, 0)
}

// StartRelease begins a release through the latest saved revision of SOP
// id (live edits not yet saved are not part of it).
func (s *Service) StartRelease(ctx context.Context, id int64, req ReleaseRequest) (*ReleaseView, error) {
	d, m, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" {
		return nil, relsop.Errorf(relsop.EINVALID, "Name the release: a version or a change number, such as 2.4.0 or CHG-1042.")
	}
	if err := checkText("release name", req.Name, maxName); err != nil {
		return nil, err
	}
	rev, err := s.store.RevisionByNumber(ctx, id, d.Revision)
	if err != nil {
		return nil, err
	}
	sop, err := load(rev.Source)
	if err != nil {
		return nil, err
	}
	flow, err := sop.Resolve(req.Type)
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "Cannot start the release: %v.", err)
	}
	members, err := s.store.Members(ctx, d.WorkspaceID)
	if err != nil {
		return nil, err
	}
	roster, err := rosterOf(req.Roster, flow, members)
	if err != nil {
		return nil, err
	}
	existing, err := s.store.Releases(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, other := range existing {
		if other.Name == req.Name && other.State == relsop.ReleaseInProgress {
			return nil, relsop.Errorf(relsop.ECONFLICT, "Release %s of this SOP is already in progress; go on with it, or abort it first.", req.Name)
		}
	}
	u := UserFrom(ctx)
	st := release.Start{Release: req.Name, ReleaseType: req.Type, Rehearsal: req.Rehearsal, Roster: roster}
	file := fmt.Sprintf("%s, revision %d", d.Title, rev.Number)
	r, line, err := release.Begin(st, file, rev.Source, s.now(), u.Email)
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "Cannot start the release: %v.", err)
	}
	rel := &relsop.Release{DocumentID: id, Revision: rev.Number, Name: req.Name, ReleaseType: req.Type, Rehearsal: req.Rehearsal,
		State: relsop.ReleaseState(r.RunState()), Records: 1, Head: r.Head(), CreatedBy: m.UserID}
	if err := s.store.CreateRelease(ctx, rel, bytes.TrimSuffix(line, []byte("\n"))); err != nil {
		return nil, err
	}
	rel.CreatorName, rel.SOPTitle = u.Name, d.Title
	o := &openedRelease{rel: rel, doc: d, member: m, run: r}
	first := r.Records()[0]
	s.emit(ctx, o, first, append([]Event{{Event: "release.started"}}, changes(r, before{state: r.RunState()}, first)...))
	return s.view(ctx, o), nil
}

// rosterOf checks a roster given by email against the flow and the
// workspace: every role that signs a gate of the flow is held, and only by
// members. It returns the roster with each email as the account has it.
func rosterOf(given map[string][]string, flow *relsop.SOP, members []relsop.Member) (release.Roster, error) {
	var missing []string
	for _, role := range signingRoles(flow) {
		if len(given[role]) == 0 {
			missing = append(missing, role)
		}
	}
	if len(missing) > 0 {
		return nil, relsop.Errorf(relsop.EINVALID, "Say who holds %s in this release: in the workspace, every role that signs a gate is held by named members, so that a sign-off is its signer's.", strings.Join(missing, ", "))
	}
	roster := release.Roster{}
	for _, role := range slices.Sorted(maps.Keys(given)) {
		var people []string
		for _, e := range given[role] {
			m := memberByEmail(members, e)
			if m == nil {
				return nil, relsop.Errorf(relsop.EINVALID, "%q is not a member of this workspace; invite them first, or give %s to a member.", e, role)
			}
			people = append(people, m.Email)
		}
		roster[role] = people
	}
	return roster, nil
}

// signingRoles are the roles that may sign a gate of flow: its approvers
// (its owner when it names none) and its escalation roles, in the order
// the gates meet them.
func signingRoles(flow *relsop.SOP) []string {
	var out []string
	for i := range flow.Steps {
		st := &flow.Steps[i]
		if !st.IsGate() {
			continue
		}
		roles := release.Approvers(st)
		if st.Escalation != nil {
			roles = append(slices.Clip(roles), st.Escalation.Role)
		}
		for _, role := range roles {
			if !slices.Contains(out, role) {
				out = append(out, role)
			}
		}
	}
	return out
}

func memberByEmail(members []relsop.Member, email string) *relsop.Member {
	email = strings.TrimSpace(email)
	for i := range members {
		if strings.EqualFold(members[i].Email, email) {
			return &members[i]
		}
	}
	return nil
}

// Release returns a release with its state now.
func (s *Service) Release(ctx context.Context, releaseID int64) (*ReleaseView, error) {
	o, err := s.openRelease(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, o), nil
}

// openedRelease is a release read for the signed-in member: its row, its
// SOP's document, the member, and its trail replayed.
type openedRelease struct {
	rel      *relsop.Release
	doc      *relsop.Document
	member   *relsop.Member
	run      *release.Run
	problems []release.Problem
}

// openRelease reads a release and replays its trail, after checking that
// the signed-in user is a member of its SOP's workspace. What each member
// may do in it is checked by the caller.
func (s *Service) openRelease(ctx context.Context, releaseID int64) (*openedRelease, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	rel, err := s.store.ReleaseByID(ctx, releaseID)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "No such release.")
	}
	if err != nil {
		return nil, err
	}
	d, m, err := s.document(ctx, rel.DocumentID, relsop.RoleViewer)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "No such release.")
	}
	if err != nil {
		return nil, err
	}
	r, problems, err := s.replay(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, relsop.Errorf(relsop.EINTERNAL, "The trail of release %d cannot be read: %s.", releaseID, problems[0].Msg)
	}
	return &openedRelease{rel: rel, doc: d, member: m, run: r, problems: problems}, nil
}

// AddRecord records a step done, skipped or failed, a sign-off, an
// escalation, a roster change, a note or an abort, made by the signed-in
// member.
func (s *Service) AddRecord(ctx context.Context, releaseID int64, req RecordRequest) (*ReleaseView, error) {
	for attempt := 1; ; attempt++ {
		view, err := s.addRecord(ctx, releaseID, req)
		if relsop.ErrorCode(err) != relsop.ECONFLICT || req.Head != "" || attempt == maxReleaseAttempts {
			return view, err
		}
	}
}

func (s *Service) addRecord(ctx context.Context, releaseID int64, req RecordRequest) (*ReleaseView, error) {
	o, err := s.openRelease(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	r := o.run
	if len(o.problems) > 0 {
		p := o.problems[0]
		return nil, relsop.Errorf(relsop.ECONFLICT, "The trail of this release has problems (line %d: %s); nothing more can be recorded until they are looked into.", p.Line, p.Msg)
	}
	if req.Head != "" && req.Head != r.Head() {
		return nil, relsop.Errorf(relsop.ECONFLICT, "The release moved on since you looked (someone added a record); reload it and check before you record.")
	}
	people, err := s.mayRecord(ctx, o, req)
	if err != nil {
		return nil, err
	}
	u := UserFrom(ctx)
	rec := release.Record{At: s.now(), By: u.Email, Type: req.Type, Step: req.Step, Outcome: req.Outcome, Role: req.Role,
		Note: req.Note, Evidence: req.Evidence, People: people}
	if req.Type == release.TypeSign && rec.Role == "" {
		rec.Role = r.SignRole(req.Step, u.Email)
	}
	was := snapshot(r)
	line, err := r.Add(rec)
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "Not recorded: %v.", err)
	}
	rel := o.rel
	rel.State, rel.Records, rel.Head = relsop.ReleaseState(r.RunState()), len(r.Records()), r.Head()
	if err := s.store.AppendReleaseRecord(ctx, rel, bytes.TrimSuffix(line, []byte("\n"))); err != nil {
		if relsop.ErrorCode(err) == relsop.ECONFLICT {
			return nil, relsop.Errorf(relsop.ECONFLICT, "Someone else added a record to this release at the same moment; reload it and try again.")
		}
		return nil, err
	}
	o.problems = nil
	s.emit(ctx, o, rec, changes(r, was, rec))
	return s.view(ctx, o), nil
}

// mayRecord checks the member's rights for a record. For a roster change
// it returns the people named as their accounts have their emails, after
// checking that they are members.
func (s *Service) mayRecord(ctx context.Context, o *openedRelease, req RecordRequest) ([]string, error) {
	switch req.Type {
	case release.TypeSign, release.TypeNote:
		return req.People, nil // any member: a sign-off is checked against the roster
	case release.TypeAssign:
		if !mayAssign(o) {
			return nil, relsop.Errorf(relsop.EFORBIDDEN, "Only the workspace's owners and whoever started the release may hand a role to others.")
		}
		members, err := s.store.Members(ctx, o.doc.WorkspaceID)
		if err != nil {
			return nil, err
		}
		people := make([]string, len(req.People))
		for i, e := range req.People {
			mm := memberByEmail(members, e)
			if mm == nil {
				return nil, relsop.Errorf(relsop.EINVALID, "%q is not a member of this workspace; invite them first, or give %s to a member.", e, req.Role)
			}
			people[i] = mm.Email
		}
		return people, nil
	}
	if !mayRecordSteps(o) {
		return nil, relsop.Errorf(relsop.EFORBIDDEN, "A viewer may sign gates for the roles the release gives them and add notes; recording steps needs the editor role.")
	}
	return req.People, nil
}

// mayRecordSteps: editors and owners record steps, escalations and aborts.
func mayRecordSteps(o *openedRelease) bool { return o.member.Role.Rank() >= relsop.RoleEditor.Rank() }

// mayAssign: owners and the release's starter hand roles to others.
func mayAssign(o *openedRelease) bool {
	return o.member.Role == relsop.RoleOwner || o.member.UserID == o.rel.CreatedBy
}

// view builds the ReleaseView of an opened release for its member.
func (s *Service) view(ctx context.Context, o *openedRelease) *ReleaseView {
	r, by := o.run, UserFrom(ctx).Email
	v := &ReleaseView{Release: *o.rel, Status: r.Status(s.now()), Problems: o.problems,
		You: ReleaseRights{By: by, Record: mayRecordSteps(o) && !r.Finished(), Assign: mayAssign(o) && !r.Finished(), Sign: map[string][]string{}}}
	if v.Problems == nil {
		v.Problems = []release.Problem{}
	}
	for _, id := range r.ReadySteps() {
		if roles := r.MaySign(id, by); len(roles) > 0 {
			v.You.Sign[id] = roles
		}
	}
	return v
}

// replay reads a release's trail from the store and replays it: the run
// is nil when the trail cannot be read at all, and problems lists what
// replaying found.
func (s *Service) replay(ctx context.Context, releaseID int64) (*release.Run, []release.Problem, error) {
	lines, err := s.store.ReleaseTrail(ctx, releaseID)
	if err != nil {
		return nil, nil, err
	}
	r, problems := release.Replay(joinTrail(lines))
	return r, problems, nil
}

// joinTrail makes the trail's file of its lines.
func joinTrail(lines [][]byte) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.Write(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
