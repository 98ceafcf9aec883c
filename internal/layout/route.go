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
//
// Which routes are planned first decides which get the best ways, and
// whether routes into one step join into a trunk changes which cross: no
// choice wins everywhere, so the routes are laid out in file order and
// shortest first, each with and without trunks, and the drawing with the
// fewest crossings is kept.
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
			chooseExit(r, &gateExits)
			routes = append(routes, r)
		}
	}
	shortFirst := append([]*route(nil), routes...)
	sort.SliceStable(shortFirst, func(i, j int) bool { return span(shortFirst[i]) < span(shortFirst[j]) })
	// Each attempt costs a full routing; large SOPs, where trunks have
	// always won in measurement, try only those to stay fast.
	bundles := []bool{false, true}
	if len(routes) > maxRoutesForAllAttempts {
		bundles = []bool{true}
	}
	bestX := -1
	for _, bundle := range bundles {
		for _, order := range [][]*route{routes, shortFirst} {
			attempt := layoutRoutes(g, routes, order, occupied, bundle)
			if x := diagram.Crossings(attempt.Edges); bestX < 0 || x < bestX {
				bestX, *d = x, *attempt
			}
		}
	}
}

// layoutRoutes plans the routes in the given order, then tracks, places
// and builds them, from the grid's default channel and corridor sizes.
func layoutRoutes(g *grid, routes, order []*route, occupied map[[2]int]bool, bundle bool) *diagram.Diagram {
	g.chanW, g.corrH = nil, nil
	g.place()
	var planned []plannedRun
	for _, r := range order {
		plan(g, r, occupied, &planned)
	}
	spreadPorts(routes, bundle)
	shiftLabels(routes)
	assignTracks(g, routes, bundle)
	g.place()
	d := g.diagram()
	for _, r := range routes {
		d.Edges = append(d.Edges, build(g, r))
	}
	return d
}

// maxRoutesForAllAttempts bounds the SOPs laid out both with and without
// trunks.
const maxRoutesForAllAttempts = 300

// span is how far a route reaches across the grid.
func span(r *route) int {
	d := r.v.col - r.u.col
	if d < 0 {
		d = -d
	}
	e := r.v.row - r.u.row
	if e < 0 {
		e = -e
	}
	return d + e
}

// chooseExit decides which side of its source a route leaves from.
func chooseExit(r *route, gateExits *int) {
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
}

// plan picks the shape of a route: the candidate that crosses the routes
// planned before it least.
func plan(g *grid, r *route, occupied map[[2]int]bool, planned *[]plannedRun) {
	u, v := r.u, r.v
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
	var cands []route
	add := func(sh shape, chanA, chanB, corr int, exit, entry side) {
		c := *r
		c.shape, c.chanA, c.chanB, c.corr, c.exit, c.entry = sh, chanA, chanB, corr, exit, entry
		cands = append(cands, c)
	}
	if u != v && u.col == v.col && u.row != v.row && freeCol(u.col, u.row, v.row) && (r.exit != sideRight || !u.step.IsGate()) {
		exit, entry := sideBottom, sideTop
		if v.row < u.row {
			exit, entry = sideTop, sideBottom
		}
		add(shapeVertical, -1, -1, -1, exit, entry)
	}
	if r.exit == sideBottom || r.exit == sideTop {
		corr := u.row + 1
		if r.exit == sideTop {
			corr = u.row
		}
		add(shapeDrop, -1, v.col, corr, r.exit, sideLeft)
	} else {
		if v.col > u.col && freeRow(u.row, u.col, v.col) {
			add(shapeRowU, -1, v.col, -1, sideRight, sideLeft)
		}
		if v.col > u.col && freeRow(v.row, u.col, v.col) {
			add(shapeRowV, u.col+1, -1, -1, sideRight, sideLeft)
		}
		// Corridors next to either end, above or below.
		seen := map[int]bool{}
		for _, corr := range []int{v.row, v.row + 1, u.row + 1, u.row} {
			if !seen[corr] {
				seen[corr] = true
				add(shapeCorridor, u.col+1, v.col, corr, sideRight, sideLeft)
			}
		}
	}
	// Keep the candidate that crosses the routes planned so far least,
	// then the one with fewest bends, then the first.
	best, bestCost := 0, -1.0
	for i := range cands {
		pts := approx(g, &cands[i])
		cost := float64(crossings(pts, *planned))*10 + float64(len(pts))
		if bestCost < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	*r = cands[best]
	pts := approx(g, r)
	*planned = append(*planned, plannedRun{pts: pts, box: bounds(pts)})
}

// approx is a route's polyline with every run in the middle of its channel
// or corridor, good enough to compare candidates before tracks exist.
func approx(g *grid, r *route) []diagram.Point {
	src, dst := port(r.u, r.exit, 0.5), port(r.v, r.entry, 0.5)
	cx := func(k int) float64 { return g.chanLeft(k) + g.chanW[k]/2 }
	cy := func(c int) float64 { return g.corrTop(c) + g.corrH[c]/2 }
	switch r.shape {
	case shapeVertical:
		return []diagram.Point{src, dst}
	case shapeRowU:
		x := cx(r.chanB)
		return []diagram.Point{src, {X: x, Y: src.Y}, {X: x, Y: dst.Y}, dst}
	case shapeRowV:
		x := cx(r.chanA)
		return []diagram.Point{src, {X: x, Y: src.Y}, {X: x, Y: dst.Y}, dst}
	case shapeDrop:
		x, y := cx(r.chanB), cy(r.corr)
		return []diagram.Point{src, {X: src.X, Y: y}, {X: x, Y: y}, {X: x, Y: dst.Y}, dst}
	}
	xa, xb, y := cx(r.chanA), cx(r.chanB), cy(r.corr)
	return []diagram.Point{src, {X: xa, Y: src.Y}, {X: xa, Y: y}, {X: xb, Y: y}, {X: xb, Y: dst.Y}, dst}
}

// crossings counts how often a polyline crosses those already planned.
// Polylines whose bounding boxes do not meet cannot cross, which keeps
// large SOPs fast.
func crossings(pts []diagram.Point, planned []plannedRun) int {
	box := bounds(pts)
	pair := []diagram.Edge{{Points: pts}, {}}
	n := 0
	for _, p := range planned {
		if !box.Overlaps(p.box) {
			continue
		}
		pair[1].Points = p.pts
		n += diagram.Crossings(pair)
	}
	return n
}

// plannedRun is a planned route's approximate polyline and its bounds.
type plannedRun struct {
	pts []diagram.Point
	box diagram.Rect
}

func bounds(pts []diagram.Point) diagram.Rect {
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts[1:] {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	// Grown by a unit so that touching boxes of crossing lines still meet.
	return diagram.Rect{X: x0 - 1, Y: y0 - 1, W: x1 - x0 + 2, H: y1 - y0 + 2}
}

// spreadPorts spreads the ends of routes along the right and left sides of
// rectangular nodes, ordered by where the other end lies, so that edges
// leave and arrive side by side instead of on top of each other. With
// bundle, routes into one target through its channel share one port.
func spreadPorts(routes []*route, bundle bool) {
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
		// Bundled routes reach the target through its channel as one trunk,
		// at one port: only the first of them takes a place on the side.
		var bundled []*route
		if bundle && k.s == sideLeft {
			var kept []*route
			for _, r := range rs {
				if r.v == k.c && r.entry == sideLeft && r.shape != shapeRowV {
					bundled = append(bundled, r)
				} else {
					kept = append(kept, r)
				}
			}
			if len(bundled) > 1 {
				rs = append(kept, bundled[0])
			} else {
				bundled = nil
			}
		}
		for i, r := range rs {
			f := float64(i+1) / float64(len(rs)+1)
			if r.u == k.c && r.exit == k.s {
				r.srcY = f
			}
			if r.v == k.c && r.entry == k.s {
				r.dstY = f
			}
		}
		for _, r := range bundled {
			r.dstY = bundled[0].dstY
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
