package layout

import (
	"cmp"
	"slices"
)

// filePorts files the ends of routes on the right and left sides of
// rectangular nodes, each side's ordered by where the other end lies, for
// spreadPorts to spread. The order depends only on the routes' ways and
// the grid as planning left it, so it is worked out once per planning
// rather than once per attempt.
func filePorts(g *grid, routes []*route) {
	// File the ends by node side, keeping the order of the routes: count
	// each side's ends to know where its run in ends begins, then fill
	// the runs.
	sc := g.scratch
	begin := cleared(sc.sideBegin, 2*len(g.cells)+1)
	for _, r := range routes {
		if onSide(r.exit) {
			begin[sideIndex(r.u, r.exit)+1]++
		}
		if onSide(r.entry) {
			begin[sideIndex(r.v, r.entry)+1]++
		}
	}
	for k := 1; k < len(begin); k++ {
		begin[k] += begin[k-1]
	}
	ends := cleared(sc.ends, begin[len(begin)-1])
	filled := cleared(sc.sideFilled, len(begin)-1)
	file := func(r *route, c *cell, s side) {
		k := sideIndex(c, s)
		ends[begin[k]+filled[k]] = portEnd{r: r, c: c, s: s, key: portKeyOf(g, r, c, s)}
		filled[k]++
	}
	for _, r := range routes {
		if onSide(r.exit) {
			file(r, r.u, r.exit)
		}
		if onSide(r.entry) {
			file(r, r.v, r.entry)
		}
	}
	sc.sideBegin, sc.ends, sc.sideFilled = begin, ends, filled
	for k := 0; k+1 < len(begin); k++ {
		slices.SortStableFunc(ends[begin[k]:begin[k+1]], func(a, b portEnd) int {
			return cmp.Or(a.key.compare(b.key), cmp.Compare(a.other().row, b.other().row), cmp.Compare(a.other().col, b.other().col))
		})
	}
}

// spreadPorts spreads the route ends filePorts filed along their sides, in
// order, so that edges leave and arrive side by side instead of on top of
// each other. With bundle, routes into one target through its channel
// share one port.
func spreadPorts(g *grid, bundle bool) {
	sc := g.scratch
	for k := 0; k+1 < len(sc.sideBegin); k++ {
		if side := sc.ends[sc.sideBegin[k]:sc.sideBegin[k+1]]; len(side) > 0 {
			spreadSide(side, bundle)
		}
	}
}

// onSide is whether s is a side with room for several ports; a top or
// bottom vertex has one.
func onSide(s side) bool { return s == sideRight || s == sideLeft }

// sideIndex numbers the right and left sides of the nodes.
func sideIndex(c *cell, s side) int {
	if s == sideLeft {
		return 2*c.id + 1
	}
	return 2 * c.id
}

// spreadSide spreads the ends on one side of a node, in order.
func spreadSide(ends []portEnd, bundle bool) {
	c, s := ends[0].c, ends[0].s
	// Bundled routes reach the target through its channel as one trunk,
	// at one port: only the first of them takes a place on the side, after
	// all the others.
	joins := func(r *route) bool { return r.v == c && r.entry == sideLeft && r.shape != shapeRowV }
	trunk := 0
	if bundle && s == sideLeft {
		for _, e := range ends {
			if joins(e.r) {
				trunk++
			}
		}
	}
	if trunk < 2 {
		trunk = 0
	}
	places := len(ends) - max(trunk-1, 0)
	frac := func(i int) float64 { return float64(i+1) / float64(places+1) }
	i := 0
	for _, e := range ends {
		if trunk > 0 && joins(e.r) {
			continue
		}
		if e.r.u == c && e.r.exit == s {
			e.r.srcY = frac(i)
		}
		if e.r.v == c && e.r.entry == s {
			e.r.dstY = frac(i)
		}
		i++
	}
	if trunk > 0 {
		for _, e := range ends {
			if joins(e.r) {
				e.r.dstY = frac(places - 1)
			}
		}
	}
}

// portEnd is one end of a route on the left or right side of a node.
type portEnd struct {
	r   *route
	c   *cell
	s   side
	key portKey
}

// other is the cell at the route's other end.
func (e portEnd) other() *cell {
	if e.r.u == e.c {
		return e.r.v
	}
	return e.r.u
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

func (a portKey) compare(b portKey) int {
	if a.class != b.class {
		return cmp.Compare(a.class, b.class)
	}
	if a.class == 0 || a.class == 4 {
		return cmp.Compare(b.y, a.y)
	}
	return cmp.Compare(a.y, b.y)
}

func portKeyOf(g *grid, r *route, c *cell, s side) portKey {
	var buf pathBuf
	pts := buf.path(g, r, r.way)
	if r.v == c && r.entry == s {
		slices.Reverse(pts)
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
