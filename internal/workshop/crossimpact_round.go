package workshop

import (
	"slices"
	"time"
)

// RoundKind is what a round asks of participants: ratings of the scenarios
// on the criteria, or cross-impact judgements.
type RoundKind string

const (
	RoundRating      RoundKind = "rating"
	RoundCrossImpact RoundKind = "cross_impact"
)

// ParseRoundKind reads the kind of a round to open; "" is a rating round.
func ParseRoundKind(s string) (RoundKind, error) {
	switch k := RoundKind(s); k {
	case "":
		return RoundRating, nil
	case RoundRating, RoundCrossImpact:
		return k, nil
	}
	return "", FieldError("kind", "error.must", RoundRating, RoundCrossImpact)
}

// KindOf returns the kind of round n (a rating round when not known).
func (w *Workshop) KindOf(n int) RoundKind {
	if n >= 1 && n <= len(w.RoundKinds) && w.RoundKinds[n-1] != "" {
		return w.RoundKinds[n-1]
	}
	return RoundRating
}

// CrossImpactRounds lists the workshop's cross-impact rounds, in order.
func (w *Workshop) CrossImpactRounds() []int {
	var out []int
	for i, k := range w.RoundKinds {
		if k == RoundCrossImpact {
			out = append(out, i+1)
		}
	}
	return out
}

// CrossImpact returns the structure of the workshop's cross-impact rounds:
// its deck's descriptors, or its scenarios standing in for them.
func (w *Workshop) CrossImpact() CrossImpact {
	ci := CrossImpactOf(Deck{Languages: w.Languages, Scenarios: w.Scenarios, Descriptors: w.Descriptors})
	ci.Groups = w.SourceGroups
	return ci
}

// CheckSourceGroups refuses a split of the sources among expert groups
// that names a descriptor the workshop does not have, or a group it does
// not have (0 is everyone).
func (w *Workshop) CheckSourceGroups(m map[string]int64) error {
	ci := w.CrossImpact()
	for id, g := range m {
		found := false
		for _, d := range ci.Descriptors {
			found = found || d.ID == id
		}
		if !found {
			return FieldError("sources", "error.cib_no_such_descriptor", id)
		}
		if _, ok := w.Group(g); g != 0 && !ok {
			return FieldError("sources", "error.choose_one_workshops_groups")
		}
	}
	return nil
}

// CheckCrossImpactRound tells whether a workshop may open a cross-impact
// round: its descriptors, or 2 to 12 scenarios standing in for them.
func (w *Workshop) CheckCrossImpactRound() error {
	if len(w.Descriptors) == 0 && (len(w.Scenarios) < CIBMinDescriptors || len(w.Scenarios) > CIBMaxDescriptors) {
		return FieldError("kind", "error.cib_needs_descriptors", len(w.Scenarios), CIBMaxDescriptors)
	}
	return nil
}

// JudgementScale is the scale of a judgement: −3 (strongly hinders) to +3
// (strongly promotes), with "don't know". Its statistics are those of any
// 7-point scale (consensus: IQR ≤ 1.5).
var JudgementScale = Criterion{Key: "impact", Kind: KindScale, Min: -CIBMaxScore, Max: CIBMaxScore, Step: 1, DontKnow: true}

// Judgement is one participant's judgement of one cell: how variant From
// acts on variant To; Score nil is "don't know".
type Judgement struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Score *int   `json:"score"`
	// Reason is why, asked where the participant's judgement of the cell
	// lay outside the group's middle half last round; "" for none.
	Reason string `json:"reason,omitempty"`
}

// Cell returns the judgement's cell.
func (j Judgement) Cell() Cell { return Cell{From: j.From, To: j.To} }

// CheckJudgement refuses a judgement of a cell the workshop does not ask
// a participant of group about, or a score outside −3…3.
func (ci CrossImpact) CheckJudgement(j Judgement, group int64) error {
	if !slices.Contains(ci.CellsFor(group), j.Cell()) {
		return FieldError("to", "error.cib_no_such_cell", j.From, j.To)
	}
	if j.Score != nil && (*j.Score < -CIBMaxScore || *j.Score > CIBMaxScore) {
		return FieldError("score", "error.cib_judgement_score")
	}
	if err := CheckText(j.Reason, MaxRationaleRunes); err != nil {
		return FieldError("reason", "error.reason", err)
	}
	return nil
}

// CheckJudgementsOpen tells whether a judgement may be saved: only while
// a cross-impact round is open.
func CheckJudgementsOpen(s State, kind RoundKind) error {
	if s != StateOpen {
		return Errorf(EConflict, "error.cib_judgements_closed")
	}
	if kind != RoundCrossImpact {
		return Errorf(EConflict, "error.cib_round_is_rating")
	}
	return nil
}

// CheckRatingRound tells whether a rating may be saved in a round of kind:
// not in a cross-impact round.
func CheckRatingRound(kind RoundKind) error {
	if kind == RoundCrossImpact {
		return Errorf(EConflict, "error.cib_round_is_cross_impact")
	}
	return nil
}

// StoredJudgement is a judgement as the store keeps it.
type StoredJudgement struct {
	Round         int
	ParticipantID int64
	Pseudonym     string
	GroupID       int64
	Judgement
	JudgedAt time.Time
}

// CellResult is the room's view of one cell in one round: the statistics of
// its judgements, as for any item (docs/statistics.md).
type CellResult struct {
	Cell
	Stats
	Agreement
	// Disputed marks a cell the room does not agree on: polarised, or at
	// least three judgements whose IQR is above 1.5 (no consensus).
	Disputed bool
}

// CrossImpactResult is a cross-impact round's result: every judged cell's
// statistics, the matrix of their medians (derived cells included, 0
// where nobody judged) and the consistent scenarios it gives.
type CrossImpactResult struct {
	Round    int
	Cells    []CellResult // every cell asked about, in the order of CrossImpact.Cells
	Matrix   *CIBMatrix
	Solution CIBSolution
	// Judged counts the participants with at least one judgement.
	Judged int
}

// NewCrossImpactResult aggregates one round's judgements (of the
// participants counted: all, or one group's) into cells, the matrix of
// medians and its consistent scenarios.
func NewCrossImpactResult(ci CrossImpact, round int, js []StoredJudgement) (CrossImpactResult, error) {
	res := CrossImpactResult{Round: round}
	hist := map[Cell]*Histogram{}
	who := map[int64]bool{}
	for _, j := range js {
		if j.Round != round {
			continue
		}
		h := hist[j.Cell()]
		if h == nil {
			nh := NewHistogram(JudgementScale)
			h = &nh
			hist[j.Cell()] = h
		}
		h.Add(Answer{Value: derefOr(j.Score), DontKnow: j.Score == nil}, 1)
		who[j.ParticipantID] = true
	}
	res.Judged = len(who)
	medians := map[Cell]float64{}
	for _, c := range ci.Cells() {
		cr := CellResult{Cell: c}
		if h := hist[c]; h != nil {
			cr.Stats = h.Stats()
		}
		if h := hist[c]; h != nil && cr.N > 0 {
			cr.Agreement = h.Agreement(cr.Stats, JudgementScale.Min, JudgementScale.Max)
			cr.Consensus = cr.Consensus && !cr.Polarised
			cr.Disputed = cr.Polarised || cr.N >= ConsensusMinN && !cr.Consensus
			if cr.Median != nil {
				medians[c] = *cr.Median
			}
		}
		res.Cells = append(res.Cells, cr)
	}
	m, err := ci.Matrix(medians)
	if err != nil {
		return res, err
	}
	res.Matrix, res.Solution = m, m.Solve()
	return res, nil
}

func derefOr(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// Unsupported returns the variants that appear in none of the consistent
// scenarios listed: for scenarios standing in for descriptors, the
// scenarios that occur in no consistent combination are those whose
// "occurs" variant is here.
func (r CrossImpactResult) Unsupported() []string {
	seen := map[string]bool{}
	for _, s := range r.Solution.Consistent {
		for _, v := range s.Variants {
			seen[v] = true
		}
	}
	var out []string
	for _, v := range r.Matrix.Variants() {
		if !seen[v] {
			out = append(out, v)
		}
	}
	return out
}
