package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRenderManyFiles draws a folder's worth of SOPs, some broken, on all
// cores: every good one gets the same diagram as when drawn alone, the
// broken ones are reported in the order given, and the exit code says
// that something failed.
func TestRenderManyFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for i := range 12 {
		path := filepath.Join(dir, fmt.Sprintf("sop%02d.sop.yaml", i))
		src := good
		if i%4 == 1 {
			src = []byte(fmt.Sprintf("id: broken%d\nsteps: [\n", i))
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	files = append(files, filepath.Join(dir, "missing.sop.yaml"))

	out := filepath.Join(dir, "out")
	code, _, errOut := run(t, "", append([]string{"render", "-o", out}, files...)...)
	if code != ExitUsage {
		t.Errorf("exit %d, want %d (some files are broken)", code, ExitUsage)
	}
	// The messages come in the order of the files, whatever order they
	// were drawn in.
	last := -1
	for _, name := range []string{"sop01", "sop05", "sop09", "missing"} {
		at := strings.Index(errOut, name+".sop.yaml")
		if at < 0 {
			t.Errorf("no message names %s.sop.yaml:\n%s", name, errOut)
			continue
		}
		if at < last {
			t.Errorf("the message for %s comes before an earlier file's:\n%s", name, errOut)
		}
		last = at
	}
	_, alone, _ := run(t, "", "render", example)
	for i := range 12 {
		data, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("sop%02d.svg", i)))
		switch {
		case i%4 == 1 && err == nil:
			t.Errorf("sop%02d is broken but was drawn", i)
		case i%4 != 1 && err != nil:
			t.Errorf("sop%02d: %v", i, err)
		case i%4 != 1 && !bytes.Equal(data, []byte(alone)):
			t.Errorf("sop%02d.svg differs from the same SOP drawn alone", i)
		}
	}

	// The same run again prints the same bytes.
	_, _, again := run(t, "", append([]string{"render", "-o", out}, files...)...)
	if again != errOut {
		t.Errorf("messages differ between two runs:\n%s\n---\n%s", errOut, again)
	}
}

// TestRenderManyFilesSameName refuses two inputs whose diagrams would
// overwrite each other, before drawing anything.
func TestRenderManyFilesSameName(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a", "release.sop.yaml")
	b := filepath.Join(dir, "b", "release.sop.yaml")
	for _, p := range []string{a, b} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, good, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out")
	code, _, errOut := run(t, "", "render", a, b, "-o", out)
	if code != ExitUsage || !strings.Contains(errOut, "would both be drawn to") {
		t.Errorf("exit %d, stderr %q; want 2 and a message naming both files", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created although nothing could be drawn", out)
	}
}

// TestRenderToFolder draws one file into a folder when -o names one (a
// glob that matched a single file), and says clearly when the folder of
// an output file does not exist.
func TestRenderToFolder(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "diagrams") + "/"
	if code, _, errOut := run(t, "", "render", example, "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "example.svg")); err != nil {
		t.Errorf("one file into a new folder: %v", err)
	}
	existing := filepath.Join(dir, "pngs")
	os.Mkdir(existing, 0o755)
	if code, _, errOut := run(t, "", "render", example, "-o", existing, "--format", "png"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(existing, "example.png")); err != nil {
		t.Errorf("one file into an existing folder: %v", err)
	}
	missing := filepath.Join(dir, "nope", "x.svg")
	code, _, errOut := run(t, "", "render", example, "-o", missing)
	want := "cannot write " + missing + ": the folder " + filepath.Dir(missing) + " does not exist; create it first"
	if code != ExitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "--help") {
		t.Errorf("exit %d, stderr %q; want 2 and %q without a pointer to --help", code, errOut, want)
	}
}

// TestInOrder hands results over in index order and stops starting work
// once told to.
func TestInOrder(t *testing.T) {
	var got []int
	inOrder(100, 4, func(i int) int { return i * i }, func(i, r int) bool {
		got = append(got, r)
		return true
	})
	for i, r := range got {
		if r != i*i {
			t.Fatalf("result %d is %d, want %d", i, r, i*i)
		}
	}
	if len(got) != 100 {
		t.Fatalf("%d results, want 100", len(got))
	}
	var worked atomic.Int32
	used := 0
	inOrder(1000, 2, func(i int) int { worked.Add(1); return i }, func(i, r int) bool {
		used++
		return i < 10
	})
	if used != 11 {
		t.Errorf("use called %d times after stopping at 10, want 11", used)
	}
	// Work runs at most the window (2×workers) and the workers' own jobs
	// ahead of use.
	if n := worked.Load(); n > 11+3*2 {
		t.Errorf("%d jobs ran for 11 results used", n)
	}
}
