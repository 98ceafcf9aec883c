package relsop

import (
	"errors"
	"fmt"
)

// Application error codes. Every service method documents which of these it
// returns; the HTTP server maps them to statuses in one table, and the CLI to
// messages. Anything else is an internal error whose details are logged, never
// shown.
const (
	ECONFLICT     = "conflict"      // a revision moved on, a name is taken
	EINTERNAL     = "internal"      // a bug or an outage; details only in the log
	EINVALID      = "invalid"       // the input is wrong; the message says how
	ENOTFOUND     = "not_found"     // no such thing, or the caller may not know it exists
	EUNAUTHORIZED = "unauthorized"  // not signed in
	EFORBIDDEN    = "forbidden"     // signed in and allowed to see it, not to do this
	ETOOLARGE     = "too_large"     // the input is over a size limit
	ERATELIMIT    = "rate_limited"  // too many attempts; try again later
	EUNAVAILABLE  = "not_available" // a feature that is not set up on this server
)

// Error is an application error: a code from the list above and a message
// meant for the person who caused it.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain: "" for nil and
// EINTERNAL for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the *Error in err's chain, or a
// generic one for an internal error, whose details must not leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}
