package cli

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/syntax"
)

// pull --all keeps a folder as a copy of a workspace's SOPs, for git: one
// *.sop.yaml per SOP, and an index beside them (mirrorIndexName) that says
// which SOP each file is, the revision it was pulled at and a digest of
// what was written. With it a later pull knows a file changed here (and
// leaves it), and push knows what to save a file as.

const mirrorIndexName = ".relsop-remote.json"

type mirrorIndex struct {
	Server    string        `json:"server"`
	Workspace int64         `json:"workspace"`
	Files     []mirrorEntry `json:"files"`
}

type mirrorEntry struct {
	File     string `json:"file"` // a name in the folder
	SOP      int64  `json:"sop"`
	Revision int    `json:"revision"`
	SHA256   string `json:"sha256"` // of the YAML as pulled or pushed
}

func (ix *mirrorIndex) entryForSOP(id int64) *mirrorEntry {
	for i := range ix.Files {
		if ix.Files[i].SOP == id {
			return &ix.Files[i]
		}
	}
	return nil
}

func (ix *mirrorIndex) entryForFile(name string) *mirrorEntry {
	for i := range ix.Files {
		if ix.Files[i].File == name {
			return &ix.Files[i]
		}
	}
	return nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readMirrorIndex reads the index of dir; an absent index is an empty one.
func readMirrorIndex(dir string) (*mirrorIndex, error) {
	path := filepath.Join(dir, mirrorIndexName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &mirrorIndex{}, nil
	}
	if err != nil {
		return nil, usageError("cannot read %s: %v", path, unwrapPathError(err))
	}
	var ix mirrorIndex
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, usageError("%s is not an index relsop wrote (%v); move it away and pull again", path, err)
	}
	for _, e := range ix.Files {
		// The names come from a file anyone may edit: only names in the
		// folder itself are used.
		if e.File != filepath.Base(e.File) || !filepath.IsLocal(e.File) || e.SOP <= 0 {
			return nil, usageError("%s names %q for SOP %d, which is no file of this folder; move the index away and pull again", path, e.File, e.SOP)
		}
	}
	return &ix, nil
}

func writeMirrorIndex(dir string, ix *mirrorIndex) error {
	slices.SortFunc(ix.Files, func(a, b mirrorEntry) int { return strings.Compare(a.File, b.File) })
	data, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, mirrorIndexName)
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return usageError("cannot write %s: %v", path, unwrapPathError(err))
	}
	return nil
}

// mirrorName is the file an SOP is written to: its id in the YAML (stable
// while titles change), else its title, as a safe file name; with the
// workspace's number for it when another SOP has the name already.
func mirrorName(src []byte, title string, sop int64, taken func(string) bool) string {
	base := ""
	if tree, err := syntax.Parse(src); err == nil && tree.Root != nil {
		if id := tree.Root.Get("id"); id != nil {
			base = importer.Slug(id.Value)
		}
	}
	if base == "" {
		base = importer.Slug(title)
	}
	if base == "" {
		base = "sop"
	}
	name := base + ".sop.yaml"
	if taken(name) {
		name = fmt.Sprintf("%s-%d.sop.yaml", base, sop)
	}
	return name
}

// pullTally counts what a pull --all did, for its closing line.
type pullTally struct{ written, same, kept, conflicts int }

func runRemotePullAll(ctx context.Context, env *Env, c *remoteClient, dir string, ws int64, status string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageError("cannot make the folder %s: %v", dir, unwrapPathError(err))
	}
	ix, err := readMirrorIndex(dir)
	if err != nil {
		return err
	}
	ws, err = c.defaultWorkspace(ctx, env, ws, "pulling")
	if err != nil {
		return err
	}
	if ix.Server != "" && (ix.Server != c.server() || ix.Workspace != ws) {
		return usageError("%s holds the SOPs of workspace %d at %s; pull workspace %d at %s into another folder", dir, ix.Workspace, ix.Server, ws, c.server())
	}
	ix.Server, ix.Workspace = c.server(), ws
	raw, err := c.listSOPs(ctx, ws, status, "")
	if err != nil {
		return err
	}
	items := make([]remoteDocument, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &items[i]); err != nil {
			return fmt.Errorf("%s listed an SOP relsop does not understand: %v", c.server(), err)
		}
	}
	// Oldest first, so that of two SOPs with the same id in their YAML the
	// first made keeps the plain name, whatever order the list is in.
	slices.SortFunc(items, func(a, b remoteDocument) int { return cmp.Compare(a.ID, b.ID) })
	var t pullTally
	listed := map[int64]bool{}
	for _, item := range items {
		listed[item.ID] = true
		if err := pullOne(ctx, env, c, dir, ix, item, &t); err != nil {
			// The files written so far are recorded, so that the next
			// pull knows them as its own rather than as someone else's.
			if werr := writeMirrorIndex(dir, ix); werr != nil {
				fmt.Fprintf(env.Stderr, "relsop: %v\n", werr)
			}
			return err
		}
	}
	if status == "" {
		for _, e := range ix.Files {
			if !listed[e.SOP] {
				fmt.Fprintf(env.Stderr, "%s: SOP %d is no longer listed in the workspace (archived or deleted); the file is left as it is\n", e.File, e.SOP)
			}
		}
	}
	if err := writeMirrorIndex(dir, ix); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "pulled %s of workspace %d into %s: %d written, %d unchanged, %d changed here and kept, %d in conflict\n",
		plural(len(raw), "SOP"), ws, dir, t.written, t.same, t.kept, t.conflicts)
	if t.conflicts > 0 {
		return &remoteFailure{code: ExitFindings, msg: fmt.Sprintf("%s changed both here and in the workspace; see above", plural(t.conflicts, "file"))}
	}
	return nil
}

// pullOne writes one SOP's latest YAML into the folder, unless the file
// there holds changes of its own: those are kept, and reported.
func pullOne(ctx context.Context, env *Env, c *remoteClient, dir string, ix *mirrorIndex, item remoteDocument, t *pullTally) error {
	d, err := c.document(ctx, item.ID)
	if err != nil {
		return err
	}
	if d.Source == nil {
		return fmt.Errorf("%s sent SOP %d without its YAML; is it a relsop workspace?", c.server(), item.ID)
	}
	src := []byte(*d.Source)
	e := ix.entryForSOP(d.ID)
	if e == nil {
		name := mirrorName(src, d.Title, d.ID, func(n string) bool {
			if ix.entryForFile(n) != nil {
				return true
			}
			_, err := os.Stat(filepath.Join(dir, n))
			return err == nil
		})
		ix.Files = append(ix.Files, mirrorEntry{File: name, SOP: d.ID})
		e = &ix.Files[len(ix.Files)-1]
	}
	path := filepath.Join(dir, e.File)
	local, err := os.ReadFile(path)
	switch {
	case err == nil && e.SHA256 != "" && digest(local) != e.SHA256:
		// Changed here since the last pull or push.
		if d.Revision == e.Revision {
			fmt.Fprintf(env.Stderr, "%s: changed here since revision %d was pulled; kept (push it with: relsop remote push %s)\n", path, e.Revision, path)
			t.kept++
		} else {
			fmt.Fprintf(env.Stderr, "%s: changed here, and SOP %d was saved since (revision %d, then %d); not overwritten: move your file away and pull, then make the change again\n",
				path, d.ID, e.Revision, d.Revision)
			t.conflicts++
		}
		return nil
	case err == nil && e.SHA256 == digest(src) && e.Revision == d.Revision:
		t.same++
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return usageError("cannot read %s: %v", path, unwrapPathError(err))
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		return usageError("cannot write %s: %v", path, unwrapPathError(err))
	}
	e.Revision, e.SHA256 = d.Revision, digest(src)
	fmt.Fprintf(env.Stderr, "%s: SOP %d %q, revision %d\n", path, d.ID, printable(d.Title), d.Revision)
	t.written++
	return nil
}

// mirrorFile is a file of a pull --all folder being pushed.
type mirrorFile struct {
	dir string
	ix  *mirrorIndex
	e   *mirrorEntry
}

// mirrorOf looks FILE up in its folder's index when push is not told
// which SOP it is, and fills in --sop and (unless given) --base; nil when
// FILE is no file of such a folder.
func mirrorOf(file string, fl *pushFlags, baseSet bool) (*mirrorFile, error) {
	if fl.create || fl.sop != 0 || file == "-" {
		return nil, nil
	}
	dir := filepath.Dir(file)
	if _, err := os.Stat(filepath.Join(dir, mirrorIndexName)); err != nil {
		return nil, nil
	}
	ix, err := readMirrorIndex(dir)
	if err != nil {
		return nil, err
	}
	e := ix.entryForFile(filepath.Base(file))
	if e == nil {
		return nil, nil
	}
	fl.sop = e.SOP
	if !baseSet {
		fl.base = e.Revision
	}
	return &mirrorFile{dir: dir, ix: ix, e: e}, nil
}

// pushed records in the index that the file is now the SOP's revision.
func (m *mirrorFile) pushed(revision int, src []byte) error {
	m.e.Revision, m.e.SHA256 = revision, digest(src)
	return writeMirrorIndex(m.dir, m.ix)
}
