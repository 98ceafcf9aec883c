package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/relsop/relsop"
)

// workflowCommand is one GitHub Actions workflow command as the runner
// reads it back from a job's log.
type workflowCommand struct {
	name    string
	props   map[string]string
	message string
}

// parseWorkflowCommand reads a line as the Actions runner does: "::name",
// optional "key=value" properties separated by commas, "::", the message;
// then undoes the escaping of properties and message.
func parseWorkflowCommand(line string) (workflowCommand, bool) {
	rest, ok := strings.CutPrefix(line, "::")
	if !ok {
		return workflowCommand{}, false
	}
	head, msg, ok := strings.Cut(rest, "::")
	if !ok {
		return workflowCommand{}, false
	}
	name, props, _ := strings.Cut(head, " ")
	c := workflowCommand{name: name, props: map[string]string{}, message: unescapeWorkflow(msg)}
	if props != "" {
		for _, kv := range strings.Split(props, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return workflowCommand{}, false
			}
			c.props[k] = unescapeWorkflow(v)
		}
	}
	return c, true
}

func unescapeWorkflow(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestGitHubAnnotations(t *testing.T) {
	fs := []relsop.Finding{
		{File: "./sops/release.sop.yaml", Pos: relsop.Pos{Line: 12, Col: 5}, Severity: relsop.SeverityError, Code: "unknown-role",
			Message: `owner is "qa-laed"`, Hint: "define it under roles:"},
		{File: "sops/a,b:c.sop.yaml", Pos: relsop.Pos{Line: 3, Col: 1}, Severity: relsop.SeverityWarning, Code: "verb-first",
			Message: "step \"100% done\nsoon\" ::error::injected, starts with no verb"},
		{File: stdinNameInReport, Severity: relsop.SeverityInfo, Code: "complexity", Message: "info without position"},
	}
	var b bytes.Buffer
	if err := GitHub(&b, fs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(fs) {
		t.Fatalf("%d lines for %d findings (a message broke a line?):\n%s", len(lines), len(fs), b.String())
	}
	want := []workflowCommand{
		{"error", map[string]string{"file": "sops/release.sop.yaml", "line": "12", "col": "5", "title": "relsop unknown-role"},
			"owner is \"qa-laed\"\nhint: define it under roles:"},
		{"warning", map[string]string{"file": "sops/a,b:c.sop.yaml", "line": "3", "col": "1", "title": "relsop verb-first"},
			"step \"100% done\nsoon\" ::error::injected, starts with no verb"},
		{"notice", map[string]string{"title": "relsop complexity"}, "info without position"},
	}
	for i, line := range lines {
		got, ok := parseWorkflowCommand(line)
		if !ok {
			t.Fatalf("line %d is no workflow command: %q", i+1, line)
		}
		if got.name != want[i].name || got.message != want[i].message || len(got.props) != len(want[i].props) {
			t.Errorf("line %d = %+v, want %+v", i+1, got, want[i])
			continue
		}
		for k, v := range want[i].props {
			if got.props[k] != v {
				t.Errorf("line %d: %s = %q, want %q", i+1, k, got.props[k], v)
			}
		}
	}
}

// FuzzGitHubAnnotations: whatever the names and messages, each finding is
// one command that reads back as what was written.
func FuzzGitHubAnnotations(f *testing.F) {
	f.Add("sops/x.sop.yaml", "owner is \"a\"", "hint", 3, 4)
	f.Add("a,b:c%0A.yaml", "::warning::x\r\n%", "", 0, 0)
	f.Fuzz(func(t *testing.T, file, msg, hint string, line, col int) {
		if file == "" || strings.Contains(file, "\x00") {
			return
		}
		fd := relsop.Finding{File: file, Pos: relsop.Pos{Line: line, Col: col}, Severity: relsop.SeverityWarning, Code: "verb-first", Message: msg, Hint: hint}
		var b bytes.Buffer
		if err := GitHub(&b, []relsop.Finding{fd}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") || strings.Contains(out, "\r") {
			t.Fatalf("not one line: %q", out)
		}
		c, ok := parseWorkflowCommand(strings.TrimSuffix(out, "\n"))
		if !ok || c.name != "warning" {
			t.Fatalf("does not read back: %q", out)
		}
		wantMsg := msg
		if hint != "" {
			wantMsg += "\nhint: " + hint
		}
		if c.message != wantMsg {
			t.Errorf("message %q read back as %q", wantMsg, c.message)
		}
		if p, ok := repoPath(file); ok && c.props["file"] != p {
			t.Errorf("file %q read back as %q", p, c.props["file"])
		}
	})
}

func TestGitLabCodeQuality(t *testing.T) {
	dup := relsop.Finding{File: "sops/a.sop.yaml", Pos: relsop.Pos{Line: 9, Col: 3}, Severity: relsop.SeverityWarning,
		Code: "verb-first", Element: "x", Message: `step "x" starts with no verb`}
	fs := []relsop.Finding{
		{File: "./sops/a.sop.yaml", Pos: relsop.Pos{Line: 4, Col: 2}, Severity: relsop.SeverityError, Code: "gate-approver",
			Element: "go", Message: `gate "go" has no approvers`, Hint: "add approvers:"},
		dup, dup,
		{File: stdinNameInReport, Severity: relsop.SeverityInfo, Code: "complexity", Message: "whole file"},
	}
	issues := decodeGitLab(t, fs)
	if len(issues) != len(fs) {
		t.Fatalf("%d issues for %d findings", len(issues), len(fs))
	}
	sev := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for i, is := range issues {
		// What GitLab requires of each entry.
		if is.Description == "" || is.CheckName == "" || !sev[is.Severity] || is.Location.Path == "" || is.Location.Lines.Begin < 1 {
			t.Errorf("issue %d lacks a field GitLab requires: %+v", i, is)
		}
		if !hex32.MatchString(is.Fingerprint) || seen[is.Fingerprint] {
			t.Errorf("issue %d: fingerprint %q is not a unique hash", i, is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	first := issues[0]
	if first.Location.Path != "sops/a.sop.yaml" || first.Location.Lines.Begin != 4 || first.Severity != "major" ||
		first.CheckName != "relsop/gate-approver" || first.Description != `gate "go" has no approvers. Fix: add approvers:` {
		t.Errorf("first issue = %+v", first)
	}
	if issues[3].Location.Path != "stdin" || issues[3].Location.Lines.Begin != 1 || issues[3].Severity != "info" {
		t.Errorf("finding without position or file = %+v", issues[3])
	}

	// A finding keeps its fingerprint when lines above it move, so GitLab
	// does not report it as fixed and new again.
	moved := fs[0]
	moved.Pos.Line += 10
	if got := decodeGitLab(t, []relsop.Finding{moved})[0].Fingerprint; got != first.Fingerprint {
		t.Errorf("fingerprint changed with the line: %s, was %s", got, first.Fingerprint)
	}
	if got := decodeGitLab(t, nil); got == nil || len(got) != 0 {
		t.Errorf("no findings = %v, want an empty array", got)
	}
}

func decodeGitLab(t *testing.T, fs []relsop.Finding) []gitlabIssue {
	t.Helper()
	var b bytes.Buffer
	if err := GitLab(&b, fs); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	var issues []gitlabIssue
	if err := dec.Decode(&issues); err != nil {
		t.Fatalf("%v in %s", err, b.String())
	}
	return issues
}
