package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// storeTime is how the store writes a time into SQLite (internal/store's
// timeFormat, cut to the microsecond): the floor writes the same bytes.
const storeTime = "2006-01-02T15:04:05.000000000Z"

// floorParticipants is how many participants the floor's workshop has:
// their 20 items each give 4,000 distinct rows before rows repeat as
// updates, as in a run.
const floorParticipants = 200

// floorPragmas are the server's writer settings (internal/store's SQLite DSN):
// the floor must pay for the same durability.
func floorDSN(path string) (string, string) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), "journal_mode=WAL, synchronous=FULL, foreign_keys=1"
}

// measureFloor inserts ratings straight into a fresh database of the real
// schema, one transaction per row, for d: the rate a store that commits
// every rating alone can reach at best. Group commit should reach it or do
// better. The database lives in dir (default: the system's temporary
// folder), which should be on the server database's file system.
func measureFloor(ctx context.Context, dir string, d time.Duration) (FloorReport, error) {
	tmp, err := os.MkdirTemp(dir, "foresight-floor-")
	if err != nil {
		return FloorReport{}, err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "floor.db")

	// The real schema, a workshop and its participants, through the store.
	st, err := store.Open(path)
	if err != nil {
		return FloorReport{}, err
	}
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		st.Close()
		return FloorReport{}, err
	}
	u, err := st.CreateUser(ctx, "floor@example.org", "a long password for the floor", workshop.RoleFacilitator)
	if err != nil {
		st.Close()
		return FloorReport{}, err
	}
	w, err := st.CreateWorkshop(ctx, u, decks[0], "floor", true)
	if err != nil {
		st.Close()
		return FloorReport{}, err
	}
	var parts []int64
	for range floorParticipants {
		p, _, err := st.Join(ctx, w.Code, "", 0)
		if err != nil {
			st.Close()
			return FloorReport{}, err
		}
		parts = append(parts, p.ID)
	}
	if err := st.Close(); err != nil {
		return FloorReport{}, err
	}

	dsn, pragmas := floorDSN(path)
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return FloorReport{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	const insert = `INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
		VALUES (?, 1, ?, ?, ?, ?, ?)
		ON CONFLICT (round, participant_id, scenario_id, criterion_id) DO UPDATE SET value = excluded.value, rated_at = excluded.rated_at`
	rec := newRecorder()
	items := len(w.Scenarios) * len(w.Criteria)
	start := time.Now()
	rows := 0
	for time.Since(start) < d && ctx.Err() == nil {
		k := rows
		p := parts[k%len(parts)]
		it := (k/len(parts) + k) % items
		sc, cr := w.Scenarios[it/len(w.Criteria)], w.Criteria[it%len(w.Criteria)]
		value := cr.Min + (k/(len(parts)*items)+k)%((cr.Max-cr.Min)/max(1, cr.Step)+1)*max(1, cr.Step)
		t0 := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return FloorReport{}, err
		}
		if _, err := tx.Exec(insert, w.ID, p, sc.ID, cr.ID, value, t0.UTC().Truncate(time.Microsecond).Format(storeTime)); err != nil {
			tx.Rollback()
			return FloorReport{}, fmt.Errorf("floor insert: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return FloorReport{}, err
		}
		rec.add(time.Since(t0))
		rows++
	}
	el := time.Since(start)
	abs, _ := filepath.Abs(tmp)
	return FloorReport{Rows: rows, RowsPerSecond: float64(rows) / el.Seconds(), Commit: rec.summary(), Pragmas: pragmas, Dir: filepath.Dir(abs)}, nil
}
