package layout

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/relsop/relsop"
)

// cell is a node of the grid: one step and where it sits.
type cell struct {
	step  *relsop.Step
	id    int // index into grid.cells
	lane  int // index into grid.lanes
	phase int // index into grid.phases
	layer int // global longest-path layer
	col   int // global column
	sub   int // row within the lane (steps stacked in one lane × column)
	row   int // global row
	w, h  float64
	x, y  float64 // top-left of the node box
	lines []string
	textW float64 // the width of its widest line
	// The step's flows and the cell each leads to (nil: none), worked out
	// once: every stage and every routing attempt walks them.
	flows   []relsop.Flow
	targets []*cell
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

	scratch *scratch // buffers reused by each routing
}

// unassigned is the lane of steps without a (known) owner, and the band of
// steps without a (known) phase.
const unassigned = "(unassigned)"

func newGrid(sop *relsop.SOP, vertical bool) *grid {
	g := &grid{sop: sop, vertical: vertical, scratch: scratchPool.Get().(*scratch)}
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
	cells := make([]cell, len(sop.Steps)) // one allocation for all
	byID := make(map[string]*cell, len(sop.Steps))
	for i := range sop.Steps {
		st := &sop.Steps[i]
		c := &cells[i]
		*c = cell{step: st, id: i, flows: st.Flows(), lane: -1, phase: -1}
		if l, ok := laneOf[st.Owner]; ok {
			c.lane = l
		}
		if p, ok := phaseOf[st.Phase]; ok {
			c.phase = p
		}
		g.cells = append(g.cells, c)
		byID[st.ID] = c
	}
	for _, c := range g.cells {
		c.targets = make([]*cell, len(c.flows))
		for i, f := range c.flows {
			c.targets[i] = byID[f.To]
		}
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
	if !slices.ContainsFunc(g.cells, func(c *cell) bool { return c.phase < 0 }) {
		return // every step has its phase
	}
	// Inherit a phase along flows, in file order, until nothing changes.
	preds := make([][]*cell, len(g.cells))
	for _, o := range g.cells {
		for _, t := range o.targets {
			if t != nil && t != o {
				preds[t.id] = append(preds[t.id], o)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, c := range g.cells {
			if c.phase >= 0 {
				continue
			}
			for _, p := range preds[c.id] {
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
	indeg := make([]int, len(g.cells))
	succ := make([][]*cell, len(g.cells))
	for _, c := range g.cells {
		for i, f := range c.flows {
			t := c.targets[i]
			if t == nil || t == c || back[[2]string{c.step.ID, f.To}] {
				continue
			}
			succ[c.id] = append(succ[c.id], t)
			indeg[t.id]++
		}
	}
	queue := make([]*cell, 0, len(g.cells))
	for _, c := range g.cells {
		if indeg[c.id] == 0 {
			queue = append(queue, c)
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, t := range succ[c.id] {
			// A step never sits left of its phase's place in the order:
			// layers only grow along flows.
			if c.layer+1 > t.layer {
				t.layer = c.layer + 1
			}
			indeg[t.id]--
			if indeg[t.id] == 0 {
				queue = append(queue, t)
			}
		}
	}
	// Columns: the distinct layers of each phase, in order.
	col := 0
	var layers []int
	for p := range g.phases {
		layers = layers[:0]
		for _, c := range g.cells {
			if c.phase == p {
				layers = append(layers, c.layer)
			}
		}
		slices.Sort(layers)
		layers = slices.Compact(layers)
		for _, c := range g.cells {
			if c.phase == p {
				i, _ := slices.BinarySearch(layers, c.layer)
				c.col = col + i
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
	state := make([]int, len(g.cells)) // 0 new, 1 on stack, 2 done
	var visit func(c *cell)
	visit = func(c *cell) {
		state[c.id] = 1
		for i, f := range c.flows {
			t := c.targets[i]
			if t == nil {
				continue
			}
			switch state[t.id] {
			case 0:
				visit(t)
			case 1:
				back[[2]string{c.step.ID, f.To}] = true
			}
		}
		state[c.id] = 2
	}
	for _, c := range g.cells {
		if c.step.Kind == relsop.KindStart && state[c.id] == 0 {
			visit(c)
		}
	}
	for _, c := range g.cells {
		if state[c.id] == 0 {
			visit(c)
		}
	}
	return back
}

// order stacks the steps sharing a lane × column cell and orders them to
// reduce crossings: a few sweeps sorting by the mean row of neighbours.
func (g *grid) order() {
	// The stacks, in the order the sweeps take them up: column by column
	// and, in a column, lane by lane; in a stack, the steps in file order.
	sorted := slices.Clone(g.cells)
	slices.SortStableFunc(sorted, func(a, b *cell) int {
		return cmp.Or(cmp.Compare(a.col, b.col), cmp.Compare(a.lane, b.lane))
	})
	var stacks [][]*cell
	for len(sorted) > 0 {
		n := 1
		for n < len(sorted) && sorted[n].col == sorted[0].col && sorted[n].lane == sorted[0].lane {
			n++
		}
		for i, c := range sorted[:n] {
			c.sub = i
		}
		if n > 1 {
			stacks = append(stacks, sorted[:n:n])
		}
		sorted = sorted[n:]
	}
	neighbours := make([][]*cell, len(g.cells))
	for _, c := range g.cells {
		for _, t := range c.targets {
			if t != nil && t != c {
				neighbours[c.id] = append(neighbours[c.id], t)
				neighbours[t.id] = append(neighbours[t.id], c)
			}
		}
	}
	pos := func(c *cell) float64 { return float64(c.lane)*100 + float64(c.sub) }
	bary := make([]float64, len(g.cells))
	for sweep := 0; sweep < 4; sweep++ {
		for _, cs := range stacks {
			for _, c := range cs {
				sum, n := 0.0, 0
				for _, o := range neighbours[c.id] {
					sum += pos(o)
					n++
				}
				bary[c.id] = pos(c)
				if n > 0 {
					bary[c.id] = sum / float64(n)
				}
			}
			slices.SortStableFunc(cs, func(a, b *cell) int { return cmp.Compare(bary[a.id], bary[b.id]) })
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
