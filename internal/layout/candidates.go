package layout

// Candidates: the shapes a route may take between its two cells, and the
// choice among them by bends, length and crossings with the routes planned
// so far.

import (
	"slices"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
)

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
