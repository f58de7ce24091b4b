package workshop

import (
	"strings"
	"time"
)

// State is where a workshop stands in its life.
type State string

const (
	StateLobby    State = "lobby"    // created, waiting for people to join
	StateOpen     State = "open"     // the current round takes ratings
	StateClosed   State = "closed"   // voting paused; can be reopened
	StateRevealed State = "revealed" // the round's results are shown; the next round may start
	StateFinished State = "finished" // over for good; results stay
)

// Visibility says what participants see of the group's ratings.
type Visibility string

const (
	// VisibleAfterReveal: nothing of others while a round is open; the
	// revealed round's statistics afterwards and as feedback next round.
	VisibleAfterReveal Visibility = "after_reveal"
	// VisibleLive: participants watch the aggregates move while voting.
	VisibleLive Visibility = "live"
	// VisibleNever: facilitators only; no feedback to participants.
	VisibleNever Visibility = "never"
)

// ParseVisibility checks a visibility setting.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(s); v {
	case VisibleAfterReveal, VisibleLive, VisibleNever:
		return v, nil
	}
	return "", FieldError("visibility", "error.must_value", VisibleAfterReveal, VisibleLive, VisibleNever)
}

// Pacing says whether participants see every scenario at once or the one
// the facilitator puts in focus.
type Pacing string

const (
	PaceSelf  Pacing = "self"  // all scenarios at once
	PaceFocus Pacing = "focus" // one scenario at a time, led by the facilitator
)

// ParsePacing checks a pacing setting.
func ParsePacing(s string) (Pacing, error) {
	switch p := Pacing(s); p {
	case PaceSelf, PaceFocus:
		return p, nil
	}
	return "", FieldError("pacing", "error.must", PaceSelf, PaceFocus)
}

// Anonymity says how participants appear to facilitators.
type Anonymity string

const (
	Anonymous    Anonymity = "anonymous"    // nobody is named
	Pseudonymous Anonymity = "pseudonymous" // participants choose a display name on the join page
)

// Settings are what a facilitator can change of a workshop at any time.
type Settings struct {
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	Anonymity        Anonymity  `json:"anonymity"`
	ParticipantLimit int        `json:"participant_limit"`
	Visibility       Visibility `json:"visibility"`
	Pacing           Pacing     `json:"pacing"`
	// IdeaVotes is how many ideas each participant may vote for; 0 in a
	// form that does not ask keeps the workshop's (see Clean).
	IdeaVotes int `json:"idea_votes"`
}

// Settings returns the workshop's current settings.
func (w *Workshop) Settings() Settings {
	return Settings{Title: w.Title, Description: w.Description, Anonymity: w.Anonymity, ParticipantLimit: w.ParticipantLimit,
		Visibility: w.Visibility, Pacing: w.Pacing, IdeaVotes: w.IdeaVotes}
}

// MaxParticipants is the largest participant limit a facilitator can set.
const MaxParticipants = 100_000

// Clean trims the settings and reports the first problem by field.
func (s *Settings) Clean() error {
	s.Title = strings.TrimSpace(s.Title)
	s.Description = strings.TrimSpace(CleanText(s.Description))
	if s.Title == "" {
		return FieldError("title", "error.give_workshop_title")
	}
	if err := CheckLine(s.Title, MaxTitleRunes); err != nil {
		return FieldError("title", "error.use_title_most_characters", MaxTitleRunes)
	}
	if err := CheckText(s.Description, MaxTextRunes); err != nil {
		return FieldError("description", "error.description", err)
	}
	if s.Anonymity != Anonymous && s.Anonymity != Pseudonymous {
		return FieldError("anonymity", "error.must", Anonymous, Pseudonymous)
	}
	if s.ParticipantLimit < 0 || s.ParticipantLimit > MaxParticipants {
		return FieldError("participant_limit", "error.must_0_no_limit", MaxParticipants)
	}
	if _, err := ParseVisibility(string(s.Visibility)); err != nil {
		return err
	}
	if _, err := ParsePacing(string(s.Pacing)); err != nil {
		return err
	}
	if s.IdeaVotes == 0 {
		return nil // kept as it is
	}
	return CheckIdeaVotes(s.IdeaVotes)
}

// MaxDisplayNameRunes limits a participant's display name.
const MaxDisplayNameRunes = 40

// CleanDisplayName checks a display name chosen on the join page.
func CleanDisplayName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", FieldError("display_name", "error.choose_name_show_facilitator")
	}
	if err := CheckLine(name, MaxDisplayNameRunes); err != nil {
		return "", FieldError("display_name", "error.use_most_characters_one", MaxDisplayNameRunes)
	}
	return name, nil
}

// Action is a facilitator's step in a workshop's life.
type Action string

const (
	ActNextRound Action = "next"   // lobby -> round 1 open; revealed -> next round open
	ActClose     Action = "close"  // open -> closed
	ActReopen    Action = "reopen" // closed -> open, same round
	ActReveal    Action = "reveal" // closed -> revealed
	ActFinish    Action = "finish" // any state but the lobby -> finished
)

// CheckAction refuses an action that is none of the above (a path that
// names no step) with ENotFound.
func CheckAction(a Action) error {
	switch a {
	case ActNextRound, ActClose, ActReopen, ActReveal, ActFinish:
		return nil
	}
	return Errorf(ENotFound, "error.no_such_step")
}

// Step applies an action to a workshop's state and round: it returns the new
// state and round, an ENotFound error for an unknown action (CheckAction),
// or an EConflict error naming why the current state does not allow it.
func Step(state State, round int, a Action) (State, int, error) {
	if err := CheckAction(a); err != nil {
		return state, round, err
	}
	switch {
	case a == ActNextRound && state == StateLobby:
		return StateOpen, round, nil
	case a == ActNextRound && state == StateRevealed:
		return StateOpen, round + 1, nil
	case a == ActClose && state == StateOpen,
		a == ActReveal && state == StateClosed:
		if a == ActClose {
			return StateClosed, round, nil
		}
		return StateRevealed, round, nil
	case a == ActReopen && state == StateClosed:
		return StateOpen, round, nil
	case a == ActFinish && state != StateLobby && state != StateFinished:
		return StateFinished, round, nil
	}
	return state, round, conflict(state, a)
}

// conflict says why action a is not possible in state.
func conflict(state State, a Action) *Error {
	switch a {
	case ActNextRound:
		if state == StateOpen || state == StateClosed {
			return Errorf(EConflict, "error.reveal_rounds_results_before")
		}
	case ActClose:
		return Errorf(EConflict, "error.voting_not_open")
	case ActReopen:
		return Errorf(EConflict, "error.only_closed_round_reopened")
	case ActReveal:
		if state == StateOpen {
			return Errorf(EConflict, "error.close_voting_before_revealing")
		}
		return Errorf(EConflict, "error.only_closed_round_revealed")
	case ActFinish:
		if state == StateLobby {
			return Errorf(EConflict, "error.workshop_not_started_cannot")
		}
	}
	if state == StateFinished {
		return Errorf(EConflict, "error.workshop_finished")
	}
	return Errorf(EConflict, "error.step_not_possible_now")
}

// Workshop is one live session run from a snapshot of a deck.
type Workshop struct {
	ID         int64
	Code       string // canonical join code
	Title      string
	OwnerID    int64
	DeckSlug   string
	Languages  []string
	State      State
	Round      int   // current round, from 1
	Seq        int64 // change counter: grows with every join and rating change
	Visibility Visibility
	Pacing     Pacing
	Focus      int64 // the scenario in focus when Pacing is PaceFocus; 0: none yet
	CreatedAt  time.Time

	Description      string    // shown in the lobby and on the join page
	Anonymity        Anonymity // whether participants choose a display name
	ParticipantLimit int       // 0: no limit
	Archived         bool      // finished and put away: admits nobody, hidden from the dashboard
	Anonymised       bool      // every link to a device or name was removed
	CopiedFrom       string    // the code of the workshop this one copies; "" if none
	IdeasOpen        bool      // participants may propose ideas and vote for them
	IdeaVotes        int       // how many ideas each participant may vote for
	Criteria         []Criterion
	Scenarios        []Scenario
	// Groups are the panel's communities, in the facilitator's order;
	// none when the workshop does not ask.
	Groups []Group
	// Outcomes are what became of the scenarios, as recorded after the
	// workshop finished; a scenario without one is not known yet.
	Outcomes []Outcome
	// Descriptors are the deck's cross-impact descriptors (none: its
	// scenarios stand in for them); RoundKinds the kind of each round so
	// far, round 1 first.
	Descriptors []Descriptor
	RoundKinds  []RoundKind
	// SourceGroups says which expert group judges the sources of each
	// descriptor (by descriptor id); a descriptor left out is for everyone.
	SourceGroups map[string]int64
}

// OutcomeOf returns the recorded outcome of scenario id; one whose Occurred
// is nil when none is recorded.
func (w *Workshop) OutcomeOf(id int64) Outcome {
	for _, o := range w.Outcomes {
		if o.ScenarioID == id {
			return o
		}
	}
	return Outcome{ScenarioID: id}
}

// Criterion returns the workshop's criterion with the given ID.
func (w *Workshop) Criterion(id int64) (Criterion, bool) {
	for _, c := range w.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// Scenario returns the workshop's scenario with the given ID.
func (w *Workshop) Scenario(id int64) (Scenario, bool) {
	for _, s := range w.Scenarios {
		if s.ID == id {
			return s, true
		}
	}
	return Scenario{}, false
}

// Role is what a user account may do.
type Role string

const (
	RoleOrganiser   Role = "organiser"   // runs the instance: every workshop, accounts
	RoleFacilitator Role = "facilitator" // runs their own workshops
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleOrganiser, RoleFacilitator:
		return r, nil
	}
	return "", FieldError("role", "error.must", RoleOrganiser, RoleFacilitator)
}

// User is a facilitator or organiser account.
type User struct {
	ID        int64
	Email     string
	Role      Role
	CreatedAt time.Time
}

// CanManage reports whether u may see and run workshop w.
func (u User) CanManage(w *Workshop) bool {
	return u.Role == RoleOrganiser || w.OwnerID == u.ID
}

// Participant is one device that joined one workshop.
type Participant struct {
	ID         int64
	WorkshopID int64
	// Pseudonym is random and stable within the workshop ("P-7KQ2M"): what
	// exports call the participant. It leads back to no device or person.
	Pseudonym string
	// GroupID is the group the participant belongs to; 0 for none.
	GroupID int64
}

// Rating is one participant's answer on one criterion of one scenario in one
// round. A nil Value means "don't know".
type Rating struct {
	Round       int
	ScenarioID  int64
	CriterionID int64
	Value       *int
}

// Answer is a stored rating value: a number or "don't know".
type Answer struct {
	Value    int
	DontKnow bool
}

// ItemKey names one rated item: a scenario on a criterion.
type ItemKey struct {
	ScenarioID, CriterionID int64
}

// ParticipantsSee reports whether participants may see the group's
// statistics of round n now.
func (w *Workshop) ParticipantsSee(n int) bool {
	switch w.Visibility {
	case VisibleLive:
		return n <= w.Round && w.State != StateLobby
	case VisibleAfterReveal:
		// A round is revealed once the workshop moved past it or shows it.
		return n < w.Round || n == w.Round && (w.State == StateRevealed || w.State == StateFinished)
	}
	return false
}

// FocusID is the scenario in focus: the one chosen, or the first.
func (w *Workshop) FocusID() int64 {
	if w.Focus != 0 {
		return w.Focus
	}
	if len(w.Scenarios) > 0 {
		return w.Scenarios[0].ID
	}
	return 0
}

// InFocus reports whether participants see scenario id now.
func (w *Workshop) InFocus(id int64) bool {
	return CheckInFocus(w.Pacing, w.FocusID(), id) == nil
}

// CheckInFocus is the rule of focus pacing for a participant's write (a
// rating, a reason): while the workshop paces by focus, only the scenario
// in focus (focus, as FocusID gives it) takes answers.
func CheckInFocus(p Pacing, focus, scenarioID int64) error {
	if p == PaceFocus && scenarioID != focus {
		return Errorf(EConflict, "error.facilitator_moved_another_scenario")
	}
	return nil
}

// MaxRationaleRunes limits a rationale: a few sentences, not an essay.
const MaxRationaleRunes = 1000

// Rationale is a participant's reason for their ratings of one scenario in
// one round. It is anonymous to everyone but the system.
type Rationale struct {
	ID            int64
	Round         int
	ParticipantID int64
	ScenarioID    int64
	Text          string
	Hidden        bool // hidden by a facilitator: shown to no one else
	Featured      bool // featured by a facilitator on the projector
	UpdatedAt     time.Time
	// Who wrote it, for facilitators: the pseudonym, and the display name in
	// a pseudonymous workshop.
	Pseudonym   string
	DisplayName string
	GroupID     int64 // the writer's expert group; 0 for none
}

// TextLanguage is the language in which a person who reads lang sees the
// workshop's texts: lang itself when the deck has it, otherwise the deck's
// first language.
func (w *Workshop) TextLanguage(lang string) string {
	for _, l := range w.Languages {
		if l == lang {
			return l
		}
	}
	if len(w.Languages) > 0 {
		return w.Languages[0]
	}
	return DefaultLanguage
}
