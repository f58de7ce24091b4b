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

const workshopColumns = `id, code, title, owner_id, deck_slug, languages, state, round, seq, created_at`

func scanWorkshop(row interface{ Scan(...any) error }) (*workshop.Workshop, error) {
	var w workshop.Workshop
	var langs, state, created string
	if err := row.Scan(&w.ID, &w.Code, &w.Title, &w.OwnerID, &w.DeckSlug, &langs, &state, &w.Round, &w.Seq, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, workshop.Errorf(workshop.ENotFound, "There is no workshop with this code.")
		}
		return nil, err
	}
	json.Unmarshal([]byte(langs), &w.Languages)
	w.State, w.CreatedAt = workshop.State(state), parseTime(created)
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

// SetState moves a workshop to a new state if the rules allow it, and
// returns the workshop as it is after the change.
func (d *DB) SetState(ctx context.Context, code string, to workshop.State) (*workshop.Workshop, error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id int64
	var state string
	var round int
	if err := tx.QueryRow(`SELECT id, state, round FROM workshops WHERE code = ?`, code).Scan(&id, &state, &round); err != nil {
		return nil, mapErrorNotFound(err)
	}
	from := workshop.State(state)
	if !workshop.CanTransition(from, to) {
		return nil, workshop.Errorf(workshop.EConflict, "A workshop that is %s cannot become %s.", from, to)
	}
	if _, err := tx.Exec(`UPDATE workshops SET state = ?, seq = seq + 1, updated_at = ? WHERE id = ?`, string(to), tx.now(), id); err != nil {
		return nil, err
	}
	switch to {
	case workshop.StateOpen:
		_, err = tx.Exec(`UPDATE rounds SET opened_at = coalesce(opened_at, ?), closed_at = NULL WHERE workshop_id = ? AND n = ?`, tx.now(), id, round)
	case workshop.StateClosed, workshop.StateFinished:
		_, err = tx.Exec(`UPDATE rounds SET closed_at = coalesce(closed_at, ?) WHERE workshop_id = ? AND n = ?`, tx.now(), id, round)
	}
	if err != nil {
		return nil, err
	}
	w, err := workshopByCode(tx, code)
	if err != nil {
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
