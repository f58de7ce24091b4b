package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/live"
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

// testLoad is a load with two participants and one 1-5 item.
func testLoad() *load {
	ld := &load{items: []itemInfo{{scenario: 1, criterion: 2, min: 1, max: 5, step: 1, dontKnow: true}}}
	ld.parts = []*participant{{}, {}}
	ld.model = newModel(2, 1)
	return ld
}

func TestCheckCountsTheLastAcknowledgedAnswer(t *testing.T) {
	ld := testLoad()
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
	b := ld.bounds(before)
	want := map[itemValue]int64{{0, 5}: 2, {0, 3}: 1, {0, dontKnowValue}: 1}
	if p := ld.compare(b, want, "results"); len(p) != 0 {
		t.Fatalf("exact results refused: %v", p)
	}
	wrong := map[itemValue]int64{{0, 5}: 2, {0, 4}: 1, {0, dontKnowValue}: 1}
	if p := ld.compare(b, wrong, "results"); len(p) != 2 {
		t.Fatalf("the earlier answer counted: %d problems (%v), want 2 (3 missing, 4 extra)", len(p), p)
	}
	twice := map[itemValue]int64{{0, 5}: 2, {0, 3}: 2, {0, dontKnowValue}: 1}
	if p := ld.compare(b, twice, "results"); len(p) == 0 {
		t.Fatal("an answer counted twice was accepted")
	}
}

func TestCheckAllowsEitherOutcomeOfUnansweredRequests(t *testing.T) {
	ld := testLoad()
	m := ld.model
	m.sent(rating{0, 0, 2})
	m.ack(rating{0, 0, 2}, 3)
	m.sent(rating{0, 0, 5})
	m.unsure(rating{0, 0, 5}) // no answer: stored or not
	m.sent(rating{1, 0, 1})
	m.unsure(rating{1, 0, 1}) // nothing acknowledged: 1 or nothing
	b := ld.bounds(nil)
	for _, got := range []map[itemValue]int64{
		{{0, 2}: 1},
		{{0, 5}: 1},
		{{0, 2}: 1, {0, 1}: 1},
		{{0, 5}: 1, {0, 1}: 1},
	} {
		if p := ld.compare(b, got, "results"); len(p) != 0 {
			t.Errorf("%v refused: %v", got, p)
		}
	}
	for _, got := range []map[itemValue]int64{
		{},                     // participant 0 answered for sure
		{{0, 2}: 1, {0, 5}: 1}, // one answer of participant 0, not two
		{{0, 2}: 1, {0, 3}: 1}, // 3 was never sent
		{{0, 2}: 1, {0, 1}: 2}, // participant 1 once at most
	} {
		if p := ld.compare(b, got, "results"); len(p) == 0 {
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

// TestRunAgainstServer runs the generator end to end against the real
// server on a temporary database: joins, streams, ratings, projector, the
// results check against the API and against the database file.
func TestRunAgainstServer(t *testing.T) {
	if testing.Short() {
		t.Skip("a load run of a few seconds")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "load.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	const password = "a long password for the test"
	u, err := db.CreateUser(ctx, "fac@example.org", password, workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, decks[0], "", true)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(db, nil)
	db.Subscribe(hub.Apply) // as cmd wires it
	t.Cleanup(hub.Close)
	srv, err := fhttp.New(ctx, db, hub, decks, fhttp.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { srv.CloseStreams(); hs.Close() })

	out := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{
		"--url", hs.URL, "--code", w.Code, "--email", "fac@example.org", "--password", password,
		"--participants", "20", "--join-rate", "100", "--rate", "100", "--duration", "1s", "--change", "0.3",
		"--drain", "500ms", "--sources", "2", "--pid", "0", "--db", path, "--json", out,
	}, &stdout, &stderr)
	if err != nil {
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
	if !strings.Contains(stdout.String(), "CHECK      ok") {
		t.Errorf("the table lacks the check:\n%s", stdout.String())
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
