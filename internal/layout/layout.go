// Package layout turns an SOP into diagram geometry: roles become lanes
// (rows), phases become column bands, each step sits in its lane × phase
// cell, and flows are routed orthogonally through the channels between
// columns and the corridors between rows, so that no edge crosses a box.
// It is deterministic: the same SOP gives the same geometry.
package layout

import (
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
)

// Options tune the layout.
type Options struct {
	// Direction is horizontal (the default: phases are columns, flow runs
	// left to right, lanes are rows) or vertical (phases are rows, flow
	// runs top to bottom, lanes are columns).
	Direction string
}

// Directions are the values Options.Direction takes.
var Directions = []string{"horizontal", "vertical"}

// Sizes, in diagram units (CSS pixels at scale 1). They are chosen for
// legibility on paper: 12-point names, room for two-word outcome labels.
const (
	nodeFont     = 12.0
	headerFont   = 13.0
	labelFont    = 11.0
	titleFont    = 16.0
	lineGap      = 1.3 // line height as a multiple of the font size
	nodeTextW    = 140.0
	nodeMaxLines = 4
	gateTextW    = 96.0
	nodePad      = 10.0
	minNodeW     = 150.0
	minNodeH     = 44.0
	circleD      = 36.0
	laneHeaderW  = 140.0
	phaseHeaderH = 34.0
	laneHeaderH  = 44.0  // vertical layout: lane names above the lanes, two lines
	phaseHeaderW = 120.0 // vertical layout: phase names left of the bands
	titleH       = 58.0
	margin       = 20.0
	minGapX      = 64.0 // channel between columns, for vertical edge runs and labels
	minGapY      = 40.0 // corridor between rows, for horizontal edge runs
	trackGap     = 8.0  // distance between parallel edge runs in one channel
)

// Compute lays out sop, which should be a resolved flow (SOP.Resolve).
func Compute(sop *relsop.SOP, opts Options) *diagram.Diagram {
	g := newGrid(sop, opts.Direction == "vertical")
	g.rank()
	g.order()
	d := &diagram.Diagram{}
	g.size()
	won, crossings := routeEdges(g, d, nil, -1)
	unblock(g, d, won, crossings)
	if g.vertical {
		transpose(g, d)
	}
	addLegend(g, d)
	d.Warnings = g.warnings
	g.scratch.release()
	return d
}
