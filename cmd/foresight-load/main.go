// Command foresight-load drives running Foresight servers over real HTTP,
// the way a room of phones does: participants join through /j/{code} with
// their own cookies, keep the participant page's live stream open and rate
// every scenario on every criterion at a target aggregate rate (open loop:
// sends are scheduled by the clock and never wait for answers). Projector
// streams are watched to measure how long a vote takes to reach the screen.
// Several servers that share one database can be driven at once, as behind a
// load balancer: each participant sticks to one of them.
// At the end it checks that the server counted every acknowledged rating
// exactly once, prints a table and, with --json, writes the numbers.
//
// It talks to loopback servers only, and every loop ends by itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const usage = `foresight-load: a load generator for running Foresight servers (loopback only).

Usage:
  foresight-load --code CODE (--email EMAIL --password PW | --session COOKIE) [--base URL]... [flags]

The workshop must be open. With --rooms N the generator copies it N-1 times
and opens the copies; participant i joins room i mod N. Given several --base
servers (which share one database), the participants of each room are spread
over them in turn (with one room: participant i on server i mod n), and
projector stream j of each room watches server j mod n; the facilitator signs in, changes
the settings and reads the results on the first. With facilitator credentials the generator also
watches the projector streams (vote-to-screen latency), reads the results at
the start and the end, and checks that every acknowledged rating was counted.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if errors.Is(err, errCheckFailed) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "foresight-load:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	bases    []*url.URL // the servers; participants are spread over them
	code     string
	session  string
	email    string
	password string

	participants int
	rooms        int // workshops: the first is --code, the others copies of it
	joinRate     float64
	rate         float64
	steps        []float64 // saturation: further rating phases at these rates
	duration     time.Duration
	stepDuration time.Duration
	change       float64
	dontKnow     float64
	page         bool
	visibility   string

	projectors     int
	htmlProjectors int

	// The server processes, their expvar endpoints and their log files;
	// with several servers the report sums them.
	pids      []int
	debugURLs []string
	logFiles  []string

	sources     int
	conns       int
	maxInflight int
	timeout     time.Duration
	settle      time.Duration
	drain       time.Duration
	seed        uint64

	db       string
	floor    time.Duration
	floorDir string

	jsonOut string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("foresight-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	var rawBases []string
	addBase := func(s string) error { rawBases = append(rawBases, s); return nil }
	fs.Func("base", "a server to drive, repeatable: participants are spread over them (loopback addresses only; default http://127.0.0.1:8080)", addBase)
	fs.Func("url", "the same as one --base (kept for older scripts)", addBase)
	fs.StringVar(&c.code, "code", "", "join code of an open workshop (required)")
	fs.StringVar(&c.session, "session", "", "a facilitator's session cookie (fs_session=...), instead of --email/--password")
	fs.StringVar(&c.email, "email", "", "facilitator email: signs in for the projector streams and the results check")
	fs.StringVar(&c.password, "password", "", "facilitator password (or FORESIGHT_LOAD_PASSWORD)")
	fs.IntVar(&c.participants, "participants", 100, "participants who join and keep a live stream open, all rooms together")
	fs.IntVar(&c.rooms, "rooms", 1, "workshops at once: --code and copies of it that the generator makes and opens (as the facilitator); participant i joins room i mod N, each room has its own projectors and check")
	fs.Float64Var(&c.joinRate, "join-rate", 200, "joins per second (open loop)")
	fs.Float64Var(&c.rate, "rate", 200, "ratings per second, all participants together (open loop)")
	rates := fs.String("saturate", "", "comma-separated further rating rates, each run for --step-duration after the main phase, to find the highest rate with p99 <= 100 ms (e.g. 500,1000,2000,3000)")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "length of the main rating phase")
	fs.DurationVar(&c.stepDuration, "step-duration", 15*time.Second, "length of each --saturate step")
	fs.Float64Var(&c.change, "change", 0.1, "fraction of ratings that change an earlier rating of the same participant")
	fs.Float64Var(&c.dontKnow, "dont-know", 0.05, `fraction of ratings that are "don't know" where the criterion allows it`)
	fs.BoolVar(&c.page, "page", true, "load the participant page after joining, as a browser does")
	fs.StringVar(&c.visibility, "visibility", "live", `set the workshop's visibility first ("live" shows results to every participant; "" leaves it)`)
	fs.IntVar(&c.projectors, "projectors", 1, "JSON result streams watched per room (GET /api/v1/workshops/{code}/events; vote-to-screen latency)")
	fs.IntVar(&c.htmlProjectors, "html-projectors", 1, "HTML projector streams watched per room (GET /workshops/{code}/projector/events)")
	fs.Func("pid", "server process id, repeatable: CPU seconds, RSS and threads from /proc/PID (summed over the servers; 0 is ignored)", func(s string) error {
		pid, err := strconv.Atoi(s)
		if err != nil || pid < 0 {
			return fmt.Errorf("%q is not a process id", s)
		}
		if pid > 0 {
			c.pids = append(c.pids, pid)
		}
		return nil
	})
	fs.Func("debug-url", "a server's expvar endpoint for goroutines and heap, repeatable, e.g. http://127.0.0.1:6060/debug/vars (loopback only; summed)", func(s string) error {
		if _, err := loopbackURL(s); err != nil {
			return err
		}
		c.debugURLs = append(c.debugURLs, s)
		return nil
	})
	fs.Func("server-log", `a server's log file, repeatable: count "database is locked" and error lines written during the run (summed)`, func(s string) error {
		c.logFiles = append(c.logFiles, s)
		return nil
	})
	fs.IntVar(&c.sources, "sources", 4, "number of 127.0.0.x source addresses to spread connections over")
	fs.IntVar(&c.conns, "conns", 512, "connections for joins and ratings to each server, all sources together (streams have their own)")
	fs.IntVar(&c.maxInflight, "max-inflight", 20000, "ratings in flight at most; further sends count as generator backlog and are skipped")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.DurationVar(&c.settle, "settle", 60*time.Second, "how long to wait for every stream to connect after the joins")
	fs.DurationVar(&c.drain, "drain", 3*time.Second, "how long to keep watching after the last send, for late answers and screens")
	seed := fs.Int64("seed", 1, "random seed of who rates what")
	fs.StringVar(&c.db, "db", "", "the servers' database, a file or a postgres:// URL: also count the stored ratings before and after (read-only), so the check covers what is stored")
	fs.DurationVar(&c.floor, "floor", 0, "also measure the SQLite floor for this long: the same rows inserted straight into a temporary database with the same pragmas, one transaction per row")
	fs.StringVar(&c.floorDir, "floor-dir", "", "folder of the floor's temporary database (default: the system's; use the server database's file system)")
	fs.StringVar(&c.jsonOut, "json", "", "write the report as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if len(rawBases) == 0 {
		rawBases = []string{"http://127.0.0.1:8080"}
	}
	for _, raw := range rawBases {
		u, err := loopbackURL(raw)
		if err != nil {
			return c, err
		}
		c.bases = append(c.bases, u)
	}
	c.code = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(c.code), "-", ""))
	if c.code == "" {
		return c, errors.New("--code is required: the join code of an open workshop")
	}
	if c.password == "" {
		c.password = os.Getenv("FORESIGHT_LOAD_PASSWORD")
	}
	if c.email != "" && c.password == "" {
		return c, errors.New("--email needs --password (or FORESIGHT_LOAD_PASSWORD)")
	}
	for _, s := range strings.Split(*rates, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 {
			return c, fmt.Errorf("--saturate: %q is not a rate", s)
		}
		c.steps = append(c.steps, r)
	}
	switch {
	case c.participants < 1:
		return c, errors.New("--participants must be at least 1")
	case c.rooms < 1 || c.rooms > c.participants:
		return c, errors.New("--rooms must be from 1 to --participants")
	case c.joinRate <= 0 || c.rate < 0:
		return c, errors.New("--join-rate must be positive and --rate not negative")
	case c.change < 0 || c.change > 1 || c.dontKnow < 0 || c.dontKnow > 1:
		return c, errors.New("--change and --dont-know are fractions from 0 to 1")
	case c.sources < 1 || c.sources > 250:
		return c, errors.New("--sources must be from 1 to 250")
	case c.conns < 1 || c.maxInflight < 1:
		return c, errors.New("--conns and --max-inflight must be positive")
	case c.duration < 0 || c.duration > 24*time.Hour:
		return c, errors.New("--duration must be from 0 to 24h")
	}
	switch c.visibility {
	case "", "live", "after_reveal", "never":
	default:
		return c, errors.New(`--visibility must be "live", "after_reveal", "never" or ""`)
	}
	c.seed = uint64(*seed)
	return c, nil
}

// loopbackURL parses an http URL and refuses any host that is not this
// machine's loopback: the generator is not a tool to load other people's
// servers.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("%q: give an http URL such as http://127.0.0.1:8080", raw)
	}
	host := u.Hostname()
	if host != "localhost" {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("%q: only loopback servers (127.0.0.0/8, ::1, localhost) may be loaded", raw)
		}
	}
	return u, nil
}

// run is main without the process around it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	files := raiseFileLimit()
	if need := uint64(cfg.participants + len(cfg.bases)*cfg.conns + cfg.rooms*(cfg.projectors+cfg.htmlProjectors) + 64); files < need {
		fmt.Fprintf(stderr, "foresight-load: warning: %d open files allowed, about %d needed\n", files, need)
	}
	ld, err := newLoad(cfg, stderr)
	if err != nil {
		return err
	}
	defer ld.close()
	rep, err := ld.run(ctx)
	if rep != nil {
		rep.print(stdout)
		if cfg.jsonOut != "" {
			if werr := rep.writeJSON(cfg.jsonOut); werr != nil {
				err = errors.Join(err, werr)
			}
		}
		if err == nil && !rep.Check.OK {
			err = errCheckFailed
		}
	}
	return err
}

// errCheckFailed: the run finished but the server's results differ from
// what was acknowledged (exit status 2).
var errCheckFailed = errors.New("the results check failed")

// raiseFileLimit lifts the soft limit of open files to the hard one and
// returns the limit in force.
func raiseFileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}
