package workshop

import (
	"strings"
	"testing"
)

func TestTextLanguage(t *testing.T) {
	w := &Workshop{Languages: []string{"pl", "en"}}
	for lang, want := range map[string]string{"en": "en", "pl": "pl", "de": "pl"} {
		if got := w.TextLanguage(lang); got != want {
			t.Errorf("TextLanguage(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := (&Workshop{}).TextLanguage("pl"); got != DefaultLanguage {
		t.Errorf("no languages: %q", got)
	}
}

// A message made of another error (a text check inside a field's message)
// is translated through, argument and all.
func TestLocalizeNestedErrors(t *testing.T) {
	inner := CheckText("a\u202Eb", 100)
	outer := FieldError("description", "The description %s", inner)
	if outer.Message != "The description contains a bidirectional control character" {
		t.Fatalf("English message %q", outer.Message)
	}
	upper := func(s string) string { return "<" + s + ">" }
	if got := outer.Localize(upper); got != "<The description <contains a bidirectional control character>>" {
		t.Fatalf("Localize = %q", got)
	}
	if _, _, err := Step(StateLobby, 1, ActClose); err == nil || err.(*Error).Localize(upper) != "<Voting is not open.>" {
		t.Fatalf("Step's conflict is not a translatable format: %v", err)
	}
}

// A CSV header may name its columns in English or in Polish, in any order.
func TestParseScenariosCSVHeaders(t *testing.T) {
	for _, data := range []string{
		"title,narrative,source\nA,Story A,Sec. 1\n",
		"Narrative;Title\nStory A;A\n",
		"Tytuł,Narracja,Źródło\nA,Story A,Sec. 1\n",
		"Titre,Récit,Source\nA,Story A,Sec. 1\n",
		"A,Story A\n", // no header: title, narrative, source
	} {
		got, err := ParseScenariosCSV(strings.NewReader(strings.ReplaceAll(data, ";", ",")), DefaultLanguage)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if len(got) != 1 || got[0].Title["en"] != "A" || got[0].Narrative["en"] != "Story A" {
			t.Fatalf("%q: %+v", data, got)
		}
	}
	if _, err := ParseScenariosCSV(strings.NewReader("tytuł,źródło\nA,B\n"), DefaultLanguage); err == nil {
		t.Fatal("a header without a narrative column was accepted")
	}
}

// A CSV file's texts go into the language the importer names; the deck is
// then in that language alone, its default criteria too.
func TestImportDeckCSVLanguage(t *testing.T) {
	d, err := ImportDeck("wody.csv", []byte("tytuł,narracja\nSusza,Rzeki wysychają.\n"), "pl")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Languages) != 1 || d.Languages[0] != "pl" || d.Title["pl"] != "wody" || d.Scenarios[0].Title["pl"] != "Susza" ||
		d.Criteria[0].Name["pl"] != "Prawdopodobieństwo" || d.Criteria[0].Name["en"] != "" {
		t.Fatalf("deck %s", d.JSON())
	}
	if _, err := ImportDeck("x.csv", []byte("A,B\n"), "Polish"); ErrorCode(err) != EInvalid {
		t.Fatalf("a language that is not a code: %v", err)
	}
}

func TestSlugify(t *testing.T) {
	for title, want := range map[string]string{
		"Water futures": "water-futures",
		"Przyszłość wody, źródła i żegluga":  "przyszlosc-wody-zrodla-i-zegluga",
		"ĄĆĘŁŃÓŚŹŻ":                          "acelnoszz",
		"Sécurité européenne, cœur de l'été": "securite-europeenne-coeur-de-l-ete",
		"  --  ": "deck",
	} {
		if got := Slugify(title); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", title, got, want)
		}
	}
}
