package views

import (
	"reflect"
	"testing"

	"foresight/internal/workshop"
)

// The maps and lists templates prepare before a loop give what the
// lookups they replace gave, item by item.
func TestPreparedLookups(t *testing.T) {
	w := &workshop.Workshop{Scenarios: []workshop.Scenario{{ID: 7}, {ID: 3}, {ID: 12}}}
	numbers := scenarioNumbers(w)
	for _, id := range []int64{7, 3, 12, 99} {
		if got, want := numbers[id], scenarioNumber(w, id); got != want {
			t.Errorf("scenario %d: number %d, want %d", id, got, want)
		}
	}

	rs := []workshop.Rationale{{ID: 1, ScenarioID: 3}, {ID: 2, ScenarioID: 7}, {ID: 3, ScenarioID: 3}}
	if got, want := rationalesByScenario(rs)[3], []workshop.Rationale{rs[0], rs[2]}; !reflect.DeepEqual(got, want) {
		t.Errorf("rationales of scenario 3: %+v, want %+v", got, want)
	}

	res := workshop.Results{Items: []workshop.ItemResult{
		{ScenarioID: 7, Stats: workshop.Stats{N: 4, DontKnow: 1}}, {ScenarioID: 7, Stats: workshop.Stats{N: 2}},
		{ScenarioID: 3, Stats: workshop.Stats{DontKnow: 2}},
	}}
	if got, want := ratedCounts(res), map[int64]int64{7: 5, 3: 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("rated counts %v, want %v", got, want)
	}
}

func TestScalePoints(t *testing.T) {
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	criteria := append(decks[0].Criteria,
		workshop.Criterion{Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 10, Labels: []workshop.Label{
			{Value: 100, Text: workshop.Text{"en": "Certain"}}, {Value: 0, Text: workshop.Text{"en": "Impossible"}}}},
		workshop.Criterion{Kind: workshop.KindScale, Min: -2, Max: 2, Step: 1})
	for _, c := range criteria {
		for _, lang := range []string{"en", "pl"} {
			var want []scalePoint
			for _, v := range c.Points() {
				want = append(want, scalePoint{Value: v, Label: c.Label(v, lang)})
			}
			if got := scalePoints(c, lang); !reflect.DeepEqual(got, want) {
				t.Errorf("%s in %s: %+v, want %+v", c.Key, lang, got, want)
			}
		}
	}
}
