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

// Error is a domain error that is safe to show to a user. Its message is
// not written here: ID names it in the message catalogs
// (internal/i18n/locales), which hold it in every interface language, and
// Args fill its verbs. Field names the input at fault, when there is one.
type Error struct {
	Code  string
	Field string
	ID    string // "error.no_such_round"
	Args  []any  // an *Error among them is a message of its own (a text rule inside a field's)
}

// Text is the message in one language: format gives the text of a message
// id in that language (its verbs unfilled).
func (e *Error) Text(format func(id string) string) string {
	if len(e.Args) == 0 {
		return format(e.ID)
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if inner, ok := a.(*Error); ok {
			a = inner.Text(format)
		}
		args[i] = a
	}
	return fmt.Sprintf(format(e.ID), args...)
}

// FieldText is "field: message" in one language (Text, after the field at
// fault if there is one), as the command line shows it.
func (e *Error) FieldText(format func(id string) string) string {
	if e.Field != "" {
		return e.Field + ": " + e.Text(format)
	}
	return e.Text(format)
}

// Error reads "field: id [args]": it is for logs and tests. People read the
// message in their language, rendered by Text.
func (e *Error) Error() string {
	s := e.ID
	if len(e.Args) > 0 {
		s += " " + fmt.Sprint(e.Args)
	}
	if e.Field != "" {
		return e.Field + ": " + s
	}
	return s
}

// Errorf returns a domain error: the message id and what fills its verbs.
func Errorf(code, id string, args ...any) *Error {
	return &Error{Code: code, ID: id, Args: args}
}

// FieldErrorf returns an error of any code naming the field at fault.
func FieldErrorf(code, field, id string, args ...any) *Error {
	return &Error{Code: code, Field: field, ID: id, Args: args}
}

// FieldError returns an EInvalid error naming the field at fault.
func FieldError(field, id string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, ID: id, Args: args}
}

// HasID reports whether err is a domain error with message id.
func HasID(err error, id string) bool {
	var e *Error
	return errors.As(err, &e) && e.ID == id
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
