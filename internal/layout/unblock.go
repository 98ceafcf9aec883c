package layout

import (
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
)

// unblock moves steps that stand in the way of a straight flow along their
// lane's row into a row of their own below, when that leaves the drawing
// with fewer crossings. Longest-path layering puts a step that many later
// steps flow back to (a shared failure handler, say) right after its
// first predecessor, which is often in the middle of the main line. Each
// move is judged by the attempt that won the first routing (won, with the
// given crossings), to keep this quick.
func unblock(g *grid, d *diagram.Diagram, won attempt, crossings int) {
	if len(g.cells) > maxCellsToUnblock {
		return
	}
	best := crossings
	tried := map[*cell]bool{}
	for _, x := range blockers(g) {
		if best == 0 || len(tried) == maxUnblockTries {
			return
		}
		if tried[x] {
			continue
		}
		tried[x] = true
		oldSub := x.sub
		x.sub = g.lanes[x.lane].rows
		g.assignRows()
		g.size()
		var drawing diagram.Diagram
		if _, n := routeEdges(g, &drawing, []attempt{won}, best); n < best {
			best, *d = n, drawing
			continue
		}
		x.sub = oldSub
		g.assignRows()
		g.size()
	}
}

// Bounds on the extra layouts unblock may try.
const (
	maxCellsToUnblock = 200
	maxUnblockTries   = 6
	minHandlerFanIn   = 3
)

// blockers are the shared handlers (steps that many flows lead to) sitting
// between the two ends of a main flow (a next step or a gate outcome)
// along one row, in file order of the flows.
func blockers(g *grid) []*cell {
	at := map[[2]int]*cell{}
	fanIn := make([]int, len(g.cells))
	for _, c := range g.cells {
		at[[2]int{c.row, c.col}] = c
		for _, t := range c.targets {
			if t != nil {
				fanIn[t.id]++
			}
		}
	}
	var out []*cell
	for _, u := range g.cells {
		for i, f := range u.flows {
			v := u.targets[i]
			main := f.Kind == relsop.FlowNext || f.Kind == relsop.FlowOutcome
			if v == nil || !main || v.row != u.row || v.col <= u.col+1 {
				continue
			}
			for col := u.col + 1; col < v.col; col++ {
				if x := at[[2]int{u.row, col}]; x != nil && fanIn[x.id] >= minHandlerFanIn {
					out = append(out, x)
				}
			}
		}
	}
	return out
}
