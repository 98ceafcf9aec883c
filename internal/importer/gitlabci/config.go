package gitlabci

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/ciyaml"
)

// Limits on what a pipeline may make the import do.
const (
	maxIncludes   = 100     // files read through include:
	maxExtends    = 11      // levels of extends:, as GitLab allows
	maxReferences = 10      // levels of !reference
	maxMergeWork  = 200_000 // values visited merging extends:
)

// Options says how to read the files a pipeline includes.
type Options struct {
	// Dir is the directory local includes are resolved in: the directory
	// of the imported file. Includes may not leave it.
	Dir string
	// ReadFile reads an included file; os.ReadFile when nil. Tests give
	// a map of files instead.
	ReadFile func(path string) ([]byte, error)
}

// config is the pipeline after include: and the spec: header: one mapping
// of top-level keys.
type config struct {
	root   *ciyaml.Node
	inputs *ciyaml.Node // spec: inputs:, when the file has a header
}

// load reads the main file and its local includes into one configuration.
func (im *imp) load(src []byte) (*config, error) {
	docs, fail := ciyaml.Parse(src)
	if fail != nil {
		return nil, importer.FromFinding(fail)
	}
	cfg := &config{}
	doc := docs[0]
	if len(docs) > 1 && doc.Kind == ciyaml.Mapping && doc.Has("spec") {
		cfg.inputs = doc.Get("spec").Get("inputs")
		for _, p := range doc.Get("spec").Pairs {
			if p.Key.Value != "inputs" {
				im.warn(p.Key, importer.CodeUnmapped, "", "spec key %s: is not imported", p.Key.Value)
			}
		}
		docs = docs[1:]
		doc = docs[0]
		if cfg.inputs != nil {
			im.assume("the inputs of the spec: header (%s) keep their $[[ inputs.* ]] references unevaluated", strings.Join(cfg.inputs.Keys(), ", "))
		}
	}
	for _, extra := range docs[1:] {
		im.warn(extra, importer.CodeUnmapped, "GitLab reads a header document (spec:) and one configuration", "a further YAML document is not imported")
	}
	if doc.Kind != ciyaml.Mapping {
		return nil, importer.Errorf(doc.Pos, importer.CodeInvalid, "a GitLab CI file is a mapping of jobs and keywords",
			"the pipeline must be a mapping, not %s", doc.Describe())
	}
	seen := map[string]bool{}
	root, err := im.withIncludes(doc, im.opts.Dir, seen)
	if err != nil {
		return nil, err
	}
	cfg.root = root
	return cfg, nil
}

// withIncludes returns doc merged over the files it includes (GitLab lets
// the including file override keys of the included ones).
func (im *imp) withIncludes(doc *ciyaml.Node, dir string, seen map[string]bool) (*ciyaml.Node, error) {
	inc := doc.Get("include")
	if inc == nil {
		return doc, nil
	}
	items := []*ciyaml.Node{inc}
	if inc.Kind == ciyaml.Sequence {
		items = inc.Items
	}
	merged := &ciyaml.Node{Kind: ciyaml.Mapping, Pos: doc.Pos, File: doc.File}
	for _, it := range items {
		local := ""
		switch {
		case it.Kind == ciyaml.Scalar && (strings.Contains(it.Value, "://")):
			im.unresolved(it, "remote include "+it.Value)
			continue
		case it.Kind == ciyaml.Scalar:
			local = it.Value
		case it.Kind == ciyaml.Mapping && it.Get("local") != nil:
			local = it.Get("local").Str()
			if it.Has("rules") {
				im.assume("the local include %s is read whatever its rules: say", local)
			}
			if it.Has("inputs") {
				im.assume("the inputs given to the include %s are not substituted", local)
			}
		case it.Kind == ciyaml.Mapping:
			im.unresolved(it, describeInclude(it))
			continue
		default:
			im.warn(it, importer.CodeUnmapped, "an include is a path or a mapping such as local: or project:", "include entry %s is not imported", it.Describe())
			continue
		}
		files, err := im.localFiles(it, dir, local)
		if err != nil {
			return nil, err
		}
		for _, path := range files {
			if seen[path] {
				continue // GitLab reads a file included twice once
			}
			seen[path] = true
			if len(seen) > maxIncludes {
				return nil, importer.Errorf(it.Pos, importer.CodeInvalid, "include fewer files", "more than %d files are included", maxIncludes)
			}
			data, err := im.read(path)
			if err != nil {
				im.warn(it, importer.CodeUnresolved, "check the path; local includes are read relative to the imported file",
					"the local include %s cannot be read (%v); its jobs are not imported", local, err)
				continue
			}
			rel, _ := filepath.Rel(im.opts.Dir, path)
			docs, fail := ciyaml.ParseFile(rel, data)
			if fail != nil {
				return nil, importer.Errorf(it.Pos, importer.CodeInvalid, "fix the included file",
					"included file %s:%s: %s", rel, fail.Pos, fail.Message)
			}
			sub := docs[len(docs)-1]
			if len(docs) > 1 && docs[0].Has("spec") {
				sub = docs[1]
			}
			if sub.Kind != ciyaml.Mapping {
				im.warn(it, importer.CodeInvalid, "", "the included file %s is not a mapping; not imported", rel)
				continue
			}
			sub, err = im.withIncludes(sub, filepath.Dir(path), seen)
			if err != nil {
				return nil, err
			}
			merged = overlay(merged, sub)
		}
	}
	return overlay(merged, doc), nil
}

// localFiles resolves a local include (a path or a glob) in dir, refusing
// paths that leave the import's directory.
func (im *imp) localFiles(at *ciyaml.Node, dir, local string) ([]string, error) {
	rel := strings.TrimPrefix(local, "/")
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if strings.HasPrefix(local, "/") {
		path = filepath.Join(im.opts.Dir, filepath.FromSlash(rel))
	}
	root, _ := filepath.Abs(im.opts.Dir)
	abs, _ := filepath.Abs(path)
	if abs != root && !strings.HasPrefix(abs, root+string(filepath.Separator)) {
		return nil, importer.Errorf(at.Pos, importer.CodeInvalid, "a local include names a file of the same repository",
			"the local include %s leaves the directory of the imported file", local)
	}
	if !strings.ContainsAny(rel, "*?[") {
		return []string{path}, nil
	}
	if im.opts.ReadFile != nil {
		im.unresolved(at, "local include pattern "+local)
		return nil, nil
	}
	matches, err := filepath.Glob(strings.ReplaceAll(path, "**", "*"))
	if err != nil || len(matches) == 0 {
		im.unresolved(at, "local include pattern "+local+" (no file matches)")
		return nil, nil
	}
	return matches, nil
}

func (im *imp) read(path string) ([]byte, error) {
	if im.opts.ReadFile != nil {
		return im.opts.ReadFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > ciyaml.MaxFileSize {
		return nil, fmt.Errorf("larger than %d MB", ciyaml.MaxFileSize>>20)
	}
	return os.ReadFile(path)
}

func describeInclude(it *ciyaml.Node) string {
	for _, k := range []string{"remote", "template", "component"} {
		if v := it.Get(k).Str(); v != "" {
			return k + " include " + v
		}
	}
	if p := it.Get("project").Str(); p != "" {
		return "project include " + p + " " + strings.Join(it.Get("file").Strings(), ", ")
	}
	return "include"
}

func (im *imp) unresolved(at *ciyaml.Node, what string) {
	im.unresolvedList = append(im.unresolvedList, what)
	im.warn(at, importer.CodeUnresolved, "import the included configuration on its own, or copy the jobs that matter into this file",
		"the %s is not resolved; its jobs are not in the SOP", what)
}

// overlay returns base with the top-level keys of over merged in: mappings
// are merged deeply (jobs defined in both), other values replaced.
func overlay(base, over *ciyaml.Node) *ciyaml.Node {
	out := &ciyaml.Node{Kind: ciyaml.Mapping, Pos: over.Pos, File: over.File, Dups: over.Dups}
	work := maxMergeWork
	idx := map[string]int{}
	for _, p := range base.Pairs {
		idx[p.Key.Value] = len(out.Pairs)
		out.Pairs = append(out.Pairs, p)
	}
	for _, p := range over.Pairs {
		if p.Key.Value == "include" {
			continue
		}
		if i, ok := idx[p.Key.Value]; ok {
			out.Pairs[i] = &ciyaml.Pair{Key: p.Key, Value: merge(out.Pairs[i].Value, p.Value, &work)}
			continue
		}
		idx[p.Key.Value] = len(out.Pairs)
		out.Pairs = append(out.Pairs, p)
	}
	return out
}

// merge deep-merges over into base as GitLab's extends: does: mappings key
// by key, anything else replaced. work bounds the values visited, so that
// nested aliases cannot make it run for ever; past it over wins whole.
func merge(base, over *ciyaml.Node, work *int) *ciyaml.Node {
	*work--
	if *work < 0 || base == nil || base.Kind != ciyaml.Mapping || over == nil || over.Kind != ciyaml.Mapping {
		return over
	}
	out := &ciyaml.Node{Kind: ciyaml.Mapping, Pos: over.Pos, File: over.File, Tag: over.Tag}
	idx := map[string]int{}
	for _, p := range base.Pairs {
		if i, ok := idx[p.Key.Value]; ok {
			out.Pairs[i] = p
			continue
		}
		idx[p.Key.Value] = len(out.Pairs)
		out.Pairs = append(out.Pairs, p)
	}
	for _, p := range over.Pairs {
		if i, ok := idx[p.Key.Value]; ok {
			out.Pairs[i] = &ciyaml.Pair{Key: p.Key, Value: merge(out.Pairs[i].Value, p.Value, work), Merged: p.Merged}
			continue
		}
		idx[p.Key.Value] = len(out.Pairs)
		out.Pairs = append(out.Pairs, p)
	}
	return out
}

// resolveExtends returns the job with its extends: applied, templates
// first in the order listed, the job's own keys last.
func (im *imp) resolveExtends(name string, stack []string) (*ciyaml.Node, error) {
	if r, ok := im.resolved[name]; ok {
		return r, nil
	}
	job := im.cfg.root.Get(name)
	ext := job.Get("extends")
	if ext == nil || job.Kind != ciyaml.Mapping {
		im.resolved[name] = job
		return job, nil
	}
	for i, s := range stack {
		if s == name {
			return nil, importer.Errorf(ext.Pos, importer.CodeCycle, "remove one of the extends: so that the templates form a tree",
				"extends: form a cycle: %s", strings.Join(append(stack[i:], name), " -> "))
		}
	}
	if len(stack) >= maxExtends {
		return nil, importer.Errorf(ext.Pos, importer.CodeInvalid, "GitLab allows 11 levels of extends:", "extends: are nested more than %d levels deep", maxExtends)
	}
	var base *ciyaml.Node
	work := maxMergeWork
	for _, parent := range ext.Items {
		if parent.Kind == ciyaml.Scalar {
			base = im.extendOne(base, parent, name, stack, &work)
		}
	}
	if ext.Kind == ciyaml.Scalar {
		base = im.extendOne(base, ext, name, stack, &work)
	}
	if im.err != nil {
		return nil, im.err
	}
	own := &ciyaml.Node{Kind: ciyaml.Mapping, Pos: job.Pos, File: job.File}
	for _, p := range job.Pairs {
		if p.Key.Value != "extends" {
			own.Pairs = append(own.Pairs, p)
		}
	}
	out := merge(base, own, &work)
	if base == nil {
		out = own
	}
	if work < 0 {
		return nil, importer.Errorf(ext.Pos, importer.CodeInvalid, "extend smaller templates", "extends: of job %q merge more than %d values", name, maxMergeWork)
	}
	im.resolved[name] = out
	return out, nil
}

func (im *imp) extendOne(base, parent *ciyaml.Node, name string, stack []string, work *int) *ciyaml.Node {
	if im.err != nil {
		return base
	}
	if im.cfg.root.Get(parent.Value) == nil {
		im.warn(parent, importer.CodeUnresolved, "define the template in this file or in a local include",
			"job %q extends %q, which is not defined here (it may come from an include not resolved)", name, parent.Value)
		return base
	}
	p, err := im.resolveExtends(parent.Value, append(stack, name))
	if err != nil {
		if e, ok := err.(*importer.Error); ok {
			im.err = e
		}
		return base
	}
	if base == nil {
		return p
	}
	return merge(base, p, work)
}

// deref resolves a !reference [job, key, ...] tag, up to maxReferences
// levels; a value without the tag is returned as it is.
func (im *imp) deref(n *ciyaml.Node, depth int) *ciyaml.Node {
	if n == nil || n.Tag != "!reference" {
		return n
	}
	path := n.Strings()
	if n.Kind != ciyaml.Sequence || len(path) == 0 {
		im.warn(n, importer.CodeInvalid, "write !reference [job, key]", "!reference needs a list of a job and keys")
		return nil
	}
	if depth >= maxReferences {
		im.warn(n, importer.CodeCycle, "GitLab allows 10 levels of !reference", "!reference %v is nested too deeply; not resolved", path)
		return nil
	}
	v, err := im.resolveExtends(path[0], nil)
	if err != nil || v == nil {
		im.warn(n, importer.CodeUnresolved, "name a job or template defined here", "!reference [%s] names no job or template of this file", strings.Join(path, ", "))
		return nil
	}
	for _, k := range path[1:] {
		v = v.Get(k)
	}
	if v == nil {
		im.warn(n, importer.CodeUnresolved, "check the keys of the reference", "!reference [%s] finds no value", strings.Join(path, ", "))
		return nil
	}
	return im.deref(v, depth+1)
}

// list returns the items of a list value with !reference tags resolved and
// referenced lists flattened into it, as GitLab does in script: and rules:.
func (im *imp) list(n *ciyaml.Node) []*ciyaml.Node {
	n = im.deref(n, 0)
	if n == nil {
		return nil
	}
	if n.Kind != ciyaml.Sequence {
		return []*ciyaml.Node{n}
	}
	var out []*ciyaml.Node
	for _, it := range n.Items {
		r := im.deref(it, 0)
		switch {
		case r == nil:
		case r.Kind == ciyaml.Sequence:
			// GitLab flattens nested lists in script: and rules:.
			for _, sub := range r.Items {
				if s := im.deref(sub, 1); s != nil {
					out = append(out, s)
				}
			}
		default:
			out = append(out, r)
		}
	}
	return out
}

// warn reports a warning at node n, in the file n came from.
func (im *imp) warn(n *ciyaml.Node, code, hint, format string, args ...any) {
	pos := relsop.Pos{Line: 1, Col: 1}
	file := ""
	if n != nil {
		pos, file = n.Pos, n.File
	}
	im.w.AddIn(file, pos, code, hint, format, args...)
}

// group reports a recurring warning once, at its first place.
func (im *imp) group(group string, n *ciyaml.Node, code, hint, format string, args ...any) {
	im.w.GroupIn(n.File, group, n.Pos, code, hint, format, args...)
}
