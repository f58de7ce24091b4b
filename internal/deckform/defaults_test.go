package deckform

import (
	"testing"

	"foresight/internal/workshop"
)

func TestDefaultCriteriaInTheDecksLanguages(t *testing.T) {
	pl := DefaultCriteria("pl")
	if pl[0].Name["pl"] != "Prawdopodobieństwo" || pl[0].Name["en"] != "" || pl[1].Labels[4].Text["pl"] != "Bardzo poważny" {
		t.Fatalf("Polish defaults: %+v", pl[0].Name)
	}
	both := DefaultCriteria("en", "pl")
	if both[1].Question["en"] == "" || both[1].Question["pl"] == "" {
		t.Fatalf("defaults in two languages: %+v", both[1].Question)
	}
	if fr := DefaultCriteria("fr"); fr[0].Name["fr"] != "Probabilité" || fr[1].Labels[4].Text["fr"] != "Très grave" || fr[0].Name["en"] != "" {
		t.Fatalf("French defaults: %+v", fr[0].Name)
	}
	if de := DefaultCriteria("de"); len(de[0].Name) != 0 {
		t.Fatalf("a language Foresight does not speak is left for the author: %+v", de[0].Name)
	}
	for _, c := range DefaultCriteria("en") {
		if err := c.CheckValue(nil); err != nil || len(c.Labels) != 5 || c.Labels[4].Value != 5 {
			t.Fatalf("%s: a five-point scale with don't know, every point labelled: %+v", c.Key, c)
		}
	}
}

// A CSV file's texts go into the language the importer names; the deck is
// then in that language alone, its default criteria too.
func TestImportDeckCSVLanguage(t *testing.T) {
	d, err := workshop.ImportDeck("wody.csv", []byte("tytuł,narracja\nSusza,Rzeki wysychają.\n"), "pl", CSVDefaults("pl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Languages) != 1 || d.Languages[0] != "pl" || d.Title["pl"] != "wody" || d.Scenarios[0].Title["pl"] != "Susza" ||
		d.Criteria[0].Name["pl"] != "Prawdopodobieństwo" || d.Criteria[0].Name["en"] != "" {
		t.Fatalf("deck %s", d.JSON())
	}
	if _, err := workshop.ImportDeck("x.csv", []byte("A,B\n"), "Polish", CSVDefaults("Polish")); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("a language that is not a code: %v", err)
	}
	// A file whose name gives no title gets the catalog's, in its language.
	d, err = workshop.ImportDeck(".csv", []byte("titre,récit\nSécheresse,Les rivières tarissent.\n"), "fr", CSVDefaults("fr"))
	if err != nil || d.Title["fr"] != "Scénarios importés" {
		t.Fatalf("untitled French import: %q, %v", d.Title, err)
	}
}
