package deckform

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// english words a domain error as the web adapter does for English.
func english(ctx context.Context, err error) string {
	return err.(*workshop.Error).Text(i18n.Texts(ctx))
}

// post is what a browser sends for the editor showing f: every field the
// views render, by the names defined here, the language fields as shown.
func post(f Form, op string) url.Values {
	v := url.Values{LanguagesField: {strings.Join(f.Languages, " ")}, OwnLanguageField: {f.Languages[0]},
		ScenarioCount: {strconv.Itoa(len(f.Scenarios))}, CriterionCount: {strconv.Itoa(len(f.Criteria))}, OpField: {op}}
	if f.Descriptors != "" {
		v.Set(DescriptorsField, f.Descriptors)
	}
	for _, lang := range f.Offered() {
		if f.Ticked(lang) {
			v.Add(LanguageField, lang)
		}
	}
	texts := func(field string, t workshop.Text) {
		for _, lang := range f.Languages {
			v.Set(Slot(field, lang), t[lang])
		}
	}
	texts(TitleField, f.Title)
	texts(DescriptionField, f.Description)
	texts(SourceField, f.Source)
	for i, s := range f.Scenarios {
		v.Set(ScenarioField(i, "pos"), strconv.Itoa(i))
		v.Set(ScenarioField(i, "key"), s.Key)
		for name, t := range map[string]workshop.Text{"title": s.Title, "narrative": s.Narrative, "source": s.Source, "signposts": s.Signposts} {
			texts(ScenarioField(i, name), t)
		}
	}
	for i, c := range f.Criteria {
		for name, val := range map[string]string{"pos": strconv.Itoa(i), "key": c.Key, "kind": c.Kind, "min": c.Min, "max": c.Max,
			"step": c.Step, "yardstick": c.Yardstick} {
			v.Set(CriterionField(i, name), val)
		}
		for name, t := range map[string]workshop.Text{"name": c.Name, "question": c.Question, "labels": c.Labels,
			Level(1): c.Levels[0], Level(2): c.Levels[1], Level(3): c.Levels[2]} {
			texts(CriterionField(i, name), t)
		}
		if c.DontKnow {
			v.Set(CriterionField(i, "dont_know"), "1")
		}
	}
	return v
}

// roundTrip shows deck d in the editor, posts it back unchanged and wants
// the same deck.
func roundTrip(t *testing.T, d workshop.Deck) Form {
	t.Helper()
	shown := FromDeck(d, d.Slug)
	f, op := Parse(post(shown, OpSave), d.Slug)
	if op != OpSave {
		t.Fatalf("op %q, want %q", op, OpSave)
	}
	if !reflect.DeepEqual(f, shown) {
		t.Fatalf("parsed form\n%+v\nwant\n%+v", f, shown)
	}
	got, errs := f.Deck(context.Background(), english)
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	if g, w := string(got.JSON()), string(d.JSON()); g != w {
		t.Fatalf("deck\n%s\nwant\n%s", g, w)
	}
	return shown
}

// The built-in decks (in English and Polish; a percent criterion with a
// yardstick, a confidence criterion), shown in the editor and posted back
// unchanged, are the same decks: every language comes from the form.
func TestRoundTrip(t *testing.T) {
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range decks {
		t.Run(d.Slug, func(t *testing.T) { roundTrip(t, d) })
	}
}

// A deck written in Polish alone: no slot in the form is English.
func TestRoundTripPolishOnly(t *testing.T) {
	pl := func(s string) workshop.Text { return workshop.Text{"pl": s} }
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: "wody", Languages: []string{"pl"}, Title: pl("Przyszłość wody"),
		Description: pl("Trzy drogi wody."),
		Scenarios: []workshop.Scenario{{Key: "susza", Title: pl("Susza"), Narrative: pl("Rzeki wysychają."), Source: pl("Raport, s. 3"),
			Signposts: []workshop.Text{pl("Niski stan Wisły"), pl("Zakazy podlewania")}}},
		Criteria: []workshop.Criterion{
			{Key: "p", Name: pl("Prawdopodobieństwo"), Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 5, Yardstick: workshop.YardstickPHIA,
				Labels: []workshop.Label{{Value: 0, Text: pl("Wykluczone")}, {Value: 100, Text: pl("Pewne")}}},
			{Key: "pewnosc", Name: pl("Pewność"), Question: pl("Na ile jesteś pewien?"), Kind: workshop.KindConfidence, DontKnow: true},
			{Key: "wplyw", Name: pl("Wpływ"), Kind: workshop.KindScale, Min: 1, Max: 3, Step: 1, Labels: []workshop.Label{}},
		}}
	d.Complete()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	f := roundTrip(t, d)
	f.each(false, func(tx workshop.Text, _ int) {
		if _, ok := tx["en"]; ok || len(tx) != 1 {
			t.Errorf("a text of the Polish deck's form is %q, want Polish only", tx)
		}
	})
	if got, want := f.Criteria[1].Levels[0]["pl"], "Niska"; got != want {
		t.Errorf("confidence level 1 in Polish: %q, want %q", got, want)
	}
}

// A deck in English and Polish whose translation is unfinished: a
// signpost and a label are English only, and the lines of the signposts
// stay aligned.
func TestRoundTripTwoLanguages(t *testing.T) {
	both := func(en, pl string) workshop.Text {
		t := workshop.Text{"en": en}
		if pl != "" {
			t["pl"] = pl
		}
		return t
	}
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: "water", Languages: []string{"en", "pl"}, Title: both("Water", "Woda"),
		Description: both("Only in English.", ""),
		Scenarios: []workshop.Scenario{{Key: "drought", Title: both("Drought", "Susza"), Narrative: both("Dry.", "Sucho."),
			Signposts: []workshop.Text{both("First", ""), both("Second", ""), both("Third", "Trzeci")}}},
		Criteria: []workshop.Criterion{
			{Key: "p", Name: both("Probability", "Prawdopodobieństwo"), Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 10,
				Yardstick: workshop.YardstickICD203, DontKnow: true, Labels: []workshop.Label{}},
			{Key: "impact", Name: both("Impact", "Wpływ"), Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1,
				Labels: []workshop.Label{{Value: 1, Text: both("Small", "Mały")}, {Value: 5, Text: both("Huge", "")}}},
			{Key: "confidence", Name: both("Confidence", "Pewność"), Kind: workshop.KindConfidence},
		}}
	d.Complete()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	f := roundTrip(t, d)
	if got, want := f.Scenarios[0].Signposts["pl"], "\n\nTrzeci"; got != want {
		t.Errorf("Polish signposts %q, want %q", got, want)
	}
	if got, want := f.Criteria[1].Labels["pl"], "1 = Mały"; got != want {
		t.Errorf("Polish labels %q, want %q", got, want)
	}
	if got, want := f.Criteria[0].Yardstick, workshop.YardstickICD203; got != want {
		t.Errorf("yardstick %q, want %q", got, want)
	}
}

// Drag and drop rewrites the position fields: the form comes back in
// their order.
func TestParseOrdersByPosition(t *testing.T) {
	f := Form{Languages: []string{"en"}}
	for _, title := range []string{"A", "B", "C"} {
		f.Scenarios = append(f.Scenarios, Scenario{Title: workshop.Text{"en": title}})
	}
	v := post(f, "")
	v.Set(ScenarioField(0, "pos"), "2")
	v.Set(ScenarioField(2, "pos"), "0")
	v.Set(ScenarioField(1, "pos"), "not a number") // keeps its place
	got, _ := Parse(v, "")
	var titles []string
	for _, s := range got.Scenarios {
		titles = append(titles, s.Title["en"])
	}
	if want := []string{"C", "B", "A"}; !reflect.DeepEqual(titles, want) {
		t.Fatalf("titles %q, want %q", titles, want)
	}
}

func TestApply(t *testing.T) {
	three := func() Form {
		f := Form{Languages: []string{"en"}}
		for _, title := range []string{"A", "B", "C"} {
			f.Scenarios = append(f.Scenarios, Scenario{Title: workshop.Text{"en": title}})
		}
		return f
	}
	titles := func(f Form) (out []string) {
		for _, s := range f.Scenarios {
			out = append(out, s.Title["en"])
		}
		return out
	}
	for _, tt := range []struct {
		op   string
		want []string
	}{
		{ScenarioOp("up", 1), []string{"B", "A", "C"}},
		{ScenarioOp("down", 0), []string{"B", "A", "C"}},
		{ScenarioOp("up", 0), []string{"A", "B", "C"}},   // the first cannot go up
		{ScenarioOp("down", 2), []string{"A", "B", "C"}}, // the last cannot go down
		{ScenarioOp("remove", 1), []string{"A", "C"}},
		{ScenarioOp("remove", 9), []string{"A", "B", "C"}}, // no such scenario
		{OpAddScenario, []string{"A", "B", "C", ""}},
		{OpAddCriterion, []string{"A", "B", "C"}},
		{OpLanguages, []string{"A", "B", "C"}},
		{DropOp("en"), []string{"A", "B", "C"}}, // the own language stays
	} {
		f := three()
		if err := f.Apply(tt.op); err != nil {
			t.Fatalf("%s: %v", tt.op, err)
		}
		if got := titles(f); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.op, got, tt.want)
		}
	}
	f := Form{Languages: []string{"pl"}}
	want := Criterion{Kind: workshop.KindScale, Min: "1", Max: "5", Step: "10", DontKnow: true,
		Name: workshop.Text{"pl": ""}, Question: workshop.Text{"pl": ""}, Labels: workshop.Text{"pl": ""},
		Levels: [3]workshop.Text{{"pl": "Niska"}, {"pl": "Umiarkowana"}, {"pl": "Wysoka"}}}
	if err := f.Apply(OpAddCriterion); err != nil || len(f.Criteria) != 1 || !reflect.DeepEqual(f.Criteria[0], want) {
		t.Fatalf("a new criterion: %+v, %v; want %+v", f.Criteria, err, want)
	}
	for _, op := range []string{"save", "sideways-s-1", "up-x-1", "add-s-"} {
		if err := f.Apply(op); workshop.ErrorCode(err) != workshop.EInvalid {
			t.Errorf("%s: %v, want an invalid action", op, err)
		}
	}
	f = Form{Languages: []string{"en"}}
	for range workshop.MaxScenarios + 1 {
		f.Apply(OpAddScenario)
	}
	if len(f.Scenarios) != workshop.MaxScenarios {
		t.Fatalf("%d scenarios added, want at most %d", len(f.Scenarios), workshop.MaxScenarios)
	}
}

// choosing posts the editor of deck d with the language fields set to own
// and ticked.
func choosing(d workshop.Deck, own string, ticked ...string) (Form, string) {
	v := post(FromDeck(d, d.Slug), OpLanguages)
	v.Set(OwnLanguageField, own)
	v[LanguageField] = ticked
	return Parse(v, d.Slug)
}

// The languages chosen apply with any button: a language added gets its
// slots (and the confidence levels' labels), the own language goes first,
// and a language unticked while it holds text stays until the author
// confirms; only then are its texts gone.
func TestLanguages(t *testing.T) {
	decks, _ := workshop.BuiltinDecks()
	estimates := decks[1] // English, French and Polish, with a confidence criterion
	enOnly := estimates
	enOnly.Languages = []string{"en"}
	enOnly.Title = workshop.Text{"en": "English only"}
	enOnly.Criteria = slices.Clone(enOnly.Criteria)
	for i := range enOnly.Criteria {
		c := &enOnly.Criteria[i]
		c.Name, c.Question, c.Labels = workshop.Text{"en": c.Name["en"]}, nil, nil
	}
	enOnly.Scenarios = []workshop.Scenario{{Key: "a", Title: workshop.Text{"en": "A"}, Narrative: workshop.Text{"en": "A."}}}
	enOnly.Complete()

	t.Run("add", func(t *testing.T) {
		f, _ := choosing(enOnly, "en", "en", "pl")
		if !slices.Equal(f.Languages, []string{"en", "pl"}) || f.Dropping != nil {
			t.Fatalf("languages %q dropping %q, want [en pl] and none", f.Languages, f.Dropping)
		}
		if got := f.Criteria[2].Levels[2]["pl"]; got != "Wysoka" {
			t.Fatalf("the confidence level 3 in the added Polish: %q, want Wysoka", got)
		}
		if _, errs := f.Deck(context.Background(), english); errs != nil {
			t.Fatalf("errors %q", errs)
		}
	})
	t.Run("own language", func(t *testing.T) {
		f, _ := choosing(estimates, "pl", "en", "fr", "pl")
		if !slices.Equal(f.Languages, []string{"pl", "en", "fr"}) || f.Title["en"] != estimates.Title["en"] || f.Dropping != nil {
			t.Fatalf("languages %q title %q, want [pl en fr] and the texts kept", f.Languages, f.Title)
		}
		f, _ = choosing(enOnly, "pl", "en") // Polish first: the English title is no help
		_, errs := f.Deck(context.Background(), english)
		if want := map[string]string{Slot(TitleField, "pl"): "Fill in this field."}; !reflect.DeepEqual(errs, want) {
			t.Fatalf("errors %q, want %q", errs, want)
		}
	})
	t.Run("untick a language with texts", func(t *testing.T) {
		f, _ := choosing(estimates, "en", "en", "fr")
		if !slices.Equal(f.Languages, []string{"en", "fr", "pl"}) || !slices.Equal(f.Dropping, []string{"pl"}) || f.Ticked("pl") {
			t.Fatalf("languages %q dropping %q, want Polish kept and waiting", f.Languages, f.Dropping)
		}
		if n := f.TextCount("pl"); n < 20 {
			t.Fatalf("%d Polish texts counted", n)
		}
		if _, errs := f.Deck(context.Background(), english); errs[LanguageField] == "" || len(errs) != 1 {
			t.Fatalf("errors %q, want one on the languages", errs)
		}
		// Another button keeps the warning: the checkbox says so.
		again, _ := Parse(post(f, OpAddScenario), f.Slug)
		if !slices.Equal(again.Dropping, []string{"pl"}) {
			t.Fatalf("after another button: dropping %q", again.Dropping)
		}
		if err := again.Apply(DropOp("pl")); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Languages, []string{"en", "fr"}) || len(again.Dropping) != 0 || again.Title["pl"] != "" {
			t.Fatalf("after confirming: languages %q dropping %q title %q", again.Languages, again.Dropping, again.Title)
		}
		d, errs := again.Deck(context.Background(), english)
		if errs != nil || strings.Contains(string(d.JSON()), `"pl"`) {
			t.Fatalf("errors %q; deck %s", errs, d.JSON())
		}
	})
	t.Run("untick a language without texts", func(t *testing.T) {
		// Polish added: its slots are empty but for the confidence levels'
		// labels, which Foresight filled in, not the author.
		f, _ := choosing(enOnly, "en", "en", "pl")
		v := post(f, OpSave)
		v[LanguageField] = []string{"en"}
		back, _ := Parse(v, "")
		if !slices.Equal(back.Languages, []string{"en"}) || back.Dropping != nil || back.Criteria[2].Levels[0]["pl"] != "" {
			t.Fatalf("languages %q dropping %q, want Polish gone at once", back.Languages, back.Dropping)
		}
		f.Criteria[2].Levels[0]["pl"] = "Mała" // a level's label the author changed counts
		f.Criteria[1].Levels[0]["pl"] = "Mała" // a scale's levels are not the deck's
		if n := f.TextCount("pl"); n != 1 {
			t.Fatalf("%d Polish texts, want 1", n)
		}
	})
	t.Run("forged languages", func(t *testing.T) {
		v := post(FromDeck(enOnly, ""), OpSave)
		v.Set(LanguagesField, "en <b> EN en "+strings.Repeat("xx ", 100))
		v.Set(OwnLanguageField, "not a code")
		f, _ := Parse(v, "")
		if !slices.Equal(f.Languages, []string{"en", "xx"}) {
			t.Fatalf("languages %q", f.Languages)
		}
	})
}

// A problem in the deck is shown next to the slot it is about.
func TestErrors(t *testing.T) {
	f := Form{Languages: []string{"pl", "en"}, Scenarios: make([]Scenario, 4),
		Criteria: []Criterion{{Kind: workshop.KindScale}, {Kind: workshop.KindPercent}, {Kind: workshop.KindConfidence}}}
	for _, tt := range []struct {
		err   error
		field string
		msg   string
	}{
		{workshop.FieldError("scenarios[2].title.en", "error.must_one_line"), Slot(ScenarioField(2, "title"), "en"), "Must be one line"},
		{workshop.FieldError("scenarios[0].key", "error.used_twice", "a"), Slot(ScenarioField(0, "title"), "pl"), `"a" is used twice`},
		{workshop.FieldError("scenarios[1]", "error.must_one_line"), Slot(ScenarioField(1, "title"), "pl"), "Must be one line"},
		{workshop.FieldError("scenarios[3].narrative", "error.required", "pl"), Slot(ScenarioField(3, "narrative"), "pl"), "Fill in this field."},
		{workshop.FieldError("scenarios[3].signposts[1].en", "error.characters_long_limit", 201, 200), Slot(ScenarioField(3, "signposts"), "en"), "Is 201 characters long; the limit is 200"},
		{workshop.FieldError("scenarios[3].signposts", "error.most_10_signposts"), Slot(ScenarioField(3, "signposts"), "pl"), "At most 10 signposts"},
		{workshop.FieldError("scenarios[9].title", "error.must_one_line"), "", "Must be one line"}, // no such scenario
		{workshop.FieldError("criteria[0].labels[1].value", "error.labelled_twice", 3), Slot(CriterionField(0, "labels"), "pl"), "3 is labelled twice"},
		{workshop.FieldError("criteria[0].labels[1].text.en", "error.must_one_line"), Slot(CriterionField(0, "labels"), "en"), "Must be one line"},
		{workshop.FieldError("criteria[2].labels[1].text", "error.required", "pl"), Slot(CriterionField(2, Level(2)), "pl"), "Fill in this field."},
		{workshop.FieldError("criteria[1].key", "error.used_twice", "b"), Slot(CriterionField(1, "name"), "pl"), `"b" is used twice`},
		{workshop.FieldError("criteria[1].question.en", "error.characters_long_limit", 301, 300), Slot(CriterionField(1, "question"), "en"), "Is 301 characters long; the limit is 300"},
		{workshop.FieldError("criteria[0]", "error.scale_2_11_points"), CriterionField(0, "max"), "A scale has 2 to 11 points in steps of 1"},
		{workshop.FieldError("criteria[1]", "error.percent_criterion_runs_0"), CriterionField(1, "step"), "A percent criterion runs from 0 to 100 in a step that divides 100"},
		{workshop.FieldError("criteria[2]", "error.confidence_criterion_three_levels"), CriterionField(2, "kind"), "A confidence criterion has the three levels 1 (low) to 3 (high)"},
		{workshop.FieldError("criteria[1].yardstick", "error.must", "icd203", "phia"), CriterionField(1, "yardstick"), `Must be "icd203" or "phia"`},
		{workshop.FieldError("criteria[1].kind", "error.must_one_line"), CriterionField(1, "kind"), "Must be one line"},
		{workshop.FieldError("title.en", "error.must_one_line"), Slot(TitleField, "en"), "Must be one line"},
		{workshop.FieldError("title", "error.required", "pl"), Slot(TitleField, "pl"), "Fill in this field."},
		{workshop.FieldError("source", "error.characters_long_limit", 501, 500), Slot(SourceField, "pl"), "Is 501 characters long; the limit is 500"},
		{workshop.FieldError("languages[1]", "error.not_language_code_listed", "xx"), LanguageField, `"xx" is not a language code or is listed twice`},
		{workshop.FieldError("criteria", "error.deck_needs_1_criteria", 10), "", "A deck needs 1 to 10 criteria"},
		{workshop.Errorf(workshop.EConflict, "error.already_exists"), "", "Already exists"},
	} {
		got := f.Errors(context.Background(), tt.err, english)
		if want := map[string]string{tt.field: tt.msg}; !reflect.DeepEqual(got, want) {
			t.Errorf("%v: %q, want %q", tt.err, got, want)
		}
	}
	for _, err := range []error{workshop.Errorf(workshop.EInternal, "error.text", "disk full"), context.Canceled} {
		if got := f.Errors(context.Background(), err, english); got != nil {
			t.Errorf("%v: %q, want nil (not the user's)", err, got)
		}
	}
}

// Numbers, labels and signposts that do not read are reported on their
// slot before the deck is validated, in the reader's language.
func TestDeckFieldProblems(t *testing.T) {
	en := func(s string) workshop.Text { return workshop.Text{"en": s, "pl": ""} }
	f := Form{Languages: []string{"en", "pl"}, Title: en("T"),
		Scenarios: []Scenario{{Title: en("S"), Narrative: en("N"), Signposts: workshop.Text{"en": "One\n\nThree", "pl": "Jeden\nDwa\nTrzy"}}},
		Criteria: []Criterion{
			{Name: en("A"), Kind: workshop.KindScale, Min: "one", Max: "5"},
			{Name: en("B"), Kind: workshop.KindScale, Labels: workshop.Text{"en": "1 = Low\n5 High"}},
			{Name: en("C"), Kind: workshop.KindScale, Labels: workshop.Text{"en": "1 = Low", "pl": "1 = Nisko\n5 = Wysoko"}},
			{Name: en("D"), Kind: workshop.KindPercent, Step: "10", Labels: workshop.Text{"en": "0 = No\n\n0 = None"}},
		}}
	_, errs := f.Deck(context.Background(), english)
	want := map[string]string{
		Slot(ScenarioField(0, "signposts"), "en"): "Line 2: this signpost is written in another language but not in this one.",
		CriterionField(0, "min"):                  "Enter a whole number.",
		Slot(CriterionField(1, "labels"), "en"):   "Line 2: write a label as “value = text”, e.g. “1 = Very unlikely”.",
		Slot(CriterionField(2, "labels"), "en"):   "5 has a label in another language but not in this one.",
		Slot(CriterionField(3, "labels"), "en"):   "Line 3: 0 has a label already.",
	}
	if !reflect.DeepEqual(errs, want) {
		t.Fatalf("errors\n%q\nwant\n%q", errs, want)
	}
	_, errs = f.Deck(i18n.WithLang(context.Background(), "pl"), english)
	if got := errs[CriterionField(0, "min")]; got != "Wpisz liczbę całkowitą." {
		t.Fatalf("in Polish: %q", got)
	}
}

// fieldNames are the fields the editor shows for f, and so the only places
// where a problem can be shown ("" is the top of the form).
func fieldNames(f Form) map[string]bool {
	names := map[string]bool{"": true, LanguageField: true}
	texts := func(fields ...string) {
		for _, field := range fields {
			for _, lang := range f.Languages {
				names[Slot(field, lang)] = true
			}
		}
	}
	texts(TitleField, DescriptionField, SourceField)
	for i := range f.Scenarios {
		for _, n := range []string{"title", "narrative", "source", "signposts"} {
			texts(ScenarioField(i, n))
		}
	}
	for i := range f.Criteria {
		for _, n := range []string{"name", "question", "labels", Level(1), Level(2), Level(3)} {
			texts(CriterionField(i, n))
		}
		for _, n := range []string{"kind", "min", "max", "step", "yardstick"} {
			names[CriterionField(i, n)] = true
		}
	}
	return names
}

// FuzzForm posts anything to the editor: the form reads, an action applies
// or is refused, and every problem with the deck lands on a field the
// editor shows. Seeds: here and in testdata/fuzz/FuzzForm.
func FuzzForm(f *testing.F) {
	f.Add("title-en=Water&s-n=1&s-0-title-en=Drought&s-0-narrative-en=Dry&c-n=1&c-0-name-en=L&c-0-kind=scale&c-0-min=1&c-0-max=5&op=save")
	f.Add("langs=pl+en&lang-own=pl&lang=en&title-pl=Woda&title-en=Water&s-n=1&s-0-title-en=Drought&s-0-narrative-pl=Sucho&c-n=1&c-0-name-pl=P&c-0-kind=confidence&c-0-level2-pl=&op=save")
	f.Add("s-n=2&s-0-pos=1&s-1-pos=0&s-1-title-en=B&op=up-s-1")
	f.Add("c-n=1&c-0-kind=percent&c-0-step=7&c-0-yardstick=phia&c-0-labels-en=0+%3D+None%0A100+Certain&op=save")
	f.Add("c-n=1&c-0-min=x&c-0-max=99999999999999999999&op=save")
	f.Add("s-n=-5&c-n=1000&op=remove-c-99999999999999999999")
	f.Add("langs=en+pl&lang-own=en&lang=en&title-pl=Woda&op=drop-pl")
	f.Add("title-en=%E2%80%AE&s-n=1&s-0-key=BAD+KEY&s-0-signposts-en=a%0D%0Ab&op=add-c")
	f.Fuzz(func(t *testing.T, query string) {
		values, _ := url.ParseQuery(query)
		form, op := Parse(values, "")
		if len(form.Scenarios) > workshop.MaxScenarios+1 || len(form.Criteria) > workshop.MaxScenarios+1 {
			t.Fatalf("%d scenarios, %d criteria read", len(form.Scenarios), len(form.Criteria))
		}
		if len(form.Languages) == 0 || len(form.Languages) > 2*maxLanguages {
			t.Fatalf("%d languages read", len(form.Languages))
		}
		if op != OpSave && op != "" {
			if err := form.Apply(op); err != nil && workshop.ErrorCode(err) != workshop.EInvalid {
				t.Fatalf("action %q: %v", op, err)
			}
			return
		}
		_, errs := form.Deck(context.Background(), english)
		shown := fieldNames(form)
		for field := range errs {
			if !shown[field] {
				t.Fatalf("a problem at %q, which the editor does not show: %q", field, errs)
			}
		}
	})
}
