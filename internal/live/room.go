package live

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"foresight/internal/workshop"
)

// room is one workshop in memory: its read model (this file) and its
// subscribers (fanout.go), under one lock.
type room struct {
	id int64
	mu sync.Mutex

	// The read model. The tallies were read from the store at loadedSeq;
	// an event applies when its seq is greater (workshop/events.go), and
	// seq is the greatest seq applied.
	loaded    bool
	loadedSeq int64
	seq       int64
	counts    *workshop.Counts
	joined    int
	byGroup   map[int64]int // active participants per group
	rationale map[int64]workshop.Rationale
	ideas     map[int64]workshop.Idea

	// Every seq has one event (workshop/events.go), so a seq that never
	// arrives is a change this room missed. Another server's events may
	// arrive a little after later ones of this server: complete is the
	// seq up to which every event arrived, ahead holds the seqs after it
	// that did, and holeSince is the flush at which the oldest hole was
	// first seen. A hole older than holeAfter makes the room count again.
	complete  int64
	ahead     map[int64]struct{}
	holeSince int64

	// Loading happens outside the lock, so that the store's events never
	// wait for a read of the store: loading is closed when the load in
	// flight ends, and the events that arrive meanwhile wait in pending.
	loading chan struct{}
	pending []workshop.Event
	// stale asks for the tallies to be read again (a recount); a failed
	// background reload waits until retryAt.
	stale     bool
	reloading bool
	failures  int
	retryAt   time.Time
	// used is the flush count when the room was last used; evicted is set
	// when it left the hub (a new room takes its place on the next use).
	used    int64
	evicted bool

	fanout
}

func newRoom(id int64) *room {
	return &room{id: id, fanout: newFanout()}
}

// errEvicted says that a room left the hub while it was being used: the
// caller takes the room that replaces it.
var errEvicted = errors.New("live: the room was evicted")

// apply records a committed change; the caller holds r.mu.
func (r *room) apply(ev workshop.Event, now int64) {
	r.used = now
	if r.loading != nil {
		r.pending = append(r.pending, ev) // the load decides whether it read it
		return
	}
	head := ev.Head()
	if !r.loaded || head.Seq <= r.loadedSeq {
		return // not loaded (its first use reads it), or the load read it
	}
	r.arrived(head.Seq, now)
	switch ev := ev.(type) {
	case workshop.RatingChanged:
		r.counts.Apply(ev)
	case workshop.ParticipantJoined:
		r.joined++
		if ev.GroupID != 0 {
			r.byGroup[ev.GroupID]++
		}
	case workshop.ReasonChanged:
		if ev.Deleted {
			delete(r.rationale, ev.Rationale.ID)
		} else {
			r.rationale[ev.Rationale.ID] = ev.Rationale
		}
	case workshop.IdeasChanged:
		for _, i := range ev.Ideas {
			r.ideas[i.ID] = i
		}
	case workshop.WorkshopChanged:
		r.prompt = true // a facilitator's change: every view follows at once
	case workshop.RecountNeeded, workshop.ParticipantRemoved:
		r.recount()
	}
	r.seq = max(r.seq, head.Seq)
	r.version++
}

// arrived records that the event of seq came, at flush now; the caller
// holds r.mu.
func (r *room) arrived(seq, now int64) {
	switch {
	case seq == r.complete+1:
		r.complete = seq
		for len(r.ahead) > 0 {
			if _, ok := r.ahead[r.complete+1]; !ok {
				r.holeSince = now // the next hole is the oldest now
				break
			}
			delete(r.ahead, r.complete+1)
			r.complete++
		}
	case seq > r.complete+1:
		if r.ahead == nil {
			r.ahead = map[int64]struct{}{}
		}
		if len(r.ahead) == 0 {
			r.holeSince = now
		}
		r.ahead[seq] = struct{}{}
	}
}

// holeAfter is how long a seq may be missing before the room counts
// again: notifications from other servers arrive in milliseconds, so a
// hole that lasts this long is a change that will never arrive.
const holeAfter = time.Second

// missedChange reports whether r has waited too long, at flush now, for
// a seq; the caller holds r.mu.
func (r *room) missedChange(now, holeFlushes int64) bool {
	return r.loaded && !r.stale && len(r.ahead) > 0 && now-r.holeSince >= holeFlushes
}

// recount marks the tallies for reading again; the caller holds r.mu.
func (r *room) recount() {
	if r.loaded {
		r.stale = true
	}
	r.retryAt = time.Time{}
	r.prompt = true
	r.version++
}

// fresh makes sure r's tallies are loaded and not stale, reading them from
// the store if needed. The caller holds r.mu; fresh releases it while it
// reads, and while it waits for another goroutine's read.
func (h *Hub) fresh(ctx context.Context, r *room) error {
	for {
		switch {
		case r.evicted:
			return errEvicted
		case r.loaded && !r.stale:
			return nil
		case r.loading != nil:
			wait := r.loading
			r.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
			}
			r.mu.Lock()
			if err := ctx.Err(); err != nil {
				return err
			}
			continue
		}
		done := make(chan struct{})
		r.loading, r.pending = done, nil
		r.mu.Unlock()
		w, t, err := h.read(ctx, r.id)
		r.mu.Lock()
		r.loading = nil
		close(done)
		pending := r.pending
		r.pending = nil
		if err != nil {
			return err // still unloaded, or still stale: the next use tries again
		}
		r.counts = workshop.NewCounts(w, t)
		r.joined = t.Joined
		r.byGroup = make(map[int64]int, len(t.JoinedByGroup))
		for g, n := range t.JoinedByGroup {
			r.byGroup[g] = n
		}
		r.rationale = make(map[int64]workshop.Rationale, len(t.Rationales))
		for _, rat := range t.Rationales {
			r.rationale[rat.ID] = rat
		}
		r.ideas = make(map[int64]workshop.Idea, len(t.Ideas))
		for _, i := range t.Ideas {
			r.ideas[i.ID] = i
		}
		r.loaded, r.stale, r.loadedSeq = true, false, t.Seq
		r.seq = max(r.seq, t.Seq)
		r.complete = t.Seq
		clear(r.ahead)
		r.version++
		for _, ev := range pending {
			r.apply(ev, r.used) // what committed after the read
		}
	}
}

// read reads a workshop's deck and tallies from the store. The tallies'
// histograms are sized by the deck, which never changes.
func (h *Hub) read(ctx context.Context, id int64) (*workshop.Workshop, workshop.Tally, error) {
	w, err := h.src.WorkshopByID(ctx, id)
	if err != nil {
		return nil, workshop.Tally{}, err
	}
	t, err := h.src.LoadTally(ctx, id)
	return w, t, err
}

// Snapshot is a consistent copy of one workshop's live state: the
// workshop as the store last committed it, and the tallies up to Seq.
type Snapshot struct {
	Workshop      *workshop.Workshop
	Seq           int64
	Joined        int
	JoinedByGroup map[int64]int
	Rationales    []workshop.Rationale // all rounds, oldest first
	// Ideas are the room's ideas, hidden and merged ones too, by votes
	// (most first), then oldest first.
	Ideas  []workshop.Idea
	counts *workshop.Counts
}

// Results computes the results of round n from the snapshot (see
// workshop.Counts.Results).
func (s *Snapshot) Results(n int) workshop.Results {
	return s.counts.Results(s.Workshop, n, s.Seq, s.Joined)
}

// ResultsOf is Results over the participants of group g alone.
func (s *Snapshot) ResultsOf(n int, g int64) workshop.Results {
	if g == 0 {
		return s.Results(n)
	}
	return s.counts.ResultsOf(s.Workshop, n, s.Seq, s.JoinedByGroup[g], g)
}

// RoundRationales returns the rationales of round n, oldest first.
func (s *Snapshot) RoundRationales(n int) []workshop.Rationale {
	var out []workshop.Rationale
	for _, r := range s.Rationales {
		if r.Round == n {
			out = append(out, r)
		}
	}
	return out
}

// snapshot copies the room's read model, without the workshop; the caller
// holds r.mu and sets Workshop.
func (r *room) snapshot() *Snapshot {
	s := &Snapshot{Seq: r.seq, Joined: r.joined, counts: r.counts.Copy(), Rationales: make([]workshop.Rationale, 0, len(r.rationale))}
	if len(r.byGroup) > 0 {
		s.JoinedByGroup = make(map[int64]int, len(r.byGroup))
		for g, n := range r.byGroup {
			s.JoinedByGroup[g] = n
		}
	}
	for _, rat := range r.rationale {
		s.Rationales = append(s.Rationales, rat)
	}
	sort.Slice(s.Rationales, func(i, j int) bool {
		a, b := s.Rationales[i], s.Rationales[j]
		return a.Round < b.Round || a.Round == b.Round && a.ID < b.ID
	})
	s.Ideas = make([]workshop.Idea, 0, len(r.ideas))
	for _, i := range r.ideas {
		s.Ideas = append(s.Ideas, i)
	}
	workshop.SortIdeas(s.Ideas)
	return s
}
