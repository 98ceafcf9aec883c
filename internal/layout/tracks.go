package layout

import (
	"cmp"
	"slices"

	"github.com/relsop/relsop/internal/diagram"
)

// interval is one run of a route in a channel or corridor, in preliminary
// coordinates: only the order of runs matters, and widening channels and
// corridors keeps it.
type interval struct {
	lo, hi float64
	r      *route
	which  int // 0 trackA (first channel), 1 trackB (last channel), 2 trackC (corridor)
	// The two ends of the run: where along the run they are (y in a
	// channel, x in a corridor) and on which side of the run's track the
	// connecting segment lies (-1 left/above, +1 right/below).
	ends [2]end
}

type end struct {
	at   float64
	side int
}

// assignTracks gives every run its own track in its channel or corridor
// (interval colouring: runs that overlap get different tracks), then sizes
// channels and corridors to hold their tracks and the labels beside them.
func assignTracks(g *grid, routes []*route, bundle bool) {
	sc := g.scratch
	sc.chans, sc.corrs = emptied(sc.chans, len(g.chanW)), emptied(sc.corrs, len(g.corrH))
	chans, corrs := sc.chans, sc.corrs
	corrY := func(r int) float64 { return g.corrTop(r) + g.corrH[r]/2 }
	chanX := func(k int) float64 { return g.chanLeft(k) + g.chanW[k]/2 }
	// run makes an interval from its two ends.
	run := func(r *route, which int, a, b end) interval {
		return interval{lo: min(a.at, b.at), hi: max(a.at, b.at), r: r, which: which, ends: [2]end{a, b}}
	}
	sideOf := func(from, to float64) int {
		if from < to {
			return -1
		}
		return 1
	}
	for _, r := range routes {
		src, dst := port(r.u, r.exit, r.srcY), port(r.v, r.entry, r.dstY)
		switch r.shape {
		case shapeRowU:
			chans[r.chanB] = append(chans[r.chanB], run(r, 1, end{src.Y, -1}, end{dst.Y, 1}))
		case shapeRowV:
			chans[r.chanA] = append(chans[r.chanA], run(r, 0, end{src.Y, -1}, end{dst.Y, 1}))
		case shapeCorridor:
			y := corrY(r.corr)
			xa, xb := chanX(r.chanA), chanX(r.chanB)
			chans[r.chanA] = append(chans[r.chanA], run(r, 0, end{src.Y, -1}, end{y, -sideOf(xa, xb)}))
			chans[r.chanB] = append(chans[r.chanB], run(r, 1, end{y, sideOf(xa, xb)}, end{dst.Y, 1}))
			corrs[r.corr] = append(corrs[r.corr], run(r, 2, end{xa, sideOf(src.Y, y)}, end{xb, sideOf(dst.Y, y)}))
		case shapeDrop:
			y := corrY(r.corr)
			xb := chanX(r.chanB)
			chans[r.chanB] = append(chans[r.chanB], run(r, 1, end{y, sideOf(xb, src.X)}, end{dst.Y, 1}))
			corrs[r.corr] = append(corrs[r.corr], run(r, 2, end{src.X, sideOf(src.Y, y)}, end{xb, sideOf(dst.Y, y)}))
		}
	}
	// Labels: a right-hand exit's label sits in the channel right of its
	// node, before the first track; a vertex exit's label in the band of
	// the corridor next to its node.
	reserve := cleared(g.chanReserve, len(g.chanW))
	topBand := cleared(g.corrTopBand, len(g.corrH))
	bottomBand := cleared(g.corrBottomBand, len(g.corrH))
	for _, r := range routes {
		if r.label == "" {
			continue
		}
		w, h := r.labelW, r.labelH
		switch r.exit {
		case sideRight:
			k := r.u.col + 1
			reserve[k] = max(reserve[k], r.labelShift+w+8)
		case sideBottom:
			topBand[r.u.row+1] = max(topBand[r.u.row+1], h+6)
		case sideTop:
			bottomBand[r.u.row] = max(bottomBand[r.u.row], h+6)
		}
	}
	for k, ivs := range chans {
		if len(ivs) > 0 {
			n := colour(sc, ivs, bundle)
			g.chanW[k] = max(g.gapX, reserve[k]+float64(n+1)*trackGap)
		}
	}
	for k := range g.chanW {
		g.chanW[k] = max(g.chanW[k], reserve[k]+2*trackGap)
	}
	for k, ivs := range corrs {
		if len(ivs) > 0 {
			n := colour(sc, ivs, false)
			g.corrH[k] = max(g.gapY, topBand[k]+bottomBand[k]+float64(n+1)*trackGap)
		}
	}
	for k := range g.corrH {
		g.corrH[k] = max(g.corrH[k], topBand[k]+bottomBand[k]+2*trackGap)
	}
	g.chanReserve, g.chanTracks = reserve, counts(g.chanTracks, chans)
	g.corrTopBand, g.corrBottomBand, g.corrTracks = topBand, bottomBand, counts(g.corrTracks, corrs)
}

// colour gives each run its own track, ordered so that the runs cross
// each other as little as possible, and returns the number of tracks.
// With bundle, runs into one target through its channel share a track:
// they join into one trunk that meets the target at one port.
func colour(sc *scratch, ivs []interval, bundle bool) int {
	runs := ivs
	if bundle {
		runs = bundled(sc, ivs)
	}
	slices.SortStableFunc(runs, func(a, b interval) int { return cmp.Compare(a.lo, b.lo) })
	// Adjacent swaps while they remove crossings: a run's order decides
	// which connecting segments cross which runs, and the count for a pair
	// depends only on the pair.
	for improved := true; improved; {
		improved = false
		for i := 0; i+1 < len(runs); i++ {
			if crossCost(runs[i+1], runs[i]) < crossCost(runs[i], runs[i+1]) {
				runs[i], runs[i+1] = runs[i+1], runs[i]
				improved = true
			}
		}
	}
	for t, iv := range runs {
		iv.r.setTrack(iv.which, t)
	}
	if bundle {
		joinTrunks(sc, ivs)
	}
	return len(runs)
}

// setTrack gives the route's run in its first channel (which 0), last
// channel (1) or corridor (2) track t.
func (r *route) setTrack(which, t int) {
	switch which {
	case 0:
		r.trackA = t
	case 1:
		r.trackB = t
	default:
		r.trackC = t
	}
}

// bundled merges the last-channel runs that lead into the same target into
// one run spanning them all, the trunk, which is the first of them grown.
// The result lives in sc.merged until the next call.
func bundled(sc *scratch, ivs []interval) []interval {
	out := sc.merged[:0]
	for _, iv := range ivs {
		if iv.which != 1 {
			out = append(out, iv)
			continue
		}
		i := trunkOf(sc, iv.r.v)
		if *i < 0 {
			*i = len(out)
			out = append(out, iv)
			continue
		}
		b := &out[*i]
		b.lo, b.hi = min(b.lo, iv.lo), max(b.hi, iv.hi)
		b.ends = [2]end{{b.lo, 0}, {b.hi, 0}}
	}
	for _, iv := range out {
		if iv.which == 1 {
			*trunkOf(sc, iv.r.v) = -1 // ready for the next call
		}
	}
	sc.merged = out
	return out
}

// joinTrunks gives the routes whose runs in ivs bundled merged into a
// trunk the trunk's track: that of the first of them.
func joinTrunks(sc *scratch, ivs []interval) {
	for i, iv := range ivs {
		if iv.which != 1 {
			continue
		}
		if first := trunkOf(sc, iv.r.v); *first < 0 {
			*first = i
		} else {
			iv.r.trackB = ivs[*first].r.trackB
		}
	}
	for _, iv := range ivs {
		if iv.which == 1 {
			*trunkOf(sc, iv.r.v) = -1 // ready for the next call
		}
	}
}

// trunkOf is where bundled and joinTrunks note the index of the trunk into
// target c, -1 while there is none.
func trunkOf(sc *scratch, c *cell) *int {
	for len(sc.trunkOf) <= c.id {
		sc.trunkOf = append(sc.trunkOf, -1)
	}
	return &sc.trunkOf[c.id]
}

// crossCost counts the crossings between runs a and b when a takes the
// track before b: a segment leaving a on b's side crosses b's run if it
// lies strictly within b's span, and the other way round.
func crossCost(a, b interval) int {
	n := 0
	for _, e := range a.ends {
		if e.side > 0 && e.at > b.lo && e.at < b.hi {
			n++
		}
	}
	for _, e := range b.ends {
		if e.side < 0 && e.at > a.lo && e.at < a.hi {
			n++
		}
	}
	return n
}

// counts returns, in buf, how many tracks the runs in each channel or
// corridor use.
func counts(buf []int, runs [][]interval) []int {
	out := cleared(buf, len(runs))
	for k, ivs := range runs {
		used := 0
		for _, iv := range ivs {
			t := iv.r.trackA
			if iv.which == 1 {
				t = iv.r.trackB
			} else if iv.which == 2 {
				t = iv.r.trackC
			}
			used = max(used, t+1)
		}
		out[k] = used
	}
	return out
}

// trackX is the x of track t in channel k; trackY the y of track t in
// corridor r.
func (g *grid) trackX(k, t int) float64 {
	left := g.chanLeft(k) + g.chanReserve[k]
	w := g.chanW[k] - g.chanReserve[k]
	return round(left + w*float64(t+1)/float64(g.chanTracks[k]+1))
}

func (g *grid) trackY(r, t int) float64 {
	top := g.corrTop(r) + g.corrTopBand[r]
	h := g.corrH[r] - g.corrTopBand[r] - g.corrBottomBand[r]
	return round(top + h*float64(t+1)/float64(g.corrTracks[r]+1))
}

// edgeSet holds the edges of one routing attempt, their points and
// label texts in two blocks allocated once for all of them. A set is
// used again for a later attempt once the attempt it holds has lost.
type edgeSet struct {
	edges []diagram.Edge
	pts   []diagram.Point
	texts []diagram.Text
}

// reset empties s to hold the edges of routes. The blocks are made large
// enough for any attempt at routes, so that they never grow (and move
// the points of the edges built already).
func (s *edgeSet) reset(routes []*route) {
	labels := 0
	for _, r := range routes {
		if r.label != "" {
			labels++
		}
	}
	// A nil list of edges would be "edges": null in the JSON geometry; a
	// drawing without flows has an empty one, fresh or reused alike.
	if s.edges == nil || cap(s.edges) < len(routes) || cap(s.pts) < len(pathBuf{})*len(routes) || cap(s.texts) < labels {
		*s = edgeSet{edges: make([]diagram.Edge, 0, len(routes)), pts: make([]diagram.Point, 0, len(pathBuf{})*len(routes)), texts: make([]diagram.Text, 0, labels)}
	}
	s.edges, s.pts, s.texts = s.edges[:0], s.pts[:0], s.texts[:0]
}

// keep copies pts into the points' block and returns the copy.
func (b *edgeSet) keep(pts []diagram.Point) []diagram.Point {
	n := len(b.pts)
	b.pts = append(b.pts, pts...)
	return b.pts[n:len(b.pts):len(b.pts)]
}

// text copies t into the texts' block and returns the copy.
func (b *edgeSet) text(t diagram.Text) *diagram.Text {
	b.texts = append(b.texts, t)
	return &b.texts[len(b.texts)-1]
}

// build writes a route as an edge with final coordinates and its label.
func build(g *grid, r *route, blocks *edgeSet) diagram.Edge {
	src, dst := port(r.u, r.exit, r.srcY), port(r.v, r.entry, r.dstY)
	src, dst = roundPt(src), roundPt(dst)
	var buf pathBuf
	pts := buf[:0]
	switch r.shape {
	case shapeVertical:
		pts = append(pts, src, diagram.Point{X: src.X, Y: dst.Y})
	case shapeRowU:
		x := g.trackX(r.chanB, r.trackB)
		pts = append(pts, src, diagram.Point{X: x, Y: src.Y}, diagram.Point{X: x, Y: dst.Y}, dst)
	case shapeRowV:
		x := g.trackX(r.chanA, r.trackA)
		pts = append(pts, src, diagram.Point{X: x, Y: src.Y}, diagram.Point{X: x, Y: dst.Y}, dst)
	case shapeCorridor:
		xa, xb, y := g.trackX(r.chanA, r.trackA), g.trackX(r.chanB, r.trackB), g.trackY(r.corr, r.trackC)
		pts = append(pts, src, diagram.Point{X: xa, Y: src.Y}, diagram.Point{X: xa, Y: y}, diagram.Point{X: xb, Y: y}, diagram.Point{X: xb, Y: dst.Y}, dst)
	case shapeDrop:
		xb, y := g.trackX(r.chanB, r.trackB), g.trackY(r.corr, r.trackC)
		pts = append(pts, src, diagram.Point{X: src.X, Y: y}, diagram.Point{X: xb, Y: y}, diagram.Point{X: xb, Y: dst.Y}, dst)
	}
	e := diagram.Edge{From: r.flow.From, To: r.flow.To, Kind: string(r.flow.Kind), Label: r.label, Points: blocks.keep(simplify(pts))}
	if r.label != "" {
		w, h := r.labelW, r.labelH
		var box diagram.Rect
		switch r.exit {
		case sideRight:
			box = diagram.Rect{X: src.X + 4, Y: src.Y - h - 1, W: w, H: h}
		case sideBottom:
			box = diagram.Rect{X: src.X + 4, Y: src.Y + 3, W: w, H: h}
		case sideTop:
			box = diagram.Rect{X: src.X + 4, Y: src.Y - h - 3, W: w, H: h}
		default:
			box = diagram.Rect{X: src.X + 4, Y: src.Y + 3, W: w, H: h}
		}
		box = diagram.Rect{X: round(box.X + r.labelShift), Y: round(box.Y), W: round(box.W), H: round(box.H)}
		e.LabelBox = box
		e.LabelAt = blocks.text(diagram.Text{Text: r.label, X: round(box.X + 5), Y: round(box.Y + labelFont + 1), Width: round(w - 10), Size: labelFont})
	}
	return e
}

func roundPt(p diagram.Point) diagram.Point { return diagram.Point{X: round(p.X), Y: round(p.Y)} }

// simplify drops repeated points and points in the middle of a straight
// run, in place.
func simplify(pts []diagram.Point) []diagram.Point {
	out := pts[:0] // never ahead of the point being read
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		if n := len(out); n >= 2 {
			a, b := out[n-2], out[n-1]
			if (a.X == b.X && b.X == p.X) || (a.Y == b.Y && b.Y == p.Y) {
				out[n-1] = p
				continue
			}
		}
		out = append(out, p)
	}
	return out
}
