package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	Name      workshop.Text    `json:"name"`
	Question  workshop.Text    `json:"question,omitempty"`
	Labels    []workshop.Label `json:"labels"`
	Yardstick string           `json:"yardstick,omitempty"`
}

// CreateWorkshop creates a workshop from a snapshot of deck, owned by owner,
// with a fresh join code. With open set, round 1 opens at once; otherwise the
// workshop waits in the lobby.
func (d *DB) CreateWorkshop(ctx context.Context, owner workshop.User, deck workshop.Deck, title string, open bool) (*workshop.Workshop, error) {
	title, err := workshopTitle(deck, title)
	if err != nil {
		return nil, err
	}
	return d.newWorkshop(ctx, func(tx *Tx) (string, error) {
		_, code, err := insertWorkshop(tx, owner, deck, title, open, "")
		return code, err
	})
}

// workshopTitle is the title a new workshop takes: title, or else the
// deck's, checked.
func workshopTitle(deck workshop.Deck, title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" && len(deck.Languages) > 0 {
		title = deck.Title.In(deck.Languages[0]) // the deck's own language: the CLI names no reader
	}
	if title == "" {
		title = deck.Title.In(workshop.DefaultLanguage)
	}
	if err := workshop.CheckLine(title, workshop.MaxTitleRunes); err != nil {
		return "", workshop.FieldError("title", "error.use_title_most_characters", workshop.MaxTitleRunes)
	}
	return title, nil
}

// newWorkshop creates a workshop in one write transaction: fill inserts it
// with everything it starts with and returns its code. The new
// workshop is announced and cached after COMMIT.
func (d *DB) newWorkshop(ctx context.Context, fill func(*Tx) (string, error)) (*workshop.Workshop, error) {
	tx, err := d.beginWorkshops(ctx) // a new workshop only: nobody else sees it before COMMIT
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	code, err := fill(tx)
	if err != nil {
		return nil, err
	}
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, err
	}
	tx.announce(workshop.WorkshopChanged{EventHead: workshop.EventHead{WorkshopID: w.ID, Seq: w.Seq}})
	if err := d.commit(tx, func(c *workshopCache) { c.create(w) }); err != nil {
		return nil, err
	}
	return w, nil
}

// insertWorkshop inserts a workshop from a snapshot of deck with a fresh
// join code, titled title (checked: workshopTitle), and returns its id and
// code. copiedFrom is the code of the workshop it copies, "" for none.
func insertWorkshop(tx *Tx, owner workshop.User, deck workshop.Deck, title string, open bool, copiedFrom string) (int64, string, error) {
	state := workshop.StateLobby
	if open {
		state = workshop.StateOpen
	}
	langs, _ := json.Marshal(deck.Languages)
	var id int64
	var code string
	var err error
	for range 10 { // a clash of random codes is rare; try again with a new one
		code = workshop.NewCode()
		err = tx.attempt(func() error {
			return tx.QueryRow(`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at, copied_from)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) RETURNING id`,
				code, title, owner.ID, deck.Slug, string(langs), string(state), tx.now(), tx.now(), sql.NullString{String: copiedFrom, Valid: copiedFrom != ""}).Scan(&id)
		})
		if !isUniqueViolation(err, "code") {
			break
		}
	}
	if err != nil {
		return 0, "", mapError(err)
	}
	for i, s := range deck.Scenarios {
		body, _ := json.Marshal(scenarioBody{s.Title, s.Narrative, s.Source, s.Signposts})
		if _, err := tx.Exec(`INSERT INTO scenarios (workshop_id, position, key, body) VALUES ($1, $2, $3, $4)`, id, i+1, s.Key, string(body)); err != nil {
			return 0, "", mapError(err)
		}
	}
	for i, c := range deck.Criteria {
		body, _ := json.Marshal(criterionBody{c.Name, c.Question, c.Labels, c.Yardstick})
		if _, err := tx.Exec(`INSERT INTO criteria (workshop_id, position, key, kind, min, max, step, dont_know, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, i+1, c.Key, c.Kind, c.Min, c.Max, c.Step, c.DontKnow, string(body)); err != nil {
			return 0, "", mapError(err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO rounds (workshop_id, n, opened_at) VALUES ($1, 1, $2)`, id, tx.nowIf(open)); err != nil {
		return 0, "", err
	}
	if len(deck.Descriptors) > 0 {
		body, _ := json.Marshal(deck.Descriptors)
		if _, err := tx.Exec(`UPDATE workshops SET descriptors = $1 WHERE id = $2`, string(body), id); err != nil {
			return 0, "", err
		}
	}
	return id, code, nil
}

// WorkshopByCode returns a workshop with its scenarios and criteria. It is
// served from memory after the first read (cache.go); every method that
// changes a workshop updates the cache after its COMMIT, so a read that
// follows a change sees it.
func (d *DB) WorkshopByCode(ctx context.Context, code string) (*workshop.Workshop, error) {
	c := d.workshops()
	if w := c.get(code); w != nil {
		return w, nil
	}
	gen := c.generation()
	tx, err := d.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := workshopByCode(tx, code)
	if err != nil {
		return nil, err
	}
	c.fill(w, gen)
	return w, nil
}

// WorkshopByID is WorkshopByCode by the workshop's id, for the live views,
// which know their workshops by id: from the same one copy in memory.
func (d *DB) WorkshopByID(ctx context.Context, id int64) (*workshop.Workshop, error) {
	c := d.workshops()
	if w := c.getByID(id); w != nil {
		return w, nil
	}
	tx, err := d.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var code string
	if err := tx.QueryRowContext(ctx, `SELECT code FROM workshops WHERE id = $1`, id).Scan(&code); err != nil {
		return nil, mapErrorNotFound(err)
	}
	tx.Rollback()
	return d.WorkshopByCode(ctx, code)
}

type querier interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

const workshopColumns = `id, code, title, owner_id, deck_slug, languages, state, round, seq, visibility, pacing,
	coalesce(focus_scenario_id, 0), created_at, description, anonymity, participant_limit, archived_at IS NOT NULL, anonymised_at IS NOT NULL,
	coalesce(copied_from, ''), ideas_open, idea_votes`

func scanWorkshop(row interface{ Scan(...any) error }) (*workshop.Workshop, error) {
	var w workshop.Workshop
	var langs, state, visibility, pacing, anonymity string
	if err := row.Scan(&w.ID, &w.Code, &w.Title, &w.OwnerID, &w.DeckSlug, &langs, &state, &w.Round, &w.Seq, &visibility, &pacing, &w.Focus, timeScan{&w.CreatedAt},
		&w.Description, &anonymity, &w.ParticipantLimit, &w.Archived, &w.Anonymised, &w.CopiedFrom, &w.IdeasOpen, &w.IdeaVotes); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, workshop.Errorf(workshop.ENotFound, "error.no_workshop_code")
		}
		return nil, err
	}
	json.Unmarshal([]byte(langs), &w.Languages)
	w.State = workshop.State(state)
	w.Visibility, w.Pacing, w.Anonymity = workshop.Visibility(visibility), workshop.Pacing(pacing), workshop.Anonymity(anonymity)
	return &w, nil
}

func workshopByCode(q querier, code string) (*workshop.Workshop, error) {
	w, err := scanWorkshop(q.QueryRow(`SELECT `+workshopColumns+` FROM workshops WHERE code = $1`, code))
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(`SELECT id, key, body, origin, coalesce(idea_id, 0), from_round, coalesce(source_pseudonym, ''), source_votes
		FROM scenarios WHERE workshop_id = $1 ORDER BY position`, w.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s workshop.Scenario
		var body string
		var b scenarioBody
		if err := rows.Scan(&s.ID, &s.Key, &body, &s.Origin, &s.IdeaID, &s.FromRound, &s.SourcePseudonym, &s.SourceVotes); err != nil {
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
	rows, err = q.Query(`SELECT id, key, kind, min, max, step, dont_know, body FROM criteria WHERE workshop_id = $1 ORDER BY position`, w.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c workshop.Criterion
		var body string
		var b criterionBody
		if err := rows.Scan(&c.ID, &c.Key, &c.Kind, &c.Min, &c.Max, &c.Step, &c.DontKnow, &body); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			rows.Close()
			return nil, err
		}
		c.Name, c.Question, c.Labels, c.Yardstick = b.Name, b.Question, b.Labels, b.Yardstick
		w.Criteria = append(w.Criteria, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if w.Groups, err = groupsOf(q, w.ID); err != nil {
		return nil, err
	}
	if w.Outcomes, err = readOutcomes(q, w.ID); err != nil {
		return nil, err
	}
	if err := readCrossImpact(q, w); err != nil {
		return nil, err
	}
	return w, nil
}

// WorkshopsFor lists the workshops a user may manage, newest first: their
// own, or every workshop for an organiser.
func (d *DB) WorkshopsFor(ctx context.Context, u workshop.User) ([]*workshop.Workshop, error) {
	q := `SELECT ` + workshopColumns + ` FROM workshops WHERE owner_id = $1 OR $2 ORDER BY created_at DESC, id DESC`
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
// workshop as it is afterwards; any other action is not found. round, when
// not 0, must be the current round. With prefill, a new round starts with
// each participant's ratings of the previous round.
func (d *DB) Step(ctx context.Context, code string, a workshop.Action, round int, prefill bool) (*workshop.Workshop, error) {
	return d.step(ctx, code, a, round, prefill, workshop.RoundRating)
}

// NextRound opens round 1 from the lobby, or the next round after a
// reveal, of the given kind: a rating round, or a cross-impact round (the
// workshop needs descriptors, or 2 to 12 scenarios). With prefill, the new
// round starts with each participant's answers of the previous round if
// it was of the same kind.
func (d *DB) NextRound(ctx context.Context, code string, kind workshop.RoundKind, prefill bool) (*workshop.Workshop, error) {
	return d.step(ctx, code, workshop.ActNextRound, 0, prefill, kind)
}

func (d *DB) step(ctx context.Context, code string, a workshop.Action, round int, prefill bool, kind workshop.RoundKind) (*workshop.Workshop, error) {
	if err := workshop.CheckAction(a); err != nil {
		return nil, err // not found, before the writer is taken
	}
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		cur := w.Round
		if round != 0 && round != cur {
			return workshop.Errorf(workshop.EConflict, "error.round_not_current_round", round, cur)
		}
		to, next, err := workshop.Step(w.State, cur, a)
		if err != nil {
			return err
		}
		if a == workshop.ActNextRound && kind == workshop.RoundCrossImpact {
			if err := w.CheckCrossImpactRound(); err != nil {
				return err
			}
		}
		// A round that takes answers, or the end, closes the ideas phase.
		ideasOpen := w.IdeasOpen && to != workshop.StateOpen && to != workshop.StateFinished
		if _, err := tx.Exec(`UPDATE workshops SET state = $1, round = $2, ideas_open = $3 WHERE id = $4`, string(to), next, ideasOpen, w.ID); err != nil {
			return err
		}
		// Prefill copies the previous round's answers of the same kind.
		prefill = prefill && next != cur && w.KindOf(cur) == kind
		switch {
		case a == workshop.ActNextRound && next == cur: // round 1 from the lobby
			_, err = tx.Exec(`UPDATE rounds SET opened_at = $1, kind = $2 WHERE workshop_id = $3 AND n = $4`, tx.now(), string(kind), w.ID, next)
		case a == workshop.ActNextRound:
			if _, err = tx.Exec(`INSERT INTO rounds (workshop_id, n, opened_at, prefilled, kind) VALUES ($1, $2, $3, $4, $5)`, w.ID, next, tx.now(), prefill, string(kind)); err == nil && prefill && kind == workshop.RoundCrossImpact {
				_, err = tx.Exec(`INSERT INTO judgements (workshop_id, round, participant_id, from_variant, to_variant, score, judged_at)
					SELECT workshop_id, $1, participant_id, from_variant, to_variant, score, $2 FROM judgements WHERE workshop_id = $3 AND round = $4`,
					next, tx.now(), w.ID, cur)
			} else if err == nil && prefill {
				_, err = tx.Exec(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
					SELECT workshop_id, $1, participant_id, scenario_id, criterion_id, value, $2 FROM ratings WHERE workshop_id = $3 AND round = $4`,
					next, tx.now(), w.ID, cur)
				// The new round starts with copies of many ratings: count them again.
				tx.announce(workshop.RecountNeeded{EventHead: head})
			}
		case a == workshop.ActReopen:
			_, err = tx.Exec(`UPDATE rounds SET closed_at = NULL WHERE workshop_id = $1 AND n = $2`, w.ID, cur)
		case a == workshop.ActClose, a == workshop.ActFinish:
			_, err = tx.Exec(`UPDATE rounds SET closed_at = coalesce(closed_at, $1) WHERE workshop_id = $2 AND n = $3`, tx.now(), w.ID, cur)
		case a == workshop.ActReveal:
			_, err = tx.Exec(`UPDATE rounds SET revealed_at = $1 WHERE workshop_id = $2 AND n = $3`, tx.now(), w.ID, cur)
		}
		return err
	})
}

// UpdateSettings changes a workshop's title, description, anonymity,
// participant limit, results visibility and pacing and, unless groups is
// nil, its expert groups as SetGroups does (by is who changes them, for
// the log): one use case, one transaction. Everything is checked before
// anything is written, and a refusal of either part changes neither.
func (d *DB) UpdateSettings(ctx context.Context, code string, set workshop.Settings, groups *[]string, by workshop.User) (*workshop.Workshop, error) {
	if err := set.Clean(); err != nil {
		return nil, err
	}
	var names []string
	if groups != nil {
		var err error
		if names, err = workshop.CleanGroupNames(*groups); err != nil {
			return nil, err
		}
	}
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		regroup := groups != nil && !sameGroups(w.Groups, names)
		if regroup {
			if err := workshop.CheckGroupsChange(w.State); err != nil {
				return err
			}
		}
		if err := checkSettings(w, set); err != nil {
			return err
		}
		if regroup {
			if err := writeGroups(tx, w, names, by); err != nil {
				return err
			}
			// The participants per group change: every view counts again.
			tx.announce(workshop.RecountNeeded{EventHead: head})
		}
		if err := d.failed("groups"); err != nil {
			return err
		}
		return writeSettings(tx, w.ID, set)
	})
}

// checkSettings refuses settings (clean) that workshop w cannot take.
func checkSettings(w *workshop.Workshop, set workshop.Settings) error {
	if w.Anonymised && set.Anonymity == workshop.Pseudonymous {
		return workshop.FieldError("anonymity", "error.workshop_anonymised_cannot_name")
	}
	return nil
}

// writeSettings writes settings (clean and checked) to workshop id.
func writeSettings(tx *Tx, id int64, set workshop.Settings) error {
	// IdeaVotes 0 keeps the workshop's (a form that does not ask).
	_, err := tx.Exec(`UPDATE workshops SET title = $1, description = $2, anonymity = $3, participant_limit = $4, visibility = $5, pacing = $6,
		idea_votes = CASE WHEN $7 = 0 THEN idea_votes ELSE $7 END WHERE id = $8`,
		set.Title, set.Description, string(set.Anonymity), set.ParticipantLimit, string(set.Visibility), string(set.Pacing), set.IdeaVotes, id)
	return err
}

// SetFocus puts one scenario in focus for one-at-a-time pacing.
func (d *DB) SetFocus(ctx context.Context, code string, scenarioID int64) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		if _, ok := w.Scenario(scenarioID); !ok {
			return workshop.FieldErrorf(workshop.ENotFound, "scenario_id", "error.workshop_no_such_scenario")
		}
		_, err := tx.Exec(`UPDATE workshops SET focus_scenario_id = $1 WHERE id = $2`, scenarioID, w.ID)
		return err
	})
}

// changeWorkshop runs change on a workshop in one write transaction, counts
// it in the workshop's seq, and returns the workshop as it is afterwards.
// change announces what it changed, with head: the workshop and the seq
// this change commits as. If it announces nothing, the workshop itself
// changed (WorkshopChanged).
func (d *DB) changeWorkshop(ctx context.Context, code string, change func(*Tx, *workshop.Workshop, workshop.EventHead) error) (*workshop.Workshop, error) {
	tx, err := d.beginWorkshops(ctx, d.workshopID(ctx, code))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := workshopLocked(tx, code)
	if err != nil {
		return nil, err
	}
	head := workshop.EventHead{WorkshopID: w.ID, Seq: w.Seq + 1}
	if err := change(tx, w, head); err != nil {
		return nil, err
	}
	if len(tx.events) == 0 {
		tx.announce(workshop.WorkshopChanged{EventHead: head})
	}
	if _, err := tx.Exec(`UPDATE workshops SET seq = seq + 1, updated_at = $1 WHERE id = $2`, tx.now(), w.ID); err != nil {
		return nil, err
	}
	if w, err = workshopByCode(tx, code); err != nil {
		return nil, err
	}
	gen := d.workshops().generation()
	if err := d.commit(tx, func(c *workshopCache) { c.put(w, gen) }); err != nil {
		return nil, err
	}
	return w, nil
}

func mapErrorNotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "error.no_workshop_code")
	}
	return err
}

// CopyWorkshop creates a new workshop in the lobby with the title,
// scenarios, criteria, settings and expert groups of workshop code, for a
// new group: no participants, no ratings. The copy records code as its
// source (CopiedFrom), for pages to say in the reader's language. The copy
// is made in one transaction: it exists whole or not at all.
func (d *DB) CopyWorkshop(ctx context.Context, owner workshop.User, code string) (*workshop.Workshop, error) {
	return d.newWorkshop(ctx, func(tx *Tx) (string, error) {
		src, err := workshopLocked(tx, code) // its settings and groups as one write left them
		if err != nil {
			return "", err
		}
		deck := workshop.Deck{Slug: src.DeckSlug, Languages: src.Languages, Criteria: src.Criteria, Scenarios: src.Scenarios, Descriptors: src.Descriptors}
		title, err := workshopTitle(deck, src.Title)
		if err != nil {
			return "", err
		}
		set := src.Settings()
		if err := set.Clean(); err != nil {
			return "", err
		}
		names, err := workshop.CleanGroupNames(src.GroupNames())
		if err != nil {
			return "", err
		}
		id, cpCode, err := insertWorkshop(tx, owner, deck, title, false, src.Code)
		if err != nil {
			return "", err
		}
		if err := d.failed("copy"); err != nil {
			return "", err
		}
		if err := writeSettings(tx, id, set); err != nil {
			return "", err
		}
		if len(names) > 0 {
			// The copy has no groups yet: every name is a new group.
			if err := writeGroups(tx, &workshop.Workshop{ID: id}, names, owner); err != nil {
				return "", err
			}
		}
		return cpCode, nil
	})
}

// ArchiveWorkshop puts a finished workshop away: it leaves the dashboard's
// main list and admits nobody; its data stays.
func (d *DB) ArchiveWorkshop(ctx context.Context, code string, archived bool) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, _ workshop.EventHead) error {
		if w.State != workshop.StateFinished {
			return workshop.Errorf(workshop.EConflict, "error.only_finished_workshop_archived")
		}
		_, err := tx.Exec(`UPDATE workshops SET archived_at = $1 WHERE id = $2`, tx.nowIf(archived), w.ID)
		return err
	})
}

// DeleteWorkshop removes a workshop with all its data: participants,
// ratings, reasons, rounds, log.
func (d *DB) DeleteWorkshop(ctx context.Context, code string) error {
	tx, err := d.beginWorkshops(ctx, d.workshopID(ctx, code))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, seq int64
	if err := tx.QueryRow(`SELECT id FROM workshops WHERE code = $1`, code).Scan(&id); err != nil {
		return mapErrorNotFound(err)
	}
	if _, err := tx.lockWorkshop(id); err != nil {
		return err
	}
	if err := tx.QueryRow(`DELETE FROM workshops WHERE id = $1 RETURNING seq`, id).Scan(&seq); err != nil {
		return mapErrorNotFound(err)
	}
	tx.announce(workshop.WorkshopDeleted{EventHead: workshop.EventHead{WorkshopID: id, Seq: seq + 1}})
	return d.commit(tx, func(c *workshopCache) { c.drop(id, code) })
}

// RemoveParticipant deletes every rating and reason of one participant of
// workshop code, in every round, and cuts the link to their device (they
// may join again as someone new). The workshop's log records it, naming the
// pseudonym only.
func (d *DB) RemoveParticipant(ctx context.Context, code string, participantID int64, by workshop.User) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		var pseudonym string
		err := tx.QueryRow(`SELECT pseudonym FROM participants WHERE id = $1 AND workshop_id = $2`, participantID, w.ID).Scan(&pseudonym)
		if errors.Is(err, sql.ErrNoRows) {
			return workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_participant")
		}
		if err != nil {
			return err
		}
		var ratings, reasons int64
		res, err := tx.Exec(`DELETE FROM ratings WHERE participant_id = $1`, participantID)
		if err != nil {
			return err
		}
		ratings, _ = res.RowsAffected()
		if res, err = tx.Exec(`DELETE FROM rationales WHERE participant_id = $1`, participantID); err != nil {
			return err
		}
		reasons, _ = res.RowsAffected()
		// Their votes go; their ideas stay, without an author.
		if _, err := tx.Exec(`DELETE FROM idea_votes WHERE participant_id = $1`, participantID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE ideas SET participant_id = NULL WHERE participant_id = $1`, participantID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE participants SET token_hash = NULL, removed_at = $1 WHERE id = $2`, tx.now(), participantID); err != nil {
			return err
		}
		tx.announce(workshop.ParticipantRemoved{EventHead: head, ParticipantID: participantID})
		return logAction(tx, w.ID, by, workshop.LogParticipantRemoved, workshop.LogFields{Pseudonym: pseudonym, Ratings: int(ratings), Reasons: int(reasons)})
	})
}

// AnonymiseWorkshop irreversibly removes every link between a finished
// workshop's data and devices or names: display names go, the cookie link
// goes, and pseudonyms are drawn anew.
func (d *DB) AnonymiseWorkshop(ctx context.Context, code string, by workshop.User) (*workshop.Workshop, error) {
	return d.changeWorkshop(ctx, code, func(tx *Tx, w *workshop.Workshop, head workshop.EventHead) error {
		if w.State != workshop.StateFinished {
			return workshop.Errorf(workshop.EConflict, "error.finish_workshop_before_anonymising")
		}
		tx.announce(workshop.RecountNeeded{EventHead: head}) // reasons carry pseudonyms
		if _, err := tx.Exec(`UPDATE participants SET display_name = NULL, token_hash = NULL, pseudonym = 'tmp-' || id WHERE workshop_id = $1`, w.ID); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT id FROM participants WHERE workshop_id = $1`, w.ID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			p := workshop.Participant{ID: id, WorkshopID: w.ID}
			if err := redrawPseudonym(tx, &p); err != nil {
				return err
			}
		}
		// Ideas lose their authors, and scenarios from the room their source's pseudonym.
		if _, err := tx.Exec(`UPDATE ideas SET participant_id = NULL WHERE workshop_id = $1`, w.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE scenarios SET source_pseudonym = NULL WHERE workshop_id = $1`, w.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE workshops SET anonymity = 'anonymous', anonymised_at = $1 WHERE id = $2`, tx.now(), w.ID); err != nil {
			return err
		}
		return logAction(tx, w.ID, by, workshop.LogAnonymised, workshop.LogFields{Participants: len(ids)})
	})
}

// logAction records a facilitator's action in the workshop's log: its code
// and facts, which the reader's page puts into words.
func logAction(tx *Tx, workshopID int64, by workshop.User, action workshop.LogAction, f workshop.LogFields) error {
	fields, err := json.Marshal(f)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO workshop_log (workshop_id, at, actor_id, action, fields) VALUES ($1, $2, $3, $4, $5)`,
		workshopID, tx.now(), sql.NullInt64{Int64: by.ID, Valid: by.ID != 0}, string(action), string(fields))
	return err
}

// WorkshopLog returns a workshop's log, newest first.
func (d *DB) WorkshopLog(ctx context.Context, workshopID int64) ([]workshop.LogEntry, error) {
	rows, err := d.reader.QueryContext(ctx, `SELECT l.at, coalesce(u.email, ''), l.action, l.fields FROM workshop_log l
		LEFT JOIN users u ON u.id = l.actor_id WHERE l.workshop_id = $1 ORDER BY l.id DESC`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.LogEntry
	for rows.Next() {
		var e workshop.LogEntry
		var action, fields string
		if err := rows.Scan(timeScan{&e.At}, &e.Actor, &action, &fields); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &e.LogFields); err != nil {
			return nil, fmt.Errorf("workshop log: fields of a %s entry: %w", action, err)
		}
		e.Action = workshop.LogAction(action)
		out = append(out, e)
	}
	return out, rows.Err()
}
