package layout

import (
	"sort"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

type side int

const (
	sideRight side = iota
	sideLeft
	sideTop
	sideBottom
)

type shape int

const (
	shapeVertical shape = iota // straight down or up in one column
	shapeRowU                  // along the source's row, jog in the channel left of the target
	shapeRowV                  // jog in the channel right of the source, along the target's row
	shapeCorridor              // channel right of source, corridor, channel left of target
	shapeDrop                  // from a gate's top or bottom vertex into a corridor, then channel left of target
)

// route is one flow on its way to becoming an edge.
type route struct {
	flow         relsop.Flow
	u, v         *cell
	exit, entry  side
	shape        shape
	chanA, chanB int // channels of the first and last vertical runs (-1: none)
	corr         int // corridor of the horizontal run (-1: none)
	trackA       int
	trackB       int
	trackC       int
	label        string
	labelShift   float64 // labels leaving one vertex stand side by side
	srcY, dstY   float64 // port offsets along the side, as a fraction of it
}

// routeEdges plans every flow on the grid, gives each run in a channel or
// corridor its own track, widens the channels and corridors to hold their
// tracks and labels, and then writes the edges with final coordinates.
func routeEdges(g *grid, d *diagram.Diagram) {
	occupied := map[[2]int]bool{}
	for _, c := range g.cells {
		occupied[[2]int{c.row, c.col}] = true
	}
	var routes []*route
	for _, c := range g.cells {
		gateExits := 0
		for _, f := range c.step.Flows() {
			v := g.byID[f.To]
			if v == nil {
				continue
			}
			r := &route{flow: f, u: c, v: v, chanA: -1, chanB: -1, corr: -1, label: f.Label}
			if f.Kind == relsop.FlowEscalation && c.step.Escalation != nil && !c.step.Escalation.After.IsZero() {
				r.label = "escalate after " + c.step.Escalation.After.Text
			}
			plan(g, r, occupied, &gateExits)
			routes = append(routes, r)
		}
	}
	spreadPorts(routes)
	shiftLabels(routes)
	assignTracks(g, routes)
	// Re-place with the widened channels and corridors, then rebuild the
	// node geometry at the final positions.
	g.place()
	*d = *g.diagram()
	for _, r := range routes {
		d.Edges = append(d.Edges, build(g, r))
	}
}

// plan picks the shape of a route from the grid alone.
func plan(g *grid, r *route, occupied map[[2]int]bool, gateExits *int) {
	u, v := r.u, r.v
	r.exit, r.entry = sideRight, sideLeft
	if u.step.IsGate() && u != v {
		// A gate's first way on leaves from its right vertex; the others
		// drop from the bottom or rise from the top vertex, towards the
		// target, as in a hand-drawn flowchart.
		if *gateExits > 0 || v.col <= u.col {
			r.exit = sideBottom
			if v.row < u.row {
				r.exit = sideTop
			}
		}
		*gateExits++
	}
	freeRow := func(row, from, to int) bool {
		for c := from + 1; c < to; c++ {
			if occupied[[2]int{row, c}] {
				return false
			}
		}
		return true
	}
	freeCol := func(col, from, to int) bool {
		if from > to {
			from, to = to, from
		}
		for rw := from + 1; rw < to; rw++ {
			if occupied[[2]int{rw, col}] {
				return false
			}
		}
		return true
	}
	switch {
	case u != v && u.col == v.col && u.row != v.row && freeCol(u.col, u.row, v.row) && (r.exit != sideRight || !u.step.IsGate()):
		r.shape = shapeVertical
		r.exit, r.entry = sideBottom, sideTop
		if v.row < u.row {
			r.exit, r.entry = sideTop, sideBottom
		}
	case r.exit == sideBottom || r.exit == sideTop:
		r.shape = shapeDrop
		r.corr = u.row + 1
		if r.exit == sideTop {
			r.corr = u.row
		}
		r.chanB = v.col
	case v.col > u.col && freeRow(u.row, u.col, v.col):
		r.shape, r.chanB = shapeRowU, v.col
	case v.col > u.col && freeRow(v.row, u.col, v.col):
		r.shape, r.chanA = shapeRowV, u.col+1
	default:
		r.shape, r.chanA, r.chanB = shapeCorridor, u.col+1, v.col
		switch {
		case v.row > u.row:
			r.corr = v.row
		case v.row < u.row:
			r.corr = v.row + 1
		default:
			r.corr = u.row + 1
		}
	}
}

// spreadPorts spreads the ends of routes along the right and left sides of
// rectangular nodes, ordered by where the other end lies, so that edges
// leave and arrive side by side instead of on top of each other.
func spreadPorts(routes []*route) {
	type key struct {
		c *cell
		s side
	}
	at := map[key][]*route{}
	for _, r := range routes {
		at[key{r.u, r.exit}] = append(at[key{r.u, r.exit}], r)
		at[key{r.v, r.entry}] = append(at[key{r.v, r.entry}], r)
	}
	for k, rs := range at {
		if k.s != sideRight && k.s != sideLeft {
			continue
		}
		other := func(r *route) *cell {
			if r.u == k.c {
				return r.v
			}
			return r.u
		}
		sort.SliceStable(rs, func(i, j int) bool {
			a, b := other(rs[i]), other(rs[j])
			if a.row != b.row {
				return a.row < b.row
			}
			return a.col < b.col
		})
		for i, r := range rs {
			f := float64(i+1) / float64(len(rs)+1)
			if r.u == k.c && r.exit == k.s {
				r.srcY = f
			}
			if r.v == k.c && r.entry == k.s {
				r.dstY = f
			}
		}
	}
}

// port is where a route meets a node side.
func port(c *cell, s side, frac float64) diagram.Point {
	b := c.box()
	round := c.step.IsGate() || c.step.Kind == relsop.KindStart || c.step.Kind == relsop.KindEnd
	if round || frac == 0 {
		frac = 0.5 // diamonds and circles are met at their vertex
	}
	switch s {
	case sideRight:
		return diagram.Point{X: b.Right(), Y: b.Y + b.H*frac}
	case sideLeft:
		return diagram.Point{X: b.X, Y: b.Y + b.H*frac}
	case sideTop:
		return diagram.Point{X: b.X + b.W/2, Y: b.Y}
	}
	return diagram.Point{X: b.X + b.W/2, Y: b.Bottom()}
}

// labelSize is the box an edge label needs.
func labelSize(text string) (w, h float64) {
	return tm.Width(text, labelFont, false) + 10, labelFont*lineGap + 4
}

// shiftLabels sets labels that leave one node side next to each other
// rather than on top of each other.
func shiftLabels(routes []*route) {
	type key struct {
		c *cell
		s side
	}
	next := map[key]float64{}
	for _, r := range routes {
		if r.label == "" {
			continue
		}
		k := key{r.u, r.exit}
		r.labelShift = next[k]
		w, _ := labelSize(r.label)
		next[k] += w + 4
	}
}
