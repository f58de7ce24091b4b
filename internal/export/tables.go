package export

import (
	"fmt"
	"iter"
	"slices"
	"time"
	"unicode/utf8"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// table is one rectangular export: the rows of a CSV file or a sheet of the
// workbook. Both are written from the same table, so they cannot disagree.
// A row holds typed cells: string (text, neutralised when written), int64,
// float64, bool, time.Time, or nil for an empty cell. The row slice is
// reused: a consumer must not keep it.
type table struct {
	sheet  string
	header []string
	widths []float64 // XLSX column widths, in characters
	wrap   []bool    // XLSX columns whose long text wraps
	dates  []bool    // XLSX columns of times, formatted as dates
	// fractions: the table has fractional numbers, which the workbook
	// writes cell by cell to keep every digit.
	fractions bool
	rows      iter.Seq2[[]any, error]
}

const maxWidth = 60

// textWidth is the column width that fits the longest of texts, within
// limits.
func textWidth(min float64, texts ...string) float64 {
	w := min
	for _, t := range texts {
		w = max(w, float64(utf8.RuneCountInString(t))+2)
	}
	return min2(w, maxWidth)
}

func min2(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// groupNames maps the IDs of a workshop's expert groups to their names.
type groupNames map[int64]*string

func namesOfGroups(w *workshop.Workshop) groupNames {
	m := make(groupNames, len(w.Groups))
	for _, g := range w.Groups {
		m[g.ID] = &g.Name
	}
	return m
}

// of is the name of group id; nil (null, an empty cell) for none.
func (m groupNames) of(id int64) *string { return m[id] }

// cell is the name of group id as a table cell: nil (empty) for none.
func (m groupNames) cell(id int64) any {
	if name := m[id]; name != nil {
		return *name
	}
	return nil
}

// names holds the texts of a workshop in the export's language.
type names struct {
	scenario  map[int64]string
	criterion map[int64]string
	titles    []string
	crits     []string
	lang      string
	criteria  map[int64]workshop.Criterion
}

// band is a value's yardstick term with its range ("likely (55–80 %)"),
// or nil (an empty cell) when the criterion has no yardstick or there is
// no value.
func (n names) band(criterionID int64, value any) any {
	var v *float64
	switch x := value.(type) {
	case int64:
		f := float64(x)
		v = &f
	case *float64:
		v = x
	}
	if words := n.criteria[criterionID].Words(v, i18n.TextsIn(n.lang)); words != "" {
		return words
	}
	return nil
}

func namesOf(src *Source) names {
	n := names{scenario: map[int64]string{}, criterion: map[int64]string{}, lang: src.lang(), criteria: map[int64]workshop.Criterion{}}
	for _, s := range src.Workshop.Scenarios {
		t := s.Title.In(src.lang())
		n.scenario[s.ID] = t
		n.titles = append(n.titles, t)
	}
	for _, c := range src.Workshop.Criteria {
		n.criteria[c.ID] = c
		t := c.Name.In(src.lang())
		n.criterion[c.ID] = t
		n.crits = append(n.crits, t)
	}
	return n
}

// ratingsTable: one row per rating.
func ratingsTable(src *Source) table {
	n := namesOf(src)
	groups := namesOfGroups(src.Workshop)
	code := src.Workshop.Code
	return table{
		sheet: "Ratings",
		header: []string{"workshop_code", "round", "participant", "scenario_id", "scenario_title", "criterion_id", "criterion_name", "value", "dont_know", "rated_at",
			"band", "group"},
		widths: []float64{15, 7, 13, 12, textWidth(16, n.titles...), 13, textWidth(16, n.crits...), 7, 11, 21, 30, textWidth(8, src.Workshop.GroupNames()...)},
		dates:  []bool{9: true},
		rows: func(yield func([]any, error) bool) {
			row := make([]any, 12)
			for r, err := range ratingsOf(src) {
				if err != nil {
					yield(nil, err)
					return
				}
				var value any
				if !r.Answer.DontKnow {
					value = int64(r.Answer.Value)
				}
				row[0], row[1], row[2], row[3], row[4] = code, int64(r.Round), r.Pseudonym, r.ScenarioID, n.scenario[r.ScenarioID]
				row[5], row[6], row[7], row[8], row[9] = r.CriterionID, n.criterion[r.CriterionID], value, r.Answer.DontKnow, timeCell(r.RatedAt)
				row[10], row[11] = n.band(r.CriterionID, value), groups.cell(r.GroupID)
				if !yield(row, nil) {
					return
				}
			}
		},
	}
}

// histogramPoints is every scale point of the workshop's criteria, in
// order: one count column each in the summary.
func histogramPoints(w *workshop.Workshop) []int {
	var pts []int
	for _, c := range w.Criteria {
		pts = append(pts, c.Points()...)
	}
	slices.Sort(pts)
	return slices.Compact(pts)
}

// summaryTable: one row per round x scenario x criterion with every
// statistic of the results API, and the round's summary repeated on each
// row so that a spreadsheet filter keeps it in view.
func summaryTable(src *Source) table {
	n := namesOf(src)
	w := src.Workshop
	pts := histogramPoints(w)
	header := []string{"workshop_code", "round", "scenario_id", "scenario_title", "criterion_id", "criterion_name",
		"n", "dont_know", "mean", "median", "q1", "q3", "iqr", "sd", "cv", "agreement", "consensus", "polarised", "bimodality",
		"delta_median", "delta_iqr"}
	widths := []float64{15, 7, 12, textWidth(16, n.titles...), 13, textWidth(16, n.crits...),
		6, 11, 20, 8, 8, 8, 8, 20, 20, 20, 11, 11, 20, 14, 14}
	for _, p := range pts {
		header = append(header, fmt.Sprintf("count_%d", p))
		widths = append(widths, 9)
	}
	header = append(header, "round_joined", "round_rated", "round_items", "round_consensus_share", "round_mean_relative_iqr",
		"round_delta_consensus_share", "round_delta_mean_relative_iqr", "band", "round_thin")
	widths = append(widths, 14, 13, 13, 22, 24, 28, 30, 30, 11)
	return table{
		sheet:     "Summary",
		header:    header,
		widths:    widths,
		fractions: true,
		rows: func(yield func([]any, error) bool) {
			row := make([]any, len(header))
			results, err := src.Results()
			if err != nil {
				yield(nil, err)
				return
			}
			for _, res := range results {
				sum := res.Summary
				for _, it := range res.Items {
					c, _ := w.Criterion(it.CriterionID)
					row = append(row[:0], w.Code, int64(res.Round), it.ScenarioID, n.scenario[it.ScenarioID], it.CriterionID, n.criterion[it.CriterionID],
						it.N, it.DontKnow, num(it.Mean), num(it.Median), num(it.Q1), num(it.Q3), num(it.IQR), num(it.SD), num(it.CV),
						num(it.Share), it.Consensus, it.Polarised, num(it.Bimodality), num(it.DeltaMedian), num(it.DeltaIQR))
					for _, p := range pts {
						i := it.Histogram.Index(p)
						if p < c.Min || p > c.Max || i < 0 {
							row = append(row, nil)
							continue
						}
						row = append(row, it.Histogram.Counts[i])
					}
					row = append(row, int64(res.Joined), int64(res.Rated), int64(sum.Items), num(sum.ConsensusShare), num(sum.MeanRelativeIQR),
						num(sum.DeltaConsensusShare), num(sum.DeltaMeanRelativeIQR), n.band(it.CriterionID, it.Median), int64(sum.Thin))
					if !yield(row, nil) {
						return
					}
				}
			}
		},
	}
}

// num is a statistic as a cell: the number, or nil when undefined.
func num(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// rationalesTable: one row per rationale, hidden ones included and marked.
func rationalesTable(src *Source) table {
	n := namesOf(src)
	groups := namesOfGroups(src.Workshop)
	code := src.Workshop.Code
	return table{
		sheet:  "Rationales",
		header: []string{"workshop_code", "round", "participant", "scenario_id", "scenario_title", "text", "hidden", "featured", "updated_at", "group"},
		widths: []float64{15, 7, 13, 12, textWidth(16, n.titles...), 80, 8, 10, 21, textWidth(8, src.Workshop.GroupNames()...)},
		wrap:   []bool{5: true},
		dates:  []bool{8: true},
		rows: func(yield func([]any, error) bool) {
			row := make([]any, 10)
			for r, err := range rationalesOf(src) {
				if err != nil {
					yield(nil, err)
					return
				}
				row[0], row[1], row[2], row[3], row[4] = code, int64(r.Round), r.Pseudonym, r.ScenarioID, n.scenario[r.ScenarioID]
				row[5], row[6], row[7], row[8], row[9] = r.Text, r.Hidden, r.Featured, timeCell(r.UpdatedAt), groups.cell(r.GroupID)
				if !yield(row, nil) {
					return
				}
			}
		},
	}
}

// scenariosTable: the deck's scenarios as the workshop rates them, and
// those from the room (origin "room") with their idea, first round and
// source.
func scenariosTable(src *Source) table {
	n := namesOf(src)
	lang := src.lang()
	return table{
		sheet:  "Scenarios",
		header: []string{"number", "scenario_id", "key", "title", "narrative", "source", "origin", "idea_id", "from_round", "proposed_by", "idea_votes"},
		widths: []float64{8, 12, 24, textWidth(16, n.titles...), 80, 40, 8, 8, 11, 13, 11},
		wrap:   []bool{4: true, 5: true},
		rows: func(yield func([]any, error) bool) {
			for i, s := range src.Workshop.Scenarios {
				row := []any{int64(i + 1), s.ID, s.Key, s.Title.In(lang), s.Narrative.In(lang), s.Source.In(lang), workshop.OriginDeck, nil, int64(max(1, s.FromRound)), nil, nil}
				if s.FromRoom() {
					row[6], row[7], row[10] = workshop.OriginRoom, s.IdeaID, int64(s.SourceVotes)
					if s.SourcePseudonym != "" {
						row[9] = s.SourcePseudonym
					}
				}
				if !yield(row, nil) {
					return
				}
			}
		},
	}
}

// ideasTable: the room's ideas, one row each, with each expert group's
// votes in a column of its own ("votes: <group>").
func ideasTable(src *Source) table {
	w := src.Workshop
	header := []string{"workshop_code", "idea_id", "title", "text", "author", "votes"}
	widths := []float64{15, 8, 40, 60, 13, 7}
	for _, g := range w.Groups {
		header = append(header, "votes: "+g.Name)
		widths = append(widths, textWidth(10, "votes: "+g.Name))
	}
	header = append(header, "hidden", "merged_into", "promoted_as", "scenario_id", "created_at")
	widths = append(widths, 8, 12, 12, 12, 21)
	wrap := make([]bool, len(header))
	wrap[2], wrap[3] = true, true
	dates := make([]bool, len(header))
	dates[len(header)-1] = true
	id := func(v int64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	return table{
		sheet: "Ideas", header: header, widths: widths, wrap: wrap, dates: dates,
		rows: func(yield func([]any, error) bool) {
			for _, i := range src.Ideas {
				var author any
				if i.Author != "" {
					author = i.Author
				}
				row := []any{w.Code, i.ID, i.Title, i.Text, author, int64(i.Votes)}
				for _, g := range w.Groups {
					row = append(row, int64(i.GroupVotes[g.ID]))
				}
				row = append(row, i.Hidden, id(i.MergedInto), id(i.PromotedAs), id(i.ScenarioID), timeCell(i.CreatedAt))
				if !yield(row, nil) {
					return
				}
			}
		},
	}
}

// zero time cells are empty.
func timeCell(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// outcomesTable: what became of each scenario, one row each.
func outcomesTable(src *Source) table {
	n := namesOf(src)
	w := src.Workshop
	return table{
		sheet:  "Outcomes",
		header: []string{"workshop_code", "scenario_id", "scenario_title", "occurred", "known_on", "note", "updated_at"},
		widths: []float64{15, 12, textWidth(16, n.titles...), 10, 12, 60, 21},
		wrap:   []bool{5: true},
		dates:  []bool{6: true},
		rows: func(yield func([]any, error) bool) {
			for _, s := range w.Scenarios {
				o := w.OutcomeOf(s.ID)
				var occurred, known any
				if o.Occurred != nil {
					occurred = *o.Occurred
				}
				if o.KnownOn != "" {
					known = o.KnownOn
				}
				if !yield([]any{w.Code, s.ID, n.scenario[s.ID], occurred, known, o.Note, timeCell(o.UpdatedAt)}, nil) {
					return
				}
			}
		},
	}
}

// scoresTable: the scores of every percent criterion, one row per
// criterion × scenario × round, with the room's scores of the round
// repeated on each of its rows (as the summary repeats its round's).
func scoresTable(src *Source) table {
	n := namesOf(src)
	w := src.Workshop
	return table{
		sheet: "Scores",
		header: []string{"workshop_code", "criterion_id", "criterion_name", "scenario_id", "scenario_title", "occurred", "round",
			"n", "median", "brier_median", "brier_mean", "brier_geo_odds",
			"round_median", "round_mean", "round_geo_odds", "round_participants_mean", "resolved"},
		widths:    []float64{15, 13, textWidth(16, n.crits...), 12, textWidth(16, n.titles...), 10, 7, 6, 8, 20, 20, 20, 20, 20, 20, 24, 9},
		fractions: true,
		rows: func(yield func([]any, error) bool) {
			scores, err := src.Scores()
			if err != nil {
				yield(nil, err)
				return
			}
			row := make([]any, 17)
			for _, cs := range scores {
				sc := cs.Scores
				for _, it := range sc.Items {
					var occurred any
					if it.Occurred != nil {
						occurred = *it.Occurred
					}
					for _, r := range it.Rounds {
						rs := sc.Rounds[r.Round-1]
						row = append(row[:0], w.Code, cs.Criterion.ID, n.criterion[cs.Criterion.ID], it.ScenarioID, n.scenario[it.ScenarioID], occurred,
							int64(r.Round), int64(r.N), num(r.Median), num(r.BrierMedian), num(r.BrierMean), num(r.BrierGeoOdds),
							num(rs.Median), num(rs.Mean), num(rs.GeoOdds), num(rs.ParticipantsMean), int64(sc.Resolved))
						if !yield(row, nil) {
							return
						}
					}
				}
			}
		},
	}
}
