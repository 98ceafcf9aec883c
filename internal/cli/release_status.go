package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/render/png"
	"github.com/relsop/relsop/internal/render/svg"
)

func newReleaseStatusCmd(env *Env) *cobra.Command {
	var format, out, theme string
	cmd := &cobra.Command{
		Use:   "status TRAIL [--format text|json|svg] [-o FILE]",
		Short: "Show where a release stands: what is ready, whose sign-off a gate waits for, what happened",
		Long: `status replays the trail and shows the release: the steps ready to be carried out
now (late ones past their SLA, gates with the sign-offs they still need and when
they escalate), steps waiting for a branch to join them, and every record so far.
--format json gives the same for scripts and CI. --format svg (or png) draws the
flow with where the release stands: steps done (and the flows taken), ready now, failed and
skipped, each with a tooltip saying who and when.`,
		Example: `  relsop release status 2.4.0.release.jsonl
  relsop release status 2.4.0.release.jsonl --format json | jq .ready
  relsop release status 2.4.0.release.jsonl --format svg -o progress.svg
  relsop release status 2.4.0.release.jsonl --format png -o progress.png`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !contains(statusFormats, format) {
				return usageError("--format must be one of %s, not %q", strings.Join(statusFormats, ", "), format)
			}
			if !contains(svg.Themes(), theme) {
				return usageError("--theme must be one of %s, not %q", strings.Join(svg.Themes(), ", "), theme)
			}
			r, _, err := openTrail(env, args[0])
			if err != nil {
				return err
			}
			switch format {
			case "svg":
				return writeOutput(env, out, svg.Render(r.Progress(layout.Options{}), svg.Options{Theme: theme}))
			case "png":
				if (out == "" || out == "-") && env.IsTerminal {
					return usageError("a PNG is not for the terminal; name a file with -o, such as -o progress.png")
				}
				fb, err := fallbackFont()
				if err != nil {
					return err
				}
				data, err := png.Render(r.Progress(layout.Options{}), png.Options{Theme: theme, Fallback: fb})
				if err != nil {
					return err
				}
				return writeOutput(env, out, data)
			}
			if out != "" && out != "-" {
				return usageError("-o is for --format svg or png; text and json go to standard output")
			}
			st := r.Status(env.now())
			if format == "json" {
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(env, r, st)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "text, json, or svg or png (the flow with the release's progress marked)")
	f.StringVarP(&out, "output", "o", "", "the SVG or PNG file (default: standard output)")
	f.StringVar(&theme, "theme", "light", "the diagram's theme: light, dark or print")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(statusFormats...))
	cmd.RegisterFlagCompletionFunc("theme", fixedCompletions(svg.Themes()...))
	return cmd
}

// statusFormats are the forms of relsop release status.
var statusFormats = []string{"text", "json", "svg", "png"}

func printStatus(env *Env, r *release.Run, st release.Status) {
	w := env.Stdout
	flow := "the base flow"
	if st.ReleaseType != "" {
		flow = "release type " + st.ReleaseType
	}
	kind := "Release"
	if st.Rehearsal {
		kind = "Rehearsal of release"
	}
	fmt.Fprintln(w, oneLine(fmt.Sprintf("%s %s through %s%s (%s), %s", kind, st.Release, st.SOP, versionOf(st.Version), st.SOPStatus, flow)))
	state := "in progress"
	if st.Ended != nil {
		state = st.State + " " + clock(*st.Ended)
	}
	fmt.Fprintf(w, "Started %s by %s; %d records; %s\n", clock(st.Started), oneLine(st.StartedBy), len(st.Records), state)
	if len(st.Roster) > 0 {
		var held []string
		for _, role := range r.SOP.Roles {
			if people, ok := st.Roster[role.ID]; ok {
				held = append(held, role.ID+": "+strings.Join(people, ", "))
			}
		}
		fmt.Fprintln(w, oneLine("Roster: "+strings.Join(held, "; ")))
	}
	if len(st.Ready) > 0 {
		fmt.Fprintln(w, "\nReady now:")
		for _, rs := range st.Ready {
			fmt.Fprintf(w, "  %s\n", oneLine(readyLine(r, rs.Step)))
			var more []string
			more = append(more, "reached "+clock(rs.Since))
			if rs.Late != "" {
				more = append(more, "late by "+rs.Late+" (SLA "+r.State(rs.Step).Step.SLA.String()+")")
			}
			if rs.EscalateTo != "" {
				esc := "escalates to " + rs.EscalateTo
				if rs.EscalateAt != nil {
					esc += " after " + r.State(rs.Step).Step.Escalation.After.String() + " (" + clock(*rs.EscalateAt) + ")"
				}
				more = append(more, esc)
			}
			fmt.Fprintf(w, "      %s\n", strings.Join(more, "; "))
		}
	}
	if len(st.Waiting) > 0 {
		fmt.Fprintln(w, "\nWaiting for a branch to join:")
		for _, ws := range st.Waiting {
			fmt.Fprintf(w, "  %s waits for %s\n", ws.Step, strings.Join(ws.WaitsFor, ", "))
		}
	}
	fmt.Fprintln(w, "\nRecords:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rec := range st.Records {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", rec.Seq, rec.At.UTC().Format("01-02 15:04"), oneLine(rec.By), oneLine(rec.Text))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nChain head: %s\n", st.Head)
}

// oneLine keeps text from a trail or its SOP on one line of the
// terminal, with no control characters: a trail refuses them, but line
// breaks are allowed in notes, and an SOP's names may hold escapes that
// would move the cursor or recolour the terminal.
func oneLine(s string) string {
	return strings.Map(func(c rune) rune {
		if c < ' ' || c == 0x7f || c >= 0x80 && c < 0xa0 {
			return ' '
		}
		return c
	}, s)
}

func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func versionOf(v string) string {
	if v == "" {
		return ""
	}
	return " version " + v
}

func newReleaseVerifyCmd(env *Env) *cobra.Command {
	var head, sop string
	cmd := &cobra.Command{
		Use:   "verify TRAIL [--head HASH] [--sop FILE]",
		Short: "Check that a trail is intact and that every record follows the procedure",
		Long: `verify checks a trail: that every line is a record, that the chain of hashes is
unbroken (no record changed, removed, added or moved), and that every record is
one the procedure allowed when it was made. It exits 1 and names each problem's
line when it finds any.

A chain can be recomputed by whoever rewrites a trail; --head proves it was not.
Give a chain head that relsop printed earlier and that was kept elsewhere (the
change ticket, a CI log): verify checks that a record of the trail ends with it,
so nothing up to that record changed since.

--sop checks that an SOP file is the very one the release started from.`,
		Example: `  relsop release verify 2.4.0.release.jsonl
  relsop release verify 2.4.0.release.jsonl --head 3f2a9c... --sop release.sop.yaml`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return releaseVerify(env, args[0], head, sop)
		},
	}
	cmd.Flags().StringVar(&head, "head", "", "a chain head kept elsewhere, which a record of the trail must end with")
	cmd.Flags().StringVar(&sop, "sop", "", "an SOP file that must be the one the release started from")
	return cmd
}

func releaseVerify(env *Env, path, head, sop string) error {
	r, data, problems, err := readTrail(path)
	if err != nil {
		return err
	}
	if head = strings.ToLower(strings.TrimSpace(head)); head != "" {
		if n := release.RecordWithHead(data, head); n == 0 {
			problems = append(problems, release.Problem{Line: 1, Msg: "no record of the trail ends with the chain head " + head + ": the trail was rewritten, or the head belongs to another trail"})
		} else {
			fmt.Fprintf(env.Stdout, "%s: the chain head given is record %d's: records 1 to %d are as they were when it was printed.\n", path, n, n)
		}
	}
	if sop != "" && r != nil {
		_, src, err := readInput(env, sop)
		if err != nil {
			return err
		}
		if got := release.Checksum(src); got != r.Start.SHA256 {
			problems = append(problems, release.Problem{Line: 1, Msg: fmt.Sprintf("%s is not the SOP the release started from: its SHA-256 is %s, the release started from %s version %s (%s)", sop, got, r.Start.File, r.Start.Version, r.Start.SHA256)})
		} else {
			fmt.Fprintf(env.Stdout, "%s: %s is the SOP the release started from.\n", path, sop)
		}
	}
	if len(problems) > 0 {
		printProblems(env, path, problems)
		fmt.Fprintf(env.Stderr, "%s: %s\n", path, plural(len(problems), "problem"))
		return exit(ExitFindings)
	}
	fmt.Fprintf(env.Stdout, "%s: %d records, chain intact, every record follows the procedure. Chain head: %s\n", path, len(r.Records()), r.Head())
	return nil
}

func newReleaseReportCmd(env *Env) *cobra.Command {
	var out, format, page string
	cmd := &cobra.Command{
		Use:   "report TRAIL -o REPORT.pdf|REPORT.md [--page a4|letter]",
		Short: "Write a release's record for an audit or a change ticket (PDF or Markdown)",
		Long: `report writes what the trail records as a document: the release, the SOP it
followed (file and SHA-256), when it started and ended and how; each gate's
decision with every sign-off; the departures from the procedure (skips with their
reasons, failures and the paths they took, escalations, gates that stopped the
release, steps later than their SLA, an abort); the evidence; and every record.
It also says whether the trail is intact and gives its chain head. A trail with
problems is still reported, with its problems listed, and report exits 1.

The format is taken from the extension of -o (.pdf or .md) when --format is not
given.`,
		Example: `  relsop release report 2.4.0.release.jsonl -o release-2.4.0.pdf
  relsop release report 2.4.0.release.jsonl -o release-2.4.0.md`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return releaseReport(env, args[0], out, format, page)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "output file (default: standard output, for markdown or when it is not a terminal)")
	f.StringVar(&format, "format", "", "pdf or markdown (default: from the -o extension, else pdf)")
	f.StringVar(&page, "page", "a4", "PDF paper: a4 or letter")
	return cmd
}

func releaseReport(env *Env, path, out, format, page string) error {
	format, err := documentFormat(env, format, out, page, path)
	if err != nil {
		return err
	}
	r, _, problems, err := readTrail(path)
	if err != nil {
		return err
	}
	if r == nil {
		printProblems(env, path, problems)
		return usageError("%s is not a trail relsop can report on", path)
	}
	doc := r.Report(displayName(path), problems, format == "pdf")
	var d *diagram.Diagram
	if format == "pdf" {
		d = r.Progress(layout.Options{})
	}
	data, err := writeDocument(doc, d, format, page, "light", "the trail "+displayName(path)+" (chain head "+r.Head()+")")
	if err != nil {
		return err
	}
	if err := writeOutput(env, out, data); err != nil {
		return err
	}
	if len(problems) > 0 {
		printProblems(env, path, problems)
		return exit(ExitFindings)
	}
	return nil
}

// displayName is a file's name as a document shows it.
func displayName(path string) string {
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		return fi.Name()
	}
	return path
}
