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
		for _, lang := range []string{"en", "pl"} {
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
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err=%v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}
