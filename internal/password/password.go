// Package password hashes and verifies account passwords with argon2id.
// The whole password is hashed: no truncation at 72 bytes as with bcrypt.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"foresight/internal/workshop"
)

// Limits of a password, in characters.
const (
	MinLen = 10
	MaxLen = 1024
)

// Parameters of argon2id (RFC 9106's second recommended option, with less
// memory so a small server can take a burst of logins). Verify reads them
// from the hash, so they may change without breaking stored hashes.
var (
	timeCost uint32 = 3
	memoryKB uint32 = 64 * 1024
	threads  uint8  = 2
)

const (
	keyLen  = 32
	saltLen = 16
)

// UseLowCostInTests makes new hashes cheap (one pass over 1 MiB) for test
// suites that create and sign in many accounts; they call it first thing in
// TestMain. It panics outside a test binary, so a server can never weaken
// its hashes. Hashes made with it verify like any other.
func UseLowCostInTests() {
	if !testing.Testing() {
		panic("password.UseLowCostInTests called outside a test")
	}
	timeCost, memoryKB, threads = 1, 1024, 1
}

// Check reports a problem with a new password as an error of the field
// "password" that is safe to show, or nil.
func Check(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return workshop.FieldError("password", "error.password_not_valid_text")
	case n < MinLen:
		return workshop.FieldError("password", "error.use_least_characters", MinLen)
	case n > MaxLen:
		return workshop.FieldError("password", "error.use_most_characters", MaxLen)
	}
	return nil
}

// Hash returns the encoded argon2id hash of pw in the PHC string format.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, timeCost, memoryKB, threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memoryKB, timeCost, threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time.
func Verify(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummy is verified against when an account does not exist, so a login for
// an unknown email takes as long as one for a known email.
var dummy, _ = Hash("not-a-real-password")

// VerifyDummy spends the time of one verification and returns false.
func VerifyDummy(pw string) bool {
	Verify(dummy, pw)
	return false
}
