package lint

import "github.com/relsop/relsop"

// graph indexes the flows of one SOP for the structural rules.
type graph struct {
	sop   *relsop.SOP
	out   map[string][]relsop.Flow
	in    map[string][]relsop.Flow
	order map[string]int // position of each step in the file
}

func newGraph(sop *relsop.SOP) *graph {
	g := &graph{sop: sop, out: map[string][]relsop.Flow{}, in: map[string][]relsop.Flow{}, order: map[string]int{}}
	for i, st := range sop.Steps {
		g.order[st.ID] = i
	}
	for _, f := range sop.Flows() {
		if _, ok := g.order[f.To]; !ok {
			continue // a dangling reference is a load error, not a lint finding
		}
		g.out[f.From] = append(g.out[f.From], f)
		g.in[f.To] = append(g.in[f.To], f)
	}
	return g
}

// mainFlows are the flows of the happy path and its decisions: next and
// gate outcomes, not failure or escalation paths.
var mainFlows = []relsop.FlowKind{relsop.FlowNext, relsop.FlowOutcome}

// allFlows includes failure and escalation paths.
var allFlows = []relsop.FlowKind{relsop.FlowNext, relsop.FlowOutcome, relsop.FlowRollback, relsop.FlowEscalation}

func has(kinds []relsop.FlowKind, k relsop.FlowKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// reach returns the steps reachable from the given steps by following flows
// of the given kinds forward (or backward when back is true). The starting
// steps are included only when a path leads back to them.
func (g *graph) reach(from []string, kinds []relsop.FlowKind, back bool) map[string]bool {
	seen := map[string]bool{}
	queue := []string{}
	step := func(id string) {
		edges := g.out[id]
		if back {
			edges = g.in[id]
		}
		for _, f := range edges {
			if !has(kinds, f.Kind) {
				continue
			}
			next := f.To
			if back {
				next = f.From
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	for _, id := range from {
		step(id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		step(id)
	}
	return seen
}

// descendants are the steps after id on the main flows.
func (g *graph) descendants(id string) map[string]bool {
	return g.reach([]string{id}, mainFlows, false)
}

// ancestors are the steps before id on the main flows.
func (g *graph) ancestors(id string) map[string]bool { return g.reach([]string{id}, mainFlows, true) }

// stepsIn returns the steps of set in file order.
func (g *graph) stepsIn(set map[string]bool) []*relsop.Step {
	var out []*relsop.Step
	for i := range g.sop.Steps {
		if set[g.sop.Steps[i].ID] {
			out = append(out, &g.sop.Steps[i])
		}
	}
	return out
}

// any reports whether a step of set satisfies ok.
func (g *graph) any(set map[string]bool, ok func(*relsop.Step) bool) bool {
	for _, st := range g.stepsIn(set) {
		if ok(st) {
			return true
		}
	}
	return false
}

// productionDeploys lists the steps that deploy to production.
func (g *graph) productionDeploys() []*relsop.Step {
	var out []*relsop.Step
	for i := range g.sop.Steps {
		if g.sop.Steps[i].IsProductionDeploy(g.sop) {
			out = append(out, &g.sop.Steps[i])
		}
	}
	return out
}
