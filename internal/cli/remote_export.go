package cli

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop/internal/workspace"
)

// binaryDownloads are the downloads that are not text, which are not
// written to a terminal.
var binaryDownloads = []string{"png", "pdf", "document"}

func newRemoteExportCmd(env *Env, rf *remoteFlags) *cobra.Command {
	var (
		out, format, typ string
		rev              int
	)
	formats := workspace.DownloadFormats()
	cmd := &cobra.Command{
		Use:   "export ID -o FILE [--format " + strings.Join(formats, "|") + "] [--type TYPE] [--rev N]",
		Short: "Download an SOP from the workspace as its controlled PDF document, a diagram or another format",
		Long: `export downloads what the workspace's Export menu offers, as the workspace makes
it: by default the PDF document, which is a controlled document: it says which
revision it shows, who approved it and when (or that the SOP changed since), and
lists the revisions. Attach it to a change record or keep it as release evidence.

  document  the SOP as a PDF document (the default)
  markdown  the same document in Markdown, also controlled
  pdf, svg, png   the swimlane diagram
  yaml      the SOP's YAML; json, bpmn, mermaid, plantuml, drawio, dot, d2: as
            relsop export writes them

--rev picks an earlier revision (relsop remote list shows the latest); --type a
release type's flow. PDFs and PNGs are not written to a terminal: name a file
with -o.`,
		Example: `  relsop remote export 7 -o release-sop.pdf
  relsop remote export 7 --format markdown --rev 12 -o RELEASE.md
  relsop remote export 7 --format svg --type emergency -o emergency.svg`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !contains(formats, format) {
				return usageError("--format must be one of %s, not %q", strings.Join(formats, ", "), format)
			}
			if rev < 0 {
				return usageError("--rev must be a revision number (1 or more), not %d", rev)
			}
			if contains(binaryDownloads, format) && (out == "" || out == "-") && env.IsTerminal {
				return usageError("%s is not for the terminal; name a file with -o", format)
			}
			id, err := parseSOPID(args[0])
			if err != nil {
				return err
			}
			c, err := rf.client()
			if err != nil {
				return err
			}
			return remoteDone(env, runRemoteExport(cmd.Context(), env, c, id, format, typ, rev, out))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "write to this file (default: standard output, when it is not a terminal or the format is text)")
	f.StringVar(&format, "format", "document", "what to download: "+strings.Join(formats, ", "))
	f.StringVar(&typ, "type", "", "a release type's flow (default: the base flow)")
	f.IntVar(&rev, "rev", 0, "an earlier revision (default: the latest, with any live edits)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(formats...))
	return cmd
}

func runRemoteExport(ctx context.Context, env *Env, c *remoteClient, id int64, format, typ string, rev int, out string) error {
	q := url.Values{"format": {format}}
	if typ != "" {
		q.Set("type", typ)
	}
	if rev > 0 {
		q.Set("rev", strconv.Itoa(rev))
	}
	var data []byte
	if err := c.call(ctx, "GET", fmt.Sprintf("/api/sops/%d/export", id), q, nil, &data); err != nil {
		return err
	}
	return writeOutput(env, out, data)
}
