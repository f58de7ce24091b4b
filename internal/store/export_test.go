package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

func exportJoin(tb testing.TB, db *store.DB, code string) workshop.Participant {
	tb.Helper()
	p, _, err := db.Join(context.Background(), code, "", 0)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func exportRate(tb testing.TB, db *store.DB, p workshop.Participant, s, c int64, v *int) {
	tb.Helper()
	if _, err := db.SaveRating(context.Background(), p, s, c, v); err != nil {
		tb.Fatal(err)
	}
}

// collect ranges over an export iterator.
func exportCollect[T any](tb testing.TB, seq func(func(T, error) bool)) []T {
	tb.Helper()
	var out []T
	for x, err := range seq {
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

func TestExportWorkshop(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	clock := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	w, _ := mustWorkshop(t, db)
	s0, s1, c0, c1 := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID, w.Criteria[1].ID
	p1, p2 := exportJoin(t, db, w.Code), exportJoin(t, db, w.Code)
	exportJoin(t, db, w.Code) // joins and never rates
	// p2 rates the second scenario first: the export orders by deck.
	exportRate(t, db, p2, s1, c1, intp(5))
	exportRate(t, db, p2, s0, c0, nil)
	exportRate(t, db, p1, s0, c1, intp(2))
	exportRate(t, db, p1, s0, c0, intp(4))
	if _, err := db.SaveRationale(ctx, p2, s0, "=because"); err != nil {
		t.Fatal(err)
	}
	r1, err := db.SaveRationale(ctx, p1, s0, "I know the region.")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := db.Step(ctx, w.Code, a, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	yes := true
	if _, err := db.FlagRationale(ctx, w.Code, r1.Rationale.ID, nil, &yes); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, true); err != nil { // round 2, prefilled
		t.Fatal(err)
	}
	exportRate(t, db, p1, s0, c0, intp(3))
	stored, err := db.LoadTally(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}

	err = db.ExportWorkshop(ctx, w.Code, func(src *workshop.Record) error {
		if src.Workshop.Code != w.Code || src.Workshop.Round != 2 || src.Workshop.State != workshop.StateOpen || len(src.Workshop.Scenarios) != len(w.Scenarios) {
			t.Fatalf("workshop %s round %d state %s, want %s in round 2, open, with its deck", src.Workshop.Code, src.Workshop.Round, src.Workshop.State, w.Code)
		}
		tally, err := src.Tally()
		if err != nil {
			t.Fatal(err)
		}
		if tally.Seq != stored.Seq || tally.Joined != 3 || src.Joined != 3 {
			t.Fatalf("seq=%d joined=%d, want %d 3", tally.Seq, tally.Joined, stored.Seq)
		}
		sortTally := func(t workshop.Tally) workshop.Tally {
			slices.SortFunc(t.Counts, func(a, b workshop.TallyRow) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
			slices.SortFunc(t.Rated, func(a, b workshop.RatedRow) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
			return t
		}
		if got, want := sortTally(tally), sortTally(stored); !reflect.DeepEqual(got.Counts, want.Counts) || !reflect.DeepEqual(got.Rated, want.Rated) {
			t.Fatalf("tallies differ from LoadTally's:\n got %+v\nwant %+v", got, want)
		}
		if len(src.Rounds) != 2 || src.Rounds[0].RevealedAt.IsZero() || src.Rounds[0].ClosedAt.IsZero() || !src.Rounds[1].ClosedAt.IsZero() ||
			!src.Rounds[1].Prefilled || src.Rounds[1].OpenedAt.Before(src.Rounds[0].RevealedAt) {
			t.Fatalf("rounds %+v, want round 1 closed and revealed, round 2 open and prefilled", src.Rounds)
		}
		ratings := exportCollect(t, src.Ratings)
		var got []string
		for _, r := range ratings {
			if r.RatedAt.IsZero() || r.RatedAt.Location() != time.UTC {
				t.Fatalf("rated_at %v, want a UTC time", r.RatedAt)
			}
			got = append(got, exportRatingKey(r))
		}
		at := func(p workshop.Participant, s, c int64, v string, round int) string {
			return exportRatingKey(workshop.StoredRating{Round: round, Pseudonym: p.Pseudonym, ScenarioID: s, CriterionID: c, Answer: exportAnswer(v)})
		}
		want := []string{
			at(p1, s0, c0, "4", 1), at(p1, s0, c1, "2", 1), at(p2, s0, c0, "?", 1), at(p2, s1, c1, "5", 1),
			at(p1, s0, c0, "3", 2), at(p1, s0, c1, "2", 2), at(p2, s0, c0, "?", 2), at(p2, s1, c1, "5", 2),
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ratings\n got %q\nwant %q", got, want)
		}
		rats := exportCollect(t, src.Rationales)
		if len(rats) != 2 || rats[0].Pseudonym != p1.Pseudonym || !rats[0].Featured || rats[1].Text != "=because" || rats[1].Pseudonym != p2.Pseudonym || rats[1].UpdatedAt.IsZero() {
			t.Fatalf("rationales %+v, want p1's (featured) then p2's, both in round 1", rats)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExportWorkshop(ctx, "ZZZZZZZZ", func(*workshop.Record) error { return nil }); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("unknown code: %v, want not found", err)
	}
}

// TestExportSnapshot: votes that arrive while an export streams neither
// wait for it nor appear in it; the export sees one moment.
func TestExportSnapshot(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	var ps []workshop.Participant
	for range 20 {
		p := exportJoin(t, db, w.Code)
		ps = append(ps, p)
		for _, s := range w.Scenarios {
			exportRate(t, db, p, s.ID, w.Criteria[0].ID, intp(3))
		}
	}
	before := 20 * len(w.Scenarios)
	var leaked *workshop.Record
	err := db.ExportWorkshop(ctx, w.Code, func(src *workshop.Record) error {
		leaked = src
		n := 0
		for _, err := range src.Ratings {
			if err != nil {
				return err
			}
			if n == 0 {
				// Voting goes on mid-stream: it commits at once.
				done := make(chan error, 1)
				go func() {
					for _, p := range ps {
						if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[1].ID, intp(5)); err != nil {
							done <- err
							return
						}
					}
					_, err := db.SaveRating(ctx, ps[0], w.Scenarios[0].ID, w.Criteria[0].ID, intp(1))
					done <- err
				}()
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("a vote during the export: %v", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("votes waited for the export")
				}
			}
			n++
		}
		if n != before {
			t.Fatalf("the export saw %d ratings, want the %d of its snapshot", n, before)
		}
		tally, err := src.Tally()
		if err != nil {
			return err
		}
		for _, row := range tally.Counts {
			if row.CriterionID == w.Criteria[1].ID || row.Answer.Value == 1 {
				t.Fatalf("the tally holds a later vote: %+v", row)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range leaked.Ratings {
		if err == nil {
			t.Fatal("a source used after its export ended still reads")
		}
		break
	}
}

func exportAnswer(v string) workshop.Answer {
	if v == "?" {
		return workshop.Answer{DontKnow: true}
	}
	return workshop.Answer{Value: int(v[0] - '0')}
}

func exportRatingKey(r workshop.StoredRating) string {
	v := strconv.Itoa(r.Answer.Value)
	if r.Answer.DontKnow {
		v = "?"
	}
	return fmt.Sprintf("%d %s %d/%d=%s", r.Round, r.Pseudonym, r.ScenarioID, r.CriterionID, v)
}
