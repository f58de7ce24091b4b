package live

import (
	"bytes"
	"context"
	"time"

	"foresight/internal/workshop"
)

// The fan-out: subscriptions, the ticker's flush, slots and pacing.
//
// Subscribers that want fewer updates (a participant's phone: one a second)
// are split into slots, one slot per flush in turn, so that a room of 10,000
// phones gets a quarter of its updates at each flush instead of all at once;
// and a flush's updates to them are spread over part of the tick. Waking
// thousands of stream goroutines at the same instant would put every other
// request (a rating, a join) behind them in the scheduler's run queue.

const (
	// paceChunk is how many slotted subscribers are woken together; a
	// flush with more spreads them over paceSpread of the tick. A chunk's
	// writes take about 2 ms of CPU, so a request that arrives meanwhile
	// waits at most that long for the scheduler.
	paceChunk = 64
	// paceSpread is the share of the tick over which a flush's slotted
	// updates are spread; the rest keeps the next tick on time.
	paceSpread = 0.6
)

// fanout is a room's subscribers and what they were sent; under room.mu.
type fanout struct {
	subs map[*Subscription]struct{}
	// version counts the changes to the room's state; nextSlot deals
	// slots out to new slotted subscribers in turn.
	version  uint64
	nextSlot int
	// sent is the last rendering of each kind of view, with a number that
	// changes only when its bytes do: a subscriber that was offered that
	// number already has these bytes and is not woken for them again.
	// keys counts the subscribers of each kind; a kind's rendering goes
	// with its last subscriber.
	sent    map[string]sentMessage
	sentGen uint64
	keys    map[string]int
	// prompt is set by a facilitator's change (a state, a round, the
	// focus): every subscriber gets it at the next flush, slot or not.
	prompt bool
	// settled is the version every subscriber has been offered (or
	// holds the bytes of): a flush skips the room until it changes.
	settled uint64
}

func newFanout() fanout {
	return fanout{subs: map[*Subscription]struct{}{}, sent: map[string]sentMessage{}, keys: map[string]int{}}
}

type sentMessage struct {
	msg [][]byte
	gen uint64
}

// RenderFunc turns a snapshot into what one kind of view receives: a list
// of parts (such as SSE events) that a subscriber may send on only when they
// changed. Subscriptions with the same key share one rendering.
type RenderFunc func(*Snapshot) [][]byte

// Viewer is who watches through a subscription, so that a change of their
// right to watch reaches their streams and no others: the views of an
// account (UserID), of a participant (ParticipantID), or of a display link
// (Display). The zero Viewer is told only of another process's changes.
type Viewer struct {
	UserID        int64
	ParticipantID int64
	Display       bool
}

// Subscription receives a workshop's rendered updates. C holds at most one
// message, always the latest; it is closed when the hub closes or the
// workshop is deleted.
type Subscription struct {
	// Seq is the change counter of the first message in C.
	Seq    int64
	C      <-chan [][]byte
	c      chan [][]byte
	key    string
	render RenderFunc
	hub    *Hub
	room   *room
	viewer Viewer
	// recheck holds a signal when the viewer's right to watch must be
	// checked again (Recheck).
	recheck chan struct{}
	// A slotted subscription (slots > 1) is offered updates only at the
	// flushes numbered slot modulo slots. version is the room's version
	// it was last offered. Both are under room.mu.
	slots, slot int
	version     uint64
	// gen is the sentMessage.gen of the last message offered (0: the
	// first message, rendered at Subscribe). Under room.mu.
	gen uint64
}

// Subscribe registers a view of workshop id. The current state is rendered
// and waiting in C at once, so a (re)connecting client starts from a full
// snapshot. Subscriptions with the same key must use the same render.
func (h *Hub) Subscribe(ctx context.Context, id int64, key string, render RenderFunc) (*Subscription, error) {
	return h.SubscribeEvery(ctx, id, key, Viewer{}, render, 0)
}

// SubscribeEvery is Subscribe for a view that needs at most one message per
// every (rounded to whole ticks of the hub): a change reaches it at the
// next flush of its slot, as the latest state, so that a room of thousands
// of participants costs fewer writes while projectors keep the full rate.
// The first message is rendered outside the room's lock.
func (h *Hub) SubscribeEvery(ctx context.Context, id int64, key string, viewer Viewer, render RenderFunc, every time.Duration) (*Subscription, error) {
	for {
		r := h.room(id)
		r.mu.Lock()
		if h.closed.Load() {
			r.mu.Unlock()
			return nil, workshop.Errorf(workshop.EConflict, "error.server_shutting_down")
		}
		err := h.fresh(ctx, r)
		if err == errEvicted {
			r.mu.Unlock()
			continue
		}
		if err != nil {
			r.mu.Unlock()
			return nil, err
		}
		c := make(chan [][]byte, 1)
		snap, version := r.snapshot(), r.version
		s := &Subscription{Seq: snap.Seq, C: c, c: c, key: key, render: render, hub: h, room: r, slots: 1, version: version,
			viewer: viewer, recheck: make(chan struct{}, 1)}
		if slots := int((every + h.interval/2) / h.interval); slots > 1 {
			s.slots, s.slot = slots, r.nextSlot%slots
			r.nextSlot++
		}
		r.subs[s] = struct{}{}
		r.keys[key]++
		r.used = h.flushes.Load()
		r.mu.Unlock()

		if snap.Workshop, err = h.src.WorkshopByID(ctx, id); err != nil {
			s.Close()
			return nil, err
		}
		msg := render(snap)
		r.mu.Lock()
		// A flush that ran while this rendered offered a newer state
		// already: the first message would only put an older one back.
		if s.version == version {
			s.offer(msg, version, 0)
		}
		r.mu.Unlock()
		return s, nil
	}
}

// Recheck returns a channel that receives a signal whenever the viewer's
// right to watch must be checked again: their account changed or was
// disabled, their session ended, the participant was removed, the display
// link replaced or revoked, or another process changed the database.
// Signals that come while one waits unread are one.
func (s *Subscription) Recheck() <-chan struct{} { return s.recheck }

// signalRecheck tells s to check its viewer again; never blocks.
func (s *Subscription) signalRecheck() {
	select {
	case s.recheck <- struct{}{}:
	default:
	}
}

// Close ends a subscription.
func (s *Subscription) Close() {
	r := s.room
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.subs[s]; ok {
		delete(r.subs, s)
		close(s.c)
		if r.keys[s.key]--; r.keys[s.key] <= 0 {
			delete(r.keys, s.key)
			delete(r.sent, s.key)
		}
		r.used = s.hub.flushes.Load()
	}
}

// offer puts msg of the room's version (and rendering gen) in the slot,
// replacing an unread older message, unless the subscription ended. The
// caller holds room.mu.
func (s *Subscription) offer(msg [][]byte, version, gen uint64) {
	if _, live := s.room.subs[s]; !live {
		return
	}
	s.version, s.gen = version, gen
	for {
		select {
		case s.c <- msg:
			return
		default:
			select {
			case <-s.c:
			default:
			}
		}
	}
}

func (h *Hub) run() {
	defer close(h.done)
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			h.flush()
		}
	}
}

// pacedOffer is an update for a slotted subscriber, offered after the
// flush has served every room's unslotted subscribers.
type pacedOffer struct {
	s            *Subscription
	msg          [][]byte
	version, gen uint64
}

// flush renders every changed workshop once per view kind and offers the
// bytes: at once to unslotted subscribers (projectors, facilitators), and
// spread over part of the tick to the slotted ones whose turn it is. It
// also starts the recounts that rooms with subscribers wait for, and
// evicts idle rooms.
func (h *Hub) flush() {
	h.flushMu.Lock()
	defer h.flushMu.Unlock()
	n := h.flushes.Add(1) - 1
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	h.paced = h.paced[:0]
	for _, r := range rooms {
		h.flushRoom(r, int(n))
	}
	h.pace(h.paced)
	clear(h.paced) // let go of the messages and subscriptions until the next flush
	h.evictIdle(n)
}

// flushRoom offers room r's current state to its unslotted subscribers that
// have not seen it, and adds to h.paced the offers due to its slotted
// subscribers of flush n that have not seen it yet.
func (h *Hub) flushRoom(r *room, n int) {
	r.mu.Lock()
	if r.missedChange(int64(n), h.holeFlushes) {
		h.log.Warn("a change to a workshop never arrived: counting its results again", "workshop", r.id, "seq", r.complete+1)
		r.recount()
	}
	version := r.version
	if version == r.settled || len(r.subs) == 0 {
		r.mu.Unlock()
		return // everyone has it (or nobody watches): nothing to look at
	}
	if !r.loaded || r.stale {
		h.reloadInBackground(r) // the subscribers get the recount when it is in
		r.mu.Unlock()
		return
	}
	prompt := r.prompt
	now, later := h.now[:0], h.later[:0]
	defer func() {
		clear(now)
		clear(later)
		h.now, h.later = now, later
	}()
	behind := false // a slotted subscriber whose turn is not now lacks this version
	for s := range r.subs {
		switch {
		case s.version == version:
		case s.slots == 1:
			now = append(now, s)
		case prompt || n%s.slots == s.slot:
			later = append(later, s)
		default:
			behind = true
		}
	}
	r.prompt = false
	if !behind {
		r.settled = version // once this flush has offered it
	}
	if len(now) == 0 && len(later) == 0 {
		r.mu.Unlock()
		return
	}
	snap := r.snapshot()
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), reloadTimeout)
	w, err := h.src.WorkshopByID(ctx, r.id)
	cancel()
	if workshop.ErrorCode(err) == workshop.ENotFound {
		h.forget(r.id) // deleted by another process
		return
	}
	if err != nil {
		h.log.Error("read a workshop for its live views", "workshop", r.id, "err", err)
		r.mu.Lock()
		r.settled = 0 // try again at the next flush
		r.mu.Unlock()
		return
	}
	snap.Workshop = w

	// Render outside the lock, once per kind of view.
	rendered := map[string][][]byte{}
	for _, subs := range [][]*Subscription{now, later} {
		for _, s := range subs {
			if _, ok := rendered[s.key]; !ok {
				rendered[s.key] = s.render(snap)
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, msg := range rendered {
		if r.keys[key] == 0 {
			continue // its last subscriber left meanwhile
		}
		if prev, ok := r.sent[key]; !ok || !sameParts(prev.msg, msg) {
			r.sentGen++
			r.sent[key] = sentMessage{msg: msg, gen: r.sentGen}
		}
	}
	// lacks returns the rendering s does not hold yet. A subscriber that
	// has these very bytes already (the change did not show in its view,
	// as with results hidden from participants) is not woken: it only
	// learns that it is up to date.
	lacks := func(s *Subscription) (sentMessage, bool) {
		m, ok := r.sent[s.key]
		if ok && s.gen == m.gen {
			s.version = version
		}
		return m, ok && s.gen != m.gen // !ok: its kind's last subscriber left meanwhile
	}
	for _, s := range now {
		if m, ok := lacks(s); ok {
			s.offer(m.msg, version, m.gen)
		}
	}
	for _, s := range later {
		if m, ok := lacks(s); ok {
			h.paced = append(h.paced, pacedOffer{s: s, msg: m.msg, version: version, gen: m.gen})
		}
	}
}

// sameParts reports whether two renderings have the same bytes.
func sameParts(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// pace offers a flush's slotted updates in chunks of paceChunk, spread over
// paceSpread of the tick, so that the stream goroutines they wake never
// crowd the scheduler's run queue all at once. The spread is counted from
// when pacing starts, not from the flush's start: a render that ran late
// (during a garbage collection, say) must not turn the offers into one
// burst, which is when the run queue can least afford it; the ticker then
// skips a tick instead. It returns early if the hub stops.
func (h *Hub) pace(offers []pacedOffer) {
	chunks := (len(offers) + paceChunk - 1) / paceChunk
	var gap time.Duration
	if chunks > 1 {
		gap = time.Duration(float64(h.interval) * paceSpread / float64(chunks))
	}
	for i := 0; i < len(offers); i += paceChunk {
		if i > 0 && gap > 0 {
			select {
			case <-h.stop:
				return
			case <-time.After(gap):
			}
		}
		for _, o := range offers[i:min(i+paceChunk, len(offers))] {
			o.s.room.mu.Lock()
			o.s.offer(o.msg, o.version, o.gen)
			o.s.room.mu.Unlock()
		}
	}
}
