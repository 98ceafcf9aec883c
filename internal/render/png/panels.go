package png

import (
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// titleBlock draws d.Title as a one-row table, its strings placed by
// geom.TitleBlock as in the SVG.
func (r *renderer) titleBlock() {
	t := r.t
	tb, ok := geom.TitleBlock(r.d.Title, func(s string) bool { return t.Status(s) != "" })
	if !ok {
		return
	}
	r.rect(tb.Box, 4, t.PanelFill, t.PanelStroke, 1)
	if tb.Title.Text != "" {
		r.text(tb.Title, t.Text)
	}
	for _, c := range tb.Cells {
		r.line(c.Rule[0].X, c.Rule[0].Y, c.Rule[1].X, c.Rule[1].Y, t.Grid, 1)
		r.spaced(c.Caption, t.Muted, geom.CaptionSpacing)
		if c.Dot != nil {
			p := r.c.path()
			p.circle(c.Dot.X, c.Dot.Y, geom.StatusDotRadius)
			r.c.fill(p, solid(t.Status(c.Raw)))
		}
		r.text(c.Value, t.Text)
	}
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
		} else if k, ok := strings.CutPrefix(e.Kind, "mark:"); ok {
			r.legendMark(k, e.Icon)
		} else {
			r.legendNode(geom.NormKind(e.Kind), e.Icon)
		}
		r.text(e.Text, t.Text)
	}
}

// legendNode draws a node kind's symbol at icon size.
func (r *renderer) legendNode(kind string, icon diagram.Rect) {
	b, sw, badge, ok := geom.LegendSymbol(kind, icon, r.t.NodeWidth)
	if !ok {
		return
	}
	t := r.t
	st := t.Node(kind)
	r.symbol(kind, b, st, sw, nil, badge)
	if badge != nil {
		if t.BadgeSolid {
			r.rect(badge.Box, badge.Box.H/2, st.Stroke, "none", 0)
		} else {
			r.rect(badge.Box, badge.Box.H/2, t.Background, st.Stroke, 1)
		}
	}
}

// legendEdge draws an edge kind as a short arrow across the icon.
func (r *renderer) legendEdge(kind string, icon diagram.Rect) {
	line, pill, ok := geom.LegendEdge(kind, icon)
	if !ok {
		return
	}
	r.edgeLine(kind, line, 0)
	if pill != nil {
		r.rect(*pill, pill.H/2, r.t.Background, r.t.Edge(kind).Stroke, 1)
	}
}
