package i18n

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	pl = WithLang(context.Background(), "pl")
	en = WithLang(context.Background(), "en")
	fr = WithLang(context.Background(), "fr")
)

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "en",
		"pl":                      "pl",
		"pl-PL,pl;q=0.9,en;q=0.8": "pl",
		"en-GB,en;q=0.9,pl;q=0.8": "en",
		"de-DE,de;q=0.9,pl;q=0.5": "pl",
		"de, it":                  "en",
		"fr-CA,fr;q=0.9,en;q=0.8": "fr",
		"nl-BE,fr-BE;q=0.8":       "fr",
		"de, fr":                  "fr",
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
	for n, want := range map[int]string{0: "0 osób", 1: "1 osoba", 2: "2 osoby", 4: "4 osoby", 5: "5 osób",
		11: "11 osób", 12: "12 osób", 14: "14 osób", 21: "21 osób", 22: "22 osoby", 104: "104 osoby", 112: "112 osób",
		1022: "1022 osoby", 1012: "1012 osób", -2: "-2 osoby"} {
		if got := N(pl, n, "facilitator.participants_count"); got != want {
			t.Errorf("Polish N(%d) = %q, want %q", n, got, want)
		}
	}
	// French: "one" is 0 and 1, "many" whole millions.
	for n, want := range map[int]string{0: "0 participant", 1: "1 participant", 2: "2 participants", 1_000_000: "1000000 participants"} {
		if got := N(fr, n, "facilitator.participants_count"); got != want {
			t.Errorf("French N(%d) = %q, want %q", n, got, want)
		}
	}
	if got := N(en, 1, "facilitator.participants_count"); got != "1 participant" {
		t.Errorf("English N(1) = %q", got)
	}
	if got := N(en, 0, "facilitator.participants_count"); got != "0 participants" {
		t.Errorf("English N(0) = %q", got)
	}
}

func TestLookupAndFallback(t *testing.T) {
	if got := T(pl, "layout.skip_content"); got != "Przejdź do treści" {
		t.Errorf("T = %q", got)
	}
	if got := T(pl, "no.such_message"); got != "no.such_message" {
		t.Errorf("an unknown id is shown as it is, got %q", got)
	}
	if got := Lang(WithLang(context.Background(), "de")); got != Default {
		t.Errorf("unsupported language kept: %q", got)
	}
	if got := T(context.Background(), "layout.skip_content"); got != "Skip to content" {
		t.Errorf("no language in context: %q", got)
	}
	if got := Tf(pl, "layout.sign_out", "a@example.org"); !strings.Contains(got, "a@example.org") {
		t.Errorf("Tf = %q", got)
	}
	if got := Languages(); !slices.Equal(got, []string{"en", "fr", "pl"}) {
		t.Errorf("Languages() = %q", got)
	}
	if Name("pl") != "Polski" || Name("en") != "English" || Name("fr") != "Français" {
		t.Errorf("names %q, %q, %q", Name("pl"), Name("en"), Name("fr"))
	}
	if LanguageName(pl, "en") != "angielski" || LanguageName(en, "pl") != "Polish" || LanguageName(en, "de") != "de" {
		t.Errorf("language names %q %q %q", LanguageName(pl, "en"), LanguageName(en, "pl"), LanguageName(en, "de"))
	}
	if LanguageName(fr, "pl") != "polonais" || LanguageName(pl, "fr") != "francuski" || LanguageName(en, "fr") != "French" {
		t.Errorf("French names %q %q %q", LanguageName(fr, "pl"), LanguageName(pl, "fr"), LanguageName(en, "fr"))
	}
}

func TestNumbersAndDates(t *testing.T) {
	cases := []struct{ got, want string }{
		{Decimal(en, 3.5, 2), "3.5"},
		{Decimal(pl, 3.5, 2), "3,5"},
		{Decimal(pl, 3, 2), "3"},
		{Decimal(en, -0.25, 2), "−0.25"},
		{Decimal(pl, -0.25, 2), "−0,25"},
		{Decimal(en, -0.001, 2), "0"},
		{Integer(en, 10000), "10,000"},
		{Integer(en, 1000), "1,000"},
		{Integer(en, -1234567), "−1,234,567"},
		{Integer(pl, 10000), "10\u00a0000"},
		{Integer(pl, 2000), "2000"},
		{Integer(pl, 1234567), "1\u00a0234\u00a0567"},
		{Integer(en, 999), "999"},
		{Date(en, time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)), "27 November 2026"},
		{Date(pl, time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)), "27 listopada 2026"},
		{DateTime(pl, time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)), "2 marca 2026, 09:05 UTC"},
		{DateTime(en, time.Date(2026, 3, 2, 9, 5, 0, 0, time.FixedZone("x", 3600))), "2 March 2026, 08:05 UTC"},
		{Decimal(fr, -12.5, 2), "−12,5"},
		{Integer(fr, 1000), "1\u202f000"},
		{Integer(fr, 999), "999"},
		{Integer(fr, 1234567), "1\u202f234\u202f567"},
		{Date(fr, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)), "7 décembre 2026"},
		{Date(fr, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), "1er décembre 2026"}, // the first is an ordinal in French
		{Date(en, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), "1 December 2026"},
		{Date(pl, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), "1 grudnia 2026"},
		{DateTime(fr, time.Date(2026, 8, 15, 14, 5, 0, 0, time.UTC)), "15 août 2026 à 14:05 UTC"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// TestPercent: the percent sign follows each catalog's format.percent;
// English and Polish write it straight after the number, French after a
// narrow no-break space.
func TestPercent(t *testing.T) {
	for _, c := range []struct {
		ctx  context.Context
		f    float64
		want string
	}{
		{en, 12.5, "12.5%"},
		{pl, 12.5, "12,5%"},
		{fr, 12.5, "12,5\u202f%"},
		{fr, 80, "80\u202f%"},
		{en, 0, "0%"},
	} {
		if got := Percent(c.ctx, c.f, 1); got != c.want {
			t.Errorf("Percent(%s, %v) = %q, want %q", Lang(c.ctx), c.f, got, c.want)
		}
	}
}

// TestLoadDirectory adds a language and overrides a message from a
// directory, as an operator would, then restores the built-in catalogs.
func TestLoadDirectory(t *testing.T) {
	t.Cleanup(func() {
		if err := Load(""); err != nil {
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	enJSON, err := builtin.ReadFile("locales/en.json")
	if err != nil {
		t.Fatal(err)
	}
	pt := strings.Replace(string(enJSON), `"language.name": "English"`, `"language.name": "Português"`, 1)
	pt = strings.Replace(pt, `"layout.skip_content": "Skip to content"`, `"layout.skip_content": "Ir para o conteúdo"`, 1)
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pt.json", pt)
	write("pl.json", `{"layout.skip_content": "Do treści"}`)
	write("notes.txt", "not a catalog")
	if err := Load(dir); err != nil {
		t.Fatal(err)
	}
	if got := Languages(); !slices.Equal(got, []string{"en", "fr", "pl", "pt"}) {
		t.Errorf("Languages() = %q", got)
	}
	ptCtx := WithLang(context.Background(), "pt")
	if Name("pt") != "Português" || T(ptCtx, "layout.skip_content") != "Ir para o conteúdo" || Negotiate("pt-BR, en;q=0.5") != "pt" {
		t.Errorf("Portuguese not loaded: %q %q %q", Name("pt"), T(ptCtx, "layout.skip_content"), Negotiate("pt-BR"))
	}
	if got := T(pl, "layout.skip_content"); got != "Do treści" {
		t.Errorf("override not applied: %q", got)
	}
	if got := T(pl, "layout.account"); got != "Konto" {
		t.Errorf("built-in Polish lost by the override: %q", got)
	}
	if LanguageName(pl, "pt") != "Português" {
		t.Errorf("a language without a name in the catalog: %q", LanguageName(pl, "pt"))
	}
	// Portuguese's CLDR rules, like French's, have "many" for a million;
	// the copied English message has only one/other, so Problems names the
	// gap and N falls back to "other".
	if got := N(ptCtx, 1_000_000, "facilitator.participants_count"); got != "1000000 participants" {
		t.Errorf("Portuguese N = %q", got)
	}
	if got := N(ptCtx, 0, "facilitator.participants_count"); got != "0 participant" {
		t.Errorf("Portuguese N(0) is singular: %q", got)
	}
	problems := strings.Join(Problems(), "\n")
	for _, want := range []string{`pt: facilitator.participants_count lacks the plural form "many"`, "pl: languages.pt is missing", "fr: languages.pt is missing"} {
		if !strings.Contains(problems, want) {
			t.Errorf("Problems() lacks %q:\n%s", want, problems)
		}
	}

	// Catalogs that cannot be used are refused, and the ones in use stay.
	for name, content := range map[string]string{
		"de.json":  `{"layout.skip_content": "Zum Inhalt"}`,                           // no language.name
		"tlh.json": `{"language.name": "tlhIngan Hol"}`,                               // no plural rules
		"it.json":  `{"language.name": "Italiano", "a.b": "x", "a.b": "y"}`,           // a message twice
		"es.json":  `{"language.name": "Español", "format.group_min_digits": "many"}`, // a format that is not one
	} {
		bad := t.TempDir()
		if err := os.WriteFile(filepath.Join(bad, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Load(bad); err == nil {
			t.Errorf("%s was loaded", name)
		}
	}
	if !Supported("pt") {
		t.Error("a failed load dropped the catalogs in use")
	}
	if err := Load(filepath.Join(dir, "nope")); err == nil {
		t.Error("a missing directory was accepted")
	}
}

// TestLargeCountsFollowTheRules checks the shortcut pluralForm takes for
// counts from 1000 against go-i18n's rules, in the built-in languages,
// French among them (whose "many" is for whole millions).
func TestLargeCountsFollowTheRules(t *testing.T) {
	for _, lang := range Languages() {
		c := catalogs().byLang[lang]
		for n := 0; n < 3_000_000; n += 997 {
			for _, m := range []int{n, n + 1, n + 12, n - n%1_000_000} {
				if got, want := c.pluralForm(m), c.localizedForm(m); got != want {
					t.Fatalf("%s: the plural form of %d is %q, go-i18n says %q", lang, m, got, want)
				}
			}
		}
	}
	if got := catalogs().byLang["fr"].pluralForm(2_000_000); got != "many" {
		t.Errorf("French 2,000,000: %q", got)
	}
}
