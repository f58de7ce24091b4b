package export

import (
	"bufio"
	"cmp"
	"io"
	"time"

	"foresight/internal/workshop"
)

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

// CrossImpact returns the results of the workshop's cross-impact rounds,
// in order, from the export's snapshot.
func (s *Source) CrossImpact() ([]workshop.CrossImpactResult, error) {
	if s.cib != nil || len(s.Workshop.CrossImpactRounds()) == 0 {
		return s.cib, nil
	}
	js, err := s.judgements()
	if err != nil {
		return nil, err
	}
	ci := s.Workshop.CrossImpact()
	for _, n := range s.Workshop.CrossImpactRounds() {
		res, err := workshop.NewCrossImpactResult(ci, n, js)
		if err != nil {
			return nil, err
		}
		s.cib = append(s.cib, res)
	}
	return s.cib, nil
}

// judgements reads the snapshot's judgements once.
func (s *Source) judgements() ([]workshop.StoredJudgement, error) {
	if s.js != nil || s.Judgements == nil {
		return s.js, nil
	}
	js, err := s.Judgements()
	if js == nil {
		js = []workshop.StoredJudgement{}
	}
	s.js = js
	return js, err
}

// judgementsTable: one row per judgement (long format).
func judgementsTable(src *Source) table {
	w := src.Workshop
	groups := namesOfGroups(w)
	return table{
		sheet:  "Judgements",
		header: []string{"workshop_code", "round", "participant", "group", "from", "to", "score", "dont_know", "reason", "judged_at"},
		widths: []float64{15, 7, 12, 16, 24, 24, 7, 10, 60, 21},
		wrap:   []bool{8: true},
		dates:  []bool{9: true},
		rows: func(yield func([]any, error) bool) {
			js, err := src.judgements()
			if err != nil {
				yield(nil, err)
				return
			}
			for _, j := range js {
				var score any
				if j.Score != nil {
					score = int64(*j.Score)
				}
				if !yield([]any{w.Code, int64(j.Round), j.Pseudonym, groups.cell(j.GroupID), j.From, j.To, score, j.Score == nil, j.Reason, timeCell(j.JudgedAt)}, nil) {
					return
				}
			}
		},
	}
}

// crossImpactTable: one row per cross-impact round × cell, with the cell's
// statistics (docs/statistics.md).
func crossImpactTable(src *Source) table {
	w := src.Workshop
	num := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	return table{
		sheet:     "Cross-impact",
		header:    []string{"workshop_code", "round", "from", "to", "n", "dont_know", "median", "q1", "q3", "mean", "consensus", "polarised", "disputed"},
		widths:    []float64{15, 7, 24, 24, 5, 10, 8, 8, 8, 8, 10, 10, 9},
		fractions: true,
		rows: func(yield func([]any, error) bool) {
			results, err := src.CrossImpact()
			if err != nil {
				yield(nil, err)
				return
			}
			for _, res := range results {
				for _, c := range res.Cells {
					if !yield([]any{w.Code, int64(res.Round), c.From, c.To, c.N, c.DontKnow, num(c.Median), num(c.Q1), num(c.Q3), num(c.Mean),
						c.Consensus, c.Polarised, c.Disputed}, nil) {
						return
					}
				}
			}
		},
	}
}

// WriteJudgementsCSV writes judgements.csv: every cross-impact judgement.
func WriteJudgementsCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, judgementsTable(src))
}

// WriteCrossImpactCSV writes crossimpact.csv: every cell of every
// cross-impact round with its statistics.
func WriteCrossImpactCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	return writeCSV(w, crossImpactTable(src))
}

// WriteScenarioWizardCSV writes the aggregated matrix (the medians) of the
// workshop's last cross-impact round in ScenarioWizard's CSV import format
// (docs/export-format.md), with titles in the source's language.
func WriteScenarioWizardCSV(w io.Writer, src *Source) error {
	if err := check(src); err != nil {
		return err
	}
	results, err := src.CrossImpact()
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return workshop.Errorf(workshop.ENotFound, "error.cib_no_round_yet")
	}
	lang := cmp.Or(src.Lang, workshop.DefaultLanguage)
	titles := map[string]string{}
	for _, d := range src.Workshop.CrossImpact().Descriptors {
		titles[d.ID] = d.Title.In(lang)
		for _, v := range d.Variants {
			titles[v.ID] = v.Title.In(lang)
		}
	}
	ew := &errWriter{w: w}
	bw := bufio.NewWriter(ew)
	bw.WriteString(bom)
	if err := workshop.WriteScenarioWizardCSV(bw, results[len(results)-1].Matrix, titles, Text); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return ew.err
}

// DocCrossImpact is workshop.json's cross-impact part: the descriptors (in
// every language of the deck), each cross-impact round's results, and
// every judgement.
type DocCrossImpact struct {
	FromScenarios bool                  `json:"from_scenarios"`
	Descriptors   []workshop.Descriptor `json:"descriptors"`
	Rounds        []DocCrossImpactRound `json:"rounds"`
	Judgements    []DocJudgement        `json:"judgements"`
}

// DocCrossImpactRound is one cross-impact round: its cells, the matrix of
// medians and the scenarios it gives, each consistent one with the
// balances of every variant.
type DocCrossImpactRound struct {
	Round  int                  `json:"round"`
	Judged int                  `json:"judged"`
	Cells  []CIBCellJSON        `json:"cells"`
	Matrix []workshop.CIBImpact `json:"matrix"`
	CIBSolutionJSON
}

// DocJudgement is one judgement; score null with dont_know true is "don't know".
type DocJudgement struct {
	Round       int       `json:"round"`
	Participant string    `json:"participant"`
	Group       *string   `json:"group"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Score       *int      `json:"score"`
	DontKnow    bool      `json:"dont_know"`
	Reason      string    `json:"reason"` // "" for none
	JudgedAt    time.Time `json:"judged_at"`
}

// docCrossImpact is the cross-impact part of workshop.json; nil for a
// workshop without cross-impact rounds.
func docCrossImpact(src *Source) (*DocCrossImpact, error) {
	results, err := src.CrossImpact()
	if err != nil || len(results) == 0 {
		return nil, err
	}
	ci := src.Workshop.CrossImpact()
	d := &DocCrossImpact{FromScenarios: ci.FromScenarios, Descriptors: ci.Descriptors, Rounds: []DocCrossImpactRound{}, Judgements: []DocJudgement{}}
	for _, res := range results {
		r := NewCrossImpactResultsJSON(ci, res, 0, workshop.DefaultLanguage)
		d.Rounds = append(d.Rounds, DocCrossImpactRound{Round: r.Round, Judged: r.Judged, Cells: r.Cells, Matrix: r.Matrix, CIBSolutionJSON: r.CIBSolutionJSON})
	}
	js, err := src.judgements()
	if err != nil {
		return nil, err
	}
	groups := namesOfGroups(src.Workshop)
	for _, j := range js {
		d.Judgements = append(d.Judgements, DocJudgement{Round: j.Round, Participant: j.Pseudonym, Group: groups.of(j.GroupID), From: j.From, To: j.To,
			Score: j.Score, DontKnow: j.Score == nil, Reason: j.Reason, JudgedAt: j.JudgedAt.UTC()})
	}
	return d, nil
}
