package workshop

// Tally is a workshop's ratings aggregated in one snapshot of the store:
// what every count in memory is built from (Counts).
type Tally struct {
	Seq    int64
	Joined int // active participants: joined and not removed
	// JoinedByGroup counts the active participants of each group; nil
	// when the workshop has no groups.
	JoinedByGroup map[int64]int
	Counts        []TallyRow  // per round, item and group, the number of ratings per answer
	Rated         []RatedRow  // per round and participant, how many items they rated
	Rationales    []Rationale // every rationale, all rounds (the live views read them)
	Ideas         []Idea      // every idea of the room, with its votes
}

// TallyRow is the count of one answer of one item in one round, among the
// participants of one group (0: those of none).
type TallyRow struct {
	Round       int
	ScenarioID  int64
	CriterionID int64
	GroupID     int64
	Answer      Answer
	Count       int64
}

// RatedRow is how many items one participant (of group GroupID) rated in
// one round.
type RatedRow struct {
	Round         int
	ParticipantID int64
	GroupID       int64
	Items         int
}

// Counts is the read model of a workshop's ratings: the exact histogram of
// every item in every round, and who rated how many items in each round,
// for the whole room and for each of its groups. Every statistic derives
// from it: it is built from a Tally (for the live views at their first
// use, for an export from the export's snapshot), kept current with Apply,
// and turned into Results by one function, so the live results, the API
// and the exports cannot disagree.
//
// A Counts is not safe for concurrent use; Copy takes a snapshot to read
// while the original goes on changing.
type Counts struct {
	criteria []Criterion // the workshop's, to size new histograms; never mutated
	// rounds holds per round the counts of everyone (group 0) and of each
	// group's participants; a workshop without groups has group 0 only.
	rounds map[int]map[int64]*roundCounts
}

type roundCounts struct {
	items  map[ItemKey]*Histogram
	raters map[int64]int // participant -> items rated; nil in a copy
	rated  int           // in a copy: the number of raters
}

// everyone is the key of the room's counts among the groups' counts.
const everyone = 0

// NewCounts builds the counts of workshop w from tally t.
func NewCounts(w *Workshop, t Tally) *Counts {
	c := &Counts{criteria: w.Criteria, rounds: map[int]map[int64]*roundCounts{}}
	for _, row := range t.Counts {
		k := ItemKey{row.ScenarioID, row.CriterionID}
		for _, g := range c.sets(row.GroupID) {
			if h := c.hist(row.Round, g, k); h != nil {
				h.Add(row.Answer, row.Count)
			}
		}
	}
	for _, row := range t.Rated {
		if row.Items > 0 {
			for _, g := range c.sets(row.GroupID) {
				c.round(row.Round, g).raters[row.ParticipantID] += row.Items
			}
		}
	}
	return c
}

// sets are the counts a rating of a participant of group g goes into:
// everyone's, and the group's.
func (c *Counts) sets(g int64) []int64 {
	if g == everyone {
		return []int64{everyone}
	}
	return []int64{everyone, g}
}

func (c *Counts) round(n int, g int64) *roundCounts {
	groups := c.rounds[n]
	if groups == nil {
		groups = map[int64]*roundCounts{}
		c.rounds[n] = groups
	}
	rc := groups[g]
	if rc == nil {
		rc = &roundCounts{items: map[ItemKey]*Histogram{}, raters: map[int64]int{}}
		groups[g] = rc
	}
	return rc
}

// hist returns the histogram of one item of round n among group g,
// creating it; nil for a criterion the workshop does not have.
func (c *Counts) hist(n int, g int64, k ItemKey) *Histogram {
	rc := c.round(n, g)
	if h := rc.items[k]; h != nil {
		return h
	}
	for _, cr := range c.criteria {
		if cr.ID == k.CriterionID {
			h := NewHistogram(cr)
			rc.items[k] = &h
			return &h
		}
	}
	return nil
}

// Apply counts a committed rating change: -1 for the old answer, +1 for
// the new, for the room and for the rater's group.
func (c *Counts) Apply(ch RatingChanged) {
	k := ItemKey{ch.ScenarioID, ch.CriterionID}
	for _, g := range c.sets(ch.GroupID) {
		h := c.hist(ch.Round, g, k)
		if h == nil {
			return
		}
		raters := c.round(ch.Round, g).raters
		if ch.Old != nil {
			h.Add(*ch.Old, -1)
			if raters[ch.ParticipantID]--; raters[ch.ParticipantID] <= 0 {
				delete(raters, ch.ParticipantID)
			}
		}
		if ch.New != nil {
			h.Add(*ch.New, 1)
			raters[ch.ParticipantID]++
		}
	}
}

// Copy returns a snapshot of the counts. It keeps how many participants
// rated in each round but not who: copying them would make every snapshot
// as large as the room.
func (c *Counts) Copy() *Counts {
	cp := &Counts{criteria: c.criteria, rounds: make(map[int]map[int64]*roundCounts, len(c.rounds))}
	for n, groups := range c.rounds {
		gcp := make(map[int64]*roundCounts, len(groups))
		for g, rc := range groups {
			rcp := &roundCounts{items: make(map[ItemKey]*Histogram, len(rc.items)), rated: rc.ratedCount()}
			for k, h := range rc.items {
				hc := *h
				hc.Counts = append([]int64(nil), h.Counts...)
				rcp.items[k] = &hc
			}
			gcp[g] = rcp
		}
		cp.rounds[n] = gcp
	}
	return cp
}

// ratedCount is the number of participants who rated in the round.
func (rc *roundCounts) ratedCount() int {
	if rc.raters == nil {
		return rc.rated
	}
	return len(rc.raters)
}

// Results computes the results of round n of workshop w: every item in
// deck order with all its scale points, its statistics and consensus
// measures, its change since round n-1, each group's position on it (when
// the workshop has groups), and the round's summary. seq is the change
// counter the counts reflect; joined the workshop's active participants.
// The results share memory with the counts: call it on a Copy of counts
// that go on changing.
func (c *Counts) Results(w *Workshop, n int, seq int64, joined int) Results {
	return c.ResultsOf(w, n, seq, joined, everyone)
}

// ResultsOf is Results over the participants of group g alone (0: all of
// them); joined is then the group's active participants.
func (c *Counts) ResultsOf(w *Workshop, n int, seq int64, joined int, g int64) Results {
	res := c.roundResults(w, n, seq, joined, g)
	if n > 1 {
		prev := c.roundResults(w, n-1, seq, joined, g)
		prev.Summarise(nil)
		res.Summarise(&prev)
	} else {
		res.Summarise(nil)
	}
	return res
}

// roundResults assembles round n's items among group g, one per scenario
// × criterion in the workshop's order; an item nobody rated gets an empty
// histogram. A scenario from the room is in the rounds from its first
// (Scenario.InRound).
func (c *Counts) roundResults(w *Workshop, n int, seq int64, joined int, g int64) Results {
	groups := c.rounds[n]
	rc := groups[g]
	res := Results{Round: n, Seq: seq, Joined: joined, Group: g, Items: make([]ItemResult, 0, len(w.Scenarios)*len(w.Criteria)),
		index: make(map[ItemKey]int, len(w.Scenarios)*len(w.Criteria))}
	if rc != nil {
		res.Rated = rc.ratedCount()
	}
	histOf := func(rc *roundCounts, k ItemKey, cr Criterion) Histogram {
		if rc != nil && rc.items[k] != nil {
			return *rc.items[k]
		}
		return NewHistogram(cr)
	}
	for _, sc := range w.ScenariosIn(n) {
		for _, cr := range w.Criteria {
			k := ItemKey{sc.ID, cr.ID}
			it := NewItemResult(sc.ID, cr, histOf(rc, k, cr))
			if len(w.Groups) > 0 {
				it.Groups = make([]GroupStat, 0, len(w.Groups))
				for _, grp := range w.Groups {
					h := histOf(groups[grp.ID], k, cr)
					st := h.Stats()
					it.Groups = append(it.Groups, GroupStat{GroupID: grp.ID, N: st.N, Median: st.Median, Q1: st.Q1, Q3: st.Q3})
				}
				it.GroupsDisagree = groupsDisagree(it.Groups, cr.Min, cr.Max)
				it.Consensus = it.Consensus && !it.GroupsDisagree // Verdict's precedence
			}
			res.index[k] = len(res.Items)
			res.Items = append(res.Items, it)
		}
	}
	return res
}
