package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// load is one run of the generator.
type load struct {
	cfg config
	log io.Writer

	// The servers; the facilitator's requests go to the first.
	targets []*target

	facCookie string     // facilitator session, "" without one
	rooms     []*room    // the workshops; the first is --code
	items     []itemInfo // the items of every room (the first room's IDs)

	parts []*participant
	model *model
	rng   *rand.Rand // used by the schedulers' goroutine only

	streams    sync.WaitGroup // participant and projector streams
	streamStop context.CancelFunc
	connected  atomic.Int64 // participant streams open now
	projectors []*projector

	joins, pages, connect          *recorder
	joinErrs, pageErrs, streamErrs *counter
	server, self                   *sampler
	logOffsets                     []int64 // size of each --server-log when the run began
}

// apiWorkshop is the part of GET /api/v1/workshops/{code} that we need.
type apiWorkshop struct {
	Code      string `json:"code"`
	State     string `json:"state"`
	Round     int    `json:"round"`
	Scenarios []struct {
		ID int64 `json:"id"`
	} `json:"scenarios"`
	Criteria []struct {
		ID       int64 `json:"id"`
		Min      int   `json:"min"`
		Max      int   `json:"max"`
		Step     int   `json:"step"`
		DontKnow bool  `json:"dont_know"`
	} `json:"criteria"`
}

// itemInfo is one scenario x criterion with its scale.
type itemInfo struct {
	scenario, criterion int64
	min, max, step      int
	dontKnow            bool
}

// apiResults is the part of the results API the check compares.
type apiResults struct {
	Round  int   `json:"round"`
	Seq    int64 `json:"seq"`
	Joined int   `json:"joined"`
	Rated  int   `json:"rated"`
	Items  []struct {
		ScenarioID  int64            `json:"scenario_id"`
		CriterionID int64            `json:"criterion_id"`
		N           int64            `json:"n"`
		DontKnow    int64            `json:"dont_know"`
		Histogram   map[string]int64 `json:"histogram"`
	} `json:"items"`
}

func newLoad(cfg config, log io.Writer) (*load, error) {
	ld := &load{
		cfg:        cfg,
		log:        log,
		rng:        rand.New(rand.NewPCG(cfg.seed, 0x5eed)),
		joins:      newRecorder(),
		pages:      newRecorder(),
		connect:    newRecorder(),
		joinErrs:   newCounter(),
		pageErrs:   newCounter(),
		streamErrs: newCounter(),
	}
	ld.setupTargets()
	for _, f := range cfg.logFiles {
		ld.logOffsets = append(ld.logOffsets, logSize(f))
	}
	ld.server = newSampler(cfg.pids, cfg.debugURLs)
	ld.self = newSampler([]int{os.Getpid()}, nil)
	return ld, nil
}

func (ld *load) close() {
	if ld.streamStop != nil {
		ld.streamStop()
	}
	ld.server.stop()
	ld.self.stop()
	ld.closeClients()
}

func (ld *load) logf(format string, args ...any) {
	fmt.Fprintf(ld.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
}

// run performs the whole run and returns the report; a report may come
// with an error when the run was cut short.
func (ld *load) run(ctx context.Context) (*Report, error) {
	cfg := ld.cfg
	rep := &Report{Start: time.Now().UTC(), Machine: machine(), Config: cfg.summary()}
	if err := ld.signIn(ctx); err != nil {
		return nil, err
	}
	if err := ld.setupRooms(ctx); err != nil {
		return nil, err
	}
	for _, rm := range ld.rooms {
		if ld.facCookie != "" && cfg.visibility != "" {
			if err := ld.setVisibility(ctx, rm, cfg.visibility); err != nil {
				return nil, err
			}
		}
		if ld.facCookie != "" {
			b, err := ld.results(ctx, rm)
			if err != nil {
				return nil, fmt.Errorf("results of %s before the run: %w", rm.code, err)
			}
			rm.baseline = &b
		}
		if cfg.db != "" {
			var err error
			if rm.dbBaseline, err = ld.readStored(ctx, rm); err != nil {
				return nil, fmt.Errorf("--db: %w", err)
			}
		}
	}
	ld.server.start(time.Second)
	ld.self.start(time.Second)
	mark := func(name string, freeMem bool) { ld.server.mark(name, freeMem); ld.self.mark(name, false) }
	mark("before", true)

	streamCtx, stopStreams := context.WithCancel(context.WithoutCancel(ctx))
	ld.streamStop = stopStreams
	ld.watchProjectors(streamCtx)

	// Joins: a storm at --join-rate, each participant opening its stream.
	ld.logf("joining %d participants at %.0f/s", cfg.participants, cfg.joinRate)
	joinStart := time.Now()
	ld.joinAll(ctx, streamCtx)
	joinWall := time.Since(joinStart)
	mark("joined", false)
	ld.logf("joined %d of %d in %v; waiting for their streams", ld.joinedCount(), cfg.participants, joinWall.Round(time.Millisecond))
	ld.settleStreams(ctx)
	// Idle keep-alive connections of the joins would count as participants'
	// memory: close them, and let the server notice, before reading it.
	ld.closeClients()
	time.Sleep(2 * time.Second)
	mark("connected", true)
	rep.Joins = ld.joinReport(joinWall)
	rep.Streams = ld.streamReport()
	ld.logf("%d of %d participant streams connected", ld.connected.Load(), ld.joinedCount())

	// Ratings: the main phase, then the saturation steps.
	ld.model = newModel(len(ld.parts), len(ld.items))
	phases := []float64{cfg.rate}
	phases = append(phases, cfg.steps...)
	for i, rate := range phases {
		if ctx.Err() != nil || ld.joinedCount() == 0 {
			break
		}
		d := cfg.duration
		name := "main"
		if i > 0 {
			d = cfg.stepDuration
			name = fmt.Sprintf("step %d", i)
		}
		if rate == 0 || d == 0 {
			continue
		}
		ld.logf("rating at %.0f/s for %v (%s)", rate, d, name)
		ph := ld.ratePhase(ctx, name, rate, d)
		rep.Phases = append(rep.Phases, ph)
		ld.logf("%s: %d sent, %d acknowledged, p99 %.1f ms, vote-to-screen p50 %.0f ms", name, ph.Sent, ph.OK, ph.Latency.P99, ph.VoteToScreen.P50)
	}
	mark("rated", false)

	// The check, while the streams are still open (the results come from
	// the same live tallies the screens show).
	rep.Rooms, rep.Check = ld.checkRooms(context.WithoutCancel(ctx))

	stopStreams()
	ld.streams.Wait()
	ld.closeClients()
	time.Sleep(2 * time.Second)
	mark("after", true)
	ld.server.stop()
	ld.self.stop()
	rep.Streams.Projectors = ld.projectorReport()
	rep.Servers = ld.serverReports()
	rep.Server = ld.server.report(ld.joinedCount())
	rep.Generator = ld.self.report(0)
	if len(cfg.logFiles) > 0 {
		rep.ServerLog = scanLogs(cfg.logFiles, ld.logOffsets)
	}
	rep.Saturation = saturation(rep.Phases)
	if cfg.floor > 0 {
		ld.logf("measuring the SQLite floor for %v", cfg.floor)
		f, err := measureFloor(ctx, cfg.floorDir, cfg.floor)
		if err != nil {
			rep.Floor = &FloorReport{Error: err.Error()}
		} else {
			rep.Floor = &f
		}
	}
	rep.End = time.Now().UTC()
	return rep, ctx.Err()
}

// signIn gets the facilitator's session from --session or by signing in.
func (ld *load) signIn(ctx context.Context) error {
	cfg := ld.cfg
	if cfg.session != "" {
		ld.facCookie = cfg.session
		if !containsRune(ld.facCookie, '=') {
			ld.facCookie = "fs_session=" + ld.facCookie
		}
		return nil
	}
	if cfg.email == "" {
		return nil
	}
	form := url.Values{"email": {cfg.email}, "password": {cfg.password}}.Encode()
	resp, err := ld.targets[0].do(ctx, 0, "POST", "/login", "", "application/x-www-form-urlencoded", []byte(form))
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	ld.facCookie = cookieNamed(resp.header, "fs_session")
	if resp.status != http.StatusSeeOther || ld.facCookie == "" {
		return fmt.Errorf("sign in as %s: status %d; check --email and --password", cfg.email, resp.status)
	}
	return nil
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// getJSON reads an API answer of the first server.
func (ld *load) getJSON(ctx context.Context, path string, cookie string, v any) error {
	resp, err := ld.targets[0].do(ctx, 0, "GET", path, cookie, "", nil)
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return fmt.Errorf("GET %s: status %d: %.200s", path, resp.status, resp.body)
	}
	return json.Unmarshal(resp.body, v)
}

// loadWorkshop reads a room's items: as the facilitator, or else as a
// first participant who joins for it (and then stays in the room).
func (ld *load) loadWorkshop(ctx context.Context, rm *room) error {
	cookie := ld.facCookie
	if cookie == "" {
		resp, err := ld.targets[0].do(ctx, 0, "POST", "/j/"+rm.code, "", "application/x-www-form-urlencoded", nil)
		if err != nil {
			return fmt.Errorf("join %s: %w", rm.code, err)
		}
		if cookie = cookieNamed(resp.header, "fs_participant"); cookie == "" {
			return fmt.Errorf("join %s: status %d: is the code right and the workshop open?", rm.code, resp.status)
		}
	}
	if err := ld.getJSON(ctx, "/api/v1/workshops/"+rm.code, cookie, &rm.ws); err != nil {
		return fmt.Errorf("read the workshop %s: %w", rm.code, err)
	}
	if rm.ws.State != "open" {
		return fmt.Errorf("workshop %s is %q: open its round first", rm.code, rm.ws.State)
	}
	for _, s := range rm.ws.Scenarios {
		for _, c := range rm.ws.Criteria {
			rm.items = append(rm.items, itemInfo{scenario: s.ID, criterion: c.ID, min: c.Min, max: c.Max, step: max(1, c.Step), dontKnow: c.DontKnow})
		}
	}
	if len(rm.items) == 0 {
		return fmt.Errorf("the workshop %s has nothing to rate", rm.code)
	}
	return nil
}

// setVisibility sets who sees a room's results, so participants' streams
// carry them.
func (ld *load) setVisibility(ctx context.Context, rm *room, vis string) error {
	body, _ := json.Marshal(map[string]string{"visibility": vis})
	resp, err := ld.targets[0].do(ctx, 0, "PUT", "/api/v1/workshops/"+rm.code+"/settings", ld.facCookie, "application/json", body)
	if err != nil {
		return err
	}
	if resp.status != http.StatusOK {
		return fmt.Errorf("set visibility %q of %s: status %d: %.200s", vis, rm.code, resp.status, resp.body)
	}
	return nil
}

// results reads a room's current round's results as the facilitator.
func (ld *load) results(ctx context.Context, rm *room) (apiResults, error) {
	var r apiResults
	err := ld.getJSON(ctx, "/api/v1/workshops/"+rm.code+"/results", ld.facCookie, &r)
	return r, err
}

// machine describes where the generator runs.
func machine() MachineInfo {
	m := MachineInfo{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(string(b), "MemTotal: %d kB", &kb)
		m.MemoryMiB = kb / 1024
	}
	return m
}

// serverReports are the counts of what each server was sent.
func (ld *load) serverReports() []ServerReport {
	out := make([]ServerReport, 0, len(ld.targets))
	for _, t := range ld.targets {
		out = append(out, ServerReport{
			URL:           t.base.String(),
			Joins:         t.joins.Load(),
			JoinsFailed:   t.joinsFailed.Load(),
			Ratings:       t.ratings.Load(),
			RatingsFailed: t.ratingsFailed.Load(),
		})
	}
	return out
}
