package svg

import (
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// titleBlock draws d.Title in its box as a one-row table, its strings
// placed by geom.TitleBlock.
func (r *renderer) titleBlock() {
	w, t := &r.w, r.t
	tb, ok := geom.TitleBlock(r.d.Title, func(s string) bool { return t.Status(s) != "" })
	if !ok {
		return
	}
	w.open("g", "class", "title-block")
	w.rect(tb.Box, 4, "fill", t.PanelFill, "stroke", t.PanelStroke, "stroke-width", "1")
	if tb.Title.Text != "" {
		w.text(tb.Title, t.Text, "class", "title")
	}
	for _, c := range tb.Cells {
		w.line(c.Rule[0].X, c.Rule[0].Y, c.Rule[1].X, c.Rule[1].Y, "stroke", t.Grid, "stroke-width", "1")
		w.text(c.Caption, t.Muted, "class", "caption", "letter-spacing", num(geom.CaptionSpacing))
		if c.Dot != nil {
			w.leaf("circle", "class", "status-dot", "cx", num(c.Dot.X), "cy", num(c.Dot.Y), "r", num(geom.StatusDotRadius), "fill", t.Status(c.Raw))
		}
		w.text(c.Value, t.Text, "class", "value-"+geom.ClassToken(c.Field))
	}
	w.close("g")
}

// legend draws the key: each entry's icon as a miniature of the very
// symbol or line style the diagram uses, and its text.
func (r *renderer) legend() {
	lg := r.d.Legend
	if len(lg.Entries) == 0 {
		return
	}
	w, t := &r.w, r.t
	w.open("g", "class", "legend")
	if lg.Box.W > 0 && lg.Box.H > 0 {
		w.rect(lg.Box, 4, "fill", t.PanelFill, "stroke", t.PanelStroke, "stroke-width", "1")
	}
	for _, e := range lg.Entries {
		w.open("g", "class", "legend-entry", "data-kind", e.Kind)
		if e.Label != "" {
			w.content("title", e.Label)
		}
		if k, ok := strings.CutPrefix(e.Kind, "edge:"); ok {
			r.legendEdge(r.edgeKind(k), e.Icon)
		} else if k, ok := strings.CutPrefix(e.Kind, "mark:"); ok {
			r.legendMark(k, e.Icon)
		} else {
			r.legendNode(r.nodeKind(e.Kind), e.Icon)
		}
		w.text(e.Text, t.Text)
		w.close("g")
	}
	w.close("g")
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
			r.w.rect(badge.Box, badge.Box.H/2, "fill", st.Stroke)
		} else {
			r.w.rect(badge.Box, badge.Box.H/2, "fill", t.Background, "stroke", st.Stroke, "stroke-width", "1")
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
	d := r.newPath()
	roundedPath(d, line, 0, r.t.MarkerShorten())
	r.w.path("", d, "fill", "none", "stroke", st.Stroke, "stroke-width", num(st.Width),
		"stroke-dasharray", dashArray(st.Dash), "stroke-linecap", lineCap(st.Round),
		"marker-end", "url(#"+r.id("arrow-"+kind)+")")
	if pill != nil {
		r.w.rect(*pill, pill.H/2, "fill", r.t.Background, "stroke", st.Stroke, "stroke-width", "1")
	}
}
