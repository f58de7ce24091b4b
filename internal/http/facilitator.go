package http

import (
	"net/http"
	"strings"

	"foresight/internal/live"
	"foresight/internal/workshop"
	"foresight/views"
)

// handleHome handles "GET /": the join-by-code form.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, views.Home(s.page(r, "Join a workshop"), "", ""))
}

// handleDashboard handles "GET /dashboard": the account's workshops.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	u, err := s.facilitator(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	ws, err := s.store.WorkshopsFor(r.Context(), u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := views.Page{Title: "Workshops", Lang: workshop.DefaultLanguage, User: &u}
	s.render(w, r, http.StatusOK, views.Dashboard(p, ws, ""))
}

func (s *Server) deckOptions() []views.DeckOption {
	var opts []views.DeckOption
	for _, slug := range s.deckIDs {
		d := s.decks[slug]
		opts = append(opts, views.DeckOption{Slug: slug, Title: d.Title.In(workshop.DefaultLanguage), Scenarios: len(d.Scenarios)})
	}
	return opts
}

// handleNewWorkshopPage handles "GET /workshops/new".
func (s *Server) handleNewWorkshopPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.facilitator(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := views.Page{Title: "New workshop", Lang: workshop.DefaultLanguage, User: &u}
	s.render(w, r, http.StatusOK, views.NewWorkshop(p, s.deckOptions(), views.NewWorkshopForm{Deck: s.deckIDs[0]}, nil))
}

// handleCreateWorkshop handles "POST /workshops": form deck, title, open.
func (s *Server) handleCreateWorkshop(w http.ResponseWriter, r *http.Request) {
	u, err := s.facilitator(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := views.NewWorkshopForm{Deck: r.PostForm.Get("deck"), Title: r.PostForm.Get("title"), Open: r.PostForm.Get("open") != ""}
	p := views.Page{Title: "New workshop", Lang: workshop.DefaultLanguage, User: &u}
	deck, ok := s.decks[f.Deck]
	if !ok {
		s.render(w, r, http.StatusUnprocessableEntity, views.NewWorkshop(p, s.deckOptions(), f, views.Errors{"deck": "Choose one of the decks in the list."}))
		return
	}
	ws, err := s.store.CreateWorkshop(r.Context(), u, deck, f.Title, f.Open)
	if err != nil {
		errs, ok := formErrors(err)
		if !ok {
			s.error(w, r, err)
			return
		}
		_, status := errorStatus(err)
		s.render(w, r, status, views.NewWorkshop(p, s.deckOptions(), f, errs))
		return
	}
	redirect(w, r, "/workshops/"+ws.Code)
}

// handleResultsPage handles "GET /workshops/{code}": join details, voting
// controls and the live results, for the owner and organisers.
func (s *Server) handleResultsPage(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	snap, err := s.live.Snapshot(r.Context(), ws)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := resultsView(s.baseURL(r), snap)
	v.Flash = flashMessage(r.URL.Query().Get("done"))
	p := views.Page{Title: ws.Title, Lang: v.Lang, User: &u}
	s.render(w, r, http.StatusOK, views.Results(p, v))
}

// resultsView is the facilitator's view of a snapshot: the current round.
func resultsView(baseURL string, snap *live.Snapshot) views.ResultsView {
	return views.ResultsView{
		W:       snap.Workshop,
		Results: snap.Results(snap.Workshop.Round),
		JoinURL: baseURL + "/j/" + snap.Workshop.Code,
		Lang:    workshop.DefaultLanguage,
	}
}

// flashMessage is the confirmation shown after a state change.
func flashMessage(done string) string {
	switch done {
	case "open":
		return "Voting is open. Participants' screens follow."
	case "close":
		return "Voting is closed. Ratings are kept; you can reopen voting."
	case "finish":
		return "The workshop has finished."
	}
	return ""
}

// stateActions maps the last path segment of a state form to the new state.
var stateActions = map[string]workshop.State{
	"open":   workshop.StateOpen,
	"close":  workshop.StateClosed,
	"finish": workshop.StateFinished,
}

// handleStateForm handles "POST /workshops/{code}/open", ".../close" and
// ".../finish".
func (s *Server) handleStateForm(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	ws, _, err := s.managedWorkshop(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.SetState(r.Context(), ws.Code, stateActions[action])
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.live.Update(updated)
	redirect(w, r, "/workshops/"+ws.Code+"?done="+action)
}

// handleResultsEvents handles "GET /workshops/{code}/events": the results
// panel as HTML over SSE for the facilitator's page.
func (s *Server) handleResultsEvents(w http.ResponseWriter, r *http.Request) {
	ws, _, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.baseURL(r)
	s.stream(w, r, ws, "results-html:"+base, func(snap *live.Snapshot) []byte {
		return sseHTML("results", views.ResultsPanel(resultsView(base, snap)))
	})
}
