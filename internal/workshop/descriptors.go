package workshop

import (
	"fmt"
	"math"
)

// Descriptor is one element of a cross-impact analysis in a deck: a
// question about the future (the government, the economy) and its
// alternative answers, the variants.
type Descriptor struct {
	ID       string    `json:"id"`
	Title    Text      `json:"title"`
	Variants []Variant `json:"variants"`
}

// Variant is one possible state of a descriptor.
type Variant struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
}

// Suffixes of the variants of a scenario used as a descriptor (a deck with
// no descriptors): "refugee-crisis-occurs" and "refugee-crisis-not".
const (
	OccursSuffix    = "-occurs"
	NotOccursSuffix = "-not"
)

// occursTitles name the two variants of a scenario used as a descriptor,
// in the interface's languages.
var occursTitles = [2]Text{
	{"en": "occurs", "pl": "następuje", "fr": "se produit"},
	{"en": "does not occur", "pl": "nie następuje", "fr": "ne se produit pas"},
}

// validateDescriptors checks a deck's descriptors (none is allowed).
func (d Deck) validateDescriptors(langs languages) error {
	if len(d.Descriptors) == 0 {
		return nil
	}
	if n := len(d.Descriptors); n < CIBMinDescriptors || n > CIBMaxDescriptors {
		return FieldError("descriptors", "error.cib_deck_descriptors_count", CIBMinDescriptors, CIBMaxDescriptors)
	}
	descIDs, variantIDs := map[string]bool{}, map[string]bool{}
	for i, desc := range d.Descriptors {
		p := fmt.Sprintf("descriptors[%d]", i)
		if !keyPattern.MatchString(desc.ID) {
			return FieldError(p+".id", "error.must_1_63_lower")
		}
		if descIDs[desc.ID] {
			return FieldError(p+".id", "error.used_twice", desc.ID)
		}
		descIDs[desc.ID] = true
		if err := checkLine(p+".title", desc.Title, langs, true, MaxTitleRunes); err != nil {
			return err
		}
		if n := len(desc.Variants); n < CIBMinVariants || n > CIBMaxVariants {
			return FieldError(p+".variants", "error.cib_variants_count", CIBMinVariants, CIBMaxVariants)
		}
		for j, v := range desc.Variants {
			vp := fmt.Sprintf("%s.variants[%d]", p, j)
			if !keyPattern.MatchString(v.ID) {
				return FieldError(vp+".id", "error.must_1_63_lower")
			}
			if variantIDs[v.ID] {
				return FieldError(vp+".id", "error.used_twice", v.ID)
			}
			variantIDs[v.ID] = true
			if err := checkLine(vp+".title", v.Title, langs, true, MaxTitleRunes); err != nil {
				return err
			}
		}
	}
	return nil
}

// CrossImpact is the structure of a deck's cross-impact analysis: its
// descriptors, and the cells a participant judges.
type CrossImpact struct {
	Descriptors []Descriptor
	// FromScenarios is true when the deck has no descriptors and its
	// scenarios stand in for them ("occurs" / "does not occur").
	FromScenarios bool
	// Groups: the expert group that judges each descriptor's sources; a
	// descriptor left out is judged by everyone.
	Groups map[string]int64
}

// descriptorOf returns the id of the descriptor of variant v.
func (ci CrossImpact) descriptorOf(v string) string {
	for _, d := range ci.Descriptors {
		for _, x := range d.Variants {
			if x.ID == v {
				return d.ID
			}
		}
	}
	return ""
}

// AskedOf reports whether a participant of group (0: none) is asked to
// judge the sources of descriptor id: everyone is, unless the facilitator
// gave the descriptor to an expert group; a participant without a group
// judges every source.
func (ci CrossImpact) AskedOf(id string, group int64) bool {
	g, ok := ci.Groups[id]
	return !ok || g == 0 || group == 0 || g == group
}

// CellsFor returns the cells a participant of group is asked to judge.
func (ci CrossImpact) CellsFor(group int64) []Cell {
	all := ci.Cells()
	if len(ci.Groups) == 0 || group == 0 {
		return all
	}
	var out []Cell
	for _, c := range all {
		if ci.AskedOf(ci.descriptorOf(c.From), group) {
			out = append(out, c)
		}
	}
	return out
}

// CrossImpactOf returns the deck's descriptors, or its scenarios as
// two-variant descriptors when it has none: scenario "x" becomes the
// descriptor "x" with the variants "x-occurs" and "x-not".
func CrossImpactOf(d Deck) CrossImpact {
	if len(d.Descriptors) > 0 {
		return CrossImpact{Descriptors: d.Descriptors}
	}
	ci := CrossImpact{FromScenarios: true}
	for _, s := range d.Scenarios {
		desc := Descriptor{ID: s.Key, Title: s.Title}
		for i, suffix := range []string{OccursSuffix, NotOccursSuffix} {
			t := Text{}
			for _, lang := range d.Languages {
				if s, ok := occursTitles[i][lang]; ok {
					t[lang] = s
				}
			}
			if len(t) == 0 {
				t = Text{"en": occursTitles[i]["en"]}
			}
			desc.Variants = append(desc.Variants, Variant{ID: s.Key + suffix, Title: t})
		}
		ci.Descriptors = append(ci.Descriptors, desc)
	}
	return ci
}

// CIBDescriptors returns the descriptors' and variants' ids, as a matrix
// takes them.
func (ci CrossImpact) CIBDescriptors() []CIBDescriptor {
	out := make([]CIBDescriptor, 0, len(ci.Descriptors))
	for _, d := range ci.Descriptors {
		cd := CIBDescriptor{ID: d.ID}
		for _, v := range d.Variants {
			cd.Variants = append(cd.Variants, v.ID)
		}
		out = append(out, cd)
	}
	return out
}

// Cell is one judgement asked for: how variant From acts on variant To.
type Cell struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Cells returns the cells participants judge, source by source: every
// variant of every other descriptor for each variant, or, for scenarios
// standing in for descriptors, one question per ordered pair ("if A
// occurs, how does that change the chance of B?": A-occurs → B-occurs).
func (ci CrossImpact) Cells() []Cell {
	var out []Cell
	for i, a := range ci.Descriptors {
		for j, b := range ci.Descriptors {
			if i == j {
				continue
			}
			if ci.FromScenarios {
				out = append(out, Cell{From: a.Variants[0].ID, To: b.Variants[0].ID})
				continue
			}
			for _, va := range a.Variants {
				for _, vb := range b.Variants {
					out = append(out, Cell{From: va.ID, To: vb.ID})
				}
			}
		}
	}
	// Source by source: all of one variant's cells together.
	if !ci.FromScenarios {
		bySource := map[string][]Cell{}
		var order []string
		for _, c := range out {
			if _, ok := bySource[c.From]; !ok {
				order = append(order, c.From)
			}
			bySource[c.From] = append(bySource[c.From], c)
		}
		out = out[:0:0]
		for _, from := range order {
			out = append(out, bySource[from]...)
		}
	}
	return out
}

// Impacts returns the complete matrix from the judged cells' scores (a
// cell missing from scores is 0). For scenarios standing in for
// descriptors, the rule of docs/statistics.md derives the other cells from
// the one judged per ordered pair: with s the judgement of "A occurs" on
// "B occurs",
//
//	A-occurs → B-occurs = s,  A-occurs → B-not = −s,
//	A-not → B-occurs = 0,     A-not → B-not = 0:
//
// a scenario that occurs shifts the odds of B by s, one way or the other,
// and one that does not occur acts on nothing.
func (ci CrossImpact) Impacts(scores map[Cell]float64) []CIBImpact {
	var out []CIBImpact
	for _, c := range ci.Cells() {
		s, ok := scores[c]
		if !ok {
			s = 0
		}
		out = append(out, CIBImpact{From: c.From, To: c.To, Score: s})
		if ci.FromScenarios {
			not := c.To[:len(c.To)-len(OccursSuffix)] + NotOccursSuffix
			out = append(out, CIBImpact{From: c.From, To: not, Score: negZero(-s)})
		}
	}
	return out
}

// negZero turns −0 into 0, so that a derived cell never prints as "-0".
func negZero(f float64) float64 {
	if f == 0 || math.IsNaN(f) {
		return 0
	}
	return f
}

// Matrix returns the checked matrix of the judged cells' scores.
func (ci CrossImpact) Matrix(scores map[Cell]float64) (*CIBMatrix, error) {
	return NewCIBMatrix(ci.CIBDescriptors(), ci.Impacts(scores))
}
