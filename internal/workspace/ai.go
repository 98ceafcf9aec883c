package workspace

import (
	"context"
	"errors"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/textdiff"
)

const maxInstruction = 2000

// EditPreview is what an "Edit with AI" instruction would change: the new
// source, its unified diff against the latest revision, and a summary.
// Nothing is saved; accepting is saving Source with base Revision.
type EditPreview struct {
	Source   []byte
	Diff     string
	Summary  []string
	Revision int // the revision the edit was made on
}

// PreviewEdit applies a plain-language instruction to the latest revision
// without saving it. References the planner cannot tell apart are
// EINVALID naming the candidates.
func (s *Service) PreviewEdit(ctx context.Context, id int64, instruction string, base int) (*EditPreview, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if base != 0 && base != d.Revision {
		return nil, staleBase(base, d.Revision)
	}
	instruction = strings.TrimSpace(instruction)
	if instruction == "" {
		return nil, relsop.Errorf(relsop.EINVALID, "Say what to change, for example: %s.", edit.Examples[0])
	}
	if len([]rune(instruction)) > maxInstruction {
		return nil, relsop.Errorf(relsop.EINVALID, "The instruction may have at most %d characters.", maxInstruction)
	}
	res, err := edit.Apply("SOP", d.Source, instruction)
	if err != nil {
		var unsupported *edit.UnsupportedError
		if errors.As(err, &unsupported) {
			return nil, relsop.Errorf(relsop.EINVALID, "This instruction is not understood. Instructions look like: %s.", strings.Join(edit.Examples[:4], "; "))
		}
		return nil, relsop.Errorf(relsop.EINVALID, "%s", capitalise(err.Error()))
	}
	return &EditPreview{
		Source:   res.Source,
		Diff:     textdiff.Unified("revision", "edited", d.Source, res.Source, 3),
		Summary:  res.Summary,
		Revision: d.Revision,
	}, nil
}
