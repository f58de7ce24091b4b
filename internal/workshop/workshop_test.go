package workshop

import (
	"context"
	"strings"
	"testing"

	"foresight/internal/i18n"
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
// is rendered through, argument and all; the domain holds ids, not text.
func TestNestedErrorsRenderThrough(t *testing.T) {
	inner := CheckText("a\u202Eb", 100)
	outer := FieldError("description", "error.description", inner)
	texts := map[string]string{"error.description": "La description %s", "error.contains_bidirectional_control_character": "contient un caractère bidi"}
	if got := outer.Text(func(id string) string { return texts[id] }); got != "La description contient un caractère bidi" {
		t.Fatalf("Text = %q", got)
	}
	if _, _, err := Step(StateLobby, 1, ActClose); err == nil || err.(*Error).ID != "error.voting_not_open" {
		t.Fatalf("Step's conflict: %v", err)
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

// english is err as a person reads it in English: "field: message", the
// message from the English catalog.
func english(err error) string {
	e, ok := err.(*Error)
	if !ok {
		return err.Error()
	}
	return e.FieldText(i18n.Texts(context.Background()))
}
