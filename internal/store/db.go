// Package store keeps Foresight's data, in one SQLite file (the default,
// dialect_sqlite.go) or in a PostgreSQL database that several servers share
// (dialect_postgres.go). Both engines run the same methods and the same SQL, with
// the same rule: one writer at a time for each workshop (SQLite's write lock,
// one writer for everything; on PostgreSQL advisory locks every write
// transaction takes first, one per workshop it writes), a pool of readers
// that read consistent snapshots, and events announced after each COMMIT.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"foresight/internal/workshop"
)

// timeFormat is how SQLite stores times: sortable text, UTC. Its
// nanoseconds are there for the rows of earlier versions: the store writes
// microseconds, as PostgreSQL's timestamptz keeps them (timeArg).
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// timeArg is a time as an argument of a statement, on either engine:
// SQLite's text (Value, dialect_sqlite.go) or PostgreSQL's timestamptz
// (TimestamptzValue, dialect_postgres.go), cut to the microsecond on both,
// so that a time reads back the same from either.
type timeArg time.Time

// micros is the time as the store writes it.
func (t timeArg) micros() time.Time { return time.Time(t).UTC().Truncate(time.Microsecond) }

// timeScan reads a stored time into t, from either engine: SQLite's text
// or PostgreSQL's timestamptz, in UTC; NULL (and text that is no time) is
// the zero time.
type timeScan struct{ t *time.Time }

func (s timeScan) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*s.t = v.UTC()
	case string:
		*s.t = parseTime(v)
	case []byte:
		*s.t = parseTime(string(v))
	case nil:
		*s.t = time.Time{}
	default:
		return fmt.Errorf("a time stored as %T", v)
	}
	return nil
}

// DB is the store. Its methods are safe for concurrent use.
type DB struct {
	dialect dialect // what differs between the engines (dialect.go)
	path    string  // the SQLite file; "" on PostgreSQL
	name    string  // how messages name the database: the path, or the URL without its password
	writer  *sql.DB
	reader  *sql.DB
	// writers is how many transactions of this process write at once:
	// the writer pool's connections for the group commit's lanes
	// (groupcommit.go). 1 on SQLite; on PostgreSQL each lane writes its
	// own workshops, beside the others.
	writers int
	// Now is the clock; tests may replace it before use.
	Now func() time.Time

	cacheOnce sync.Once
	cache     *workshopCache // see workshops(); built on first use
	stmts     preparedStmts  // prepared.go
	ratingQ   ratingQueue    // groupcommit.go

	subsMu sync.RWMutex
	subs   []func([]workshop.Event) // events.go
	watchState

	// failAt is nil but in tests of one use case, one transaction: the
	// use cases that write in several steps ask it between them (failed)
	// with the name of the step just done, and an error it returns fails
	// the transaction there, as a crash would, so a test can see that no
	// step commits without the others.
	failAt func(step string) error
}

// failed is the error failAt injects after step, nil in production.
func (d *DB) failed(step string) error {
	if d.failAt == nil {
		return nil
	}
	return d.failAt(step)
}

// workshops returns the cache of workshops (cache.go).
func (d *DB) workshops() *workshopCache {
	d.cacheOnce.Do(func() { d.cache = newWorkshopCache() })
	return d.cache
}

// Open opens the database that dsn names, creating and migrating it as
// needed: a postgres:// (or postgresql://) URL opens PostgreSQL, anything
// else is the path of a SQLite file.
func Open(dsn string) (*DB, error) {
	if IsPostgresURL(dsn) {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Name is how messages name the database: its file, or its URL with the
// password masked.
func (d *DB) Name() string { return d.name }

// Engine names the database engine: "sqlite" or "postgres".
func (d *DB) Engine() string { return d.dialect.name() }

// Close closes both pools.
func (d *DB) Close() error {
	d.stopWatching()
	d.stopRatings() // answers the ratings still queued first
	var errs []error
	errs = append(errs, d.closeStmts())
	if d.reader != nil {
		errs = append(errs, d.reader.Close())
	}
	errs = append(errs, d.writer.Close())
	return errors.Join(errs...)
}

// Ping reports whether the database answers a read.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.reader.QueryRowContext(ctx, `SELECT 1 FROM schema_migrations LIMIT 1`).Scan(&one)
}

// Tx is a transaction with one clock: every time it writes is Now, to the
// microsecond.
type Tx struct {
	*sql.Tx
	Now time.Time
	// bound holds the hot statements bound to this transaction, each made
	// once: a batch of 256 ratings runs the same few statements many times,
	// and database/sql allocates a new binding at each Tx.Stmt.
	bound map[string]*sql.Stmt
	// events is what the transaction changes, announced after its
	// COMMIT (events.go).
	events  []workshop.Event
	dialect dialect
	nowArg  any // now(), boxed once
	// locks is which writers' locks the transaction holds (writeScope).
	locks writeScope
}

// writeScope is what a write transaction may write, named before it
// begins, so that it takes the writers' locks it needs first
// (dialect.lockWriters). The zero value is everything: accounts, sessions,
// links, decks, keys, and any workshop; such a transaction writes alone,
// as every write did before workshops had locks of their own. A scope of
// workshops (roomScope) writes only those workshops, and workshops it
// creates (nobody else can see them before its COMMIT); it runs at the
// same time as writes of other workshops, and takes turns with writes of
// the same workshop, whose seqs must follow each other without gaps.
// SQLite has one writer for everything, whatever the scope.
type writeScope struct {
	workshops bool    // only the workshops in ids (and new ones)
	ids       []int64 // the workshops, ascending, each once
}

// roomScope is the scope of a transaction that writes the workshops ids
// (any order, repeats allowed) and no other: none for one that only
// creates workshops.
func roomScope(ids ...int64) writeScope {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 }) // 0: none (workshopID)
	slices.Sort(ids)
	return writeScope{workshops: true, ids: slices.Compact(ids)}
}

// holds reports whether a transaction of scope s may write workshop id.
func (s writeScope) holds(id int64) bool {
	if !s.workshops {
		return true
	}
	_, ok := slices.BinarySearch(s.ids, id)
	return ok
}

// lockWorkshop takes the writers' lock of workshop id, which the
// transaction did not name when it began (a workshop that its code named
// only once the transaction could read it), and reports whether it had to:
// then what the transaction read of that workshop before is to be read
// again. It is a no-op when the transaction holds it already, and always
// on SQLite.
func (tx *Tx) lockWorkshop(id int64) (bool, error) {
	if tx.locks.holds(id) {
		return false, nil
	}
	if err := tx.dialect.lockWorkshops(context.Background(), tx.Tx, []int64{id}); err != nil {
		return false, err
	}
	tx.locks = roomScope(append(tx.locks.ids, id)...)
	return true, nil
}

// workshopLocked reads workshop code in tx, holding its writers' lock.
func workshopLocked(tx *Tx, code string) (*workshop.Workshop, error) {
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, err
	}
	if again, err := tx.lockWorkshop(w.ID); err != nil || !again {
		return w, err
	}
	return workshopByCode(tx, code) // as it is now that nobody else writes it
}

// attempt runs a write that may fail and be tried again in the same
// transaction (a random code or pseudonym that clashes). On PostgreSQL it
// runs inside a savepoint, so that a failure leaves the transaction usable.
func (tx *Tx) attempt(write func() error) error {
	if !tx.dialect.errorsAbort() {
		return write()
	}
	if _, err := tx.Exec(`SAVEPOINT attempt`); err != nil {
		return err
	}
	if err := write(); err != nil {
		if _, rerr := tx.Exec(`ROLLBACK TO SAVEPOINT attempt`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := tx.Exec(`RELEASE SAVEPOINT attempt`)
	return err
}

// Commit commits the transaction, after what its dialect does first (on
// PostgreSQL: tell the other servers what it changed).
func (tx *Tx) Commit() error {
	if err := tx.dialect.beforeCommit(tx); err != nil {
		tx.Tx.Rollback()
		return err
	}
	return tx.Tx.Commit()
}

// now is the transaction's clock as an argument, boxed once: a batch of
// ratings passes it with every one.
func (tx *Tx) now() any {
	if tx.nowArg == nil {
		tx.nowArg = timeArg(tx.Now)
	}
	return tx.nowArg
}

// nowIf is now, or NULL when not ok.
func (tx *Tx) nowIf(ok bool) any {
	if !ok {
		return nil
	}
	return tx.now()
}

// begin starts a write transaction that may write anything (writeScope):
// BEGIN IMMEDIATE (via the DSN) on SQLite, BEGIN and the writers' advisory
// lock on PostgreSQL, so that on both engines it writes alone and reads
// what every earlier one committed. Writes run detached from the request's
// cancellation: a client that goes away must not roll back a write that is
// about to commit.
func (d *DB) begin(ctx context.Context) (*Tx, error) {
	return d.beginScope(ctx, writeScope{})
}

// beginWorkshops starts a write transaction that writes only the
// workshops ids (and workshops it creates): on PostgreSQL it takes their
// locks, in ascending order, and runs beside the writes of other
// workshops; it reads what every earlier write of its workshops committed.
func (d *DB) beginWorkshops(ctx context.Context, ids ...int64) (*Tx, error) {
	return d.beginScope(ctx, roomScope(ids...))
}

func (d *DB) beginScope(ctx context.Context, scope writeScope) (*Tx, error) {
	ctx = context.WithoutCancel(ctx)
	tx, err := d.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	if err := d.dialect.lockWriters(ctx, tx, scope); err != nil {
		tx.Rollback()
		return nil, err
	}
	if !d.dialect.workshopLocks() {
		scope = writeScope{} // one writer: it holds everything
	}
	return &Tx{Tx: tx, Now: d.Now().Truncate(time.Microsecond), dialect: d.dialect, locks: scope}, nil
}

// workshopID is the id of workshop code, for a write transaction to name
// it before it begins (beginWorkshops), or 0 when there is none or when
// the engine has one writer for everything (SQLite): then nothing needs
// naming. The transaction reads the workshop again holding its lock
// (workshopLocked), so an id read from the cache is enough.
func (d *DB) workshopID(ctx context.Context, code string) int64 {
	if !d.dialect.workshopLocks() {
		return 0
	}
	w, err := d.WorkshopByCode(ctx, code)
	if err != nil {
		return 0
	}
	return w.ID
}

// read starts a read-only transaction on the reader pool: a consistent
// snapshot (REPEATABLE READ on PostgreSQL; a read transaction of the WAL
// on SQLite) that never blocks the writer.
func (d *DB) read(ctx context.Context) (*sql.Tx, error) {
	return d.reader.BeginTx(ctx, d.dialect.readOptions())
}

// mapError turns driver errors into domain errors where they mean something
// to the user; others pass through as internal errors.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "error.not_found_lower")
	}
	switch constraintOf(err) {
	case constraintUnique:
		return workshop.Errorf(workshop.EConflict, "error.already_exists")
	case constraintCheck:
		return workshop.Errorf(workshop.EInvalid, "error.value_out_range")
	case constraintForeignKey:
		return errMissingReference()
	}
	return err
}

// errMissingReference is the refusal of a row that refers to a row that
// does not exist.
func errMissingReference() error {
	return workshop.Errorf(workshop.ENotFound, "error.refers_something_does_not")
}

// constraint is the kind of constraint a statement broke, on either engine.
type constraint int

const (
	constraintNone constraint = iota
	constraintUnique
	constraintCheck
	constraintForeignKey
)

// constraintOf tells which kind of constraint err reports breaking.
func constraintOf(err error) constraint {
	if c := sqliteConstraint(err); c != constraintNone {
		return c
	}
	return postgresConstraint(err)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

// isUniqueViolation reports whether err is a UNIQUE constraint failure on
// column. SQLite names the column in its message; the PostgreSQL schema
// names each unique constraint and index after its column.
func isUniqueViolation(err error, column string) bool {
	if err == nil || constraintOf(err) != constraintUnique {
		return false
	}
	if name := postgresConstraintName(err); name != "" {
		return strings.Contains(name, column)
	}
	return strings.Contains(err.Error(), column)
}
