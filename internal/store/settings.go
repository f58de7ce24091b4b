package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"

	"foresight/internal/workshop"
)

// SessionKeys returns the cookie signing and encryption keys kept in the
// database, generating them on first use, so a restart keeps everyone signed in.
func (d *DB) SessionKeys(ctx context.Context) (hashKey, blockKey []byte, err error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	created := false
	get := func(name string, size int) ([]byte, error) {
		var v []byte
		err := tx.QueryRow(`SELECT value FROM settings WHERE key = $1`, name).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			v = make([]byte, size)
			rand.Read(v)
			_, err = tx.Exec(`INSERT INTO settings (key, value) VALUES ($1, $2)`, name, v)
			created = true
		}
		return v, err
	}
	if hashKey, err = get("session_hash_key", 64); err != nil {
		return nil, nil, err
	}
	if blockKey, err = get("session_block_key", 32); err != nil {
		return nil, nil, err
	}
	if created {
		tx.announce(workshop.KeysCreated{})
	}
	return hashKey, blockKey, d.commit(tx, nil)
}
