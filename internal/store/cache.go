package store

import (
	"sync"

	"foresight/internal/workshop"
)

// workshopCache keeps each workshop as WorkshopByCode returns it, so that
// participant requests (join, page, stream, every rating) and the live
// views do not read the workshop, its scenarios and criteria from SQLite
// and decode their texts again each time. It is the one copy of a
// workshop's row in memory: the live hub asks it (WorkshopByID) rather
// than keeping a copy of its own.
//
// The deck snapshot (scenarios, criteria, texts) never changes once a
// workshop exists. Its row (state, round, settings, seq) changes only
// through this package's methods, and every such change increments the
// workshop's seq in the same transaction. After its COMMIT, in commit
// order (commitMu, see DB.commit), the cache learns the transaction's
// events and what the method adds:
//
//   - a change of the row stores the workshop as the transaction read it
//     after the change (put), unless a deletion came between its COMMIT
//     and the put;
//   - a change that only counts in seq (a join, a rating, a reason) raises
//     the known seq;
//   - a recount (a participant removed, the workshop anonymised) forgets
//     the count of participants and the participants found by token;
//   - a deletion drops the entry;
//   - a commit by another process (StoreChanged) empties the cache.
//
// The rule for what is newer is the events' rule: a copy read at seq S is
// replaced only by one read at a greater seq, so a slower goroutine can
// never put back an older state, and the seq known only grows. A miss is
// read from the read pool and stored unless a deletion happened meanwhile.
// What the cache holds is always a state the database was in: the row as
// of its last change and the seq of a later commit that did not change the
// row.
//
// It also keeps the participants that ParticipantByToken found, by the hash
// of their cookie's token: every rating request looks its participant up.
// A participant row changes after its join only through a recount of its
// workshop or the workshop's deletion, so each of those forgets the
// workshop's participants after its COMMIT, and a lookup that started
// before may not fill.
//
// Workshops nobody asked for during cacheIdleSweeps sweeps leave the cache
// with their participants (sweep), so a server that ran thousands of
// workshops keeps only the ones in use.
type workshopCache struct {
	// commitMu is held from just before a write transaction's COMMIT until
	// the cache has learnt what it changed, so the cache learns changes in
	// the order they committed: a seq never runs ahead of a settings
	// change that committed before it (see DB.commit).
	commitMu sync.Mutex

	mu     sync.Mutex
	gen    uint64 // counts deletions: a read that started before one may not fill
	byCode map[string]*cacheEntry
	byID   map[int64]*cacheEntry

	pgen         uint64                                    // counts forgetParticipants, as gen counts deletions
	byToken      map[int64]map[string]workshop.Participant // by workshop, then token hash
	participants int                                       // in byToken

	sweeps int // counts sweeps: the clock of cacheEntry.used
}

// maxCachedParticipants bounds the participants kept: past it the cache
// starts again empty (a few MB; the rooms in use fill it again at once).
const maxCachedParticipants = 100_000

type cacheEntry struct {
	w   *workshop.Workshop // the row and deck as of w.Seq; never mutated; nil until read
	seq int64              // the highest committed seq known, >= w.Seq
	// joined counts the workshop's active participants when known (for
	// the participant limit); see Join.
	joined      int
	joinedKnown bool
	used        int // the sweep during which it was last asked for
}

func newWorkshopCache() *workshopCache {
	return &workshopCache{byCode: map[string]*cacheEntry{}, byID: map[int64]*cacheEntry{}, byToken: map[int64]map[string]workshop.Participant{}}
}

// get returns a copy of the cached workshop with the latest seq, or nil.
// The copy shares the scenario and criterion slices, which nobody mutates.
func (c *workshopCache) get(code string) *workshop.Workshop {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.copyOf(c.byCode[code])
}

// getByID is get by the workshop's id.
func (c *workshopCache) getByID(id int64) *workshop.Workshop {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.copyOf(c.byID[id])
}

// copyOf returns a copy of e's workshop with the latest seq, or nil; the
// caller holds c.mu.
func (c *workshopCache) copyOf(e *cacheEntry) *workshop.Workshop {
	if e == nil || e.w == nil {
		return nil
	}
	e.used = c.sweeps
	w := *e.w
	w.Seq = e.seq
	return &w
}

// deck returns the cached workshop of id (its scenarios and criteria are
// what the rating path needs), or nil.
func (c *workshopCache) deck(id int64) *workshop.Workshop {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byID[id]; e != nil {
		e.used = c.sweeps
		return e.w
	}
	return nil
}

// generation is read before a miss goes to the database; fill takes it back.
func (c *workshopCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// entry returns the entry of id, creating it; the caller holds c.mu.
func (c *workshopCache) entry(id int64) *cacheEntry {
	e := c.byID[id]
	if e == nil {
		e = &cacheEntry{}
		c.byID[id] = e
	}
	e.used = c.sweeps
	return e
}

// fill stores a workshop read by a miss, unless a deletion happened since
// generation returned gen.
func (c *workshopCache) fill(w *workshop.Workshop, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	c.store(w)
}

// put stores a workshop as a committed transaction left it; gen is the
// generation before its COMMIT. If a deletion happened since, the workshop
// may be the deleted one: it is dropped instead, to be read again.
func (c *workshopCache) put(w *workshop.Workshop, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.dropLocked(w.ID, w.Code)
		return
	}
	c.store(w)
}

// store keeps w if it is newer than what the entry holds; the caller holds c.mu.
func (c *workshopCache) store(w *workshop.Workshop) {
	e := c.entry(w.ID)
	if e.w == nil || w.Seq > e.w.Seq {
		if e.w != nil && e.w.Code != w.Code {
			delete(c.byCode, e.w.Code)
		}
		e.w = w
		c.byCode[w.Code] = e
	}
	e.seq = max(e.seq, w.Seq)
}

// create stores a workshop that was just created, replacing whatever an
// earlier workshop with the same id left behind.
func (c *workshopCache) create(w *workshop.Workshop) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byID[w.ID]; e != nil && e.w != nil {
		delete(c.byCode, e.w.Code)
	}
	e := &cacheEntry{w: w, seq: w.Seq, used: c.sweeps}
	c.byID[w.ID] = e
	c.byCode[w.Code] = e
}

// drop forgets a deleted workshop.
func (c *workshopCache) drop(id int64, code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(id, code)
}

func (c *workshopCache) dropLocked(id int64, code string) {
	c.forgetParticipantsLocked(id)
	c.gen++
	if e := c.byID[id]; e != nil && e.w != nil {
		delete(c.byCode, e.w.Code)
	}
	delete(c.byID, id)
	delete(c.byCode, code)
}

// setJoined records the count of active participants of id.
func (c *workshopCache) setJoined(id int64, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(id)
	e.joined, e.joinedKnown = n, true
}

// participant returns the participant of workshop id whose token hashes
// to hash, if known.
func (c *workshopCache) participant(id int64, hash []byte) (workshop.Participant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.byToken[id][string(hash)]
	return p, ok
}

// participantGeneration is read before a lookup goes to the database;
// fillParticipant takes it back.
func (c *workshopCache) participantGeneration() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pgen
}

// fillParticipant stores a participant found by a lookup, unless its
// workshop's participants were forgotten since the lookup began.
func (c *workshopCache) fillParticipant(hash []byte, p workshop.Participant, pgen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pgen != pgen {
		return
	}
	if c.participants >= maxCachedParticipants {
		clear(c.byToken)
		c.participants = 0
	}
	m := c.byToken[p.WorkshopID]
	if m == nil {
		m = map[string]workshop.Participant{}
		c.byToken[p.WorkshopID] = m
	}
	if _, ok := m[string(hash)]; !ok {
		c.participants++
	}
	m[string(hash)] = p
}

// forgetParticipantsLocked drops the cached participants of workshop id;
// the caller holds c.mu.
func (c *workshopCache) forgetParticipantsLocked(id int64) {
	c.pgen++
	c.participants -= len(c.byToken[id])
	delete(c.byToken, id)
}

// learn records what committed events changed; the caller holds commitMu.
func (c *workshopCache) learn(events []workshop.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ev := range events {
		h := ev.Head()
		switch ev.(type) {
		case workshop.WorkshopDeleted:
			c.dropLocked(h.WorkshopID, "")
			continue
		case workshop.StoreChanged:
			c.clearLocked()
			continue
		}
		if h.WorkshopID == 0 {
			continue // an account, a session, a deck: nothing cached
		}
		switch ev.(type) {
		case workshop.RecountNeeded, workshop.ParticipantRemoved:
			c.forgetParticipantsLocked(h.WorkshopID)
			if e := c.byID[h.WorkshopID]; e != nil {
				e.joinedKnown = false
			}
		}
		e := c.entry(h.WorkshopID)
		e.seq = max(e.seq, h.Seq)
		if _, joined := ev.(workshop.ParticipantJoined); joined && e.joinedKnown {
			e.joined++
		}
	}
}

// learnRemote records what another server's committed events changed; the
// caller holds commitMu. Unlike this server's own writes, which store the
// row they leave (put), another server's change of a workshop's row is
// known only by its event: the row is forgotten, to be read again, and
// reads that began before may not fill it back.
func (c *workshopCache) learnRemote(events []workshop.Event) {
	c.learn(events)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ev := range events {
		switch ev.(type) {
		case workshop.WorkshopChanged, workshop.RecountNeeded, workshop.ParticipantRemoved:
			if e := c.byID[ev.Head().WorkshopID]; e != nil && e.w != nil {
				delete(c.byCode, e.w.Code)
				e.w = nil
				c.gen++
			}
		}
	}
}

// forgetUncertain drops the workshops that events of a transaction whose
// COMMIT failed would have changed, to be read again, and returns the
// recounts that make the views read them again: the transaction may or
// may not be on disk. The caller holds commitMu.
func (c *workshopCache) forgetUncertain(events []workshop.Event) []workshop.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	seqs := map[int64]int64{}
	for _, ev := range events {
		h := ev.Head()
		if h.WorkshopID != 0 {
			seqs[h.WorkshopID] = max(seqs[h.WorkshopID], h.Seq)
		}
	}
	var recounts []workshop.Event
	for id, seq := range seqs {
		c.dropLocked(id, "")
		recounts = append(recounts, workshop.RecountNeeded{EventHead: workshop.EventHead{WorkshopID: id, Seq: seq}})
	}
	return recounts
}

// clear forgets everything: another process changed the database.
func (c *workshopCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
}

func (c *workshopCache) clearLocked() {
	c.gen++
	c.pgen++
	clear(c.byCode)
	clear(c.byID)
	clear(c.byToken)
	c.participants = 0
}

// sweep counts one sweep and drops the workshops (with their
// participants) that nobody asked for during the last idle sweeps.
func (c *workshopCache) sweep(idle int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweeps++
	for id, e := range c.byID {
		if c.sweeps-e.used > idle {
			c.dropLocked(id, "")
		}
	}
	for id := range c.byToken {
		if c.byID[id] == nil {
			c.forgetParticipantsLocked(id)
		}
	}
}

// size reports how many workshops and participants the cache holds.
func (c *workshopCache) size() (workshops, participants int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byID), c.participants
}
