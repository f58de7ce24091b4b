package workshop

import (
	"sort"
	"strings"
	"time"
)

// Ideas from the room: during an ideas phase, which the facilitator opens
// in the lobby or between rounds, participants propose what the deck is
// missing and vote for each other's proposals. The facilitator hides,
// merges and promotes them; a promoted idea becomes one of the workshop's
// scenarios (origin "room"), rated from the next round like the deck's.

// Limits of ideas.
const (
	MaxIdeaTitleRunes      = 120
	MaxIdeaTextRunes       = 1000
	MaxIdeasPerParticipant = 20
	MinIdeaVotes           = 1
	MaxIdeaVotes           = 10
	DefaultIdeaVotes       = 3
)

// Origins of a scenario: the deck's, or promoted from an idea of the room.
const (
	OriginDeck = "deck"
	OriginRoom = "room"
)

// Idea is one participant's proposal and its votes.
type Idea struct {
	ID         int64
	WorkshopID int64
	// AuthorID is the participant who proposed it; 0 once the workshop was
	// anonymised or the author removed. Author is their pseudonym then.
	AuthorID   int64
	Author     string
	Title      string
	Text       string
	ScenarioID int64 // the scenario it relates to; 0 for none
	Hidden     bool  // hidden by a facilitator: participants do not see it
	MergedInto int64 // the idea that took its votes; 0 for none
	PromotedAs int64 // the scenario it became; 0 for none
	CreatedAt  time.Time
	// Votes counts the participants who voted for it; GroupVotes the same
	// per expert group (participants without a group are not in it).
	Votes      int
	GroupVotes map[int64]int
}

// Visible reports whether participants see the idea: not hidden, and not
// merged into another.
func (i Idea) Visible() bool { return !i.Hidden && i.MergedInto == 0 }

// IdeaDraft is what a participant proposes.
type IdeaDraft struct {
	Title      string
	Text       string
	ScenarioID int64 // 0 for none
}

// Clean trims the draft and reports its first problem by field.
func (d *IdeaDraft) Clean() error {
	d.Title = strings.TrimSpace(d.Title)
	d.Text = strings.TrimSpace(CleanText(d.Text))
	if d.Title == "" {
		return FieldError("title", "error.give_idea_title")
	}
	if err := CheckLine(d.Title, MaxIdeaTitleRunes); err != nil {
		return FieldError("title", "error.use_title_most_characters", MaxIdeaTitleRunes)
	}
	if err := CheckText(d.Text, MaxIdeaTextRunes); err != nil {
		return FieldError("text", "error.idea_text", err)
	}
	return nil
}

// CheckIdeaVotes checks the setting of how many votes each participant has.
func CheckIdeaVotes(n int) error {
	if n < MinIdeaVotes || n > MaxIdeaVotes {
		return FieldError("idea_votes", "error.give_participant_votes", MinIdeaVotes, MaxIdeaVotes)
	}
	return nil
}

// CheckIdeasPhase tells whether a workshop in state s may open or close
// its ideas phase: in the lobby or between rounds (a round closed or
// revealed), not while a round takes ratings, nor once it has finished.
func CheckIdeasPhase(s State) error {
	switch s {
	case StateOpen:
		return Errorf(EConflict, "error.close_voting_before_opening_ideas")
	case StateFinished:
		return Errorf(EConflict, "error.workshop_finished")
	}
	return nil
}

// CheckIdeasOpen tells whether participants may propose and vote now.
func CheckIdeasOpen(open bool) error {
	if !open {
		return Errorf(EConflict, "error.ideas_closed_kept")
	}
	return nil
}

// CheckIdeaQuota tells whether a participant who has proposed n ideas may
// propose another.
func CheckIdeaQuota(n int) error {
	if n >= MaxIdeasPerParticipant {
		return Errorf(ETooMany, "error.proposed_most_ideas", MaxIdeasPerParticipant)
	}
	return nil
}

// CheckVote tells whether a participant who has used used of their limit
// votes may vote once more.
func CheckVote(used, limit int) error {
	if used >= limit {
		return Errorf(EConflict, "error.no_votes_left")
	}
	return nil
}

// CheckVotable tells whether participants may vote for idea i.
func CheckVotable(i Idea) error {
	if !i.Visible() {
		return Errorf(ENotFound, "error.workshop_no_such_idea")
	}
	return nil
}

// CheckMerge tells whether idea from may be merged into idea into.
func CheckMerge(from, into Idea) error {
	switch {
	case from.ID == into.ID:
		return FieldError("into", "error.idea_merged_into_itself")
	case into.MergedInto != 0:
		return FieldError("into", "error.idea_merged_merge_into_that")
	case from.MergedInto != 0:
		return Errorf(EConflict, "error.idea_merged_already")
	case from.PromotedAs != 0:
		return Errorf(EConflict, "error.idea_became_scenario")
	}
	return nil
}

// CheckPromote tells whether idea i may become a scenario of a workshop in
// state s: in the lobby or between rounds (the round revealed), so that it
// is rated from the next round; once, and not when merged into another.
func CheckPromote(s State, i Idea) error {
	switch {
	case s == StateOpen || s == StateClosed:
		// Not while a round may still take ratings (a closed round may
		// reopen): the new scenario would join it half-way.
		return Errorf(EConflict, "error.add_scenarios_lobby_or_revealed")
	case s == StateFinished:
		return Errorf(EConflict, "error.workshop_finished")
	case i.PromotedAs != 0:
		return Errorf(EConflict, "error.idea_scenario_already")
	case i.MergedInto != 0:
		return Errorf(EConflict, "error.idea_merged_promote_that")
	}
	return nil
}

// FirstRoundOf returns the round from which a scenario added now is rated:
// the current round in the lobby (round 1 has not opened yet), the next
// one otherwise.
func FirstRoundOf(s State, round int) int {
	if s == StateLobby {
		return round
	}
	return round + 1
}

// Promotion is what a facilitator makes of an idea: the scenario's title
// and narrative, edited if need be.
type Promotion struct {
	Title     string
	Narrative string
}

// Clean trims the promotion and reports its first problem by field.
func (p *Promotion) Clean() error {
	p.Title = strings.TrimSpace(p.Title)
	p.Narrative = strings.TrimSpace(CleanText(p.Narrative))
	if p.Title == "" {
		return FieldError("title", "error.give_scenario_title")
	}
	if err := CheckLine(p.Title, MaxTitleRunes); err != nil {
		return FieldError("title", "error.use_title_most_characters", MaxTitleRunes)
	}
	if err := CheckText(p.Narrative, MaxTextRunes); err != nil {
		return FieldError("narrative", "error.narrative_text", err)
	}
	return nil
}

// InRound reports whether scenario s is rated in round n: a scenario from
// the room is rated from the round after its promotion.
func (s Scenario) InRound(n int) bool { return s.FromRound <= n || s.FromRound == 0 }

// ScenariosIn returns the scenarios rated in round n, in deck order.
func (w *Workshop) ScenariosIn(n int) []Scenario {
	out := make([]Scenario, 0, len(w.Scenarios))
	for _, s := range w.Scenarios {
		if s.InRound(n) {
			out = append(out, s)
		}
	}
	return out
}

// FromRoom reports whether the workshop has a scenario promoted from an idea.
func (w *Workshop) FromRoom() bool {
	for _, s := range w.Scenarios {
		if s.Origin == OriginRoom {
			return true
		}
	}
	return false
}

// SortIdeas sorts ideas by votes, most first, then oldest first.
func SortIdeas(ideas []Idea) {
	sort.SliceStable(ideas, func(i, j int) bool {
		a, b := ideas[i], ideas[j]
		return a.Votes > b.Votes || a.Votes == b.Votes && a.ID < b.ID
	})
}

// VisibleIdeas returns the ideas participants see, in the order given.
func VisibleIdeas(ideas []Idea) []Idea {
	var out []Idea
	for _, i := range ideas {
		if i.Visible() {
			out = append(out, i)
		}
	}
	return out
}

// AsDeck is the workshop's scenarios, those from the room among them, and
// criteria as a new deck ("save as a new deck"): a copy to edit, slugged
// after the workshop's deck. The workshop's own deck does not change.
func (w *Workshop) AsDeck() Deck {
	slug := Truncate(w.DeckSlug, 50) + "-room"
	langs := w.Languages
	if len(langs) == 0 {
		langs = []string{DefaultLanguage}
	}
	d := Deck{Schema: DeckSchema, Slug: slug, Languages: langs, Title: Text{langs[0]: Truncate(w.Title, MaxTitleRunes)},
		Criteria: w.Criteria, Scenarios: make([]Scenario, len(w.Scenarios))}
	for i, s := range w.Scenarios {
		s.ID, s.Origin, s.IdeaID, s.FromRound, s.SourcePseudonym, s.SourceVotes = 0, "", 0, 0, "", 0
		d.Scenarios[i] = s
	}
	return d
}
