// Package workshop is the domain of Foresight: workshops, decks, participants,
// ratings and the statistics derived from them. It imports only the standard
// library; storage, live updates and the web adapter build on it.
package workshop

import (
	"errors"
	"fmt"
)

// Error codes. The web adapter maps each to one HTTP status in one table.
const (
	EInvalid      = "invalid"      // the input breaks a rule (422)
	ENotFound     = "not_found"    // no such thing (404)
	EConflict     = "conflict"     // the state does not allow it (409)
	EUnauthorized = "unauthorized" // who are you? (401)
	EForbidden    = "forbidden"    // not yours (403)
	ETooLarge     = "too_large"    // body over its limit (413)
	EMalformed    = "malformed"    // cannot be parsed at all (400)
	ETooMany      = "too_many"     // rate limited (429)
	EInternal     = "internal"     // our fault (500); details go to the log only
)

// Error is a domain error that is safe to show to a user: Message never holds
// internal details. Field names the input at fault, when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
	// format and args are what Message was made of, so that the web
	// adapter can translate the format and format it again (Localize).
	format string
	args   []any
}

// Localize returns the message with its format passed through translate
// (which maps an English format to another language's). Arguments that are
// domain errors themselves (a text check inside a field's message) are
// localized too.
func (e *Error) Localize(translate func(format string) string) string {
	if e.format == "" {
		return translate(e.Message)
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		if inner, ok := a.(*Error); ok {
			a = inner.Localize(translate)
		}
		args[i] = a
	}
	return fmt.Sprintf(translate(e.format), args...)
}

// Error reads "field: message", or just the message: it is shown to people
// (the CLI prints it), so the code stays out of it.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns a domain error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// FieldErrorf returns an error of any code naming the field at fault.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// FieldError returns an EInvalid error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// ErrorCode returns the code of a domain error, or EInternal for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of a domain error, or a generic
// one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
