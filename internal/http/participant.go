package http

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"foresight/internal/live"
	"foresight/internal/workshop"
	"foresight/views"
)

// findWorkshopByCode looks a join code up for a person who typed it or
// followed a link. Failures count against the address, so guessing codes is
// slow; successes are free, so a whole room behind one address joins.
func (s *Server) findWorkshopByCode(w http.ResponseWriter, r *http.Request, typed string) (*workshop.Workshop, error) {
	ip := s.clientIP(r)
	if blocked, wait := s.joinFailures.Blocked(ip, time.Now()); blocked {
		return nil, tooMany(w, wait)
	}
	code, ok := workshop.NormalizeCode(typed)
	if !ok {
		s.joinFailures.Fail(ip, time.Now())
		return nil, workshop.FieldError("code", "A workshop code has 8 letters and digits, like ABCD-EFGH.")
	}
	ws, err := s.store.WorkshopByCode(r.Context(), code)
	if workshop.ErrorCode(err) == workshop.ENotFound {
		s.joinFailures.Fail(ip, time.Now())
		return nil, workshop.Errorf(workshop.ENotFound, "There is no workshop with the code %s. Check the code on the screen.", workshop.GroupCode(code))
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
			s.render(w, r, status, views.Home(s.page(r, "Join a workshop"), typed, workshop.ErrorMessage(err)))
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
	s.render(w, r, http.StatusOK, views.Join(s.page(r, "Join "+ws.Title), ws))
}

// handleJoin handles "POST /j/{code}": creates the participant and sets the
// cookie, then sends the browser to the workshop page.
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
	_, token, ch, err := s.store.Join(r.Context(), ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.live.Apply(ch)
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
	answers, err := s.store.RatingsOf(r.Context(), p, ws.Round)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := views.VoteView{W: ws, Answers: answers, Lang: workshop.DefaultLanguage}
	if r.URL.Query().Get("saved") != "" {
		v.Flash = "Your ratings are saved."
	}
	s.render(w, r, http.StatusOK, views.Vote(s.page(r, ws.Title), v))
}

// formRating is one rating field of the participant form: "r-S-C" = value.
type formRating struct {
	item  workshop.ItemKey
	value *int // nil: don't know
}

// parseItem reads "S-C" into an item key.
func parseItem(s string) (workshop.ItemKey, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return workshop.ItemKey{}, false
	}
	sid, err1 := strconv.ParseInt(a, 10, 64)
	cid, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || sid <= 0 || cid <= 0 {
		return workshop.ItemKey{}, false
	}
	return workshop.ItemKey{ScenarioID: sid, CriterionID: cid}, true
}

// parseRatingForm reads the rating fields of a posted form, in a stable
// order. Unknown fields are ignored; a malformed rating field is an error.
func parseRatingForm(form map[string][]string) ([]formRating, error) {
	var out []formRating
	for name, vals := range form {
		rest, ok := strings.CutPrefix(name, "r-")
		if !ok {
			continue
		}
		item, ok := parseItem(rest)
		if !ok || len(vals) != 1 {
			return nil, workshop.FieldError(name, "This rating could not be read. Reload the page and try again.")
		}
		fr := formRating{item: item}
		if vals[0] != "dk" {
			v, err := strconv.Atoi(vals[0])
			if err != nil {
				return nil, workshop.FieldError(name, "Choose one of the points of the scale.")
			}
			fr.value = &v
		}
		out = append(out, fr)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].item, out[j].item
		return a.ScenarioID < b.ScenarioID || a.ScenarioID == b.ScenarioID && a.CriterionID < b.CriterionID
	})
	return out, nil
}

// handleRatingsForm handles "POST /w/{code}/ratings". With htmx it saves
// the one rating that changed (or clears one) and answers with a fragment;
// without JavaScript it saves the whole form and redirects back.
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
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	ratings, err := parseRatingForm(r.PostForm)
	var clear *workshop.ItemKey
	if c := r.PostForm.Get("clear"); c != "" && err == nil {
		item, ok := parseItem(c)
		if !ok {
			err = workshop.FieldError("clear", "This rating could not be read. Reload the page and try again.")
		}
		clear = &item
	}
	if isHTMX(r) {
		s.ratingFragment(w, r, ws, p, ratings, clear, err)
		return
	}
	// Save every valid rating, then report the first problem with the
	// page re-rendered as the participant left it.
	var problem error = err
	typed := map[workshop.ItemKey]workshop.Answer{}
	for _, fr := range ratings {
		ch, err := s.store.SaveRating(r.Context(), p, fr.item.ScenarioID, fr.item.CriterionID, fr.value)
		if err != nil {
			if problem == nil {
				problem = err
			}
			if fr.value != nil {
				typed[fr.item] = workshop.Answer{Value: *fr.value}
			} else {
				typed[fr.item] = workshop.Answer{DontKnow: true}
			}
			continue
		}
		s.live.Apply(ch)
	}
	if clear != nil && problem == nil {
		ch, err := s.store.ClearRating(r.Context(), p, clear.ScenarioID, clear.CriterionID)
		if err != nil {
			problem = err
		} else {
			s.live.Apply(ch)
		}
	}
	if problem == nil {
		redirect(w, r, fmt.Sprintf("/w/%s?saved=1", ws.Code))
		return
	}
	if workshop.ErrorCode(problem) == workshop.EInternal {
		s.error(w, r, problem)
		return
	}
	answers, err := s.store.RatingsOf(r.Context(), p, ws.Round)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for k, a := range typed {
		answers[k] = a
	}
	_, status := errorStatus(problem)
	v := views.VoteView{W: ws, Answers: answers, Lang: workshop.DefaultLanguage, Problem: workshop.ErrorMessage(problem)}
	s.render(w, r, status, views.Vote(s.page(r, ws.Title), v))
}

// ratingFragment answers an htmx rating request: the item's status after
// saving, or the whole item after clearing.
func (s *Server) ratingFragment(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, p workshop.Participant, ratings []formRating, clear *workshop.ItemKey, err error) {
	fail := func(item workshop.ItemKey, err error) {
		_, status := errorStatus(err)
		if status == http.StatusInternalServerError {
			s.log.Error("save rating", "err", err)
		}
		s.render(w, r, status, views.RatingStatus(fmt.Sprintf("i-%d-%d-status", item.ScenarioID, item.CriterionID), workshop.ErrorMessage(err), false))
	}
	switch {
	case err != nil:
		fail(workshop.ItemKey{}, err)
	case clear != nil:
		sc, ok1 := ws.Scenario(clear.ScenarioID)
		c, ok2 := ws.Criterion(clear.CriterionID)
		if !ok1 || !ok2 {
			fail(*clear, workshop.Errorf(workshop.ENotFound, "This workshop has no such item."))
			return
		}
		ch, err := s.store.ClearRating(r.Context(), p, clear.ScenarioID, clear.CriterionID)
		if err != nil {
			fail(*clear, err)
			return
		}
		s.live.Apply(ch)
		v := views.VoteView{W: ws, Answers: map[workshop.ItemKey]workshop.Answer{}, Lang: workshop.DefaultLanguage}
		s.render(w, r, http.StatusOK, views.RatingItem(v, sc, c, "cleared"))
	case len(ratings) == 1:
		fr := ratings[0]
		ch, err := s.store.SaveRating(r.Context(), p, fr.item.ScenarioID, fr.item.CriterionID, fr.value)
		if err != nil {
			fail(fr.item, err)
			return
		}
		s.live.Apply(ch)
		s.render(w, r, http.StatusOK, views.RatingStatus(fmt.Sprintf("i-%d-%d-status", fr.item.ScenarioID, fr.item.CriterionID), "saved", true))
	default:
		fail(workshop.ItemKey{}, workshop.Errorf(workshop.EInvalid, "Send one rating at a time."))
	}
}

// handleParticipantEvents handles "GET /w/{code}/events": the workshop's
// state for participants' pages, so they follow when voting opens or closes.
func (s *Server) handleParticipantEvents(w http.ResponseWriter, r *http.Request) {
	ws, _, err := s.participant(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.stream(w, r, ws, "participant-state", func(snap *live.Snapshot) []byte {
		return sseHTML("state", views.StateSignal(snap.Workshop))
	})
}
