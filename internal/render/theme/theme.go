// Package theme holds the colours and strokes of the diagram themes (light,
// dark and print), shared by the SVG, PNG and PDF renderers so that the three
// formats look alike by construction.
//
// The palette follows Okabe and Ito ("Color Universal Design"), whose eight
// colours stay distinguishable under the common colour-vision deficiencies.
// Where a hue is too light to read as a thin line or behind white text on a
// light background, a darker shade of the same hue is used, never a new hue.
// Colour is always redundant: every kind also differs by shape, mark or dash.
package theme

import "strings"

const (
	okBlue       = "#0072B2"
	okOrange     = "#E69F00" // escalation amber
	okGreen      = "#009E73"
	okVermillion = "#D55E00" // rollback red
	okPurple     = "#CC79A7"
	okSky        = "#56B4E9"
)

// NodeStyle colours one node kind.
type NodeStyle struct {
	Fill   string // body fill; "none" in print where fills waste toner
	Stroke string // outline
	Mark   string // the gear, envelope or return mark in the corner
}

// EdgeStyle draws one edge kind.
type EdgeStyle struct {
	Stroke string
	Width  float64
	Dash   []float64 // dash and gap lengths in diagram units; nil for solid
	Round  bool      // round caps, which turn very short dashes into dots
}

// theme is everything a renderer needs to colour a diagram.
type Theme struct {
	Name        string
	Background  string
	Text        string
	Muted       string // secondary text: field labels, header captions
	LaneFill    [2]string
	HeaderFill  string
	HeaderText  string
	Grid        string // separators between lanes and phases
	Frame       string // the outline of the whole swimlane grid
	PanelFill   string // title block and legend
	PanelStroke string

	NodeWidth float64 // outline width of every node but the end
	EndWidth  float64 // the end circle is told apart by its heavy stroke

	Task, Automated, Gate, Deploy, Rollback, Notify, Start, End NodeStyle

	// BadgeSolid fills badges with the node's colour and writes in
	// BadgeText; print outlines them instead.
	BadgeSolid bool
	BadgeText  string

	Next, Outcome, RollbackEdge, Escalation EdgeStyle
	ArrowLen, ArrowWidth                    float64
	LabelText                               string

	StatusApproved, StatusReview, StatusDraft, StatusRetired string
}

// names lists the themes in the order they are offered to users.
var names = []string{"light", "dark", "print"}

// Themes returns the names Options.Theme accepts.
func Names() []string { return append([]string(nil), names...) }

// themeFor returns the named theme, or light for an unknown or empty name, so
// that a typo in a setting degrades to the default instead of failing a
// render; the CLI validates names against Themes before it gets here.
func For(name string) *Theme {
	switch name {
	case "dark":
		return &Dark
	case "print":
		return &Print
	}
	return &Light
}

var Light = Theme{
	Name:        "light",
	Background:  "#FFFFFF",
	Text:        "#1B2430",
	Muted:       "#5B6675",
	LaneFill:    [2]string{"#F7F9FB", "#EEF2F6"},
	HeaderFill:  "#E3E9F0",
	HeaderText:  "#1B2430",
	Grid:        "#D0D8E2",
	Frame:       "#A9B4C2",
	PanelFill:   "#FFFFFF",
	PanelStroke: "#C3CCD7",

	NodeWidth: 1.5,
	EndWidth:  4,

	Task:      NodeStyle{Fill: "#FFFFFF", Stroke: "#4A5565", Mark: "#4A5565"},
	Automated: NodeStyle{Fill: "#EAF3FA", Stroke: okBlue, Mark: okBlue},
	Gate:      NodeStyle{Fill: "#FAEEF5", Stroke: "#B35F92", Mark: "#B35F92"},
	Deploy:    NodeStyle{Fill: "#E6F5EF", Stroke: "#00805D", Mark: "#00805D"},
	Rollback:  NodeStyle{Fill: "#FCE8DC", Stroke: okVermillion, Mark: okVermillion},
	Notify:    NodeStyle{Fill: "#EEF7FD", Stroke: "#3A94CC", Mark: "#3A94CC"},
	Start:     NodeStyle{Fill: "#E6F5EF", Stroke: "#00805D"},
	End:       NodeStyle{Fill: "#FFFFFF", Stroke: "#1B2430"},

	BadgeSolid: true,
	BadgeText:  "#FFFFFF",

	Next:         EdgeStyle{Stroke: "#4A5565", Width: 1.5},
	Outcome:      EdgeStyle{Stroke: "#4A5565", Width: 1.5},
	RollbackEdge: EdgeStyle{Stroke: okVermillion, Width: 1.75, Dash: []float64{7, 4}},
	Escalation:   EdgeStyle{Stroke: okOrange, Width: 2.25, Dash: []float64{0.1, 4.5}, Round: true},
	ArrowLen:     10,
	ArrowWidth:   8,
	LabelText:    "#1B2430",

	StatusApproved: okGreen,
	StatusReview:   okOrange,
	StatusDraft:    "#8A94A3",
	StatusRetired:  "#5B6675",
}

var Dark = Theme{
	Name:        "dark",
	Background:  "#10151C",
	Text:        "#E6EAF0",
	Muted:       "#9AA5B2",
	LaneFill:    [2]string{"#151B23", "#1A212B"},
	HeaderFill:  "#222B37",
	HeaderText:  "#E6EAF0",
	Grid:        "#2D3744",
	Frame:       "#404C5C",
	PanelFill:   "#151B23",
	PanelStroke: "#364252",

	NodeWidth: 1.5,
	EndWidth:  4,

	Task:      NodeStyle{Fill: "#1D252F", Stroke: "#A3AEBB", Mark: "#A3AEBB"},
	Automated: NodeStyle{Fill: "#0F2638", Stroke: "#3C9BE0", Mark: "#3C9BE0"},
	Gate:      NodeStyle{Fill: "#2B1D28", Stroke: okPurple, Mark: okPurple},
	Deploy:    NodeStyle{Fill: "#0D2A22", Stroke: okGreen, Mark: okGreen},
	Rollback:  NodeStyle{Fill: "#33190B", Stroke: "#EC6A1A", Mark: "#EC6A1A"},
	Notify:    NodeStyle{Fill: "#112633", Stroke: okSky, Mark: okSky},
	Start:     NodeStyle{Fill: "#0D2A22", Stroke: okGreen},
	End:       NodeStyle{Fill: "#1D252F", Stroke: "#E6EAF0"},

	BadgeSolid: true,
	BadgeText:  "#10151C", // dark on the bright hues reads better than white

	Next:         EdgeStyle{Stroke: "#A3AEBB", Width: 1.5},
	Outcome:      EdgeStyle{Stroke: "#A3AEBB", Width: 1.5},
	RollbackEdge: EdgeStyle{Stroke: "#EC6A1A", Width: 1.75, Dash: []float64{7, 4}},
	Escalation:   EdgeStyle{Stroke: okOrange, Width: 2.25, Dash: []float64{0.1, 4.5}, Round: true},
	ArrowLen:     10,
	ArrowWidth:   8,
	LabelText:    "#E6EAF0",

	StatusApproved: okGreen,
	StatusReview:   okOrange,
	StatusDraft:    "#7D8896",
	StatusRetired:  "#9AA5B2",
}

// Print is for paper: a white page, black and greys, colour kept only where
// it carries meaning (deploy, rollback, escalation), no area fills, and
// heavier lines that survive a photocopier.
var Print = Theme{
	Name:        "print",
	Background:  "#FFFFFF",
	Text:        "#000000",
	Muted:       "#444444",
	LaneFill:    [2]string{"none", "none"},
	HeaderFill:  "none",
	HeaderText:  "#000000",
	Grid:        "#8C8C8C",
	Frame:       "#333333",
	PanelFill:   "none",
	PanelStroke: "#666666",

	NodeWidth: 2,
	EndWidth:  5,

	Task:      NodeStyle{Fill: "#FFFFFF", Stroke: "#222222", Mark: "#222222"},
	Automated: NodeStyle{Fill: "#FFFFFF", Stroke: "#222222", Mark: "#222222"},
	Gate:      NodeStyle{Fill: "#FFFFFF", Stroke: "#222222", Mark: "#222222"},
	Deploy:    NodeStyle{Fill: "#FFFFFF", Stroke: "#00805D", Mark: "#00805D"},
	Rollback:  NodeStyle{Fill: "#FFFFFF", Stroke: okVermillion, Mark: okVermillion},
	Notify:    NodeStyle{Fill: "#FFFFFF", Stroke: "#222222", Mark: "#222222"},
	Start:     NodeStyle{Fill: "#FFFFFF", Stroke: "#222222"},
	End:       NodeStyle{Fill: "#FFFFFF", Stroke: "#000000"},

	BadgeSolid: false,
	BadgeText:  "#000000",

	Next:         EdgeStyle{Stroke: "#222222", Width: 2},
	Outcome:      EdgeStyle{Stroke: "#222222", Width: 2},
	RollbackEdge: EdgeStyle{Stroke: okVermillion, Width: 2.25, Dash: []float64{8, 4.5}},
	Escalation:   EdgeStyle{Stroke: okOrange, Width: 2.75, Dash: []float64{0.1, 5}, Round: true},
	ArrowLen:     11,
	ArrowWidth:   9,
	LabelText:    "#000000",

	StatusApproved: okGreen,
	StatusReview:   okOrange,
	StatusDraft:    "#888888",
	StatusRetired:  "#444444",
}

// node returns the style of a node kind; unknown kinds look like tasks.
func (t *Theme) Node(kind string) NodeStyle {
	switch kind {
	case "automated":
		return t.Automated
	case "gate":
		return t.Gate
	case "deploy":
		return t.Deploy
	case "rollback":
		return t.Rollback
	case "notify":
		return t.Notify
	case "start":
		return t.Start
	case "end":
		return t.End
	}
	return t.Task
}

// edge returns the style of an edge kind; unknown kinds look like flow.
func (t *Theme) Edge(kind string) EdgeStyle {
	switch kind {
	case "outcome":
		return t.Outcome
	case "rollback":
		return t.RollbackEdge
	case "escalation":
		return t.Escalation
	}
	return t.Next
}

// status returns the colour of the dot next to an SOP status, or "" when the
// status is not one relsop defines.
func (t *Theme) Status(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "approved":
		return t.StatusApproved
	case "in-review", "review", "inreview":
		return t.StatusReview
	case "draft":
		return t.StatusDraft
	case "retired":
		return t.StatusRetired
	}
	return ""
}

// MarkerShorten is how far a line stops short of its end point, so that it
// ends inside the arrowhead instead of poking through its tip.
func (t *Theme) MarkerShorten() float64 { return t.ArrowLen * 0.55 }

// Mark returns the colour of a mark on a node or edge (see diagram's Mark
// constants), or "" for a kind that has none: green for added and done,
// amber for changed, red for removed and failed, blue for the steps a
// release is at now, grey for skipped, each a shade of the theme's own
// Okabe-Ito hues dark enough to carry the badge text. Colour is never the
// only cue: badges name the mark, and removed and skipped steps are
// dashed (MarkDash).
func (t *Theme) Mark(kind string) string {
	dark := t.Name == "dark"
	pick := func(light, onDark string) string {
		if dark {
			return onDark
		}
		return light
	}
	switch kind {
	case "added", "done":
		return pick("#00805D", "#009E73")
	case "changed":
		return pick("#B26B00", "#E69F00")
	case "removed", "failed":
		return pick("#D55E00", "#EC6A1A")
	case "now":
		return pick("#0072B2", "#56B4E9")
	case "skipped":
		return pick("#6B6B6B", "#9A9A9A")
	}
	return ""
}

// MarkDash returns the dash pattern of a mark's outline, in diagram
// units: dashed for removed and skipped steps, which the version or the
// release does not have; nil (solid) for the others.
func MarkDash(kind string) []float64 {
	if kind == "removed" || kind == "skipped" {
		return []float64{5, 3}
	}
	return nil
}
