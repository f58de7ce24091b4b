package store

import (
	"context"
	"database/sql"
	"iter"
	"time"

	"foresight/internal/workshop"
)

// ExportSource is one workshop read for an export in a single read-only
// transaction on the reader pool: a consistent snapshot that voting does
// not change and that never blocks the writer. The workshop and its rounds
// are read at once; the tallies when asked for, and ratings and rationales
// stream, one row at a time, all from the same snapshot while the callback
// of ExportWorkshop runs. After it returns, they fail.
type ExportSource struct {
	Workshop *workshop.Workshop
	Joined   int // active participants: joined and not removed
	Rounds   []ExportRound
	// ReadAt is the time of the snapshot.
	ReadAt time.Time

	ctx     context.Context
	tx      *sql.Tx
	dialect dialect
	tally   *workshop.Tally
}

// ExportRound is when a round opened, closed and was revealed; zero times
// for what has not happened.
type ExportRound struct {
	N          int
	OpenedAt   time.Time
	ClosedAt   time.Time
	RevealedAt time.Time
	Prefilled  bool
}

// ExportRating is one stored rating with its participant's pseudonym and
// expert group (0: none).
type ExportRating struct {
	Round       int
	Participant string
	ScenarioID  int64
	CriterionID int64
	Answer      workshop.Answer
	RatedAt     time.Time
	GroupID     int64
}

// ExportRationale is one stored rationale with its participant's pseudonym
// and expert group (0: none).
type ExportRationale struct {
	ID          int64
	Round       int
	Participant string
	ScenarioID  int64
	Text        string
	Hidden      bool
	Featured    bool
	UpdatedAt   time.Time
	GroupID     int64
}

// ExportWorkshop reads workshop code in one read-only transaction and hands
// it to fn. Everything fn reads through the source, however long it takes,
// comes from the same snapshot.
func (d *DB) ExportWorkshop(ctx context.Context, code string, fn func(*ExportSource) error) error {
	tx, err := d.read(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	src := &ExportSource{ctx: ctx, tx: tx, dialect: d.dialect, ReadAt: d.Now()}
	if src.Workshop, err = workshopByCode(tx, code); err != nil {
		return err
	}
	if src.Joined, err = activeParticipants(ctx, tx, src.Workshop.ID); err != nil {
		return err
	}
	if err := exportRounds(ctx, tx, src); err != nil {
		return err
	}
	return fn(src)
}

func exportRounds(ctx context.Context, tx *sql.Tx, src *ExportSource) error {
	rows, err := tx.QueryContext(ctx, `SELECT n, opened_at, closed_at, revealed_at, prefilled FROM rounds WHERE workshop_id = $1 ORDER BY n`, src.Workshop.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ExportRound
		if err := rows.Scan(&r.N, timeScan{&r.OpenedAt}, timeScan{&r.ClosedAt}, timeScan{&r.RevealedAt}, &r.Prefilled); err != nil {
			return err
		}
		src.Rounds = append(src.Rounds, r)
	}
	return rows.Err()
}

// Tally reads the exact tallies of every round from the export's
// snapshot, with the query the live views start from (readTally). Its
// Rationales stay empty.
func (s *ExportSource) Tally() (workshop.Tally, error) {
	if s.tally == nil {
		t, err := readTally(s.ctx, s.tx, s.dialect, s.Workshop.ID)
		if err != nil {
			return t, err
		}
		s.tally = &t
	}
	return *s.tally, nil
}

// Ratings streams every rating of the workshop, ordered by round,
// participant (in the order they joined), scenario and criterion (in deck
// order).
func (s *ExportSource) Ratings() iter.Seq2[ExportRating, error] {
	return func(yield func(ExportRating, error) bool) {
		rows, err := s.tx.QueryContext(s.ctx, `SELECT r.round, coalesce(p.pseudonym, ''), r.scenario_id, r.criterion_id, r.value, r.rated_at,
				coalesce(p.group_id, 0)
			FROM ratings r
			JOIN participants p ON p.id = r.participant_id
			JOIN scenarios s ON s.id = r.scenario_id
			JOIN criteria c ON c.id = r.criterion_id
			WHERE r.workshop_id = $1
			ORDER BY r.round, r.participant_id, s.position, c.position`, s.Workshop.ID)
		if err != nil {
			yield(ExportRating{}, err)
			return
		}
		defer rows.Close()
		var (
			r     ExportRating
			value sql.NullInt64
		)
		for rows.Next() {
			if err := rows.Scan(&r.Round, &r.Participant, &r.ScenarioID, &r.CriterionID, &value, timeScan{&r.RatedAt}, &r.GroupID); err != nil {
				yield(ExportRating{}, err)
				return
			}
			r.Answer = workshop.Answer{Value: int(value.Int64), DontKnow: !value.Valid}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(ExportRating{}, err)
		}
	}
}

// Rationales streams every rationale of the workshop, hidden ones too,
// ordered by round, scenario (in deck order) and participant.
func (s *ExportSource) Rationales() iter.Seq2[ExportRationale, error] {
	return func(yield func(ExportRationale, error) bool) {
		rows, err := s.tx.QueryContext(s.ctx, `SELECT r.id, r.round, coalesce(p.pseudonym, ''), r.scenario_id, r.text, r.hidden, r.featured, r.updated_at,
				coalesce(p.group_id, 0)
			FROM rationales r
			JOIN participants p ON p.id = r.participant_id
			JOIN scenarios s ON s.id = r.scenario_id
			WHERE r.workshop_id = $1
			ORDER BY r.round, s.position, r.participant_id, r.id`, s.Workshop.ID)
		if err != nil {
			yield(ExportRationale{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r ExportRationale
			if err := rows.Scan(&r.ID, &r.Round, &r.Participant, &r.ScenarioID, &r.Text, &r.Hidden, &r.Featured, timeScan{&r.UpdatedAt}, &r.GroupID); err != nil {
				yield(ExportRationale{}, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(ExportRationale{}, err)
		}
	}
}
