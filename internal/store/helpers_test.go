package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"foresight/internal/workshop"
)

// RawQueryRow runs a read query straight on the database, for tests that
// check what is stored beyond what the store's methods show.
func (d *DB) RawQueryRow(tb testing.TB, query string, args ...any) *sql.Row {
	tb.Helper()
	return d.reader.QueryRowContext(context.Background(), query, args...)
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

// HoldWriter starts a write transaction, so that the writer is busy until
// release is called (which rolls it back).
func (d *DB) HoldWriter(tb testing.TB) (release func()) {
	tb.Helper()
	tx, err := d.writer.BeginTx(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return func() { tx.Rollback() }
}

// WaitingRatings is the number of ratings queued or running, not yet
// answered; RatingBatches the number of transactions the group-commit
// goroutine ran.
func (d *DB) WaitingRatings() int { return int(d.ratings().waiting.Load()) }

func (d *DB) RatingBatches() int64 { return d.ratingQ.batches.Load() }

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
		if err := tx.QueryRow(`INSERT INTO participants (workshop_id, pseudonym, group_id, joined_at) VALUES (?, ?, ?, ?) RETURNING id`,
			w.ID, fmt.Sprintf("B-%06d", i), group, at).Scan(&id); err != nil {
			tb.Fatal(err)
		}
		for j, s := range w.Scenarios {
			for k, c := range w.Criteria {
				if _, err := tx.Exec(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES (?, 1, ?, ?, ?, ?, ?)`,
					w.ID, id, s.ID, c.ID, c.Min+(i+j+k)%(c.Max-c.Min+1)/c.Step*c.Step, at); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	if _, err := tx.Exec(`UPDATE workshops SET seq = seq + 1 WHERE id = ?`, w.ID); err != nil {
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	d.workshops().clear()
}
