package views

import (
	"context"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// pointGroup is a run of a yardstick criterion's points that read alike:
// the points of one band ("likely (55–80 %)"), or of a gap between two
// bands. Picking a band on the participant's page rates Value, the band's
// representative point.
type pointGroup struct {
	Words  string // "" outside every term (0 and 100 % on ICD 203)
	Band   bool   // a term of the yardstick, not a gap between two
	Value  int    // for a band with points: the point that picking it stands for
	Points []int
}

// yardstickGroups are the points of criterion c grouped by where they lie
// on its yardstick, in the scale's order; none when c has no yardstick.
func yardstickGroups(c workshop.Criterion, lang string) []pointGroup {
	y, ok := c.YardstickOf()
	if !ok {
		return nil
	}
	var groups []pointGroup
	var last workshop.Placement
	for i, v := range c.Points() {
		p := y.Place(float64(v))
		if i == 0 || p != last {
			g := pointGroup{Words: unbreakable(y.Describe(p, i18n.TextsIn(lang))), Band: !p.Between && !p.Outside}
			if g.Band {
				g.Value, _ = y.Representative(p.Band, c)
			}
			groups = append(groups, g)
			last = p
		}
		groups[len(groups)-1].Points = append(groups[len(groups)-1].Points, v)
	}
	return groups
}

// pickedByBand reports whether answer a (when answered) shows as a picked
// band rather than a number: a value that a band's pick stands for.
func pickedByBand(groups []pointGroup, a workshop.Answer, answered bool) bool {
	if !answered || a.DontKnow {
		return false
	}
	for _, g := range groups {
		if g.Band && g.Value == a.Value {
			return true
		}
	}
	return false
}

// confidenceRow is one scenario in the report's table of confidence.
type confidenceRow struct {
	Number     int
	Scenario   workshop.Scenario
	Confidence workshop.ItemResult
	Estimates  []workshop.ItemResult // the other criteria's items, in deck order
}

// confidenceLevels groups the scenarios of a round by the level of the
// room's median confidence (workshop.ConfidenceLevel), high first; the
// last group holds those nobody rated for confidence.
func confidenceLevels(w *workshop.Workshop, res workshop.Results, cc workshop.Criterion) (levels [3][]confidenceRow, unrated []confidenceRow) {
	for i, s := range w.Scenarios {
		row := confidenceRow{Number: i + 1, Scenario: s}
		row.Confidence, _ = res.Item(s.ID, cc.ID)
		for _, c := range w.Criteria {
			if c.ID != cc.ID {
				it, _ := res.Item(s.ID, c.ID)
				row.Estimates = append(row.Estimates, it)
			}
		}
		if row.Confidence.Median == nil {
			unrated = append(unrated, row)
			continue
		}
		level := workshop.ConfidenceLevel(*row.Confidence.Median)
		levels[workshop.ConfidenceHigh-level] = append(levels[workshop.ConfidenceHigh-level], row)
	}
	return levels, unrated
}

// estimateCriteria are the criteria of w other than cc.
func estimateCriteria(w *workshop.Workshop, cc workshop.Criterion) []workshop.Criterion {
	var out []workshop.Criterion
	for _, c := range w.Criteria {
		if c.ID != cc.ID {
			out = append(out, c)
		}
	}
	return out
}

// confidenceHeading names a level in the report's table of confidence.
func confidenceHeading(ctx context.Context, cc workshop.Criterion, level int, lang string) string {
	switch level {
	case workshop.ConfidenceHigh:
		return i18n.Tf(ctx, "estimates.confident_high", cc.Name.In(lang))
	case workshop.ConfidenceLow:
		return i18n.Tf(ctx, "estimates.not_confident_low", cc.Name.In(lang))
	}
	return i18n.Tf(ctx, "estimates.moderate", cc.Name.In(lang))
}

// yardstickHelp says where a yardstick's terms come from, for the
// participant who wonders what "likely" means here.
func yardstickHelp(ctx context.Context, y workshop.Yardstick) string {
	switch y.Key {
	case workshop.YardstickICD203:
		return i18n.T(ctx, "estimates.terms_those_icd_203")
	case workshop.YardstickPHIA:
		return i18n.T(ctx, "estimates.terms_those_phia_yardstick")
	}
	return ""
}
