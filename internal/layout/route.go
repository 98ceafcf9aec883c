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
	labelShift float64 // labels leaving one vertex stand side by side
	srcY, dstY float64 // port offsets along the side, as a fraction of it
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
func routeEdges(g *grid, d *diagram.Diagram, attempts []attempt) (attempt, int) {
	occupied := map[[2]int]bool{}
	for _, c := range g.cells {
		occupied[[2]int{c.row, c.col}] = true
	}
	var routes []*route
	for _, c := range g.cells {
		var out []*route
		for _, f := range c.step.Flows() {
			v := g.byID[f.To]
			if v == nil {
				continue
			}
			r := &route{flow: f, u: c, v: v, way: way{chanA: -1, chanB: -1, corr: -1}, label: f.Label}
			if f.Kind == relsop.FlowEscalation && c.step.Escalation != nil && !c.step.Escalation.After.IsZero() {
				r.label = "escalate after " + c.step.Escalation.After.Text
			}
			out = append(out, r)
		}
		chooseExits(c, out)
		routes = append(routes, out...)
	}
	if attempts == nil {
		attempts = allAttempts(len(routes))
	}
	var won attempt
	bestX := -1
	var plan []route
	for i, a := range attempts {
		if i == 0 || a.shortFirst != attempts[i-1].shortFirst {
			plan = planned(g, routes, a.shortFirst, occupied)
		}
		for i, r := range routes {
			*r = plan[i]
		}
		edges := finishRoutes(g, routes, a.bundle)
		if x := diagram.Crossings(edges); bestX < 0 || x < bestX {
			// The rest of the drawing is built only for an attempt that
			// wins, from the grid as this attempt left it.
			bestX, won, *d = x, a, *g.diagram()
			d.Edges = edges
		}
	}
	return won, bestX
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
// the plan, one route per route in file order.
func planned(g *grid, routes []*route, shortFirst bool, occupied map[[2]int]bool) []route {
	order := routes
	if shortFirst {
		order = append([]*route(nil), routes...)
		sort.SliceStable(order, func(i, j int) bool { return span(order[i]) < span(order[j]) })
	}
	g.chanW, g.corrH = nil, nil
	g.place()
	planRoutes(g, order, occupied)
	plan := make([]route, len(routes))
	for i, r := range routes {
		plan[i] = *r
	}
	return plan
}

// finishRoutes spreads the planned routes' ports, gives their runs tracks,
// places the grid around them and builds the edges.
func finishRoutes(g *grid, routes []*route, bundle bool) []diagram.Edge {
	g.chanW, g.corrH = nil, nil
	g.place()
	spreadPorts(g, routes, bundle)
	shiftLabels(g, routes)
	assignTracks(g, routes, bundle)
	g.place()
	edges := make([]diagram.Edge, len(routes))
	for i, r := range routes {
		edges[i] = build(g, r)
	}
	return edges
}

// planRoutes gives each route the shape that crosses the others least.
// A first pass plans the routes in order, each against those before it;
// then each route in turn is taken up and planned again against all the
// others (rip-up and reroute), while that removes crossings.
func planRoutes(g *grid, order []*route, occupied map[[2]int]bool) {
	cands := make([][]candidate, len(order))
	chosen := make([]int, len(order))
	ix := newSegIndex(g.right(), g.bottom())
	for i, r := range order {
		cands[i] = candidates(g, r, occupied)
		chosen[i] = choose(cands[i], ix)
		ix.add(i, cands[i][chosen[i]].pts)
	}
	for pass := 0; pass < reroutePasses; pass++ {
		changed := false
		for i := range order {
			old := cands[i][chosen[i]].pts
			ix.remove(i, old)
			if c := choose(cands[i], ix); c != chosen[i] {
				chosen[i], changed = c, true
			}
			ix.add(i, cands[i][chosen[i]].pts)
		}
		if !changed {
			break
		}
	}
	for i, r := range order {
		r.way = cands[i][chosen[i]].way
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
func candidates(g *grid, r *route, occupied map[[2]int]bool) []candidate {
	u, v := r.u, r.v
	freeRow := func(row, from, to int) bool {
		for c := from; c <= to; c++ {
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
	var cands []candidate
	add := func(sh shape, chanA, chanB, corr int, exit, entry side) {
		c := *r
		c.way = way{exit: exit, entry: entry, shape: sh, chanA: chanA, chanB: chanB, corr: corr}
		pts := approx(g, &c)
		cands = append(cands, candidate{way: c.way, pts: pts, cost: float64(len(pts)) + length(pts)/lengthScale})
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
		return cands
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
	for _, corr := range corridorChoices(lo, hi, u.row, v.row) {
		add(shapeCorridor, u.col+1, v.col, corr, sideRight, sideLeft)
	}
	return cands
}

// corridorChoices are the corridors a route between rows a and b may run
// through: every one from just above the higher end to just below the
// lower, or on long spans the four next to the ends and a sample between.
func corridorChoices(lo, hi, a, b int) []int {
	if hi-lo <= maxCorridorChoices {
		out := make([]int, 0, hi-lo+1)
		for c := lo; c <= hi; c++ {
			out = append(out, c)
		}
		return out
	}
	seen := map[int]bool{}
	var out []int
	for _, c := range []int{b, b + 1, a + 1, a} {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	step := (hi - lo) / maxCorridorChoices
	for c := lo + step; c < hi; c += step {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// maxCorridorChoices bounds the corridors tried for one route.
const maxCorridorChoices = 8

// choose keeps the candidate that crosses the filed routes least, then
// the one with fewest bends, then the shortest, then the first.
//
// A candidate's crossings are counted only as far as it could still win:
// each crossing costs crossingCost, so once those reach what the best so
// far costs, counting further changes nothing.
func choose(cands []candidate, ix *segIndex) int {
	best, bestCost := 0, -1.0
	for i, c := range cands {
		limit := -1
		if bestCost >= 0 {
			if c.cost >= bestCost {
				continue
			}
			limit = int((bestCost-c.cost)/crossingCost) + 1
		}
		cost := float64(ix.crossings(c.pts, limit))*crossingCost + c.cost
		if bestCost < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	return best
}

// crossingCost is what one crossing costs a candidate, in bends.
const crossingCost = 10

// candidate is one shape a route may take, with its approximate polyline
// and what it costs besides crossings: its bends and its length.
type candidate struct {
	way
	pts  []diagram.Point
	cost float64
}

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

// spreadPorts spreads the ends of routes along the right and left sides of
// rectangular nodes, ordered by where the other end lies, so that edges
// leave and arrive side by side instead of on top of each other. With
// bundle, routes into one target through its channel share one port.
func spreadPorts(g *grid, routes []*route, bundle bool) {
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
		keys := map[*route]portKey{}
		for _, r := range rs {
			keys[r] = portKeyOf(g, r, k.c, k.s)
		}
		sort.SliceStable(rs, func(i, j int) bool {
			if a, b := keys[rs[i]], keys[rs[j]]; a != b {
				return a.less(b)
			}
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

// portKey orders the routes meeting one side of a node from top to bottom
// so that they need not cross each other. Seen from the side, a route runs
// out to its track, up or down it to y, and then on away from the node or
// back past it. From the top: routes that go up and back (the one turning
// nearest the node first), up and on (the highest first), straight, down
// and on (the nearest first), and down and back (the lowest first).
type portKey struct {
	class int
	y     float64
}

func (a portKey) less(b portKey) bool {
	if a.class != b.class {
		return a.class < b.class
	}
	if a.class == 0 || a.class == 4 {
		return a.y > b.y
	}
	return a.y < b.y
}

func portKeyOf(g *grid, r *route, c *cell, s side) portKey {
	pts := approx(g, r)
	if r.v == c && r.entry == s {
		rev := make([]diagram.Point, len(pts))
		for i, p := range pts {
			rev[len(pts)-1-i] = p
		}
		pts = rev
	}
	if len(pts) < 3 {
		return portKey{class: 2}
	}
	out := 1.0 // the direction away from the node
	if s == sideLeft {
		out = -1
	}
	p, y := pts[0].Y, pts[2].Y
	back := len(pts) > 3 && (pts[3].X-pts[2].X)*out < 0
	switch {
	case y < p && back:
		return portKey{0, y}
	case y < p:
		return portKey{1, y}
	case y > p && back:
		return portKey{4, y}
	case y > p:
		return portKey{3, y}
	}
	return portKey{2, y}
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
		w, _ := g.labelSize(r.label)
		next[k] += w + 4
	}
}
