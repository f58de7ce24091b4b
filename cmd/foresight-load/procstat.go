package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is Linux's USER_HZ, the unit of /proc/PID/stat's times; it is
// 100 on every architecture Go supports.
const clockTicks = 100

// ProcSample is one reading of a process: from /proc/PID and, when the
// server publishes them, from its expvar endpoint.
type ProcSample struct {
	At         time.Time `json:"at"`
	Mark       string    `json:"mark,omitempty"`
	CPUSeconds float64   `json:"cpu_seconds"` // user + system since start
	RSSBytes   int64     `json:"rss_bytes"`
	HWMBytes   int64     `json:"rss_peak_bytes"`
	Threads    int       `json:"threads"`
	FDs        int       `json:"open_files,omitempty"`
	Goroutines int       `json:"goroutines,omitempty"` // 0: not published
	Mem        *MemStats `json:"memstats,omitempty"`
}

// MemStats is the part of runtime.MemStats the report uses.
type MemStats struct {
	HeapAlloc    uint64 `json:"HeapAlloc"`
	HeapInuse    uint64 `json:"HeapInuse"`
	HeapSys      uint64 `json:"HeapSys"`
	StackInuse   uint64 `json:"StackInuse"`
	Sys          uint64 `json:"Sys"`
	NumGC        uint32 `json:"NumGC"`
	PauseTotalNs uint64 `json:"PauseTotalNs"`
}

// readProc reads /proc/PID/stat and /proc/PID/status.
func readProc(pid int) (ProcSample, error) {
	s := ProcSample{At: time.Now()}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The command name may hold spaces and parentheses: fields count from
	// the last ')'. After it: state(3) ... utime(14) stime(15).
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return s, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	s.CPUSeconds = float64(utime+stime) / clockTicks
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "VmRSS":
			s.RSSBytes = kB(v)
		case "VmHWM":
			s.HWMBytes = kB(v)
		case "Threads":
			s.Threads, _ = strconv.Atoi(v)
		}
	}
	return s, nil
}

func kB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	return n * 1024
}

// sampler reads processes every interval in the background, and at marks.
// With several processes (servers sharing one database) a sample is their
// sum.
type sampler struct {
	pids      []int
	debugURLs []string
	client    *http.Client

	mu      sync.Mutex
	samples []ProcSample
	marks   []ProcSample
	stopc   chan struct{}
	done    chan struct{}
}

func newSampler(pids []int, debugURLs []string) *sampler {
	return &sampler{pids: pids, debugURLs: debugURLs, client: &http.Client{Timeout: 3 * time.Second}}
}

func (s *sampler) enabled() bool { return len(s.pids) > 0 || len(s.debugURLs) > 0 }

// read takes one sample; withFDs also counts open files (slow with ten
// thousand of them, so only at marks).
func (s *sampler) read(withFDs bool) ProcSample {
	smp := ProcSample{At: time.Now()}
	for _, pid := range s.pids {
		if p, err := readProc(pid); err == nil {
			smp.CPUSeconds += p.CPUSeconds
			smp.RSSBytes += p.RSSBytes
			smp.HWMBytes += p.HWMBytes
			smp.Threads += p.Threads
		}
		if withFDs {
			if ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
				smp.FDs += len(ents)
			}
		}
	}
	for _, u := range s.debugURLs {
		var v struct {
			Goroutines int       `json:"goroutines"`
			Mem        *MemStats `json:"memstats"`
		}
		resp, err := s.client.Get(u)
		if err != nil {
			continue
		}
		if resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&v) == nil {
			smp.Goroutines += v.Goroutines
			smp.Mem = smp.Mem.plus(v.Mem)
		}
		resp.Body.Close()
	}
	return smp
}

// plus adds b to m; either may be nil (not published).
func (m *MemStats) plus(b *MemStats) *MemStats {
	if m == nil {
		return b
	}
	if b == nil {
		return m
	}
	return &MemStats{
		HeapAlloc: m.HeapAlloc + b.HeapAlloc, HeapInuse: m.HeapInuse + b.HeapInuse, HeapSys: m.HeapSys + b.HeapSys,
		StackInuse: m.StackInuse + b.StackInuse, Sys: m.Sys + b.Sys, NumGC: m.NumGC + b.NumGC, PauseTotalNs: m.PauseTotalNs + b.PauseTotalNs,
	}
}

func (s *sampler) start(every time.Duration) {
	if !s.enabled() {
		return
	}
	stopc, done := make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.stopc, s.done = stopc, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stopc: // the goroutine's own copy: stop() clears s.stopc
				return
			case <-t.C:
				smp := s.read(false)
				s.mu.Lock()
				s.samples = append(s.samples, smp)
				s.mu.Unlock()
			}
		}
	}()
}

func (s *sampler) stop() {
	s.mu.Lock()
	c := s.stopc
	s.stopc = nil
	s.mu.Unlock()
	if c != nil {
		close(c)
		<-s.done
	}
}

// mark takes a named sample now. With freeMem, and a server that has the
// debug endpoints, it first asks the server to collect garbage and return
// free memory to the system, so RSS and heap show what is in use (the
// facilitator's sign-in alone leaves 64 MiB of argon2id garbage).
func (s *sampler) mark(name string, freeMem bool) ProcSample {
	if !s.enabled() {
		return ProcSample{At: time.Now(), Mark: name}
	}
	if freeMem {
		for _, u := range s.debugURLs {
			if resp, err := s.client.Post(strings.TrimSuffix(u, "/debug/vars")+"/debug/freeosmemory", "", nil); err == nil {
				resp.Body.Close()
			}
		}
	}
	smp := s.read(true)
	smp.Mark = name
	s.mu.Lock()
	s.samples = append(s.samples, smp)
	s.marks = append(s.marks, smp)
	s.mu.Unlock()
	return smp
}

func (s *sampler) between(t0, t1 time.Time, f func(ProcSample)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, smp := range s.samples {
		if !smp.At.Before(t0) && !smp.At.After(t1) {
			f(smp)
		}
	}
}

func (s *sampler) peakRSS(t0, t1 time.Time) int64 {
	var m int64
	s.between(t0, t1, func(p ProcSample) { m = max(m, p.RSSBytes) })
	return m
}

func (s *sampler) peakGoroutines(t0, t1 time.Time) int {
	var m int
	s.between(t0, t1, func(p ProcSample) { m = max(m, p.Goroutines) })
	return m
}

func (s *sampler) markNamed(name string) (ProcSample, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.marks {
		if m.Mark == name {
			return m, true
		}
	}
	return ProcSample{}, false
}

// report sums the process up. With participants > 0 it works out the
// memory each connected participant costs: the growth from "before" (no
// participant of this run) to "connected" (all joined, streams open),
// divided by their number.
func (s *sampler) report(participants int) *ProcReport {
	if !s.enabled() {
		return nil
	}
	s.mu.Lock()
	r := &ProcReport{PIDs: s.pids, Marks: append([]ProcSample(nil), s.marks...)}
	for _, smp := range s.samples {
		r.PeakRSSBytes = max(r.PeakRSSBytes, smp.RSSBytes, smp.HWMBytes)
		r.PeakGoroutines = max(r.PeakGoroutines, smp.Goroutines)
	}
	s.mu.Unlock()
	before, ok1 := s.markNamed("before")
	conn, ok2 := s.markNamed("connected")
	if participants > 0 && ok1 && ok2 {
		n := float64(participants)
		pp := &PerParticipant{RSSBytes: float64(conn.RSSBytes-before.RSSBytes) / n}
		if conn.Goroutines > 0 && before.Goroutines > 0 {
			pp.Goroutines = float64(conn.Goroutines-before.Goroutines) / n
		}
		if conn.FDs > 0 {
			pp.OpenFiles = float64(conn.FDs-before.FDs) / n
		}
		if conn.Mem != nil && before.Mem != nil {
			pp.HeapInuseBytes = (float64(conn.Mem.HeapInuse) - float64(before.Mem.HeapInuse)) / n
			pp.StackInuseBytes = (float64(conn.Mem.StackInuse) - float64(before.Mem.StackInuse)) / n
		}
		r.PerParticipant = pp
	}
	return r
}
