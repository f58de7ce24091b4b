package workshop

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The worked example of docs/statistics.md, computed by hand there.
//
// Three scenarios: A happened, B did not, C is not known yet. Round 1:
// A 70, 40, 90; B 20, 60, 10 (P1, P2, P3); C 50 (P1). Round 2: A 80, 70;
// B 10, 30 (P1, P2; P3 did not rate again).
func exampleScores() Scores {
	w := &Workshop{Round: 2, Scenarios: []Scenario{{ID: 1}, {ID: 2}, {ID: 3}}}
	c := Criterion{ID: 9, Kind: KindPercent, Min: 0, Max: 100, Step: 5}
	yes, no := true, false
	outcomes := []Outcome{{ScenarioID: 1, Occurred: &yes}, {ScenarioID: 2, Occurred: &no}, {ScenarioID: 3}}
	var es []Estimate
	add := func(p string, round int, s int64, v int) {
		es = append(es, Estimate{Participant: p, Round: round, ScenarioID: s, Value: v})
	}
	add("P1", 1, 1, 70)
	add("P2", 1, 1, 40)
	add("P3", 1, 1, 90)
	add("P1", 1, 2, 20)
	add("P2", 1, 2, 60)
	add("P3", 1, 2, 10)
	add("P1", 1, 3, 50)
	add("P1", 2, 1, 80)
	add("P2", 2, 1, 70)
	add("P1", 2, 2, 10)
	add("P2", 2, 2, 30)
	return ScoreWorkshop(w, c, outcomes, es)
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		if got == nil {
			t.Errorf("%s: nil, want %v", what, want)
			return
		}
		t.Errorf("%s: %v, want %v", what, *got, want)
	}
}

func TestScoresWorkedExample(t *testing.T) {
	sc := exampleScores()
	if sc.Resolved != 2 || sc.CriterionID != 9 {
		t.Fatalf("resolved %d, criterion %d", sc.Resolved, sc.CriterionID)
	}
	// Round 1. A: median 70 → (0.7 − 1)² = 0.09; mean 66.7 → (1/3)² =
	// 0.1111; geometric mean of odds 0.70676 → 0.085991. B: median 20 →
	// 0.2² = 0.04; mean 30 → 0.09; geo 0.25743 → 0.066272.
	r1 := sc.Rounds[0]
	near(t, "round 1 median", r1.Median, (0.09+0.04)/2)
	near(t, "round 1 mean", r1.Mean, (1.0/9+0.09)/2)
	near(t, "round 1 geo_odds", r1.GeoOdds, (0.08599139720352834+0.0662719791522381)/2)
	// Participants, round 1: P1 (0.09 + 0.04)/2 = 0.065; P2 (0.36 + 0.36)/2
	// = 0.36; P3 (0.01 + 0.01)/2 = 0.01; their mean 0.145.
	near(t, "round 1 participants_mean", r1.ParticipantsMean, 0.145)
	// Round 2. A: 80, 70: median and mean 75 → 0.0625, geo 0.75339 →
	// 0.060815. B: 10, 30: median and mean 20 → 0.04, geo 0.17913 → 0.032087.
	r2 := sc.Rounds[1]
	near(t, "round 2 median", r2.Median, (0.0625+0.04)/2)
	near(t, "round 2 mean", r2.Mean, (0.0625+0.04)/2)
	near(t, "round 2 geo_odds", r2.GeoOdds, (0.06081454665684787+0.032087121525220814)/2)
	// P1 (0.04 + 0.01)/2 = 0.025; P2 (0.09 + 0.09)/2 = 0.09: mean 0.0575.
	near(t, "round 2 participants_mean", r2.ParticipantsMean, 0.0575)

	a1 := sc.Items[0].Rounds[0]
	if a1.N != 3 || *a1.Median != 70 || *sc.Items[0].Occurred != true {
		t.Fatalf("item A, round 1: n=%d median=%v", a1.N, *a1.Median)
	}
	near(t, "A round 1 brier_median", a1.BrierMedian, 0.09)
	c1 := sc.Items[2].Rounds[0]
	if sc.Items[2].Occurred != nil || c1.N != 1 || *c1.Median != 50 || c1.BrierMedian != nil || c1.BrierMean != nil || c1.BrierGeoOdds != nil {
		t.Fatalf("item C (not known): %+v", c1)
	}
	if c2 := sc.Items[2].Rounds[1]; c2.N != 0 || c2.Median != nil {
		t.Fatalf("item C, round 2, no estimates: %+v", c2)
	}

	// Each participant in the last round they rated each resolved
	// scenario: P1 round 2 (0.025), P2 round 2 (0.09), P3 round 1 (0.01).
	want := []ParticipantScore{{"P1", 2, 0.025}, {"P2", 2, 0.09}, {"P3", 2, 0.01}}
	if len(sc.Participants) != 3 {
		t.Fatalf("participants %+v", sc.Participants)
	}
	for i, p := range sc.Participants {
		if p.Pseudonym != want[i].Pseudonym || p.N != want[i].N || math.Abs(p.Brier-want[i].Brier) > 1e-12 {
			t.Errorf("participant %d: %+v, want %+v", i, p, want[i])
		}
	}

	// Calibration, round 2's resolved estimates: 10 (B, no), 30 (B, no),
	// 70 (A, yes), 80 (A, yes).
	if len(sc.Calibration) != 10 {
		t.Fatalf("%d bins", len(sc.Calibration))
	}
	for _, b := range sc.Calibration {
		switch b.From {
		case 10, 30:
			near(t, "bin observed", b.Observed, 0)
		case 70, 80:
			near(t, "bin observed", b.Observed, 100)
		default:
			if b.N != 0 || b.MeanForecast != nil || b.Observed != nil {
				t.Errorf("bin %d–%d: %+v, want empty", b.From, b.To, b)
			}
			continue
		}
		if b.N != 1 || *b.MeanForecast != float64(b.From) || b.To != b.From+10 {
			t.Errorf("bin %d–%d: %+v", b.From, b.To, b)
		}
	}
}

func TestScoresWithNothingResolved(t *testing.T) {
	w := &Workshop{Round: 1, Scenarios: []Scenario{{ID: 1}}}
	sc := ScoreWorkshop(w, Criterion{ID: 9, Kind: KindPercent}, []Outcome{{ScenarioID: 1}}, []Estimate{{"P1", 1, 1, 40}})
	if sc.Resolved != 0 || sc.Rounds[0].Median != nil || sc.Rounds[0].ParticipantsMean != nil || len(sc.Participants) != 0 {
		t.Fatalf("%+v", sc)
	}
}

func TestGeoMeanOddsClamps(t *testing.T) {
	// 0 % and 100 % become 1 % and 99 %: odds 1/99 and 99, geometric mean 1.
	if got := GeoMeanOdds([]float64{0, 1}); math.Abs(got-0.5) > 1e-12 {
		t.Fatalf("GeoMeanOdds(0, 1) = %v, want 0.5", got)
	}
	if got := GeoMeanOdds([]float64{0}); math.Abs(got-0.01) > 1e-12 {
		t.Fatalf("GeoMeanOdds(0) = %v, want 0.01", got)
	}
}

func TestCleanOutcome(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	if o, err := CleanOutcome(Outcome{KnownOn: " 2026-11-30 ", Note: " Announced.\r\n "}, now); err != nil || o.KnownOn != "2026-11-30" || o.Note != "Announced." {
		t.Fatalf("%+v, %v", o, err)
	}
	for _, bad := range []Outcome{{KnownOn: "30.11.2026"}, {KnownOn: "2026-02-30"}, {KnownOn: "2027-01-10"}, {Note: strings.Repeat("a", 1001)}} {
		if _, err := CleanOutcome(bad, now); ErrorCode(err) != EInvalid {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}
