package workshop

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// Fuzz targets for every parser of outside input in the domain. Their seed
// corpora live in testdata/fuzz and run as ordinary tests.

func FuzzParseDeck(f *testing.F) {
	builtin, err := os.ReadFile("decks/nato-afghanistan.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(builtin)
	f.Add([]byte(minimalDeck))
	f.Add([]byte(`{"schema":1,"slug":"x","languages":["en"],"title":{"en":"\u202e"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDeck(bytes.NewReader(data))
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		// A deck that parsed is valid, and survives its own export.
		again, err := ParseDeck(bytes.NewReader(d.JSON()))
		if err != nil {
			t.Fatalf("the exported deck does not parse: %v", err)
		}
		if !bytes.Equal(again.JSON(), d.JSON()) {
			t.Fatal("export, import and export again differ")
		}
	})
}

func FuzzParseScenariosCSV(f *testing.F) {
	f.Add([]byte("title,narrative,source\nA,B,C\n"))
	f.Add([]byte("\xef\xbb\xbfTitle;Narrative\n\"x\",\"y\"\n"))
	f.Add([]byte("a,\"b\nc\",d\n,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		scenarios, err := ParseScenariosCSV(bytes.NewReader(data), DefaultLanguage)
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("an untyped error: %v", err)
			}
			return
		}
		for _, s := range scenarios {
			if s.Title[DefaultLanguage] == "" || s.Narrative[DefaultLanguage] == "" {
				t.Fatalf("a scenario without title or narrative: %+v", s)
			}
			for _, text := range []string{s.Title[DefaultLanguage], s.Narrative[DefaultLanguage], s.Source[DefaultLanguage]} {
				if CheckText(text, MaxTextRunes) != nil {
					t.Fatalf("unclean text came through: %q", text)
				}
			}
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	f.Add("k7qf-m2xd")
	f.Add(" K7QF M2XD ")
	f.Add("ÄÖÜ")
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := NormalizeCode(s)
		if !ok {
			return
		}
		if len(code) != CodeLen || strings.Trim(code, CodeAlphabet) != "" {
			t.Fatalf("NormalizeCode(%q) = %q is not canonical", s, code)
		}
		if again, _ := NormalizeCode(GroupCode(code)); again != code {
			t.Fatalf("grouping %q does not normalise back", code)
		}
	})
}
