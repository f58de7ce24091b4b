package export

import "foresight/internal/workshop"

// CIBSolutionJSON is the one JSON shape of a cross-impact solution: the
// consistent and near scenarios (each {variants, inconsistency,
// total_impact_score}, highest total impact score first, at most
// workshop.CIBMaxListed), how many of each there are, and whether every
// combination was evaluated.
type CIBSolutionJSON struct {
	Consistent      []workshop.CIBScenario `json:"consistent"`
	Near            []workshop.CIBScenario `json:"near"`
	ConsistentCount int64                  `json:"consistent_count"`
	NearCount       int64                  `json:"near_count"`
	Complete        bool                   `json:"complete"`
	Combinations    int64                  `json:"combinations"`
}

// NewCIBSolutionJSON returns the shape of sol, with [] for none.
func NewCIBSolutionJSON(sol workshop.CIBSolution) CIBSolutionJSON {
	out := CIBSolutionJSON{Consistent: sol.Consistent, Near: sol.Near, ConsistentCount: sol.ConsistentCount,
		NearCount: sol.NearCount, Complete: sol.Complete, Combinations: sol.Combinations}
	if out.Consistent == nil {
		out.Consistent = []workshop.CIBScenario{}
	}
	if out.Near == nil {
		out.Near = []workshop.CIBScenario{}
	}
	return out
}

// CIBEvaluationJSON answers POST /api/v1/crossimpact/evaluate: the
// solution and, when a scenario was given, its balances (every variant),
// inconsistency and total impact score.
type CIBEvaluationJSON struct {
	CIBSolutionJSON
	Balances         map[string]float64 `json:"balances,omitempty"`
	Inconsistency    *float64           `json:"inconsistency,omitempty"`
	TotalImpactScore *float64           `json:"total_impact_score,omitempty"`
}

// NewCIBEvaluationJSON returns the evaluate API's answer for ev.
func NewCIBEvaluationJSON(ev workshop.CIBEvaluation) CIBEvaluationJSON {
	out := CIBEvaluationJSON{CIBSolutionJSON: NewCIBSolutionJSON(ev.Solution)}
	if a := ev.Scenario; a != nil {
		inc, tis := a.Inconsistency, a.TotalImpactScore
		out.Balances, out.Inconsistency, out.TotalImpactScore = a.Balances, &inc, &tis
	}
	return out
}

// CIBVariantJSON and CIBDescriptorJSON are a workshop's descriptors as the
// APIs and workshop.json give them, titles in one language.
type CIBVariantJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type CIBDescriptorJSON struct {
	ID       string           `json:"id"`
	Title    string           `json:"title"`
	Variants []CIBVariantJSON `json:"variants"`
}

// NewCIBDescriptorsJSON returns a cross-impact structure's descriptors with
// their titles in lang.
func NewCIBDescriptorsJSON(ci workshop.CrossImpact, lang string) []CIBDescriptorJSON {
	out := []CIBDescriptorJSON{}
	for _, d := range ci.Descriptors {
		dj := CIBDescriptorJSON{ID: d.ID, Title: d.Title.In(lang)}
		for _, v := range d.Variants {
			dj.Variants = append(dj.Variants, CIBVariantJSON{ID: v.ID, Title: v.Title.In(lang)})
		}
		out = append(out, dj)
	}
	return out
}

// CIBCellJSON is one cell's statistics in a round.
type CIBCellJSON struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	N         int64    `json:"n"`
	DontKnow  int64    `json:"dont_know"`
	Median    *float64 `json:"median"`
	Q1        *float64 `json:"q1"`
	Q3        *float64 `json:"q3"`
	Mean      *float64 `json:"mean"`
	Consensus bool     `json:"consensus"`
	Polarised bool     `json:"polarised"`
	Disputed  bool     `json:"disputed"`
}

// CrossImpactResultsJSON answers GET …/crossimpact/results: a cross-impact
// round's cells, the complete matrix of medians evaluated, and its
// consistent and near scenarios.
type CrossImpactResultsJSON struct {
	Round       int                  `json:"round"`
	Group       *int64               `json:"group"`
	Judged      int                  `json:"judged"`
	Descriptors []CIBDescriptorJSON  `json:"descriptors"`
	Cells       []CIBCellJSON        `json:"cells"`
	Matrix      []workshop.CIBImpact `json:"matrix"`
	CIBSolutionJSON
}

// NewCrossImpactResultsJSON returns the results API's shape of res.
func NewCrossImpactResultsJSON(ci workshop.CrossImpact, res workshop.CrossImpactResult, group int64, lang string) CrossImpactResultsJSON {
	out := CrossImpactResultsJSON{Round: res.Round, Judged: res.Judged, Descriptors: NewCIBDescriptorsJSON(ci, lang),
		Cells: []CIBCellJSON{}, Matrix: []workshop.CIBImpact{}, CIBSolutionJSON: NewCIBSolutionJSON(res.Solution)}
	if group != 0 {
		out.Group = &group
	}
	for _, c := range res.Cells {
		out.Cells = append(out.Cells, CIBCellJSON{From: c.From, To: c.To, N: c.N, DontKnow: c.DontKnow, Median: c.Median, Q1: c.Q1, Q3: c.Q3,
			Mean: c.Mean, Consensus: c.Consensus, Polarised: c.Polarised, Disputed: c.Disputed})
	}
	out.Matrix = CIBMatrixJSON(res.Matrix)
	return out
}

// CIBMatrixJSON lists every cell of a matrix between variants of different
// descriptors, row by row: {from, to, score}.
func CIBMatrixJSON(m *workshop.CIBMatrix) []workshop.CIBImpact {
	out := []workshop.CIBImpact{}
	descs := m.Descriptors()
	for i, a := range descs {
		for _, from := range a.Variants {
			for j, b := range descs {
				if i == j {
					continue
				}
				for _, to := range b.Variants {
					out = append(out, workshop.CIBImpact{From: from, To: to, Score: m.Score(from, to)})
				}
			}
		}
	}
	return out
}
