package reliability

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"foresight/internal/store"
)

// TestCrashKeepsAcknowledgedRatings kills the server with SIGKILL while
// raters send ratings, checks the file with integrity_check, restarts the
// server on it and reads every rating back: each one that got a 2xx must be
// there. Default: 3 rounds with 50 raters; FORESIGHT_SOAK=1: 10 with 200.
func TestCrashKeepsAcknowledgedRatings(t *testing.T) {
	rounds, raters := size(3, 10), size(50, 200)
	e := newEnv(t)
	tr := newTransport()
	defer tr.CloseIdleConnections()
	srv := e.start(t)
	ps := e.join(t, tr, raters)
	m := e.meta(t, ps[0])
	fac := e.login(t, tr)
	l := newLedger()
	ctx := context.Background()
	var lastSeq int64
	for round := 1; round <= rounds; round++ {
		if round > 1 {
			srv = e.start(t) // its Open recovers the WAL and runs quick_check
			n := e.verify(t, ps, l)
			res, err := e.results(fac)
			if err != nil {
				t.Fatal(err)
			}
			if res.Seq < l.maxSeq {
				t.Fatalf("round %d: the workshop's seq is %d after the restart, but %d was acknowledged", round, res.Seq, l.maxSeq)
			}
			t.Logf("round %d: restarted; all %d acknowledged ratings present, seq %d (highest acknowledged %d)", round, n, res.Seq, l.maxSeq)
			lastSeq = res.Seq
		}
		loadCtx, stop := context.WithCancel(ctx)
		from := l.acks.Load()
		wait := e.load(loadCtx, ps, m, l, 5*time.Millisecond)
		// Kill at a random moment once the writes flow.
		waitAcks(l, from, int64(raters*size(4, 10)))
		time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
		srv.kill()
		stop()
		wait()
		tr.CloseIdleConnections()
		// The file as the crash left it (WAL included): a read-only
		// connection checks it without checkpointing.
		if res, err := store.CheckFile(ctx, e.db); err != nil || res != "ok" {
			t.Fatalf("round %d: integrity_check after SIGKILL: %q, %v", round, res, err)
		}
		t.Logf("round %d: killed after %d acknowledged ratings in this round (%d in all, %d without answer)", round, l.acks.Load()-from, l.acks.Load(), l.fails.Load())
	}
	srv = e.start(t)
	n := e.verify(t, ps, l)
	res, err := e.results(fac)
	if err != nil {
		t.Fatal(err)
	}
	if res.Seq < l.maxSeq || res.Seq < lastSeq {
		t.Fatalf("the workshop's seq is %d after the last restart; %d was acknowledged", res.Seq, l.maxSeq)
	}
	if code, took := srv.terminate(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d after %v", code, took)
	}
	if bad := l.bad.Load(); bad > 0 {
		t.Fatalf("%d ratings were refused by the server, e.g. %v", bad, l.badMsg.Load())
	}
	st, err := store.Open(e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if res, err := st.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity_check at the end: %q, %v", res, err)
	}
	t.Logf("%d crashes with %d raters: %d ratings acknowledged, %d requests without an answer; all %d distinct acknowledged ratings present; final seq %d",
		rounds, raters, l.acks.Load(), l.fails.Load(), n, res.Seq)
}
