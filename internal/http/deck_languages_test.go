package http_test

// Tests of the deck editor with every language of a deck side by side: a
// deck written in Polish alone, languages added and removed, and the
// criteria of kind percent (with a yardstick) and confidence.

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// wantNoEnglishSlot fails if the editor of a page has a field for an
// English text.
func wantNoEnglishSlot(t *testing.T, r *response) url.Values {
	t.Helper()
	f := editorFields(t, r)
	for name := range f {
		if strings.HasSuffix(name, "-en") {
			t.Fatalf("%s: the editor of a Polish deck has the English field %s", r.req, name)
		}
	}
	if m := deckFormPattern.FindString(r.body); strings.Contains(m, `lang="en"`) || strings.Contains(m, "— angielski") {
		t.Fatalf("%s: the editor of a Polish deck has a field marked as English", r.req)
	}
	return f
}

// An author who writes in Polish picks Polish alone and never sees an
// English field: the default criteria come in Polish, as do a confidence
// criterion's levels, and the deck is stored in Polish only.
func TestDeckEditorPolishOnly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	c.postForm(t, "/language", url.Values{"lang": {"pl"}, "next": {"/decks"}}).want(t, http.StatusSeeOther)

	c.get(t, "/decks/new").want(t, http.StatusOK).
		wantContains(t, "Język główny zestawu", `name="lang" value="pl" checked`, `name="lang-own" value="pl" checked`).
		wantLacks(t, `name="lang" value="en" checked`)
	f := wantNoEnglishSlot(t, c.get(t, "/decks/new?lang-own=pl&lang=pl").want(t, http.StatusOK).
		wantContains(t, "Języki: polski", `<label for="title-pl">Tytuł — polski</label>`, `lang="pl"`))
	wantField(t, f, "langs", "pl")
	wantField(t, f, "c-0-name-pl", "Prawdopodobieństwo")
	wantField(t, f, "c-1-labels-pl", "1 = Znikomy\n2 = Niewielki\n3 = Umiarkowany\n4 = Duży\n5 = Bardzo poważny")

	f.Set("title-pl", "Przyszłość wody")
	f.Set("s-0-title-pl", "Susza")
	f.Set("s-0-narrative-pl", "Rzeki wysychają.")
	f.Set("s-0-signposts-pl", "Niski stan Wisły\nZakazy podlewania")
	f = wantNoEnglishSlot(t, c.press(t, "/decks", f, "add-s").want(t, http.StatusOK))
	f.Set("s-1-title-pl", "Powódź")
	f = wantNoEnglishSlot(t, c.press(t, "/decks", f, "add-c").want(t, http.StatusOK))
	wantField(t, f, "c-2-level1-pl", "Niska")
	f.Set("c-2-kind", "confidence")
	f.Set("c-2-name-pl", "Pewność")

	// A problem lands on its Polish slot, in Polish, with everything kept.
	r := c.press(t, "/decks", f, "save").want(t, http.StatusUnprocessableEntity).
		wantContains(t, `id="s-1-narrative-pl-error"`, "Wypełnij to pole.", `value="Pewność"`, "Zakazy podlewania")
	f = wantNoEnglishSlot(t, r)
	f.Set("s-1-narrative-pl", "Rzeki wylewają.")
	c.press(t, "/decks", f, "save").wantRedirect(t, "/decks?done=saved")

	d, ok := ts.storedDeck(t, "przyszlosc-wody")
	if !ok {
		t.Fatalf("the deck is not stored as przyszlosc-wody; decks %q", ts.decksOf(t, u))
	}
	if js := string(d.JSON()); !slices.Equal(d.Languages, []string{"pl"}) || strings.Contains(js, `"en"`) {
		t.Fatalf("stored deck in %q, want Polish alone:\n%s", d.Languages, js)
	}
	if cr := d.Criteria[2]; cr.Kind != workshop.KindConfidence || cr.Min != 1 || cr.Max != 3 || len(cr.Labels) != 3 || cr.Labels[0].Text["pl"] != "Niska" {
		t.Fatalf("stored confidence criterion %s", jsonOf(cr))
	}
	if got := d.Scenarios[0].Signposts; len(got) != 2 || got[1]["pl"] != "Zakazy podlewania" {
		t.Fatalf("stored signposts %s", jsonOf(got))
	}
	wantNoEnglishSlot(t, c.get(t, "/decks/przyszlosc-wody/edit").want(t, http.StatusOK))
}

// A language is added to a deck and edited beside the others; removing it
// again takes a warning and a confirmation, and only then are its texts
// gone. The own language can change.
func TestDeckEditorLanguages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	orig := ts.createDeck(t, u, sampleDeck("own", "Own deck", "Drought", "Floods"))
	c := ts.login(t, u.Email)

	f := editorFields(t, c.get(t, "/decks/own/edit").want(t, http.StatusOK).wantContains(t, "Languages: English").wantLacks(t, "Polish (optional)"))
	f["lang"] = []string{"en", "pl"}
	r := c.press(t, "/decks/own", f, "langs").want(t, http.StatusOK).
		wantContains(t, "Not saved yet", `<label for="title-en">Title — English</label>`, `<label for="title-pl">Title — Polish (optional)</label>`)
	f = editorFields(t, r)
	wantField(t, f, "langs", "en pl")
	wantField(t, f, "title-pl", "")
	f.Set("title-pl", "Własny zestaw")
	f.Set("s-1-title-pl", "Powódź")
	f.Set("c-0-name-pl", "Prawdopodobieństwo")
	c.press(t, "/decks/own", f, "save").wantRedirect(t, "/decks?done=saved")

	want := orig
	want.Languages = []string{"en", "pl"}
	want.Title = workshop.Text{"en": "Own deck", "pl": "Własny zestaw"}
	want.Scenarios = slices.Clone(orig.Scenarios)
	want.Scenarios[1].Title = workshop.Text{"en": "Floods", "pl": "Powódź"}
	want.Criteria = slices.Clone(orig.Criteria)
	want.Criteria[0].Name = workshop.Text{"en": "Likelihood", "pl": "Prawdopodobieństwo"}
	got, _ := ts.storedDeck(t, "own")
	sameDeck(t, "the deck with Polish added", got, want)

	// Unticking Polish keeps its texts until the author confirms.
	f = editorFields(t, c.get(t, "/decks/own/edit").want(t, http.StatusOK))
	f["lang"] = []string{"en"}
	warning := []string{"Polish is unticked, but the deck has texts in it (3).", `value="drop-pl"`, "Remove Polish and its texts", `value="Własny zestaw"`}
	c.press(t, "/decks/own", f, "save").want(t, http.StatusUnprocessableEntity).wantContains(t, warning...).
		wantContains(t, `id="lang-error"`, "The deck was not saved")
	got, _ = ts.storedDeck(t, "own")
	sameDeck(t, "the deck after a refused save", got, want)
	r = c.press(t, "/decks/own", f, "add-s").want(t, http.StatusOK).wantContains(t, warning...)
	f = editorFields(t, r)
	if slices.Contains(f["lang"], "pl") {
		t.Fatalf("Polish is ticked again after another button: %q", f["lang"])
	}
	f = editorFields(t, c.press(t, "/decks/own", f, "drop-pl").want(t, http.StatusOK).wantLacks(t, "Title — Polish", "Własny zestaw"))
	wantField(t, f, "langs", "en")
	f.Set("s-2-title-en", "Heat")
	f.Set("s-2-narrative-en", "Summers get hotter.")
	c.press(t, "/decks/own", f, "save").wantRedirect(t, "/decks?done=saved")
	got, _ = ts.storedDeck(t, "own")
	if js := string(got.JSON()); !slices.Equal(got.Languages, []string{"en"}) || strings.Contains(js, `"pl"`) || len(got.Scenarios) != 3 {
		t.Fatalf("the deck after removing Polish:\n%s", js)
	}

	// Polish as the deck's own language: its texts become the required ones.
	f["lang-own"] = []string{"pl"}
	r = c.press(t, "/decks/own", f, "save").want(t, http.StatusUnprocessableEntity).
		wantContains(t, `<label for="title-pl">Title — Polish</label>`, `<label for="title-en">Title — English (optional)</label>`, `id="title-pl-error"`)
	if f = editorFields(t, r); f.Get("langs") != "pl en" {
		t.Fatalf("languages %q, want Polish first", f.Get("langs"))
	}
}

// A percent criterion with a yardstick and a confidence criterion survive
// the editor, export and import; the editor explains the yardsticks'
// bands in the reader's language.
func TestDeckEditorYardstickAndConfidence(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)

	f := editorFields(t, c.get(t, "/decks/new?lang-own=en&lang=en&lang=pl").want(t, http.StatusOK).
		wantContains(t, "likely (55–\u206080\u00a0%)", "remote chance (≤5\u00a0%)", `<option value="" selected>None: numbers only</option>`))
	wantField(t, f, "c-0-name-en", "Likelihood")
	wantField(t, f, "c-0-name-pl", "Prawdopodobieństwo")
	f.Set("title-en", "Estimates")
	f.Set("title-pl", "Szacunki")
	f.Set("s-0-title-en", "Drought")
	f.Set("s-0-narrative-en", "Rivers run dry.")
	f.Set("c-0-kind", "percent")
	f.Set("c-0-step", "5")
	f.Set("c-0-yardstick", "icd203")
	f.Set("c-0-labels-en", "")
	f.Set("c-0-labels-pl", "")
	f.Set("c-1-kind", "confidence") // its levels were there all along, in both languages
	f.Set("c-1-level2-en", "Medium")
	c.press(t, "/decks", f, "save").wantRedirect(t, "/decks?done=saved")

	d, ok := ts.storedDeck(t, "estimates")
	if !ok {
		t.Fatalf("the deck is not stored as estimates; decks %q", ts.decksOf(t, u))
	}
	p, conf := d.Criteria[0], d.Criteria[1]
	if p.Kind != workshop.KindPercent || p.Step != 5 || p.Yardstick != workshop.YardstickICD203 || len(p.Labels) != 0 {
		t.Fatalf("stored percent criterion %s", jsonOf(p))
	}
	wantLevels := []workshop.Label{{Value: 1, Text: workshop.Text{"en": "Low", "pl": "Niska"}},
		{Value: 2, Text: workshop.Text{"en": "Medium", "pl": "Umiarkowana"}}, {Value: 3, Text: workshop.Text{"en": "High", "pl": "Wysoka"}}}
	if conf.Kind != workshop.KindConfidence || conf.Min != 1 || conf.Max != 3 || jsonOf(conf.Labels) != jsonOf(wantLevels) {
		t.Fatalf("stored confidence criterion %s, want levels %s", jsonOf(conf), jsonOf(wantLevels))
	}

	// Edit: another yardstick. The editor shows both kinds as stored.
	r := c.get(t, "/decks/estimates/edit").want(t, http.StatusOK).
		wantContains(t, `<option value="icd203" selected>ICD 203</option>`, `name="c-1-kind" value="confidence" checked`, `value="Medium"`)
	c.get(t, "/decks/estimates/edit", "Accept-Language", "pl").want(t, http.StatusOK).
		wantContains(t, "prawdopodobne (55–\u206080\u00a0%)", "Skala określeń", "Poziom 2 — polski (opcjonalnie)")
	f = editorFields(t, r)
	f.Set("c-0-yardstick", "phia")
	c.press(t, "/decks/estimates", f, "save").wantRedirect(t, "/decks?done=saved")

	exported := c.get(t, "/decks/estimates/export.json").want(t, http.StatusOK).body
	e, err := workshop.ParseDeck(strings.NewReader(exported))
	if err != nil {
		t.Fatalf("the export does not parse: %v", err)
	}
	if e.Criteria[0].Yardstick != workshop.YardstickPHIA || e.Criteria[1].Kind != workshop.KindConfidence || jsonOf(e.Criteria[1].Labels) != jsonOf(wantLevels) {
		t.Fatalf("exported criteria %s", jsonOf(e.Criteria))
	}
	c.upload(t, "estimates.json", []byte(exported)).wantRedirect(t, "/decks?done=imported")
	imported, ok := ts.storedDeck(t, "estimates-2")
	if !ok {
		t.Fatalf("the import is not stored as estimates-2; decks %q", ts.decksOf(t, u))
	}
	e.Slug = imported.Slug
	sameDeck(t, "the imported export", imported, e)
	if !strings.Contains(html.UnescapeString(c.get(t, "/decks/estimates-2/edit").want(t, http.StatusOK).body), `<option value="phia" selected>PHIA</option>`) {
		t.Fatalf("the imported deck's editor does not show its yardstick")
	}
}

// A CSV file of scenarios written in Polish becomes a Polish deck.
func TestDeckImportCSVInPolish(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	c.get(t, "/decks", "Accept-Language", "pl").want(t, http.StatusOK).
		wantContains(t, "Język tekstów w pliku CSV", `<option value="pl" selected>polski</option>`)
	csv := "tytuł,narracja\nSusza,Rzeki wysychają.\n"
	c.upload(t, "wody.csv", []byte(csv), "csv-lang", "pl").wantRedirect(t, "/decks?done=imported")
	d, ok := ts.storedDeck(t, "wody")
	if !ok || !slices.Equal(d.Languages, []string{"pl"}) || d.Scenarios[0].Title["pl"] != "Susza" || d.Criteria[0].Name["pl"] != "Prawdopodobieństwo" {
		t.Fatalf("the Polish CSV deck (found %v): %s", ok, d.JSON())
	}
	c.upload(t, "x.csv", []byte(csv), "csv-lang", "polish!").want(t, http.StatusUnprocessableEntity).wantContains(t, "not a language code")
}
