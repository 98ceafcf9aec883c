package svg

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// hostileNames exercise every branch of escaping, and the traps of writing
// text in pieces: strings that end in the middle of a UTF-8 sequence or
// begin with a continuation byte, which would join into a character if
// nothing stood between them.
var hostileNames = []string{
	"", "Deploy to prod", `</title><script>alert(1)</script>`, `it's "quoted" & <b>`, "&amp;", "]]>",
	"tab\there\nline\rend", "\x00nul\x1b[31m\x7f", "\ufffe\uffff", "🚀 ship it 👩‍💻", "发布经理审批",
	"مدير الإصدار", "\u202eevil\u202c", "·", "→", "\xff\xfe", "ends in half \xe2\x86", "\x92 starts with a tail",
	"\xe2", "\x86\x92", "\xed\xa0\x80", "a->b", "b->c", "#2",
}

// TestPiecesMatchConcatenation joins hostile names with every separator the
// renderer writes titles and labels with, and checks that escaping piece by
// piece gives what escaping the joined string gives.
func TestPiecesMatchConcatenation(t *testing.T) {
	separators := []string{" · ", " · Role: ", " · Phase: ", " · Environment: ", ": ", " → ", " (", ")"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20_000 {
		var pieces []string
		for i := range 1 + rng.IntN(4) {
			if i > 0 {
				pieces = append(pieces, separators[rng.IntN(len(separators))])
			}
			pieces = append(pieces, hostileNames[rng.IntN(len(hostileNames))])
		}
		got := appendEscapedPieces(nil, pieces)
		want := appendEscaped(nil, strings.Join(pieces, ""))
		if !bytes.Equal(got, want) {
			t.Fatalf("pieces %q\n got %q\nwant %q", pieces, got, want)
		}
	}
}

// The functions below build titles, labels and ids the way the renderer
// did before it wrote them in pieces: by concatenation, plainly right.

func referenceNodeTitle(r *renderer, n *diagram.Node) (title, label string) {
	kind := geom.NormKind(n.Kind)
	name := n.Name
	if name == "" {
		name = n.ID
	}
	label = kindName(kind) + ": " + name
	parts := []string{name, kindName(kind)}
	if lane := r.laneName(n.Lane); lane != "" {
		parts = append(parts, "Role: "+lane)
	}
	if phase := r.phaseName(n.Phase); phase != "" {
		parts = append(parts, "Phase: "+phase)
	}
	if n.Badge != nil && n.Badge.Text.Text != "" {
		parts = append(parts, "Environment: "+n.Badge.Text.Text)
		label += ", " + n.Badge.Text.Text
	}
	if n.Mark != nil {
		label += " (" + n.Mark.Kind + ")"
	}
	return strings.Join(parts, " · "), label
}

func referenceEdgeTitle(r *renderer, e *diagram.Edge) string {
	title := edgeKindNames[geom.NormEdgeKind(e.Kind)] + ": " + r.nodeName(e.From) + " → " + r.nodeName(e.To)
	if e.Label != "" {
		title += " (" + e.Label + ")"
	}
	return title
}

func referenceEdgeIDs(edges []diagram.Edge) []string {
	ids := make([]string, len(edges))
	seen := map[string]int{}
	for i, e := range edges {
		id := e.From + "->" + e.To
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "#" + strconv.Itoa(n)
		}
		ids[i] = id
	}
	return ids
}

// TestTitlesLabelsAndIDsAsBefore gives the fixture's nodes, lanes, phases,
// badges, marks and edges hostile names, and checks that every node and
// edge title, node label and edge id in the document is the escaped
// concatenation the renderer used to write.
func TestTitlesLabelsAndIDsAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	name := func() string { return hostileNames[rng.IntN(len(hostileNames))] }
	for range 200 {
		d := fixture()
		for i := range d.Lanes {
			d.Lanes[i].ID, d.Lanes[i].Name = name(), name()
		}
		for i := range d.Phases {
			d.Phases[i].ID, d.Phases[i].Name = name(), name()
		}
		for i := range d.Nodes {
			n := &d.Nodes[i]
			n.ID, n.Name = name(), name()
			n.Lane, n.Phase = d.Lanes[rng.IntN(len(d.Lanes))].ID, name()
			if rng.IntN(3) == 0 {
				n.Mark = &diagram.Mark{Kind: name()}
			}
		}
		d.Nodes[4].Badge.Text.Text = name()
		for i := range d.Edges {
			e := &d.Edges[i]
			e.From, e.To, e.Label = name(), name(), name()
			if rng.IntN(4) == 0 {
				e.From, e.To = d.Edges[0].From, d.Edges[0].To // a repeat, numbered "#2"
			}
		}

		out := Render(d, Options{})
		r := &renderer{d: d, lanes: map[string]string{}, phases: map[string]string{}, names: map[string]string{}}
		for _, l := range d.Lanes {
			r.lanes[l.ID] = l.Name
		}
		for _, p := range d.Phases {
			r.phases[p.ID] = p.Name
		}
		for _, n := range d.Nodes {
			if _, seen := r.names[n.ID]; !seen && n.Name != "" {
				r.names[n.ID] = n.Name
			}
		}
		mustHold := func(what, want string) {
			t.Helper()
			if !bytes.Contains(out, []byte(want)) {
				t.Fatalf("%s %q not in the document", what, want)
			}
		}
		for i := range d.Nodes {
			title, label := referenceNodeTitle(r, &d.Nodes[i])
			mustHold("node title", "<title>"+referenceEsc(title)+"</title>")
			mustHold("node label", ` aria-label="`+referenceEsc(label)+`">`)
		}
		for i, id := range referenceEdgeIDs(d.Edges) {
			mustHold("edge id", ` data-id="`+referenceEsc(id)+`"`)
			mustHold("edge title", "<title>"+referenceEsc(referenceEdgeTitle(r, &d.Edges[i]))+"</title>")
		}
	}
}

// TestEdgeIDsAsBefore checks ids that only a string key tells apart: two
// different pairs of ends that spell the same "from->to" count as a repeat.
func TestEdgeIDsAsBefore(t *testing.T) {
	edges := []diagram.Edge{{From: "a->b", To: "c"}, {From: "a", To: "b->c"}, {From: "a", To: "b"}, {From: "a", To: "b"}, {From: "", To: ""}}
	got := (&renderer{d: &diagram.Diagram{Edges: edges}}).edgeIDs()
	if want := referenceEdgeIDs(edges); !slices.Equal(got, want) {
		t.Errorf("edgeIDs = %q, want %q", got, want)
	}
}
