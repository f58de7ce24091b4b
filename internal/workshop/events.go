package workshop

// Events are what the store announces after each COMMIT, in commit order:
// the one path by which a committed change reaches the live views and every
// copy kept in memory. Writers (handlers, the API, the command line) call
// only the store; the store's subscribers (the live hub) hear what changed.
//
// Each event names its workshop and the seq the change was committed as.
// A workshop's seq grows by one with each change, so a copy of a workshop's
// state that was read at seq S applies exactly the events whose seq is
// greater than S: the one rule by which every in-memory copy stays current.

// Event is one committed change.
type Event interface {
	// Head is the workshop the change belongs to and its seq; zero for
	// a change of the whole database (StoreChanged).
	Head() EventHead
}

// EventHead names the workshop of an event and the seq it committed as.
type EventHead struct {
	WorkshopID int64
	Seq        int64
}

// Head returns the head itself, so that every event type embedding it is
// an Event.
func (h EventHead) Head() EventHead { return h }

// RatingChanged is one participant's answer to one item, before and after
// (nil where there was or is none: a new rating, a cleared one).
type RatingChanged struct {
	EventHead
	Round         int
	ParticipantID int64
	GroupID       int64 // the participant's group; 0 for none
	ScenarioID    int64
	CriterionID   int64
	Old, New      *Answer
}

// ReasonChanged is a rationale as it is now (written, edited, hidden or
// featured), or its removal (Deleted).
type ReasonChanged struct {
	EventHead
	Rationale Rationale
	Deleted   bool
}

// JudgementChanged is one participant's cross-impact judgement of one cell,
// as it is now (Score nil: "don't know").
type JudgementChanged struct {
	EventHead
	Round         int
	ParticipantID int64
	GroupID       int64
	Judgement     Judgement
}

// IdeasChanged is ideas of the room as they are now, with their votes:
// proposed, voted for or not, hidden or shown again, merged (both the idea
// merged and the one it joined). VoterID is the participant whose votes
// changed; 0 when the facilitator changed the ideas.
type IdeasChanged struct {
	EventHead
	Ideas   []Idea
	VoterID int64
}

// ParticipantJoined is a new participant.
type ParticipantJoined struct {
	EventHead
	ParticipantID int64
	GroupID       int64 // the group they said they belong to; 0 for none
}

// WorkshopChanged is a change of the workshop itself: its state, round,
// settings or focus. Every view follows at once.
type WorkshopChanged struct {
	EventHead
}

// RecountNeeded is a change that touched many ratings or reasons at once (a
// participant removed, the workshop anonymised, a round that starts with
// the previous round's ratings), possibly with the workshop itself: a
// view's tallies must be read again from the store.
type RecountNeeded struct {
	EventHead
}

// WorkshopDeleted is a workshop removed with all its data.
type WorkshopDeleted struct {
	EventHead
}

// StoreChanged says that another process (the command line, an operator)
// changed the database: every copy must be read again, and every viewer's
// right to watch checked again.
type StoreChanged struct {
	EventHead // zero: no workshop in particular
}

// ParticipantRemoved is a participant removed by the facilitator, with
// every rating and reason they gave: views count again (as for
// RecountNeeded), and the participant's own live stream ends.
type ParticipantRemoved struct {
	EventHead
	ParticipantID int64
}

// The events below belong to no workshop (their head is zero): accounts,
// sessions, links and decks. Every write of the store announces what it
// changed, so that a server learns of it whichever server wrote it; only
// the views that an event concerns react.

// AccountChanged is an account created, its password set or reset, or the
// account disabled or enabled. Its sessions may have ended with it: every
// live view of that user checks at once whether it may still watch, and so
// do display links (a disabled owner's links stop working).
type AccountChanged struct {
	EventHead
	UserID int64
}

// SessionsEnded is one or more sessions of an account ended (a sign-out, a
// session ended from the Account page): the user's live views check at
// once whether their own session still holds.
type SessionsEnded struct {
	EventHead
	UserID int64
}

// SessionRecorded is a session started, or its bookkeeping written (when it
// was last used, which browser): it ends nothing and no view reacts.
type SessionRecorded struct {
	EventHead
	UserID int64
}

// LinkCreated is a one-time link made: first-account setup, an invitation
// or a password reset. No view reacts.
type LinkCreated struct {
	EventHead
}

// DeckChanged is a deck created, edited or deleted. Workshops keep their
// own copy of the scenarios, so no live view reacts.
type DeckChanged struct {
	EventHead
	DeckID int64
}

// KeysCreated is the cookie keys made on first start. No view reacts.
type KeysCreated struct {
	EventHead
}
