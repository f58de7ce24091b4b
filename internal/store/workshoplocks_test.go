package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// On PostgreSQL each workshop has a writers' lock of its own: while a
// transaction of one server holds workshop A's, another server's write to
// workshop B commits, a write to A waits for it (seqs of one workshop
// follow each other without gaps), and so does a write of an account,
// which writes alone. Nothing here is timed: the waiting writes are seen
// waiting in pg_locks, and the free ones have committed.
func TestWorkshopWritesRunSideBySide(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only: SQLite has one writer for everything")
	}
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	open := func() *store.DB {
		d, err := store.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	holder, a, b, c := open(), open(), open(), open()
	wA, u := mustWorkshop(t, a)
	wB, err := a.CreateWorkshop(ctx, u, builtinDeck(t), "Room B", true)
	if err != nil {
		t.Fatal(err)
	}
	pA, _, err := a.Join(ctx, wA.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	pB, _, err := a.Join(ctx, wB.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	seqA := a.RawQueryRow(t, `SELECT seq FROM workshops WHERE id = $1`, wA.ID)
	var before int64
	if err := seqA.Scan(&before); err != nil {
		t.Fatal(err)
	}

	release := holder.HoldWorkshops(t, wA.ID) // as a batch of workshop A's ratings on another server
	held := true
	defer func() {
		if held {
			release()
		}
	}()

	// Workshop B: a rating (group commit), a join, a facilitator's
	// change, a reason, and a new workshop all commit meanwhile.
	var bDone atomic.Bool
	bErr := make(chan error, 1)
	go func() {
		defer bDone.Store(true)
		if _, err := a.SaveRating(ctx, pB, wB.Scenarios[0].ID, wB.Criteria[0].ID, intp(3)); err != nil {
			bErr <- err
			return
		}
		if _, _, err := a.Join(ctx, wB.Code, "", 0); err != nil {
			bErr <- err
			return
		}
		if _, err := a.SetFocus(ctx, wB.Code, wB.Scenarios[1].ID); err != nil {
			bErr <- err
			return
		}
		if _, err := a.SaveRationale(ctx, pB, wB.Scenarios[0].ID, "Because."); err != nil {
			bErr <- err
			return
		}
		_, err := a.CreateWorkshop(ctx, u, builtinDeck(t), "Room C", true)
		bErr <- err
	}()
	waitFor(t, "workshop B's writes commit while A's lock is held", bDone.Load)
	if err := <-bErr; err != nil {
		t.Fatal(err)
	}

	// Workshop A and an account wait.
	type result struct {
		ch  workshop.RatingChanged
		err error
	}
	rated := make(chan result, 1)
	go func() {
		ch, err := b.SaveRating(ctx, pA, wA.Scenarios[0].ID, wA.Criteria[0].ID, intp(4))
		rated <- result{ch, err}
	}()
	waitFor(t, "the rating of workshop A waits for A's lock", func() bool { return a.WaitingForWriteLock(t, wA.ID) == 1 })
	// An account's write waits for the workshops' writes under way (and,
	// until it has run, holds up those that come after it).
	created := make(chan error, 1)
	go func() {
		_, err := c.CreateUser(ctx, "second@example.org", "a long password", workshop.RoleFacilitator)
		created <- err
	}()
	waitFor(t, "the account waits for the lock for everything", func() bool { return a.WaitingForWriteLock(t, 0) == 1 })
	select {
	case r := <-rated:
		t.Fatalf("a rating of workshop A committed while another transaction held A's lock: %+v", r)
	case err := <-created:
		t.Fatalf("an account was written while a workshop's write ran: %v", err)
	default:
	}
	var n int
	if err := a.RawQueryRow(t, `SELECT count(*) FROM ratings WHERE workshop_id = $1`, wA.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d ratings of workshop A stored (%v), want none yet", n, err)
	}

	release()
	held = false
	r := <-rated
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.ch.Seq != before+1 {
		t.Errorf("workshop A's rating committed as seq %d, want %d: the next, without a gap", r.ch.Seq, before+1)
	}
	if err := <-created; err != nil {
		t.Fatal(err)
	}
}

// Two servers write two workshops at once, their batches naming both: the
// locks are taken in one order, so nothing waits in a circle, and every
// seq of each workshop, from the first to the last stored, reaches both
// servers exactly once: no gap, no seq given twice.
func TestTwoServersWriteTwoWorkshopsWithoutGaps(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only")
	}
	ctx := context.Background()
	a, b := mustOpenTwice(t)
	quiet := slog.New(slog.DiscardHandler)
	a.WatchOtherWriters(quiet)
	b.WatchOtherWriters(quiet)
	w1, u := mustWorkshop(t, a)
	w2, err := a.CreateWorkshop(ctx, u, builtinDeck(t), "Room 2", true)
	if err != nil {
		t.Fatal(err)
	}
	rooms := []*workshop.Workshop{w1, w2}
	start := map[int64]int64{}
	for _, w := range rooms {
		start[w.ID] = w.Seq
	}
	onA, onB := recordEvents(a), recordEvents(b)

	const raters, each = 8, 30 // per server
	var wg sync.WaitGroup
	errs := make(chan error, 2*raters)
	for s, d := range []*store.DB{a, b} {
		for i := range raters {
			w := rooms[i%2]
			wg.Go(func() {
				p, _, err := d.Join(ctx, w.Code, "", 0)
				if err != nil {
					errs <- err
					return
				}
				for k := range each {
					item := (k + i + s) % len(w.Scenarios)
					if _, err := d.SaveRating(ctx, p, w.Scenarios[item].ID, w.Criteria[k%len(w.Criteria)].ID, intp(1+k%5)); err != nil {
						errs <- fmt.Errorf("rating %d: %w", k, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	final := map[int64]int64{}
	for _, w := range rooms {
		var seq int64
		if err := a.RawQueryRow(t, `SELECT seq FROM workshops WHERE id = $1`, w.ID).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		final[w.ID] = seq
	}
	for name, log := range map[string]interface{ all() []workshop.Event }{"a": onA, "b": onB} {
		waitFor(t, name+" hears every seq", func() bool {
			n := 0
			for _, ev := range log.all() {
				if _, ok := final[ev.Head().WorkshopID]; ok && ev.Head().Seq > 0 {
					n++
				}
			}
			return int64(n) >= final[w1.ID]-start[w1.ID]+final[w2.ID]-start[w2.ID]
		})
		heard := map[int64]map[int64]int{}
		for _, ev := range log.all() {
			id, seq := ev.Head().WorkshopID, ev.Head().Seq
			if _, ok := final[id]; !ok || seq == 0 {
				continue
			}
			if heard[id] == nil {
				heard[id] = map[int64]int{}
			}
			heard[id][seq]++
		}
		for id, last := range final {
			for seq := start[id] + 1; seq <= last; seq++ {
				if heard[id][seq] != 1 {
					t.Errorf("%s heard workshop %d's seq %d %d times, want once", name, id, seq, heard[id][seq])
				}
			}
			if got, want := len(heard[id]), int(last-start[id]); got != want {
				t.Errorf("%s heard %d seqs of workshop %d, want %d", name, got, id, want)
			}
		}
	}
}

// On PostgreSQL one server writes several workshops at once too: the
// group commit runs a lane per writer connection, each workshop's
// requests in one lane. While workshop A's rating waits for A's lock, a
// rating of workshop B (in another lane) commits on the same server.
func TestOneServerWritesTwoWorkshopsAtOnce(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only: SQLite has one writer for everything")
	}
	ctx := context.Background()
	a, holder := mustOpenTwice(t)
	if a.Writers() < 2 {
		t.Skip("FORESIGHT_PG_WRITERS=1: one lane")
	}
	wA, u := mustWorkshop(t, a)
	wB := wA
	for wB.ID%int64(a.Writers()) == wA.ID%int64(a.Writers()) { // a workshop of another lane
		var err error
		if wB, err = a.CreateWorkshop(ctx, u, builtinDeck(t), "Room B", true); err != nil {
			t.Fatal(err)
		}
	}
	pA, _, err := a.Join(ctx, wA.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	pB, _, err := a.Join(ctx, wB.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	release := holder.HoldWorkshops(t, wA.ID)
	held := true
	defer func() {
		if held {
			release()
		}
	}()
	rated := make(chan error, 1)
	go func() {
		_, err := a.SaveRating(ctx, pA, wA.Scenarios[0].ID, wA.Criteria[0].ID, intp(2))
		rated <- err
	}()
	waitFor(t, "the rating of workshop A waits for A's lock", func() bool { return a.WaitingForWriteLock(t, wA.ID) == 1 })
	var bDone atomic.Bool
	bErr := make(chan error, 1)
	go func() {
		_, err := a.SaveRating(ctx, pB, wB.Scenarios[0].ID, wB.Criteria[0].ID, intp(5))
		bDone.Store(true)
		bErr <- err
	}()
	waitFor(t, "the same server's rating of workshop B commits meanwhile", bDone.Load)
	if err := <-bErr; err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-rated:
		t.Fatalf("workshop A's rating returned (%v) while A's lock was held", err)
	default:
	}
	release()
	held = false
	if err := <-rated; err != nil {
		t.Fatal(err)
	}
}
