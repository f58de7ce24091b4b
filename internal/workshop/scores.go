package workshop

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Looking back: once the future arrives, a workshop's estimates can be
// scored. The organiser records for each scenario whether it happened (an
// Outcome); every percent criterion's estimates are then scored with the
// Brier score, for the room as a whole (by its median, its mean and the
// geometric mean of odds), for each participant, and for calibration.
// docs/statistics.md gives every formula with a worked example.

// Outcome is what became of one scenario: Occurred is nil while it is not
// known yet.
type Outcome struct {
	ScenarioID int64
	Occurred   *bool
	KnownOn    string // the date it became known, "2006-01-02"; "" when not given
	Note       string
	UpdatedAt  time.Time
}

// MaxOutcomeNoteRunes bounds an outcome's note.
const MaxOutcomeNoteRunes = 1000

// Resolved reports whether the outcome is known.
func (o Outcome) Resolved() bool { return o.Occurred != nil }

// CleanOutcome checks an outcome as a person typed it: a note of at most
// MaxOutcomeNoteRunes characters, and a date (YYYY-MM-DD) that is a real
// one and not in the future of now.
func CleanOutcome(o Outcome, now time.Time) (Outcome, error) {
	o.Note = strings.TrimSpace(CleanText(o.Note))
	if err := CheckText(o.Note, MaxOutcomeNoteRunes); err != nil {
		return o, FieldError("note", "error.note", err)
	}
	o.KnownOn = strings.TrimSpace(o.KnownOn)
	if o.KnownOn != "" {
		d, err := time.Parse(time.DateOnly, o.KnownOn)
		if err != nil {
			return o, FieldError("known_on", "error.give_date_yyyy_mm")
		}
		if d.After(now.Add(24 * time.Hour)) {
			return o, FieldError("known_on", "error.date_lies_in_future")
		}
	}
	return o, nil
}

// Estimate is one participant's numeric rating of a scenario on the scored
// criterion in one round, in percent ("don't know" is no estimate).
type Estimate struct {
	Participant string // the pseudonym
	Round       int
	ScenarioID  int64
	Value       int
}

// Brier is the Brier score of a probability p (0–1) for an outcome: (p − o)²,
// o being 1 when it happened and 0 when not. 0 is perfect, 1 the worst.
func Brier(p float64, occurred bool) float64 {
	o := 0.0
	if occurred {
		o = 1
	}
	return (p - o) * (p - o)
}

// Clamp bounds for the geometric mean of odds: an estimate of 0 or 100 %
// would make odds of 0 or infinity.
const (
	oddsMin = 0.01
	oddsMax = 0.99
)

// GeoMeanOdds aggregates probabilities (0–1) by the geometric mean of their
// odds, each clamped to 1–99 % first: exp(mean(ln(p/(1−p)))) as odds, back
// to a probability. It extremises less than a mean of the odds and keeps
// the information of confident forecasters better than a mean of the
// probabilities.
func GeoMeanOdds(ps []float64) float64 {
	var sum float64
	for _, p := range ps {
		p = min(max(p, oddsMin), oddsMax)
		sum += math.Log(p / (1 - p))
	}
	g := math.Exp(sum / float64(len(ps)))
	return g / (1 + g)
}

// Scores are the scores of one percent criterion of a workshop.
type Scores struct {
	CriterionID  int64
	Resolved     int // scenarios whose outcome is known
	Rounds       []RoundScores
	Items        []ItemScores
	Participants []ParticipantScore
	Calibration  []CalibrationBin
}

// RoundScores are the room's Brier scores in one round, averaged over the
// resolved scenarios the round has estimates of: of its median estimate,
// of its mean estimate and of the geometric mean of odds, and the mean of
// the participants' own scores. Nil when no resolved scenario has one.
type RoundScores struct {
	Round                                   int
	Median, Mean, GeoOdds, ParticipantsMean *float64
}

// ItemScores are one scenario's outcome and, per round, its estimates and
// their scores (nil while the outcome is not known, or without estimates).
type ItemScores struct {
	ScenarioID int64
	Occurred   *bool
	Rounds     []ItemRoundScores
}

// ItemRoundScores are a scenario's estimates in one round: how many, their
// median (in percent), and the Brier scores of the median, the mean and
// the geometric mean of odds.
type ItemRoundScores struct {
	Round                                int
	N                                    int
	Median                               *float64
	BrierMedian, BrierMean, BrierGeoOdds *float64
}

// ParticipantScore is one participant's mean Brier score over the resolved
// scenarios they estimated, each in the last round they estimated it.
type ParticipantScore struct {
	Pseudonym string
	N         int
	Brier     float64
}

// CalibrationBin is one tenth of the probability scale: the resolved
// individual estimates of the last round that fell in it (From <= p < To;
// the last bin includes 100 %), their mean, and the share of them whose
// scenario happened, both in percent.
type CalibrationBin struct {
	From, To     int
	N            int
	MeanForecast *float64
	Observed     *float64
}

// ScoreWorkshop scores the estimates of criterion c of workshop w (kind
// percent) against the outcomes.
func ScoreWorkshop(w *Workshop, c Criterion, outcomes []Outcome, estimates []Estimate) Scores {
	sc := Scores{CriterionID: c.ID}
	occurred := map[int64]bool{}
	known := map[int64]*bool{}
	for _, o := range outcomes {
		known[o.ScenarioID] = o.Occurred
		if o.Resolved() {
			occurred[o.ScenarioID] = *o.Occurred
			sc.Resolved++
		}
	}
	// Estimates by round and scenario.
	type key struct {
		round    int
		scenario int64
	}
	byItem := map[key][]float64{}
	for _, e := range estimates {
		k := key{e.Round, e.ScenarioID}
		byItem[k] = append(byItem[k], float64(e.Value))
	}
	for _, s := range w.Scenarios {
		it := ItemScores{ScenarioID: s.ID, Occurred: known[s.ID]}
		for n := 1; n <= w.Round; n++ {
			vals := byItem[key{n, s.ID}]
			r := ItemRoundScores{Round: n, N: len(vals)}
			if len(vals) > 0 {
				med := median(vals)
				r.Median = &med
				if o, ok := occurred[s.ID]; ok {
					ps := percentsToProbabilities(vals)
					r.BrierMedian = ptr(Brier(med/100, o))
					r.BrierMean = ptr(Brier(mean(ps), o))
					r.BrierGeoOdds = ptr(Brier(GeoMeanOdds(ps), o))
				}
			}
			it.Rounds = append(it.Rounds, r)
		}
		sc.Items = append(sc.Items, it)
	}

	// The room, per round: the mean over resolved scenarios with estimates.
	for n := 1; n <= w.Round; n++ {
		rs := RoundScores{Round: n}
		var med, mn, geo []float64
		for _, it := range sc.Items {
			r := it.Rounds[n-1]
			if r.BrierMedian != nil {
				med = append(med, *r.BrierMedian)
				mn = append(mn, *r.BrierMean)
				geo = append(geo, *r.BrierGeoOdds)
			}
		}
		if len(med) > 0 {
			rs.Median, rs.Mean, rs.GeoOdds = ptr(mean(med)), ptr(mean(mn)), ptr(mean(geo))
		}
		// Each participant's own score in this round, then their mean.
		own := map[string][]float64{}
		for _, e := range estimates {
			if o, ok := occurred[e.ScenarioID]; ok && e.Round == n {
				own[e.Participant] = append(own[e.Participant], Brier(float64(e.Value)/100, o))
			}
		}
		if len(own) > 0 {
			var means []float64
			for _, bs := range own {
				means = append(means, mean(bs))
			}
			rs.ParticipantsMean = ptr(mean(means))
		}
		sc.Rounds = append(sc.Rounds, rs)
	}

	// Each participant over the resolved scenarios, in the last round they
	// estimated each.
	type pk struct {
		participant string
		scenario    int64
	}
	last := map[pk]Estimate{}
	for _, e := range estimates {
		if _, ok := occurred[e.ScenarioID]; !ok {
			continue
		}
		k := pk{e.Participant, e.ScenarioID}
		if prev, ok := last[k]; !ok || e.Round > prev.Round {
			last[k] = e
		}
	}
	perParticipant := map[string][]float64{}
	for k, e := range last {
		perParticipant[k.participant] = append(perParticipant[k.participant], Brier(float64(e.Value)/100, occurred[e.ScenarioID]))
	}
	for p, bs := range perParticipant {
		sc.Participants = append(sc.Participants, ParticipantScore{Pseudonym: p, N: len(bs), Brier: mean(bs)})
	}
	sort.Slice(sc.Participants, func(i, j int) bool { return sc.Participants[i].Pseudonym < sc.Participants[j].Pseudonym })

	// Calibration: the resolved estimates of the workshop's last round.
	var forecasts, hits [10][]float64
	for _, e := range estimates {
		o, ok := occurred[e.ScenarioID]
		if !ok || e.Round != w.Round {
			continue
		}
		b := min(e.Value/10, 9)
		forecasts[b] = append(forecasts[b], float64(e.Value))
		hit := 0.0
		if o {
			hit = 100
		}
		hits[b] = append(hits[b], hit)
	}
	for b := range 10 {
		bin := CalibrationBin{From: 10 * b, To: 10 * (b + 1), N: len(forecasts[b])}
		if bin.N > 0 {
			bin.MeanForecast, bin.Observed = ptr(mean(forecasts[b])), ptr(mean(hits[b]))
		}
		sc.Calibration = append(sc.Calibration, bin)
	}
	return sc
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// median is the type-7 median of xs, as every median of Foresight.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := float64(len(s)-1) / 2
	lo := int(pos)
	if float64(lo) == pos {
		return s[lo]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}

func percentsToProbabilities(vals []float64) []float64 {
	ps := make([]float64, len(vals))
	for i, v := range vals {
		ps[i] = v / 100
	}
	return ps
}
