package http_test

// Tests of accounts: invitations, reset links, disabling, the account page
// with its password form and sessions, and who may do what.

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/workshop"
)

const (
	firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safariIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

// linkPattern finds a one-time link in a page.
var linkPattern = regexp.MustCompile(`/(invite|reset)/[A-Za-z0-9_-]{43}`)

// oneTimeLink returns the path of the one-time link a page shows, checking
// that it is a full URL of the server.
func (ts *testServer) oneTimeLink(t *testing.T, r *response, kind string) string {
	t.Helper()
	path := linkPattern.FindString(r.body)
	if path == "" || !strings.HasPrefix(path, "/"+kind+"/") {
		t.Fatalf("%s: no %s link in the page; body: %.2000s", r.req, kind, r.body)
	}
	r.wantContains(t, `value="`+ts.url+path+`"`)
	return path
}

// acctLacks fails when the body holds any of the strings.
func acctLacks(t *testing.T, r *response, substrings ...string) {
	t.Helper()
	for _, s := range substrings {
		if strings.Contains(r.body, s) {
			t.Fatalf("%s: body holds %q; body: %.2000s", r.req, s, r.body)
		}
	}
}

// acctClock lets a test move the database's clock while the server runs.
func acctClock(ts *testServer) *atomic.Int64 {
	var offset atomic.Int64
	ts.db.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	return &offset
}

// sessionHandles returns the public handles of a user's active sessions.
func (ts *testServer) sessionHandles(t *testing.T, u workshop.User) []string {
	t.Helper()
	list, err := ts.db.ListSessions(context.Background(), u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range list {
		out = append(out, s.Handle)
	}
	return out
}

func passwordForm(pw, confirm string) url.Values {
	return url.Values{"password": {pw}, "confirm": {confirm}}
}

// Every route of accounts, for each kind of visitor: role x route x owner.
func TestAccountRoutesAccess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := context.Background()
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	fac := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	target := ts.user(t, "target@example.org", workshop.RoleFacilitator)
	anon, facC, orgC := ts.client(), ts.login(t, fac.Email), ts.login(t, org.Email)
	ts.login(t, org.Email) // a second session each, to end
	ts.login(t, fac.Email)
	invite, _, err := ts.db.CreateInvite(ctx, org, "invited@example.org", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	linked := ts.user(t, "linked@example.org", workshop.RoleFacilitator)
	reset, _, err := ts.db.CreateResetLink(ctx, linked.ID)
	if err != nil {
		t.Fatal(err)
	}
	facHandles, orgHandles := ts.sessionHandles(t, fac), ts.sessionHandles(t, org)

	tid := fmt.Sprint(target.ID)
	login := func(next string) string { return "/login?next=" + url.QueryEscape(next) }
	type row struct {
		who      string
		c        *client
		method   string
		path     string
		form     url.Values
		status   int
		location string
	}
	rows := []row{
		// The own account: everyone signed in.
		{"anonymous", anon, "GET", "/account", nil, 303, login("/account")},
		{"facilitator", facC, "GET", "/account", nil, 200, ""},
		{"organiser", orgC, "GET", "/account", nil, 200, ""},
		{"anonymous", anon, "POST", "/account/password", passwordForm("short", "short"), 303, login("/account")},
		{"facilitator", facC, "POST", "/account/password", passwordForm("short", "short"), 422, ""},
		{"organiser", orgC, "POST", "/account/password", passwordForm("short", "short"), 422, ""},
		// Sessions: one's own only.
		{"anonymous, a facilitator's session", anon, "POST", "/account/sessions/" + facHandles[0] + "/end", nil, 303, login("/account")},
		{"facilitator, an organiser's session", facC, "POST", "/account/sessions/" + orgHandles[0] + "/end", nil, 404, ""},
		{"organiser, a facilitator's session", orgC, "POST", "/account/sessions/" + facHandles[0] + "/end", nil, 404, ""},
		{"facilitator, no session", facC, "POST", "/account/sessions/nope/end", nil, 404, ""},
		// People: organisers only.
		{"anonymous", anon, "GET", "/admin/users", nil, 303, login("/admin/users")},
		{"facilitator", facC, "GET", "/admin/users", nil, 403, ""},
		{"organiser", orgC, "GET", "/admin/users", nil, 200, ""},
		{"anonymous", anon, "POST", "/admin/invites", url.Values{"email": {"x@example.org"}, "role": {"facilitator"}}, 303, login("/admin/users")},
		{"facilitator", facC, "POST", "/admin/invites", url.Values{"email": {"x@example.org"}, "role": {"organiser"}}, 403, ""},
		{"organiser", orgC, "POST", "/admin/invites", url.Values{"email": {"x@example.org"}, "role": {"facilitator"}}, 200, ""},
		{"anonymous", anon, "POST", "/admin/users/" + tid + "/disable", nil, 303, login("/admin/users")},
		{"facilitator", facC, "POST", "/admin/users/" + tid + "/disable", nil, 403, ""},
		{"organiser", orgC, "POST", "/admin/users/" + tid + "/disable", nil, 303, "/admin/users?done=disabled"},
		{"anonymous", anon, "POST", "/admin/users/" + tid + "/enable", nil, 303, login("/admin/users")},
		{"facilitator", facC, "POST", "/admin/users/" + tid + "/enable", nil, 403, ""},
		{"organiser", orgC, "POST", "/admin/users/" + tid + "/enable", nil, 303, "/admin/users?done=enabled"},
		{"anonymous", anon, "POST", "/admin/users/" + tid + "/reset", nil, 303, login("/admin/users")},
		{"facilitator", facC, "POST", "/admin/users/" + tid + "/reset", nil, 403, ""},
		{"facilitator, own account", facC, "POST", "/admin/users/" + fmt.Sprint(fac.ID) + "/reset", nil, 403, ""},
		{"organiser", orgC, "POST", "/admin/users/" + tid + "/reset", nil, 200, ""},
		{"organiser, no account", orgC, "POST", "/admin/users/99999/reset", nil, 404, ""},
		{"organiser, no account", orgC, "POST", "/admin/users/99999/disable", nil, 404, ""},
		{"organiser, no account", orgC, "POST", "/admin/users/x/enable", nil, 404, ""},
		{"organiser, own account", orgC, "POST", "/admin/users/" + fmt.Sprint(org.ID) + "/disable", nil, 409, ""},
		// One-time links: whoever holds the link. A bad form consumes nothing.
		{"anonymous", anon, "GET", "/invite/" + invite, nil, 200, ""},
		{"facilitator", facC, "GET", "/invite/" + invite, nil, 200, ""},
		{"organiser", orgC, "GET", "/invite/" + invite, nil, 200, ""},
		{"anonymous", anon, "POST", "/invite/" + invite, passwordForm(testPassword, "something else"), 422, ""},
		{"facilitator", facC, "POST", "/invite/" + invite, passwordForm("short", "short"), 422, ""},
		{"organiser", orgC, "POST", "/invite/" + invite, passwordForm("short", "short"), 422, ""},
		{"anonymous", anon, "GET", "/reset/" + reset, nil, 200, ""},
		{"facilitator", facC, "GET", "/reset/" + reset, nil, 200, ""},
		{"organiser", orgC, "GET", "/reset/" + reset, nil, 200, ""},
		{"anonymous", anon, "POST", "/reset/" + reset, passwordForm(testPassword, "something else"), 422, ""},
		{"facilitator", facC, "POST", "/reset/" + reset, passwordForm("short", "short"), 422, ""},
		{"organiser", orgC, "POST", "/reset/" + reset, passwordForm("short", "short"), 422, ""},
		{"anonymous, a made-up link", anon, "GET", "/invite/nope", nil, 404, ""},
		{"anonymous, a made-up link", anon, "POST", "/reset/nope", passwordForm(testPassword, testPassword), 404, ""},
		{"anonymous, a reset link as an invitation", anon, "GET", "/invite/" + reset, nil, 404, ""},
		{"anonymous, an invitation as a reset link", anon, "GET", "/reset/" + invite, nil, 404, ""},
		// GET never changes anything.
		{"organiser, GET of a POST route", orgC, "GET", "/admin/users/" + tid + "/disable", nil, 404, ""},
		{"facilitator, GET of a POST route", facC, "GET", "/account/sessions/" + facHandles[0] + "/end", nil, 404, ""},
		// Own sessions can be ended (the other one, not the client's).
		{"facilitator, own session", facC, "POST", "/account/sessions/" + facHandles[0] + "/end", nil, 0, ""},
	}
	for _, tt := range rows {
		t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
			var r *response
			if tt.method == "GET" {
				r = tt.c.get(t, tt.path)
			} else {
				r = tt.c.postForm(t, tt.path, tt.form)
			}
			if tt.status == 0 { // own session: 303 to /account, or to /login when it was this one
				r.want(t, http.StatusSeeOther)
				return
			}
			r.want(t, tt.status)
			if tt.location != "" {
				r.wantRedirect(t, tt.location)
			}
			if tt.status >= 400 || tt.status == 200 {
				r.wantContentType(t, "text/html")
			}
		})
	}
	// Nothing the refused requests asked for happened.
	if _, err := ts.db.InviteByToken(ctx, invite); err != nil {
		t.Fatalf("the invitation after bad forms: %v", err)
	}
	if _, err := ts.db.ResetByToken(ctx, reset); err != nil {
		t.Fatalf("the reset link after bad forms: %v", err)
	}
	if _, err := ts.db.UserByEmail(ctx, target.Email); err != nil {
		t.Fatalf("the target account after disable and enable: %v", err)
	}
	if got := ts.sessionHandles(t, org); len(got) != 2 {
		t.Fatalf("the organiser has %d sessions, want 2 (nobody ended one)", len(got))
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestInviteFlow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	offset := acctClock(ts)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	ts.user(t, "taken@example.org", workshop.RoleFacilitator)
	orgC := ts.login(t, org.Email)

	orgC.get(t, "/admin/users").want(t, http.StatusOK).
		wantContains(t, "org@example.org", "taken@example.org", `action="/admin/invites"`)

	// Bad input: 422, the typed values kept, a message by the field.
	for _, tt := range []struct {
		name, email, role, message string
	}{
		{"not an address", "not an address", "facilitator", "Enter an email address"},
		{"empty address", "", "organiser", "Enter an email address"},
		{"an address with an account", "Taken@Example.org", "organiser", "exists already"},
		{"an unknown role", "new@example.org", "admin", "Choose facilitator or organiser"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := orgC.postForm(t, "/admin/invites", url.Values{"email": {tt.email}, "role": {tt.role}}).
				want(t, http.StatusUnprocessableEntity).wantContains(t, tt.message, `value="`+tt.email+`"`, `aria-invalid="true"`)
			if tt.role == "organiser" {
				r.wantContains(t, `<option value="organiser" selected>`)
			}
			acctLacks(t, r, "/invite/")
		})
	}

	r := orgC.postForm(t, "/admin/invites", url.Values{"email": {"New@Example.org"}, "role": {"facilitator"}}).want(t, http.StatusOK).
		wantContains(t, "Invitation link for", "new@example.org")
	link := ts.oneTimeLink(t, r, "invite")
	orgC.get(t, "/admin/users").want(t, http.StatusOK).wantContains(t, "Open invitations", "new@example.org")
	acctLacks(t, orgC.get(t, "/admin/users"), link) // shown once only

	// The page of the link works repeatedly; it changes nothing.
	invitee := ts.client()
	for range 2 {
		invitee.get(t, link).want(t, http.StatusOK).wantContains(t, "Create your account", "new@example.org", "Facilitator")
	}
	for _, tt := range []struct {
		name, pw, confirm, message string
	}{
		{"short password", "short", "short", "at least 10 characters"},
		{"empty password", "", "", "at least 10 characters"},
		{"passwords differ", testPassword, testPassword + "!", "The two passwords differ"},
	} {
		r := invitee.postForm(t, link, passwordForm(tt.pw, tt.confirm)).want(t, http.StatusUnprocessableEntity).wantContains(t, tt.message, "new@example.org")
		if tt.pw != "" {
			acctLacks(t, r, `value="`+tt.pw+`"`)
		}
	}
	invitee.postForm(t, "/invite/"+strings.Repeat("A", 43), passwordForm(testPassword, testPassword)).want(t, http.StatusNotFound)

	r = invitee.postForm(t, link, passwordForm(testPassword, testPassword), "User-Agent", firefoxLinux).wantRedirect(t, "/dashboard")
	invitee.get(t, "/dashboard").want(t, http.StatusOK)
	invitee.get(t, "/account").want(t, http.StatusOK).wantContains(t, "new@example.org", "Facilitator", "Firefox on Linux")
	ts.login(t, "new@example.org")

	// Used: a clear 404 page, whatever is sent.
	for _, c := range []*client{invitee, ts.client()} {
		c.get(t, link).want(t, http.StatusNotFound).wantContentType(t, "text/html").wantContains(t, "not valid", "Ask an organiser")
		c.postForm(t, link, passwordForm(testPassword, testPassword)).want(t, http.StatusNotFound).wantContains(t, "not valid")
	}
	orgC.postForm(t, "/admin/invites", url.Values{"email": {"new@example.org"}, "role": {"facilitator"}}).
		want(t, http.StatusUnprocessableEntity).wantContains(t, "exists already")

	// A browser signed in as someone else changes accounts: its old session ends.
	switcher := ts.login(t, org.Email)
	before := len(ts.sessionHandles(t, org))
	sw := ts.oneTimeLink(t, orgC.postForm(t, "/admin/invites", url.Values{"email": {"switch@example.org"}, "role": {"facilitator"}}).want(t, http.StatusOK), "invite")
	switcher.postForm(t, sw, passwordForm(testPassword, testPassword)).wantRedirect(t, "/dashboard")
	switcher.get(t, "/account").want(t, http.StatusOK).wantContains(t, "switch@example.org")
	if got := len(ts.sessionHandles(t, org)); got != before-1 {
		t.Fatalf("the organiser has %d sessions after a browser changed accounts, want %d", got, before-1)
	}

	// A newer invitation replaces the older; links expire after 7 days.
	older := ts.oneTimeLink(t, orgC.postForm(t, "/admin/invites", url.Values{"email": {"late@example.org"}, "role": {"organiser"}}).want(t, http.StatusOK), "invite")
	late := ts.oneTimeLink(t, orgC.postForm(t, "/admin/invites", url.Values{"email": {"late@example.org"}, "role": {"organiser"}}).want(t, http.StatusOK), "invite")
	ts.client().get(t, older).want(t, http.StatusNotFound)
	ts.client().get(t, late).want(t, http.StatusOK).wantContains(t, "Organiser")
	offset.Store(int64(7*24*time.Hour + time.Minute))
	ts.client().get(t, late).want(t, http.StatusNotFound).wantContains(t, "expired")
	ts.client().postForm(t, late, passwordForm(testPassword, testPassword)).want(t, http.StatusNotFound)
	if _, err := ts.db.UserByEmail(context.Background(), "late@example.org"); workshop.ErrorCode(err) != workshop.ENotFound {
		t.Fatalf("an expired invitation made an account: %v", err)
	}
}

func TestResetFlow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	offset := acctClock(ts)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	fac := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	orgC, old1, old2 := ts.login(t, org.Email), ts.login(t, fac.Email), ts.login(t, fac.Email)
	resetPath := fmt.Sprintf("/admin/users/%d/reset", fac.ID)

	r := orgC.postForm(t, resetPath, nil).want(t, http.StatusOK).wantContains(t, "Password reset link for", fac.Email)
	link := ts.oneTimeLink(t, r, "reset")
	person := ts.client()
	person.get(t, link).want(t, http.StatusOK).wantContains(t, "Choose a new password", fac.Email)
	for _, tt := range []struct{ pw, confirm, message string }{
		{"short", "short", "at least 10 characters"},
		{"a new long password", "a new long passwort", "The two passwords differ"},
	} {
		person.postForm(t, link, passwordForm(tt.pw, tt.confirm)).want(t, http.StatusUnprocessableEntity).wantContains(t, tt.message)
	}
	old1.get(t, "/dashboard").want(t, http.StatusOK) // failures end nothing

	const newPW = "a new long password"
	person.postForm(t, link, passwordForm(newPW, newPW)).wantRedirect(t, "/dashboard")
	person.get(t, "/dashboard").want(t, http.StatusOK)
	for _, c := range []*client{old1, old2} {
		c.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
	}
	person.get(t, link).want(t, http.StatusNotFound).wantContains(t, "not valid")
	person.postForm(t, link, passwordForm("yet another password", "yet another password")).want(t, http.StatusNotFound)
	ts.client().postForm(t, "/login", url.Values{"email": {fac.Email}, "password": {testPassword}}).want(t, http.StatusUnauthorized)
	ts.client().postForm(t, "/login", url.Values{"email": {fac.Email}, "password": {newPW}}).wantRedirect(t, "/dashboard")

	// Reset links expire after a day.
	late := ts.oneTimeLink(t, orgC.postForm(t, resetPath, nil).want(t, http.StatusOK), "reset")
	offset.Store(int64(24*time.Hour + time.Minute))
	ts.client().get(t, late).want(t, http.StatusNotFound).wantContains(t, "expired")
	ts.client().postForm(t, late, passwordForm("yet another password", "yet another password")).want(t, http.StatusNotFound)

	// A disabled account gets no reset link, and its pending one dies.
	pending := ts.oneTimeLink(t, orgC.postForm(t, resetPath, nil).want(t, http.StatusOK), "reset")
	orgC.postForm(t, fmt.Sprintf("/admin/users/%d/disable", fac.ID), nil).wantRedirect(t, "/admin/users?done=disabled")
	ts.client().get(t, pending).want(t, http.StatusNotFound)
	orgC.postForm(t, resetPath, nil).want(t, http.StatusConflict).wantContains(t, "is disabled", "enable it")
}

// Disabling ends the account's sessions at once: pages send it to sign in,
// the API answers 401, live checks fail.
func TestDisableUser(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	fac := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, fac, true)
	orgC, facC := ts.login(t, org.Email), ts.login(t, fac.Email)
	facC.get(t, "/dashboard").want(t, http.StatusOK).wantContains(t, w.Code)
	facC.get(t, apiPath(w.Code, "/results")).want(t, http.StatusOK)
	// Organisers see and open every workshop.
	orgC.get(t, "/dashboard").want(t, http.StatusOK).wantContains(t, "/workshops/"+w.Code)
	orgC.get(t, "/workshops/"+w.Code).want(t, http.StatusOK)

	disable := fmt.Sprintf("/admin/users/%d/disable", fac.ID)
	// From another site: refused, nothing changes.
	orgC.postForm(t, disable, nil, "Sec-Fetch-Site", "cross-site").want(t, http.StatusForbidden)
	facC.get(t, "/dashboard").want(t, http.StatusOK)

	orgC.postForm(t, disable, nil).wantRedirect(t, "/admin/users?done=disabled")
	orgC.get(t, "/admin/users?done=disabled").want(t, http.StatusOK).wantContains(t, "Disabled", "its sessions ended",
		fmt.Sprintf(`action="/admin/users/%d/enable"`, fac.ID))
	facC.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
	facC.get(t, "/account").wantRedirect(t, "/login?next=%2Faccount")
	facC.get(t, apiPath(w.Code, "/results")).wantAPIError(t, http.StatusUnauthorized, "")
	ts.client().postForm(t, "/login", url.Values{"email": {fac.Email}, "password": {testPassword}}).want(t, http.StatusUnauthorized)
	if got := ts.sessionHandles(t, fac); len(got) != 0 {
		t.Fatalf("a disabled account keeps %d sessions", len(got))
	}
	orgC.get(t, "/workshops/"+w.Code).want(t, http.StatusOK) // the workshop stays

	// Nobody disables themselves, or the last organiser.
	orgC.postForm(t, fmt.Sprintf("/admin/users/%d/disable", org.ID), nil).want(t, http.StatusConflict).
		wantContains(t, "your own account", "People")
	orgC.get(t, "/dashboard").want(t, http.StatusOK)

	orgC.postForm(t, fmt.Sprintf("/admin/users/%d/enable", fac.ID), nil).wantRedirect(t, "/admin/users?done=enabled")
	facC.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard") // ended for good
	ts.login(t, fac.Email).get(t, apiPath(w.Code, "/results")).want(t, http.StatusOK)
}

func TestChangePasswordForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	here, there := ts.login(t, u.Email), ts.login(t, u.Email)
	const newPW = "a brand new password"
	form := func(current, pw, confirm string) url.Values {
		return url.Values{"current": {current}, "password": {pw}, "confirm": {confirm}}
	}
	here.get(t, "/account").want(t, http.StatusOK).wantContains(t, `action="/account/password"`, `autocomplete="current-password"`)
	for _, tt := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"short new password", form(testPassword, "short", "short"), "at least 10 characters"},
		{"passwords differ", form(testPassword, newPW, newPW+"x"), "The two passwords differ"},
		{"wrong current password", form("not my password", newPW, newPW), "current password is wrong"},
		{"empty current password", form("", newPW, newPW), "current password is wrong"},
		{"the same password", form(testPassword, testPassword, testPassword), "different from the current one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := here.postForm(t, "/account/password", tt.form).want(t, http.StatusUnprocessableEntity).
				wantContains(t, tt.msg, `aria-invalid="true"`, "Where you are signed in")
			acctLacks(t, r, `value="`+newPW+`"`, `value="`+testPassword+`"`, `value="not my password"`)
		})
	}
	there.get(t, "/dashboard").want(t, http.StatusOK) // failures end nothing

	before := ts.sessionHandles(t, u)
	here.postForm(t, "/account/password", form(testPassword, newPW, newPW)).wantRedirect(t, "/account?done=password")
	here.get(t, "/account?done=password").want(t, http.StatusOK).wantContains(t, "Your password was changed")
	there.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
	after := ts.sessionHandles(t, u)
	if len(after) != 1 || after[0] == before[0] || after[0] == before[1] {
		t.Fatalf("sessions %v after the change, %v before: want one new session", after, before)
	}
	ts.client().postForm(t, "/login", url.Values{"email": {u.Email}, "password": {testPassword}}).want(t, http.StatusUnauthorized)
	ts.client().postForm(t, "/login", url.Values{"email": {u.Email}, "password": {newPW}}).wantRedirect(t, "/dashboard")

	// Wrong current passwords count as failed sign-ins.
	for i := 0; ; i++ {
		r := here.postForm(t, "/account/password", form("wrong password", "another new password", "another new password"))
		if r.status == http.StatusTooManyRequests {
			r.wantRetryAfter(t)
			break
		}
		r.want(t, http.StatusUnprocessableEntity)
		if i > 20 {
			t.Fatal("guessing the current password is not limited")
		}
	}
}

func TestEndSessionFromList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	laptop, phone := ts.client(), ts.client()
	for _, c := range []struct {
		c  *client
		ua string
	}{{laptop, firefoxLinux}, {phone, safariIPhone}} {
		c.c.postForm(t, "/login", url.Values{"email": {u.Email}, "password": {testPassword}}, "User-Agent", c.ua).wantRedirect(t, "/dashboard")
		// The sign-in form does not know the browser; the account page labels it.
		c.c.get(t, "/account", "User-Agent", c.ua).want(t, http.StatusOK)
	}
	r := laptop.get(t, "/account", "User-Agent", firefoxLinux).want(t, http.StatusOK).
		wantContains(t, "Firefox on Linux", "(this browser)", "Safari on iOS")
	list, err := ts.db.ListSessions(context.Background(), u.ID, "")
	if err != nil || len(list) != 2 {
		t.Fatalf("ListSessions = %+v, %v", list, err)
	}
	var phoneHandle string
	for _, s := range list {
		if s.Client == (workshop.SessionClient{Browser: "Safari", System: "iOS"}) {
			phoneHandle = s.Handle
		}
		r.wantContains(t, `action="/account/sessions/`+s.Handle+`/end"`)
	}
	for _, ck := range laptop.hc.Jar.Cookies(mustURL(t, ts.url)) {
		acctLacks(t, r, ck.Value) // the page never shows a cookie
	}

	laptop.postForm(t, "/account/sessions/"+phoneHandle+"/end", nil).wantRedirect(t, "/account?done=ended")
	phone.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
	phone.get(t, "/account").wantRedirect(t, "/login?next=%2Faccount")
	phone.postForm(t, "/account/sessions/"+phoneHandle+"/end", nil).wantRedirect(t, "/login?next=%2Faccount")
	r = laptop.get(t, "/account?done=ended").want(t, http.StatusOK).wantContains(t, "The session ended")
	acctLacks(t, r, "Safari on iOS")
	laptop.postForm(t, "/account/sessions/"+phoneHandle+"/end", nil).want(t, http.StatusNotFound).wantContains(t, "ended already")

	// Ending one's own session signs out.
	own := ts.sessionHandles(t, u)
	laptop.postForm(t, "/account/sessions/"+own[0]+"/end", nil).wantRedirect(t, "/login")
	laptop.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
}

// The list of sessions names each browser and system in the reader's
// language; the names themselves stay as they are.
func TestClientLabelInSessionList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for i, tt := range []struct{ ua, en, pl string }{
		{firefoxLinux, "Firefox on Linux", "Firefox w systemie Linux"},
		{safariIPhone, "Safari on iOS", "Safari w systemie iOS"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge on Windows", "Edge w systemie Windows"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android", "Chrome w systemie Android"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS", "Safari w systemie macOS"},
		{"Mozilla/5.0 (X11; Linux x86_64)", "A browser on Linux", "Przeglądarka w systemie Linux"},
		{"curl/8.5.0", "<td>curl", "<td>curl"},
		{"<script>alert(1)</script> 10.1.2.3", "Unknown browser", "Nieznana przeglądarka"},
	} {
		u := ts.user(t, fmt.Sprintf("u%d@example.org", i), workshop.RoleFacilitator)
		c := ts.client()
		c.postForm(t, "/login", url.Values{"email": {u.Email}, "password": {testPassword}}, "User-Agent", tt.ua).wantRedirect(t, "/dashboard")
		r := c.get(t, "/account", "User-Agent", tt.ua, "Accept-Language", "en").want(t, http.StatusOK).wantContains(t, tt.en)
		acctLacks(t, r, "10.1.2.3", "<script>alert")
		c.get(t, "/account", "User-Agent", tt.ua, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, tt.pl)
	}
}

// syncBuffer is a log destination the server writes to while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLoggedTestServer is newTestServer with the server's log in a buffer.
func newLoggedTestServer(t *testing.T, logs *syncBuffer) *testServer {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return newTestServerWith(t, fhttp.Config{Logger: logger}, false)
}

// No password reaches the log, in any flow that takes one.
func TestAccountPasswordsNotLogged(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	ts := newLoggedTestServer(t, &logs)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	secrets := []string{"wrong-Password-1", "invite-Password-2", "change-Password-3", "reset-Password-4", "short-5", "mismatch-Password-6"}

	ts.client().postForm(t, "/login", url.Values{"email": {org.Email}, "password": {secrets[0]}}).want(t, http.StatusUnauthorized)
	orgC := ts.login(t, org.Email)
	link := ts.oneTimeLink(t, orgC.postForm(t, "/admin/invites", url.Values{"email": {"new@example.org"}, "role": {"facilitator"}}).want(t, http.StatusOK), "invite")
	invitee := ts.client()
	invitee.postForm(t, link, passwordForm(secrets[4], secrets[4])).want(t, http.StatusUnprocessableEntity)
	invitee.postForm(t, link, passwordForm(secrets[1], secrets[5])).want(t, http.StatusUnprocessableEntity)
	invitee.postForm(t, link, passwordForm(secrets[1], secrets[1])).wantRedirect(t, "/dashboard")
	invitee.postForm(t, "/account/password", url.Values{"current": {secrets[0]}, "password": {secrets[2]}, "confirm": {secrets[2]}}).want(t, http.StatusUnprocessableEntity)
	invitee.postForm(t, "/account/password", url.Values{"current": {secrets[1]}, "password": {secrets[2]}, "confirm": {secrets[2]}}).wantRedirect(t, "/account?done=password")
	u, err := ts.db.UserByEmail(context.Background(), "new@example.org")
	if err != nil {
		t.Fatal(err)
	}
	reset := ts.oneTimeLink(t, orgC.postForm(t, fmt.Sprintf("/admin/users/%d/reset", u.ID), nil).want(t, http.StatusOK), "reset")
	ts.client().postForm(t, reset, passwordForm(secrets[3], secrets[3])).wantRedirect(t, "/dashboard")
	ts.client().postForm(t, "/login", url.Values{"email": {u.Email}, "password": {secrets[3]}}).wantRedirect(t, "/dashboard")

	out := logs.String()
	if !strings.Contains(out, "/admin/invites") {
		t.Fatalf("the log lacks the request lines: %q", out)
	}
	for _, pw := range append(secrets, testPassword) {
		if strings.Contains(out, pw) {
			t.Fatalf("the log holds the password %q:\n%s", pw, out)
		}
	}
}
