package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/relsop/relsop"
)

// maxBody bounds every request body (2 MiB): an SOP is at most 1 MiB, and
// JSON escaping can double it.
const maxBody = 2 << 20

// readJSON decodes the request body into v, refusing unknown fields,
// trailing data and bodies over maxBody.
func readJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return relsop.Errorf(relsop.EINVALID, "Send JSON with Content-Type: application/json.")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return relsop.Errorf(relsop.EINVALID, "The request body is empty; send a JSON object.")
		}
		return relsop.Errorf(relsop.EINVALID, "The request body is not the JSON expected: %v.", err)
	}
	if dec.More() {
		return relsop.Errorf(relsop.EINVALID, "The request body has data after the JSON object.")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // user text stays inert even if a client treats JSON as HTML
	enc.Encode(v)
}
