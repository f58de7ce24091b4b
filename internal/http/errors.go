package http

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
	"foresight/views"
)

// statusOf maps each domain error code to its HTTP status: the one table.
var statusOf = map[string]int{
	workshop.EMalformed:    http.StatusBadRequest,
	workshop.EUnauthorized: http.StatusUnauthorized,
	workshop.EForbidden:    http.StatusForbidden,
	workshop.ENotFound:     http.StatusNotFound,
	workshop.EConflict:     http.StatusConflict,
	workshop.ETooLarge:     http.StatusRequestEntityTooLarge,
	workshop.EInvalid:      http.StatusUnprocessableEntity,
	workshop.ETooMany:      http.StatusTooManyRequests,
	workshop.EInternal:     http.StatusInternalServerError,
}

// errorTitle is the heading of an error page.
func errorTitle(ctx context.Context, code string) string {
	switch code {
	case workshop.EMalformed:
		return i18n.T(ctx, "error.request_not_understood")
	case workshop.EUnauthorized:
		return i18n.T(ctx, "error.please_sign_in")
	case workshop.EForbidden:
		return i18n.T(ctx, "error.not_allowed")
	case workshop.ENotFound:
		return i18n.T(ctx, "error.not_found")
	case workshop.EConflict:
		return i18n.T(ctx, "error.not_possible_right_now")
	case workshop.ETooLarge:
		return i18n.T(ctx, "error.too_much_data")
	case workshop.EInvalid:
		return i18n.T(ctx, "error.please_check_what_entered")
	case workshop.ETooMany:
		return i18n.T(ctx, "error.too_many_tries")
	}
	return i18n.T(ctx, "error.something_went_wrong")
}

// userMessage is the message of err for a person, in the request's
// language: a domain error's own, a generic one for anything else (whose
// details only the log sees).
func userMessage(ctx context.Context, err error) string {
	var de *workshop.Error
	if errors.As(err, &de) && de.Code != workshop.EInternal {
		return de.Text(i18n.Texts(ctx))
	}
	return i18n.T(ctx, "error.something_went_wrong_our")
}

// errorStatus returns the code and status for err, turning a body that hit
// MaxBytesReader's limit into "too large" and a form that does not parse
// into "malformed".
func errorStatus(err error) (string, int) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return workshop.ETooLarge, http.StatusRequestEntityTooLarge
	}
	if isFormSyntaxError(err) {
		return workshop.EMalformed, http.StatusBadRequest
	}
	code := workshop.ErrorCode(err)
	return code, statusOf[code]
}

// isFormSyntaxError reports whether err is one of Request.ParseForm's
// complaints about what the client sent: a bad %-escape, a semicolon
// separator, a Content-Type that does not parse. They are the client's
// mistake (400), not an internal error (500, and a line in the log).
func isFormSyntaxError(err error) bool {
	if err == nil {
		return false
	}
	var ee url.EscapeError
	if errors.As(err, &ee) {
		return true
	}
	msg := err.Error()
	return msg == "invalid semicolon separator in query" || strings.HasPrefix(msg, "mime: ")
}

// retryLater is a refusal that says when to try again: the error's answer
// carries it as Retry-After.
type retryLater struct {
	err  error
	wait time.Duration
}

func (e retryLater) Error() string { return e.err.Error() }
func (e retryLater) Unwrap() error { return e.err }

// tooMany is the error of a limit of failures per address.
func tooMany(wait time.Duration) error {
	return retryLater{workshop.Errorf(workshop.ETooMany, "error.too_many_failed_attempts", retryAfter(wait)), wait}
}

// error answers a failed request: JSON for the API, an HTML page otherwise.
// Internal details go to the log, never to the user.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code, status := errorStatus(err)
	ctx := r.Context()
	msg := userMessage(ctx, err)
	if code == workshop.ETooLarge {
		msg = i18n.T(ctx, "error.request_larger_than_server")
	} else if isFormSyntaxError(err) {
		msg = i18n.T(ctx, "error.form_could_not_read")
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "path", logPath(r), "err", err)
	}
	var later retryLater
	if errors.As(err, &later) {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(later.wait)))
	}
	if isAPI(r) {
		var field string
		var de *workshop.Error
		if errors.As(err, &de) {
			field = de.Field
		}
		writeJSON(w, status, apiError{Error: apiErrorBody{Code: code, Message: msg, Field: field}})
		return
	}
	s.render(w, r, status, views.ErrorPage(s.page(r, errorTitle(ctx, code)), status, msg))
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	jsonHeaders(w)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

// The headers of a JSON answer, shared by all (securityHeaders says why).
var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	noStore         = []string{"no-store"}
)

func jsonHeaders(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
}

// writeSeq answers a rating with {"seq": S}, as writeJSON would, without
// a map and an encoder for every rating.
func writeSeq(w http.ResponseWriter, seq int64) {
	jsonHeaders(w)
	w.WriteHeader(http.StatusOK)
	var b [40]byte
	out := append(b[:0], `{"seq":`...)
	out = strconv.AppendInt(out, seq, 10)
	w.Write(append(out, "}\n"...))
}

// handleNotFound handles every path no route matches.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_page_address"))
}

// handleAPINotFound handles "/api/..." paths no route matches.
func (s *Server) handleAPINotFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_api_endpoint"))
}

// handleHealth handles "GET /healthz": 200 when the database answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// formErrors turns a user-facing domain error into messages for a form: by
// field where the error names one. It reports false for internal errors,
// which the caller hands to s.error.
func formErrors(ctx context.Context, err error) (views.Errors, bool) {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code == workshop.EInternal {
		return nil, false
	}
	return views.Errors{de.Field: userMessage(ctx, err)}, true
}
