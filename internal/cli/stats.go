package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/spf13/cobra"
)

func newStatsCmd(env *Env) *cobra.Command {
	var format, typ, direction string
	cmd := &cobra.Command{
		Use:   "stats FILE",
		Short: "Print layout metrics of an SOP's diagram",
		Long: `stats lays out the SOP's diagram and prints its quality metrics: nodes, edges,
crossings, bends, edge_length, area, overlaps, edges_through_boxes,
text_overflows, layout_ms and render_ms. Overlaps, edges through boxes and text
overflows should always be 0.`,
		Example: "  relsop stats release.sop.yaml --format json",
		Args:    argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := textOrJSON(format); err != nil {
				return err
			}
			if err := checkDirection(direction); err != nil {
				return err
			}
			flow, err := loadFlow(env, args[0], typ)
			if err != nil {
				return err
			}
			m := measure(flow, direction)
			if format == "json" {
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(m)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			for _, row := range []struct {
				k string
				v any
			}{{"nodes", m.Nodes}, {"edges", m.Edges}, {"crossings", m.Crossings}, {"bends", m.Bends}, {"edge_length", m.EdgeLength},
				{"area", m.Area}, {"overlaps", m.Overlaps}, {"edges_through_boxes", m.EdgesThroughBoxes}, {"text_overflows", m.TextOverflows},
				{"layout_ms", m.LayoutMS}, {"render_ms", m.RenderMS}} {
				fmt.Fprintf(tw, "%s\t%v\n", row.k, row.v)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&typ, "type", "", "lay out this release type's resolved flow (default: the base flow)")
	cmd.Flags().StringVar(&direction, "direction", "horizontal", "horizontal (phases as columns) or vertical (phases as rows)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("text", "json"))
	cmd.RegisterFlagCompletionFunc("direction", fixedCompletions(layout.Directions...))
	return cmd
}

// loadFlow loads a file and resolves a release type; load errors are
// printed and become exit code 2.
func loadFlow(env *Env, path, typ string) (*relsop.SOP, error) {
	_, flow, err := loadSOPAndFlow(env, path, typ)
	return flow, err
}

// loadSOPAndFlow is loadFlow that also returns the SOP as written, with
// its release types.
func loadSOPAndFlow(env *Env, path, typ string) (sop, flow *relsop.SOP, err error) {
	l, flow, err := loadResolved(env, path, typ)
	if err != nil {
		return nil, nil, err
	}
	return l.result.SOP, flow, nil
}

// loadResolved is loadSOPAndFlow that also returns the file as read.
func loadResolved(env *Env, path, typ string) (*loaded, *relsop.SOP, error) {
	l, err := load(env, path)
	if err != nil {
		return nil, nil, err
	}
	if len(l.result.Errors) > 0 || l.result.SOP == nil {
		reportErrors(env, l.result.Errors)
		return nil, nil, exit(ExitUsage)
	}
	flow, err := l.result.SOP.Resolve(typ)
	if err != nil {
		return nil, nil, usageError("%s: %v", l.name, err)
	}
	return l, flow, nil
}

// measure lays the flow out and times it; render time is added by the
// caller that renders.
func measure(flow *relsop.SOP, direction string) diagram.Metrics {
	start := time.Now()
	d := layout.Compute(flow, layout.Options{Direction: direction})
	layoutMS := float64(time.Since(start).Microseconds()) / 1000
	start = time.Now()
	_ = renderSVG(d, "light")
	renderMS := float64(time.Since(start).Microseconds()) / 1000
	m := diagram.Measure(d)
	m.LayoutMS, m.RenderMS = layoutMS, renderMS
	return m
}
