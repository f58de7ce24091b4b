package reliability

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestNoDatabaseLockedUnderExports runs 200 raters while facilitators
// download every export (each a long read transaction on the reader pool)
// and poll the results, for 5 s (60 s in soak mode). No request may fail:
// no "database is locked", no 5xx, every export complete; afterwards every
// acknowledged rating is stored.
func TestNoDatabaseLockedUnderExports(t *testing.T) {
	raters, duration := 200, size(5*time.Second, 60*time.Second)
	e := newEnv(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	srv := e.start(t)
	ps := e.join(t, tr, raters)
	m := e.meta(t, ps[0])
	fac := e.login(t, tr)

	files := []string{"ratings.csv", "summary.csv", "rationales.csv", "workshop.json", "workshop.xlsx", "report"}
	var (
		exports, exportBytes, polls atomic.Int64
		mu                          sync.Mutex
		failures                    []string
		maxWAL                      int64
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	get := func(url string) (int64, error) {
		resp, err := fac.Get(url)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		if err != nil {
			return n, err
		}
		if resp.StatusCode != http.StatusOK {
			return n, fmt.Errorf("status %d", resp.StatusCode)
		}
		return n, nil
	}

	l := newLedger()
	ctx, stop := context.WithTimeout(context.Background(), duration)
	defer stop()
	wait := e.load(ctx, ps, m, l, 20*time.Millisecond)
	var wg sync.WaitGroup
	for w := range 4 { // exporters, each cycling through the files
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i++ {
				f := files[i%len(files)]
				n, err := get(e.base + "/workshops/" + e.code + "/export/" + f)
				if err != nil {
					fail("export %s: %v", f, err)
					return
				}
				if n == 0 {
					fail("export %s is empty", f)
				}
				exports.Add(1)
				exportBytes.Add(n)
			}
		})
	}
	wg.Go(func() { // the facilitator's results page polling
		for ctx.Err() == nil {
			if _, err := e.results(fac); err != nil {
				fail("results: %v", err)
				return
			}
			polls.Add(1)
		}
	})
	wg.Go(func() { // how far the WAL grows while readers hold snapshots
		for ctx.Err() == nil {
			if fi, err := os.Stat(e.db + "-wal"); err == nil {
				mu.Lock()
				maxWAL = max(maxWAL, fi.Size())
				mu.Unlock()
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	wg.Wait()
	wait()
	if len(failures) > 0 {
		t.Fatalf("%d requests failed, e.g. %s", len(failures), failures[0])
	}
	if locked := srv.lockErrors(); len(locked) > 0 {
		t.Fatalf("the server reported lock contention %d times, e.g. %s", len(locked), locked[0])
	}
	if bad := l.bad.Load(); bad > 0 {
		t.Fatalf("%d ratings were refused by the server, e.g. %v", bad, l.badMsg.Load())
	}
	if f := l.fails.Load(); f > 0 {
		t.Fatalf("%d ratings got no answer", f)
	}
	if exports.Load() == 0 || l.acks.Load() == 0 {
		t.Fatalf("%d exports, %d ratings: the load did not run", exports.Load(), l.acks.Load())
	}
	statuses := srv.countRequests("PUT", "/ratings")
	n := e.verify(t, ps, l)
	if code, took := srv.terminate(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d after %v", code, took)
	}
	t.Logf("%v with %d raters: %d ratings acknowledged (%.0f/s), server answers %v; %d exports (%d MB), %d results polls; "+
		"no lock errors; WAL grew to %d KB; all %d distinct ratings present",
		duration, raters, l.acks.Load(), float64(l.acks.Load())/duration.Seconds(), statuses, exports.Load(), exportBytes.Load()>>20, polls.Load(),
		maxWAL>>10, n)
}
