// Package testenv finds what tests need from outside the repository (the
// shared corpus and schemas, real tools) and decides whether a test skips
// or fails when something is missing: with RELSOP_REQUIRE_TOOLS=1, as set
// by .ci/run, a missing tool fails the test instead of skipping it.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Missing skips the test, or fails it when RELSOP_REQUIRE_TOOLS=1.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("RELSOP_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is missing and RELSOP_REQUIRE_TOOLS=1", what)
	}
	t.Skipf("%s is missing; .ci/run provides it (set RELSOP_REQUIRE_TOOLS=1 to fail instead)", what)
}

// SharedDir returns the directory named by the environment variable env
// (RELSOP_CORPUS, RELSOP_SCHEMAS), relative paths taken from the repository
// root; when unset it tries ../shared/<name> beside the repository.
func SharedDir(t testing.TB, env, name string) string {
	t.Helper()
	root := RepoRoot(t)
	dir := os.Getenv(env)
	if dir == "" {
		dir = filepath.Join("..", "shared", name)
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		Missing(t, "the "+name+" directory ("+env+"="+dir+")")
	}
	return dir
}

// Tool returns the path of a command, skipping or failing when it is not
// installed.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "the tool "+name)
	}
	return p
}
