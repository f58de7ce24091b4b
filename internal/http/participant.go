package http

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// findWorkshopByCode looks a join code up for a person who typed it or
// followed a link. Failures count against the address, so guessing codes is
// slow; successes are free, so a whole room behind one address joins.
func (s *Server) findWorkshopByCode(w http.ResponseWriter, r *http.Request, typed string) (*workshop.Workshop, error) {
	ip := s.limitKey(r)
	if blocked, wait := s.joinFailures.Blocked(ip, s.cfg.Now()); blocked {
		return nil, tooMany(wait)
	}
	code, ok := workshop.NormalizeCode(typed)
	if !ok {
		s.joinFailures.Fail(ip, s.cfg.Now())
		return nil, workshop.FieldError("code", "error.workshop_code_8_letters")
	}
	ws, err := s.store.WorkshopByCode(r.Context(), code)
	if workshop.ErrorCode(err) == workshop.ENotFound {
		s.joinFailures.Fail(ip, s.cfg.Now())
		return nil, workshop.Errorf(workshop.ENotFound, "error.no_workshop_code_check", workshop.GroupCode(code))
	}
	return ws, err
}

// handleJoinCode handles "GET /join?code=...": the home page's form.
func (s *Server) handleJoinCode(w http.ResponseWriter, r *http.Request) {
	typed := r.URL.Query().Get("code")
	ws, err := s.findWorkshopByCode(w, r, typed)
	if err != nil {
		if code := workshop.ErrorCode(err); code == workshop.EInvalid || code == workshop.ENotFound {
			_, status := errorStatus(err)
			s.render(w, r, status, views.Home(s.page(r, i18n.T(r.Context(), "common.join_workshop")), typed, userMessage(r.Context(), err)))
			return
		}
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/j/"+ws.Code)
}

// handleJoinPage handles "GET /j/{code}": the workshop's title, a privacy
// note and a Join button. A device that joined already goes straight on.
func (s *Server) handleJoinPage(w http.ResponseWriter, r *http.Request) {
	ws, err := s.findWorkshopByCode(w, r, r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.participantOf(r, ws); err == nil {
		redirect(w, r, "/w/"+ws.Code)
		return
	}
	s.renderJoin(w, r, http.StatusOK, views.JoinView{W: ws})
}

func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, v views.JoinView) {
	if v.W.ParticipantLimit > 0 {
		snap, err := s.live.Snapshot(r.Context(), v.W.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		v.Full = snap.Joined >= v.W.ParticipantLimit
	}
	s.render(w, r, status, views.Join(s.page(r, i18n.Tf(r.Context(), "participant.join", v.W.Title)), v))
}

// handleJoin handles "POST /j/{code}": form display_name in a pseudonymous
// workshop, and group (the ID of the participant's expert group) in a
// workshop with groups. It creates the participant and sets the cookie,
// then sends the browser to the workshop page. A missing or foreign group
// answers 422 with the form again, a full workshop 409.
func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	ws, err := s.findWorkshopByCode(w, r, r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.participantOf(r, ws); err == nil {
		redirect(w, r, "/w/"+ws.Code)
		return
	}
	f, err := webform.ParseJoin(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	name, err := f.Name(ws.Anonymity)
	if err != nil {
		s.renderJoin(w, r, http.StatusUnprocessableEntity, views.JoinView{W: ws, DisplayName: f.DisplayName, Group: f.Group, Problem: userMessage(r.Context(), err)})
		return
	}
	_, token, err := s.store.Join(r.Context(), ws.Code, name, f.Group)
	if err != nil {
		var de *workshop.Error
		switch {
		case errors.As(err, &de) && de.Field == "group":
			// The groups may have changed since ws was read: show the
			// workshop's groups as they are now.
			if ws, err = s.store.WorkshopByCode(r.Context(), ws.Code); err != nil {
				s.error(w, r, err)
				return
			}
			s.renderJoin(w, r, http.StatusUnprocessableEntity, views.JoinView{W: ws, DisplayName: name, Group: f.Group, GroupProblem: userMessage(r.Context(), de)})
		case workshop.ErrorCode(err) == workshop.EConflict:
			s.renderJoin(w, r, http.StatusConflict, views.JoinView{W: ws, DisplayName: name, Group: f.Group, Problem: userMessage(r.Context(), err)})
		default:
			s.error(w, r, err)
		}
		return
	}
	if err := s.addJoined(w, r, ws.Code, token); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/w/"+ws.Code)
}

// handleVotePage handles "GET /w/{code}": the participant's rating page.
func (s *Server) handleVotePage(w http.ResponseWriter, r *http.Request) {
	ws, p, err := s.participant(r)
	if c := workshop.ErrorCode(err); c == workshop.EUnauthorized || c == workshop.EForbidden {
		redirect(w, r, "/j/"+ws.Code)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ws.KindOf(ws.Round) == workshop.RoundCrossImpact && ws.State != workshop.StateLobby {
		current, _ := strconv.Atoi(r.URL.Query().Get("source"))
		s.renderCrossImpactVote(w, r, ws, p, http.StatusOK, current, nil, nil, "")
		return
	}
	v, err := s.voteView(r, ws, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		v.Flash = i18n.T(r.Context(), "participant.ratings_saved")
	}
	s.render(w, r, http.StatusOK, views.Vote(s.page(r, ws.Title), v))
}

// voteView gathers what one participant's page shows: their ratings and
// reasons, and the group's results where the workshop lets them see them.
func (s *Server) voteView(r *http.Request, ws *workshop.Workshop, p workshop.Participant) (views.VoteView, error) {
	ctx := r.Context()
	// Deck texts in the interface language where the deck has it.
	v := views.VoteView{W: ws, Lang: ws.TextLanguage(i18n.Lang(ctx))}
	var err error
	if v.Answers, err = s.store.RatingsOf(ctx, p, ws.Round); err != nil {
		return v, err
	}
	if v.Reasons, err = s.store.RationalesOf(ctx, p, ws.Round); err != nil {
		return v, err
	}
	if ws.Round > 1 {
		if v.Previous, err = s.store.RatingsOf(ctx, p, ws.Round-1); err != nil {
			return v, err
		}
		if v.PreviousReasons, err = s.store.RationalesOf(ctx, p, ws.Round-1); err != nil {
			return v, err
		}
	}
	// Looking back: their own score on each percent criterion, once an
	// outcome is known, computed as the room's are (ScoreWorkshop).
	if ws.State == workshop.StateFinished && resolvedAny(ws) {
		own, err := s.store.EstimatesOf(ctx, p)
		if err != nil {
			return v, err
		}
		for _, c := range ws.Criteria {
			if c.Kind == workshop.KindPercent {
				v.OwnScores = append(v.OwnScores, views.ScoredCriterion{Criterion: c, Scores: workshop.ScoreWorkshop(ws, c, ws.Outcomes, own[c.ID])})
			}
		}
	}
	see := ws.ParticipantsSee(ws.Round)
	seePrev := ws.Round > 1 && ws.ParticipantsSee(ws.Round-1) && ws.State == workshop.StateOpen
	if see || seePrev {
		snap, err := s.live.Snapshot(ctx, ws.ID)
		if err != nil {
			return v, err
		}
		if see {
			res := snap.Results(ws.Round)
			v.Group = &res
		}
		if seePrev {
			res := snap.Results(ws.Round - 1)
			v.Feedback = &res
		}
	}
	return v, nil
}

// handleRatingsForm handles "POST /w/{code}/ratings". With htmx it saves
// the one rating or reason that changed, or clears one rating, and answers
// with a fragment; without JavaScript it saves the whole form and redirects
// back.
func (s *Server) handleRatingsForm(w http.ResponseWriter, r *http.Request) {
	ws, p, err := s.participant(r)
	if err != nil {
		if c := workshop.ErrorCode(err); !isHTMX(r) && (c == workshop.EUnauthorized || c == workshop.EForbidden) {
			redirect(w, r, "/j/"+ws.Code)
			return
		}
		s.error(w, r, err)
		return
	}
	if err := s.allowSave(w, p); err != nil {
		if isHTMX(r) {
			s.ratingFragment(w, r, ws, p, webform.Ratings{}, err)
			return
		}
		s.error(w, r, err)
		return
	}
	f, err := webform.ParseRatings(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = f.Check()
	if isHTMX(r) {
		s.ratingFragment(w, r, ws, p, f, err)
		return
	}
	// Save everything valid, then report the first problem with the page
	// as the participant left it: the rejected choices marked, not saved.
	problem := err
	rejected := map[workshop.ItemKey]workshop.Answer{}
	for _, fr := range f.Ratings {
		if err := s.saveRating(r, p, fr); err != nil {
			problem = cmp.Or(problem, err)
			rejected[fr.Item] = answerOf(fr.Value)
		}
	}
	typedReasons := map[int64]string{}
	unsaved := map[int64]string{}
	problemAt := ""
	for _, fr := range f.Reasons {
		if err := s.saveReason(r, p, fr); err != nil {
			if problem == nil {
				problemAt = views.ReasonID(fr.ScenarioID)
			}
			problem = cmp.Or(problem, err)
			typedReasons[fr.ScenarioID] = fr.Text
			unsaved[fr.ScenarioID] = userMessage(r.Context(), err)
		}
	}
	if f.Clear != nil && problem == nil {
		problem = s.clearRating(r, p, *f.Clear)
	}
	if problem == nil {
		redirect(w, r, fmt.Sprintf("/w/%s?saved=1", ws.Code))
		return
	}
	if workshop.ErrorCode(problem) == workshop.EInternal {
		s.error(w, r, problem)
		return
	}
	v, err := s.voteView(r, ws, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Rejected, v.UnsavedReasons = rejected, unsaved
	for id, text := range typedReasons {
		v.Reasons[id] = text
	}
	v.Problem, v.ProblemAt = userMessage(r.Context(), problem), problemAt
	_, status := errorStatus(problem)
	s.render(w, r, status, views.Vote(s.page(r, ws.Title), v))
}

func answerOf(v *int) workshop.Answer {
	if v == nil {
		return workshop.Answer{DontKnow: true}
	}
	return workshop.Answer{Value: *v}
}

// saveRating stores one rating (the store announces it to the live views).
func (s *Server) saveRating(r *http.Request, p workshop.Participant, fr webform.Rating) error {
	_, err := s.store.SaveRating(r.Context(), p, fr.Item.ScenarioID, fr.Item.CriterionID, fr.Value)
	return err
}

// clearRating removes one rating.
func (s *Server) clearRating(r *http.Request, p workshop.Participant, item workshop.ItemKey) error {
	_, err := s.store.ClearRating(r.Context(), p, item.ScenarioID, item.CriterionID)
	return err
}

// saveReason stores one rationale.
func (s *Server) saveReason(r *http.Request, p workshop.Participant, fr webform.Reason) error {
	_, err := s.store.SaveRationale(r.Context(), p, fr.ScenarioID, fr.Text)
	return err
}

// ratingFragment answers an htmx request: the status of the rating or
// reason after saving, or the whole item after clearing (or failing to).
func (s *Server) ratingFragment(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, p workshop.Participant, f webform.Ratings, err error) {
	status := func(id string, err error) {
		_, code := errorStatus(err)
		if code == http.StatusInternalServerError {
			s.log.Error("save from the participant page", "err", err)
		}
		s.render(w, r, code, views.RatingStatus(id, userMessage(r.Context(), err), false))
	}
	switch {
	case err != nil:
		status(views.FormStatusID, err)
	case f.Clear != nil:
		sc, ok1 := ws.Scenario(f.Clear.ScenarioID)
		c, ok2 := ws.Criterion(f.Clear.CriterionID)
		if !ok1 || !ok2 {
			status(views.FormStatusID, workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_item"))
			return
		}
		v, verr := s.voteView(r, ws, p)
		if verr != nil {
			status(views.FormStatusID, verr)
			return
		}
		// The Clear button replaces the whole item: on failure too, so the
		// scale stays on the page with the reason it was not cleared.
		code, msg := http.StatusOK, "cleared"
		if err := s.clearRating(r, p, *f.Clear); err != nil {
			_, code = errorStatus(err)
			msg = userMessage(r.Context(), err)
		} else {
			delete(v.Answers, *f.Clear)
		}
		s.render(w, r, code, views.RatingItem(v, sc, c, msg))
	case len(f.Ratings) == 1 && len(f.Reasons) == 0:
		fr := f.Ratings[0]
		id := views.ItemStatusID(fr.Item.ScenarioID, fr.Item.CriterionID)
		if err := s.saveRating(r, p, fr); err != nil {
			status(id, err)
			return
		}
		s.render(w, r, http.StatusOK, views.RatingStatus(id, "saved", true))
	case len(f.Reasons) == 1 && len(f.Ratings) == 0:
		fr := f.Reasons[0]
		id := views.ReasonStatusID(fr.ScenarioID)
		if err := s.saveReason(r, p, fr); err != nil {
			status(id, err)
			return
		}
		st := "saved"
		if strings.TrimSpace(fr.Text) == "" {
			st = "cleared"
		}
		s.render(w, r, http.StatusOK, views.RatingStatus(id, st, true))
	default:
		status(views.FormStatusID, workshop.Errorf(workshop.EInvalid, "error.send_one_rating_reason"))
	}
}

// handleParticipantEvents handles "GET /w/{code}/events": the workshop's
// state for participants' pages, so they follow when voting opens, closes
// or moves on, and the group's results while they are visible live.
func (s *Server) handleParticipantEvents(w http.ResponseWriter, r *http.Request) {
	ws, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx := renderContext(r)
	v := s.participantViewer(ws, p, s.joinedWorkshops(r)[ws.Code])
	s.stream(w, r, ws, "participant:"+i18n.Lang(ctx), participantEvery, func(snap *live.Snapshot) [][]byte {
		parts := [][]byte{sseHTML(ctx, "state", views.StateSignal(snap.Workshop))}
		if w := snap.Workshop; w.State == workshop.StateOpen && w.Visibility == workshop.VisibleLive {
			parts = append(parts, sseHTML(ctx, "group", views.GroupUpdate(w, snap.Results(w.Round), w.TextLanguage(i18n.Lang(ctx)))))
		}
		if snap.Workshop.IdeasOpen {
			// What each phone shows of the ideas is its own (its votes):
			// the stream says only that they changed, and the page asks.
			parts = append(parts, sseFrame("ideas", []byte(ideasSignature(snap.Ideas))))
		}
		return parts
	}, v)
}

// resolvedAny reports whether an outcome of the workshop is known.
func resolvedAny(w *workshop.Workshop) bool {
	for _, o := range w.Outcomes {
		if o.Resolved() {
			return true
		}
	}
	return false
}
