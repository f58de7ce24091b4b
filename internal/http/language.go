package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"foresight/assets"
	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/views"
)

// langCookie remembers the interface language a person chose with the
// switcher; without it the browser's Accept-Language decides.
const (
	langCookie = "fs_lang"
	langMaxAge = 365 * 24 * 3600
)

// requestContext is the context every handler gets: the CSP nonce, the
// interface language, and the page's own address for the language switcher.
func (s *Server) requestContext(w http.ResponseWriter, r *http.Request, nonce string) context.Context {
	lang := i18n.Negotiate(r.Header.Get("Accept-Language"))
	if c, err := r.Cookie(s.cookieName(r, langCookie)); err == nil && i18n.Supported(c.Value) {
		lang = c.Value
	}
	// Pages differ by language; the content-hashed assets do not, and a
	// Vary on them would make browsers fetch them again after every cookie
	// change (a join, a sign-in) on a venue's slow Wi-Fi.
	if !strings.HasPrefix(r.URL.Path, assets.Prefix) {
		w.Header().Add("Vary", "Accept-Language, Cookie")
	}
	ctx := templ.WithNonce(r.Context(), nonce)
	ctx = i18n.WithLang(ctx, lang)
	return views.WithRequestPath(ctx, r.URL.RequestURI())
}

// renderContext is the context in which the live hub renders a stream's
// fragments: detached from the request, which they outlive, but in its
// language.
func renderContext(r *http.Request) context.Context {
	return i18n.WithLang(context.Background(), i18n.Lang(r.Context()))
}

// handleLanguage handles "POST /language": form lang and next (the page to
// return to). The choice is kept in a cookie for a year.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request) {
	f := webform.ParseLanguage(r)
	if err := f.Check(); err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(r, langCookie),
		Value:    f.Lang,
		Path:     "/",
		MaxAge:   langMaxAge,
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
	next := f.Next
	if localPath(next) != next || next == "" {
		next = "/"
	}
	redirect(w, r, next)
}
