package store_test

import (
	"context"
	"reflect"
	"testing"

	"foresight/internal/workshop"
)

// A workshop made from the estimates deck keeps its yardstick and its
// confidence criterion, and the store takes exactly the confidence levels
// 1 to 3 and the yardstick criterion's 5 % steps.
func TestEstimatesWorkshop(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, decks[1], "", true)
	if err != nil {
		t.Fatal(err)
	}
	stored := sameAsDisk(t, db, w.Code, "creating")
	if !reflect.DeepEqual(stored.Criteria[0].Yardstick, workshop.YardstickICD203) || stored.Criteria[2].Kind != workshop.KindConfidence {
		t.Fatalf("criteria as stored: %s %q, %s", stored.Criteria[0].Key, stored.Criteria[0].Yardstick, stored.Criteria[2].Kind)
	}
	db.EmptyWorkshopCache()
	if again := sameAsDisk(t, db, w.Code, "reading again"); again.Criteria[0].Yardstick != workshop.YardstickICD203 || len(again.Criteria[2].Labels) != 3 {
		t.Fatalf("read again: %+v", again.Criteria)
	}
	p, _, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	s, prob, conf := w.Scenarios[0].ID, w.Criteria[0].ID, w.Criteria[2].ID
	for _, tc := range []struct {
		crit  int64
		value int
		ok    bool
	}{{prob, 65, true}, {prob, 67, false}, {conf, 1, true}, {conf, 3, true}, {conf, 0, false}, {conf, 4, false}} {
		_, err := db.SaveRating(ctx, p, s, tc.crit, intp(tc.value))
		if (err == nil) != tc.ok || (err != nil && workshop.ErrorCode(err) != workshop.EInvalid) {
			t.Errorf("criterion %d value %d: %v, want accepted=%v", tc.crit, tc.value, err, tc.ok)
		}
	}
	if _, err := db.SaveRating(ctx, p, s, conf, nil); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Errorf("\"don't know\" on a confidence criterion without it: %v, want invalid", err)
	}
}

// A workshop made without a title takes the deck's title in the deck's own
// language, Polish here, not in English.
func TestUntitledWorkshopTakesTheDecksOwnTitle(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u, err := db.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	d := builtinDeck(t)
	d.Languages = []string{"pl", "en"}
	w, err := db.CreateWorkshop(ctx, u, d, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != d.Title["pl"] {
		t.Fatalf("title %q, want the Polish %q", w.Title, d.Title["pl"])
	}
}
