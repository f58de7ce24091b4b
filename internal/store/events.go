package store

import (
	"log/slog"
	"sync"
	"time"

	"foresight/internal/workshop"
)

// Every write transaction collects what it changes as events (Tx.announce)
// and commits through DB.commit. After COMMIT, and in commit order, the
// store's cache learns the events and then every subscriber hears them. A
// handler never tells anyone what it changed: it calls the store, and the
// store announces it. Nothing is announced of a transaction that did not
// commit; a COMMIT that failed in a way that leaves its outcome unknown
// makes the views count again (RecountNeeded).

// Subscribe adds fn to the subscribers of committed changes. fn is called
// after each COMMIT with the transaction's events, in commit order, while
// the next commit waits: it must be quick, must not block, must not call
// the store's write methods, and must not keep the slice. Subscribe before
// the first write (cmd wires the live hub at start-up).
func (d *DB) Subscribe(fn func([]workshop.Event)) {
	d.subsMu.Lock()
	defer d.subsMu.Unlock()
	d.subs = append(d.subs, fn)
}

// publish hands events to every subscriber; the caller holds commitMu.
func (d *DB) publish(events []workshop.Event) {
	if len(events) == 0 {
		return
	}
	d.subsMu.RLock()
	subs := d.subs
	d.subsMu.RUnlock()
	for _, fn := range subs {
		fn(events)
	}
}

// announce records what the transaction changes, to publish after COMMIT.
func (tx *Tx) announce(ev ...workshop.Event) {
	tx.events = append(tx.events, ev...)
}

// commit commits tx and then, if it committed, has the cache learn its
// events and what learn tells it (facts that are not events, such as an
// exact count of participants), and publishes the events, all in commit
// order. If COMMIT fails, the transaction may or may not be on disk: the
// cache forgets the workshops it touched, to read them again, and the
// views count them again.
func (d *DB) commit(tx *Tx, learn func(*workshopCache)) error {
	c := d.workshops()
	c.commitMu.Lock()
	defer c.commitMu.Unlock()
	if err := tx.Commit(); err != nil {
		d.publish(c.forgetUncertain(tx.events))
		return err
	}
	c.learn(tx.events)
	if learn != nil {
		learn(c)
	}
	d.publish(tx.events)
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

// Other processes that write the database (the command line run by an
// operator: a new password, a disabled account, an imported deck, a new
// workshop) commit through connections of their own. SQLite's data_version
// of the writer connection changes exactly when another connection
// committed, this process's readers never write, so a change of it means
// that someone else wrote: the cache starts again empty and the
// subscribers hear StoreChanged, within one interval.

// WatchEvery is how often WatchOtherWriters looks at data_version.
const WatchEvery = 250 * time.Millisecond

// cacheIdleSweeps is after how many sweeps (one per WatchEvery) without a
// use a workshop leaves the cache: about ten minutes.
const cacheIdleSweeps = int(10 * time.Minute / WatchEvery)

// WatchOtherWriters starts a goroutine that notices other processes'
// commits, as above on SQLite, by their notifications on PostgreSQL
// (notify.go), and sweeps idle workshops out of the cache. The server
// calls it; Close stops it. Errors go to log.
func (d *DB) WatchOtherWriters(log *slog.Logger) {
	d.watchOnce.Do(func() {
		d.watchStop = make(chan struct{})
		d.watchDone = make(chan struct{})
		d.watchReady = make(chan struct{})
		go d.watch(log)
		// On PostgreSQL, return once listening (or after its first
		// failure, whose recovery reads everything again): a change
		// committed before would otherwise go unnoticed.
		select {
		case <-d.watchReady:
		case <-time.After(10 * time.Second):
		}
	})
}

func (d *DB) watch(log *slog.Logger) {
	defer close(d.watchDone)
	tick, stop := d.dialect.watchOthers(d, log, d.watchReady)
	defer stop()
	t := time.NewTicker(WatchEvery)
	defer t.Stop()
	for {
		select {
		case <-d.watchStop:
			return
		case <-t.C:
		}
		tick()
		d.workshops().sweep(cacheIdleSweeps)
	}
}

// otherWriterCommitted forgets every cached row and tells the
// subscribers, in order with this process's own commits.
func (d *DB) otherWriterCommitted() {
	c := d.workshops()
	c.commitMu.Lock()
	defer c.commitMu.Unlock()
	c.clear()
	d.publish([]workshop.Event{workshop.StoreChanged{}})
}

// stopWatching stops the goroutine of WatchOtherWriters; Close calls it.
func (d *DB) stopWatching() {
	d.watchOnce.Do(func() {}) // a watch never started stays unstarted
	if d.watchStop != nil {
		d.watchStopOnce.Do(func() { close(d.watchStop) })
		<-d.watchDone
	}
}

// watchState is the part of DB that WatchOtherWriters uses.
type watchState struct {
	watchOnce     sync.Once
	watchStopOnce sync.Once
	watchStop     chan struct{}
	watchDone     chan struct{}
	watchReady    chan struct{} // closed once the watch is looking
}
