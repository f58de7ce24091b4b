package workshop

import (
	"time"
)

// State is where a workshop stands in its life.
type State string

const (
	StateLobby    State = "lobby"    // created, waiting for people to join
	StateOpen     State = "open"     // the current round takes ratings
	StateClosed   State = "closed"   // voting paused; can be reopened
	StateFinished State = "finished" // over for good; results stay
)

// Workshop is one live session run from a snapshot of a deck.
type Workshop struct {
	ID        int64
	Code      string // canonical join code
	Title     string
	OwnerID   int64
	DeckSlug  string
	Languages []string
	State     State
	Round     int   // current round, from 1
	Seq       int64 // change counter: grows with every join and rating change
	CreatedAt time.Time
	Criteria  []Criterion
	Scenarios []Scenario
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

// CanTransition reports whether a workshop in state from may go to state to.
func CanTransition(from, to State) bool {
	switch to {
	case StateOpen:
		return from == StateLobby || from == StateClosed
	case StateClosed:
		return from == StateOpen
	case StateFinished:
		return from == StateOpen || from == StateClosed
	}
	return false
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
	return "", FieldError("role", "must be %q or %q", RoleOrganiser, RoleFacilitator)
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
}

// Rating is one participant's answer on one criterion of one scenario in one
// round. A nil Value means "don't know".
type Rating struct {
	Round       int
	ScenarioID  int64
	CriterionID int64
	Value       *int
}

// Change is what a committed write did, for the live tallies: the old and
// new answer of one item (nil pointers where there was or is none).
type Change struct {
	WorkshopID    int64
	Seq           int64
	Round         int
	ParticipantID int64
	ScenarioID    int64
	CriterionID   int64
	Old, New      *Answer
	Joined        bool // a participant joined; no rating changed
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
