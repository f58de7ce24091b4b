package sqlite

import (
	"sync"

	"foresight/internal/workshop"
)

// workshopCache keeps each workshop as WorkshopByCode returns it, so that
// participant requests (join, page, stream, every rating) do not read the
// workshop, its scenarios and criteria from SQLite and decode their texts
// again each time.
//
// The deck snapshot (scenarios, criteria, texts) never changes once a
// workshop exists. Its row (state, round, settings, seq) changes only
// through this package's methods, and every such change increments the
// workshop's seq in the same transaction. After its COMMIT, each method
// tells the cache:
//
//   - a change of the row (changeWorkshop) stores the workshop as the
//     transaction read it after the change (put), unless a deletion came
//     between its COMMIT and the put;
//   - a change that only counts in seq (a join, a rating, a reason) raises
//     the known seq (bump);
//   - a deletion drops the entry (drop).
//
// Since seq orders the transactions, a workshop read at a higher seq is
// newer: a slower goroutine can never put back an older state. A miss is
// read from the read pool and stored unless a deletion happened meanwhile.
// The cache assumes that this process is the only one that changes
// workshops (the command line only creates them, which a miss finds).
//
// The cache learns the changes in commit order (commitMu), so what it holds
// is always a state the database was in: the row as of its last change and
// the seq of a later commit that did not change the row.
//
// It also keeps the participants that ParticipantByToken found, by the hash
// of their cookie's token: every rating request looks its participant up.
// A participant row changes after its join only through a change of its
// workshop (removal, anonymisation) or the workshop's deletion, so each of
// those forgets the workshop's participants after its COMMIT
// (forgetParticipants), and a lookup that started before may not fill.
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
}

func newWorkshopCache() *workshopCache {
	return &workshopCache{byCode: map[string]*cacheEntry{}, byID: map[int64]*cacheEntry{}, byToken: map[int64]map[string]workshop.Participant{}}
}

// get returns a copy of the cached workshop with the latest seq, or nil.
// The copy shares the scenario and criterion slices, which nobody mutates.
func (c *workshopCache) get(code string) *workshop.Workshop {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byCode[code]
	if e == nil || e.w == nil {
		return nil
	}
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
	e := &cacheEntry{w: w, seq: w.Seq}
	c.byID[w.ID] = e
	c.byCode[w.Code] = e
}

// bump records a committed seq of workshop id.
func (c *workshopCache) bump(id, seq int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(id)
	e.seq = max(e.seq, seq)
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

// forgetJoined marks the count of active participants of id unknown.
func (c *workshopCache) forgetJoined(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byID[id]; e != nil {
		e.joinedKnown = false
	}
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

// forgetParticipants drops the cached participants of workshop id.
func (c *workshopCache) forgetParticipants(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgetParticipantsLocked(id)
}

func (c *workshopCache) forgetParticipantsLocked(id int64) {
	c.pgen++
	c.participants -= len(c.byToken[id])
	delete(c.byToken, id)
}

// commit commits tx and then, if it committed, tells the cache what it
// changed (done), in commit order. If COMMIT fails, failed (when not nil)
// runs instead: the transaction may or may not be on disk.
func (d *DB) commit(tx *Tx, done, failed func(*workshopCache)) error {
	c := d.workshops()
	c.commitMu.Lock()
	defer c.commitMu.Unlock()
	if err := tx.Commit(); err != nil {
		if failed != nil {
			failed(c)
		}
		return err
	}
	if done != nil {
		done(c)
	}
	return nil
}

// caughtUp returns once the cache knows every transaction that committed
// before it was called. A write transaction that changes nothing calls it
// before it answers with the seq it read, so that a read which follows
// sees at least that seq.
func (d *DB) caughtUp() {
	c := d.workshops()
	c.commitMu.Lock()
	c.commitMu.Unlock() // nothing to do inside: only wait for the commits before
}
