package workshop

import (
	"strings"
	"testing"
)

const descriptorDeck = `{
  "schema": 1, "slug": "cib", "languages": ["en", "pl"], "title": {"en": "CIB"},
  "criteria": [{"key": "p", "name": {"en": "Probability"}, "kind": "percent", "min": 0, "max": 100, "step": 10, "dont_know": false, "labels": []}],
  "scenarios": [{"key": "a", "title": {"en": "A"}, "narrative": {"en": "Text"}}],
  "descriptors": [
    {"id": "gov", "title": {"en": "Government", "pl": "Rząd"}, "variants": [
      {"id": "gov-left", "title": {"en": "Left"}}, {"id": "gov-right", "title": {"en": "Right"}}]},
    {"id": "economy", "title": {"en": "Economy"}, "variants": [
      {"id": "eco-up", "title": {"en": "Growing"}}, {"id": "eco-flat", "title": {"en": "Flat"}}, {"id": "eco-down", "title": {"en": "Shrinking"}}]}
  ]
}`

func TestDeckDescriptorsRoundTrip(t *testing.T) {
	d, err := ParseDeck(strings.NewReader(descriptorDeck))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Descriptors) != 2 || len(d.Descriptors[1].Variants) != 3 || d.Descriptors[0].Title["pl"] != "Rząd" {
		t.Fatalf("descriptors: %+v", d.Descriptors)
	}
	again, err := ParseDeck(strings.NewReader(string(d.JSON())))
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Descriptors) != 2 || again.Descriptors[1].Variants[2].ID != "eco-down" {
		t.Fatalf("the deck's export lost its descriptors: %+v", again.Descriptors)
	}
	ci := CrossImpactOf(d)
	if ci.FromScenarios {
		t.Fatal("a deck with descriptors uses them")
	}
	// Every variant on every variant of the other descriptor: 2·3 + 3·2.
	cells := ci.Cells()
	if len(cells) != 12 || cells[0] != (Cell{"gov-left", "eco-up"}) || cells[3] != (Cell{"gov-right", "eco-up"}) {
		t.Fatalf("cells, source by source: %v", cells)
	}
}

func TestDeckDescriptorErrorsNameTheField(t *testing.T) {
	for _, c := range []struct{ from, to, field string }{
		{`"id": "gov",`, `"id": "Gov!",`, "descriptors[0].id"},
		{`"id": "economy"`, `"id": "gov"`, "descriptors[1].id"},
		{`"id": "eco-flat"`, `"id": "gov-left"`, "descriptors[1].variants[1].id"},
		{`"title": {"en": "Flat"}`, `"title": {"pl": "Płasko"}`, "descriptors[1].variants[1].title"},
		{`{"id": "gov-right", "title": {"en": "Right"}}`, ``, "descriptors[0].variants"},
	} {
		src := strings.Replace(descriptorDeck, c.from, c.to, 1)
		if c.to == "" {
			src = strings.Replace(descriptorDeck, ", "+c.from, "", 1)
		}
		_, err := ParseDeck(strings.NewReader(src))
		e, ok := err.(*Error)
		if !ok || e.Field != c.field {
			t.Errorf("replacing %s: want a problem with %s, got %v", c.from, c.field, err)
		}
	}
	// One descriptor alone is no analysis.
	one := descriptorDeck[:strings.Index(descriptorDeck, `,
    {"id": "economy"`)] + "\n  ]\n}"
	if _, err := ParseDeck(strings.NewReader(one)); err == nil || err.(*Error).Field != "descriptors" {
		t.Errorf("one descriptor: %v", err)
	}
}

// TestScenariosAsDescriptors checks the rule of docs/statistics.md: a
// deck without descriptors asks one question per ordered pair of scenarios,
// and the judgement s of "A occurs" on "B occurs" gives A-occurs → B-occurs
// = s, A-occurs → B-not = −s, and nothing from A-not.
func TestScenariosAsDescriptors(t *testing.T) {
	d, err := ParseDeck(strings.NewReader(minimalDeck))
	if err != nil {
		t.Fatal(err)
	}
	d.Languages = []string{"en", "fr"}
	d.Scenarios = append(d.Scenarios,
		Scenario{Key: "b", Title: Text{"en": "B"}, Narrative: Text{"en": "x"}},
		Scenario{Key: "c", Title: Text{"en": "C"}, Narrative: Text{"en": "x"}})
	ci := CrossImpactOf(d)
	if !ci.FromScenarios || len(ci.Descriptors) != 3 {
		t.Fatalf("%+v", ci)
	}
	if v := ci.Descriptors[1].Variants; v[0].ID != "b-occurs" || v[1].ID != "b-not" || v[1].Title["fr"] != "ne se produit pas" || v[0].Title["pl"] != "" {
		t.Errorf("variants of b: %+v", v)
	}
	cells := ci.Cells()
	if len(cells) != 6 {
		t.Fatalf("3 scenarios make 6 ordered pairs, got %v", cells)
	}
	for _, c := range cells {
		if !strings.HasSuffix(c.From, OccursSuffix) || !strings.HasSuffix(c.To, OccursSuffix) {
			t.Errorf("judged cell %v: want occurs on occurs", c)
		}
	}
	// a promotes b (+2), b hinders c (−3); nothing else.
	cm, err := ci.Matrix(map[Cell]float64{{"a-occurs", "b-occurs"}: 2, {"b-occurs", "c-occurs"}: -3})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to string
		want     float64
	}{
		{"a-occurs", "b-occurs", 2}, {"a-occurs", "b-not", -2}, {"a-not", "b-occurs", 0}, {"a-not", "b-not", 0},
		{"b-occurs", "c-occurs", -3}, {"b-occurs", "c-not", 3}, {"b-not", "c-not", 0}, {"c-occurs", "a-occurs", 0},
	} {
		if got := cm.Score(c.from, c.to); got != c.want {
			t.Errorf("%s → %s = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	// The consistent scenarios: a occurs, so b occurs, so c does not; or a
	// does not, and then b and c are free of pushes: every choice of them
	// balances 0 against 0.
	sol := cm.Solve()
	got := map[string]bool{}
	for _, s := range sol.Consistent {
		got[strings.Join(s.Variants, " ")] = true
	}
	for _, want := range []string{"a-occurs b-occurs c-not", "a-not b-not c-not", "a-not b-not c-occurs"} {
		if !got[want] {
			t.Errorf("%s should be consistent; got %v", want, got)
		}
	}
	if got["a-occurs b-not c-not"] || got["a-occurs b-occurs c-occurs"] {
		t.Errorf("inconsistent scenarios listed: %v", got)
	}
	// a-not b-occurs c-not: b occurs with no push (0 against 0) and pushes
	// c down: consistent as well.
	if !got["a-not b-occurs c-not"] || len(got) != 4 {
		t.Errorf("consistent: %v", got)
	}
}

func TestBuiltinDecksHaveDescriptors(t *testing.T) {
	decks, err := BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range decks {
		if len(d.Descriptors) < 4 {
			t.Errorf("deck %s has %d descriptors, want a sensible set", d.Slug, len(d.Descriptors))
		}
		for _, desc := range d.Descriptors {
			for _, lang := range d.Languages {
				if desc.Title[lang] == "" {
					t.Errorf("deck %s: descriptor %s has no title in %s", d.Slug, desc.ID, lang)
				}
				for _, v := range desc.Variants {
					if v.Title[lang] == "" {
						t.Errorf("deck %s: variant %s has no title in %s", d.Slug, v.ID, lang)
					}
				}
			}
		}
		if _, err := CrossImpactOf(d).Matrix(nil); err != nil {
			t.Errorf("deck %s: %v", d.Slug, err)
		}
	}
}
