// Package encode writes the domain model back out: as a *.sop.yaml file that
// compile.Load reads into an equal model, and as JSON with the same field
// names. Keys follow the canonical order of the format spec (package
// schema), empty optional fields are left out, and strings are quoted only
// when YAML would otherwise read them differently (the printer of relsop
// fmt writes the YAML, from a syntax tree built here). It is used where the
// model rather than a file is the source, such as a resolved release type;
// relsop fmt, which must keep comments, works on the syntax tree instead.
package encode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/syntax"
)

// YAML returns s in the *.sop.yaml format.
func YAML(s *relsop.SOP) []byte {
	return format.Format(&syntax.File{Root: tree(sopValue(s))})
}

// JSON returns s as an indented JSON document whose keys are the field
// names of the *.sop.yaml format, in the same order.
func JSON(s *relsop.SOP) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, sopValue(s)); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// The encoder first turns the model into a small ordered tree of values,
// then writes the tree as YAML or JSON, so that both formats agree.
type (
	// mapping is an object with its keys in canonical order.
	mapping []entry
	// list is a YAML sequence or JSON array.
	list []any
	// text is a string that may be written as a YAML block when it spans
	// lines; other strings are plain Go strings.
	text string
	// null is an explicitly empty value: a change that clears a field.
	null struct{}
)

type entry struct {
	key   string
	value any
}

// fields collects the values of an object by field name; ordered turns
// them into a mapping in the order of the spec.
type fields map[string]any

// ordered returns the values of obj's fields in canonical order, leaving
// out empty ones unless the field is required (a required empty string is
// still written, so that the file says what the model holds).
func ordered(obj *schema.Obj, f fields) mapping {
	for name := range f {
		if obj.Field(name) == nil {
			// A name the spec does not know would be dropped silently:
			// that is a bug in this package, caught by its tests.
			panic(fmt.Sprintf("encode: %s has no field %q", obj.Name, name))
		}
	}
	var out mapping
	for _, fd := range obj.Fields {
		v := f[fd.Name]
		if isEmpty(v) && !fd.Required {
			continue
		}
		if v == nil {
			v = ""
		}
		if s, ok := v.(string); ok && fd.Type == schema.Text {
			v = text(s)
		}
		out = append(out, entry{fd.Name, v})
	}
	return out
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case mapping:
		return v == nil
	case list:
		return len(v) == 0
	}
	return false
}

// Sub-objects of the spec, looked up by the field that holds them so that
// this package needs nothing unexported from schema.
var (
	reviewObj      = schema.SOPObj.Field("review").Object
	sourceObj      = schema.SOPObj.Field("sources").Object
	roleObj        = schema.SOPObj.Field("roles").Object
	phaseObj       = schema.SOPObj.Field("phases").Object
	environmentObj = schema.SOPObj.Field("environments").Object
	ignoreObj      = schema.SOPObj.Field("ignore").Object
	linkObj        = schema.SOPObj.Field("links").Object
	raciObj        = schema.StepObj.Field("raci").Object
	escalationObj  = schema.StepObj.Field("escalation").Object
	exceptionObj   = schema.StepObj.Field("exception").Object
	addedStepObj   = schema.ReleaseTypeObj.Field("add").Object
	changeObj      = schema.ReleaseTypeObj.Field("change").Object
)

func sopValue(s *relsop.SOP) mapping {
	f := fields{
		"$schema":     s.Schema,
		"id":          s.ID,
		"title":       s.Title,
		"version":     s.Version,
		"owner":       s.Owner,
		"status":      string(s.Status),
		"review":      reviewValue(s.Review),
		"scope":       s.Scope,
		"description": s.Description,
		"notes":       s.Notes,
		"links":       linksValue(s.Links),
	}
	var l list
	for _, src := range s.Sources {
		l = append(l, ordered(sourceObj, fields{"kind": src.Kind, "title": src.Title, "link": src.Link, "notes": src.Notes}))
	}
	f["sources"] = l
	l = nil
	for _, r := range s.Roles {
		l = append(l, ordered(roleObj, fields{"id": r.ID, "name": r.Name, "description": r.Description}))
	}
	f["roles"] = l
	l = nil
	for _, p := range s.Phases {
		l = append(l, ordered(phaseObj, fields{"id": p.ID, "name": p.Name, "description": p.Description}))
	}
	f["phases"] = l
	l = nil
	for _, e := range s.Environments {
		l = append(l, ordered(environmentObj, fields{"id": e.ID, "name": e.Name, "production": e.Production, "description": e.Description}))
	}
	f["environments"] = l
	l = nil
	for i := range s.Steps {
		l = append(l, ordered(schema.StepObj, stepFields(&s.Steps[i])))
	}
	f["steps"] = l
	l = nil
	for i := range s.ReleaseTypes {
		l = append(l, releaseTypeValue(&s.ReleaseTypes[i]))
	}
	f["release_types"] = l
	l = nil
	for _, ig := range s.Ignore {
		l = append(l, ordered(ignoreObj, fields{"rule": ig.Rule, "step": ig.Step, "reason": ig.Reason}))
	}
	f["ignore"] = l
	return ordered(schema.SOPObj, f)
}

func reviewValue(r relsop.Review) mapping {
	f := fields{"cadence": r.Cadence.Text}
	if !r.LastReviewed.IsZero() {
		f["last_reviewed"] = r.LastReviewed.Format(time.DateOnly)
	}
	return ordered(reviewObj, f)
}

func linksValue(links []relsop.Link) list {
	var l list
	for _, k := range links {
		l = append(l, ordered(linkObj, fields{"title": k.Title, "url": k.URL}))
	}
	return l
}

func strList(ss []string) list {
	var l list
	for _, s := range ss {
		l = append(l, s)
	}
	return l
}

// stepFields returns every field of a step by name; a kind of task, the
// default, is left out as people leave it out.
func stepFields(st *relsop.Step) fields {
	f := fields{
		"id":          st.ID,
		"name":        st.Name,
		"owner":       st.Owner,
		"phase":       st.Phase,
		"environment": st.Environment,
		"tool":        st.Tool,
		"channel":     st.Channel,
		"description": st.Description,
		"duration":    st.Duration.Text,
		"sla":         st.SLA.Text,
		"criteria":    strList(st.Criteria),
		"approvers":   strList(st.Approvers),
		"evidence":    strList(st.Evidence),
		"on_failure":  st.OnFailure,
		"notes":       st.Notes,
		"links":       linksValue(st.Links),
	}
	if st.Kind != relsop.KindTask {
		f["kind"] = string(st.Kind)
	}
	// A single next step reads best as next: id.
	if len(st.Next) == 1 {
		f["next"] = st.Next[0]
	} else {
		f["next"] = strList(st.Next)
	}
	f["raci"] = ordered(raciObj, fields{"accountable": strList(st.RACI.Accountable), "consulted": strList(st.RACI.Consulted),
		"informed": strList(st.RACI.Informed)})
	var outs mapping
	for _, o := range st.Outcomes {
		outs = append(outs, entry{o.Label, o.To})
	}
	f["outcomes"] = outs
	if e := st.Escalation; e != nil {
		f["escalation"] = nonNil(ordered(escalationObj, fields{"role": e.Role, "after": e.After.Text, "to": e.To}))
	}
	if ex := st.Exception; ex != nil {
		f["exception"] = nonNil(ordered(exceptionObj, fields{"reason": ex.Reason, "approved_by": ex.ApprovedBy}))
	}
	return f
}

// nonNil keeps an object that is present but has no fields written, so
// that it is still written (as {}) rather than dropped as empty.
func nonNil(m mapping) mapping {
	if m == nil {
		return mapping{}
	}
	return m
}

func releaseTypeValue(rt *relsop.ReleaseType) mapping {
	f := fields{
		"id":          rt.ID,
		"name":        rt.Name,
		"description": rt.Description,
		"base":        rt.Base,
		"emergency":   rt.Emergency,
		"remove":      strList(rt.Remove),
	}
	var adds list
	for _, a := range rt.Add {
		af := stepFields(&a.Step)
		af["after"], af["before"] = a.After, a.Before
		adds = append(adds, ordered(addedStepObj, af))
	}
	f["add"] = adds
	var changes list
	for _, c := range rt.Change {
		changes = append(changes, changeValue(c))
	}
	f["change"] = changes
	return ordered(schema.ReleaseTypeObj, f)
}

// changeValue writes exactly the fields a change sets. A field set to an
// empty value clears it when the change is applied, so it is written as an
// explicit empty value rather than left out.
func changeValue(c relsop.StepChange) mapping {
	all := stepFields(&c.Fields)
	all["kind"] = string(c.Fields.Kind) // even task: the change sets it
	set := fields{"step": c.Step}
	for _, name := range c.Set {
		set[name] = all[name]
	}
	var out mapping
	for _, fd := range changeObj.Fields {
		v, ok := set[fd.Name]
		if !ok {
			continue
		}
		switch {
		case isEmpty(v):
			v = null{}
		case fd.Type == schema.Text:
			v = text(v.(string))
		}
		out = append(out, entry{fd.Name, v})
	}
	return out
}

// writeMapping writes m as a block mapping at indent. top puts a blank line
// before each list of objects at the top level, as the templates do, so
// that roles, steps and release types stand apart.
// tree turns an encoder value into a syntax node, so that relsop fmt's
// printer writes it: one printer decides quoting, folding and layout for
// every YAML relsop writes.
func tree(v any) *syntax.Node {
	switch v := v.(type) {
	case null:
		return &syntax.Node{Kind: syntax.Null}
	case bool:
		return &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: fmt.Sprint(v)}
	case string:
		return &syntax.Node{Kind: syntax.Scalar, Type: syntax.String, Value: v}
	case text:
		return &syntax.Node{Kind: syntax.Scalar, Type: syntax.String, Value: string(v)}
	case mapping:
		n := &syntax.Node{Kind: syntax.Mapping}
		for _, e := range v {
			n.Pairs = append(n.Pairs, &syntax.Pair{Key: &syntax.Node{Kind: syntax.Scalar, Type: syntax.String, Value: e.key}, Value: tree(e.value)})
		}
		return n
	case list:
		n := &syntax.Node{Kind: syntax.Sequence}
		for _, it := range v {
			n.Items = append(n.Items, tree(it))
		}
		return n
	}
	panic(fmt.Sprintf("encode: unexpected value %T", v)) // a bug in this package
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case null:
		b.WriteString("null")
	case bool:
		fmt.Fprintf(b, "%t", v)
	case string:
		return jsonString(b, v)
	case text:
		return jsonString(b, string(v))
	case mapping:
		b.WriteByte('{')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := jsonString(b, e.key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, e.value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case list:
		b.WriteByte('[')
		for i, it := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, it); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		return fmt.Errorf("encode: unexpected value %T", v)
	}
	return nil
}

// jsonString writes s as a JSON string, leaving <, > and & as they are:
// the output is read by tools and people, not embedded in HTML.
func jsonString(b *bytes.Buffer, s string) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends the value with a newline
	return nil
}
