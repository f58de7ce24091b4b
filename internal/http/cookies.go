package http

import (
	"net/http"
	"sync"

	"github.com/gorilla/sessions"

	"foresight/internal/store"
)

// Cookies hold random IDs only: the facilitator's session ID (the session
// itself lives in SQLite) and, per joined workshop, a participant ID.
const (
	sessionCookie     = "fs_session"
	participantCookie = "fs_participant"
	// maxJoined bounds how many workshops one device remembers.
	maxJoined = 20
	// participantMaxAge keeps a device's place in its workshops for 90 days.
	participantMaxAge = 90 * 24 * 3600
)

// newCookieStore makes the store of our cookies, signed and encrypted with
// keys (pairs of hash and block keys, the newest first). The cookies' own
// Max-Age ends them, so the store checks no age of its own.
func newCookieStore(keys ...[]byte) *sessions.CookieStore {
	store := sessions.NewCookieStore(keys...)
	store.MaxAge(0)
	return store
}

// cookieName adds the __Host- prefix over HTTPS: the browser then refuses
// the cookie from any other host or path, or without Secure.
func (s *Server) cookieName(r *http.Request, name string) string {
	if s.isHTTPS(r) {
		return "__Host-" + name
	}
	return name
}

// cookieSession opens one of our cookies; a cookie that does not decode
// (old keys, tampering) is treated as absent.
func (s *Server) cookieSession(r *http.Request, name string) *sessions.Session {
	sess, _ := s.cookies.Get(r, s.cookieName(r, name))
	if sess == nil {
		sess = sessions.NewSession(s.cookies, s.cookieName(r, name))
	}
	return sess
}

func (s *Server) saveCookie(w http.ResponseWriter, r *http.Request, sess *sessions.Session, maxAge int) error {
	sess.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	}
	return sess.Save(r, w)
}

// cookieMaxAge is the lifetime of each of our cookies, in seconds.
var cookieMaxAge = map[string]int{
	sessionCookie:     int(store.SessionTTL.Seconds()),
	participantCookie: participantMaxAge,
}

// reissueOldCookies supports rotating Config.SessionKeys: a cookie that
// only an older key decodes is accepted and saved again with the newest
// key, so that the older key can be retired once every device came back
// (or after the cookies' lifetime). A cookie no key decodes is absent.
func (s *Server) reissueOldCookies(next http.Handler) http.Handler {
	if len(s.cookies.Codecs) < 2 {
		return next // one key: nothing to rotate from
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, maxAge := range cookieMaxAge {
			s.reissueOldCookie(w, r, name, maxAge)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) reissueOldCookie(w http.ResponseWriter, r *http.Request, name string, maxAge int) {
	c, err := r.Cookie(s.cookieName(r, name))
	if err != nil {
		return
	}
	var values map[any]any
	if s.cookies.Codecs[0].Decode(c.Name, c.Value, &values) == nil {
		return // the newest key: nothing to do
	}
	if sess := s.cookieSession(r, name); !sess.IsNew {
		// A handler that saves this cookie too comes later in the
		// response, and browsers keep the last one.
		if err := s.saveCookie(w, r, sess, maxAge); err != nil {
			s.log.Warn("re-issue a cookie with the newest key", "cookie", name, "err", err)
		}
	}
}

// sessionToken returns the facilitator session token from the cookie.
func (s *Server) sessionToken(r *http.Request) string {
	tok, _ := s.cookieSession(r, sessionCookie).Values["sid"].(string)
	return tok
}

func (s *Server) setSessionToken(w http.ResponseWriter, r *http.Request, token string) error {
	sess := s.cookieSession(r, sessionCookie)
	sess.Values = map[any]any{"sid": token}
	return s.saveCookie(w, r, sess, int(store.SessionTTL.Seconds()))
}

func (s *Server) clearSessionToken(w http.ResponseWriter, r *http.Request) error {
	sess := s.cookieSession(r, sessionCookie)
	sess.Values = map[any]any{}
	return s.saveCookie(w, r, sess, -1)
}

// joinedWorkshops returns the participant tokens this device holds, by
// workshop code. The map is shared: callers must not change it.
func (s *Server) joinedWorkshops(r *http.Request) map[string]string {
	raw, err := r.Cookie(s.cookieName(r, participantCookie))
	if err != nil {
		return nil
	}
	// The name is part of the key: the signature binds a value to its name.
	key := cookieKey{raw.Name, raw.Value}
	if out, ok := s.joined.get(key); ok {
		return out
	}
	sess := s.cookieSession(r, participantCookie)
	out := make(map[string]string, len(sess.Values))
	for k, v := range sess.Values {
		code, ok1 := k.(string)
		tok, ok2 := v.(string)
		if ok1 && ok2 {
			out[code] = tok
		}
	}
	if !sess.IsNew {
		s.joined.put(key, out)
	}
	return out
}

// joinedCache remembers what participant cookies decoded to, by their exact
// name and value: every rating request carries the cookie, and checking,
// decrypting and decoding it (gob) was 11 % of the server's CPU and a fifth
// of the request's garbage. A value decodes to the same tokens every time
// (no expiry is inside it, and the keys change only with a restart); one
// that does not decode is not kept.
type joinedCache struct {
	mu    sync.Mutex
	m     map[cookieKey]map[string]string
	bytes int // an estimate of the memory the entries hold
}

// cookieKey is a cookie as the browser sent it.
type cookieKey struct{ name, value string }

// maxJoinedCookieBytes bounds the cache's estimated memory; past it, it
// starts again empty (the devices in use fill it again at their next
// request). A device in one workshop costs about 500 bytes.
const maxJoinedCookieBytes = 16 << 20

// joinedEntryOverhead is an estimate of the bytes a map entry, its string
// headers and a decoded map take beyond the strings themselves.
const joinedEntryOverhead = 100

func (c *joinedCache) get(key cookieKey) (map[string]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tokens, ok := c.m[key]
	return tokens, ok
}

func (c *joinedCache) put(key cookieKey, tokens map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	size := joinedEntryOverhead + len(key.name) + len(key.value)
	for code, tok := range tokens {
		size += joinedEntryOverhead + len(code) + len(tok)
	}
	if c.m == nil || c.bytes+size > maxJoinedCookieBytes {
		c.m, c.bytes = map[cookieKey]map[string]string{}, 0
	}
	if _, ok := c.m[key]; !ok {
		c.bytes += size
	}
	c.m[key] = tokens
}

// addJoined remembers a participant token for a workshop on this device.
func (s *Server) addJoined(w http.ResponseWriter, r *http.Request, code, token string) error {
	sess := s.cookieSession(r, participantCookie)
	// When full, forget an arbitrary other workshop: a device rarely joins
	// twenty, and the cookie must stay small.
	if len(sess.Values) >= maxJoined {
		for k := range sess.Values {
			delete(sess.Values, k)
			break
		}
	}
	sess.Values[code] = token
	return s.saveCookie(w, r, sess, participantMaxAge)
}
