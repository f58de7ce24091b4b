package store_test

import (
	"context"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

func TestDecks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	alice, _ := db.CreateUser(ctx, "alice@example.org", "a long password", workshop.RoleFacilitator)
	bob, _ := db.CreateUser(ctx, "bob@example.org", "a long password", workshop.RoleFacilitator)
	org, _ := db.CreateUser(ctx, "org@example.org", "a long password", workshop.RoleOrganiser)

	deck := builtinDeck(t)
	deck.Slug = "mine"
	d1, err := db.CreateDeck(ctx, alice, deck, false)
	if err != nil || d1.OwnerID != alice.ID {
		t.Fatalf("CreateDeck = %+v, %v", d1.Slug, err)
	}
	if _, err := db.CreateDeck(ctx, alice, deck, false); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("a taken slug without unique: %v", err)
	}
	d2, err := db.CreateDeck(ctx, bob, deck, true)
	if err != nil || d2.Slug != "mine-2" {
		t.Fatalf("a taken slug with unique: %q, %v", d2.Slug, err)
	}
	bad := deck
	bad.Scenarios = nil
	if _, err := db.CreateDeck(ctx, alice, bad, true); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("an invalid deck: %v", err)
	}

	// Each facilitator lists their own; an organiser lists all.
	for _, tt := range []struct {
		u    workshop.User
		want int
	}{{alice, 1}, {bob, 1}, {org, 2}} {
		if got, err := db.DecksFor(ctx, tt.u); err != nil || len(got) != tt.want {
			t.Errorf("DecksFor(%s) = %d decks, %v; want %d", tt.u.Email, len(got), err, tt.want)
		}
	}

	// A workshop takes a snapshot: editing the deck later changes nothing in it.
	w, err := db.CreateWorkshop(ctx, alice, d1, "", true)
	if err != nil {
		t.Fatal(err)
	}
	edited := d1
	edited.Scenarios = append([]workshop.Scenario(nil), d1.Scenarios[:2]...)
	edited.Scenarios[0].Title = workshop.Text{"en": "Rewritten", "pl": "Przepisany"}
	if err := db.UpdateDeck(ctx, "mine", edited); err != nil {
		t.Fatal(err)
	}
	got, _ := db.DeckBySlug(ctx, "mine")
	if len(got.Scenarios) != 2 || got.Scenarios[0].Title["en"] != "Rewritten" {
		t.Fatalf("the edit was not stored: %d scenarios", len(got.Scenarios))
	}
	again, _ := db.WorkshopByCode(ctx, w.Code)
	if len(again.Scenarios) != len(d1.Scenarios) || again.Scenarios[0].Title["en"] == "Rewritten" {
		t.Fatal("editing the deck changed a workshop made from it")
	}
	if err := db.DeleteDeck(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeckBySlug(ctx, "mine"); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a deleted deck: %v", err)
	}
	if _, err := db.WorkshopByCode(ctx, w.Code); err != nil {
		t.Fatalf("deleting the deck broke its workshop: %v", err)
	}
}

func TestJoinRules(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	set := w.Settings()
	set.ParticipantLimit, set.Anonymity = 2, workshop.Pseudonymous
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	p1, _, err := db.Join(ctx, w.Code, "Ada", 0)
	if err != nil || !strings.HasPrefix(p1.Pseudonym, "P-") || len(p1.Pseudonym) != 7 {
		t.Fatalf("join = %+v, %v", p1, err)
	}
	p2, _, _ := db.Join(ctx, w.Code, "Ben", 0)
	if p1.Pseudonym == p2.Pseudonym {
		t.Fatal("two participants share a pseudonym")
	}
	if _, _, err := db.Join(ctx, w.Code, "Cleo", 0); workshop.ErrorCode(err) != workshop.EConflict || !strings.Contains(err.Error(), "full") {
		t.Fatalf("a third join into a workshop for two: %v", err)
	}
	for _, bad := range []workshop.Settings{
		{Title: "", Anonymity: workshop.Anonymous, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf},
		{Title: "x", Anonymity: "loud", Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf},
		{Title: "x", Anonymity: workshop.Anonymous, ParticipantLimit: -1, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf},
		{Title: "two\nlines", Anonymity: workshop.Anonymous, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf},
	} {
		if _, err := db.UpdateSettings(ctx, w.Code, bad, nil, workshop.User{}); workshop.ErrorCode(err) != workshop.EInvalid {
			t.Errorf("settings %+v: %v, want invalid", bad, err)
		}
	}
}

func TestManageWorkshop(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := mustWorkshop(t, db)
	set := w.Settings()
	set.Anonymity, set.Description = workshop.Pseudonymous, "For the planning cell."
	db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{})
	p1, _, _ := db.Join(ctx, w.Code, "Ada", 0)
	p2, tok2, _ := db.Join(ctx, w.Code, "Ben", 0)
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID
	db.SaveRating(ctx, p1, s, c, intp(2))
	db.SaveRating(ctx, p2, s, c, intp(5))
	db.SaveRationale(ctx, p2, s, "nonsense")

	// Remove the disruptive participant: their ratings and reasons go, the
	// other's stay, the log says so by pseudonym, their cookie stops working.
	if _, err := db.RemoveParticipant(ctx, w.Code, p2.ID, u); err != nil {
		t.Fatal(err)
	}
	tally, _ := db.LoadTally(ctx, w.ID)
	if len(tally.Counts) != 1 || tally.Counts[0].Answer.Value != 2 || len(tally.Rationales) != 0 {
		t.Fatalf("after removal: %+v", tally)
	}
	if _, err := db.ParticipantByToken(ctx, w.ID, tok2); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("a removed participant's cookie: %v", err)
	}
	log, err := db.WorkshopLog(ctx, w.ID)
	removed := workshop.LogFields{Pseudonym: p2.Pseudonym, Ratings: 1, Reasons: 1}
	if err != nil || len(log) != 1 || log[0].Action != workshop.LogParticipantRemoved || log[0].LogFields != removed || log[0].Actor != u.Email {
		t.Fatalf("log = %+v, %v; want %s %+v by %s", log, err, workshop.LogParticipantRemoved, removed, u.Email)
	}

	// Copy: a new lobby workshop with the same title, items and settings, no
	// people, and the fact that it copies w.
	cp, err := db.CopyWorkshop(ctx, u, w.Code)
	if err != nil || cp.State != workshop.StateLobby || cp.Title != w.Title || cp.CopiedFrom != w.Code || cp.Description != set.Description ||
		len(cp.Scenarios) != len(w.Scenarios) || cp.Code == w.Code {
		t.Fatalf("copy = %+v, %v; want a lobby copy titled %q from %s", cp, err, w.Title, w.Code)
	}
	if w, _ := db.WorkshopByCode(ctx, w.Code); w.CopiedFrom != "" {
		t.Fatalf("the original says it copies %q", w.CopiedFrom)
	}
	if tally, _ := db.LoadTally(ctx, cp.ID); tally.Joined != 0 {
		t.Fatal("the copy has participants")
	}

	// Archive and anonymise need a finished workshop.
	if _, err := db.ArchiveWorkshop(ctx, w.Code, true); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("archiving an open workshop: %v", err)
	}
	if _, err := db.AnonymiseWorkshop(ctx, w.Code, u); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("anonymising an open workshop: %v", err)
	}
	db.Step(ctx, w.Code, workshop.ActFinish, 0, false)
	got, err := db.AnonymiseWorkshop(ctx, w.Code, u)
	if err != nil || !got.Anonymised || got.Anonymity != workshop.Anonymous {
		t.Fatalf("anonymise = %+v, %v", got, err)
	}
	var names, tokens int
	var pseudonym string
	db.RawQueryRow(t, `SELECT count(display_name), count(token_hash), min(pseudonym) FROM participants WHERE workshop_id = $1`, w.ID).Scan(&names, &tokens, &pseudonym)
	if names != 0 || tokens != 0 || pseudonym == p1.Pseudonym || pseudonym == p2.Pseudonym {
		t.Fatalf("after anonymising: %d names, %d tokens, pseudonym %q (was %q, %q)", names, tokens, pseudonym, p1.Pseudonym, p2.Pseudonym)
	}
	if tally, _ := db.LoadTally(ctx, w.ID); len(tally.Counts) != 1 {
		t.Fatal("anonymising lost ratings")
	}
	// Removed participants count too: their rows stay, under new pseudonyms.
	log, err = db.WorkshopLog(ctx, w.ID)
	if err != nil || len(log) != 2 || log[0].Action != workshop.LogAnonymised || log[0].LogFields != (workshop.LogFields{Participants: 2}) {
		t.Fatalf("log = %+v, %v; want the anonymising of 2 participants first", log, err)
	}
	set.Anonymity = workshop.Pseudonymous
	set.Title = got.Title
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("naming participants again after anonymising: %v", err)
	}
	if got, err := db.ArchiveWorkshop(ctx, w.Code, true); err != nil || !got.Archived {
		t.Fatalf("archive = %v", err)
	}
	if _, _, err := db.Join(ctx, w.Code, "", 0); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("joining an archived workshop: %v", err)
	}

	// Delete takes everything with it.
	if err := db.DeleteWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	var left int
	db.RawQueryRow(t, `SELECT (SELECT count(*) FROM ratings WHERE workshop_id = $1) + (SELECT count(*) FROM participants WHERE workshop_id = $2)`, w.ID, w.ID).Scan(&left)
	if left != 0 {
		t.Fatalf("%d rows left after deleting", left)
	}
	if err := db.DeleteWorkshop(ctx, w.Code); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("deleting twice: %v", err)
	}
	// The copy still tells where it came from.
	if got, err := db.WorkshopFromDisk(t, cp.Code); err != nil || got.CopiedFrom != w.Code {
		t.Fatalf("the copy after its source was deleted: %+v, %v; want it to copy %s", got, err, w.Code)
	}
}
