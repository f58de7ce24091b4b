package store_test

import (
	"os"
	"testing"

	"foresight/internal/password"
	"foresight/internal/pgtest"
	"foresight/internal/store"
)

// TestMain makes password hashing cheap for the account tests (the real
// cost is tested in internal/password) and runs the tests on SQLite, or
// on PostgreSQL with FORESIGHT_STORE_ENGINE=postgres (pgtest.RunSuite).
func TestMain(m *testing.M) {
	password.UseLowCostInTests()
	os.Exit(pgtest.RunSuite(m, migrate))
}

// migrate opens the database at dsn, which applies the migrations.
func migrate(dsn string) error {
	d, err := store.Open(dsn)
	if err != nil {
		return err
	}
	return d.Close()
}

// MustOpenDB opens a new, empty database: a real file in a temporary
// folder, or a new database on the test cluster.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(pgtest.NewDatabase(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// sqliteOnly skips a test of what only SQLite has on a PostgreSQL run.
func sqliteOnly(tb testing.TB) { pgtest.SQLiteOnly(tb) }

// mustOpenTwice opens one new PostgreSQL database twice, as two servers
// share it.
func mustOpenTwice(tb testing.TB) (a, b *store.DB) {
	tb.Helper()
	url := pgtest.NewDatabase(tb)
	for _, d := range []**store.DB{&a, &b} {
		var err error
		if *d, err = store.Open(url); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { (*d).Close() })
	}
	return a, b
}
