package relsop_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainImportsOnlyStdlib holds the layering rule: the domain package
// depends on nothing but the standard library; everything else depends on it.
func TestDomainImportsOnlyStdlib(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg != "github.com/relsop/relsop" {
			t.Errorf("the domain package imports %s; it may import only the standard library", pkg)
		}
	}
}
