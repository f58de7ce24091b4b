package store_test

import (
	"context"
	"sync"
	"testing"

	"foresight/internal/workshop"
)

// TestCrossImpactRound opens a cross-impact round from the lobby on the
// built-in deck (six descriptors), stores judgements, refuses ratings and
// cells the workshop does not ask about, announces each change, and
// prefills the next cross-impact round.
func TestCrossImpactRound(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u, err := db.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Descriptors) != 6 || w.KindOf(1) != workshop.RoundRating {
		t.Fatalf("descriptors %d, round 1 %s", len(w.Descriptors), w.KindOf(1))
	}
	var mu sync.Mutex
	var judged []workshop.JudgementChanged
	db.Subscribe(func(evs []workshop.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, ev := range evs {
			if j, ok := ev.(workshop.JudgementChanged); ok {
				judged = append(judged, j)
			}
		}
	})
	p1, _, _ := db.Join(ctx, w.Code, "", 0)
	p2, _, _ := db.Join(ctx, w.Code, "", 0)
	w, err = db.NextRound(ctx, w.Code, workshop.RoundCrossImpact, false)
	if err != nil {
		t.Fatal(err)
	}
	if w.State != workshop.StateOpen || w.KindOf(1) != workshop.RoundCrossImpact {
		t.Fatalf("state %s, kind %s", w.State, w.KindOf(1))
	}
	cells := w.CrossImpact().Cells()
	two, minus := 2, -1
	ch, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &two})
	if err != nil || ch.Seq == 0 || ch.Round != 1 {
		t.Fatalf("save: %+v %v", ch, err)
	}
	again, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &two})
	if err != nil || again.Seq != ch.Seq {
		t.Errorf("the same judgement again: seq %d, want %d (nothing changed): %v", again.Seq, ch.Seq, err)
	}
	if _, err := db.SaveJudgement(ctx, p2, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &minus}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveJudgement(ctx, p2, workshop.Judgement{From: cells[1].From, To: cells[1].To}); err != nil {
		t.Fatal(err) // don't know
	}
	// A cell within one descriptor, or a score out of range.
	d0 := w.Descriptors[0].Variants
	if _, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: d0[0].ID, To: d0[1].ID, Score: &two}); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Errorf("a cell within a descriptor: %v", err)
	}
	four := 4
	if _, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &four}); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Errorf("a score of 4: %v", err)
	}
	// No ratings in a cross-impact round.
	if _, err := db.SaveRating(ctx, p1, w.Scenarios[0].ID, w.Criteria[0].ID, &two); workshop.ErrorCode(err) != workshop.EConflict {
		t.Errorf("a rating in a cross-impact round: %v", err)
	}
	js, err := db.Judgements(ctx, w.ID, 1)
	if err != nil || len(js) != 3 {
		t.Fatalf("judgements %+v %v", js, err)
	}
	res, err := workshop.NewCrossImpactResult(w.CrossImpact(), 1, js)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Cells[0]; c.N != 2 || *c.Median != 0.5 || res.Judged != 2 || res.Cells[1].DontKnow != 1 {
		t.Errorf("cell 0: %+v; judged %d", c, res.Judged)
	}
	mu.Lock()
	if len(judged) != 3 {
		t.Errorf("%d JudgementChanged events, want 3 (the repeat changed nothing)", len(judged))
	}
	mu.Unlock()

	// Closed: kept, but no more judgements.
	if _, err := db.Step(ctx, w.Code, workshop.ActClose, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &minus}); workshop.ErrorCode(err) != workshop.EConflict {
		t.Errorf("judging a closed round: %v", err)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActReveal, 1, false); err != nil {
		t.Fatal(err)
	}
	// Round 2, prefilled: each participant starts with their judgements.
	w, err = db.NextRound(ctx, w.Code, workshop.RoundCrossImpact, true)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := db.JudgementsOf(ctx, p2, 2)
	if err != nil || len(mine) != 2 || w.KindOf(2) != workshop.RoundCrossImpact {
		t.Fatalf("round 2 of p2: %+v %v (kind %s)", mine, err, w.KindOf(2))
	}
	if _, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &minus}); err != nil {
		t.Fatal(err)
	}
	// A rating round after it: ratings again, judgements no more.
	db.Step(ctx, w.Code, workshop.ActClose, 2, false)
	db.Step(ctx, w.Code, workshop.ActReveal, 2, false)
	if w, err = db.NextRound(ctx, w.Code, workshop.RoundRating, true); err != nil || w.KindOf(3) != workshop.RoundRating {
		t.Fatalf("round 3: %v", err)
	}
	if _, err := db.SaveJudgement(ctx, p1, workshop.Judgement{From: cells[0].From, To: cells[0].To, Score: &minus}); workshop.ErrorCode(err) != workshop.EConflict {
		t.Errorf("judging in a rating round: %v", err)
	}
	if _, err := db.SaveRating(ctx, p1, w.Scenarios[0].ID, w.Criteria[0].ID, &two); err != nil {
		t.Errorf("a rating in round 3: %v", err)
	}
	if got := w.CrossImpactRounds(); len(got) != 2 || got[1] != 2 {
		t.Errorf("cross-impact rounds %v", got)
	}
}

// TestCrossImpactNeedsDescriptors: a deck of more than 12 scenarios and no
// descriptors has no cross-impact round.
func TestCrossImpactNeedsDescriptors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u, _ := db.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	d := builtinDeck(t)
	d.Descriptors = nil
	for i := range 3 {
		s := d.Scenarios[i]
		s.Key += "-again"
		d.Scenarios = append(d.Scenarios, s)
	}
	w, err := db.CreateWorkshop(ctx, u, d, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.NextRound(ctx, w.Code, workshop.RoundCrossImpact, false); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("13 scenarios, no descriptors: %v", err)
	}
	d.Scenarios = d.Scenarios[:10]
	w, _ = db.CreateWorkshop(ctx, u, d, "", false)
	w, err = db.NextRound(ctx, w.Code, workshop.RoundCrossImpact, false)
	if err != nil {
		t.Fatal(err)
	}
	if cells := w.CrossImpact().Cells(); len(cells) != 90 {
		t.Errorf("ten scenarios make 90 judgements, got %d", len(cells))
	}
}
