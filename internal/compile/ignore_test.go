package compile

import (
	"testing"

	"github.com/relsop/relsop/internal/schema"
)

// An ignore entry must say why; an empty reason is as bad as none.
func TestIgnoreNeedsReason(t *testing.T) {
	src := "id: a\ntitle: A\nroles: [{id: r, name: R}]\nsteps: [{id: s, name: Start, kind: start, owner: r}]\nignore:\n  - rule: dead-end\n    reason: \"  \"\n"
	res := Load([]byte(src))
	if len(res.Errors) != 1 || res.Errors[0].Code != schema.CodeMissingField || res.Errors[0].Pos.String() != "6:5" {
		t.Fatalf("errors = %+v, want one missing-field at 6:5", res.Errors)
	}
}
