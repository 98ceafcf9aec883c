package edit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/syntax"
)

// --- move a step within the flow ---

// moveStepOp reads "move X after Y" and "move X before Y". It returns
// done=false when the instruction is no such move: "move X to the deploy
// phase" (no after or before) is a phase move, and "put a smoke test before
// deploy" names no step to move, so it adds one.
func (d *doc) moveStepOp(in instruction, m []string) (bool, error) {
	verb := strings.ToLower(m[1])
	var best error = errNoSplit
	bestStage := -1
	for _, sep := range []string{"after", "before"} {
		for _, sp := range splits(m[2], sep) {
			stage, err := d.moveSplit(in, sp[0], sp[1], sep == "after")
			if err == nil {
				return true, nil
			}
			if stage > bestStage {
				best, bestStage = err, stage
			}
		}
	}
	if best == errNoSplit || bestStage == 0 && verb != "move" && verb != "shift" && verb != "relocate" {
		return false, nil
	}
	return true, best
}

func (d *doc) moveSplit(in instruction, left, right string, after bool) (int, error) {
	ws := trimFillers(strings.Fields(left))
	for len(ws) > 1 && strings.EqualFold(ws[len(ws)-1], "to") {
		ws = trimFillers(ws[:len(ws)-1]) // "move X to right after Y"
	}
	x, err := d.step(in.phrase(strings.Join(ws, " ")))
	if err != nil {
		return 0, err
	}
	y, err := d.step(in.phrase(right))
	if err != nil {
		return 1, err
	}
	return 2, d.moveStep(x, y, after)
}

// moveStep takes step x out of its place in the flow, its predecessors now
// leading to where it led, and splices it in right after or before y. Its
// failure path, and flows that reach it on failure or escalation, stay: x
// is still there, only its place in the main flow changes. It takes the
// phase of y, as it now sits next to it.
func (d *doc) moveStep(x, y *relsop.Step, after bool) error {
	where := map[bool]string{true: "after", false: "before"}[after]
	switch {
	case x.Kind == relsop.KindStart || x.Kind == relsop.KindEnd:
		return fmt.Errorf("step %q is the %s step and cannot move: the flow always %s there", x.ID, x.Kind, map[relsop.StepKind]string{relsop.KindStart: "starts", relsop.KindEnd: "ends"}[x.Kind])
	case x.ID == y.ID:
		return fmt.Errorf("step %q cannot move %s itself; name another step", x.ID, where)
	case after && y.Kind == relsop.KindEnd:
		return fmt.Errorf("step %q is the end step; nothing can follow it, so move %q before it", y.ID, x.ID)
	case !after && y.Kind == relsop.KindStart:
		return fmt.Errorf("step %q is the start step; nothing comes before it, so move %q after it", y.ID, x.ID)
	case after && successor(y) == x.ID && len(y.Next) <= 1:
		d.say("step %q already comes right after %q; nothing changed", x.ID, y.ID)
		return nil
	case !after && successor(x) == y.ID && len(x.Next) <= 1:
		d.say("step %q already comes right before %q; nothing changed", x.ID, y.ID)
		return nil
	}
	one := successor(x)
	if one == "" {
		return fmt.Errorf("step %q leads nowhere, so taking it out of its place would leave its predecessors with nowhere to go; move another step", x.ID)
	}
	nexts := x.Next
	if len(nexts) == 0 {
		nexts = []string{one}
	}
	// Take x out: everything that led to it in the main flow leads on to
	// where it led.
	nodes, self := d.flowNodes()
	for i, n := range nodes {
		if self[i] != x.ID {
			retargetMain(n, self[i], x.ID, nexts, one)
		}
	}
	res := compile.Load(format.Format(d.tree))
	if len(res.Errors) > 0 || res.SOP == nil {
		return fmt.Errorf("step %q cannot be taken out of its place without breaking the SOP:%s", x.ID, findings(res.Errors))
	}
	before := d.sop
	d.sop = res.SOP
	x, y = d.sop.Step(x.ID), d.sop.Step(y.ID)
	// Splice a stand-in for x, then give x the flows it got.
	steps := d.list("steps")
	i, xn := d.item("steps", "id", x.ID)
	steps.Items = slices.Delete(steps.Items, i, i+1)
	stand := mapNode("id", strNode(x.ID))
	var a, b *relsop.Step
	if after {
		a = y
	} else {
		b = y
	}
	if _, err := d.splice(stand, x.ID, x.Kind, a, b); err != nil {
		return err
	}
	j, _ := d.item("steps", "id", x.ID)
	steps.Items[j] = xn
	if x.IsGate() {
		goTo := scalar(stand.Get("outcomes"), "go")
		outs := xn.Get("outcomes")
		if outs == nil || outs.Kind != syntax.Mapping || len(outs.Pairs) == 0 {
			set(xn, "outcomes", stand.Get("outcomes"))
		} else {
			replaced := false
			for _, p := range outs.Pairs {
				if !replaced && relsop.MeaningOf(p.Key.Value) == relsop.OutcomeGo && p.Value.Kind == syntax.Scalar {
					p.Value.Value = goTo
					replaced = true
				}
			}
			if !replaced {
				set(outs, "go", strNode(goTo))
			}
		}
	} else {
		set(xn, "next", stand.Get("next"))
	}
	msg := fmt.Sprintf("moved step %q %s %q; what led to it now goes on to %s", x.ID, where, y.ID, quoteList(nexts))
	if y.Phase != "" && y.Phase != x.Phase {
		set(xn, "phase", strNode(y.Phase))
		msg += fmt.Sprintf("; it is now in phase %s (was %s)", y.Phase, x.Phase)
	}
	d.say("%s", msg)
	// A move must not make a loop of plain flows that never ends.
	if res := compile.Load(format.Format(d.tree)); len(res.Errors) == 0 && res.SOP != nil {
		was := flowErrors(before)
		for k, f := range flowErrors(res.SOP) {
			if _, had := was[k]; !had && f.Code == "cycle" {
				return fmt.Errorf("moving step %q %s %q would make a loop that never ends (%s); move it to a place its own flow does not lead back from", x.ID, where, y.ID, f.Message)
			}
		}
	}
	return nil
}
