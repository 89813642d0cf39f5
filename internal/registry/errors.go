package registry

import (
	"errors"
	"fmt"
	"slices"
)

// Code classifies an error for the client. The HTTP edges map each code to a
// status in exactly one table (internal/problem); everything else in the
// program speaks codes.
type Code string

// The error codes. Their names follow the Unix tradition (and benbjohnson/wtf).
const (
	EINVALID      Code = "invalid"               // well-formed but invalid input (field errors)
	EMALFORMED    Code = "malformed"             // unparseable input: JSON, query parameter, cursor
	ENOTFOUND     Code = "not_found"             // no such entity, sector, revision
	ECONFLICT     Code = "conflict"              // a unique value is taken, or the resource is in use
	EPRECONDITION Code = "precondition_failed"   // If-Match does not match the current version
	EPRECONDREQ   Code = "precondition_required" // a conditional write came without If-Match
	EUNAUTHORIZED Code = "unauthorized"          // missing or bad credentials
	EFORBIDDEN    Code = "forbidden"             // the caller's role may not do this
	ETOOMANY      Code = "too_many_attempts"     // too many failed attempts: locked for a while
	EUNAVAILABLE  Code = "unavailable"           // the database does not answer; try again
	EINTERNAL     Code = "internal"              // a bug: never shown in detail to the client
)

// The error codes of uploads (images).
const (
	ETOOLARGE    Code = "too_large"              // the upload is over its size limit
	EUNSUPPORTED Code = "unsupported_media_type" // the upload's type is not accepted
)

// FieldError is one failing field of an input. Field is the JSON path
// ("contact.email", "sectors[2]"); Row is set for bulk imports.
//
// Message is the English sentence. Format and Args, when set, are what it
// was made from: the message catalogue translates Format and renders it
// with Args in the reader's language. A FieldError with only a Message is
// translated by its Message (or shown in English when the catalogue does
// not know it).
type FieldError struct {
	Row     *int
	Field   string
	Code    string
	Message string
	Format  string
	Args    []any
}

// Fieldf returns the field error field fails with code, its message made
// from an English format and its arguments (which the catalogue translates).
func Fieldf(field, code, format string, args ...any) FieldError {
	return FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Error is the error type of the domain. Message is safe to show to clients
// (in English; Format and Args, when set, let the catalogue translate it, as
// for FieldError); Err, when set, is the internal cause and is only logged.
type Error struct {
	Code    Code
	Message string
	Format  string
	Args    []any
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Invalid returns an EINVALID error carrying every failing field.
func Invalid(fields []FieldError) *Error {
	return &Error{Code: EINVALID, Message: "The input has invalid fields.", Fields: fields}
}

// Internal wraps an unexpected error; its detail never reaches the client.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "An internal error occurred.", Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for errors the domain did not
// classify, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as an *Error, wrapping unclassified errors as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// MergeFieldErrors joins lists of field errors, keeping the first error of
// each field: checks made at several layers report a field once.
func MergeFieldErrors(lists ...[]FieldError) []FieldError {
	var out []FieldError
	for _, l := range lists {
		for _, e := range l {
			if !slices.ContainsFunc(out, func(o FieldError) bool { return o.Field == e.Field && sameRow(o.Row, e.Row) }) {
				out = append(out, e)
			}
		}
	}
	return out
}

func sameRow(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
