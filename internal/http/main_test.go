package http_test

import (
	"os"
	"testing"

	"foresight/internal/password"
)

// TestMain makes password hashing cheap: these tests create and sign in
// hundreds of accounts, and argon2id at its real cost (64 MiB) made the
// suite minutes slower under the race detector. internal/password tests
// the real cost.
func TestMain(m *testing.M) {
	password.UseLowCostInTests()
	os.Exit(m.Run())
}
