package textdiff

// differ finds which lines of a are deleted and which of b are inserted,
// with lines interned as integers so that comparing two is one instruction.
type differ struct {
	a, b              []int
	deleted, inserted []bool
	// Forward and backward furthest-reaching x for each diagonal k, at
	// offset len(a)+len(b)+1; reused by every bisection.
	fwd, bwd []int
}

func newDiffer(a, b []string) *differ {
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	size := 2*(len(a)+len(b)) + 3
	return &differ{
		a: intern(a), b: intern(b),
		deleted: make([]bool, len(a)), inserted: make([]bool, len(b)),
		fwd: make([]int, size), bwd: make([]int, size),
	}
}

// compare marks the differences between a[alo:ahi] and b[blo:bhi]: it
// trims the common ends, splits the rest at the middle of a shortest edit
// path and recurses on both halves.
func (d *differ) compare(alo, ahi, blo, bhi int) {
	for alo < ahi && blo < bhi && d.a[alo] == d.b[blo] {
		alo, blo = alo+1, blo+1
	}
	for alo < ahi && blo < bhi && d.a[ahi-1] == d.b[bhi-1] {
		ahi, bhi = ahi-1, bhi-1
	}
	if alo == ahi || blo == bhi {
		for i := alo; i < ahi; i++ {
			d.deleted[i] = true
		}
		for j := blo; j < bhi; j++ {
			d.inserted[j] = true
		}
		return
	}
	x, y, ok := d.bisect(alo, ahi, blo, bhi)
	if !ok || (x == alo && y == blo) || (x == ahi && y == bhi) {
		// No useful split (nothing in common): replace the whole range.
		d.compare(alo, alo, blo, bhi)
		d.compare(alo, ahi, bhi, bhi)
		return
	}
	d.compare(alo, x, blo, y)
	d.compare(x, ahi, y, bhi)
}

// bisect finds the middle snake of a shortest edit path between
// a[alo:ahi] and b[blo:bhi] by searching forward from the start and
// backward from the end until the two searches overlap (Myers 1986,
// section 4b). It returns the point where the forward path meets the
// overlap, in absolute coordinates.
func (d *differ) bisect(alo, ahi, blo, bhi int) (x, y int, ok bool) {
	n, m := ahi-alo, bhi-blo
	maxD := (n + m + 1) / 2
	off := len(d.fwd) / 2
	for k := -maxD - 1; k <= maxD+1; k++ {
		d.fwd[off+k], d.bwd[off+k] = -1, -1
	}
	d.fwd[off+1], d.bwd[off+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	// k1lo/k1hi (k2lo/k2hi) trim diagonals whose paths left the grid.
	k1lo, k1hi, k2lo, k2hi := 0, 0, 0, 0
	for step := 0; step < maxD; step++ {
		for k := -step + k1lo; k <= step-k1hi; k += 2 {
			var x1 int
			if k == -step || (k != step && d.fwd[off+k-1] < d.fwd[off+k+1]) {
				x1 = d.fwd[off+k+1]
			} else {
				x1 = d.fwd[off+k-1] + 1
			}
			y1 := x1 - k
			for x1 < n && y1 < m && d.a[alo+x1] == d.b[blo+y1] {
				x1, y1 = x1+1, y1+1
			}
			d.fwd[off+k] = x1
			switch {
			case x1 > n:
				k1hi += 2
			case y1 > m:
				k1lo += 2
			case odd:
				k2 := delta - k
				if k2 >= -maxD-1 && k2 <= maxD+1 && d.bwd[off+k2] != -1 && x1 >= n-d.bwd[off+k2] {
					return alo + x1, blo + y1, true
				}
			}
		}
		for k := -step + k2lo; k <= step-k2hi; k += 2 {
			var x2 int
			if k == -step || (k != step && d.bwd[off+k-1] < d.bwd[off+k+1]) {
				x2 = d.bwd[off+k+1]
			} else {
				x2 = d.bwd[off+k-1] + 1
			}
			y2 := x2 - k
			for x2 < n && y2 < m && d.a[alo+n-x2-1] == d.b[blo+m-y2-1] {
				x2, y2 = x2+1, y2+1
			}
			d.bwd[off+k] = x2
			switch {
			case x2 > n:
				k2hi += 2
			case y2 > m:
				k2lo += 2
			case !odd:
				k1 := delta - k
				if k1 >= -maxD-1 && k1 <= maxD+1 && d.fwd[off+k1] != -1 {
					x1 := d.fwd[off+k1]
					if x1 >= n-x2 {
						return alo + x1, blo + x1 - k1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}
