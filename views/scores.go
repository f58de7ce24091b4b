package views

import (
	"context"
	"fmt"
	"math"
	"sort"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// calibrationSize is the side of the calibration chart's plot, in SVG
// units, with room for the axes' labels.
const (
	calSize = 320.0
	calPad  = 48.0
)

// calPoint is one bin of the calibration chart: where it is drawn and how
// large (its area grows with the number of estimates).
type calPoint struct {
	X, Y, R float64
	Label   string
}

// calibrationPoints lays the non-empty bins out: the mean forecast across,
// the observed frequency up, both 0–100 %.
func calibrationPoints(bins []workshop.CalibrationBin) []calPoint {
	most := 1
	for _, b := range bins {
		most = max(most, b.N)
	}
	var out []calPoint
	for _, b := range bins {
		if b.N == 0 {
			continue
		}
		out = append(out, calPoint{
			X: calPad + *b.MeanForecast/100*calSize, Y: calPad/4 + (1-*b.Observed/100)*calSize,
			R: 5 + 9*math.Sqrt(float64(b.N)/float64(most)), Label: fmt.Sprint(b.N),
		})
	}
	return out
}

// calibrationSummary is the chart in words, for screen readers.
func calibrationSummary(ctx context.Context, bins []workshop.CalibrationBin) string {
	s := i18n.T(ctx, "scores.calibration_forecast_against_what")
	for _, b := range bins {
		if b.N > 0 {
			s += " " + i18n.Tf(ctx, "scores.estimates_mean_happened", b.From, b.To, b.N, i18n.Decimal(ctx, *b.MeanForecast, 1), i18n.Decimal(ctx, *b.Observed, 1))
		}
	}
	return s
}

// brier formats a Brier score: three decimals, "–" when there is none.
func brier(ctx context.Context, f *float64) string {
	if f == nil {
		return "–"
	}
	return i18n.Decimal(ctx, *f, 3)
}

// outcomeName is a scenario's outcome in words.
func outcomeName(ctx context.Context, o workshop.Outcome) string {
	switch {
	case o.Occurred == nil:
		return i18n.T(ctx, "common.not_known_yet")
	case *o.Occurred:
		return i18n.T(ctx, "common.happened")
	}
	return i18n.T(ctx, "common.did_not_happen")
}

// lastScored is an item's scores in the last round that has estimates.
func lastScored(it workshop.ItemScores) (workshop.ItemRoundScores, bool) {
	for i := len(it.Rounds) - 1; i >= 0; i-- {
		if it.Rounds[i].N > 0 {
			return it.Rounds[i], true
		}
	}
	return workshop.ItemRoundScores{}, false
}

// participantsByScore lists participants' scores best first (ties by
// pseudonym), with the spread: lowest, median, highest.
func participantsByScore(ps []workshop.ParticipantScore) (sorted []workshop.ParticipantScore, lo, med, hi float64) {
	sorted = append(sorted, ps...)
	sort.Slice(sorted, func(i, j int) bool {
		return sorted[i].Brier < sorted[j].Brier || sorted[i].Brier == sorted[j].Brier && sorted[i].Pseudonym < sorted[j].Pseudonym
	})
	if len(sorted) == 0 {
		return sorted, 0, 0, 0
	}
	n := len(sorted)
	med = sorted[n/2].Brier
	if n%2 == 0 {
		med = (sorted[n/2-1].Brier + sorted[n/2].Brier) / 2
	}
	return sorted, sorted[0].Brier, med, sorted[n-1].Brier
}

// outcomeGlyph is the mark of an outcome: a tick or a cross.
func outcomeGlyph(occurred bool) string {
	if occurred {
		return "✓"
	}
	return "✗"
}
