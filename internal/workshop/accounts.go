package workshop

import "time"

// Account is a user account as organisers see it in the list of people.
type Account struct {
	User
	DisabledAt time.Time // zero while the account is active
	Sessions   int       // active sessions
}

// Disabled reports whether the account is disabled.
func (a Account) Disabled() bool { return !a.DisabledAt.IsZero() }

// AccountLink is what a one-time link (an invitation or a password reset)
// is for.
type AccountLink struct {
	Email     string
	Role      Role
	ExpiresAt time.Time
}

// Session is one active sign-in as its user sees it. Handle is a random
// public ID for ending it; the token in the cookie never leaves the server.
type Session struct {
	Handle     string
	Client     SessionClient
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Current    bool // the session of the request that asked
}

// SessionClient is what the list of sessions shows of the browser that
// started one, so that a person can recognise it: names such as "Firefox"
// and "Linux", which are not translated. Either is "" when unknown.
// Nothing in it may identify a person.
type SessionClient struct {
	Browser string
	System  string
}
