package main

import (
	"math"
	"slices"
	"sync"
	"time"
)

// recorder keeps every latency it is given; percentiles come from the
// sorted list, exactly. A run of 10,000 participants and a few hundred
// thousand ratings fits in a few megabytes.
type recorder struct {
	mu sync.Mutex
	d  []time.Duration
}

func newRecorder() *recorder { return &recorder{} }

func (r *recorder) add(d time.Duration) {
	r.mu.Lock()
	r.d = append(r.d, d)
	r.mu.Unlock()
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.d)
}

func (r *recorder) summary() Summary {
	r.mu.Lock()
	d := slices.Clone(r.d)
	r.mu.Unlock()
	return summarize(d)
}

// Summary describes a set of latencies in milliseconds.
type Summary struct {
	Count int     `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// summarize sorts d in place. Percentiles are nearest-rank: the smallest
// value with at least p of the values at or below it.
func summarize(d []time.Duration) Summary {
	if len(d) == 0 {
		return Summary{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return Summary{
		Count: len(d),
		Mean:  ms(sum / time.Duration(len(d))),
		P50:   ms(percentile(d, 0.50)),
		P90:   ms(percentile(d, 0.90)),
		P99:   ms(percentile(d, 0.99)),
		Max:   ms(d[len(d)-1]),
	}
}

// percentile of sorted d, nearest rank.
func percentile(d []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(d)))) - 1
	return d[min(max(i, 0), len(d)-1)]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }

// counter counts outcomes by name (status codes, "net", "timeout").
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func newCounter() *counter { return &counter{n: map[string]int{}} }

func (c *counter) add(name string) {
	c.mu.Lock()
	c.n[name]++
	c.mu.Unlock()
}

func (c *counter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// CountSummary describes per-client counts.
type CountSummary struct {
	Min   int64 `json:"min"`
	P50   int64 `json:"p50"`
	Max   int64 `json:"max"`
	Total int64 `json:"total"`
}
