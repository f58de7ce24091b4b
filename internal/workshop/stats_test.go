package workshop

import (
	"math"
	"testing"
)

func histOf(c Criterion, dontKnow int64, values ...int) Histogram {
	h := NewHistogram(c)
	for _, v := range values {
		h.Add(Answer{Value: v}, 1)
	}
	for range dontKnow {
		h.Add(Answer{DontKnow: true}, 1)
	}
	return h
}

var five = Criterion{Kind: KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true}

func TestStats(t *testing.T) {
	nan := math.NaN() // marks "undefined" (nil) in the table
	tests := []struct {
		name                          string
		crit                          Criterion
		values                        []int
		dontKnow                      int64
		n                             int64
		mean, median, q1, q3, iqr, sd float64
	}{
		// n = 0: nothing is defined.
		{name: "empty", crit: five, n: 0, mean: nan, median: nan, q1: nan, q3: nan, iqr: nan, sd: nan},
		// Only "don't know": counted apart, n stays 0.
		{name: "only dont know", crit: five, dontKnow: 3, n: 0, mean: nan, median: nan, q1: nan, q3: nan, iqr: nan, sd: nan},
		// n = 1: every quantile is the value; no sample SD.
		{name: "one", crit: five, values: []int{4}, n: 1, mean: 4, median: 4, q1: 4, q3: 4, iqr: 0, sd: nan},
		// n = 2: {2,5}: h = 0.25 -> 2 + 0.25*3 = 2.75; median 3.5; h = 0.75 -> 4.25;
		// sd = sqrt(((2-3.5)^2 + (5-3.5)^2) / 1) = sqrt(4.5).
		{name: "two", crit: five, values: []int{5, 2}, n: 2, mean: 3.5, median: 3.5, q1: 2.75, q3: 4.25, iqr: 1.5, sd: math.Sqrt(4.5)},
		// All equal: spread zero.
		{name: "all equal", crit: five, values: []int{3, 3, 3, 3}, n: 4, mean: 3, median: 3, q1: 3, q3: 3, iqr: 0, sd: 0},
		// Odd n = 5: {1,2,3,4,5}: h(.25) = 1 -> 2; h(.5) = 2 -> 3; h(.75) = 3 -> 4;
		// sd = sqrt(10/4).
		{name: "odd", crit: five, values: []int{5, 1, 4, 2, 3}, dontKnow: 2, n: 5, mean: 3, median: 3, q1: 2, q3: 4, iqr: 2, sd: math.Sqrt(2.5)},
		// Even n = 4: {1,2,4,5}: h(.25) = 0.75 -> 1.75; h(.5) = 1.5 -> 3;
		// h(.75) = 2.25 -> 4.25; mean 3; sd = sqrt((4+1+1+4)/3).
		{name: "even", crit: five, values: []int{4, 1, 5, 2}, n: 4, mean: 3, median: 3, q1: 1.75, q3: 4.25, iqr: 2.5, sd: math.Sqrt(10.0 / 3)},
		// n = 6 with ties: {1,1,2,3,3,5}: h(.25) = 1.25 -> 1 + .25*(2-1) = 1.25;
		// h(.5) = 2.5 -> 2.5; h(.75) = 3.75 -> 3 + .75*0 = 3; mean 15/6 = 2.5;
		// squares 1+1+4+9+9+25 = 49, var = (49 - 6*6.25)/5 = 2.3.
		{name: "ties", crit: five, values: []int{3, 1, 5, 1, 3, 2}, n: 6, mean: 2.5, median: 2.5, q1: 1.25, q3: 3, iqr: 1.75, sd: math.Sqrt(2.3)},
		// Percent in steps of 10: {10, 20, 90}: h(.25) = 0.5 -> 15; median 20;
		// h(.75) = 1.5 -> 55; mean 40; var = (900 + 400 + 2500)/2 = 1900.
		{name: "percent", crit: Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 10}, values: []int{90, 10, 20}, n: 3, mean: 40, median: 20, q1: 15, q3: 55, iqr: 40, sd: math.Sqrt(1900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := histOf(tt.crit, tt.dontKnow, tt.values...)
			s := h.Stats()
			if s.N != tt.n || s.DontKnow != tt.dontKnow {
				t.Fatalf("n=%d dont_know=%d, want %d, %d", s.N, s.DontKnow, tt.n, tt.dontKnow)
			}
			check := func(name string, got *float64, want float64) {
				t.Helper()
				if math.IsNaN(want) {
					if got != nil {
						t.Errorf("%s=%v, want undefined", name, *got)
					}
					return
				}
				if got == nil {
					t.Errorf("%s undefined, want %v", name, want)
				} else if math.Abs(*got-want) > 1e-12 {
					t.Errorf("%s=%v, want %v", name, *got, want)
				}
			}
			check("mean", s.Mean, tt.mean)
			check("median", s.Median, tt.median)
			check("q1", s.Q1, tt.q1)
			check("q3", s.Q3, tt.q3)
			check("iqr", s.IQR, tt.iqr)
			check("sd", s.SD, tt.sd)
		})
	}
}

func TestHistogramRemove(t *testing.T) {
	h := histOf(five, 1, 2, 4)
	h.Add(Answer{Value: 2}, -1)
	h.Add(Answer{DontKnow: true}, -1)
	if got := h.Stats(); got.N != 1 || *got.Median != 4 || got.DontKnow != 0 {
		t.Fatalf("after removal n=%d median=%v dk=%d, want 1, 4, 0", got.N, *got.Median, got.DontKnow)
	}
}

func TestSummariseAndDeltas(t *testing.T) {
	c := five
	c.ID = 7
	round := func(n int, values [][]int) Results {
		r := Results{Round: n}
		for i, v := range values {
			r.Items = append(r.Items, NewItemResult(int64(i+1), c, histOf(c, 0, v...)))
		}
		return r
	}
	// Round 1: item 1 {1,5,5,5} (IQR: Q1 h=.75 -> 1+.75*4 = 4, Q3 5: 1;
	// consensus), item 2 {1,2,4,5} (Q1 1.75, Q3 4.25: IQR 2.5), item 3 unrated.
	r1 := round(1, [][]int{{1, 5, 5, 5}, {1, 2, 4, 5}, nil})
	r1.Summarise(nil)
	if got := r1.Summary; got.Items != 2 || *got.ConsensusShare != 0.5 || *got.MeanRelativeIQR != 1.75/4 || got.DeltaMeanRelativeIQR != nil {
		t.Fatalf("round 1 summary %+v", got)
	}
	// Round 2: item 2 converges to {3,3,4,4} (Q1 3, Q3 4: IQR 1, median 3.5).
	r2 := round(2, [][]int{{1, 5, 5, 5}, {3, 3, 4, 4}, nil})
	r2.Summarise(&r1)
	it, _ := r2.Item(2, 7)
	if *it.DeltaMedian != 0.5 || *it.DeltaIQR != -1.5 {
		t.Fatalf("item 2 moved median %v, IQR %v; want +0.5, -1.5", *it.DeltaMedian, *it.DeltaIQR)
	}
	if it3, _ := r2.Item(3, 7); it3.DeltaMedian != nil {
		t.Fatalf("an unrated item has a delta %v", *it3.DeltaMedian)
	}
	if got := r2.Summary; *got.ConsensusShare != 1 || *got.MeanRelativeIQR != 1.0/4 || *got.DeltaConsensusShare != 0.5 || *got.DeltaMeanRelativeIQR != -0.75/4 {
		t.Fatalf("round 2 summary %+v", got)
	}
}
