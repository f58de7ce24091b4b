package workshop

import "time"

// LogAction is what a facilitator did to a workshop's data, as the
// workshop's log records it: a code and facts (LogFields), never a
// sentence, so that each reader gets the line in their own language.
type LogAction string

// The actions of the log. A new one is a constant here, a row in the
// store's table of codes (log_actions, added by a migration) and a
// sentence where the log is shown.
const (
	// LogParticipantRemoved: a participant's ratings and reasons were
	// removed. Fields: Pseudonym, Ratings, Reasons.
	LogParticipantRemoved LogAction = "participant_removed"
	// LogAnonymised: the workshop was anonymised. Fields: Participants.
	LogAnonymised LogAction = "anonymised"
	// LogGroupsChanged: the workshop's expert groups were set, changed or
	// removed. Fields: Groups, the names afterwards ("": no groups).
	LogGroupsChanged LogAction = "groups_changed"
	// LogNote is a line written before the log had codes whose words
	// match no action: Text holds them, to be shown as written.
	LogNote LogAction = "note"
	// LogOutcomeRecorded: the outcome of a scenario was recorded or
	// changed. Fields: Scenario (its number in the deck), Outcome.
	LogOutcomeRecorded LogAction = "outcome_recorded"
	// LogIdeaHidden and LogIdeaUnhidden: an idea of the room was hidden
	// from participants, or shown again. Fields: Idea (its title).
	LogIdeaHidden   LogAction = "idea_hidden"
	LogIdeaUnhidden LogAction = "idea_unhidden"
	// LogIdeasMerged: an idea was merged into another. Fields: Idea, Into
	// (their titles), Votes (the votes the merged idea had).
	LogIdeasMerged LogAction = "ideas_merged"
	// LogIdeaPromoted: an idea became a scenario of the workshop. Fields:
	// Idea (its title), Scenario (the scenario's number), Votes.
	LogIdeaPromoted LogAction = "idea_promoted"
)

// LogActions lists every action of the log.
var LogActions = []LogAction{LogParticipantRemoved, LogAnonymised, LogGroupsChanged, LogNote, LogOutcomeRecorded,
	LogIdeaHidden, LogIdeaUnhidden, LogIdeasMerged, LogIdeaPromoted}

// Outcome words of the log: what a recorded outcome says.
const (
	LogOccurred    = "occurred"
	LogNotOccurred = "not_occurred"
	LogNotKnown    = "not_known"
)

// LogFields are the facts of a log entry. Each action sets the fields it
// names and leaves the others zero; the store keeps them as one JSON
// object, so a new fact is a new field here, not a new column.
type LogFields struct {
	Pseudonym    string `json:"pseudonym,omitempty"`    // the participant concerned
	Participants int    `json:"participants,omitempty"` // how many participants the action touched
	Ratings      int    `json:"ratings,omitempty"`      // how many ratings it removed
	Reasons      int    `json:"reasons,omitempty"`      // how many reasons it removed
	Text         string `json:"text,omitempty"`         // a note's words, as written
	Scenario     int    `json:"scenario,omitempty"`     // a scenario's number in the deck (1, 2, …)
	Outcome      string `json:"outcome,omitempty"`      // LogOccurred, LogNotOccurred or LogNotKnown
	// Groups are a workshop's group names, joined by ", " (a name holds
	// no comma: CleanGroupNames). A string keeps LogFields comparable.
	Groups string `json:"groups,omitempty"`
	Idea   string `json:"idea,omitempty"`  // an idea's title
	Into   string `json:"into,omitempty"`  // the title of the idea another joined
	Votes  int    `json:"votes,omitempty"` // an idea's votes
}

// LogEntry is one line of a workshop's log.
type LogEntry struct {
	At     time.Time
	Actor  string // the account's email; "" when the account is gone
	Action LogAction
	LogFields
}
