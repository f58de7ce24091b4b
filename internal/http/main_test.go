package http_test

import (
	"os"
	"testing"

	"foresight/internal/password"
	"foresight/internal/pgtest"
	"foresight/internal/store"
)

// TestMain makes password hashing cheap: these tests create and sign in
// hundreds of accounts, and argon2id at its real cost (64 MiB) made the
// suite minutes slower under the race detector. internal/password tests
// the real cost. The tests run on SQLite, or on PostgreSQL with
// FORESIGHT_STORE_ENGINE=postgres (pgtest.RunSuite).
func TestMain(m *testing.M) {
	password.UseLowCostInTests()
	os.Exit(pgtest.RunSuite(m, func(url string) error {
		db, err := store.Open(url)
		if err != nil {
			return err
		}
		return db.Close()
	}))
}
