package http

import (
	"net/http"

	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// handleLoginPage handles "GET /login".
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.facilitator(r); err == nil {
		redirect(w, r, localPath(r.URL.Query().Get("next")))
		return
	}
	s.render(w, r, http.StatusOK, views.Login(s.page(r, i18n.T(r.Context(), "auth.sign_in")), "", "", returnTo(r)))
}

// returnTo is the checked page to go back to after signing in, or "".
func returnTo(r *http.Request) string {
	next := r.URL.Query().Get("next")
	if next == "" || localPath(next) != next {
		return ""
	}
	return next
}

// handleLogin handles "POST /login": form email, password. A new session ID
// is issued at every sign-in. Failures are limited per address and, so that
// many addresses cannot share out the guessing of one password, per account.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	ip := s.limitKey(r)
	if blocked, wait := s.loginFailures.Blocked(ip, s.cfg.Now()); blocked {
		s.error(w, r, tooMany(wait))
		return
	}
	f, err := webform.ParseCredentials(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	account := accountKey(f.Email)
	if blocked, wait := s.accountFailures.Blocked(account, s.cfg.Now()); blocked {
		s.error(w, r, tooManyForAccount(wait))
		return
	}
	_, token, err := s.store.Login(withClient(r), f.Email, f.Password)
	if workshop.ErrorCode(err) == workshop.EUnauthorized {
		s.loginFailures.Fail(ip, s.cfg.Now())
		s.accountFailures.Fail(account, s.cfg.Now())
		s.render(w, r, http.StatusUnauthorized, views.Login(s.page(r, i18n.T(r.Context(), "auth.sign_in")), f.Email, userMessage(r.Context(), err), returnTo(r)))
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.setSessionToken(w, r, token); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, localPath(r.URL.Query().Get("next")))
}

// handleLogout handles "POST /logout": the session ends in the database, so
// a copy of the cookie is worthless afterwards.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if tok := s.sessionToken(r); tok != "" {
		if err := s.store.Logout(r.Context(), tok); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.clearSessionToken(w, r)
	redirect(w, r, "/login")
}

// handleSetupPage handles "GET /setup/{token}": the one-time link printed at
// the first start creates the first organiser account.
func (s *Server) handleSetupPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.checkSetup(r, token); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.Setup(s.page(r, i18n.T(r.Context(), "auth.create_first_account")), token, "", nil))
}

// checkSetup accepts a setup link only while it is valid and no account
// exists: once there is one (made with the link, or on the command line),
// a copy of the link left in a log creates nothing. Checking first also
// spares a password hash for every made-up link.
func (s *Server) checkSetup(r *http.Request, token string) error {
	if err := s.store.CheckSetupToken(r.Context(), token); err != nil {
		return err
	}
	n, err := s.store.CountUsers(r.Context())
	if err == nil && n > 0 {
		err = workshop.Errorf(workshop.ENotFound, "error.setup_link_not_valid_any")
	}
	return err
}

// handleSetup handles "POST /setup/{token}": form email, password.
func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.checkSetup(r, token); err != nil {
		s.error(w, r, err)
		return
	}
	f, err := webform.ParseCredentials(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, session, err := s.store.CompleteSetup(withClient(r), token, f.Email, f.Password)
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok {
			s.error(w, r, err)
			return
		}
		_, status := errorStatus(err)
		s.render(w, r, status, views.Setup(s.page(r, i18n.T(r.Context(), "auth.create_first_account")), token, f.Email, errs))
		return
	}
	if err := s.setSessionToken(w, r, session); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/dashboard")
}
