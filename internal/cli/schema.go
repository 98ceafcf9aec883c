package cli

import (
	"os"

	"github.com/relsop/relsop/internal/schema"
	"github.com/spf13/cobra"
)

func newSchemaCmd(env *Env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema [-o FILE]",
		Short: "Print the JSON Schema of the *.sop.yaml format, for editors",
		Long: `schema prints the JSON Schema (draft 2020-12) of the *.sop.yaml format. Save it and
point your editor at it for completion and hover docs. With the YAML extension of
VS Code (yaml-language-server), put this first line in an SOP file:

  # yaml-language-server: $schema=./sop.schema.json`,
		Example: "  relsop schema -o sop.schema.json",
		Args:    argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			data := schema.JSONSchema()
			if out != "" && out != "-" {
				return os.WriteFile(out, data, 0o644)
			}
			_, err := env.Stdout.Write(data)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the schema to FILE instead of standard output")
	return cmd
}
