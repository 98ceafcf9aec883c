package layout

import (
	"github.com/relsop/relsop/internal/diagram"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

// Marks are drawn over a laid-out diagram by those who annotate it: a
// visual diff (added, changed, removed) and a release's progress (done,
// now, failed, skipped). This file gives them the geometry.

// Sizes of a mark, in diagram units.
const (
	markHaloGap   = 4.0
	markBadgeFont = 9.5
	markBadgeH    = 14.0
)

// MarkNode returns the mark of kind on a node whose box is box: an
// outline around it and a badge with the mark's word, centred on the
// outline's top side near its left end (the corner marks of task symbols
// sit top right), or above the middle of a small symbol. note is the
// node's tooltip.
func MarkNode(box diagram.Rect, kind, note string) *diagram.Mark {
	halo := diagram.Rect{X: round(box.X - markHaloGap), Y: round(box.Y - markHaloGap), W: round(box.W + 2*markHaloGap), H: round(box.H + 2*markHaloGap)}
	w := tm.Width(kind, markBadgeFont, true)
	bw := w + 12
	x := halo.X + 10
	if bw+20 > halo.W {
		x = halo.X + (halo.W-bw)/2
	}
	bb := diagram.Rect{X: round(x), Y: round(halo.Y - markBadgeH/2), W: round(bw), H: markBadgeH}
	return &diagram.Mark{Kind: kind, Box: halo, Note: note, Badge: &diagram.Badge{Box: bb,
		Text: diagram.Text{Text: kind, X: round(bb.X + 6), Y: round(bb.Y + 10.5), Width: round(w), Size: markBadgeFont, Bold: true}}}
}

// MarkEntry is a legend entry for a mark.
type MarkEntry struct{ Kind, Label string }

// AddMarkLegend appends entries to d's legend, continuing its last row as
// the legend lays rows out, and grows the legend and the diagram to hold
// a new row.
func AddMarkLegend(d *diagram.Diagram, entries []MarkEntry) {
	const icon, size, gap, rowH = 28.0, 11.0, 18.0, 24.0
	if len(entries) == 0 {
		return
	}
	lg := &d.Legend
	var x, y float64
	fresh := len(lg.Entries) == 0
	if fresh {
		x, y = margin, d.Height
		lg.Box = diagram.Rect{X: margin, Y: round(y), W: round(max(d.Width-2*margin, 0))}
	} else {
		last := lg.Entries[len(lg.Entries)-1]
		x, y = last.Text.X+last.Text.Width+gap, last.Icon.Y-4
	}
	bottom := lg.Box.Bottom()
	for _, m := range entries {
		tw := tm.Width(m.Label, size, false)
		w := icon + 6 + tw
		if x+w > d.Width-margin && x > margin {
			x, y = margin, y+rowH
		}
		lg.Entries = append(lg.Entries, diagram.LegendEntry{Kind: "mark:" + m.Kind, Label: m.Label,
			Icon: diagram.Rect{X: round(x), Y: round(y + 4), W: icon, H: 16},
			Text: diagram.Text{Text: m.Label, X: round(x + icon + 6), Y: round(y + 16), Width: round(tw), Size: size}})
		x += w + gap
	}
	if grow := y + rowH - bottom; grow > 0 {
		lg.Box.H = round(lg.Box.H + grow)
		d.Height = round(d.Height + grow)
	}
	if fresh {
		d.Height = round(lg.Box.Bottom() + margin)
	}
}
