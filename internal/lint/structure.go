package lint

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "single-start", Family: "structure", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "The procedure has exactly one start.",
			Doc:     "One start event says what triggers the release. Several starts make it unclear where the procedure begins.",
			Example: "- id: start\n  name: Release requested\n  kind: start\n  next: plan-scope",
			Fix:     "keep one kind: start step and lead the others from it",
			Check: func(p *pass) {
				var starts []*relsop.Step
				for i := range p.sop.Steps {
					if p.sop.Steps[i].Kind == relsop.KindStart {
						starts = append(starts, &p.sop.Steps[i])
					}
				}
				if len(starts) == 0 && len(p.sop.Steps) > 0 {
					p.report(p.sop.FieldPos.Of("steps", p.sop.Pos), "", "the procedure has no start step", "add a step with kind: start that leads to the first step")
				}
				for _, st := range starts[min(1, len(starts)):] {
					p.report(idPos(st), st.ID, fmt.Sprintf("step %q is a second start (the first is %q)", st.ID, starts[0].ID), "")
				}
			},
		},
		&Rule{
			ID: "unreachable", Family: "structure", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every step is reachable from the start.",
			Doc:     "A step no flow leads to never happens. Connect it, or remove it.",
			Example: "next: [run-tests]",
			Fix:     "lead a flow to the step, or remove it",
			Check: func(p *pass) {
				start := onlyStart(p.sop)
				if start == nil {
					return
				}
				seen := p.g.reach([]string{start.ID}, allFlows, false)
				for i := range p.sop.Steps {
					st := &p.sop.Steps[i]
					if st != start && !seen[st.ID] {
						p.report(idPos(st), st.ID, fmt.Sprintf("step %q cannot be reached from the start", st.ID), "")
					}
				}
			},
		},
		&Rule{
			ID: "dead-end", Family: "structure", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Every step leads on, and every path reaches an end.",
			Doc:     "A step other than an end with no way forward leaves the release hanging. Every step must be able to reach a kind: end step.",
			Example: "next: [announce-release]",
			Fix:     "add next: (or, for a gate, outcomes:) leading on, or make the step kind: end",
			Check:   checkDeadEnds,
		},
		&Rule{
			ID: "cycle", Family: "structure", Default: relsop.SeverityError, Scope: ScopeFlow,
			Summary: "Loops pass through a decision or a failure path.",
			Doc: "Rework loops are normal (a no-go sends work back to fixing), but they must pass through " +
				"a gate outcome or an on_failure path. A loop made only of next: flows never ends.",
			Example: "- id: retest\n  kind: gate\n  outcomes:\n    pass: deploy\n    fail: fix-defects",
			Fix:     "break the loop with a gate that decides when to leave it",
			Check:   checkCycles,
		},
		&Rule{
			ID: "duplicate-flow", Family: "structure", Default: relsop.SeverityWarning, Scope: ScopeFlow,
			Summary: "No flow is written twice.",
			Doc:     "Two arrows between the same steps say the same thing twice, or hide a typo in one of them.",
			Example: "next: [run-tests, notify-qa]",
			Fix:     "remove the repeated flow",
			Check: func(p *pass) {
				for i := range p.sop.Steps {
					st := &p.sop.Steps[i]
					seen := map[string]bool{}
					for _, f := range st.Flows() {
						if f.Kind != relsop.FlowNext && f.Kind != relsop.FlowOutcome {
							continue
						}
						if seen[f.To] {
							p.report(f.Pos, st.ID, fmt.Sprintf("step %q flows to %q more than once", st.ID, f.To), "")
						}
						seen[f.To] = true
					}
				}
			},
		},
	)
}

func onlyStart(sop *relsop.SOP) *relsop.Step {
	var start *relsop.Step
	for i := range sop.Steps {
		if sop.Steps[i].Kind == relsop.KindStart {
			if start != nil {
				return nil
			}
			start = &sop.Steps[i]
		}
	}
	return start
}

func checkDeadEnds(p *pass) {
	var ends []string
	stuck := map[string]bool{} // non-end steps with no way forward
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind == relsop.KindEnd {
			ends = append(ends, st.ID)
			continue
		}
		if len(st.Next) == 0 && len(st.Outcomes) == 0 {
			stuck[st.ID] = true
			p.report(idPos(st), st.ID, fmt.Sprintf("step %q is a dead end: nothing follows it", st.ID), "")
		}
	}
	canEnd := p.g.reach(ends, allFlows, true)
	for _, id := range ends {
		canEnd[id] = true
	}
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if canEnd[st.ID] || stuck[st.ID] {
			continue
		}
		// A step whose paths all run into a dead end reported above is
		// not reported again: fixing that dead end fixes it.
		if p.g.any(p.g.reach([]string{st.ID}, allFlows, false), func(s *relsop.Step) bool { return stuck[s.ID] }) {
			continue
		}
		p.report(idPos(st), st.ID, fmt.Sprintf("no path from step %q reaches an end", st.ID), "")
	}
}

// checkCycles finds loops made only of next flows (Tarjan's strongly
// connected components on the next-only graph).
func checkCycles(p *pass) {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	counter := 0
	var visit func(id string)
	visit = func(id string) {
		index[id], low[id] = counter, counter
		counter++
		stack = append(stack, id)
		onStack[id] = true
		st := p.sop.Step(id)
		for _, n := range st.Next {
			if p.sop.Step(n) == nil {
				continue
			}
			if _, done := index[n]; !done {
				visit(n)
				low[id] = min(low[id], low[n])
			} else if onStack[n] {
				low[id] = min(low[id], index[n])
			}
		}
		if low[id] != index[id] {
			return
		}
		var scc []string
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			scc = append(scc, top)
			if top == id {
				break
			}
		}
		self := len(scc) == 1 && contains(st.Next, id)
		if len(scc) > 1 || self {
			first := p.sop.Step(scc[0])
			for _, s := range scc {
				if p.g.order[s] < p.g.order[first.ID] {
					first = p.sop.Step(s)
				}
			}
			members := orderedIDs(p, scc)
			p.report(idPos(first), first.ID, fmt.Sprintf("steps %s loop through next: flows only, with no decision to leave the loop", strings.Join(members, " -> ")), "")
		}
	}
	for i := range p.sop.Steps {
		if _, done := index[p.sop.Steps[i].ID]; !done {
			visit(p.sop.Steps[i].ID)
		}
	}
}

func orderedIDs(p *pass, ids []string) []string {
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	var out []string
	for _, st := range p.g.stepsIn(set) {
		out = append(out, fmt.Sprintf("%q", st.ID))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
