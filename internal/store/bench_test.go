package store_test

import (
	"context"
	"fmt"
	"testing"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// Benchmarks of the store's write path on a real file with the server's
// pragmas (WAL, synchronous=FULL): every op is one transaction that is on
// disk when it returns. Compare with BenchmarkFloorInsert, the same rows
// inserted straight into SQLite, one transaction each.

// benchRoom is an open workshop of the built-in deck with n participants.
func benchRoom(b *testing.B, n int) (*store.DB, *workshop.Workshop, []workshop.Participant) {
	b.Helper()
	db := MustOpenDB(b)
	w, _ := mustWorkshop(b, db)
	ps := make([]workshop.Participant, n)
	for i := range ps {
		p, _, err := db.Join(context.Background(), w.Code, "", 0)
		if err != nil {
			b.Fatal(err)
		}
		ps[i] = p
	}
	return db, w, ps
}

// benchItem is the i-th rating of a run: participant after participant,
// item after item, the value moving so that most ratings change something.
func benchItem(w *workshop.Workshop, ps []workshop.Participant, i int) (workshop.Participant, int64, int64, *int) {
	items := len(w.Scenarios) * len(w.Criteria)
	it := (i/len(ps) + i) % items
	v := 1 + (i/len(ps)/items+i)%5
	return ps[i%len(ps)], w.Scenarios[it/len(w.Criteria)].ID, w.Criteria[it%len(w.Criteria)].ID, &v
}

func BenchmarkSaveRating(b *testing.B) {
	db, w, ps := benchRoom(b, 200)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p, s, c, v := benchItem(w, ps, i)
		if _, err := db.SaveRating(ctx, p, s, c, v); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSaveRatingParallel sends ratings from 16 goroutines per CPU, as
// concurrent requests do. They queue for the one writer, which commits the
// ratings waiting together (group commit): time/op is the wall time per
// rating, so it falls below one fsync per rating. batch=1 commits each
// rating alone, to measure what group commit is worth on each engine
// (FORESIGHT_STORE_ENGINE=postgres with FORESIGHT_PG_URL naming a server
// with its usual durability: the throwaway test cluster runs without fsync).
func BenchmarkSaveRatingParallel(b *testing.B) {
	for _, limit := range []int{0, 1} {
		name := "batch=256"
		if limit == 1 {
			name = "batch=1"
		}
		b.Run(name, func(b *testing.B) {
			db, w, ps := benchRoom(b, 200)
			if limit > 0 {
				db.LimitRatingBatch(limit)
			}
			ctx := context.Background()
			var next = make(chan int, 1)
			next <- 0
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := <-next
					next <- i + 1
					p, s, c, v := benchItem(w, ps, i)
					if _, err := db.SaveRating(ctx, p, s, c, v); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkJoin(b *testing.B) {
	db := MustOpenDB(b)
	w, _ := mustWorkshop(b, db)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := db.Join(ctx, w.Code, "", 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkshopByCode is the read every participant request makes
// first (join, page, stream, rating): the workshop with its deck snapshot.
// It is served from memory after the first read (cache.go); before the
// cache, reading it from SQLite and decoding the texts from JSON was the
// largest single item of the server's CPU profile in the load runs.
// BenchmarkWorkshopFromDisk measures that read alone.
func BenchmarkWorkshopByCode(b *testing.B) {
	db := MustOpenDB(b)
	w, _ := mustWorkshop(b, db)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.WorkshopByCode(ctx, w.Code); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWorkshopFromDisk(b *testing.B) {
	db := MustOpenDB(b)
	w, _ := mustWorkshop(b, db)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.WorkshopFromDisk(b, w.Code); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJoinParallel joins from 16 goroutines per CPU, as a join storm
// does: joins waiting for the writer commit together.
func BenchmarkJoinParallel(b *testing.B) {
	db := MustOpenDB(b)
	w, _ := mustWorkshop(b, db)
	ctx := context.Background()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := db.Join(ctx, w.Code, "", 0); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkLoadTally reads the tallies of a room of 10,000 participants who
// rated every item (the load of a large room at its first use, and of an
// export), without expert groups and with four.
func BenchmarkLoadTally(b *testing.B) {
	for _, groups := range []int{0, 4} {
		b.Run(fmt.Sprintf("groups=%d", groups), func(b *testing.B) {
			db := MustOpenDB(b)
			w, u := mustWorkshop(b, db)
			if groups > 0 {
				names := []string{"military", "diplomatic", "humanitarian", "intelligence"}[:groups]
				// Groups change in the lobby only: set them on a lobby copy.
				cp, err := db.CopyWorkshop(context.Background(), u, w.Code)
				if err != nil {
					b.Fatal(err)
				}
				if w, err = db.SetGroups(context.Background(), cp.Code, names, u); err != nil {
					b.Fatal(err)
				}
			}
			db.FillRoom(b, w, 10_000, w.Groups)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.LoadTally(context.Background(), w.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
