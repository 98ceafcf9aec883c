package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop/internal/release"
)

func newReleaseCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "release",
		Short: "Carry out a release through an approved SOP, with gate sign-offs and a tamper-evident trail",
		Long: `release records a real release as it is carried out through an SOP: each step
done, skipped (with the reason) or failed, each gate's sign-offs, escalations and
notes, in a trail file of JSON lines next to your SOP (NAME.release.jsonl).

The trail is tamper-evident: every record holds the SHA-256 of the record before
it, so changing, removing or reordering any record breaks the chain, and every
command prints the chain head, the hash of the last record. Write the head down
somewhere else (the change ticket, a CI log, a commit) and verify proves later
that nothing up to it was rewritten. The first record holds the SOP as it was,
so the trail says by itself which procedure the release followed.

Every record is checked against the procedure before it is written: only steps
the release has reached can be carried out, a step where branches join waits for
all of them, a gate proceeds only when every approver role signed its go outcome
and stops when any one signs another, one person signs a gate for one role, the
evidence the SOP asks of a step must be given, a skip needs a reason, and a
failure takes the step's failure path (on_failure). Only an approved SOP runs a
release; --rehearsal runs a draft for practice, and the report says so.

Who makes a record is --by, else RELSOP_BY, else your login name. start --assign
names who may sign for a role in this release; assign hands a role to others, with
the reason. In the browser workspace (relsop serve), records are made by the
signed-in member instead.

Exit codes: 0 recorded (verify: the trail is intact); 1 verify found problems;
2 bad usage, a record the procedure does not allow, or a trail that cannot be
read.`,
		Example: `  relsop release start release.sop.yaml --release 2.4.0 --type minor
  relsop release status 2.4.0.release.jsonl
  relsop release done 2.4.0.release.jsonl run-unit-tests --evidence "Test report: https://ci.example.com/123"
  relsop release sign 2.4.0.release.jsonl go-no-go go --role release-manager
  relsop release fail 2.4.0.release.jsonl deploy-canary --note "error rate 4%"
  relsop release verify 2.4.0.release.jsonl --head 3f2a...
  relsop release report 2.4.0.release.jsonl -o release-2.4.0.pdf`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newReleaseStartCmd(env))
	cmd.AddCommand(newReleaseRecordCmds(env)...)
	cmd.AddCommand(newReleaseStatusCmd(env), newReleaseVerifyCmd(env), newReleaseReportCmd(env))
	return cmd
}

type releaseStartFlags struct {
	release, typ, out, by string
	assign                []string
	rehearsal             bool
}

func newReleaseStartCmd(env *Env) *cobra.Command {
	var fl releaseStartFlags
	cmd := &cobra.Command{
		Use:   "start SOP --release NAME [--type TYPE] [-o TRAIL]",
		Short: "Start a release through an approved SOP: writes its trail",
		Long: `start begins the trail of a release through the SOP in the file SOP, following
its base flow or, with --type, a release type's flow. The SOP must be valid and
approved (status: approved); --rehearsal starts a practice run of one that is not.

--assign names who holds a role in this release: only they may sign its gates
for it. Roles left out may be signed for by anyone (one person still signs a gate
for one role only). The roster is kept in the trail; relsop release assign
changes it later, with the reason.

The trail is written to -o, by default NAME.release.jsonl in this folder, and
never overwrites a file.`,
		Example: `  relsop release start release.sop.yaml --release 2.4.0
  relsop release start release.sop.yaml --release 2.4.0 --assign qa-lead=ben@example.com --assign cab=ana@example.com,cy@example.com
  relsop release start release.sop.yaml --release CHG-1042 --type emergency -o releases/CHG-1042.release.jsonl`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return releaseStart(env, fl, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.release, "release", "", "the release: a version or a change number (required)")
	f.StringVar(&fl.typ, "type", "", "follow this release type's flow (default: the base flow)")
	f.StringVarP(&fl.out, "output", "o", "", "the trail file (default: RELEASE"+release.Ext+")")
	f.StringVar(&fl.by, "by", "", "who starts it (default: RELSOP_BY, else your login name)")
	f.StringArrayVar(&fl.assign, "assign", nil, "ROLE=PERSON[,PERSON...]: who may sign for ROLE in this release (repeat for more roles)")
	f.BoolVar(&fl.rehearsal, "rehearsal", false, "a practice run, allowed through an SOP that is not approved")
	return cmd
}

func releaseStart(env *Env, fl releaseStartFlags, path string) error {
	if strings.TrimSpace(fl.release) == "" {
		return usageError("name the release with --release, such as --release 2.4.0 or --release CHG-1042")
	}
	by, err := whoBy(fl.by)
	if err != nil {
		return err
	}
	out := fl.out
	if out == "" {
		out = release.FileName(fl.release)
	}
	l, _, err := loadResolved(env, path, fl.typ)
	if err != nil {
		return err
	}
	roster, err := parseRoster(fl.assign)
	if err != nil {
		return err
	}
	st := release.Start{Release: fl.release, ReleaseType: fl.typ, Rehearsal: fl.rehearsal, Roster: roster}
	r, line, err := release.Begin(st, filepath.Base(l.name), l.src, env.now(), by)
	if err != nil {
		return usageError("%v", err)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrExist):
			return usageError("%s exists: a trail is never overwritten; name another with -o, or go on with it (relsop release status %s)", out, out)
		case errors.Is(err, fs.ErrNotExist):
			return usageError("cannot write %s: the folder %s does not exist; create it first", out, filepath.Dir(out))
		}
		return usageError("cannot write %s: %v", out, unwrapPathError(err))
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	what := "Started release " + r.Start.Release + " through " + r.SOP.ID
	if r.Start.Rehearsal {
		what = "Started a rehearsal of release " + r.Start.Release + " through " + r.SOP.ID + " (" + string(r.SOP.Status) + ")"
	}
	fmt.Fprintf(env.Stdout, "%s; the trail is %s.\n", oneLine(what), out)
	printNext(env, out, r)
	return nil
}

// parseRoster reads --assign ROLE=PERSON[,PERSON...] flags. Whether the
// roles and people are fit to hold is release.Begin's to say.
func parseRoster(flags []string) (release.Roster, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	roster := release.Roster{}
	for _, fl := range flags {
		role, people, ok := strings.Cut(fl, "=")
		role = strings.TrimSpace(role)
		if !ok || role == "" {
			return nil, usageError("--assign %q: write ROLE=PERSON, or ROLE=PERSON,PERSON for several, such as --assign qa-lead=ben@example.com", fl)
		}
		if _, dup := roster[role]; dup {
			return nil, usageError("--assign names %s twice; list all its people in one, separated by commas", role)
		}
		var list []string
		for _, p := range strings.Split(people, ",") {
			if p = strings.TrimSpace(p); p != "" {
				list = append(list, p)
			}
		}
		if len(list) == 0 {
			return nil, usageError("--assign %q names no one; write %s=PERSON", fl, role)
		}
		roster[role] = list
	}
	return roster, nil
}

// whoBy is who makes a record: the flag, else RELSOP_BY, else the login
// name.
func whoBy(flag string) (string, error) {
	for _, s := range []string{flag, os.Getenv("RELSOP_BY"), os.Getenv("USER"), os.Getenv("USERNAME")} {
		if s = strings.TrimSpace(s); s != "" {
			return s, nil
		}
	}
	return "", usageError("say who you are with --by NAME (or set RELSOP_BY): every record of a release names who made it")
}

// now is the time of a new record.
func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

// readTrail reads and replays a trail. Problems are returned for the
// caller to report: verify lists them, the other commands refuse to go on.
func readTrail(path string) (*release.Run, []byte, []release.Problem, error) {
	data, err := readFile(path, release.MaxTrailSize, "; start a release with relsop release start",
		usageError("%s is a directory; name the trail file in it (*%s)", path, release.Ext))
	if err != nil {
		return nil, nil, nil, err
	}
	r, problems := release.Replay(data)
	return r, data, problems, nil
}

// openTrail reads a trail to add to it, refusing one with problems.
func openTrail(env *Env, path string) (*release.Run, []byte, error) {
	r, data, problems, err := readTrail(path)
	if err != nil {
		return nil, nil, err
	}
	if len(problems) > 0 {
		printProblems(env, path, problems)
		return nil, nil, usageError("%s has problems (above); nothing was recorded. relsop release verify %s explains them", path, path)
	}
	return r, data, nil
}

// printProblems prints a trail's problems as file:line:col: error: ...
func printProblems(env *Env, path string, problems []release.Problem) {
	for _, p := range problems {
		fmt.Fprintf(env.Stderr, "%s:%s: error: %s\n", path, lineCol(p), p.Msg)
	}
}

func lineCol(p release.Problem) string {
	if p.Col > 0 {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprint(p.Line)
}

// appendLine appends a record's line to the trail it was read from,
// refusing when the file changed since (someone else recorded meanwhile),
// since the record would then chain to the wrong head.
func appendLine(path string, read []byte, line []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return usageError("cannot write %s: %v", path, unwrapPathError(err))
	}
	fi, err := f.Stat()
	if err != nil || fi.Size() != int64(len(read)) {
		f.Close()
		return usageError("%s changed while this record was made (someone else recorded meanwhile); run the command again", path)
	}
	if len(read) > 0 && !bytes.HasSuffix(read, []byte("\n")) {
		line = append([]byte("\n"), line...)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// printNext says what the release waits for now, and the chain head.
func printNext(env *Env, path string, r *release.Run) {
	w := env.Stdout
	switch {
	case r.Aborted:
		fmt.Fprintln(w, "The release is aborted.")
		printLessons(w, r)
	case r.Finished():
		fmt.Fprintf(w, "The release is finished. Its report: relsop release report %s -o %s\n", path, reportName(path))
		printLessons(w, r)
	default:
		for _, id := range r.ReadySteps() {
			fmt.Fprintf(w, "Ready: %s\n", oneLine(readyLine(r, id)))
		}
	}
	fmt.Fprintf(w, "Chain head: %s\n", r.Head())
}

// printLessons suggests reviewing the SOP after a real release that
// went wrong, or an emergency or major one (release.Run.Lessons), while
// the lesson is fresh.
func printLessons(w io.Writer, r *release.Run) {
	lessons := r.Lessons()
	if r.Start.Rehearsal || len(lessons) == 0 {
		return
	}
	fmt.Fprintf(w, "Review suggested: %s; change what it taught in %s, then record the review (review.last_reviewed).\n",
		oneLine(strings.Join(lessons, "; ")), r.Start.File)
}

// readyLine says what a ready step is and, for a gate, whose sign-off it
// waits for.
func readyLine(r *release.Run, id string) string {
	st := r.State(id).Step
	line := id
	if st.Name != "" && st.Name != id {
		line += " (" + st.Name + ")"
	}
	if !st.IsGate() {
		return line
	}
	var signed []string
	for _, sg := range r.State(id).Signs {
		signed = append(signed, sg.Role+" signed "+sg.Outcome)
	}
	var needs []string
	for _, role := range r.Unsigned(id) {
		if holders := r.Holders(role); len(holders) > 0 {
			role += " (" + strings.Join(holders, " or ") + ")"
		}
		needs = append(needs, role)
	}
	line += ", a gate: needs " + release.Proceed(st) + " from " + strings.Join(needs, ", ")
	if len(signed) > 0 {
		line += " (" + strings.Join(signed, "; ") + ")"
	}
	if r.State(id).Escalated {
		line += "; escalated, so " + st.Escalation.Role + " may decide alone"
	}
	return line
}

// reportName suggests the report's file name from the trail's.
func reportName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), release.Ext)
	base = strings.TrimSuffix(base, ".jsonl")
	return "release-" + strings.TrimPrefix(base, "release-") + ".pdf"
}
