package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// rating is one scheduled send: participant p rates item it with value v
// (dontKnowValue for "don't know").
type rating struct {
	p, it int
	v     int32
}

// schedTick is how often the open-loop scheduler wakes; it sends every
// rating that fell due since, each stamped with its intended time.
const schedTick = 2 * time.Millisecond

// ratePhase sends ratings at rate per second for d, never waiting for
// answers to send the next (open loop), then waits for the answers and
// --drain for the screens. Latency counts from the intended send time, so a
// slow server cannot hide its delay by slowing the generator down.
func (ld *load) ratePhase(ctx context.Context, name string, rate float64, d time.Duration) PhaseReport {
	total := int(rate * d.Seconds())
	lat, lag, errs := newRecorder(), newRecorder(), newCounter()
	var unanswered atomic.Int64 // the first few are logged with their cause
	rps := newRoomPhases(len(ld.rooms))
	var (
		acksMu   sync.Mutex
		inflight atomic.Int64
		skipped  int
		wg       sync.WaitGroup
	)
	for _, p := range ld.parts {
		p.eventsAt = p.events.Load()
	}
	projAt := make([]int64, len(ld.projectors))
	for i, pr := range ld.projectors {
		pr.mu.Lock()
		projAt[i] = pr.events
		pr.mu.Unlock()
	}
	s0, g0 := ld.server.mark(name+" start", false), ld.self.mark(name+" start", false)
	send := func(r rating, intended time.Time) {
		defer inflight.Add(-1)
		p := ld.parts[r.p]
		it, rp := p.room.items[r.it], rps[p.room.idx]
		rp.sent.Add(1)
		value := "null"
		if r.v != dontKnowValue {
			value = fmt.Sprint(r.v)
		}
		body := fmt.Appendf(nil, `{"scenario_id":%d,"criterion_id":%d,"value":%s}`, it.scenario, it.criterion, value)
		// In-flight ratings finish even after an interrupt: the model of
		// what the server holds must know how each one ended.
		p.server.ratings.Add(1)
		resp, err := p.server.do(context.WithoutCancel(ctx), p.src, "PUT", "/api/v1/workshops/"+p.room.code+"/ratings", p.cookie, "application/json", body)
		now := time.Now()
		if err != nil {
			p.server.ratingsFailed.Add(1)
			errs.add(statusClass(0, err))
			rp.errs.add(statusClass(0, err))
			ld.model.unsure(r) // it may have been stored
			if unanswered.Add(1) <= 5 {
				ld.logf("%s: a rating got no answer: %v", name, err)
			}
			return
		}
		if resp.status != http.StatusOK {
			p.server.ratingsFailed.Add(1)
			errs.add(statusClass(resp.status, nil)) // nothing is stored when a request fails
			rp.errs.add(statusClass(resp.status, nil))
			return
		}
		var ack struct {
			Seq int64 `json:"seq"`
		}
		if json.Unmarshal(resp.body, &ack) != nil || ack.Seq == 0 {
			p.server.ratingsFailed.Add(1)
			errs.add("bad ack")
			rp.errs.add("bad ack")
			ld.model.unsure(r)
			return
		}
		lat.add(now.Sub(intended))
		rp.lat.add(now.Sub(intended))
		ld.model.ack(r, ack.Seq)
		acksMu.Lock()
		rp.acks = append(rp.acks, seqAt{now, ack.Seq})
		acksMu.Unlock()
	}

	start := time.Now()
	tick := time.NewTicker(schedTick)
	sent := 0
loop:
	for sent < total {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
		}
		due := min(total, int(time.Since(start).Seconds()*rate)+1)
		for ; sent < due; sent++ {
			intended := start.Add(time.Duration(float64(sent) / rate * float64(time.Second)))
			lag.add(time.Since(intended))
			if inflight.Load() >= int64(ld.cfg.maxInflight) {
				skipped++
				continue
			}
			r := ld.nextRating()
			inflight.Add(1)
			wg.Go(func() { send(r, intended) })
		}
	}
	tick.Stop()
	sendWall := time.Since(start)
	wg.Wait() // bounded: every request has --timeout
	answered := time.Since(start)
	sleepCtx(ctx, ld.cfg.drain)
	s1, g1 := ld.server.mark(name+" end", false), ld.self.mark(name+" end", false)

	var vts []time.Duration
	unseen := 0
	var rooms []RoomPhase
	for i, rm := range ld.rooms {
		rp := rps[i]
		v, u := rm.voteToScreen(rp.acks)
		rooms = append(rooms, RoomPhase{Code: rm.code, Sent: int(rp.sent.Load()), OK: rp.lat.count(), Errors: rp.errs.snapshot(),
			Latency: rp.lat.summary(), VoteToScreen: summarize(v), NotOnScreen: u})
		vts, unseen = append(vts, v...), unseen+u
	}
	ph := PhaseReport{
		Name:           name,
		TargetRate:     rate,
		DurationS:      sendWall.Seconds(),
		Sent:           sent - skipped,
		OK:             lat.count(),
		Skipped:        skipped,
		Errors:         errs.snapshot(),
		Latency:        lat.summary(),
		SchedulerLag:   lag.summary(),
		VoteToScreen:   summarize(vts),
		NotOnScreen:    unseen,
		ServerCPUS:     s1.CPUSeconds - s0.CPUSeconds,
		GeneratorCPUS:  g1.CPUSeconds - g0.CPUSeconds,
		ServerPeakRSS:  ld.server.peakRSS(s0.At, s1.At),
		ServerMaxGorou: ld.server.peakGoroutines(s0.At, s1.At),
	}
	if len(rooms) > 1 {
		ph.Rooms = rooms
	}
	if answered > 0 {
		ph.AchievedRate = float64(ph.OK) / answered.Seconds()
	}
	if w := s1.At.Sub(s0.At).Seconds(); w > 0 {
		ph.ServerCPUPercent = 100 * ph.ServerCPUS / w
		ph.GeneratorCPUPercent = 100 * ph.GeneratorCPUS / w
	}
	evs := make([]int64, 0, len(ld.parts))
	for _, p := range ld.parts {
		evs = append(evs, p.events.Load()-p.eventsAt)
	}
	ph.ParticipantEvents = countSummary(evs)
	for i, pr := range ld.projectors {
		pr.mu.Lock()
		ph.ProjectorEvents = append(ph.ProjectorEvents, pr.events-projAt[i])
		pr.mu.Unlock()
	}
	return ph
}

// nextRating picks the next rating: most are a participant's first rating
// of an item (participant after participant, each moving through the
// items), a --change fraction changes an earlier one to a different value.
// Only the scheduler calls it.
func (ld *load) nextRating() rating {
	n, items := len(ld.parts), len(ld.items)
	first := n * items
	m := ld.model
	if m.firsts < first && (m.firsts == 0 || ld.rng.Float64() >= ld.cfg.change) {
		k := m.firsts
		m.firsts++
		p := k % n
		it := (k/n + p) % items
		r := rating{p: p, it: it, v: ld.value(it, noValue)}
		m.sent(r)
		return r
	}
	k := ld.rng.IntN(m.firsts)
	p := k % n
	it := (k/n + p) % items
	r := rating{p: p, it: it, v: ld.value(it, m.last(p, it))}
	m.sent(r)
	return r
}

// value draws an answer for item it that differs from not.
func (ld *load) value(it int, not int32) int32 {
	info := ld.items[it]
	points := (info.max-info.min)/info.step + 1
	for range 20 {
		var v int32
		if info.dontKnow && ld.rng.Float64() < ld.cfg.dontKnow {
			v = dontKnowValue
		} else {
			v = int32(info.min + info.step*ld.rng.IntN(points))
		}
		if v != not {
			return v
		}
	}
	return int32(info.min)
}

// countSummary is the minimum, median and maximum of counts.
func countSummary(c []int64) CountSummary {
	if len(c) == 0 {
		return CountSummary{}
	}
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	var sum int64
	for _, x := range c {
		sum += x
	}
	return CountSummary{Min: c[0], P50: c[len(c)/2], Max: c[len(c)-1], Total: sum}
}
