package http

import (
	"net/http"
	"strconv"

	"foresight/internal/workshop"
)

// Ideas from the room (issue 22): the JSON API. The pages are in
// ideas_pages.go.

// The JSON shapes of the ideas API. README.md documents them.
type (
	// apiIdea is an idea as a participant sees it; the owner's view
	// (apiOwnerIdea) adds who proposed it and the moderation.
	apiIdea struct {
		ID         int64  `json:"id"`
		Title      string `json:"title"`
		Text       string `json:"text"`
		ScenarioID *int64 `json:"scenario_id"`
		Votes      int    `json:"votes"`
		Mine       bool   `json:"mine"`
		Voted      bool   `json:"voted"`
	}
	apiOwnerIdea struct {
		ID         int64           `json:"id"`
		Title      string          `json:"title"`
		Text       string          `json:"text"`
		ScenarioID *int64          `json:"scenario_id"`
		Votes      int             `json:"votes"`
		Author     *string         `json:"author"`
		Hidden     bool            `json:"hidden"`
		MergedInto *int64          `json:"merged_into"`
		PromotedAs *int64          `json:"promoted_as"`
		Groups     []apiGroupVotes `json:"groups"`
	}
	apiGroupVotes struct {
		GroupID int64 `json:"group_id"`
		Votes   int   `json:"votes"`
	}
	ideaInput struct {
		Title      *string `json:"title"`
		Text       string  `json:"text"`
		ScenarioID *int64  `json:"scenario_id"`
	}
	promoteInput struct {
		Title     *string `json:"title"`
		Narrative string  `json:"narrative"`
	}
)

// idOrNil is id, or nil for 0.
func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// ownerIdea is an idea as the owner sees it; groups in the workshop's order.
func ownerIdea(ws *workshop.Workshop, i workshop.Idea) apiOwnerIdea {
	out := apiOwnerIdea{ID: i.ID, Title: i.Title, Text: i.Text, ScenarioID: idOrNil(i.ScenarioID), Votes: i.Votes,
		Hidden: i.Hidden, MergedInto: idOrNil(i.MergedInto), PromotedAs: idOrNil(i.PromotedAs), Groups: []apiGroupVotes{}}
	if i.Author != "" {
		a := i.Author
		out.Author = &a
	}
	for _, g := range ws.Groups {
		out.Groups = append(out.Groups, apiGroupVotes{GroupID: g.ID, Votes: i.GroupVotes[g.ID]})
	}
	return out
}

// ideaID reads the {id} of the path; an ID that is no number names no idea.
func ideaID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_idea")
	}
	return id, nil
}

// handleAPIIdeasOpen handles "POST /api/v1/workshops/{code}/ideas/open" and
// ".../ideas/close": the ideas phase, for the owner and organisers; answers
// with the workshop.
func (s *Server) handleAPIIdeasOpen(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	open := r.PathValue("phase") == "open"
	if !open && r.PathValue("phase") != "close" {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_step"))
		return
	}
	updated, err := s.store.SetIdeasOpen(r.Context(), ws.Code, open)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.apiWorkshopOf(w, r, updated)
}

// handleAPIIdeaPost handles "POST /api/v1/workshops/{code}/ideas"
// {"title", "text", "scenario_id"}: a participant's idea; 201 {"id", "seq"}.
func (s *Server) handleAPIIdeaPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
		return
	}
	var in ideaInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.Title == nil {
		s.error(w, r, workshop.FieldError("title", "error.required_lower"))
		return
	}
	d := workshop.IdeaDraft{Title: *in.Title, Text: in.Text}
	if in.ScenarioID != nil {
		d.ScenarioID = *in.ScenarioID
		if d.ScenarioID == 0 {
			s.error(w, r, workshop.FieldError("scenario_id", "error.workshop_no_such_scenario"))
			return
		}
	}
	ch, err := s.store.ProposeIdea(r.Context(), p, d)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"id": ch.Ideas[0].ID, "seq": ch.Seq})
}

// handleAPIVote handles "PUT /api/v1/workshops/{code}/ideas/{id}/vote" and
// "DELETE .../vote": a participant's vote for an idea, or taking it back;
// answers {"seq", "votes_left"}, 409 with no votes left.
func (s *Server) handleAPIVote(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
		return
	}
	id, err := ideaID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.store.Vote(r.Context(), p, id, r.Method == http.MethodPut)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"seq": v.Seq, "votes_left": int64(v.VotesLeft)})
}

// handleAPIIdeas handles "GET /api/v1/workshops/{code}/ideas": the ideas by
// votes. A participant sees those not hidden nor merged, with their own
// marked and their votes; the owner and organisers see every idea with its
// author, moderation and each expert group's votes.
func (s *Server) handleAPIIdeas(w http.ResponseWriter, r *http.Request) {
	ws, err := s.workshopFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if u, ferr := s.facilitator(r); ferr == nil && u.CanManage(ws) {
		ideas, err := s.store.Ideas(r.Context(), ws.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		workshop.SortIdeas(ideas)
		out := []apiOwnerIdea{}
		for _, i := range ideas {
			out = append(out, ownerIdea(ws, i))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	p, err := s.participantOf(r, ws)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
		return
	}
	ideas, voted, _, err := s.participantIdeas(r, ws, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := []apiIdea{}
	for _, i := range ideas {
		out = append(out, apiIdea{ID: i.ID, Title: i.Title, Text: i.Text, ScenarioID: idOrNil(i.ScenarioID), Votes: i.Votes,
			Mine: i.AuthorID == p.ID, Voted: voted[i.ID]})
	}
	writeJSON(w, http.StatusOK, out)
}

// participantIdeas reads what a participant sees of the ideas: those
// visible, by votes, from the hub's copy of the room (every phone asks
// when the ideas change), and from the store the ones they voted for and
// their votes left.
func (s *Server) participantIdeas(r *http.Request, ws *workshop.Workshop, p workshop.Participant) ([]workshop.Idea, map[int64]bool, int, error) {
	snap, err := s.live.Snapshot(r.Context(), ws.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	voted, left, err := s.store.VotesOf(r.Context(), p)
	if err != nil {
		return nil, nil, 0, err
	}
	return workshop.VisibleIdeas(snap.Ideas), voted, left, nil
}

// handleAPIIdeaModerate handles "POST /api/v1/workshops/{code}/ideas/{id}/hide",
// ".../unhide" and ".../merge" {"into": ID}, for the owner and organisers;
// answers {"seq"}.
func (s *Server) handleAPIIdeaModerate(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	id, err := ideaID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var ch workshop.IdeasChanged
	switch r.PathValue("action") {
	case "hide", "unhide":
		ch, err = s.store.HideIdea(r.Context(), ws.Code, id, r.PathValue("action") == "hide", u)
	case "merge":
		var in struct {
			Into *int64 `json:"into"`
		}
		if err := decodeJSON(r, &in); err != nil {
			s.error(w, r, err)
			return
		}
		if in.Into == nil {
			s.error(w, r, workshop.FieldError("into", "error.required_lower"))
			return
		}
		ch, err = s.store.MergeIdea(r.Context(), ws.Code, id, *in.Into, u)
	default:
		err = workshop.Errorf(workshop.ENotFound, "error.no_such_action")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"seq": ch.Seq})
}

// handleAPIIdeaPromote handles "POST /api/v1/workshops/{code}/ideas/{id}/promote"
// {"title", "narrative"}: the idea becomes a scenario of the workshop,
// rated from the next round; 201 {"scenario_id"}.
func (s *Server) handleAPIIdeaPromote(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	id, err := ideaID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in promoteInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.Title == nil {
		s.error(w, r, workshop.FieldError("title", "error.required_lower"))
		return
	}
	_, sid, err := s.store.PromoteIdea(r.Context(), ws.Code, id, workshop.Promotion{Title: *in.Title, Narrative: in.Narrative}, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]int64{"scenario_id": sid})
}
