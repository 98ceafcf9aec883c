package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newRemoteInboxCmd(env *Env, rf *remoteFlags) *cobra.Command {
	var (
		ws     int64
		format string
	)
	cmd := &cobra.Command{
		Use:   "inbox [--workspace ID] [--format text|json]",
		Short: "Show what waits for you in a workspace: gates to sign, SOPs to review, mentions to answer, SOPs to revise or review on schedule",
		Long: `inbox shows what waits for the token's owner in a workspace, as the library's
"Waiting for you" does: the gates of releases in progress that the release's
roster gives you to sign now, and those past their escalation time whose
escalation role you hold ("decide"), the longest waiting first; the SOPs
in review that you may approve, having changed none of them since their
last approval ("review"); the comments that mention you which you have
not answered ("reply"); and the SOPs whose last release went wrong (aborted,
rolled back, a step failed, a gate escalated) or was an emergency or major
one, while you kept the SOP (its owner role in the release's roster, or you
started it), since the SOP was last approved or reviewed ("revise"); and the
approved SOPs you keep whose scheduled review (review.cadence after
review.last_reviewed) falls due within a week or is overdue ("review ...:
its scheduled review"). You keep an SOP if you held its owner role in its
latest release, or started it; an SOP never released is kept by the
workspace's owners. Each has a link to open it. Without --workspace it
looks in your first workspace.`,
		Example: `  relsop remote inbox
  relsop remote inbox --workspace 3 --format json | jq '.gates | length'`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := textOrJSON(format); err != nil {
				return err
			}
			c, err := rf.client()
			if err != nil {
				return err
			}
			return remoteDone(env, runRemoteInbox(cmd.Context(), env, c, ws, format))
		},
	}
	f := cmd.Flags()
	f.Int64Var(&ws, "workspace", 0, "the workspace's id (default: your first workspace)")
	f.StringVar(&format, "format", "text", "output format: text or json (the API's answer)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("text", "json"))
	return cmd
}

// remoteInbox is the part of GET /api/workspaces/{ws}/inbox the text
// output shows.
type remoteInbox struct {
	Gates []struct {
		Release struct {
			ID        int64  `json:"id"`
			SOPID     int64  `json:"sop_id"`
			Name      string `json:"name"`
			SOPTitle  string `json:"sop_title"`
			Rehearsal bool   `json:"rehearsal"`
		} `json:"release"`
		Gate struct {
			Step  string    `json:"step"`
			Name  string    `json:"name"`
			Since time.Time `json:"since"`
			Late  string    `json:"late"`
		} `json:"gate"`
		Roles      []string `json:"roles"`
		Overdue    bool     `json:"overdue"`
		Escalation string   `json:"escalation"`
	} `json:"gates"`
	Reviews []struct {
		SOP struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"sop"`
		SubmittedBy string    `json:"submitted_by"`
		Since       time.Time `json:"since"`
		Approved    int       `json:"approved"`
	} `json:"reviews"`
	Mentions []struct {
		ID         int64     `json:"id"`
		SOPID      int64     `json:"sop_id"`
		SOPTitle   string    `json:"sop_title"`
		AuthorName string    `json:"author_name"`
		Body       string    `json:"body"`
		CreatedAt  time.Time `json:"created_at"`
	} `json:"mentions"`
	Suggested []struct {
		SOP struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"sop"`
		Release struct {
			Name string `json:"name"`
		} `json:"release"`
		Ended   time.Time `json:"ended"`
		Lessons []string  `json:"lessons"`
	} `json:"suggested"`
	Due []struct {
		SOP struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"sop"`
		Due     string `json:"due"`
		Overdue bool   `json:"overdue"`
	} `json:"due"`
}

func runRemoteInbox(ctx context.Context, env *Env, c *remoteClient, ws int64, format string) error {
	ws, err := c.defaultWorkspace(ctx, env, ws, "looking in")
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := c.call(ctx, "GET", fmt.Sprintf("/api/workspaces/%d/inbox", ws), nil, nil, &raw); err != nil {
		return err
	}
	if format == "json" {
		_, err := env.Stdout.Write(append(raw, '\n'))
		return err
	}
	var in remoteInbox
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("%s sent an inbox relsop does not understand: %v", c.server(), err)
	}
	if len(in.Gates)+len(in.Reviews)+len(in.Mentions)+len(in.Suggested)+len(in.Due) == 0 {
		fmt.Fprintf(env.Stderr, "Nothing waits for you in workspace %d.\n", ws)
		return nil
	}
	base := strings.TrimRight(c.server(), "/")
	for _, g := range in.Gates {
		name := g.Gate.Name
		if name == "" {
			name = g.Gate.Step
		}
		what := fmt.Sprintf("release %s of %s", g.Release.Name, g.Release.SOPTitle)
		if g.Release.Rehearsal {
			what += " (rehearsal)"
		}
		late := ""
		if g.Gate.Late != "" {
			late = ", late by " + g.Gate.Late
		}
		if g.Overdue {
			late += ", overdue for escalation"
		}
		verb, as := "sign  ", "as "+strings.Join(g.Roles, " or ")
		if len(g.Roles) == 0 { // here as the holder of its escalation role
			verb, as = "decide", "its escalation path goes to you ("+g.Escalation+")"
		}
		fmt.Fprintf(env.Stdout, "%s %q in %s, %s; ready since %s%s\n       %s/#/sops/%d/releases/%d\n",
			verb, printable(name), printable(what), printable(as), g.Gate.Since.UTC().Format("2006-01-02 15:04 UTC"), printable(late),
			base, g.Release.SOPID, g.Release.ID)
	}
	for _, r := range in.Reviews {
		since := "never approved"
		if r.Approved > 0 {
			since = fmt.Sprintf("changed since revision %d", r.Approved)
		}
		fmt.Fprintf(env.Stdout, "review %q, submitted by %s on %s; %s\n       %s/#/sops/%d/review\n",
			printable(r.SOP.Title), printable(r.SubmittedBy), r.Since.UTC().Format("2006-01-02 15:04 UTC"), since, base, r.SOP.ID)
	}
	for _, m := range in.Mentions {
		fmt.Fprintf(env.Stdout, "reply  %s mentioned you on %s, %s: %s\n       %s/#/sops/%d/comments/%d\n",
			printable(m.AuthorName), printable(m.SOPTitle), m.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), printable(excerpt(m.Body, 120)),
			base, m.SOPID, m.ID)
	}
	for _, sg := range in.Suggested {
		fmt.Fprintf(env.Stdout, "revise %q after release %s, which ended %s: %s\n       %s/#/sops/%d\n",
			printable(sg.SOP.Title), printable(sg.Release.Name), sg.Ended.UTC().Format("2006-01-02 15:04 UTC"), printable(strings.Join(sg.Lessons, "; ")),
			base, sg.SOP.ID)
	}
	for _, r := range in.Due {
		when := "falls due on"
		if r.Overdue {
			when = "was due on"
		}
		fmt.Fprintf(env.Stdout, "review %q: its scheduled review %s %s\n       %s/#/sops/%d\n",
			printable(r.SOP.Title), when, printable(r.Due), base, r.SOP.ID)
	}
	return nil
}

// excerpt is the first n characters of s on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
