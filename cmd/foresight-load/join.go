package main

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// participant is one simulated phone.
type participant struct {
	idx    int
	pos    int     // index in ld.parts (those who joined), and in the model
	room   *room   // the workshop it joins
	server *target // all its requests and its stream go here
	src    int     // source address
	cookie string  // fs_participant=...; set once joined

	events    atomic.Int64 // SSE events received
	bytes     atomic.Int64
	connects  atomic.Int32
	firstSeen atomic.Bool // the stream delivered its first event

	// Snapshots of events at a rating phase's start, taken by the phase.
	eventsAt int64
}

// pace sleeps until the i-th of a series that runs at rate per second from
// start: open loop, the schedule does not wait for answers. It returns the
// intended time, or false when ctx ended.
func pace(ctx context.Context, start time.Time, i int, rate float64) (time.Time, bool) {
	due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
	if d := time.Until(due); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return due, false
		case <-t.C:
		}
	}
	return due, ctx.Err() == nil
}

// newParticipant places participant i in room i mod N and, as a load
// balancer without sticky sessions might, spreads each room's participants
// over the servers in turn (with one room: server i mod n). Its source
// address counts among that server's participants only, so that each
// server sees every source.
func (ld *load) newParticipant(i int) *participant {
	n := len(ld.targets)
	k := i / max(1, len(ld.rooms)) // the participant's place in its room
	t := ld.targets[k%n]
	p := &participant{idx: i, server: t, src: (k / n) % len(t.srcIPs)}
	if len(ld.rooms) > 0 {
		p.room = ld.roomOf(i)
	}
	return p
}

// joinAll lets every participant join at the configured rate; each opens
// its live stream (running under streamCtx) as soon as it has joined. It
// returns when every join has answered.
func (ld *load) joinAll(ctx, streamCtx context.Context) {
	n := ld.cfg.participants
	ld.parts = make([]*participant, n)
	for i := range ld.parts {
		ld.parts[i] = ld.newParticipant(i)
		ld.parts[i].room.attempted++
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i, p := range ld.parts {
		due, ok := pace(ctx, start, i, ld.cfg.joinRate)
		if !ok {
			break
		}
		wg.Go(func() {
			if ld.join(ctx, p, due) {
				ld.streams.Go(func() { ld.participantStream(streamCtx, p) })
			}
		})
	}
	wg.Wait()
	// Participants who did not join take no part in what follows.
	joined := ld.parts[:0]
	for _, p := range ld.parts {
		if p.cookie != "" {
			p.pos = len(joined)
			joined = append(joined, p)
			p.room.parts = append(p.room.parts, p)
		}
	}
	ld.parts = joined
}

// join posts the join form like a browser without JavaScript, keeps the
// cookie and, with --page, loads the page the 303 leads to.
func (ld *load) join(ctx context.Context, p *participant, due time.Time) bool {
	p.server.joins.Add(1)
	resp, err := p.server.do(ctx, p.src, "POST", "/j/"+p.room.code, "", "application/x-www-form-urlencoded", []byte{})
	lat := time.Since(due)
	cookie := ""
	if err == nil {
		cookie = cookieNamed(resp.header, "fs_participant")
	}
	if err != nil || resp.status != http.StatusSeeOther || cookie == "" {
		p.server.joinsFailed.Add(1)
		ld.joinErrs.add(statusClass(resp.status, err))
		if err != nil {
			p.room.joinUnsure.Add(1) // it may have been stored
		}
		return false
	}
	ld.joins.add(lat)
	p.cookie = cookie
	if ld.cfg.page {
		t0 := time.Now()
		resp, err := p.server.do(ctx, p.src, "GET", "/w/"+p.room.code, p.cookie, "", nil)
		if err != nil || resp.status != http.StatusOK {
			ld.pageErrs.add(statusClass(resp.status, err))
		} else {
			ld.pages.add(time.Since(t0))
		}
	}
	return true
}

func (ld *load) joinedCount() int { return len(ld.parts) }

// settleStreams waits, for --settle at most, until every participant's
// stream has delivered its first event.
func (ld *load) settleStreams(ctx context.Context) {
	deadline := time.Now().Add(ld.cfg.settle)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		ready := 0
		for _, p := range ld.parts {
			if p.firstSeen.Load() {
				ready++
			}
		}
		if ready == len(ld.parts) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (ld *load) joinReport(wall time.Duration) JoinReport {
	r := JoinReport{
		Attempted: ld.cfg.participants,
		OK:        ld.joins.count(),
		Errors:    ld.joinErrs.snapshot(),
		Latency:   ld.joins.summary(),
		WallS:     wall.Seconds(),
	}
	if wall > 0 {
		r.PerSecond = float64(r.OK) / wall.Seconds()
	}
	if ld.cfg.page {
		r.Page = &PageReport{OK: ld.pages.count(), Errors: ld.pageErrs.snapshot(), Latency: ld.pages.summary()}
	}
	return r
}

func (ld *load) streamReport() StreamReport {
	r := StreamReport{Participants: len(ld.parts), Connected: int(ld.connected.Load()), FirstEvent: ld.connect.summary(), Errors: ld.streamErrs.snapshot()}
	for _, p := range ld.parts {
		if c := int(p.connects.Load()); c > 1 {
			r.Reconnects += c - 1
		}
	}
	return r
}
