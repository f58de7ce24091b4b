package views

import (
	"context"
	"strconv"

	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
)

// CIVoteView is a participant's page in a cross-impact round: one source
// at a time, a −3…+3 choice (or "don't know") for each of its targets.
type CIVoteView struct {
	W             *workshop.Workshop
	FromScenarios bool // the deck's scenarios stand in for descriptors
	Sources       []CISource
	Current       int // the source shown, from 0
	Given, Total  int // judgements given this round, and asked for
	Flash         string
	Problem       string
	ProblemAt     string // the ID of the field the problem is about
}

// CISource is one source variant and its targets.
type CISource struct {
	From       string
	Descriptor string // the descriptor's title (the scenario's, for scenarios)
	Variant    string // the variant's title
	Targets    []CITarget
	Given      int
}

// CITarget is one target of the source: its titles, the participant's
// answer ("" none, "dk", "-3"…"3") and, from round 2, where the group
// stood last round.
type CITarget struct {
	To         string
	Descriptor string
	Variant    string
	Value      string
	Reason     string // why, as saved or typed
	Prev       *CIFeedback
}

// asksReason reports whether the target asks for a reason: the
// participant's judgement lay outside the group's middle half last round.
func (t CITarget) asksReason() bool { return t.Prev != nil && t.Prev.Outside }

// CIFeedback is the group's judgement of a cell in the last cross-impact
// round and the participant's own.
type CIFeedback struct {
	Median, Q1, Q3 float64
	Own            string // "" when they gave none
	Outside        bool   // their own lay outside the group's middle half
}

func (v CIVoteView) open() bool { return v.W.State == workshop.StateOpen }

func (v CIVoteView) source() CISource { return v.Sources[v.Current] }

// sourceQuestion is the source's question: "If “X” occurs…".
func (v CIVoteView) sourceQuestion(ctx context.Context) string {
	s := v.source()
	if v.FromScenarios {
		return i18n.Tf(ctx, "crossimpact.phone_if_occurs", s.Descriptor)
	}
	return i18n.Tf(ctx, "crossimpact.phone_if_variant", s.Descriptor, s.Variant)
}

// targetLabel names a target in its fieldset's legend.
func (v CIVoteView) targetLabel(t CITarget) string {
	if v.FromScenarios {
		return t.Descriptor
	}
	return t.Descriptor + ": " + t.Variant
}

// judgementPoints are the choices of a judgement, −3 to +3.
var judgementPoints = []int{-3, -2, -1, 0, 1, 2, 3}

// signedPoint writes a point of the scale with its sign: "−3", "0", "+2".
func signedPoint(ctx context.Context, n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return i18n.Decimal(ctx, float64(n), 0)
}

// signedNumber writes a median or quartile with its sign: "+1.5", "−0.5".
func signedNumber(ctx context.Context, f float64) string {
	if f > 0 {
		return "+" + i18n.Decimal(ctx, f, 2)
	}
	return i18n.Decimal(ctx, f, 2)
}

// ownAnswerText is the participant's own earlier answer in words.
func ownAnswerText(ctx context.Context, own string) string {
	if own == webform.DontKnowValue {
		return i18n.T(ctx, "common.dont_know")
	}
	n, _ := strconv.Atoi(own)
	return signedPoint(ctx, n)
}
