package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// lobbyWorkshop is a workshop on the built-in deck waiting in the lobby.
func lobbyWorkshop(t *testing.T, db *store.DB) (*workshop.Workshop, workshop.User) {
	t.Helper()
	u := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	w, err := db.CreateWorkshop(context.Background(), u, builtinDeck(t), "", false)
	if err != nil {
		t.Fatal(err)
	}
	return w, u
}

func mustSetGroups(t *testing.T, db *store.DB, code string, by workshop.User, names ...string) *workshop.Workshop {
	t.Helper()
	w, err := db.SetGroups(context.Background(), code, names, by)
	if err != nil {
		t.Fatalf("set groups %q: %v", names, err)
	}
	return w
}

func mustJoin(t *testing.T, db *store.DB, code string, group int64) (workshop.Participant, string) {
	t.Helper()
	p, token, err := db.Join(context.Background(), code, "", group)
	if err != nil {
		t.Fatalf("join group %d: %v", group, err)
	}
	return p, token
}

// namesOf lists the names of groups, in order.
func namesOf(groups []workshop.Group) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g.Name)
	}
	return out
}

// TestGroupsRoundTrip sets, reorders, renames, shrinks and removes a
// workshop's groups in the lobby: the groups read back in order from the
// cache and from disk, a name that stays keeps its group's ID and its
// participants, the participants of a removed group have none, each change
// announces a recount and is logged.
func TestGroupsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	events := recordEvents(db)
	w, u := lobbyWorkshop(t, db)
	events.take()

	w = mustSetGroups(t, db, w.Code, u, "military", "diplomatic", "humanitarian")
	if got, want := namesOf(w.Groups), []string{"military", "diplomatic", "humanitarian"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("groups %q, want %q", got, want)
	}
	if got := describe(events.take()); !reflect.DeepEqual(got, describe([]workshop.Event{workshop.RecountNeeded{EventHead: workshop.EventHead{WorkshopID: w.ID, Seq: w.Seq}}})) {
		t.Fatalf("setting groups announced %q, want one RecountNeeded at the workshop's new seq", got)
	}
	military, diplomatic, humanitarian := w.Groups[0], w.Groups[1], w.Groups[2]
	soldier, soldierToken := mustJoin(t, db, w.Code, military.ID)
	aidWorker, aidToken := mustJoin(t, db, w.Code, humanitarian.ID)
	if soldier.GroupID != military.ID || aidWorker.GroupID != humanitarian.ID {
		t.Fatalf("joined in groups %d and %d, want %d and %d", soldier.GroupID, aidWorker.GroupID, military.ID, humanitarian.ID)
	}
	// Seen once, so the cache holds them with their groups.
	if p, err := db.ParticipantByToken(ctx, w.ID, aidToken); err != nil || p.GroupID != humanitarian.ID {
		t.Fatalf("participant by token: %+v, %v", p, err)
	}

	// Reordered, one renamed by letter case, one gone, one new.
	w = mustSetGroups(t, db, w.Code, u, "Diplomatic", "intelligence", "military")
	if got, want := namesOf(w.Groups), []string{"Diplomatic", "intelligence", "military"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("groups %q, want %q", got, want)
	}
	if w.Groups[0].ID != diplomatic.ID || w.Groups[2].ID != military.ID {
		t.Fatalf("groups %+v: diplomatic (%d) and military (%d) must keep their IDs", w.Groups, diplomatic.ID, military.ID)
	}
	disk, err := db.WorkshopFromDisk(t, w.Code)
	if err != nil || !reflect.DeepEqual(disk.Groups, w.Groups) {
		t.Fatalf("groups on disk %+v (%v), served %+v", disk.Groups, err, w.Groups)
	}
	for token, want := range map[string]int64{soldierToken: military.ID, aidToken: 0} {
		if p, err := db.ParticipantByToken(ctx, w.ID, token); err != nil || p.GroupID != want {
			t.Fatalf("after the change, participant %+v (%v), want group %d", p, err, want)
		}
	}
	if tally, err := db.LoadTally(ctx, w.ID); err != nil || !reflect.DeepEqual(tally.JoinedByGroup, map[int64]int{military.ID: 1}) {
		t.Fatalf("joined by group %v (%v), want military 1", tally.JoinedByGroup, err)
	}

	// The same names again change nothing: no event, no log line.
	events.take()
	same := mustSetGroups(t, db, w.Code, u, "Diplomatic", "intelligence", "military")
	if same.Seq != w.Seq || len(events.take()) != 0 {
		t.Fatalf("setting the same groups moved seq %d -> %d or announced something", w.Seq, same.Seq)
	}

	w = mustSetGroups(t, db, w.Code, u)
	if w.Groups != nil {
		t.Fatalf("groups after removing them all: %+v", w.Groups)
	}
	if p, err := db.ParticipantByToken(ctx, w.ID, soldierToken); err != nil || p.GroupID != 0 {
		t.Fatalf("participant without groups %+v, %v", p, err)
	}
	log, err := db.WorkshopLog(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	for _, e := range log {
		if e.Action != workshop.LogGroupsChanged || e.Actor != u.Email {
			t.Fatalf("log entry %+v", e)
		}
		logged = append(logged, e.Groups)
	}
	if want := []string{"", "Diplomatic, intelligence, military", "military, diplomatic, humanitarian"}; !reflect.DeepEqual(logged, want) {
		t.Fatalf("log %q, want %q (newest first)", logged, want)
	}
}

// TestGroupsChangeInTheLobbyOnly: once voting opened, the groups stay as
// the participants chose them; invalid names change nothing.
func TestGroupsChangeInTheLobbyOnly(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := lobbyWorkshop(t, db)
	w = mustSetGroups(t, db, w.Code, u, "military", "diplomatic")
	for _, bad := range [][]string{{"alone"}, {"a", "A"}, {"a", "b, c"}} {
		if _, err := db.SetGroups(ctx, w.Code, bad, u); workshop.ErrorCode(err) != workshop.EInvalid {
			t.Fatalf("groups %q: %v, want invalid", bad, err)
		}
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	_, err := db.SetGroups(ctx, w.Code, []string{"military", "intelligence"}, u)
	var de *workshop.Error
	if workshop.ErrorCode(err) != workshop.EConflict || !errors.As(err, &de) || de.Field != "groups" {
		t.Fatalf("changing groups while voting is open: %v, want a conflict on field groups", err)
	}
	if _, err := db.SetGroups(ctx, w.Code, nil, u); workshop.ErrorCode(err) != workshop.EConflict {
		t.Fatalf("removing groups while voting is open: %v, want a conflict", err)
	}
	got, err := db.SetGroups(ctx, w.Code, []string{"military", "diplomatic"}, u)
	if err != nil || got.Seq != w.Seq+1 || !reflect.DeepEqual(namesOf(got.Groups), []string{"military", "diplomatic"}) {
		t.Fatalf("the same groups while voting is open: %+v, %v; want no change", got, err)
	}
}

// TestJoinAsksForAGroup: a workshop with groups admits only a participant
// who names one of its own; one without ignores a group.
func TestJoinAsksForAGroup(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	events := recordEvents(db)
	w, u := lobbyWorkshop(t, db)
	other, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "Other", false)
	if err != nil {
		t.Fatal(err)
	}
	other = mustSetGroups(t, db, other.Code, u, "north", "south")
	plain, _ := mustJoin(t, db, w.Code, other.Groups[0].ID)
	if plain.GroupID != 0 {
		t.Fatalf("a workshop without groups stored group %d", plain.GroupID)
	}
	w = mustSetGroups(t, db, w.Code, u, "military", "diplomatic")
	before := db.RatingBatches()
	for _, group := range []int64{0, other.Groups[0].ID, 999999} {
		_, _, err := db.Join(ctx, w.Code, "", group)
		var de *workshop.Error
		if workshop.ErrorCode(err) != workshop.EInvalid || !errors.As(err, &de) || de.Field != "group" {
			t.Fatalf("join with group %d: %v, want invalid on field group", group, err)
		}
	}
	if db.RatingBatches() == before {
		t.Fatal("the refusals never reached the store")
	}
	if tally, err := db.LoadTally(ctx, w.ID); err != nil || tally.Joined != 1 {
		t.Fatalf("joined %d (%v) after refused joins, want 1", tally.Joined, err)
	}

	events.take()
	p, token := mustJoin(t, db, w.Code, w.Groups[1].ID)
	db.EmptyWorkshopCache() // read from disk
	if got, err := db.ParticipantByToken(ctx, w.ID, token); err != nil || got != p || p.GroupID != w.Groups[1].ID {
		t.Fatalf("participant by token %+v (%v), joined as %+v in group %d", got, err, p, w.Groups[1].ID)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(4)); err != nil {
		t.Fatal(err)
	}
	var joinedGroup, ratedGroup int64 = -1, -1
	for _, ev := range events.take() {
		switch ev := ev.(type) {
		case workshop.ParticipantJoined:
			joinedGroup = ev.GroupID
		case workshop.RatingChanged:
			ratedGroup = ev.GroupID
		}
	}
	if joinedGroup != p.GroupID || ratedGroup != p.GroupID {
		t.Fatalf("events carried groups %d (join) and %d (rating), want %d", joinedGroup, ratedGroup, p.GroupID)
	}
}

// TestTallyPerGroup reads the tallies of a workshop with groups: each
// count is its participants' group's, the joined are counted per group
// (removed participants aside), and the results of a group are computed
// from its participants alone; exports carry each rating's group.
func TestTallyPerGroup(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := lobbyWorkshop(t, db)
	// Someone who joined before the groups were named has none.
	early, _ := mustJoin(t, db, w.Code, 0)
	w = mustSetGroups(t, db, w.Code, u, "military", "diplomatic")
	mil, dip := w.Groups[0].ID, w.Groups[1].ID
	var ps []workshop.Participant
	for _, g := range []int64{mil, mil, mil, dip, dip, dip, dip} {
		p, _ := mustJoin(t, db, w.Code, g)
		ps = append(ps, p)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID
	// military 1, 1, 2; diplomatic 4, 5, 5 and a removed 3; no group 3.
	for i, v := range []int{1, 1, 2, 4, 5, 5, 3} {
		if _, err := db.SaveRating(ctx, ps[i], s, c, intp(v)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SaveRating(ctx, early, s, c, intp(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RemoveParticipant(ctx, w.Code, ps[6].ID, u); err != nil {
		t.Fatal(err)
	}
	tally, err := db.LoadTally(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64]int{mil: 3, dip: 3}; tally.Joined != 7 || !reflect.DeepEqual(tally.JoinedByGroup, want) {
		t.Fatalf("joined %d by group %v, want 7 and %v", tally.Joined, tally.JoinedByGroup, want)
	}
	counts := map[int64]map[int]int64{}
	for _, row := range tally.Counts {
		if counts[row.GroupID] == nil {
			counts[row.GroupID] = map[int]int64{}
		}
		counts[row.GroupID][row.Answer.Value] += row.Count
	}
	if want := map[int64]map[int]int64{mil: {1: 2, 2: 1}, dip: {4: 1, 5: 2}, 0: {3: 1}}; !reflect.DeepEqual(counts, want) {
		t.Fatalf("counts by group %v, want %v", counts, want)
	}
	groupOf := map[int64]int64{early.ID: 0}
	for _, p := range ps {
		groupOf[p.ID] = p.GroupID
	}
	for _, row := range tally.Rated {
		if want, ok := groupOf[row.ParticipantID]; !ok || row.GroupID != want {
			t.Fatalf("rated row %+v, want group %d", row, want)
		}
	}
	full, _ := db.WorkshopByCode(ctx, w.Code)
	res := workshop.NewCounts(full, tally).ResultsOf(full, 1, tally.Seq, tally.JoinedByGroup[dip], dip)
	it, _ := res.Item(s, c)
	if it.N != 3 || *it.Median != 5 || res.Joined != 3 || res.Rated != 3 {
		t.Fatalf("diplomatic: n=%d median=%v joined=%d rated=%d, want 3, 5, 3, 3", it.N, *it.Median, res.Joined, res.Rated)
	}
	everyone := workshop.NewCounts(full, tally).Results(full, 1, tally.Seq, tally.Joined)
	if it, _ := everyone.Item(s, c); it.N != 7 || !it.GroupsDisagree || len(it.Groups) != 2 {
		t.Fatalf("everyone: %+v, want n 7 and the groups disagreeing", it)
	}

	// The exports name each rating's group.
	err = db.ExportWorkshop(ctx, w.Code, func(src *workshop.Record) error {
		got := map[string]int64{}
		for r, err := range src.Ratings {
			if err != nil {
				return err
			}
			got[r.Pseudonym] = r.GroupID
		}
		want := map[string]int64{early.Pseudonym: 0}
		for _, p := range ps[:6] {
			want[p.Pseudonym] = p.GroupID
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("exported groups %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Without groups, the tallies have none.
	plain, err := db.CreateWorkshop(ctx, u, builtinDeck(t), "", true)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := mustJoin(t, db, plain.Code, 0)
	if _, err := db.SaveRating(ctx, p, plain.Scenarios[0].ID, plain.Criteria[0].ID, intp(2)); err != nil {
		t.Fatal(err)
	}
	if tally, err := db.LoadTally(ctx, plain.ID); err != nil || tally.JoinedByGroup != nil || tally.Counts[0].GroupID != 0 || tally.Rated[0].GroupID != 0 {
		t.Fatalf("tally without groups %+v, %v", tally, err)
	}
}

// TestCopyKeepsGroups: a copy runs the panel again with the same groups.
func TestCopyKeepsGroups(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	w, u := lobbyWorkshop(t, db)
	w = mustSetGroups(t, db, w.Code, u, "military", "diplomatic")
	cp, err := db.CopyWorkshop(ctx, u, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(namesOf(cp.Groups), namesOf(w.Groups)) || cp.Groups[0].ID == w.Groups[0].ID {
		t.Fatalf("copy's groups %+v, want the names of %+v with groups of its own", cp.Groups, w.Groups)
	}
}
