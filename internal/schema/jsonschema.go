package schema

import (
	"bytes"
	"encoding/json"
)

// SchemaID is the $id of the generated JSON Schema.
const SchemaID = "https://relsop.dev/schema/sop.schema.json"

// JSONSchema returns the JSON Schema (draft 2020-12) of the *.sop.yaml
// format, for editors (yaml-language-server) and other tools. Objects are
// emitted as $defs so the document stays small and readable.
func JSONSchema() []byte {
	defs := map[string]any{}
	root := objectSchema(SOPObj, defs)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "relsop SOP"
	root["$defs"] = defs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		panic(err) // the schema is built from constants; failure is a bug
	}
	return buf.Bytes()
}

func defName(o *Obj) string {
	b := []byte(o.Name)
	for i := range b {
		if b[i] == ' ' {
			b[i] = '_'
		}
	}
	return string(b)
}

func objectSchema(o *Obj, defs map[string]any) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range o.Fields {
		props[f.Name] = fieldSchema(f, defs)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := map[string]any{
		"type":                 "object",
		"description":          o.Doc,
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func ref(o *Obj, defs map[string]any) map[string]any {
	name := defName(o)
	if _, ok := defs[name]; !ok {
		defs[name] = nil // reserve first: objects may refer to themselves
		defs[name] = objectSchema(o, defs)
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

const (
	idRegex       = `^[A-Za-z0-9][A-Za-z0-9._-]*$`
	durationRegex = `^(([0-9]+[smhdw])+|daily|weekly|biweekly|fortnightly|monthly|quarterly|semiannually|semi-annually|annually|yearly)$`
	dateRegex     = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
)

func fieldSchema(f *Field, defs map[string]any) map[string]any {
	idSchema := map[string]any{"type": "string", "pattern": idRegex, "maxLength": MaxIDLength}
	var s map[string]any
	switch f.Type {
	case String, Text:
		s = map[string]any{"type": "string"}
	case Version:
		s = map[string]any{"type": []string{"string", "number"}}
	case Bool:
		s = map[string]any{"type": "boolean"}
	case Date:
		s = map[string]any{"type": "string", "pattern": dateRegex}
	case Duration:
		s = map[string]any{"type": "string", "pattern": durationRegex}
	case ID, Ref:
		s = idSchema
	case RefList:
		s = map[string]any{"oneOf": []any{idSchema, map[string]any{"type": "array", "items": idSchema}}}
	case StringList:
		str := map[string]any{"type": "string"}
		s = map[string]any{"oneOf": []any{str, map[string]any{"type": "array", "items": str}}}
	case Enum:
		s = map[string]any{"type": "string", "enum": f.Enum}
	case Object:
		s = ref(f.Object, defs)
	case List:
		s = map[string]any{"type": "array", "items": ref(f.Object, defs)}
	case Outcomes:
		s = map[string]any{"type": "object", "minProperties": 1, "additionalProperties": idSchema}
	case ScalarMap:
		s = map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
	case Int:
		s = map[string]any{"type": "integer"}
	}
	if _, isRef := s["$ref"]; isRef {
		// Siblings of $ref are allowed in 2020-12 but some editors ignore
		// them; wrap so the field's own description shows on hover.
		return map[string]any{"description": f.Doc, "allOf": []any{s}}
	}
	s["description"] = f.Doc
	return s
}
