package live

import (
	"context"
	"fmt"
	"testing"

	"foresight/internal/workshop"
)

// Benchmarks of the hot path's in-memory half: counting a committed change,
// taking a snapshot and computing its results, and offering an update to
// every subscriber of a large room.

// benchWorkshop has the built-in deck's shape: 10 scenarios x 2 criteria on
// a 1-5 scale with "don't know".
func benchWorkshop() *workshop.Workshop {
	w := &workshop.Workshop{ID: 1, Code: "K7QFM2XD", State: workshop.StateOpen, Round: 1, Seq: 1, Visibility: workshop.VisibleLive}
	for s := range int64(10) {
		w.Scenarios = append(w.Scenarios, workshop.Scenario{ID: s + 1})
	}
	for c := range int64(2) {
		w.Criteria = append(w.Criteria, workshop.Criterion{ID: 101 + c, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true})
	}
	return w
}

// benchSource is a store in which participants rated every item.
func benchSource(participants int) *source {
	t := workshop.Tally{Seq: 1, Joined: participants}
	w := benchWorkshop()
	for _, s := range w.Scenarios {
		for _, c := range w.Criteria {
			for v := 1; v <= 5; v++ {
				t.Counts = append(t.Counts, workshop.TallyRow{Round: 1, ScenarioID: s.ID, CriterionID: c.ID, Answer: workshop.Answer{Value: v}, Count: int64(participants / 5)})
			}
		}
	}
	for p := range participants {
		t.Rated = append(t.Rated, workshop.RatedRow{Round: 1, ParticipantID: int64(p + 1), Items: 20})
	}
	return newSource(w, t)
}

func loadedHub(b *testing.B, participants int) *Hub {
	b.Helper()
	h := NewHub(benchSource(participants), nil)
	b.Cleanup(h.Close)
	if _, err := h.Snapshot(context.Background(), 1); err != nil {
		b.Fatal(err)
	}
	return h
}

var benchAnswers = []workshop.Answer{{Value: 1}, {Value: 2}, {Value: 3}, {Value: 4}, {Value: 5}, {DontKnow: true}}

// benchChange is the i-th of a series of changes: a participant moves one
// item from one answer to the next.
func benchChange(i int, participants int) []workshop.Event {
	return []workshop.Event{workshop.RatingChanged{
		EventHead: workshop.EventHead{WorkshopID: 1, Seq: int64(i + 2)}, Round: 1,
		ParticipantID: int64(i%participants + 1), ScenarioID: int64(i%10 + 1), CriterionID: int64(101 + i/10%2),
		Old: &benchAnswers[i%6], New: &benchAnswers[(i+1)%6],
	}}
}

func BenchmarkApply(b *testing.B) {
	h := loadedHub(b, 10000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.Apply(benchChange(i, 10000))
		i++
	}
}

// BenchmarkSnapshotResults is what one update of one view kind costs
// before rendering: copy the room's state, compute the round's 20 items.
func BenchmarkSnapshotResults(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("participants=%d", n), func(b *testing.B) {
			h := loadedHub(b, n)
			ctx := context.Background()
			b.Run("snapshot", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := h.Snapshot(ctx, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("results", func(b *testing.B) {
				snap, err := h.Snapshot(ctx, 1)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					_ = snap.Results(1)
				}
			})
		})
	}
}

// BenchmarkFlush is one live update of a room with n subscribers of one
// kind: a change, a snapshot, one render (a fixed 4 KiB here; rendering is
// benchmarked in views) and the offer to every subscriber. The room's
// tallies are small, so that the snapshot (measured above) does not hide
// the fan-out.
func BenchmarkFlush(b *testing.B) {
	msg := [][]byte{make([]byte, 4096)}
	render := func(*Snapshot) [][]byte { return msg }
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			h := loadedHub(b, 100)
			for range n {
				if _, err := h.Subscribe(context.Background(), 1, "participant", render); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				h.Apply(benchChange(i, 100))
				h.flush()
				i++
			}
		})
	}
}
