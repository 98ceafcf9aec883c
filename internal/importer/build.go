package importer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
)

// Builder makes an SOP step by step and keeps it valid: ids unique and of
// the id form, references resolving, gates with outcomes. Importers add
// what they find; Finish repairs what a foreign file leaves open.
type Builder struct {
	sop   *relsop.SOP
	steps map[string]int
	roles map[string]bool
	phase map[string]bool
	envs  map[string]bool
}

// NewBuilder starts an SOP in draft status.
func NewBuilder(id, title string) *Builder {
	if title = OneLine(title); title == "" {
		title = "Imported release procedure"
	}
	return &Builder{
		sop:   &relsop.SOP{ID: ID(id, "imported-sop"), Title: title, Status: relsop.StatusDraft},
		steps: map[string]int{}, roles: map[string]bool{}, phase: map[string]bool{}, envs: map[string]bool{},
	}
}

// SOP returns the SOP being built.
func (b *Builder) SOP() *relsop.SOP { return b.sop }

// Role adds a role, or returns the id of the role already added under id.
func (b *Builder) Role(id, name, description string) string {
	id = ID(id, "role")
	if !b.roles[id] {
		b.roles[id] = true
		b.sop.Roles = append(b.sop.Roles, relsop.Role{ID: id, Name: orID(OneLine(name), id), Description: description})
	}
	return id
}

// Phase adds a phase at the end of the order, or returns the id of the
// phase already added under id.
func (b *Builder) Phase(id, name string) string {
	id = ID(id, "phase")
	if !b.phase[id] {
		b.phase[id] = true
		b.sop.Phases = append(b.sop.Phases, relsop.Phase{ID: id, Name: orID(OneLine(name), id)})
	}
	return id
}

// HasPhase reports whether a phase id was added.
func (b *Builder) HasPhase(id string) bool { return b.phase[id] }

// Environment adds an environment, or returns the id of the one already
// added under id (marking it production when asked).
func (b *Builder) Environment(id, name string, production bool) string {
	id = ID(id, "environment")
	if b.envs[id] {
		if production {
			b.sop.Environment(id).Production = true
		}
		return id
	}
	b.envs[id] = true
	b.sop.Environments = append(b.sop.Environments, relsop.Environment{ID: id, Name: orID(OneLine(name), id), Production: production})
	return id
}

// AddStep adds st under a unique id made from st.ID (or its name) and
// returns the id.
func (b *Builder) AddStep(st relsop.Step) string {
	base := ID(st.ID, "")
	if base == "" {
		base = ID(Slug(st.Name), "step")
	}
	st.ID = b.unique(base)
	b.steps[st.ID] = len(b.sop.Steps)
	b.sop.Steps = append(b.sop.Steps, st)
	return st.ID
}

// unique returns id, or id with a number added when a step has it.
func (b *Builder) unique(id string) string {
	if _, taken := b.steps[id]; !taken {
		return id
	}
	for i := 2; ; i++ {
		suffix := fmt.Sprintf("-%d", i)
		c := id
		if len(c)+len(suffix) > maxID {
			c = c[:maxID-len(suffix)]
		}
		if _, taken := b.steps[c+suffix]; !taken {
			return c + suffix
		}
	}
}

// Step returns the step with id, or nil. The pointer is good until the
// next AddStep.
func (b *Builder) Step(id string) *relsop.Step {
	if i, ok := b.steps[id]; ok {
		return &b.sop.Steps[i]
	}
	return nil
}

// Link adds a next flow from one step to another, once.
func (b *Builder) Link(from, to string) {
	st := b.Step(from)
	if st == nil || b.Step(to) == nil {
		return
	}
	for _, n := range st.Next {
		if n == to {
			return
		}
	}
	st.Next = append(st.Next, to)
}

// Unlink removes the next flow from one step to another.
func (b *Builder) Unlink(from, to string) {
	st := b.Step(from)
	if st == nil {
		return
	}
	var keep []string
	for _, n := range st.Next {
		if n != to {
			keep = append(keep, n)
		}
	}
	st.Next = keep
}

// Predecessors returns the steps with a next flow or outcome into id, in
// step order.
func (b *Builder) Predecessors(id string) []string {
	var out []string
	for _, st := range b.sop.Steps {
		for _, f := range st.Flows() {
			if f.To == id && (f.Kind == relsop.FlowNext || f.Kind == relsop.FlowOutcome) {
				out = append(out, st.ID)
				break
			}
		}
	}
	return out
}

// LinkSinks links every step that leads nowhere (not an end, not a gate)
// to the step end.
func (b *Builder) LinkSinks(end string) {
	for i := range b.sop.Steps {
		st := &b.sop.Steps[i]
		if st.ID != end && st.Kind != relsop.KindEnd && st.Kind != relsop.KindGate && len(st.Next) == 0 && len(st.Outcomes) == 0 {
			st.Next = []string{end}
		}
	}
}

// Finish repairs the SOP so that it validates, bracketing it with a start
// and an end step when it has none, and returns it.
func (b *Builder) Finish(startName, endName string) *relsop.SOP {
	s := b.sop
	if len(s.Roles) == 0 {
		b.Role("process-owner", "Process owner", "Owns the imported procedure.")
	}
	for i := range s.Steps {
		b.repairStep(&s.Steps[i])
	}
	b.bracket(startName, endName)
	for i := range s.Steps {
		b.repairGate(&s.Steps[i])
	}
	return s
}

func (b *Builder) repairStep(st *relsop.Step) {
	if st.Name = OneLine(st.Name); st.Name == "" {
		st.Name = st.ID
	}
	if st.Kind == "" {
		st.Kind = relsop.KindTask
	}
	st.Tool, st.Channel = OneLine(st.Tool), OneLine(st.Channel)
	if !b.roles[st.Owner] {
		st.Owner = ""
	}
	if !b.phase[st.Phase] {
		st.Phase = ""
	}
	if st.Environment != "" && !b.envs[st.Environment] {
		st.Environment = ""
	}
	st.RACI.Accountable, st.RACI.Consulted, st.RACI.Informed = b.knownRoles(st.RACI.Accountable), b.knownRoles(st.RACI.Consulted), b.knownRoles(st.RACI.Informed)
	st.Approvers = b.knownRoles(st.Approvers)
	if st.Kind == relsop.KindDeploy && st.Environment == "" {
		st.Kind = relsop.KindTask
	}
	var next []string
	seen := map[string]bool{}
	for _, n := range st.Next {
		if b.Step(n) != nil && !seen[n] {
			seen[n] = true
			next = append(next, n)
		}
	}
	st.Next = next
	var outs []relsop.Outcome
	for _, o := range st.Outcomes {
		if b.Step(o.To) != nil {
			outs = append(outs, o)
		}
	}
	st.Outcomes = outs
	if b.Step(st.OnFailure) == nil || st.OnFailure == st.ID {
		st.OnFailure = ""
	}
	if e := st.Escalation; e != nil && (!b.roles[e.Role] || (e.To != "" && b.Step(e.To) == nil)) {
		st.Escalation = nil
	}
	if st.Kind != relsop.KindGate {
		for _, o := range st.Outcomes {
			if !seen[o.To] {
				seen[o.To] = true
				st.Next = append(st.Next, o.To)
			}
		}
		st.Outcomes, st.Criteria, st.Approvers, st.Escalation = nil, nil, nil, nil
	}
	if st.Kind == relsop.KindEnd && (len(st.Next) > 0 || st.OnFailure != "") {
		st.Kind = relsop.KindTask
	}
	if st.Kind == relsop.KindStart && b.hasInflow(st.ID) {
		// The file calls it a start, but something leads into it.
		st.Kind = relsop.KindTask
	}
}

func (b *Builder) hasInflow(id string) bool { return len(b.Predecessors(id)) > 0 }

func (b *Builder) knownRoles(ids []string) []string {
	var out []string
	for _, id := range ids {
		if b.roles[id] {
			out = append(out, id)
		}
	}
	return out
}

// repairGate gives a gate outcomes: its next flows become outcomes, and a
// gate leading nowhere gets a go outcome to the end. Labels are made
// unique and one line.
func (b *Builder) repairGate(st *relsop.Step) {
	if st.Kind != relsop.KindGate {
		return
	}
	for _, n := range st.Next {
		label := "go"
		if len(st.Outcomes) > 0 {
			label = fmt.Sprintf("option %d", len(st.Outcomes)+1)
		}
		st.Outcomes = append(st.Outcomes, relsop.Outcome{Label: label, To: n})
	}
	st.Next = nil
	if len(st.Outcomes) == 0 {
		if end := b.firstOfKind(relsop.KindEnd); end != "" {
			st.Outcomes = []relsop.Outcome{{Label: "go", To: end}}
		}
	}
	seen := map[string]bool{}
	for i := range st.Outcomes {
		l := OneLine(st.Outcomes[i].Label)
		if l == "" {
			l = fmt.Sprintf("option %d", i+1)
		}
		for j := 2; seen[l]; j++ {
			l = fmt.Sprintf("%s %d", OneLine(st.Outcomes[i].Label), j)
		}
		seen[l] = true
		st.Outcomes[i].Label = l
	}
}

func (b *Builder) firstOfKind(k relsop.StepKind) string {
	for _, st := range b.sop.Steps {
		if st.Kind == k {
			return st.ID
		}
	}
	return ""
}

// bracket adds a start step before every step nothing leads into, and an
// end step after every step that leads nowhere, when the SOP has none of
// its own. Steps reached only as failure paths are not roots.
func (b *Builder) bracket(startName, endName string) {
	s := b.sop
	if len(s.Steps) == 0 {
		start := b.AddStep(relsop.Step{ID: "start", Name: startName, Kind: relsop.KindStart})
		end := b.AddStep(relsop.Step{ID: "end", Name: endName, Kind: relsop.KindEnd})
		b.Link(start, end)
		return
	}
	reached := map[string]bool{}
	for _, st := range s.Steps {
		for _, f := range st.Flows() {
			if f.To != st.ID {
				reached[f.To] = true
			}
		}
	}
	if b.firstOfKind(relsop.KindStart) == "" {
		var roots []string
		for _, st := range s.Steps {
			if !reached[st.ID] {
				roots = append(roots, st.ID)
			}
		}
		if len(roots) == 0 {
			roots = []string{s.Steps[0].ID}
		}
		start := b.AddStep(relsop.Step{ID: "start", Name: startName, Kind: relsop.KindStart, Owner: s.Steps[0].Owner, Phase: s.Steps[0].Phase})
		for _, r := range roots {
			b.Link(start, r)
		}
		// The start step goes first in the file, where readers look.
		s.Steps = append(s.Steps[len(s.Steps)-1:], s.Steps[:len(s.Steps)-1]...)
		b.reindex()
	}
	if b.firstOfKind(relsop.KindEnd) == "" {
		var sinks []string
		for _, st := range s.Steps {
			if len(st.Next) == 0 && len(st.Outcomes) == 0 && st.Kind != relsop.KindGate {
				sinks = append(sinks, st.ID)
			}
		}
		last := s.Steps[len(s.Steps)-1]
		end := b.AddStep(relsop.Step{ID: "end", Name: endName, Kind: relsop.KindEnd, Owner: last.Owner, Phase: last.Phase})
		for _, id := range sinks {
			b.Link(id, end)
		}
	}
}

func (b *Builder) reindex() {
	b.steps = map[string]int{}
	for i, st := range b.sop.Steps {
		b.steps[st.ID] = i
	}
}

const maxID = 80

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ID returns s when it is already a valid id, otherwise Slug(s); fallback
// when nothing is left.
func ID(s, fallback string) string {
	if len(s) <= maxID && idPattern.MatchString(s) {
		return s
	}
	if sl := Slug(s); sl != "" {
		return sl
	}
	return fallback
}

// Slug turns free text into an id: lower-case letters and digits joined by
// hyphens, at most 80 characters.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case r == '.' || r == '_':
			if b.Len() > 0 && !dash {
				b.WriteRune(r)
			}
		default:
			dash = true
		}
		if b.Len() >= maxID {
			break
		}
	}
	out := strings.TrimRight(b.String(), "._-")
	if len(out) > maxID {
		out = strings.TrimRight(out[:maxID], "._-")
	}
	return out
}

// OneLine collapses runs of white space, line breaks included, to one
// space, and drops control characters.
func OneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func orID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// Humanize makes a job id readable as a step name: "build-docker_image"
// becomes "Build docker image".
func Humanize(id string) string {
	s := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r == ':' || r == '/' {
			return ' '
		}
		return r
	}, id)
	s = OneLine(s)
	if s == "" {
		return id
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
