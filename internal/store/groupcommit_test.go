package store_test

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"testing"

	"foresight/internal/workshop"
)

// TestGroupCommitRejectsAlone queues ratings while the writer is busy, so
// that all but the first commit in one transaction, and mixes in ratings
// the store must refuse: a value out of range, an unknown scenario, a
// participant who does not exist (a foreign key failure, which rolls back
// its savepoint after the write was tried). Each refused rating gets its
// error; every other one is stored and acknowledged with its own seq.
func TestGroupCommitRejectsAlone(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	ps := make([]workshop.Participant, 40)
	for i := range ps {
		p, _, err := db.Join(ctx, w.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		ps[i] = p
	}
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID
	ghost := workshop.Participant{ID: 1 << 40, WorkshopID: w.ID}
	type job struct {
		p      workshop.Participant
		s      int64
		v      *int
		reject string // the error code wanted, or ""
	}
	var jobs []job
	for i, p := range ps {
		jobs = append(jobs, job{p: p, s: s, v: intp(1 + i%5)})
		switch i % 10 {
		case 3:
			jobs = append(jobs, job{p: p, s: s, v: intp(9), reject: workshop.EInvalid})
		case 6:
			jobs = append(jobs, job{p: p, s: 1 << 40, v: intp(2), reject: workshop.ENotFound})
		case 9:
			jobs = append(jobs, job{p: ghost, s: s, v: intp(2), reject: workshop.ENotFound})
		}
	}
	before := db.RatingBatches()
	release := db.HoldWriter(t)
	type result struct {
		ch  workshop.RatingChanged
		err error
	}
	results := make([]result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			ch, err := db.SaveRating(ctx, j.p, j.s, c, j.v)
			results[i] = result{ch, err}
		})
	}
	// The first requests are taken and wait for the writer; the rest queue.
	for db.WaitingRatings() < len(jobs) {
		runtime.Gosched()
	}
	release()
	wg.Wait()
	batches := db.RatingBatches() - before
	if batches > 2 {
		t.Fatalf("%d ratings ran in %d transactions, want at most 2", len(jobs), batches)
	}

	var seqs []int64
	stored := 0
	for i, j := range jobs {
		r := results[i]
		if j.reject != "" {
			if workshop.ErrorCode(r.err) != j.reject {
				t.Errorf("job %d: %v, want a %s error", i, r.err, j.reject)
			}
			continue
		}
		if r.err != nil {
			t.Fatalf("job %d: %v", i, r.err)
		}
		if r.ch.New == nil || r.ch.New.Value != *j.v || r.ch.Old != nil || r.ch.Round != 1 {
			t.Errorf("job %d: change %+v", i, r.ch)
		}
		seqs = append(seqs, r.ch.Seq)
		stored++
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("acknowledged seqs are not distinct and consecutive: %v", seqs)
		}
	}
	var n int
	var seq int64
	db.RawQueryRow(t, `SELECT count(*), (SELECT seq FROM workshops WHERE id = $1) FROM ratings WHERE workshop_id = $2`, w.ID, w.ID).Scan(&n, &seq)
	if n != stored || n != len(ps) || seq != seqs[len(seqs)-1] {
		t.Fatalf("stored %d ratings with seq %d; want %d with seq %d", n, seq, stored, seqs[len(seqs)-1])
	}
	if got, _ := db.WorkshopByCode(ctx, w.Code); got.Seq != seq {
		t.Fatalf("the workshop reads seq %d, the database holds %d", got.Seq, seq)
	}
	// Each transaction had one clock: the ratings were stored at no more
	// distinct times than there were transactions (fewer when the first
	// batch held only refused ratings).
	var times int
	db.RawQueryRow(t, `SELECT count(DISTINCT rated_at) FROM ratings WHERE workshop_id = $1`, w.ID).Scan(&times)
	if times < 1 || int64(times) > batches {
		t.Fatalf("%d distinct rating times for %d transactions, want one clock per transaction", times, batches)
	}
}

// TestGroupCommitClosedVotingAndClose: a batch sees the state it runs in,
// and Close answers what is queued and refuses what comes after.
func TestGroupCommitClosedVotingAndClose(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	p, _, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	s, c := w.Scenarios[1].ID, w.Criteria[1].ID
	if _, err := db.Step(ctx, w.Code, workshop.ActClose, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRating(ctx, p, s, c, intp(2)); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("rating while voting is closed: %v", err)
	}
	if _, err := db.ClearRating(ctx, p, s, c); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("clearing while voting is closed: %v", err)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActReopen, 0, false); err != nil {
		t.Fatal(err)
	}
	ch, err := db.SaveRating(ctx, p, s, c, nil)
	if err != nil || ch.New == nil || !ch.New.DontKnow {
		t.Fatalf("don't know: %+v, %v", ch, err)
	}
	again, err := db.SaveRating(ctx, p, s, c, nil)
	if err != nil || again.New != nil || again.Seq != ch.Seq {
		t.Fatalf("the same answer again: %+v, %v; want no change at seq %d", again, err, ch.Seq)
	}
	cleared, err := db.ClearRating(ctx, p, s, c)
	if err != nil || cleared.Old == nil || !cleared.Old.DontKnow || cleared.Seq != ch.Seq+1 {
		t.Fatalf("clear: %+v, %v", cleared, err)
	}
	nothing, err := db.ClearRating(ctx, p, s, c)
	if err != nil || nothing.Old != nil || nothing.Seq != cleared.Seq {
		t.Fatalf("clearing nothing: %+v, %v", nothing, err)
	}

	release := db.HoldWriter(t)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = db.SaveRating(ctx, p, w.Scenarios[i].ID, c, intp(3))
		})
	}
	for db.WaitingRatings() < len(errs) {
		runtime.Gosched()
	}
	release()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("rating %d queued before Close: %v", i, err)
		}
	}
	if _, err := db.SaveRating(ctx, p, s, c, intp(3)); err == nil {
		t.Fatal("a rating after Close succeeded")
	}
}

// TestGroupCommitJoins queues joins while the writer is busy, so that they
// commit together with ratings: joins into a workshop for 12 (exactly 12
// get in, counting the batch's own joins), into a finished workshop and
// with an unknown code (refused alone). Every admitted participant has a
// distinct seq and a working cookie.
func TestGroupCommitJoins(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := mustWorkshop(t, db)
	set := w.Settings()
	set.ParticipantLimit, set.Anonymity = 12, workshop.Pseudonymous
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	first, _, err := db.Join(ctx, w.Code, "First", 0)
	if err != nil {
		t.Fatal(err)
	}
	done, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "Done", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Step(ctx, done.Code, workshop.ActFinish, 0, false); err != nil {
		t.Fatal(err)
	}

	type result struct {
		p     workshop.Participant
		token string
		err   error
	}
	const tries = 30
	results := make([]result, tries)
	var others [3]error
	var rated workshop.RatingChanged
	events := recordEvents(db)
	var ratedErr error
	release := db.HoldWriter(t)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			r := &results[i]
			r.p, r.token, r.err = db.Join(ctx, w.Code, "Name", 0)
		})
	}
	wg.Go(func() { _, _, others[0] = db.Join(ctx, done.Code, "", 0) })
	wg.Go(func() { _, _, others[1] = db.Join(ctx, "NOSUCHCD", "", 0) })
	wg.Go(func() { rated, ratedErr = db.SaveRating(ctx, first, w.Scenarios[0].ID, w.Criteria[0].ID, intp(4)) })
	for db.WaitingRatings() < tries+3 {
		runtime.Gosched()
	}
	release()
	wg.Wait()

	if workshop.ErrorCode(others[0]) != workshop.EConflict || workshop.ErrorCode(others[1]) != workshop.ENotFound {
		t.Fatalf("joining a finished workshop: %v; an unknown code: %v", others[0], others[1])
	}
	if ratedErr != nil || rated.New == nil {
		t.Fatalf("the rating in the same batch: %+v, %v", rated, ratedErr)
	}
	seqs := map[int64]bool{rated.Seq: true}
	joinSeq := map[int64]int64{} // participant -> the seq its join announced
	for _, ev := range events.all() {
		if j, ok := ev.(workshop.ParticipantJoined); ok {
			joinSeq[j.ParticipantID] = j.Seq
		}
	}
	admitted := 0
	for i, r := range results {
		if r.err != nil {
			if workshop.ErrorCode(r.err) != workshop.EConflict {
				t.Fatalf("join %d: %v, want full", i, r.err)
			}
			continue
		}
		admitted++
		seq, ok := joinSeq[r.p.ID]
		if !ok || seqs[seq] {
			t.Fatalf("join %d: announced %v with seq %d (seqs so far %v)", i, ok, seq, seqs)
		}
		seqs[seq] = true
		if got, err := db.ParticipantByToken(ctx, w.ID, r.token); err != nil || got.ID != r.p.ID || got.Pseudonym != r.p.Pseudonym {
			t.Fatalf("join %d: the cookie finds %+v, %v; want %+v", i, got, err, r.p)
		}
	}
	var active, named int
	db.RawQueryRow(t, `SELECT count(*), count(display_name) FROM participants WHERE workshop_id = $1 AND removed_at IS NULL`, w.ID).Scan(&active, &named)
	if admitted != 11 || active != 12 || named != 12 {
		t.Fatalf("%d admitted, %d stored, %d named; want 11 more, 12 in all, all named", admitted, active, named)
	}
	if _, _, err := db.Join(ctx, w.Code, "", 0); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("a join after the batch filled the workshop: %v", err)
	}
	sameAsDisk(t, db, w.Code, "the batch of joins")
}

// TestGroupCommitBatchOfEverything queues, while the writer is busy, one
// batch that mixes ratings of two workshops, the same item rated several
// times over (on PostgreSQL the batch's ratings go in one statement, which
// can write a row once), the same answer again, "don't know", clearings
// and joins. Whatever order they queued in: each workshop's changes have
// the seqs from the one before the batch on, without a gap; each item's
// events chain (every Old is the New before it); and what is stored is
// each item's last answer.
func TestGroupCommitBatchOfEverything(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w1, u := mustWorkshop(t, db)
	w2, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "Second room", true)
	if err != nil {
		t.Fatal(err)
	}
	rooms := []*workshop.Workshop{w1, w2}
	var ps []workshop.Participant
	for i := range 6 {
		p, _, err := db.Join(ctx, rooms[i%2].Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	start := map[int64]int64{}
	for _, w := range rooms {
		fresh, err := db.WorkshopByCode(ctx, w.Code)
		if err != nil {
			t.Fatal(err)
		}
		start[w.ID] = fresh.Seq
	}
	events := recordEvents(db)

	release := db.HoldWriter(t)
	var wg sync.WaitGroup
	n := 0
	for i, p := range ps {
		w := rooms[i%2]
		for k := range 12 {
			s, c := w.Scenarios[k%3].ID, w.Criteria[0].ID // 4 ratings of each of 3 items
			v := intp(1 + (k+i)%5)
			if k%7 == 5 {
				v = nil // don't know
			}
			n++
			wg.Go(func() {
				if k%6 == 4 {
					if _, err := db.ClearRating(ctx, p, s, c); err != nil {
						t.Error(err)
					}
					return
				}
				if _, err := db.SaveRating(ctx, p, s, c, v); err != nil {
					t.Error(err)
				}
			})
		}
		n++
		wg.Go(func() {
			if _, _, err := db.Join(ctx, w.Code, "", 0); err != nil {
				t.Error(err)
			}
		})
	}
	for db.WaitingRatings() < n {
		runtime.Gosched()
	}
	release()
	wg.Wait()

	type item struct{ p, s, c int64 }
	last := map[item]*workshop.Answer{}
	seen := map[item]bool{}
	next := map[int64]int64{}
	for id, s := range start {
		next[id] = s + 1
	}
	for _, ev := range events.all() {
		id, seq := ev.Head().WorkshopID, ev.Head().Seq
		if seq != next[id] {
			t.Fatalf("workshop %d: event %s has seq %d, want %d", id, describe([]workshop.Event{ev}), seq, next[id])
		}
		next[id]++
		rc, ok := ev.(workshop.RatingChanged)
		if !ok {
			continue
		}
		k := item{rc.ParticipantID, rc.ScenarioID, rc.CriterionID}
		if prev := last[k]; seen[k] && !sameAnswer(prev, rc.Old) || !seen[k] && rc.Old != nil {
			t.Errorf("%+v: old answer %v after %v", k, rc.Old, prev)
		}
		if sameAnswer(rc.Old, rc.New) {
			t.Errorf("%+v: an event that changes nothing (%v)", k, rc.New)
		}
		last[k], seen[k] = rc.New, true
	}
	for id, s := range start {
		fresh, err := db.WorkshopFromDisk(t, codeOf(rooms, id))
		if err != nil {
			t.Fatal(err)
		}
		if fresh.Seq != next[id]-1 || fresh.Seq <= s {
			t.Errorf("workshop %d: stored seq %d, events up to %d (from %d)", id, fresh.Seq, next[id]-1, s)
		}
	}
	for k, a := range last {
		got, err := db.RatingsOf(ctx, participantOf(ps, k.p), 1)
		if err != nil {
			t.Fatal(err)
		}
		stored, ok := got[workshop.ItemKey{ScenarioID: k.s, CriterionID: k.c}]
		if a == nil && ok || a != nil && (!ok || stored != *a) {
			t.Errorf("%+v: stored %v (%v), the last event says %v", k, stored, ok, a)
		}
	}
}

func sameAnswer(a, b *workshop.Answer) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func codeOf(ws []*workshop.Workshop, id int64) string {
	for _, w := range ws {
		if w.ID == id {
			return w.Code
		}
	}
	return ""
}

func participantOf(ps []workshop.Participant, id int64) workshop.Participant {
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	return workshop.Participant{}
}
