package workshop

import "testing"

func tallyWorkshop() *Workshop {
	return &Workshop{
		ID: 1, Round: 2,
		Scenarios: []Scenario{{ID: 10}, {ID: 11}},
		Criteria:  []Criterion{{ID: 20, Kind: KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true}},
	}
}

func answer(v int) *Answer { return &Answer{Value: v} }

func TestCountsFromTallyAndChanges(t *testing.T) {
	w := tallyWorkshop()
	c := NewCounts(w, Tally{
		Seq: 5, Joined: 3,
		Counts: []TallyRow{
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{Value: 2}, Count: 1},
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{Value: 4}, Count: 2},
			{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{DontKnow: true}, Count: 1},
			{Round: 1, ScenarioID: 10, CriterionID: 99, Answer: Answer{Value: 3}, Count: 7}, // no such criterion: ignored
		},
		Rated: []RatedRow{{Round: 1, ParticipantID: 1, Items: 1}, {Round: 1, ParticipantID: 2, Items: 1},
			{Round: 1, ParticipantID: 3, Items: 1}, {Round: 1, ParticipantID: 4, Items: 1}},
	})
	// Round 2: participant 1 rates 5, participant 2 rates 4 then clears it.
	c.Apply(RatingChanged{Round: 2, ParticipantID: 1, ScenarioID: 10, CriterionID: 20, New: answer(5)})
	c.Apply(RatingChanged{Round: 2, ParticipantID: 2, ScenarioID: 10, CriterionID: 20, New: answer(4)})
	c.Apply(RatingChanged{Round: 2, ParticipantID: 2, ScenarioID: 10, CriterionID: 20, Old: answer(4)})
	snap := c.Copy()
	// A change after the copy does not reach it.
	c.Apply(RatingChanged{Round: 2, ParticipantID: 3, ScenarioID: 10, CriterionID: 20, New: answer(1)})

	r1 := snap.Results(w, 1, 7, 3)
	it, ok := r1.Item(10, 20)
	// 2, 4, 4: median 4, Q1 = 2 + 0.5*(4-2) = 3, Q3 = 4, "don't know" apart.
	if !ok || r1.Rated != 4 || r1.Seq != 7 || r1.Joined != 3 || it.N != 3 || it.DontKnow != 1 || *it.Median != 4 || *it.Q1 != 3 || *it.Q3 != 4 {
		t.Fatalf("round 1: rated=%d seq=%d joined=%d item %+v", r1.Rated, r1.Seq, r1.Joined, it.Stats)
	}
	if other, ok := r1.Item(11, 20); !ok || other.N != 0 || len(other.Histogram.Counts) != 5 {
		t.Fatalf("an unrated item: %+v", other)
	}
	if _, ok := r1.Item(10, 99); ok {
		t.Fatal("an item the workshop does not have was found")
	}
	r2 := snap.Results(w, 2, 7, 3)
	it2, _ := r2.Item(10, 20)
	// Round 2 holds one rating, 5: median 5, IQR 0; against round 1: +1 and -1.
	if r2.Rated != 1 || it2.N != 1 || *it2.Median != 5 || *it2.DeltaMedian != 1 || *it2.DeltaIQR != -1 {
		t.Fatalf("round 2: rated=%d n=%d median=%v deltas %v %v", r2.Rated, it2.N, *it2.Median, *it2.DeltaMedian, *it2.DeltaIQR)
	}
	// The original went on: two raters in round 2 now.
	if got := c.Copy().Results(w, 2, 8, 3).Rated; got != 2 {
		t.Fatalf("rated after the copy = %d, want 2", got)
	}
}

func TestAsksReason(t *testing.T) {
	w := tallyWorkshop()
	c := NewCounts(w, Tally{Counts: []TallyRow{
		// 1, 3, 3, 5: Q1 = 1 + 0.75*2 = 2.5, Q3 = 3 + 0.25*2 = 3.5.
		{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{Value: 1}, Count: 1},
		{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{Value: 3}, Count: 2},
		{Round: 1, ScenarioID: 10, CriterionID: 20, Answer: Answer{Value: 5}, Count: 1},
	}})
	res := c.Results(w, 1, 0, 4)
	it, _ := res.Item(10, 20)
	empty, _ := res.Item(11, 20)
	for _, tc := range []struct {
		it   ItemResult
		a    Answer
		want bool
	}{
		{it, Answer{Value: 1}, true},
		{it, Answer{Value: 2}, true},
		{it, Answer{Value: 3}, false},
		{it, Answer{Value: 4}, true},
		{it, Answer{DontKnow: true}, false},
		{empty, Answer{Value: 5}, false},
	} {
		if got := tc.it.AsksReason(tc.a); got != tc.want {
			t.Errorf("AsksReason(%+v) with Q1=2.5 Q3=3.5 = %v, want %v", tc.a, got, tc.want)
		}
	}
}
