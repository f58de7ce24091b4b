package sqlite

import (
	"context"
	"database/sql"
	"testing"

	"foresight/internal/workshop"
)

// RawQueryRow runs a read query straight on the database, for tests that
// check what is stored beyond what the store's methods show.
func (d *DB) RawQueryRow(tb testing.TB, query string, args ...any) *sql.Row {
	tb.Helper()
	return d.reader.QueryRowContext(context.Background(), query, args...)
}

// WorkshopFromDisk reads a workshop straight from the database, past the
// cache, to compare with what WorkshopByCode serves.
func (d *DB) WorkshopFromDisk(tb testing.TB, code string) (*workshop.Workshop, error) {
	tb.Helper()
	tx, err := d.read(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	return workshopByCode(tx, code)
}

// EmptyWorkshopCache makes the next reads of every workshop miss the cache,
// as after a restart, without the writers' knowledge.
func (d *DB) EmptyWorkshopCache() {
	c := d.workshops()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++ // as a deletion does: a read that started before may not fill
	c.byCode = map[string]*cacheEntry{}
	c.byID = map[int64]*cacheEntry{}
}
