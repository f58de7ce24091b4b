package store_test

import (
	"os"
	"testing"

	"foresight/internal/password"
)

// TestMain makes password hashing cheap for the account tests; the real
// cost is tested in internal/password.
func TestMain(m *testing.M) {
	password.UseLowCostInTests()
	os.Exit(m.Run())
}
