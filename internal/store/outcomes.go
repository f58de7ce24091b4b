package store

import (
	"context"
	"database/sql"
	"errors"

	"foresight/internal/workshop"
)

// readOutcomes reads the recorded outcomes of a workshop, in deck order.
func readOutcomes(q querier, workshopID int64) ([]workshop.Outcome, error) {
	rows, err := q.Query(`SELECT o.scenario_id, o.occurred, coalesce(o.known_on, ''), o.note, o.updated_at FROM outcomes o
		JOIN scenarios s ON s.id = o.scenario_id WHERE o.workshop_id = $1 ORDER BY s.position`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Outcome
	for rows.Next() {
		var o workshop.Outcome
		var occurred sql.NullBool
		if err := rows.Scan(&o.ScenarioID, &occurred, &o.KnownOn, &o.Note, timeScan{&o.UpdatedAt}); err != nil {
			return nil, err
		}
		if occurred.Valid {
			o.Occurred = &occurred.Bool
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetOutcome records what became of one scenario of a finished workshop,
// or changes what was recorded; the workshop's log says who did it. A
// change that changes nothing is not logged.
func (d *DB) SetOutcome(ctx context.Context, code string, by workshop.User, o workshop.Outcome) (*workshop.Workshop, error) {
	o, err := workshop.CleanOutcome(o, d.Now())
	if err != nil {
		return nil, err
	}
	unchanged := false
	w, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		if w.State != workshop.StateFinished {
			return workshop.Errorf(workshop.EConflict, "error.outcomes_recorded_once_workshop")
		}
		number := 0
		for i, s := range w.Scenarios {
			if s.ID == o.ScenarioID {
				number = i + 1
			}
		}
		if number == 0 {
			return workshop.FieldErrorf(workshop.ENotFound, "scenario_id", "error.workshop_no_such_scenario")
		}
		before := w.OutcomeOf(o.ScenarioID)
		if sameOutcome(before, o) {
			unchanged = true
			return errUnchanged
		}
		occurred := sql.NullBool{}
		if o.Occurred != nil {
			occurred = sql.NullBool{Bool: *o.Occurred, Valid: true}
		}
		knownOn := sql.NullString{String: o.KnownOn, Valid: o.KnownOn != ""}
		if _, err := tx.Exec(`INSERT INTO outcomes (workshop_id, scenario_id, occurred, known_on, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (workshop_id, scenario_id) DO UPDATE SET occurred = excluded.occurred, known_on = excluded.known_on,
				note = excluded.note, updated_at = excluded.updated_at`,
			w.ID, o.ScenarioID, occurred, knownOn, o.Note, tx.now()); err != nil {
			return mapError(err)
		}
		word := workshop.LogNotKnown
		switch {
		case o.Occurred != nil && *o.Occurred:
			word = workshop.LogOccurred
		case o.Occurred != nil:
			word = workshop.LogNotOccurred
		}
		return logAction(tx, w.ID, by, workshop.LogOutcomeRecorded, workshop.LogFields{Scenario: number, Outcome: word})
	})
	if unchanged {
		return d.WorkshopByCode(ctx, code)
	}
	return w, err
}

// errUnchanged rolls back a change that would change nothing.
var errUnchanged = errors.New("store: nothing to change")

func sameOutcome(a, b workshop.Outcome) bool {
	sameOccurred := (a.Occurred == nil) == (b.Occurred == nil) && (a.Occurred == nil || *a.Occurred == *b.Occurred)
	return sameOccurred && a.KnownOn == b.KnownOn && a.Note == b.Note
}

// Estimates reads every numeric rating of criterion criterionID of
// workshop code with its participant's pseudonym, and the workshop as the
// same snapshot holds it (outcomes included): what ScoreWorkshop scores.
func (d *DB) Estimates(ctx context.Context, code string, criterionID int64) (*workshop.Workshop, []workshop.Estimate, error) {
	tx, err := d.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.pseudonym, r.round, r.scenario_id, r.value FROM ratings r JOIN participants p ON p.id = r.participant_id
		WHERE r.workshop_id = $1 AND r.criterion_id = $2 AND r.value IS NOT NULL ORDER BY r.round, r.participant_id, r.scenario_id`, w.ID, criterionID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []workshop.Estimate
	for rows.Next() {
		var e workshop.Estimate
		if err := rows.Scan(&e.Participant, &e.Round, &e.ScenarioID, &e.Value); err != nil {
			return nil, nil, err
		}
		out = append(out, e)
	}
	return w, out, rows.Err()
}

// Scores scores the estimates of a percent criterion of a finished
// workshop against its outcomes (workshop.ScoreWorkshop): 409 while the
// workshop is not finished, 422 for a criterion that is not a percentage.
func (d *DB) Scores(ctx context.Context, code string, criterionID int64) (*workshop.Workshop, workshop.Scores, error) {
	w, es, err := d.Estimates(ctx, code, criterionID)
	if err != nil {
		return nil, workshop.Scores{}, err
	}
	c, ok := w.Criterion(criterionID)
	switch {
	case !ok:
		return w, workshop.Scores{}, workshop.FieldErrorf(workshop.ENotFound, "criterion_id", "error.workshop_no_such_criterion")
	case c.Kind != workshop.KindPercent:
		return w, workshop.Scores{}, workshop.FieldError("criterion_id", "error.only_percent_criterion_probability")
	case w.State != workshop.StateFinished:
		return w, workshop.Scores{}, workshop.Errorf(workshop.EConflict, "error.scores_kept_once_workshop")
	}
	return w, workshop.ScoreWorkshop(w, c, w.Outcomes, es), nil
}

// EstimatesOf reads a participant's numeric ratings of every round, by
// criterion: what their own scores are computed from.
func (d *DB) EstimatesOf(ctx context.Context, p workshop.Participant) (map[int64][]workshop.Estimate, error) {
	rows, err := d.reader.QueryContext(ctx, `SELECT criterion_id, round, scenario_id, value FROM ratings
		WHERE participant_id = $1 AND value IS NOT NULL ORDER BY round, scenario_id`, p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]workshop.Estimate{}
	for rows.Next() {
		var c int64
		e := workshop.Estimate{Participant: p.Pseudonym}
		if err := rows.Scan(&c, &e.Round, &e.ScenarioID, &e.Value); err != nil {
			return nil, err
		}
		out[c] = append(out[c], e)
	}
	return out, rows.Err()
}
