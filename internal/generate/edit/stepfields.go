package edit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
)

// This file reads instructions that set one field of a step: "set the
// duration of monitor release to 4 hours", "change the tool of deploy to
// staging to Argo CD", "monitor release takes 2h", "add evidence 'Signed
// approval' to go/no-go".

// stepFieldWords map the words people use for a step's fields to them.
var stepFieldWords = map[string]string{
	"duration": "duration", "expected duration": "duration", "time": "duration", "expected time": "duration",
	"sla": "sla", "deadline": "sla",
	"tool": "tool", "channel": "channel", "environment": "environment", "target environment": "environment",
	"description": "description", "notes": "notes", "note": "notes", "kind": "kind", "type": "kind",
}

// fieldOp reads "set the duration of monitor release to 4h". Names hold
// "to" often ("deploy to staging"), so every way of dividing the text at
// one is tried.
func (d *doc) fieldOp(in instruction, m []string) (bool, error) {
	field := stepFieldWords[strings.ToLower(strings.Join(strings.Fields(m[1]), " "))]
	err := trySplits(m[2], "to", func(left, right string) (int, error) {
		st, err := d.step(in.phrase(left))
		if err != nil {
			return 0, err
		}
		return 1, d.setStepField(in, st, field, right)
	})
	return true, noSplitUnsupported(err, in)
}

// takesOp reads "monitor release takes 4 hours".
func (d *doc) takesOp(in instruction, m []string) (bool, error) {
	if _, ok := parseDuration(m[2]); !ok {
		return false, nil
	}
	st, err := d.step(in.phrase(m[1]))
	if err != nil {
		return true, err
	}
	return true, d.setStepField(in, st, "duration", m[2])
}

// setStepField sets a step's field from the words of an instruction: a
// duration in words becomes one of the format, an environment is looked
// up by name.
func (d *doc) setStepField(in instruction, st *relsop.Step, field, text string) error {
	value := in.phrase(text).text
	switch field {
	case "duration", "sla":
		v, ok := parseDuration(value)
		if !ok {
			return fmt.Errorf("%q is not a duration: say it like 30m, 4h or 2 days", value)
		}
		value = v
	case "environment":
		e, err := d.environment(in.phrase(text))
		if err != nil {
			return err
		}
		value = e.id
	case "kind":
		value = strings.ToLower(value)
	}
	if err := d.setField("step", st.ID, field, value); err != nil {
		return err
	}
	d.say("step %q: %s is now %q", st.ID, field, value)
	return nil
}

// evidenceOp reads "add evidence 'Signed approval' to go/no-go": one more
// record the step must leave behind.
func (d *doc) evidenceOp(in instruction, m []string) (bool, error) {
	st, err := d.step(in.phrase(m[2]))
	if err != nil {
		return true, err
	}
	item := in.phrase(m[1]).text
	if item == "" {
		return true, fmt.Errorf("say what the evidence is: add evidence 'Signed approval' to %s", st.ID)
	}
	if slices.Contains(st.Evidence, item) {
		d.say("step %q already records %q; nothing changed", st.ID, item)
		return true, nil
	}
	if err := d.setField("step", st.ID, "evidence", append(slices.Clone(st.Evidence), item)); err != nil {
		return true, err
	}
	d.say("step %q now records %q", st.ID, item)
	return true, nil
}

// automateOp reads "automate the build", "make confirm scope automated" and
// "make fix defects manual": a task becomes an automated task, or back.
// Other kinds say what they are instead of being turned into a task: a
// deployment stays one (its tool says what runs it), a gate stays a
// decision.
func (d *doc) automateOp(in instruction, m []string) (bool, error) {
	ref, word := m[1], "automated"
	if len(m) > 2 {
		word = strings.ToLower(m[2])
	}
	st, err := d.step(in.phrase(ref))
	if err != nil {
		return true, err
	}
	want, from := relsop.KindAutomated, relsop.KindTask
	if word == "manual" {
		want, from = relsop.KindTask, relsop.KindAutomated
	}
	switch st.Kind {
	case want:
		d.say("step %q is already a%s; nothing changed", st.ID, map[relsop.StepKind]string{relsop.KindAutomated: "n automated task", relsop.KindTask: " manual task"}[want])
		return true, nil
	case from:
	case relsop.KindDeploy, relsop.KindRollback, relsop.KindNotify:
		return true, fmt.Errorf("step %q is a %s step and stays one; to say what runs it: set the tool of %s to <tool>", st.ID, st.Kind, st.ID)
	default:
		return true, fmt.Errorf("step %q is a %s, not a task: only tasks are made automated or manual; to change its kind anyway: set the kind of %s to %s", st.ID, st.Kind, st.ID, want)
	}
	if err := d.setField("step", st.ID, "kind", string(want)); err != nil {
		return true, err
	}
	d.say("step %q is now %s", st.ID, map[relsop.StepKind]string{relsop.KindAutomated: "an automated task", relsop.KindTask: "a manual task"}[want])
	return true, nil
}
