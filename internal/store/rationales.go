package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"foresight/internal/workshop"
)

// SaveRationale stores a participant's reason for their ratings of one
// scenario in the current round; empty text removes it. Voting must be open.
func (d *DB) SaveRationale(ctx context.Context, p workshop.Participant, scenarioID int64, text string) (workshop.ReasonChanged, error) {
	ch := workshop.ReasonChanged{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID}}
	text = strings.TrimSpace(workshop.CleanText(text))
	if err := workshop.CheckText(text, workshop.MaxRationaleRunes); err != nil {
		return ch, workshop.FieldError("text", "error.reason", err)
	}
	tx, err := d.beginWorkshops(ctx, p.WorkshopID)
	if err != nil {
		return ch, err
	}
	defer tx.Rollback()
	var state, pacing, kind string
	var round int
	var seq, focus int64
	if err := tx.QueryRow(qItemState, p.WorkshopID).Scan(&state, &round, &seq, &pacing, &focus, &kind); err != nil {
		return ch, mapErrorNotFound(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM scenarios WHERE id = $1 AND workshop_id = $2`, scenarioID, p.WorkshopID).Scan(&n); err != nil {
		return ch, err
	}
	if n == 0 {
		return ch, workshop.FieldErrorf(workshop.ENotFound, "scenario_id", "error.workshop_no_such_scenario")
	}
	if err := workshop.CheckReasonsOpen(workshop.State(state)); err != nil {
		return ch, err
	}
	if err := workshop.CheckInFocus(workshop.Pacing(pacing), focus, scenarioID); err != nil {
		return ch, err
	}
	if text == "" {
		err = tx.QueryRow(`DELETE FROM rationales WHERE round = $1 AND participant_id = $2 AND scenario_id = $3 RETURNING `+rationaleColumns,
			round, p.ID, scenarioID).Scan(rationaleFields(&ch.Rationale)...)
		if errors.Is(err, sql.ErrNoRows) { // nothing to remove
			err := tx.QueryRow(`SELECT seq FROM workshops WHERE id = $1`, p.WorkshopID).Scan(&ch.Seq)
			d.caughtUp()
			return ch, err
		}
		ch.Deleted = true
	} else {
		// A hidden rationale stays hidden when edited (moderation sticks);
		// a featured one stops being featured when its text changes.
		err = tx.QueryRow(`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (round, participant_id, scenario_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at,
				featured = CASE WHEN rationales.text = excluded.text THEN rationales.featured ELSE FALSE END
			RETURNING `+rationaleColumns,
			p.WorkshopID, round, p.ID, scenarioID, text, tx.now(), tx.now()).Scan(rationaleFields(&ch.Rationale)...)
	}
	if err != nil {
		return ch, mapError(err)
	}
	if err := author(tx, &ch.Rationale); err != nil {
		return ch, err
	}
	if err := tx.QueryRow(`UPDATE workshops SET seq = seq + 1 WHERE id = $1 RETURNING seq`, p.WorkshopID).Scan(&ch.Seq); err != nil {
		return ch, err
	}
	tx.announce(ch)
	if err := d.commit(tx, nil); err != nil {
		return ch, err
	}
	return ch, nil
}

const rationaleColumns = `id, round, participant_id, scenario_id, text, hidden, featured, updated_at`

// author fills in who wrote a rationale, for the facilitators' view.
func author(tx *Tx, r *workshop.Rationale) error {
	return tx.QueryRow(`SELECT pseudonym, coalesce(display_name, ''), coalesce(group_id, 0) FROM participants WHERE id = $1`, r.ParticipantID).Scan(&r.Pseudonym, &r.DisplayName, &r.GroupID)
}

// rationaleFields are the scan targets of rationaleColumns.
func rationaleFields(r *workshop.Rationale) []any {
	return []any{&r.ID, &r.Round, &r.ParticipantID, &r.ScenarioID, &r.Text, &r.Hidden, &r.Featured, timeScan{&r.UpdatedAt}}
}

// FlagRationale hides or features a rationale of workshop code. A nil flag
// stays as it is.
func (d *DB) FlagRationale(ctx context.Context, code string, id int64, hidden, featured *bool) (workshop.ReasonChanged, error) {
	var ch workshop.ReasonChanged
	_, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		err := tx.QueryRow(`SELECT `+rationaleColumns+` FROM rationales WHERE id = $1 AND workshop_id = $2`, id, w.ID).Scan(rationaleFields(&ch.Rationale)...)
		if errors.Is(err, sql.ErrNoRows) {
			return workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_rationale")
		}
		if err != nil {
			return err
		}
		if err := author(tx, &ch.Rationale); err != nil {
			return err
		}
		if hidden != nil {
			ch.Rationale.Hidden = *hidden
		}
		if featured != nil && *featured && !ch.Rationale.Featured && ch.Rationale.Round != w.Round {
			// The projector shows the current round's reasons only.
			return workshop.Errorf(workshop.EConflict, "error.only_reasons_current_round")
		}
		if featured != nil {
			ch.Rationale.Featured = *featured
		}
		ch.EventHead = head
		tx.announce(ch)
		_, err = tx.Exec(`UPDATE rationales SET hidden = $1, featured = $2 WHERE id = $3`, ch.Rationale.Hidden, ch.Rationale.Featured, id)
		return err
	})
	return ch, err
}

// Rationales returns every rationale of a workshop, oldest first.
func (d *DB) Rationales(ctx context.Context, workshopID int64) ([]workshop.Rationale, error) {
	return rationales(ctx, d.reader, workshopID)
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func rationales(ctx context.Context, q queryer, workshopID int64) ([]workshop.Rationale, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.round, r.participant_id, r.scenario_id, r.text, r.hidden, r.featured, r.updated_at,
		p.pseudonym, coalesce(p.display_name, ''), coalesce(p.group_id, 0) FROM rationales r JOIN participants p ON p.id = r.participant_id
		WHERE r.workshop_id = $1 ORDER BY r.round, r.created_at, r.id`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Rationale
	for rows.Next() {
		var r workshop.Rationale
		if err := rows.Scan(append(rationaleFields(&r), &r.Pseudonym, &r.DisplayName, &r.GroupID)...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RationalesOf returns a participant's rationales of one round by scenario.
func (d *DB) RationalesOf(ctx context.Context, p workshop.Participant, round int) (map[int64]string, error) {
	rows, err := d.reader.QueryContext(ctx, `SELECT scenario_id, text FROM rationales WHERE participant_id = $1 AND round = $2`, p.ID, round)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}

// CreateDisplayLink returns a new token for the read-only projector display
// of workshop code. Earlier links stop working: one display link at a time.
func (d *DB) CreateDisplayLink(ctx context.Context, code string) (string, error) {
	var token string
	_, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		if _, err := tx.Exec(`DELETE FROM display_links WHERE workshop_id = $1`, w.ID); err != nil {
			return err
		}
		var hash []byte
		token, hash = NewToken()
		_, err := tx.Exec(`INSERT INTO display_links (hash, workshop_id, created_at) VALUES ($1, $2, $3)`, hash, w.ID, tx.now())
		return err
	})
	return token, err
}

// RevokeDisplayLinks ends every display link of workshop code.
func (d *DB) RevokeDisplayLinks(ctx context.Context, code string) error {
	_, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		_, err := tx.Exec(`DELETE FROM display_links WHERE workshop_id = $1`, w.ID)
		return err
	})
	return err
}

// HasDisplayLink reports whether workshop code has an active display link.
func (d *DB) HasDisplayLink(ctx context.Context, workshopID int64) (bool, error) {
	var n int
	err := d.reader.QueryRowContext(ctx, `SELECT count(*) FROM display_links WHERE workshop_id = $1`, workshopID).Scan(&n)
	return n > 0, err
}

// DisplayWorkshop returns the workshop a display link shows.
func (d *DB) DisplayWorkshop(ctx context.Context, token string) (*workshop.Workshop, error) {
	var code string
	err := d.reader.QueryRowContext(ctx, `SELECT w.code FROM display_links l JOIN workshops w ON w.id = l.workshop_id JOIN users u ON u.id = w.owner_id
		WHERE l.hash = $1 AND u.disabled_at IS NULL`, HashToken(token)).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, workshop.Errorf(workshop.ENotFound, "error.display_link_not_valid")
	}
	if err != nil {
		return nil, err
	}
	return d.WorkshopByCode(ctx, code)
}
