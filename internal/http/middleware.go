package http

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"foresight/internal/workshop"
)

// maxBody is the limit of a request body: forms and JSON here are small.
const maxBody = 64 << 10

// middleware wraps the routes, outermost first: panic recovery and the log
// line, security headers and the request's context (CSP nonce, interface
// language), body limits, cross-origin protection. Each layer is a frame on
// the stack of every open live stream, whose goroutine lives as long as the
// page: one more layer took the streams' stacks from 8 to 16 KB, so the
// context is set in one place.
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, workshop.Errorf(workshop.EForbidden, "error.request_came_another_site"))
	}))
	h = cop.Handler(h)
	h = limitBody(h)
	h = s.securityHeaders(h)
	return s.logRequests(h)
}

// maxDeckForm is the body limit of the deck editor and import: a deck of
// up to 1 MB, URL-encoded (which can triple non-ASCII text) or in a
// multipart envelope.
const maxDeckForm = 4 * workshop.MaxDeckBytes

// maxMatrixBody is the body limit of a matrix to evaluate: a file of up to
// 1 MB, pasted (URL-encoded, up to three times larger) or uploaded.
const maxMatrixBody = 4 * workshop.MaxCIBInputBytes

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(maxBody)
			if r.URL.Path == "/decks" || strings.HasPrefix(r.URL.Path, "/decks/") {
				limit = maxDeckForm
			}
			// A cross-impact matrix of up to 10,000 cells, as JSON or a file.
			if r.URL.Path == "/crossimpact" || r.URL.Path == "/api/v1/crossimpact/evaluate" {
				limit = maxMatrixBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// The Content-Security-Policy, around each response's nonce.
const (
	cspBeforeNonce = "default-src 'self'; script-src 'self' 'nonce-"
	cspAfterNonce  = "'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// securityHeaders sets a strict CSP with a fresh nonce for each response and
// the usual hardening headers.
// staticHeaders are the security headers every answer carries, as
// canonical names and values shared by all answers (securityHeaders).
var staticHeaders = []struct {
	name  string
	value []string
}{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
}

var hstsHeader = []string{"max-age=63072000; includeSubDomains"}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", cspBeforeNonce+nonce+cspAfterNonce)
		// The same values on every answer: shared, not a new slice per
		// header per request (Header.Set would allocate each). Nothing
		// changes a header's values in place; Set and Del replace them.
		for _, sh := range staticHeaders {
			h[sh.name] = sh.value
		}
		if s.isHTTPS(r) {
			h["Strict-Transport-Security"] = hstsHeader
		}
		next.ServeHTTP(w, r.WithContext(s.requestContext(w, r, nonce)))
	})
}

// statusWriter remembers the status for the log line. It keeps Flush and
// deadlines reachable through Unwrap for http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request (no addresses, cookies or bodies)
// and turns a panic into a 500 page.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", logPath(r), "panic", fmt.Sprint(v))
				if sw.status == 0 {
					s.error(sw, r, fmt.Errorf("panic: %v", v))
				}
			}
			s.log.Info("request", "method", r.Method, "path", logPath(r), "status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// secretPaths are the routes whose next path segment is a secret token
// (one-time links, display links): logs show "{token}" instead.
var secretPaths = []string{"/setup/", "/invite/", "/reset/", "/display/"}

// logPath is the path as logs may show it.
func logPath(r *http.Request) string {
	for _, prefix := range secretPaths {
		if rest, ok := strings.CutPrefix(r.URL.Path, prefix); ok {
			_, tail, _ := strings.Cut(rest, "/")
			if tail != "" {
				tail = "/" + tail
			}
			return prefix + "{token}" + tail
		}
	}
	return r.URL.Path
}

// fromTrustedProxy reports whether the direct peer is a configured proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	if len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	ip, ok := remoteIP(r.RemoteAddr)
	if !ok {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func remoteIP(addr string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip, err := netip.ParseAddr(host)
	return ip.Unmap(), err == nil
}

// isHTTPS reports whether the client reached us over TLS, directly or
// through a trusted proxy.
func (s *Server) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https" {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientIP is the address rate limits count against: the peer, or behind a
// trusted proxy the last address in X-Forwarded-For that is not a proxy.
func (s *Server) clientIP(r *http.Request) string {
	ip, _ := remoteIP(r.RemoteAddr)
	if s.fromTrustedProxy(r) {
		hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			ip = hop.Unmap()
			trusted := false
			for _, p := range s.cfg.TrustedProxies {
				trusted = trusted || p.Contains(ip)
			}
			if !trusted {
				break
			}
		}
	}
	return ip.String()
}
