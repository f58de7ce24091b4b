package http

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"

	"foresight/views"
)

// render writes a templ component with a status. It renders into a buffer
// first, so a failure becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.log.Error("render", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// page is the layout data of a page for this request.
func (s *Server) page(r *http.Request, title string) views.Page {
	p := views.Page{Title: title}
	if tok := s.sessionToken(r); tok != "" {
		if u, err := s.store.SessionUser(r.Context(), tok); err == nil {
			p.User = &u
		}
	}
	return p
}

// redirect answers a form post with 303 See Other: the browser then GETs.
func redirect(w http.ResponseWriter, r *http.Request, url string) {
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// isHTMX reports whether htmx sent the request and expects a fragment.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }
