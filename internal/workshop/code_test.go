package workshop

import "testing"

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"K7QFM2XD", "K7QFM2XD", true},
		{"k7qf-m2xd", "K7QFM2XD", true},
		{" K7QF M2XD ", "K7QFM2XD", true},
		{"K7QF-M2X", "", false},   // too short
		{"K7QF-M2XDD", "", false}, // too long
		{"K7QF-M2X0", "", false},  // 0 is not in the alphabet
		{"K7QF-M2XÖ", "", false},  // not ASCII
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if n, ok := NormalizeCode(c); !ok || n != c {
			t.Fatalf("NewCode() = %q is not canonical", c)
		}
		seen[c] = true
	}
	if len(seen) < 999 {
		t.Fatalf("1000 codes had only %d distinct", len(seen))
	}
	if got := GroupCode("K7QFM2XD"); got != "K7QF-M2XD" {
		t.Fatalf("GroupCode = %q", got)
	}
}
