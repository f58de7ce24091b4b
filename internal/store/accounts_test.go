package store_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"foresight/db"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

const (
	accountPassword = "a long password"
	newPassword     = "another long password"
)

// clock makes the database's clock a variable the test moves.
func clock(db *store.DB) *time.Time {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	return &now
}

func mustUser(tb testing.TB, db *store.DB, email string, role workshop.Role) workshop.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), email, accountPassword, role)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func mustLogin(tb testing.TB, db *store.DB, email, pw string) string {
	tb.Helper()
	_, tok, err := db.Login(context.Background(), email, pw)
	if err != nil {
		tb.Fatalf("login %s: %v", email, err)
	}
	return tok
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := workshop.ErrorCode(err); got != code {
		t.Fatalf("%s: err=%v (%s), want %s", what, err, got, code)
	}
}

// wantField checks an EInvalid error that names a form field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code != workshop.EInvalid || de.Field != field {
		t.Fatalf("%s: err=%#v, want invalid %q", what, err, field)
	}
}

func wantSignedIn(t *testing.T, db *store.DB, token string, id int64) {
	t.Helper()
	if u, err := db.SessionUser(context.Background(), token); err != nil || u.ID != id {
		t.Fatalf("SessionUser = %+v, %v; want account %d", u, err, id)
	}
}

func wantSignedOut(t *testing.T, db *store.DB, token, why string) {
	t.Helper()
	if _, err := db.SessionUser(context.Background(), token); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("session %s: err=%v, want unauthorized", why, err)
	}
}

func TestInvite(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := clock(db)
	boss := mustUser(t, db, "boss@example.org", workshop.RoleOrganiser)
	fac := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)

	// Bad requests: an error of the right kind, and no invitation.
	if _, _, err := db.CreateInvite(ctx, fac, "new@example.org", workshop.RoleFacilitator); workshop.ErrorCode(err) != workshop.EForbidden {
		t.Fatalf("a facilitator invites: %v, want forbidden", err)
	}
	for _, tt := range []struct {
		email string
		role  workshop.Role
		field string
	}{
		{"not an address", workshop.RoleFacilitator, "email"},
		{"", workshop.RoleFacilitator, "email"},
		{"Fac@Example.org", workshop.RoleFacilitator, "email"}, // has an account
		{"new@example.org", "admin", "role"},
		{"new@example.org", "", "role"},
	} {
		_, _, err := db.CreateInvite(ctx, boss, tt.email, tt.role)
		wantField(t, "invite "+tt.email+" as "+string(tt.role), err, tt.field)
	}
	if got, err := db.ListInvites(ctx); err != nil || len(got) != 0 {
		t.Fatalf("after bad invitations ListInvites = %+v, %v", got, err)
	}

	first, _, err := db.CreateInvite(ctx, boss, "New@Example.org", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	token, l, err := db.CreateInvite(ctx, boss, " new@example.org ", workshop.RoleOrganiser)
	if err != nil {
		t.Fatal(err)
	}
	if want := (workshop.AccountLink{Email: "new@example.org", Role: workshop.RoleOrganiser, ExpiresAt: now.Add(7 * 24 * time.Hour)}); !l.ExpiresAt.Equal(want.ExpiresAt) || l.Email != want.Email || l.Role != want.Role {
		t.Fatalf("invite = %+v, want %+v", l, want)
	}
	if _, err := db.InviteByToken(ctx, first); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("a replaced invitation: %v, want not found", err)
	}
	if got, err := db.InviteByToken(ctx, token); err != nil || got.Email != "new@example.org" || got.Role != workshop.RoleOrganiser {
		t.Fatalf("InviteByToken = %+v, %v", got, err)
	}
	if got, err := db.ListInvites(ctx); err != nil || len(got) != 1 || got[0].Email != "new@example.org" {
		t.Fatalf("ListInvites = %+v, %v", got, err)
	}

	// Bad passwords and tokens leave the invitation usable.
	for _, pw := range []string{"", "short", strings.Repeat("x", 1025), string([]byte{0xff, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'})} {
		_, _, err := db.AcceptInvite(ctx, token, pw)
		wantField(t, "accept with a bad password", err, "password")
	}
	for _, bad := range []string{"", "nope", first, token + "x"} {
		_, _, err := db.AcceptInvite(ctx, bad, accountPassword)
		wantCode(t, "accept with token "+bad, err, workshop.ENotFound)
	}
	reset, _, err := db.CreateResetLink(ctx, fac.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = db.AcceptInvite(ctx, reset, accountPassword)
	wantCode(t, "a reset link used as an invitation", err, workshop.ENotFound)

	u, session, err := db.AcceptInvite(ctx, token, accountPassword)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "new@example.org" || u.Role != workshop.RoleOrganiser || u.ID == 0 {
		t.Fatalf("AcceptInvite = %+v", u)
	}
	wantSignedIn(t, db, session, u.ID)
	mustLogin(t, db, "new@example.org", accountPassword)
	_, _, err = db.AcceptInvite(ctx, token, accountPassword)
	wantCode(t, "an invitation used twice", err, workshop.ENotFound)
	_, err = db.InviteByToken(ctx, token)
	wantCode(t, "a used invitation", err, workshop.ENotFound)
	if got, _ := db.ListInvites(ctx); len(got) != 0 {
		t.Fatalf("a used invitation is still listed: %+v", got)
	}

	// An invitation works for seven days.
	late, _, err := db.CreateInvite(ctx, boss, "late@example.org", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	*now = now.Add(7*24*time.Hour - time.Second)
	if _, err := db.InviteByToken(ctx, late); err != nil {
		t.Fatalf("an invitation a second before it expires: %v", err)
	}
	*now = now.Add(time.Second)
	_, err = db.InviteByToken(ctx, late)
	wantCode(t, "an expired invitation", err, workshop.ENotFound)
	_, _, err = db.AcceptInvite(ctx, late, accountPassword)
	wantCode(t, "accepting an expired invitation", err, workshop.ENotFound)
	if got, _ := db.ListInvites(ctx); len(got) != 0 {
		t.Fatalf("an expired invitation is listed: %+v", got)
	}
	if _, err := db.UserByEmail(ctx, "late@example.org"); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("an expired invitation created an account: %v", err)
	}

	// The address got an account another way before the invitation was used.
	meanwhile, _, err := db.CreateInvite(ctx, boss, "cli@example.org", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, db, "cli@example.org", workshop.RoleFacilitator)
	_, _, err = db.AcceptInvite(ctx, meanwhile, accountPassword)
	wantCode(t, "an invitation for an address that has an account now", err, workshop.EConflict)
}

func TestResetLink(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := clock(db)
	mustUser(t, db, "boss@example.org", workshop.RoleOrganiser)
	fac := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	old1, old2 := mustLogin(t, db, fac.Email, accountPassword), mustLogin(t, db, fac.Email, accountPassword)

	_, _, err := db.CreateResetLink(ctx, 9999)
	wantCode(t, "a reset link for no account", err, workshop.ENotFound)
	first, _, err := db.CreateResetLink(ctx, fac.ID)
	if err != nil {
		t.Fatal(err)
	}
	token, l, err := db.CreateResetLink(ctx, fac.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Email != fac.Email || l.Role != workshop.RoleFacilitator || !l.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("CreateResetLink = %+v", l)
	}
	_, err = db.ResetByToken(ctx, first)
	wantCode(t, "a replaced reset link", err, workshop.ENotFound)
	if got, err := db.ResetByToken(ctx, token); err != nil || got.Email != fac.Email {
		t.Fatalf("ResetByToken = %+v, %v", got, err)
	}
	if got, _ := db.ListInvites(ctx); len(got) != 0 {
		t.Fatalf("a reset link is listed as an invitation: %+v", got)
	}

	_, _, err = db.CompleteReset(ctx, token, "short")
	wantField(t, "reset to a short password", err, "password")
	for _, bad := range []string{"", "nope", first} {
		_, _, err := db.CompleteReset(ctx, bad, newPassword)
		wantCode(t, "reset with token "+bad, err, workshop.ENotFound)
	}
	wantSignedIn(t, db, old1, fac.ID) // failures change nothing

	u, session, err := db.CompleteReset(ctx, token, newPassword)
	if err != nil || u.ID != fac.ID || u.Email != fac.Email {
		t.Fatalf("CompleteReset = %+v, %v", u, err)
	}
	wantSignedOut(t, db, old1, "from before the reset")
	wantSignedOut(t, db, old2, "from before the reset")
	wantSignedIn(t, db, session, fac.ID)
	if _, _, err := db.Login(ctx, fac.Email, accountPassword); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("the old password after a reset: %v", err)
	}
	mustLogin(t, db, fac.Email, newPassword)
	_, _, err = db.CompleteReset(ctx, token, "yet another password")
	wantCode(t, "a reset link used twice", err, workshop.ENotFound)

	// A reset link works for a day.
	late, _, err := db.CreateResetLink(ctx, fac.ID)
	if err != nil {
		t.Fatal(err)
	}
	*now = now.Add(24 * time.Hour)
	_, err = db.ResetByToken(ctx, late)
	wantCode(t, "an expired reset link", err, workshop.ENotFound)
	_, _, err = db.CompleteReset(ctx, late, "yet another password")
	wantCode(t, "using an expired reset link", err, workshop.ENotFound)
	mustLogin(t, db, fac.Email, newPassword)

	// Disabling drops the pending link; a disabled account gets none.
	pending, _, err := db.CreateResetLink(ctx, fac.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DisableUser(ctx, workshop.User{}, fac.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.ResetByToken(ctx, pending)
	wantCode(t, "the reset link of a disabled account", err, workshop.ENotFound)
	_, _, err = db.CompleteReset(ctx, pending, "yet another password")
	wantCode(t, "using the reset link of a disabled account", err, workshop.ENotFound)
	_, _, err = db.CreateResetLink(ctx, fac.ID)
	wantCode(t, "a reset link for a disabled account", err, workshop.EConflict)
	if err := db.EnableUser(ctx, fac.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.ResetByToken(ctx, pending)
	wantCode(t, "an old reset link after enabling", err, workshop.ENotFound)
}

func TestDisableUser(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	boss := mustUser(t, db, "boss@example.org", workshop.RoleOrganiser)
	fac := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	w, err := db.CreateWorkshop(ctx, fac, builtinDeck(t), "", true)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := mustLogin(t, db, fac.Email, accountPassword), mustLogin(t, db, fac.Email, accountPassword)
	bossSession := mustLogin(t, db, boss.Email, accountPassword)

	wantCode(t, "disabling oneself", db.DisableUser(ctx, boss, boss.ID), workshop.EConflict)
	wantCode(t, "disabling the last organiser", db.DisableUser(ctx, workshop.User{}, boss.ID), workshop.EConflict)
	wantCode(t, "disabling no account", db.DisableUser(ctx, boss, 9999), workshop.ENotFound)
	wantCode(t, "enabling no account", db.EnableUser(ctx, 9999), workshop.ENotFound)
	wantSignedIn(t, db, bossSession, boss.ID)

	if err := db.DisableUser(ctx, boss, fac.ID); err != nil {
		t.Fatal(err)
	}
	wantSignedOut(t, db, s1, "of a disabled account")
	wantSignedOut(t, db, s2, "of a disabled account")
	if _, _, err := db.Login(ctx, fac.Email, accountPassword); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("a disabled account signs in: %v", err)
	}
	if err := db.DisableUser(ctx, boss, fac.ID); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}
	accounts, err := db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[0].ID != boss.ID || accounts[0].Disabled() || accounts[0].Sessions != 1 ||
		accounts[1].ID != fac.ID || !accounts[1].Disabled() || accounts[1].Sessions != 0 || accounts[1].Role != workshop.RoleFacilitator {
		t.Fatalf("ListUsers = %+v", accounts)
	}
	if got, err := db.WorkshopByCode(ctx, w.Code); err != nil || got.OwnerID != fac.ID {
		t.Fatalf("the disabled account's workshop: %+v, %v", got, err)
	}

	if err := db.EnableUser(ctx, fac.ID); err != nil {
		t.Fatal(err)
	}
	wantSignedOut(t, db, s1, "ended by disabling, after enabling") // ended for good
	mustLogin(t, db, fac.Email, accountPassword)

	// With a second organiser, one organiser may disable the other, but not
	// the last one left.
	other := mustUser(t, db, "other@example.org", workshop.RoleOrganiser)
	if err := db.DisableUser(ctx, boss, other.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "disabling the last active organiser", db.DisableUser(ctx, other, boss.ID), workshop.EConflict)
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	here, there := mustLogin(t, db, u.Email, accountPassword), mustLogin(t, db, u.Email, accountPassword)

	for _, tt := range []struct {
		name, current, pw, field string
	}{
		{"short new password", accountPassword, "short", "password"},
		{"empty new password", accountPassword, "", "password"},
		{"wrong current password", "not my password", newPassword, "current"},
		{"empty current password", "", newPassword, "current"},
		{"the same password", accountPassword, accountPassword, "password"},
	} {
		_, err := db.ChangePassword(ctx, u.ID, tt.current, tt.pw)
		wantField(t, tt.name, err, tt.field)
	}
	wantSignedIn(t, db, here, u.ID) // failures change nothing
	wantSignedIn(t, db, there, u.ID)
	_, err := db.ChangePassword(ctx, 9999, accountPassword, newPassword)
	wantCode(t, "changing the password of no account", err, workshop.EUnauthorized)

	session, err := db.ChangePassword(ctx, u.ID, accountPassword, newPassword)
	if err != nil {
		t.Fatal(err)
	}
	wantSignedOut(t, db, here, "that changed the password")
	wantSignedOut(t, db, there, "elsewhere, after a password change")
	wantSignedIn(t, db, session, u.ID)
	if _, _, err := db.Login(ctx, u.Email, accountPassword); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("the old password after a change: %v", err)
	}
	mustLogin(t, db, u.Email, newPassword)

	if err := db.DisableUser(ctx, workshop.User{}, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.ChangePassword(ctx, u.ID, newPassword, "yet another password")
	wantCode(t, "a disabled account changes its password", err, workshop.EUnauthorized)
}

var firefoxLinux = workshop.SessionClient{Browser: "Firefox", System: "Linux"}

func TestSessionsListAndEnd(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := clock(db)
	u := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	other := mustUser(t, db, "other@example.org", workshop.RoleFacilitator)
	_, firefox, err := db.Login(store.WithClient(ctx, firefoxLinux), u.Email, accountPassword)
	if err != nil {
		t.Fatal(err)
	}
	*now = now.Add(time.Hour)
	_, unlabelled, err := db.Login(ctx, u.Email, accountPassword)
	if err != nil {
		t.Fatal(err)
	}
	foreign := mustLogin(t, db, other.Email, accountPassword)

	list, err := db.ListSessions(ctx, u.ID, firefox)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("ListSessions = %+v, want 2 sessions", list)
	}
	// The most recently used first.
	if list[0].Client != (workshop.SessionClient{}) || list[0].Current || list[1].Client != firefoxLinux || !list[1].Current ||
		!list[1].CreatedAt.Equal(now.Add(-time.Hour)) || !list[1].LastSeenAt.Equal(now.Add(-time.Hour)) ||
		!list[1].ExpiresAt.Equal(now.Add(-time.Hour).Add(store.SessionTTL)) {
		t.Fatalf("ListSessions = %+v", list)
	}
	for _, s := range list {
		if len(s.Handle) < 16 || s.Handle == firefox || s.Handle == unlabelled ||
			s.Handle == hex.EncodeToString(store.HashToken(firefox)) || s.Handle == hex.EncodeToString(store.HashToken(unlabelled)) {
			t.Fatalf("handle %q: want a random public ID, not the token or its hash", s.Handle)
		}
	}
	if list[0].Handle == list[1].Handle {
		t.Fatal("two sessions share a handle")
	}

	// A session without a label gets one once; a label is never replaced.
	safariIOS, chromeWindows := workshop.SessionClient{Browser: "Safari", System: "iOS"}, workshop.SessionClient{Browser: "Chrome", System: "Windows"}
	if err := db.LabelSession(ctx, unlabelled, safariIOS); err != nil {
		t.Fatal(err)
	}
	if err := db.LabelSession(ctx, unlabelled, chromeWindows); err != nil {
		t.Fatal(err)
	}
	if err := db.LabelSession(ctx, firefox, chromeWindows); err != nil {
		t.Fatal(err)
	}
	list, _ = db.ListSessions(ctx, u.ID, unlabelled)
	if list[0].Client != safariIOS || !list[0].Current || list[1].Client != firefoxLinux || list[1].Current {
		t.Fatalf("after labelling: %+v", list)
	}

	// Nobody ends someone else's session, or one that ended.
	foreignList, _ := db.ListSessions(ctx, other.ID, foreign)
	wantCode(t, "ending someone else's session", db.EndSession(ctx, u.ID, foreignList[0].Handle), workshop.ENotFound)
	wantSignedIn(t, db, foreign, other.ID)
	wantCode(t, "ending no session", db.EndSession(ctx, u.ID, "nope"), workshop.ENotFound)
	wantCode(t, "ending by an empty handle", db.EndSession(ctx, u.ID, ""), workshop.ENotFound)

	if err := db.EndSession(ctx, u.ID, list[1].Handle); err != nil {
		t.Fatal(err)
	}
	wantSignedOut(t, db, firefox, "ended from the list")
	wantSignedIn(t, db, unlabelled, u.ID)
	wantCode(t, "ending a session twice", db.EndSession(ctx, u.ID, list[1].Handle), workshop.ENotFound)

	// Expired sessions are not listed.
	*now = now.Add(store.SessionTTL)
	if list, err := db.ListSessions(ctx, u.ID, unlabelled); err != nil || len(list) != 0 {
		t.Fatalf("after expiry ListSessions = %+v, %v", list, err)
	}
}

// SessionUser notes a session's last use, at most once a minute.
func TestSessionLastSeen(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := clock(db)
	start := *now
	u := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	tok := mustLogin(t, db, u.Email, accountPassword)
	lastSeen := func() time.Time {
		t.Helper()
		list, err := db.ListSessions(ctx, u.ID, tok)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListSessions = %+v, %v", list, err)
		}
		return list[0].LastSeenAt
	}
	for _, step := range []struct {
		after time.Duration // since the start
		want  time.Duration
	}{
		{30 * time.Second, 0},
		{59 * time.Second, 0},
		{time.Minute, time.Minute},
		{90 * time.Second, time.Minute},
		{3 * time.Minute, 3 * time.Minute},
	} {
		*now = start.Add(step.after)
		wantSignedIn(t, db, tok, u.ID)
		if got := lastSeen(); !got.Equal(start.Add(step.want)) {
			t.Fatalf("used at +%v: last seen %v, want +%v", step.after, got.Sub(start), step.want)
		}
	}
}

// Sessions from before the migration get a handle and a last use, so they
// can be listed and ended.
func TestAccountsMigrationKeepsSessions(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(db.Migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY) STRICT`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name >= "migrations/0004" {
			break
		}
		body, _ := fs.ReadFile(db.Migrations, name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw.Exec(`INSERT INTO schema_migrations VALUES ($1)`, name)
	}
	const at = "2026-01-01T00:00:00.000000000Z"
	for _, q := range []string{
		`INSERT INTO users VALUES (1, 'a@example.org', 'x', 'organiser', NULL, '` + at + `')`,
		`INSERT INTO sessions VALUES (x'01', 1, '` + at + `', '2999-01-01T00:00:00.000000000Z')`,
		`INSERT INTO sessions VALUES (x'02', 1, '` + at + `', '2999-01-01T00:00:00.000000000Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.ListSessions(context.Background(), 1, "")
	if err != nil || len(list) != 2 {
		t.Fatalf("ListSessions = %+v, %v", list, err)
	}
	if list[0].Handle == "" || list[0].Handle == list[1].Handle || !list[0].LastSeenAt.Equal(list[0].CreatedAt) {
		t.Fatalf("migrated sessions %+v", list)
	}
	if err := st.EndSession(context.Background(), 1, list[0].Handle); err != nil {
		t.Fatal(err)
	}
}

// A client's names are stored as valid UTF-8 of at most 60 characters each.
func TestSessionClientBound(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	u := mustUser(t, db, "fac@example.org", workshop.RoleFacilitator)
	long := strings.Repeat("ż", 70)
	_, tok, err := db.Login(store.WithClient(ctx, workshop.SessionClient{Browser: long, System: "Li\xffnux"}), u.Email, accountPassword)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListSessions(ctx, u.ID, tok)
	if want := (workshop.SessionClient{Browser: strings.Repeat("ż", 60)}); err != nil || len(list) != 1 || list[0].Client != want {
		t.Fatalf("ListSessions = %+v, %v; want one session with client %+v", list, err, want)
	}
}
