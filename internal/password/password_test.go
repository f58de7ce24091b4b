package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if !Verify(h, "correct horse battery") {
		t.Fatal("the right password does not verify")
	}
	if Verify(h, "correct horse batterY") {
		t.Fatal("a wrong password verifies")
	}
	if Verify("garbage", "x") || Verify("$argon2id$v=19$m=1,t=1,p=1$$", "") {
		t.Fatal("a malformed hash verifies")
	}
}

// Bcrypt silently ignores bytes after the 72nd; argon2id must not.
func TestNoTruncation(t *testing.T) {
	a := strings.Repeat("a", 99) + "b"
	b := strings.Repeat("a", 99) + "c"
	h, err := Hash(a)
	if err != nil {
		t.Fatal(err)
	}
	if Verify(h, b) {
		t.Fatal("passwords that differ after byte 72 match")
	}
}

func TestCheck(t *testing.T) {
	if Check("short") == nil {
		t.Error("a 5-character password is accepted")
	}
	if Check("long enough password") != nil {
		t.Error("a good password is refused")
	}
	if Check(strings.Repeat("x", MaxLen+1)) == nil {
		t.Error("an over-long password is accepted")
	}
}

// The real cost is what Hash uses unless a test binary lowered it; a test
// of this package never does.
func TestHashUsesTheRealCost(t *testing.T) {
	h, err := Hash("long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q does not carry m=65536,t=3,p=2", h)
	}
}
