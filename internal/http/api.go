package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"foresight/internal/export"
	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/workshop"
)

// The JSON shapes of API v1. README.md documents them.
type (
	apiWorkshop struct {
		Code       string         `json:"code"`
		Title      string         `json:"title"`
		State      string         `json:"state"`
		Round      int            `json:"round"`
		RoundKind  string         `json:"round_kind"` // "rating" or "cross_impact"
		Visibility string         `json:"visibility"`
		Pacing     string         `json:"pacing"`
		Focus      *int64         `json:"focus_scenario_id"`
		Scenarios  []apiScenario  `json:"scenarios"`
		Criteria   []apiCriterion `json:"criteria"`
		// Groups are the expert groups participants choose from when
		// they join, in the facilitator's order; [] for none.
		Groups []apiGroup `json:"groups"`
		// The ideas phase (issue 22): whether participants may propose
		// and vote now, and how many votes each has.
		IdeasOpen bool `json:"ideas_open"`
		IdeaVotes int  `json:"idea_votes"`
		// For a participant: their ratings in the current round, in the
		// previous round, and the group's position in the previous round
		// when the workshop lets participants see it. Pointers, so that an
		// empty list is present for a participant and absent for others.
		Ratings  *[]apiRating   `json:"ratings,omitempty"`
		Previous *[]apiRating   `json:"previous,omitempty"`
		Feedback *[]apiFeedback `json:"feedback,omitempty"`
	}
	// apiFeedback is the group's position on one item last round; AskReason
	// is the Delphi rule (workshop.ItemResult.AsksReason): the
	// participant's own rating then lay outside the middle half.
	apiFeedback struct {
		ScenarioID  int64    `json:"scenario_id"`
		CriterionID int64    `json:"criterion_id"`
		N           int64    `json:"n"`
		Median      *float64 `json:"median"`
		Q1          *float64 `json:"q1"`
		Q3          *float64 `json:"q3"`
		IQR         *float64 `json:"iqr"`
		AskReason   bool     `json:"ask_reason"`
	}
	apiScenario struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		Narrative string `json:"narrative"`
		Source    string `json:"source"`
		// Origin is "deck", or "room" for a scenario promoted from an
		// idea (IdeaID), which carries who proposed it and its votes.
		Origin     string  `json:"origin"`
		IdeaID     *int64  `json:"idea_id"`
		ProposedBy *string `json:"proposed_by,omitempty"`
		Votes      *int    `json:"votes,omitempty"`
	}
	apiCriterion struct {
		ID       int64      `json:"id"`
		Name     string     `json:"name"`
		Kind     string     `json:"kind"`
		Min      int        `json:"min"`
		Max      int        `json:"max"`
		Step     int        `json:"step"`
		DontKnow bool       `json:"dont_know"`
		Labels   []apiLabel `json:"labels"`
		// A percent criterion's yardstick and its bands, lowest first.
		Yardstick string    `json:"yardstick,omitempty"`
		Bands     []apiBand `json:"bands,omitempty"`
	}
	// apiBand is one term of a yardstick and the percentages it stands for.
	apiBand struct {
		Min  int    `json:"min"`
		Max  int    `json:"max"`
		Text string `json:"text"`
	}
	apiLabel struct {
		Value int    `json:"value"`
		Text  string `json:"text"`
	}
	apiGroup struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	// apiRating is a participant's own rating; Value null is "don't know".
	apiRating struct {
		ScenarioID  int64 `json:"scenario_id"`
		CriterionID int64 `json:"criterion_id"`
		Value       *int  `json:"value"`
	}
)

func toAPIWorkshop(w *workshop.Workshop, lang string) apiWorkshop {
	out := apiWorkshop{Code: w.Code, Title: w.Title, State: string(w.State), Round: w.Round, RoundKind: string(w.KindOf(w.Round)),
		Visibility: string(w.Visibility), Pacing: string(w.Pacing),
		Scenarios: []apiScenario{}, Criteria: []apiCriterion{}, Groups: []apiGroup{}}
	for _, g := range w.Groups {
		out.Groups = append(out.Groups, apiGroup{ID: g.ID, Name: g.Name})
	}
	if w.Pacing == workshop.PaceFocus {
		id := w.FocusID()
		out.Focus = &id
	}
	out.IdeasOpen, out.IdeaVotes = w.IdeasOpen, w.IdeaVotes
	// A scenario from the room is listed from the round it is rated in.
	for _, s := range w.ScenariosIn(w.Round) {
		as := apiScenario{ID: s.ID, Title: s.Title.In(lang), Narrative: s.Narrative.In(lang), Source: s.Source.In(lang), Origin: workshop.OriginDeck}
		if s.FromRoom() {
			votes := s.SourceVotes
			as.Origin, as.IdeaID, as.Votes = workshop.OriginRoom, idOrNil(s.IdeaID), &votes
			if s.SourcePseudonym != "" {
				by := s.SourcePseudonym
				as.ProposedBy = &by
			}
		}
		out.Scenarios = append(out.Scenarios, as)
	}
	for _, c := range w.Criteria {
		ac := apiCriterion{ID: c.ID, Name: c.Name.In(lang), Kind: c.Kind, Min: c.Min, Max: c.Max, Step: c.Step, DontKnow: c.DontKnow, Labels: []apiLabel{}}
		for _, l := range c.Labels {
			ac.Labels = append(ac.Labels, apiLabel{Value: l.Value, Text: l.Text.In(lang)})
		}
		if y, ok := c.YardstickOf(); ok {
			ac.Yardstick = y.Key
			for _, b := range y.Bands {
				ac.Bands = append(ac.Bands, apiBand{Min: b.Min, Max: b.Max, Text: i18n.TextsIn(lang)(b.Term)})
			}
		}
		out.Criteria = append(out.Criteria, ac)
	}
	return out
}

// handleAPIWorkshop handles "GET /api/v1/workshops/{code}": the workshop
// and, for a participant, their own ratings (this round and the last) and
// the group's position last round where the workshop shows it.
func (s *Server) handleAPIWorkshop(w http.ResponseWriter, r *http.Request) {
	ws, err := s.workshopFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := toAPIWorkshop(ws, ws.TextLanguage(i18n.Lang(r.Context())))
	p, perr := s.participantOf(r, ws)
	if perr == nil {
		v, err := s.voteView(r, ws, p)
		if err != nil {
			s.error(w, r, err)
			return
		}
		out.Ratings = apiRatings(ws, v.Answers)
		if ws.Round > 1 {
			out.Previous = apiRatings(ws, v.Previous)
		}
		if v.Feedback != nil {
			fb := []apiFeedback{}
			for _, it := range v.Feedback.Items {
				own, rated := v.Previous[workshop.ItemKey{ScenarioID: it.ScenarioID, CriterionID: it.CriterionID}]
				fb = append(fb, apiFeedback{ScenarioID: it.ScenarioID, CriterionID: it.CriterionID, N: it.N, Median: it.Median, Q1: it.Q1, Q3: it.Q3, IQR: it.IQR,
					AskReason: rated && it.AsksReason(own)})
			}
			out.Feedback = &fb
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	u, ferr := s.facilitator(r)
	switch {
	case ferr == nil && u.CanManage(ws):
		writeJSON(w, http.StatusOK, out)
	case ferr == nil:
		s.error(w, r, workshop.Errorf(workshop.EForbidden, "error.only_workshops_facilitator_organisers"))
	default:
		s.error(w, r, perr)
	}
}

func answerValue(a workshop.Answer) *int {
	if a.DontKnow {
		return nil
	}
	v := a.Value
	return &v
}

// apiRatings lists answers in deck order.
func apiRatings(ws *workshop.Workshop, answers map[workshop.ItemKey]workshop.Answer) *[]apiRating {
	out := []apiRating{}
	for _, sc := range ws.Scenarios {
		for _, c := range ws.Criteria {
			if a, ok := answers[workshop.ItemKey{ScenarioID: sc.ID, CriterionID: c.ID}]; ok {
				out = append(out, apiRating{ScenarioID: sc.ID, CriterionID: c.ID, Value: answerValue(a)})
			}
		}
	}
	return &out
}

// ratingInput is the body of PUT .../ratings. Value is kept raw so that a
// missing value (422) differs from null ("don't know").
type ratingInput struct {
	ScenarioID  *int64          `json:"scenario_id"`
	CriterionID *int64          `json:"criterion_id"`
	Value       json.RawMessage `json:"value"`
}

// decodeJSON reads one JSON object strictly: unknown fields, trailing data
// and text that is not UTF-8 (which encoding/json would quietly replace) are
// refused. Syntax errors are "malformed" (400); wrong types name the field
// (422).
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body) // at most maxBody: MaxBytesReader
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return workshop.Errorf(workshop.EMalformed, "error.request_body_not_valid_utf")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.As(err, &typ):
			// The bodies are flat objects: the last element of the path
			// is the field (an embedded struct puts its Go name first).
			field := typ.Field[strings.LastIndexByte(typ.Field, '.')+1:]
			return workshop.FieldError(field, "error.wrong_type_expected", typ.Type)
		case errors.Is(err, io.EOF):
			return workshop.Errorf(workshop.EMalformed, "error.request_body_empty_send")
		}
		if f, ok := bytes.CutPrefix([]byte(err.Error()), []byte("json: unknown field ")); ok {
			return workshop.FieldError(string(bytes.Trim(f, `"`)), "error.not_known_field")
		}
		return workshop.Errorf(workshop.EMalformed, "error.request_body_not_valid")
	}
	if dec.More() {
		return workshop.Errorf(workshop.EMalformed, "error.request_body_holds_more")
	}
	return nil
}

// parse checks the input and returns the item and value (nil: don't know).
func (in ratingInput) parse() (workshop.ItemKey, *int, error) {
	if in.ScenarioID == nil {
		return workshop.ItemKey{}, nil, workshop.FieldError("scenario_id", "error.required_lower")
	}
	if in.CriterionID == nil {
		return workshop.ItemKey{}, nil, workshop.FieldError("criterion_id", "error.required_lower")
	}
	item := workshop.ItemKey{ScenarioID: *in.ScenarioID, CriterionID: *in.CriterionID}
	if in.Value == nil {
		return item, nil, workshop.FieldError("value", "error.required_number_null_dont")
	}
	if string(in.Value) == "null" {
		return item, nil, nil
	}
	var v int
	if err := json.Unmarshal(in.Value, &v); err != nil {
		return item, nil, workshop.FieldError("value", "error.must_whole_number_null")
	}
	return item, &v, nil
}

// handleAPIRatingPut handles "PUT /api/v1/workshops/{code}/ratings":
// {"scenario_id", "criterion_id", "value"}; answers {"seq"} after COMMIT.
func (s *Server) handleAPIRatingPut(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
		return
	}
	var in ratingInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	item, value, err := in.parse()
	if err != nil {
		s.error(w, r, err)
		return
	}
	ch, err := s.store.SaveRating(r.Context(), p, item.ScenarioID, item.CriterionID, value)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeSeq(w, ch.Seq)
}

// handleAPIRatingDelete handles "DELETE /api/v1/workshops/{code}/ratings?scenario_id=ID&criterion_id=ID".
func (s *Server) handleAPIRatingDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	sid, err1 := strconv.ParseInt(q.Get("scenario_id"), 10, 64)
	if err1 != nil {
		s.error(w, r, workshop.FieldError("scenario_id", "error.must_whole_number"))
		return
	}
	cid, err2 := strconv.ParseInt(q.Get("criterion_id"), 10, 64)
	if err2 != nil {
		s.error(w, r, workshop.FieldError("criterion_id", "error.must_whole_number"))
		return
	}
	ch, err := s.store.ClearRating(r.Context(), p, sid, cid)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeSeq(w, ch.Seq)
}

// savingParticipant is the participant of a JSON request that saves an
// answer (a rating, a reason, a judgement, an idea, a vote), within their
// saving budget (allowSave); ok is false when the request was answered
// with a refusal.
func (s *Server) savingParticipant(w http.ResponseWriter, r *http.Request) (p workshop.Participant, ok bool) {
	_, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
		return p, false
	}
	if err := s.allowSave(w, p); err != nil {
		s.error(w, r, err)
		return p, false
	}
	return p, true
}

// participantAPIError turns "not a participant" into 403 for a signed-in
// facilitator: they are known, but only participants rate.
func (s *Server) participantAPIError(r *http.Request, err error) error {
	if workshop.ErrorCode(err) == workshop.EUnauthorized {
		if _, ferr := s.facilitator(r); ferr == nil {
			return workshop.Errorf(workshop.EForbidden, "error.only_participants_rate_join")
		}
	}
	return err
}

// resultsRound reads ?round=N (default: the current round).
func resultsRound(r *http.Request, ws *workshop.Workshop) (int, error) {
	q := r.URL.Query().Get("round")
	if q == "" {
		return ws.Round, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 {
		return 0, workshop.FieldError("round", "error.must_whole_number_1")
	}
	if n > ws.Round {
		return 0, workshop.Errorf(workshop.ENotFound, "error.workshop_no_round_yet", n)
	}
	return n, nil
}

// resultsGroup reads ?group=ID: one of the workshop's expert groups, or 0
// (everyone) when absent.
func resultsGroup(r *http.Request, ws *workshop.Workshop) (int64, error) {
	q := r.URL.Query().Get("group")
	if q == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(q, 10, 64)
	if err != nil || id < 1 {
		return 0, workshop.FieldError("group", "error.must_id_one_workshops")
	}
	if _, ok := ws.Group(id); !ok {
		return 0, workshop.FieldErrorf(workshop.ENotFound, "group", "error.workshop_no_group", id)
	}
	return id, nil
}

// handleAPIResults handles "GET /api/v1/workshops/{code}/results[?round=N][&group=ID]":
// with a group, the statistics of its participants alone.
func (s *Server) handleAPIResults(w http.ResponseWriter, r *http.Request) {
	ws, _, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	round, err := resultsRound(r, ws)
	if err != nil {
		s.error(w, r, err)
		return
	}
	snap, err := s.live.Snapshot(r.Context(), ws.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	group, err := resultsGroup(r, snap.Workshop)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewResultsJSON(snap.Workshop, snap.ResultsOf(round, group), snap.Workshop.TextLanguage(i18n.Lang(r.Context()))))
}

// managerAPIError turns "not signed in" into 403 for a participant of the
// workshop: they are known, but results are for facilitators.
func (s *Server) managerAPIError(r *http.Request, err error) error {
	if workshop.ErrorCode(err) == workshop.EUnauthorized && len(s.joinedWorkshops(r)) > 0 {
		return workshop.Errorf(workshop.EForbidden, "error.results_workshops_facilitator")
	}
	return err
}

// handleAPIEvents handles "GET /api/v1/workshops/{code}/events": JSON
// result snapshots of the current round over SSE, the first at once.
func (s *Server) handleAPIEvents(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	// Yardstick terms come in the request's language: one rendering per language.
	lang := i18n.Lang(r.Context())
	s.stream(w, r, ws, "results-json:"+lang, 0, func(snap *live.Snapshot) [][]byte {
		b, err := json.Marshal(export.NewResultsJSON(snap.Workshop, snap.Results(snap.Workshop.Round), snap.Workshop.TextLanguage(lang)))
		if err != nil {
			return [][]byte{sseFrame("error", []byte(fmt.Sprint(err)))}
		}
		return [][]byte{sseFrame("results", b)}
	}, s.manager(r, u, ws))
}

// managedAPI returns the workshop of the path for its owner or an
// organiser, with the API's statuses for everyone else.
func (s *Server) managedAPI(r *http.Request) (*workshop.Workshop, error) {
	ws, _, err := s.managedWorkshop(r)
	if err != nil {
		return nil, s.managerAPIError(r, err)
	}
	return ws, nil
}

// apiStep answers a workshop step with the workshop as it is afterwards.
func (s *Server) apiStep(w http.ResponseWriter, r *http.Request, a workshop.Action, round int, prefill bool) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.Step(r.Context(), ws.Code, a, round, prefill)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.apiWorkshopOf(w, r, updated)
}

// apiWorkshopOf answers with a workshop, for its manager.
func (s *Server) apiWorkshopOf(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop) {
	writeJSON(w, http.StatusOK, toAPIWorkshop(ws, ws.TextLanguage(i18n.Lang(r.Context()))))
}

// handleAPINextRound handles "POST /api/v1/workshops/{code}/rounds": opens
// round 1 from the lobby, or the next round after a reveal. Optional body
// {"prefill": true} starts it with each participant's previous ratings.
func (s *Server) handleAPINextRound(w http.ResponseWriter, r *http.Request) {
	if _, err := s.managedAPI(r); err != nil {
		s.error(w, r, err)
		return
	}
	var in struct {
		Prefill bool   `json:"prefill"`
		Kind    string `json:"kind"` // "rating" (the default) or "cross_impact"
	}
	// The body is optional, but one that is there must be right: a garbled
	// "prefill" must not open a round the room cannot take back.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(bytes.TrimSpace(body)) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := decodeJSON(r, &in); err != nil {
			s.error(w, r, err)
			return
		}
	}
	kind, err := workshop.ParseRoundKind(in.Kind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.NextRound(r.Context(), ws.Code, kind, in.Prefill)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIWorkshop(updated, updated.TextLanguage(i18n.Lang(r.Context()))))
}

// handleAPIRoundStep handles "POST /api/v1/workshops/{code}/rounds/{n}/close",
// ".../reopen" and ".../reveal"; n must be the current round.
func (s *Server) handleAPIRoundStep(w http.ResponseWriter, r *http.Request) {
	if _, err := s.managedAPI(r); err != nil {
		s.error(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_round"))
		return
	}
	a := workshop.Action(r.PathValue("action"))
	if a != workshop.ActClose && a != workshop.ActReopen && a != workshop.ActReveal {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.round_closed_reopened_revealed"))
		return
	}
	s.apiStep(w, r, a, n, false)
}

// handleAPIFinish handles "POST /api/v1/workshops/{code}/finish".
func (s *Server) handleAPIFinish(w http.ResponseWriter, r *http.Request) {
	s.apiStep(w, r, workshop.ActFinish, 0, false)
}

// handleAPIFocus handles "POST /api/v1/workshops/{code}/focus"
// {"scenario_id": ID}: the scenario participants see in one-at-a-time pacing.
func (s *Server) handleAPIFocus(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in struct {
		ScenarioID *int64 `json:"scenario_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.ScenarioID == nil {
		s.error(w, r, workshop.FieldError("scenario_id", "error.required_lower"))
		return
	}
	updated, err := s.store.SetFocus(r.Context(), ws.Code, *in.ScenarioID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIWorkshop(updated, updated.TextLanguage(i18n.Lang(r.Context()))))
}

// handleAPISettings handles "PUT /api/v1/workshops/{code}/settings": any of
// title, description, anonymity, participant_limit, visibility, pacing and
// groups (the expert groups' names; [] for none; changed in the lobby
// only, 409 otherwise); the others stay as they are.
func (s *Server) handleAPISettings(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	in := struct {
		workshop.Settings
		Groups *[]string `json:"groups"`
	}{Settings: ws.Settings()}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.UpdateSettings(r.Context(), ws.Code, in.Settings, in.Groups, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIWorkshop(updated, updated.TextLanguage(i18n.Lang(r.Context()))))
}

// handleAPIRationalePut handles "PUT /api/v1/workshops/{code}/rationales"
// {"scenario_id": ID, "text": "..."}: a participant's reason for one
// scenario this round; empty text removes it.
func (s *Server) handleAPIRationalePut(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
		return
	}
	var in struct {
		ScenarioID *int64  `json:"scenario_id"`
		Text       *string `json:"text"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	if in.ScenarioID == nil {
		s.error(w, r, workshop.FieldError("scenario_id", "error.required_lower"))
		return
	}
	if in.Text == nil {
		s.error(w, r, workshop.FieldError("text", "error.required_empty_text_removes"))
		return
	}
	ch, err := s.store.SaveRationale(r.Context(), p, *in.ScenarioID, *in.Text)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"seq": ch.Seq, "id": ch.Rationale.ID, "deleted": ch.Deleted})
}

// handleAPIRationaleFlag handles "POST /api/v1/workshops/{code}/rationales/{id}/hide",
// ".../unhide", ".../feature" and ".../unfeature".
func (s *Server) handleAPIRationaleFlag(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.flagRationale(r, ws); err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
