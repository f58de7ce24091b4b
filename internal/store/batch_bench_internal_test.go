package store

import (
	"context"
	"fmt"
	"testing"

	"foresight/internal/pgtest"
	"foresight/internal/workshop"
)

// BenchmarkRatingBatch commits one group-commit batch of n ratings per op,
// through the writer's own path (commitRatings), each rating changing an
// answer: "together" as served (on PostgreSQL one statement for the
// batch's ratings, qRatesPostgres), "one-by-one" one statement per rating
// as before. ratings/s is n per op. On SQLite both run the same code.
// PostgreSQL: FORESIGHT_STORE_ENGINE=postgres (the throwaway cluster of
// pgtest, fsync off: the statements' cost without the disk's), e.g.
//
//	FORESIGHT_PG=required FORESIGHT_STORE_ENGINE=postgres go test -run XXX -bench RatingBatch -benchtime 200x ./internal/store
func BenchmarkRatingBatch(b *testing.B) {
	for _, n := range []int{16, 64, 256} {
		for _, mode := range []string{"together", "one-by-one"} {
			b.Run(fmt.Sprintf("n=%d/%s", n, mode), func(b *testing.B) {
				ctx := context.Background()
				d, err := Open(pgtest.NewDatabase(b))
				if err != nil {
					b.Fatal(err)
				}
				defer d.Close()
				d.ratingQ.oneByOne.Store(mode == "one-by-one")
				decks, err := workshop.BuiltinDecks()
				if err != nil {
					b.Fatal(err)
				}
				u, err := d.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
				if err != nil {
					b.Fatal(err)
				}
				w, err := d.CreateWorkshop(ctx, u, decks[0], "", true)
				if err != nil {
					b.Fatal(err)
				}
				ps := make([]workshop.Participant, n)
				for i := range ps {
					if ps[i], _, err = d.Join(ctx, w.Code, "", 0); err != nil {
						b.Fatal(err)
					}
				}
				reqs := make([]rateReq, n)
				batch := make([]writeReq, n)
				values := make([]int, n)
				b.ReportAllocs()
				op := 0
				for b.Loop() {
					for j := range reqs {
						values[j] = 1 + (op+j)%5 // another answer than the op before
						reqs[j] = rateReq{itemReq: itemReq{p: ps[j], scenarioID: w.Scenarios[0].ID, criterionID: w.Criteria[0].ID}, value: &values[j]}
						reqs[j].done = make(chan struct{})
						batch[j] = &reqs[j]
					}
					d.commitRatings(batch)
					for j := range reqs {
						if r := &reqs[j]; r.err != nil || r.event == nil {
							b.Fatalf("rating %d: %v, event %v", j, r.err, r.event)
						}
					}
					op++
				}
				b.ReportMetric(float64(n*op)/b.Elapsed().Seconds(), "ratings/s")
			})
		}
	}
}
