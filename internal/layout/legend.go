package layout

import (
	"github.com/relsop/relsop/internal/diagram"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

// legendEntries are the symbols a legend may explain, in reading order.
var legendEntries = []struct{ kind, label string }{
	{"start", "Start"}, {"end", "End"}, {"task", "Task"}, {"automated", "Automated task"}, {"gate", "Gate (decision)"},
	{"deploy", "Deploy to environment"}, {"rollback", "Rollback"}, {"notify", "Notification"},
	{"edge:next", "Flow"}, {"edge:outcome", "Gate outcome"}, {"edge:rollback", "Rollback path"}, {"edge:escalation", "Escalation path"},
}

// addLegend adds a legend of the symbols used, in rows below the grid.
func addLegend(g *grid, d *diagram.Diagram) {
	used := map[string]bool{}
	for _, n := range d.Nodes {
		used[n.Kind] = true
	}
	for _, e := range d.Edges {
		// A lookup builds its key on the stack; storing one allocates it:
		// once per kind, not per edge.
		if !used["edge:"+e.Kind] {
			used["edge:"+e.Kind] = true
		}
	}
	const icon, size, gap = 28.0, 11.0, 18.0
	x0, y := margin, d.Height
	x := x0
	top := y
	var entries []diagram.LegendEntry
	for _, le := range legendEntries {
		if !used[le.kind] {
			continue
		}
		w := icon + 6 + tm.Width(le.label, size, false)
		if x+w > d.Width-margin && x > x0 {
			x, y = x0, y+24
		}
		iconBox := diagram.Rect{X: round(x), Y: round(y + 4), W: icon, H: 16}
		entries = append(entries, diagram.LegendEntry{Kind: le.kind, Label: le.label, Icon: iconBox,
			Text: diagram.Text{Text: le.label, X: round(x + icon + 6), Y: round(y + 16), Width: round(tm.Width(le.label, size, false)), Size: size}})
		x += w + gap
	}
	if len(entries) == 0 {
		return
	}
	d.Legend = diagram.Legend{Box: diagram.Rect{X: x0, Y: round(top), W: round(d.Width - 2*margin), H: round(y + 24 - top)}, Entries: entries}
	d.Height = round(y + 24 + margin)
}
