package svg

import (
	"github.com/relsop/relsop/internal/render/geom"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Title block typography. Field captions are small capitals in a muted
// colour, as on an engineering drawing, so the values read first.
const (
	tbPad       = 10.0
	tbCaption   = 8.5
	tbValue     = 12.0
	tbTitleMax  = 18.0
	tbTitleMin  = 11.0
	tbCaptionLS = 0.6 // letter spacing of captions, in units
	tbFieldMin  = 120.0
)

type field struct{ caption, value string }

// titleBlock draws d.Title in its box as a one-row table: the SOP title in
// a wide cell, then a cell for each of version, owner, status and release
// type that is set. The layout only reserves the box; placing these few
// strings inside it is part of drawing the block, like a table's padding.
func (r *renderer) titleBlock() {
	tb := r.d.Title
	b := tb.Box
	if b.W <= 0 || b.H <= 0 {
		return
	}
	w, t := &r.w, r.t
	var fields []field
	for _, f := range []field{{"Version", tb.Version}, {"Owner", tb.Owner}, {"Status", tb.Status}, {"Release type", tb.ReleaseType}} {
		if strings.TrimSpace(f.value) != "" {
			fields = append(fields, f)
		}
	}
	w.open("g", "class", "title-block")
	w.rect(b, 4, "fill", t.PanelFill, "stroke", t.PanelStroke, "stroke-width", "1")

	titleSize := max(min(tbTitleMax, b.H*0.34), tbTitleMin)
	title := strings.TrimSpace(tb.Title)
	titleW := textmeasure.Width(title, titleSize, true) + 2*tbPad

	// Natural widths first; the title then takes what the fields leave, but
	// never less than 40%, and everything shrinks in proportion if needed.
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
		// Spare room widens narrow fields to a common minimum, so that
		// short values such as "1.0" still get a proper cell, and the rest
		// goes to the title cell: the fields stay a compact table on the
		// right and the title keeps the prominent place on the left.
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
		w.text(diagram.Text{Text: txt, X: b.X + tbPad, Y: cy + titleSize*0.36, Size: titleSize, Bold: true}, t.Text, "class", "title")
	}
	x := b.X + titleCell
	for i, f := range fields {
		w.line(x, b.Y+b.H*0.18, x, b.Bottom()-b.H*0.18, "stroke", t.Grid, "stroke-width", "1")
		inner := nat[i] - 2*tbPad
		capText := textmeasure.Ellipsize(strings.ToUpper(f.caption), tbCaption, inner, false)
		w.text(diagram.Text{Text: capText, X: x + tbPad, Y: cy - 4, Size: tbCaption}, t.Muted,
			"class", "caption", "letter-spacing", num(tbCaptionLS))
		vx := x + tbPad
		dot := statusDot(t, f)
		if dot > 0 {
			w.leaf("circle", "class", "status-dot", "cx", num(vx+3.5), "cy", num(cy+7.5), "r", "3.5", "fill", t.Status(f.value))
			vx += dot
		}
		val := textmeasure.Ellipsize(f.value, tbValue, inner-dot, false)
		w.text(diagram.Text{Text: val, X: vx, Y: cy + 12, Size: tbValue}, t.Text,
			"class", "value-"+geom.ClassToken(f.caption))
		x += nat[i]
	}
	w.close("g")
}

// captionWidth is the width of a caption in small capitals with tracking.
func captionWidth(s string) float64 {
	s = strings.ToUpper(s)
	return textmeasure.Width(s, tbCaption, false) + tbCaptionLS*float64(len([]rune(s)))
}

// statusDot is the room a coloured status dot takes before the value, or 0
// for fields without one.
func statusDot(t *theme, f field) float64 {
	if f.caption == "Status" && t.Status(f.value) != "" {
		return 11
	}
	return 0
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
			r.legendEdge(geom.NormEdgeKind(k), e.Icon)
		} else {
			r.legendNode(geom.NormKind(e.Kind), e.Icon)
		}
		w.text(e.Text, t.Text)
		w.close("g")
	}
	w.close("g")
}

// legendNode draws a node kind's symbol at icon size. A deploy gets a tiny
// blank pill in place of its environment badge.
func (r *renderer) legendNode(kind string, icon diagram.Rect) {
	if icon.W <= 0 || icon.H <= 0 {
		return
	}
	t := r.t
	st := t.Node(kind)
	sw := max(1, t.NodeWidth*min(1, icon.H/24))
	b := icon
	if kind == "start" || kind == "end" || kind == "gate" {
		// Round and diamond symbols keep their proportions in a wide icon.
		s := min(icon.W, icon.H)
		if kind == "gate" {
			s = min(icon.W, icon.H*1.5)
			b = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y, W: s, H: icon.H}
		} else {
			b = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y + (icon.H-s)/2, W: s, H: s}
		}
	}
	var badge *diagram.Badge
	if kind == "deploy" {
		h := max(icon.H*0.36, 4)
		badge = &diagram.Badge{Box: diagram.Rect{X: icon.Right() - icon.W*0.55, Y: icon.Y - h*0.5, W: icon.W * 0.45, H: h}}
	}
	r.symbol(kind, b, st, sw, nil, badge)
	if badge != nil {
		if t.BadgeSolid {
			r.w.rect(badge.Box, badge.Box.H/2, "fill", st.Stroke)
		} else {
			r.w.rect(badge.Box, badge.Box.H/2, "fill", t.Background, "stroke", st.Stroke, "stroke-width", "1")
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
	d := roundedPath([]diagram.Point{{X: icon.X, Y: y}, {X: icon.Right(), Y: y}}, 0, r.t.MarkerShorten())
	r.w.leaf("path", "d", d, "fill", "none", "stroke", st.Stroke, "stroke-width", num(st.Width),
		"stroke-dasharray", dashArray(st.Dash), "stroke-linecap", lineCap(st.Round),
		"marker-end", "url(#"+r.id("arrow-"+kind)+")")
	if kind == "outcome" {
		// A blank label pill on the line tells a labelled gate outcome
		// apart from plain flow, as in the diagram.
		h := min(icon.H*0.4, 7)
		pill := diagram.Rect{X: icon.X + icon.W*0.33 - h*0.8, Y: y - h/2, W: h * 1.6, H: h}
		r.w.rect(pill, h/2, "fill", r.t.Background, "stroke", st.Stroke, "stroke-width", "1")
	}
}
