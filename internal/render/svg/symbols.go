package svg

import (
	"github.com/relsop/relsop/internal/render/geom"
	"math"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
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
	kind := geom.NormKind(n.Kind)
	st := t.Node(kind)
	name := n.Name
	if name == "" {
		name = n.ID
	}
	label := kindName(kind) + ": " + name
	title := []string{name, kindName(kind)}
	if lane := r.laneName(n.Lane); lane != "" {
		title = append(title, "Role: "+lane)
	}
	if phase := r.phaseName(n.Phase); phase != "" {
		title = append(title, "Phase: "+phase)
	}
	if n.Badge != nil && n.Badge.Text.Text != "" {
		title = append(title, "Environment: "+n.Badge.Text.Text)
	}
	w.open("g", "class", "node node-"+kind, "data-id", n.ID, "data-kind", kind,
		"data-lane", n.Lane, "data-phase", n.Phase, "aria-label", label)
	w.content("title", strings.Join(title, " · "))
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
	// The outline is inset by half its width so that the stroke stays inside
	// the box the layout reserved, and arrows meet it exactly at the edge.
	in := geom.Inset(b, sw/2)
	switch kind {
	case "gate":
		c := b.Center()
		var p pathBuilder
		p.cmd("M", c.X, in.Y)
		p.cmd("L", in.Right(), c.Y)
		p.cmd("L", c.X, in.Bottom())
		p.cmd("L", in.X, c.Y)
		p.cmd("Z")
		w.leaf("path", "class", "shape", "d", p.String(), "fill", st.Fill, "stroke", st.Stroke,
			"stroke-width", num(sw), "stroke-linejoin", "round")
	case "start", "end":
		if kind == "end" {
			sw = r.t.EndWidth * min(1, b.H/40) // heavy, but not a blob in the legend
		}
		c := b.Center()
		rad := max(min(b.W, b.H)/2-sw/2, 0.5)
		w.leaf("circle", "class", "shape", "cx", num(c.X), "cy", num(c.Y), "r", num(rad),
			"fill", st.Fill, "stroke", st.Stroke, "stroke-width", num(sw))
	default:
		w.rect(in, geom.CornerRadius(b), "class", "shape", "fill", st.Fill, "stroke", st.Stroke, "stroke-width", num(sw))
		r.mark(kind, b, st, lines, badge)
	}
}

// mark draws the small corner glyph that tells kinds apart without colour:
// a gear for automated tasks, an envelope for notifications, a return arrow
// for rollbacks and an up arrow for a deploy that has no environment badge.
func (r *renderer) mark(kind string, b diagram.Rect, st nodeStyle, lines []diagram.Text, badge *diagram.Badge) {
	switch kind {
	case "automated", "notify", "rollback":
	case "deploy":
		if badge != nil {
			return // the environment badge already marks a deploy
		}
	default:
		return
	}
	size := min(12, b.H*0.42, b.W*0.3)
	if size < 5 {
		return
	}
	m := geom.MarkBox(b, size, lines, badge)
	w := &r.w
	switch kind {
	case "automated":
		w.leaf("path", "class", "mark mark-gear", "d", gearPath(m), "fill", st.Mark, "fill-rule", "evenodd")
	case "notify":
		h := m.H * 0.72
		env := diagram.Rect{X: m.X, Y: m.Y + (m.H-h)/2, W: m.W, H: h}
		var p pathBuilder
		p.cmd("M", env.X, env.Y)
		p.cmd("L", env.X+env.W/2, env.Y+env.H*0.55)
		p.cmd("L", env.Right(), env.Y)
		w.open("g", "class", "mark mark-envelope", "fill", "none", "stroke", st.Mark,
			"stroke-width", num(max(1, size/9)), "stroke-linejoin", "round")
		w.rect(env, size/10)
		w.leaf("path", "d", p.String())
		w.close("g")
	case "rollback":
		w.leaf("path", "class", "mark mark-return", "d", returnPath(m), "fill", "none", "stroke", st.Mark,
			"stroke-width", num(max(1.2, size/8)), "stroke-linecap", "round", "stroke-linejoin", "round")
	case "deploy":
		var p pathBuilder
		cx := m.X + m.W/2
		p.cmd("M", cx, m.Bottom()-m.H*0.28)
		p.cmd("L", cx, m.Y+m.H*0.05)
		p.cmd("M", cx-m.W*0.32, m.Y+m.H*0.37)
		p.cmd("L", cx, m.Y+m.H*0.05)
		p.cmd("L", cx+m.W*0.32, m.Y+m.H*0.37)
		p.cmd("M", m.X+m.W*0.1, m.Bottom())
		p.cmd("L", m.Right()-m.W*0.1, m.Bottom())
		w.leaf("path", "class", "mark mark-deploy", "d", p.String(), "fill", "none", "stroke", st.Mark,
			"stroke-width", num(max(1.2, size/8)), "stroke-linecap", "round", "stroke-linejoin", "round")
	}
}

// gearPath is a gear with eight trapezoid teeth and a hole, as one path
// filled even-odd.
func gearPath(m diagram.Rect) string {
	c := m.Center()
	outer := m.W / 2
	inner := outer * 0.74
	hole := outer * 0.32
	const teeth = 8
	var p pathBuilder
	for i := range teeth {
		a := 2 * math.Pi * float64(i) / teeth
		step := math.Pi / teeth
		pts := [4][2]float64{
			{a - step*0.62, inner}, {a - step*0.36, outer}, {a + step*0.36, outer}, {a + step*0.62, inner},
		}
		for j, q := range pts {
			x, y := c.X+q[1]*math.Cos(q[0]), c.Y+q[1]*math.Sin(q[0])
			if i == 0 && j == 0 {
				p.cmd("M", x, y)
			} else {
				p.cmd("L", x, y)
			}
		}
		// The rim between teeth follows the inner circle.
		next := 2 * math.Pi * float64(i+1) / teeth
		x, y := c.X+inner*math.Cos(next-step*0.62), c.Y+inner*math.Sin(next-step*0.62)
		p.cmd("A", inner, inner, 0, 0, 1, x, y)
	}
	p.cmd("Z")
	p.cmd("M", c.X+hole, c.Y)
	p.cmd("A", hole, hole, 0, 1, 0, c.X-hole, c.Y)
	p.cmd("A", hole, hole, 0, 1, 0, c.X+hole, c.Y)
	p.cmd("Z")
	return p.String()
}

// returnPath is an "undo" arrow: a hook that turns back to the left, the
// familiar sign for going back to a previous state.
func returnPath(m diagram.Rect) string {
	s, x, y := m.W, m.X, m.Y
	var p pathBuilder
	p.cmd("M", x+s*0.1, y+s*0.3)                         // the tip, pointing left
	p.cmd("L", x+s*0.62, y+s*0.3)                        // along the top
	p.cmd("A", s*0.3, s*0.3, 0, 0, 1, x+s*0.62, y+s*0.9) // round the right end
	p.cmd("L", x+s*0.3, y+s*0.9)                         // and back along the bottom
	p.cmd("M", x+s*0.34, y+s*0.06)                       // the arrowhead
	p.cmd("L", x+s*0.1, y+s*0.3)
	p.cmd("L", x+s*0.34, y+s*0.54)
	return p.String()
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
