// Package relsop holds the domain model of a release SOP (standard operating
// procedure): roles, phases, environments, steps, flows, release types and the
// findings that checks report. It imports only the standard library; parsing,
// linting, rendering and storage live in packages under internal/ that depend
// on it, never the other way round.
package relsop

import (
	"fmt"
	"time"
)

// Status is where an SOP stands in its own document workflow.
type Status string

// The statuses an SOP moves through.
const (
	StatusDraft    Status = "draft"
	StatusInReview Status = "in-review"
	StatusApproved Status = "approved"
	StatusRetired  Status = "retired"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusDraft, StatusInReview, StatusApproved, StatusRetired}

// SOP is a whole release procedure: its metadata, who takes part, the phases
// and environments it moves through, its steps, and the release types that
// vary its base flow.
type SOP struct {
	Schema      string // optional $schema reference kept for editors
	ID          string
	Title       string
	Version     string
	Owner       string // a role id or the name of a person or team
	Status      Status
	Review      Review
	Scope       string
	Description string
	Sources     []DataSource

	Roles        []Role
	Phases       []Phase
	Environments []Environment
	Steps        []Step
	ReleaseTypes []ReleaseType

	Notes  string
	Links  []Link
	Ignore []Ignore

	// ResolvedType is the release type whose variant was applied by Resolve;
	// empty for the base flow.
	ResolvedType string

	Pos      Pos
	FieldPos FieldPos
}

// Review says how often the SOP must be reviewed and when it last was.
type Review struct {
	Cadence      Duration
	LastReviewed time.Time // zero when unknown
	Pos          Pos
	FieldPos     FieldPos
}

// Due is when the SOP's next scheduled review falls due: its last review
// plus its cadence. Zero when it states either not. The review is overdue
// on the days after.
func (r Review) Due() time.Time {
	if r.Cadence.D <= 0 || r.LastReviewed.IsZero() {
		return time.Time{}
	}
	return r.LastReviewed.Add(r.Cadence.D)
}

// DataSourceKinds are the kinds of material an SOP may cite as its source.
var DataSourceKinds = []string{"policy", "sop", "raci", "calendar", "checklist", "compliance", "incident-procedure", "rollback-procedure", "metrics", "other"}

// DataSource is a document or data set the SOP was built from or relies on:
// a policy, a RACI matrix, a release calendar, a checklist, metrics.
type DataSource struct {
	Kind  string
	Title string
	Link  string
	Notes string
	Pos   Pos
}

// Link is a titled reference to a document outside the SOP.
type Link struct {
	Title string
	URL   string
	Pos   Pos
}

// Role is someone who does work or decides in the procedure: one swimlane.
type Role struct {
	ID          string
	Name        string
	Description string
	Pos         Pos
	FieldPos    FieldPos
}

// Phase is one stage of the procedure, drawn as a column band.
type Phase struct {
	ID          string
	Name        string
	Description string
	Pos         Pos
	FieldPos    FieldPos
}

// Environment is a deployment target. Environments are ordered from the
// first (dev) to the last (production).
type Environment struct {
	ID          string
	Name        string
	Production  bool
	Description string
	Pos         Pos
	FieldPos    FieldPos
}

// Ignore suppresses a lint finding in this file; it must say why.
type Ignore struct {
	Rule   string
	Step   string // optional: only findings about this step
	Reason string
	Pos    Pos
}

// Pos is a 1-based line and column in a source file. The zero Pos means
// "no position known".
type Pos struct {
	Line int
	Col  int
}

// IsValid reports whether p points somewhere.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// FieldPos records where each field of an element was written, keyed by the
// field's name in the file, so that findings can point at the exact value.
type FieldPos map[string]Pos

// Of returns the position of field name, or fallback when it was not written.
func (fp FieldPos) Of(name string, fallback Pos) Pos {
	if p, ok := fp[name]; ok {
		return p
	}
	return fallback
}

// Role returns the role with the given id, or nil.
func (s *SOP) Role(id string) *Role {
	for i := range s.Roles {
		if s.Roles[i].ID == id {
			return &s.Roles[i]
		}
	}
	return nil
}

// Phase returns the phase with the given id, or nil.
func (s *SOP) Phase(id string) *Phase {
	for i := range s.Phases {
		if s.Phases[i].ID == id {
			return &s.Phases[i]
		}
	}
	return nil
}

// Environment returns the environment with the given id, or nil.
func (s *SOP) Environment(id string) *Environment {
	for i := range s.Environments {
		if s.Environments[i].ID == id {
			return &s.Environments[i]
		}
	}
	return nil
}

// EnvironmentIndex returns the order of environment id (0 = first), or -1.
func (s *SOP) EnvironmentIndex(id string) int {
	for i := range s.Environments {
		if s.Environments[i].ID == id {
			return i
		}
	}
	return -1
}

// Step returns the step with the given id, or nil.
func (s *SOP) Step(id string) *Step {
	for i := range s.Steps {
		if s.Steps[i].ID == id {
			return &s.Steps[i]
		}
	}
	return nil
}

// ReleaseType returns the release type with the given id, or nil.
func (s *SOP) ReleaseType(id string) *ReleaseType {
	for i := range s.ReleaseTypes {
		if s.ReleaseTypes[i].ID == id {
			return &s.ReleaseTypes[i]
		}
	}
	return nil
}
