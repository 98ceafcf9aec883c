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
