package workshop

import (
	"fmt"
	"math"
)

// A yardstick ties the words of estimative language to ranges of
// probability, so that "likely" means the same number to everyone in the
// room: the analysts' standards (ICD 203 in the US intelligence community,
// the PHIA yardstick of UK Defence Intelligence) fix the ranges. A percent
// criterion may name one; its ratings and medians are then always shown
// with the term and its range together: "likely (55–80 %)".

// Yardstick keys, as decks name them.
const (
	YardstickICD203 = "icd203"
	YardstickPHIA   = "phia"
)

// Yardstick is a standard's terms of probability, lowest first.
type Yardstick struct {
	Key   string
	Name  string // the standard's own name, not translated
	Bands []Band
}

// Band is one term of a yardstick and the percentages it stands for, as
// the standard publishes them (both ends included). AtMost and AtLeast mark
// the open ends PHIA writes as "≤5 %" and "≥95 %". Term is the message id
// of its words: the catalogs hold them in each interface language.
type Band struct {
	Key             string
	Min, Max        int
	Term            string
	AtMost, AtLeast bool
}

// Texts gives the text of a message id in one language (i18n.Texts): the
// words of the yardsticks live in the message catalogs, like every other
// text people read.
type Texts func(id string) string

// The yardsticks. The English terms are the standards'; the Polish and
// French ones are Foresight's own (docs/statistics.md).
var yardsticks = map[string]Yardstick{
	YardstickICD203: {Key: YardstickICD203, Name: "ICD 203", Bands: []Band{
		{Key: "almost-no-chance", Min: 1, Max: 5, Term: "yardstick.icd203.almost_no_chance"},
		{Key: "very-unlikely", Min: 5, Max: 20, Term: "yardstick.icd203.very_unlikely"},
		{Key: "unlikely", Min: 20, Max: 45, Term: "yardstick.icd203.unlikely"},
		{Key: "roughly-even-chance", Min: 45, Max: 55, Term: "yardstick.icd203.roughly_even_chance"},
		{Key: "likely", Min: 55, Max: 80, Term: "yardstick.icd203.likely"},
		{Key: "very-likely", Min: 80, Max: 95, Term: "yardstick.icd203.very_likely"},
		{Key: "almost-certain", Min: 95, Max: 99, Term: "yardstick.icd203.almost_certain"},
	}},
	YardstickPHIA: {Key: YardstickPHIA, Name: "PHIA", Bands: []Band{
		{Key: "remote-chance", Min: 0, Max: 5, AtMost: true, Term: "yardstick.phia.remote_chance"},
		{Key: "highly-unlikely", Min: 10, Max: 20, Term: "yardstick.phia.highly_unlikely"},
		{Key: "unlikely", Min: 25, Max: 35, Term: "yardstick.phia.unlikely"},
		{Key: "realistic-possibility", Min: 40, Max: 50, Term: "yardstick.phia.realistic_possibility"},
		{Key: "likely", Min: 55, Max: 75, Term: "yardstick.phia.likely"},
		{Key: "highly-likely", Min: 80, Max: 90, Term: "yardstick.phia.highly_likely"},
		{Key: "almost-certain", Min: 95, Max: 100, AtLeast: true, Term: "yardstick.phia.almost_certain"},
	}},
}

// YardstickKeys lists the yardsticks a criterion may name, in the order
// an editor offers them.
var YardstickKeys = []string{YardstickICD203, YardstickPHIA}

// YardstickOf returns the yardstick with the given key.
func YardstickOf(key string) (Yardstick, bool) {
	y, ok := yardsticks[key]
	return y, ok
}

// Placement is where a value lies on a yardstick: in band Band, or, when
// Between is true, in the gap between bands Band and Band+1 (PHIA leaves
// gaps: 7 % is between "remote chance" and "highly unlikely"), or, when
// Outside is true, beyond every band (ICD 203 names nothing below 1 % or
// above 99 %): such a value has no words, only its number.
type Placement struct {
	Band    int
	Between bool
	Outside bool
}

// Place finds value v (a percentage, perhaps a median such as 52.5) on the
// yardstick:
//   - in the band whose range holds it, both ends included;
//   - on an end two bands share (ICD 203's 5, 20, 45, 55, 80, 95), in the
//     band nearer to 50 %, so that p and 100 − p get mirrored words;
//   - in a gap between two bands: between them;
//   - beyond the outer bands (ICD 203 starts at 1 % and ends at 99 %):
//     outside, next to the outer band.
func (y Yardstick) Place(v float64) Placement {
	for i, b := range y.Bands {
		switch {
		case v < float64(b.Min) && i == 0:
			return Placement{Band: 0, Outside: true}
		case v < float64(b.Min):
			return Placement{Band: i - 1, Between: true}
		case v <= float64(b.Max):
			if i+1 < len(y.Bands) && v == float64(b.Max) && y.Bands[i+1].Min == b.Max && v < 50 {
				return Placement{Band: i + 1}
			}
			return Placement{Band: i}
		}
	}
	return Placement{Band: len(y.Bands) - 1, Outside: true}
}

// Range is a band's percentages as the standard writes them: "55–80 %",
// "≤5 %", "≥95 %".
func (b Band) Range() string {
	switch {
	case b.AtMost:
		return fmt.Sprintf("≤%d %%", b.Max)
	case b.AtLeast:
		return fmt.Sprintf("≥%d %%", b.Min)
	}
	return fmt.Sprintf("%d–%d %%", b.Min, b.Max)
}

// Describe is a band's term with its range: "likely (55–80 %)".
func (b Band) Describe(texts Texts) string {
	return texts(b.Term) + " (" + b.Range() + ")"
}

// Term is the term of a placement, without the range: "likely", or in a
// gap "between unlikely and realistic possibility"; "" outside every band.
func (y Yardstick) Term(p Placement, texts Texts) string {
	if p.Outside {
		return ""
	}
	if !p.Between {
		return texts(y.Bands[p.Band].Term)
	}
	return fmt.Sprintf(texts("yardstick.between"), texts(y.Bands[p.Band].Term), texts(y.Bands[p.Band+1].Term))
}

// Describe is the term of a placement with its range: "likely (55–80 %)",
// or in a gap "between unlikely and realistic possibility (35–40 %)"; ""
// outside every band.
func (y Yardstick) Describe(p Placement, texts Texts) string {
	if p.Outside {
		return ""
	}
	if !p.Between {
		return y.Bands[p.Band].Describe(texts)
	}
	return fmt.Sprintf("%s (%d–%d %%)", y.Term(p, texts), y.Bands[p.Band].Max, y.Bands[p.Band+1].Min)
}

// Words is how a value of criterion c reads with its yardstick, term and
// range together ("likely (55–80 %)"); "" when c names no yardstick or v
// is nil.
func (c Criterion) Words(v *float64, texts Texts) string {
	y, ok := c.YardstickOf()
	if !ok || v == nil {
		return ""
	}
	return y.Describe(y.Place(*v), texts)
}

// Representative is the point of criterion c's scale that picking band i
// stands for: of the points that Place puts in band i, the one nearest the
// band's middle (ties: nearer 50 %); ok is false when no point of the scale
// lies in the band.
func (y Yardstick) Representative(i int, c Criterion) (v int, ok bool) {
	b := y.Bands[i]
	mid := float64(b.Min+b.Max) / 2
	best := math.Inf(1)
	for _, pt := range c.Points() {
		if p := y.Place(float64(pt)); p.Between || p.Outside || p.Band != i {
			continue
		}
		d := math.Abs(float64(pt) - mid)
		if d < best || d == best && math.Abs(float64(pt)-50) < math.Abs(float64(v)-50) {
			v, best, ok = pt, d, true
		}
	}
	return v, ok
}
