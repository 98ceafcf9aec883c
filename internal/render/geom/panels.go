package geom

import (
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Title block typography. Field captions are small capitals in a muted
// colour, as on an engineering drawing, so the values read first.
const (
	tbPad      = 10.0
	tbCaption  = 8.5
	tbValue    = 12.0
	tbTitleMax = 18.0
	tbTitleMin = 11.0
	tbFieldMin = 120.0
	tbDotRoom  = 11.0 // the room a status dot takes before the value

	// CaptionSpacing is the letter spacing of title block captions.
	CaptionSpacing = 0.6
	// StatusDotRadius is the radius of the status dot.
	StatusDotRadius = 3.5
)

// TitleLayout is the title block with its few strings placed: the SOP title
// in a wide cell, then a cell for each of version, owner, status and
// release type that is set. The layout only reserves the box; placing the
// strings inside it is part of drawing the block, like a table's padding.
type TitleLayout struct {
	Box   diagram.Rect
	Title diagram.Text // empty Text when the SOP has no title
	Cells []TitleCell
}

// TitleCell is one field of the title block.
type TitleCell struct {
	Field   string           // "Version", "Owner", "Status" or "Release type"
	Raw     string           // the field's whole value (Value may be shortened)
	Rule    [2]diagram.Point // the divider on the cell's left
	Caption diagram.Text     // the field name in capitals, tracked by CaptionSpacing
	Dot     *diagram.Point   // the centre of the status dot, or nil
	Value   diagram.Text
}

type field struct{ caption, value string }

// TitleBlock places the title block of tb, or reports false when it has no
// box. hasDot tells whether a status value gets a coloured dot (the theme
// knows the colours).
func TitleBlock(tb diagram.TitleBlock, hasDot func(status string) bool) (TitleLayout, bool) {
	b := tb.Box
	if b.W <= 0 || b.H <= 0 {
		return TitleLayout{}, false
	}
	var fields []field
	for _, f := range []field{{"Version", tb.Version}, {"Owner", tb.Owner}, {"Status", tb.Status}, {"Release type", tb.ReleaseType}} {
		if strings.TrimSpace(f.value) != "" {
			fields = append(fields, f)
		}
	}
	dot := func(f field) float64 {
		if f.caption == "Status" && hasDot(f.value) {
			return tbDotRoom
		}
		return 0
	}
	titleSize := max(min(tbTitleMax, b.H*0.34), tbTitleMin)
	title := strings.TrimSpace(tb.Title)
	titleW := textmeasure.Width(title, titleSize, true) + 2*tbPad
	nat, titleCell := cellWidths(fields, b.W, titleW, dot)

	out := TitleLayout{Box: b}
	cy := b.Y + b.H/2
	if title != "" {
		txt := textmeasure.Ellipsize(title, titleSize, titleCell-2*tbPad, true)
		out.Title = diagram.Text{Text: txt, X: b.X + tbPad, Y: cy + titleSize*0.36, Size: titleSize, Bold: true}
	}
	x := b.X + titleCell
	for i, f := range fields {
		c := TitleCell{Field: f.caption, Raw: f.value,
			Rule: [2]diagram.Point{{X: x, Y: b.Y + b.H*0.18}, {X: x, Y: b.Bottom() - b.H*0.18}}}
		inner := nat[i] - 2*tbPad
		capText := textmeasure.Ellipsize(strings.ToUpper(f.caption), tbCaption, inner, false)
		c.Caption = diagram.Text{Text: capText, X: x + tbPad, Y: cy - 4, Size: tbCaption}
		vx := x + tbPad
		d := dot(f)
		if d > 0 {
			c.Dot = &diagram.Point{X: vx + StatusDotRadius, Y: cy + 7.5}
			vx += d
		}
		val := textmeasure.Ellipsize(f.value, tbValue, inner-d, false)
		c.Value = diagram.Text{Text: val, X: vx, Y: cy + 12, Size: tbValue}
		out.Cells = append(out.Cells, c)
		x += nat[i]
	}
	return out, true
}

// cellWidths gives each field its natural width and the title what the
// fields leave, but never less than 40%; everything shrinks in proportion
// when the box is too narrow.
func cellWidths(fields []field, width, titleW float64, dot func(field) float64) ([]float64, float64) {
	nat := make([]float64, len(fields))
	total := 0.0
	for i, f := range fields {
		nat[i] = max(captionWidth(f.caption), textmeasure.Width(f.value, tbValue, false)+dot(f)) + 2*tbPad
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
		// Spare room widens narrow fields to a common minimum, so that
		// short values such as "1.0" still get a proper cell, and the rest
		// goes to the title cell: the fields stay a compact table on the
		// right and the title keeps the prominent place on the left.
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
	return textmeasure.Width(s, tbCaption, false) + CaptionSpacing*float64(len([]rune(s)))
}

// LegendSymbol is how a legend icon shows a node kind: the box its symbol
// fills (round and diamond symbols keep their proportions in a wide icon),
// the symbol's stroke width, and for a deploy a blank badge in place of its
// environment pill. ok is false for an empty icon.
func LegendSymbol(kind string, icon diagram.Rect, nodeWidth float64) (box diagram.Rect, width float64, badge *diagram.Badge, ok bool) {
	if icon.W <= 0 || icon.H <= 0 {
		return icon, 0, nil, false
	}
	width = max(1, nodeWidth*min(1, icon.H/24))
	box = icon
	switch kind {
	case "gate":
		s := min(icon.W, icon.H*1.5)
		box = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y, W: s, H: icon.H}
	case "start", "end":
		s := min(icon.W, icon.H)
		box = diagram.Rect{X: icon.X + (icon.W-s)/2, Y: icon.Y + (icon.H-s)/2, W: s, H: s}
	}
	if kind == "deploy" {
		h := max(icon.H*0.36, 4)
		badge = &diagram.Badge{Box: diagram.Rect{X: icon.Right() - icon.W*0.55, Y: icon.Y - h*0.5, W: icon.W * 0.45, H: h}}
	}
	return box, width, badge, true
}

// LegendEdge is how a legend icon shows an edge kind: a short arrow across
// the icon's middle and, for a gate outcome, a blank label pill on it that
// tells a labelled outcome apart from plain flow. ok is false for an empty
// icon.
func LegendEdge(kind string, icon diagram.Rect) (line []diagram.Point, pill *diagram.Rect, ok bool) {
	if icon.W <= 0 {
		return nil, nil, false
	}
	y := icon.Y + icon.H/2
	line = []diagram.Point{{X: icon.X, Y: y}, {X: icon.Right(), Y: y}}
	if kind == "outcome" {
		h := min(icon.H*0.4, 7)
		pill = &diagram.Rect{X: icon.X + icon.W*0.33 - h*0.8, Y: y - h/2, W: h * 1.6, H: h}
	}
	return line, pill, true
}
