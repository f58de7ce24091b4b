package workshop

import (
	"iter"
	"time"
)

// Record is everything stored of one workshop, read at one moment: what
// the store hands an export. The store reads it in one consistent snapshot;
// Tally, Ratings and Rationales read from that same snapshot, and only
// while it lasts (the store says how long). Ratings and Rationales may be
// ranged over more than once.
type Record struct {
	Workshop *Workshop
	Joined   int          // active participants: joined and not removed
	Rounds   []RoundTimes // 1 .. Workshop.Round, in order
	// ReadAt is the moment of the snapshot.
	ReadAt time.Time
	// Tally reads the exact histograms (Counts) and raters (Rated) of
	// every round. Its Rationales stay empty. Nil: no ratings.
	Tally func() (Tally, error)
	// Ratings streams every rating, by round, participant (in the order
	// they joined), scenario and criterion (in deck order). Nil: none.
	Ratings iter.Seq2[StoredRating, error]
	// Rationales streams every rationale, hidden ones too, by round,
	// scenario (in deck order) and participant. Each has its writer's
	// Pseudonym and GroupID, never a DisplayName. Nil: none.
	Rationales iter.Seq2[Rationale, error]
	// Judgements reads every cross-impact judgement, by round,
	// participant and cell. Nil: none.
	Judgements func() ([]StoredJudgement, error)
	// Ideas are the room's ideas with their votes, hidden and merged ones
	// too, oldest first; each has its author's pseudonym ("" for none).
	Ideas []Idea
}

// RoundTimes is when a round opened, closed and was revealed; zero times
// for what has not happened yet.
type RoundTimes struct {
	N          int
	OpenedAt   time.Time
	ClosedAt   time.Time
	RevealedAt time.Time
	Prefilled  bool // started with each participant's previous ratings
}

// StoredRating is one stored rating with its participant's pseudonym and
// expert group.
type StoredRating struct {
	Round       int
	Pseudonym   string // the participant's, stable within the workshop
	ScenarioID  int64
	CriterionID int64
	Answer      Answer
	RatedAt     time.Time
	GroupID     int64 // the participant's expert group; 0 for none
}
