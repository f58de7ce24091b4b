package store

import (
	"context"
	"database/sql"
	"log/slog"

	"foresight/internal/workshop"
)

// dialect is what differs between the two engines, one implementation
// each: dialect_sqlite.go and dialect_postgres.go. The rest of the store
// runs the same statements on both and asks its DB's dialect where they
// differ, so that an engine's peculiarities live in its own file.
type dialect interface {
	// name is the engine's name: "sqlite" or "postgres".
	name() string

	// indexedBy is the hint to read a table through index, or "" for a
	// planner that takes none.
	indexedBy(index string) string

	// lockWriters runs first in every write transaction, so that writes
	// of the same workshops (of anything, for the zero scope) take turns
	// and each reads what every earlier one committed.
	lockWriters(ctx context.Context, tx *sql.Tx, scope writeScope) error

	// lockWorkshops takes the locks of workshops ids in a transaction that
	// began holding others (Tx.lockWorkshop).
	lockWorkshops(ctx context.Context, tx *sql.Tx, ids []int64) error

	// workshopLocks reports whether writes of different workshops run at
	// the same time, so that a write transaction names its workshops
	// before it begins (writeScope); not so with one writer for all.
	workshopLocks() bool

	// readOptions start a read-only snapshot on the reader pool.
	readOptions() *sql.TxOptions

	// errorsAbort reports whether a failed statement aborts the whole
	// transaction, so that a write that may fail runs in a savepoint
	// (Tx.attempt).
	errorsAbort() bool

	// beforeCommit runs in tx just before its COMMIT.
	beforeCommit(tx *Tx) error

	// hotQueries are the dialect's own statements of the hot path,
	// prepared once with the others (prepared.go).
	hotQueries() []string

	// saveRating writes a rating that rateReq.apply has checked, and
	// clearRating deletes one that clearReq.apply has checked. A refusal
	// goes to r.err; the returned error means that the transaction is no
	// longer usable.
	saveRating(d *DB, tx *Tx, room *batchRoom, r *rateReq) (ratingWrite, error)
	clearRating(d *DB, tx *Tx, room *batchRoom, r *clearReq) (ratingWrite, error)

	// ratingsTogether reports whether a batch's ratings are written
	// together, by saveRatings (groupcommit.go, flushRatings), rather
	// than one by one as they come.
	ratingsTogether() bool

	// saveRatings writes ratings that rateReq.apply has checked, each of
	// another item, in one go, and returns what each did, in order
	// (refusals go to each request's err, as with saveRating).
	saveRatings(d *DB, tx *Tx, rs []*rateReq) ([]ratingWrite, error)

	// joinsInCache reports whether the cache learns every join before the
	// next write transaction starts, so that it may count a room's
	// participants (joinedCount); not so when other servers write too.
	joinsInCache() bool

	// backup writes a consistent copy of the database to path, or says
	// why it does not.
	backup(ctx context.Context, d *DB, path string) error

	// watchOthers starts to notice the commits of other processes or
	// servers and closes ready once it does (or failed to, the first
	// time). tick runs once every WatchEvery; stop ends the watch.
	watchOthers(d *DB, log *slog.Logger, ready chan<- struct{}) (tick, stop func())
}

// ratingWrite is what saveRating did: whether it changed anything, and the
// answers before and after (both nil when it changed nothing). A value,
// not a pointer into the caller's event: that would escape to the heap
// through the interface call, once per rating.
type ratingWrite struct {
	changed       bool
	before, after *workshop.Answer
}
