package http

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// heapAfterGC is the live heap, in bytes, after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A limiter's memory stays flat however many clients come: 100,000
// addresses that each fail once (none idle, so none may simply be swept)
// leave at most maxClients entries, and as many again add nothing. Each
// new key costs a sweep at most every maxClients/10 keys, so the flood
// also stays cheap. Not parallel: it measures the heap.
func TestLimiterMemoryIsBounded(t *testing.T) {
	const clients = 100_000
	now := time.Now()
	for _, tt := range []struct {
		name string
		add  func(l *failLimiter, key string)
	}{
		// Allow shares the map and its sweep with Fail: one measure does.
		{"failures", func(l *failLimiter, key string) { l.Fail(key, now) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newFailLimiter(10, time.Minute)
			base := heapAfterGC()
			start := time.Now()
			for i := range clients {
				tt.add(l, fmt.Sprintf("198.%d.%d.%d", i>>16, i>>8&255, i&255))
			}
			took := time.Since(start)
			if n := len(l.clients); n > maxClients {
				t.Fatalf("%d entries after %d clients, want at most %d", n, clients, maxClients)
			}
			first := heapAfterGC()
			for i := range clients {
				tt.add(l, fmt.Sprintf("203.%d.%d.%d", i>>16, i>>8&255, i&255))
			}
			second := heapAfterGC()
			grown := int64(first) - int64(base)
			t.Logf("%d clients: %d entries, %.1f MB (%d bytes each), %v; %d more: %+.1f MB",
				clients, len(l.clients), float64(grown)/1e6, grown/int64(max(1, len(l.clients))), took.Round(time.Millisecond),
				clients, (float64(second)-float64(first))/1e6)
			if grown > 32<<20 {
				t.Fatalf("the limiter holds %d MB for %d clients, want at most 32 MB", grown>>20, maxClients)
			}
			if more := int64(second) - int64(first); more > 4<<20 {
				t.Fatalf("%d more clients grew the heap by %d MB, want it flat", clients, more>>20)
			}
			runtime.KeepAlive(l)
		})
	}
}

// A limit still holds for the client who hit it while others come and go.
func TestLimiterBlocksAndRefills(t *testing.T) {
	t.Parallel()
	now := time.Now()
	l := newFailLimiter(3, time.Minute)
	for range 3 {
		if blocked, _ := l.Blocked("a", now); blocked {
			t.Fatal("blocked before the burst was used")
		}
		l.Fail("a", now)
	}
	blocked, wait := l.Blocked("a", now)
	if !blocked || wait < 59*time.Second || wait > time.Minute {
		t.Fatalf("after 3 failures: blocked=%v wait=%v, want blocked for a minute", blocked, wait)
	}
	if blocked, _ := l.Blocked("b", now); blocked {
		t.Fatal("another key is blocked")
	}
	if blocked, _ := l.Blocked("a", now.Add(time.Minute)); blocked {
		t.Fatal("still blocked after a minute")
	}
	s := newFailLimiter(2, 100*time.Millisecond)
	for i, want := range []bool{true, true, false} {
		if ok, wait := s.Allow("p", now); ok != want || (!ok && wait < time.Second) {
			t.Fatalf("request %d: allowed=%v wait=%v, want %v (and a Retry-After of at least a second)", i+1, ok, wait, want)
		}
	}
	if ok, _ := s.Allow("p", now.Add(100*time.Millisecond)); !ok {
		t.Fatal("no token after it refilled")
	}
}
