package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"foresight/internal/pgtest"
	"foresight/internal/workshop"
)

// One use case, one transaction: a facilitator's single action that
// writes in several steps commits all of them or none. These tests make
// the store fail between the steps (DB.failAt) and look at the database,
// the cache and the events.

// errCrash is the failure injected between two steps.
var errCrash = errors.New("injected failure")

// eventLog collects what a DB announces.
type eventLog struct {
	mu  sync.Mutex
	got []workshop.Event
}

func (l *eventLog) add(evs []workshop.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, evs...)
}

// take returns the events announced since the last take.
func (l *eventLog) take() []workshop.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.got
	l.got = nil
	return got
}

// useCaseDB is a new database with a facilitator and a lobby workshop on
// the built-in deck with two groups, and a log of what the DB announces
// from then on.
func useCaseDB(t *testing.T) (*DB, *workshop.Workshop, workshop.User, *eventLog) {
	t.Helper()
	ctx := context.Background()
	d, err := Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	u, err := d.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	w, err := d.CreateWorkshop(ctx, u, decks[0], "Before", false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = d.SetGroups(ctx, w.Code, []string{"military", "diplomatic"}, u); err != nil {
		t.Fatal(err)
	}
	events := &eventLog{}
	d.Subscribe(events.add)
	return d, w, u, events
}

// unchanged fails unless workshop want reads the same from the database
// and from the cache, with no event announced and no entry logged since.
func unchanged(t *testing.T, d *DB, want *workshop.Workshop, events *eventLog, logged int, what string) {
	t.Helper()
	disk, err := d.WorkshopFromDisk(t, want.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(disk, want) {
		t.Errorf("%s: on disk %+v, want %+v", what, disk, want)
	}
	cached, err := d.WorkshopByCode(context.Background(), want.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cached, want) {
		t.Errorf("%s: in the cache %+v, want %+v", what, cached, want)
	}
	if got := events.take(); len(got) != 0 {
		t.Errorf("%s: announced %+v, want nothing", what, got)
	}
	if log, err := d.WorkshopLog(context.Background(), want.ID); err != nil || len(log) != logged {
		t.Errorf("%s: log %+v, %v; want %d entries", what, log, err, logged)
	}
}

// newSettings are settings that differ from the workshop's in every field.
func newSettings() workshop.Settings {
	return workshop.Settings{Title: "After", Description: "New words", Anonymity: workshop.Pseudonymous, ParticipantLimit: 12,
		Visibility: workshop.VisibleLive, Pacing: workshop.PaceFocus}
}

// TestSettingsWithGroupsOneTransaction: the settings form's groups and
// settings commit together. A failure after the groups step leaves both as
// they were, in the database and the cache, and announces nothing; without
// it, both change, as one change of seq with one event.
func TestSettingsWithGroupsOneTransaction(t *testing.T) {
	ctx := context.Background()
	d, w, u, events := useCaseDB(t)
	groups := []string{"north", "south", "east"}

	var steps []string
	d.failAt = func(step string) error {
		steps = append(steps, step)
		if step == "groups" {
			return errCrash
		}
		return nil
	}
	if _, err := d.UpdateSettings(ctx, w.Code, newSettings(), &groups, u); !errors.Is(err, errCrash) {
		t.Fatalf("UpdateSettings with a failure after the groups: %v, want the failure", err)
	}
	if !reflect.DeepEqual(steps, []string{"groups"}) {
		t.Fatalf("steps asked %q, want the groups step", steps)
	}
	unchanged(t, d, w, events, 1, "a failure after the groups")

	d.failAt = nil
	got, err := d.UpdateSettings(ctx, w.Code, newSettings(), &groups, u)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "After" || got.ParticipantLimit != 12 || !reflect.DeepEqual(got.GroupNames(), groups) || got.Seq != w.Seq+1 {
		t.Fatalf("after the change: %+v, want the new settings and groups at seq %d", got, w.Seq+1)
	}
	want := []workshop.Event{workshop.RecountNeeded{EventHead: workshop.EventHead{WorkshopID: w.ID, Seq: w.Seq + 1}}}
	if evs := events.take(); !reflect.DeepEqual(evs, want) {
		t.Fatalf("announced %+v, want %+v", evs, want)
	}
	unchanged(t, d, got, events, 2, "the change")
}

// TestSettingsRefusalKeepsGroups: a refusal of the settings leaves the
// groups typed with them unwritten, whether the settings are wrong in
// themselves (a negative limit) or for the workshop as stored (pseudonyms
// for an anonymised workshop). Run as two writes, groups first, the
// groups stayed changed.
func TestSettingsRefusalKeepsGroups(t *testing.T) {
	ctx := context.Background()
	d, w, u, events := useCaseDB(t)
	groups := []string{"north", "south"}

	bad := newSettings()
	bad.ParticipantLimit = -1
	if _, err := d.UpdateSettings(ctx, w.Code, bad, &groups, u); workshop.ErrorCode(err) != workshop.EInvalid {
		t.Fatalf("a negative limit: %v, want invalid", err)
	}
	unchanged(t, d, w, events, 1, "a negative limit")

	// Only a finished workshop is anonymised, and a finished one keeps its
	// groups; the row is made by hand so that the settings, not the
	// groups, refuse.
	if _, err := d.writer.Exec(`UPDATE workshops SET anonymised_at = updated_at WHERE id = $1`, w.ID); err != nil {
		t.Fatal(err)
	}
	d.workshops().clear()
	w.Anonymised = true
	_, err := d.UpdateSettings(ctx, w.Code, newSettings(), &groups, u)
	var e *workshop.Error
	if !errors.As(err, &e) || e.Code != workshop.EInvalid || e.Field != "anonymity" {
		t.Fatalf("pseudonyms for an anonymised workshop: %v, want refused for anonymity", err)
	}
	unchanged(t, d, w, events, 1, "pseudonyms for an anonymised workshop")

	// Outside the lobby the groups refuse, with the settings unwritten.
	if _, err := d.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	events.take()
	if w, err = d.WorkshopByCode(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	set := newSettings()
	set.Anonymity = workshop.Anonymous
	if _, err := d.UpdateSettings(ctx, w.Code, set, &groups, u); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("groups once voting opened: %v, want conflict", err)
	}
	unchanged(t, d, w, events, 1, "groups once voting opened")
}

// TestCopyWorkshopOneTransaction: a copy exists whole or not at all. A
// failure after the copy's row is written leaves no trace of it; without
// it, the copy has the source's settings and groups, one event, and reads
// the same from the cache as from the database.
func TestCopyWorkshopOneTransaction(t *testing.T) {
	ctx := context.Background()
	d, w, u, events := useCaseDB(t)
	w, err := d.UpdateSettings(ctx, w.Code, newSettings(), nil, u)
	if err != nil {
		t.Fatal(err)
	}
	events.take()
	count := func() (n int) {
		t.Helper()
		if err := d.RawQueryRow(t, `SELECT count(*) FROM workshops`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()

	d.failAt = func(step string) error {
		if step == "copy" {
			return errCrash
		}
		return nil
	}
	if _, err := d.CopyWorkshop(ctx, u, w.Code); !errors.Is(err, errCrash) {
		t.Fatalf("CopyWorkshop with a failure after the copy: %v, want the failure", err)
	}
	if n := count(); n != before {
		t.Fatalf("%d workshops after a failed copy, want %d", n, before)
	}
	if copies := d.RawStrings(t, `SELECT code FROM workshops WHERE copied_from = $1`, w.Code); len(copies) != 0 {
		t.Fatalf("a failed copy left %q", copies)
	}
	if evs := events.take(); len(evs) != 0 {
		t.Fatalf("a failed copy announced %+v", evs)
	}
	if ws, err := d.WorkshopsFor(ctx, u); err != nil || len(ws) != before {
		t.Fatalf("the facilitator's workshops after a failed copy: %d, %v; want %d", len(ws), err, before)
	}

	d.failAt = nil
	cp, err := d.CopyWorkshop(ctx, u, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if cp.CopiedFrom != w.Code || cp.State != workshop.StateLobby || cp.Settings() != w.Settings() ||
		!reflect.DeepEqual(cp.GroupNames(), w.GroupNames()) || cp.Groups[0].ID == w.Groups[0].ID {
		t.Fatalf("copy %+v, want the settings and groups of %+v", cp, w)
	}
	want := []workshop.Event{workshop.WorkshopChanged{EventHead: workshop.EventHead{WorkshopID: cp.ID, Seq: cp.Seq}}}
	if evs := events.take(); !reflect.DeepEqual(evs, want) {
		t.Fatalf("a copy announced %+v, want %+v", evs, want)
	}
	unchanged(t, d, cp, events, 1, "the copy") // its groups, logged as the copier's
	if n := count(); n != before+1 {
		t.Fatalf("%d workshops after a copy, want %d", n, before+1)
	}
}

// TestMergeIdeasOneTransaction: a merge moves the votes and marks the idea
// merged in one transaction. A failure after the votes moved leaves both
// ideas with their own votes, nothing merged, nothing logged or announced.
func TestMergeIdeasOneTransaction(t *testing.T) {
	ctx := context.Background()
	d, w, u, events := useCaseDB(t)
	w, err := d.SetIdeasOpen(ctx, w.Code, true)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := d.Join(ctx, w.Code, "", w.Groups[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, title := range []string{"A", "B"} {
		ch, err := d.ProposeIdea(ctx, p, workshop.IdeaDraft{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ch.Ideas[0].ID)
		if _, err := d.Vote(ctx, p, ch.Ideas[0].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	before, err := d.Ideas(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = d.WorkshopByCode(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	events.take()
	d.failAt = func(step string) error {
		if step == "votes" {
			return errCrash
		}
		return nil
	}
	if _, err := d.MergeIdea(ctx, w.Code, ids[1], ids[0], u); !errors.Is(err, errCrash) {
		t.Fatalf("MergeIdea with a failure after the votes: %v, want the failure", err)
	}
	unchanged(t, d, w, events, 1, "a failure after the votes")
	if after, _ := d.Ideas(ctx, w.ID); !reflect.DeepEqual(after, before) {
		t.Fatalf("ideas after a failed merge %+v, want %+v", after, before)
	}
	d.failAt = nil
	ch, err := d.MergeIdea(ctx, w.Code, ids[1], ids[0], u)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Ideas) != 2 || ch.Ideas[0].Votes != 1 || ch.Ideas[1].MergedInto != ids[0] || ch.Seq != w.Seq+1 {
		t.Fatalf("merged: %+v", ch)
	}
}
