package workshop

// Tally is a workshop's ratings aggregated in one snapshot of the store:
// what every count in memory is built from (Counts).
type Tally struct {
	Seq        int64
	Joined     int         // active participants: joined and not removed
	Counts     []TallyRow  // per round and item, the number of ratings per answer
	Rated      []RatedRow  // per round and participant, how many items they rated
	Rationales []Rationale // every rationale, all rounds (the live views read them)
}

// TallyRow is the count of one answer of one item in one round.
type TallyRow struct {
	Round       int
	ScenarioID  int64
	CriterionID int64
	Answer      Answer
	Count       int64
}

// RatedRow is how many items one participant rated in one round.
type RatedRow struct {
	Round         int
	ParticipantID int64
	Items         int
}

// Counts is the read model of a workshop's ratings: the exact histogram of
// every item in every round, and who rated how many items in each round.
// Every statistic derives from it: it is built from a Tally (for the live
// views at their first use, for an export from the export's snapshot), kept
// current with Apply, and turned into Results by one function, so the live
// results, the API and the exports cannot disagree.
//
// A Counts is not safe for concurrent use; Copy takes a snapshot to read
// while the original goes on changing.
type Counts struct {
	criteria []Criterion // the workshop's, to size new histograms; never mutated
	rounds   map[int]*roundCounts
}

type roundCounts struct {
	items  map[ItemKey]*Histogram
	raters map[int64]int // participant -> items rated; nil in a copy
	rated  int           // in a copy: the number of raters
}

// NewCounts builds the counts of workshop w from tally t.
func NewCounts(w *Workshop, t Tally) *Counts {
	c := &Counts{criteria: w.Criteria, rounds: map[int]*roundCounts{}}
	for _, row := range t.Counts {
		if h := c.hist(row.Round, ItemKey{row.ScenarioID, row.CriterionID}); h != nil {
			h.Add(row.Answer, row.Count)
		}
	}
	for _, row := range t.Rated {
		if row.Items > 0 {
			c.round(row.Round).raters[row.ParticipantID] = row.Items
		}
	}
	return c
}

func (c *Counts) round(n int) *roundCounts {
	rc := c.rounds[n]
	if rc == nil {
		rc = &roundCounts{items: map[ItemKey]*Histogram{}, raters: map[int64]int{}}
		c.rounds[n] = rc
	}
	return rc
}

// hist returns the histogram of one item of round n, creating it; nil for
// a criterion the workshop does not have.
func (c *Counts) hist(n int, k ItemKey) *Histogram {
	rc := c.round(n)
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
// the new.
func (c *Counts) Apply(ch RatingChanged) {
	h := c.hist(ch.Round, ItemKey{ch.ScenarioID, ch.CriterionID})
	if h == nil {
		return
	}
	raters := c.round(ch.Round).raters
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

// Copy returns a snapshot of the counts. It keeps how many participants
// rated in each round but not who: copying them would make every snapshot
// as large as the room.
func (c *Counts) Copy() *Counts {
	cp := &Counts{criteria: c.criteria, rounds: make(map[int]*roundCounts, len(c.rounds))}
	for n, rc := range c.rounds {
		rcp := &roundCounts{items: make(map[ItemKey]*Histogram, len(rc.items)), rated: rc.ratedCount()}
		for k, h := range rc.items {
			hc := *h
			hc.Counts = append([]int64(nil), h.Counts...)
			rcp.items[k] = &hc
		}
		cp.rounds[n] = rcp
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
// measures, its change since round n-1, and the round's summary. seq is
// the change counter the counts reflect; joined the workshop's active
// participants.
func (c *Counts) Results(w *Workshop, n int, seq int64, joined int) Results {
	res := c.roundResults(w, n, seq, joined)
	if n > 1 {
		prev := c.roundResults(w, n-1, seq, joined)
		prev.Summarise(nil)
		res.Summarise(&prev)
	} else {
		res.Summarise(nil)
	}
	return res
}

// roundResults assembles round n's items, one per scenario × criterion in
// the workshop's order; an item nobody rated gets an empty histogram.
func (c *Counts) roundResults(w *Workshop, n int, seq int64, joined int) Results {
	rc := c.rounds[n]
	res := Results{Round: n, Seq: seq, Joined: joined, Items: make([]ItemResult, 0, len(w.Scenarios)*len(w.Criteria)),
		index: make(map[ItemKey]int, len(w.Scenarios)*len(w.Criteria))}
	if rc != nil {
		res.Rated = rc.ratedCount()
	}
	for _, sc := range w.Scenarios {
		for _, cr := range w.Criteria {
			k := ItemKey{sc.ID, cr.ID}
			var h Histogram
			if rc != nil && rc.items[k] != nil {
				h = *rc.items[k]
			} else {
				h = NewHistogram(cr)
			}
			res.index[k] = len(res.Items)
			res.Items = append(res.Items, NewItemResult(sc.ID, cr, h))
		}
	}
	return res
}
