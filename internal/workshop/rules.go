package workshop

import "slices"

// The rules that decide whether an action is allowed, as pure functions of
// the facts the store reads inside its transaction. The store gathers the
// facts and calls the rule, the way it calls Step for a state change, so
// that a rule is said once and tested without a database.

// JoinFacts is what decides whether someone may join a workshop.
type JoinFacts struct {
	State    State
	Archived bool
	Limit    int     // the most participants it takes; 0 for no limit
	Joined   int     // its active participants; read only when Limit > 0
	Groups   []int64 // its expert groups; none when it has none
}

// CheckJoin tells whether a newcomer who chose groupID (0 for none) may
// join: not once the workshop has finished or is archived, not past its
// participant limit, and, where it has expert groups, only into one of
// them.
func CheckJoin(f JoinFacts, groupID int64) error {
	if f.State == StateFinished || f.Archived {
		return Errorf(EConflict, "error.workshop_finished_admits_no")
	}
	if f.Limit > 0 && f.Joined >= f.Limit {
		return Errorf(EConflict, "error.workshop_full_takes_most", f.Limit)
	}
	if len(f.Groups) > 0 {
		switch {
		case groupID == 0:
			return FieldError("group", "error.choose_group_belong")
		case !slices.Contains(f.Groups, groupID):
			return FieldError("group", "error.choose_one_workshops_groups")
		}
	}
	return nil
}

// CheckRatingsOpen tells whether a rating may be saved or cleared in a
// workshop in state s: only while voting is open.
func CheckRatingsOpen(s State) error {
	if s != StateOpen {
		return Errorf(EConflict, "error.voting_closed_saved_ratings")
	}
	return nil
}

// CheckReasonsOpen is CheckRatingsOpen for reasons.
func CheckReasonsOpen(s State) error {
	if s != StateOpen {
		return Errorf(EConflict, "error.voting_closed_saved_reasons")
	}
	return nil
}

// CheckGroupsChange tells whether a workshop in state s may change its
// expert groups: only in the lobby, so that once voting opened each
// group's results stay what its participants chose.
func CheckGroupsChange(s State) error {
	if s != StateLobby {
		return FieldErrorf(EConflict, "groups", "error.groups_changed_only_in")
	}
	return nil
}

// AccountFacts is what decides whether an account may be disabled.
type AccountFacts struct {
	ID       int64
	Email    string
	Role     Role
	Disabled bool
	// OtherOrganisers counts the active organisers besides this account;
	// read only when the account is an active organiser.
	OtherOrganisers int
}

// CheckDisable tells whether by may disable the account a: nobody disables
// their own account, and the last active organiser stays, so that someone
// can always manage accounts. Disabling a disabled account is allowed (it
// changes nothing).
func CheckDisable(by User, a AccountFacts) error {
	if by.ID == a.ID {
		return Errorf(EConflict, "error.cannot_disable_own_account")
	}
	if !a.Disabled && a.Role == RoleOrganiser && a.OtherOrganisers == 0 {
		return Errorf(EConflict, "error.last_active_organiser_someone", a.Email)
	}
	return nil
}

// NeedsOrganiserCount reports whether CheckDisable needs the count of the
// other active organisers for a, so that the store counts only then.
func (a AccountFacts) NeedsOrganiserCount() bool {
	return !a.Disabled && a.Role == RoleOrganiser
}
