package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// eventLog records what a store announces.
type eventLog struct {
	mu     sync.Mutex
	events []workshop.Event
}

func recordEvents(db *store.DB) *eventLog {
	l := &eventLog{}
	db.Subscribe(func(evs []workshop.Event) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.events = append(l.events, evs...)
	})
	return l
}

func (l *eventLog) all() []workshop.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]workshop.Event(nil), l.events...)
}

// take returns what was announced since the last take.
func (l *eventLog) take() []workshop.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	evs := l.events
	l.events = nil
	return evs
}

// describe is an event as a short text: its type, workshop and seq.
func describe(evs []workshop.Event) []string {
	var out []string
	for _, ev := range evs {
		h := ev.Head()
		out = append(out, fmt.Sprintf("%T %d/%d", ev, h.WorkshopID, h.Seq))
	}
	return out
}

// TestEveryWriteAnnouncesItsChange makes every kind of write and checks
// what the store announced: the typed event, its workshop and the seq the
// workshop has after it; nothing for a write that changed nothing or was
// refused. Each change moves the seq on by one and announces one event:
// the live rooms take a seq that never arrives for a missed change.
func TestEveryWriteAnnouncesItsChange(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	events := recordEvents(db)
	w, u := mustWorkshop(t, db)
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID
	events.take()
	before := w.Seq
	seqNow := func() int64 {
		t.Helper()
		got, err := db.WorkshopByCode(ctx, w.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got.Seq
	}
	expect := func(what string, err error, types ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got := describe(events.take())
		var want []string
		for _, typ := range types {
			want = append(want, fmt.Sprintf("workshop.%s %d/%d", typ, w.ID, seqNow()))
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s announced %q, want %q", what, got, want)
		}
		if now := seqNow(); now != before+int64(len(types)) {
			t.Fatalf("%s moved the seq from %d to %d with %d events", what, before, now, len(types))
		}
		before = seqNow()
	}
	p, _, err := db.Join(ctx, w.Code, "", 0)
	expect("Join", err, "ParticipantJoined")
	ch, err := db.SaveRating(ctx, p, s, c, intp(3))
	expect("SaveRating", err, "RatingChanged")
	if ch.Old != nil || ch.New == nil || ch.New.Value != 3 || ch.ParticipantID != p.ID {
		t.Fatalf("the rating's change: %+v", ch)
	}
	_, err = db.SaveRating(ctx, p, s, c, intp(3))
	expect("the same rating again", err)
	_, err = db.SaveRating(ctx, p, s, c, intp(99))
	if workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("a value out of range: %v", err)
	}
	expect("a refused rating", nil)
	ch, err = db.SaveRating(ctx, p, s, c, nil)
	expect("don't know", err, "RatingChanged")
	if ch.Old == nil || ch.Old.Value != 3 || ch.New == nil || !ch.New.DontKnow {
		t.Fatalf("the change to don't know: %+v", ch)
	}
	_, err = db.SaveRating(ctx, p, s, c, nil)
	expect("don't know again", err)
	_, err = db.ClearRating(ctx, p, s, c)
	expect("ClearRating", err, "RatingChanged")
	rc, err := db.SaveRationale(ctx, p, s, "Because.")
	expect("SaveRationale", err, "ReasonChanged")
	_, err = db.FlagRationale(ctx, w.Code, rc.Rationale.ID, nil, new(bool))
	expect("FlagRationale", err, "ReasonChanged")
	set := w.Settings()
	set.Visibility = workshop.VisibleLive
	_, err = db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{})
	expect("UpdateSettings", err, "WorkshopChanged")
	_, err = db.SetFocus(ctx, w.Code, w.Scenarios[1].ID)
	expect("SetFocus", err, "WorkshopChanged")
	_, err = db.Step(ctx, w.Code, workshop.ActClose, 0, false)
	expect("Step close", err, "WorkshopChanged")
	_, err = db.Step(ctx, w.Code, workshop.ActReveal, 0, false)
	expect("Step reveal", err, "WorkshopChanged")
	_, err = db.Step(ctx, w.Code, workshop.ActNextRound, 0, true)
	expect("Step next with the ratings of the round before", err, "RecountNeeded")
	_, err = db.RemoveParticipant(ctx, w.Code, p.ID, u)
	expect("RemoveParticipant", err, "ParticipantRemoved")
	_, err = db.Step(ctx, w.Code, workshop.ActFinish, 0, false)
	expect("Step finish", err, "WorkshopChanged")
	yes := true
	_, err = db.SetOutcome(ctx, w.Code, u, workshop.Outcome{ScenarioID: s, Occurred: &yes, Note: "It happened."})
	expect("SetOutcome", err, "WorkshopChanged")
	_, err = db.AnonymiseWorkshop(ctx, w.Code, u)
	expect("AnonymiseWorkshop", err, "RecountNeeded")
	_, err = db.ArchiveWorkshop(ctx, w.Code, true)
	expect("ArchiveWorkshop", err, "WorkshopChanged")

	last := seqNow()
	if err := db.DeleteWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if got, want := describe(events.take()), []string{fmt.Sprintf("workshop.WorkshopDeleted %d/%d", w.ID, last+1)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("DeleteWorkshop announced %q, want %q", got, want)
	}
	created, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "Another", false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describe(events.take()), []string{fmt.Sprintf("workshop.WorkshopChanged %d/%d", created.ID, created.Seq)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("CreateWorkshop announced %q, want %q", got, want)
	}
}

// Subscribers hear a change only after its COMMIT: what they read from the
// database when they hear it includes the change.
func TestSubscribersHearChangesAfterCommit(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	p, _, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []int64 // the seq a reader sees as each rating is announced
	db.Subscribe(func(evs []workshop.Event) {
		for _, ev := range evs {
			if _, ok := ev.(workshop.RatingChanged); !ok {
				continue
			}
			var seq int64
			// A read on the read pool: it sees only what committed.
			if err := db.RawQueryRow(t, `SELECT seq FROM workshops WHERE id = $1`, w.ID).Scan(&seq); err != nil {
				t.Error(err)
			}
			mu.Lock()
			seen = append(seen, seq-ev.Head().Seq)
			mu.Unlock()
		}
	})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := db.SaveRating(ctx, p, w.Scenarios[i%len(w.Scenarios)].ID, w.Criteria[0].ID, intp(1+i%5)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no rating was announced")
	}
	for _, behind := range seen {
		if behind < 0 {
			t.Fatalf("a subscriber heard of a change the database did not hold yet (%v)", seen)
		}
	}
}

// TestOtherWritersAreNoticed: a commit through another connection to the
// same file (the command line, in production) empties the cache and is
// announced as StoreChanged; this store's own commits are not.
func TestOtherWritersAreNoticed(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := t.TempDir() + "/shared.db"
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events := recordEvents(db)
	db.WatchOtherWriters(slog.New(slog.DiscardHandler))
	w, _ := mustWorkshop(t, db)
	p, _, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 { // this store's own writes, over several looks at data_version
		if _, err := db.SaveRating(ctx, p, w.Scenarios[i%len(w.Scenarios)].ID, w.Criteria[0].ID, intp(1+i%5)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(store.WatchEvery / 4)
	}
	storeChanged := func() bool {
		for _, ev := range events.all() {
			if _, ok := ev.(workshop.StoreChanged); ok {
				return true
			}
		}
		return false
	}
	if storeChanged() {
		t.Fatal("the store's own commits were taken for another writer's")
	}
	if _, err := db.WorkshopByCode(ctx, w.Code); err != nil { // in memory from here on
		t.Fatal(err)
	}

	other, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	set := w.Settings()
	set.Title = "Renamed by another process"
	if _, err := other.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !storeChanged(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) { // generous: this checks that it happens, not how fast
			t.Fatal("no StoreChanged 10 s after another connection committed")
		}
	}
	if got := sameAsDisk(t, db, w.Code, "another writer's change"); got.Title != "Renamed by another process" {
		t.Fatalf("title %q after another writer renamed it", got.Title)
	}
}

// TestAccountWritesAnnounceTheirChange: accounts, sessions, links, decks
// and the cookie keys are written through the one commit path too, each
// with its typed event (no workshop, no seq), so that every server learns
// of them and only the views they concern react.
func TestAccountWritesAnnounceTheirChange(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := clock(db)
	events := recordEvents(db)
	expect := func(what string, err error, want ...workshop.Event) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := events.take(); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s announced %#v, want %#v", what, got, want)
		}
	}
	_, err := db.SetupLink(ctx)
	expect("SetupLink", err, workshop.LinkCreated{})
	_, _, err = db.SessionKeys(ctx)
	expect("SessionKeys, first", err, workshop.KeysCreated{})
	_, _, err = db.SessionKeys(ctx)
	expect("SessionKeys, again", err)
	org, err := db.CreateUser(ctx, "org@example.org", accountPassword, workshop.RoleOrganiser)
	expect("CreateUser", err, workshop.AccountChanged{UserID: org.ID})
	_, tok, err := db.Login(ctx, org.Email, accountPassword)
	expect("Login", err, workshop.SessionRecorded{UserID: org.ID})
	expect("LabelSession", db.LabelSession(ctx, tok, workshop.SessionClient{Browser: "Firefox", System: "Linux"}), workshop.SessionRecorded{UserID: org.ID})
	_, err = db.SessionUser(ctx, tok)
	expect("SessionUser, just used", err)
	*now = now.Add(store.TouchEvery)
	_, err = db.SessionUser(ctx, tok)
	expect("SessionUser, a minute later", err, workshop.SessionRecorded{UserID: org.ID})
	_, _, err = db.CreateInvite(ctx, org, "fac@example.org", workshop.RoleFacilitator)
	expect("CreateInvite", err, workshop.LinkCreated{})
	fac := mustUser(t, db, "fac2@example.org", workshop.RoleFacilitator)
	events.take()
	_, err = db.ChangePassword(ctx, org.ID, accountPassword, accountPassword+"-new")
	expect("ChangePassword", err, workshop.AccountChanged{UserID: org.ID}, workshop.SessionRecorded{UserID: org.ID})
	facTok := mustLogin(t, db, fac.Email, accountPassword)
	events.take()
	expect("Logout", db.Logout(ctx, facTok), workshop.SessionsEnded{UserID: fac.ID})
	expect("Logout, again", db.Logout(ctx, facTok))
	expect("SetPassword", db.SetPassword(ctx, fac.Email, accountPassword+"-2"), workshop.AccountChanged{UserID: fac.ID})
	expect("DisableUser", db.DisableUser(ctx, org, fac.ID), workshop.AccountChanged{UserID: fac.ID})
	expect("EnableUser", db.EnableUser(ctx, fac.ID), workshop.AccountChanged{UserID: fac.ID})
	reset, _, err := db.CreateResetLink(ctx, fac.ID)
	expect("CreateResetLink", err, workshop.LinkCreated{})
	_, _, err = db.CompleteReset(ctx, reset, accountPassword+"-3")
	expect("CompleteReset", err, workshop.AccountChanged{UserID: fac.ID}, workshop.SessionRecorded{UserID: fac.ID})
	sessions, err := db.ListSessions(ctx, fac.ID, "")
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions %v, %v", sessions, err)
	}
	expect("EndSession", db.EndSession(ctx, fac.ID, sessions[0].Handle), workshop.SessionsEnded{UserID: fac.ID})

	deck, err := db.CreateDeck(ctx, org, builtinDeck(t), true)
	if err != nil {
		t.Fatal(err)
	}
	evs := events.take()
	if len(evs) != 1 {
		t.Fatalf("CreateDeck announced %#v", evs)
	}
	changed, ok := evs[0].(workshop.DeckChanged)
	if !ok || changed.DeckID == 0 {
		t.Fatalf("CreateDeck announced %#v, want DeckChanged with its id", evs)
	}
	expect("UpdateDeck", db.UpdateDeck(ctx, deck.Slug, deck), changed)
	expect("DeleteDeck", db.DeleteDeck(ctx, deck.Slug), changed)
	expect("DeleteDeck, again", ignoreNotFound(db.DeleteDeck(ctx, deck.Slug)))
}

func ignoreNotFound(err error) error {
	if workshop.ErrorCode(err) == workshop.ENotFound {
		return nil
	}
	return err
}
