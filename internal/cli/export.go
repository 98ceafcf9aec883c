package cli

import (
	"os"
	"strings"

	"github.com/relsop/relsop/internal/export/dot"
	"github.com/spf13/cobra"
)

// exportFormats are the interchange formats relsop export writes so far;
// the others of issue 5 (BPMN, Mermaid, PlantUML, draw.io, D2) join them.
var exportFormats = []string{"dot"}

func newExportCmd(env *Env) *cobra.Command {
	var format, typ, out string
	cmd := &cobra.Command{
		Use:   "export FILE --format dot [-o OUT]",
		Short: "Write an SOP in another tool's format (Graphviz DOT)",
		Long: `export writes the SOP's flow in another tool's format. dot is Graphviz DOT with one
cluster per lane (role), shapes after relsop's symbols, gate outcomes as edge
labels, rollback paths dashed red and escalation paths dotted amber.`,
		Example: "  relsop export release.sop.yaml --format dot | dot -Tsvg > release.dot.svg",
		Args:    argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !contains(exportFormats, format) {
				return usageError("--format must be one of %s, not %q", strings.Join(exportFormats, ", "), format)
			}
			flow, err := loadFlow(env, args[0], typ)
			if err != nil {
				return err
			}
			data := dot.Export(flow)
			if out == "" || out == "-" {
				_, err = env.Stdout.Write(data)
				return err
			}
			return os.WriteFile(out, data, 0o644)
		},
	}
	cmd.Flags().StringVar(&format, "format", "dot", "output format: "+strings.Join(exportFormats, ", "))
	cmd.Flags().StringVar(&typ, "type", "", "export this release type's resolved flow (default: the base flow)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (default: standard output)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(exportFormats...))
	return cmd
}
