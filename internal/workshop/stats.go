package workshop

import (
	"math"
	"slices"
)

// Histogram is the exact tally of one item (round x scenario x criterion):
// how many ratings each point of the scale has, and how many "don't know".
// Every statistic derives from it.
type Histogram struct {
	Min, Step int
	Counts    []int64 // Counts[i] is the number of ratings of value Value(i)
	// Values are the scale's points where they are not simply every Step
	// from Min (Criterion.Points: a percent scale with a yardstick has
	// every whole percent of its outer terms too); nil where they are.
	Values   []int
	DontKnow int64
}

// NewHistogram returns an empty histogram for criterion c.
func NewHistogram(c Criterion) Histogram {
	pts := c.Points()
	h := Histogram{Min: c.Min, Step: c.Step, Counts: make([]int64, len(pts))}
	if len(pts) != (c.Max-c.Min)/c.Step+1 {
		h.Values = pts
	}
	return h
}

// Index returns the bucket of value v, or -1 when v is no point of the
// scale.
func (h *Histogram) Index(v int) int {
	if h.Values != nil {
		i, found := slices.BinarySearch(h.Values, v)
		if !found {
			return -1
		}
		return i
	}
	i := (v - h.Min) / h.Step
	if i < 0 || i >= len(h.Counts) || (v-h.Min)%h.Step != 0 {
		return -1
	}
	return i
}

// Add counts an answer delta times (delta -1 removes it). Values outside the
// scale are ignored: the store never lets one in.
func (h *Histogram) Add(a Answer, delta int64) {
	if a.DontKnow {
		h.DontKnow += delta
		return
	}
	if i := h.Index(a.Value); i >= 0 {
		h.Counts[i] += delta
	}
}

// Value returns the scale value of bucket i.
func (h *Histogram) Value(i int) int {
	if h.Values != nil {
		return h.Values[i]
	}
	return h.Min + i*h.Step
}

// Span is the scale's range, max - min.
func (h *Histogram) Span() int { return h.Value(len(h.Counts)-1) - h.Min }

// N is the number of numeric ratings ("don't know" excluded).
func (h *Histogram) N() int64 {
	var n int64
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// Stats are the statistics of one item. Pointers are nil where a statistic is
// undefined: everything when N = 0, SD when N < 2.
type Stats struct {
	N        int64
	DontKnow int64
	Mean     *float64
	Median   *float64
	Q1, Q3   *float64
	IQR      *float64
	SD       *float64
}

// Stats computes the item's statistics: mean, sample standard deviation
// (n - 1), and median and quartiles by linear interpolation between order
// statistics (Hyndman-Fan type 7, the default of R and numpy).
func (h *Histogram) Stats() Stats {
	s := Stats{N: h.N(), DontKnow: h.DontKnow}
	if s.N == 0 {
		return s
	}
	var sum, sumSq int64
	for i, c := range h.Counts {
		v := int64(h.Value(i))
		sum += c * v
		sumSq += c * v * v
	}
	n := s.N
	s.Mean = ptr(float64(sum) / float64(n))
	if n >= 2 {
		// Exact in integers, then one division: no cancellation error.
		s.SD = ptr(math.Sqrt(float64(n*sumSq-sum*sum) / float64(n*(n-1))))
	}
	s.Q1 = ptr(h.quantile(0.25))
	s.Median = ptr(h.quantile(0.5))
	s.Q3 = ptr(h.quantile(0.75))
	s.IQR = ptr(*s.Q3 - *s.Q1)
	return s
}

// quantile is the type-7 quantile p of the ratings: with the sorted values
// x[0..n-1] and h = (n-1)p, it is x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
func (h *Histogram) quantile(p float64) float64 {
	pos := float64(h.N()-1) * p
	lo := int64(math.Floor(pos))
	frac := pos - float64(lo)
	x := float64(h.orderStat(lo))
	if frac == 0 {
		return x
	}
	return x + frac*(float64(h.orderStat(lo+1))-x)
}

// orderStat returns the k-th smallest rating (from 0).
func (h *Histogram) orderStat(k int64) int {
	var seen int64
	for i, c := range h.Counts {
		seen += c
		if k < seen {
			return h.Value(i)
		}
	}
	return h.Value(len(h.Counts) - 1)
}

func ptr(f float64) *float64 { return &f }

// ItemResult is the result of one item (scenario x criterion) in one round.
type ItemResult struct {
	ScenarioID  int64
	CriterionID int64
	Stats
	Agreement
	Histogram Histogram
	// Change against the previous round; nil in round 1 or where either
	// round has no median.
	DeltaMedian, DeltaIQR *float64
	// Groups is each group's position on the item, in the workshop's
	// order of groups (none without groups); GroupsDisagree marks an item
	// on which two groups disagree (groupsDisagree).
	Groups         []GroupStat
	GroupsDisagree bool
}

// NewItemResult computes every statistic of one item from its histogram.
func NewItemResult(scenarioID int64, c Criterion, h Histogram) ItemResult {
	it := ItemResult{ScenarioID: scenarioID, CriterionID: c.ID, Stats: h.Stats(), Histogram: h}
	it.Agreement = h.Agreement(it.Stats, c.Min, c.Max)
	it.Consensus = it.Consensus && !it.Polarised // Verdict's precedence
	return it
}

// Results are a round's results: what the facilitator's page, the API and
// the exports show.
type Results struct {
	Round   int
	Group   int64 // the group whose participants alone they count; 0: everyone
	Seq     int64
	Joined  int // participants of the workshop
	Rated   int // participants with at least one rating in the round
	Items   []ItemResult
	Summary Summary
	// index finds an item's place in Items; nil in a Results built by
	// hand, where Item searches.
	index map[ItemKey]int
}

// Summary tells at a glance whether the room converges: the share of the
// items judged (n >= ConsensusMinN) that are in consensus, the mean IQR
// over the items with at least one numeric rating, and how both moved
// since the previous round. The IQR is taken in units of each criterion's
// range (IQR / (max - min)), so that a percent scale and a 1-5 scale are
// never averaged as if they were one: 0 means everyone agreed, 0.5 that
// the middle half spans half the scale.
type Summary struct {
	Items                int // items with n > 0
	Thin                 int // items with 0 < n < ConsensusMinN: too thin to judge consensus
	ConsensusShare       *float64
	MeanRelativeIQR      *float64
	DeltaConsensusShare  *float64
	DeltaMeanRelativeIQR *float64
}

// Summarise fills in r.Summary from r.Items and, when prev is not nil, the
// change of every item and of the summary since prev.
func (r *Results) Summarise(prev *Results) {
	var sum Summary
	var consensus int
	var iqr float64
	for _, it := range r.Items {
		if it.N == 0 {
			continue
		}
		sum.Items++
		if span := it.Histogram.Span(); span > 0 {
			iqr += *it.IQR / float64(span)
		}
		if it.N < ConsensusMinN {
			sum.Thin++
		}
		if it.Consensus {
			consensus++
		}
	}
	if judged := sum.Items - sum.Thin; judged > 0 {
		sum.ConsensusShare = ptr(float64(consensus) / float64(judged))
	}
	if sum.Items > 0 {
		sum.MeanRelativeIQR = ptr(iqr / float64(sum.Items))
	}
	if prev != nil {
		for i := range r.Items {
			it := &r.Items[i]
			if p, ok := prev.Item(it.ScenarioID, it.CriterionID); ok {
				it.DeltaMedian = diff(it.Median, p.Median)
				it.DeltaIQR = diff(it.IQR, p.IQR)
			}
		}
		sum.DeltaConsensusShare = diff(sum.ConsensusShare, prev.Summary.ConsensusShare)
		sum.DeltaMeanRelativeIQR = diff(sum.MeanRelativeIQR, prev.Summary.MeanRelativeIQR)
	}
	r.Summary = sum
}

// diff is a - b, or nil when either is undefined.
func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	return ptr(*a - *b)
}

// Item returns the result of one item: from the index in results built by
// a Counts (pages look up every item of a round, so this must not search),
// by a search otherwise.
func (r *Results) Item(scenarioID, criterionID int64) (ItemResult, bool) {
	if r.index != nil {
		if i, ok := r.index[ItemKey{scenarioID, criterionID}]; ok {
			return r.Items[i], true
		}
		return ItemResult{}, false
	}
	for _, it := range r.Items {
		if it.ScenarioID == scenarioID && it.CriterionID == criterionID {
			return it, true
		}
	}
	return ItemResult{}, false
}

// AsksReason is the Delphi rule for feedback: a participant whose rating a
// of an item lies outside the middle half of the group's ratings (below Q1
// or above Q3 of it) is asked to give a reason or to revise. "Don't know",
// and an item nobody rated, ask for nothing.
func (it ItemResult) AsksReason(a Answer) bool {
	if a.DontKnow || it.N == 0 {
		return false
	}
	v := float64(a.Value)
	return v < *it.Q1 || v > *it.Q3
}

// Confidence levels of a confidence criterion (values 1 to 3).
const (
	ConfidenceLow      = 1
	ConfidenceModerate = 2
	ConfidenceHigh     = 3
)

// ConfidenceLevel is the level a median of a confidence criterion stands
// for: low when it is at most 1.5 (half the raters or more said "low"),
// high when it is at least 2.5, moderate between.
func ConfidenceLevel(median float64) int {
	switch {
	case median <= 1.5:
		return ConfidenceLow
	case median >= 2.5:
		return ConfidenceHigh
	}
	return ConfidenceModerate
}

// LowConfidence reports whether an item of a confidence criterion has a
// median whose level is low; false when nobody rated it.
func (it ItemResult) LowConfidence() bool {
	return it.Median != nil && ConfidenceLevel(*it.Median) == ConfidenceLow
}
