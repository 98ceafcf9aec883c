package pdf

import (
	"github.com/relsop/relsop/internal/render/geom"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Title block typography, as in internal/render/svg/panels.go.
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
// then version, owner, status and release type where set. The cell widths
// are computed exactly as the SVG renderer computes them.
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
	r.c.rect(b, 4, paint{fill: t.PanelFill, stroke: t.PanelStroke, width: 1})

	titleSize := max(min(tbTitleMax, b.H*0.34), tbTitleMin)
	title := strings.TrimSpace(tb.Title)
	titleW := textmeasure.Width(title, titleSize, true) + 2*tbPad
	nat := make([]float64, len(fields))
	total := 0.0
	for i, f := range fields {
		nat[i] = max(captionWidth(f.caption), textmeasure.Width(f.value, tbValue, false)+statusDot(t, f)) + 2*tbPad
		total += nat[i]
	}
	titleCell := max(b.W-total, min(titleW, b.W*0.4))
	switch {
	case len(fields) == 0:
		titleCell = b.W
	case titleCell+total > b.W:
		scale := (b.W - titleCell) / total
		for i := range nat {
			nat[i] *= scale
		}
	default:
		spare := max(b.W-min(titleW, b.W*0.4)-total, 0)
		for i := range nat {
			grow := min(max(tbFieldMin-nat[i], 0), spare)
			nat[i] += grow
			spare -= grow
		}
		titleCell = b.W
		for _, n := range nat {
			titleCell -= n
		}
	}

	cy := b.Y + b.H/2
	if title != "" {
		txt := textmeasure.Ellipsize(title, titleSize, titleCell-2*tbPad, true)
		r.c.text(diagram.Text{Text: txt, X: b.X + tbPad, Y: cy + titleSize*0.36, Size: titleSize, Bold: true}, t.Text)
	}
	x := b.X + titleCell
	for i, f := range fields {
		r.c.line(x, b.Y+b.H*0.18, x, b.Bottom()-b.H*0.18, paint{stroke: t.Grid, width: 1})
		inner := nat[i] - 2*tbPad
		capText := textmeasure.Ellipsize(strings.ToUpper(f.caption), tbCaption, inner, false)
		r.c.textSpaced(diagram.Text{Text: capText, X: x + tbPad, Y: cy - 4, Size: tbCaption}, t.Muted, tbCaptionLS)
		vx := x + tbPad
		dot := statusDot(t, f)
		if dot > 0 {
			r.c.circle(vx+3.5, cy+7.5, 3.5, paint{fill: t.Status(f.value)})
			vx += dot
		}
		val := textmeasure.Ellipsize(f.value, tbValue, inner-dot, false)
		r.c.text(diagram.Text{Text: val, X: vx, Y: cy + 12, Size: tbValue}, t.Text)
		x += nat[i]
	}
}

// captionWidth is the width of a caption in capitals with tracking.
func captionWidth(s string) float64 {
	s = strings.ToUpper(s)
	return textmeasure.Width(s, tbCaption, false) + tbCaptionLS*float64(len([]rune(s)))
}

// statusDot is the room a coloured status dot takes before the value.
func statusDot(t *theme, f field) float64 {
	if f.caption == "Status" && t.Status(f.value) != "" {
		return 11
	}
	return 0
}

// legend draws the key, each icon a miniature of the symbol or line style
// the diagram uses.
func (r *renderer) legend() {
	lg := r.d.Legend
	if len(lg.Entries) == 0 {
		return
	}
	t := r.t
	if lg.Box.W > 0 && lg.Box.H > 0 {
		r.c.rect(lg.Box, 4, paint{fill: t.PanelFill, stroke: t.PanelStroke, width: 1})
	}
	for _, e := range lg.Entries {
		if k, ok := strings.CutPrefix(e.Kind, "edge:"); ok {
			r.legendEdge(geom.NormEdgeKind(k), e.Icon)
		} else {
			r.legendNode(geom.NormKind(e.Kind), e.Icon)
		}
		r.c.text(e.Text, t.Text)
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
			r.c.rect(badge.Box, badge.Box.H/2, paint{fill: st.Stroke})
		} else {
			r.c.rect(badge.Box, badge.Box.H/2, paint{fill: t.Background, stroke: st.Stroke, width: 1})
		}
	}
}

// legendEdge draws an edge kind as a short arrow across the icon's middle.
func (r *renderer) legendEdge(kind string, icon diagram.Rect) {
	if icon.W <= 0 {
		return
	}
	st := r.t.Edge(kind)
	y := icon.Y + icon.H/2
	pts := []diagram.Point{{X: icon.X, Y: y}, {X: icon.Right(), Y: y}}
	if end, ok := r.roundedPath(pts, 0, edgePaint(st)); ok {
		r.arrowhead(pts[0], end, st.Stroke)
	}
	if kind == "outcome" {
		// A blank label pill tells a labelled outcome apart from flow.
		h := min(icon.H*0.4, 7)
		pill := diagram.Rect{X: icon.X + icon.W*0.33 - h*0.8, Y: y - h/2, W: h * 1.6, H: h}
		r.c.rect(pill, h/2, paint{fill: r.t.Background, stroke: st.Stroke, width: 1})
	}
}
