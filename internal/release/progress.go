package release

import (
	"fmt"
	"slices"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
)

// progressLegend are the legend entries of a release's marks, in reading
// order.
var progressLegend = []layout.MarkEntry{
	{Kind: diagram.MarkDone, Label: "Done, and the flows taken"},
	{Kind: diagram.MarkNow, Label: "Ready now"},
	{Kind: diagram.MarkFailed, Label: "Failed"},
	{Kind: diagram.MarkSkipped, Label: "Skipped"},
}

// Progress returns the diagram of the release's flow with where it
// stands marked on it: each step by what last happened to it (done, a
// gate decided, failed, skipped), the steps ready now, and the flows the
// release went along.
func (r *Run) Progress(opts layout.Options) *diagram.Diagram {
	d := layout.Compute(r.Flow, opts)
	used := map[string]bool{}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		kind, note := r.markOf(n.ID)
		if kind == "" {
			continue
		}
		n.Mark = layout.MarkNode(n.Box, kind, note)
		used[kind] = true
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		if r.taken[[2]string{e.From, e.To}] {
			e.Mark = diagram.MarkDone
			used[diagram.MarkDone] = true
		}
	}
	var entries []layout.MarkEntry
	for _, m := range progressLegend {
		if used[m.Kind] {
			entries = append(entries, m)
		}
	}
	layout.AddMarkLegend(d, entries)
	return d
}

// markOf is the mark of step id, and its tooltip: ready now, else what
// last happened to it. A start or end the release passed is done.
func (r *Run) markOf(id string) (kind, note string) {
	s := r.steps[id]
	if s == nil {
		return "", ""
	}
	if r.Ready(id) && !r.Finished() {
		if n := len(s.Records); n > 0 && s.Records[n-1].Type == TypeFail && !s.Records[n-1].At.Before(s.Since) {
			rec := s.Records[n-1]
			return diagram.MarkFailed, fmt.Sprintf("failed, %s: %s; ready to be tried again", when(rec.At), clean(rec.Note))
		}
		return diagram.MarkNow, "ready since " + when(s.Since)
	}
	if slices.Contains(r.pending, id) {
		return "", "" // waiting for a branch to join it
	}
	if s.Visits > 0 && (s.Step.Kind == relsop.KindStart || s.Step.Kind == relsop.KindEnd) {
		return diagram.MarkDone, "reached " + when(s.Since)
	}
	for i := len(s.Records) - 1; i >= 0; i-- {
		rec := s.Records[i]
		switch rec.Type {
		case TypeDone:
			return diagram.MarkDone, fmt.Sprintf("done by %s, %s", clean(rec.By), when(rec.At))
		case TypeSkip:
			return diagram.MarkSkipped, fmt.Sprintf("skipped by %s, %s: %s", clean(rec.By), when(rec.At), clean(rec.Note))
		case TypeFail:
			return diagram.MarkFailed, fmt.Sprintf("failed, %s: %s", when(rec.At), clean(rec.Note))
		}
	}
	for i := len(r.Decisions) - 1; i >= 0; i-- {
		if d := r.Decisions[i]; d.Gate == id {
			return diagram.MarkDone, "decided " + clean(d.Outcome) + ", " + when(d.At)
		}
	}
	return "", ""
}
