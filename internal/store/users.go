package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"foresight/internal/password"
	"foresight/internal/workshop"
)

// SessionTTL is how long a facilitator session lasts without a new login.
const SessionTTL = 14 * 24 * time.Hour

// SetupTTL is how long the first-account setup link works.
const SetupTTL = 24 * time.Hour

// NewToken returns a random 256-bit token for a cookie or link, and the hash
// the database keeps of it.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the SHA-256 of a token: what the database stores.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NormalizeEmail checks an email address and returns it trimmed and lower-cased.
func NormalizeEmail(s string) (string, error) {
	// Before ToLower, which would turn invalid bytes into U+FFFD.
	if !utf8.ValidString(s) {
		return "", workshop.FieldError("email", "error.enter_email_address_such")
	}
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", workshop.FieldError("email", "error.enter_email_address_such")
	}
	return s, nil
}

// CreateUser adds an account with the given password.
func (d *DB) CreateUser(ctx context.Context, email, pw string, role workshop.Role) (workshop.User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return workshop.User{}, err
	}
	hash, err := newPasswordHash(pw)
	if err != nil {
		return workshop.User{}, err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return workshop.User{}, err
	}
	defer tx.Rollback()
	u, err := insertUser(tx, email, hash, role)
	if err != nil {
		return workshop.User{}, err
	}
	return u, d.commit(tx, nil)
}

func insertUser(tx *Tx, email, hash string, role workshop.Role) (workshop.User, error) {
	var id int64
	err := tx.QueryRow(`INSERT INTO users (email, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		email, hash, string(role), tx.now()).Scan(&id)
	if isUniqueViolation(err, "email") {
		return workshop.User{}, workshop.FieldError("email", "error.account_email_address_exists_already")
	}
	if err != nil {
		return workshop.User{}, mapError(err)
	}
	tx.announce(workshop.AccountChanged{UserID: id})
	return workshop.User{ID: id, Email: email, Role: role, CreatedAt: tx.Now}, nil
}

// SetPassword changes a user's password and ends all their sessions.
func (d *DB) SetPassword(ctx context.Context, email, pw string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	hash, err := newPasswordHash(pw)
	if err != nil {
		return err
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRow(`UPDATE users SET password_hash = $1 WHERE email = $2 RETURNING id`, hash, email).Scan(&id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return workshop.Errorf(workshop.ENotFound, "error.no_account_email_address", email)
		}
		return err
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
		return err
	}
	tx.announce(workshop.AccountChanged{UserID: id})
	return d.commit(tx, nil)
}

// CountUsers returns how many accounts exist.
func (d *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := d.reader.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// UserByEmail returns an account by email address.
func (d *DB) UserByEmail(ctx context.Context, email string) (workshop.User, error) {
	return scanUser(d.reader.QueryRowContext(ctx,
		`SELECT id, email, role, created_at FROM users WHERE email = $1 AND disabled_at IS NULL`,
		strings.ToLower(strings.TrimSpace(email))))
}

func scanUser(row *sql.Row) (workshop.User, error) {
	var u workshop.User
	var role string
	if err := row.Scan(&u.ID, &u.Email, &role, timeScan{&u.CreatedAt}); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return u, workshop.Errorf(workshop.ENotFound, "error.no_such_account_lower")
		}
		return u, err
	}
	u.Role = workshop.Role(role)
	return u, nil
}

// Login checks an email and password and, when they match an active
// account, starts a new session. It returns the session token for the cookie.
// A wrong email and a wrong password give the same error and take the same time.
func (d *DB) Login(ctx context.Context, email, pw string) (workshop.User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u workshop.User
	var hash, role string
	err := d.reader.QueryRowContext(ctx,
		`SELECT id, email, role, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL`, email).
		Scan(&u.ID, &u.Email, &role, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		password.VerifyDummy(pw)
		return u, "", workshop.Errorf(workshop.EUnauthorized, "error.email_address_password_wrong")
	}
	if err != nil {
		return u, "", err
	}
	if !password.Verify(hash, pw) {
		return u, "", workshop.Errorf(workshop.EUnauthorized, "error.email_address_password_wrong")
	}
	u.Role = workshop.Role(role)
	token, err := d.createSession(ctx, u.ID)
	return u, token, err
}

func (d *DB) createSession(ctx context.Context, userID int64) (string, error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	token, err := insertSession(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	return token, d.commit(tx, nil)
}

// insertSession starts a session for a user in tx and returns its token for
// the cookie. The client comes from ctx (WithClient).
func insertSession(ctx context.Context, tx *Tx, userID int64) (string, error) {
	token, hash := NewToken()
	// Expired sessions of anyone are swept on each login: cheap, and the table stays small.
	if _, err := tx.Exec(`DELETE FROM sessions WHERE expires_at < $1`, tx.now()); err != nil {
		return "", err
	}
	c := clientFrom(ctx)
	if _, err := tx.Exec(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at, handle, client_browser, client_system, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		hash, userID, tx.now(), timeArg(tx.Now.Add(SessionTTL)), newHandle(), c.Browser, c.System, tx.now()); err != nil {
		return "", err
	}
	tx.announce(workshop.SessionRecorded{UserID: userID})
	return token, nil
}

// SessionUser returns the active account a session token belongs to. It
// notes when the session was last used, at most once a minute (TouchEvery),
// so that the list of sessions can show it without a write per request.
func (d *DB) SessionUser(ctx context.Context, token string) (workshop.User, error) {
	var u workshop.User
	var role string
	var seen time.Time
	now := d.Now()
	hash := HashToken(token)
	err := d.reader.QueryRowContext(ctx, `
		SELECT u.id, u.email, u.role, u.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
		hash, timeArg(now)).Scan(&u.ID, &u.Email, &role, timeScan{&u.CreatedAt}, timeScan{&seen})
	if errors.Is(err, sql.ErrNoRows) {
		return u, workshop.Errorf(workshop.EUnauthorized, "error.please_sign_in_sentence")
	}
	if err != nil {
		return u, err
	}
	u.Role = workshop.Role(role)
	if seen.IsZero() || now.Sub(seen) >= TouchEvery {
		d.touchSession(ctx, hash, now)
	}
	return u, nil
}

// Logout ends a session; the live views it opened end with it.
func (d *DB) Logout(ctx context.Context, token string) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var userID int64
	err = tx.QueryRow(`DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id`, HashToken(token)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // ended already
	}
	if err != nil {
		return err
	}
	tx.announce(workshop.SessionsEnded{UserID: userID})
	return d.commit(tx, nil)
}

// SetupLink returns a new one-time token that creates the first organiser
// account, or "" when accounts exist already. Each server that starts on a
// database without accounts offers one (several may share a PostgreSQL
// database): every one works, on any server, until it expires or the
// first account exists (CompleteSetup). Expired ones are dropped.
func (d *DB) SetupLink(ctx context.Context) (string, error) {
	tx, err := d.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM users`).Scan(&n); err != nil || n > 0 {
		return "", err
	}
	if _, err := tx.Exec(`DELETE FROM tokens WHERE purpose = 'setup' AND expires_at <= $1`, tx.now()); err != nil {
		return "", err
	}
	token, hash := NewToken()
	if _, err := tx.Exec(`INSERT INTO tokens (hash, purpose, role, created_at, expires_at) VALUES ($1, 'setup', 'organiser', $2, $3)`,
		hash, tx.now(), timeArg(tx.Now.Add(SetupTTL))); err != nil {
		return "", err
	}
	tx.announce(workshop.LinkCreated{})
	return token, d.commit(tx, nil)
}

// CheckSetupToken reports whether a setup token is valid now.
func (d *DB) CheckSetupToken(ctx context.Context, token string) error {
	var n int
	err := d.reader.QueryRowContext(ctx, `SELECT count(*) FROM tokens WHERE hash = $1 AND purpose = 'setup' AND expires_at > $2`,
		HashToken(token), timeArg(d.Now())).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return workshop.Errorf(workshop.ENotFound, "error.setup_link_not_valid")
	}
	return nil
}

// newPasswordHash checks that pw meets the rules for a new password and
// hashes it.
func newPasswordHash(pw string) (string, error) {
	if err := password.Check(pw); err != nil {
		return "", err
	}
	return password.Hash(pw)
}

// CompleteSetup uses a setup token to create the first organiser account and
// sign it in. The token works once.
func (d *DB) CompleteSetup(ctx context.Context, token, email, pw string) (workshop.User, string, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
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
	res, err := tx.Exec(`DELETE FROM tokens WHERE hash = $1 AND purpose = 'setup' AND expires_at > $2`, HashToken(token), tx.now())
	if err != nil {
		return workshop.User{}, "", err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return workshop.User{}, "", workshop.Errorf(workshop.ENotFound, "error.setup_link_not_valid")
	}
	// The first account only: another link (another server's) may have
	// made it already. Then every setup link ends.
	var accounts int
	if err := tx.QueryRow(`SELECT count(*) FROM users`).Scan(&accounts); err != nil {
		return workshop.User{}, "", err
	}
	if accounts > 0 {
		return workshop.User{}, "", workshop.Errorf(workshop.ENotFound, "error.setup_link_not_valid_any_more")
	}
	if _, err := tx.Exec(`DELETE FROM tokens WHERE purpose = 'setup'`); err != nil {
		return workshop.User{}, "", err
	}
	u, err := insertUser(tx, email, hash, workshop.RoleOrganiser)
	if err != nil {
		return workshop.User{}, "", err
	}
	session, err := insertSession(ctx, tx, u.ID)
	if err != nil {
		return workshop.User{}, "", err
	}
	return u, session, d.commit(tx, nil)
}
