package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/live"
	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

func TestLoopbackURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.9.9.9:80/", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://example.org", false},
		{"http://0.0.0.0:8080", false},
		{"https://127.0.0.1:8443", false}, // the generator speaks plain HTTP
		{"127.0.0.1:8080", false},
	} {
		_, err := loopbackURL(tc.url)
		if got := err == nil; got != tc.ok {
			t.Errorf("loopbackURL(%q): err=%v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}

func TestEventCounterAcrossReads(t *testing.T) {
	stream := "retry: 2000\n\nevent: state\ndata: <p>x</p>\n\n: keep-alive\n\nevent: group\ndata: event: not one\ndata: b\n\nevent:x\n\n"
	// Every split point must give the same count: 3 "event:" lines.
	for cut := 0; cut <= len(stream); cut++ {
		var c eventCounter
		n := c.count([]byte(stream[:cut])) + c.count([]byte(stream[cut:]))
		if n != 3 {
			t.Fatalf("split at %d: %d events, want 3", cut, n)
		}
	}
}

func TestParseSeq(t *testing.T) {
	for _, tc := range []struct {
		data string
		seq  int64
		ok   bool
	}{
		{` {"round":1,"seq":1234,"joined":5}`, 1234, true},
		{`{"joined":5,"items":[],"seq":7}`, 7, true},
		{`{"round":1}`, 0, false},
		{`not json`, 0, false},
	} {
		seq, ok := parseSeq([]byte(tc.data))
		if seq != tc.seq || ok != tc.ok {
			t.Errorf("parseSeq(%s) = %d, %v; want %d, %v", tc.data, seq, ok, tc.seq, tc.ok)
		}
	}
}

func TestSummarizeNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- { // 1..100 ms, unsorted
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	s := summarize(d)
	// Nearest rank: p50 is the 50th value, p99 the 99th.
	if s.Count != 100 || s.P50 != 50 || s.P90 != 90 || s.P99 != 99 || s.Max != 100 || s.Mean != 50.5 {
		t.Fatalf("summary %+v, want count 100, p50 50, p90 90, p99 99, max 100, mean 50.5", s)
	}
	if s := summarize(nil); s.Count != 0 {
		t.Fatalf("empty summary %+v", s)
	}
}

// testLoad is a load with one room of two participants and one 1-5 item.
func testLoad() (*load, *room) {
	rm := &room{code: "ROOM", items: []itemInfo{{scenario: 1, criterion: 2, min: 1, max: 5, step: 1, dontKnow: true}}}
	ld := &load{items: rm.items, rooms: []*room{rm}}
	ld.parts = []*participant{{pos: 0, room: rm}, {pos: 1, room: rm}}
	rm.parts = ld.parts
	ld.model = newModel(2, 1)
	return ld, rm
}

func TestCheckCountsTheLastAcknowledgedAnswer(t *testing.T) {
	ld, rm := testLoad()
	m := ld.model
	// Participant 0 sends 3 then 4; the 4 committed first (seq 5), then
	// the 3 (seq 9): the server holds 3. Participant 1 says "don't know".
	m.sent(rating{0, 0, 3})
	m.sent(rating{0, 0, 4})
	m.ack(rating{0, 0, 4}, 5)
	m.ack(rating{0, 0, 3}, 9)
	m.sent(rating{1, 0, dontKnowValue})
	m.ack(rating{1, 0, dontKnowValue}, 7)
	before := map[itemValue]int64{{0, 5}: 2} // two ratings of 5 were there before the run
	b := ld.bounds(rm, before)
	want := map[itemValue]int64{{0, 5}: 2, {0, 3}: 1, {0, dontKnowValue}: 1}
	if p := ld.compare(rm, b, want, "results"); len(p) != 0 {
		t.Fatalf("exact results refused: %v", p)
	}
	wrong := map[itemValue]int64{{0, 5}: 2, {0, 4}: 1, {0, dontKnowValue}: 1}
	if p := ld.compare(rm, b, wrong, "results"); len(p) != 2 {
		t.Fatalf("the earlier answer counted: %d problems (%v), want 2 (3 missing, 4 extra)", len(p), p)
	}
	twice := map[itemValue]int64{{0, 5}: 2, {0, 3}: 2, {0, dontKnowValue}: 1}
	if p := ld.compare(rm, b, twice, "results"); len(p) == 0 {
		t.Fatal("an answer counted twice was accepted")
	}
}

func TestCheckAllowsEitherOutcomeOfUnansweredRequests(t *testing.T) {
	ld, rm := testLoad()
	m := ld.model
	m.sent(rating{0, 0, 2})
	m.ack(rating{0, 0, 2}, 3)
	m.sent(rating{0, 0, 5})
	m.unsure(rating{0, 0, 5}) // no answer: stored or not
	m.sent(rating{1, 0, 1})
	m.unsure(rating{1, 0, 1}) // nothing acknowledged: 1 or nothing
	b := ld.bounds(rm, nil)
	for _, got := range []map[itemValue]int64{
		{{0, 2}: 1},
		{{0, 5}: 1},
		{{0, 2}: 1, {0, 1}: 1},
		{{0, 5}: 1, {0, 1}: 1},
	} {
		if p := ld.compare(rm, b, got, "results"); len(p) != 0 {
			t.Errorf("%v refused: %v", got, p)
		}
	}
	for _, got := range []map[itemValue]int64{
		{},                     // participant 0 answered for sure
		{{0, 2}: 1, {0, 5}: 1}, // one answer of participant 0, not two
		{{0, 2}: 1, {0, 3}: 1}, // 3 was never sent
		{{0, 2}: 1, {0, 1}: 2}, // participant 1 once at most
	} {
		if p := ld.compare(rm, b, got, "results"); len(p) == 0 {
			t.Errorf("%v accepted", got)
		}
	}
}

func TestReadProcSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	s, err := readProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.RSSBytes <= 0 || s.Threads <= 0 || s.CPUSeconds < 0 {
		t.Fatalf("implausible sample %+v", s)
	}
}

const testPassword = "a long password for the test"

// newTestWorkshop creates a facilitator and an open workshop in db.
func newTestWorkshop(t *testing.T, db *store.DB) *workshop.Workshop {
	t.Helper()
	ctx := context.Background()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "fac@example.org", testPassword, workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, decks[0], "", true)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// openTestStore opens the database at path (a file or a PostgreSQL URL)
// for the rest of the test.
func openTestStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// serveTestStore serves db over real HTTP, wired as cmd/foresight wires a
// server (its own hub, hearing the store and the other writers), and
// returns its URL.
func serveTestStore(t *testing.T, db *store.DB) string {
	t.Helper()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(db, nil)
	db.Subscribe(hub.Apply)
	db.WatchOtherWriters(slog.New(slog.DiscardHandler))
	t.Cleanup(hub.Close)
	srv, err := fhttp.New(context.Background(), db, hub, decks, fhttp.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.CloseStreams(); hs.Close() })
	return hs.URL
}

// runForReport runs the generator with args and returns its JSON report.
func runForReport(t *testing.T, args ...string) (Report, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), append(args, "--json", out), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep, stdout.String()
}

// TestRunAgainstServer runs the generator end to end against the real
// server on a temporary database: joins, streams, ratings, projector, the
// results check against the API and against the database file.
func TestRunAgainstServer(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run of a few seconds")
	}
	path := filepath.Join(t.TempDir(), "load.db")
	db := openTestStore(t, path)
	w := newTestWorkshop(t, db)
	url := serveTestStore(t, db)

	rep, table := runForReport(t,
		"--url", url, "--code", w.Code, "--email", "fac@example.org", "--password", testPassword,
		"--participants", "20", "--join-rate", "100", "--rate", "100", "--duration", "1s", "--change", "0.3",
		"--drain", "500ms", "--sources", "2", "--pid", "0", "--db", path,
	)
	if rep.Joins.OK != 20 || len(rep.Joins.Errors) != 0 {
		t.Errorf("joins: %d ok, errors %v; want 20, none", rep.Joins.OK, rep.Joins.Errors)
	}
	if rep.Streams.Connected != 20 {
		t.Errorf("%d streams connected, want 20", rep.Streams.Connected)
	}
	if len(rep.Phases) != 1 || rep.Phases[0].Sent != 100 || rep.Phases[0].OK != 100 {
		t.Fatalf("rating phases %+v, want one with 100 sent and acknowledged", rep.Phases)
	}
	if rep.Phases[0].VoteToScreen.Count != 100 {
		t.Errorf("vote to screen measured for %d ratings, want 100", rep.Phases[0].VoteToScreen.Count)
	}
	if !rep.Check.OK || rep.Check.Disk != "ok" || rep.Check.Joined != 20 {
		t.Errorf("check %+v, want ok with the database file and 20 joined", rep.Check)
	}
	if want := []ServerReport{{URL: url, Joins: 20, Ratings: 100}}; !slices.Equal(rep.Servers, want) {
		t.Errorf("servers %+v, want %+v", rep.Servers, want)
	}
	if !strings.Contains(table, "CHECK      ok") {
		t.Errorf("the table lacks the check:\n%s", table)
	}
}

// TestRunAgainstTwoServers drives two servers on one PostgreSQL database,
// as behind a load balancer: both get joins and ratings, the per-server
// counts add up to the totals, a projector on each server sees every
// rating (half of them sent to the other server), and the check passes.
func TestRunAgainstTwoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run of a few seconds")
	}
	cluster := pgtest.Need(t)
	dbURL, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	a, b := openTestStore(t, dbURL), openTestStore(t, dbURL)
	w := newTestWorkshop(t, a)
	urlA, urlB := serveTestStore(t, a), serveTestStore(t, b)

	rep, table := runForReport(t,
		"--base", urlA, "--base", urlB, "--code", w.Code, "--email", "fac@example.org", "--password", testPassword,
		"--participants", "20", "--join-rate", "100", "--rate", "100", "--duration", "1s", "--change", "0.3",
		"--drain", "500ms", "--sources", "2", "--projectors", "2", "--db", dbURL,
	)
	if len(rep.Servers) != 2 || rep.Servers[0].URL != urlA || rep.Servers[1].URL != urlB {
		t.Fatalf("servers %+v, want %s and %s", rep.Servers, urlA, urlB)
	}
	var joins, joined, ratings, acked int64
	for _, sv := range rep.Servers {
		if sv.Joins == 0 || sv.Ratings == 0 {
			t.Errorf("server %s got %d joins and %d ratings, want some of each", sv.URL, sv.Joins, sv.Ratings)
		}
		joins += sv.Joins
		joined += sv.Joins - sv.JoinsFailed
		ratings += sv.Ratings
		acked += sv.Ratings - sv.RatingsFailed
	}
	if len(rep.Phases) != 1 {
		t.Fatalf("rating phases %+v, want one", rep.Phases)
	}
	ph := rep.Phases[0]
	if joins != int64(rep.Joins.Attempted) || joined != int64(rep.Joins.OK) || ratings != int64(ph.Sent) || acked != int64(ph.OK) {
		t.Errorf("per server: %d joins (%d joined), %d ratings (%d acknowledged); in all: %d joins (%d joined), %d ratings (%d acknowledged)",
			joins, joined, ratings, acked, rep.Joins.Attempted, rep.Joins.OK, ph.Sent, ph.OK)
	}
	if rep.Joins.OK != 20 || ph.OK != 100 {
		t.Errorf("%d joined and %d ratings acknowledged, want 20 and 100", rep.Joins.OK, ph.OK)
	}
	var watched []string
	for _, pr := range rep.Streams.Projectors {
		watched = append(watched, pr.Server)
	}
	if want := []string{urlA, urlB, urlA}; !slices.Equal(watched, want) {
		t.Errorf("projectors watched %v, want %v", watched, want)
	}
	// Each of the two JSON projectors saw each rating: those of its own
	// server and those relayed from the other.
	if ph.VoteToScreen.Count != 2*ph.OK || ph.NotOnScreen != 0 {
		t.Errorf("vote to screen measured for %d ratings, %d not on screen; want %d and 0", ph.VoteToScreen.Count, ph.NotOnScreen, 2*ph.OK)
	}
	if !rep.Check.OK || rep.Check.Disk != "ok" || rep.Check.Joined != 20 {
		t.Errorf("check %+v, want ok with the database and 20 joined", rep.Check)
	}
	if !strings.Contains(table, "SERVERS    "+urlA) || !strings.Contains(table, "CHECK      ok") {
		t.Errorf("the table lacks the servers or the check:\n%s", table)
	}
}

// Participant i goes to server i mod n, and each server sees every source
// address.
func TestParticipantsSpreadOverServersAndSources(t *testing.T) {
	cfg, err := parseFlags([]string{"--code", "abcd-efgh", "--base", "http://127.0.0.1:1", "--url", "http://127.0.0.1:2", "--sources", "2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ld := &load{cfg: cfg}
	ld.setupTargets()
	sources := map[*target]map[int]bool{}
	for i := range 8 {
		p := ld.newParticipant(i)
		if p.server != ld.targets[i%2] {
			t.Errorf("participant %d on %s, want %s", i, p.server.base, ld.targets[i%2].base)
		}
		if sources[p.server] == nil {
			sources[p.server] = map[int]bool{}
		}
		sources[p.server][p.src] = true
	}
	for _, tg := range ld.targets {
		if len(sources[tg]) != 2 {
			t.Errorf("server %s saw sources %v, want both", tg.base, sources[tg])
		}
	}
	if ld.targets[1].dialAddr != "127.0.0.1:2" || ld.targets[1].hostHeader != "127.0.0.1:2" {
		t.Errorf("the second server dials %s with Host %s", ld.targets[1].dialAddr, ld.targets[1].hostHeader)
	}
}

func TestBaseFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"http://127.0.0.1:8080"}},
		{[]string{"--url", "http://127.0.0.1:9000/"}, []string{"http://127.0.0.1:9000"}},
		{[]string{"--base", "http://127.0.0.1:1", "--base", "http://localhost:2"}, []string{"http://127.0.0.1:1", "http://localhost:2"}},
	} {
		cfg, err := parseFlags(append([]string{"--code", "ABCDEFGH"}, tc.args...), io.Discard)
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		if got := cfg.baseStrings(); !slices.Equal(got, tc.want) {
			t.Errorf("%v: servers %v, want %v", tc.args, got, tc.want)
		}
	}
	if _, err := parseFlags([]string{"--code", "ABCDEFGH", "--base", "http://127.0.0.1:1", "--base", "http://10.0.0.1:2"}, io.Discard); err == nil {
		t.Error("a server off loopback was accepted")
	}
}

func TestFeasibleNeedsOneAnswerPerParticipant(t *testing.T) {
	// Participant A may have left 1 or 2, participant B 2 or nothing.
	unsure := map[string]*unsureGroup{
		"a": {vals: []int32{1, 2}, n: 1},
		"b": {vals: []int32{noValue, 2}, n: 1},
	}
	certain := map[int32]int64{3: 4}
	for _, tc := range []struct {
		got  map[int32]int64
		want bool
	}{
		{map[int32]int64{3: 4, 2: 2}, true},        // A 2, B 2
		{map[int32]int64{3: 4, 1: 1}, true},        // A 1, B nothing
		{map[int32]int64{3: 4, 1: 1, 2: 1}, true},  // A 1, B 2
		{map[int32]int64{3: 4, 2: 1}, true},        // A 2, B nothing
		{map[int32]int64{3: 4}, false},             // A answered for sure
		{map[int32]int64{3: 4, 1: 1, 2: 2}, false}, // each bar within bounds, three answers from two people
		{map[int32]int64{3: 3, 1: 1, 2: 1}, false}, // a certain answer lost
	} {
		if got := feasible(certain, unsure, tc.got); got != tc.want {
			t.Errorf("feasible(%v) = %v, want %v", tc.got, got, tc.want)
		}
	}
}

// The saturation rate is the highest rate up to which every phase held:
// a phase that held at a rate where another failed does not count.
func TestSaturation(t *testing.T) {
	phase := func(rate, p99 float64) PhaseReport {
		return PhaseReport{TargetRate: rate, AchievedRate: rate, OK: 100, Latency: Summary{P99: p99}}
	}
	for _, tc := range []struct {
		name   string
		phases []PhaseReport
		want   float64
	}{
		{"all held", []PhaseReport{phase(2000, 30), phase(250, 8), phase(1000, 20)}, 2000},
		{"a later phase at the same rate failed", []PhaseReport{phase(2000, 33), phase(250, 8), phase(1500, 25), phase(2000, 179), phase(3000, 520)}, 1500},
		{"a lower rate failed", []PhaseReport{phase(250, 8), phase(500, 150), phase(1000, 20)}, 250},
		{"none held", []PhaseReport{phase(2000, 336), phase(250, 120)}, 0},
	} {
		if got := saturation(tc.phases).Rate; got != tc.want {
			t.Errorf("%s: %v/s, want %v/s", tc.name, got, tc.want)
		}
	}
	slow := phase(250, 8)
	slow.AchievedRate = 200 // fell behind
	if got := saturation([]PhaseReport{slow, phase(500, 9)}).Rate; got != 0 {
		t.Errorf("a phase that fell behind its rate counted: %v/s", got)
	}
}

// With several servers, --pid, --debug-url and --server-log repeat and the
// report sums them.
func TestServerProcessesAreSummed(t *testing.T) {
	cfg, err := parseFlags([]string{"--code", "ABCDEFGH", "--pid", "11", "--pid", "0", "--pid", "12",
		"--debug-url", "http://127.0.0.1:1/debug/vars", "--debug-url", "http://127.0.0.1:2/debug/vars",
		"--server-log", "a.log", "--server-log", "b.log"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.pids, []int{11, 12}) || len(cfg.debugURLs) != 2 || !slices.Equal(cfg.logFiles, []string{"a.log", "b.log"}) {
		t.Errorf("pids %v, debug URLs %v, logs %v", cfg.pids, cfg.debugURLs, cfg.logFiles)
	}
	if _, err := parseFlags([]string{"--code", "ABCDEFGH", "--debug-url", "http://10.0.0.1:1/debug/vars"}, io.Discard); err == nil {
		t.Error("a debug endpoint off loopback was accepted")
	}
	if got := pidText([]int{11, 12}); got != "pids 11+12, summed" {
		t.Errorf("pidText = %q", got)
	}

	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	os.WriteFile(a, []byte("old line level=ERROR\n"), 0o600)
	offA := logSize(a)
	os.WriteFile(a, []byte("old line level=ERROR\nlevel=ERROR msg=x\nstatus=200\n"), 0o600)
	os.WriteFile(b, []byte("database is locked\nmsg=y status=503\n"), 0o600)
	got := scanLogs([]string{a, b, filepath.Join(dir, "missing.log")}, []int64{offA, 0, 0})
	want := LogReport{Lines: 4, DatabaseLocked: 1, Errors: 1, Status5xx: 1}
	if got == nil || *got != want {
		t.Errorf("scanLogs = %+v, want %+v", got, want)
	}

	sum := (&MemStats{HeapInuse: 1, StackInuse: 2}).plus(&MemStats{HeapInuse: 10, StackInuse: 20})
	if sum.HeapInuse != 11 || sum.StackInuse != 22 {
		t.Errorf("MemStats sum %+v", sum)
	}
	if (*MemStats)(nil).plus(nil) != nil {
		t.Error("two unpublished MemStats summed to something")
	}
	self := newSampler([]int{os.Getpid()}, nil).read(true)
	twice := newSampler([]int{os.Getpid(), os.Getpid()}, nil).read(true)
	if self.RSSBytes == 0 || twice.RSSBytes < self.RSSBytes*3/2 || twice.FDs < 2*self.FDs-4 {
		t.Errorf("one process %+v, the same process twice %+v: not summed", self, twice)
	}
}

// TestRunManyRooms runs the generator with --rooms 3 against a real
// server: it copies the workshop twice and opens the copies, spreads the
// participants over the three, watches a projector in each, reports each
// room's figures, and checks each room's results and stored ratings.
func TestRunManyRooms(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run of a few seconds")
	}
	path := filepath.Join(t.TempDir(), "rooms.db")
	db := openTestStore(t, path)
	w := newTestWorkshop(t, db)
	url := serveTestStore(t, db)

	rep, table := runForReport(t,
		"--url", url, "--code", w.Code, "--email", "fac@example.org", "--password", testPassword, "--rooms", "3",
		"--participants", "21", "--join-rate", "100", "--rate", "90", "--duration", "1s", "--change", "0.3",
		"--drain", "500ms", "--sources", "2", "--db", path,
	)
	checkRooms(t, rep, table, 3, 7, 90, 1)
	if rep.Rooms[0].Code != w.Code {
		t.Errorf("the first room is %s, want --code %s", rep.Rooms[0].Code, w.Code)
	}
	// The copies are real workshops of the same facilitator, open.
	ctx := context.Background()
	for _, rm := range rep.Rooms[1:] {
		cw, err := db.WorkshopByCode(ctx, rm.Code)
		if err != nil {
			t.Fatalf("room %s: %v", rm.Code, err)
		}
		if cw.State != workshop.StateOpen || cw.CopiedFrom != w.Code {
			t.Errorf("room %s is %s, copied from %q; want open, copied from %s", rm.Code, cw.State, cw.CopiedFrom, w.Code)
		}
	}
}

// TestRunManyRoomsOnTwoServers: with two servers on one PostgreSQL
// database, every room's participants are spread over both servers and
// each room's projector on each server sees all of that room's ratings.
func TestRunManyRoomsOnTwoServers(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run of a few seconds")
	}
	cluster := pgtest.Need(t)
	dbURL, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	a, b := openTestStore(t, dbURL), openTestStore(t, dbURL)
	w := newTestWorkshop(t, a)
	urlA, urlB := serveTestStore(t, a), serveTestStore(t, b)

	rep, table := runForReport(t,
		"--base", urlA, "--base", urlB, "--code", w.Code, "--email", "fac@example.org", "--password", testPassword, "--rooms", "2",
		"--participants", "20", "--join-rate", "100", "--rate", "100", "--duration", "1s", "--change", "0.3",
		"--drain", "500ms", "--sources", "2", "--projectors", "2", "--html-projectors", "2", "--db", dbURL,
	)
	checkRooms(t, rep, table, 2, 10, 100, 2)
	for _, sv := range rep.Servers {
		if sv.Joins != 10 {
			t.Errorf("server %s got %d joins, want 10: five of each room", sv.URL, sv.Joins)
		}
	}
}

// checkRooms checks a report of a run over n rooms of perRoom
// participants each, with sent ratings in all and jsonProjectors JSON
// projectors per room.
func checkRooms(t *testing.T, rep Report, table string, n, perRoom, sent, jsonProjectors int) {
	t.Helper()
	if len(rep.Rooms) != n {
		t.Fatalf("%d rooms in the report, want %d", len(rep.Rooms), n)
	}
	codes := map[string]bool{}
	for _, rm := range rep.Rooms {
		codes[rm.Code] = true
		if rm.Attempted != perRoom || rm.Joined != perRoom || !rm.Check.OK || rm.Check.Disk != "ok" || rm.Check.Joined != perRoom {
			t.Errorf("room %+v, want %d joined and its check ok, the database's too", rm, perRoom)
		}
	}
	if len(codes) != n {
		t.Errorf("room codes %v are not %d different workshops", codes, n)
	}
	if len(rep.Phases) != 1 {
		t.Fatalf("rating phases %+v, want one", rep.Phases)
	}
	ph := rep.Phases[0]
	if ph.Sent != sent || ph.OK != sent || len(ph.Rooms) != n {
		t.Fatalf("phase: %d sent, %d acknowledged, %d rooms; want %d, %d, %d", ph.Sent, ph.OK, len(ph.Rooms), sent, sent, n)
	}
	var roomSent, roomOK, roomSeen int
	for i, rp := range ph.Rooms {
		if rp.Code != rep.Rooms[i].Code {
			t.Errorf("phase room %d is %s, want %s", i, rp.Code, rep.Rooms[i].Code)
		}
		if rp.OK == 0 || rp.Latency.Count != rp.OK || rp.Latency.P99 <= 0 || rp.VoteToScreen.Count != jsonProjectors*rp.OK || rp.NotOnScreen != 0 {
			t.Errorf("room %s: %d acknowledged, latency %+v, vote to screen %+v, %d not on screen; want every rating on each of its %d screens",
				rp.Code, rp.OK, rp.Latency, rp.VoteToScreen, rp.NotOnScreen, jsonProjectors)
		}
		roomSent, roomOK, roomSeen = roomSent+rp.Sent, roomOK+rp.OK, roomSeen+rp.VoteToScreen.Count
	}
	if roomSent != ph.Sent || roomOK != ph.OK || roomSeen != ph.VoteToScreen.Count {
		t.Errorf("the rooms add up to %d sent, %d acknowledged, %d on screen; the phase says %d, %d, %d",
			roomSent, roomOK, roomSeen, ph.Sent, ph.OK, ph.VoteToScreen.Count)
	}
	if !rep.Check.OK || rep.Check.Joined != n*perRoom || rep.Check.Disk != "ok" {
		t.Errorf("overall check %+v, want ok with %d joined", rep.Check, n*perRoom)
	}
	// Each room has its projectors: one JSON and one HTML stream per
	// projector flag, all on its own workshop.
	perCode := map[string]int{}
	for _, pr := range rep.Streams.Projectors {
		for code := range codes {
			if strings.Contains(pr.Path, "/"+code+"/") {
				perCode[code]++
			}
		}
	}
	for code := range codes {
		if perCode[code] != 2*jsonProjectors {
			t.Errorf("room %s has %d projector streams, want %d", code, perCode[code], 2*jsonProjectors)
		}
	}
	for _, want := range []string{"CHECK      ok", "rooms: the worst vote-to-screen p99", "vote to screen p50"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
}

// With N rooms, participant i joins room i mod N, and each room's
// participants take the servers in turn.
func TestParticipantsSpreadOverRoomsAndServers(t *testing.T) {
	cfg, err := parseFlags([]string{"--code", "ABCDEFGH", "--rooms", "2", "--base", "http://127.0.0.1:1", "--base", "http://127.0.0.1:2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ld := &load{cfg: cfg, rooms: []*room{{idx: 0}, {idx: 1}}}
	ld.setupTargets()
	perRoomServer := map[[2]int]int{}
	for i := range 8 {
		p := ld.newParticipant(i)
		if p.room != ld.rooms[i%2] {
			t.Errorf("participant %d in room %d, want %d", i, p.room.idx, i%2)
		}
		s := slices.Index(ld.targets, p.server)
		perRoomServer[[2]int{p.room.idx, s}]++
	}
	for rm := range 2 {
		for s := range 2 {
			if got := perRoomServer[[2]int{rm, s}]; got != 2 {
				t.Errorf("room %d on server %d: %d participants, want 2", rm, s, got)
			}
		}
	}
	for _, bad := range [][]string{{"--rooms", "0"}, {"--rooms", "5", "--participants", "4"}} {
		if _, err := parseFlags(append([]string{"--code", "ABCDEFGH"}, bad...), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
