package store_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"foresight/internal/pgtest"
	"foresight/internal/workshop"
)

// On PostgreSQL, what one server commits reaches every other server that
// shares the database: each typed event, once, in its commit order. A server does not hear
// its own commits twice, and the others' caches follow.
func TestOtherServersHearEveryChange(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only: SQLite's other writers are TestOtherWritersAreNoticed")
	}
	ctx := context.Background()
	a, b := mustOpenTwice(t)
	quiet := slog.New(slog.DiscardHandler)
	a.WatchOtherWriters(quiet)
	b.WatchOtherWriters(quiet)
	onA, onB := recordEvents(a), recordEvents(b)

	w, u := mustWorkshop(t, a) // a new account, then a workshop
	waitFor(t, "b hears of the new account, then the new workshop", func() bool {
		evs := onB.all()
		return slices.Contains(evs, workshop.Event(workshop.AccountChanged{UserID: u.ID})) && slices.ContainsFunc(evs, func(ev workshop.Event) bool {
			_, ok := ev.(workshop.WorkshopChanged)
			return ok && ev.Head().WorkshopID == w.ID
		})
	})
	if hasStoreChanged(onB.all()) {
		t.Fatal("a new account made b read everything again")
	}
	onA.take()
	onB.take()
	if _, err := b.WorkshopByCode(ctx, w.Code); err != nil { // b keeps it in memory from here on
		t.Fatal(err)
	}
	p, _, err := a.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(4)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveRationale(ctx, p, w.Scenarios[0].ID, "Because of the refugee flows."); err != nil {
		t.Fatal(err)
	}
	set := w.Settings()
	set.Title = "Renamed on server A"
	if _, err := a.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b's cache follows a's rename", func() bool {
		got, err := b.WorkshopByCode(ctx, w.Code)
		return err == nil && got.Title == "Renamed on server A"
	})
	if _, err := a.RemoveParticipant(ctx, w.Code, p.ID, u); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	own := describe(onA.all())
	waitFor(t, "b hears each of a's events", func() bool { return len(onB.all()) >= len(own) })
	time.Sleep(100 * time.Millisecond) // and nothing more arrives
	if got := describe(onB.all()); !slices.Equal(got, own) {
		t.Fatalf("b heard\n%v\na announced\n%v", got, own)
	}
	if hasStoreChanged(onA.all()) || len(own) != 6 || len(slices.Compact(slices.Clone(own))) != len(own) {
		t.Fatalf("a announced %v: want its own six writes once each (join to deletion), and no StoreChanged", own)
	}
	if _, err := b.WorkshopByCode(ctx, w.Code); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("b still serves the workshop a deleted: %v", err)
	}
}

// A server whose listening connection drops listens again and reads
// everything again, since notifications sent meanwhile are lost.
func TestListenerReconnectsAndReadsAgain(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only")
	}
	ctx := context.Background()
	a, b := mustOpenTwice(t)
	b.WatchOtherWriters(slog.New(slog.DiscardHandler))
	onB := recordEvents(b)
	w, u := mustWorkshop(t, a)
	waitFor(t, "b hears the new account", func() bool {
		return slices.Contains(onB.all(), workshop.Event(workshop.AccountChanged{UserID: u.ID}))
	})
	onB.take()

	conn, err := pgx.Connect(ctx, pgtest.SuiteCluster().URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var cut int
	if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'foresight listener'`).Scan(&cut); err != nil || cut != 1 {
		t.Fatalf("cut %d listening connections (%v), want 1", cut, err)
	}
	waitFor(t, "b reads everything again after listening again", func() bool { return hasStoreChanged(onB.all()) })
	p, _, err := a.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b hears a's join after reconnecting", func() bool {
		return slices.ContainsFunc(onB.all(), func(ev workshop.Event) bool {
			j, ok := ev.(workshop.ParticipantJoined)
			return ok && j.ParticipantID == p.ID
		})
	})
}

func hasStoreChanged(evs []workshop.Event) bool {
	return slices.ContainsFunc(evs, func(ev workshop.Event) bool {
		_, ok := ev.(workshop.StoreChanged)
		return ok
	})
}

// waitFor polls cond for up to ten seconds: generous, as it checks that
// something happens, not how fast.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not after 10 s", what)
		}
	}
}

// Sign-ins on one server reach the others as what they are: 100 logins
// are 100 SessionRecorded events there, and nothing that makes a server
// empty its cache or count a room again (StoreChanged, RecountNeeded); a
// sign-out and a disabled account reach them as the events that end the
// streams concerned.
func TestLoginsCauseNoRecountElsewhere(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only: one SQLite file has one server")
	}
	ctx := context.Background()
	a, b := mustOpenTwice(t)
	quiet := slog.New(slog.DiscardHandler)
	a.WatchOtherWriters(quiet)
	b.WatchOtherWriters(quiet)
	w, _ := mustWorkshop(t, a)
	org := mustUser(t, a, "org@example.org", workshop.RoleOrganiser)
	fac := mustUser(t, a, "fac2@example.org", workshop.RoleFacilitator)
	waitFor(t, "b hears of the accounts", func() bool {
		_, err := b.WorkshopByCode(ctx, w.Code)
		return err == nil
	})
	onB := recordEvents(b)
	var last string
	for range 100 {
		last = mustLogin(t, a, fac.Email, accountPassword)
	}
	waitFor(t, "b hears the 100 logins", func() bool { return len(onB.all()) >= 100 })
	if err := a.Logout(ctx, last); err != nil {
		t.Fatal(err)
	}
	if err := a.DisableUser(ctx, org, fac.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b hears the sign-out and the disabled account", func() bool { return len(onB.all()) >= 102 })
	time.Sleep(100 * time.Millisecond) // and nothing more arrives
	evs := onB.take()
	want := make([]workshop.Event, 0, 102)
	for range 100 {
		want = append(want, workshop.SessionRecorded{UserID: fac.ID})
	}
	want = append(want, workshop.SessionsEnded{UserID: fac.ID}, workshop.AccountChanged{UserID: fac.ID})
	if !slices.Equal(evs, want) {
		t.Fatalf("b heard %v, want 100 SessionRecorded, then SessionsEnded and AccountChanged", describe(evs))
	}
}
