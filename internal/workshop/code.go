package workshop

import (
	"crypto/rand"
	"strings"
)

// CodeAlphabet leaves out characters that are easily confused when read aloud
// or from a projector: 0/O, 1/I/L, and U/V. 29 symbols, 8 of them: about 38.9 bits.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// CodeLen is the length of a join code in canonical form.
const CodeLen = 8

// NewCode returns a random join code in canonical form (upper case, no separator).
func NewCode() string { return randomCode(CodeLen) }

// NewPseudonym returns a random participant pseudonym such as "P-7KQ2M".
func NewPseudonym() string { return "P-" + randomCode(5) }

// randomCode draws n symbols of CodeAlphabet.
func randomCode(n int) string {
	b := make([]byte, n)
	// 256 is not a multiple of the
	// alphabet size, so reject bytes above the largest multiple.
	limit := byte(256 - 256%len(CodeAlphabet))
	buf := make([]byte, 1)
	for i := 0; i < n; {
		rand.Read(buf)
		if buf[0] >= limit {
			continue
		}
		b[i] = CodeAlphabet[int(buf[0])%len(CodeAlphabet)]
		i++
	}
	return string(b)
}

// NormalizeCode turns what a person typed ("k7qf-m2xd", " K7QF M2XD ") into the
// canonical form. It reports false when the result cannot be a join code.
func NormalizeCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		if r > 127 || !strings.ContainsRune(CodeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}

// GroupCode formats a canonical code for display: "K7QFM2XD" -> "K7QF-M2XD".
func GroupCode(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}
