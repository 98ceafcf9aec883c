package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// statuses maps application error codes to HTTP statuses: the only place
// where that happens.
var statuses = map[string]int{
	relsop.EINVALID:      http.StatusBadRequest,
	relsop.EUNAUTHORIZED: http.StatusUnauthorized,
	relsop.EFORBIDDEN:    http.StatusForbidden,
	relsop.ENOTFOUND:     http.StatusNotFound,
	relsop.ECONFLICT:     http.StatusConflict,
	relsop.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	relsop.ERATELIMIT:    http.StatusTooManyRequests,
	relsop.EUNAVAILABLE:  http.StatusServiceUnavailable,
	relsop.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the one shape of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	Findings []findingJSON `json:"findings,omitempty"`
}

// writeError answers with err's status and message; internal errors are
// logged with their details and answered with a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = relsop.Errorf(relsop.ETOOLARGE, "The request body is over %d bytes.", mbe.Limit)
	}
	code := relsop.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == relsop.EINTERNAL {
		s.log.ErrorContext(r.Context(), "internal error", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	body := errorBody{Error: errorDetail{Code: code, Message: relsop.ErrorMessage(err)}}
	var fe *workspace.FindingsError
	if errors.As(err, &fe) {
		body.Error.Findings = findingsJSON(fe.Findings)
	}
	var rl *workspace.RateLimitError
	if errors.As(err, &rl) {
		w.Header().Set("Retry-After", strconv.Itoa(int(rl.Wait.Seconds())+1))
	}
	writeJSON(w, status, body)
}
