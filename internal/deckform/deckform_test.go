package deckform

import (
	"context"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"foresight/internal/workshop"
)

// english words a domain error as the web adapter does for English.
func english(_ context.Context, err error) string {
	return err.(*workshop.Error).Localize(func(format string) string { return format })
}

// post is what a browser sends for the editor showing f: every field the
// views render, by the names defined here.
func post(f Form, op string) url.Values {
	v := url.Values{TitleField: {f.Title}, DescriptionField: {f.Description}, SourceField: {f.Source},
		ScenarioCount: {strconv.Itoa(len(f.Scenarios))}, CriterionCount: {strconv.Itoa(len(f.Criteria))}, OpField: {op}}
	for i, s := range f.Scenarios {
		for name, val := range map[string]string{"pos": strconv.Itoa(i), "key": s.Key, "title": s.Title, "narrative": s.Narrative,
			"source": s.Source, "signposts": s.Signposts} {
			v.Set(ScenarioField(i, name), val)
		}
	}
	for i, c := range f.Criteria {
		for name, val := range map[string]string{"pos": strconv.Itoa(i), "key": c.Key, "name": c.Name, "question": c.Question,
			"kind": c.Kind, "min": c.Min, "max": c.Max, "step": c.Step, "labels": c.Labels} {
			v.Set(CriterionField(i, name), val)
		}
		if c.DontKnow {
			v.Set(CriterionField(i, "dont_know"), "1")
		}
	}
	return v
}

// The built-in deck, shown in the editor and posted back unchanged, is the
// same deck: its English from the form, its other languages kept.
func TestRoundTrip(t *testing.T) {
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	base := decks[0]
	f, op := Parse(post(FromDeck(base, base.Slug), OpSave), base.Slug)
	if op != OpSave {
		t.Fatalf("op %q, want %q", op, OpSave)
	}
	if want := FromDeck(base, base.Slug); !reflect.DeepEqual(f, want) {
		t.Fatalf("parsed form\n%+v\nwant\n%+v", f, want)
	}
	d, errs := f.Deck(context.Background(), base, english)
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	if got, want := string(d.JSON()), string(base.JSON()); got != want {
		t.Fatalf("deck\n%s\nwant\n%s", got, want)
	}
}

// Drag and drop rewrites the position fields: the form comes back in
// their order.
func TestParseOrdersByPosition(t *testing.T) {
	f := Form{Scenarios: []Scenario{{Title: "A"}, {Title: "B"}, {Title: "C"}}}
	v := post(f, "")
	v.Set(ScenarioField(0, "pos"), "2")
	v.Set(ScenarioField(2, "pos"), "0")
	v.Set(ScenarioField(1, "pos"), "not a number") // keeps its place
	got, _ := Parse(v, "")
	var titles []string
	for _, s := range got.Scenarios {
		titles = append(titles, s.Title)
	}
	if want := []string{"C", "B", "A"}; !reflect.DeepEqual(titles, want) {
		t.Fatalf("titles %q, want %q", titles, want)
	}
}

func TestApply(t *testing.T) {
	titles := func(f Form) (out []string) {
		for _, s := range f.Scenarios {
			out = append(out, s.Title)
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
	} {
		f := Form{Scenarios: []Scenario{{Title: "A"}, {Title: "B"}, {Title: "C"}}}
		if err := f.Apply(tt.op); err != nil {
			t.Fatalf("%s: %v", tt.op, err)
		}
		if got := titles(f); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.op, got, tt.want)
		}
	}
	f := Form{}
	if err := f.Apply(OpAddCriterion); err != nil || len(f.Criteria) != 1 || f.Criteria[0] != (Criterion{Kind: workshop.KindScale, Min: "1", Max: "5", DontKnow: true}) {
		t.Fatalf("a new criterion: %+v, %v", f.Criteria, err)
	}
	for _, op := range []string{"save", "sideways-s-1", "up-x-1", "add-s-"} {
		if err := f.Apply(op); workshop.ErrorCode(err) != workshop.EInvalid {
			t.Errorf("%s: %v, want an invalid action", op, err)
		}
	}
	f = Form{}
	for range workshop.MaxScenarios + 1 {
		f.Apply(OpAddScenario)
	}
	if len(f.Scenarios) != workshop.MaxScenarios {
		t.Fatalf("%d scenarios added, want at most %d", len(f.Scenarios), workshop.MaxScenarios)
	}
}

// A problem in the deck is shown next to the field it is about.
func TestErrors(t *testing.T) {
	f := Form{Criteria: []Criterion{{Kind: workshop.KindScale}, {Kind: workshop.KindPercent}}}
	for _, tt := range []struct {
		err   error
		field string
		msg   string
	}{
		{workshop.FieldError("scenarios[2].title.en", "must be one line"), ScenarioField(2, "title"), "Must be one line"},
		{workshop.FieldError("scenarios[0].key", "is taken"), ScenarioField(0, "title"), "Is taken"},
		{workshop.FieldError("scenarios[1]", "is odd"), ScenarioField(1, "title"), "Is odd"},
		{workshop.FieldError("scenarios[3].narrative", `"en" is required`), ScenarioField(3, "narrative"), "Fill in this field."},
		{workshop.FieldError("criteria[0].labels[1].value", "is off the scale"), CriterionField(0, "labels"), "Is off the scale"},
		{workshop.FieldError("criteria[1].key", "is taken"), CriterionField(1, "name"), "Is taken"},
		{workshop.FieldError("criteria[0]", "needs 2 to 11 points"), CriterionField(0, "max"), "Needs 2 to 11 points"},
		{workshop.FieldError("criteria[1]", "needs a step that divides 100"), CriterionField(1, "step"), "Needs a step that divides 100"},
		{workshop.FieldError("title.en", "must be one line"), TitleField, "Must be one line"},
		{workshop.FieldError("source", "is too long"), SourceField, "Is too long"},
		{workshop.FieldError("criteria", "a deck needs 1 to 10 criteria"), "", "A deck needs 1 to 10 criteria"},
		{workshop.Errorf(workshop.EConflict, "taken"), "", "Taken"},
	} {
		got := f.Errors(context.Background(), tt.err, english)
		if want := map[string]string{tt.field: tt.msg}; !reflect.DeepEqual(got, want) {
			t.Errorf("%v: %q, want %q", tt.err, got, want)
		}
	}
	for _, err := range []error{workshop.Errorf(workshop.EInternal, "disk full"), context.Canceled} {
		if got := f.Errors(context.Background(), err, english); got != nil {
			t.Errorf("%v: %q, want nil (not the user's)", err, got)
		}
	}
}

// Numbers and labels that do not read are reported by field before the
// deck is validated.
func TestDeckFieldProblems(t *testing.T) {
	f := Form{Title: "T", Scenarios: []Scenario{{Title: "S", Narrative: "N"}},
		Criteria: []Criterion{{Name: "A", Kind: workshop.KindScale, Min: "one", Max: "5"}, {Name: "B", Kind: workshop.KindScale, Labels: "1 = Low\n5 High"}}}
	_, errs := f.Deck(context.Background(), workshop.Deck{}, english)
	want := map[string]string{CriterionField(0, "min"): "Enter a whole number.",
		CriterionField(1, "labels"): "Line 2: write a label as “value = text”, e.g. “1 = Very unlikely”."}
	if !reflect.DeepEqual(errs, want) {
		t.Fatalf("errors %q, want %q", errs, want)
	}
}

// fieldNames are the fields the editor shows for f, and so the only places
// where a problem can be shown ("" is the top of the form).
func fieldNames(f Form) map[string]bool {
	names := map[string]bool{"": true, TitleField: true, DescriptionField: true, SourceField: true}
	for i := range f.Scenarios {
		for _, n := range []string{"title", "narrative", "source", "signposts"} {
			names[ScenarioField(i, n)] = true
		}
	}
	for i := range f.Criteria {
		for _, n := range []string{"name", "question", "kind", "min", "max", "step", "labels"} {
			names[CriterionField(i, n)] = true
		}
	}
	return names
}

// FuzzForm posts anything to the editor: the form reads, an action applies
// or is refused, and every problem with the deck lands on a field the
// editor shows.
func FuzzForm(f *testing.F) {
	f.Add("title=Water&s-n=1&s-0-title=Drought&s-0-narrative=Dry&c-n=1&c-0-name=L&c-0-kind=scale&c-0-min=1&c-0-max=5&op=save")
	f.Add("s-n=2&s-0-pos=1&s-1-pos=0&s-1-title=B&op=up-s-1")
	f.Add("c-n=1&c-0-kind=percent&c-0-step=7&c-0-labels=0+%3D+None%0A100+Certain&op=save")
	f.Add("c-n=1&c-0-min=x&c-0-max=99999999999999999999&op=save")
	f.Add("s-n=-5&c-n=1000&op=remove-c-99999999999999999999")
	f.Add("title=%E2%80%AE&s-n=1&s-0-key=BAD+KEY&s-0-signposts=a%0D%0Ab&op=add-c")
	f.Fuzz(func(t *testing.T, query string) {
		values, _ := url.ParseQuery(query)
		form, op := Parse(values, "")
		if len(form.Scenarios) > workshop.MaxScenarios+1 || len(form.Criteria) > workshop.MaxScenarios+1 {
			t.Fatalf("%d scenarios, %d criteria read", len(form.Scenarios), len(form.Criteria))
		}
		if op != OpSave && op != "" {
			if err := form.Apply(op); err != nil && workshop.ErrorCode(err) != workshop.EInvalid {
				t.Fatalf("action %q: %v", op, err)
			}
			return
		}
		_, errs := form.Deck(context.Background(), workshop.Deck{}, english)
		shown := fieldNames(form)
		for field := range errs {
			if !shown[field] {
				t.Fatalf("a problem at %q, which the editor does not show: %q", field, errs)
			}
		}
	})
}
