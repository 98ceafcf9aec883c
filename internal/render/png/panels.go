package png

import (
	"github.com/relsop/relsop/internal/render/geom"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Title block typography, the same as the SVG's (svg/panels.go), which
// places these few strings inside the box the layout reserved.
const (
	tbPad       = 10.0
	tbCaption   = 8.5
	tbValue     = 12.0
	tbTitleMax  = 18.0
	tbTitleMin  = 11.0
	tbCaptionLS = 0.6
	tbFieldMin  = 120.0
)

type field struct{ caption, value string }

// titleBlock draws d.Title as a one-row table: the title in a wide cell,
// then a cell per set field, sized exactly as the SVG sizes them.
func (r *renderer) titleBlock() {
	tb := r.d.Title
	b := tb.Box
	if b.W <= 0 || b.H <= 0 {
		return
	}
	t := r.t
	var fields []field
	for _, f := range []field{{"Version", tb.Version}, {"Owner", tb.Owner}, {"Status", tb.Status}, {"Release type", tb.ReleaseType}} {
		if strings.TrimSpace(f.value) != "" {
			fields = append(fields, f)
		}
	}
	r.rect(b, 4, t.PanelFill, t.PanelStroke, 1)

	titleSize := max(min(tbTitleMax, b.H*0.34), tbTitleMin)
	title := strings.TrimSpace(tb.Title)
	titleW := textmeasure.Width(title, titleSize, true) + 2*tbPad
	nat, titleCell := r.cellWidths(fields, b.W, titleW)

	cy := b.Y + b.H/2
	if title != "" {
		txt := textmeasure.Ellipsize(title, titleSize, titleCell-2*tbPad, true)
		r.text(diagram.Text{Text: txt, X: b.X + tbPad, Y: cy + titleSize*0.36, Size: titleSize, Bold: true}, t.Text)
	}
	x := b.X + titleCell
	for i, f := range fields {
		r.line(x, b.Y+b.H*0.18, x, b.Bottom()-b.H*0.18, t.Grid, 1)
		inner := nat[i] - 2*tbPad
		capText := textmeasure.Ellipsize(strings.ToUpper(f.caption), tbCaption, inner, false)
		r.spaced(diagram.Text{Text: capText, X: x + tbPad, Y: cy - 4, Size: tbCaption}, t.Muted, tbCaptionLS)
		vx := x + tbPad
		dot := statusDot(t, f)
		if dot > 0 {
			p := r.c.path()
			p.circle(vx+3.5, cy+7.5, 3.5)
			r.c.fill(p, solid(t.Status(f.value)))
			vx += dot
		}
		val := textmeasure.Ellipsize(f.value, tbValue, inner-dot, false)
		r.text(diagram.Text{Text: val, X: vx, Y: cy + 12, Size: tbValue}, t.Text)
		x += nat[i]
	}
}

// cellWidths gives each field its natural width and the title what is
// left, but never less than 40%; see the SVG's titleBlock for the reasons.
func (r *renderer) cellWidths(fields []field, width, titleW float64) ([]float64, float64) {
	nat := make([]float64, len(fields))
	total := 0.0
	for i, f := range fields {
		nat[i] = max(captionWidth(f.caption), textmeasure.Width(f.value, tbValue, false)+statusDot(r.t, f)) + 2*tbPad
		total += nat[i]
	}
	titleCell := max(width-total, min(titleW, width*0.4))
	switch {
	case len(fields) == 0:
		titleCell = width
	case titleCell+total > width:
		scale := (width - titleCell) / total
		for i := range nat {
			nat[i] *= scale
		}
	default:
		spare := max(width-min(titleW, width*0.4)-total, 0)
		for i := range nat {
			grow := min(max(tbFieldMin-nat[i], 0), spare)
			nat[i] += grow
			spare -= grow
		}
		titleCell = width
		for _, n := range nat {
			titleCell -= n
		}
	}
	return nat, titleCell
}

// captionWidth is the width of a caption in small capitals with tracking.
func captionWidth(s string) float64 {
	s = strings.ToUpper(s)
	return textmeasure.Width(s, tbCaption, false) + tbCaptionLS*float64(len([]rune(s)))
}

// statusDot is the room a status dot takes before the value, or 0.
func statusDot(t *theme, f field) float64 {
	if f.caption == "Status" && t.Status(f.value) != "" {
		return 11
	}
	return 0
}

// legend draws the key: a miniature of each symbol or line style, and its
// text.
func (r *renderer) legend() {
	lg := r.d.Legend
	if len(lg.Entries) == 0 {
		return
	}
	t := r.t
	r.rect(lg.Box, 4, t.PanelFill, t.PanelStroke, 1)
	for _, e := range lg.Entries {
		if k, ok := strings.CutPrefix(e.Kind, "edge:"); ok {
			r.legendEdge(geom.NormEdgeKind(k), e.Icon)
		} else {
			r.legendNode(geom.NormKind(e.Kind), e.Icon)
		}
		r.text(e.Text, t.Text)
	}
}

// legendNode draws a node kind's symbol at icon size; a deploy gets a blank
// pill in place of its environment badge.
func (r *renderer) legendNode(kind string, icon diagram.Rect) {
	if icon.W <= 0 || icon.H <= 0 {
		return
	}
	t := r.t
	st := t.Node(kind)
	sw := max(1, t.NodeWidth*min(1, icon.H/24))
	b := icon
	switch kind {
	case "gate":
		s := min(icon.W, icon.H*1.5)
		b = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y, W: s, H: icon.H}
	case "start", "end":
		s := min(icon.W, icon.H)
		b = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y + (icon.H-s)/2, W: s, H: s}
	}
	var badge *diagram.Badge
	if kind == "deploy" {
		h := max(icon.H*0.36, 4)
		badge = &diagram.Badge{Box: diagram.Rect{X: icon.Right() - icon.W*0.55, Y: icon.Y - h*0.5, W: icon.W * 0.45, H: h}}
	}
	r.symbol(kind, b, st, sw, nil, badge)
	if badge != nil {
		if t.BadgeSolid {
			r.rect(badge.Box, badge.Box.H/2, st.Stroke, "none", 0)
		} else {
			r.rect(badge.Box, badge.Box.H/2, t.Background, st.Stroke, 1)
		}
	}
}

// legendEdge draws an edge kind as a short arrow across the icon's middle;
// a gate outcome also gets a blank label pill.
func (r *renderer) legendEdge(kind string, icon diagram.Rect) {
	if icon.W <= 0 {
		return
	}
	y := icon.Y + icon.H/2
	r.edgeLine(kind, []diagram.Point{{X: icon.X, Y: y}, {X: icon.Right(), Y: y}}, 0)
	if kind == "outcome" {
		h := min(icon.H*0.4, 7)
		pill := diagram.Rect{X: icon.X + icon.W*0.33 - h*0.8, Y: y - h/2, W: h * 1.6, H: h}
		r.rect(pill, h/2, r.t.Background, r.t.Edge(kind).Stroke, 1)
	}
}
