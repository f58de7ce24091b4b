package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"foresight/internal/workshop"
)

// readCrossImpact reads a workshop's descriptors and the kind of each of
// its rounds.
func readCrossImpact(q querier, w *workshop.Workshop) error {
	var body, groups string
	if err := q.QueryRow(`SELECT descriptors, source_groups FROM workshops WHERE id = $1`, w.ID).Scan(&body, &groups); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(body), &w.Descriptors); err != nil {
		return err
	}
	w.SourceGroups = nil
	if err := json.Unmarshal([]byte(groups), &w.SourceGroups); err != nil {
		return err
	}
	if len(w.SourceGroups) == 0 {
		w.SourceGroups = nil
	}
	if len(w.Descriptors) == 0 {
		w.Descriptors = nil
	}
	rows, err := q.Query(`SELECT kind FROM rounds WHERE workshop_id = $1 ORDER BY n`, w.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	w.RoundKinds = nil
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		w.RoundKinds = append(w.RoundKinds, workshop.RoundKind(k))
	}
	return rows.Err()
}

// SaveJudgement stores a participant's judgement of one cell in the
// current round, which must be an open cross-impact round, and answers the
// change with the workshop's seq after COMMIT.
func (d *DB) SaveJudgement(ctx context.Context, p workshop.Participant, j workshop.Judgement) (workshop.JudgementChanged, error) {
	chs, seq, err := d.SaveJudgements(ctx, p, []workshop.Judgement{j})
	if err != nil {
		return workshop.JudgementChanged{}, err
	}
	if len(chs) == 0 { // nothing changed: the same seq
		return workshop.JudgementChanged{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID, Seq: seq}, ParticipantID: p.ID, GroupID: p.GroupID, Judgement: j}, nil
	}
	return chs[0], nil
}

// SaveJudgements stores a participant's judgements of several cells (the
// phone's form: one source's targets) in one transaction: all or none. It
// returns the changes (a judgement given again unchanged is none) and the
// workshop's seq afterwards.
func (d *DB) SaveJudgements(ctx context.Context, p workshop.Participant, js []workshop.Judgement) ([]workshop.JudgementChanged, int64, error) {
	tx, err := d.begin(context.WithoutCancel(ctx))
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var code string
	if err := tx.QueryRow(`SELECT code FROM workshops WHERE id = $1`, p.WorkshopID).Scan(&code); err != nil {
		return nil, 0, mapErrorNotFound(err)
	}
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, 0, err
	}
	if err := workshop.CheckJudgementsOpen(w.State, w.KindOf(w.Round)); err != nil {
		return nil, 0, err
	}
	ci := w.CrossImpact()
	for i := range js {
		js[i].Reason = strings.TrimSpace(workshop.CleanText(js[i].Reason))
	}
	for _, j := range js {
		if err := ci.CheckJudgement(j, p.GroupID); err != nil {
			return nil, 0, err
		}
	}
	seq := w.Seq
	var chs []workshop.JudgementChanged
	for _, j := range js {
		var old sql.NullInt64
		var oldReason string
		var had bool
		err = tx.QueryRow(`SELECT score, reason FROM judgements WHERE workshop_id = $1 AND round = $2 AND participant_id = $3 AND from_variant = $4 AND to_variant = $5`,
			p.WorkshopID, w.Round, p.ID, j.From, j.To).Scan(&old, &oldReason)
		switch {
		case err == nil:
			had = true
		case !errors.Is(err, sql.ErrNoRows):
			return nil, 0, err
		}
		score := sql.NullInt64{}
		if j.Score != nil {
			score = sql.NullInt64{Int64: int64(*j.Score), Valid: true}
		}
		if had && old == score && oldReason == j.Reason {
			continue
		}
		if _, err := tx.Exec(`INSERT INTO judgements (workshop_id, round, participant_id, from_variant, to_variant, score, reason, judged_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (workshop_id, round, participant_id, from_variant, to_variant) DO UPDATE SET score = excluded.score, reason = excluded.reason, judged_at = excluded.judged_at`,
			p.WorkshopID, w.Round, p.ID, j.From, j.To, score, j.Reason, tx.now()); err != nil {
			return nil, 0, mapError(err)
		}
		if err := tx.QueryRow(`UPDATE workshops SET seq = seq + 1 WHERE id = $1 RETURNING seq`, p.WorkshopID).Scan(&seq); err != nil {
			return nil, 0, err
		}
		ch := workshop.JudgementChanged{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID, Seq: seq}, Round: w.Round,
			ParticipantID: p.ID, GroupID: p.GroupID, Judgement: j}
		tx.announce(ch)
		chs = append(chs, ch)
	}
	if len(chs) == 0 {
		d.caughtUp()
		return nil, seq, nil
	}
	return chs, seq, d.commit(tx, nil)
}

// Judgements returns the judgements of round n (0: every round) of a
// workshop, of the participants not removed, oldest round first.
func (d *DB) Judgements(ctx context.Context, workshopID int64, n int) ([]workshop.StoredJudgement, error) {
	return readJudgements(ctx, d.reader, workshopID, n, 0)
}

// JudgementsOf returns one participant's judgements of round n.
func (d *DB) JudgementsOf(ctx context.Context, p workshop.Participant, n int) ([]workshop.StoredJudgement, error) {
	return readJudgements(ctx, d.reader, p.WorkshopID, n, p.ID)
}

// readJudgements reads judgements of a workshop: of round n (0: all), of
// participant pid (0: everyone not removed).
func readJudgements(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, workshopID int64, n int, pid int64) ([]workshop.StoredJudgement, error) {
	rows, err := q.QueryContext(ctx, `SELECT j.round, j.participant_id, p.pseudonym, coalesce(p.group_id, 0), j.from_variant, j.to_variant, j.score, j.reason, j.judged_at
		FROM judgements j JOIN participants p ON p.id = j.participant_id
		WHERE j.workshop_id = $1 AND ($2 = 0 OR j.round = $3) AND ($4 = 0 OR j.participant_id = $5) AND p.removed_at IS NULL
		ORDER BY j.round, j.participant_id, j.from_variant, j.to_variant`, workshopID, n, n, pid, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.StoredJudgement
	for rows.Next() {
		var j workshop.StoredJudgement
		var score sql.NullInt64
		if err := rows.Scan(&j.Round, &j.ParticipantID, &j.Pseudonym, &j.GroupID, &j.From, &j.To, &score, &j.Reason, timeScan{&j.JudgedAt}); err != nil {
			return nil, err
		}
		if score.Valid {
			s := int(score.Int64)
			j.Score = &s
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// SetSourceGroups gives the sources of each descriptor of a workshop to an
// expert group (descriptor id to group id; 0 or left out: everyone), so
// that each group judges the sources of its field. Judgements given
// already stay.
func (d *DB) SetSourceGroups(ctx context.Context, code string, m map[string]int64) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		if err := w.CheckSourceGroups(m); err != nil {
			return err
		}
		kept := map[string]int64{}
		for id, g := range m {
			if g != 0 {
				kept[id] = g
			}
		}
		body, _ := json.Marshal(kept)
		_, err := tx.Exec(`UPDATE workshops SET source_groups = $1 WHERE id = $2`, string(body), w.ID)
		return err
	})
}
