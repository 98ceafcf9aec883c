package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop/internal/release"
)

// recordFlags are what the commands that add a record take.
type recordFlags struct {
	by, note, role string
	evidence       []string
}

// recordCmd describes one command that adds a record to a trail.
type recordCmd struct {
	use, short, long, example string
	typ                       release.Type
	args                      int    // positional arguments after TRAIL: 0 (abort), 1 (STEP), 2 (GATE OUTCOME), -1 (note: [STEP]) or -2 (assign: ROLE PERSON...)
	noteFlag                  string // "note" or "reason": what --note is called for this command
	noteHelp                  string
	evidence, role            bool
}

var recordCmds = []recordCmd{
	{use: "done TRAIL STEP [--evidence TEXT]...", typ: release.TypeDone, args: 1, noteFlag: "note", noteHelp: "a remark on how it went", evidence: true,
		short: "Record that a step was carried out",
		long: `done records that STEP was carried out, and the release moves on along its flow.
A step the SOP asks for evidence (evidence: in the SOP) needs --evidence: a link,
a ticket, a file name, repeated for each piece.`,
		example: `  relsop release done 2.4.0.release.jsonl run-unit-tests --evidence "Test report: https://ci.example.com/123"`},
	{use: "skip TRAIL STEP --reason TEXT", typ: release.TypeSkip, args: 1, noteFlag: "reason", noteHelp: "why the step is not carried out (required)",
		short: "Record that a step was not carried out, and why",
		long: `skip records that STEP was not carried out this time, with the reason, and the
release moves on as if it had been. The report lists every skip as a departure from
the procedure. A gate cannot be skipped: its approvers decide it.`,
		example: `  relsop release skip 2.4.0.release.jsonl verify-features --reason "No user-facing changes in this release"`},
	{use: "fail TRAIL STEP --note TEXT", typ: release.TypeFail, args: 1, noteFlag: "note", noteHelp: "what failed (required)", evidence: true,
		short: "Record that a step failed; the release takes its failure path",
		long: `fail records that STEP failed. When the SOP gives the step a failure path
(on_failure: a rollback or a fix), the release goes there; otherwise the step stays
ready, to be carried out again once what failed is fixed.`,
		example: `  relsop release fail 2.4.0.release.jsonl deploy-canary --note "Error rate 4% on the canary"`},
	{use: "sign TRAIL GATE OUTCOME [--role ROLE]", typ: release.TypeSign, args: 2, noteFlag: "note", noteHelp: "a remark on the decision", evidence: true, role: true,
		short: "Sign a gate's outcome for one of its approver roles",
		long: `sign records your sign-off of GATE's OUTCOME (one of the gate's outcomes, such as
go or no-go) for ROLE, one of the gate's approvers; --role may be left out when the
gate has one approver. The gate proceeds along its go outcome (the first outcome
that reads as go) once every approver role signed it, and goes along any other
outcome as soon as one approver signs that: anyone who must approve may stop a
release. One person signs a gate for one role only. Once a gate is escalated, its
escalation role decides it alone.`,
		example: `  relsop release sign 2.4.0.release.jsonl go-no-go go --role release-manager --by "Ana Lima"
  relsop release sign 2.4.0.release.jsonl qa-signoff fail --role qa-lead --note "Two severity-2 defects open"`},
	{use: "escalate TRAIL GATE", typ: release.TypeEscalate, args: 1, noteFlag: "note", noteHelp: "why it is escalated",
		short: "Escalate a blocked gate to its escalation role",
		long: `escalate sends GATE to its escalation path: to the step the SOP names (escalation:
to), or, when it names none, to the escalation role, which may then sign the gate
alone.`,
		example: `  relsop release escalate 2.4.0.release.jsonl qa-signoff --note "QA lead unavailable, window closes at 16:00"`},
	{use: "assign TRAIL ROLE PERSON... --reason TEXT", typ: release.TypeAssign, args: -2, noteFlag: "reason", noteHelp: "why the role changes hands (required)",
		short: "Change who holds a role in the release, and say why",
		long: `assign makes PERSON (one or more) the only people who may sign gates for ROLE from
now on, in place of those named before (by relsop release start --assign, or an
earlier assign). The report lists every change as a departure from the release's
plan, with its reason.`,
		example: `  relsop release assign 2.4.0.release.jsonl qa-lead cy@example.com --reason "Ben is on leave until Monday"`},
	{use: "note TRAIL [STEP] --note TEXT", typ: release.TypeNote, args: -1, noteFlag: "note", noteHelp: "the note (required)", evidence: true,
		short:   "Add a note to the release or one of its steps",
		long:    `note adds a remark to the trail, about STEP or the whole release. Notes may be added after the release finished.`,
		example: `  relsop release note 2.4.0.release.jsonl deploy-production --note "Change window moved to 14:00 by the CAB"`},
	{use: "abort TRAIL --reason TEXT", typ: release.TypeAbort, args: 0, noteFlag: "reason", noteHelp: "why the release is stopped (required)",
		short:   "Stop the release before its end",
		long:    `abort ends the release where it stands, with the reason. Nothing but notes can be added after.`,
		example: `  relsop release abort 2.4.0.release.jsonl --reason "Superseded by 2.4.1"`},
}

func newReleaseRecordCmds(env *Env) []*cobra.Command {
	var out []*cobra.Command
	for _, rc := range recordCmds {
		out = append(out, newRecordCmd(env, rc))
	}
	return out
}

func newRecordCmd(env *Env, rc recordCmd) *cobra.Command {
	var fl recordFlags
	args := cobra.ExactArgs(1 + rc.args)
	switch rc.args {
	case -1:
		args = cobra.RangeArgs(1, 2)
	case -2:
		args = cobra.MinimumNArgs(3)
	}
	cmd := &cobra.Command{
		Use:     rc.use,
		Short:   rc.short,
		Long:    rc.long,
		Example: rc.example,
		Args:    argsUsage(args),
		RunE: func(cmd *cobra.Command, args []string) error {
			return addRecord(env, rc, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.by, "by", "", "who makes the record (default: RELSOP_BY, else your login name)")
	f.StringVar(&fl.note, rc.noteFlag, "", rc.noteHelp)
	if rc.evidence {
		f.StringArrayVar(&fl.evidence, "evidence", nil, "a record the step left: a link, a ticket, a file (repeat for more)")
	}
	if rc.role {
		f.StringVar(&fl.role, "role", "", "the approver role you sign for (default: the gate's only approver)")
	}
	return cmd
}

func addRecord(env *Env, rc recordCmd, fl recordFlags, args []string) error {
	path := args[0]
	by, err := whoBy(fl.by)
	if err != nil {
		return err
	}
	if rc.typ == release.TypeNote && strings.TrimSpace(fl.note) == "" {
		return usageError("give the note with --note TEXT")
	}
	r, data, err := openTrail(env, path)
	if err != nil {
		return err
	}
	rec := release.Record{At: env.now(), By: by, Type: rc.typ, Note: fl.note, Evidence: fl.evidence}
	switch {
	case rc.typ == release.TypeAssign:
		rec.Role, rec.People = args[1], args[2:]
	case len(args) > 1:
		rec.Step = args[1]
	}
	if rc.typ == release.TypeSign {
		rec.Outcome = args[2]
		if rec.Role, err = signRole(r, rec.Step, fl.role, by); err != nil {
			return err
		}
	}
	decided := len(r.Decisions)
	line, err := r.Add(rec)
	if err != nil {
		return usageError("%s: %s; nothing was recorded", path, flagWords.Replace(err.Error()))
	}
	if err := appendLine(path, data, line); err != nil {
		return err
	}
	var d *release.Decision
	if len(r.Decisions) > decided {
		d = &r.Decisions[decided]
	}
	recs := r.Records()
	fmt.Fprintf(env.Stdout, "Recorded %d: %s.\n", len(recs), oneLine(recordWords(r, recs[len(recs)-1], d)))
	printNext(env, path, r)
	return nil
}

// flagWords names the flags where the release package's refusals name
// what is missing in words that fit any tool.
var flagWords = strings.NewReplacer(
	"(the reason)", "(--reason)",
	"(a note)", "(--note)",
	"give it as evidence, such as", "give it with --evidence, such as --evidence",
	"hand the role to others (assign)", "hand the role to others (relsop release assign)",
)

// signRole is the role a sign-off is for: the flag, or the one
// release.Run.SignRole finds; otherwise a gate with several approvers
// needs the flag.
func signRole(r *release.Run, gate, flag, by string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	s := r.State(gate)
	if s == nil || !s.Step.IsGate() {
		return "", nil // Add says what is wrong with the step
	}
	if role := r.SignRole(gate, by); role != "" {
		return role, nil
	}
	roles := r.Deciders(gate)
	return "", usageError("%s has several approvers (%s); say which you sign for with --role", gate, strings.Join(roles, ", "))
}

// recordWords says what a record did, for the line printed after it; d
// is the gate decision it made, if any.
func recordWords(r *release.Run, rec release.Record, d *release.Decision) string {
	by := rec.By
	switch rec.Type {
	case release.TypeDone:
		return by + " carried out " + rec.Step
	case release.TypeSkip:
		return by + " skipped " + rec.Step
	case release.TypeFail:
		if to := r.State(rec.Step).Step.OnFailure; to != "" {
			return by + " recorded that " + rec.Step + " failed; the release goes to " + to
		}
		return by + " recorded that " + rec.Step + " failed; it is ready to be tried again"
	case release.TypeSign:
		words := fmt.Sprintf("%s signed %s on %s for %s", by, rec.Outcome, rec.Step, rec.Role)
		if d != nil {
			return words + "; the gate is decided: " + d.Outcome + ", on to " + r.State(rec.Step).Step.Outcome(d.Outcome).To
		}
		return words
	case release.TypeEscalate:
		return by + " escalated " + rec.Step
	case release.TypeAssign:
		return by + " gave " + rec.Role + " to " + strings.Join(rec.People, ", ")
	case release.TypeNote:
		return by + " added a note"
	case release.TypeAbort:
		return by + " aborted the release"
	}
	return string(rec.Type)
}
