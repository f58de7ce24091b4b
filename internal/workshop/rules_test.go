package workshop

import (
	"errors"
	"testing"
)

func TestCheckJoin(t *testing.T) {
	groups := []int64{7, 9}
	for _, tc := range []struct {
		name  string
		f     JoinFacts
		group int64
		code  string // "" when allowed
		field string
	}{
		{"lobby", JoinFacts{State: StateLobby}, 0, "", ""},
		{"open", JoinFacts{State: StateOpen}, 0, "", ""},
		{"revealed", JoinFacts{State: StateRevealed}, 0, "", ""},
		{"finished", JoinFacts{State: StateFinished}, 0, EConflict, ""},
		{"archived", JoinFacts{State: StateOpen, Archived: true}, 0, EConflict, ""},
		{"below the limit", JoinFacts{State: StateOpen, Limit: 3, Joined: 2}, 0, "", ""},
		{"at the limit", JoinFacts{State: StateOpen, Limit: 3, Joined: 3}, 0, EConflict, ""},
		{"no limit", JoinFacts{State: StateOpen, Joined: 10000}, 0, "", ""},
		{"a group chosen", JoinFacts{State: StateOpen, Groups: groups}, 9, "", ""},
		{"no group chosen", JoinFacts{State: StateOpen, Groups: groups}, 0, EInvalid, "group"},
		{"another workshop's group", JoinFacts{State: StateOpen, Groups: groups}, 8, EInvalid, "group"},
		{"a group where there are none", JoinFacts{State: StateOpen}, 8, "", ""},
		{"full before the group is asked", JoinFacts{State: StateOpen, Limit: 1, Joined: 1, Groups: groups}, 0, EConflict, ""},
	} {
		err := CheckJoin(tc.f, tc.group)
		if got := ErrorCode(err); got != tc.code {
			t.Errorf("%s: %v (code %q), want code %q", tc.name, err, got, tc.code)
		}
		if tc.field != "" && fieldOf(err) != tc.field {
			t.Errorf("%s: the error names field %q, want %q", tc.name, fieldOf(err), tc.field)
		}
	}
}

func TestVotingIsClosed(t *testing.T) {
	for _, s := range []State{StateLobby, StateOpen, StateClosed, StateRevealed, StateFinished} {
		open := s == StateOpen
		if err := CheckRatingsOpen(s); (err == nil) != open || (err != nil && ErrorCode(err) != EConflict) {
			t.Errorf("ratings in %s: %v", s, err)
		}
		if err := CheckReasonsOpen(s); (err == nil) != open || (err != nil && ErrorCode(err) != EConflict) {
			t.Errorf("reasons in %s: %v", s, err)
		}
		lobby := s == StateLobby
		if err := CheckGroupsChange(s); (err == nil) != lobby || (err != nil && fieldOf(err) != "groups") {
			t.Errorf("groups in %s: %v", s, err)
		}
	}
}

func TestCheckDisable(t *testing.T) {
	org := User{ID: 1, Role: RoleOrganiser}
	for _, tc := range []struct {
		name  string
		a     AccountFacts
		allow bool
		count bool // the count of other organisers matters
	}{
		{"oneself", AccountFacts{ID: 1, Role: RoleOrganiser, OtherOrganisers: 5}, false, true},
		{"a facilitator", AccountFacts{ID: 2, Role: RoleFacilitator}, true, false},
		{"an organiser among others", AccountFacts{ID: 2, Role: RoleOrganiser, OtherOrganisers: 1}, true, true},
		{"the last active organiser", AccountFacts{ID: 2, Email: "last@example.org", Role: RoleOrganiser}, false, true},
		{"a disabled organiser again", AccountFacts{ID: 2, Role: RoleOrganiser, Disabled: true}, true, false},
	} {
		err := CheckDisable(org, tc.a)
		if (err == nil) != tc.allow {
			t.Errorf("%s: %v, want allowed %v", tc.name, err, tc.allow)
		}
		if err != nil && ErrorCode(err) != EConflict {
			t.Errorf("%s: code %q, want %q", tc.name, ErrorCode(err), EConflict)
		}
		if tc.a.NeedsOrganiserCount() != tc.count {
			t.Errorf("%s: NeedsOrganiserCount %v, want %v", tc.name, tc.a.NeedsOrganiserCount(), tc.count)
		}
	}
}

// fieldOf is the field a domain error names, "" for none.
func fieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// A path names one of the five steps or none: an unknown action is not
// found, in every state, before the state is asked.
func TestCheckAction(t *testing.T) {
	for _, a := range []Action{ActNextRound, ActClose, ActReopen, ActReveal, ActFinish} {
		if err := CheckAction(a); err != nil {
			t.Errorf("%q: %v", a, err)
		}
	}
	for _, a := range []Action{"", "settings", "Next", "delete"} {
		if err := CheckAction(a); ErrorCode(err) != ENotFound {
			t.Errorf("%q: %v, want not found", a, err)
		}
		for _, s := range []State{StateLobby, StateOpen, StateFinished} {
			if to, n, err := Step(s, 2, a); ErrorCode(err) != ENotFound || to != s || n != 2 {
				t.Errorf("Step(%s, %q) = %s, %d, %v; want not found and no change", s, a, to, n, err)
			}
		}
	}
}
