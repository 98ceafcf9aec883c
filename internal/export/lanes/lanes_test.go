package lanes

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func TestOf(t *testing.T) {
	sop := &relsop.SOP{
		Roles: []relsop.Role{{ID: "dev", Name: "Developer"}, {ID: "idle"}, {ID: "dev", Name: "again"}},
		Steps: []relsop.Step{
			{ID: "a", Owner: "dev", Next: []string{"b", "nowhere"}},
			{ID: "b", Owner: "ghost", OnFailure: "a"},
			{ID: "c", Owner: "dev"},
		},
	}
	type lane struct {
		ID, Name string
		Steps    []string
	}
	var got []lane
	for _, l := range Of(sop) {
		var ids []string
		for _, st := range l.Steps {
			ids = append(ids, st.ID)
		}
		got = append(got, lane{l.ID, l.Name, ids})
	}
	want := []lane{{"dev", "Developer", []string{"a", "c"}}, {"idle", "idle", nil}, {"", Unassigned, []string{"b"}}}
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("lanes (-got +want):\n%s", d)
	}
	flows := Flows(sop)
	if len(flows) != 2 || flows[0].To != "b" || flows[1].Kind != relsop.FlowRollback {
		t.Errorf("flows = %+v, want a->b and the rollback b->a", flows)
	}
}
