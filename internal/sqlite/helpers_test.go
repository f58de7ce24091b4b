package sqlite

import (
	"context"
	"database/sql"
	"testing"
)

// RawQueryRow runs a read query straight on the database, for tests that
// check what is stored beyond what the store's methods show.
func (d *DB) RawQueryRow(tb testing.TB, query string, args ...any) *sql.Row {
	tb.Helper()
	return d.reader.QueryRowContext(context.Background(), query, args...)
}
