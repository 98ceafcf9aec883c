package svg

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// kindNames are the words used for node kinds in titles and labels.
var kindNames = map[string]string{
	"start":     "Start",
	"task":      "Task",
	"automated": "Automated task",
	"gate":      "Gate",
	"deploy":    "Deploy",
	"rollback":  "Rollback",
	"notify":    "Notification",
	"end":       "End",
}

func kindName(k string) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return k
}

// nodes draws every step.
func (r *renderer) nodes() {
	w := &r.w
	w.open("g", "class", "nodes")
	for i := range r.d.Nodes {
		r.node(&r.d.Nodes[i])
	}
	w.close("g")
}

// node draws one step: its symbol, its corner mark or badge, and its lines
// of text, grouped so that the editor can select it by data-id.
func (r *renderer) node(n *diagram.Node) {
	w, t := &r.w, r.t
	kind := r.nodeKind(n.Kind)
	st := t.Node(kind)
	name := n.Name
	if name == "" {
		name = n.ID
	}
	// The title and label are written in pieces (see pieces.go), with
	// room on the stack for every piece.
	var titleRoom [9]string
	title := append(titleRoom[:0], name, " · ", kindName(kind))
	if lane := r.laneName(n.Lane); lane != "" {
		title = append(title, " · Role: ", lane)
	}
	if phase := r.phaseName(n.Phase); phase != "" {
		title = append(title, " · Phase: ", phase)
	}
	if n.Badge != nil && n.Badge.Text.Text != "" {
		title = append(title, " · Environment: ", n.Badge.Text.Text)
	}
	// The label holds all the text drawn in the box, the environment's
	// badge too, so that people who click by what they see and speak the
	// label (voice control) name it the same (WCAG 2.5.3).
	var labelRoom [8]string
	label := append(labelRoom[:0], kindName(kind), ": ", name)
	if n.Badge != nil && n.Badge.Text.Text != "" {
		label = append(label, ", ", n.Badge.Text.Text)
	}
	mark := ""
	if n.Mark != nil {
		mark = n.Mark.Kind
		label = append(label, " (", mark, ")")
	}
	w.openLabelled("g", label, "class", "node node-"+kind, "data-id", n.ID, "data-kind", kind,
		"data-lane", n.Lane, "data-phase", n.Phase, "data-mark", mark)
	w.contentOf("title", title...)
	r.symbol(kind, n.Box, st, t.NodeWidth, n.Lines, n.Badge)
	for _, l := range n.Lines {
		w.text(l, t.Text)
	}
	if n.Badge != nil {
		r.badge(n.Badge, st)
	}
	w.close("g")
}

func (r *renderer) laneName(id string) string {
	if n, ok := r.lanes[id]; ok && n != "" {
		return n
	}
	return id
}

func (r *renderer) phaseName(id string) string {
	if n, ok := r.phases[id]; ok && n != "" {
		return n
	}
	return id
}

// symbol draws the shape of a kind inside box b, with its corner mark. The
// legend uses it too, so that the key shows exactly what the diagram shows.
// lines and badge are only used to choose a corner for the mark that keeps
// clear of the text.
func (r *renderer) symbol(kind string, b diagram.Rect, st nodeStyle, sw float64, lines []diagram.Text, badge *diagram.Badge) {
	w := &r.w
	o := geom.NodeOutline(kind, b, sw, r.t.EndWidth)
	switch o.Shape {
	case geom.Diamond:
		p := r.newPath()
		polygon(p, o.Points[:])
		p.cmd("Z")
		w.path("shape", p, "fill", st.Fill, "stroke", st.Stroke,
			"stroke-width", num(o.Width), "stroke-linejoin", "round")
	case geom.Circle:
		w.leaf("circle", "class", "shape", "cx", num(o.Center.X), "cy", num(o.Center.Y), "r", num(o.Radius),
			"fill", st.Fill, "stroke", st.Stroke, "stroke-width", num(o.Width))
	default:
		w.rect(o.Rect, o.Radius, "class", "shape", "fill", st.Fill, "stroke", st.Stroke, "stroke-width", num(o.Width))
		if m, ok := geom.NodeMark(kind, b, lines, badge); ok {
			r.mark(m, st)
		}
	}
}

// mark draws a node's corner mark.
func (r *renderer) mark(m geom.Mark, st nodeStyle) {
	w := &r.w
	sw := num(m.StrokeWidth())
	p := r.newPath()
	switch m.Kind {
	case "automated":
		gearPath(p, m.Gear())
		w.path("mark mark-gear", p, "fill", st.Mark, "fill-rule", "evenodd")
	case "notify":
		env, radius, flap := m.Envelope()
		polygon(p, flap[:])
		w.open("g", "class", "mark mark-envelope", "fill", "none", "stroke", st.Mark,
			"stroke-width", sw, "stroke-linejoin", "round")
		w.rect(env, radius)
		w.path("", p)
		w.close("g")
	case "rollback":
		a := m.ReturnArrow()
		p.cmd("M", a.Tip.X, a.Tip.Y)
		p.cmd("L", a.Turn[0].X, a.Turn[0].Y)
		p.cmd("A", a.R, a.R, 0, 0, 1, a.Turn[1].X, a.Turn[1].Y)
		p.cmd("L", a.End.X, a.End.Y)
		polygon(p, a.Head[:])
		w.path("mark mark-return", p, "fill", "none", "stroke", st.Mark,
			"stroke-width", sw, "stroke-linecap", "round", "stroke-linejoin", "round")
	case "deploy":
		for _, stroke := range m.DeployArrow() {
			polygon(p, stroke)
		}
		w.path("mark mark-deploy", p, "fill", "none", "stroke", st.Mark,
			"stroke-width", sw, "stroke-linecap", "round", "stroke-linejoin", "round")
	}
}

// polygon adds a move to the first point and lines to the others.
func polygon(p *pathBuilder, pts []diagram.Point) {
	for i, q := range pts {
		if i == 0 {
			p.cmd("M", q.X, q.Y)
		} else {
			p.cmd("L", q.X, q.Y)
		}
	}
}

// gearPath adds the gear as one path, to be filled even-odd.
func gearPath(p *pathBuilder, g geom.Gear) {
	for i, t := range g.Teeth {
		if i == 0 {
			polygon(p, t.Corners[:])
		} else {
			for _, q := range t.Corners {
				p.cmd("L", q.X, q.Y)
			}
		}
		p.cmd("A", g.Inner, g.Inner, 0, 0, 1, t.RimEnd.X, t.RimEnd.Y)
	}
	p.cmd("Z")
	c, hole := g.Center, g.Hole
	p.cmd("M", c.X+hole, c.Y)
	p.cmd("A", hole, hole, 0, 1, 0, c.X-hole, c.Y)
	p.cmd("A", hole, hole, 0, 1, 0, c.X+hole, c.Y)
	p.cmd("Z")
}

// badge draws an environment pill on a deploy or rollback node.
func (r *renderer) badge(bd *diagram.Badge, st nodeStyle) {
	if bd.Box.W <= 0 || bd.Box.H <= 0 {
		return
	}
	w, t := &r.w, r.t
	w.open("g", "class", "badge")
	if t.BadgeSolid {
		w.rect(bd.Box, bd.Box.H/2, "fill", st.Stroke)
	} else {
		w.rect(geom.Inset(bd.Box, 0.5), (bd.Box.H-1)/2, "fill", t.Background, "stroke", st.Stroke, "stroke-width", "1")
	}
	w.text(bd.Text, t.BadgeText)
	w.close("g")
}
