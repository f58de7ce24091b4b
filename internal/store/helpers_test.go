package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// RawQueryRow runs a read query straight on the database, for tests that
// check what is stored beyond what the store's methods show.
func (d *DB) RawQueryRow(tb testing.TB, query string, args ...any) *sql.Row {
	tb.Helper()
	return d.reader.QueryRowContext(context.Background(), query, args...)
}

// RawStrings runs a read query straight on the database and returns the
// first column of every row.
func (d *DB) RawStrings(tb testing.TB, query string, args ...any) []string {
	tb.Helper()
	rows, err := d.reader.QueryContext(context.Background(), query, args...)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// WorkshopFromDisk reads a workshop straight from the database, past the
// cache, to compare with what WorkshopByCode serves.
func (d *DB) WorkshopFromDisk(tb testing.TB, code string) (*workshop.Workshop, error) {
	tb.Helper()
	tx, err := d.read(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	return workshopByCode(tx, code)
}

// EmptyWorkshopCache makes the next reads of every workshop miss the cache,
// as after a restart, without the writers' knowledge.
func (d *DB) EmptyWorkshopCache() {
	c := d.workshops()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++ // as a deletion does: a read that started before may not fill
	c.byCode = map[string]*cacheEntry{}
	c.byID = map[int64]*cacheEntry{}
	c.pgen++
	c.byToken = map[int64]map[string]workshop.Participant{}
	c.participants = 0
}

// CachedParticipants is how many participants the cache holds.
func (d *DB) CachedParticipants() int {
	c := d.workshops()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.participants
}

// HoldWriter starts write transactions on every writer connection, so
// that the writers are busy until release is called (which rolls them
// back).
func (d *DB) HoldWriter(tb testing.TB) (release func()) {
	tb.Helper()
	var txs []*sql.Tx
	for range d.writer.Stats().MaxOpenConnections {
		tx, err := d.writer.BeginTx(context.Background(), nil)
		if err != nil {
			tb.Fatal(err)
		}
		txs = append(txs, tx)
	}
	return func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}
}

// Writers is how many lanes the group commit runs (DB.writers).
func (d *DB) Writers() int { return d.writers }

// WaitingRatings is the number of ratings queued or running, not yet
// answered; RatingBatches the number of transactions the group-commit
// goroutine ran.
func (d *DB) WaitingRatings() int { return int(d.ratings().waiting.Load()) }

func (d *DB) RatingBatches() int64 { return d.ratingQ.batches.Load() }

// LimitRatingBatch makes the group commit run at most n ratings per
// transaction (1: one COMMIT each).
func (d *DB) LimitRatingBatch(n int) { d.ratingQ.batchLimit.Store(int64(n)) }

// SweepCache runs the cache's sweep n times with the given idle bound, as
// the server's watch does once every WatchEvery.
func (d *DB) SweepCache(n, idle int) {
	for range n {
		d.workshops().sweep(idle)
	}
}

// CacheSize is how many workshops and participants the cache holds.
func (d *DB) CacheSize() (workshops, participants int) { return d.workshops().size() }

// FillRoom adds n participants to workshop w, spread over groups in turn
// (none when groups is empty), each rating every item of round 1 — straight
// in SQL, in one transaction: a large room for benchmarks of reads.
func (d *DB) FillRoom(tb testing.TB, w *workshop.Workshop, n int, groups []workshop.Group) {
	tb.Helper()
	tx, err := d.writer.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	const at = "2026-01-01T00:00:00.000000000Z"
	for i := range n {
		var group any
		if len(groups) > 0 {
			group = groups[i%len(groups)].ID
		}
		var id int64
		if err := tx.QueryRow(`INSERT INTO participants (workshop_id, pseudonym, group_id, joined_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			w.ID, fmt.Sprintf("B-%06d", i), group, at).Scan(&id); err != nil {
			tb.Fatal(err)
		}
		for j, s := range w.Scenarios {
			for k, c := range w.Criteria {
				if _, err := tx.Exec(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES ($1, 1, $2, $3, $4, $5, $6)`,
					w.ID, id, s.ID, c.ID, c.Min+(i+j+k)%(c.Max-c.Min+1)/c.Step*c.Step, at); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	if _, err := tx.Exec(`UPDATE workshops SET seq = seq + 1 WHERE id = $1`, w.ID); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	d.workshops().clear()
}

// RawWriteTx starts a transaction on the writer for tests that write rows
// past the store's methods; the caller rolls it back.
func (d *DB) RawWriteTx(tb testing.TB) *sql.Tx {
	tb.Helper()
	tx, err := d.writer.BeginTx(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}

// ConstraintBroken reports whether err says that a row broke one of the
// schema's constraints (CHECK, UNIQUE, foreign key), on either engine.
func ConstraintBroken(err error) bool { return constraintOf(err) != constraintNone }

// Shape describes the schema as the two engines can be compared: every
// column with its kind of value and whether it takes NULL, every foreign
// key with its ON DELETE, every unique key (PRIMARY KEY, UNIQUE, unique
// index) with its columns, lower(c) standing for SQLite's COLLATE NOCASE.
// Each line is one fact. A kind is what the column holds, whatever the
// engine calls it: "time" is a timestamptz on PostgreSQL and, on SQLite,
// TEXT in a column named at or …_at; "flag" is a boolean, or an INTEGER
// that a CHECK holds to 0 or 1.
func (d *DB) Shape(tb testing.TB) []string {
	tb.Helper()
	if d.Engine() == "postgres" {
		return d.RawStrings(tb, postgresShape)
	}
	var out []string
	for _, table := range d.RawStrings(tb, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		out = append(out, d.RawStrings(tb, `SELECT $1 || '.' || name || CASE WHEN "notnull" OR pk > 0 THEN ' not null' ELSE ' null' END
			FROM pragma_table_info($2)`, table, table)...)
		ddl := d.RawStrings(tb, `SELECT sql FROM sqlite_schema WHERE name = $1`, table)[0]
		for _, col := range d.RawStrings(tb, `SELECT name || ' ' || type FROM pragma_table_info($1)`, table) {
			name, typ, _ := strings.Cut(col, " ")
			out = append(out, table+"."+name+" is "+sqliteKind(name, typ, ddl))
		}
		out = append(out, d.RawStrings(tb, `SELECT $1 || '.' || "from" || ' references ' || "table" || '.' || coalesce("to", 'id') || ' on delete ' || lower(on_delete)
			FROM pragma_foreign_key_list($2)`, table, table)...)
		out = append(out, d.RawStrings(tb, `SELECT $1 || ' unique (' || (SELECT group_concat(CASE WHEN x.coll = 'NOCASE' THEN 'lower(' || x.name || ')' ELSE x.name END, ', ')
				FROM (SELECT * FROM pragma_index_xinfo(l.name) WHERE key ORDER BY seqno) x) || ')' || CASE WHEN l.partial THEN ' partial' ELSE '' END
			FROM pragma_index_list($2) l WHERE l."unique"`, table, table)...)
		if pk := d.RawStrings(tb, `SELECT name FROM pragma_table_info($1) WHERE pk > 0 AND type = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info($2) WHERE pk > 0) = 1`, table, table); len(pk) == 1 {
			out = append(out, table+" unique ("+pk[0]+")") // a rowid alias has no index of its own
		}
	}
	sort.Strings(out)
	return out
}

// sqliteKind is the kind of value (see Shape) of a SQLite column of type
// typ in the table that ddl creates.
func sqliteKind(name, typ, ddl string) string {
	switch typ {
	case "TEXT":
		if name == "at" || strings.HasSuffix(name, "_at") {
			return "time"
		}
		return "text"
	case "INTEGER":
		if strings.Contains(ddl, name+" IN (0, 1)") {
			return "flag"
		}
		return "integer"
	case "BLOB":
		return "bytes"
	}
	return strings.ToLower(typ)
}

const postgresShape = `
SELECT table_name || '.' || column_name || CASE WHEN is_nullable = 'YES' THEN ' null' ELSE ' not null' END
	FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT table_name || '.' || column_name || ' is ' || CASE data_type
		WHEN 'timestamp with time zone' THEN 'time' WHEN 'boolean' THEN 'flag'
		WHEN 'bigint' THEN 'integer' WHEN 'integer' THEN 'integer' WHEN 'bytea' THEN 'bytes'
		ELSE data_type END
	FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT c.conrelid::regclass || '.' || a.attname || ' references ' || c.confrelid::regclass || '.' || af.attname || ' on delete ' ||
		CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict' ELSE 'no action' END
	FROM pg_constraint c
	JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
	JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
	WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
UNION ALL
SELECT t.relname || ' unique (' ||
		replace(regexp_replace(substring(pg_get_indexdef(i.indexrelid) from '\((.*)\)(?: WHERE .*)?$'), '\)? WHERE .*$', ''), '"', '') || ')' ||
		CASE WHEN i.indpred IS NOT NULL THEN ' partial' ELSE '' END
	FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
	WHERE i.indisunique AND t.relnamespace = 'public'::regnamespace
ORDER BY 1`

// HoldWorkshops starts a write transaction that holds the writers' locks
// of the workshops ids, as a write of those workshops does, until release
// is called (which rolls it back). With no ids it holds the lock for
// everything, as an account's write does.
func (d *DB) HoldWorkshops(tb testing.TB, ids ...int64) (release func()) {
	tb.Helper()
	begin := d.begin
	if len(ids) > 0 {
		begin = func(ctx context.Context) (*Tx, error) { return d.beginWorkshops(ctx, ids...) }
	}
	tx, err := begin(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return func() { tx.Rollback() }
}

// WaitingForWriteLock is the number of transactions on the PostgreSQL
// database that wait for the writers' lock of workshop id, or with id 0
// for the lock for everything (dialect_postgres.go).
func (d *DB) WaitingForWriteLock(tb testing.TB, id int64) int {
	tb.Helper()
	var n int
	q := `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid = $1 AND objid = $2 AND objsubid = $3`
	// A two-key lock is classid, objid and objsubid 2; a bigint key is
	// its high and low halves and objsubid 1.
	key1, key2, sub := int64(workshopsLock), int64(workshopKey(id)), 2
	if id == 0 {
		key1, key2, sub = writersLock>>32, writersLock&0xffffffff, 1
	}
	if err := d.reader.QueryRow(q, key1, key2, sub).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
