// Package rendertest holds the diagram every renderer is tested with, so
// that SVG, PNG and PDF are checked against the same drawing.
package rendertest

import (
	"math"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/textmeasure"
)

// The fixture stands in for the layout engine: a small SOP with every node
// kind and edge kind, laid out by hand on the grid a layout would produce,
// with text measured and wrapped by textmeasure as the layout does.

// centred wraps s to width and centres the lines in box.
func centred(s string, size float64, bold bool, box diagram.Rect, width float64) []diagram.Text {
	lines := textmeasure.Wrap(s, size, width, bold, 3)
	lh := size * 1.25
	top := box.Y + box.H/2 - lh*float64(len(lines))/2
	out := make([]diagram.Text, len(lines))
	for i, l := range lines {
		wd := textmeasure.Width(l, size, bold)
		out[i] = diagram.Text{Text: l, X: box.X + (box.W-wd)/2, Y: top + lh*float64(i) + lh/2 + size*0.35, Width: wd, Size: size, Bold: bold}
	}
	return out
}

func fixtureNode(id, kind, name, lane, phase string, box diagram.Rect) diagram.Node {
	width := box.W - 24
	switch kind {
	case "gate":
		width = box.W * 0.56
	case "start", "end":
		width = box.W - 8
	}
	return diagram.Node{ID: id, Kind: kind, Name: name, Lane: lane, Phase: phase, Box: box,
		Lines: centred(name, 12, false, box, width)}
}

func fixtureEdge(from, to, kind, label string, pts ...diagram.Point) diagram.Edge {
	e := diagram.Edge{From: from, To: to, Kind: kind, Label: label, Points: pts}
	if label != "" {
		// The label sits on the middle of the longest segment.
		best, at := -1.0, diagram.Point{}
		for i := 1; i < len(pts); i++ {
			if l := dist(pts[i-1], pts[i]); l > best {
				best, at = l, diagram.Point{X: (pts[i-1].X + pts[i].X) / 2, Y: (pts[i-1].Y + pts[i].Y) / 2}
			}
		}
		const size = 10.5
		w := textmeasure.Width(label, size, false)
		e.LabelBox = diagram.Rect{X: at.X - w/2 - 6, Y: at.Y - 8, W: w + 12, H: 16}
		e.LabelAt = &diagram.Text{Text: label, X: at.X - w/2, Y: at.Y + size*0.36, Width: w, Size: size}
	}
	return e
}

func pt(x, y float64) diagram.Point { return diagram.Point{X: x, Y: y} }

// fixture returns the test diagram. Each call builds a fresh value, so tests
// may modify what they get.
// Fixture returns a small laid-out SOP with every node kind and edge kind.
func Fixture() *diagram.Diagram {
	d := &diagram.Diagram{
		Direction: "horizontal",
		Width:     1260,
		Title: diagram.TitleBlock{
			Box:   diagram.Rect{X: 24, Y: 24, W: 1212, H: 56},
			Title: "Weekly SaaS release", Version: "2.3.0", Owner: "Release Management",
			Status: "approved", ReleaseType: "minor",
		},
	}
	lane := func(id, name string, y, h float64) diagram.Lane {
		hd := diagram.Rect{X: 24, Y: y, W: 132, H: h}
		return diagram.Lane{ID: id, Name: name, Box: diagram.Rect{X: 24, Y: y, W: 1212, H: h}, Header: hd,
			Lines: centred(name, 12, true, hd, 110)}
	}
	d.Lanes = []diagram.Lane{lane("release-manager", "Release Manager", 132, 150), lane("sre", "Platform / SRE", 282, 210)}
	phase := func(id, name string, x, w float64) diagram.Phase {
		hd := diagram.Rect{X: x, Y: 96, W: w, H: 36}
		return diagram.Phase{ID: id, Name: name, Box: diagram.Rect{X: x, Y: 132, W: w, H: 360}, Header: hd,
			Lines: centred(name, 12, true, hd, w-20)}
	}
	d.Phases = []diagram.Phase{phase("verify", "Verify", 156, 430), phase("release", "Release", 586, 650)}

	deploy := fixtureNode("deploy-prod", "deploy", "Deploy to production", "sre", "release", diagram.Rect{X: 630, Y: 324, W: 160, H: 56})
	bw := textmeasure.Width("production", 9, true)
	deploy.Badge = &diagram.Badge{
		Box:  diagram.Rect{X: 780 - (bw + 12), Y: 316, W: bw + 12, H: 16},
		Text: diagram.Text{Text: "production", X: 780 - bw - 6, Y: 327.2, Width: bw, Size: 9, Bold: true},
	}
	d.Nodes = []diagram.Node{
		fixtureNode("start", "start", "Start", "release-manager", "verify", diagram.Rect{X: 180, Y: 183, W: 48, H: 48}),
		fixtureNode("regression", "automated", "Run regression suite", "sre", "verify", diagram.Rect{X: 250, Y: 324, W: 150, H: 56}),
		fixtureNode("go-no-go", "gate", "Go / no-go review", "release-manager", "verify", diagram.Rect{X: 430, Y: 167, W: 130, H: 80}),
		fixtureNode("cab", "task", "CAB decision", "release-manager", "release", diagram.Rect{X: 640, Y: 179, W: 140, H: 56}),
		deploy,
		fixtureNode("verify-health", "task", "Verify health dashboards", "sre", "release", diagram.Rect{X: 850, Y: 324, W: 150, H: 56}),
		fixtureNode("rollback", "rollback", "Roll back release", "sre", "release", diagram.Rect{X: 850, Y: 416, W: 150, H: 52}),
		fixtureNode("announce", "notify", "Announce release", "release-manager", "release", diagram.Rect{X: 980, Y: 179, W: 140, H: 56}),
		fixtureNode("end", "end", "End", "release-manager", "release", diagram.Rect{X: 1160, Y: 183, W: 48, H: 48}),
	}
	d.Edges = []diagram.Edge{
		fixtureEdge("start", "regression", "next", "", pt(204, 231), pt(204, 352), pt(250, 352)),
		fixtureEdge("regression", "go-no-go", "next", "", pt(325, 324), pt(325, 207), pt(430, 207)),
		fixtureEdge("go-no-go", "deploy-prod", "outcome", "go", pt(495, 247), pt(495, 352), pt(630, 352)),
		fixtureEdge("go-no-go", "cab", "escalation", "blocked", pt(560, 207), pt(640, 207)),
		fixtureEdge("cab", "deploy-prod", "outcome", "approve", pt(680, 235), pt(680, 324)),
		fixtureEdge("deploy-prod", "verify-health", "next", "", pt(790, 352), pt(850, 352)),
		fixtureEdge("deploy-prod", "rollback", "rollback", "fails", pt(710, 380), pt(710, 442), pt(850, 442)),
		fixtureEdge("verify-health", "announce", "next", "", pt(925, 324), pt(925, 207), pt(980, 207)),
		fixtureEdge("rollback", "announce", "next", "", pt(1000, 442), pt(1050, 442), pt(1050, 235)),
		fixtureEdge("announce", "end", "next", "", pt(1120, 207), pt(1160, 207)),
	}
	d.Legend = fixtureLegend(diagram.Rect{X: 24, Y: 512, W: 1212})
	d.Height = d.Legend.Box.Bottom() + 24
	return d
}

// fixtureLegend flows the legend entries into rows that fit box.W.
func fixtureLegend(box diagram.Rect) diagram.Legend {
	entries := []struct{ kind, label string }{
		{"start", "Start"}, {"end", "End"}, {"task", "Task"}, {"automated", "Automated task"},
		{"gate", "Gate (go / no-go)"}, {"deploy", "Deploy (environment)"}, {"rollback", "Rollback step"},
		{"notify", "Notification"}, {"edge:next", "Flow"}, {"edge:outcome", "Gate outcome"},
		{"edge:rollback", "Rollback path"}, {"edge:escalation", "Escalation path"},
	}
	const pad, iconW, iconH, gap, space, row, size = 14.0, 30.0, 18.0, 8.0, 26.0, 28.0, 11.0
	x, y := box.X+pad, box.Y+pad
	lg := diagram.Legend{}
	for _, e := range entries {
		tw := textmeasure.Width(e.label, size, false)
		if x+iconW+gap+tw > box.Right()-pad {
			x, y = box.X+pad, y+row
		}
		lg.Entries = append(lg.Entries, diagram.LegendEntry{
			Kind: e.kind, Label: e.label,
			Icon: diagram.Rect{X: x, Y: y, W: iconW, H: iconH},
			Text: diagram.Text{Text: e.label, X: x + iconW + gap, Y: y + iconH/2 + size*0.36, Width: tw, Size: size},
		})
		x += iconW + gap + tw + space
	}
	box.H = y + iconH + pad - box.Y
	lg.Box = box
	return lg
}

func dist(a, b diagram.Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }
