package layout

import (
	"github.com/relsop/relsop/internal/diagram"
)

// segIndex finds which planned routes a polyline would cross, quickly: the
// segments of planned routes are filed in square buckets over the grid,
// so a query only looks at segments near its own.
type segIndex struct {
	nx, ny  int
	buckets [][]seg
}

type seg struct {
	a, b           diagram.Point
	x0, y0, x1, y1 float64
	bx0, by0       int // the bucket of the low corner (x0, y0)
	owner          int
}

// bucketSize is the side of a bucket in diagram units: a few nodes.
const bucketSize = 400.0

// newSegIndex covers a w × h drawing; points outside it are filed in the
// buckets at its edge.
func newSegIndex(w, h float64) *segIndex {
	nx, ny := int(w/bucketSize)+1, int(h/bucketSize)+1
	return &segIndex{nx: nx, ny: ny, buckets: make([][]seg, nx*ny)}
}

func makeSeg(a, b diagram.Point, owner int) seg {
	return seg{a: a, b: b, x0: min(a.X, b.X), y0: min(a.Y, b.Y), x1: max(a.X, b.X), y1: max(a.Y, b.Y), owner: owner}
}

func bucketOf(v float64, n int) int {
	return min(max(int(v/bucketSize), 0), n-1)
}

// span is the range of buckets a segment covers.
func (ix *segIndex) span(s seg) (bx0, by0, bx1, by1 int) {
	return bucketOf(s.x0, ix.nx), bucketOf(s.y0, ix.ny), bucketOf(s.x1, ix.nx), bucketOf(s.y1, ix.ny)
}

func (ix *segIndex) add(owner int, pts []diagram.Point) {
	for i := 1; i < len(pts); i++ {
		s := makeSeg(pts[i-1], pts[i], owner)
		bx0, by0, bx1, by1 := ix.span(s)
		s.bx0, s.by0 = bx0, by0
		for by := by0; by <= by1; by++ {
			for bx := bx0; bx <= bx1; bx++ {
				k := by*ix.nx + bx
				ix.buckets[k] = append(ix.buckets[k], s)
			}
		}
	}
}

func (ix *segIndex) remove(owner int, pts []diagram.Point) {
	for i := 1; i < len(pts); i++ {
		bx0, by0, bx1, by1 := ix.span(makeSeg(pts[i-1], pts[i], owner))
		for by := by0; by <= by1; by++ {
			for bx := bx0; bx <= bx1; bx++ {
				k := by*ix.nx + bx
				kept := ix.buckets[k][:0]
				for _, s := range ix.buckets[k] {
					if s.owner != owner {
						kept = append(kept, s)
					}
				}
				ix.buckets[k] = kept
			}
		}
	}
}

// crossings counts the proper crossings of pts with the filed segments,
// stopping at limit when limit is not negative.
// A pair of segments that share several buckets is counted in one only:
// the bucket holding the low corner of where their bounds meet. As
// bucketOf never decreases, that corner's bucket is the larger of the two
// segments' low-corner buckets, in x and in y.
func (ix *segIndex) crossings(pts []diagram.Point, limit int) int {
	n := 0
	for i := 1; i < len(pts); i++ {
		q := makeSeg(pts[i-1], pts[i], -1)
		bx0, by0, bx1, by1 := ix.span(q)
		for by := by0; by <= by1; by++ {
			for bx := bx0; bx <= bx1; bx++ {
				bucket := ix.buckets[by*ix.nx+bx]
				for j := range bucket {
					s := &bucket[j] // segments are large: no copy
					if s.x1 < q.x0 || q.x1 < s.x0 || s.y1 < q.y0 || q.y1 < s.y0 {
						continue
					}
					if max(s.bx0, bx0) != bx || max(s.by0, by0) != by {
						continue
					}
					if diagram.SegmentsCross(q.a, q.b, s.a, s.b) {
						if n++; n == limit {
							return n
						}
					}
				}
			}
		}
	}
	return n
}
