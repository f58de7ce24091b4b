package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// ideasWorkshop is a workshop in the lobby with ideas open.
func ideasWorkshop(t *testing.T, db *store.DB) (*workshop.Workshop, workshop.User) {
	t.Helper()
	w, u := lobbyWorkshop(t, db)
	w, err := db.SetIdeasOpen(context.Background(), w.Code, true)
	if err != nil {
		t.Fatal(err)
	}
	if !w.IdeasOpen || w.IdeaVotes != workshop.DefaultIdeaVotes {
		t.Fatalf("ideas open=%v votes=%d, want open and %d", w.IdeasOpen, w.IdeaVotes, workshop.DefaultIdeaVotes)
	}
	return w, u
}

func mustPropose(t *testing.T, db *store.DB, p workshop.Participant, title string) int64 {
	t.Helper()
	ch, err := db.ProposeIdea(context.Background(), p, workshop.IdeaDraft{Title: title})
	if err != nil {
		t.Fatalf("propose %q: %v", title, err)
	}
	if len(ch.Ideas) != 1 || ch.Ideas[0].Title != title || ch.Seq == 0 {
		t.Fatalf("propose %q: event %+v", title, ch)
	}
	return ch.Ideas[0].ID
}

func mustVote(t *testing.T, db *store.DB, p workshop.Participant, id int64, on bool) store.IdeaVotes {
	t.Helper()
	v, err := db.Vote(context.Background(), p, id, on)
	if err != nil {
		t.Fatalf("vote %d %v: %v", id, on, err)
	}
	return v
}

// ideaVotes returns each idea's votes by title.
func ideaVotes(t *testing.T, db *store.DB, w *workshop.Workshop) map[string]int {
	t.Helper()
	ideas, err := db.Ideas(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, i := range ideas {
		out[i.Title] = i.Votes
	}
	return out
}

func TestIdeasPhase(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, _ := lobbyWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	_, err := db.ProposeIdea(ctx, p, workshop.IdeaDraft{Title: "Drones"})
	wantCode(t, "propose while closed", err, workshop.EConflict)
	w, _ = db.SetIdeasOpen(ctx, w.Code, true)
	id := mustPropose(t, db, p, "Drones")
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	w, _ = db.WorkshopByCode(ctx, w.Code)
	if w.IdeasOpen {
		t.Fatal("ideas stay open when round 1 opens")
	}
	_, err = db.Vote(ctx, p, id, true)
	wantCode(t, "vote while closed", err, workshop.EConflict)
	_, err = db.SetIdeasOpen(ctx, w.Code, true)
	wantCode(t, "open ideas while voting is open", err, workshop.EConflict)
	for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := db.Step(ctx, w.Code, a, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	if w, err = db.SetIdeasOpen(ctx, w.Code, true); err != nil || !w.IdeasOpen {
		t.Fatalf("open ideas between rounds: %v", err)
	}
	mustVote(t, db, p, id, true)
}

func TestProposeIdeaChecks(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, _ := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	for _, c := range []struct {
		d     workshop.IdeaDraft
		field string
	}{
		{workshop.IdeaDraft{Title: "  "}, "title"},
		{workshop.IdeaDraft{Title: strings.Repeat("x", 121)}, "title"},
		{workshop.IdeaDraft{Title: "two\nlines"}, "title"},
		{workshop.IdeaDraft{Title: "ok", Text: strings.Repeat("x", 1001)}, "text"},
		{workshop.IdeaDraft{Title: "ok", ScenarioID: 999999}, "scenario_id"},
	} {
		_, err := db.ProposeIdea(ctx, p, c.d)
		wantField(t, fmt.Sprintf("%.20q", c.d.Title), err, c.field)
	}
	ch, err := db.ProposeIdea(ctx, p, workshop.IdeaDraft{Title: strings.Repeat("é", 120), Text: " text\r\nmore ", ScenarioID: w.Scenarios[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if i := ch.Ideas[0]; i.Text != "text\nmore" || i.ScenarioID != w.Scenarios[1].ID || i.AuthorID != p.ID || i.Author != p.Pseudonym {
		t.Fatalf("idea %+v", i)
	}
	for n := 1; n < workshop.MaxIdeasPerParticipant; n++ {
		mustPropose(t, db, p, fmt.Sprintf("idea %d", n))
	}
	_, err = db.ProposeIdea(ctx, p, workshop.IdeaDraft{Title: "one too many"})
	wantCode(t, "the 21st idea", err, workshop.ETooMany)
	// Another participant still may.
	q, _ := mustJoin(t, db, w.Code, 0)
	mustPropose(t, db, q, "mine")
}

func TestVotes(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, _ := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	var ids []int64
	for n := range 5 {
		ids = append(ids, mustPropose(t, db, p, fmt.Sprintf("idea %d", n)))
	}
	for n, id := range ids[:3] {
		if v := mustVote(t, db, p, id, true); v.VotesLeft != 2-n {
			t.Fatalf("vote %d: %d left, want %d", n, v.VotesLeft, 2-n)
		}
	}
	// Voting again for the same idea changes nothing.
	before := mustVote(t, db, p, ids[0], true)
	if before.VotesLeft != 0 {
		t.Fatalf("votes left %d", before.VotesLeft)
	}
	_, err := db.Vote(ctx, p, ids[3], true)
	wantCode(t, "a fourth vote", err, workshop.EConflict)
	if v := mustVote(t, db, p, ids[0], false); v.VotesLeft != 1 || v.Seq <= before.Seq {
		t.Fatalf("take back: %+v after %+v", v, before)
	}
	mustVote(t, db, p, ids[3], true)
	voted, left, err := db.VotesOf(ctx, p)
	if err != nil || left != 0 || len(voted) != 3 || voted[ids[0]] || !voted[ids[3]] {
		t.Fatalf("votes of p: %v %d %v", voted, left, err)
	}
	_, err = db.Vote(ctx, p, 999999, true)
	wantCode(t, "vote for no idea", err, workshop.ENotFound)
	// The limit is a setting.
	set := w.Settings()
	set.IdeaVotes = 4
	if _, err := db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	if v := mustVote(t, db, p, ids[4], true); v.VotesLeft != 0 {
		t.Fatalf("votes left with 4: %d", v.VotesLeft)
	}
	set.IdeaVotes = 11
	_, err = db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{})
	wantField(t, "11 votes", err, "idea_votes")
}

// No participant ever exceeds their votes, however many requests race.
func TestVoteLimitUnderConcurrency(t *testing.T) {
	db := MustOpenDB(t)
	w, _ := ideasWorkshop(t, db)
	author, _ := mustJoin(t, db, w.Code, 0)
	var ids []int64
	for n := range 8 {
		ids = append(ids, mustPropose(t, db, author, fmt.Sprintf("idea %d", n)))
	}
	var voters []workshop.Participant
	for range 4 {
		p, _ := mustJoin(t, db, w.Code, 0)
		voters = append(voters, p)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := map[int64]int{}
	for _, p := range voters {
		for _, id := range ids {
			for range 2 { // the same vote twice, too
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := db.Vote(context.Background(), p, id, true)
					if err != nil && workshop.ErrorCode(err) != workshop.EConflict {
						t.Errorf("vote: %v", err)
					}
				}()
			}
		}
	}
	wg.Wait()
	for _, p := range voters {
		voted, left, err := db.VotesOf(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		accepted[p.ID] = len(voted)
		mu.Unlock()
		if len(voted) != workshop.DefaultIdeaVotes || left != 0 {
			t.Fatalf("participant %d has %d votes and %d left, want %d and 0", p.ID, len(voted), left, workshop.DefaultIdeaVotes)
		}
	}
	total := 0
	for _, n := range ideaVotes(t, db, w) {
		total += n
	}
	if total != len(voters)*workshop.DefaultIdeaVotes {
		t.Fatalf("%d votes in all, want %d", total, len(voters)*workshop.DefaultIdeaVotes)
	}
}

func TestMergeIdeas(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, u := ideasWorkshop(t, db)
	var ps []workshop.Participant
	for range 4 {
		p, _ := mustJoin(t, db, w.Code, 0)
		ps = append(ps, p)
	}
	a := mustPropose(t, db, ps[0], "A")
	b := mustPropose(t, db, ps[1], "B")
	c := mustPropose(t, db, ps[2], "C")
	// A: p0, p1, p2. B: p2, p3. C: p3.
	for _, v := range []struct {
		p  int
		id int64
	}{{0, a}, {1, a}, {2, a}, {2, b}, {3, b}, {3, c}} {
		mustVote(t, db, ps[v.p], v.id, true)
	}
	ch, err := db.MergeIdea(ctx, w.Code, b, a, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Ideas) != 2 {
		t.Fatalf("merge event %+v", ch)
	}
	// A: p0, p1, p2 and p3; p2 voted for both and counts once.
	if got := ideaVotes(t, db, w); got["A"] != 4 || got["B"] != 0 || got["C"] != 1 {
		t.Fatalf("votes after merge: %v, want A 4, B 0, C 1", got)
	}
	// p2's second vote is theirs again; p3's moved to A.
	if _, left, _ := db.VotesOf(ctx, ps[2]); left != 2 {
		t.Fatalf("p2 has %d votes left, want 2", left)
	}
	if _, left, _ := db.VotesOf(ctx, ps[3]); left != 1 {
		t.Fatalf("p3 has %d votes left, want 1", left)
	}
	_, err = db.Vote(ctx, ps[0], b, true)
	wantCode(t, "vote for a merged idea", err, workshop.ENotFound)
	// A merged idea cannot take others, nor be merged again.
	_, err = db.MergeIdea(ctx, w.Code, c, b, u)
	wantField(t, "merge into a merged idea", err, "into")
	_, err = db.MergeIdea(ctx, w.Code, a, a, u)
	wantField(t, "merge into itself", err, "into")
	_, err = db.MergeIdea(ctx, w.Code, c, 999999, u)
	wantField(t, "merge into no idea", err, "into")
	// Merging A into C takes B along.
	if _, err := db.MergeIdea(ctx, w.Code, a, c, u); err != nil {
		t.Fatal(err)
	}
	ideas, _ := db.Ideas(ctx, w.ID)
	for _, i := range ideas {
		if i.Title != "C" && i.MergedInto != c {
			t.Fatalf("%s merged into %d, want %d", i.Title, i.MergedInto, c)
		}
	}
	if got := ideaVotes(t, db, w); got["C"] != 4 {
		t.Fatalf("votes %v, want C 4", got)
	}
	log, _ := db.WorkshopLog(ctx, w.ID)
	if len(log) == 0 || log[0].Action != workshop.LogIdeasMerged || log[0].Idea != "A" || log[0].Into != "C" || log[0].Votes != 4 {
		t.Fatalf("log %+v", log)
	}
}

func TestHideIdea(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, u := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	id := mustPropose(t, db, p, "rude")
	mustVote(t, db, p, id, true)
	ch, err := db.HideIdea(ctx, w.Code, id, true, u)
	if err != nil || !ch.Ideas[0].Hidden {
		t.Fatalf("hide: %+v %v", ch, err)
	}
	if _, left, _ := db.VotesOf(ctx, p); left != 3 {
		t.Fatalf("a hidden idea holds its voters' votes: %d left", left)
	}
	_, err = db.Vote(ctx, p, id, true)
	wantCode(t, "vote for a hidden idea", err, workshop.ENotFound)
	if _, err := db.HideIdea(ctx, w.Code, id, false, u); err != nil {
		t.Fatal(err)
	}
	log, _ := db.WorkshopLog(ctx, w.ID)
	if len(log) < 2 || log[0].Action != workshop.LogIdeaUnhidden || log[1].Action != workshop.LogIdeaHidden || log[1].Idea != "rude" {
		t.Fatalf("log %+v", log)
	}
	_, err = db.HideIdea(ctx, w.Code, 999999, true, u)
	wantCode(t, "hide no idea", err, workshop.ENotFound)
}

func TestPromoteIdea(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, u := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	q, _ := mustJoin(t, db, w.Code, 0)
	id := mustPropose(t, db, p, "Cyber attack")
	mustVote(t, db, p, id, true)
	mustVote(t, db, q, id, true)
	deckScenarios := len(w.Scenarios)
	_, _, err := db.PromoteIdea(ctx, w.Code, id, workshop.Promotion{Title: " "}, u)
	wantField(t, "promote without a title", err, "title")
	w2, sid, err := db.PromoteIdea(ctx, w.Code, id, workshop.Promotion{Title: "A cyber attack on the grid", Narrative: "Edited."}, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(w2.Scenarios) != deckScenarios+1 {
		t.Fatalf("%d scenarios, want %d", len(w2.Scenarios), deckScenarios+1)
	}
	s := w2.Scenarios[deckScenarios]
	if s.ID != sid || !s.FromRoom() || s.IdeaID != id || s.FromRound != 1 || s.SourcePseudonym != p.Pseudonym || s.SourceVotes != 2 ||
		s.Title.In("en") != "A cyber attack on the grid" || s.Narrative.In("en") != "Edited." {
		t.Fatalf("scenario %+v", s)
	}
	_, _, err = db.PromoteIdea(ctx, w.Code, id, workshop.Promotion{Title: "again"}, u)
	wantCode(t, "promote twice", err, workshop.EConflict)
	ideas, _ := db.Ideas(ctx, w.ID)
	if ideas[0].PromotedAs != sid {
		t.Fatalf("idea promoted as %d, want %d", ideas[0].PromotedAs, sid)
	}
	// The deck is the deck.
	if d := builtinDeck(t); len(d.Scenarios) != deckScenarios {
		t.Fatalf("deck has %d scenarios", len(d.Scenarios))
	}
	// Rated in round 1 like the others.
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRating(ctx, q, sid, w.Criteria[0].ID, intp(4)); err != nil {
		t.Fatal(err)
	}
	// While a round is open nothing is promoted; between rounds it is
	// rated from the next one.
	id2 := mustPropose2(t, db, w, u, p, "Late idea")
	_, _, err = db.PromoteIdea(ctx, w.Code, id2, workshop.Promotion{Title: "Late"}, u)
	wantCode(t, "promote while voting", err, workshop.EConflict)
	for _, a := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := db.Step(ctx, w.Code, a, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	w3, _, err := db.PromoteIdea(ctx, w.Code, id2, workshop.Promotion{Title: "Late"}, u)
	if err != nil {
		t.Fatal(err)
	}
	if last := w3.Scenarios[len(w3.Scenarios)-1]; last.FromRound != 2 || len(w3.ScenariosIn(1)) != deckScenarios+1 || len(w3.ScenariosIn(2)) != deckScenarios+2 {
		t.Fatalf("late scenario from round %d", last.FromRound)
	}
}

// mustPropose2 proposes an idea while voting is open: ideas are proposed
// between rounds, so it is put straight into the table.
func mustPropose2(t *testing.T, db *store.DB, w *workshop.Workshop, _ workshop.User, p workshop.Participant, title string) int64 {
	t.Helper()
	var id int64
	tx := db.RawWriteTx(t)
	if err := tx.QueryRow(`INSERT INTO ideas (workshop_id, participant_id, title, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		w.ID, p.ID, title, "2026-12-04T12:00:00.000000000Z").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestParticipantRemovedAndAnonymisedIdeas(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, u := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	q, _ := mustJoin(t, db, w.Code, 0)
	a := mustPropose(t, db, p, "A")
	b := mustPropose(t, db, q, "B")
	mustVote(t, db, p, a, true)
	mustVote(t, db, p, b, true)
	mustVote(t, db, q, a, true)
	if _, _, err := db.PromoteIdea(ctx, w.Code, b, workshop.Promotion{Title: "B"}, u); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RemoveParticipant(ctx, w.Code, p.ID, u); err != nil {
		t.Fatal(err)
	}
	ideas, _ := db.Ideas(ctx, w.ID)
	if len(ideas) != 2 || ideas[0].AuthorID != 0 || ideas[0].Author != "" || ideas[0].Votes != 1 || ideas[1].Votes != 0 || ideas[1].Author != q.Pseudonym {
		t.Fatalf("after removing the author: %+v", ideas)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Step(ctx, w.Code, workshop.ActFinish, 0, false); err != nil {
		t.Fatal(err)
	}
	w, err := db.AnonymiseWorkshop(ctx, w.Code, u)
	if err != nil {
		t.Fatal(err)
	}
	ideas, _ = db.Ideas(ctx, w.ID)
	if ideas[1].AuthorID != 0 || ideas[1].Author != "" {
		t.Fatalf("an anonymised workshop's idea keeps its author: %+v", ideas[1])
	}
	if s := w.Scenarios[len(w.Scenarios)-1]; s.SourcePseudonym != "" || s.SourceVotes != 1 {
		t.Fatalf("an anonymised scenario from the room keeps its source: %+v", s)
	}
}

func TestIdeaEvents(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, u := ideasWorkshop(t, db)
	p, _ := mustJoin(t, db, w.Code, 0)
	log := recordEvents(db)
	id := mustPropose(t, db, p, "A")
	v := mustVote(t, db, p, id, true)
	if _, err := db.HideIdea(ctx, w.Code, id, true, u); err != nil {
		t.Fatal(err)
	}
	evs := log.take()
	if len(evs) != 3 {
		t.Fatalf("events %v", describe(evs))
	}
	voted, ok := evs[1].(workshop.IdeasChanged)
	if !ok || voted.Seq != v.Seq || voted.VoterID != p.ID || voted.Ideas[0].Votes != 1 {
		t.Fatalf("vote event %+v", evs[1])
	}
	if hid := evs[2].(workshop.IdeasChanged); !hid.Ideas[0].Hidden || hid.Seq != v.Seq+1 {
		t.Fatalf("hide event %+v", hid)
	}
	// A vote that changes nothing announces nothing.
	if _, err := db.HideIdea(ctx, w.Code, id, false, u); err != nil {
		t.Fatal(err)
	}
	log.take()
	mustVote(t, db, p, id, true)
	if evs := log.take(); len(evs) != 0 {
		t.Fatalf("a repeated vote announced %v", describe(evs))
	}
}
