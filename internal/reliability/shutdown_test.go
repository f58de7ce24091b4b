package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSIGTERMWithOpenStreams stops the server with SIGTERM while 500 live
// streams are open and ratings flow: it must exit with status 0 within 10 s
// (its documented bound: the streams are told to end, HTTP shutdown waits
// 8 s at most), with every acknowledged rating stored. The stream clients
// reconnect the way EventSource does, to the restarted server, and resync:
// a facilitator's stream starts with the full results, whose seq is the
// last acknowledged one.
func TestSIGTERMWithOpenStreams(t *testing.T) {
	streams, raters := 500, size(50, 200)
	e := newEnv(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	srv := e.start(t)
	ps := e.join(t, tr, raters)
	m := e.meta(t, ps[0])
	fac := e.login(t, tr)

	// Half the streams are the facilitator's JSON results, half
	// participants' pages.
	type stream struct {
		url     string
		hc      *http.Client
		results bool
	}
	ss := make([]stream, streams)
	for i := range ss {
		if i%2 == 0 {
			ss[i] = stream{url: e.base + "/api/v1/workshops/" + e.code + "/events", hc: fac, results: true}
		} else {
			ss[i] = stream{url: e.base + "/w/" + e.code + "/events", hc: ps[i%len(ps)].hc}
		}
	}
	sseClient := func(hc *http.Client) *http.Client {
		return &http.Client{Transport: tr, Jar: hc.Jar, CheckRedirect: hc.CheckRedirect} // no timeout: a stream is long
	}
	// open connects and reads the first event; it retries while the
	// server is down, every 100 ms, like EventSource after "retry:".
	open := func(ctx context.Context, s stream, retry bool) (*bufio.Reader, func(), sseEvent, error) {
		for {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
			req.Header.Set("Accept", "text/event-stream")
			resp, err := sseClient(s.hc).Do(req)
			if err == nil && resp.StatusCode == http.StatusOK {
				br := bufio.NewReader(resp.Body)
				ev, err := readEvent(br)
				if err == nil {
					return br, func() { resp.Body.Close() }, ev, nil
				}
				resp.Body.Close()
			} else if err == nil {
				resp.Body.Close()
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
			if !retry || ctx.Err() != nil {
				return nil, nil, sseEvent{}, err
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	var (
		opened, ended atomic.Int64
		mu            sync.Mutex
		resynced      []sseEvent
		failures      []string
		wg            sync.WaitGroup
	)
	ctx, cancelAll := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelAll()
	restarted := make(chan struct{})
	sem := make(chan struct{}, 50)
	for _, s := range ss {
		wg.Go(func() {
			sem <- struct{}{}
			br, closeBody, _, err := open(ctx, s, false)
			<-sem
			if err != nil {
				mu.Lock()
				failures = append(failures, "open: "+err.Error())
				mu.Unlock()
				return
			}
			opened.Add(1)
			for { // read until the server ends the stream
				if _, err := readEvent(br); err != nil {
					break
				}
			}
			closeBody()
			ended.Add(1)
			<-restarted
			_, closeBody, ev, err := open(ctx, s, true)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, "reconnect: "+err.Error())
				return
			}
			closeBody()
			if s.results {
				resynced = append(resynced, ev)
			} else if ev.name != "state" {
				failures = append(failures, "participant stream resumed with "+ev.name)
			}
		})
	}
	for deadline := time.Now().Add(time.Minute); opened.Load() < int64(streams) && time.Now().Before(deadline); {
		mu.Lock()
		n := len(failures)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := opened.Load(); got != int64(streams) {
		cancelAll()
		t.Fatalf("opened %d of %d streams: %v", got, streams, failures)
	}

	l := newLedger()
	loadCtx, stopLoad := context.WithCancel(context.Background())
	wait := e.load(loadCtx, ps, m, l, 5*time.Millisecond)
	waitAcks(l, 0, int64(raters*size(4, 10)))
	code, took := srv.terminate()
	stopLoad()
	wait()
	tr.CloseIdleConnections()
	if code != 0 {
		t.Fatalf("SIGTERM with %d streams open: exit code %d after %v", streams, code, took)
	}
	if took >= 10*time.Second {
		t.Fatalf("SIGTERM with %d streams open: the server took %v to exit, more than its bound of 10 s", streams, took)
	}
	// Every stream ended when the server went (by its end-of-stream or
	// the closed socket); the clients now try to reconnect.
	for deadline := time.Now().Add(10 * time.Second); ended.Load() < int64(streams) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := ended.Load(); got != int64(streams) {
		t.Fatalf("%d of %d streams still open after the server exited", int64(streams)-got, streams)
	}
	acks, maxSeq := l.acks.Load(), l.maxSeq

	srv = e.start(t)
	close(restarted)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d stream clients failed, e.g. %s", len(failures), failures[0])
	}
	n := e.verify(t, ps, l)
	res, err := e.results(fac)
	if err != nil {
		t.Fatal(err)
	}
	// Graceful shutdown finishes every request it took: no write commits
	// without its answer reaching the client, so the stored seq is the
	// last acknowledged one.
	if res.Seq != maxSeq {
		t.Errorf("after the restart the workshop's seq is %d; the highest acknowledged was %d", res.Seq, maxSeq)
	}
	for _, ev := range resynced {
		var r results
		if ev.name != "results" || json.Unmarshal([]byte(ev.data), &r) != nil {
			t.Fatalf("a results stream resumed with %q %.80q", ev.name, ev.data)
		}
		if r.Seq != res.Seq || r.ratingsCount() != res.ratingsCount() {
			t.Fatalf("a results stream resumed at seq %d with %d ratings; the workshop is at seq %d with %d", r.Seq, r.ratingsCount(), res.Seq, res.ratingsCount())
		}
	}
	if code, _ := srv.terminate(); code != 0 {
		t.Fatalf("second SIGTERM: exit code %d", code)
	}
	if bad := l.bad.Load(); bad > 0 {
		t.Fatalf("%d ratings were refused by the server, e.g. %v", bad, l.badMsg.Load())
	}
	t.Logf("%d streams open, %d raters: exit 0 after %v; %d ratings acknowledged (%d requests without an answer), all %d distinct present; "+
		"%d results streams resynced at seq %d, %d participant streams resumed",
		streams, raters, took.Round(time.Millisecond), acks, l.fails.Load(), n, len(resynced), res.Seq, streams-len(resynced))
}
