// Package http is Foresight's web adapter: pages, the JSON API and the live
// streams, on net/http with Go 1.22 patterns. Every route is in routes.go.
package http

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"time"

	"github.com/gorilla/sessions"

	"foresight/internal/live"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// Config is what the server needs to know of its surroundings.
type Config struct {
	// BaseURL is the public URL used in join links and QR codes, such as
	// https://vote.example.org. Empty: taken from each request.
	BaseURL *url.URL
	// TrustedProxies may set X-Forwarded-For and X-Forwarded-Proto: a TLS
	// terminating proxy in front of the server.
	TrustedProxies []netip.Prefix
	// SessionKeys override the cookie keys kept in the database: pairs of a
	// 32- or 64-byte hash key and a 16-, 24- or 32-byte block key.
	SessionKeys [][]byte
	Logger      *slog.Logger
	// ChromiumPath turns on the report as PDF (GET
	// /workshops/{code}/export/report.pdf), printed by this Chromium or
	// Chrome binary. Empty: no PDF; the report still prints from any browser.
	ChromiumPath string
	// Now is the rate limiters' clock; nil is time.Now. A test freezes it,
	// so that a slow machine does not refill a budget between requests.
	Now func() time.Time
}

// Server is the HTTP handler of Foresight.
type Server struct {
	store   *store.DB
	live    *live.Hub
	decks   map[string]workshop.Deck
	deckIDs []string // slugs in display order
	cfg     Config
	log     *slog.Logger
	cookies *sessions.CookieStore
	joined  joinedCache // participant cookies already decoded
	handler http.Handler

	loginFailures   *failLimiter // failed sign-ins per address
	accountFailures *failLimiter // failed sign-ins per account, from any address
	joinFailures    *failLimiter // wrong join codes per address
	saveLimit       *failLimiter // ratings and reasons per participant

	// closing ends every live stream so a graceful shutdown does not wait
	// for clients that never hang up.
	closing chan struct{}
}

// New builds the server. Cookie keys come from cfg or, by default, from the
// database, where they are created on first start.
func New(ctx context.Context, st *store.DB, hub *live.Hub, decks []workshop.Deck, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	keys := cfg.SessionKeys
	if len(keys) == 0 {
		hashKey, blockKey, err := st.SessionKeys(ctx)
		if err != nil {
			return nil, err
		}
		keys = [][]byte{hashKey, blockKey}
	}
	s := &Server{
		store:           st,
		live:            hub,
		decks:           map[string]workshop.Deck{},
		cfg:             cfg,
		log:             cfg.Logger,
		cookies:         newCookieStore(keys...),
		loginFailures:   newFailLimiter(10, time.Minute), // 10 at once, then one a minute
		accountFailures: newFailLimiter(10, time.Minute), // the same per account
		// Generous: a room of hundreds behind one address mistypes codes too;
		// five guesses a second find a given code among 29^8 in about 3,000
		// years on average.
		joinFailures: newFailLimiter(300, 200*time.Millisecond),
		saveLimit:    newFailLimiter(60, 100*time.Millisecond), // 60 at once, then ten a second
		closing:      make(chan struct{}),
	}
	for _, d := range decks {
		s.decks[d.Slug] = d
		s.deckIDs = append(s.deckIDs, d.Slug)
	}
	sort.Strings(s.deckIDs)
	s.handler = s.middleware(s.reissueOldCookies(s.routes()))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// CloseStreams tells every SSE stream to end. Call it before
// http.Server.Shutdown, which waits for active requests.
func (s *Server) CloseStreams() {
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
}

// HTTPServer wraps the handler in an http.Server with timeouts that drop
// slow clients. Live streams extend their own write deadline per write.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// baseURL is the public URL of the server for links that leave the page.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != nil {
		return s.cfg.BaseURL.String()
	}
	scheme := "http"
	if s.isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
