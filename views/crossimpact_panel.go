package views

import (
	"context"
	"math"
	"strconv"
	"strings"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// CrossImpactPanelView is a cross-impact round as the facilitator's page
// and the projector show it: the heat map of the cells' medians, disputed
// cells marked, the consistent scenarios and what none of them has.
type CrossImpactPanelView struct {
	W             *workshop.Workshop
	Round         int
	FromScenarios bool
	Result        workshop.CrossImpactResult
	// Rows are the sources and Cols the targets of the heat map, each
	// with its code (A1, or a scenario's number) and titles.
	Rows, Cols []CICode
	Key        []CIKeyGroup
	cells      map[workshop.Cell]workshop.CellResult
	codes      map[string]string
	Limit      int // how many consistent scenarios to list
	// Reasons are the participants' reasons for judgements outside the
	// group's middle half last round, by cell, anonymous.
	Reasons []CIReason
}

// CIReason is one reason given for a judgement of a cell.
type CIReason struct {
	From, To string // codes
	Score    *int
	Text     string
}

// AddReasons adds the round's reasons from its judgements.
func (v *CrossImpactPanelView) AddReasons(js []workshop.StoredJudgement) {
	for _, j := range js {
		if j.Round == v.Round && j.Reason != "" {
			v.Reasons = append(v.Reasons, CIReason{From: v.codes[j.From], To: v.codes[j.To], Score: j.Score, Text: j.Reason})
		}
	}
}

// reasonScore is the judgement a reason explains: "+2", or "don't know".
func reasonScore(ctx context.Context, s *int) string {
	if s == nil {
		return i18n.T(ctx, "common.dont_know")
	}
	return signedPoint(ctx, *s)
}

// CICode is a variant with its short code.
type CICode struct {
	ID, Code, Title string
	Group           int // its descriptor's place, to draw the blocks
}

// CIKeyGroup is one line of the key: a descriptor (or scenario) and its
// variants' codes.
type CIKeyGroup struct {
	Code, Title string
	Variants    []CICode
}

// NewCrossImpactPanelView prepares a round's result for the heat map.
func NewCrossImpactPanelView(w *workshop.Workshop, res workshop.CrossImpactResult, lang string, limit int) *CrossImpactPanelView {
	ci := w.CrossImpact()
	v := &CrossImpactPanelView{W: w, Round: res.Round, FromScenarios: ci.FromScenarios, Result: res, Limit: limit,
		cells: map[workshop.Cell]workshop.CellResult{}, codes: map[string]string{}}
	for _, c := range res.Cells {
		v.cells[c.Cell] = c
	}
	for i, d := range ci.Descriptors {
		letter := descriptorLetter(i)
		g := CIKeyGroup{Code: letter, Title: d.Title.In(lang)}
		for j, vr := range d.Variants {
			code := letter + strconv.Itoa(j+1)
			if ci.FromScenarios {
				code = strconv.Itoa(i + 1)
				if j == 1 {
					code = "¬" + code
				}
			}
			v.codes[vr.ID] = code
			c := CICode{ID: vr.ID, Code: code, Title: vr.Title.In(lang), Group: i}
			g.Variants = append(g.Variants, c)
			if !ci.FromScenarios || j == 0 {
				v.Rows = append(v.Rows, c)
				v.Cols = append(v.Cols, c)
			}
		}
		if ci.FromScenarios {
			g.Code = strconv.Itoa(i + 1)
		}
		v.Key = append(v.Key, g)
	}
	return v
}

// descriptorLetter is A, B, … for descriptors 0, 1, ….
func descriptorLetter(i int) string { return string(rune('A' + i)) }

// cell returns the cell from → to, and whether the round asks about it.
func (v *CrossImpactPanelView) cell(from, to CICode) (workshop.CellResult, bool) {
	if from.Group == to.Group {
		return workshop.CellResult{}, false
	}
	c, ok := v.cells[workshop.Cell{From: from.ID, To: to.ID}]
	return c, ok
}

// heatClass colours a cell by its median, rounded to a point of the
// scale: heat-m3 (strongly hinders) … heat-0 … heat-p3.
func heatClass(c workshop.CellResult) string {
	if c.Median == nil {
		return "heat-none"
	}
	n := int(math.Round(*c.Median))
	switch {
	case n < 0:
		return "heat-m" + strconv.Itoa(-n)
	case n > 0:
		return "heat-p" + strconv.Itoa(n)
	}
	return "heat-0"
}

// heatText is a cell's median with its sign, "·" when nobody judged it.
func heatText(ctx context.Context, c workshop.CellResult) string {
	if c.Median == nil {
		return "·"
	}
	return signedNumber(ctx, *c.Median)
}

// scenarioCodes writes a consistent scenario: the codes of its variants
// ("A2 B1 C3"), or for scenarios standing in for descriptors, the numbers
// of those that occur ("1, 4, 7"; "none" when none does).
func (v *CrossImpactPanelView) scenarioCodes(ctx context.Context, s workshop.CIBScenario) string {
	var parts []string
	for _, id := range s.Variants {
		code := v.codes[id]
		if v.FromScenarios {
			if strings.HasPrefix(code, "¬") {
				continue
			}
		}
		parts = append(parts, code)
	}
	if v.FromScenarios {
		if len(parts) == 0 {
			return i18n.T(ctx, "crossimpact.none_occurs")
		}
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, " ")
}

// listed is the consistent scenarios shown.
func (v *CrossImpactPanelView) listed() []workshop.CIBScenario {
	if len(v.Result.Solution.Consistent) > v.Limit {
		return v.Result.Solution.Consistent[:v.Limit]
	}
	return v.Result.Solution.Consistent
}

// unsupported names what no consistent scenario has: the scenarios that
// occur in none, or the variants that none chooses.
func (v *CrossImpactPanelView) unsupported() []CICode {
	if len(v.Result.Solution.Consistent) == 0 || !v.Result.Solution.Complete {
		return nil
	}
	missing := map[string]bool{}
	for _, id := range v.Result.Unsupported() {
		missing[id] = true
	}
	var out []CICode
	for _, g := range v.Key {
		for j, c := range g.Variants {
			if v.FromScenarios && j != 0 {
				continue
			}
			if missing[c.ID] {
				if v.FromScenarios {
					c.Title = g.Title
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// disputed counts the disputed cells.
func (v *CrossImpactPanelView) disputed() int {
	n := 0
	for _, c := range v.Result.Cells {
		if c.Disputed {
			n++
		}
	}
	return n
}

// startsBlock reports whether c is the first column of its descriptor.
func startsBlock(cols []CICode, c CICode) bool {
	for i, x := range cols {
		if x.ID == c.ID {
			return i > 0 && cols[i-1].Group != c.Group
		}
	}
	return false
}
