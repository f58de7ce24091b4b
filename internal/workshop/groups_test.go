package workshop

import (
	"reflect"
	"testing"
)

func TestCleanGroupNames(t *testing.T) {
	got, err := CleanGroupNames(SplitGroupNames("military, diplomatic\n humanitarian ,\r\nintelligence\n\n"))
	if want := []string{"military", "diplomatic", "humanitarian", "intelligence"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	if got, err := CleanGroupNames(nil); err != nil || got != nil {
		t.Fatalf("no groups: %q, %v", got, err)
	}
	for _, bad := range [][]string{
		{"alone"},
		{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"},
		{"Military", "military"},
		{"ok", "a name that runs on for far more than forty characters"},
		{"ok", "bidi \u202e"},
		{"ok", "military, retired"},
	} {
		if _, err := CleanGroupNames(bad); ErrorCode(err) != EInvalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

// groupsWorkshop has one 1-5 criterion and three groups.
func groupsWorkshop() *Workshop {
	w := tallyWorkshop()
	w.Round = 1
	w.Groups = []Group{{ID: 7, Name: "military"}, {ID: 8, Name: "diplomatic"}, {ID: 9, Name: "humanitarian"}}
	return w
}

func rows(g int64, values ...int) []TallyRow {
	var out []TallyRow
	for _, v := range values {
		out = append(out, TallyRow{Round: 1, ScenarioID: 10, CriterionID: 20, GroupID: g, Answer: Answer{Value: v}, Count: 1})
	}
	return out
}

func TestGroupResultsAndDisagreement(t *testing.T) {
	w := groupsWorkshop()
	tally := Tally{Joined: 9, JoinedByGroup: map[int64]int{7: 3, 8: 3, 9: 2}}
	// military 1, 1, 2: median 1, Q1 1, Q3 1.5. diplomatic 4, 4, 5: median
	// 4, Q1 4, Q3 4.5. humanitarian 5, 5: too few to count. One rater
	// without a group: 3.
	tally.Counts = append(append(append(append(tally.Counts, rows(7, 1, 1, 2)...), rows(8, 4, 4, 5)...), rows(9, 5, 5)...), rows(0, 3)...)
	c := NewCounts(w, tally)
	// A change by a military rater: 2 -> 1 (military 1, 1, 1).
	c.Apply(RatingChanged{Round: 1, ParticipantID: 3, GroupID: 7, ScenarioID: 10, CriterionID: 20, Old: &Answer{Value: 2}, New: &Answer{Value: 1}})

	all := c.Results(w, 1, 5, 9)
	it, _ := all.Item(10, 20)
	if it.N != 9 || *it.Median != 4 {
		t.Fatalf("everyone: n=%d median=%v, want 9 and 4 (1 1 1 3 4 4 5 5 5)", it.N, *it.Median)
	}
	if len(it.Groups) != 3 || !it.GroupsDisagree {
		t.Fatalf("groups %+v disagree=%v; want 3 groups that disagree", it.Groups, it.GroupsDisagree)
	}
	mil, dip, hum := it.Groups[0], it.Groups[1], it.Groups[2]
	if mil.GroupID != 7 || mil.N != 3 || *mil.Median != 1 || *mil.Q3 != 1 || dip.N != 3 || *dip.Median != 4 || *dip.Q1 != 4 || *dip.Q3 != 4.5 || hum.N != 2 {
		t.Fatalf("group stats %+v %+v %+v", mil, dip, hum)
	}
	if other, _ := all.Item(11, 20); other.GroupsDisagree || len(other.Groups) != 3 || other.Groups[0].N != 0 || other.Groups[0].Median != nil {
		t.Fatalf("an unrated item: %+v", other)
	}

	only := c.ResultsOf(w, 1, 5, 3, 8)
	it8, _ := only.Item(10, 20)
	if only.Group != 8 || only.Joined != 3 || it8.N != 3 || *it8.Median != 4 {
		t.Fatalf("diplomatic alone: group=%d joined=%d n=%d median=%v", only.Group, only.Joined, it8.N, *it8.Median)
	}
}

func TestGroupsDisagreeRule(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	stat := func(n int64, q1, med, q3 float64) GroupStat {
		return GroupStat{N: n, Q1: f(q1), Median: f(med), Q3: f(q3)}
	}
	for _, tc := range []struct {
		name string
		a, b GroupStat
		want bool
	}{
		{"medians 3 apart, IQRs apart", stat(3, 1, 1, 1.5), stat(3, 4, 4, 4.5), true},
		{"medians exactly a quarter of the range apart, IQRs apart", stat(4, 2, 2, 2.25), stat(4, 2.75, 3, 3), true},
		{"medians apart, IQRs touch", stat(3, 2.5, 3, 3.5), stat(3, 3.5, 4, 4.5), false},
		{"IQRs apart, medians less than a quarter apart", stat(5, 2.9, 3, 3), stat(5, 3.5, 3.5, 3.6), false},
		{"one group too small", stat(2, 1, 1, 1), stat(3, 5, 5, 5), false},
	} {
		if got := groupsDisagree([]GroupStat{tc.a, tc.b}, 1, 5); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConsensusNeedsThreeRatings(t *testing.T) {
	w := tallyWorkshop()
	w.Round = 1
	c := NewCounts(w, Tally{Counts: append(rows(0, 4, 4), TallyRow{Round: 1, ScenarioID: 11, CriterionID: 20, Answer: Answer{Value: 2}, Count: 3})})
	res := c.Results(w, 1, 1, 5)
	two, _ := res.Item(10, 20)
	three, _ := res.Item(11, 20)
	if two.Consensus || !three.Consensus {
		t.Fatalf("two equal ratings: consensus=%v (want false); three: %v (want true)", two.Consensus, three.Consensus)
	}
	// One item judged and in consensus, one too thin: share 1 of 1.
	if s := res.Summary; s.Items != 2 || s.Thin != 1 || *s.ConsensusShare != 1 || *s.MeanRelativeIQR != 0 {
		t.Fatalf("summary %+v share %v", s, *s.ConsensusShare)
	}
}
