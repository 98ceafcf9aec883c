package edit

import (
	"errors"
	"fmt"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
)

// Session is an SOP edited by a stream of batches of structured edits, as
// in the live editor. It keeps the file loaded from one batch to the next:
// a batch of one edit then loads the file once (to check the result)
// instead of twice, which is most of the cost of a live edit.
type Session struct {
	src    []byte
	loaded *compile.Result // of src; nil: load src again when needed
}

// NewSession starts a session on the SOP in src.
func NewSession(src []byte) *Session { return &Session{src: src} }

// Source is the session's SOP file.
func (s *Session) Source() []byte { return s.src }

// SOP is the session's SOP, loaded (and kept for the next Apply); nil
// when the file does not load. Do not change it.
func (s *Session) SOP() *relsop.SOP { return s.load().SOP }

func (s *Session) load() *compile.Result {
	if s.loaded == nil {
		l := compile.Load(s.src)
		s.loaded = &l
	}
	return s.loaded
}

// Apply makes ops on the session's SOP, all or nothing, as ApplyOps does,
// and returns the result and the session that goes on from it. s stays
// at its source, but its loaded file is used up by the edits: an Apply on
// s again (the result was not wanted) loads the file anew.
func (s *Session) Apply(ops []Op) (*Result, *Session, error) {
	if len(ops) == 0 {
		return nil, nil, errors.New("no operations given")
	}
	if len(ops) > maxOps {
		return nil, nil, fmt.Errorf("at most %d operations at once, not %d", maxOps, len(ops))
	}
	loaded := s.load()
	s.loaded = nil
	if len(loaded.Errors) > 0 || loaded.SOP == nil {
		return nil, nil, fmt.Errorf("the SOP does not load, so it cannot be edited; fix it first:%s", findings(loaded.Errors))
	}
	cur, out := *loaded, s.src
	var summary []string
	for i, op := range ops {
		var said []string
		var err error
		if out, cur, said, err = applyLoaded(cur, op); err != nil {
			return nil, nil, &OpError{Index: i, Op: op.Op, Err: err}
		}
		summary = append(summary, said...)
	}
	return &Result{Source: out, Summary: summary}, &Session{src: out, loaded: &cur}, nil
}
