package edit

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
)

// DiffOps expresses the difference between two versions of an SOP's
// source as structured operations: ApplyOps(from, ops) gives a source
// whose SOP means the same as to's. A text edit made in the live editor's
// YAML tab is sent on as these operations, so that it merges with others'
// concurrent edits instead of overwriting them (docs/live.md).
//
// Two SOPs mean the same when they differ only in comments, layout, the
// order of the steps in the file or the order of a step's flows; the
// order of roles, phases and environments counts.
//
// Changed fields that set can change become set operations; added steps
// add_step, then set and connect or disconnect until the step and its
// neighbours lead where they should; removed steps remove_step, then
// connect or disconnect for the flows it led on; added roles, phases and
// environments add_role, add_phase and add_environment at their place;
// reordered ones move_role, move_phase and move_environment (as few as
// will do); removed ones remove_role, remove_phase and remove_environment,
// once the steps have moved out; added release types that hold only an
// id, a name and a base add_release_type. The same from and to give the
// same operations.
//
// Any other difference (an id changed, a release type changed, a field
// set cannot change, more than ApplyOps takes at once) gives an
// *UnsupportedChangeError naming every such difference; no difference is
// left out silently. A version that does not load gives an error with
// the positions of its errors. When from and to mean the same, the list
// is empty.
func DiffOps(from, to []byte) ([]Op, error) {
	a, err := loadVersion("original", from)
	if err != nil {
		return nil, err
	}
	b, err := loadVersion("edited", to)
	if err != nil {
		return nil, err
	}
	if sameSOP(a, b) {
		return []Op{}, nil
	}
	var blocked []string
	for _, d := range differences(a, b) {
		if !d.mergeable {
			blocked = append(blocked, d.what)
		}
	}
	if len(blocked) > 0 {
		return nil, &UnsupportedChangeError{Changes: blocked}
	}
	var first error
	for _, addsFirst := range []bool{false, true} {
		ops, err := planOps(from, b, addsFirst)
		if err == nil {
			return ops, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// planOps works out the operations that turn from into want, and checks
// them by their result: anything they did not make, or made otherwise, is
// reported rather than dropped.
func planOps(from []byte, want *relsop.SOP, addsFirst bool) ([]Op, error) {
	loaded := compile.Load(from) // the planner uses up its tree
	p := &planner{src: from, loaded: loaded, cur: loaded.SOP, want: want}
	if err := p.plan(addsFirst); err != nil {
		return nil, err
	}
	if !sameSOP(p.cur, want) {
		return nil, &UnsupportedChangeError{Changes: remaining(p.cur, want)}
	}
	return p.ops, nil
}

// InverseOps returns the operations that take after back to before: the
// undo of an edit that turned before into after. It is DiffOps(after,
// before), with the same errors.
func InverseOps(before, after []byte) ([]Op, error) {
	return DiffOps(after, before)
}

// loadVersion loads one version of the source; which names it in the
// error ("original", "edited").
func loadVersion(which string, src []byte) (*relsop.SOP, error) {
	loaded := compile.Load(src)
	if len(loaded.Errors) > 0 || loaded.SOP == nil {
		return nil, fmt.Errorf("the %s SOP does not load, so its changes cannot be worked out; fix it first:%s", which, findings(loaded.Errors))
	}
	return loaded.SOP, nil
}

// remaining lists what still differs between the planned result and the
// wanted SOP.
func remaining(got, want *relsop.SOP) []string {
	var out []string
	for _, d := range differences(got, want) {
		out = append(out, d.what)
	}
	if len(out) == 0 {
		// Only a field the comparison does not name differs.
		out = append(out, "this change")
	}
	return out
}

// UnsupportedChangeError is a difference between two versions of an SOP
// that structured operations cannot express, so it cannot be merged with
// others' concurrent edits.
type UnsupportedChangeError struct {
	// Changes says what cannot be merged, each as a phrase: "adding the
	// phase “hypercare”", "changing the links of the step “build”".
	Changes []string
}

// maxNamed bounds the changes an UnsupportedChangeError's message names.
const maxNamed = 5

func (e *UnsupportedChangeError) Error() string {
	named := e.Changes
	if len(named) > maxNamed {
		named = named[:maxNamed]
	}
	var what string
	switch more := len(e.Changes) - len(named); {
	case more > 0:
		what = strings.Join(named, ", ") + fmt.Sprintf(" and %d more change(s)", more)
	case len(named) > 1:
		what = strings.Join(named[:len(named)-1], ", ") + " and " + named[len(named)-1]
	case len(named) == 1:
		what = named[0]
	default:
		what = "this change"
	}
	it := "it"
	if len(e.Changes) > 1 {
		it = "them"
	}
	return fmt.Sprintf("%s cannot be merged with others' edits; save the whole file to make %s, which replaces the live version", capitalise(what), it)
}
