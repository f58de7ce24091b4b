package live

import (
	"context"
	"fmt"
	"testing"
	"time"

	"foresight/internal/workshop"
)

func testWorkshop() *workshop.Workshop {
	return &workshop.Workshop{
		ID: 1, Code: "K7QFM2XD", State: workshop.StateOpen, Round: 1, Seq: 3,
		Scenarios: []workshop.Scenario{{ID: 10}, {ID: 11}},
		Criteria:  []workshop.Criterion{{ID: 20, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true}},
	}
}

// The store already holds two ratings of item (10, 20) and one join more
// than those.
func testLoader(context.Context, int64) (workshop.Tally, error) {
	return workshop.Tally{
		Seq: 3, Joined: 2,
		Counts: []workshop.TallyRow{
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 2}, Count: 1},
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 4}, Count: 1},
		},
		Rated: []workshop.RatedRow{{Round: 1, ParticipantID: 1, Items: 1}, {Round: 1, ParticipantID: 2, Items: 1}},
	}, nil
}

func TestApplyAndResults(t *testing.T) {
	h := NewHub(testLoader)
	defer h.Close()
	w := testWorkshop()
	if _, err := h.Snapshot(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	// Seq 3 was part of the load: applying it again must not count twice.
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 3, Round: 1, ParticipantID: 2, ScenarioID: 10, CriterionID: 20, New: &workshop.Answer{Value: 4}})
	// Participant 1 changes 2 -> 5; participant 3 joins and says "don't know".
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 4, Round: 1, ParticipantID: 1, ScenarioID: 10, CriterionID: 20, Old: &workshop.Answer{Value: 2}, New: &workshop.Answer{Value: 5}})
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 5, Joined: true})
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 6, Round: 1, ParticipantID: 3, ScenarioID: 10, CriterionID: 20, New: &workshop.Answer{DontKnow: true}})
	snap, err := h.Snapshot(context.Background(), w)
	if err != nil {
		t.Fatal(err)
	}
	res := snap.Results(1)
	it, _ := res.Item(10, 20)
	if res.Seq != 6 || res.Joined != 3 || res.Rated != 3 || it.N != 2 || it.DontKnow != 1 || *it.Median != 4.5 {
		t.Fatalf("seq=%d joined=%d rated=%d n=%d dk=%d median=%v; want 6 3 3 2 1 4.5",
			res.Seq, res.Joined, res.Rated, it.N, it.DontKnow, *it.Median)
	}
	if other, _ := res.Item(11, 20); other.N != 0 || other.Median != nil || len(other.Histogram.Counts) != 5 {
		t.Fatalf("an unrated item: %+v", other)
	}
	// Clearing the only rating of participant 3 leaves them out of "rated".
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 7, Round: 1, ParticipantID: 3, ScenarioID: 10, CriterionID: 20, Old: &workshop.Answer{DontKnow: true}})
	before := snap
	snap, _ = h.Snapshot(context.Background(), w)
	if res := snap.Results(1); res.Rated != 2 {
		t.Fatalf("rated=%d after clearing, want 2", res.Rated)
	}
	// A snapshot keeps the count it was taken with.
	if res := before.Results(1); res.Rated != 3 {
		t.Fatalf("an earlier snapshot says rated=%d, want 3", res.Rated)
	}
}

func TestSubscribersGetLatestState(t *testing.T) {
	h := NewHub(testLoader)
	defer h.Close()
	w := testWorkshop()
	renders := 0
	render := func(s *Snapshot) [][]byte {
		renders++
		return [][]byte{fmt.Appendf(nil, "seq=%d", s.Seq)}
	}
	sub, err := h.Subscribe(context.Background(), w, "k", render)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := h.Subscribe(context.Background(), w, "k", render)
	defer other.Close()
	if got := string((<-sub.C)[0]); got != "seq=3" {
		t.Fatalf("first message %q, want the full state at once", got)
	}
	// Many changes before the slow subscriber reads: it gets only the latest.
	for seq := int64(4); seq <= 20; seq++ {
		h.Apply(workshop.Change{WorkshopID: 1, Seq: seq, Joined: true})
	}
	renders = 0
	h.flush() // what the ticker does
	if got := string((<-sub.C)[0]); got != "seq=20" {
		t.Fatalf("after 17 changes got %q, want seq=20", got)
	}
	if renders != 1 {
		t.Fatalf("rendered %d times for two subscribers of one kind, want 1", renders)
	}
	select {
	case m := <-sub.C:
		t.Fatalf("a second message %q queued", m)
	default:
	}
	sub.Close()
	if _, ok := <-sub.C; ok {
		t.Fatal("C is open after Close")
	}
}

func TestTickerDeliversWithinASecond(t *testing.T) {
	h := NewHub(testLoader)
	defer h.Close()
	sub, err := h.Subscribe(context.Background(), testWorkshop(), "k", func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} })
	if err != nil {
		t.Fatal(err)
	}
	<-sub.C
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 9, Joined: true})
	select {
	case m := <-sub.C:
		if string(m[0]) != "9" {
			t.Fatalf("got %q", m)
		}
	case <-time.After(5 * time.Second): // generous: this checks delivery, not speed
		t.Fatal("no update delivered")
	}
	h.Close()
	if _, ok := <-sub.C; ok {
		t.Fatal("C is open after the hub closed")
	}
}

func TestRationalesAndReload(t *testing.T) {
	stored := workshop.Tally{Seq: 3, Joined: 1, Rationales: []workshop.Rationale{{ID: 1, Round: 1, ScenarioID: 10, Text: "first"}}}
	h := NewHub(func(context.Context, int64) (workshop.Tally, error) { return stored, nil })
	defer h.Close()
	w := testWorkshop()
	snap, _ := h.Snapshot(context.Background(), w)
	if got := snap.RoundRationales(1); len(got) != 1 || got[0].Text != "first" {
		t.Fatalf("loaded rationales %+v", got)
	}
	// A newer edit wins; an older write arriving late does not undo it, and
	// a deletion is not revived by an older edit either.
	h.ApplyRationale(workshop.RationaleChange{WorkshopID: 1, Seq: 6, Rationale: workshop.Rationale{ID: 1, Round: 1, Text: "edited"}})
	h.ApplyRationale(workshop.RationaleChange{WorkshopID: 1, Seq: 5, Rationale: workshop.Rationale{ID: 1, Round: 1, Text: "stale"}})
	h.ApplyRationale(workshop.RationaleChange{WorkshopID: 1, Seq: 7, Rationale: workshop.Rationale{ID: 2, Round: 2, Text: "round two"}})
	snap, _ = h.Snapshot(context.Background(), w)
	if got := snap.RoundRationales(1); len(got) != 1 || got[0].Text != "edited" {
		t.Fatalf("after edits: %+v", got)
	}
	h.ApplyRationale(workshop.RationaleChange{WorkshopID: 1, Seq: 9, Rationale: workshop.Rationale{ID: 1, Round: 1}, Deleted: true})
	h.ApplyRationale(workshop.RationaleChange{WorkshopID: 1, Seq: 8, Rationale: workshop.Rationale{ID: 1, Round: 1, Text: "late"}})
	snap, _ = h.Snapshot(context.Background(), w)
	if got := snap.RoundRationales(1); len(got) != 0 {
		t.Fatalf("a deleted rationale came back: %+v", got)
	}
	if got := snap.RoundRationales(2); len(got) != 1 {
		t.Fatalf("round 2: %+v", got)
	}

	// Reload reads the store again: a round that started pre-filled.
	stored = workshop.Tally{Seq: 12, Joined: 1, Counts: []workshop.TallyRow{
		{Round: 2, ScenarioID: 10, CriterionID: 20, Answer: workshop.Answer{Value: 3}, Count: 1},
	}, Rated: []workshop.RatedRow{{Round: 2, ParticipantID: 1, Items: 1}}}
	if err := h.Reload(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	snap, _ = h.Snapshot(context.Background(), w)
	res := snap.Results(2)
	if it, _ := res.Item(10, 20); it.N != 1 || res.Rated != 1 || snap.Seq != 12 {
		t.Fatalf("after reload: n=%d rated=%d seq=%d", it.N, res.Rated, snap.Seq)
	}
	// A change already in the reloaded tally is not counted again.
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 12, Round: 2, ParticipantID: 1, ScenarioID: 10, CriterionID: 20, New: &workshop.Answer{Value: 3}})
	snap, _ = h.Snapshot(context.Background(), w)
	res = snap.Results(2)
	if it, _ := res.Item(10, 20); it.N != 1 {
		t.Fatalf("a change before the reload was counted twice: n=%d", it.N)
	}
}

// A subscription with a minimum interval skips flushes within it and then
// gets the latest state; others in the room are not held back.
func TestSubscribeEveryHoldsThenDeliversLatest(t *testing.T) {
	h := NewHub(testLoader)
	defer h.Close()
	w := testWorkshop()
	render := func(s *Snapshot) [][]byte { return [][]byte{fmt.Appendf(nil, "%d", s.Seq)} }
	slow, err := h.SubscribeEvery(context.Background(), w, "slow", render, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	fast, _ := h.Subscribe(context.Background(), w, "fast", render)
	<-slow.C
	<-fast.C
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 9, Joined: true})
	h.flush()
	if got := string((<-fast.C)[0]); got != "9" {
		t.Fatalf("fast subscriber got %q", got)
	}
	select {
	case m := <-slow.C:
		t.Fatalf("the held subscriber got %q within its interval", m)
	default:
	}
	h.Apply(workshop.Change{WorkshopID: 1, Seq: 10, Joined: true})
	// The interval passes.
	slow.room.mu.Lock()
	slow.lastOffer = time.Now().Add(-2 * time.Hour)
	slow.room.mu.Unlock()
	h.flush()
	select {
	case m := <-slow.C:
		if string(m[0]) != "10" {
			t.Fatalf("held subscriber got %q, want the latest state 10", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the held subscriber got nothing after its interval")
	}
}
