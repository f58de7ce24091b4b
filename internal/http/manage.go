package http

import (
	"net/http"
	"strconv"
	"strings"

	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// managedPage is the common start of a facilitator's page or form: the
// workshop of the path if the account may run it; otherwise the answer
// (a sign-in redirect or an error page) is already sent.
func (s *Server) managedPage(w http.ResponseWriter, r *http.Request) (*workshop.Workshop, workshop.User, bool) {
	ws, u, err := s.managedWorkshop(r)
	if requireSignIn(w, r, err) {
		return nil, u, false
	}
	if err != nil {
		s.error(w, r, err)
		return nil, u, false
	}
	return ws, u, true
}

// handleWorkshopCopy handles "POST /workshops/{code}/copy": a new workshop
// in the lobby with the same scenarios, criteria and settings.
func (s *Server) handleWorkshopCopy(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	copied, err := s.store.CopyWorkshop(r.Context(), u, ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+copied.Code+"?done=copied")
}

// handleWorkshopArchive handles "POST /workshops/{code}/archive" and
// ".../unarchive" (finished workshops only).
func (s *Server) handleWorkshopArchive(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	archive := strings.HasSuffix(r.URL.Path, "/archive")
	if _, err := s.store.ArchiveWorkshop(r.Context(), ws.Code, archive); err != nil {
		s.error(w, r, err)
		return
	}
	if archive {
		redirect(w, r, "/dashboard?done=archived")
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=unarchived")
}

// handleWorkshopAnonymise handles "POST /workshops/{code}/anonymise".
func (s *Server) handleWorkshopAnonymise(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	if _, err := s.store.AnonymiseWorkshop(r.Context(), ws.Code, u); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=anonymised")
}

// handleWorkshopDelete handles "POST /workshops/{code}/delete": form
// confirm, the workshop's code as typed.
func (s *Server) handleWorkshopDelete(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseDelete(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := f.Check(ws.Code); err != nil {
		v, verr := s.currentPageView(r, ws.ID)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		v.DeleteProblem = userMessage(r.Context(), err)
		_, status := errorStatus(err)
		s.render(w, r, status, views.Results(views.Page{Title: ws.Title, User: &u}, v))
		return
	}
	if err := s.store.DeleteWorkshop(r.Context(), ws.Code); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/dashboard?done=deleted")
}

// handleParticipantRemove handles "POST /workshops/{code}/participants/{id}/remove":
// every rating and reason of one participant goes, the live results follow.
func (s *Server) handleParticipantRemove(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_participant"))
		return
	}
	if _, err := s.store.RemoveParticipant(r.Context(), ws.Code, id, u); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=removed#"+views.RationalesID)
}
