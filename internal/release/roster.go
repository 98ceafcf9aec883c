package release

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relsop/relsop/internal/suggest"
)

// Roster says who holds which role in one release: a role's id → the
// people who may sign its gates for it. A role the roster leaves out may
// be signed for by anyone (each person still for one role per gate); a
// role it names may be signed for only by the people it names. The
// roster is part of the start record, so it is under the trail's chain
// like every sign-off, and a change to it is a record of its own
// (TypeAssign) with its reason.
//
// The browser workspace names every role that signs a gate, with the
// members' accounts, so that a sign-off there is the signed-in person's
// and no one else's.
type Roster map[string][]string

// MaxHolders is the most people one role may have in a release.
const MaxHolders = 50

// Holders returns the people who may sign for role, or nil when anyone
// may.
func (r *Run) Holders(role string) []string { return r.Roster[role] }

// Holds reports whether person by may sign for role.
func (r *Run) Holds(role, by string) bool {
	holders := r.Roster[role]
	return len(holders) == 0 || slices.ContainsFunc(holders, func(h string) bool { return samePerson(h, by) })
}

// samePerson compares two people as the trail names them: without case or
// the spaces around.
func samePerson(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// checkRoster refuses a roster naming a role the SOP does not have, a role
// with no one or too many people, a person twice, or a name that is not
// plain text.
func (r *Run) checkRoster(ro Roster) error {
	for _, role := range slices.Sorted(maps.Keys(ro)) {
		if err := r.checkHolders(role, ro[role]); err != nil {
			return err
		}
	}
	return nil
}

// checkHolders checks the people a roster names for one role.
func (r *Run) checkHolders(role string, people []string) error {
	if r.SOP.Role(role) == nil {
		return fmt.Errorf("the SOP has no role %q to hold%s", role, suggest.Hint(role, r.roleIDs()))
	}
	if len(people) == 0 {
		return fmt.Errorf("name who holds %s (at least one person)", role)
	}
	if len(people) > MaxHolders {
		return fmt.Errorf("%d people hold %s; the most is %d", len(people), role, MaxHolders)
	}
	for i, p := range people {
		if err := checkText("a person holding "+role, p, true); err != nil {
			return err
		}
		if slices.ContainsFunc(people[:i], func(q string) bool { return samePerson(p, q) }) {
			return fmt.Errorf("%s is named twice for %s", p, role)
		}
	}
	return nil
}

// checkAssign refuses a change of roster without a reason or with people
// checkHolders refuses.
func (r *Run) checkAssign(rec Record) error {
	if rec.Step != "" {
		return fmt.Errorf("a roster change is about a role, not a step")
	}
	if err := r.checkHolders(rec.Role, rec.People); err != nil {
		return err
	}
	if strings.TrimSpace(rec.Note) == "" {
		return fmt.Errorf("say why %s changes hands (the reason): the trail keeps every change of who signs for a role", rec.Role)
	}
	return nil
}

// checkHolder refuses a sign-off by someone the roster does not name for
// its role.
func (r *Run) checkHolder(rec Record) error {
	if r.Holds(rec.Role, rec.By) {
		return nil
	}
	return fmt.Errorf("%s does not hold %s in this release: the roster names %s. Ask one of them to sign, or hand the role to others (assign), with the reason",
		rec.By, rec.Role, strings.Join(r.Roster[rec.Role], ", "))
}

// assign applies a roster change.
func (r *Run) assign(rec Record) {
	next := Roster{}
	for role, people := range r.Roster {
		next[role] = people
	}
	next[rec.Role] = slices.Clone(rec.People)
	r.Roster = next
}

func (r *Run) roleIDs() []string {
	out := make([]string, len(r.SOP.Roles))
	for i, role := range r.SOP.Roles {
		out[i] = role.ID
	}
	return out
}

// SignRole is the role by signs gate for when they do not say: the gate's
// only decider, or the only one of its deciders the roster gives to by.
// Otherwise "": the role a person signs for is theirs to say, not a guess.
func (r *Run) SignRole(gate, by string) string {
	roles := r.Deciders(gate)
	if len(roles) == 1 {
		return roles[0]
	}
	var held []string
	for _, role := range roles {
		if len(r.Holders(role)) > 0 && r.Holds(role, by) {
			held = append(held, role)
		}
	}
	if len(held) == 1 {
		return held[0]
	}
	return ""
}

// MaySign returns the roles the roster gives by that may still sign gate
// id now: none when the gate is not ready, when by already signed it for
// a role (one person, one role), or when the roster names no one for a
// role (then anyone may sign it, and it is no one's in particular).
func (r *Run) MaySign(id, by string) []string {
	s := r.steps[id]
	if s == nil || !s.Step.IsGate() || !r.Ready(id) {
		return nil
	}
	if slices.ContainsFunc(s.Signs, func(sg Record) bool { return samePerson(sg.By, by) }) {
		return nil
	}
	var out []string
	for _, role := range r.Deciders(id) {
		if len(r.Holders(role)) > 0 && r.Holds(role, by) && !slices.ContainsFunc(s.Signs, func(sg Record) bool { return sg.Role == role }) {
			out = append(out, role)
		}
	}
	return out
}
