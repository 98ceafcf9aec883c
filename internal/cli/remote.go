package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/report"
)

// remoteTimeout bounds every request to a workspace; maxRemoteAnswer
// bounds what is read of an answer.
const (
	remoteTimeout   = 30 * time.Second
	maxRemoteAnswer = 16 << 20
	defaultServer   = "http://localhost:8080"
)

type remoteFlags struct {
	server, token string
	insecure      bool
}

func newRemoteCmd(env *Env) *cobra.Command {
	fl := &remoteFlags{}
	cmd := &cobra.Command{
		Use:   "remote",
		Short: "List, pull, push and export SOPs of a relsop workspace (relsop serve) with an API token",
		Long: `remote talks to a relsop workspace (relsop serve) over its JSON API
(docs/api.md), with an API token made in the workspace under Account → API
tokens (or with POST /api/tokens).

  --server URL   the workspace (RELSOP_SERVER; default ` + defaultServer + `)
  --token TOKEN  the API token (RELSOP_TOKEN); prefer the environment variable,
                 since command lines are visible to other users of the machine

The token is never printed. It is not sent in clear text: a plain http:// server
must be this machine (localhost, 127.0.0.1, ::1) unless --insecure is given.

Exit codes: 0 done; 1 a push refused because someone saved since (pull first);
2 bad usage, a file that cannot be read or is not a valid SOP, or the workspace
cannot be reached or refuses (wrong token, no such SOP, not allowed).`,
		Example: `  export RELSOP_SERVER=https://relsop.example.com RELSOP_TOKEN=relsop_...
  relsop remote list
  relsop remote pull 7 -o release.sop.yaml
  relsop remote push release.sop.yaml --sop 7 --base 3 -m "Add a canary step"
  relsop remote push new.sop.yaml --workspace 1 --new
  relsop remote export 7 -o release-sop.pdf   # the controlled PDF document`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	f := cmd.PersistentFlags()
	f.StringVar(&fl.server, "server", "", "the workspace's address (default: RELSOP_SERVER, else "+defaultServer+")")
	// No default shown: the token must not appear in --help.
	f.StringVar(&fl.token, "token", "", "an API token of the workspace (default: RELSOP_TOKEN)")
	f.BoolVar(&fl.insecure, "insecure", false, "allow sending the token over plain http to another machine")
	cmd.AddCommand(newRemoteListCmd(env, fl), newRemotePullCmd(env, fl), newRemotePushCmd(env, fl), newRemoteExportCmd(env, fl), newRemoteInboxCmd(env, fl))
	return cmd
}

func newRemoteListCmd(env *Env, rf *remoteFlags) *cobra.Command {
	var (
		ws                    int64
		status, query, format string
	)
	cmd := &cobra.Command{
		Use:   "list [--workspace ID] [--status S] [--query Q] [--format text|json]",
		Short: "List the SOPs of a workspace",
		Long: `list shows the SOPs of a workspace: id, title, status, lint state, the day its
scheduled review falls due (review.cadence after review.last_reviewed; - when
it states either not), revision and when it was last saved. Without --workspace it lists your first workspace, and
names the others when you have several.`,
		Example: `  relsop remote list
  relsop remote list --workspace 3 --status draft --query canary
  relsop remote list --format json | jq '.[].id'`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := textOrJSON(format); err != nil {
				return err
			}
			c, err := rf.client()
			if err != nil {
				return err
			}
			return remoteDone(env, runRemoteList(cmd.Context(), env, c, ws, status, query, format))
		},
	}
	f := cmd.Flags()
	f.Int64Var(&ws, "workspace", 0, "the workspace's id (default: your first workspace)")
	f.StringVar(&status, "status", "", "only SOPs with this status: draft, in-review, approved or retired")
	f.StringVar(&query, "query", "", "only SOPs whose title or content matches")
	f.StringVar(&format, "format", "text", "output format: text or json")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("text", "json"))
	cmd.RegisterFlagCompletionFunc("status", fixedCompletions("draft", "in-review", "approved", "retired"))
	return cmd
}

func newRemotePullCmd(env *Env, rf *remoteFlags) *cobra.Command {
	var (
		out, status string
		all         bool
		ws          int64
	)
	cmd := &cobra.Command{
		Use:   "pull (ID [-o FILE] | --all -o FOLDER [--workspace ID] [--status S])",
		Short: "Download the YAML of an SOP's latest revision, or of every SOP into a folder",
		Long: `pull writes the YAML of the SOP's latest revision to FILE, or to standard
output, and its revision number to standard error ("revision 7"): push it back
with --base 7 so that nobody's later change is overwritten.

With --all it keeps FOLDER as a copy of the workspace's SOPs, for git: one
NAME.sop.yaml per SOP (NAME from the SOP's id), and an index, ` + mirrorIndexName + `,
that records which SOP and revision each file is. Pull again to bring the folder
up to date: a file changed here since it was pulled is kept, never overwritten
(exit 1 when the workspace changed it too). In that folder, push FILE needs no
--sop or --base: the index says them.`,
		Example: `  relsop remote pull 7 -o release.sop.yaml
  relsop remote pull --all -o sops/
  relsop remote push sops/saas-weekly-release.sop.yaml -m "Add a canary step"`,
		Args: argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case all && len(args) > 0:
				return usageError("give an SOP id, or --all for every SOP, not both")
			case all && (out == "" || out == "-"):
				return usageError("--all writes a file per SOP: name the folder with -o FOLDER")
			case !all && len(args) == 0:
				return usageError("name the SOP to pull (relsop remote list shows the ids), or pull every SOP with --all -o FOLDER")
			case !all && (ws != 0 || status != ""):
				return usageError("--workspace and --status go with --all")
			}
			c, err := rf.client()
			if err != nil {
				return err
			}
			if all {
				return remoteDone(env, runRemotePullAll(cmd.Context(), env, c, out, ws, status))
			}
			id, err := parseSOPID(args[0])
			if err != nil {
				return err
			}
			return remoteDone(env, runRemotePull(cmd.Context(), env, c, id, out))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "write the YAML to this file (default: standard output); with --all, the folder")
	f.BoolVar(&all, "all", false, "pull every SOP of the workspace into the folder -o names")
	f.Int64Var(&ws, "workspace", 0, "with --all: the workspace (default: your first workspace)")
	f.StringVar(&status, "status", "", "with --all: only SOPs with this status: draft, in-review, approved or retired")
	cmd.RegisterFlagCompletionFunc("status", fixedCompletions("draft", "in-review", "approved", "retired"))
	return cmd
}

type pushFlags struct {
	sop, ws int64
	base    int
	message string
	create  bool
}

func newRemotePushCmd(env *Env, rf *remoteFlags) *cobra.Command {
	var fl pushFlags
	cmd := &cobra.Command{
		Use:   "push FILE (--sop ID [--base N] [-m MESSAGE] | --new [--workspace ID])",
		Short: "Save a file as an SOP's next revision, or as a new SOP",
		Long: `push saves FILE ("-" for standard input) in the workspace.

With --sop ID it becomes the SOP's next revision. --base N is the revision the
file was pulled at: when someone has saved since, nothing is saved and push
exits 1; pull again and make the change there. Without --base the file replaces
whatever the latest revision is (a warning says so).

With --new it becomes a new SOP in the workspace of --workspace (needed when you
belong to several).

A file of a folder that pull --all keeps needs neither --sop nor --base: the
folder's index says which SOP the file is and the revision it was pulled at, and
is brought up to date when the push is saved.

A file the workspace cannot load is refused with its findings, each as
FILE:line:col: severity: message (exit 2).`,
		Example: `  relsop remote push release.sop.yaml --sop 7 --base 3 -m "Add a canary step"
  relsop remote push new.sop.yaml --workspace 1 --new
  relsop remote export 7 -o release-sop.pdf   # the controlled PDF document`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			baseSet := cmd.Flags().Changed("base")
			// A file that pull --all wrote: its folder's index says which
			// SOP it is and the revision it was pulled at.
			mirror, err := mirrorOf(args[0], &fl, baseSet)
			if err != nil {
				return err
			}
			switch {
			case fl.create && fl.sop != 0:
				return usageError("give --sop ID to save a new revision, or --new to create an SOP, not both")
			case !fl.create && fl.sop == 0:
				return usageError("say where to push: --sop ID (a new revision of that SOP) or --new (a new SOP); a file that pull --all wrote needs neither")
			case fl.create && (baseSet || fl.message != ""):
				return usageError("--base and -m are for saving a revision of an existing SOP (--sop), not for --new")
			case !fl.create && fl.ws != 0:
				return usageError("--workspace is for --new; an existing SOP is named by --sop alone")
			case fl.sop < 0:
				return usageError("--sop must be an SOP id such as 7, not %d", fl.sop)
			case baseSet && fl.base < 1:
				return usageError("--base must be a revision number (1 or more), not %d", fl.base)
			}
			c, err := rf.client()
			if err != nil {
				return err
			}
			if mirror != nil && mirror.ix.Server != c.server() {
				return usageError("%s was pulled from %s, not %s; push it there, or give --sop and --base", args[0], mirror.ix.Server, c.server())
			}
			name, src, err := readInput(env, args[0])
			if err != nil {
				return err
			}
			saved, err := runRemotePush(cmd.Context(), env, c, name, src, fl)
			if err == nil && mirror != nil {
				err = mirror.pushed(saved.Revision, src)
			}
			return remoteDone(env, err)
		},
	}
	f := cmd.Flags()
	f.Int64Var(&fl.sop, "sop", 0, "the SOP to save a new revision of")
	f.IntVar(&fl.base, "base", 0, "the revision FILE was pulled at (default: the latest, overwriting it)")
	f.StringVarP(&fl.message, "message", "m", "", "what changed, for the history")
	f.BoolVar(&fl.create, "new", false, "create a new SOP from FILE")
	f.Int64Var(&fl.ws, "workspace", 0, "with --new: the workspace to create it in (default: your only workspace)")
	return cmd
}

func parseSOPID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, usageError("an SOP id is a number such as 7 (see relsop remote list), not %q", s)
	}
	return id, nil
}

// remoteClient is a caller of a workspace's API with a bearer token.
type remoteClient struct {
	base  *url.URL
	token string
	http  *http.Client
}

// client checks the flags and makes the client; nothing is sent yet.
func (fl *remoteFlags) client() (*remoteClient, error) {
	token := strings.TrimSpace(fl.token)
	if token == "" {
		token = strings.TrimSpace(os.Getenv("RELSOP_TOKEN"))
	}
	if token == "" {
		return nil, usageError("no API token: set RELSOP_TOKEN or pass --token (make one in the workspace under Account → API tokens, or with POST /api/tokens)")
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, usageError("the API token has spaces or control characters in it; copy it again (it looks like relsop_…)")
	}
	server := fl.server
	if server == "" {
		server = os.Getenv("RELSOP_SERVER")
	}
	base, err := checkServer(server, fl.insecure)
	if err != nil {
		return nil, err
	}
	return &remoteClient{base: base, token: token, http: &http.Client{
		Timeout: remoteTimeout,
		// A redirect could carry the token somewhere else; say where the
		// server points instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// checkServer parses the server address and refuses to send a token in
// clear text to another machine unless insecure.
func checkServer(raw string, insecure bool) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		s = defaultServer
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return nil, usageError("--server must be an http:// or https:// address such as %s, not %q", defaultServer, redactURL(raw))
	}
	if u.Scheme == "http" && !insecure && !isLoopback(u.Hostname()) {
		return nil, usageError("refusing to send the API token to %s over plain http: anyone on the way could read it and act as you in the workspace. Use https://, or pass --insecure if the network is trusted", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return s
}

func isLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (c *remoteClient) server() string { return c.base.Redacted() }

// remoteError is an error answer of the API.
type remoteError struct {
	server   string
	method   string
	path     string
	status   int
	code     string
	message  string
	findings []remoteFinding
}

type remoteFinding struct {
	Line     int             `json:"line"`
	Col      int             `json:"col"`
	Severity relsop.Severity `json:"severity"`
	Code     string          `json:"code"`
	Element  string          `json:"element"`
	Message  string          `json:"message"`
	Hint     string          `json:"hint"`
}

func (e *remoteError) Error() string {
	msg := strings.TrimSuffix(printable(e.message), ".")
	switch e.code {
	case "unauthorized":
		return fmt.Sprintf("the workspace at %s did not accept the API token (%s); make one in the workspace under Account → API tokens and pass it with RELSOP_TOKEN or --token", e.server, msg)
	case "forbidden":
		return fmt.Sprintf("the workspace at %s does not allow this: %s (viewers cannot change SOPs)", e.server, msg)
	case "not_found":
		return fmt.Sprintf("the workspace at %s answered: %s (or your account is not a member of its workspace)", e.server, msg)
	case "internal":
		return fmt.Sprintf("the workspace at %s failed (%s %s); its log has the details", e.server, e.method, e.path)
	case "":
		if msg == "" {
			msg = http.StatusText(e.status)
		}
		return fmt.Sprintf("%s %s at %s: HTTP %d: %s (is this a relsop workspace? check --server)", e.method, e.path, e.server, e.status, msg)
	}
	return fmt.Sprintf("the workspace at %s answered: %s", e.server, msg)
}

// remoteFailure is a message for the user and the exit code that goes
// with it.
type remoteFailure struct {
	msg  string
	code int
}

func (e *remoteFailure) Error() string { return e.msg }

// remoteDone prints an error of a remote command and turns it into its
// exit code; usage errors and exit codes pass through to Main.
func remoteDone(env *Env, err error) error {
	if err == nil {
		return nil
	}
	var ue *usageErr
	var ee *exitError
	if errors.As(err, &ue) || errors.As(err, &ee) {
		return err
	}
	fmt.Fprintf(env.Stderr, "relsop: %v\n", err)
	var rf *remoteFailure
	if errors.As(err, &rf) {
		return exit(rf.code)
	}
	return exit(ExitUsage)
}

// call sends a JSON request (in may be nil) and decodes a 2xx JSON
// answer into out (which may be nil; a *[]byte takes the answer as it is).
// Other answers are *remoteError.
func (c *remoteClient) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("cannot make a request to %s: %w", c.server(), err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "relsop/"+Version)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.networkError(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteAnswer+1))
	if err != nil {
		return c.networkError(err)
	}
	if len(data) > maxRemoteAnswer {
		return fmt.Errorf("the answer of %s to %s %s is over %d MiB; is --server a relsop workspace?", c.server(), method, path, maxRemoteAnswer>>20)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		where := resp.Header.Get("Location")
		if loc, err := resp.Location(); err == nil {
			where = loc.Redacted()
		}
		return fmt.Errorf("%s redirects %s to %s; give the workspace's address as --server (the token is not sent along redirects)", c.server(), path, where)
	}
	isJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		re := &remoteError{server: c.server(), method: method, path: path, status: resp.StatusCode}
		var eb struct {
			Error struct {
				Code     string          `json:"code"`
				Message  string          `json:"message"`
				Findings []remoteFinding `json:"findings"`
			} `json:"error"`
		}
		if isJSON && json.Unmarshal(data, &eb) == nil && eb.Error.Code != "" {
			re.code, re.message, re.findings = eb.Error.Code, eb.Error.Message, eb.Error.Findings
		} else {
			re.message = snippet(data)
		}
		return re
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = data // a download: a PDF, an image, YAML
		return nil
	}
	if !isJSON {
		return fmt.Errorf("%s answered %s %s with %q, not JSON; is --server a relsop workspace?", c.server(), method, path, resp.Header.Get("Content-Type"))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s answered %s %s with JSON relsop does not understand: %v", c.server(), method, path, err)
	}
	return nil
}

func (c *remoteClient) networkError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its URL is said below, without a password
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("no answer from the workspace at %s within %s", c.server(), remoteTimeout)
	}
	return fmt.Errorf("cannot reach the workspace at %s: %v (is relsop serve running there? set --server or RELSOP_SERVER)", c.server(), err)
}

// snippet is the start of a non-JSON error answer, safe for a terminal.
func snippet(data []byte) string {
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return printable(s)
}

// printable replaces control characters, so that text from a server
// cannot drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}

type remoteWorkspace struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

type remoteDocument struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"workspace_id"`
	Title       string    `json:"title"`
	Status      string    `json:"status"`
	Lint        string    `json:"lint"`
	ReviewDue   string    `json:"review_due"`
	Revision    int       `json:"revision"`
	UpdatedAt   time.Time `json:"updated_at"`
	Source      *string   `json:"source"`
}

func (c *remoteClient) workspaces(ctx context.Context) ([]remoteWorkspace, error) {
	var me struct {
		Workspaces []remoteWorkspace `json:"workspaces"`
	}
	if err := c.call(ctx, "GET", "/api/me", nil, nil, &me); err != nil {
		return nil, err
	}
	if len(me.Workspaces) == 0 {
		return nil, fmt.Errorf("your account at %s belongs to no workspace; create one in the browser first", c.server())
	}
	return me.Workspaces, nil
}

func writeWorkspaces(w io.Writer, wss []remoteWorkspace) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, ws := range wss {
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", ws.ID, printable(ws.Name), ws.Role)
	}
	tw.Flush()
}

// defaultWorkspace is ws, or the caller's first workspace when ws is 0,
// naming the others on standard error when there are several.
func (c *remoteClient) defaultWorkspace(ctx context.Context, env *Env, ws int64, doing string) (int64, error) {
	if ws != 0 {
		return ws, nil
	}
	wss, err := c.workspaces(ctx)
	if err != nil {
		return 0, err
	}
	ws = wss[0].ID
	if len(wss) > 1 {
		fmt.Fprintf(env.Stderr, "You belong to %d workspaces; %s %d (%s). Pick one with --workspace ID:\n", len(wss), doing, ws, printable(wss[0].Name))
		writeWorkspaces(env.Stderr, wss)
	}
	return ws, nil
}

// listSOPs is every SOP of workspace ws with the status and matching the
// query given ("" for any), as the API lists them, page after page.
func (c *remoteClient) listSOPs(ctx context.Context, ws int64, status, query string) ([]json.RawMessage, error) {
	const page = 500 // the API's largest page
	var raw []json.RawMessage
	for offset := 0; ; offset += page {
		q := url.Values{"workspace": {strconv.FormatInt(ws, 10)}, "limit": {strconv.Itoa(page)}, "offset": {strconv.Itoa(offset)}}
		if status != "" {
			q.Set("status", status)
		}
		if query != "" {
			q.Set("q", query)
		}
		var out struct {
			SOPs []json.RawMessage `json:"sops"`
		}
		if err := c.call(ctx, "GET", "/api/sops", q, nil, &out); err != nil {
			return nil, err
		}
		raw = append(raw, out.SOPs...)
		if len(out.SOPs) < page {
			return raw, nil
		}
	}
}

func runRemoteList(ctx context.Context, env *Env, c *remoteClient, ws int64, status, query, format string) error {
	ws, err := c.defaultWorkspace(ctx, env, ws, "listing")
	if err != nil {
		return err
	}
	raw, err := c.listSOPs(ctx, ws, status, query)
	if err != nil {
		return err
	}
	if format == "json" {
		if raw == nil {
			raw = []json.RawMessage{}
		}
		data, err := json.MarshalIndent(raw, "", "  ")
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(append(data, '\n'))
		return err
	}
	if len(raw) == 0 {
		fmt.Fprintf(env.Stderr, "No SOPs in workspace %d", ws)
		if status != "" || query != "" {
			fmt.Fprint(env.Stderr, " match")
		}
		fmt.Fprintln(env.Stderr, ".")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tSTATUS\tLINT\tREVIEW DUE\tREVISION\tUPDATED")
	for _, r := range raw {
		var d remoteDocument
		if err := json.Unmarshal(r, &d); err != nil {
			return fmt.Errorf("%s listed an SOP relsop does not understand: %v", c.server(), err)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", d.ID, printable(d.Title), printable(d.Status), printable(d.Lint),
			printable(cmp.Or(d.ReviewDue, "-")), d.Revision, d.UpdatedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return tw.Flush()
}

func (c *remoteClient) document(ctx context.Context, id int64) (*remoteDocument, error) {
	var out struct {
		Document remoteDocument `json:"document"`
	}
	if err := c.call(ctx, "GET", fmt.Sprintf("/api/sops/%d", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out.Document, nil
}

func runRemotePull(ctx context.Context, env *Env, c *remoteClient, id int64, out string) error {
	d, err := c.document(ctx, id)
	if err != nil {
		return err
	}
	if d.Source == nil {
		return fmt.Errorf("%s sent SOP %d without its YAML; is it a relsop workspace?", c.server(), id)
	}
	if err := writeOutput(env, out, []byte(*d.Source)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "revision %d\n", d.Revision)
	return nil
}

// runRemotePush saves src and returns the SOP as saved.
func runRemotePush(ctx context.Context, env *Env, c *remoteClient, name string, src []byte, fl pushFlags) (*remoteDocument, error) {
	var out struct {
		Document remoteDocument `json:"document"`
	}
	if fl.create {
		ws := fl.ws
		if ws == 0 {
			wss, err := c.workspaces(ctx)
			if err != nil {
				return nil, err
			}
			if len(wss) > 1 {
				fmt.Fprintf(env.Stderr, "You belong to %d workspaces; say which with --workspace ID:\n", len(wss))
				writeWorkspaces(env.Stderr, wss)
				return nil, exit(ExitUsage)
			}
			ws = wss[0].ID
		}
		err := c.call(ctx, "POST", "/api/sops", nil, map[string]any{"workspace_id": ws, "source": string(src)}, &out)
		if err != nil {
			return nil, refused(env, name, src, err)
		}
		fmt.Fprintf(env.Stdout, "created SOP %d %q in workspace %d: revision %d, lint %s\n", out.Document.ID,
			printable(out.Document.Title), out.Document.WorkspaceID, out.Document.Revision, printable(out.Document.Lint))
		return &out.Document, nil
	}
	base := fl.base
	if base == 0 {
		d, err := c.document(ctx, fl.sop)
		if err != nil {
			return nil, err
		}
		base = d.Revision
		fmt.Fprintf(env.Stderr, "warning: no --base: saving over revision %d of SOP %d, whatever it holds; changes saved since you pulled are overwritten (pass --base with the revision pull printed)\n", base, fl.sop)
	}
	in := map[string]any{"source": string(src), "base_revision": base}
	if fl.message != "" {
		in["message"] = fl.message
	}
	err := c.call(ctx, "PUT", fmt.Sprintf("/api/sops/%d", fl.sop), nil, in, &out)
	var re *remoteError
	if errors.As(err, &re) && re.code == "conflict" {
		latest := ""
		if d, err := c.document(ctx, fl.sop); err == nil {
			latest = fmt.Sprintf(" (the latest is %d)", d.Revision)
		}
		return nil, &remoteFailure{code: ExitFindings, msg: fmt.Sprintf(
			"not saved: someone saved SOP %d after revision %d%s. Pull it first (relsop remote pull %d -o FILE), make your change there and push again with the new --base",
			fl.sop, base, latest, fl.sop)}
	}
	if err != nil {
		return nil, refused(env, name, src, err)
	}
	fmt.Fprintf(env.Stdout, "saved SOP %d as revision %d (lint %s)\n", out.Document.ID, out.Document.Revision, printable(out.Document.Lint))
	return &out.Document, nil
}

// refused reports a file the workspace did not accept: its findings as
// the other commands print them, positioned in the local file.
func refused(env *Env, name string, src []byte, err error) error {
	var re *remoteError
	if !errors.As(err, &re) || len(re.findings) == 0 {
		return err
	}
	fs := make([]relsop.Finding, 0, len(re.findings))
	for _, f := range re.findings {
		fs = append(fs, relsop.Finding{Pos: relsop.Pos{Line: f.Line, Col: f.Col}, Severity: f.Severity, Code: printable(f.Code),
			Element: f.Element, Message: printable(f.Message), Hint: printable(f.Hint)})
	}
	l := &loaded{name: name, src: src}
	report.Text(env.Stderr, l.locate(fs), report.Style{Color: env.IsTerminal})
	errs := 0
	for _, f := range fs {
		if f.Severity == relsop.SeverityError {
			errs++
		}
	}
	return &remoteFailure{code: ExitUsage, msg: fmt.Sprintf("the workspace at %s did not accept %s (%s); nothing was saved",
		re.server, name, plural(errs, "error"))}
}
