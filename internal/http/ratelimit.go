package http

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"foresight/internal/workshop"
)

// failLimiter is a token bucket per key (an address, an account, a
// participant) with bounded memory. Fail and Blocked limit failures (wrong
// passwords, wrong join codes): successes cost nothing, so a room of people
// behind one address joins freely; only guessing is slowed down. Allow
// limits every request of a key (ratings per participant).
type failLimiter struct {
	burst int
	every time.Duration

	mu      sync.Mutex
	clients map[string]*rate.Limiter
	swept   time.Time
}

// maxClients bounds the limiter's memory: past it, idle entries are dropped
// and, if that is not enough, arbitrary ones (map order is random) down to
// nine tenths of it, so that a flood of new keys costs a full sweep only
// every maxClients/10 keys, not at every key.
const maxClients = 50_000

func newFailLimiter(burst int, every time.Duration) *failLimiter {
	return &failLimiter{burst: burst, every: every, clients: map[string]*rate.Limiter{}}
}

// Blocked reports whether key has used up its failures, and when to retry.
func (l *failLimiter) Blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.clients[key]
	if lim == nil {
		return false, 0
	}
	return l.wait(lim, now)
}

func (l *failLimiter) wait(lim *rate.Limiter, now time.Time) (bool, time.Duration) {
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return false, 0
	}
	wait := time.Duration((1 - tokens) * float64(l.every))
	return true, max(time.Second, wait)
}

// Fail counts one failure of key.
func (l *failLimiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limiter(key, now).AllowN(now, 1)
}

// Allow takes one token of key. When there is none it takes nothing and
// reports how long to wait.
func (l *failLimiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.limiter(key, now)
	if lim.AllowN(now, 1) {
		return true, 0
	}
	_, wait := l.wait(lim, now)
	return false, wait
}

// limiter returns the bucket of key, making a full one if there is none.
func (l *failLimiter) limiter(key string, now time.Time) *rate.Limiter {
	lim := l.clients[key]
	if lim == nil {
		l.sweep(now)
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.clients[key] = lim
	}
	return lim
}

// sweep drops limiters that have refilled (they hold nothing worth keeping);
// it runs at most once a minute or when the map is full.
func (l *failLimiter) sweep(now time.Time) {
	if len(l.clients) < maxClients && now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, lim := range l.clients {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.clients, k)
		}
	}
	for k := range l.clients {
		if len(l.clients) < maxClients*9/10 {
			break
		}
		delete(l.clients, k)
	}
}

// retryAfter formats a wait for the Retry-After header, in whole seconds.
func retryAfter(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

// limitKey is the client a per-address limit counts against: its IPv4
// address, or its IPv6 /64, since one IPv6 host commonly holds a whole /64
// and could otherwise take a fresh address for every guess.
func (s *Server) limitKey(r *http.Request) string {
	key := s.clientIP(r)
	ip, err := netip.ParseAddr(key)
	if err != nil || !ip.Is6() {
		return key
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// accountKey is the key of the per-account limit of failed sign-ins: the
// email address as the store looks it up.
func accountKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// tooManyForAccount is the error of the per-account sign-in limit.
func tooManyForAccount(wait time.Duration) error {
	return retryLater{workshop.Errorf(workshop.ETooMany, "error.too_many_failed_sign", retryAfter(wait)), wait}
}

// allowSave applies the limit of ratings and reasons per participant:
// generous for a person clicking through a scale (a burst of 60, then ten
// a second), tight for a script. Being per participant, not per address, a
// whole room behind one address votes freely.
func (s *Server) allowSave(w http.ResponseWriter, p workshop.Participant) error {
	ok, wait := s.saveLimit.Allow(strconv.FormatInt(p.ID, 10), s.cfg.Now())
	if ok {
		return nil
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
	return workshop.Errorf(workshop.ETooMany, "error.too_many_saves_once", retryAfter(wait))
}
