package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"foresight/internal/i18n"
	"foresight/internal/store"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// signedIn returns the signed-in account. Otherwise it has answered: an
// anonymous visitor goes to sign in and then back to page (the page with the
// form, for a POST), any other failure gets an error page.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, page string) (workshop.User, bool) {
	u, err := s.facilitator(r)
	if workshop.ErrorCode(err) == workshop.EUnauthorized {
		if r.Method == http.MethodGet {
			requireSignIn(w, r, err)
		} else {
			redirect(w, r, "/login?next="+url.QueryEscape(page))
		}
		return u, false
	}
	if err != nil {
		s.error(w, r, err)
		return u, false
	}
	return u, true
}

// organiser is signedIn for the pages of organisers only: 403 for others.
func (s *Server) organiser(w http.ResponseWriter, r *http.Request) (workshop.User, bool) {
	u, ok := s.signedIn(w, r, "/admin/users")
	if ok && u.Role != workshop.RoleOrganiser {
		s.error(w, r, workshop.Errorf(workshop.EForbidden, "error.only_organisers_manage_people"))
		return u, false
	}
	return u, ok
}

// withClient labels the session a request may start with the browser and
// system it came from.
func withClient(r *http.Request) context.Context {
	return store.WithClient(r.Context(), clientOf(r.UserAgent()))
}

// clientOf names the browser and operating system of a User-Agent, from a
// fixed list, so that a person can recognise their sessions. It keeps
// nothing else of the header (no versions, no devices): "" when unknown.
func clientOf(ua string) workshop.SessionClient {
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(ua, sub) {
				return true
			}
		}
		return false
	}
	var browser, system string
	switch {
	case has("Edg/", "EdgA/", "EdgiOS/"):
		browser = "Edge"
	case has("OPR/", "Opera"):
		browser = "Opera"
	case has("SamsungBrowser/"):
		browser = "Samsung Internet"
	case has("Firefox/", "FxiOS/"):
		browser = "Firefox"
	case has("Chromium/"):
		browser = "Chromium"
	case has("Chrome/", "CriOS/"):
		browser = "Chrome"
	case has("Safari/"):
		browser = "Safari"
	case strings.HasPrefix(ua, "curl/"):
		browser = "curl"
	}
	switch {
	case has("Windows"):
		system = "Windows"
	case has("Android"):
		system = "Android"
	case has("iPad"):
		system = "iPadOS"
	case has("iPhone", "iPod"):
		system = "iOS"
	case has("CrOS"):
		system = "ChromeOS"
	case has("Macintosh", "Mac OS X"):
		system = "macOS"
	case has("Linux"):
		system = "Linux"
	}
	return workshop.SessionClient{Browser: browser, System: system}
}

// handleAccount handles "GET /account[?done=password|ended]": the password
// form and the account's active sessions.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r, "/account")
	if !ok {
		return
	}
	var flash string
	switch r.URL.Query().Get("done") {
	case "password":
		flash = i18n.T(r.Context(), "accounts.password_changed_every_other")
	case "ended":
		flash = i18n.T(r.Context(), "accounts.session_ended_browser_must")
	}
	s.renderAccount(w, r, u, http.StatusOK, views.AccountView{Flash: flash})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, u workshop.User, status int, v views.AccountView) {
	tok := s.sessionToken(r)
	list, err := s.store.ListSessions(r.Context(), u.ID, tok)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, se := range list {
		if se.Current && se.Client == (workshop.SessionClient{}) {
			// A session from the sign-in form, which does not know the
			// browser: label it now that it shows up.
			if c := clientOf(r.UserAgent()); c != (workshop.SessionClient{}) {
				if err := s.store.LabelSession(r.Context(), tok, c); err != nil {
					s.log.Warn("label session", "err", err)
				}
				se.Client = c
			}
		}
		v.Sessions = append(v.Sessions, views.SessionRow{ID: se.Handle, Browser: se.Client.Browser, System: se.Client.System,
			Created: se.CreatedAt, LastSeen: se.LastSeenAt, Current: se.Current})
	}
	p := views.Page{Title: i18n.T(r.Context(), "accounts.account"), User: &u}
	s.render(w, r, status, views.Account(p, v))
}

// handleChangePassword handles "POST /account/password": form current,
// password, confirm. Every session of the account ends and this browser
// gets a new one. Wrong current passwords count as failed sign-ins.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r, "/account")
	if !ok {
		return
	}
	ip := s.limitKey(r)
	if blocked, wait := s.loginFailures.Blocked(ip, s.cfg.Now()); blocked {
		s.error(w, r, tooMany(wait))
		return
	}
	f, err := webform.ParseChangePassword(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The form's problems and the store's show the same way.
	var token string
	if err = f.Check(); err == nil {
		token, err = s.store.ChangePassword(withClient(r), u.ID, f.Current, f.Password)
	}
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok || workshop.ErrorCode(err) == workshop.EUnauthorized {
			s.error(w, r, err)
			return
		}
		if errs["current"] != "" {
			s.loginFailures.Fail(ip, s.cfg.Now())
		}
		_, status := errorStatus(err)
		s.renderAccount(w, r, u, status, views.AccountView{Errs: errs})
		return
	}
	if err := s.setSessionToken(w, r, token); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/account?done=password")
}

// handleEndSession handles "POST /account/sessions/{id}/end": ends one of
// the account's own sessions, named by its public handle. Ending the
// current one signs this browser out.
func (s *Server) handleEndSession(w http.ResponseWriter, r *http.Request) {
	u, ok := s.signedIn(w, r, "/account")
	if !ok {
		return
	}
	if err := s.store.EndSession(r.Context(), u.ID, r.PathValue("id")); err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.facilitator(r); err != nil {
		s.clearSessionToken(w, r)
		redirect(w, r, "/login")
		return
	}
	redirect(w, r, "/account?done=ended")
}

// handlePeople handles "GET /admin/users[?done=disabled|enabled]": every
// account, open invitations and the invitation form, for organisers.
func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) {
	u, ok := s.organiser(w, r)
	if !ok {
		return
	}
	var flash string
	switch r.URL.Query().Get("done") {
	case "disabled":
		flash = i18n.T(r.Context(), "accounts.account_disabled_sessions_ended")
	case "enabled":
		flash = i18n.T(r.Context(), "accounts.account_enabled_sign_in")
	}
	s.renderPeople(w, r, u, http.StatusOK, views.PeopleView{Flash: flash})
}

func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, u workshop.User, status int, v views.PeopleView) {
	accounts, err := s.store.ListUsers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	invites, err := s.store.ListInvites(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range accounts {
		v.People = append(v.People, views.PersonRow{ID: a.ID, Email: a.Email, Role: a.Role, Created: a.CreatedAt,
			Disabled: a.Disabled(), Sessions: a.Sessions, Self: a.ID == u.ID})
	}
	for _, in := range invites {
		v.Invites = append(v.Invites, views.InviteRow{Email: in.Email, Role: in.Role, Expires: in.ExpiresAt})
	}
	p := views.Page{Title: i18n.T(r.Context(), "common.people"), User: &u}
	s.render(w, r, status, views.People(p, v))
}

// handleInvite handles "POST /admin/invites": form email, role. The answer
// is the page with the one-time link to copy (not a redirect: the link
// stays out of the history).
func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) {
	u, ok := s.organiser(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseInvite(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	token, l, err := s.store.CreateInvite(r.Context(), u, f.Email, f.Role)
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok {
			s.error(w, r, err)
			return
		}
		_, status := errorStatus(err)
		s.renderPeople(w, r, u, status, views.PeopleView{Form: f, Errs: errs})
		return
	}
	link := &views.OneTimeLink{Email: l.Email, URL: s.baseURL(r) + "/invite/" + token, Expires: l.ExpiresAt}
	s.renderPeople(w, r, u, http.StatusOK, views.PeopleView{Link: link})
}

// userID is the account ID of the {id} path value.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, workshop.Errorf(workshop.ENotFound, "error.no_such_account")
	}
	return id, nil
}

// peopleError answers a failed action on an account: the people page with
// the reason on top, or an error page when the account does not exist.
func (s *Server) peopleError(w http.ResponseWriter, r *http.Request, u workshop.User, err error) {
	if _, ok := formErrors(r.Context(), err); !ok || workshop.ErrorCode(err) == workshop.ENotFound {
		s.error(w, r, err)
		return
	}
	_, status := errorStatus(err)
	s.renderPeople(w, r, u, status, views.PeopleView{Errs: views.Errors{"": userMessage(r.Context(), err)}})
}

// handleDisableUser handles "POST /admin/users/{id}/disable": the account
// can no longer sign in, and its sessions end at once. Nobody disables
// their own account or the last active organiser.
func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.organiser(w, r)
	if !ok {
		return
	}
	id, err := userID(r)
	if err == nil {
		err = s.store.DisableUser(r.Context(), u, id)
	}
	if err != nil {
		s.peopleError(w, r, u, err)
		return
	}
	redirect(w, r, "/admin/users?done=disabled")
}

// handleEnableUser handles "POST /admin/users/{id}/enable".
func (s *Server) handleEnableUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.organiser(w, r)
	if !ok {
		return
	}
	id, err := userID(r)
	if err == nil {
		err = s.store.EnableUser(r.Context(), id)
	}
	if err != nil {
		s.peopleError(w, r, u, err)
		return
	}
	redirect(w, r, "/admin/users?done=enabled")
}

// handleResetLink handles "POST /admin/users/{id}/reset": the answer is the
// page with a one-time link that sets a new password (not a redirect: the
// link stays out of the history).
func (s *Server) handleResetLink(w http.ResponseWriter, r *http.Request) {
	u, ok := s.organiser(w, r)
	if !ok {
		return
	}
	id, err := userID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	token, l, err := s.store.CreateResetLink(r.Context(), id)
	if err != nil {
		s.peopleError(w, r, u, err)
		return
	}
	link := &views.OneTimeLink{Reset: true, Email: l.Email, URL: s.baseURL(r) + "/reset/" + token, Expires: l.ExpiresAt}
	s.renderPeople(w, r, u, http.StatusOK, views.PeopleView{Link: link})
}

// handleInvitePage handles "GET /invite/{token}": the invited person chooses
// a password. A used or expired link gets a 404 page that says so.
func (s *Server) handleInvitePage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.store.InviteByToken(r.Context(), token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderSetPassword(w, r, http.StatusOK, views.SetPasswordView{Token: token, Email: l.Email, Role: l.Role})
}

// handleAcceptInvite handles "POST /invite/{token}": form password, confirm.
// It creates the account, uses up the link and signs the new account in.
func (s *Server) handleAcceptInvite(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.store.InviteByToken(r.Context(), token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := views.SetPasswordView{Token: token, Email: l.Email, Role: l.Role}
	s.setPassword(w, r, v, func(ctx context.Context, pw string) (string, error) {
		_, session, err := s.store.AcceptInvite(ctx, token, pw)
		return session, err
	})
}

// handleResetPage handles "GET /reset/{token}": choose a new password.
func (s *Server) handleResetPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.store.ResetByToken(r.Context(), token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderSetPassword(w, r, http.StatusOK, views.SetPasswordView{Token: token, Reset: true, Email: l.Email, Role: l.Role})
}

// handleReset handles "POST /reset/{token}": form password, confirm. It sets
// the password, uses up the link, ends every session of the account and
// signs this browser in.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.store.ResetByToken(r.Context(), token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := views.SetPasswordView{Token: token, Reset: true, Email: l.Email, Role: l.Role}
	s.setPassword(w, r, v, func(ctx context.Context, pw string) (string, error) {
		_, session, err := s.store.CompleteReset(ctx, token, pw)
		return session, err
	})
}

// setPassword is the POST of a one-time link: check the form, let use
// take the link, and sign the browser in with the session it returns,
// ending the session it may have had.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request, v views.SetPasswordView, use func(context.Context, string) (string, error)) {
	f, err := webform.ParseSetPassword(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var session string
	if err = f.Check(); err == nil {
		session, err = use(withClient(r), f.Password)
	}
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok || workshop.ErrorCode(err) == workshop.ENotFound {
			s.error(w, r, err)
			return
		}
		v.Errs = errs
		_, status := errorStatus(err)
		s.renderSetPassword(w, r, status, v)
		return
	}
	if old := s.sessionToken(r); old != "" {
		if err := s.store.Logout(r.Context(), old); err != nil {
			s.log.Warn("end the previous session", "err", err)
		}
	}
	if err := s.setSessionToken(w, r, session); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/dashboard")
}

func (s *Server) renderSetPassword(w http.ResponseWriter, r *http.Request, status int, v views.SetPasswordView) {
	title := i18n.T(r.Context(), "accounts.create_account")
	if v.Reset {
		title = i18n.T(r.Context(), "accounts.choose_new_password")
	}
	s.render(w, r, status, views.SetPassword(s.page(r, title), v))
}
