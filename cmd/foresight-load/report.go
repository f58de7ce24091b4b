package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything a run measured; --json writes it as is.
type Report struct {
	Start      time.Time         `json:"start"`
	End        time.Time         `json:"end"`
	Machine    MachineInfo       `json:"machine"`
	Config     map[string]any    `json:"config"`
	Servers    []ServerReport    `json:"servers"`
	Rooms      []RoomReport      `json:"rooms"`
	Joins      JoinReport        `json:"joins"`
	Streams    StreamReport      `json:"streams"`
	Phases     []PhaseReport     `json:"rating_phases"`
	Saturation *SaturationReport `json:"saturation,omitempty"`
	Floor      *FloorReport      `json:"floor,omitempty"`
	Server     *ProcReport       `json:"server,omitempty"`
	Generator  *ProcReport       `json:"generator,omitempty"`
	ServerLog  *LogReport        `json:"server_log,omitempty"`
	Check      CheckReport       `json:"check"`
}

type MachineInfo struct {
	CPU       string `json:"cpu"`
	CPUs      int    `json:"cpus"`
	MemoryMiB int64  `json:"memory_mib"`
	GoVersion string `json:"go"`
	OS        string `json:"os"`
}

// ServerReport is what one server was sent, so that an uneven spread or a
// dead server shows. Failed joins did not give a participant; failed
// ratings were not acknowledged (errors, no answer).
type ServerReport struct {
	URL           string `json:"url"`
	Joins         int64  `json:"joins"`
	JoinsFailed   int64  `json:"joins_failed"`
	Ratings       int64  `json:"ratings"`
	RatingsFailed int64  `json:"ratings_failed"`
}

type JoinReport struct {
	Attempted int            `json:"attempted"`
	OK        int            `json:"ok"`
	Errors    map[string]int `json:"errors"`
	Latency   Summary        `json:"latency"`
	WallS     float64        `json:"wall_s"`
	PerSecond float64        `json:"per_second"`
	Page      *PageReport    `json:"page,omitempty"`
}

type PageReport struct {
	OK      int            `json:"ok"`
	Errors  map[string]int `json:"errors"`
	Latency Summary        `json:"latency"`
}

type StreamReport struct {
	Participants int               `json:"participants"`
	Connected    int               `json:"connected"`
	FirstEvent   Summary           `json:"first_event"` // from the start of a participant's stream
	Reconnects   int               `json:"reconnects"`
	Errors       map[string]int    `json:"errors"`
	Projectors   []ProjectorReport `json:"projectors"`
}

type ProjectorReport struct {
	Server string `json:"server"`
	Path   string `json:"path"`
	Events int64  `json:"events"`
	Bytes  int64  `json:"bytes"`
	Errors int    `json:"errors"`
}

type PhaseReport struct {
	Name                string         `json:"name"`
	TargetRate          float64        `json:"target_per_second"`
	AchievedRate        float64        `json:"acknowledged_per_second"`
	DurationS           float64        `json:"duration_s"`
	Sent                int            `json:"sent"`
	OK                  int            `json:"ok"`
	Skipped             int            `json:"skipped_generator_backlog"`
	Errors              map[string]int `json:"errors"`
	Latency             Summary        `json:"latency"`       // intended send to ack (after COMMIT)
	SchedulerLag        Summary        `json:"scheduler_lag"` // intended send to actual send
	VoteToScreen        Summary        `json:"vote_to_screen"`
	NotOnScreen         int            `json:"not_on_screen"`
	ParticipantEvents   CountSummary   `json:"participant_events"`
	ProjectorEvents     []int64        `json:"projector_events"`
	ServerCPUS          float64        `json:"server_cpu_s"`
	ServerCPUPercent    float64        `json:"server_cpu_percent"`
	GeneratorCPUS       float64        `json:"generator_cpu_s"`
	GeneratorCPUPercent float64        `json:"generator_cpu_percent"`
	ServerPeakRSS       int64          `json:"server_peak_rss_bytes"`
	ServerMaxGorou      int            `json:"server_peak_goroutines"`
	Rooms               []RoomPhase    `json:"rooms,omitempty"` // with --rooms N > 1: each room's figures
}

type SaturationReport struct {
	// The highest target rate up to which every phase held: p99 <= 100 ms,
	// no errors and at least 95 % of the target acknowledged; 0 if the
	// slowest phase did not.
	Rate float64 `json:"rate"`
}

type FloorReport struct {
	Rows          int     `json:"rows,omitempty"`
	RowsPerSecond float64 `json:"rows_per_second,omitempty"`
	Commit        Summary `json:"commit"`
	Pragmas       string  `json:"pragmas,omitempty"`
	Dir           string  `json:"dir,omitempty"`
	Error         string  `json:"error,omitempty"`
}

type ProcReport struct {
	PIDs           []int           `json:"pids"`
	Marks          []ProcSample    `json:"marks"`
	PeakRSSBytes   int64           `json:"peak_rss_bytes"`
	PeakGoroutines int             `json:"peak_goroutines,omitempty"`
	PerParticipant *PerParticipant `json:"per_participant,omitempty"`
}

// PerParticipant is what one connected participant costs the server.
type PerParticipant struct {
	RSSBytes        float64 `json:"rss_bytes"`
	HeapInuseBytes  float64 `json:"heap_inuse_bytes,omitempty"`
	StackInuseBytes float64 `json:"stack_inuse_bytes,omitempty"`
	Goroutines      float64 `json:"goroutines,omitempty"`
	OpenFiles       float64 `json:"open_files,omitempty"`
}

type LogReport struct {
	Lines          int `json:"lines"`
	DatabaseLocked int `json:"database_locked"`
	Errors         int `json:"errors"`
	Status5xx      int `json:"status_5xx"`
}

type CheckReport struct {
	OK           bool     `json:"ok"`
	Skipped      string   `json:"skipped,omitempty"`
	Items        int      `json:"items"`
	Acknowledged int      `json:"acknowledged_cells"` // participant x item with an acknowledged rating
	Unknown      int      `json:"unknown_cells"`      // with a request that got no answer
	Joined       int      `json:"joined"`
	JoinedWant   string   `json:"joined_want"`
	Disk         string   `json:"disk,omitempty"`
	Problems     []string `json:"problems,omitempty"`
}

func (c config) summary() map[string]any {
	return map[string]any{
		"servers": c.baseStrings(), "code": c.code, "rooms": c.rooms, "participants": c.participants, "join_rate": c.joinRate,
		"rate": c.rate, "saturate": c.steps, "duration": c.duration.String(), "step_duration": c.stepDuration.String(),
		"change": c.change, "dont_know": c.dontKnow, "page": c.page, "visibility": c.visibility,
		"projectors": c.projectors, "html_projectors": c.htmlProjectors, "sources": c.sources, "conns": c.conns,
		"timeout": c.timeout.String(), "seed": c.seed, "floor": c.floor.String(),
	}
}

func (c config) baseStrings() []string {
	out := make([]string, len(c.bases))
	for i, u := range c.bases {
		out[i] = u.String()
	}
	return out
}

// saturation picks the highest rate that met the latency target.
func saturation(phases []PhaseReport) *SaturationReport {
	if len(phases) < 2 {
		return nil
	}
	// A rate counts only if every phase at it and at every lower rate
	// held: one lucky phase at a rate where another failed says nothing.
	failed := math.Inf(1) // the lowest rate at which a phase did not hold
	for _, ph := range phases {
		if !(ph.OK > 0 && ph.Latency.P99 <= 100 && len(ph.Errors) == 0 && ph.Skipped == 0 && ph.AchievedRate >= 0.95*ph.TargetRate) {
			failed = min(failed, ph.TargetRate)
		}
	}
	s := &SaturationReport{}
	for _, ph := range phases {
		if ph.TargetRate < failed {
			s.Rate = max(s.Rate, ph.TargetRate)
		}
	}
	return s
}

// scanLogs sums scanLog over the servers' logs; nil when none could be read.
func scanLogs(paths []string, offsets []int64) *LogReport {
	var sum *LogReport
	for i, path := range paths {
		r := scanLog(path, offsets[i])
		if r == nil {
			continue
		}
		if sum == nil {
			sum = &LogReport{}
		}
		sum.Lines += r.Lines
		sum.DatabaseLocked += r.DatabaseLocked
		sum.Errors += r.Errors
		sum.Status5xx += r.Status5xx
	}
	return sum
}

// pidText names the processes a report sums.
func pidText(pids []int) string {
	if len(pids) == 1 {
		return fmt.Sprintf("pid %d", pids[0])
	}
	parts := make([]string, len(pids))
	for i, p := range pids {
		parts[i] = strconv.Itoa(p)
	}
	if len(pids) == 0 {
		return "no pid"
	}
	return "pids " + strings.Join(parts, "+") + ", summed"
}

// scanLog counts, in what the server logged since offset, "database is
// locked", error lines and 5xx answers.
func scanLog(path string, offset int64) *LogReport {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil
	}
	r := &LogReport{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		r.Lines++
		if strings.Contains(line, "database is locked") {
			r.DatabaseLocked++
		}
		if strings.Contains(line, "level=ERROR") {
			r.Errors++
		}
		if strings.Contains(line, " status=5") {
			r.Status5xx++
		}
	}
	return r
}

func logSize(path string) int64 {
	if fi, err := os.Stat(path); err == nil {
		return fi.Size()
	}
	return 0
}

func (r *Report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func errText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func lat(s Summary) string {
	if s.Count == 0 {
		return "n/a"
	}
	return fmt.Sprintf("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", s.P50, s.P90, s.P99, s.Max, s.Count)
}

// print writes the report as a table for people.
func (r *Report) print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "\nForesight load run, %s, %v\n", r.Start.Format(time.RFC3339), r.End.Sub(r.Start).Round(time.Second))
	fmt.Fprintf(w, "machine: %d CPUs (%s), %d MiB, %s %s; server and generator on the same machine\n", m.CPUs, m.CPU, m.MemoryMiB, m.GoVersion, m.OS)
	if len(r.Rooms) > 1 {
		codes := make([]string, len(r.Rooms))
		for i, rm := range r.Rooms {
			codes[i] = rm.Code
		}
		fmt.Fprintf(w, "%d workshops (%s): %v participants in all, joins at %v/s\n\n", len(r.Rooms), strings.Join(codes, " "), r.Config["participants"], r.Config["join_rate"])
	} else {
		fmt.Fprintf(w, "workshop %v: %v participants, joins at %v/s\n\n", r.Config["code"], r.Config["participants"], r.Config["join_rate"])
	}
	for i, sv := range r.Servers {
		heading := "SERVERS"
		if i > 0 {
			heading = ""
		}
		fmt.Fprintf(w, "%-10s %s: %d joins (%d failed), %d ratings (%d failed)\n", heading, sv.URL, sv.Joins, sv.JoinsFailed, sv.Ratings, sv.RatingsFailed)
	}

	j := r.Joins
	fmt.Fprintf(w, "\nJOINS      %d of %d in %.1f s (%.0f/s); errors: %s\n", j.OK, j.Attempted, j.WallS, j.PerSecond, errText(j.Errors))
	fmt.Fprintf(w, "           latency (POST /j/{code} to 303): %s\n", lat(j.Latency))
	if j.Page != nil {
		fmt.Fprintf(w, "           page GET /w/{code}: %s; errors: %s\n", lat(j.Page.Latency), errText(j.Page.Errors))
	}
	s := r.Streams
	fmt.Fprintf(w, "STREAMS    %d of %d participant streams connected; reconnects %d; errors: %s\n", s.Connected, s.Participants, s.Reconnects, errText(s.Errors))
	fmt.Fprintf(w, "           first event after the stream opened: %s\n", lat(s.FirstEvent))
	for _, p := range s.Projectors {
		fmt.Fprintf(w, "           projector %s on %s: %d events, %s, %d errors\n", p.Path, p.Server, p.Events, mib(p.Bytes), p.Errors)
	}
	for _, ph := range r.Phases {
		fmt.Fprintf(w, "\nRATINGS    %s: target %.0f/s for %.1f s, acknowledged %.0f/s\n", ph.Name, ph.TargetRate, ph.DurationS, ph.AchievedRate)
		fmt.Fprintf(w, "           sent %d, 2xx %d, skipped (generator backlog) %d; errors: %s\n", ph.Sent, ph.OK, ph.Skipped, errText(ph.Errors))
		fmt.Fprintf(w, "           latency to ack after COMMIT: %s\n", lat(ph.Latency))
		fmt.Fprintf(w, "           scheduler lag (generator health): p99 %.1f ms, max %.1f ms\n", ph.SchedulerLag.P99, ph.SchedulerLag.Max)
		fmt.Fprintf(w, "           vote to projector: %s; not on screen by the end: %d\n", lat(ph.VoteToScreen), ph.NotOnScreen)
		pe := ph.ParticipantEvents
		fmt.Fprintf(w, "           SSE events per participant: min %d, median %d, max %d; per projector: %v\n", pe.Min, pe.P50, pe.Max, ph.ProjectorEvents)
		if r.Server != nil {
			fmt.Fprintf(w, "           server CPU %.1f s (%.0f%% of one core), peak RSS %s", ph.ServerCPUS, ph.ServerCPUPercent, mib(ph.ServerPeakRSS))
			if ph.ServerMaxGorou > 0 {
				fmt.Fprintf(w, ", peak goroutines %d", ph.ServerMaxGorou)
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "           generator CPU %.1f s (%.0f%% of one core)\n", ph.GeneratorCPUS, ph.GeneratorCPUPercent)
		if len(ph.Rooms) > 1 {
			ph.printRooms(w)
		}
	}
	if r.Saturation != nil {
		fmt.Fprintf(w, "\nSATURATION highest rate up to which every phase had p99 <= 100 ms and no errors: %.0f/s\n", r.Saturation.Rate)
	}
	if f := r.Floor; f != nil {
		if f.Error != "" {
			fmt.Fprintf(w, "FLOOR      failed: %s\n", f.Error)
		} else {
			fmt.Fprintf(w, "FLOOR      SQLite alone, one transaction per row (%s): %.0f rows/s; commit %s\n", f.Pragmas, f.RowsPerSecond, lat(f.Commit))
		}
	}
	for _, pr := range []struct {
		name string
		p    *ProcReport
	}{{"SERVER", r.Server}, {"GENERATOR", r.Generator}} {
		if pr.p == nil {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s): peak RSS %s\n", pr.name, pidText(pr.p.PIDs), mib(pr.p.PeakRSSBytes))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "mark\tCPU s\tRSS\tthreads\tfiles\tgoroutines\theap in use\tstacks\t")
		for _, mk := range pr.p.Marks {
			g, heap, stack := "n/a", "n/a", "n/a"
			if mk.Goroutines > 0 {
				g = fmt.Sprint(mk.Goroutines)
			}
			if mk.Mem != nil {
				heap, stack = mib(int64(mk.Mem.HeapInuse)), mib(int64(mk.Mem.StackInuse))
			}
			fmt.Fprintf(tw, "%s\t%.2f\t%s\t%d\t%d\t%s\t%s\t%s\t\n", mk.Mark, mk.CPUSeconds, mib(mk.RSSBytes), mk.Threads, mk.FDs, g, heap, stack)
		}
		tw.Flush()
		if pp := pr.p.PerParticipant; pp != nil {
			fmt.Fprintf(w, "per connected participant: %.1f KB RSS", pp.RSSBytes/1000)
			if pp.HeapInuseBytes != 0 || pp.StackInuseBytes != 0 {
				fmt.Fprintf(w, " (heap in use %.1f KB, goroutine stacks %.1f KB)", pp.HeapInuseBytes/1000, pp.StackInuseBytes/1000)
			}
			if pp.Goroutines != 0 {
				fmt.Fprintf(w, ", %.2f goroutines", pp.Goroutines)
			}
			if pp.OpenFiles != 0 {
				fmt.Fprintf(w, ", %.2f open files", pp.OpenFiles)
			}
			fmt.Fprintln(w)
		}
	}
	if l := r.ServerLog; l != nil {
		fmt.Fprintf(w, "\nSERVER LOG %d lines: %d \"database is locked\", %d errors, %d answers 5xx\n", l.Lines, l.DatabaseLocked, l.Errors, l.Status5xx)
	}
	c := r.Check
	fmt.Fprintln(w)
	switch {
	case c.Skipped != "":
		fmt.Fprintf(w, "CHECK      skipped: %s\n", c.Skipped)
	case c.OK:
		fmt.Fprintf(w, "CHECK      ok: %d items, %d participant x item answers acknowledged (%d uncertain), joined %d", c.Items, c.Acknowledged, c.Unknown, c.Joined)
		if c.Disk != "" {
			fmt.Fprintf(w, "; database %s", c.Disk)
		}
		fmt.Fprintln(w)
	default:
		fmt.Fprintf(w, "CHECK      FAILED: %d problems\n", len(c.Problems))
		for i, p := range c.Problems {
			if i == 20 {
				fmt.Fprintf(w, "           ... and %d more\n", len(c.Problems)-20)
				break
			}
			fmt.Fprintf(w, "           %s\n", p)
		}
	}
}

func cpuModel(cpuinfo string) string {
	for _, line := range strings.Split(cpuinfo, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// printRooms writes each room's figures of a phase: its ratings and their
// latency, and vote to projector (p50 / p90 / p99).
func (ph PhaseReport) printRooms(w io.Writer) {
	if worst, ok := worstRoom(ph.Rooms, func(r RoomPhase) Summary { return r.VoteToScreen }); ok {
		fmt.Fprintf(w, "           rooms: the worst vote-to-screen p99 is %s's, %s\n", worst.Code, msText(worst.VoteToScreen.P99))
	}
	if worst, ok := worstRoom(ph.Rooms, func(r RoomPhase) Summary { return r.Latency }); ok {
		fmt.Fprintf(w, "           rooms: the worst rating p99 is %s's, %s\n", worst.Code, msText(worst.Latency.P99))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\troom\tsent\t2xx\terrors\trating p50\tp90\tp99\tvote to screen p50\tp90\tp99\tnot on screen\t")
	for _, rm := range ph.Rooms {
		fmt.Fprintf(tw, "\t%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f\t%d\t\n", rm.Code, rm.Sent, rm.OK, errCount(rm.Errors),
			rm.Latency.P50, rm.Latency.P90, rm.Latency.P99, rm.VoteToScreen.P50, rm.VoteToScreen.P90, rm.VoteToScreen.P99, rm.NotOnScreen)
	}
	tw.Flush()
	fmt.Fprintln(w, "           (milliseconds)")
}

func errCount(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}
