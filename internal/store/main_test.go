package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"foresight/internal/password"
	"foresight/internal/pgtest"
	"foresight/internal/store"
)

// The store's tests run on one engine at a time: SQLite by default, and
// PostgreSQL with FORESIGHT_STORE_ENGINE=postgres (make test runs both).
// On PostgreSQL, a throwaway cluster serves the whole run and each test
// gets a database of its own, copied from one that is already migrated.
var (
	onPostgres bool
	cluster    *pgtest.Cluster
	template   string // the migrated database each test's copies
)

// TestMain makes password hashing cheap for the account tests (the real
// cost is tested in internal/password) and starts PostgreSQL if asked.
func TestMain(m *testing.M) {
	password.UseLowCostInTests()
	switch engine := os.Getenv("FORESIGHT_STORE_ENGINE"); engine {
	case "", "sqlite":
	case "postgres":
		onPostgres = true
		c, err := pgtest.Start()
		if err != nil {
			if pgtest.Required() {
				fmt.Fprintf(os.Stderr, "FORESIGHT_PG=required, but PostgreSQL cannot start: %v\n", err)
				os.Exit(1)
			}
			fmt.Printf("store tests on PostgreSQL skipped: %v (FORESIGHT_PG=required makes this a failure)\n", err)
			os.Exit(0)
		}
		cluster = c
		if template, err = migratedTemplate(); err != nil {
			c.Stop()
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		code := m.Run()
		c.Stop()
		os.Exit(code)
	default:
		fmt.Fprintf(os.Stderr, "FORESIGHT_STORE_ENGINE=%q: want sqlite or postgres\n", engine)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// migratedTemplate makes the database that tests copy, with every
// migration applied, and returns its name.
func migratedTemplate() (string, error) {
	url, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		return "", err
	}
	d, err := store.Open(url)
	if err != nil {
		return "", fmt.Errorf("migrate the template: %w\n%s", err, cluster.Log())
	}
	d.Close()
	return databaseName(url), nil
}

// databaseName is the database a cluster URL names.
func databaseName(url string) string {
	name := url[len("postgres:///"):]
	for i, c := range name {
		if c == '?' {
			return name[:i]
		}
	}
	return name
}

// MustOpenDB opens a new, empty database: a real file in a temporary
// folder, or a new database on the test cluster.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	dsn := filepath.Join(tb.TempDir(), "test.db")
	if onPostgres {
		url, err := cluster.CreateDatabase(context.Background(), template)
		if err != nil {
			tb.Fatal(err)
		}
		dsn = url
	}
	db, err := store.Open(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// sqliteOnly skips a test of what only the SQLite engine has (its file,
// its pragmas, its backups, its migrations from earlier releases).
func sqliteOnly(tb testing.TB) {
	tb.Helper()
	if onPostgres {
		tb.Skip("SQLite only")
	}
}

// mustOpenTwice opens one new PostgreSQL database twice, as two servers
// share it.
func mustOpenTwice(tb testing.TB) (a, b *store.DB) {
	tb.Helper()
	url, err := cluster.CreateDatabase(context.Background(), template)
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range []**store.DB{&a, &b} {
		if *d, err = store.Open(url); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { (*d).Close() })
	}
	return a, b
}
