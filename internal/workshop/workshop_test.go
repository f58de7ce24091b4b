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
