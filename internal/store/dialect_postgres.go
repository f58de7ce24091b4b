package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"foresight/db"
	"foresight/internal/workshop"
)

// The PostgreSQL engine: the database that several servers share. Each
// server has a few writer connections, one per lane of its group commit
// (which batches ratings into one transaction, as on SQLite; a workshop's
// requests all go to one lane), one more for the other writes, and a pool
// of readers. Every write
// transaction first takes advisory locks, so that writes of all servers
// to the same workshop run one at a time, as SQLite's write lock makes
// them run: the store's methods read, check and write inside one
// transaction, and that is only sound when nobody else writes the same
// rows in between; a workshop's seqs follow each other without gaps.
// Writes of different workshops run at the same time (writeScope):
//
//   - the writers' lock (writersLock) is taken shared by a transaction
//     that writes only named workshops (or creates new ones), and
//     exclusively by any other (accounts, sessions, links, decks, keys):
//     those write alone, as every write did before;
//   - each workshop has a lock of its own (workshopsLock, the workshop's
//     id), taken exclusively after the writers' lock, by every transaction
//     that writes the workshop, in ascending order of the key, so that two
//     transactions that write several workshops never wait for each other
//     in a circle.
//
// Readers read REPEATABLE READ snapshots. The SQL is the same as SQLite's, with numbered placeholders
// ($1, $2, …) that both engines read (placeholders_internal_test.go).

// Advisory lock keys: any two numbers no other application on the same
// database uses.
// workshopsLock is the first half of a workshop's lock (the two-key
// form, another key space than the others'); its id is the second.
const (
	writersLock    int64 = 0x466f7265 // "Fore"
	migrationsLock int64 = 0x73696768 // "sigh"
	workshopsLock  int32 = 0x526f6f6d // "Room"
)

// workshopKey is the second key of workshop id's lock. Ids beyond the
// 31 bits of a key share keys, which only makes those workshops take
// turns: the keys, not the ids, are what transactions take in order.
func workshopKey(id int64) int32 { return int32(id & 0x7fffffff) }

// workshopKeys are the keys of the workshops ids, ascending, each once.
func workshopKeys(ids []int64) []int32 {
	keys := make([]int32, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, workshopKey(id))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// openPostgres opens the PostgreSQL database at the URL rawURL and applies
// pending migrations.
func openPostgres(rawURL string) (*DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL URL: %w", err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "foresight"
	}
	name := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		name = u.Redacted()
	}
	writers, err := postgresWriters()
	if err != nil {
		return nil, err
	}
	w := sql.OpenDB(stdlib.GetConnector(*cfg))
	w.SetMaxOpenConns(writers + 1) // the lanes, and the writes of one use case
	w.SetMaxIdleConns(writers + 1)
	d := &DB{dialect: &postgresDialect{cfg: cfg, instance: newInstance()}, name: name, writer: w, writers: writers, Now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("connect to %s: %w", name, err)
	}
	if err := d.migratePostgres(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	r := sql.OpenDB(stdlib.GetConnector(*cfg))
	r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	d.reader = r
	return d, nil
}

// defaultPostgresWriters is how many lanes of the group commit a server
// runs on PostgreSQL by default. More lanes write more workshops at once,
// in smaller batches: more COMMITs, and those of all servers take turns
// at PostgreSQL's notification lock. FORESIGHT_PG_WRITERS sets it.
const defaultPostgresWriters = 2

// postgresWriters reads FORESIGHT_PG_WRITERS (1 to 64), or gives the
// default.
func postgresWriters() (int, error) {
	v := os.Getenv("FORESIGHT_PG_WRITERS")
	if v == "" {
		return defaultPostgresWriters, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 64 {
		return 0, fmt.Errorf("FORESIGHT_PG_WRITERS=%q: want a number from 1 to 64", v)
	}
	return n, nil
}

// migratePostgres applies the PostgreSQL migrations that have not run
// yet, each in its own transaction, holding an advisory lock so that
// servers starting together migrate one after the other.
func (d *DB) migratePostgres(ctx context.Context) error {
	conn, err := d.writer.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationsLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationsLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return err
	}
	names, err := fs.Glob(db.PostgresMigrations, "postgres/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(db.PostgresMigrations, name)
		if err != nil {
			return err
		}
		if err := applyPostgresMigration(ctx, conn, name, string(body)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func applyPostgresMigration(ctx context.Context, conn *sql.Conn, name, body string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil { // a script: pgx sends it as one simple query
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// postgresDialect is PostgreSQL's part of the store (dialect.go).
type postgresDialect struct {
	// cfg opens the listening connection (notify.go).
	cfg *pgx.ConnConfig
	// instance tells this server's notifications from the others'.
	instance string
}

func (*postgresDialect) name() string { return "postgres" }

// indexedBy: PostgreSQL's planner takes no hints, nor needs this one.
func (*postgresDialect) indexedBy(string) string { return "" }

// lockWriters takes the advisory locks of scope for the rest of tx: the
// writers' lock, exclusive for everything, or shared and then each
// workshop's lock.
func (pg *postgresDialect) lockWriters(ctx context.Context, tx *sql.Tx, scope writeScope) error {
	if !scope.workshops {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writersLock); err != nil {
			return fmt.Errorf("take the write lock: %w", err)
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, writersLock); err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	return pg.lockWorkshops(ctx, tx, scope.ids)
}

// lockWorkshops takes the locks of workshops ids, in ascending order of
// their keys: one statement, whose rows (and locks) follow the array.
func (*postgresDialect) lockWorkshops(ctx context.Context, tx *sql.Tx, ids []int64) error {
	var err error
	switch keys := workshopKeys(ids); len(keys) {
	case 0:
	case 1:
		_, err = tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, workshopsLock, keys[0])
	default:
		_, err = tx.ExecContext(ctx, `SELECT count(pg_advisory_xact_lock($1, k)) FROM unnest(CAST($2 AS integer[])) AS k`, workshopsLock, keys)
	}
	if err != nil {
		return fmt.Errorf("take the workshops' write locks: %w", err)
	}
	return nil
}

// workshopLocks: writes of different workshops run at the same time.
func (*postgresDialect) workshopLocks() bool { return true }

func (*postgresDialect) readOptions() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// errorsAbort: a failed statement aborts the transaction until it rolls
// back to a savepoint.
func (*postgresDialect) errorsAbort() bool { return true }

// beforeCommit tells the other servers what tx changed (notify.go).
func (pg *postgresDialect) beforeCommit(tx *Tx) error {
	if err := pg.notify(tx); err != nil {
		return fmt.Errorf("notify the other servers: %w", err)
	}
	return nil
}

func (*postgresDialect) hotQueries() []string { return []string{qRatePostgres, qRatesPostgres} }

// joinsInCache: the other servers' joins reach this cache only when their
// notifications arrive, which may be after this transaction took the
// write lock.
func (*postgresDialect) joinsInCache() bool { return false }

func (*postgresDialect) backup(context.Context, *DB, string) error { return ErrBackupWithPgDump }

// watchOthers listens for the other servers' notifications (notify.go)
// on a connection of its own; tick has nothing to look at.
func (pg *postgresDialect) watchOthers(d *DB, log *slog.Logger, ready chan<- struct{}) (tick, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		pg.listen(ctx, d, log, ready)
	}()
	return func() {}, func() {
		cancel()
		<-listening
	}
}

// qRatePostgres reads the old answer and writes the new one in one
// statement, where each statement is a round trip to the server. It
// writes only a changed answer, and only for a participant who exists (as
// the foreign key would insist, without failing the transaction), and
// says whether the participant exists, whether a rating was there, its
// value, and whether it wrote. Every part of it reads the snapshot from
// before the statement.
const qRatePostgres = `WITH old AS (
		SELECT value FROM ratings WHERE round = $1 AND participant_id = $2 AND scenario_id = $3 AND criterion_id = $4
	), up AS (
		INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
		SELECT CAST($5 AS bigint), CAST($1 AS integer), CAST($2 AS bigint), CAST($3 AS bigint), CAST($4 AS bigint), CAST($6 AS integer), CAST($7 AS timestamptz)
		WHERE EXISTS (SELECT 1 FROM participants WHERE id = $2)
		ON CONFLICT (round, participant_id, scenario_id, criterion_id) DO UPDATE SET value = excluded.value, rated_at = excluded.rated_at
		WHERE ratings.value IS DISTINCT FROM excluded.value
		RETURNING 1
	)
	SELECT EXISTS (SELECT 1 FROM participants WHERE id = $2), EXISTS (SELECT 1 FROM old), (SELECT value FROM old), EXISTS (SELECT 1 FROM up)`

// saveRating writes the rating without a savepoint: the one statement
// refuses a missing participant without failing, and any other failure is
// the database's, after which the batch runs again without this rating
// (tryRatings).
func (*postgresDialect) saveRating(d *DB, tx *Tx, room *batchRoom, r *rateReq) (ratingWrite, error) {
	w, err := ratePostgres(d, tx, room, r)
	return refusal(&r.reply, w, err)
}

// ratingsTogether: a batch's ratings go to PostgreSQL in one statement
// (qRatesPostgres), one round trip where each used to cost one.
func (*postgresDialect) ratingsTogether() bool { return true }

// qRatesPostgres is qRatePostgres for many ratings at once, each of
// another item: arrays of their fields, one element per rating, unnested
// into rows. It answers a row per rating, in the arrays' order, with what
// qRatePostgres answers. Every part reads the snapshot from before the
// statement, so no rating sees another's write (they rate other items).
const qRatesPostgres = `WITH input AS (
		SELECT * FROM unnest(CAST($1 AS bigint[]), CAST($2 AS integer[]), CAST($3 AS bigint[]), CAST($4 AS bigint[]), CAST($5 AS bigint[]), CAST($6 AS integer[]))
			WITH ORDINALITY AS t(workshop_id, round, participant_id, scenario_id, criterion_id, value, n)
	), old AS (
		SELECT i.n, r.value FROM input i JOIN ratings r
			ON r.round = i.round AND r.participant_id = i.participant_id AND r.scenario_id = i.scenario_id AND r.criterion_id = i.criterion_id
	), up AS (
		INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
		SELECT i.workshop_id, i.round, i.participant_id, i.scenario_id, i.criterion_id, i.value, CAST($7 AS timestamptz)
		FROM input i WHERE EXISTS (SELECT 1 FROM participants p WHERE p.id = i.participant_id)
		ON CONFLICT (round, participant_id, scenario_id, criterion_id) DO UPDATE SET value = excluded.value, rated_at = excluded.rated_at
		WHERE ratings.value IS DISTINCT FROM excluded.value
		RETURNING round, participant_id, scenario_id, criterion_id
	)
	SELECT p.id IS NOT NULL, old.n IS NOT NULL, old.value, u.participant_id IS NOT NULL
	FROM input i
	LEFT JOIN participants p ON p.id = i.participant_id
	LEFT JOIN old ON old.n = i.n
	LEFT JOIN up u ON u.round = i.round AND u.participant_id = i.participant_id AND u.scenario_id = i.scenario_id AND u.criterion_id = i.criterion_id
	ORDER BY i.n`

// saveRatings writes the ratings rs in one statement (one alone in
// qRatePostgres, prepared for it).
func (pg *postgresDialect) saveRatings(d *DB, tx *Tx, rs []*rateReq) ([]ratingWrite, error) {
	ws := make([]ratingWrite, len(rs))
	if len(rs) == 1 {
		var err error
		ws[0], err = pg.saveRating(d, tx, rs[0].room, rs[0])
		return ws, err
	}
	n := len(rs)
	workshops, participants, scenarios, criteria := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	rounds, values := make([]int32, n), make([]pgtype.Int4, n)
	for i, r := range rs {
		workshops[i], rounds[i], participants[i] = r.p.WorkshopID, int32(r.room.round), r.p.ID
		scenarios[i], criteria[i] = r.scenarioID, r.criterionID
		if r.value != nil {
			values[i] = pgtype.Int4{Int32: int32(*r.value), Valid: true}
		}
	}
	var rows *sql.Rows
	var err error
	args := []any{workshops, rounds, participants, scenarios, criteria, values, tx.now()}
	if s := d.stmt(tx, qRatesPostgres); s != nil {
		rows, err = s.Query(args...)
	} else {
		rows, err = tx.Query(qRatesPostgres, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		if i == n {
			return nil, fmt.Errorf("%d ratings written, more than %d answers", n, i+1)
		}
		var participant, existed, wrote bool
		var old sql.NullInt64
		if err := rows.Scan(&participant, &existed, &old, &wrote); err != nil {
			return nil, err
		}
		r := rs[i]
		switch {
		case !participant:
			r.err = errMissingReference()
		case wrote:
			ws[i] = ratingWrite{changed: true, after: answerOf(sql.NullInt64{Int64: int64(deref(r.value)), Valid: r.value != nil})}
			if existed {
				ws[i].before = answerOf(old)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if i != n {
		return nil, fmt.Errorf("%d ratings written, %d answers", n, i)
	}
	return ws, nil
}

// clearRating deletes the rating without a savepoint, like saveRating.
func (*postgresDialect) clearRating(d *DB, tx *Tx, room *batchRoom, r *clearReq) (ratingWrite, error) {
	w, err := d.deleteRating(tx, room, r)
	return refusal(&r.reply, w, err)
}

// refusal passes a write's result on, with a domain error (a refusal)
// moved into the request's reply: the transaction stays usable.
func refusal(r *reply, w ratingWrite, err error) (ratingWrite, error) {
	if err != nil && workshop.ErrorCode(err) != workshop.EInternal {
		r.err = err
		return ratingWrite{}, nil
	}
	return w, err
}

func ratePostgres(d *DB, tx *Tx, room *batchRoom, r *rateReq) (ratingWrite, error) {
	p := r.p
	var participant, existed, wrote bool
	var old sql.NullInt64
	err := d.txQueryRow(tx, qRatePostgres, room.round, p.ID, r.scenarioID, r.criterionID, p.WorkshopID, nullInt(r.value), tx.now()).Scan(&participant, &existed, &old, &wrote)
	if err != nil {
		return ratingWrite{}, err // the transaction is no longer usable
	}
	if !participant {
		return ratingWrite{}, errMissingReference()
	}
	if !wrote {
		return ratingWrite{}, nil // the same answer again: nothing changes
	}
	w := ratingWrite{changed: true, after: answerOf(sql.NullInt64{Int64: int64(deref(r.value)), Valid: r.value != nil})}
	if existed {
		w.before = answerOf(old)
	}
	return w, nil
}

// postgresConstraint tells which constraint a PostgreSQL error reports
// breaking (SQLSTATE class 23).
func postgresConstraint(err error) constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return constraintNone
	}
	switch pe.Code {
	case "23505":
		return constraintUnique
	case "23514":
		return constraintCheck
	case "23503":
		return constraintForeignKey
	}
	return constraintNone
}

// postgresConstraintName is the name of the constraint a PostgreSQL error
// reports breaking, or "".
func postgresConstraintName(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return ""
}

// TimestamptzValue passes a time to pgx as a timestamptz.
func (t timeArg) TimestamptzValue() (pgtype.Timestamptz, error) {
	return pgtype.Timestamptz{Time: t.micros(), Valid: true}, nil
}
