package layout

import "sync"

// scratch holds the working buffers of routing. Compute routes the same
// flows several times (each attempt, each unblock trial), and these
// buffers, kept by the grid, are reused from one routing to the next
// instead of being allocated afresh each time. Each Compute call has one
// to itself (see scratchPool), so nothing here is shared between
// goroutines.
type scratch struct {
	occupied []bool // row-major over the grid: a node sits in (row, col)
	cols     int    // the row length of occupied

	routes    []route  // newRoutes: the routes of the routing under way
	routePtrs []*route // pointers to them, in file order
	order     []*route // routes in planning order
	plan      []way    // planned: each route's way, in file order
	cands     []candidate
	routeCand [][]candidate // each route's slice of cands
	chosen    []int         // each route's chosen candidate
	reach     []bounds      // each route's candidates' bounds
	stale     []bool        // each route: to be planned again
	corridors []int
	ix        segIndex

	// spreadPorts: route ends on node sides, side by side; where each
	// side's run begins, and how much of it is filled.
	ends       []portEnd
	sideBegin  []int
	sideFilled []int

	chans, corrs [][]interval // assignTracks: runs in each channel and corridor
	merged       []interval   // bundled: runs after joining trunks
	trunkOf      []int        // bundled, joinTrunks: per cell, its trunk's index (-1: none)

	wonPlace   placement // routeEdges: the placement of the attempt winning so far
	spareEdges edgeSet   // routeEdges: the blocks of an attempt that lost
}

// markOccupied records which grid cells hold a node, for candidates to
// keep routes out of them.
func (s *scratch) markOccupied(g *grid) {
	rows, cols := 0, 0
	for _, c := range g.cells {
		rows, cols = max(rows, c.row+1), max(cols, c.col+1)
	}
	s.occupied, s.cols = cleared(s.occupied, rows*cols), cols
	for _, c := range g.cells {
		s.occupied[c.row*cols+c.col] = true
	}
}

// isOccupied reports whether a node sits at (row, col); outside the grid
// nothing does.
func (s *scratch) isOccupied(row, col int) bool {
	if row < 0 || col < 0 || col >= s.cols {
		return false
	}
	i := row*s.cols + col
	return i < len(s.occupied) && s.occupied[i]
}

// cleared returns buf resized to n and filled with zero values, reusing
// its memory when it is large enough.
func cleared[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// emptied returns bufs resized to n with every buffer in it emptied but
// keeping its memory.
func emptied[T any](bufs [][]T, n int) [][]T {
	if cap(bufs) < n {
		bufs = append(bufs[:cap(bufs)], make([][]T, n-cap(bufs))...)
	}
	bufs = bufs[:n]
	for i := range bufs {
		bufs[i] = bufs[i][:0]
	}
	return bufs
}

// scratchPool keeps scratch buffers from one Compute call for a later one,
// which then need not grow them again. Each call takes one of its own
// (newGrid) and gives it back when it is done (release); nothing in a
// drawing points into one.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// release gives s back to the pool, first dropping its pointers to routes
// and cells so that a pooled buffer keeps no SOP alive. s must not be used
// after.
func (s *scratch) release() {
	forget(s.routes)
	forget(s.routePtrs)
	forget(s.order)
	forget(s.ends)
	forget(s.merged)
	forget(s.spareEdges.edges)
	forget(s.spareEdges.texts)
	for _, runs := range [][][]interval{s.chans, s.corrs} {
		for _, ivs := range runs[:cap(runs)] {
			forget(ivs)
		}
	}
	scratchPool.Put(s)
}

// forget zeroes all of buf's memory, beyond its length too.
func forget[T any](buf []T) { clear(buf[:cap(buf)]) }
