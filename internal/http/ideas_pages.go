package http

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"

	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// Ideas from the room (issue 22): the pages. A participant's page works
// without JavaScript (a form per idea); the facilitator's follows the room
// live through the same store events and hub as the results.

// ideasSignature is what the participants' stream says of the ideas: it
// changes whenever what participants see of them changes.
func ideasSignature(ideas []workshop.Idea) string {
	h := fnv.New64a() // a short signature, not a secret
	for _, i := range workshop.VisibleIdeas(ideas) {
		fmt.Fprintf(h, "%d:%d ", i.ID, i.Votes)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// participantIdeasPage is the participant's page (or 303 to the join page
// for a device that has not joined).
func (s *Server) participantIdeasPage(w http.ResponseWriter, r *http.Request) (*workshop.Workshop, workshop.Participant, bool) {
	ws, p, err := s.participant(r)
	if c := workshop.ErrorCode(err); c == workshop.EUnauthorized || c == workshop.EForbidden {
		redirect(w, r, "/j/"+ws.Code)
		return nil, p, false
	}
	if err != nil {
		s.error(w, r, err)
		return nil, p, false
	}
	return ws, p, true
}

// ideasView gathers a participant's page of ideas.
func (s *Server) ideasView(r *http.Request, ws *workshop.Workshop, p workshop.Participant) (views.IdeasView, error) {
	v := views.IdeasView{W: ws, Lang: ws.TextLanguage(i18n.Lang(r.Context())), Me: p.ID}
	var err error
	v.Ideas, v.Voted, v.VotesLeft, err = s.participantIdeas(r, ws, p)
	return v, err
}

// handleIdeasPage handles "GET /w/{code}/ideas": the participant's page of
// ideas from the room.
func (s *Server) handleIdeasPage(w http.ResponseWriter, r *http.Request) {
	ws, p, ok := s.participantIdeasPage(w, r)
	if !ok {
		return
	}
	v, err := s.ideasView(r, ws, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "proposed":
		v.Flash = i18n.T(r.Context(), "ideas.flash_proposed")
	case "voted":
		v.Flash = i18n.T(r.Context(), "ideas.flash_voted")
	}
	s.render(w, r, http.StatusOK, views.IdeasPage(s.page(r, ws.Title), v))
}

// handleIdeaForm handles "POST /w/{code}/ideas": a participant's idea,
// fields title, text, scenario_id. A problem shows the page again with
// what was typed.
func (s *Server) handleIdeaForm(w http.ResponseWriter, r *http.Request) {
	ws, p, ok := s.participantIdeasPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseIdea(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err = s.allowSave(w, p); err == nil {
		if err = f.Check(); err == nil {
			_, err = s.store.ProposeIdea(r.Context(), p, f.Draft())
		}
	}
	if err == nil {
		redirect(w, r, "/w/"+ws.Code+"/ideas?done=proposed")
		return
	}
	s.ideasProblem(w, r, ws, p, f, err)
}

// ideasProblem shows the participant's page again with why the idea or the
// vote was not taken, and the idea form as typed.
func (s *Server) ideasProblem(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, p workshop.Participant, f webform.Idea, problem error) {
	code, status := errorStatus(problem)
	if code == workshop.EInternal {
		s.error(w, r, problem)
		return
	}
	// The workshop as it is now: ideas may have closed meanwhile.
	ws, err := s.store.WorkshopByCode(r.Context(), ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.ideasView(r, ws, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Form = f
	if field := fieldOf(problem); field != "" {
		v.Errors = views.Errors{field: userMessage(r.Context(), problem)}
	} else {
		v.Problem = userMessage(r.Context(), problem)
	}
	s.render(w, r, status, views.IdeasPage(s.page(r, ws.Title), v))
}

// fieldOf is the field a domain error names, if any.
func fieldOf(err error) string {
	var de *workshop.Error
	if errors.As(err, &de) {
		return de.Field
	}
	return ""
}

// handleVoteForm handles "POST /w/{code}/ideas/{id}/vote": vote "on" casts a
// vote for the idea, anything else takes it back; then back to the page.
func (s *Server) handleVoteForm(w http.ResponseWriter, r *http.Request) {
	ws, p, ok := s.participantIdeasPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseVote(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, err := ideaID(r)
	if err == nil {
		if err = s.allowSave(w, p); err == nil {
			_, err = s.store.Vote(r.Context(), p, id, f.On())
		}
	}
	if err == nil {
		redirect(w, r, fmt.Sprintf("/w/%s/ideas?done=voted#idea-%d", ws.Code, id))
		return
	}
	s.ideasProblem(w, r, ws, p, webform.Idea{}, err)
}

// facilitatorIdeasView is the facilitator's list of a snapshot's ideas.
func facilitatorIdeasView(ctx context.Context, snap *live.Snapshot) views.FacilitatorIdeasView {
	return views.FacilitatorIdeasView{W: snap.Workshop, Lang: snap.Workshop.TextLanguage(i18n.Lang(ctx)), Ideas: snap.Ideas}
}

// handleFacilitatorIdeas handles "GET /workshops/{code}/ideas": the room's
// ideas live, by votes, for the owner and organisers.
func (s *Server) handleFacilitatorIdeas(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	snap, err := s.live.Snapshot(r.Context(), ws.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := facilitatorIdeasView(r.Context(), snap)
	v.Flash = flashMessage(r.Context(), r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, views.FacilitatorIdeas(views.Page{Title: i18n.T(r.Context(), "ideas.from_the_room"), User: &u}, v))
}

// handleFacilitatorIdeasEvents handles "GET /workshops/{code}/ideas/events":
// the facilitator's list of ideas as HTML over SSE.
func (s *Server) handleFacilitatorIdeasEvents(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx := renderContext(r)
	s.stream(w, r, ws, "ideas-html:"+i18n.Lang(ctx), 0, func(snap *live.Snapshot) [][]byte {
		return [][]byte{sseHTML(ctx, "ideas", views.FacilitatorIdeasPanel(facilitatorIdeasView(ctx, snap)))}
	}, s.manager(r, u, ws))
}

// handleIdeasPhaseForm handles "POST /workshops/{code}/ideas/open" and
// ".../close".
func (s *Server) handleIdeasPhaseForm(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	phase := r.PathValue("phase")
	if phase != "open" && phase != "close" {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_step"))
		return
	}
	if _, err := s.store.SetIdeasOpen(r.Context(), ws.Code, phase == "open"); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"/ideas?done=ideas-"+phase)
}

// ideaPageView is the facilitator's page of one idea, with the ideas it
// may be merged into.
func (s *Server) ideaPageView(r *http.Request, ws *workshop.Workshop, id int64) (views.IdeaView, error) {
	snap, err := s.live.Snapshot(r.Context(), ws.ID)
	if err != nil {
		return views.IdeaView{}, err
	}
	v := views.IdeaView{W: snap.Workshop}
	found := false
	for _, i := range snap.Ideas {
		switch {
		case i.ID == id:
			v.Idea, found = i, true
		case i.MergedInto == 0:
			v.Others = append(v.Others, i)
		}
	}
	if !found {
		return v, workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_idea")
	}
	v.Form = webform.IdeaAction{Title: v.Idea.Title, Narrative: v.Idea.Text}
	return v, nil
}

// handleIdeaPage handles "GET /workshops/{code}/ideas/{id}": merge the idea
// into another, or make it a scenario, edited.
func (s *Server) handleIdeaPage(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	id, err := ideaID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.ideaPageView(r, ws, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.IdeaPage(views.Page{Title: v.Idea.Title, User: &u}, v))
}

// handleIdeaActionForm handles "POST /workshops/{code}/ideas/{id}/hide",
// ".../unhide", ".../merge" (field into) and ".../promote" (fields title,
// narrative). A merge or promotion with a problem shows the idea's page
// again with what was typed.
func (s *Server) handleIdeaActionForm(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	id, err := ideaID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, err := webform.ParseIdeaAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	done := "idea"
	switch r.PathValue("action") {
	case "hide", "unhide":
		_, err = s.store.HideIdea(r.Context(), ws.Code, id, r.PathValue("action") == "hide", u)
		if err != nil {
			s.error(w, r, err)
			return
		}
	case "merge":
		done = "merged"
		if err = f.CheckMerge(); err == nil {
			_, err = s.store.MergeIdea(r.Context(), ws.Code, id, f.IntoID(), u)
		}
	case "promote":
		done = "promoted"
		_, _, err = s.store.PromoteIdea(r.Context(), ws.Code, id, f.Promotion(), u)
	default:
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_action"))
		return
	}
	if err == nil {
		redirect(w, r, "/workshops/"+ws.Code+"/ideas?done="+done)
		return
	}
	code, status := errorStatus(err)
	if code == workshop.EInternal || code == workshop.ENotFound && fieldOf(err) == "" {
		s.error(w, r, err)
		return
	}
	v, verr := s.ideaPageView(r, ws, id)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	v.Form = f
	v.Errors = views.Errors{fieldOf(err): userMessage(r.Context(), err)}
	s.render(w, r, status, views.IdeaPage(views.Page{Title: v.Idea.Title, User: &u}, v))
}

// handleSaveAsDeck handles "POST /workshops/{code}/deck": the workshop's
// scenarios, those from the room too, and criteria as a new deck of the
// facilitator's, to edit; the workshop's own deck is not changed.
func (s *Server) handleSaveAsDeck(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	d, err := s.store.CreateDeck(r.Context(), u, ws.AsDeck(), true)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/decks/"+d.Slug+"/edit")
}
