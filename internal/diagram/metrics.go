package diagram

import "math"

// Metrics are the quality measures of a laid-out diagram (relsop stats).
// They are computed from the geometry alone, so the same counter can score
// another tool's layout of the same graph.
type Metrics struct {
	Nodes             int     `json:"nodes"`
	Edges             int     `json:"edges"`
	Crossings         int     `json:"crossings"`
	Bends             int     `json:"bends"`
	EdgeLength        float64 `json:"edge_length"`
	Area              float64 `json:"area"`
	Overlaps          int     `json:"overlaps"`
	EdgesThroughBoxes int     `json:"edges_through_boxes"`
	TextOverflows     int     `json:"text_overflows"`
	LayoutMS          float64 `json:"layout_ms"`
	RenderMS          float64 `json:"render_ms"`
}

// Measure computes the metrics of d (timings are left to the caller).
func Measure(d *Diagram) Metrics {
	m := Metrics{Nodes: len(d.Nodes), Edges: len(d.Edges), Area: round2(d.Width * d.Height)}
	for _, e := range d.Edges {
		if len(e.Points) > 2 {
			m.Bends += len(e.Points) - 2
		}
		for i := 1; i < len(e.Points); i++ {
			m.EdgeLength += dist(e.Points[i-1], e.Points[i])
		}
	}
	m.EdgeLength = round2(m.EdgeLength)
	m.Crossings = Crossings(d.Edges)
	m.Overlaps = overlaps(d)
	m.EdgesThroughBoxes = edgesThroughBoxes(d)
	m.TextOverflows = textOverflows(d)
	return m
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func dist(a, b Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// Crossings counts pairs of segments of different edges that cross at a
// point inside both (touching ends, shared ports and overlapping parallel
// runs are not crossings).
func Crossings(edges []Edge) int {
	// Edges whose bounding boxes do not meet cannot cross: checking boxes
	// first keeps the count fast on large diagrams.
	boxes := make([]Rect, len(edges))
	for i, e := range edges {
		boxes[i] = pointBounds(e.Points)
	}
	n := 0
	for i := range edges {
		for j := i + 1; j < len(edges); j++ {
			if !boxes[i].Overlaps(boxes[j]) {
				continue
			}
			a, b := edges[i].Points, edges[j].Points
			for p := 1; p < len(a); p++ {
				for q := 1; q < len(b); q++ {
					if SegmentsCross(a[p-1], a[p], b[q-1], b[q]) {
						n++
					}
				}
			}
		}
	}
	return n
}

// SegmentsCross reports a proper crossing of segments ab and cd.
func SegmentsCross(a, b, c, d Point) bool {
	d1 := orient(c, d, a)
	d2 := orient(c, d, b)
	d3 := orient(a, b, c)
	d4 := orient(a, b, d)
	return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
}

const eps = 1e-6

func orient(a, b, c Point) float64 { return (b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X) }

// footprint is everything a node occupies: its box and its text.
func footprint(n Node) Rect {
	r := n.Box
	for _, t := range n.Lines {
		r = union(r, textBox(t))
	}
	return r
}

func textBox(t Text) Rect {
	return Rect{X: t.X, Y: t.Y - t.Size*0.8, W: t.Width, H: t.Size}
}

func union(a, b Rect) Rect {
	x0, y0 := math.Min(a.X, b.X), math.Min(a.Y, b.Y)
	x1, y1 := math.Max(a.Right(), b.Right()), math.Max(a.Bottom(), b.Bottom())
	return Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// overlaps counts pairs of nodes whose footprints overlap, and edge labels
// that overlap a node or another label.
func overlaps(d *Diagram) int {
	n := 0
	fps := make([]Rect, len(d.Nodes))
	for i, nd := range d.Nodes {
		fps[i] = footprint(nd)
	}
	for i := range fps {
		for j := i + 1; j < len(fps); j++ {
			if fps[i].Overlaps(fps[j]) {
				n++
			}
		}
	}
	var labels []Rect
	for _, e := range d.Edges {
		if e.LabelAt != nil {
			labels = append(labels, e.LabelBox)
		}
	}
	for i, l := range labels {
		for _, fp := range fps {
			if l.Overlaps(fp) {
				n++
			}
		}
		for j := i + 1; j < len(labels); j++ {
			if l.Overlaps(labels[j]) {
				n++
			}
		}
	}
	return n
}

// edgesThroughBoxes counts edge segments that pass through the box of a
// node other than where they start or end.
func edgesThroughBoxes(d *Diagram) int {
	n := 0
	for _, e := range d.Edges {
		for _, nd := range d.Nodes {
			if nd.ID == e.From || nd.ID == e.To {
				continue
			}
			inner := Rect{X: nd.Box.X + 0.5, Y: nd.Box.Y + 0.5, W: nd.Box.W - 1, H: nd.Box.H - 1}
			for i := 1; i < len(e.Points); i++ {
				if segmentHitsRect(e.Points[i-1], e.Points[i], inner) {
					n++
					break
				}
			}
		}
	}
	return n
}

// segmentHitsRect reports whether an axis-aligned segment enters r.
func segmentHitsRect(a, b Point, r Rect) bool {
	s := Rect{X: math.Min(a.X, b.X), Y: math.Min(a.Y, b.Y), W: math.Abs(b.X - a.X), H: math.Abs(b.Y - a.Y)}
	return s.X <= r.Right() && r.X <= s.Right() && s.Y <= r.Bottom() && r.Y <= s.Bottom()
}

// textOverflows counts text lines of rectangular nodes that stick out of
// their box (start and end circles carry their names beside them).
func textOverflows(d *Diagram) int {
	n := 0
	for _, nd := range d.Nodes {
		if nd.Kind == "start" || nd.Kind == "end" {
			continue
		}
		for _, t := range nd.Lines {
			if !nd.Box.Contains(textBox(t)) {
				n++
			}
		}
	}
	return n
}

// pointBounds is the bounding box of points, grown by a unit so that boxes
// of lines that cross at a box edge still overlap.
func pointBounds(pts []Point) Rect {
	if len(pts) == 0 {
		return Rect{X: math.Inf(1), Y: math.Inf(1)}
	}
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts[1:] {
		x0, y0, x1, y1 = math.Min(x0, p.X), math.Min(y0, p.Y), math.Max(x1, p.X), math.Max(y1, p.Y)
	}
	return Rect{X: x0 - 1, Y: y0 - 1, W: x1 - x0 + 2, H: y1 - y0 + 2}
}
