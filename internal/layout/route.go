package layout

import (
	"cmp"
	"slices"

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

// way is the course a route takes between its ends: the sides it leaves
// and enters by, its shape, and the channels and corridor it runs in.
type way struct {
	exit, entry  side
	shape        shape
	chanA, chanB int // channels of the first and last vertical runs (-1: none)
	corr         int // corridor of the horizontal run (-1: none)
}

// route is one flow on its way to becoming an edge.
type route struct {
	flow relsop.Flow
	u, v *cell
	way
	trackA     int
	trackB     int
	trackC     int
	label      string
	labelW     float64 // the label's box (labelSize), measured once
	labelH     float64
	labelShift float64 // labels leaving one vertex stand side by side
	srcY, dstY float64 // port offsets along the side, as a fraction of it
	cands      candList
}

// routeEdges plans every flow on the grid, gives each run in a channel or
// corridor its own track, widens the channels and corridors to hold their
// tracks and labels, and then writes the edges with final coordinates.
//
// Which routes are planned first decides which get the best ways, and
// whether routes into one step join into a trunk changes which cross: no
// choice wins everywhere, so each of the given attempts is laid out (all
// of them when attempts is nil) and the drawing with the fewest crossings
// kept. routeEdges returns the attempt that won and its crossings.
//
// With toBeat not negative, only a drawing with fewer crossings than
// toBeat is of use: d is left as it is unless the winner has fewer, and
// the crossings returned may then be counted no further than toBeat.
func routeEdges(g *grid, d *diagram.Diagram, attempts []attempt, toBeat int) (attempt, int) {
	g.scratch.markOccupied(g)
	g.scratch.cands = g.scratch.cands[:0] // for the candidates of these routes
	routes := newRoutes(g)
	if attempts == nil {
		attempts = allAttempts(len(routes))
	}
	var won attempt
	bestX := toBeat
	var plan []way
	// The edges of the attempt winning so far, and of the one under way,
	// in the blocks of a losing attempt of an earlier routing if there
	// was one.
	sets := [2]edgeSet{1: g.scratch.spareEdges}
	wonSet, nextSet := &sets[0], &sets[1]
	wonPlace := &g.scratch.wonPlace
	for i, a := range attempts {
		if bestX == 0 {
			break // no attempt can do better
		}
		if i == 0 || a.shortFirst != attempts[i-1].shortFirst {
			plan = planned(g, routes, a.shortFirst)
			// What follows from the ways alone holds for every attempt
			// with this plan.
			filePorts(g, routes)
			shiftLabels(g, routes)
		}
		// Only the way: finishRoutes sets the rest (ports, tracks) afresh.
		for i, r := range routes {
			r.way = plan[i]
		}
		finishRoutes(g, routes, a.bundle, nextSet)
		// Crossings are counted only as far as the attempt could still
		// win.
		ix := &g.scratch.ix
		ix.reset(g.right(), g.bottom())
		if x := ix.edgeCrossings(nextSet.edges, bestX); bestX < 0 || x < bestX {
			bestX, won = x, a
			wonSet, nextSet = nextSet, wonSet
			wonPlace.save(g)
		}
	}
	// The winner's blocks go into the drawing; the loser's are kept.
	g.scratch.spareEdges = *nextSet
	if bestX == toBeat {
		return won, bestX // no attempt beat toBeat
	}
	// The rest of the drawing is built once, for the attempt that won,
	// from the grid as that attempt left it.
	wonPlace.restore(g)
	*d = *g.diagram()
	d.Edges = wonSet.edges
	return won, bestX
}

// newRoutes makes a route of every flow between two steps, in file order,
// each leaving its source by the side chooseExits gives it. The routes
// live in g.scratch until the next call.
func newRoutes(g *grid) []*route {
	n := 0
	for _, c := range g.cells {
		n += len(c.flows)
	}
	s := g.scratch
	all := s.routes[:0]
	if cap(all) < n {
		all = make([]route, 0, n) // never grown, so &all[i] stays put
	}
	routes := s.routePtrs[:0]
	for _, c := range g.cells {
		first := len(routes)
		for i, f := range c.flows {
			v := c.targets[i]
			if v == nil {
				continue
			}
			all = append(all, route{flow: f, u: c, v: v, way: way{chanA: -1, chanB: -1, corr: -1}, label: f.Label})
			r := &all[len(all)-1]
			if f.Kind == relsop.FlowEscalation && c.step.Escalation != nil && !c.step.Escalation.After.IsZero() {
				r.label = "escalate after " + c.step.Escalation.After.Text
			}
			if r.label != "" {
				r.labelW, r.labelH = g.labelSize(r.label)
			}
			routes = append(routes, r)
		}
		chooseExits(c, routes[first:])
	}
	s.routes, s.routePtrs = all, routes
	return routes
}

// attempt is one way of routing: the order routes are planned in (file
// order, or shortest first) and whether routes into one step join into a
// trunk.
type attempt struct{ shortFirst, bundle bool }

// allAttempts lists the attempts worth their time for n routes. Each costs
// a full routing; on large SOPs, where trunks have always won in
// measurement, only those are tried.
func allAttempts(n int) []attempt {
	if n > maxRoutesForAllAttempts {
		return []attempt{{false, true}, {true, true}}
	}
	return []attempt{{false, false}, {false, true}, {true, false}, {true, true}}
}

// planned plans the routes in file order or shortest first, and returns
// the way each route takes, in file order, until the next planning.
// Planning leaves each route on its way, and the next planning starts
// from there.
func planned(g *grid, routes []*route, shortFirst bool) []way {
	order := routes
	if shortFirst {
		order = append(g.scratch.order[:0], routes...)
		g.scratch.order = order
		slices.SortStableFunc(order, func(a, b *route) int { return cmp.Compare(span(a), span(b)) })
	}
	g.narrowGaps()
	g.place()
	planRoutes(g, order)
	plan := g.scratch.plan[:0]
	for _, r := range routes {
		plan = append(plan, r.way)
	}
	g.scratch.plan = plan
	return plan
}

// finishRoutes spreads the planned routes' ports (filed by filePorts),
// gives their runs tracks, places the grid around them and builds the
// edges, into set.
func finishRoutes(g *grid, routes []*route, bundle bool, set *edgeSet) {
	g.narrowGaps()
	g.place()
	spreadPorts(g, bundle)
	assignTracks(g, routes, bundle)
	g.place()
	set.reset(routes)
	for _, r := range routes {
		set.edges = append(set.edges, build(g, r, set))
	}
}

// planRoutes gives each route the shape that crosses the others least.
// A first pass plans the routes in order, each against those before it;
// then each route in turn is taken up and planned again against all the
// others (rip-up and reroute), while that removes crossings.
//
// Planning a route again gives the same shape as last time unless a route
// within its reach (the bounds of all its candidates) has changed course
// since: only such stale routes are planned again.
func planRoutes(g *grid, order []*route) {
	s := g.scratch
	s.routeCand, s.chosen = cleared(s.routeCand, len(order)), cleared(s.chosen, len(order))
	s.reach, s.stale = cleared(s.reach, len(order)), cleared(s.stale, len(order))
	for _, r := range order {
		if !r.cands.listed || r.cands.exit != r.exit {
			r.cands = candidates(g, r)
		}
	}
	// Slices of s.cands are taken only now: listing appends to it, which
	// may move it.
	cands, chosen, reach, stale, ix := s.routeCand, s.chosen, s.reach, s.stale, &s.ix
	for i, r := range order {
		cands[i], reach[i] = s.cands[r.cands.from:r.cands.to], r.cands.reach
	}
	ix.reset(g.right(), g.bottom())
	for i := range order {
		chosen[i] = choose(cands[i], ix, -1)
		ix.add(i, cands[i][chosen[i]].path())
		stale[i] = true // planned so far against the routes before it only
	}
	for pass := 0; pass < reroutePasses; pass++ {
		changed := false
		for i := range order {
			if !stale[i] {
				continue
			}
			stale[i] = false
			// Planned again against all the others: its own filed
			// segments are left out of the count, and refiled only when
			// it changes course.
			if c := choose(cands[i], ix, i); c != chosen[i] {
				was := cands[i][chosen[i]].path()
				ix.remove(i, was)
				left := pathBounds(was)
				chosen[i], changed = c, true
				now := cands[i][chosen[i]].path()
				ix.add(i, now)
				markStale(stale, reach, i, left, pathBounds(now))
			}
		}
		if !changed {
			break
		}
	}
	for i, r := range order {
		r.way = cands[i][chosen[i]].way
	}
}

// markStale marks every route but moved whose reach meets where route
// moved ran before (was) or runs now: the count of crossings of any of its
// candidates may have changed. A route out of reach of both cannot be
// crossed by either, as crossings never counts a segment whose bounds
// miss the query's.
func markStale(stale []bool, reach []bounds, moved int, was, now bounds) {
	for k := range reach {
		if k != moved && (reach[k].meets(was) || reach[k].meets(now)) {
			stale[k] = true
		}
	}
}

// reroutePasses bounds the rip-up-and-reroute passes; in practice the
// routes settle after two or three.
const reroutePasses = 4

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

// chooseExits decides which side of its source each route leaves from:
// the right side, except for a gate's ways on. A gate's way to the target
// most nearly straight ahead leaves from its right vertex; the others drop
// from the bottom or rise from the top vertex, towards their targets, as
// in a hand-drawn flowchart.
func chooseExits(u *cell, routes []*route) {
	ahead := -1
	for i, r := range routes {
		r.exit, r.entry = sideRight, sideLeft
		if !u.step.IsGate() || r.v == u || r.v.col <= u.col {
			continue
		}
		if ahead < 0 || rowDist(r) < rowDist(routes[ahead]) {
			ahead = i
		}
	}
	if !u.step.IsGate() {
		return
	}
	for i, r := range routes {
		if i == ahead || r.v == u {
			continue
		}
		r.exit = sideBottom
		if r.v.row < u.row {
			r.exit = sideTop
		}
	}
}

func rowDist(r *route) int {
	if d := r.v.row - r.u.row; d >= 0 {
		return d
	}
	return r.u.row - r.v.row
}

// candidates lists the shapes a route can take without passing through
// a box: straight down or up, Z-shapes along the rows of its ends with the
// jog in any channel between them, through any corridor between (or just
// beyond) its ends, and for a gate's side vertices a drop into a corridor.
// They go at the end of g.scratch.cands.
func candidates(g *grid, r *route) candList {
	s := g.scratch
	u, v := r.u, r.v
	freeRow := func(row, from, to int) bool {
		for c := from; c <= to; c++ {
			if s.isOccupied(row, c) {
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
			if s.isOccupied(rw, col) {
				return false
			}
		}
		return true
	}
	// The candidates go at the end of the scratch buffer; those before
	// them belong to other routes.
	list := candList{from: len(s.cands), exit: r.exit, listed: true}
	add := func(sh shape, chanA, chanB, corr int, exit, entry side) {
		c := candidate{way: way{exit: exit, entry: entry, shape: sh, chanA: chanA, chanB: chanB, corr: corr}}
		pts := appendApprox(c.pts[:0], g, u, v, c.way)
		c.n, c.cost = len(pts), float64(len(pts))+length(pts)/lengthScale
		if len(s.cands) == list.from {
			list.reach = pathBounds(pts)
		} else {
			list.reach = list.reach.union(pathBounds(pts))
		}
		s.cands = append(s.cands, c)
	}
	if u != v && u.col == v.col && u.row != v.row && freeCol(u.col, u.row, v.row) && (r.exit != sideRight || !u.step.IsGate()) {
		exit, entry := sideBottom, sideTop
		if v.row < u.row {
			exit, entry = sideTop, sideBottom
		}
		add(shapeVertical, -1, -1, -1, exit, entry)
	}
	lo, hi := min(u.row, v.row), max(u.row, v.row)+1
	if r.exit == sideBottom || r.exit == sideTop {
		// Down from the bottom vertex into a corridor below, or up from
		// the top vertex into one above, as far as the column is free.
		for corr := u.row + 1; corr <= max(u.row+1, hi); corr++ {
			if !freeCol(u.col, u.row, corr) {
				break
			}
			add(shapeDrop, -1, v.col, corr, sideBottom, sideLeft)
		}
		for corr := u.row; corr >= min(u.row, lo); corr-- {
			if !freeCol(u.col, corr-1, u.row) {
				break
			}
			add(shapeDrop, -1, v.col, corr, sideTop, sideLeft)
		}
		list.to = len(s.cands)
		return list
	}
	if v.col > u.col {
		// Jog in channel k: along u's row to it, along v's row after it.
		if u.row == v.row {
			if freeRow(u.row, u.col+1, v.col-1) {
				add(shapeRowU, -1, v.col, -1, sideRight, sideLeft)
			}
		} else {
			for k := u.col + 1; k <= v.col; k++ {
				if freeRow(u.row, u.col+1, k-1) && freeRow(v.row, k, v.col-1) {
					add(shapeRowU, -1, k, -1, sideRight, sideLeft)
				}
			}
		}
	}
	s.corridors = appendCorridorChoices(s.corridors[:0], lo, hi, u.row, v.row)
	for _, corr := range s.corridors {
		add(shapeCorridor, u.col+1, v.col, corr, sideRight, sideLeft)
	}
	list.to = len(s.cands)
	return list
}

// candList is where a route's candidates are in scratch.cands, and their
// reach: the bounds of all their polylines. The candidates depend on the
// route's exit, which planning may change, and on the grid as planning
// finds it, the same each time in one routing: a list serves every
// planning in one routing as long as the route keeps the exit it was
// listed for.
type candList struct {
	from, to int
	reach    bounds
	exit     side
	listed   bool
}

// appendCorridorChoices appends the corridors a route between rows a and b
// may run through: every one from just above the higher end to just below
// the lower, or on long spans the four next to the ends and a sample
// between.
func appendCorridorChoices(out []int, lo, hi, a, b int) []int {
	if hi-lo <= maxCorridorChoices {
		for c := lo; c <= hi; c++ {
			out = append(out, c)
		}
		return out
	}
	for _, c := range [...]int{b, b + 1, a + 1, a} {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	step := (hi - lo) / maxCorridorChoices
	for c := lo + step; c < hi; c += step {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// maxCorridorChoices bounds the corridors tried for one route.
const maxCorridorChoices = 8

// choose keeps the candidate that crosses the filed routes least, then
// the one with fewest bends, then the shortest, then the first. The
// segments filed for route self are not counted (self -1: none is left
// out).
//
// A candidate's crossings are counted only as far as it could still win:
// each crossing costs crossingCost, so once those reach what the best so
// far costs, counting further changes nothing.
func choose(cands []candidate, ix *segIndex, self int) int {
	best, bestCost := 0, -1.0
	for i := range cands {
		c := &cands[i]
		limit := -1
		if bestCost >= 0 {
			if c.cost >= bestCost {
				continue
			}
			limit = int((bestCost-c.cost)/crossingCost) + 1
		}
		cost := float64(ix.crossings(c.path(), self, limit))*crossingCost + c.cost
		if bestCost < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	return best
}

// crossingCost is what one crossing costs a candidate, in bends.
const crossingCost = 10

// candidate is one shape a route may take, with its approximate polyline
// (appendApprox), which choose looks at again and again, and what it costs
// besides crossings: its bends and its length.
type candidate struct {
	way
	cost float64
	pts  pathBuf // the polyline is pts[:n]
	n    int
}

func (c *candidate) path() []diagram.Point { return c.pts[:c.n] }

// lengthScale makes length a tie-break: a bend is worth this many points
// of extra length.
const lengthScale = 4000

func length(pts []diagram.Point) float64 {
	n := 0.0
	for i := 1; i < len(pts); i++ {
		n += abs(pts[i].X-pts[i-1].X) + abs(pts[i].Y-pts[i-1].Y)
	}
	return n
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// appendApprox appends the polyline of a route from u to v by way w, with
// every run in the middle of its channel or corridor: good enough to
// compare candidates before tracks exist.
func appendApprox(pts []diagram.Point, g *grid, u, v *cell, w way) []diagram.Point {
	src, dst := port(u, w.exit, 0.5), port(v, w.entry, 0.5)
	cx := func(k int) float64 { return g.chanLeft(k) + g.chanW[k]/2 }
	cy := func(c int) float64 { return g.corrTop(c) + g.corrH[c]/2 }
	switch w.shape {
	case shapeVertical:
		return append(pts, src, dst)
	case shapeRowU:
		x := cx(w.chanB)
		return append(pts, src, diagram.Point{X: x, Y: src.Y}, diagram.Point{X: x, Y: dst.Y}, dst)
	case shapeRowV:
		x := cx(w.chanA)
		return append(pts, src, diagram.Point{X: x, Y: src.Y}, diagram.Point{X: x, Y: dst.Y}, dst)
	case shapeDrop:
		x, y := cx(w.chanB), cy(w.corr)
		return append(pts, src, diagram.Point{X: src.X, Y: y}, diagram.Point{X: x, Y: y}, diagram.Point{X: x, Y: dst.Y}, dst)
	}
	xa, xb, y := cx(w.chanA), cx(w.chanB), cy(w.corr)
	return append(pts, src, diagram.Point{X: xa, Y: src.Y}, diagram.Point{X: xa, Y: y}, diagram.Point{X: xb, Y: y}, diagram.Point{X: xb, Y: dst.Y}, dst)
}

// pathBuf holds one approximate polyline, the longest there is.
type pathBuf [6]diagram.Point

// path is the approximate polyline of route r when it takes way w, in b.
func (b *pathBuf) path(g *grid, r *route, w way) []diagram.Point {
	return appendApprox(b[:0], g, r.u, r.v, w)
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

// labelSize is the box an edge label needs, in the grid's frame (turned a
// quarter for the vertical layout, which is laid out transposed).
func (g *grid) labelSize(text string) (w, h float64) {
	w, h = tm.Width(text, labelFont, false)+10, labelFont*lineGap+4
	if g.vertical {
		return h, w
	}
	return w, h
}

// shiftLabels sets labels that leave one node side next to each other
// rather than on top of each other.
func shiftLabels(g *grid, routes []*route) {
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
		next[k] += r.labelW + 4
	}
}
