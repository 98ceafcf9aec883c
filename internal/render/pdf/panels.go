package pdf

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
	r.c.rect(tb.Box, 4, paint{fill: t.PanelFill, stroke: t.PanelStroke, width: 1})
	if tb.Title.Text != "" {
		r.c.text(tb.Title, t.Text)
	}
	for _, c := range tb.Cells {
		r.c.line(c.Rule[0].X, c.Rule[0].Y, c.Rule[1].X, c.Rule[1].Y, paint{stroke: t.Grid, width: 1})
		r.c.textSpaced(c.Caption, t.Muted, geom.CaptionSpacing)
		if c.Dot != nil {
			r.c.circle(c.Dot.X, c.Dot.Y, geom.StatusDotRadius, paint{fill: t.Status(c.Raw)})
		}
		r.c.text(c.Value, t.Text)
	}
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
		} else if k, ok := strings.CutPrefix(e.Kind, "mark:"); ok {
			r.legendMark(k, e.Icon)
		} else {
			r.legendNode(geom.NormKind(e.Kind), e.Icon)
		}
		r.c.text(e.Text, t.Text)
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
			r.c.rect(badge.Box, badge.Box.H/2, paint{fill: st.Stroke})
		} else {
			r.c.rect(badge.Box, badge.Box.H/2, paint{fill: t.Background, stroke: st.Stroke, width: 1})
		}
	}
}

// legendEdge draws an edge kind as a short arrow across the icon.
func (r *renderer) legendEdge(kind string, icon diagram.Rect) {
	line, pill, ok := geom.LegendEdge(kind, icon)
	if !ok {
		return
	}
	st := r.t.Edge(kind)
	if end, ok := r.roundedPath(line, 0, edgePaint(st)); ok {
		r.arrowhead(line[0], end, st.Stroke)
	}
	if pill != nil {
		r.c.rect(*pill, pill.H/2, paint{fill: r.t.Background, stroke: st.Stroke, width: 1})
	}
}
