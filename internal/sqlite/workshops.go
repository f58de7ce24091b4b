package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"foresight/internal/workshop"
)

// scenarioBody and criterionBody are the JSON columns of a deck snapshot.
type scenarioBody struct {
	Title     workshop.Text   `json:"title"`
	Narrative workshop.Text   `json:"narrative"`
	Source    workshop.Text   `json:"source,omitempty"`
	Signposts []workshop.Text `json:"signposts,omitempty"`
}

type criterionBody struct {
	Name     workshop.Text    `json:"name"`
	Question workshop.Text    `json:"question,omitempty"`
	Labels   []workshop.Label `json:"labels"`
}

// CreateWorkshop creates a workshop from a snapshot of deck, owned by owner,
// with a fresh join code. With open set, round 1 opens at once; otherwise the
// workshop waits in the lobby.
func (d *DB) CreateWorkshop(ctx context.Context, owner workshop.User, deck workshop.Deck, title string, open bool) (*workshop.Workshop, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = deck.Title.In(workshop.DefaultLanguage)
	}
	if err := workshop.CheckText(title, workshop.MaxTitleRunes); err != nil || strings.ContainsAny(title, "\r\n") {
		return nil, workshop.FieldError("title", "Use a title of at most %d characters on one line, without control characters.", workshop.MaxTitleRunes)
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	state := workshop.StateLobby
	if open {
		state = workshop.StateOpen
	}
	langs, _ := json.Marshal(deck.Languages)
	var id int64
	var code string
	for range 10 { // a clash of random codes is rare; try again with a new one
		code = workshop.NewCode()
		err = tx.QueryRow(`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			code, title, owner.ID, deck.Slug, string(langs), string(state), tx.now(), tx.now()).Scan(&id)
		if !isUniqueViolation(err, "code") {
			break
		}
	}
	if err != nil {
		return nil, mapError(err)
	}
	for i, s := range deck.Scenarios {
		body, _ := json.Marshal(scenarioBody{s.Title, s.Narrative, s.Source, s.Signposts})
		if _, err := tx.Exec(`INSERT INTO scenarios (workshop_id, position, key, body) VALUES (?, ?, ?, ?)`, id, i+1, s.Key, string(body)); err != nil {
			return nil, mapError(err)
		}
	}
	for i, c := range deck.Criteria {
		body, _ := json.Marshal(criterionBody{c.Name, c.Question, c.Labels})
		if _, err := tx.Exec(`INSERT INTO criteria (workshop_id, position, key, kind, min, max, step, dont_know, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, c.Key, c.Kind, c.Min, c.Max, c.Step, c.DontKnow, string(body)); err != nil {
			return nil, mapError(err)
		}
	}
	opened := sql.NullString{String: tx.now(), Valid: open}
	if _, err := tx.Exec(`INSERT INTO rounds (workshop_id, n, opened_at) VALUES (?, 1, ?)`, id, opened); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return d.WorkshopByCode(ctx, code)
}

// WorkshopByCode returns a workshop with its scenarios and criteria.
func (d *DB) WorkshopByCode(ctx context.Context, code string) (*workshop.Workshop, error) {
	tx, err := d.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return workshopByCode(tx, code)
}

type querier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

const workshopColumns = `id, code, title, owner_id, deck_slug, languages, state, round, seq, visibility, pacing, coalesce(focus_scenario_id, 0), created_at`

func scanWorkshop(row interface{ Scan(...any) error }) (*workshop.Workshop, error) {
	var w workshop.Workshop
	var langs, state, visibility, pacing, created string
	if err := row.Scan(&w.ID, &w.Code, &w.Title, &w.OwnerID, &w.DeckSlug, &langs, &state, &w.Round, &w.Seq, &visibility, &pacing, &w.Focus, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, workshop.Errorf(workshop.ENotFound, "There is no workshop with this code.")
		}
		return nil, err
	}
	json.Unmarshal([]byte(langs), &w.Languages)
	w.State, w.CreatedAt = workshop.State(state), parseTime(created)
	w.Visibility, w.Pacing = workshop.Visibility(visibility), workshop.Pacing(pacing)
	return &w, nil
}

func workshopByCode(q querier, code string) (*workshop.Workshop, error) {
	w, err := scanWorkshop(q.QueryRow(`SELECT `+workshopColumns+` FROM workshops WHERE code = ?`, code))
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(`SELECT id, key, body FROM scenarios WHERE workshop_id = ? ORDER BY position`, w.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s workshop.Scenario
		var body string
		var b scenarioBody
		if err := rows.Scan(&s.ID, &s.Key, &body); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			rows.Close()
			return nil, err
		}
		s.Title, s.Narrative, s.Source, s.Signposts = b.Title, b.Narrative, b.Source, b.Signposts
		w.Scenarios = append(w.Scenarios, s)
	}
	rows.Close()
	rows, err = q.Query(`SELECT id, key, kind, min, max, step, dont_know, body FROM criteria WHERE workshop_id = ? ORDER BY position`, w.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c workshop.Criterion
		var body string
		var b criterionBody
		if err := rows.Scan(&c.ID, &c.Key, &c.Kind, &c.Min, &c.Max, &c.Step, &c.DontKnow, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, err
		}
		c.Name, c.Question, c.Labels = b.Name, b.Question, b.Labels
		w.Criteria = append(w.Criteria, c)
	}
	return w, rows.Err()
}

// WorkshopsFor lists the workshops a user may manage, newest first: their
// own, or every workshop for an organiser.
func (d *DB) WorkshopsFor(ctx context.Context, u workshop.User) ([]*workshop.Workshop, error) {
	q := `SELECT ` + workshopColumns + ` FROM workshops WHERE owner_id = ? OR ? ORDER BY created_at DESC, id DESC`
	rows, err := d.reader.QueryContext(ctx, q, u.ID, u.Role == workshop.RoleOrganiser)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ws []*workshop.Workshop
	for rows.Next() {
		w, err := scanWorkshop(rows)
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	return ws, rows.Err()
}

// Step applies a facilitator's action (open the next round, close, reopen,
// reveal, finish) if the workshop's state allows it, and returns the
// workshop as it is afterwards. round, when not 0, must be the current
// round. With prefill, a new round starts with each participant's ratings
// of the previous round.
func (d *DB) Step(ctx context.Context, code string, a workshop.Action, round int, prefill bool) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop) error {
		cur := w.Round
		if round != 0 && round != cur {
			return workshop.Errorf(workshop.EConflict, "Round %d is not the current round (%d).", round, cur)
		}
		to, next, err := workshop.Step(w.State, cur, a)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE workshops SET state = ?, round = ? WHERE id = ?`, string(to), next, w.ID); err != nil {
			return err
		}
		switch {
		case a == workshop.ActNextRound && next == cur: // round 1 from the lobby
			_, err = tx.Exec(`UPDATE rounds SET opened_at = ? WHERE workshop_id = ? AND n = ?`, tx.now(), w.ID, next)
		case a == workshop.ActNextRound:
			if _, err = tx.Exec(`INSERT INTO rounds (workshop_id, n, opened_at, prefilled) VALUES (?, ?, ?, ?)`, w.ID, next, tx.now(), prefill); err == nil && prefill {
				_, err = tx.Exec(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
					SELECT workshop_id, ?, participant_id, scenario_id, criterion_id, value, ? FROM ratings WHERE workshop_id = ? AND round = ?`,
					next, tx.now(), w.ID, cur)
			}
		case a == workshop.ActReopen:
			_, err = tx.Exec(`UPDATE rounds SET closed_at = NULL WHERE workshop_id = ? AND n = ?`, w.ID, cur)
		case a == workshop.ActClose, a == workshop.ActFinish:
			_, err = tx.Exec(`UPDATE rounds SET closed_at = coalesce(closed_at, ?) WHERE workshop_id = ? AND n = ?`, tx.now(), w.ID, cur)
		case a == workshop.ActReveal:
			_, err = tx.Exec(`UPDATE rounds SET revealed_at = ? WHERE workshop_id = ? AND n = ?`, tx.now(), w.ID, cur)
		}
		return err
	})
}

// UpdateSettings changes how participants see results and how the
// workshop is paced.
func (d *DB) UpdateSettings(ctx context.Context, code string, v workshop.Visibility, p workshop.Pacing) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop) error {
		_, err := tx.Exec(`UPDATE workshops SET visibility = ?, pacing = ? WHERE id = ?`, string(v), string(p), w.ID)
		return err
	})
}

// SetFocus puts one scenario in focus for one-at-a-time pacing.
func (d *DB) SetFocus(ctx context.Context, code string, scenarioID int64) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop) error {
		if _, ok := w.Scenario(scenarioID); !ok {
			return &workshop.Error{Code: workshop.ENotFound, Field: "scenario_id", Message: "This workshop has no such scenario."}
		}
		_, err := tx.Exec(`UPDATE workshops SET focus_scenario_id = ? WHERE id = ?`, scenarioID, w.ID)
		return err
	})
}

// changeWorkshop runs change on a workshop in one write transaction, counts
// it in the workshop's seq, and returns the workshop as it is afterwards.
func (d *DB) changeWorkshop(ctx context.Context, code string, change func(*Tx, *workshop.Workshop) error) (*workshop.Workshop, error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, err
	}
	if err := change(tx, w); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`UPDATE workshops SET seq = seq + 1, updated_at = ? WHERE id = ?`, tx.now(), w.ID); err != nil {
		return nil, err
	}
	if w, err = workshopByCode(tx, code); err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

func mapErrorNotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "There is no workshop with this code.")
	}
	return err
}
