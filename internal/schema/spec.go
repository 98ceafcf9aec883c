// Package schema describes the *.sop.yaml format once, as data: every
// object, its fields in canonical order, their types and their docs. Three
// things are derived from it so they can never disagree: the shape check of
// a parsed file (Check), the key order that relsop fmt writes (Order), and
// the JSON Schema editors use (JSONSchema).
package schema

import "github.com/relsop/relsop"

// Type is the type of a field's value.
type Type int

// The field types of the format.
const (
	String     Type = iota // one line of text
	Text                   // text that may span lines
	Version                // a version, written as a string or a number
	Bool                   // true or false
	Date                   // YYYY-MM-DD
	Duration               // 30m, 4h, 2d, 1w; cadences also weekly, quarterly, ...
	ID                     // an identifier: letters, digits, - _ .
	Ref                    // a reference to an id
	RefList                // one reference or a list of them
	StringList             // one string or a list of them
	Enum                   // one of Field.Enum
	Object                 // a mapping described by Field.Object
	List                   // a list of Field.Object mappings
	Outcomes               // a mapping from outcome label to step id
	ScalarMap              // a mapping from names to strings (lint config rules)
	Int                    // a whole number
)

// Field is one key of an object.
type Field struct {
	Name     string
	Type     Type
	Object   *Obj     // for Object and List
	Enum     []string // for Enum
	RefKind  string   // for Ref and RefList: role, step, phase, environment, release-type
	Required bool
	Doc      string
}

// Obj is a kind of mapping in the file.
type Obj struct {
	Name   string // for messages: "step", "role"
	Doc    string
	Fields []*Field
}

// Field returns the field called name, or nil.
func (o *Obj) Field(name string) *Field {
	for _, f := range o.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// FieldNames lists the object's field names in canonical order.
func (o *Obj) FieldNames() []string {
	out := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		out[i] = f.Name
	}
	return out
}

func kinds() []string {
	out := make([]string, len(relsop.StepKinds))
	for i, k := range relsop.StepKinds {
		out[i] = string(k)
	}
	return out
}

func statuses() []string {
	out := make([]string, len(relsop.Statuses))
	for i, s := range relsop.Statuses {
		out[i] = string(s)
	}
	return out
}

var linkObj = &Obj{Name: "link", Doc: "A titled reference to a document outside the SOP.", Fields: []*Field{
	{Name: "title", Type: String, Required: true, Doc: "What the link points to."},
	{Name: "url", Type: String, Required: true, Doc: "Where it is: a URL or a path."},
}}

var raciObj = &Obj{Name: "raci", Doc: "Roles accountable, consulted and informed for the step; the owner is the responsible role.", Fields: []*Field{
	{Name: "accountable", Type: RefList, RefKind: "role", Doc: "The role (or roles) answerable for the outcome."},
	{Name: "consulted", Type: RefList, RefKind: "role", Doc: "Roles whose input is sought before or during the step."},
	{Name: "informed", Type: RefList, RefKind: "role", Doc: "Roles told of the result."},
}}

var escalationObj = &Obj{Name: "escalation", Doc: "Who decides when the gate is blocked or times out.", Fields: []*Field{
	{Name: "role", Type: Ref, RefKind: "role", Required: true, Doc: "The role that decides on escalation."},
	{Name: "after", Type: Duration, Doc: "How long the gate may wait for a decision before it escalates, such as 4h or 2d."},
	{Name: "to", Type: Ref, RefKind: "step", Doc: "The step the escalation leads to, drawn as a dotted amber path."},
}}

var exceptionObj = &Obj{Name: "exception", Doc: "A documented, deliberate departure from release practice.", Fields: []*Field{
	{Name: "reason", Type: Text, Required: true, Doc: "Why the exception is acceptable."},
	{Name: "approved_by", Type: Ref, RefKind: "role", Doc: "The role that approved the exception."},
}}

// stepFields are shared by steps, steps added by a variant and step changes.
func stepFields(idRequired bool) []*Field {
	return []*Field{
		{Name: "id", Type: ID, Required: idRequired, Doc: "Unique id of the step, used by flows: lower-case words joined by hyphens."},
		{Name: "name", Type: String, Required: idRequired, Doc: "What is done, verb first: \"Run regression suite\"."},
		{Name: "kind", Type: Enum, Enum: kinds(), Doc: "start, task (default), automated, gate, deploy, rollback, notify or end."},
		{Name: "owner", Type: Ref, RefKind: "role", Doc: "The role responsible for the step: its swimlane."},
		{Name: "phase", Type: Ref, RefKind: "phase", Doc: "The phase the step belongs to: its column."},
		{Name: "environment", Type: Ref, RefKind: "environment", Doc: "Deploy and rollback steps: the environment acted on."},
		{Name: "raci", Type: Object, Object: raciObj, Doc: raciObj.Doc},
		{Name: "tool", Type: String, Doc: "Automated steps: what runs it, such as a CI job or script."},
		{Name: "channel", Type: String, Doc: "Notify steps: where the message goes, such as #releases or the status page."},
		{Name: "description", Type: Text, Doc: "What the step involves, for someone doing it the first time."},
		{Name: "duration", Type: Duration, Doc: "How long the step usually takes, such as 30m or 2h."},
		{Name: "sla", Type: Duration, Doc: "The longest the step may take before it counts as late."},
		{Name: "criteria", Type: StringList, Doc: "Gates: the conditions that must hold for a go."},
		{Name: "approvers", Type: RefList, RefKind: "role", Doc: "Gates: the roles that decide."},
		{Name: "evidence", Type: StringList, Doc: "Records the step must leave behind, such as a test report or signed approval."},
		{Name: "outcomes", Type: Outcomes, Doc: "Gates: each outcome label (go, no-go, escalate, ...) and the step it leads to."},
		{Name: "escalation", Type: Object, Object: escalationObj, Doc: escalationObj.Doc},
		{Name: "next", Type: RefList, RefKind: "step", Doc: "The step (or steps) that follow when this one succeeds."},
		{Name: "on_failure", Type: Ref, RefKind: "step", Doc: "The rollback or contingency path taken when this step fails."},
		{Name: "exception", Type: Object, Object: exceptionObj, Doc: exceptionObj.Doc},
		{Name: "notes", Type: Text, Doc: "Anything else a reader should know."},
		{Name: "links", Type: List, Object: linkObj, Doc: "Runbooks, dashboards and documents for the step."},
	}
}

// StepObj describes a step.
var StepObj = &Obj{Name: "step", Doc: "One unit of the procedure.", Fields: stepFields(true)}

var addedStepObj = &Obj{Name: "added step", Doc: "A step the release type adds to the base flow.",
	Fields: append(stepFields(true),
		&Field{Name: "after", Type: Ref, RefKind: "step", Doc: "Splice the step in after this one; it takes over that step's next flows."},
		&Field{Name: "before", Type: Ref, RefKind: "step", Doc: "Splice the step in before this one; flows into that step come here first."},
	)}

var changeObj = &Obj{Name: "change", Doc: "Fields of an existing step that the release type changes.",
	Fields: append([]*Field{{Name: "step", Type: Ref, RefKind: "step", Required: true, Doc: "The id of the step to change."}}, stepFields(false)[1:]...)}

// ReleaseTypeObj describes a release type and its variant.
var ReleaseTypeObj = &Obj{Name: "release type", Doc: "A kind of release and how its flow differs from the base flow.", Fields: []*Field{
	{Name: "id", Type: ID, Required: true, Doc: "Unique id, such as major, minor or emergency."},
	{Name: "name", Type: String, Doc: "Display name, such as \"Emergency fix\"."},
	{Name: "description", Type: Text, Doc: "When this release type applies."},
	{Name: "base", Type: Ref, RefKind: "release-type", Doc: "Another release type this one builds on; by default the base flow."},
	{Name: "emergency", Type: Bool, Doc: "An expedited release: it must still pass an authorisation gate and end with a review."},
	{Name: "remove", Type: RefList, RefKind: "step", Doc: "Steps skipped; flows into a removed step go on to its successor."},
	{Name: "add", Type: List, Object: addedStepObj, Doc: "Steps added."},
	{Name: "change", Type: List, Object: changeObj, Doc: "Changes to existing steps: owner, approvers, flows, ..."},
}}

var reviewObj = &Obj{Name: "review", Doc: "How often the SOP is reviewed and when it last was.", Fields: []*Field{
	{Name: "cadence", Type: Duration, Doc: "How often to review: a duration such as 90d, or weekly, monthly, quarterly, annually."},
	{Name: "last_reviewed", Type: Date, Doc: "The date of the last review, YYYY-MM-DD."},
}}

var sourceObj = &Obj{Name: "source", Doc: "A document or data set the SOP draws on.", Fields: []*Field{
	{Name: "kind", Type: Enum, Enum: relsop.DataSourceKinds, Required: true, Doc: "What sort of source it is."},
	{Name: "title", Type: String, Required: true, Doc: "Its title."},
	{Name: "link", Type: String, Doc: "Where to find it."},
	{Name: "notes", Type: Text, Doc: "What the SOP takes from it."},
}}

var roleObj = &Obj{Name: "role", Doc: "Someone who does work or decides: one swimlane.", Fields: []*Field{
	{Name: "id", Type: ID, Required: true, Doc: "Unique id, such as release-manager."},
	{Name: "name", Type: String, Required: true, Doc: "Display name, such as \"Release Manager\"."},
	{Name: "description", Type: Text, Doc: "What the role is responsible for."},
}}

var phaseObj = &Obj{Name: "phase", Doc: "A stage of the procedure: one column band. Phases are listed in order.", Fields: []*Field{
	{Name: "id", Type: ID, Required: true, Doc: "Unique id, such as plan or deploy."},
	{Name: "name", Type: String, Required: true, Doc: "Display name."},
	{Name: "description", Type: Text, Doc: "What happens in the phase."},
}}

var environmentObj = &Obj{Name: "environment", Doc: "A deployment target. Environments are listed in promotion order.", Fields: []*Field{
	{Name: "id", Type: ID, Required: true, Doc: "Unique id, such as staging."},
	{Name: "name", Type: String, Required: true, Doc: "Display name."},
	{Name: "production", Type: Bool, Doc: "Whether this environment serves real users."},
	{Name: "description", Type: Text, Doc: "What the environment is for."},
}}

var ignoreObj = &Obj{Name: "ignore", Doc: "A lint finding suppressed in this file, with the reason.", Fields: []*Field{
	{Name: "rule", Type: String, Required: true, Doc: "The rule id, such as gate-escalation."},
	{Name: "step", Type: Ref, RefKind: "step", Doc: "Only findings about this step."},
	{Name: "reason", Type: Text, Required: true, Doc: "Why the finding does not apply."},
}}

// SOPObj describes a whole file.
var SOPObj = &Obj{Name: "SOP", Doc: "A release SOP (standard operating procedure) for relsop.", Fields: []*Field{
	{Name: "$schema", Type: String, Doc: "The JSON Schema for editors (relsop schema)."},
	{Name: "id", Type: ID, Required: true, Doc: "Unique id of the SOP."},
	{Name: "title", Type: String, Required: true, Doc: "Title of the SOP."},
	{Name: "version", Type: Version, Doc: "Version of this document, such as 1.4."},
	{Name: "owner", Type: String, Doc: "Who maintains the SOP: a role id or a team."},
	{Name: "status", Type: Enum, Enum: statuses(), Doc: "draft, in-review, approved or retired."},
	{Name: "review", Type: Object, Object: reviewObj, Doc: reviewObj.Doc},
	{Name: "scope", Type: Text, Doc: "Which systems and releases the SOP covers."},
	{Name: "description", Type: Text, Doc: "What the SOP is for."},
	{Name: "sources", Type: List, Object: sourceObj, Doc: "Policies, RACI matrices, calendars, checklists and procedures the SOP draws on."},
	{Name: "roles", Type: List, Object: roleObj, Required: true, Doc: "Who takes part: one swimlane each."},
	{Name: "phases", Type: List, Object: phaseObj, Doc: "The stages, in order: one column each."},
	{Name: "environments", Type: List, Object: environmentObj, Doc: "Deployment targets, in promotion order."},
	{Name: "steps", Type: List, Object: StepObj, Required: true, Doc: "The steps of the base flow."},
	{Name: "release_types", Type: List, Object: ReleaseTypeObj, Doc: "Release types and how each varies the base flow."},
	{Name: "ignore", Type: List, Object: ignoreObj, Doc: "Lint findings suppressed in this file, each with a reason."},
	{Name: "notes", Type: Text, Doc: "Anything else a reader should know."},
	{Name: "links", Type: List, Object: linkObj, Doc: "Related documents."},
}}
