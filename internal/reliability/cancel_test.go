package reliability

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCancelledRequestsKeepCommits sends 1,000 ratings (10,000 in soak mode),
// each to an item not rated before, and cancels each request at a random
// moment shortly after it was written: the client goes away mid-request.
// Then it stops the server (graceful shutdown waits for the handlers) and
// checks, with the server's log of answered requests:
//
//   - every rating whose handler answered 200 is stored (a client that goes
//     away cannot roll back a commit), and every rating the client saw
//     acknowledged is stored;
//   - nothing else is stored: the number of ratings equals the number of
//     200 answers to PUT .../ratings;
//   - no write failed because of the cancellation (no "begin: context
//     canceled", no "interrupted" in the log).
func TestCancelledRequestsKeepCommits(t *testing.T) {
	total := size(1000, 10000)
	e := newEnv(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	srv := e.start(t)
	probe := e.join(t, tr, 1)[0]
	m := e.meta(t, probe)
	ps := e.join(t, tr, (total+len(m.items)-1)/len(m.items))

	type job struct {
		p  *participant
		it item
	}
	var jobs []job
	for _, p := range ps {
		for _, it := range m.items {
			if len(jobs) < total {
				jobs = append(jobs, job{p, it})
			}
		}
	}
	rand.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	l := newLedger()
	var (
		mu        sync.Mutex
		cancelled int
		halves    []key // requests cut off in the middle of their body
		other     []string
	)
	next := make(chan job)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for j := range next {
				ctx, cancel := context.WithCancel(context.Background())
				// Cancel between 0.1 and 200 ms (evenly on a log scale)
				// after the request is on the wire: before, during or
				// after the handler's commit. One request in five goes
				// away in the middle of its body instead.
				delay := time.Duration(100*math.Pow(2, 11*rand.Float64())) * time.Microsecond
				k := key{j.p.n, j.it}
				body := ratingBody(j.it, 3)
				var (
					seq    int64
					status int
					err    error
				)
				half := rand.IntN(5) == 0
				if half {
					time.AfterFunc(delay, cancel)
					seq, status, err = e.putBody(ctx, j.p, io.MultiReader(strings.NewReader(body[:len(body)/2]), blockUntil{ctx}), int64(len(body)))
				} else {
					ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
						WroteRequest: func(httptrace.WroteRequestInfo) { time.AfterFunc(delay, cancel) },
					})
					l.attempt(k, 3)
					seq, status, err = e.putBody(ctx, j.p, strings.NewReader(body), int64(len(body)))
				}
				cancel()
				mu.Lock()
				switch {
				case err == nil && !half:
					l.ack(k, 3, seq)
				case ctx.Err() != nil && status == 0:
					cancelled++
					if half {
						halves = append(halves, k)
					}
				default:
					other = append(other, fmt.Sprint(err))
				}
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	tr.CloseIdleConnections()

	// Graceful shutdown waits for every handler still running, so the log
	// is complete afterwards.
	if code, took := srv.terminate(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d after %v", code, took)
	}
	statuses := srv.countRequests("PUT", "/ratings")
	for _, line := range strings.Split(srv.out.String(), "\n") {
		if strings.Contains(line, "interrupted") || strings.Contains(line, "begin: context canceled") || strings.Contains(line, "transaction has already been") {
			t.Errorf("a write was cut short by the client's cancellation: %s", line)
		}
	}
	if len(other) > 0 {
		t.Errorf("%d requests failed for another reason than the cancellation, e.g. %s", len(other), other[0])
	}

	srv = e.start(t)
	n := e.verify(t, append(ps, probe), l)
	got := e.stored(t, ps)
	for _, k := range halves {
		if _, ok := got[k.p][k.it]; ok {
			t.Fatalf("participant %d item %v: stored from a request whose body never arrived", k.p, k.it)
		}
	}
	fac := e.login(t, tr)
	res, err := e.results(fac)
	if err != nil {
		t.Fatal(err)
	}
	stored := res.ratingsCount()
	if stored != int64(statuses["200"]) {
		t.Fatalf("%d ratings stored, but the server answered 200 to %d rating requests (statuses %v): a commit was rolled back or a failed request stored", stored, statuses["200"], statuses)
	}
	if code, _ := srv.terminate(); code != 0 {
		t.Fatalf("second SIGTERM: exit code %d", code)
	}
	t.Logf("%d requests: %d acknowledged to the client, %d cancelled by the client (%d in the middle of the body); the server answered %v; "+
		"%d stored (%d of them committed for a client that had gone); all %d acknowledged present, none of the cut-off ones",
		len(jobs), l.acks.Load(), cancelled, len(halves), statuses, stored, stored-l.acks.Load(), n)
}

// blockUntil is the rest of a body that never arrives: it blocks until the
// client gives up.
type blockUntil struct{ ctx context.Context }

func (b blockUntil) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}
