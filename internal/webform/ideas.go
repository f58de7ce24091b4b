package webform

import (
	"net/http"
	"strconv"
	"strings"

	"foresight/internal/workshop"
)

// Idea is a participant's idea form: title, text, scenario_id (the
// scenario it relates to; empty for none).
type Idea struct {
	Title, Text, Scenario string
}

func ParseIdea(r *http.Request) (Idea, error) {
	get, err := parsed(r)
	if err != nil {
		return Idea{}, err
	}
	return Idea{Title: get("title"), Text: get("text"), Scenario: get("scenario_id")}, nil
}

// Check refuses a scenario that is not a number; the domain checks the
// rest (workshop.IdeaDraft.Clean) and the store that the scenario is the
// workshop's.
func (f Idea) Check() error {
	if _, err := f.scenario(); err != nil {
		return workshop.FieldError("scenario_id", "error.workshop_no_such_scenario")
	}
	return nil
}

func (f Idea) scenario() (int64, error) {
	if s := strings.TrimSpace(f.Scenario); s != "" {
		return strconv.ParseInt(s, 10, 64)
	}
	return 0, nil
}

// Draft is the idea as typed.
func (f Idea) Draft() workshop.IdeaDraft {
	id, _ := f.scenario()
	return workshop.IdeaDraft{Title: f.Title, Text: f.Text, ScenarioID: id}
}

// Vote is the form of a vote button: vote "on" casts the vote, anything
// else takes it back.
type Vote struct {
	Vote string
}

func ParseVote(r *http.Request) (Vote, error) {
	get, err := parsed(r)
	if err != nil {
		return Vote{}, err
	}
	return Vote{Vote: get("vote")}, nil
}

// On reports whether the button casts the vote.
func (f Vote) On() bool { return f.Vote == "on" }

// IdeaAction is the facilitator's form of an idea: into (the idea to merge
// it into), or title and narrative (the scenario it becomes).
type IdeaAction struct {
	Into             string
	Title, Narrative string
}

func ParseIdeaAction(r *http.Request) (IdeaAction, error) {
	get, err := parsed(r)
	if err != nil {
		return IdeaAction{}, err
	}
	return IdeaAction{Into: get("into"), Title: get("title"), Narrative: get("narrative")}, nil
}

// CheckMerge refuses an idea to merge into that is not a number.
func (f IdeaAction) CheckMerge() error {
	if _, err := strconv.ParseInt(strings.TrimSpace(f.Into), 10, 64); err != nil {
		return workshop.FieldError("into", "error.workshop_no_such_idea")
	}
	return nil
}

// IntoID is the idea to merge into, once checked.
func (f IdeaAction) IntoID() int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Into), 10, 64)
	return id
}

// Promotion is the scenario as typed.
func (f IdeaAction) Promotion() workshop.Promotion {
	return workshop.Promotion{Title: f.Title, Narrative: f.Narrative}
}
