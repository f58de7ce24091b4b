package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"foresight/internal/live"
	"foresight/internal/workshop"
)

// facilitator returns the signed-in account, or an EUnauthorized error.
func (s *Server) facilitator(r *http.Request) (workshop.User, error) {
	tok := s.sessionToken(r)
	if tok == "" {
		return workshop.User{}, workshop.Errorf(workshop.EUnauthorized, "error.please_sign_in_sentence")
	}
	return s.store.SessionUser(r.Context(), tok)
}

// workshopFromPath loads the workshop named by the {code} path value, in any
// spelling a person might type. A code that names no workshop counts
// against the address, with the budget of the join page
// (findWorkshopByCode): every route that takes a code answers 429 once it
// is spent, so that codes cannot be probed through any of them.
func (s *Server) workshopFromPath(r *http.Request) (*workshop.Workshop, error) {
	ip := s.limitKey(r)
	if blocked, wait := s.joinFailures.Blocked(ip, s.cfg.Now()); blocked {
		return nil, tooMany(wait)
	}
	code, ok := workshop.NormalizeCode(r.PathValue("code"))
	if !ok {
		s.joinFailures.Fail(ip, s.cfg.Now())
		return nil, workshop.Errorf(workshop.ENotFound, "error.no_workshop_code")
	}
	w, err := s.store.WorkshopByCode(r.Context(), code)
	if workshop.ErrorCode(err) == workshop.ENotFound {
		s.joinFailures.Fail(ip, s.cfg.Now())
	}
	return w, err
}

// managedWorkshop returns the workshop of the path if the signed-in account
// may run it: its owner or an organiser.
func (s *Server) managedWorkshop(r *http.Request) (*workshop.Workshop, workshop.User, error) {
	u, err := s.facilitator(r)
	if err != nil {
		return nil, u, err
	}
	w, err := s.workshopFromPath(r)
	if err != nil {
		return nil, u, err
	}
	if !u.CanManage(w) {
		return nil, u, workshop.Errorf(workshop.EForbidden, "error.only_workshops_facilitator_organisers")
	}
	return w, u, nil
}

// participant returns the workshop of the path and this device's participant
// in it. A device that joined only other workshops gets EForbidden; one that
// joined none, EUnauthorized.
func (s *Server) participant(r *http.Request) (*workshop.Workshop, workshop.Participant, error) {
	w, err := s.workshopFromPath(r)
	if err != nil {
		return nil, workshop.Participant{}, err
	}
	p, err := s.participantOf(r, w)
	return w, p, err
}

func (s *Server) participantOf(r *http.Request, w *workshop.Workshop) (workshop.Participant, error) {
	tokens := s.joinedWorkshops(r)
	tok, ok := tokens[w.Code]
	if !ok {
		if len(tokens) > 0 {
			return workshop.Participant{}, workshop.Errorf(workshop.EForbidden, "error.joined_different_workshop_join")
		}
		return workshop.Participant{}, workshop.Errorf(workshop.EUnauthorized, "error.join_workshop_first")
	}
	return s.store.ParticipantByToken(r.Context(), w.ID, tok)
}

// requireSignIn sends an anonymous visitor of a facilitator page to the
// sign-in page, to come back afterwards. It reports whether it did.
func requireSignIn(w http.ResponseWriter, r *http.Request, err error) bool {
	if workshop.ErrorCode(err) != workshop.EUnauthorized {
		return false
	}
	redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path))
	return true
}

// localPath accepts only a path on this site as a place to return to.
// Browsers drop tabs and newlines from URLs and read a backslash as a
// slash, so "/\t/evil.example" would lead off-site: refuse them all.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.ContainsFunc(next, unicode.IsControl) {
		return "/dashboard"
	}
	return next
}

// manager is the viewer of a facilitator's live stream: a session that
// ended (sign-out, password change, account disabled) ends the stream too.
func (s *Server) manager(r *http.Request, u workshop.User, ws *workshop.Workshop) viewer {
	tok := s.sessionToken(r)
	return viewer{Viewer: live.Viewer{UserID: u.ID}, expires: true, alive: func(ctx context.Context) bool {
		u, err := s.store.SessionUser(ctx, tok)
		return err == nil && u.CanManage(ws)
	}}
}

// participantViewer is the viewer of a participant's live stream: a
// participant the facilitator removed loses it.
func (s *Server) participantViewer(ws *workshop.Workshop, p workshop.Participant, token string) viewer {
	return viewer{Viewer: live.Viewer{ParticipantID: p.ID}, alive: func(ctx context.Context) bool {
		_, err := s.store.ParticipantByToken(ctx, ws.ID, token)
		return err == nil
	}}
}
