package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/testenv"
)

// TestPublish: the document of an SOP file, as PDF (by default and from
// the extension) and as Markdown; the PDF names the file and its SHA-256,
// which sha256sum gives for the same file.
func TestPublish(t *testing.T) {
	const tpl = "../templates/saas-weekly.sop.yaml"
	dir := t.TempDir()
	out := filepath.Join(dir, "release.pdf")
	if code, _, stderr := run(t, "", "publish", tpl, "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("-o release.pdf wrote %.20q (%v)", data, err)
	}
	src, _ := os.ReadFile(tpl)
	sum := sha256.Sum256(src)
	text, err := exec.Command(testenv.Tool(t, "pdftotext"), out, "-").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	if want := "saas-weekly.sop.yaml (SHA-256 " + hex.EncodeToString(sum[:]) + ")"; !strings.Contains(flat, want) {
		t.Errorf("the PDF does not name its source %q", want)
	}
	if !strings.Contains(flat, "Go/no-go decision") || !strings.Contains(flat, "emergency release") {
		t.Errorf("the document is missing a step or the release types")
	}
	// To standard output when it is not a terminal; the same bytes.
	if code, stdout, _ := run(t, "", "publish", tpl); code != ExitOK || stdout != string(data) {
		t.Errorf("publish to standard output: exit %d, same bytes %v", code, stdout == string(data))
	}
	md := filepath.Join(dir, "RELEASE.md")
	if code, _, stderr := run(t, "", "publish", tpl, "--type", "emergency", "-o", md); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(md); !bytes.HasPrefix(b, []byte("# ")) || !bytes.Contains(b, []byte("(this document shows its flow)")) {
		t.Errorf("-o RELEASE.md --type emergency wrote %.200q", b)
	}
}

// TestPublishBadInput: each mistake exits 2 with a message that says
// what to do, and writes nothing.
func TestPublishBadInput(t *testing.T) {
	const tpl = "../templates/saas-weekly.sop.yaml"
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sop.yaml")
	os.WriteFile(bad, []byte("id: x\ntitle: y\nsteps:\n  - id: a\n    name: A\n    kind: teleport\n"), 0o644)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown extension", []string{"publish", tpl, "-o", filepath.Join(dir, "x.docx")}, "name the file .pdf or .md"},
		{"unknown format", []string{"publish", tpl, "--format", "docx"}, "--format must be one of pdf, markdown"},
		{"unknown paper", []string{"publish", tpl, "--page", "a3", "-o", filepath.Join(dir, "x.pdf")}, "--page must be one of a4, letter"},
		{"unknown theme", []string{"publish", tpl, "--theme", "neon", "-o", filepath.Join(dir, "x.pdf")}, "--theme must be one of"},
		{"unknown release type", []string{"publish", tpl, "--type", "hotfix", "-o", filepath.Join(dir, "x.pdf")}, "hotfix"},
		{"invalid SOP", []string{"publish", bad, "-o", filepath.Join(dir, "x.pdf")}, "bad.sop.yaml:6:11"},
		{"missing file", []string{"publish", "no/such.sop.yaml", "-o", filepath.Join(dir, "x.pdf")}, "no/such.sop.yaml"},
		{"missing folder", []string{"publish", tpl, "-o", filepath.Join(dir, "no", "x.pdf")}, "does not exist"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, "", c.args...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("a failed publish wrote a file")
	}
	// A PDF is not written to a terminal.
	var out, errb bytes.Buffer
	code := Main([]string{"publish", tpl}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, IsTerminal: true})
	if code != ExitUsage || out.Len() > 0 || !strings.Contains(errb.String(), "-o saas-weekly-sop.pdf") {
		t.Errorf("to a terminal: exit %d, %d bytes, %q", code, out.Len(), errb.String())
	}
}
