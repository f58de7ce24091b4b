package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
	"unicode/utf8"

	"foresight/internal/password"
	"foresight/internal/workshop"
)

// InviteTTL is how long an invitation link works: long enough to reach
// someone by a slow channel, as there is no mail server to send it.
const InviteTTL = 7 * 24 * time.Hour

// ResetTTL is how long a password reset link works. It opens an existing
// account with all its workshops, so it lives shorter than an invitation:
// the organiser hands it over at once.
const ResetTTL = 24 * time.Hour

// TouchEvery is how often at most a session's last use is written down.
const TouchEvery = time.Minute

// maxClientLen bounds each fact of a session's client (browser, system), in characters.
const maxClientLen = 60

type clientKey struct{}

// WithClient returns a context that labels the sessions started with it.
func WithClient(ctx context.Context, c workshop.SessionClient) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// clientFrom is the client that ctx carries, each name cut to maxClientLen.
func clientFrom(ctx context.Context) workshop.SessionClient {
	c, _ := ctx.Value(clientKey{}).(workshop.SessionClient)
	return workshop.SessionClient{Browser: clientName(c.Browser), System: clientName(c.System)}
}

// clientName is a name of a client as it may be stored: valid UTF-8, at
// most maxClientLen characters.
func clientName(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	if utf8.RuneCountInString(s) > maxClientLen {
		s = string([]rune(s)[:maxClientLen])
	}
	return s
}

// newHandle returns a random public ID of a session.
func newHandle() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// touchSession notes that a session was used now. It is bookkeeping: a
// failure (a busy writer) is not the caller's problem, and the next
// request tries again.
func (d *DB) touchSession(ctx context.Context, hash []byte, now time.Time) {
	d.writeSession(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND (last_seen_at IS NULL OR last_seen_at <= $3) RETURNING user_id`,
		timeArg(now), hash, timeArg(now.Add(-TouchEvery)))
}

// writeSession runs one statement that updates a session's bookkeeping
// and returns its user (no row: nothing changed), as a transaction of its
// own through the one commit path.
func (d *DB) writeSession(ctx context.Context, query string, args ...any) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var userID int64
	err = tx.QueryRow(query, args...).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	tx.announce(workshop.SessionRecorded{UserID: userID})
	return d.commit(tx, nil)
}

// LabelSession sets the client of a session that has none (one that
// started where the client was unknown). It changes nothing else.
func (d *DB) LabelSession(ctx context.Context, token string, c workshop.SessionClient) error {
	c = clientFrom(WithClient(ctx, c))
	if c == (workshop.SessionClient{}) {
		return nil
	}
	return d.writeSession(ctx, `UPDATE sessions SET client_browser = $1, client_system = $2
		WHERE id_hash = $3 AND client_browser = '' AND client_system = '' RETURNING user_id`, c.Browser, c.System, HashToken(token))
}

// sweepLinks drops expired invitations and reset links.
func sweepLinks(tx *Tx) error {
	_, err := tx.Exec(`DELETE FROM tokens WHERE purpose IN ('invite', 'reset') AND expires_at <= $1`, tx.now())
	return err
}

// CreateInvite creates a one-time link that lets the person with this email
// address create an account with the role. It replaces an earlier invitation
// of the same address, and refuses an address that has an account already.
// Only organisers invite.
func (d *DB) CreateInvite(ctx context.Context, by workshop.User, email string, role workshop.Role) (string, workshop.AccountLink, error) {
	if by.Role != workshop.RoleOrganiser {
		return "", workshop.AccountLink{}, workshop.Errorf(workshop.EForbidden, "error.only_organisers_invite_people")
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return "", workshop.AccountLink{}, err
	}
	if _, err := workshop.ParseRole(string(role)); err != nil {
		return "", workshop.AccountLink{}, workshop.FieldError("role", "error.choose_facilitator_organiser")
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return "", workshop.AccountLink{}, err
	}
	defer tx.Rollback()
	var disabled time.Time
	err = tx.QueryRow(`SELECT disabled_at FROM users WHERE email = $1`, email).Scan(timeScan{&disabled})
	switch {
	case err == nil && !disabled.IsZero():
		return "", workshop.AccountLink{}, workshop.FieldError("email", "error.account_email_address_exists")
	case err == nil:
		return "", workshop.AccountLink{}, workshop.FieldError("email", "error.account_email_address_exists_already")
	case !errors.Is(err, sql.ErrNoRows):
		return "", workshop.AccountLink{}, err
	}
	if err := sweepLinks(tx); err != nil {
		return "", workshop.AccountLink{}, err
	}
	if _, err := tx.Exec(`DELETE FROM tokens WHERE purpose = 'invite' AND email = $1`, email); err != nil {
		return "", workshop.AccountLink{}, err
	}
	l := workshop.AccountLink{Email: email, Role: role, ExpiresAt: tx.Now.Add(InviteTTL)}
	token, hash := NewToken()
	if _, err := tx.Exec(`INSERT INTO tokens (hash, purpose, email, role, created_at, expires_at) VALUES ($1, 'invite', $2, $3, $4, $5)`,
		hash, email, string(role), tx.now(), timeArg(l.ExpiresAt)); err != nil {
		return "", workshop.AccountLink{}, err
	}
	tx.announce(workshop.LinkCreated{})
	return token, l, d.commit(tx, nil)
}

// InviteByToken returns the invitation of a token that is still valid.
func (d *DB) InviteByToken(ctx context.Context, token string) (workshop.AccountLink, error) {
	var l workshop.AccountLink
	var role string
	err := d.reader.QueryRowContext(ctx,
		`SELECT email, role, expires_at FROM tokens WHERE hash = $1 AND purpose = 'invite' AND expires_at > $2`,
		HashToken(token), timeArg(d.Now())).Scan(&l.Email, &role, timeScan{&l.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return l, workshop.Errorf(workshop.ENotFound, "error.invite_gone")
	}
	if err != nil {
		return l, err
	}
	l.Role = workshop.Role(role)
	return l, nil
}

// ListInvites returns the invitations that are still valid, by email.
func (d *DB) ListInvites(ctx context.Context) ([]workshop.AccountLink, error) {
	rows, err := d.reader.QueryContext(ctx,
		`SELECT email, role, expires_at FROM tokens WHERE purpose = 'invite' AND expires_at > $1 ORDER BY email`, timeArg(d.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.AccountLink
	for rows.Next() {
		var l workshop.AccountLink
		var role string
		if err := rows.Scan(&l.Email, &role, timeScan{&l.ExpiresAt}); err != nil {
			return nil, err
		}
		l.Role = workshop.Role(role)
		out = append(out, l)
	}
	return out, rows.Err()
}

// AcceptInvite uses an invitation: it creates the account with the invited
// email address and role and the chosen password, and signs it in. It
// returns the session token for the cookie. The link works once.
func (d *DB) AcceptInvite(ctx context.Context, token, pw string) (workshop.User, string, error) {
	// The cheap check first: a made-up link costs no password hashing.
	if _, err := d.InviteByToken(ctx, token); err != nil {
		return workshop.User{}, "", err
	}
	hash, err := newPasswordHash(pw)
	if err != nil {
		return workshop.User{}, "", err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return workshop.User{}, "", err
	}
	defer tx.Rollback()
	var email, role string
	err = tx.QueryRow(`DELETE FROM tokens WHERE hash = $1 AND purpose = 'invite' AND expires_at > $2 RETURNING email, role`,
		HashToken(token), tx.now()).Scan(&email, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.User{}, "", workshop.Errorf(workshop.ENotFound, "error.invite_gone")
	}
	if err != nil {
		return workshop.User{}, "", err
	}
	u, err := insertUser(tx, email, hash, workshop.Role(role))
	var de *workshop.Error
	if errors.As(err, &de) && de.Field == "email" {
		// Created meanwhile, by the command line or a second invitation.
		return workshop.User{}, "", workshop.Errorf(workshop.EConflict, "error.account_email_address_exists_already_sign")
	}
	if err != nil {
		return workshop.User{}, "", err
	}
	session, err := insertSession(ctx, tx, u.ID)
	if err != nil {
		return workshop.User{}, "", err
	}
	return u, session, d.commit(tx, nil)
}

// CreateResetLink creates a one-time link that sets a new password for an
// active account. It replaces an earlier reset link of the account, and
// returns the token and what the link is for.
func (d *DB) CreateResetLink(ctx context.Context, userID int64) (string, workshop.AccountLink, error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return "", workshop.AccountLink{}, err
	}
	defer tx.Rollback()
	var l workshop.AccountLink
	var role string
	var disabled time.Time
	err = tx.QueryRow(`SELECT email, role, disabled_at FROM users WHERE id = $1`, userID).Scan(&l.Email, &role, timeScan{&disabled})
	if errors.Is(err, sql.ErrNoRows) {
		return "", workshop.AccountLink{}, workshop.Errorf(workshop.ENotFound, "error.no_such_account")
	}
	if err != nil {
		return "", workshop.AccountLink{}, err
	}
	if !disabled.IsZero() {
		return "", workshop.AccountLink{}, workshop.Errorf(workshop.EConflict, "error.account_disabled_enable_before", l.Email)
	}
	if err := sweepLinks(tx); err != nil {
		return "", workshop.AccountLink{}, err
	}
	if _, err := tx.Exec(`DELETE FROM tokens WHERE purpose = 'reset' AND email = $1`, l.Email); err != nil {
		return "", workshop.AccountLink{}, err
	}
	l.Role, l.ExpiresAt = workshop.Role(role), tx.Now.Add(ResetTTL)
	token, hash := NewToken()
	if _, err := tx.Exec(`INSERT INTO tokens (hash, purpose, email, role, created_at, expires_at) VALUES ($1, 'reset', $2, $3, $4, $5)`,
		hash, l.Email, role, tx.now(), timeArg(l.ExpiresAt)); err != nil {
		return "", workshop.AccountLink{}, err
	}
	tx.announce(workshop.LinkCreated{})
	return token, l, d.commit(tx, nil)
}

// ResetByToken returns what a valid reset link is for. The link of an
// account that was disabled since does not work.
func (d *DB) ResetByToken(ctx context.Context, token string) (workshop.AccountLink, error) {
	var l workshop.AccountLink
	var role string
	err := d.reader.QueryRowContext(ctx, `
		SELECT t.email, u.role, t.expires_at FROM tokens t JOIN users u ON u.email = t.email
		WHERE t.hash = $1 AND t.purpose = 'reset' AND t.expires_at > $2 AND u.disabled_at IS NULL`,
		HashToken(token), timeArg(d.Now())).Scan(&l.Email, &role, timeScan{&l.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return l, workshop.Errorf(workshop.ENotFound, "error.reset_gone")
	}
	if err != nil {
		return l, err
	}
	l.Role = workshop.Role(role)
	return l, nil
}

// CompleteReset uses a reset link: it sets the new password, ends every
// session of the account and signs it in anew. It returns the session token
// for the cookie. The link works once.
func (d *DB) CompleteReset(ctx context.Context, token, pw string) (workshop.User, string, error) {
	if _, err := d.ResetByToken(ctx, token); err != nil {
		return workshop.User{}, "", err
	}
	hash, err := newPasswordHash(pw)
	if err != nil {
		return workshop.User{}, "", err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return workshop.User{}, "", err
	}
	defer tx.Rollback()
	var email string
	err = tx.QueryRow(`DELETE FROM tokens WHERE hash = $1 AND purpose = 'reset' AND expires_at > $2 RETURNING email`,
		HashToken(token), tx.now()).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.User{}, "", workshop.Errorf(workshop.ENotFound, "error.reset_gone")
	}
	if err != nil {
		return workshop.User{}, "", err
	}
	var u workshop.User
	var role string
	err = tx.QueryRow(`UPDATE users SET password_hash = $1 WHERE email = $2 AND disabled_at IS NULL RETURNING id, email, role, created_at`,
		hash, email).Scan(&u.ID, &u.Email, &role, timeScan{&u.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.User{}, "", workshop.Errorf(workshop.ENotFound, "error.reset_gone")
	}
	if err != nil {
		return workshop.User{}, "", err
	}
	u.Role = workshop.Role(role)
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
		return workshop.User{}, "", err
	}
	tx.announce(workshop.AccountChanged{UserID: u.ID})
	session, err := insertSession(ctx, tx, u.ID)
	if err != nil {
		return workshop.User{}, "", err
	}
	return u, session, d.commit(tx, nil)
}

// DisableUser disables an account: it can no longer sign in, its sessions
// end in the same transaction and its pending reset link is dropped. Its
// workshops and decks stay. Nobody disables their own account (by is who
// asks), and the last active organiser stays. Disabling a disabled account
// changes nothing.
func (d *DB) DisableUser(ctx context.Context, by workshop.User, id int64) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a := workshop.AccountFacts{ID: id}
	var role string
	var disabled time.Time
	err = tx.QueryRow(`SELECT email, role, disabled_at FROM users WHERE id = $1`, id).Scan(&a.Email, &role, timeScan{&disabled})
	if errors.Is(err, sql.ErrNoRows) {
		return workshop.Errorf(workshop.ENotFound, "error.no_such_account")
	}
	if err != nil {
		return err
	}
	a.Role, a.Disabled = workshop.Role(role), !disabled.IsZero()
	if a.NeedsOrganiserCount() {
		if err := tx.QueryRow(`SELECT count(*) FROM users WHERE role = 'organiser' AND disabled_at IS NULL AND id <> $1`, id).Scan(&a.OtherOrganisers); err != nil {
			return err
		}
	}
	if err := workshop.CheckDisable(by, a); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE users SET disabled_at = coalesce(disabled_at, $1) WHERE id = $2`, tx.now(), id); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM tokens WHERE purpose = 'reset' AND email = $1`, a.Email); err != nil {
		return err
	}
	tx.announce(workshop.AccountChanged{UserID: id})
	return d.commit(tx, nil)
}

// EnableUser lets a disabled account sign in again, with its old password.
func (d *DB) EnableUser(ctx context.Context, id int64) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`UPDATE users SET disabled_at = NULL WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return workshop.Errorf(workshop.ENotFound, "error.no_such_account")
	}
	tx.announce(workshop.AccountChanged{UserID: id})
	return d.commit(tx, nil)
}

// ListUsers returns every account, active ones first, by email.
func (d *DB) ListUsers(ctx context.Context) ([]workshop.Account, error) {
	rows, err := d.reader.QueryContext(ctx, `
		SELECT u.id, u.email, u.role, u.created_at, u.disabled_at,
			(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > $1)
		FROM users u ORDER BY u.disabled_at IS NOT NULL, u.email`, timeArg(d.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Account
	for rows.Next() {
		var a workshop.Account
		var role string
		if err := rows.Scan(&a.ID, &a.Email, &role, timeScan{&a.CreatedAt}, timeScan{&a.DisabledAt}, &a.Sessions); err != nil {
			return nil, err
		}
		a.Role = workshop.Role(role)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ChangePassword sets a new password after checking the current one. Every
// session of the account ends, this one too, and a new session starts: a
// copy of any earlier cookie, the current one included, is worthless
// afterwards. It returns the new session token for the cookie.
func (d *DB) ChangePassword(ctx context.Context, userID int64, current, pw string) (string, error) {
	if err := password.Check(pw); err != nil {
		return "", err
	}
	var old string
	err := d.reader.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL`, userID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return "", workshop.Errorf(workshop.EUnauthorized, "error.please_sign_in_sentence")
	}
	if err != nil {
		return "", err
	}
	if !password.Verify(old, current) {
		return "", workshop.FieldError("current", "error.current_password_wrong")
	}
	if pw == current {
		return "", workshop.FieldError("password", "error.choose_password_different_current")
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return "", err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	// Only over the hash that was checked: a change in between wins.
	res, err := tx.Exec(`UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled_at IS NULL AND password_hash = $3`, hash, userID, old)
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", workshop.Errorf(workshop.EConflict, "error.password_changed_account_disabled")
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return "", err
	}
	tx.announce(workshop.AccountChanged{UserID: userID})
	session, err := insertSession(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	return session, d.commit(tx, nil)
}

// ListSessions returns a user's active sessions, the most recently used
// first. The one whose token is current is marked.
func (d *DB) ListSessions(ctx context.Context, userID int64, current string) ([]workshop.Session, error) {
	rows, err := d.reader.QueryContext(ctx, `
		SELECT handle, client_browser, client_system, created_at, coalesce(last_seen_at, created_at), expires_at, id_hash = $1
		FROM sessions WHERE user_id = $2 AND expires_at > $3
		ORDER BY coalesce(last_seen_at, created_at) DESC, created_at DESC`,
		HashToken(current), userID, timeArg(d.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workshop.Session
	for rows.Next() {
		var s workshop.Session
		if err := rows.Scan(&s.Handle, &s.Client.Browser, &s.Client.System, timeScan{&s.CreatedAt}, timeScan{&s.LastSeenAt}, timeScan{&s.ExpiresAt}, &s.Current); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// EndSession ends one of a user's sessions, named by its handle. A handle
// of someone else's session is not found.
func (d *DB) EndSession(ctx context.Context, userID int64, handle string) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1 AND handle = $2`, userID, handle)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return workshop.Errorf(workshop.ENotFound, "error.session_ended_already")
	}
	tx.announce(workshop.SessionsEnded{UserID: userID})
	return d.commit(tx, nil)
}
