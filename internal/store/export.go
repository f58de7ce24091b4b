package store

import (
	"context"
	"database/sql"

	"foresight/internal/workshop"
)

// ExportWorkshop reads workshop code for an export in one read-only
// transaction on the reader pool, a consistent snapshot that voting does
// not change and that never blocks the writer, and hands it to fn. The
// workshop and its rounds are read at once; the tallies when asked for,
// and ratings and rationales stream, one row at a time. Everything fn
// reads through the record, however long it takes, comes from the same
// snapshot; after fn returns, its Tally, Ratings and Rationales fail.
func (d *DB) ExportWorkshop(ctx context.Context, code string, fn func(*workshop.Record) error) error {
	tx, err := d.read(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rec := &workshop.Record{ReadAt: d.Now()}
	if rec.Workshop, err = workshopByCode(tx, code); err != nil {
		return err
	}
	if rec.Joined, err = activeParticipants(ctx, tx, rec.Workshop.ID); err != nil {
		return err
	}
	if rec.Rounds, err = exportRounds(ctx, tx, rec.Workshop.ID); err != nil {
		return err
	}
	if rec.Ideas, err = readIdeas(tx, rec.Workshop.ID); err != nil {
		return err
	}
	x := exportTx{ctx: ctx, tx: tx, dialect: d.dialect, workshopID: rec.Workshop.ID}
	rec.Tally = x.tallyOnce()
	rec.Ratings = x.ratings
	rec.Rationales = x.rationales
	rec.Judgements = func() ([]workshop.StoredJudgement, error) {
		return readJudgements(ctx, tx, rec.Workshop.ID, 0, 0)
	}
	return fn(rec)
}

// exportTx reads one workshop's tallies, ratings and rationales from the
// transaction of its export.
type exportTx struct {
	ctx        context.Context
	tx         *sql.Tx
	dialect    dialect
	workshopID int64
}

func exportRounds(ctx context.Context, tx *sql.Tx, workshopID int64) ([]workshop.RoundTimes, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n, opened_at, closed_at, revealed_at, prefilled FROM rounds WHERE workshop_id = $1 ORDER BY n`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.RoundTimes
	for rows.Next() {
		var r workshop.RoundTimes
		if err := rows.Scan(&r.N, timeScan{&r.OpenedAt}, timeScan{&r.ClosedAt}, timeScan{&r.RevealedAt}, &r.Prefilled); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// tallyOnce reads the exact tallies of every round from the export's
// snapshot, with the query the live views start from (readTally), the
// first time it is called. Their Rationales stay empty.
func (x exportTx) tallyOnce() func() (workshop.Tally, error) {
	var tally *workshop.Tally
	return func() (workshop.Tally, error) {
		if tally == nil {
			t, err := readTally(x.ctx, x.tx, x.dialect, x.workshopID)
			if err != nil {
				return t, err
			}
			tally = &t
		}
		return *tally, nil
	}
}

// ratings streams every rating of the workshop, ordered by round,
// participant (in the order they joined), scenario and criterion (in deck
// order).
func (x exportTx) ratings(yield func(workshop.StoredRating, error) bool) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT r.round, coalesce(p.pseudonym, ''), r.scenario_id, r.criterion_id, r.value, r.rated_at,
			coalesce(p.group_id, 0)
		FROM ratings r
		JOIN participants p ON p.id = r.participant_id
		JOIN scenarios s ON s.id = r.scenario_id
		JOIN criteria c ON c.id = r.criterion_id
		WHERE r.workshop_id = $1
		ORDER BY r.round, r.participant_id, s.position, c.position`, x.workshopID)
	if err != nil {
		yield(workshop.StoredRating{}, err)
		return
	}
	defer rows.Close()
	var (
		r     workshop.StoredRating
		value sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&r.Round, &r.Pseudonym, &r.ScenarioID, &r.CriterionID, &value, timeScan{&r.RatedAt}, &r.GroupID); err != nil {
			yield(workshop.StoredRating{}, err)
			return
		}
		r.Answer = workshop.Answer{Value: int(value.Int64), DontKnow: !value.Valid}
		if !yield(r, nil) {
			return
		}
	}
	if err := rows.Err(); err != nil {
		yield(workshop.StoredRating{}, err)
	}
}

// rationales streams every rationale of the workshop, hidden ones too,
// ordered by round, scenario (in deck order) and participant. Display
// names stay out: an export calls people by their pseudonyms.
func (x exportTx) rationales(yield func(workshop.Rationale, error) bool) {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT r.id, r.round, r.participant_id, coalesce(p.pseudonym, ''), r.scenario_id, r.text, r.hidden, r.featured, r.updated_at,
			coalesce(p.group_id, 0)
		FROM rationales r
		JOIN participants p ON p.id = r.participant_id
		JOIN scenarios s ON s.id = r.scenario_id
		WHERE r.workshop_id = $1
		ORDER BY r.round, s.position, r.participant_id, r.id`, x.workshopID)
	if err != nil {
		yield(workshop.Rationale{}, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var r workshop.Rationale
		if err := rows.Scan(&r.ID, &r.Round, &r.ParticipantID, &r.Pseudonym, &r.ScenarioID, &r.Text, &r.Hidden, &r.Featured, timeScan{&r.UpdatedAt}, &r.GroupID); err != nil {
			yield(workshop.Rationale{}, err)
			return
		}
		if !yield(r, nil) {
			return
		}
	}
	if err := rows.Err(); err != nil {
		yield(workshop.Rationale{}, err)
	}
}
