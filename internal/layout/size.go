package layout

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

// size wraps each step's name and sizes its node, then sizes the columns,
// rows and channels around them.
func (g *grid) size() {
	missing := map[rune]bool{}
	for _, c := range g.cells {
		name := nameOr(c.step.Name, c.step.ID)
		noteMissing(missing, name)
		switch c.step.Kind {
		case relsop.KindStart, relsop.KindEnd:
			c.lines = tm.Wrap(name, nodeFont, nodeTextW, false, 2)
			c.textW = textWidth(c.lines)
			c.w, c.h = circleD, circleD
		case relsop.KindGate:
			c.lines = tm.Wrap(name, nodeFont, gateTextW, false, 3)
			c.textW = textWidth(c.lines)
			// The text sits in the middle of a diamond, whose inscribed
			// rectangle is half its width and height.
			c.w = max(minNodeW, 2*(c.textW+8))
			c.h = max(72, 2*(float64(len(c.lines))*nodeFont*lineGap+4))
		default:
			c.lines = tm.Wrap(name, nodeFont, nodeTextW, false, nodeMaxLines)
			c.textW = textWidth(c.lines)
			c.w = max(minNodeW, c.textW+2*nodePad)
			c.h = max(minNodeH, float64(len(c.lines))*nodeFont*lineGap+2*nodePad)
			if c.step.Environment != "" && (c.step.Kind == relsop.KindDeploy || c.step.Kind == relsop.KindRollback) {
				c.h += 14 // room for the environment badge
			}
		}
	}
	if g.vertical {
		// Laid out transposed: a box's width runs along the flow.
		for _, c := range g.cells {
			c.w, c.h = c.h, c.w
		}
	}
	if len(missing) > 0 {
		var rs []rune
		for r := range missing {
			rs = append(rs, r)
		}
		g.warn("the diagram font has no glyphs for %d characters (such as %q); they are drawn with a fallback font", len(rs), string(sortRunes(rs)[:min(5, len(rs))]))
	}
	cols, rows := g.columns(), g.rows()
	g.colW = make([]float64, cols)
	g.rowH = make([]float64, rows)
	for i := range g.colW {
		g.colW[i] = minNodeW
	}
	for i := range g.rowH {
		g.rowH[i] = minNodeH
	}
	for _, c := range g.cells {
		fw, fh := g.footprint(c)
		g.colW[c.col] = max(g.colW[c.col], fw)
		g.rowH[c.row] = max(g.rowH[c.row], fh)
	}
	// Channels must hold the widest outcome label beside an edge run.
	g.gapX, g.gapY = minGapX, minGapY
	for _, c := range g.cells {
		for _, o := range c.step.Outcomes {
			w, _ := g.labelSize(o.Label)
			g.gapX = max(g.gapX, w+22)
		}
	}
	if g.vertical {
		// Between layers, one above the other, runs and labels need less
		// room than between lanes side by side.
		g.gapX, g.gapY = max(minGapY, g.gapX-minGapX+minGapY), minGapX
	}
}

// footprint is the space a step needs, in the grid's frame: its box, and
// for start and end circles the name written under the circle. In the
// horizontal layout the circle sits in the middle of its footprint, level
// with the boxes of its row, so flows meet it without a jog; the name
// below is balanced by as much room above.
func (g *grid) footprint(c *cell) (w, h float64) {
	if c.step.Kind == relsop.KindStart || c.step.Kind == relsop.KindEnd {
		below := 4 + float64(len(c.lines))*nodeFont*lineGap
		w, h = max(c.w, c.textW), c.h+below
		if g.vertical {
			return h, w
		}
		return w, h + below
	}
	return c.w, c.h
}

func textWidth(lines []string) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, tm.Width(l, nodeFont, false))
	}
	return w
}

// noteMissing notes in missing the characters of s the diagram font has
// no glyphs for. Names are nearly always ASCII, whose characters are
// looked up in a table made once.
func noteMissing(missing map[rune]bool, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range tm.Missing(s, false) {
				missing[r] = true
			}
			return
		}
	}
	lacks := asciiMissing()
	for i := 0; i < len(s); i++ {
		if lacks[s[i]] {
			missing[rune(s[i])] = true
		}
	}
}

// asciiMissing tells, for each ASCII character, whether tm.Missing would
// report it.
var asciiMissing = sync.OnceValue(func() *[utf8.RuneSelf]bool {
	var lacks [utf8.RuneSelf]bool
	for r := range rune(utf8.RuneSelf) {
		lacks[r] = len(tm.Missing(string(r), false)) > 0
	}
	return &lacks
})

func sortRunes(rs []rune) []rune {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j] < rs[j-1]; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	return rs
}

// place computes the position of every column, row and node, with
// channel k left of column k and corridor r above row r, as wide and
// high as they stand (narrowGaps, then assignTracks).
func (g *grid) place() {
	x := g.laneHdrAt + g.laneHdrW
	g.colX = cleared(g.colX, len(g.colW))
	for i, w := range g.colW {
		x += g.chanW[i]
		g.colX[i] = x
		x += w
	}
	y := g.phaseHdrAt + g.phaseHdrH
	g.rowY = cleared(g.rowY, len(g.rowH))
	for i, h := range g.rowH {
		y += g.corrH[i]
		g.rowY[i] = y
		y += h
	}
	for _, c := range g.cells {
		fw, fh := g.footprint(c)
		left := g.colX[c.col] + (g.colW[c.col]-fw)/2
		top := g.rowY[c.row] + (g.rowH[c.row]-fh)/2
		// Boxes and horizontal circles sit in the middle of their
		// footprint; a vertical circle (in the transposed frame) at the
		// left of it, above its name.
		c.x = round(left + (fw-c.w)/2)
		c.y = round(top + (fh-c.h)/2)
		if g.vertical {
			c.x = round(left)
		}
	}
}

// placement is what place leaves in the grid that changes from one
// routing attempt to the next: the sizes of channels and corridors, the
// positions of columns and rows, and the top-left corners of the nodes.
type placement struct {
	chanW, corrH []float64
	colX, rowY   []float64
	nodes        []diagram.Point
}

// save copies the grid's placement into p.
func (p *placement) save(g *grid) {
	p.chanW = append(p.chanW[:0], g.chanW...)
	p.corrH = append(p.corrH[:0], g.corrH...)
	p.colX = append(p.colX[:0], g.colX...)
	p.rowY = append(p.rowY[:0], g.rowY...)
	p.nodes = p.nodes[:0]
	for _, c := range g.cells {
		p.nodes = append(p.nodes, diagram.Point{X: c.x, Y: c.y})
	}
}

// restore puts back into the grid the placement saved in p.
func (p *placement) restore(g *grid) {
	g.chanW = append(g.chanW[:0], p.chanW...)
	g.corrH = append(g.corrH[:0], p.corrH...)
	g.colX = append(g.colX[:0], p.colX...)
	g.rowY = append(g.rowY[:0], p.rowY...)
	for i, c := range g.cells {
		c.x, c.y = p.nodes[i].X, p.nodes[i].Y
	}
}

// narrowGaps makes every channel and corridor as narrow as it may be,
// for routing to widen them again.
func (g *grid) narrowGaps() {
	g.chanW = filled(g.chanW, len(g.colW)+1, g.gapX)
	g.corrH = filled(g.corrH, len(g.rowH)+1, g.gapY)
}

// filled returns buf resized to n with every value v, reusing its memory
// when it is large enough.
func filled(buf []float64, n int, v float64) []float64 {
	buf = cleared(buf, n)
	for i := range buf {
		buf[i] = v
	}
	return buf
}

// chanLeft is the x where channel k begins; corrTop the y where corridor r
// begins.
func (g *grid) chanLeft(k int) float64 {
	if k == 0 {
		return g.laneHdrAt + g.laneHdrW
	}
	return g.colX[k-1] + g.colW[k-1]
}

func (g *grid) corrTop(r int) float64 {
	if r == 0 {
		return g.phaseHdrAt + g.phaseHdrH
	}
	return g.rowY[r-1] + g.rowH[r-1]
}

// right and bottom are where the grid ends.
func (g *grid) right() float64 { return g.chanLeft(len(g.colW)) + g.chanW[len(g.colW)] }

func (g *grid) bottom() float64 { return g.corrTop(len(g.rowH)) + g.corrH[len(g.rowH)] }

// box is the node box of a cell.
func (c *cell) box() diagram.Rect { return diagram.Rect{X: c.x, Y: c.y, W: c.w, H: c.h} }

// diagram builds the geometry of everything but edges and legend.
func (g *grid) diagram() *diagram.Diagram {
	top := g.phaseHdrAt
	d := &diagram.Diagram{Direction: "horizontal", Width: round(g.right() + margin), Lanes: []diagram.Lane{}, Phases: []diagram.Phase{}, Nodes: []diagram.Node{}, Edges: []diagram.Edge{}}
	d.Title = diagram.TitleBlock{Box: diagram.Rect{X: margin, Y: margin, W: round(g.right() - margin), H: titleH - 10}, Title: g.sop.Title,
		Version: g.sop.Version, Owner: g.sop.Owner, Status: string(g.sop.Status), ReleaseType: g.sop.ResolvedType}
	// Lanes.
	row := 0
	for li, l := range g.lanes {
		last := row + l.rows - 1
		y0 := g.corrTop(row) + g.corrH[row]/2
		if li == 0 {
			y0 = g.corrTop(0)
		}
		y1 := g.corrTop(last+1) + g.corrH[last+1]/2
		if li == len(g.lanes)-1 {
			y1 = g.bottom()
		}
		header := diagram.Rect{X: g.laneHdrAt, Y: round(y0), W: g.laneHdrW, H: round(y1 - y0)}
		d.Lanes = append(d.Lanes, diagram.Lane{ID: l.id, Name: l.name, Box: diagram.Rect{X: g.laneHdrAt, Y: round(y0), W: round(g.right() - g.laneHdrAt), H: round(y1 - y0)},
			Header: header, Lines: laneLines(l.name, header)})
		row += l.rows
	}
	// Phases.
	col := 0
	for pi, p := range g.phases {
		last := col + p.cols - 1
		x0 := g.chanLeft(col) + g.chanW[col]/2
		if pi == 0 {
			x0 = g.chanLeft(0)
		}
		x1 := g.chanLeft(last+1) + g.chanW[last+1]/2
		if pi == len(g.phases)-1 {
			x1 = g.right()
		}
		header := diagram.Rect{X: round(x0), Y: top, W: round(x1 - x0), H: g.phaseHdrH}
		d.Phases = append(d.Phases, diagram.Phase{ID: p.id, Name: p.name, Box: diagram.Rect{X: round(x0), Y: top, W: round(x1 - x0), H: round(g.bottom() - top)},
			Header: header, Lines: phaseLines(p.name, header)})
		col += p.cols
	}
	for _, c := range g.cells {
		st := c.step
		n := diagram.Node{ID: st.ID, Kind: string(st.Kind), Name: nameOr(st.Name, st.ID), Lane: g.lanes[c.lane].id, Phase: g.phases[c.phase].id, Box: c.box()}
		g.dressNode(&n, c)
		d.Nodes = append(d.Nodes, n)
	}
	d.Height = round(g.bottom() + margin)
	return d
}

// dressNode writes a node's name and badge into its box.
func (g *grid) dressNode(n *diagram.Node, c *cell) {
	st := c.step
	textArea := n.Box
	switch st.Kind {
	case relsop.KindStart, relsop.KindEnd:
		textArea = diagram.Rect{X: n.Box.X + n.Box.W/2 - 100, Y: n.Box.Bottom() + 4, W: 200, H: float64(len(c.lines)) * nodeFont * lineGap}
	}
	n.Badge = nil
	if (st.Kind == relsop.KindDeploy || st.Kind == relsop.KindRollback) && st.Environment != "" {
		textArea.H -= 14
		n.Badge = badge(g.sop, st.Environment, n.Box)
	}
	n.Lines = centred(c.lines, textArea, nodeFont, false)
}

// laneLines and phaseLines are header names wrapped to their cells.
func laneLines(name string, header diagram.Rect) []diagram.Text {
	return centred(tm.Wrap(name, headerFont, header.W-16, true, headerLines(header)), header, headerFont, true)
}

func phaseLines(name string, header diagram.Rect) []diagram.Text {
	return centred(tm.Wrap(name, headerFont, header.W-12, true, headerLines(header)), header, headerFont, true)
}

// headerLines is how many lines of a name fit a header cell, up to four.
func headerLines(header diagram.Rect) int {
	return min(4, max(1, int((header.H-8)/(headerFont*lineGap))))
}

// centred places lines centred in r, as one block.
func centred(lines []string, r diagram.Rect, size float64, bold bool) []diagram.Text {
	lh := size * lineGap
	top := r.Y + (r.H-float64(len(lines))*lh)/2
	out := make([]diagram.Text, 0, len(lines))
	for i, l := range lines {
		w := tm.Width(l, size, bold)
		out = append(out, diagram.Text{Text: l, X: round(r.X + (r.W-w)/2), Y: round(top + float64(i)*lh + size*0.95), Width: round(w), Size: size, Bold: bold})
	}
	return out
}

// badge is the environment pill at the bottom of a deploy or rollback box.
func badge(sop *relsop.SOP, envID string, box diagram.Rect) *diagram.Badge {
	name := envID
	if e := sop.Environment(envID); e != nil {
		name = nameOr(e.Name, e.ID)
	}
	const size = 9.5
	name = tm.Ellipsize(strings.ToUpper(name), size, box.W-24, true)
	w := tm.Width(name, size, true)
	b := diagram.Rect{X: round(box.X + (box.W-w-12)/2), Y: round(box.Bottom() - 19), W: round(w + 12), H: 14}
	return &diagram.Badge{Box: b, Text: diagram.Text{Text: name, X: round(b.X + 6), Y: round(b.Y + 10.5), Width: round(w), Size: size, Bold: true}}
}

// round keeps coordinates to two decimals so output is stable and short.
func round(v float64) float64 {
	r := float64(int64(v*100+0.5*sign(v))) / 100
	if r == 0 {
		return 0 // no -0
	}
	return r
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}
