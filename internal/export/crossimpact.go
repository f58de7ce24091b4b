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
