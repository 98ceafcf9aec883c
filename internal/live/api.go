package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/workspace"
)

// Apply makes a batch of structured edits that came through the HTTP API
// (POST /api/sops/{id}/ops) as a live operation: numbered in the same
// order as the live editors' batches and sent to them, so that a script's
// edits merge with theirs instead of waiting for their edits to become a
// revision. It returns once the batch is stored (or refused). ctx carries the user;
// base is the revision the caller had, checked as the API always has, or
// 0 to apply the batch to the latest.
func (h *Hub) Apply(ctx context.Context, id int64, base int, ops []edit.Op) error {
	d, _, err := h.svc.LiveDocument(ctx, id)
	if err != nil {
		return err
	}
	if err := h.svc.MayEdit(ctx, d.WorkspaceID); err != nil {
		return err
	}
	if base != 0 { // 0: on the latest, as ops by id merge
		if err := workspace.CheckBase(d, base); err != nil {
			return err
		}
	}
	if len(ops) == 0 {
		return relsop.Errorf(relsop.EINVALID, "Give at least one operation.")
	}
	if err := workspace.CheckOps(ops); err != nil {
		return err
	}

	// The request is a client of one batch: its answer comes back on its
	// queue like an editor's acknowledgement.
	var b [8]byte
	rand.Read(b[:])
	c := &client{id: "api-" + hex.EncodeToString(b[:]), user: workspace.UserFrom(ctx), workspace: d.WorkspaceID,
		out: make(chan []byte, 4), cancel: func() {}}
	for r := h.room(id); !r.apply(c, 1, -1, ops, false); r = h.room(id) {
	}
	h.dropIfEmpty(id)
	var answer struct {
		Type  string `json:"type"`
		Code  string `json:"code"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(<-c.out, &answer); err != nil {
		return err
	}
	if answer.Type == typeReject {
		code := rejectCodes[answer.Code]
		if code == "" {
			code = relsop.EINTERNAL
		}
		return relsop.Errorf(code, "%s", answer.Error)
	}
	return nil
}

// rejectCodes turn a reject's code into the API's error codes.
var rejectCodes = map[string]string{
	codeInvalid:   relsop.EINVALID,
	codeForbidden: relsop.EFORBIDDEN,
	codeConflict:  relsop.ECONFLICT,
	codeInternal:  relsop.EINTERNAL,
}
