package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"foresight/internal/workshop"
)

// CreateDeck stores a new deck owned by owner. The deck is validated; its
// slug must be free (built-in slugs are checked by the caller, which knows
// them). A taken slug gets a numbered suffix when unique is set.
func (d *DB) CreateDeck(ctx context.Context, owner workshop.User, deck workshop.Deck, unique bool) (workshop.Deck, error) {
	if err := deck.Validate(); err != nil {
		return deck, err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return deck, err
	}
	defer tx.Rollback()
	base := deck.Slug
	for i := 2; ; i++ {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM decks WHERE slug = $1`, deck.Slug).Scan(&n); err != nil {
			return deck, err
		}
		if n == 0 {
			break
		}
		if !unique || i > 1000 {
			return deck, workshop.FieldError("slug", "error.deck_slug_exists_already", deck.Slug)
		}
		deck.Slug = fmt.Sprintf("%s-%d", trimSlug(base, 55), i)
	}
	deck.OwnerID, deck.BuiltIn = owner.ID, false
	var id int64
	if err := tx.QueryRow(`INSERT INTO decks (slug, owner_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		deck.Slug, owner.ID, string(deck.JSON()), tx.now(), tx.now()).Scan(&id); err != nil {
		return deck, mapError(err)
	}
	tx.announce(workshop.DeckChanged{DeckID: id})
	return deck, d.commit(tx, nil)
}

func trimSlug(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// UpdateDeck replaces the content of deck slug. Workshops made from it keep
// their own snapshot and do not change.
func (d *DB) UpdateDeck(ctx context.Context, slug string, deck workshop.Deck) error {
	deck.Slug = slug
	if err := deck.Validate(); err != nil {
		return err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRow(`UPDATE decks SET body = $1, updated_at = $2 WHERE slug = $3 RETURNING id`, string(deck.JSON()), tx.now(), slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "error.no_deck", slug)
	}
	if err != nil {
		return mapError(err)
	}
	tx.announce(workshop.DeckChanged{DeckID: id})
	return d.commit(tx, nil)
}

// DeleteDeck removes a deck. Workshops made from it keep their snapshot.
func (d *DB) DeleteDeck(ctx context.Context, slug string) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRow(`DELETE FROM decks WHERE slug = $1 RETURNING id`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "error.no_deck", slug)
	}
	if err != nil {
		return err
	}
	tx.announce(workshop.DeckChanged{DeckID: id})
	return d.commit(tx, nil)
}

// DeckBySlug returns a stored deck.
func (d *DB) DeckBySlug(ctx context.Context, slug string) (workshop.Deck, error) {
	return scanDeck(d.reader.QueryRowContext(ctx, `SELECT owner_id, body FROM decks WHERE slug = $1`, slug))
}

// DecksFor lists the decks a user may use and edit: their own, or all for
// an organiser; newest first.
func (d *DB) DecksFor(ctx context.Context, u workshop.User) ([]workshop.Deck, error) {
	rows, err := d.reader.QueryContext(ctx, `SELECT owner_id, body FROM decks WHERE owner_id = $1 OR $2 ORDER BY updated_at DESC, id DESC`,
		u.ID, u.Role == workshop.RoleOrganiser)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Deck
	for rows.Next() {
		deck, err := scanDeck(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, deck)
	}
	return out, rows.Err()
}

func scanDeck(row interface{ Scan(...any) error }) (workshop.Deck, error) {
	var owner int64
	var body []byte
	if err := row.Scan(&owner, &body); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return workshop.Deck{}, workshop.Errorf(workshop.ENotFound, "error.no_such_deck")
		}
		return workshop.Deck{}, err
	}
	deck, err := workshop.ParseDeck(bytes.NewReader(body))
	if err != nil {
		return deck, fmt.Errorf("stored deck does not parse: %w", err)
	}
	deck.OwnerID = owner
	return deck, nil
}
