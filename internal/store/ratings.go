package store

import (
	"context"
	"database/sql"
	"errors"

	"foresight/internal/workshop"
)

// The statements of the hot path, prepared once (prepared.go).
const (
	qJoinWorkshop = `SELECT id, state, anonymity, participant_limit, archived_at IS NOT NULL FROM workshops WHERE code = $1`
	qJoinInsert   = `INSERT INTO participants (workshop_id, token_hash, pseudonym, display_name, group_id, joined_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`
	qJoinGroups   = `SELECT id FROM groups WHERE workshop_id = $1`
	qBumpSeq      = `UPDATE workshops SET seq = seq + 1 WHERE id = $1 RETURNING seq`
	// The scenario in focus is that of workshop.FocusID: the one chosen,
	// or the first; 0 while the workshop is self-paced.
	qItemState = `SELECT state, round, seq, pacing, CASE WHEN pacing = 'focus' THEN coalesce(focus_scenario_id,
		(SELECT s.id FROM scenarios s WHERE s.workshop_id = workshops.id ORDER BY s.position LIMIT 1), 0) ELSE 0 END,
		coalesce((SELECT r.kind FROM rounds r WHERE r.workshop_id = workshops.id AND r.n = workshops.round), 'rating')
		FROM workshops WHERE id = $1`
	qItemScenario  = `SELECT count(*) FROM scenarios WHERE id = $1 AND workshop_id = $2`
	qItemCriterion = `SELECT id, kind, min, max, step, dont_know, body FROM criteria WHERE id = $1 AND workshop_id = $2`
	// Reading and writing a rating differ between the engines
	// (dialect.saveRating); clearing one does not.
	qDeleteRating = `DELETE FROM ratings WHERE round = $1 AND participant_id = $2 AND scenario_id = $3 AND criterion_id = $4 RETURNING value`
	qSetSeq       = `UPDATE workshops SET seq = $1 WHERE id = $2`
	qSavepoint    = `SAVEPOINT rating`
	qRelease      = `RELEASE rating`
	qRollbackTo   = `ROLLBACK TO rating`
)

// Join adds a participant to the workshop with the given code and returns
// them with the token for their cookie. A finished, archived or full
// workshop admits no one. displayName is stored for a pseudonymous
// workshop (the caller checks it) and ignored otherwise. groupID is the
// expert group the participant belongs to: a workshop with groups
// requires one of its own (else a FieldError "group"); one without
// ignores it.
//
// The participant limit is checked against a count kept in memory (see
// joinedCount), not a count(*) that grows with the room; joins are
// serialised by the single writer, so the check holds under races. Joins
// that wait for the writer at the same time commit together, like
// ratings (groupcommit.go); Join returns after the COMMIT.
func (d *DB) Join(ctx context.Context, code, displayName string, groupID int64) (workshop.Participant, string, error) {
	r := &joinReq{code: code, displayName: displayName, groupID: groupID}
	r.token, r.tokenHash = NewToken()
	if _, err := d.write(r); err != nil {
		return workshop.Participant{}, "", err
	}
	return r.p, r.token, nil
}

// joinedCount returns the number of active participants of a workshop,
// from memory when known, else counted in tx. The caller holds the writer
// (tx), so no other transaction commits meanwhile; joinedCount first waits
// until the cache knows every earlier commit (commitMu), so the count is
// exact: each join sets it after its COMMIT, in commit order, and a removal
// forgets it.
//
// Where other servers let participants join too (dialect.joinsInCache),
// the count is always read in tx.
func (d *DB) joinedCount(tx *Tx, workshopID int64) (int, error) {
	var n int
	if !d.dialect.joinsInCache() {
		err := tx.QueryRow(`SELECT count(*) FROM participants WHERE workshop_id = $1 AND removed_at IS NULL`, workshopID).Scan(&n)
		return n, err
	}
	c := d.workshops()
	c.commitMu.Lock()
	c.mu.Lock()
	e := c.byID[workshopID]
	known := e != nil && e.joinedKnown
	if known {
		n = e.joined
	}
	c.mu.Unlock()
	c.commitMu.Unlock()
	if known {
		return n, nil
	}
	err := tx.QueryRow(`SELECT count(*) FROM participants WHERE workshop_id = $1 AND removed_at IS NULL`, workshopID).Scan(&n)
	return n, err
}

// redrawPseudonym gives a participant a new random pseudonym, unique within
// the workshop.
func redrawPseudonym(tx *Tx, p *workshop.Participant) error {
	var err error
	for range 20 { // 29^5 pseudonyms: a clash is rare even in a large room
		p.Pseudonym = workshop.NewPseudonym()
		err = tx.attempt(func() error {
			_, err := tx.Exec(`UPDATE participants SET pseudonym = $1 WHERE id = $2`, p.Pseudonym, p.ID)
			return err
		})
		if !isUniqueViolation(err, "pseudonym") {
			break
		}
	}
	return err
}

// ParticipantByToken returns the participant of workshop workshopID whose
// cookie holds token.
// Participants found are kept in memory (see workshopCache).
func (d *DB) ParticipantByToken(ctx context.Context, workshopID int64, token string) (workshop.Participant, error) {
	hash := HashToken(token)
	c := d.workshops()
	p, ok := c.participant(workshopID, hash)
	if !ok {
		pgen := c.participantGeneration()
		err := d.reader.QueryRowContext(ctx, `SELECT id, workshop_id, pseudonym, coalesce(group_id, 0) FROM participants WHERE token_hash = $1`, hash).
			Scan(&p.ID, &p.WorkshopID, &p.Pseudonym, &p.GroupID)
		if errors.Is(err, sql.ErrNoRows) {
			return workshop.Participant{WorkshopID: workshopID}, workshop.Errorf(workshop.EUnauthorized, "error.join_workshop_first")
		}
		if err != nil {
			return workshop.Participant{WorkshopID: workshopID}, err
		}
		c.fillParticipant(hash, p, pgen)
	}
	if p.WorkshopID != workshopID {
		return workshop.Participant{WorkshopID: workshopID}, workshop.Errorf(workshop.EForbidden, "error.joined_different_workshop")
	}
	return p, nil
}

// SaveRating stores a participant's rating of one item in the current round,
// replacing an earlier one, and returns the change (its Seq is the
// workshop's seq after it). It commits before it returns: a returned change
// is on disk, and announced (events.go). Ratings that
// wait for the writer at the same time commit together (groupcommit.go).
// The write is detached from ctx: once queued, a rating is answered only
// after its transaction ended, whether or not the client is still there.
func (d *DB) SaveRating(ctx context.Context, p workshop.Participant, scenarioID, criterionID int64, value *int) (workshop.RatingChanged, error) {
	return d.write(&rateReq{itemReq: itemReq{p: p, scenarioID: scenarioID, criterionID: criterionID}, value: value})
}

// ClearRating removes a participant's rating of one item in the current
// round. Like SaveRating, it commits before it returns.
func (d *DB) ClearRating(ctx context.Context, p workshop.Participant, scenarioID, criterionID int64) (workshop.RatingChanged, error) {
	return d.write(&clearReq{itemReq: itemReq{p: p, scenarioID: scenarioID, criterionID: criterionID}})
}

// RatingsOf returns a participant's answers in a round.
func (d *DB) RatingsOf(ctx context.Context, p workshop.Participant, round int) (map[workshop.ItemKey]workshop.Answer, error) {
	rows, err := d.reader.QueryContext(ctx, `SELECT scenario_id, criterion_id, value FROM ratings WHERE participant_id = $1 AND round = $2`, p.ID, round)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[workshop.ItemKey]workshop.Answer{}
	for rows.Next() {
		var k workshop.ItemKey
		var v sql.NullInt64
		if err := rows.Scan(&k.ScenarioID, &k.CriterionID, &v); err != nil {
			return nil, err
		}
		out[k] = *answerOf(v)
	}
	return out, rows.Err()
}

// LoadTally reads what the live views start from, in one consistent
// snapshot: a workshop's tallies (readTally) and every rationale.
func (d *DB) LoadTally(ctx context.Context, workshopID int64) (workshop.Tally, error) {
	tx, err := d.read(ctx)
	if err != nil {
		return workshop.Tally{}, err
	}
	defer tx.Rollback()
	t, err := readTally(ctx, tx, d.dialect, workshopID)
	if err != nil {
		return t, err
	}
	if t.Rationales, err = rationales(ctx, tx, workshopID); err != nil {
		return t, err
	}
	t.Ideas, err = readIdeas(tx, workshopID)
	return t, err
}

// readTally is the one query of a workshop's tallies, for the live views
// and the exports alike: its seq, its active participants, the number of
// ratings per round, item and answer, and per round and participant the
// number of items rated. For a workshop with expert groups, each count
// is per group too (the participant's), and the active participants are
// counted per group; only then are the ratings joined with their
// participants, so the load of a large room without groups stays as fast
// as one index scan.
func readTally(ctx context.Context, tx *sql.Tx, dl dialect, workshopID int64) (workshop.Tally, error) {
	var t workshop.Tally
	var grouped bool
	if err := tx.QueryRowContext(ctx, `SELECT seq, EXISTS (SELECT 1 FROM groups WHERE workshop_id = workshops.id) FROM workshops WHERE id = $1`,
		workshopID).Scan(&t.Seq, &grouped); err != nil {
		return t, mapErrorNotFound(err)
	}
	var err error
	if t.Joined, err = activeParticipants(ctx, tx, workshopID); err != nil {
		return t, err
	}
	countsQuery := `SELECT round, scenario_id, criterion_id, 0, value, count(*) FROM ratings WHERE workshop_id = $1
		GROUP BY round, scenario_id, criterion_id, value`
	ratedQuery := `SELECT round, participant_id, 0, count(*) FROM ratings WHERE workshop_id = $1 GROUP BY round, participant_id`
	if grouped {
		// By ratings_workshop_round, whose rows lie in the table's order:
		// the planner would take the covering ratings_tally for its order,
		// but it lacks participant_id, and fetching each row in that order
		// reads the table's pages at random (0.8 s instead of 0.13 s for
		// 10,000 participants' 200,000 ratings: BenchmarkLoadTally).
		// PostgreSQL's planner takes no such hint, nor needs it.
		countsQuery = `SELECT r.round, r.scenario_id, r.criterion_id, coalesce(p.group_id, 0), r.value, count(*)
			FROM ratings r ` + dl.indexedBy("ratings_workshop_round") + ` JOIN participants p ON p.id = r.participant_id WHERE r.workshop_id = $1
			GROUP BY r.round, r.scenario_id, r.criterion_id, p.group_id, r.value`
		ratedQuery = `SELECT r.round, r.participant_id, coalesce(p.group_id, 0), count(*)
			FROM ratings r JOIN participants p ON p.id = r.participant_id WHERE r.workshop_id = $1
			GROUP BY r.round, r.participant_id, p.group_id`
		if t.JoinedByGroup, err = joinedByGroup(ctx, tx, workshopID); err != nil {
			return t, err
		}
	}
	rows, err := tx.QueryContext(ctx, countsQuery, workshopID)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var r workshop.TallyRow
		var v sql.NullInt64
		if err := rows.Scan(&r.Round, &r.ScenarioID, &r.CriterionID, &r.GroupID, &v, &r.Count); err != nil {
			rows.Close()
			return t, err
		}
		r.Answer = *answerOf(v)
		t.Counts = append(t.Counts, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	rows, err = tx.QueryContext(ctx, ratedQuery, workshopID)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var r workshop.RatedRow
		if err := rows.Scan(&r.Round, &r.ParticipantID, &r.GroupID, &r.Items); err != nil {
			return t, err
		}
		t.Rated = append(t.Rated, r)
	}
	return t, rows.Err()
}

// joinedByGroup counts a workshop's active participants in each group.
func joinedByGroup(ctx context.Context, tx *sql.Tx, workshopID int64) (map[int64]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT group_id, count(*) FROM participants
		WHERE workshop_id = $1 AND removed_at IS NULL AND group_id IS NOT NULL GROUP BY group_id`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var g int64
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return nil, err
		}
		out[g] = n
	}
	return out, rows.Err()
}

// activeParticipants counts a workshop's participants who were not removed.
func activeParticipants(ctx context.Context, tx *sql.Tx, workshopID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM participants WHERE workshop_id = $1 AND removed_at IS NULL`, workshopID).Scan(&n)
	return n, err
}

func answerOf(v sql.NullInt64) *workshop.Answer {
	if !v.Valid {
		return &workshop.Answer{DontKnow: true}
	}
	return &workshop.Answer{Value: int(v.Int64)}
}

func nullInt(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

func deref(v *int) int {
	if v == nil {
		return 0
	}
	return *v
}
