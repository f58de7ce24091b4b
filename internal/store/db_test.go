package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

func builtinDeck(tb testing.TB) workshop.Deck {
	tb.Helper()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		tb.Fatal(err)
	}
	return decks[0]
}

// mustWorkshop creates a facilitator and an open workshop on the built-in deck.
func mustWorkshop(tb testing.TB, db *store.DB) (*workshop.Workshop, workshop.User) {
	tb.Helper()
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, builtinDeck(tb), "", true)
	if err != nil {
		tb.Fatal(err)
	}
	return w, u
}

func intp(v int) *int { return &v }

func TestOpenAppliesPragmasToEveryConnection(t *testing.T) {
	sqliteOnly(t)
	db := MustOpenDB(t)
	mode, sync, fk, err := db.Pragmas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 2 || fk != 1 {
		t.Fatalf("journal_mode=%s synchronous=%d foreign_keys=%d, want wal 2 1", mode, sync, fk)
	}
	// A PRAGMA run with Exec reaches one pooled connection only: hold
	// several readers at once, so the pool opens distinct connections, and
	// check that the DSN gave each of them the settings.
	conns, err := db.ReaderSettings(context.Background(), 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 4 {
		t.Fatalf("held %d reader connections, want 4", len(conns))
	}
	want := store.ConnSettings{JournalMode: "wal", Synchronous: 2, ForeignKeys: 1, BusyTimeout: 5000}
	for i, got := range conns {
		if got != want {
			t.Errorf("reader connection %d: %+v, want %+v", i, got, want)
		}
	}
}

func TestWorkshopSnapshot(t *testing.T) {
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	if w.State != workshop.StateOpen || w.Round != 1 {
		t.Fatalf("state=%s round=%d, want open 1", w.State, w.Round)
	}
	deck := builtinDeck(t)
	if len(w.Scenarios) != len(deck.Scenarios) || len(w.Criteria) != 2 {
		t.Fatalf("%d scenarios, %d criteria; want %d, 2", len(w.Scenarios), len(w.Criteria), len(deck.Scenarios))
	}
	if w.Title != deck.Title.In("en") {
		t.Fatalf("title=%q, want the deck's title", w.Title)
	}
	if got := w.Criteria[0].Label(1, "en"); got == "" {
		t.Fatal("the snapshot lost the criterion's labels")
	}
	if _, err := db.CreateWorkshop(context.Background(), workshop.User{ID: 1}, deck, "bad\ntitle", false); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("a two-line title gave %v, want invalid", err)
	}
}

func TestSaveRating(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	p, token, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	joined, err := db.WorkshopByCode(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.ParticipantByToken(ctx, w.ID, token); err != nil || got.ID != p.ID {
		t.Fatalf("ParticipantByToken = %v, %v", got, err)
	}
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID

	ch, err := db.SaveRating(ctx, p, s, c, intp(4))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Old != nil || ch.New == nil || ch.New.Value != 4 || ch.Seq != joined.Seq+1 || ch.Round != 1 {
		t.Fatalf("first rating change = %+v", ch)
	}
	ch, err = db.SaveRating(ctx, p, s, c, nil) // don't know
	if err != nil {
		t.Fatal(err)
	}
	if ch.Old == nil || ch.Old.Value != 4 || !ch.New.DontKnow {
		t.Fatalf("change to don't know = %+v", ch)
	}
	got, err := db.RatingsOf(ctx, p, 1)
	if err != nil || len(got) != 1 || !got[workshop.ItemKey{ScenarioID: s, CriterionID: c}].DontKnow {
		t.Fatalf("RatingsOf = %v, %v", got, err)
	}
	ch, err = db.ClearRating(ctx, p, s, c)
	if err != nil || ch.Old == nil || !ch.Old.DontKnow || ch.New != nil {
		t.Fatalf("clear = %+v, %v", ch, err)
	}

	// Bad input: an error of the right kind, and nothing stored.
	for _, tt := range []struct {
		name       string
		scen, crit int64
		value      *int
		code       string
	}{
		{"out of range", s, c, intp(6), workshop.EInvalid},
		{"zero", s, c, intp(0), workshop.EInvalid},
		{"unknown scenario", 999999, c, intp(3), workshop.ENotFound},
		{"unknown criterion", s, 999999, intp(3), workshop.ENotFound},
	} {
		if _, err := db.SaveRating(ctx, p, tt.scen, tt.crit, tt.value); workshop.ErrorCode(err) != tt.code {
			t.Errorf("%s: err=%v, want %s", tt.name, err, tt.code)
		}
	}
	if got, _ := db.RatingsOf(ctx, p, 1); len(got) != 0 {
		t.Fatalf("bad input stored %v", got)
	}

	// Closed voting: 409, and the saved rating stays.
	if _, err := db.SaveRating(ctx, p, s, c, intp(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActClose, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRating(ctx, p, s, c, intp(5)); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("rating a closed round: %v, want conflict", err)
	}
	if _, err := db.ClearRating(ctx, p, s, c); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("clearing in a closed round: %v, want conflict", err)
	}
	if got, _ := db.RatingsOf(ctx, p, 1); got[workshop.ItemKey{ScenarioID: s, CriterionID: c}].Value != 2 {
		t.Fatalf("closing lost the saved rating: %v", got)
	}
}

func TestStateTransitions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u, _ := db.CreateUser(ctx, "o@example.org", "a long password", workshop.RoleOrganiser)
	w, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "Lobby test", false)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		act   workshop.Action
		round int // the round named in the request; 0: any
		ok    bool
		state workshop.State
		now   int // the round afterwards
	}{
		{workshop.ActClose, 0, false, workshop.StateLobby, 1},
		{workshop.ActFinish, 0, false, workshop.StateLobby, 1},
		{workshop.ActReveal, 0, false, workshop.StateLobby, 1},
		{workshop.ActNextRound, 0, true, workshop.StateOpen, 1},
		{workshop.ActNextRound, 0, false, workshop.StateOpen, 1}, // reveal first
		{workshop.ActReveal, 0, false, workshop.StateOpen, 1},    // close first
		{workshop.ActClose, 2, false, workshop.StateOpen, 1},     // not the current round
		{workshop.ActClose, 1, true, workshop.StateClosed, 1},
		{workshop.ActReopen, 0, true, workshop.StateOpen, 1},
		{workshop.ActClose, 0, true, workshop.StateClosed, 1},
		{workshop.ActReveal, 1, true, workshop.StateRevealed, 1},
		{workshop.ActReopen, 0, false, workshop.StateRevealed, 1},
		{workshop.ActNextRound, 0, true, workshop.StateOpen, 2},
		{workshop.ActClose, 0, true, workshop.StateClosed, 2},
		{workshop.ActFinish, 0, true, workshop.StateFinished, 2},
		{workshop.ActNextRound, 0, false, workshop.StateFinished, 2}, // finished is final
		{workshop.ActReopen, 0, false, workshop.StateFinished, 2},
	}
	for i, st := range steps {
		got, err := db.Step(ctx, w.Code, st.act, st.round, false)
		if st.ok && err != nil || !st.ok && workshop.ErrorCode(err) != workshop.EConflict {
			t.Fatalf("step %d (%s): err=%v, want ok=%v", i, st.act, err, st.ok)
		}
		if !st.ok {
			if got, err = db.WorkshopByCode(ctx, w.Code); err != nil {
				t.Fatal(err)
			}
		}
		if got.State != st.state || got.Round != st.now {
			t.Fatalf("step %d (%s): %s round %d, want %s round %d", i, st.act, got.State, got.Round, st.state, st.now)
		}
	}
	if _, _, err := db.Join(ctx, w.Code, "", 0); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("joining a finished workshop: %v, want conflict", err)
	}
}

// A new round starts blank or with each participant's previous ratings;
// the previous round's ratings stay as they were.
func TestNextRoundPrefill(t *testing.T) {
	ctx := context.Background()
	for _, prefill := range []bool{false, true} {
		db := MustOpenDB(t)
		w, _ := mustWorkshop(t, db)
		p, _, _ := db.Join(ctx, w.Code, "", 0)
		s, c := w.Scenarios[0].ID, w.Criteria[0].ID
		if _, err := db.SaveRating(ctx, p, s, c, intp(2)); err != nil {
			t.Fatal(err)
		}
		for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal, workshop.ActNextRound} {
			if _, err := db.Step(ctx, w.Code, a, 0, prefill); err != nil {
				t.Fatal(err)
			}
		}
		r2, _ := db.RatingsOf(ctx, p, 2)
		if got := len(r2); prefill && got != 1 || !prefill && got != 0 {
			t.Fatalf("prefill=%v: round 2 starts with %d ratings", prefill, got)
		}
		if _, err := db.SaveRating(ctx, p, s, c, intp(3)); err != nil {
			t.Fatal(err)
		}
		r1, _ := db.RatingsOf(ctx, p, 1)
		r2, _ = db.RatingsOf(ctx, p, 2)
		k := workshop.ItemKey{ScenarioID: s, CriterionID: c}
		if r1[k].Value != 2 || r2[k].Value != 3 {
			t.Fatalf("prefill=%v: round 1 = %v, round 2 = %v; want 2 and 3", prefill, r1[k], r2[k])
		}
	}
}

func TestSettingsFocusAndRationales(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	set := w.Settings()
	set.Visibility, set.Pacing = workshop.VisibleLive, workshop.PaceFocus
	got, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{})
	if err != nil || got.Visibility != workshop.VisibleLive || got.Pacing != workshop.PaceFocus || got.Seq <= w.Seq {
		t.Fatalf("UpdateSettings = %+v, %v", got, err)
	}
	if got, err = db.SetFocus(ctx, w.Code, w.Scenarios[2].ID); err != nil || got.FocusID() != w.Scenarios[2].ID {
		t.Fatalf("SetFocus = %v, %v", got.Focus, err)
	}
	if _, err := db.SetFocus(ctx, w.Code, 99999); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("focus on a foreign scenario: %v", err)
	}

	p, _, _ := db.Join(ctx, w.Code, "", 0)
	if _, err := db.SaveRationale(ctx, p, w.Scenarios[0].ID, "Not the scenario in focus."); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("a reason for a scenario out of focus: %v, want a conflict", err)
	}
	if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(3)); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("a rating of a scenario out of focus: %v, want a conflict", err)
	}
	s := w.Scenarios[2].ID
	if _, err := db.SaveRationale(ctx, p, s, "  Aid flows are already shrinking.  "); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"evil ‮ text", string([]byte{0xff, 0xfe}), strings.Repeat("x", workshop.MaxRationaleRunes+1)} {
		if _, err := db.SaveRationale(ctx, p, s, bad); workshop.ErrorCode(err) != workshop.EInvalid {
			t.Errorf("rationale %q: %v, want invalid", bad, err)
		}
	}
	rs, err := db.Rationales(ctx, w.ID)
	if err != nil || len(rs) != 1 || rs[0].Text != "Aid flows are already shrinking." {
		t.Fatalf("Rationales = %+v, %v", rs, err)
	}
	yes := true
	if _, err := db.FlagRationale(ctx, w.Code, rs[0].ID, &yes, &yes); err != nil {
		t.Fatal(err)
	}
	// Editing keeps it hidden but no longer featured: the new text was not vetted.
	ch, err := db.SaveRationale(ctx, p, s, "Aid flows shrink.")
	if err != nil || ch.Rationale.Text != "Aid flows shrink." || ch.Rationale.ID != rs[0].ID || ch.Deleted {
		t.Fatalf("edit = %+v, %v", ch, err)
	}
	rs, _ = db.Rationales(ctx, w.ID)
	if !rs[0].Hidden || rs[0].Featured {
		t.Fatalf("after an edit hidden=%v featured=%v, want true false", rs[0].Hidden, rs[0].Featured)
	}
	if ch, err := db.SaveRationale(ctx, p, s, ""); err != nil || !ch.Deleted || ch.Rationale.ID != rs[0].ID {
		t.Fatalf("delete = %+v, %v", ch, err)
	}
	if rs, _ = db.Rationales(ctx, w.ID); len(rs) != 0 {
		t.Fatalf("empty text kept %d rationales", len(rs))
	}

	token, err := db.CreateDisplayLink(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.DisplayWorkshop(ctx, token); err != nil || got.ID != w.ID {
		t.Fatalf("DisplayWorkshop = %v, %v", got, err)
	}
	newer, _ := db.CreateDisplayLink(ctx, w.Code)
	if _, err := db.DisplayWorkshop(ctx, token); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a replaced display link still works: %v", err)
	}
	if err := db.RevokeDisplayLinks(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DisplayWorkshop(ctx, newer); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a revoked display link still works: %v", err)
	}
}

// One vote per participant per item per round, even when requests race.
func TestConcurrentSameRating(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	p, _, _ := db.Join(ctx, w.Code, "", 0)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(1+i%5)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	tally, err := db.LoadTally(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, r := range tally.Counts {
		n += r.Count
	}
	if n != 1 || len(tally.Rated) != 1 || tally.Joined != 1 {
		t.Fatalf("after 50 racing saves: %d ratings, %d raters, %d joined; want 1, 1, 1", n, len(tally.Rated), tally.Joined)
	}
}

// Several servers starting on one empty database each offer a setup link:
// any of them works, once, and the first account ends them all.
func TestEverySetupLinkWorksUntilTheFirstAccount(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	first, err := db.SetupLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.SetupLink(ctx)
	if err != nil || second == first {
		t.Fatalf("a second SetupLink = %q, %v", second, err)
	}
	for _, link := range []string{first, second} {
		if err := db.CheckSetupToken(ctx, link); err != nil {
			t.Fatalf("a link offered before the first account: %v", err)
		}
	}
	if _, _, err := db.CompleteSetup(ctx, second, "first@example.org", "a long password"); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSetupToken(ctx, first); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("the other link after the first account: %v", err)
	}
	if _, _, err := db.CompleteSetup(ctx, first, "second@example.org", "a long password"); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a second organiser through the other link: %v", err)
	}
}

func TestLoginAndSessions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	link, err := db.SetupLink(ctx)
	if err != nil || link == "" {
		t.Fatalf("SetupLink = %q, %v", link, err)
	}
	if _, _, err := db.CompleteSetup(ctx, link, "Boss@Example.org", "short"); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("short password: %v", err)
	}
	u, session, err := db.CompleteSetup(ctx, link, "Boss@Example.org", "a long password")
	if err != nil || u.Role != workshop.RoleOrganiser || u.Email != "boss@example.org" {
		t.Fatalf("CompleteSetup = %+v, %v", u, err)
	}
	if _, _, err := db.CompleteSetup(ctx, link, "again@example.org", "a long password"); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("setup link used twice: %v", err)
	}
	if again, _ := db.SetupLink(ctx); again != "" {
		t.Fatal("a setup link is offered while accounts exist")
	}
	if got, err := db.SessionUser(ctx, session); err != nil || got.ID != u.ID {
		t.Fatalf("SessionUser = %+v, %v", got, err)
	}
	if _, _, err := db.Login(ctx, "boss@example.org", "wrong password"); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := db.Login(ctx, "nobody@example.org", "a long password"); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("unknown email: %v", err)
	}
	_, s2, err := db.Login(ctx, " BOSS@example.org ", "a long password")
	if err != nil || s2 == session {
		t.Fatalf("login = %q, %v; want a new session", s2, err)
	}
	if err := db.Logout(ctx, s2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, s2); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("session after logout: %v", err)
	}
	if err := db.SetPassword(ctx, "boss@example.org", "another long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, session); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("session after password change: %v", err)
	}
}
