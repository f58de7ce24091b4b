package webform

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"foresight/internal/workshop"
)

// NewWorkshop is the new workshop form: deck (a deck's slug), title, open
// (voting opens at once).
type NewWorkshop struct {
	Deck  string
	Title string
	Open  bool
}

func ParseNewWorkshop(r *http.Request) (NewWorkshop, error) {
	get, err := parsed(r)
	if err != nil {
		return NewWorkshop{}, err
	}
	return NewWorkshop{Deck: get("deck"), Title: get("title"), Open: get("open") != ""}, nil
}

// TitleOr is the workshop's title: the one typed, or without one the
// deck's.
func (f NewWorkshop) TitleOr(deckTitle string) string {
	if strings.TrimSpace(f.Title) == "" {
		return deckTitle
	}
	return f.Title
}

// Step is the form of a voting button (next, close, reopen, reveal,
// finish): prefill, on the button that opens a round, starts it with each
// participant's previous ratings.
type Step struct {
	Prefill  bool
	RoundFor string // kind: the kind of round to open ("" or "rating", "cross_impact")
}

func ParseStep(r *http.Request) (Step, error) {
	get, err := parsed(r)
	if err != nil {
		return Step{}, err
	}
	return Step{Prefill: get("prefill") != "", RoundFor: get("kind")}, nil
}

// Kind is the kind of round the form opens.
func (f Step) Kind() (workshop.RoundKind, error) { return workshop.ParseRoundKind(f.RoundFor) }

// Settings is a workshop's settings form: title, description, anonymity,
// participant_limit, visibility, pacing, and groups (the expert groups'
// names, one per line or separated by commas), which the form has in the
// lobby only.
type Settings struct {
	Title, Description string
	Anonymity          workshop.Anonymity
	Visibility         workshop.Visibility
	Pacing             workshop.Pacing
	Limit              string  // participant_limit as typed
	IdeaVotes          string  // idea_votes as typed; blank keeps the workshop's
	Groups             *string // as typed; nil when the form had no groups
}

func ParseSettings(r *http.Request) (Settings, error) {
	get, err := parsed(r)
	if err != nil {
		return Settings{}, err
	}
	f := Settings{Title: get("title"), Description: get("description"), Anonymity: workshop.Anonymity(get("anonymity")),
		Visibility: workshop.Visibility(get("visibility")), Pacing: workshop.Pacing(get("pacing")), Limit: get("participant_limit"),
		IdeaVotes: get("idea_votes")}
	if typed, ok := r.PostForm["groups"]; ok {
		groups := strings.Join(typed, "\n")
		f.Groups = &groups
	}
	return f, nil
}

// limit reads the participant limit; blank is none (0).
func (f Settings) limit() (int, error) {
	return strconv.Atoi(cmp.Or(strings.TrimSpace(f.Limit), "0"))
}

// ideaVotes reads the votes per participant; blank is 0, which keeps the
// workshop's.
func (f Settings) ideaVotes() (int, error) {
	return strconv.Atoi(cmp.Or(strings.TrimSpace(f.IdeaVotes), "0"))
}

// Check refuses a participant limit or votes that are not a number; the
// domain checks the rest (workshop.Settings.Clean).
func (f Settings) Check() error {
	if _, err := f.limit(); err != nil {
		return workshop.FieldError("participant_limit", "error.enter_whole_number_0")
	}
	if _, err := f.ideaVotes(); err != nil {
		return workshop.FieldError("idea_votes", "error.give_participant_votes", workshop.MinIdeaVotes, workshop.MaxIdeaVotes)
	}
	return nil
}

// Settings are the workshop's settings as typed.
func (f Settings) Settings() workshop.Settings {
	limit, _ := f.limit()
	votes, _ := f.ideaVotes()
	return workshop.Settings{Title: f.Title, Description: f.Description, Anonymity: f.Anonymity, ParticipantLimit: limit,
		Visibility: f.Visibility, Pacing: f.Pacing, IdeaVotes: votes}
}

// GroupNames are the expert groups' names typed, nil when the form had
// no groups: the groups then stay as they are.
func (f Settings) GroupNames() *[]string {
	if f.Groups == nil {
		return nil
	}
	names := workshop.SplitGroupNames(*f.Groups)
	return &names
}

// Focus is the form that moves the room to a scenario: scenario_id.
type Focus struct {
	ScenarioID string
}

func ParseFocus(r *http.Request) (Focus, error) {
	get, err := parsed(r)
	if err != nil {
		return Focus{}, err
	}
	return Focus{ScenarioID: get("scenario_id")}, nil
}

func (f Focus) Check() error {
	if _, err := strconv.ParseInt(f.ScenarioID, 10, 64); err != nil {
		return workshop.FieldError("scenario_id", "error.must_whole_number")
	}
	return nil
}

// Scenario is the scenario's ID, once checked.
func (f Focus) Scenario() int64 {
	id, _ := strconv.ParseInt(f.ScenarioID, 10, 64)
	return id
}

// Delete is the form that deletes a workshop: confirm, its code as typed.
type Delete struct {
	Confirm string
}

func ParseDelete(r *http.Request) (Delete, error) {
	get, err := parsed(r)
	if err != nil {
		return Delete{}, err
	}
	return Delete{Confirm: get("confirm")}, nil
}

// Check refuses a confirmation that is not the workshop's code.
func (f Delete) Check(code string) error {
	if typed, _ := workshop.NormalizeCode(f.Confirm); typed != code {
		return workshop.FieldError("confirm", "error.type_workshops_code_exactly")
	}
	return nil
}

// OutcomeField is the name (and element ID) of a field of the Outcomes
// form for one scenario: kind is "occurred", "known" or "note"
// ("occurred-12").
func OutcomeField(kind string, scenarioID int64) string {
	return fmt.Sprintf("%s-%d", kind, scenarioID)
}

// Outcome is one scenario's part of the Outcomes form, as typed.
type Outcome struct {
	ScenarioID              int64
	Occurred, KnownOn, Note string // Occurred: yes, no, unknown or ""
}

// Outcomes is the Outcomes card of a finished workshop's page: every
// scenario at once, in the deck's order.
type Outcomes []Outcome

func ParseOutcomes(r *http.Request, scenarios []workshop.Scenario) (Outcomes, error) {
	get, err := parsed(r)
	if err != nil {
		return nil, err
	}
	var f Outcomes
	for _, sc := range scenarios {
		f = append(f, Outcome{ScenarioID: sc.ID, Occurred: get(OutcomeField("occurred", sc.ID)),
			KnownOn: get(OutcomeField("known", sc.ID)), Note: get(OutcomeField("note", sc.ID))})
	}
	return f, nil
}

// Check refuses the first answer to "what became of it" that is none of
// the choices; the store checks the dates and notes.
func (f Outcomes) Check() error {
	for _, o := range f {
		switch o.Occurred {
		case "yes", "no", "unknown", "":
		default:
			return workshop.FieldError(OutcomeField("occurred", o.ScenarioID), "error.choose_happened_did_not")
		}
	}
	return nil
}

// Outcomes are the outcomes as typed; an answer that is none of the
// choices reads as not known yet.
func (f Outcomes) Outcomes() []workshop.Outcome {
	var out []workshop.Outcome
	for _, o := range f {
		wo := workshop.Outcome{ScenarioID: o.ScenarioID, KnownOn: o.KnownOn, Note: o.Note}
		switch o.Occurred {
		case "yes":
			wo.Occurred = ptrTo(true)
		case "no":
			wo.Occurred = ptrTo(false)
		}
		out = append(out, wo)
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }
