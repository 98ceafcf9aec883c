package importer

import (
	"strings"

	"github.com/relsop/relsop/internal/importer/ciyaml"
)

// NeedsCycle refuses a cycle among CI jobs' needs:, the order both GitHub
// Actions and GitLab CI run jobs in; one search gives both importers the
// same error. It searches depth first from each of jobs in turn and
// returns an *Error at the needs: entry that closes the first cycle met,
// or nil. job gives a job's name, its key in byName, and its resolved
// needs: entries, each naming a job of byName.
func NeedsCycle[J comparable](jobs []J, byName map[string]J, job func(J) (name string, needs []*ciyaml.Node)) error {
	onPath := map[J]int{} // the index on path of a job being searched
	done := map[J]bool{}
	var path []string
	var visit func(j J) error
	visit = func(j J) error {
		name, needs := job(j)
		onPath[j] = len(path)
		path = append(path, name)
		for _, n := range needs {
			d := byName[n.Value]
			if i, ok := onPath[d]; ok {
				e := Errorf(n.Pos, CodeCycle, "remove one of these needs: so the jobs can run in an order",
					"needs: form a cycle: %s", strings.Join(append(path[i:], n.Value), " -> "))
				e.Finding.File = n.File
				return e
			}
			if !done[d] {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		delete(onPath, j)
		path = path[:len(path)-1]
		done[j] = true
		return nil
	}
	for _, j := range jobs {
		if !done[j] {
			if err := visit(j); err != nil {
				return err
			}
		}
	}
	return nil
}
