package views

import (
	"context"

	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
)

// CIBNamed is a descriptor or a variant as a page shows it: its id and,
// where the input gave one, its long name.
type CIBNamed struct {
	ID    string
	Title string // "" when the input has none
}

// CIBDescriptorView is one descriptor with its variants.
type CIBDescriptorView struct {
	CIBNamed
	Variants []CIBNamed
}

// CIBBalance is one variant's balance in the scenario assessed.
type CIBBalance struct {
	CIBNamed
	Balance float64
	Chosen  bool
	Best    bool // the highest balance of its descriptor (ties included)
}

// CIBDescriptorBalances are one descriptor's variants in the scenario
// assessed, and its gap: the highest balance minus the chosen one's.
type CIBDescriptorBalances struct {
	CIBNamed
	Variants []CIBBalance
	Gap      float64
}

// CIBAssessmentView is the scenario assessed, descriptor by descriptor.
type CIBAssessmentView struct {
	Descriptors      []CIBDescriptorBalances
	Inconsistency    float64
	TotalImpactScore float64
}

// CIBResultView is an evaluated matrix as the cross-impact page shows it.
type CIBResultView struct {
	Descriptors []CIBDescriptorView
	Solution    workshop.CIBSolution
	Scenario    *CIBAssessmentView
	titles      map[string]string
}

// NewCIBResultView prepares an evaluation for the page; titles are the
// input's long names by id (none for JSON).
func NewCIBResultView(ev workshop.CIBEvaluation, in workshop.CIBInput) *CIBResultView {
	v := &CIBResultView{Solution: ev.Solution, titles: in.Titles}
	named := func(id string) CIBNamed { return CIBNamed{ID: id, Title: in.Titles[id]} }
	for _, d := range ev.Matrix.Descriptors() {
		dv := CIBDescriptorView{CIBNamed: named(d.ID)}
		for _, id := range d.Variants {
			dv.Variants = append(dv.Variants, named(id))
		}
		v.Descriptors = append(v.Descriptors, dv)
	}
	if a := ev.Scenario; a != nil {
		av := &CIBAssessmentView{Inconsistency: a.Inconsistency, TotalImpactScore: a.TotalImpactScore}
		for i, d := range ev.Matrix.Descriptors() {
			db := CIBDescriptorBalances{CIBNamed: named(d.ID)}
			best := a.Balances[d.Variants[0]]
			for _, id := range d.Variants {
				best = max(best, a.Balances[id])
			}
			for _, id := range d.Variants {
				b := CIBBalance{CIBNamed: named(id), Balance: a.Balances[id], Chosen: id == in.Scenario[i], Best: a.Balances[id] == best}
				if b.Chosen {
					db.Gap = best - b.Balance
				}
				db.Variants = append(db.Variants, b)
			}
			av.Descriptors = append(av.Descriptors, db)
		}
		v.Scenario = av
	}
	return v
}

// variant names a variant of a scenario found: its long name, or its id.
func (v *CIBResultView) variant(id string) string {
	if t := v.titles[id]; t != "" {
		return t
	}
	return id
}

// cibNumber formats a balance or score: up to two decimals, the language's
// minus sign.
func cibNumber(ctx context.Context, f float64) string { return i18n.Decimal(ctx, f, 2) }

// crossImpactTargets are the page's fields, in order, for the error summary.
func crossImpactTargets() []fieldTarget {
	return []fieldTarget{{"matrix", "matrix"}, {"file", "file"}, {"scenario", "scenario"}, {"", "matrix"}}
}

// CrossImpactPage is the data of the cross-impact page.
type CrossImpactPage struct {
	Form   webform.CrossImpact
	Errors Errors
	Result *CIBResultView
}
