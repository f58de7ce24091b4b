package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"foresight/internal/pgtest"
)

// TestTwoServersShareOnePostgres runs two servers on one PostgreSQL
// database, as behind a load balancer without sticky sessions: the same
// cookies work on both. A participant's rating through server A reaches
// the facilitator's live stream on server B; A is killed with SIGKILL
// while raters write through it; they go on through B; every acknowledged
// rating is stored and counted in the results, and B's stream followed
// every change.
func TestTwoServersShareOnePostgres(t *testing.T) {
	cluster := pgtest.Need(t)
	ctx := context.Background()
	url, err := cluster.CreateDatabase(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, url)
	a := e.start(t)
	addrB := freeAddr(t)
	e.startOn(t, url, addrB)
	baseB := "http://" + addrB
	tr := newTransport()
	defer tr.CloseIdleConnections()

	// Participants join and the facilitator signs in through A.
	ps := e.join(t, tr, size(40, 200))
	m := e.meta(t, ps[0])
	fac := e.login(t, tr)

	// The facilitator's live results, served by B.
	seen := watchResults(t, baseB, e.code, fac, tr)
	l := newLedger() // every rating sent, and which were acknowledged
	first := key{ps[0].n, m.items[0]}
	l.attempt(first, 3)
	seq, _, err := e.put(ctx, ps[0], m.items[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	l.ack(first, 3, seq)
	start := time.Now()
	if !seen.reaches(seq, 10*time.Second) {
		t.Fatalf("B's live stream never showed seq %d, acknowledged by A (last seen %d)", seq, seen.last.Load())
	}
	t.Logf("a rating acknowledged by A showed on B's stream %v later", time.Since(start).Round(time.Millisecond))

	// Ratings through A, then A dies.
	loadCtx, stop := context.WithCancel(ctx)
	from := l.acks.Load()
	wait := e.load(loadCtx, ps, m, l, 5*time.Millisecond)
	waitAcks(l, from, int64(len(ps)*4))
	time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
	a.kill()
	stop()
	wait()
	tr.CloseIdleConnections()
	t.Logf("A killed after %d acknowledged ratings (%d requests without an answer)", l.acks.Load()-from, l.fails.Load())

	// The same participants, with the same cookies, go on through B.
	e.base = baseB
	loadCtx, stop = context.WithCancel(ctx)
	from = l.acks.Load()
	wait = e.load(loadCtx, ps, m, l, 5*time.Millisecond)
	waitAcks(l, from, int64(len(ps)*4))
	stop()
	wait()
	if l.acks.Load()-from == 0 {
		t.Fatal("no rating was acknowledged through B after A died")
	}
	if bad := l.bad.Load(); bad > 0 {
		t.Fatalf("%d ratings were refused, e.g. %v", bad, l.badMsg.Load())
	}

	// Every acknowledged rating is stored, and the results count them all.
	n := e.verify(t, ps, l)
	stored := 0
	for _, byItem := range e.stored(t, ps) {
		stored += len(byItem)
	}
	res, err := e.results(fac)
	if err != nil {
		t.Fatal(err)
	}
	counted := int64(0)
	for _, it := range res.Items {
		counted += it.N + it.DontKnow
	}
	if counted != int64(stored) || res.Seq < l.maxSeq {
		t.Fatalf("results through B count %d ratings at seq %d; %d are stored, seq %d was acknowledged", counted, res.Seq, stored, l.maxSeq)
	}
	// B's stream followed every change, A's included.
	if !seen.reaches(res.Seq, 10*time.Second) {
		t.Fatalf("B's live stream stopped at seq %d; the workshop is at %d", seen.last.Load(), res.Seq)
	}
	// A viewer whose stream A served reconnects to B and sees the state.
	if again := watchResults(t, baseB, e.code, fac, tr); !again.reaches(res.Seq, 10*time.Second) {
		t.Fatalf("a stream opened on B after A died starts at seq %d, want %d", again.last.Load(), res.Seq)
	}
	t.Logf("all %d acknowledged ratings present after A's death; %d stored, %d counted by B at seq %d",
		n, stored, counted, res.Seq)
}

// resultsStream follows the seq of a workshop's live results.
type resultsStream struct {
	last atomic.Int64
}

// reaches waits until the stream has shown seq (or later), or d passed.
func (s *resultsStream) reaches(seq int64, d time.Duration) bool {
	for deadline := time.Now().Add(d); s.last.Load() < seq; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// watchResults opens the API's live results of the workshop on base with
// the facilitator's cookies, and follows them until the test ends.
func watchResults(t *testing.T, base, code string, fac *http.Client, tr *http.Transport) *resultsStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/workshops/"+code+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	stream := &http.Client{Transport: tr, Jar: fac.Jar} // no timeout: it stays open
	resp, err := stream.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("GET %s events: status %d", base, resp.StatusCode)
	}
	s := &resultsStream{}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var r results
			if json.Unmarshal([]byte(data), &r) == nil && r.Seq > s.last.Load() {
				s.last.Store(r.Seq)
			}
		}
	}()
	return s
}

// TestSetupLinkWorksOnEveryServer starts two servers on one empty
// PostgreSQL database: each prints a one-time setup link, and each link
// opens the setup page on the other server too.
func TestSetupLinkWorksOnEveryServer(t *testing.T) {
	cluster := pgtest.Need(t)
	skipShort(t)
	needBinary(t)
	url, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: t.TempDir(), db: url}
	addrs := []string{freeAddr(t), freeAddr(t)}
	var tokens []string
	for _, addr := range addrs {
		s := e.startOn(t, url, addr)
		m := setupLine.FindStringSubmatch(s.out.String())
		if m == nil {
			t.Fatalf("no setup link in the output of the server on %s:\n%s", addr, s.out.String())
		}
		tokens = append(tokens, m[1])
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	for i, token := range tokens {
		other := addrs[1-i]
		resp, err := hc.Get("http://" + other + "/setup/" + token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("server %d's setup link on the other server: status %d", i+1, resp.StatusCode)
		}
	}
}

// setupLine finds the token of the setup link a server prints.
var setupLine = regexp.MustCompile(`/setup/(\S+)`)

// TestRevocationsEndStreamsOnEveryServer: a sign-out and a password change
// through server A end the facilitator's live stream that server B serves,
// at once (the store's event reaches B as a notification), not at B's next
// keep-alive 20 s later. The test allows 5 s, so that a slow machine cannot
// fail it, and logs the time each took.
func TestRevocationsEndStreamsOnEveryServer(t *testing.T) {
	cluster := pgtest.Need(t)
	dbURL, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, dbURL)
	e.start(t)
	addrB := freeAddr(t)
	e.startOn(t, dbURL, addrB)
	baseB := "http://" + addrB
	tr := newTransport()
	defer tr.CloseIdleConnections()

	// streamOnB opens the live results on B with hc's cookies and reads
	// their first event; the channel closes when B ends the stream.
	streamOnB := func(hc *http.Client) <-chan struct{} {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseB+"/workshops/"+e.code+"/events", nil)
		resp, err := (&http.Client{Transport: tr, Jar: hc.Jar, CheckRedirect: hc.CheckRedirect}).Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("open the live results on B: %v %v", resp, err)
		}
		br := bufio.NewReader(resp.Body)
		if _, err := readEvent(br); err != nil {
			t.Fatal(err)
		}
		ended := make(chan struct{})
		go func() {
			defer resp.Body.Close()
			defer close(ended)
			io.Copy(io.Discard, br)
		}()
		return ended
	}
	postOnA := func(hc *http.Client, path string, form url.Values) {
		t.Helper()
		resp, err := hc.PostForm(e.base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s on A: status %d", path, resp.StatusCode)
		}
	}
	wantEnded := func(what string, ended <-chan struct{}, start time.Time) {
		t.Helper()
		select {
		case <-ended:
			t.Logf("%s on A: the stream on B ended after %v", what, time.Since(start).Round(time.Millisecond))
		case <-time.After(5 * time.Second):
			t.Fatalf("%s on A: the stream on B still runs after 5 s", what)
		}
	}

	fac := e.login(t, tr)
	ended := streamOnB(fac)
	start := time.Now()
	postOnA(fac, "/logout", nil)
	wantEnded("a sign-out", ended, start)

	fac, other := e.login(t, tr), e.login(t, tr)
	ended = streamOnB(other)
	start = time.Now()
	next := e.password + " changed"
	postOnA(fac, "/account/password", url.Values{"current": {e.password}, "password": {next}, "confirm": {next}})
	wantEnded("a password change", ended, start)
}
