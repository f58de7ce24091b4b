package workshop

import (
	"math"
	"testing"
)

func TestAgreement(t *testing.T) {
	pct := Criterion{Kind: KindPercent, Min: 0, Max: 100, Step: 10}
	tests := []struct {
		name      string
		crit      Criterion
		values    []int
		consensus bool
		share     float64 // NaN: undefined
		cv        float64 // NaN: undefined
		polarised bool
		bc        float64 // NaN: undefined
	}{
		// n = 0: nothing to agree on.
		{name: "empty", crit: five, share: math.NaN(), cv: math.NaN(), bc: math.NaN()},
		// All equal: IQR 0, everyone at the median, SD 0 so CV 0; no spread, no BC.
		{name: "all equal", crit: five, values: []int{4, 4, 4, 4, 4}, consensus: true, share: 1, cv: 0, bc: math.NaN()},
		// {2,3,3,3,4}: Q1 3, Q3 3, IQR 0; all within 1 of median 3; mean 3,
		// SD sqrt(2/4); m2 = 0.4, m4 = 0.4, kurtosis 2.5, skew 0, b = 0.4.
		{name: "single peak", crit: five, values: []int{2, 3, 3, 3, 4}, consensus: true, share: 1, cv: math.Sqrt(0.5) / 3, bc: 0.4},
		// Even split {1,1,1,5,5,5}: Q1 = 1 + .25*0 = 1 (h=1.25 between 1 and 1),
		// Q3: h = 3.75 between x3=5 and x4=5 -> 5; IQR 4: no consensus.
		// Median 3: no rating within 1 of it; SD^2 = 6*4/5. Two-point: skew 0,
		// kurtosis 1, b = 1. Peaks at 1 and 5 (3 each), gap between: polarised.
		{name: "even split", crit: five, values: []int{1, 1, 1, 5, 5, 5}, share: 0, cv: math.Sqrt(24.0/5) / 3, polarised: true, bc: 1},
		// Uniform {1..5} twice, sorted 1,1,2,2,3,3,4,4,5,5: Q1 (h = 2.25) 2,
		// Q3 (h = 6.75) 4, IQR 2; within 1 of median 3: 2,3,4 -> 6 of 10.
		// m2 = 2, m4 = 6.8, kurtosis 1.7, b = 1/1.7 > 5/9, but no gap: not polarised.
		{name: "uniform", crit: five, values: []int{1, 2, 3, 4, 5, 1, 2, 3, 4, 5}, share: 0.6, cv: math.Sqrt(20.0/9) / 3, bc: 1 / 1.7},
		// Lopsided {1,1,1,1,1,5}: b is about 1 (skewed), but the second camp
		// is a fifth of the first: not polarised. Median 1, Q1 1, Q3 1.
		// mean 10/6; SD^2 = (5*(2/3)^2 + (10/3)^2)/5 = 8/3.
		{name: "lopsided", crit: five, values: []int{1, 1, 1, 1, 1, 5}, consensus: true, share: 5.0 / 6, cv: math.Sqrt(8.0/3) / (10.0 / 6), bc: 1.0},
		// Four people split evenly: below the minimum n, never polarised.
		{name: "too few", crit: five, values: []int{1, 1, 5, 5}, share: 0, cv: math.Sqrt(16.0/3) / 3, bc: 1},
		// Percent, tolerance 25: {10,20,30,40,90}: median 30, Q1 20, Q3 40,
		// IQR 20 <= 25: consensus; within 25 of 30: 10,20,30,40 -> 4/5;
		// mean 38, squared deviations 784+324+64+4+2704 = 3880.
		{name: "percent", crit: pct, values: []int{10, 20, 30, 40, 90}, consensus: true, share: 0.8, cv: math.Sqrt(3880.0/4) / 38, bc: math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := histOf(tt.crit, 0, tt.values...)
			s := h.Stats()
			a := h.Agreement(s, tt.crit.Min, tt.crit.Max)
			if a.Consensus != tt.consensus || a.Polarised != tt.polarised {
				t.Errorf("consensus=%v polarised=%v, want %v %v", a.Consensus, a.Polarised, tt.consensus, tt.polarised)
			}
			checkOpt(t, "share", a.Share, tt.share)
			checkOpt(t, "cv", a.CV, tt.cv)
			if !math.IsNaN(tt.bc) || a.Bimodality == nil {
				checkOpt(t, "bimodality", a.Bimodality, tt.bc)
			}
		})
	}
}

// checkOpt compares an optional statistic with want (NaN: undefined).
func checkOpt(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got != nil:
		t.Errorf("%s=%v, want undefined", name, *got)
	case !math.IsNaN(want) && got == nil:
		t.Errorf("%s undefined, want %v", name, want)
	case got != nil && math.Abs(*got-want) > 1e-9:
		t.Errorf("%s=%v, want %v", name, *got, want)
	}
}

// The verdict's precedence, by hand: each item gets one word, and the
// Consensus flag agrees with it.
func TestVerdictPrecedence(t *testing.T) {
	pct := Criterion{ID: 1, Kind: KindPercent, Min: 0, Max: 100, Step: 5}
	for _, tc := range []struct {
		name   string
		c      Criterion
		values []int
		want   Verdict
	}{
		// IQR 20 <= 25; the second peak, 80, is within a quarter of the
		// range of 60: one view, not two camps.
		{"close peaks on a percent scale", pct, []int{60, 60, 60, 80, 80}, VerdictConsensus},
		// Two camps at the ends: polarised, and so not consensus.
		{"two camps", five, []int{1, 1, 1, 5, 5, 5}, VerdictPolarised},
		{"two ratings", five, []int{3, 3}, VerdictThin},
		{"spread", five, []int{1, 2, 3, 4, 5}, VerdictNone},
		{"agreed", five, []int{3, 3, 4, 4}, VerdictConsensus},
		{"nobody", five, nil, VerdictNone},
	} {
		it := NewItemResult(1, tc.c, histOf(tc.c, 0, tc.values...))
		if got := it.Verdict(); got != tc.want {
			t.Errorf("%s: verdict %q, want %q (consensus %v, polarised %v)", tc.name, got, tc.want, it.Consensus, it.Polarised)
		}
		if it.Consensus != (it.Verdict() == VerdictConsensus) {
			t.Errorf("%s: Consensus %v but verdict %q", tc.name, it.Consensus, it.Verdict())
		}
	}
	// Groups that disagree outrank a narrow IQR.
	it := NewItemResult(1, five, histOf(five, 0, 3, 3, 4, 4))
	it.GroupsDisagree = true
	if it.Verdict() != VerdictGroupsDisagree {
		t.Errorf("groups disagree: verdict %q", it.Verdict())
	}
}

// No histogram of up to eight ratings on a 1-5 scale is called consensus
// and polarised at once.
func TestNeverConsensusAndPolarised(t *testing.T) {
	var walk func(values []int, from int)
	walk = func(values []int, from int) {
		if len(values) > 0 {
			it := NewItemResult(1, five, histOf(five, 0, values...))
			if it.Consensus && it.Polarised {
				t.Fatalf("%v: consensus and polarised", values)
			}
		}
		if len(values) == 8 {
			return
		}
		for v := from; v <= 5; v++ {
			walk(append(values, v), v)
		}
	}
	walk(nil, 1)
}
