package i18n

import (
	"context"
	"testing"
	"time"
)

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "en",
		"pl":                      "pl",
		"pl-PL,pl;q=0.9,en;q=0.8": "pl",
		"en-GB,en;q=0.9,pl;q=0.8": "en",
		"de-DE,de;q=0.9,pl;q=0.5": "pl",
		"de, fr":                  "en",
		"en;q=0.1, pl;q=0.7":      "pl",
		"pl;q=0":                  "en",
		"PL-pl":                   "pl",
		"pl;q=nonsense, en;q=0.2": "en",
		"*":                       "en",
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestPluralForms(t *testing.T) {
	pl := WithLang(context.Background(), Polish)
	en := WithLang(context.Background(), English)
	for n, want := range map[int]string{0: "0 osób", 1: "1 osoba", 2: "2 osoby", 4: "4 osoby", 5: "5 osób",
		11: "11 osób", 12: "12 osób", 14: "14 osób", 21: "21 osób", 22: "22 osoby", 104: "104 osoby", 112: "112 osób"} {
		if got := N(pl, n, "%d participant", "%d participants"); got != want {
			t.Errorf("Polish N(%d) = %q, want %q", n, got, want)
		}
	}
	if got := N(en, 1, "%d participant", "%d participants"); got != "1 participant" {
		t.Errorf("English N(1) = %q", got)
	}
	if got := N(en, 0, "%d participant", "%d participants"); got != "0 participants" {
		t.Errorf("English N(0) = %q", got)
	}
}

func TestLookupAndFallback(t *testing.T) {
	pl := WithLang(context.Background(), Polish)
	if got := T(pl, "Skip to content"); got != "Przejdź do treści" {
		t.Errorf("T = %q", got)
	}
	if got := T(pl, "a string nobody translated"); got != "a string nobody translated" {
		t.Errorf("missing translations fall back to English, got %q", got)
	}
	if got := Lang(WithLang(context.Background(), "de")); got != English {
		t.Errorf("unsupported language kept: %q", got)
	}
	if got := T(context.Background(), "Skip to content"); got != "Skip to content" {
		t.Errorf("no language in context: %q", got)
	}
}

func TestNumbersAndDates(t *testing.T) {
	pl := WithLang(context.Background(), Polish)
	en := WithLang(context.Background(), English)
	cases := []struct{ got, want string }{
		{Decimal(en, 3.5, 2), "3.5"},
		{Decimal(pl, 3.5, 2), "3,5"},
		{Decimal(pl, 3, 2), "3"},
		{Decimal(en, -0.25, 2), "−0.25"},
		{Decimal(en, -0.001, 2), "0"},
		{Integer(en, 10000), "10,000"},
		{Integer(pl, 10000), "10\u00a0000"},
		{Integer(pl, 2000), "2000"},
		{Integer(en, 999), "999"},
		{Date(en, time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)), "27 November 2026"},
		{Date(pl, time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)), "27 listopada 2026"},
		{DateTime(pl, time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)), "2 marca 2026, 09:05 UTC"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
