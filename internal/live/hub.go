// Package live keeps exact in-memory tallies of every active workshop and
// fans rendered updates out to the SSE streams that watch them.
//
// Writes reach the hub only after they committed (Apply); the hub counts the
// workshop's version up, and a ticker renders each changed workshop at most
// MaxUpdatesPerSecond times a second, once per kind of view, writing the same
// bytes to every subscriber of that kind. A slow subscriber is never queued
// for: it holds one slot that always has the latest state.
//
// Subscribers that want fewer updates (a participant's phone: one a second)
// are split into slots, one slot per flush in turn, so that a room of 10,000
// phones gets a quarter of its updates at each flush instead of all at once;
// and a flush's updates to them are spread over part of the tick. Waking
// thousands of stream goroutines at the same instant would put every other
// request (a rating, a join) behind them in the scheduler's run queue.
package live

import (
	"bytes"
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"foresight/internal/workshop"
)

// MaxUpdatesPerSecond bounds how often one workshop's views are re-rendered.
const MaxUpdatesPerSecond = 4

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

// Loader reads a workshop's aggregated ratings from the store, in one snapshot.
type Loader func(ctx context.Context, workshopID int64) (workshop.Tally, error)

// Hub holds the tallies of the workshops in use and their subscribers.
type Hub struct {
	load     Loader
	interval time.Duration

	mu     sync.Mutex
	rooms  map[int64]*room
	closed bool

	// flushMu makes flushes take turns (the ticker's, and tests' direct
	// calls); flushes counts them, so that each picks its slot. The
	// buffers are reused from flush to flush, under flushMu: a room of
	// 10,000 would otherwise allocate them anew four times a second.
	flushMu    sync.Mutex
	flushes    int
	now, later []*Subscription
	paced      []pacedOffer

	stop chan struct{}
	done chan struct{}
}

// NewHub starts a hub; Close stops it.
func NewHub(load Loader) *Hub {
	h := newHub(load, time.Second/MaxUpdatesPerSecond)
	go h.run()
	return h
}

// newHub makes a hub whose ticker is not running yet: tests that count
// flushes call flush themselves.
func newHub(load Loader, interval time.Duration) *Hub {
	return &Hub{
		load:     load,
		interval: interval,
		rooms:    map[int64]*room{},
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// room is one workshop's live state.
type room struct {
	mu        sync.Mutex
	loaded    bool
	loadedSeq int64              // changes up to this seq were in the store when it loaded
	w         *workshop.Workshop // latest known settings and state; never mutated
	seq       int64              // the highest seq seen
	joined    int
	rounds    map[int]*roundTally
	rationale map[int64]rationaleEntry
	subs      map[*Subscription]struct{}
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

type sentMessage struct {
	msg [][]byte
	gen uint64
}

// rationaleEntry is a rationale and the seq of the write that made it so;
// a deleted one stays as a tombstone so an older write cannot revive it.
type rationaleEntry struct {
	seq     int64
	r       workshop.Rationale
	deleted bool
}

type itemKey struct{ scenario, criterion int64 }

type roundTally struct {
	items  map[itemKey]*workshop.Histogram
	raters map[int64]int // participant -> items rated; nil in a snapshot
	rated  int           // in a snapshot: the number of raters
}

func (h *Hub) room(id int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil {
		r = &room{rounds: map[int]*roundTally{}, rationale: map[int64]rationaleEntry{}, subs: map[*Subscription]struct{}{},
			sent: map[string]sentMessage{}, keys: map[string]int{}}
		h.rooms[id] = r
	}
	return r
}

// ensure loads the room's tallies from the store on first use. The caller
// holds r.mu, so changes applied meanwhile wait and are then compared by seq.
func (h *Hub) ensure(ctx context.Context, r *room, w *workshop.Workshop) error {
	if r.w == nil || w.Seq >= r.w.Seq {
		r.w = w
	}
	if r.loaded {
		return nil
	}
	t, err := h.load(ctx, w.ID)
	if err != nil {
		return err
	}
	r.seq, r.loadedSeq, r.joined = max(r.seq, t.Seq), t.Seq, t.Joined
	for _, row := range t.Counts {
		if hist := r.hist(row.Round, row.ScenarioID, row.CriterionID); hist != nil {
			hist.Add(row.Answer, row.Count)
		}
	}
	for _, row := range t.Rated {
		r.round(row.Round).raters[row.ParticipantID] = row.Items
	}
	for _, rat := range t.Rationales {
		r.rationale[rat.ID] = rationaleEntry{seq: t.Seq, r: rat}
	}
	r.loaded = true
	return nil
}

// Reload reads a workshop's tallies again from the store, for changes that
// touch many ratings at once (a round that starts pre-filled). Call it after
// COMMIT; subscribers get the new state at the next update.
func (h *Hub) Reload(ctx context.Context, w *workshop.Workshop) error {
	h.mu.Lock()
	r := h.rooms[w.ID]
	h.mu.Unlock()
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded {
		return nil
	}
	r.loaded, r.rounds, r.rationale = false, map[int]*roundTally{}, map[int64]rationaleEntry{}
	r.version++
	return h.ensure(ctx, r, w)
}

// Forget drops a deleted workshop's state and ends its subscriptions.
func (h *Hub) Forget(workshopID int64) {
	h.mu.Lock()
	r := h.rooms[workshopID]
	delete(h.rooms, workshopID)
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.subs {
		delete(r.subs, s)
		close(s.c)
	}
}

// ApplyRationale records a committed rationale change.
func (h *Hub) ApplyRationale(ch workshop.RationaleChange) {
	h.mu.Lock()
	r := h.rooms[ch.WorkshopID]
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded || ch.Seq <= r.loadedSeq || ch.Seq <= r.rationale[ch.Rationale.ID].seq {
		return
	}
	r.rationale[ch.Rationale.ID] = rationaleEntry{seq: ch.Seq, r: ch.Rationale, deleted: ch.Deleted}
	r.seq = max(r.seq, ch.Seq)
	r.version++
}

func (r *room) round(n int) *roundTally {
	rt := r.rounds[n]
	if rt == nil {
		rt = &roundTally{items: map[itemKey]*workshop.Histogram{}, raters: map[int64]int{}}
		r.rounds[n] = rt
	}
	return rt
}

// hist returns the histogram of one item, creating it; nil for an item the
// workshop does not have.
func (r *room) hist(round int, scenario, criterion int64) *workshop.Histogram {
	rt := r.round(round)
	k := itemKey{scenario, criterion}
	if h := rt.items[k]; h != nil {
		return h
	}
	c, ok := r.w.Criterion(criterion)
	if !ok {
		return nil
	}
	h := workshop.NewHistogram(c)
	rt.items[k] = &h
	return &h
}

// Apply counts a committed change: -1 for the old answer, +1 for the new,
// and marks the workshop for the next update. Call it after COMMIT only.
func (h *Hub) Apply(ch workshop.Change) {
	h.mu.Lock()
	r := h.rooms[ch.WorkshopID]
	h.mu.Unlock()
	if r == nil {
		return // not loaded: its first use reads the change from the store
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded || ch.Seq <= r.loadedSeq {
		return // the load read it from the store already
	}
	r.seq = max(r.seq, ch.Seq)
	r.version++
	if ch.Joined {
		r.joined++
		return
	}
	hist := r.hist(ch.Round, ch.ScenarioID, ch.CriterionID)
	if hist == nil {
		return
	}
	raters := r.round(ch.Round).raters
	if ch.Old != nil {
		hist.Add(*ch.Old, -1)
		if raters[ch.ParticipantID]--; raters[ch.ParticipantID] <= 0 {
			delete(raters, ch.ParticipantID)
		}
	}
	if ch.New != nil {
		hist.Add(*ch.New, 1)
		raters[ch.ParticipantID]++
	}
}

// Update records a workshop's new settings or state (after COMMIT) and marks
// it for the next update, so every view follows.
func (h *Hub) Update(w *workshop.Workshop) {
	h.mu.Lock()
	r := h.rooms[w.ID]
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w == nil || w.Seq >= r.w.Seq {
		r.w = w
		r.seq = max(r.seq, w.Seq)
		r.version++
		r.prompt = true
	}
}

// Snapshot is a consistent copy of one workshop's live state.
type Snapshot struct {
	Workshop   *workshop.Workshop
	Seq        int64
	Joined     int
	Rationales []workshop.Rationale // all rounds, oldest first
	rounds     map[int]*roundTally
}

// Results computes the results of round n from the snapshot: every item of
// the workshop, in deck order, with all its scale points, its consensus
// measures and its change since round n-1, and the round's summary.
func (s *Snapshot) Results(n int) workshop.Results {
	res := s.results(n)
	if n > 1 {
		prev := s.results(n - 1)
		prev.Summarise(nil)
		res.Summarise(&prev)
	} else {
		res.Summarise(nil)
	}
	return res
}

func (s *Snapshot) results(n int) workshop.Results {
	rt := s.rounds[n]
	if rt == nil {
		return s.Workshop.RoundResults(n, s.Seq, s.Joined, 0, func(int64, int64) *workshop.Histogram { return nil })
	}
	return s.Workshop.RoundResults(n, s.Seq, s.Joined, rt.rated, func(scenario, criterion int64) *workshop.Histogram {
		return rt.items[itemKey{scenario, criterion}]
	})
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

// snapshot copies the room's state; the caller holds r.mu.
func (r *room) snapshot() *Snapshot {
	s := &Snapshot{Workshop: r.w, Seq: r.seq, Joined: r.joined, rounds: make(map[int]*roundTally, len(r.rounds))}
	for n, rt := range r.rounds {
		// Only the number of raters is read from a snapshot: copying who
		// they are would make every snapshot O(participants).
		cp := &roundTally{items: make(map[itemKey]*workshop.Histogram, len(rt.items)), rated: len(rt.raters)}
		for k, h := range rt.items {
			hc := *h
			hc.Counts = append([]int64(nil), h.Counts...)
			cp.items[k] = &hc
		}
		s.rounds[n] = cp
	}
	for _, e := range r.rationale {
		if !e.deleted {
			s.Rationales = append(s.Rationales, e.r)
		}
	}
	sort.Slice(s.Rationales, func(i, j int) bool {
		a, b := s.Rationales[i], s.Rationales[j]
		return a.Round < b.Round || a.Round == b.Round && a.ID < b.ID
	})
	return s
}

// Snapshot returns the current state of workshop w, loading it if needed.
func (h *Hub) Snapshot(ctx context.Context, w *workshop.Workshop) (*Snapshot, error) {
	r := h.room(w.ID)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := h.ensure(ctx, r, w); err != nil {
		return nil, err
	}
	return r.snapshot(), nil
}

// RenderFunc turns a snapshot into what one kind of view receives: a list
// of parts (such as SSE events) that a subscriber may send on only when they
// changed. Subscriptions with the same key share one rendering.
type RenderFunc func(*Snapshot) [][]byte

// Subscription receives a workshop's rendered updates. C holds at most one
// message, always the latest; it is closed when the hub closes.
type Subscription struct {
	// Seq is the change counter of the first message in C.
	Seq    int64
	C      <-chan [][]byte
	c      chan [][]byte
	key    string
	render RenderFunc
	hub    *Hub
	room   *room
	// A slotted subscription (slots > 1) is offered updates only at the
	// flushes numbered slot modulo slots. version is the room's version
	// it was last offered. Both are under room.mu.
	slots, slot int
	version     uint64
	// gen is the sentMessage.gen of the last message offered (0: the
	// first message, rendered at Subscribe). Under room.mu.
	gen uint64
}

// Subscribe registers a view of workshop w. The current state is rendered
// and waiting in C at once, so a (re)connecting client starts from a full
// snapshot. Subscriptions with the same key must use the same render.
func (h *Hub) Subscribe(ctx context.Context, w *workshop.Workshop, key string, render RenderFunc) (*Subscription, error) {
	return h.SubscribeEvery(ctx, w, key, render, 0)
}

// SubscribeEvery is Subscribe for a view that needs at most one message per
// every (rounded to whole ticks of the hub): a change reaches it at the
// next flush of its slot, as the latest state, so that a room of thousands
// of participants costs fewer writes while projectors keep the full rate.
func (h *Hub) SubscribeEvery(ctx context.Context, w *workshop.Workshop, key string, render RenderFunc, every time.Duration) (*Subscription, error) {
	r := h.room(w.ID)
	r.mu.Lock()
	defer r.mu.Unlock()
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if closed {
		return nil, workshop.Errorf(workshop.EConflict, "the server is shutting down")
	}
	if err := h.ensure(ctx, r, w); err != nil {
		return nil, err
	}
	c := make(chan [][]byte, 1)
	snap := r.snapshot()
	s := &Subscription{Seq: snap.Seq, C: c, c: c, key: key, render: render, hub: h, room: r, slots: 1, version: r.version}
	if slots := int((every + h.interval/2) / h.interval); slots > 1 {
		s.slots, s.slot = slots, r.nextSlot%slots
		r.nextSlot++
	}
	c <- render(snap)
	r.subs[s] = struct{}{}
	r.keys[key]++
	return s, nil
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
// spread over part of the tick to the slotted ones whose turn it is.
func (h *Hub) flush() {
	h.flushMu.Lock()
	defer h.flushMu.Unlock()
	n := h.flushes
	h.flushes++
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	h.paced = h.paced[:0]
	for _, r := range rooms {
		h.flushRoom(r, n)
	}
	h.pace(h.paced)
	clear(h.paced) // let go of the messages and subscriptions until the next flush
}

// flushRoom offers room r's current state to its unslotted subscribers that
// have not seen it, and adds to h.paced the offers due to its slotted
// subscribers of flush n that have not seen it yet.
func (h *Hub) flushRoom(r *room, n int) {
	r.mu.Lock()
	version := r.version
	if version == r.settled {
		r.mu.Unlock()
		return // everyone has it: nothing to look at
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

// Close stops the hub and ends every subscription, so SSE handlers return.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	rooms := h.rooms
	h.mu.Unlock()
	close(h.stop)
	<-h.done
	for _, r := range rooms {
		r.mu.Lock()
		for s := range r.subs {
			delete(r.subs, s)
			close(s.c)
		}
		r.mu.Unlock()
	}
	slog.Debug("live hub closed")
}
