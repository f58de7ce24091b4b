package export

import (
	"time"

	"foresight/internal/workshop"
)

// ScoresJSON is the JSON shape of a percent criterion's scores: the scores
// API (GET .../scores?criterion_id=ID) and workshop.json carry it.
// Probabilities (medians, forecasts, observed frequencies) are in percent,
// as ratings are; Brier scores run from 0 (perfect) to 1. Scores are null
// where nothing resolved has estimates. docs/statistics.md defines each.
type ScoresJSON struct {
	CriterionID  int64                `json:"criterion_id"`
	Resolved     int                  `json:"resolved"`
	Rounds       []RoundScoresJSON    `json:"rounds"`
	Items        []ItemScoresJSON     `json:"items"`
	Participants []ParticipantJSON    `json:"participants"`
	Calibration  []CalibrationBinJSON `json:"calibration"`
}

// RoundScoresJSON is the room's Brier scores in one round.
type RoundScoresJSON struct {
	Round            int      `json:"round"`
	Median           *float64 `json:"median"`
	Mean             *float64 `json:"mean"`
	GeoOdds          *float64 `json:"geo_odds"`
	ParticipantsMean *float64 `json:"participants_mean"`
}

// ItemScoresJSON is one scenario's outcome and its scores per round.
type ItemScoresJSON struct {
	ScenarioID int64                 `json:"scenario_id"`
	Occurred   *bool                 `json:"occurred"`
	Rounds     []ItemRoundScoresJSON `json:"rounds"`
}

// ItemRoundScoresJSON is a scenario's estimates and scores in one round.
type ItemRoundScoresJSON struct {
	Round        int      `json:"round"`
	N            int      `json:"n"`
	Median       *float64 `json:"median"`
	BrierMedian  *float64 `json:"brier_median"`
	BrierMean    *float64 `json:"brier_mean"`
	BrierGeoOdds *float64 `json:"brier_geo_odds"`
}

// ParticipantJSON is one participant's mean Brier score, by pseudonym.
type ParticipantJSON struct {
	Pseudonym string  `json:"pseudonym"`
	N         int     `json:"n"`
	Brier     float64 `json:"brier"`
}

// CalibrationBinJSON is one tenth of the probability scale.
type CalibrationBinJSON struct {
	From         int      `json:"from"`
	To           int      `json:"to"`
	N            int      `json:"n"`
	MeanForecast *float64 `json:"mean_forecast"`
	Observed     *float64 `json:"observed"`
}

// NewScoresJSON puts scores in their JSON shape; every list is present.
func NewScoresJSON(sc workshop.Scores) ScoresJSON {
	out := ScoresJSON{CriterionID: sc.CriterionID, Resolved: sc.Resolved, Rounds: []RoundScoresJSON{}, Items: []ItemScoresJSON{},
		Participants: []ParticipantJSON{}, Calibration: []CalibrationBinJSON{}}
	for _, r := range sc.Rounds {
		out.Rounds = append(out.Rounds, RoundScoresJSON{Round: r.Round, Median: r.Median, Mean: r.Mean, GeoOdds: r.GeoOdds, ParticipantsMean: r.ParticipantsMean})
	}
	for _, it := range sc.Items {
		item := ItemScoresJSON{ScenarioID: it.ScenarioID, Occurred: it.Occurred, Rounds: []ItemRoundScoresJSON{}}
		for _, r := range it.Rounds {
			item.Rounds = append(item.Rounds, ItemRoundScoresJSON{Round: r.Round, N: r.N, Median: r.Median,
				BrierMedian: r.BrierMedian, BrierMean: r.BrierMean, BrierGeoOdds: r.BrierGeoOdds})
		}
		out.Items = append(out.Items, item)
	}
	for _, p := range sc.Participants {
		out.Participants = append(out.Participants, ParticipantJSON{Pseudonym: p.Pseudonym, N: p.N, Brier: p.Brier})
	}
	for _, b := range sc.Calibration {
		out.Calibration = append(out.Calibration, CalibrationBinJSON{From: b.From, To: b.To, N: b.N, MeanForecast: b.MeanForecast, Observed: b.Observed})
	}
	return out
}

// OutcomeJSON is what became of one scenario: the outcomes API and
// workshop.json carry it for every scenario, recorded or not.
type OutcomeJSON struct {
	ScenarioID int64      `json:"scenario_id"`
	Occurred   *bool      `json:"occurred"`
	KnownOn    *string    `json:"known_on"`
	Note       string     `json:"note"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

// NewOutcomesJSON lists the outcome of every scenario of w, in deck order:
// occurred null where none is recorded.
func NewOutcomesJSON(w *workshop.Workshop) []OutcomeJSON {
	out := make([]OutcomeJSON, 0, len(w.Scenarios))
	for _, s := range w.Scenarios {
		o := w.OutcomeOf(s.ID)
		out = append(out, OutcomeJSON{ScenarioID: s.ID, Occurred: o.Occurred, KnownOn: stringPtr(o.KnownOn), Note: o.Note, UpdatedAt: timePtr(o.UpdatedAt)})
	}
	return out
}
