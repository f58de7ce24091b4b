package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"foresight/db"
)

// The SQLite engine: one file, one writer connection (BEGIN IMMEDIATE
// serialises every write through it) and a pool of read-only connections
// in WAL mode, so long reads such as exports never take the write lock.

// sqliteDialect is SQLite's part of the store (dialect.go).
type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

// indexedBy: SQLite's planner takes a hint where it would choose badly
// (readTally).
func (sqliteDialect) indexedBy(index string) string { return "INDEXED BY " + index }

// lockWriters: BEGIN IMMEDIATE (the writer's DSN) took the write lock,
// the one for everything.
func (sqliteDialect) lockWriters(context.Context, *sql.Tx, writeScope) error { return nil }

func (sqliteDialect) lockWorkshops(context.Context, *sql.Tx, []int64) error { return nil }

// workshopLocks: SQLite has one writer for everything.
func (sqliteDialect) workshopLocks() bool { return false }

// readOptions: a read transaction of the WAL is a snapshot already.
func (sqliteDialect) readOptions() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

// errorsAbort: a failed statement undoes only itself.
func (sqliteDialect) errorsAbort() bool { return false }

func (sqliteDialect) beforeCommit(*Tx) error { return nil }

func (sqliteDialect) hotQueries() []string { return []string{qOldRating, qUpsertRating} }

// joinsInCache: this process is the only one that lets participants join
// (the command line does not), and the cache learns each join after its
// COMMIT, before the writer is free again.
func (sqliteDialect) joinsInCache() bool { return true }

func (sqliteDialect) backup(ctx context.Context, d *DB, path string) error {
	return backup(ctx, d.reader, path)
}

// Value stores a time as sortable text: SQLite has no time type.
func (t timeArg) Value() (driver.Value, error) { return t.micros().Format(timeFormat), nil }

// The statements of SQLite's rating: one local call each.
const (
	qOldRating    = `SELECT value FROM ratings WHERE round = $1 AND participant_id = $2 AND scenario_id = $3 AND criterion_id = $4`
	qUpsertRating = `INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (round, participant_id, scenario_id, criterion_id) DO UPDATE SET value = excluded.value, rated_at = excluded.rated_at`
)

// saveRating reads the old answer and writes the new one in a savepoint of
// the batch's transaction, which a refusal (a participant removed
// meanwhile) rolls back alone.
func (sqliteDialect) saveRating(d *DB, tx *Tx, room *batchRoom, r *rateReq) (w ratingWrite, err error) {
	err = d.inSavepoint(tx, &r.reply, func() (err error) {
		p := r.p
		var old sql.NullInt64
		err = d.txQueryRow(tx, qOldRating, room.round, p.ID, r.scenarioID, r.criterionID).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			w.before = answerOf(old)
		}
		w.after = answerOf(sql.NullInt64{Int64: int64(deref(r.value)), Valid: r.value != nil})
		if w.before != nil && *w.before == *w.after {
			w = ratingWrite{} // the same answer again: nothing changes
			return nil
		}
		if _, err := d.txExec(tx, qUpsertRating, p.WorkshopID, room.round, p.ID, r.scenarioID, r.criterionID, nullInt(r.value), tx.now()); err != nil {
			return mapError(err)
		}
		w.changed = true
		return nil
	})
	if err != nil || r.err != nil {
		return ratingWrite{}, err
	}
	return w, nil
}

// ratingsTogether: a statement is a local call on SQLite; each rating
// writes as it comes, in its savepoint.
func (sqliteDialect) ratingsTogether() bool { return false }

// saveRatings writes the ratings one by one (ratingsTogether is false).
func (dl sqliteDialect) saveRatings(d *DB, tx *Tx, rs []*rateReq) ([]ratingWrite, error) {
	ws := make([]ratingWrite, len(rs))
	for i, r := range rs {
		var err error
		if ws[i], err = dl.saveRating(d, tx, r.room, r); err != nil {
			return nil, err
		}
	}
	return ws, nil
}

// clearRating deletes the rating in a savepoint, like saveRating.
func (sqliteDialect) clearRating(d *DB, tx *Tx, room *batchRoom, r *clearReq) (w ratingWrite, err error) {
	err = d.inSavepoint(tx, &r.reply, func() (err error) {
		w, err = d.deleteRating(tx, room, r)
		return err
	})
	if err != nil || r.err != nil {
		return ratingWrite{}, err
	}
	return w, nil
}

// watchOthers notices the commits of other processes (the command line,
// an operator's SQL) by SQLite's data_version of the writer connection:
// it changes exactly when another connection committed, and this
// process's readers never write.
func (sqliteDialect) watchOthers(d *DB, log *slog.Logger, ready chan<- struct{}) (tick, stop func()) {
	close(ready)
	last, err := d.dataVersion()
	if err != nil {
		log.Error("read data_version", "err", err)
	}
	tick = func() {
		v, err := d.dataVersion()
		switch {
		case err != nil:
			log.Error("read data_version", "err", err)
		case v != last:
			last = v
			log.Info("another process changed the database: reading it again")
			d.otherWriterCommitted()
		}
	}
	return tick, func() {}
}

// dataVersion reads PRAGMA data_version on the writer connection, the
// only one of this process that writes.
func (d *DB) dataVersion() (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var v int64
	err := d.writer.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}

// driverName is go-sqlite3 with a hook that sets, on every new connection,
// the pragmas its DSN parameters cannot express.
const driverName = "sqlite3_foresight"

// walSizeLimit is the size to which SQLite truncates the WAL file after a
// checkpoint has emptied it. Without it the file keeps the size of its
// largest burst (for example writes that piled up behind a long export).
const walSizeLimit = 64 << 20

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec(fmt.Sprintf("PRAGMA journal_size_limit = %d", walSizeLimit), nil)
			return err
		},
	})
}

// dsn builds a connection string. Pragmas go into the DSN so that every
// pooled connection gets them, not just the one an Exec happened to reach.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "1")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_txlock", "deferred")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// openSQLite opens (creating if needed) the database file at path, checks
// its integrity, and applies pending migrations.
func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	if err := refuseEmptyFile(path); err != nil {
		return nil, err
	}
	w, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	d := &DB{dialect: sqliteDialect{}, path: path, name: path, writer: w, writers: 1, Now: time.Now}
	if err := d.check(); err != nil {
		w.Close()
		return nil, err
	}
	if err := d.migrate(); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	r, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	d.reader = r
	return d, nil
}

// refuseEmptyFile refuses a database file of zero bytes. SQLite would take
// it for a new, empty database and Foresight would set up a fresh install
// over it, but a file Foresight created is never empty: an empty one is a
// copy or restore that went wrong, and starting afresh would hide that the
// data is missing. A missing file is a fresh install.
func refuseEmptyFile(path string) error {
	info, err := os.Stat(path)
	if err != nil || info.Size() > 0 {
		return nil // missing (a fresh install) or not empty; Open reports other problems
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil // the data may all be in the WAL still; SQLite recovers it
	}
	return fmt.Errorf("%s is empty (0 bytes), so it holds no Foresight data. If you meant to start afresh, "+
		"delete it and start again; otherwise restore the latest backup in its place: see \"Backup and restore\" in README.md", path)
}

// restoreAdvice ends the message of a failed start-up check: what to do.
const restoreAdvice = `Foresight will not use it. Keep the damaged file (with its -wal and -shm files) for inspection, ` +
	`and restore the latest backup in its place: see "Backup and restore" in README.md`

// check refuses to serve a file that is not a healthy SQLite database.
func (d *DB) check() error {
	res, err := integrityCheck(context.Background(), d.writer, "quick_check(5)")
	if err != nil {
		return fmt.Errorf("%s is not a usable SQLite database (%w). %s", d.path, err, restoreAdvice)
	}
	if res != "ok" {
		return fmt.Errorf("%s failed its integrity check (%s). %s", d.path, res, restoreAdvice)
	}
	rows, err := d.writer.Query("PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign key check of %s: %w. %s", d.path, err, restoreAdvice)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		rows.Scan(&table, &rowid, &parent, &fkid)
		return fmt.Errorf("%s has rows in table %q that break its foreign keys. %s", d.path, table, restoreAdvice)
	}
	return rows.Err()
}

// migrate applies the embedded migrations that have not run yet, each in its
// own transaction.
func (d *DB) migrate() error {
	if _, err := d.writer.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY) STRICT`); err != nil {
		return err
	}
	names, err := fs.Glob(db.Migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := d.writer.QueryRow(`SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(db.Migrations, name)
		if err != nil {
			return err
		}
		if err := d.applyMigration(name, string(body)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// foreignKeysOff marks a migration that rebuilds a table: it runs with
// foreign keys off (a DROP would otherwise cascade to the children), and the
// keys are checked before it commits.
const foreignKeysOff = "-- foresight: foreign_keys=off"

func (d *DB) applyMigration(name, body string) error {
	rebuild := strings.HasPrefix(body, foreignKeysOff)
	if rebuild {
		// The writer pool has one connection, so the pragma reaches it; it
		// cannot change inside a transaction.
		if _, err := d.writer.Exec(`PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer d.writer.Exec(`PRAGMA foreign_keys = ON`)
	}
	tx, err := d.writer.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(body); err != nil {
		return err
	}
	if rebuild {
		rows, err := tx.Query(`PRAGMA foreign_key_check`)
		if err != nil {
			return err
		}
		broken := rows.Next()
		rows.Close()
		if broken {
			return errors.New("the rebuilt tables break foreign keys")
		}
	}
	if _, err := tx.Exec(`INSERT INTO schema_migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Pragmas reports the settings of a pooled reader connection and of the
// writer, as the DSN should have set them on each: journal mode,
// synchronous level and foreign keys. It returns the reader's values and an
// error if the writer's differ.
func (d *DB) Pragmas(ctx context.Context) (journal string, synchronous, foreignKeys int, err error) {
	read := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) (string, int, int, error) {
		var j string
		var s, f int
		if err := q.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&j); err != nil {
			return "", 0, 0, err
		}
		if err := q.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&s); err != nil {
			return "", 0, 0, err
		}
		err := q.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&f)
		return j, s, f, err
	}
	wj, ws, wf, err := read(d.writer)
	if err != nil {
		return "", 0, 0, err
	}
	journal, synchronous, foreignKeys, err = read(d.reader)
	if err == nil && (wj != journal || ws != synchronous || wf != foreignKeys) {
		err = fmt.Errorf("writer has journal_mode=%s synchronous=%d foreign_keys=%d, reader %s %d %d", wj, ws, wf, journal, synchronous, foreignKeys)
	}
	return journal, synchronous, foreignKeys, err
}

// ConnSettings are the settings of one pooled connection.
type ConnSettings struct {
	JournalMode string
	Synchronous int // 2 is FULL
	ForeignKeys int
	BusyTimeout int // milliseconds
}

// ReaderSettings holds n connections of the read pool at once (so the pool
// must open n distinct ones; n is capped at the pool's size) and reports the
// settings of each, as the DSN should have set them. For tests and
// diagnostics: it takes n readers away from the server while it runs.
func (d *DB) ReaderSettings(ctx context.Context, n int) ([]ConnSettings, error) {
	n = min(n, d.reader.Stats().MaxOpenConnections)
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var out []ConnSettings
	for range n {
		c, err := d.reader.Conn(ctx)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
		var s ConnSettings
		for _, p := range []struct {
			pragma string
			dest   any
		}{{"journal_mode", &s.JournalMode}, {"synchronous", &s.Synchronous}, {"foreign_keys", &s.ForeignKeys}, {"busy_timeout", &s.BusyTimeout}} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dest); err != nil {
				return nil, err
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// sqliteConstraint tells which constraint a SQLite error reports breaking.
func sqliteConstraint(err error) constraint {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return constraintNone
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return constraintUnique
	case sqlite3.ErrConstraintCheck:
		return constraintCheck
	case sqlite3.ErrConstraintForeignKey:
		return constraintForeignKey
	}
	return constraintNone
}
