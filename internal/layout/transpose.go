package layout

import "github.com/relsop/relsop/internal/diagram"

// transpose turns a drawing laid out in the transposed frame of the
// vertical layout a quarter, mirrored along the diagonal: phases become
// rows, lanes columns, and flows run top to bottom. Boxes were sized
// transposed, so they come out the right way round; text cannot be turned
// and is placed again, centred in its final box.
func transpose(g *grid, d *diagram.Diagram) {
	d.Direction = "vertical"
	d.Width, d.Height = d.Height, d.Width
	for i := range d.Lanes {
		l := &d.Lanes[i]
		l.Box, l.Header = flip(l.Box), flip(l.Header)
		l.Lines = laneLines(l.Name, l.Header)
	}
	for i := range d.Phases {
		p := &d.Phases[i]
		p.Box, p.Header = flip(p.Box), flip(p.Header)
		p.Lines = phaseLines(p.Name, p.Header)
	}
	for i, c := range g.cells {
		n := &d.Nodes[i]
		n.Box = flip(n.Box)
		g.dressNode(n, c)
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		for j, p := range e.Points {
			e.Points[j] = diagram.Point{X: p.Y, Y: p.X}
		}
		if e.LabelAt != nil {
			e.LabelBox = flip(e.LabelBox)
			e.LabelAt.X, e.LabelAt.Y = round(e.LabelBox.X+5), round(e.LabelBox.Y+labelFont+1)
		}
	}
	d.Title.Box = diagram.Rect{X: margin, Y: margin, W: round(d.Width - 2*margin), H: titleH - 10}
}

func flip(r diagram.Rect) diagram.Rect { return diagram.Rect{X: r.Y, Y: r.X, W: r.H, H: r.W} }
