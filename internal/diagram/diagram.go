// Package diagram is the geometry contract between the layout engine and
// every renderer (SVG, PNG, PDF) and the web editor: lanes, phase bands,
// nodes with their boxes and kinds, and edges with routed points and
// labels. It is plain data, serialisable as JSON (relsop render --format
// json); renderers never see YAML or the SOP model.
package diagram

// Point is a position in diagram units (1 unit = 1 CSS pixel at scale 1).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rect is an axis-aligned box.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Right is the x of the right side.
func (r Rect) Right() float64 { return r.X + r.W }

// Bottom is the y of the bottom side.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Center is the middle of the box.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Overlaps reports whether two boxes share any area.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.Right() && o.X < r.Right() && r.Y < o.Bottom() && o.Y < r.Bottom()
}

// Contains reports whether o lies inside r.
func (r Rect) Contains(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.Right() <= r.Right() && o.Bottom() <= r.Bottom()
}

// Diagram is a laid-out swimlane diagram.
type Diagram struct {
	Title     TitleBlock `json:"title"`
	Direction string     `json:"direction"` // horizontal (phases are columns) or vertical
	Width     float64    `json:"width"`
	Height    float64    `json:"height"`
	Lanes     []Lane     `json:"lanes"`
	Phases    []Phase    `json:"phases"`
	Nodes     []Node     `json:"nodes"`
	Edges     []Edge     `json:"edges"`
	Legend    Legend     `json:"legend"`
	// Panels hold content drawn apart from the grid, below the legend, such
	// as the steps a visual diff shows as removed. Empty for a plain diagram.
	Panels []Panel `json:"panels,omitempty"`
	// Warnings say what could not be drawn as written, such as glyphs the
	// font lacks.
	Warnings []string `json:"warnings,omitempty"`
}

// TitleBlock names the SOP, as on an engineering drawing.
type TitleBlock struct {
	Box         Rect   `json:"box"`
	Title       string `json:"title"`
	Version     string `json:"version,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Status      string `json:"status,omitempty"`
	ReleaseType string `json:"release_type,omitempty"`
}

// Lane is one role's swimlane, with its header box.
type Lane struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Box    Rect   `json:"box"`    // the whole lane
	Header Rect   `json:"header"` // the header cell holding the name
	Lines  []Text `json:"lines"`  // the name, wrapped
}

// Phase is one phase's column band, with its header box.
type Phase struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Box    Rect   `json:"box"`
	Header Rect   `json:"header"`
	Lines  []Text `json:"lines"`
}

// Text is one line of text with its baseline origin and measured width.
type Text struct {
	Text  string  `json:"text"`
	X     float64 `json:"x"` // left end of the baseline
	Y     float64 `json:"y"` // baseline
	Width float64 `json:"width"`
	Size  float64 `json:"size"` // font size
	Bold  bool    `json:"bold,omitempty"`
}

// Node is one step.
type Node struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // the step kind: start, task, automated, gate, deploy, rollback, notify, end
	Name  string `json:"name"`
	Lane  string `json:"lane"`
	Phase string `json:"phase"`
	Box   Rect   `json:"box"`
	Lines []Text `json:"lines"`           // the name, wrapped to fit the box
	Badge *Badge `json:"badge,omitempty"` // a deploy or rollback step's environment
	Mark  *Mark  `json:"mark,omitempty"`  // set only by a visual diff or a release's progress
}

// The marks a visual diff of two versions of an SOP puts on nodes and edges.
const (
	MarkAdded   = "added"
	MarkChanged = "changed"
	MarkRemoved = "removed"
)

// The marks a release's progress puts on nodes and edges: steps carried
// out (and flows taken), the steps ready now, failed and skipped.
const (
	MarkDone    = "done"
	MarkNow     = "now"
	MarkFailed  = "failed"
	MarkSkipped = "skipped"
)

// Mark flags a node: added, changed or removed between two versions, or
// where a release stands.
type Mark struct {
	Kind  string `json:"kind"`            // one of the Mark constants
	Box   Rect   `json:"box"`             // the outline drawn around the node
	Badge *Badge `json:"badge,omitempty"` // the mark's word on the outline
	Note  string `json:"note,omitempty"`  // what changed, for the node's tooltip
}

// Panel is a captioned box below the diagram: ghost nodes (with a Mark)
// drawn in a row, then lines of text.
type Panel struct {
	Box     Rect   `json:"box"`
	Caption Text   `json:"caption"`
	Nodes   []Node `json:"nodes,omitempty"`
	Lines   []Text `json:"lines,omitempty"`
}

// Badge is a small label on a node's corner.
type Badge struct {
	Text Text `json:"text"`
	Box  Rect `json:"box"`
}

// Edge is one routed flow.
type Edge struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Kind   string  `json:"kind"` // next, outcome, rollback, escalation
	Label  string  `json:"label,omitempty"`
	Points []Point `json:"points"` // orthogonal polyline from source port to target port
	// LabelBox is where the label is drawn; zero when there is none.
	LabelBox Rect  `json:"label_box"`
	LabelAt  *Text `json:"label_text,omitempty"`
	// Mark is MarkAdded or MarkChanged in a visual diff, MarkDone on a
	// flow a release took; empty otherwise.
	Mark string `json:"mark,omitempty"`
}

// Legend explains the symbols used.
type Legend struct {
	Box     Rect          `json:"box"`
	Entries []LegendEntry `json:"entries"`
}

// LegendEntry is one symbol and its meaning.
type LegendEntry struct {
	Kind  string `json:"kind"` // a node kind, an edge kind prefixed "edge:", or a diff mark prefixed "mark:"
	Label string `json:"label"`
	Icon  Rect   `json:"icon"`
	Text  Text   `json:"text"`
}
