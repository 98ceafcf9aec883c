package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/relsop/relsop/internal/export"
	"github.com/spf13/cobra"
)

func newExportCmd(env *Env) *cobra.Command {
	var format, typ, out string
	formats := export.Names()
	cmd := &cobra.Command{
		Use:   "export FILE --format " + strings.Join(formats, "|") + " [--type TYPE] [-o OUT]",
		Short: "Write an SOP in another tool's format (BPMN, Mermaid, PlantUML, draw.io, DOT, D2, JSON) or as a Markdown document",
		Long: `export writes the SOP's flow in another tool's format. With --type it writes that
release type's resolved flow, otherwise the base flow. Use "-" to read standard input.

  bpmn     BPMN 2.0 XML for bpmn.io, Camunda and other modelers: one participant with
           a lane per role; user, service and send tasks; exclusive gateways for gates
           with a named, conditional flow per outcome; start and end events; rollback
           and escalation paths as conditional flows with documentation; phases as
           groups. It opens laid out as relsop draws it (BPMNDI from relsop's layout).
  mermaid  a Mermaid flowchart with a subgraph per lane and a class per step kind;
           rollback paths dashed red, escalation paths dotted amber.
  plantuml a PlantUML activity diagram (the classic syntax, which can draw every
           flow as an arrow): a partition per lane, an activity per step coloured
           by kind, rollback paths dashed red, escalation paths dotted amber.
  drawio   a draw.io (diagrams.net) file laid out as relsop draws it: a swimlane
           container per lane, shapes after relsop's symbols, gate outcomes as
           edge labels, the routed edges' bends as waypoints.
  dot      Graphviz DOT with one cluster per lane, shapes after relsop's symbols.
  d2       D2 with a container per lane and a class per step kind.
  markdown the SOP as a document to read (for a wiki, a change record or beside the
           SOP in git): metadata, the flow as a Mermaid diagram, roles, environments,
           every step by phase with all its fields, the gates, rollback paths, a RACI
           matrix, how each release type differs, and the recorded exceptions.
  json     the SOP model as JSON, with the field names of the *.sop.yaml format.

docs/formats.md says what each part of an SOP becomes in each format and what
each format cannot say. For an SOP of 50 steps or more, mermaid and d2 print a
note on standard error: those tools' default layouts often give up on such
graphs; draw them with relsop render.

Exit code 0 when the file is written, 2 when the input is invalid or the format
or release type is unknown.`,
		Example: `  relsop export release.sop.yaml --format bpmn -o release.bpmn
  relsop export release.sop.yaml --format mermaid --type emergency > emergency.mmd
  relsop export release.sop.yaml --format plantuml | plantuml -pipe -tsvg > release.puml.svg
  relsop export release.sop.yaml --format drawio -o release.drawio
  relsop export release.sop.yaml --format dot | dot -Tsvg > release.dot.svg
  relsop export release.sop.yaml --format d2 | d2 - release.d2.svg
  relsop export release.sop.yaml --format markdown -o RELEASE.md
  relsop export release.sop.yaml --format json --type major`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") && out != "" && out != "-" {
				// The file's extension says the format, as for render.
				name, ok := export.ByExtension(out)
				if !ok {
					return usageError("cannot tell the format from the name %s; give --format (one of %s) or use an extension such as .bpmn, .mmd, .md or .dot", out, strings.Join(formats, ", "))
				}
				format = name
			}
			f, ok := export.Lookup(format)
			if !ok {
				return usageError("--format must be one of %s, not %q", strings.Join(formats, ", "), format)
			}
			sop, flow, err := loadSOPAndFlow(env, args[0], typ)
			if err != nil {
				return err
			}
			data, err := f.Export(sop, flow)
			if err != nil {
				return err
			}
			if f.Caveat != nil {
				if note := f.Caveat(flow); note != "" {
					fmt.Fprintf(env.Stderr, "relsop: %s: %s; if the tool cannot draw it, draw it with relsop render (docs/formats.md).\n", args[0], note)
				}
			}
			if out == "" || out == "-" {
				_, err = env.Stdout.Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return fmt.Errorf("cannot write %s: %w", out, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "dot", "output format: "+strings.Join(formats, ", ")+" (default: from the -o file's extension, else dot)")
	cmd.Flags().StringVar(&typ, "type", "", "export this release type's resolved flow (default: the base flow)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (default: standard output)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(formats...))
	return cmd
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
