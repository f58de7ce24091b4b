package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// sameAsDisk checks that WorkshopByCode, which serves workshops from
// memory, returns what the database file holds.
func sameAsDisk(t *testing.T, db *store.DB, code, after string) *workshop.Workshop {
	t.Helper()
	got, err := db.WorkshopByCode(context.Background(), code)
	want, werr := db.WorkshopFromDisk(t, code)
	if workshop.ErrorCode(err) != workshop.ErrorCode(werr) {
		t.Fatalf("after %s: WorkshopByCode gave error %v, the database %v", after, err, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after %s: WorkshopByCode gave\n%+v\nthe database holds\n%+v", after, got, want)
	}
	return got
}

// TestWorkshopCacheFollowsEveryChange makes every change a store method can
// make to a workshop and reads the workshop after each: the cached copy
// must be what the database holds, seq included.
func TestWorkshopCacheFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := mustWorkshop(t, db)
	code := w.Code
	s, c := w.Scenarios[2].ID, w.Criteria[0].ID // scenario 2 is put in focus below
	sameAsDisk(t, db, code, "creating")         // the cache holds it from here on

	check := func(what string, err error) *workshop.Workshop {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return sameAsDisk(t, db, code, what)
	}
	step := func(a workshop.Action, prefill bool) {
		t.Helper()
		_, err := db.Step(ctx, code, a, 0, prefill)
		check(fmt.Sprintf("step %v", a), err)
	}

	set := w.Settings()
	set.Title, set.Description, set.Anonymity, set.ParticipantLimit = "Renamed", "New words", workshop.Pseudonymous, 50
	set.Visibility, set.Pacing = workshop.VisibleLive, workshop.PaceFocus
	_, err := db.UpdateSettings(ctx, code, set, nil, workshop.User{})
	if got := check("UpdateSettings", err); got.Title != "Renamed" || got.ParticipantLimit != 50 || got.Pacing != workshop.PaceFocus {
		t.Fatalf("settings not followed: %+v", got)
	}
	_, err = db.SetFocus(ctx, code, w.Scenarios[2].ID)
	if got := check("SetFocus", err); got.Focus != w.Scenarios[2].ID {
		t.Fatalf("focus %d, want %d", got.Focus, w.Scenarios[2].ID)
	}
	p1, _, err := db.Join(ctx, code, "Ada", 0)
	check("Join", err)
	p2, _, err := db.Join(ctx, code, "", 0)
	check("Join", err)
	_, err = db.SaveRating(ctx, p1, s, c, intp(3))
	check("SaveRating", err)
	_, err = db.SaveRating(ctx, p1, s, c, intp(3)) // the same answer: nothing changes
	check("SaveRating again", err)
	_, err = db.SaveRating(ctx, p2, s, c, nil)
	check("SaveRating don't know", err)
	_, err = db.ClearRating(ctx, p2, s, c)
	check("ClearRating", err)
	rc, err := db.SaveRationale(ctx, p1, s, "Because.")
	check("SaveRationale", err)
	_, err = db.FlagRationale(ctx, code, rc.Rationale.ID, nil, new(bool))
	check("FlagRationale", err)
	_, err = db.CreateDisplayLink(ctx, code)
	check("CreateDisplayLink", err)
	err = db.RevokeDisplayLinks(ctx, code)
	check("RevokeDisplayLinks", err)
	_, err = db.RemoveParticipant(ctx, code, p2.ID, u)
	check("RemoveParticipant", err)

	step(workshop.ActClose, false)
	step(workshop.ActReopen, false)
	step(workshop.ActClose, false)
	step(workshop.ActReveal, false)
	step(workshop.ActNextRound, true)
	if got := sameAsDisk(t, db, code, "next round"); got.Round != 2 {
		t.Fatalf("round %d, want 2", got.Round)
	}
	step(workshop.ActFinish, false)
	_, err = db.AnonymiseWorkshop(ctx, code, u)
	if got := check("AnonymiseWorkshop", err); !got.Anonymised {
		t.Fatal("anonymising not followed")
	}
	_, err = db.ArchiveWorkshop(ctx, code, true)
	if got := check("ArchiveWorkshop", err); !got.Archived {
		t.Fatal("archiving not followed")
	}
	_, err = db.ArchiveWorkshop(ctx, code, false)
	check("ArchiveWorkshop false", err)

	// A failed change leaves the workshop as it was.
	if _, err := db.Step(ctx, code, workshop.ActReveal, 7, false); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("a step in the wrong round: %v", err)
	}
	sameAsDisk(t, db, code, "a refused step")

	cp, err := db.CopyWorkshop(ctx, u, code)
	if err != nil {
		t.Fatal(err)
	}
	if got := sameAsDisk(t, db, cp.Code, "CopyWorkshop"); got.Title != "Renamed" || got.CopiedFrom != code || got.Description != "New words" || !reflect.DeepEqual(got, cp) {
		t.Fatalf("copy %+v, returned %+v", got, cp)
	}

	if err := db.DeleteWorkshop(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WorkshopByCode(ctx, code); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a deleted workshop: %v, want not found", err)
	}
	sameAsDisk(t, db, cp.Code, "deleting another workshop")
}

// TestWorkshopCacheUnderConcurrency changes a workshop from one goroutine
// while others read it, some of them after emptying the cache (a miss that
// reads the database while a change commits). Every read that starts after
// a change returned must see it, and at the end the cache holds what the
// database holds.
func TestWorkshopCacheUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)
	ps := make([]workshop.Participant, 8)
	for i := range ps {
		p, _, err := db.Join(ctx, w.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		ps[i] = p
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if g == 0 && i%7 == 0 {
					db.EmptyWorkshopCache()
				}
				if _, err := db.WorkshopByCode(ctx, w.Code); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for g := range ps {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ch, err := db.SaveRating(ctx, ps[g], w.Scenarios[i%len(w.Scenarios)].ID, w.Criteria[0].ID, intp(1+i%5))
				if workshop.ErrorCode(err) == workshop.EConflict {
					continue // voting closed for a moment
				}
				if err != nil {
					t.Error(err)
					return
				}
				if got, _ := db.WorkshopByCode(ctx, w.Code); got.Seq < ch.Seq {
					t.Errorf("rating acknowledged at seq %d, then the workshop read seq %d", ch.Seq, got.Seq)
					return
				}
			}
		})
	}
	set := w.Settings()
	for i := range 60 {
		set.Title = fmt.Sprintf("Title %d", i)
		done, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.WorkshopByCode(ctx, w.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != set.Title || got.Seq < done.Seq {
			t.Fatalf("after setting %q (seq %d), read %q (seq %d)", set.Title, done.Seq, got.Title, got.Seq)
		}
		a := workshop.ActClose
		if i%2 == 1 {
			a = workshop.ActReopen
		}
		done, err = db.Step(ctx, w.Code, a, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.WorkshopByCode(ctx, w.Code); got.State != done.State || got.Seq < done.Seq {
			t.Fatalf("after %v: read state %s seq %d, want %s seq >= %d", a, got.State, got.Seq, done.State, done.Seq)
		}
	}
	close(stop)
	wg.Wait()
	sameAsDisk(t, db, w.Code, "the concurrent changes")
}

// TestJoinLimitUnderRaces joins many participants at once into a workshop
// with a limit: exactly the limit gets in. A removal frees one place, and
// raising the limit admits more.
func TestJoinLimitUnderRaces(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := mustWorkshop(t, db)
	set := w.Settings()
	set.ParticipantLimit = 30
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	race := func(tries int) (joined []workshop.Participant, full int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range tries {
			wg.Go(func() {
				p, _, err := db.Join(ctx, w.Code, "", 0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					joined = append(joined, p)
				case workshop.ErrorCode(err) == workshop.EConflict:
					full++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		return joined, full
	}
	active := func() int {
		var n int
		db.RawQueryRow(t, `SELECT count(*) FROM participants WHERE workshop_id = $1 AND removed_at IS NULL`, w.ID).Scan(&n)
		return n
	}
	ps, full := race(100)
	if len(ps) != 30 || full != 70 || active() != 30 {
		t.Fatalf("%d joined, %d refused, %d stored; want 30, 70, 30", len(ps), full, active())
	}
	if _, err := db.RemoveParticipant(ctx, w.Code, ps[0].ID, u); err != nil {
		t.Fatal(err)
	}
	if more, _ := race(10); len(more) != 1 || active() != 30 {
		t.Fatalf("after a removal %d joined (%d stored), want 1 (30)", len(more), active())
	}
	set.ParticipantLimit = 35
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	if more, _ := race(10); len(more) != 5 || active() != 35 {
		t.Fatalf("after raising the limit %d joined (%d stored), want 5 (35)", len(more), active())
	}
	set.ParticipantLimit = 0
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	if more, _ := race(10); len(more) != 10 || active() != 45 {
		t.Fatalf("without a limit %d joined (%d stored), want 10 (45)", len(more), active())
	}
	set.ParticipantLimit = 46 // counted again after joins it did not count
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	if more, _ := race(5); len(more) != 1 || active() != 46 {
		t.Fatalf("with a limit again %d joined (%d stored), want 1 (46)", len(more), active())
	}
}

// TestParticipantCacheForgets checks that participants served from memory
// follow what the database holds: a removed participant, an anonymised
// workshop and a deleted one end their tokens at once, and other
// workshops' participants stay cached.
func TestParticipantCacheForgets(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := mustWorkshop(t, db)
	other, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "", true)
	if err != nil {
		t.Fatal(err)
	}
	type joined struct {
		p     workshop.Participant
		token string
	}
	join := func(ws *workshop.Workshop) joined {
		t.Helper()
		p, tok, err := db.Join(ctx, ws.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		return joined{p, tok}
	}
	lookup := func(ws *workshop.Workshop, j joined) string {
		t.Helper()
		got, err := db.ParticipantByToken(ctx, ws.ID, j.token)
		if err == nil && (got.ID != j.p.ID || got.WorkshopID != ws.ID || got.Pseudonym == "") {
			t.Fatalf("found %+v, want %+v", got, j.p)
		}
		return workshop.ErrorCode(err)
	}
	a, b, c := join(w), join(w), join(other)
	for range 2 { // the second time from memory
		if lookup(w, a) != "" || lookup(w, b) != "" || lookup(other, c) != "" {
			t.Fatal("a joined participant was not found")
		}
	}
	if n := db.CachedParticipants(); n != 3 {
		t.Fatalf("%d participants cached, want 3", n)
	}
	if got := lookup(other, a); got != workshop.EForbidden {
		t.Fatalf("a token of another workshop gave %q, want forbidden", got)
	}

	if _, err := db.RemoveParticipant(ctx, w.Code, a.p.ID, u); err != nil {
		t.Fatal(err)
	}
	if got := lookup(w, a); got != workshop.EUnauthorized {
		t.Fatalf("a removed participant's token gave %q, want unauthorized", got)
	}
	if lookup(w, b) != "" || lookup(other, c) != "" {
		t.Fatal("the others lost their place")
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActFinish, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AnonymiseWorkshop(ctx, w.Code, u); err != nil {
		t.Fatal(err)
	}
	if got := lookup(w, b); got != workshop.EUnauthorized {
		t.Fatalf("after anonymising, a token gave %q, want unauthorized", got)
	}
	if lookup(other, c) != "" {
		t.Fatal("another workshop's participant lost their place")
	}
	if err := db.DeleteWorkshop(ctx, other.Code); err != nil {
		t.Fatal(err)
	}
	if got := lookup(other, c); got != workshop.EUnauthorized {
		t.Fatalf("after deleting the workshop, a token gave %q, want unauthorized", got)
	}
	if n := db.CachedParticipants(); n != 0 {
		t.Fatalf("%d participants still cached", n)
	}
}

// TestCacheLetsIdleWorkshopsGo opens 1,000 workshops (every tenth joined
// and rated once) and leaves them: after the idle sweeps the cache holds
// only the one still in use, and a workshop that left is read again at its
// next use.
func TestCacheLetsIdleWorkshopsGo(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w0, u := mustWorkshop(t, db)
	deck := builtinDeck(t)
	var codes []string
	for range 1000 {
		w, err := db.CreateWorkshop(ctx, u, deck, "", true)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, w.Code)
		if len(codes)%10 != 1 {
			continue
		}
		p, tok, err := db.Join(ctx, w.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ParticipantByToken(ctx, w.ID, tok); err != nil { // kept in memory from here on
			t.Fatal(err)
		}
		if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(3)); err != nil {
			t.Fatal(err)
		}
	}
	if _, p := db.CacheSize(); p != 100 {
		t.Fatalf("the cache holds %d participants, want the 100 looked up", p)
	}
	if n, _ := db.CacheSize(); n < 1000 {
		t.Fatalf("the cache holds %d workshops after 1,000 were opened", n)
	}
	// One workshop stays in use: asked for at every sweep.
	for range 5 {
		db.SweepCache(1, 3)
		if _, err := db.WorkshopByCode(ctx, w0.Code); err != nil {
			t.Fatal(err)
		}
	}
	if n, p := db.CacheSize(); n != 1 || p != 0 {
		t.Fatalf("after the idle sweeps the cache holds %d workshops and %d participants, want the 1 in use and none", n, p)
	}
	got := sameAsDisk(t, db, codes[0], "leaving the cache")
	if got.Seq != 2 { // created at 0, joined, rated
		t.Fatalf("seq %d after reading again, want 2", got.Seq)
	}
}
