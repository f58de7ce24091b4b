package workshop

import "math"

// PolarisedMinN is the smallest n for which a distribution can count as
// polarised: with fewer ratings two camps are chance.
const PolarisedMinN = 5

// ConsensusMinN is the smallest n for which an item can count as in
// consensus: one or two ratings are too thin to judge (two equal ratings
// have an IQR of 0, which says nothing about a room).
const ConsensusMinN = 3

// Agreement measures how far the group agrees on one item, on the
// criterion's own scale. The distance that counts is a quarter of the
// scale's range: 1 point on a 1-5 scale, 25 points on 0-100 %.
type Agreement struct {
	// Consensus: at least ConsensusMinN ratings, and the interquartile
	// range is at most a quarter of the range (IQR <= 1 on a 5-point scale).
	Consensus bool
	// Share of the ratings within the same distance of the median; nil when n = 0.
	Share *float64
	// CV is SD / mean; nil when n < 2 or the mean is 0.
	CV *float64
	// Polarised: the ratings form two camps (see Polarised).
	Polarised bool
	// Bimodality is Sarle's bimodality coefficient; nil when n < 2 or all
	// ratings are equal.
	Bimodality *float64
}

// Tolerance is the distance that counts as "close" on criterion c's scale.
func Tolerance(min, max int) float64 { return float64(max-min) / 4 }

// Agreement computes the consensus measures of a histogram with its stats,
// for a criterion running from min to max.
func (h *Histogram) Agreement(s Stats, min, max int) Agreement {
	var a Agreement
	if s.N == 0 {
		return a
	}
	tol := Tolerance(min, max)
	a.Consensus = s.N >= ConsensusMinN && *s.IQR <= tol+1e-9
	var near int64
	for i, c := range h.Counts {
		if math.Abs(float64(h.Value(i))-*s.Median) <= tol+1e-9 {
			near += c
		}
	}
	a.Share = ptr(float64(near) / float64(s.N))
	if s.SD != nil && *s.Mean != 0 {
		a.CV = ptr(*s.SD / *s.Mean)
	}
	a.Bimodality = h.bimodality(s)
	a.Polarised = h.polarised(s, a.Bimodality)
	return a
}

// bimodality is Sarle's coefficient in its plug-in form
// b = (g^2 + 1) / (k + 3) = (g^2 + 1) / kurtosis, with g the skewness m3/m2^1.5
// and k the excess kurtosis m4/m2^2 - 3 of the ratings (population moments).
// The small-sample form with bias-adjusted moments stays below 5/9 for a
// perfect split of up to eight people (0.34 for three against three), so it
// would miss the camps of a small workshop. b > 5/9
// suggests two modes; an even spread over five points gives 1/1.7 = 0.59, and
// a lopsided 5-to-1 split gives about 1: that is why Polarised adds a test
// for two separated, comparable peaks.
func (h *Histogram) bimodality(s Stats) *float64 {
	n := float64(s.N)
	if s.N < 2 || s.SD == nil || *s.SD == 0 {
		return nil
	}
	var m2, m3, m4 float64
	for i, c := range h.Counts {
		d := float64(h.Value(i)) - *s.Mean
		m2 += float64(c) * d * d
		m3 += float64(c) * d * d * d
		m4 += float64(c) * d * d * d * d
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	skew := m3 / math.Pow(m2, 1.5)
	kurtosis := m4 / (m2 * m2)
	b := (skew*skew + 1) / kurtosis
	return &b
}

// polarised flags an even split into two camps:
//   - at least PolarisedMinN ratings,
//   - Sarle's bimodality coefficient above 5/9, and
//   - two peaks with a gap: the fullest point p1, and the fullest point p2
//     more than a quarter of the scale's range (Tolerance), and more than
//     one step, away from it (camps closer than that are one view, not
//     two), with p2 holding at
//     least half as many ratings as p1, and every point between them
//     holding at most half as many as p2.
//
// A single peak fails the second peak; a uniform spread fails the gap.
func (h *Histogram) polarised(s Stats, bc *float64) bool {
	tol := Tolerance(h.Min, h.Min+h.Span())
	if s.N < PolarisedMinN || bc == nil || *bc <= 5.0/9 {
		return false
	}
	p1 := 0
	for i, c := range h.Counts {
		if c > h.Counts[p1] {
			p1 = i
		}
	}
	p2 := -1
	for i, c := range h.Counts {
		if d := math.Abs(float64(h.Value(i) - h.Value(p1))); d <= max(tol, float64(h.Step))+1e-9 {
			continue
		}
		if p2 < 0 || c > h.Counts[p2] {
			p2 = i
		}
	}
	if p2 < 0 || 2*h.Counts[p2] < h.Counts[p1] {
		return false
	}
	lo, hi := min(p1, p2), max(p1, p2)
	for i := lo + 1; i < hi; i++ {
		if 2*h.Counts[i] > h.Counts[p2] {
			return false
		}
	}
	return true
}

// Verdict is the one word for how far the room agrees on an item. One
// precedence decides it, so that no screen, the API or an export ever
// calls an item two things that contradict each other:
//  1. polarised: the ratings form two camps, whatever the IQR says;
//  2. groups disagree: two expert groups' medians lie apart, so the room
//     as a whole is not in consensus however narrow its IQR;
//  3. thin: one or two ratings, too few to judge;
//  4. consensus: the IQR is at most a quarter of the scale's range;
//  5. none: rated, and none of these.
//
// ItemResult.Consensus follows it: it is true only for VerdictConsensus.
type Verdict string

const (
	VerdictNone           Verdict = ""
	VerdictPolarised      Verdict = "polarised"
	VerdictGroupsDisagree Verdict = "groups_disagree"
	VerdictThin           Verdict = "thin"
	VerdictConsensus      Verdict = "consensus"
)

// Verdict is the item's one word of agreement (see Verdict).
func (it ItemResult) Verdict() Verdict {
	switch {
	case it.N == 0:
		return VerdictNone
	case it.Polarised:
		return VerdictPolarised
	case it.GroupsDisagree:
		return VerdictGroupsDisagree
	case it.N < ConsensusMinN:
		return VerdictThin
	case it.Consensus:
		return VerdictConsensus
	}
	return VerdictNone
}
