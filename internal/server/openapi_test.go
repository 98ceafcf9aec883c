package server

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/relsop/relsop/internal/testenv"
)

// The part of an OpenAPI 3.1 document that the tests below read.
type oaDoc struct {
	OpenAPI    string                `yaml:"openapi"`
	Info       oaInfo                `yaml:"info"`
	Paths      map[string]oaPathItem `yaml:"paths"`
	Components struct {
		Parameters      map[string]oaParameter `yaml:"parameters"`
		SecuritySchemes map[string]any         `yaml:"securitySchemes"`
	} `yaml:"components"`
}

type oaInfo struct {
	Title   string `yaml:"title"`
	Version string `yaml:"version"`
}

type oaPathItem struct {
	Parameters []oaParameter `yaml:"parameters"`
	Get        *oaOperation  `yaml:"get"`
	Put        *oaOperation  `yaml:"put"`
	Post       *oaOperation  `yaml:"post"`
	Delete     *oaOperation  `yaml:"delete"`
	Options    *oaOperation  `yaml:"options"`
	Head       *oaOperation  `yaml:"head"`
	Patch      *oaOperation  `yaml:"patch"`
	Trace      *oaOperation  `yaml:"trace"`
}

// operations returns the path item's operations by upper-case method.
func (p oaPathItem) operations() map[string]*oaOperation {
	ops := map[string]*oaOperation{}
	for m, op := range map[string]*oaOperation{"GET": p.Get, "PUT": p.Put, "POST": p.Post, "DELETE": p.Delete,
		"OPTIONS": p.Options, "HEAD": p.Head, "PATCH": p.Patch, "TRACE": p.Trace} {
		if op != nil {
			ops[m] = op
		}
	}
	return ops
}

type oaOperation struct {
	OperationID string                `yaml:"operationId"`
	Summary     string                `yaml:"summary"`
	Parameters  []oaParameter         `yaml:"parameters"`
	Responses   map[string]any        `yaml:"responses"`
	Security    []map[string][]string `yaml:"security"`
}

type oaParameter struct {
	Ref      string `yaml:"$ref"`
	Name     string `yaml:"name"`
	In       string `yaml:"in"`
	Required bool   `yaml:"required"`
}

// pathItemKeys are the fields an OpenAPI 3.1 path item may have.
var pathItemKeys = []string{"$ref", "summary", "description", "servers", "parameters",
	"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func readOpenAPI(t *testing.T) (data []byte, doc oaDoc, tree map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	if err := yaml.Unmarshal(data, &tree); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	return data, doc, tree
}

// muxToOpenAPI turns a net/http pattern's path into an OpenAPI path
// template: {name...} becomes {name} and {$} goes.
func muxToOpenAPI(p string) string {
	p = strings.ReplaceAll(p, "{$}", "")
	return regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\.\.\.\}`).ReplaceAllString(p, "{$1}")
}

// TestOpenAPIRoutes checks that docs/openapi.yaml describes exactly the
// routes the server has: each route in the routes table (and /healthz and
// /metrics), and nothing else.
func TestOpenAPIRoutes(t *testing.T) {
	_, doc, _ := readOpenAPI(t)

	want := map[string]bool{"GET /healthz": true, "GET /metrics": true}
	for _, rt := range routes {
		want[rt.method+" "+muxToOpenAPI(rt.path)] = true
	}
	have := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item.operations() {
			have[method+" "+path] = true
		}
	}
	var missing, extra []string
	for k := range want {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	for k := range have {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	for _, k := range missing {
		t.Errorf("route %s is served (internal/server/routes.go) but not described in docs/openapi.yaml", k)
	}
	for _, k := range extra {
		t.Errorf("docs/openapi.yaml describes %s, which the server does not have", k)
	}
}

// TestOpenAPIOperations checks each operation: a summary, a unique
// operationId, responses, and every path parameter declared once, as
// required, and none declared that its path does not have.
func TestOpenAPIOperations(t *testing.T) {
	_, doc, tree := readOpenAPI(t)
	rawPaths, _ := tree["paths"].(map[string]any)
	templateParam := regexp.MustCompile(`\{([^{}]+)\}`)
	ids := map[string]string{}
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/") {
			t.Errorf("path %q does not start with /", path)
		}
		if raw, ok := rawPaths[path].(map[string]any); ok {
			for k := range raw {
				if !slices.Contains(pathItemKeys, k) && !strings.HasPrefix(k, "x-") {
					t.Errorf("%s: %q is not a field of a path item (a misspelt method?)", path, k)
				}
			}
		}
		var inPath []string
		for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
			inPath = append(inPath, m[1])
		}
		ops := item.operations()
		if len(ops) == 0 {
			t.Errorf("%s has no operations", path)
		}
		for method, op := range ops {
			name := method + " " + path
			if strings.TrimSpace(op.Summary) == "" {
				t.Errorf("%s has no summary", name)
			}
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", name)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s have the same operationId %q", name, other, op.OperationID)
			} else {
				ids[op.OperationID] = name
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s has no responses", name)
			}
			success := false
			for code := range op.Responses {
				// 101 is the success of a WebSocket upgrade.
				if n, err := strconv.Atoi(code); err == nil && (n >= 200 && n < 300 || n == http.StatusSwitchingProtocols) {
					success = true
				} else if err != nil && code != "default" && !regexp.MustCompile(`^[1-5]XX$`).MatchString(code) {
					t.Errorf("%s: response %q is not a status code", name, code)
				}
			}
			if !success {
				t.Errorf("%s has no success (2xx or 101) response", name)
			}
			for _, s := range op.Security {
				for scheme := range s {
					if _, ok := doc.Components.SecuritySchemes[scheme]; !ok {
						t.Errorf("%s: security scheme %q is not in components/securitySchemes", name, scheme)
					}
				}
			}

			// Operation parameters override path-item ones with the same
			// name and location.
			params := map[string]oaParameter{}
			for _, list := range [][]oaParameter{item.Parameters, op.Parameters} {
				for _, p := range list {
					if p.Ref != "" {
						ref, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
						if !ok {
							t.Errorf("%s: parameter $ref %q is not to #/components/parameters/", name, p.Ref)
							continue
						}
						if p, ok = doc.Components.Parameters[ref]; !ok {
							t.Errorf("%s: parameter $ref %q is not defined", name, p.Ref)
							continue
						}
					}
					if p.Name == "" || p.In == "" {
						t.Errorf("%s: a parameter lacks name or in", name)
						continue
					}
					params[p.In+" "+p.Name] = p
				}
			}
			for _, n := range inPath {
				p, ok := params["path "+n]
				if !ok {
					t.Errorf("%s: path parameter {%s} is not declared", name, n)
				} else if !p.Required {
					t.Errorf("%s: path parameter {%s} is not required: true", name, n)
				}
			}
			for _, p := range params {
				if p.In == "path" && !slices.Contains(inPath, p.Name) {
					t.Errorf("%s: declares path parameter %q, which its path does not have", name, p.Name)
				}
			}
		}
	}
}

// TestOpenAPIStructure checks the document loosely, without a validator:
// the version and the required top-level fields, and that every local
// $ref points at something.
func TestOpenAPIStructure(t *testing.T) {
	_, doc, tree := readOpenAPI(t)
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(doc.OpenAPI) {
		t.Errorf("openapi is %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("info needs a title and a version: %+v", doc.Info)
	}
	if len(doc.Paths) == 0 {
		t.Errorf("no paths")
	}
	for _, name := range []string{"session", "csrf", "bearer"} {
		if _, ok := doc.Components.SecuritySchemes[name]; !ok {
			t.Errorf("components/securitySchemes has no %s", name)
		}
	}
	schemas, _ := lookup(tree, "#/components/schemas")
	for _, name := range []string{"Error", "User", "Workspace", "Member", "Token", "Document", "OpenedDocument",
		"Revision", "Comment", "Finding", "Op", "Diff"} {
		if m, ok := schemas.(map[string]any); !ok || m[name] == nil {
			t.Errorf("components/schemas has no %s", name)
		}
	}

	// The error codes must be those of errors.go, with their statuses.
	codes, ok := lookup(tree, "#/components/schemas/ErrorCode/x-status")
	if !ok {
		t.Fatal("components/schemas/ErrorCode has no x-status")
	}
	documented := map[string]int{}
	for code, status := range codes.(map[string]any) {
		n, err := strconv.Atoi(fmt.Sprint(status))
		if err != nil {
			t.Errorf("x-status of %s is %v, not a status", code, status)
		}
		documented[code] = n
	}
	for code, status := range statuses {
		if documented[code] != status {
			t.Errorf("error code %s: errors.go says %d, docs/openapi.yaml says %d", code, status, documented[code])
		}
	}
	for code := range documented {
		if _, ok := statuses[code]; !ok {
			t.Errorf("docs/openapi.yaml documents the error code %s, which errors.go does not have", code)
		}
	}
	enum, _ := lookup(tree, "#/components/schemas/ErrorCode/enum")
	var enumCodes []string
	for _, c := range asList(enum) {
		enumCodes = append(enumCodes, fmt.Sprint(c))
	}
	for code := range statuses {
		if !slices.Contains(enumCodes, code) {
			t.Errorf("components/schemas/ErrorCode/enum lacks %s", code)
		}
	}

	refs := 0
	walk(tree, "#", func(at string, ref string) {
		refs++
		if !strings.HasPrefix(ref, "#/") {
			t.Errorf("%s: $ref %q is not local", at, ref)
			return
		}
		if _, ok := lookup(tree, ref); !ok {
			t.Errorf("%s: $ref %q points at nothing", at, ref)
		}
	})
	if refs == 0 {
		t.Error("found no $ref at all: is the YAML read as expected?")
	}
}

// walk calls f for every $ref in v.
func walk(v any, at string, f func(at, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				f(at, s)
				continue
			}
			walk(x, at+"/"+k, f)
		}
	default:
		for i, x := range asList(v) {
			walk(x, at+"/"+strconv.Itoa(i), f)
		}
	}
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

// lookup resolves a local JSON pointer such as #/components/schemas/User.
func lookup(tree map[string]any, ref string) (any, bool) {
	var cur any = tree
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}
