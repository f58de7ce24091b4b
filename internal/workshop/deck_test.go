package workshop

import (
	"strings"
	"testing"
)

func TestBuiltinDeck(t *testing.T) {
	decks, err := BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	var d *Deck
	for i := range decks {
		if decks[i].Slug == "nato-afghanistan" {
			d = &decks[i]
		}
	}
	if d == nil {
		t.Fatal("no nato-afghanistan deck")
	}
	if len(d.Scenarios) < 8 {
		t.Fatalf("%d scenarios, want at least 8", len(d.Scenarios))
	}
	for _, s := range d.Scenarios {
		for _, lang := range []string{"en", "fr", "pl"} {
			if s.Title[lang] == "" || s.Narrative[lang] == "" || s.Source[lang] == "" {
				t.Errorf("scenario %s lacks a title, narrative or source in %s", s.Key, lang)
			}
		}
		if !strings.Contains(s.Source["en"], "paragraph") {
			t.Errorf("scenario %s cites %q: want a section and paragraph", s.Key, s.Source["en"])
		}
	}
	for _, key := range []string{"refugee-crisis", "terrorist-safe-haven", "eu-entry-force"} {
		found := false
		for _, s := range d.Scenarios {
			found = found || s.Key == key
		}
		if !found {
			t.Errorf("the deck lacks the conclusion scenario %q", key)
		}
	}
	if len(d.Criteria) != 2 {
		t.Fatalf("%d criteria, want likelihood and impact", len(d.Criteria))
	}
	for _, c := range d.Criteria {
		if c.Kind != KindScale || c.Min != 1 || c.Max != 5 || !c.DontKnow || len(c.Labels) != 5 {
			t.Errorf("criterion %s: %s %d..%d dont_know=%v labels=%d; want a labelled 1-5 scale with don't know",
				c.Key, c.Kind, c.Min, c.Max, c.DontKnow, len(c.Labels))
		}
	}
}

const minimalDeck = `{
  "schema": 1, "slug": "mini", "languages": ["en"], "title": {"en": "Mini"},
  "criteria": [{"key": "p", "name": {"en": "Probability"}, "kind": "percent", "min": 0, "max": 100, "step": 10, "dont_know": false, "labels": []}],
  "scenarios": [{"key": "a", "title": {"en": "A"}, "narrative": {"en": "Text"}}]
}`

func TestParseDeckErrors(t *testing.T) {
	if _, err := ParseDeck(strings.NewReader(minimalDeck)); err != nil {
		t.Fatalf("a minimal valid deck: %v", err)
	}
	tests := []struct {
		name, in, want string
	}{
		{"unknown field", strings.Replace(minimalDeck, `"slug"`, `"colour": "red", "slug"`, 1), `unknown field "colour"`},
		{"wrong type on line 3", strings.Replace(minimalDeck, `"min": 0`, `"min": "zero"`, 1), "line 3"},
		{"syntax", `{"schema": 1,,}`, "line 1: invalid JSON"},
		{"trailing data", minimalDeck + ` {}`, "after the deck"},
		{"duplicate scenario", strings.Replace(minimalDeck, `"scenarios": [`, `"scenarios": [{"key": "a", "title": {"en": "B"}, "narrative": {"en": "x"}},`, 1), `scenarios[1].key: "a" is used twice`},
		{"missing english", strings.Replace(minimalDeck, `"title": {"en": "A"}`, `"title": {}`, 1), `scenarios[0].title`},
		{"foreign language", strings.Replace(minimalDeck, `"title": {"en": "A"}`, `"title": {"en": "A", "pl": "B"}`, 1), `language "pl" is not in the deck's languages`},
		{"bad step", strings.Replace(minimalDeck, `"step": 10`, `"step": 7`, 1), "criteria[0]"},
		{"bidi", strings.Replace(minimalDeck, `"Text"`, `"Te\u202Ext"`, 1), "bidirectional"},
		{"schema", strings.Replace(minimalDeck, `"schema": 1`, `"schema": 2`, 1), "unsupported deck schema 2"},
		{"empty", ``, "empty"},
	}
	for _, tt := range tests {
		_, err := ParseDeck(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(english(err), tt.want) {
			t.Errorf("%s: err=%v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

func TestParseDeckEstimates(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"yardstick on a scale", strings.Replace(minimalDeck, `"kind": "percent", "min": 0, "max": 100, "step": 10`, `"kind": "scale", "min": 1, "max": 5, "step": 1, "yardstick": "icd203"`, 1), "criteria[0].yardstick: only a percent criterion"},
		{"unknown yardstick", strings.Replace(minimalDeck, `"step": 10,`, `"step": 10, "yardstick": "nato",`, 1), `criteria[0].yardstick: must be "icd203" or "phia"`},
		{"confidence with another range", strings.Replace(minimalDeck, `"kind": "percent", "min": 0, "max": 100, "step": 10`, `"kind": "confidence", "min": 1, "max": 5, "step": 1`, 1), "three levels"},
		{"first language missing", strings.Replace(minimalDeck, `"languages": ["en"]`, `"languages": ["pl", "en"]`, 1), `title: "pl" is required`},
	}
	for _, tt := range tests {
		_, err := ParseDeck(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(english(err), tt.want) {
			t.Errorf("%s: err=%v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	// A Polish deck needs no English; a confidence criterion may leave out
	// its range and labels, which come in the deck's languages.
	polish := `{
  "schema": 1, "slug": "mini", "languages": ["pl"], "title": {"pl": "Mini"},
  "criteria": [{"key": "p", "name": {"pl": "Prawdopodobieństwo"}, "kind": "percent", "min": 0, "max": 100, "step": 5, "dont_know": false, "labels": [], "yardstick": "phia"},
    {"key": "c", "name": {"pl": "Pewność"}, "kind": "confidence", "dont_know": false, "labels": []}],
  "scenarios": [{"key": "a", "title": {"pl": "A"}, "narrative": {"pl": "Tekst"}}]
}`
	d, err := ParseDeck(strings.NewReader(polish))
	if err != nil {
		t.Fatalf("a Polish deck: %v", err)
	}
	c := d.Criteria[1]
	if c.Min != 1 || c.Max != 3 || c.Step != 1 || len(c.Labels) != 3 || c.Labels[0].Text["pl"] != "Niska" || c.Labels[0].Text["en"] != "" {
		t.Fatalf("the confidence criterion: %+v", c)
	}
	if d.Criteria[0].Yardstick != YardstickPHIA {
		t.Fatalf("yardstick %q", d.Criteria[0].Yardstick)
	}
	// It round-trips through its JSON.
	again, err := ParseDeck(strings.NewReader(string(d.JSON())))
	if err != nil || again.Criteria[0].Yardstick != YardstickPHIA || again.Criteria[1].Kind != KindConfidence {
		t.Fatalf("round trip: %+v, %v", again.Criteria, err)
	}
}

func TestEstimatesDeck(t *testing.T) {
	decks, err := BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	if len(decks) != 2 || decks[0].Slug != "nato-afghanistan" || decks[1].Slug != "nato-afghanistan-estimates" {
		t.Fatalf("built-in decks in slug order: want the original first")
	}
	orig, est := decks[0], decks[1]
	if len(est.Scenarios) != len(orig.Scenarios) {
		t.Fatalf("%d scenarios, want the same %d", len(est.Scenarios), len(orig.Scenarios))
	}
	for i := range est.Scenarios {
		if est.Scenarios[i].Key != orig.Scenarios[i].Key || est.Scenarios[i].Source["en"] != orig.Scenarios[i].Source["en"] {
			t.Fatalf("scenario %d differs from the original deck's", i)
		}
	}
	p, impact, conf := est.Criteria[0], est.Criteria[1], est.Criteria[2]
	if p.Kind != KindPercent || p.Step != 5 || p.Yardstick != YardstickICD203 || impact.Key != "impact" || conf.Kind != KindConfidence {
		t.Fatalf("criteria: %s %s step %d %s; %s; %s", p.Key, p.Kind, p.Step, p.Yardstick, impact.Key, conf.Kind)
	}
	for _, c := range est.Criteria {
		for _, lang := range []string{"en", "fr", "pl"} {
			if c.Name[lang] == "" || c.Question[lang] == "" {
				t.Errorf("criterion %s lacks its name or question in %s", c.Key, lang)
			}
		}
	}
}
