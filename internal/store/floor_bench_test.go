package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// BenchmarkFloorInsert is the floor of the write path: the rows
// SaveRating writes, inserted straight through the writer connection (same
// file, same pragmas), one transaction per row, without the checks, the
// seq or database/sql's work around them. A store that commits every
// rating alone cannot beat it; group commit can.
func BenchmarkFloorInsert(b *testing.B) {
	ctx := context.Background()
	d, err := Open(filepath.Join(b.TempDir(), "floor.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		b.Fatal(err)
	}
	u, err := d.CreateUser(ctx, "floor@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		b.Fatal(err)
	}
	w, err := d.CreateWorkshop(ctx, u, decks[0], "", true)
	if err != nil {
		b.Fatal(err)
	}
	var ps []int64
	for range 200 {
		p, _, err := d.Join(ctx, w.Code, "", 0)
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, p.ID)
	}
	items := len(w.Scenarios) * len(w.Criteria)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		it := (i/len(ps) + i) % items
		v := 1 + (i/len(ps)/items+i)%5
		tx, err := d.writer.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
			VALUES ($1, 1, $2, $3, $4, $5, $6)
			ON CONFLICT (round, participant_id, scenario_id, criterion_id) DO UPDATE SET value = excluded.value, rated_at = excluded.rated_at`,
			w.ID, ps[i%len(ps)], w.Scenarios[it/len(w.Criteria)].ID, w.Criteria[it%len(w.Criteria)].ID, v, time.Now().UTC().Format(timeFormat)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
