package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// bin is the foresight binary, built by the first test that needs it.
var (
	bin       string
	buildOnce sync.Once
	buildErr  error
)

// soak is set by FORESIGHT_SOAK=1: the long variants of every test.
var soak = os.Getenv("FORESIGHT_SOAK") == "1"

// raceBuild is set by FORESIGHT_SERVER_RACE=1: the server is built with the
// race detector, and a data race it reports fails the test. It makes the
// package two to three times slower, so it is not the default.
var raceBuild = os.Getenv("FORESIGHT_SERVER_RACE") == "1"

// size picks the default or the soak value of a parameter.
func size[T any](def, long T) T {
	if soak {
		return long
	}
	return def
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bin != "" {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

// needBinary builds the binary once for all tests.
func needBinary(t *testing.T) {
	t.Helper()
	buildOnce.Do(func() {
		raiseFileLimit()
		dir, err := os.MkdirTemp("", "foresight-reliability-")
		if err != nil {
			buildErr = err
			return
		}
		bin = filepath.Join(dir, "foresight")
		buildErr = build(bin)
	})
	if buildErr != nil {
		t.Fatalf("build foresight: %v", buildErr)
	}
}

// build compiles ./cmd/foresight of this module into out.
func build(out string) error {
	goCmd, err := exec.LookPath("go") // go test puts GOROOT/bin first in PATH
	if err != nil {
		return err
	}
	gomod, err := exec.Command(goCmd, "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	args := []string{"build", "-o", out}
	if raceBuild {
		args = append(args, "-race")
	}
	cmd := exec.Command(goCmd, append(args, "./cmd/foresight")...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, msg)
	}
	return nil
}

// raiseFileLimit lifts the soft limit on open files to the hard one: 500
// live streams plus raters need more than the common default of 1024, on
// both ends (the server inherits the limit).
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("reliability tests build and run the real server: skipped with -short")
	}
}

// syncBuffer collects a server's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is one test's installation: a database file, an organiser account,
// an open workshop on the built-in deck and a fixed local address.
type env struct {
	dir, db, addr, base string
	code                string
	email, password     string
	servers             []*server
	joined              atomic.Int64 // participants so far, to number them
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, "")
}

// newEnvOn is newEnv on the database db: a SQLite file or a PostgreSQL
// URL; "" is a new file in a temporary folder.
func newEnvOn(t *testing.T, db string) *env {
	t.Helper()
	skipShort(t)
	needBinary(t)
	dir := t.TempDir()
	if db == "" {
		db = filepath.Join(dir, "foresight.db")
	}
	e := &env{dir: dir, db: db, addr: freeAddr(t),
		email: "fac@example.org", password: "a long password for tests"}
	e.base = "http://" + e.addr
	e.cli(t, e.password+"\n", "user", "add", "--db", e.db, "--email", e.email, "--role", "organiser")
	out := e.cli(t, "", "workshop", "create", "--db", e.db, "--deck", "nato-afghanistan", "--owner", e.email, "--open")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	e.code = lines[len(lines)-1]
	t.Cleanup(func() {
		for i, s := range e.servers {
			if strings.Contains(s.out.String(), "WARNING: DATA RACE") {
				t.Errorf("server %d reported a data race", i+1)
			}
		}
		if t.Failed() {
			for i, s := range e.servers {
				log := s.out.String()
				if len(log) > 6000 {
					log = "…" + log[len(log)-6000:]
				}
				t.Logf("server %d (exit %v) output:\n%s", i+1, s.err, log)
			}
		}
	})
	return e
}

// cli runs the binary with a command and returns its standard output.
func (e *env) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("foresight %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// freeAddr picks a free port on 127.0.0.1. The server gets it as --addr
// and keeps it across restarts, as a real deployment would.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is one run of "foresight serve".
type server struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error // from Wait, once done is closed
}

// start runs the server on the env's database and address and waits until
// /healthz answers.
func (e *env) start(t *testing.T) *server {
	t.Helper()
	return e.startOn(t, e.db, e.addr)
}

func (e *env) startOn(t *testing.T, db, addr string) *server {
	t.Helper()
	s := &server{out: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", db)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e.servers = append(e.servers, s)
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	hc := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-s.done:
			t.Fatalf("the server exited at start-up (%v):\n%s", s.err, s.out.String())
		default:
		}
		resp, err := hc.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
	}
	t.Fatalf("the server did not answer /healthz within 60 s:\n%s", s.out.String())
	return nil
}

// kill ends the server with SIGKILL: a crash, nothing flushed or closed.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// terminate sends SIGTERM and waits (at most a minute) for the exit; it
// returns the exit code (-1: killed by a signal or still running) and how
// long the shutdown took.
func (s *server) terminate() (int, time.Duration) {
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		s.cmd.Process.Kill()
		<-s.done
		return -1, time.Since(start)
	}
	return s.cmd.ProcessState.ExitCode(), time.Since(start)
}

// requestLine matches the server's log line of an answered request.
var requestLine = regexp.MustCompile(`msg=request method=(\S+) path=(\S+) status=(\d+)`)

// countRequests counts the log lines of method on paths ending in suffix,
// by status.
func (s *server) countRequests(method, suffix string) map[string]int {
	out := map[string]int{}
	for _, m := range requestLine.FindAllStringSubmatch(s.out.String(), -1) {
		if m[1] == method && strings.HasSuffix(m[2], suffix) {
			out[m[3]]++
		}
	}
	return out
}

// lockErrors returns the server's log lines that report SQLite lock
// contention.
func (s *server) lockErrors() []string {
	var out []string
	for line := range strings.Lines(s.out.String()) {
		l := strings.ToLower(line)
		if strings.Contains(l, "database is locked") || strings.Contains(l, "sqlite_busy") || strings.Contains(l, "database table is locked") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// newTransport is the HTTP transport of one test: keep-alive connections
// for every client, to 127.0.0.1 only.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 2000,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
}

// newClient is a browser-like client with its own cookie jar that does
// not follow redirects.
func newClient(tr *http.Transport, timeout time.Duration) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: tr, Jar: jar, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// participant is one phone: its cookie jar holds its participant cookie.
type participant struct {
	n  int
	hc *http.Client
}

// join makes n participants join the env's workshop, 16 at a time.
func (e *env) join(t *testing.T, tr *http.Transport, n int) []*participant {
	t.Helper()
	ps := make([]*participant, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			p := &participant{n: int(e.joined.Add(1)), hc: newClient(tr, 30*time.Second)}
			resp, err := p.hc.PostForm(e.base+"/j/"+e.code, url.Values{})
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				errs <- fmt.Errorf("join: status %d", resp.StatusCode)
				return
			}
			ps[i] = p
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ps
}

// login signs the organiser in and returns a client holding the session.
func (e *env) login(t *testing.T, tr *http.Transport) *http.Client {
	t.Helper()
	hc := newClient(tr, 60*time.Second)
	resp, err := hc.PostForm(e.base+"/login", url.Values{"email": {e.email}, "password": {e.password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	return hc
}

// item is one scenario x criterion.
type item struct{ s, c int64 }

// meta is what a rater needs of the workshop: its items and which of them
// take "don't know".
type meta struct {
	items    []item
	dontKnow map[int64]bool // by criterion
	max      map[int64]int
}

type apiWorkshop struct {
	Scenarios []struct {
		ID int64 `json:"id"`
	} `json:"scenarios"`
	Criteria []struct {
		ID       int64 `json:"id"`
		Min      int   `json:"min"`
		Max      int   `json:"max"`
		DontKnow bool  `json:"dont_know"`
	} `json:"criteria"`
	Ratings []struct {
		ScenarioID  int64 `json:"scenario_id"`
		CriterionID int64 `json:"criterion_id"`
		Value       *int  `json:"value"`
	} `json:"ratings"`
}

// workshop reads the workshop as participant p sees it.
func (e *env) workshop(p *participant) (apiWorkshop, error) {
	var w apiWorkshop
	resp, err := p.hc.Get(e.base + "/api/v1/workshops/" + e.code)
	if err != nil {
		return w, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return w, fmt.Errorf("GET workshop: status %d", resp.StatusCode)
	}
	return w, json.NewDecoder(resp.Body).Decode(&w)
}

func (e *env) meta(t *testing.T, p *participant) meta {
	t.Helper()
	w, err := e.workshop(p)
	if err != nil {
		t.Fatal(err)
	}
	m := meta{dontKnow: map[int64]bool{}, max: map[int64]int{}}
	for _, s := range w.Scenarios {
		for _, c := range w.Criteria {
			m.items = append(m.items, item{s.ID, c.ID})
		}
	}
	for _, c := range w.Criteria {
		if c.Min != 1 {
			t.Fatalf("criterion %d starts at %d; the tests assume 1", c.ID, c.Min)
		}
		m.dontKnow[c.ID], m.max[c.ID] = c.DontKnow, c.Max
	}
	return m
}

// dontKnow is how the tests write "don't know" (null in the API).
const dontKnow = 0

// put sends one rating; value dontKnow sends null. It returns the seq of a
// 2xx answer, the status (0 when no answer arrived) and the error.
func (e *env) put(ctx context.Context, p *participant, it item, value int) (seq int64, status int, err error) {
	body := ratingBody(it, value)
	return e.putBody(ctx, p, strings.NewReader(body), int64(len(body)))
}

func ratingBody(it item, value int) string {
	v := "null"
	if value != dontKnow {
		v = fmt.Sprint(value)
	}
	return fmt.Sprintf(`{"scenario_id":%d,"criterion_id":%d,"value":%s}`, it.s, it.c, v)
}

// putBody sends a rating request whose body is read from body and
// announced as length bytes long.
func (e *env) putBody(ctx context.Context, p *participant, body io.Reader, length int64) (seq int64, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, e.base+"/api/v1/workshops/"+e.code+"/ratings", body)
	if err != nil {
		return 0, 0, err
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return 0, resp.StatusCode, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var out struct {
		Seq int64 `json:"seq"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, resp.StatusCode, err
	}
	return out.Seq, resp.StatusCode, nil
}

// key is one participant's rating of one item.
type key struct {
	p  int
	it item
}

// ledger records what the clients sent and what the server acknowledged.
// For each rating: the last acknowledged value, and every value sent since
// then whose fate is unknown (no 2xx came back). After a crash the stored
// value must be the acknowledged one or one of those.
type ledger struct {
	mu      sync.Mutex
	acked   map[key]int
	pending map[key][]int
	sent    int64         // attempts so far
	lastAt  map[key]int64 // the number of the last attempt of each key
	maxSeq  int64
	acks    atomic.Int64
	fails   atomic.Int64 // requests without a 2xx answer
	bad     atomic.Int64 // answers that are not 2xx (the server said no)
	badMsg  atomic.Value
}

func newLedger() *ledger {
	return &ledger{acked: map[key]int{}, pending: map[key][]int{}, lastAt: map[key]int64{}}
}

func (l *ledger) attempt(k key, v int) {
	l.mu.Lock()
	l.pending[k] = append(l.pending[k], v)
	l.sent++
	l.lastAt[k] = l.sent
	l.mu.Unlock()
}

func (l *ledger) ack(k key, v int, seq int64) {
	l.mu.Lock()
	l.acked[k] = v
	delete(l.pending, k)
	l.maxSeq = max(l.maxSeq, seq)
	l.mu.Unlock()
	l.acks.Add(1)
}

// snapshot copies the acknowledged ratings and the values in flight, and
// returns the number of attempts so far.
func (l *ledger) snapshot() (acked map[key]int, pending map[key][]int, mark int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	acked = make(map[key]int, len(l.acked))
	for k, v := range l.acked {
		acked[k] = v
	}
	pending = make(map[key][]int, len(l.pending))
	for k, v := range l.pending {
		pending[k] = slices.Clone(v)
	}
	return acked, pending, l.sent
}

// sentAfter reports whether k was sent again after attempt number mark.
func (l *ledger) sentAfter(k key, mark int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastAt[k] > mark
}

// rate runs p's rating loop until ctx ends or a request fails without an
// answer (the server is gone): a random item, a random value, a short
// pause. Each participant sends one request at a time, as a phone does.
func (e *env) rate(ctx context.Context, p *participant, m meta, l *ledger, pause time.Duration) {
	for ctx.Err() == nil {
		it := m.items[rand.IntN(len(m.items))]
		v := 1 + rand.IntN(m.max[it.c])
		if m.dontKnow[it.c] && rand.IntN(8) == 0 {
			v = dontKnow
		}
		k := key{p.n, it}
		l.attempt(k, v)
		// The request is not tied to ctx: stopping the load must not
		// cancel a request in flight, which would blur what was acked.
		seq, status, err := e.put(context.Background(), p, it, v)
		switch {
		case err == nil:
			l.ack(k, v, seq)
		case status != 0:
			l.fails.Add(1)
			l.bad.Add(1)
			l.badMsg.Store(err.Error())
		default:
			l.fails.Add(1)
			return // no answer: the server is gone
		}
		if pause > 0 {
			time.Sleep(rand.N(pause))
		}
	}
}

// load runs every participant's rating loop until ctx ends; wait returns
// when all have stopped.
func (e *env) load(ctx context.Context, ps []*participant, m meta, l *ledger, pause time.Duration) (wait func()) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Go(func() { e.rate(ctx, p, m, l, pause) })
	}
	return wg.Wait
}

// waitAcks waits until the ledger has n more acknowledgements than from,
// or the server died, or a minute passed.
func waitAcks(l *ledger, from, n int64) {
	for deadline := time.Now().Add(time.Minute); l.acks.Load() < from+n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

// stored reads every participant's ratings back through the API, by
// participant number.
func (e *env) stored(t *testing.T, ps []*participant) map[int]map[item]int {
	t.Helper()
	got := make([]map[item]int, len(ps))
	errs := make(chan error, len(ps))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			w, err := e.workshop(p)
			if err != nil {
				errs <- err
				return
			}
			m := map[item]int{}
			for _, r := range w.Ratings {
				v := dontKnow
				if r.Value != nil {
					v = *r.Value
				}
				m[item{r.ScenarioID, r.CriterionID}] = v
			}
			got[i] = m
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("reading ratings back: %v", err)
	}
	byN := map[int]map[item]int{}
	for i, p := range ps {
		byN[p.n] = got[i]
	}
	return byN
}

// verify reads every participant's ratings back through the API and checks
// them against the ledger: each acknowledged rating is present with its
// acknowledged value or a value sent after it; nothing is stored that no
// one sent. It returns the number of ratings checked.
func (e *env) verify(t *testing.T, ps []*participant, l *ledger) int {
	t.Helper()
	byN := e.stored(t, ps)
	l.mu.Lock()
	defer l.mu.Unlock()
	var problems []string
	checked := 0
	for _, p := range ps {
		for it, v := range byN[p.n] {
			k := key{p.n, it}
			if a, ok := l.acked[k]; !(ok && a == v) && !slices.Contains(l.pending[k], v) {
				problems = append(problems, fmt.Sprintf("participant %d item %v: stored %d, acknowledged %d (%v), sent since %v", p.n, it, v, a, ok, l.pending[k]))
			}
		}
	}
	for k, v := range l.acked {
		checked++
		if _, ok := byN[k.p][k.it]; !ok {
			problems = append(problems, fmt.Sprintf("participant %d item %v: acknowledged %d, missing", k.p, k.it, v))
		}
	}
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("… and %d more", len(problems)-20))
		}
		t.Fatalf("%d acknowledged ratings checked; lost or wrong:\n%s", checked, strings.Join(problems, "\n"))
	}
	return checked
}

// results is the part of the results API the tests read.
type results struct {
	Round  int   `json:"round"`
	Seq    int64 `json:"seq"`
	Joined int   `json:"joined"`
	Items  []struct {
		N        int64 `json:"n"`
		DontKnow int64 `json:"dont_know"`
	} `json:"items"`
}

func (e *env) results(fac *http.Client) (results, error) {
	var r results
	resp, err := fac.Get(e.base + "/api/v1/workshops/" + e.code + "/results")
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return r, fmt.Errorf("results: status %d", resp.StatusCode)
	}
	return r, json.NewDecoder(resp.Body).Decode(&r)
}

// ratingsCount is the number of ratings in the current round by the
// results API: numeric ones plus "don't know".
func (r results) ratingsCount() int64 {
	var n int64
	for _, it := range r.Items {
		n += it.N + it.DontKnow
	}
	return n
}

// sseEvent is one server-sent event.
type sseEvent struct {
	name string
	data string
}

// readEvent reads the next event with a name or data; comments and
// retry-only blocks are skipped.
func readEvent(br *bufio.Reader) (sseEvent, error) {
	var ev sseEvent
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return ev, err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.name != "" || len(data) > 0 {
				ev.data = strings.Join(data, "\n")
				return ev, nil
			}
		case strings.HasPrefix(line, "event:"):
			ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
}
