// Package live keeps exact in-memory tallies of every active workshop and
// fans rendered updates out to the SSE streams that watch them.
//
// The hub is a subscriber of the store: it hears every committed change
// (Apply, in commit order) and nobody else tells it anything. It keeps two
// things per workshop, in two files:
//
//   - room.go, the read model: the workshop's tallies (workshop.Counts),
//     its participants and reasons, loaded from the store at first use and
//     kept current by the store's events. The workshop's row is not copied
//     here: the store keeps the one copy, and a snapshot asks for it.
//   - fanout.go, the fan-out: the subscriptions of a room's views. A ticker
//     renders each changed workshop at most MaxUpdatesPerSecond times a
//     second, once per kind of view, and writes the same bytes to every
//     subscriber of that kind. A slow subscriber is never queued for: it
//     holds one slot that always has the latest state.
//
// Rooms that have had no subscriber and no change for IdleAfter are
// evicted, so a server that ran thousands of workshops keeps only the ones
// in use.
package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"foresight/internal/workshop"
)

// MaxUpdatesPerSecond bounds how often one workshop's views are re-rendered.
const MaxUpdatesPerSecond = 4

// IdleAfter is how long a room with no subscriber and no change stays in
// memory.
const IdleAfter = 5 * time.Minute

// Source is the store as the hub reads it.
type Source interface {
	// LoadTally reads a workshop's tallies and rationales in one snapshot.
	LoadTally(ctx context.Context, workshopID int64) (workshop.Tally, error)
	// WorkshopByID returns the workshop as last committed: the store's
	// one copy in memory.
	WorkshopByID(ctx context.Context, id int64) (*workshop.Workshop, error)
}

// Hub holds the tallies of the workshops in use and their subscribers.
type Hub struct {
	src      Source
	log      *slog.Logger
	interval time.Duration
	idle     int64 // flushes without a subscriber or a change before a room goes
	// holeFlushes is holeAfter in flushes (room.go).
	holeFlushes int64

	mu     sync.Mutex
	rooms  map[int64]*room
	closed atomic.Bool // read under a room's lock by Subscribe; set under mu

	// flushMu makes flushes take turns (the ticker's, and tests' direct
	// calls); flushes counts them, so that each picks its slot, and is the
	// clock of idle rooms. The buffers are reused from flush to flush,
	// under flushMu: a room of 10,000 would otherwise allocate them anew
	// four times a second.
	flushMu    sync.Mutex
	flushes    atomic.Int64
	now, later []*Subscription
	paced      []pacedOffer

	loads sync.WaitGroup // reloads running in the background
	stop  chan struct{}
	done  chan struct{}
}

// NewHub starts a hub that reads from src and logs to log; Close stops it.
func NewHub(src Source, log *slog.Logger) *Hub {
	h := newHub(src, log, time.Second/MaxUpdatesPerSecond)
	go h.run()
	return h
}

// newHub makes a hub whose ticker is not running yet: tests that count
// flushes call flush themselves.
func newHub(src Source, log *slog.Logger, interval time.Duration) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{
		src:         src,
		log:         log,
		interval:    interval,
		idle:        int64(IdleAfter / interval),
		holeFlushes: max(1, int64(holeAfter/interval)),
		rooms:       map[int64]*room{},
		stop:        make(chan struct{}),
		done:        make(chan struct{}),
	}
}

// room returns the room of workshop id, creating it.
func (h *Hub) room(id int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil {
		r = newRoom(id)
		h.rooms[id] = r
	}
	return r
}

// Apply hears the store's committed changes, in commit order: the hub is
// the store's subscriber (cmd wires it). It runs while the store's next
// commit waits, so it only counts and marks: a room that needs its
// tallies read again is read by whoever looks at it next.
func (h *Hub) Apply(events []workshop.Event) {
	var r *room // locked while events of its workshop follow each other
	release := func() {
		if r != nil {
			r.mu.Unlock()
			r = nil
		}
	}
	defer release()
	for _, ev := range events {
		head := ev.Head()
		switch ev := ev.(type) {
		case workshop.StoreChanged:
			release()
			h.storeChanged()
			continue
		case workshop.WorkshopDeleted:
			release()
			h.forget(head.WorkshopID)
			continue
		case workshop.AccountChanged:
			release()
			h.recheckWhere(func(v Viewer) bool { return v.UserID == ev.UserID || v.Display })
			continue
		case workshop.SessionsEnded:
			release()
			h.recheckWhere(func(v Viewer) bool { return v.UserID == ev.UserID })
			continue
		}
		if head.WorkshopID == 0 {
			continue // a session, a link, a deck: no view shows it
		}
		if r == nil || r.id != head.WorkshopID {
			release()
			h.mu.Lock()
			r = h.rooms[head.WorkshopID]
			h.mu.Unlock()
			if r == nil {
				continue // not in use: its first use reads the change from the store
			}
			r.mu.Lock()
		}
		r.apply(ev, h.flushes.Load())
		switch ev := ev.(type) {
		case workshop.ParticipantRemoved:
			r.recheckWhere(func(v Viewer) bool { return v.ParticipantID == ev.ParticipantID })
		case workshop.WorkshopChanged:
			// The display link may have been replaced or revoked.
			r.recheckWhere(func(v Viewer) bool { return v.Display })
		}
	}
}

// recheckWhere tells the subscriptions of every room whose viewer matches
// to check their right to watch again. Such changes are rare (a sign-out,
// an account disabled), so it may look at every subscription.
func (h *Hub) recheckWhere(match func(Viewer) bool) {
	h.eachRoom(func(r *room) { r.recheckWhere(match) })
}

// recheckWhere is Hub.recheckWhere for one room; the caller holds r.mu.
func (r *room) recheckWhere(match func(Viewer) bool) {
	for s := range r.subs {
		if match(s.viewer) {
			s.signalRecheck()
		}
	}
}

// storeChanged marks every room for a recount and every viewer for a
// check: another process changed the database.
func (h *Hub) storeChanged() {
	h.eachRoom(func(r *room) {
		r.recount()
		r.recheckWhere(func(Viewer) bool { return true })
	})
}

// eachRoom calls fn with every room in memory, each under its lock in
// turn (the hub's lock is not held meanwhile).
func (h *Hub) eachRoom(fn func(*room)) {
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.mu.Lock()
		fn(r)
		r.mu.Unlock()
	}
}

// forget drops a deleted workshop's room and ends its subscriptions.
func (h *Hub) forget(workshopID int64) {
	h.mu.Lock()
	r := h.rooms[workshopID]
	delete(h.rooms, workshopID)
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evicted = true
	for s := range r.subs {
		delete(r.subs, s)
		close(s.c)
	}
}

// evictIdle drops the rooms that had no subscriber, no change and no
// snapshot during the last h.idle flushes; the flush calls it.
func (h *Hub) evictIdle(now int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, r := range h.rooms {
		r.mu.Lock()
		if len(r.subs) == 0 && r.loading == nil && now-r.used > h.idle {
			r.evicted = true
			delete(h.rooms, id)
		}
		r.mu.Unlock()
	}
}

// Rooms reports how many workshops the hub holds in memory.
func (h *Hub) Rooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
}

// Snapshot returns the current state of workshop id, reading its tallies
// from the store first if needed.
func (h *Hub) Snapshot(ctx context.Context, id int64) (*Snapshot, error) {
	for {
		r := h.room(id)
		r.mu.Lock()
		err := h.fresh(ctx, r)
		if err == errEvicted {
			r.mu.Unlock()
			continue // the room went meanwhile: take its successor
		}
		if err != nil {
			r.mu.Unlock()
			return nil, err
		}
		snap := r.snapshot()
		r.used = h.flushes.Load()
		r.mu.Unlock()
		// Asked after the copy: the store learns a change before the hub
		// hears it, so the workshop is at least as new as the tallies.
		if snap.Workshop, err = h.src.WorkshopByID(ctx, id); err != nil {
			return nil, err
		}
		return snap, nil
	}
}

// reloadTimeout bounds a recount that no request waits for.
const reloadTimeout = 30 * time.Second

// reloadInBackground reads a room's tallies again without a request
// waiting for it (a recount its subscribers need); the caller holds r.mu.
// A failure is logged and tried again after a pause that doubles up to
// 30 seconds: the write that asked for the recount committed, and its
// answer went out; only the views wait.
func (h *Hub) reloadInBackground(r *room) {
	if r.loading != nil || r.reloading || time.Now().Before(r.retryAt) {
		return
	}
	r.reloading = true
	h.loads.Add(1)
	go func() {
		defer h.loads.Done()
		ctx, cancel := context.WithTimeout(context.Background(), reloadTimeout)
		defer cancel()
		r.mu.Lock()
		r.reloading = false
		err := h.fresh(ctx, r)
		gone := workshop.ErrorCode(err) == workshop.ENotFound
		switch {
		case err == nil || err == errEvicted:
			r.failures = 0
		case gone:
		default:
			r.failures++
			pause := min(time.Second<<min(r.failures-1, 5), 30*time.Second)
			r.retryAt = time.Now().Add(pause)
			h.log.Error("recount of a workshop's live results failed; trying again", "workshop", r.id, "retry_in", pause, "err", err)
		}
		r.mu.Unlock()
		if gone {
			h.forget(r.id) // deleted by another process: its streams end
		}
	}()
}

// Close stops the hub and ends every subscription, so SSE handlers return.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed.Load() {
		h.mu.Unlock()
		return
	}
	h.closed.Store(true)
	rooms := h.rooms
	h.mu.Unlock()
	close(h.stop)
	<-h.done
	h.loads.Wait()
	for _, r := range rooms {
		r.mu.Lock()
		for s := range r.subs {
			delete(r.subs, s)
			close(s.c)
		}
		r.mu.Unlock()
	}
	h.log.Debug("live hub closed")
}
