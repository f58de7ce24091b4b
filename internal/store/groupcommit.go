package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"foresight/internal/workshop"
)

// Group commit of ratings and joins.
//
// One goroutine owns the hot path of the writer. SaveRating, ClearRating
// and Join queue a request (rateReq, clearReq, joinReq) and wait. The
// goroutine takes every request waiting (up to maxRatingBatch) and runs
// them in one transaction, with one clock. A request the rules refuse
// (voting closed, a value out of range, an unknown item) is checked before
// it writes and gets its error; a write that fails on a constraint rolls
// back alone (a SAVEPOINT on SQLite; on PostgreSQL one statement that
// checks first). After COMMIT it answers every request of the batch: a
// rating is acknowledged only once it is on disk. One fsync then carries
// many ratings, where each rating used to pay its own.
//
// Nothing waits to fill a batch: while one transaction commits, the next
// requests queue, and they form the next batch. An idle server commits a
// lone rating at once.

// maxRatingBatch bounds a batch, so that the first rating of a long queue
// does not wait for hundreds of others.
const maxRatingBatch = 256

// errClosed answers requests that come after Close.
var errClosed = errors.New("store: the database is closed")

// writeReq is one request waiting for the writer: a rating (rateReq), a
// rating cleared (clearReq) or a join (joinReq). Each kind says what it
// needs and how it runs; all wait for the same reply.
type writeReq interface {
	out() *reply
	// workshopID is the workshop it writes, for the batch to name before
	// it begins (writeScope): 0 when unknown or when nothing needs naming.
	workshopID(d *DB) int64
	// apply runs the request inside the batch's transaction. A refusal
	// goes to its reply's err; the returned error means that the
	// transaction is no longer usable.
	apply(d *DB, tx *Tx, b *txBatch) error
}

// reply is what a request waits for: ch is the change of a rating (its Seq
// the workshop's seq after it, whether or not it changed anything); event
// is what the request announces when it changed something.
type reply struct {
	ch    workshop.RatingChanged
	event workshop.Event
	err   error
	done  chan struct{}
}

func (r *reply) out() *reply { return r }

// itemReq names the item a participant rates or clears.
type itemReq struct {
	p                       workshop.Participant
	scenarioID, criterionID int64
}

func (it *itemReq) workshopID(*DB) int64 { return it.p.WorkshopID }

// workshopID: the workshop of the join's code, as the cache knows it (the
// transaction reads it again holding its lock).
func (r *joinReq) workshopID(d *DB) int64 { return d.workshopID(context.Background(), r.code) }

// rateReq is a SaveRating: value nil is "don't know".
type rateReq struct {
	reply
	itemReq
	value *int
	room  *batchRoom // while it waits in its batch's pending ratings
}

// clearReq is a ClearRating.
type clearReq struct {
	reply
	itemReq
}

// joinReq is a Join. The writer answers p; the token was drawn before.
type joinReq struct {
	reply
	code        string
	displayName string
	groupID     int64
	token       string
	tokenHash   []byte
	p           workshop.Participant
}

// ratingQueue feeds the group-commit goroutines: one per writer lane
// (dialect.writers). A request goes to the lane of its workshop (its id
// modulo the lanes), so that each workshop's writes keep one queue and
// one order, and on PostgreSQL the lanes' transactions, which write
// different workshops, run side by side.
type ratingQueue struct {
	once    sync.Once
	mu      sync.RWMutex // held for reading to send, for writing to close
	closed  bool
	lanes   []lane
	batches atomic.Int64 // transactions run, for tests and diagnostics
	// batchLimit, when set, replaces maxRatingBatch: benchmarks measure
	// what batching is worth with 1.
	batchLimit atomic.Int64
	// oneByOne makes every batch write its ratings one statement each,
	// as after a failed statement of several: benchmarks compare.
	oneByOne atomic.Bool
	waiting  atomic.Int64 // requests queued or running, not yet answered
}

// lane is one group-commit goroutine's queue.
type lane struct {
	c       chan writeReq
	stopped chan struct{}
}

// ratings returns the queue, starting its goroutines on first use.
func (d *DB) ratings() *ratingQueue {
	q := &d.ratingQ
	q.once.Do(func() {
		q.lanes = make([]lane, d.writers)
		for i := range q.lanes {
			l := &q.lanes[i]
			l.c = make(chan writeReq, 4*maxRatingBatch)
			l.stopped = make(chan struct{})
			go d.runRatings(q, l)
		}
	})
	return q
}

// laneOf is the lane of a request: its workshop's (0 when unknown).
func (d *DB) laneOf(q *ratingQueue, req writeReq) *lane {
	if len(q.lanes) == 1 {
		return &q.lanes[0]
	}
	id := req.workshopID(d)
	return &q.lanes[uint64(id)%uint64(len(q.lanes))]
}

// write queues r and waits for its reply.
func (d *DB) write(req writeReq) (workshop.RatingChanged, error) {
	q := d.ratings()
	r := req.out()
	r.done = make(chan struct{})
	q.mu.RLock()
	if q.closed || q.lanes == nil { // nil: Close came first and the queue never started
		q.mu.RUnlock()
		return workshop.RatingChanged{}, errClosed
	}
	q.waiting.Add(1)
	d.laneOf(q, req).c <- req
	q.mu.RUnlock()
	<-r.done
	q.waiting.Add(-1)
	return r.ch, r.err
}

// stopRatings answers what is queued and stops the goroutines; Close
// calls it.
func (d *DB) stopRatings() {
	q := &d.ratingQ
	started := false
	q.once.Do(func() {}) // a queue never used stays unstarted
	q.mu.Lock()
	if !q.closed && q.lanes != nil {
		started = true
		for i := range q.lanes {
			close(q.lanes[i].c)
		}
	}
	q.closed = true
	q.mu.Unlock()
	if started {
		for i := range q.lanes {
			<-q.lanes[i].stopped
		}
	}
}

func (d *DB) runRatings(q *ratingQueue, l *lane) {
	defer close(l.stopped)
	batch := make([]writeReq, 0, maxRatingBatch)
	for r := range l.c {
		batch = append(batch[:0], r)
		limit := maxRatingBatch
		if n := int(q.batchLimit.Load()); n > 0 {
			limit = n
		}
	fill:
		for len(batch) < limit {
			select {
			case r, ok := <-l.c:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		d.commitRatings(batch)
	}
}

// commitRatings runs a batch and answers each request. An error that is
// not a rejection of one rating (the database failed) aborts the
// transaction: that request gets the error and the others run again in a
// new transaction.
func (d *DB) commitRatings(batch []writeReq) {
	oneByOne := d.ratingQ.oneByOne.Load()
	for len(batch) > 0 {
		batch, oneByOne = d.tryRatings(batch, oneByOne)
	}
}

// batchRoom is what a batch's transaction knows of one workshop: read once,
// as only the writer changes it and the batch holds the writer.
type batchRoom struct {
	err     error // the workshop is gone
	state   workshop.State
	round   int
	pacing  workshop.Pacing
	focus   int64 // the scenario in focus, when pacing by focus
	kind    workshop.RoundKind
	seq     int64 // the seq after the batch's changes so far
	changed bool
	w       *workshop.Workshop // the cached deck, or nil: look items up in SQL

	joined      int  // active participants, with the batch's joins
	joinedKnown bool // joined was counted (the workshop has a limit)
	joins       bool // the batch added participants
}

// txBatch is what one transaction of the group-commit goroutine knows.
type txBatch struct {
	rooms map[int64]*batchRoom
	codes map[string]*joinTarget // joins: the workshop of each code

	// Where the dialect writes many ratings in one statement
	// (dialect.saveRatings: PostgreSQL, where each statement is a round
	// trip), the batch's ratings wait here, checked, until a request of
	// another kind, a second rating of the same item or the end of the
	// batch sends them all (flushRatings); their seqs follow batch order.
	pending     []*rateReq
	pendingKeys map[[3]int64]struct{} // participant, scenario, criterion
	oneByOne    bool                  // one statement per rating
	flushFailed bool                  // a statement of several ratings failed
}

// joinTarget is a workshop as a join sees it.
type joinTarget struct {
	err       error // no such workshop
	id        int64
	state     string
	anonymity string
	limit     int
	archived  bool
	groups    []int64 // the IDs of the workshop's expert groups; none without
}

// tryRatings runs batch in one transaction. It answers every request and
// returns nil, or, when the transaction had to be abandoned, answers the
// request that failed and returns the others to run again. When a
// statement of several ratings failed, it answers none and returns them
// all, to run again one statement each (oneByOne), which finds the one.
func (d *DB) tryRatings(batch []writeReq, oneByOne bool) (retry []writeReq, _ bool) {
	answer := func(rs []writeReq) {
		for _, r := range rs {
			close(r.out().done)
		}
	}
	d.prepareHot()
	d.ratingQ.batches.Add(1)
	tx, err := d.beginScope(context.Background(), d.batchScope(batch))
	if err != nil {
		for _, r := range batch {
			r.out().ch, r.out().event, r.out().err = workshop.RatingChanged{}, nil, err
		}
		answer(batch)
		return nil, oneByOne
	}
	defer tx.Rollback()
	b := &txBatch{rooms: map[int64]*batchRoom{}, codes: map[string]*joinTarget{}, oneByOne: oneByOne}
	rooms := b.rooms
	for i, req := range batch {
		r := req.out()
		r.ch, r.event, r.err = workshop.RatingChanged{}, nil, nil
		if err := req.apply(d, tx, b); err != nil {
			tx.Rollback()
			if b.flushFailed {
				return batch, true // which rating failed: one statement each
			}
			// The database failed, not the rating: give up this
			// transaction, fail this request, run the others again.
			r.err = mapError(err)
			answer(batch[i : i+1])
			return append(append(retry, batch[:i]...), batch[i+1:]...), oneByOne
		}
	}
	if err := d.flushRatings(tx, b); err != nil {
		tx.Rollback()
		return batch, true
	}
	for id, room := range rooms {
		if room.changed {
			if _, err := d.txExec(tx, qSetSeq, room.seq, id); err != nil {
				failAll(batch, err)
				answer(batch)
				return nil, oneByOne
			}
		}
	}
	for _, req := range batch {
		if r := req.out(); r.err == nil && r.event != nil {
			tx.announce(r.event) // in batch order: each workshop's seqs ascend
		}
	}
	err = d.commit(tx, func(c *workshopCache) {
		for id, room := range rooms {
			if room.joinedKnown && room.joins {
				c.setJoined(id, room.joined) // counted exactly in the transaction
			}
		}
	})
	if err != nil {
		failAll(batch, err)
	}
	answer(batch)
	return nil, oneByOne
}

// pendRating puts a checked rating among the batch's pending ones, after
// sending those first if one of them rates the same item: one statement
// writes a row once.
func (d *DB) pendRating(tx *Tx, b *txBatch, room *batchRoom, r *rateReq) error {
	key := [3]int64{r.p.ID, r.scenarioID, r.criterionID}
	if _, ok := b.pendingKeys[key]; ok {
		if err := d.flushRatings(tx, b); err != nil {
			return err
		}
	}
	if b.pendingKeys == nil {
		b.pendingKeys = map[[3]int64]struct{}{}
	}
	b.pendingKeys[key] = struct{}{}
	r.room = room
	b.pending = append(b.pending, r)
	return nil
}

// flushRatings writes the batch's pending ratings (dialect.saveRatings)
// and gives each its seq, in batch order.
func (d *DB) flushRatings(tx *Tx, b *txBatch) error {
	rs := b.pending
	if len(rs) == 0 {
		return nil
	}
	b.pending = b.pending[:0]
	clear(b.pendingKeys)
	ws, err := d.dialect.saveRatings(d, tx, rs)
	if err != nil {
		b.flushFailed = true // not the request that sent them: run again one by one
		return err
	}
	for i, r := range rs {
		if r.err == nil {
			r.changed(r.room, &r.reply, ws[i])
		}
		r.room = nil
	}
	return nil
}

// batchScope names the workshops a batch writes, so that its transaction
// takes their locks (and no others) before it begins; on SQLite, whose
// one writer holds everything, it names nothing.
func (d *DB) batchScope(batch []writeReq) writeScope {
	if !d.dialect.workshopLocks() {
		return writeScope{}
	}
	ids := make([]int64, 0, 8)
	for _, r := range batch {
		if id := r.workshopID(d); id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return roomScope(ids...)
}

// failAll gives the error to every request that was not rejected already.
func failAll(batch []writeReq, err error) {
	for _, req := range batch {
		if r := req.out(); r.err == nil {
			r.ch, r.event, r.err = workshop.RatingChanged{}, nil, err
		}
	}
}

// check refuses a rating or clearing of an item that the workshop does not
// have, or while voting is closed or the item is out of focus, and returns
// the workshop as the batch knows it and the item's criterion. ok is false
// when the request was refused (into r.err); err means that the
// transaction is no longer usable.
func (it itemReq) check(d *DB, tx *Tx, b *txBatch, r *reply) (room *batchRoom, crit workshop.Criterion, ok bool, err error) {
	room, err = d.batchRoom(tx, b, it.p.WorkshopID)
	if err != nil {
		return nil, crit, false, err
	}
	refuse := room.err
	if refuse == nil {
		if crit, err = d.checkItem(tx, room, it.p.WorkshopID, it.scenarioID, it.criterionID); err != nil {
			if workshop.ErrorCode(err) == workshop.EInternal {
				return nil, crit, false, err
			}
			refuse = err
		}
	}
	if refuse == nil {
		refuse = workshop.CheckRatingsOpen(room.state)
	}
	if refuse == nil {
		refuse = workshop.CheckRatingRound(room.kind)
	}
	if refuse == nil {
		refuse = workshop.CheckInFocus(room.pacing, room.focus, it.scenarioID)
	}
	if refuse != nil {
		r.err = refuse
		return nil, crit, false, nil
	}
	return room, crit, true, nil
}

// changed answers a rating's write: the change, and the event when it
// changed anything (the workshop's seq moves on).
func (it itemReq) changed(room *batchRoom, r *reply, w ratingWrite) {
	if w.changed {
		room.seq++
		room.changed = true
	}
	r.ch = workshop.RatingChanged{EventHead: workshop.EventHead{WorkshopID: it.p.WorkshopID, Seq: room.seq}, Round: room.round,
		ParticipantID: it.p.ID, GroupID: it.p.GroupID, ScenarioID: it.scenarioID, CriterionID: it.criterionID, Old: w.before, New: w.after}
	if w.changed {
		r.event = r.ch
	}
}

func (r *rateReq) apply(d *DB, tx *Tx, b *txBatch) error {
	room, crit, ok, err := r.check(d, tx, b, &r.reply)
	if !ok {
		return err
	}
	if err := crit.CheckValue(r.value); err != nil {
		r.err = err
		return nil
	}
	if !b.oneByOne && d.dialect.ratingsTogether() {
		return d.pendRating(tx, b, room, r)
	}
	w, err := d.dialect.saveRating(d, tx, room, r)
	if err != nil || r.err != nil {
		return err
	}
	r.changed(room, &r.reply, w)
	return nil
}

func (r *clearReq) apply(d *DB, tx *Tx, b *txBatch) error {
	if err := d.flushRatings(tx, b); err != nil { // seqs in batch order
		return err
	}
	room, _, ok, err := r.check(d, tx, b, &r.reply)
	if !ok {
		return err
	}
	w, err := d.dialect.clearRating(d, tx, room, r)
	if err != nil || r.err != nil {
		return err
	}
	r.changed(room, &r.reply, w)
	return nil
}

// inSavepoint runs write in a savepoint of the batch's transaction. A
// domain error (a refusal) undoes only that savepoint and goes to r.err;
// an internal error is returned: the transaction is no longer usable.
func (d *DB) inSavepoint(tx *Tx, r *reply, write func() error) error {
	if _, err := d.txExec(tx, qSavepoint); err != nil {
		return err
	}
	if err := write(); err != nil {
		if workshop.ErrorCode(err) == workshop.EInternal {
			return err
		}
		if _, err := d.txExec(tx, qRollbackTo); err != nil {
			return err
		}
		r.err = err
	}
	_, err := d.txExec(tx, qRelease)
	return err
}

// batchRoom returns what the batch knows of workshop id, reading it on
// first use, holding its lock.
func (d *DB) batchRoom(tx *Tx, b *txBatch, id int64) (*batchRoom, error) {
	if room := b.rooms[id]; room != nil {
		return room, nil
	}
	if _, err := tx.lockWorkshop(id); err != nil {
		return nil, err
	}
	room := &batchRoom{w: d.workshops().deck(id)}
	var state, pacing, kind string
	err := d.txQueryRow(tx, qItemState, id).Scan(&state, &room.round, &room.seq, &pacing, &room.focus, &kind)
	room.pacing, room.kind = workshop.Pacing(pacing), workshop.RoundKind(kind)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		room.err = mapErrorNotFound(err)
	case err != nil:
		return nil, err
	}
	room.state = workshop.State(state)
	b.rooms[id] = room
	return room, nil
}

// apply adds the participant of a Join inside the batch's transaction,
// in its own savepoint. A refusal (no such workshop, finished, full) is
// stored in r.err; the returned error means the transaction is no longer
// usable. The participant limit counts the batch's earlier joins.
func (r *joinReq) apply(d *DB, tx *Tx, b *txBatch) error {
	if err := d.flushRatings(tx, b); err != nil { // seqs in batch order
		return err
	}
	t := b.codes[r.code]
	if t == nil {
		t = &joinTarget{}
		err := d.txQueryRow(tx, qJoinWorkshop, r.code).Scan(&t.id, &t.state, &t.anonymity, &t.limit, &t.archived)
		if err == nil {
			// A workshop the batch did not name (its code named none
			// when the batch began): read it again holding its lock.
			var again bool
			if again, err = tx.lockWorkshop(t.id); again {
				err = d.txQueryRow(tx, qJoinWorkshop, r.code).Scan(&t.id, &t.state, &t.anonymity, &t.limit, &t.archived)
			}
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			t.err = mapErrorNotFound(err)
		case err != nil:
			return err
		default:
			// From SQL, not the cache: the groups may have changed in a
			// commit the cache has not learnt yet.
			if t.groups, err = d.joinGroups(tx, t.id); err != nil {
				return err
			}
		}
		b.codes[r.code] = t
	}
	if t.err != nil {
		r.err = t.err
		return nil
	}
	room, err := d.batchRoom(tx, b, t.id)
	if err != nil {
		return err
	}
	if room.err != nil {
		r.err = room.err
		return nil
	}
	facts := workshop.JoinFacts{State: workshop.State(t.state), Archived: t.archived, Limit: t.limit, Groups: t.groups}
	if t.limit > 0 {
		if !room.joinedKnown {
			if room.joined, err = d.joinedCount(tx, t.id); err != nil {
				return err
			}
			room.joinedKnown = true
		}
		facts.Joined = room.joined
	}
	if err := workshop.CheckJoin(facts, r.groupID); err != nil {
		r.err = err
		return nil
	}
	p := workshop.Participant{WorkshopID: t.id}
	if len(t.groups) > 0 {
		p.GroupID = r.groupID
	}
	name := sql.NullString{String: r.displayName, Valid: workshop.Anonymity(t.anonymity) == workshop.Pseudonymous && r.displayName != ""}
	group := sql.NullInt64{Int64: p.GroupID, Valid: p.GroupID != 0}
	if err := d.inSavepoint(tx, &r.reply, func() (err error) {
		for range 20 { // 29^5 pseudonyms: a clash is rare even in a large room
			p.Pseudonym = workshop.NewPseudonym()
			err = tx.attempt(func() error {
				return d.txQueryRow(tx, qJoinInsert, p.WorkshopID, r.tokenHash, p.Pseudonym, name, group, tx.now()).Scan(&p.ID)
			})
			if !isUniqueViolation(err, "pseudonym") {
				break
			}
		}
		return mapError(err)
	}); err != nil || r.err != nil {
		return err
	}
	room.seq++
	room.changed, room.joins = true, true
	if room.joinedKnown {
		room.joined++
	}
	r.p = p
	r.event = workshop.ParticipantJoined{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID, Seq: room.seq}, ParticipantID: p.ID, GroupID: p.GroupID}
	return nil
}

// joinGroups reads the IDs of a workshop's expert groups in the batch's
// transaction.
func (d *DB) joinGroups(tx *Tx, workshopID int64) ([]int64, error) {
	var rows *sql.Rows
	var err error
	if s := d.stmt(tx, qJoinGroups); s != nil {
		rows, err = s.Query(workshopID)
	} else {
		rows, err = tx.Query(qJoinGroups, workshopID)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// checkItem checks that scenario and criterion belong to the workshop and
// returns the criterion's rules: from the cached deck (which never
// changes), or from SQL when the workshop is not cached.
func (d *DB) checkItem(tx *Tx, room *batchRoom, workshopID, scenarioID, criterionID int64) (workshop.Criterion, error) {
	// Functions, not values: building the errors for every rating that
	// is fine was a measurable part of the hot path's garbage.
	noScenario := func() error {
		return workshop.FieldErrorf(workshop.ENotFound, "scenario_id", "error.workshop_no_such_scenario")
	}
	noCriterion := func() error {
		return workshop.FieldErrorf(workshop.ENotFound, "criterion_id", "error.workshop_no_such_criterion")
	}
	if room.w != nil {
		if _, ok := room.w.Scenario(scenarioID); !ok {
			return workshop.Criterion{}, noScenario()
		}
		c, ok := room.w.Criterion(criterionID)
		if !ok {
			return c, noCriterion()
		}
		return c, nil
	}
	var n int
	if err := d.txQueryRow(tx, qItemScenario, scenarioID, workshopID).Scan(&n); err != nil {
		return workshop.Criterion{}, err
	}
	if n == 0 {
		return workshop.Criterion{}, noScenario()
	}
	var c workshop.Criterion
	var body string
	err := d.txQueryRow(tx, qItemCriterion, criterionID, workshopID).Scan(&c.ID, &c.Kind, &c.Min, &c.Max, &c.Step, &c.DontKnow, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return c, noCriterion()
	}
	if err != nil {
		return c, err
	}
	// The yardstick decides which values a percent scale takes.
	var b criterionBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return c, err
	}
	c.Yardstick = b.Yardstick
	return c, nil
}

// deleteRating deletes the rating of r, if there is one. A constraint
// failure comes back as a domain error.
func (d *DB) deleteRating(tx *Tx, room *batchRoom, r *clearReq) (ratingWrite, error) {
	var old sql.NullInt64
	err := d.txQueryRow(tx, qDeleteRating, room.round, r.p.ID, r.scenarioID, r.criterionID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return ratingWrite{}, nil // nothing to clear
	}
	if err != nil {
		return ratingWrite{}, mapError(err)
	}
	return ratingWrite{changed: true, before: answerOf(old)}, nil
}
