package http

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// failLimiter limits failures (wrong passwords, wrong join codes) per key.
// Successes cost nothing, so a room of people behind one address joins
// freely; only guessing is slowed down.
type failLimiter struct {
	burst int
	every time.Duration

	mu      sync.Mutex
	clients map[string]*rate.Limiter
	swept   time.Time
}

// maxClients bounds the limiter's memory: past it, idle entries are dropped
// and, if none are idle, arbitrary ones (map order is random).
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
	lim := l.clients[key]
	if lim == nil {
		l.sweep(now)
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.clients[key] = lim
	}
	lim.AllowN(now, 1)
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
		if len(l.clients) < maxClients {
			break
		}
		delete(l.clients, k)
	}
}

// retryAfter formats a wait for the Retry-After header, in whole seconds.
func retryAfter(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
