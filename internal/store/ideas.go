package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"foresight/internal/workshop"
)

// Ideas from the room (issue 22). Every write is one transaction that
// counts in the workshop's seq and announces the ideas it changed, as they
// are afterwards (workshop.IdeasChanged); a promotion, which adds a
// scenario, makes the views count again (RecountNeeded). The writers take
// turns (SQLite's write lock, PostgreSQL's advisory lock), so the count of
// a participant's votes read inside the transaction holds until its
// COMMIT: no participant ever exceeds their votes.

// ideaColumns are what readIdeas scans (ideaFields); the author's
// pseudonym comes from participants, the scenario it became from scenarios.
const ideaColumns = `i.id, i.workshop_id, coalesce(i.participant_id, 0), coalesce(p.pseudonym, ''), i.title, i.text,
	coalesce(i.scenario_id, 0), i.hidden, coalesce(i.merged_into, 0), coalesce((SELECT min(s.id) FROM scenarios s WHERE s.idea_id = i.id), 0), i.created_at
	FROM ideas i LEFT JOIN participants p ON p.id = i.participant_id`

func ideaFields(i *workshop.Idea) []any {
	return []any{&i.ID, &i.WorkshopID, &i.AuthorID, &i.Author, &i.Title, &i.Text, &i.ScenarioID, &i.Hidden, &i.MergedInto, &i.PromotedAs, timeScan{&i.CreatedAt}}
}

// readIdeas reads every idea of a workshop with its votes, oldest first.
func readIdeas(q querier, workshopID int64) ([]workshop.Idea, error) {
	return scanIdeas(q, `SELECT `+ideaColumns+` WHERE i.workshop_id = $1 ORDER BY i.id`,
		`SELECT v.idea_id, coalesce(p.group_id, 0), count(*) FROM idea_votes v
		JOIN ideas i ON i.id = v.idea_id JOIN participants p ON p.id = v.participant_id
		WHERE i.workshop_id = $1 GROUP BY v.idea_id, p.group_id`, workshopID)
}

// changedIdeas reads ideas a and b (the same for one) of a workshop after
// a change, with their votes, for its event: a vote reads one idea, not
// the room's.
func changedIdeas(tx *Tx, workshopID, a, b int64) ([]workshop.Idea, error) {
	return scanIdeas(tx, `SELECT `+ideaColumns+` WHERE i.workshop_id = $1 AND (i.id = $2 OR i.id = $3) ORDER BY i.id`,
		`SELECT v.idea_id, coalesce(p.group_id, 0), count(*) FROM idea_votes v JOIN participants p ON p.id = v.participant_id
		WHERE v.idea_id = $1 OR v.idea_id = $2 GROUP BY v.idea_id, p.group_id`, workshopID, a, b)
}

// scanIdeas runs the query of ideas (args) and that of their votes per
// idea and group (args without the first, the workshop, when there are
// more), and puts them together.
func scanIdeas(q querier, ideasQuery, votesQuery string, args ...any) ([]workshop.Idea, error) {
	rows, err := q.Query(ideasQuery, args...)
	if err != nil {
		return nil, err
	}
	var out []workshop.Idea
	at := map[int64]int{}
	for rows.Next() {
		var i workshop.Idea
		if err := rows.Scan(ideaFields(&i)...); err != nil {
			rows.Close()
			return nil, err
		}
		at[i.ID] = len(out)
		out = append(out, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		args = args[1:]
	}
	rows, err = q.Query(votesQuery, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, group int64
		var n int
		if err := rows.Scan(&id, &group, &n); err != nil {
			return nil, err
		}
		k, ok := at[id]
		if !ok {
			continue
		}
		out[k].Votes += n
		if group != 0 {
			if out[k].GroupVotes == nil {
				out[k].GroupVotes = map[int64]int{}
			}
			out[k].GroupVotes[group] += n
		}
	}
	return out, rows.Err()
}

// ideaIn reads one idea of workshop workshopID, or ENotFound.
func ideaIn(tx *Tx, workshopID, id int64, field string) (workshop.Idea, error) {
	var i workshop.Idea
	err := tx.QueryRow(`SELECT `+ideaColumns+` WHERE i.id = $1 AND i.workshop_id = $2`, id, workshopID).Scan(ideaFields(&i)...)
	if errors.Is(err, sql.ErrNoRows) {
		if field != "" {
			return i, workshop.FieldError(field, "error.workshop_no_such_idea")
		}
		return i, workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_idea")
	}
	return i, err
}

// Ideas returns every idea of a workshop with its votes, oldest first:
// hidden and merged ones too.
func (d *DB) Ideas(ctx context.Context, workshopID int64) ([]workshop.Idea, error) {
	tx, err := d.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readIdeas(tx, workshopID)
}

// IdeaVotes is what a participant learns after voting: the seq the vote
// committed as, and how many votes they have left.
type IdeaVotes struct {
	Seq       int64
	VotesLeft int
}

// VotesOf returns the ideas a participant voted for, and how many votes
// they have left: their workshop's votes less those on ideas participants
// see (a hidden idea gives its voters their vote back while it is hidden).
func (d *DB) VotesOf(ctx context.Context, p workshop.Participant) (map[int64]bool, int, error) {
	tx, err := d.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var limit int
	if err := tx.QueryRow(`SELECT idea_votes FROM workshops WHERE id = $1`, p.WorkshopID).Scan(&limit); err != nil {
		return nil, 0, mapErrorNotFound(err)
	}
	rows, err := tx.Query(`SELECT v.idea_id, i.hidden OR i.merged_into IS NOT NULL FROM idea_votes v JOIN ideas i ON i.id = v.idea_id
		WHERE v.participant_id = $1`, p.ID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	voted := map[int64]bool{}
	used := 0
	for rows.Next() {
		var id int64
		var unseen bool
		if err := rows.Scan(&id, &unseen); err != nil {
			return nil, 0, err
		}
		voted[id] = true
		if !unseen {
			used++
		}
	}
	return voted, max(0, limit-used), rows.Err()
}

// votesUsed counts a participant's votes on ideas participants see.
func votesUsed(tx *Tx, participantID int64) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM idea_votes v JOIN ideas i ON i.id = v.idea_id
		WHERE v.participant_id = $1 AND NOT i.hidden AND i.merged_into IS NULL`, participantID).Scan(&n)
	return n, err
}

// SetIdeasOpen opens or closes the ideas phase of workshop code. It opens
// in the lobby or between rounds (workshop.CheckIdeasPhase); closing is
// always possible. A round that opens closes it too (Step).
func (d *DB) SetIdeasOpen(ctx context.Context, code string, open bool) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		if open {
			if err := workshop.CheckIdeasPhase(w.State); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`UPDATE workshops SET ideas_open = $1 WHERE id = $2`, open, w.ID)
		return err
	})
}

// ideaState reads what a participant's write of ideas depends on, and
// refuses it while ideas are closed.
func ideaState(tx *Tx, workshopID int64) (limit int, err error) {
	var open bool
	if err := tx.QueryRow(`SELECT ideas_open, idea_votes FROM workshops WHERE id = $1`, workshopID).Scan(&open, &limit); err != nil {
		return 0, mapErrorNotFound(err)
	}
	return limit, workshop.CheckIdeasOpen(open)
}

// ProposeIdea adds a participant's idea while ideas are open: at most
// workshop.MaxIdeasPerParticipant each (ETooMany past them). A scenario it
// relates to must be the workshop's.
func (d *DB) ProposeIdea(ctx context.Context, p workshop.Participant, draft workshop.IdeaDraft) (workshop.IdeasChanged, error) {
	ch := workshop.IdeasChanged{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID}, VoterID: p.ID}
	if err := draft.Clean(); err != nil {
		return ch, err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return ch, err
	}
	defer tx.Rollback()
	if _, err := ideaState(tx, p.WorkshopID); err != nil {
		return ch, err
	}
	if draft.ScenarioID != 0 {
		var n int
		if err := tx.QueryRow(qItemScenario, draft.ScenarioID, p.WorkshopID).Scan(&n); err != nil {
			return ch, err
		}
		if n == 0 {
			return ch, workshop.FieldError("scenario_id", "error.workshop_no_such_scenario")
		}
	}
	var mine int
	if err := tx.QueryRow(`SELECT count(*) FROM ideas WHERE participant_id = $1`, p.ID).Scan(&mine); err != nil {
		return ch, err
	}
	if err := workshop.CheckIdeaQuota(mine); err != nil {
		return ch, err
	}
	var id int64
	if err := tx.QueryRow(`INSERT INTO ideas (workshop_id, participant_id, title, text, scenario_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		p.WorkshopID, p.ID, draft.Title, draft.Text, sql.NullInt64{Int64: draft.ScenarioID, Valid: draft.ScenarioID != 0}, tx.now()).Scan(&id); err != nil {
		return ch, mapError(err)
	}
	return ch, d.commitIdeas(tx, &ch, id)
}

// commitIdeas counts a participant's change of idea id in the workshop's
// seq, reads the idea into ch, announces it and commits.
func (d *DB) commitIdeas(tx *Tx, ch *workshop.IdeasChanged, id int64) error {
	if err := tx.QueryRow(qBumpSeq, ch.WorkshopID).Scan(&ch.Seq); err != nil {
		return err
	}
	var err error
	if ch.Ideas, err = changedIdeas(tx, ch.WorkshopID, id, id); err != nil {
		return err
	}
	tx.announce(*ch)
	return d.commit(tx, nil)
}

// Vote casts (on) or takes back a participant's vote for an idea while
// ideas are open, and returns the seq and the votes they have left. One
// vote per idea: voting twice, or taking back a vote never cast, changes
// nothing. A vote past the workshop's limit is refused (EConflict).
func (d *DB) Vote(ctx context.Context, p workshop.Participant, ideaID int64, on bool) (IdeaVotes, error) {
	var out IdeaVotes
	tx, err := d.begin(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	limit, err := ideaState(tx, p.WorkshopID)
	if err != nil {
		return out, err
	}
	idea, err := ideaIn(tx, p.WorkshopID, ideaID, "")
	if err != nil {
		return out, err
	}
	if err := workshop.CheckVotable(idea); err != nil {
		return out, err
	}
	used, err := votesUsed(tx, p.ID)
	if err != nil {
		return out, err
	}
	var changed int64
	if on {
		var had int
		if err := tx.QueryRow(`SELECT count(*) FROM idea_votes WHERE idea_id = $1 AND participant_id = $2`, ideaID, p.ID).Scan(&had); err != nil {
			return out, err
		}
		if had == 0 {
			if err := workshop.CheckVote(used, limit); err != nil {
				return out, err
			}
			res, err := tx.Exec(`INSERT INTO idea_votes (idea_id, participant_id, voted_at) VALUES ($1, $2, $3)`, ideaID, p.ID, tx.now())
			if err != nil {
				return out, mapError(err)
			}
			changed, _ = res.RowsAffected()
			used++
		}
	} else {
		res, err := tx.Exec(`DELETE FROM idea_votes WHERE idea_id = $1 AND participant_id = $2`, ideaID, p.ID)
		if err != nil {
			return out, err
		}
		if changed, _ = res.RowsAffected(); changed > 0 {
			used--
		}
	}
	out.VotesLeft = max(0, limit-used)
	if changed == 0 { // nothing to change: answer with the seq as it is
		err := tx.QueryRow(`SELECT seq FROM workshops WHERE id = $1`, p.WorkshopID).Scan(&out.Seq)
		d.caughtUp()
		return out, err
	}
	ch := workshop.IdeasChanged{EventHead: workshop.EventHead{WorkshopID: p.WorkshopID}, VoterID: p.ID}
	if err := d.commitIdeas(tx, &ch, ideaID); err != nil {
		return out, err
	}
	out.Seq = ch.Seq
	return out, nil
}

// HideIdea hides an idea of workshop code from participants, or shows it
// again; the workshop's log records it.
func (d *DB) HideIdea(ctx context.Context, code string, id int64, hidden bool, by workshop.User) (workshop.IdeasChanged, error) {
	var ch workshop.IdeasChanged
	_, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		idea, err := ideaIn(tx, w.ID, id, "")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE ideas SET hidden = $1 WHERE id = $2`, hidden, id); err != nil {
			return err
		}
		action := workshop.LogIdeaHidden
		if !hidden {
			action = workshop.LogIdeaUnhidden
		}
		if err := logAction(tx, w.ID, by, action, workshop.LogFields{Idea: idea.Title}); err != nil {
			return err
		}
		ch = workshop.IdeasChanged{EventHead: head}
		if ch.Ideas, err = changedIdeas(tx, w.ID, id, id); err != nil {
			return err
		}
		tx.announce(ch)
		return nil
	})
	return ch, err
}

// MergeIdea merges idea id of workshop code into idea into: its votes join
// into's, a participant who voted for both counting once (their other vote
// is theirs again), and ideas merged into it before now join into too.
// Participants no longer see the merged idea; the log records it.
func (d *DB) MergeIdea(ctx context.Context, code string, id, into int64, by workshop.User) (workshop.IdeasChanged, error) {
	var ch workshop.IdeasChanged
	_, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		from, err := ideaIn(tx, w.ID, id, "")
		if err != nil {
			return err
		}
		target, err := ideaIn(tx, w.ID, into, "into")
		if err != nil {
			return err
		}
		if err := workshop.CheckMerge(from, target); err != nil {
			return err
		}
		var votes int
		if err := tx.QueryRow(`SELECT count(*) FROM idea_votes WHERE idea_id = $1`, id).Scan(&votes); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO idea_votes (idea_id, participant_id, voted_at)
			SELECT CAST($1 AS BIGINT), participant_id, voted_at FROM idea_votes WHERE idea_id = $2 ON CONFLICT (idea_id, participant_id) DO NOTHING`, into, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM idea_votes WHERE idea_id = $1`, id); err != nil {
			return err
		}
		if err := d.failed("votes"); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE ideas SET merged_into = $1 WHERE id = $2 OR merged_into = $3`, into, id, id); err != nil {
			return err
		}
		if err := logAction(tx, w.ID, by, workshop.LogIdeasMerged, workshop.LogFields{Idea: from.Title, Into: target.Title, Votes: votes}); err != nil {
			return err
		}
		ch = workshop.IdeasChanged{EventHead: head}
		if ch.Ideas, err = changedIdeas(tx, w.ID, id, into); err != nil {
			return err
		}
		tx.announce(ch)
		return nil
	})
	return ch, err
}

// PromoteIdea makes idea id of workshop code a scenario of the workshop,
// titled and told as the facilitator edited it, in the lobby or between
// rounds: it is rated from the next round (round 1 in the lobby), like the
// deck's scenarios, and carries its origin and source (the author's
// pseudonym, the idea's votes). The deck is not changed. It returns the
// workshop afterwards and the new scenario's id.
func (d *DB) PromoteIdea(ctx context.Context, code string, id int64, pr workshop.Promotion, by workshop.User) (*workshop.Workshop, int64, error) {
	if err := pr.Clean(); err != nil {
		return nil, 0, err
	}
	var scenarioID int64
	w, err := d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		idea, err := ideaIn(tx, w.ID, id, "")
		if err != nil {
			return err
		}
		if err := workshop.CheckPromote(w.State, idea); err != nil {
			return err
		}
		if len(w.Scenarios) >= workshop.MaxScenarios {
			return workshop.Errorf(workshop.EConflict, "error.workshop_at_most_scenarios", workshop.MaxScenarios)
		}
		var votes int
		if err := tx.QueryRow(`SELECT count(*) FROM idea_votes WHERE idea_id = $1`, id).Scan(&votes); err != nil {
			return err
		}
		lang := workshop.DefaultLanguage // the deck's own language, as the scenarios have it
		if len(w.Languages) > 0 {
			lang = w.Languages[0]
		}
		body, err := json.Marshal(scenarioBody{Title: workshop.Text{lang: pr.Title}, Narrative: workshop.Text{lang: pr.Narrative}})
		if err != nil {
			return err
		}
		var position int
		if err := tx.QueryRow(`INSERT INTO scenarios (workshop_id, position, key, body, origin, idea_id, from_round, source_pseudonym, source_votes)
			VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM scenarios WHERE workshop_id = $2), $3, $4, 'room', $5, $6, $7, $8) RETURNING id, position`,
			w.ID, w.ID, fmt.Sprintf("room-%d", id), string(body), id, workshop.FirstRoundOf(w.State, w.Round),
			sql.NullString{String: idea.Author, Valid: idea.Author != ""}, votes).Scan(&scenarioID, &position); err != nil {
			return mapError(err)
		}
		if err := logAction(tx, w.ID, by, workshop.LogIdeaPromoted, workshop.LogFields{Idea: idea.Title, Scenario: position, Votes: votes}); err != nil {
			return err
		}
		// A new scenario: the views size their tallies anew.
		tx.announce(workshop.RecountNeeded{EventHead: head})
		return nil
	})
	return w, scenarioID, err
}
