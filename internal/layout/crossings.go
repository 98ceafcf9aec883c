package layout

import "github.com/relsop/relsop/internal/diagram"

// edgeCrossings counts the crossings between edges, which it files in
// ix, an emptied index: the number diagram.Crossings gives, found with
// the index instead of by trying every pair of edges. Each edge is
// checked against the edges before it, then filed. Counting stops at
// limit when limit is not negative.
//
// The index leaves out only pairs SegmentsCross never counts: segments
// of one point, parallel ones across or down, and segments whose bounds
// miss each other.
func (ix *segIndex) edgeCrossings(edges []diagram.Edge, limit int) int {
	n := 0
	for i, e := range edges {
		left := -1
		if limit >= 0 {
			left = limit - n
		}
		if n += ix.crossings(e.Points, -1, left); n == limit {
			return n
		}
		ix.add(i, e.Points)
	}
	return n
}
