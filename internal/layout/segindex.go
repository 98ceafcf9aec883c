package layout

import (
	"github.com/relsop/relsop/internal/diagram"
)

// segIndex finds which planned routes a polyline would cross, quickly: the
// segments of planned routes are filed in square buckets over the grid,
// so a query only looks at segments near its own. Each direction has its
// own buckets: parallel segments never cross properly, so a query looks
// only at the directions its segments can cross.
type segIndex struct {
	nx, ny  int
	buckets [directions][][]seg
}

// seg is a filed segment. It is kept small, as queries scan many: it
// holds its bounds, which most queries need, and its ends only as which
// corners of the bounds they are.
type seg struct {
	bounds
	bx0, by0     int32 // the bucket of the low corner of its bounds
	owner        int32
	flipX, flipY bool // the first end has the high x, the high y
}

// newSeg makes the segment from a to b of route owner; its buckets are
// for the index to fill in.
func newSeg(a, b diagram.Point, owner int) seg {
	return seg{bounds: boundsOf(a, b), owner: int32(owner), flipX: a.X > b.X, flipY: a.Y > b.Y}
}

// ends are the segment's ends, in the order they were filed.
func (s *seg) ends() (a, b diagram.Point) {
	a, b = diagram.Point{X: s.x0, Y: s.y0}, diagram.Point{X: s.x1, Y: s.y1}
	if s.flipX {
		a.X, b.X = b.X, a.X
	}
	if s.flipY {
		a.Y, b.Y = b.Y, a.Y
	}
	return a, b
}

// direction is which way a segment runs. Routes run almost only across
// and down; a slanted segment is rare but possible (a straight run down
// between boxes whose centres differ by a rounding).
type direction int

const (
	across direction = iota
	down
	slanted
	directions
)

// directionOf is which way the segment from a to b runs; ok is false when
// a and b are one point, which crosses nothing.
func directionOf(a, b diagram.Point) (d direction, ok bool) {
	switch {
	case a == b:
		return 0, false
	case a.Y == b.Y:
		return across, true
	case a.X == b.X:
		return down, true
	}
	return slanted, true
}

// crossable is whether a segment running d can cross one running e: two
// segments across (or two down) are parallel, and SegmentsCross never
// counts them.
func crossable(d, e direction) bool { return d != e || d == slanted }

// bounds are the low and high corners of the box around a segment.
type bounds struct{ x0, y0, x1, y1 float64 }

func boundsOf(a, b diagram.Point) bounds {
	return bounds{x0: min(a.X, b.X), y0: min(a.Y, b.Y), x1: max(a.X, b.X), y1: max(a.Y, b.Y)}
}

// pathBounds is the box around a polyline of at least one point.
func pathBounds(pts []diagram.Point) bounds {
	b := bounds{x0: pts[0].X, y0: pts[0].Y, x1: pts[0].X, y1: pts[0].Y}
	for _, p := range pts[1:] {
		b = b.union(bounds{x0: p.X, y0: p.Y, x1: p.X, y1: p.Y})
	}
	return b
}

// union is the box around b and o.
func (b bounds) union(o bounds) bounds {
	return bounds{x0: min(b.x0, o.x0), y0: min(b.y0, o.y0), x1: max(b.x1, o.x1), y1: max(b.y1, o.y1)}
}

// meets is whether b and o share a point, edges included.
func (b bounds) meets(o bounds) bool {
	return !(b.x1 < o.x0 || o.x1 < b.x0 || b.y1 < o.y0 || o.y1 < b.y0)
}

// bucketSize is the side of a bucket in diagram units: a few nodes.
// Coordinates are multiplied by perBucket rather than divided by it,
// which is quicker; any rounding is the same for every segment.
const (
	bucketSize = 400.0
	perBucket  = 1 / bucketSize
)

// reset empties the index and makes it cover a w × h drawing; points
// outside it are filed in the buckets at its edge. The buckets keep their
// memory for the segments filed next.
func (ix *segIndex) reset(w, h float64) {
	ix.nx, ix.ny = int(w*perBucket)+1, int(h*perBucket)+1
	for d := range ix.buckets {
		ix.buckets[d] = emptied(ix.buckets[d], ix.nx*ix.ny)
	}
}

func bucketOf(v float64, n int) int {
	return min(max(int(v*perBucket), 0), n-1)
}

// span is the range of buckets a segment with bounds s covers.
func (ix *segIndex) span(s bounds) (bx0, by0, bx1, by1 int) {
	return bucketOf(s.x0, ix.nx), bucketOf(s.y0, ix.ny), bucketOf(s.x1, ix.nx), bucketOf(s.y1, ix.ny)
}

func (ix *segIndex) add(owner int, pts []diagram.Point) {
	for i := 1; i < len(pts); i++ {
		d, ok := directionOf(pts[i-1], pts[i])
		if !ok {
			continue
		}
		s := newSeg(pts[i-1], pts[i], owner)
		bx0, by0, bx1, by1 := ix.span(s.bounds)
		s.bx0, s.by0 = int32(bx0), int32(by0)
		for by := by0; by <= by1; by++ {
			for bx := bx0; bx <= bx1; bx++ {
				k := by*ix.nx + bx
				ix.buckets[d][k] = append(ix.buckets[d][k], s)
			}
		}
	}
}

func (ix *segIndex) remove(owner int, pts []diagram.Point) {
	for i := 1; i < len(pts); i++ {
		d, ok := directionOf(pts[i-1], pts[i])
		if !ok {
			continue
		}
		bx0, by0, bx1, by1 := ix.span(boundsOf(pts[i-1], pts[i]))
		for by := by0; by <= by1; by++ {
			for bx := bx0; bx <= bx1; bx++ {
				k := by*ix.nx + bx
				kept := ix.buckets[d][k][:0]
				for _, s := range ix.buckets[d][k] {
					if s.owner != int32(owner) {
						kept = append(kept, s)
					}
				}
				ix.buckets[d][k] = kept
			}
		}
	}
}

// crossings counts the proper crossings of pts with the filed segments
// of every owner but skip, stopping at limit when limit is not negative.
// As it stops only there, the count does not depend on the order of the
// segments in their buckets.
// A pair of segments that share several buckets is counted in one only:
// the bucket holding the low corner of where their bounds meet. As
// bucketOf never decreases, that corner's bucket is the larger of the two
// segments' low-corner buckets, in x and in y.
func (ix *segIndex) crossings(pts []diagram.Point, skip, limit int) int {
	n := 0
	for i := 1; i < len(pts); i++ {
		qa, qb := pts[i-1], pts[i]
		qd, ok := directionOf(qa, qb)
		if !ok {
			continue
		}
		q := boundsOf(qa, qb)
		bx0, by0, bx1, by1 := ix.span(q)
		for d := range directions {
			if !crossable(qd, d) {
				continue
			}
			for by := by0; by <= by1; by++ {
				for bx := bx0; bx <= bx1; bx++ {
					bucket := ix.buckets[d][by*ix.nx+bx]
					for j := range bucket {
						s := &bucket[j]
						if s.owner == int32(skip) {
							continue
						}
						if !s.meets(q) {
							continue
						}
						if max(int(s.bx0), bx0) != bx || max(int(s.by0), by0) != by {
							continue
						}
						if sa, sb := s.ends(); diagram.SegmentsCross(qa, qb, sa, sb) {
							if n++; n == limit {
								return n
							}
						}
					}
				}
			}
		}
	}
	return n
}
