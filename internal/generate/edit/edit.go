// Package edit applies plain-language edits ("add a security review after
// run unit tests owned by the security engineer") to a *.sop.yaml file,
// offline: the instruction is read by a small set of patterns, steps, roles
// and phases are found by id or by name, and the change is made on the
// syntax tree so that comments and the parts of the file not touched stay
// as they were.
//
// The result is printed by package format, so a file already in the
// canonical layout of relsop fmt comes back byte for byte the same outside
// the edit; a file in some other layout comes back canonically formatted,
// as relsop fmt would write it. Comments on a removed step go with it.
package edit

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/syntax"
)

// Result is an edited file.
type Result struct {
	Source  []byte   // the edited file
	Summary []string // what was done, one line each
}

// Apply interprets instruction against the SOP in src (file is its name for
// messages) and returns the edited file. It returns an *AmbiguousError when
// a reference matches several steps, roles or phases, an *UnknownError when
// it matches none, an *UnsupportedError when the instruction is not
// understood, and a plain error when the file does not load or the edit
// would leave an SOP that does not load.
func Apply(file string, src []byte, instruction string) (*Result, error) {
	if file == "" {
		file = "SOP"
	}
	loaded := compile.Load(src)
	if len(loaded.Errors) > 0 {
		return nil, fmt.Errorf("%s does not load, so it cannot be edited; fix it first (relsop validate):%s", file, findings(loaded.Errors))
	}
	original := loaded.SOP
	in := parseInstruction(instruction)
	clauses := in.clauses()
	var summary, unfinished []string
	out := src
	// The edits of one instruction are made one after the other, each on
	// the file the one before left, and the file is returned only when
	// every one succeeded: all or nothing.
	for k, cl := range clauses {
		d := &doc{file: file, tree: loaded.Tree, root: loaded.Tree.Root, sop: loaded.SOP}
		err := d.run(cl)
		if err == nil {
			err = d.fitVariants()
		}
		if err != nil {
			if len(clauses) > 1 {
				return nil, &ClauseError{N: k + 1, Of: len(clauses), Clause: cl.raw, Err: err}
			}
			return nil, err
		}
		out = format.Format(d.tree)
		res := compile.Load(out)
		if len(res.Errors) > 0 {
			what := strings.TrimSpace(instruction)
			if len(clauses) > 1 {
				what = cl.raw
			}
			return nil, fmt.Errorf("%s: the edit %q would leave an SOP that does not load, so it was not made:%s", file, what, findings(res.Errors))
		}
		summary = append(summary, d.summary...)
		unfinished = append(unfinished, d.unfinished...)
		loaded = res
	}
	if err := checkFlows(file, strings.TrimSpace(instruction), original, loaded.SOP, unfinished); err != nil {
		return nil, err
	}
	return &Result{Source: out, Summary: summary}, nil
}

// ClauseError is an instruction of several edits ("rename build to
// Compile; remove smoke tests") one of which failed; none of them was
// made. Err is the error of the edit that failed, which errors.As finds.
type ClauseError struct {
	N, Of  int    // the failed edit's number, from 1, and how many there were
	Clause string // the failed edit, as written
	Err    error
}

func (e *ClauseError) Error() string {
	return fmt.Sprintf("edit %d of %d (%q): %v; none of the %d edits was made", e.N, e.Of, e.Clause, e.Err, e.Of)
}

func (e *ClauseError) Unwrap() error { return e.Err }

// findings lists load errors, one per line.
func findings(fs []relsop.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s: %s", f.Pos, f.Message)
		if f.Hint != "" {
			fmt.Fprintf(&b, " (%s)", f.Hint)
		}
	}
	return b.String()
}

// doc is the file being edited: its syntax tree, which is changed in
// place, and the model it loaded as, which is used to resolve references
// and stays as it was loaded.
type doc struct {
	file    string
	tree    *syntax.File
	root    *syntax.Node
	sop     *relsop.SOP
	summary []string
	newRole map[string]bool // roles added by this edit
	added   []string        // steps added to the base flow by this edit
	// gates the edit added (to the base flow or a release type) whose
	// criteria are still to be written, as the summary says
	unfinished []string
}

func (d *doc) say(format string, args ...any) {
	d.summary = append(d.summary, fmt.Sprintf(format, args...))
}

// AmbiguousError is a reference that matches more than one step, role,
// phase or environment.
type AmbiguousError struct {
	Ref        string
	Kind       string   // step, role, phase, environment or release type
	Candidates []string // the ids it matches
	names      []string // their names, for the message
}

func (e *AmbiguousError) Error() string {
	var list []string
	for i, id := range e.Candidates {
		list = append(list, fmt.Sprintf("%s (%s)", id, e.names[i]))
	}
	return fmt.Sprintf("%q matches %d %ss: %s; name one by its id or by more of its name", e.Ref, len(e.Candidates), e.Kind, strings.Join(list, ", "))
}

// UnknownError is a reference that matches nothing.
type UnknownError struct {
	Ref         string
	Kind        string   // step, role, phase, environment or release type
	Suggestions []string // ids that may be meant
	Hint        string   // what else to do, if anything
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("no %s matches %q", e.Kind, e.Ref)
	if len(e.Suggestions) > 0 {
		msg += " (did you mean " + strings.Join(e.Suggestions, " or ") + "?)"
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// UnsupportedError is an instruction that is not understood.
type UnsupportedError struct {
	Instruction string
	Examples    []string // instructions that are understood
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("the instruction %q is not understood; instructions look like:\n  %s", e.Instruction, strings.Join(e.Examples, "\n  "))
}

// Examples are instructions Apply understands, one per operation.
var Examples = []string{
	`add a security review after run unit tests owned by the security engineer`,
	`insert a smoke test step before deploy to production`,
	`add a step 'Notify support' in the post-release phase`,
	`remove the confirm scope step`,
	`rename 'Deploy to staging' to 'Deploy the release candidate to staging'`,
	`move smoke tests to the deploy phase`,
	`make the QA lead own exploratory testing`,
	`reassign canary analysis to the release manager`,
	`add the CISO as an approver of the security approval`,
	`add criterion 'no open sev-1 bugs' to go/no-go`,
	`escalate go/no-go to the VP engineering after 4 hours`,
	`add a rollback from deploy to production to roll back production`,
	`make a hotfix variant that skips the canary analysis but needs the incident commander`,
	`put staging before production`,
	`move the QA lead lane above the release manager`,
	`add a phase 'Hypercare' after post-release`,
	`keep the support lead informed about deploy to production`,
	`after monitor release, hold a retrospective with the team`,
	`mark the SOP as reviewed today`,
}

func unsupported(instruction string) error {
	return &UnsupportedError{Instruction: instruction, Examples: Examples}
}
