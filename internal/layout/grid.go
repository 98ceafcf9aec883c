package layout

import (
	"fmt"
	"sort"

	"github.com/relsop/relsop"
)

// cell is a node of the grid: one step and where it sits.
type cell struct {
	step  *relsop.Step
	lane  int // index into grid.lanes
	phase int // index into grid.phases
	layer int // global longest-path layer
	col   int // global column
	sub   int // row within the lane (steps stacked in one lane × column)
	row   int // global row
	w, h  float64
	x, y  float64 // top-left of the node box
	lines []string
}

type band struct {
	id, name string
	cols     int // phases: columns inside the band
	rows     int // lanes: rows inside the lane
}

// grid holds the layout as it is built up.
type grid struct {
	sop    *relsop.SOP
	cells  []*cell
	byID   map[string]*cell
	lanes  []band
	phases []band
	colX   []float64 // left of each column's nodes
	colW   []float64
	rowY   []float64 // top of each row's nodes
	rowH   []float64
	// vertical lays the grid out transposed (phases as rows, lanes as
	// columns); transpose turns the finished drawing a quarter.
	vertical bool
	// Where the header cells of lanes (left, in the grid's frame) and of
	// phases (top) begin, and how deep they are.
	laneHdrAt, laneHdrW   float64
	phaseHdrAt, phaseHdrH float64
	gapX                  float64   // the narrowest channel between columns
	gapY                  float64   // the lowest corridor between rows
	chanW                 []float64 // width of channel k, left of column k (k = columns: right of the last)
	corrH                 []float64 // height of corridor r, above row r

	// Set by assignTracks: what each channel and corridor holds.
	chanReserve    []float64 // room for labels at the left of a channel
	chanTracks     []int
	corrTopBand    []float64 // room for labels at the top of a corridor
	corrBottomBand []float64
	corrTracks     []int
	warnings       []string
}

// unassigned is the lane of steps without a (known) owner, and the band of
// steps without a (known) phase.
const unassigned = "(unassigned)"

func newGrid(sop *relsop.SOP, vertical bool) *grid {
	g := &grid{sop: sop, byID: map[string]*cell{}, vertical: vertical}
	// Lane headers at the left and phase headers under the title; for the
	// vertical layout, in the transposed frame, lane headers under the
	// title and phase headers at the left.
	g.laneHdrAt, g.laneHdrW = margin, laneHeaderW
	g.phaseHdrAt, g.phaseHdrH = margin+titleH, phaseHeaderH
	if vertical {
		g.laneHdrAt, g.laneHdrW = margin+titleH, laneHeaderH
		g.phaseHdrAt, g.phaseHdrH = margin, phaseHeaderW
	}
	laneOf := map[string]int{}
	for _, r := range sop.Roles {
		laneOf[r.ID] = len(g.lanes)
		g.lanes = append(g.lanes, band{id: r.ID, name: nameOr(r.Name, r.ID)})
	}
	phaseOf := map[string]int{}
	for _, p := range sop.Phases {
		phaseOf[p.ID] = len(g.phases)
		g.phases = append(g.phases, band{id: p.ID, name: nameOr(p.Name, p.ID)})
	}
	for i := range sop.Steps {
		st := &sop.Steps[i]
		c := &cell{step: st, lane: -1, phase: -1}
		if l, ok := laneOf[st.Owner]; ok {
			c.lane = l
		}
		if p, ok := phaseOf[st.Phase]; ok {
			c.phase = p
		}
		g.cells = append(g.cells, c)
		g.byID[st.ID] = c
	}
	g.placeOrphans(laneOf)
	return g
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// placeOrphans gives steps without a lane an extra lane, and steps without
// a phase the phase of the step before them (or the first phase), so that
// every step can be drawn.
func (g *grid) placeOrphans(laneOf map[string]int) {
	extra := -1
	for _, c := range g.cells {
		if c.lane < 0 {
			if extra < 0 {
				extra = len(g.lanes)
				g.lanes = append(g.lanes, band{id: "", name: unassigned})
			}
			c.lane = extra
		}
	}
	if len(g.phases) == 0 {
		g.phases = append(g.phases, band{id: "", name: ""})
	}
	// Inherit a phase along flows, in file order, until nothing changes.
	preds := map[*cell][]*cell{}
	for _, o := range g.cells {
		for _, f := range o.step.Flows() {
			if t := g.byID[f.To]; t != nil && t != o {
				preds[t] = append(preds[t], o)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, c := range g.cells {
			if c.phase >= 0 {
				continue
			}
			for _, p := range preds[c] {
				if p.phase >= 0 {
					c.phase, changed = p.phase, true
					break
				}
			}
		}
	}
	for _, c := range g.cells {
		if c.phase < 0 {
			c.phase = 0
		}
	}
}

// rank gives every step a layer by longest path over the flows, with the
// flows that close cycles (found by depth-first search from the start)
// left out, then turns layers into columns inside each phase band.
func (g *grid) rank() {
	back := g.backEdges()
	indeg := map[*cell]int{}
	succ := map[*cell][]*cell{}
	for _, c := range g.cells {
		for _, f := range c.step.Flows() {
			t := g.byID[f.To]
			if t == nil || t == c || back[[2]string{c.step.ID, f.To}] {
				continue
			}
			succ[c] = append(succ[c], t)
			indeg[t]++
		}
	}
	var queue []*cell
	for _, c := range g.cells {
		if indeg[c] == 0 {
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, t := range succ[c] {
			// A step never sits left of its phase's place in the order:
			// layers only grow along flows.
			if c.layer+1 > t.layer {
				t.layer = c.layer + 1
			}
			indeg[t]--
			if indeg[t] == 0 {
				queue = append(queue, t)
			}
		}
	}
	// Columns: the distinct layers of each phase, in order.
	col := 0
	for p := range g.phases {
		var layers []int
		seen := map[int]bool{}
		for _, c := range g.cells {
			if c.phase == p && !seen[c.layer] {
				seen[c.layer] = true
				layers = append(layers, c.layer)
			}
		}
		sort.Ints(layers)
		index := map[int]int{}
		for i, l := range layers {
			index[l] = i
		}
		for _, c := range g.cells {
			if c.phase == p {
				c.col = col + index[c.layer]
			}
		}
		g.phases[p].cols = max(1, len(layers))
		col += g.phases[p].cols
	}
}

// backEdges finds the flows that close a cycle, by depth-first search from
// the start steps, then from any step not yet visited, in file order.
func (g *grid) backEdges() map[[2]string]bool {
	back := map[[2]string]bool{}
	state := map[*cell]int{} // 0 new, 1 on stack, 2 done
	var visit func(c *cell)
	visit = func(c *cell) {
		state[c] = 1
		for _, f := range c.step.Flows() {
			t := g.byID[f.To]
			if t == nil {
				continue
			}
			switch state[t] {
			case 0:
				visit(t)
			case 1:
				back[[2]string{c.step.ID, f.To}] = true
			}
		}
		state[c] = 2
	}
	for _, c := range g.cells {
		if c.step.Kind == relsop.KindStart && state[c] == 0 {
			visit(c)
		}
	}
	for _, c := range g.cells {
		if state[c] == 0 {
			visit(c)
		}
	}
	return back
}

// order stacks the steps sharing a lane × column cell and orders them to
// reduce crossings: a few sweeps sorting by the mean row of neighbours.
func (g *grid) order() {
	type key struct{ lane, col int }
	cellsAt := map[key][]*cell{}
	for _, c := range g.cells {
		k := key{c.lane, c.col}
		cellsAt[k] = append(cellsAt[k], c)
	}
	for _, cs := range cellsAt {
		for i, c := range cs {
			c.sub = i
		}
	}
	neighbours := map[*cell][]*cell{}
	for _, c := range g.cells {
		for _, f := range c.step.Flows() {
			if t := g.byID[f.To]; t != nil && t != c {
				neighbours[c] = append(neighbours[c], t)
				neighbours[t] = append(neighbours[t], c)
			}
		}
	}
	pos := func(c *cell) float64 { return float64(c.lane)*100 + float64(c.sub) }
	for sweep := 0; sweep < 4; sweep++ {
		keys := make([]key, 0, len(cellsAt))
		for k := range cellsAt {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].col != keys[j].col {
				return keys[i].col < keys[j].col
			}
			return keys[i].lane < keys[j].lane
		})
		for _, k := range keys {
			cs := cellsAt[k]
			if len(cs) < 2 {
				continue
			}
			bary := map[*cell]float64{}
			for _, c := range cs {
				sum, n := 0.0, 0
				for _, o := range neighbours[c] {
					sum += pos(o)
					n++
				}
				bary[c] = pos(c)
				if n > 0 {
					bary[c] = sum / float64(n)
				}
			}
			sort.SliceStable(cs, func(i, j int) bool { return bary[cs[i]] < bary[cs[j]] })
			for i, c := range cs {
				c.sub = i
			}
		}
	}
	g.assignRows()
}

// assignRows sizes each lane to its stacked rows and numbers the rows of
// the whole grid.
func (g *grid) assignRows() {
	for i := range g.lanes {
		g.lanes[i].rows = 0
	}
	for _, c := range g.cells {
		if l := &g.lanes[c.lane]; c.sub+1 > l.rows {
			l.rows = c.sub + 1
		}
	}
	row := 0
	start := make([]int, len(g.lanes))
	for i := range g.lanes {
		g.lanes[i].rows = max(1, g.lanes[i].rows)
		start[i] = row
		row += g.lanes[i].rows
	}
	for _, c := range g.cells {
		c.row = start[c.lane] + c.sub
	}
}

func (g *grid) columns() int {
	n := 0
	for _, p := range g.phases {
		n += p.cols
	}
	return n
}

func (g *grid) rows() int {
	n := 0
	for _, l := range g.lanes {
		n += l.rows
	}
	return n
}

func (g *grid) warn(format string, args ...any) {
	g.warnings = append(g.warnings, fmt.Sprintf(format, args...))
}
