package workshop

import (
	"strings"
	"testing"
)

func TestIdeaRules(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"ideas open in the lobby", CheckIdeasPhase(StateLobby), ""},
		{"ideas open between rounds", CheckIdeasPhase(StateRevealed), ""},
		{"ideas open with voting closed", CheckIdeasPhase(StateClosed), ""},
		{"not while voting", CheckIdeasPhase(StateOpen), EConflict},
		{"not once finished", CheckIdeasPhase(StateFinished), EConflict},
		{"closed ideas", CheckIdeasOpen(false), EConflict},
		{"open ideas", CheckIdeasOpen(true), ""},
		{"19 ideas", CheckIdeaQuota(19), ""},
		{"20 ideas", CheckIdeaQuota(20), ETooMany},
		{"2 of 3 votes", CheckVote(2, 3), ""},
		{"3 of 3 votes", CheckVote(3, 3), EConflict},
		{"votes 0", CheckIdeaVotes(0), EInvalid},
		{"votes 1", CheckIdeaVotes(1), ""},
		{"votes 10", CheckIdeaVotes(10), ""},
		{"votes 11", CheckIdeaVotes(11), EInvalid},
		{"vote for a hidden idea", CheckVotable(Idea{Hidden: true}), ENotFound},
		{"vote for a merged idea", CheckVotable(Idea{MergedInto: 2}), ENotFound},
		{"merge into itself", CheckMerge(Idea{ID: 1}, Idea{ID: 1}), EInvalid},
		{"merge into a merged idea", CheckMerge(Idea{ID: 1}, Idea{ID: 2, MergedInto: 3}), EInvalid},
		{"merge a merged idea", CheckMerge(Idea{ID: 1, MergedInto: 3}, Idea{ID: 2}), EConflict},
		{"merge a promoted idea", CheckMerge(Idea{ID: 1, PromotedAs: 9}, Idea{ID: 2}), EConflict},
		{"merge into a promoted idea", CheckMerge(Idea{ID: 1}, Idea{ID: 2, PromotedAs: 9}), ""},
		{"promote in the lobby", CheckPromote(StateLobby, Idea{}), ""},
		{"promote between rounds", CheckPromote(StateRevealed, Idea{}), ""},
		{"promote while voting", CheckPromote(StateOpen, Idea{}), EConflict},
		{"promote while voting is closed", CheckPromote(StateClosed, Idea{}), EConflict},
		{"promote once finished", CheckPromote(StateFinished, Idea{}), EConflict},
		{"promote twice", CheckPromote(StateLobby, Idea{PromotedAs: 4}), EConflict},
		{"promote a merged idea", CheckPromote(StateLobby, Idea{MergedInto: 4}), EConflict},
	} {
		if got := ErrorCode(c.err); got != c.code {
			t.Errorf("%s: %v (%q), want %q", c.name, c.err, got, c.code)
		}
	}
}

func TestIdeaDraftClean(t *testing.T) {
	d := IdeaDraft{Title: "  Drones  ", Text: " a\r\nb "}
	if err := d.Clean(); err != nil || d.Title != "Drones" || d.Text != "a\nb" {
		t.Fatalf("clean: %+v %v", d, err)
	}
	for _, c := range []struct {
		d     IdeaDraft
		field string
	}{
		{IdeaDraft{}, "title"},
		{IdeaDraft{Title: strings.Repeat("ż", 121)}, "title"},
		{IdeaDraft{Title: "a\tb"}, "title"},
		{IdeaDraft{Title: "ok", Text: strings.Repeat("x", 1001)}, "text"},
	} {
		err := c.d.Clean()
		if e, ok := err.(*Error); !ok || e.Field != c.field {
			t.Errorf("%q: %v, want a problem of %s", c.d.Title, err, c.field)
		}
	}
	if d := (IdeaDraft{Title: strings.Repeat("ż", 120)}); d.Clean() != nil {
		t.Error("120 characters are allowed")
	}
}

func TestScenariosInRound(t *testing.T) {
	w := &Workshop{Scenarios: []Scenario{{ID: 1}, {ID: 2, FromRound: 1}, {ID: 3, Origin: OriginRoom, FromRound: 2}}}
	if got := len(w.ScenariosIn(1)); got != 2 {
		t.Fatalf("round 1 has %d scenarios, want 2", got)
	}
	if got := len(w.ScenariosIn(2)); got != 3 {
		t.Fatalf("round 2 has %d scenarios, want 3", got)
	}
	if FirstRoundOf(StateLobby, 1) != 1 || FirstRoundOf(StateRevealed, 1) != 2 {
		t.Fatal("a scenario added in the lobby is rated in round 1, between rounds in the next")
	}
	ideas := []Idea{{ID: 1, Votes: 1}, {ID: 2, Votes: 3}, {ID: 3, Votes: 1}}
	SortIdeas(ideas)
	if ideas[0].ID != 2 || ideas[1].ID != 1 || ideas[2].ID != 3 {
		t.Fatalf("sorted %+v", ideas)
	}
}
