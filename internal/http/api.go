package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"foresight/internal/live"
	"foresight/internal/workshop"
)

// The JSON shapes of API v1. README.md documents them.
type (
	apiWorkshop struct {
		Code      string         `json:"code"`
		Title     string         `json:"title"`
		State     string         `json:"state"`
		Round     int            `json:"round"`
		Scenarios []apiScenario  `json:"scenarios"`
		Criteria  []apiCriterion `json:"criteria"`
		Ratings   []apiRating    `json:"ratings,omitempty"`
	}
	apiScenario struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		Narrative string `json:"narrative"`
		Source    string `json:"source"`
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
	}
	apiLabel struct {
		Value int    `json:"value"`
		Text  string `json:"text"`
	}
	// apiRating is a participant's own rating; Value null is "don't know".
	apiRating struct {
		ScenarioID  int64 `json:"scenario_id"`
		CriterionID int64 `json:"criterion_id"`
		Value       *int  `json:"value"`
	}
	apiResults struct {
		Round  int       `json:"round"`
		Seq    int64     `json:"seq"`
		Joined int       `json:"joined"`
		Rated  int       `json:"rated"`
		Items  []apiItem `json:"items"`
	}
	apiItem struct {
		ScenarioID  int64            `json:"scenario_id"`
		CriterionID int64            `json:"criterion_id"`
		N           int64            `json:"n"`
		DontKnow    int64            `json:"dont_know"`
		Mean        *float64         `json:"mean"`
		Median      *float64         `json:"median"`
		Q1          *float64         `json:"q1"`
		Q3          *float64         `json:"q3"`
		IQR         *float64         `json:"iqr"`
		SD          *float64         `json:"sd"`
		Histogram   map[string]int64 `json:"histogram"`
	}
)

func toAPIWorkshop(w *workshop.Workshop, lang string) apiWorkshop {
	out := apiWorkshop{Code: w.Code, Title: w.Title, State: string(w.State), Round: w.Round,
		Scenarios: []apiScenario{}, Criteria: []apiCriterion{}}
	for _, s := range w.Scenarios {
		out.Scenarios = append(out.Scenarios, apiScenario{ID: s.ID, Title: s.Title.In(lang), Narrative: s.Narrative.In(lang), Source: s.Source.In(lang)})
	}
	for _, c := range w.Criteria {
		ac := apiCriterion{ID: c.ID, Name: c.Name.In(lang), Kind: c.Kind, Min: c.Min, Max: c.Max, Step: c.Step, DontKnow: c.DontKnow, Labels: []apiLabel{}}
		for _, l := range c.Labels {
			ac.Labels = append(ac.Labels, apiLabel{Value: l.Value, Text: l.Text.In(lang)})
		}
		out.Criteria = append(out.Criteria, ac)
	}
	return out
}

func toAPIResults(res workshop.Results) apiResults {
	out := apiResults{Round: res.Round, Seq: res.Seq, Joined: res.Joined, Rated: res.Rated, Items: []apiItem{}}
	for _, it := range res.Items {
		hist := make(map[string]int64, len(it.Histogram.Counts))
		for i, c := range it.Histogram.Counts {
			hist[strconv.Itoa(it.Histogram.Value(i))] = c
		}
		out.Items = append(out.Items, apiItem{
			ScenarioID: it.ScenarioID, CriterionID: it.CriterionID, N: it.N, DontKnow: it.DontKnow,
			Mean: it.Mean, Median: it.Median, Q1: it.Q1, Q3: it.Q3, IQR: it.IQR, SD: it.SD, Histogram: hist,
		})
	}
	return out
}

// handleAPIWorkshop handles "GET /api/v1/workshops/{code}": the workshop
// and, for a participant, their own ratings in the current round.
func (s *Server) handleAPIWorkshop(w http.ResponseWriter, r *http.Request) {
	ws, err := s.workshopFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := toAPIWorkshop(ws, workshop.DefaultLanguage)
	p, perr := s.participantOf(r, ws)
	if perr == nil {
		answers, err := s.store.RatingsOf(r.Context(), p, ws.Round)
		if err != nil {
			s.error(w, r, err)
			return
		}
		out.Ratings = []apiRating{}
		for _, sc := range ws.Scenarios {
			for _, c := range ws.Criteria {
				if a, ok := answers[workshop.ItemKey{ScenarioID: sc.ID, CriterionID: c.ID}]; ok {
					out.Ratings = append(out.Ratings, apiRating{ScenarioID: sc.ID, CriterionID: c.ID, Value: answerValue(a)})
				}
			}
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	u, ferr := s.facilitator(r)
	switch {
	case ferr == nil && u.CanManage(ws):
		writeJSON(w, http.StatusOK, out)
	case ferr == nil:
		s.error(w, r, workshop.Errorf(workshop.EForbidden, "Only the workshop's facilitator and organisers can see this."))
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

// ratingInput is the body of PUT .../ratings. Value is kept raw so that a
// missing value (422) differs from null ("don't know").
type ratingInput struct {
	ScenarioID  *int64          `json:"scenario_id"`
	CriterionID *int64          `json:"criterion_id"`
	Value       json.RawMessage `json:"value"`
}

// decodeJSON reads one JSON object strictly: unknown fields and trailing
// data are refused. Syntax errors are "malformed" (400); wrong types name
// the field (422).
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.As(err, &typ):
			return workshop.FieldError(typ.Field, "has the wrong type: expected %s", typ.Type)
		case errors.Is(err, io.EOF):
			return workshop.Errorf(workshop.EMalformed, "The request body is empty; send a JSON object.")
		}
		if f, ok := bytes.CutPrefix([]byte(err.Error()), []byte("json: unknown field ")); ok {
			return workshop.FieldError(string(bytes.Trim(f, `"`)), "is not a known field")
		}
		return workshop.Errorf(workshop.EMalformed, "The request body is not valid JSON.")
	}
	if dec.More() {
		return workshop.Errorf(workshop.EMalformed, "The request body holds more than one JSON value.")
	}
	return nil
}

// parse checks the input and returns the item and value (nil: don't know).
func (in ratingInput) parse() (workshop.ItemKey, *int, error) {
	if in.ScenarioID == nil {
		return workshop.ItemKey{}, nil, workshop.FieldError("scenario_id", "is required")
	}
	if in.CriterionID == nil {
		return workshop.ItemKey{}, nil, workshop.FieldError("criterion_id", "is required")
	}
	item := workshop.ItemKey{ScenarioID: *in.ScenarioID, CriterionID: *in.CriterionID}
	if in.Value == nil {
		return item, nil, workshop.FieldError("value", "is required: a number, or null for \"don't know\"")
	}
	if string(in.Value) == "null" {
		return item, nil, nil
	}
	var v int
	if err := json.Unmarshal(in.Value, &v); err != nil {
		return item, nil, workshop.FieldError("value", "must be a whole number or null")
	}
	return item, &v, nil
}

// handleAPIRatingPut handles "PUT /api/v1/workshops/{code}/ratings":
// {"scenario_id", "criterion_id", "value"}; answers {"seq"} after COMMIT.
func (s *Server) handleAPIRatingPut(w http.ResponseWriter, r *http.Request) {
	_, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
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
	s.live.Apply(ch)
	writeJSON(w, http.StatusOK, map[string]int64{"seq": ch.Seq})
}

// handleAPIRatingDelete handles "DELETE /api/v1/workshops/{code}/ratings?scenario_id=ID&criterion_id=ID".
func (s *Server) handleAPIRatingDelete(w http.ResponseWriter, r *http.Request) {
	_, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
		return
	}
	q := r.URL.Query()
	sid, err1 := strconv.ParseInt(q.Get("scenario_id"), 10, 64)
	if err1 != nil {
		s.error(w, r, workshop.FieldError("scenario_id", "must be a whole number"))
		return
	}
	cid, err2 := strconv.ParseInt(q.Get("criterion_id"), 10, 64)
	if err2 != nil {
		s.error(w, r, workshop.FieldError("criterion_id", "must be a whole number"))
		return
	}
	ch, err := s.store.ClearRating(r.Context(), p, sid, cid)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.live.Apply(ch)
	writeJSON(w, http.StatusOK, map[string]int64{"seq": ch.Seq})
}

// participantAPIError turns "not a participant" into 403 for a signed-in
// facilitator: they are known, but only participants rate.
func (s *Server) participantAPIError(r *http.Request, err error) error {
	if workshop.ErrorCode(err) == workshop.EUnauthorized {
		if _, ferr := s.facilitator(r); ferr == nil {
			return workshop.Errorf(workshop.EForbidden, "Only participants rate. Join the workshop on another device or in a private window.")
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
		return 0, workshop.FieldError("round", "must be a whole number from 1")
	}
	if n > ws.Round {
		return 0, workshop.Errorf(workshop.ENotFound, "This workshop has no round %d yet.", n)
	}
	return n, nil
}

// handleAPIResults handles "GET /api/v1/workshops/{code}/results[?round=N]".
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
	snap, err := s.live.Snapshot(r.Context(), ws)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIResults(snap.Results(round)))
}

// managerAPIError turns "not signed in" into 403 for a participant of the
// workshop: they are known, but results are for facilitators.
func (s *Server) managerAPIError(r *http.Request, err error) error {
	if workshop.ErrorCode(err) == workshop.EUnauthorized && len(s.joinedWorkshops(r)) > 0 {
		return workshop.Errorf(workshop.EForbidden, "Results are for the workshop's facilitator.")
	}
	return err
}

// handleAPIEvents handles "GET /api/v1/workshops/{code}/events": JSON
// result snapshots of the current round over SSE, the first at once.
func (s *Server) handleAPIEvents(w http.ResponseWriter, r *http.Request) {
	ws, _, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	s.stream(w, r, ws, "results-json", func(snap *live.Snapshot) []byte {
		b, err := json.Marshal(toAPIResults(snap.Results(snap.Workshop.Round)))
		if err != nil {
			return sseFrame("error", []byte(fmt.Sprint(err)))
		}
		return sseFrame("results", b)
	})
}
