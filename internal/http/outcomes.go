package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"foresight/internal/export"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// outcomeInput is the body of PUT .../outcomes. Occurred is kept raw so
// that a missing "occurred" (422) differs from null (not known yet).
type outcomeInput struct {
	ScenarioID *int64          `json:"scenario_id"`
	Occurred   json.RawMessage `json:"occurred"`
	KnownOn    *string         `json:"known_on"`
	Note       *string         `json:"note"`
}

// parse checks the input and returns the outcome.
func (in outcomeInput) parse() (workshop.Outcome, error) {
	var o workshop.Outcome
	if in.ScenarioID == nil {
		return o, workshop.FieldError("scenario_id", "error.required_lower")
	}
	o.ScenarioID = *in.ScenarioID
	switch string(in.Occurred) {
	case "":
		return o, workshop.FieldError("occurred", "error.required_true_false_null")
	case "null":
	case "true", "false":
		b := string(in.Occurred) == "true"
		o.Occurred = &b
	default:
		return o, workshop.FieldError("occurred", "error.must_true_false_null")
	}
	if in.KnownOn != nil {
		o.KnownOn = *in.KnownOn
	}
	if in.Note != nil {
		o.Note = *in.Note
	}
	return o, nil
}

// handleAPIOutcomes handles "GET /api/v1/workshops/{code}/outcomes": the
// outcome of every scenario, recorded or not.
func (s *Server) handleAPIOutcomes(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewOutcomesJSON(ws))
}

// handleAPIOutcomePut handles "PUT /api/v1/workshops/{code}/outcomes":
// {"scenario_id", "occurred", "known_on", "note"} records what became of
// one scenario of a finished workshop; answers every outcome.
func (s *Server) handleAPIOutcomePut(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, s.managerAPIError(r, err))
		return
	}
	var in outcomeInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	o, err := in.parse()
	if err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.SetOutcome(r.Context(), ws.Code, u, o)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewOutcomesJSON(updated))
}

// handleAPIScores handles "GET /api/v1/workshops/{code}/scores?criterion_id=ID":
// the Brier scores and calibration of a percent criterion's estimates.
func (s *Server) handleAPIScores(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.URL.Query().Get("criterion_id"), 10, 64)
	if err != nil {
		s.error(w, r, workshop.FieldError("criterion_id", "error.required_id_percent_criterion"))
		return
	}
	_, sc, err := s.store.Scores(r.Context(), ws.Code, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewScoresJSON(sc))
}

// handleOutcomesForm handles "POST /workshops/{code}/outcomes": the
// Outcomes card of a finished workshop's page, every scenario at once
// (fields occurred-ID: yes, no or unknown; known-ID; note-ID). Only the
// scenarios whose outcome changed are saved, each with a line in the log.
// A problem shows the page again with what was typed.
func (s *Server) handleOutcomesForm(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	// Every scenario's fields are read before any is saved, so that a
	// problem shows the whole form again as it was typed.
	f, err := webform.ParseOutcomes(r, ws.Scenarios)
	if err != nil {
		s.error(w, r, err)
		return
	}
	problem := f.Check()
	for _, o := range f.Outcomes() {
		if problem != nil {
			break
		}
		if _, err := s.store.SetOutcome(r.Context(), ws.Code, u, o); err != nil {
			problem = prefixField(err, o.ScenarioID)
		}
	}
	if problem == nil {
		redirect(w, r, "/workshops/"+ws.Code+"?done=outcomes#"+views.OutcomesID)
		return
	}
	if workshop.ErrorCode(problem) == workshop.EInternal {
		s.error(w, r, problem)
		return
	}
	v, err := s.currentPageView(r, ws.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.OutcomesForm = f
	v.OutcomesErrors, _ = formErrors(r.Context(), problem)
	_, status := errorStatus(problem)
	s.render(w, r, status, views.Results(views.Page{Title: ws.Title, User: &u}, v))
}

// prefixField names the form field of scenario id for an outcome's
// problem: "note" becomes "note-ID".
func prefixField(err error, id int64) error {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Field == "" || strings.Contains(de.Field, "-") {
		return err
	}
	cp := *de
	switch de.Field {
	case "known_on":
		cp.Field = webform.OutcomeField("known", id)
	default:
		cp.Field = webform.OutcomeField(de.Field, id)
	}
	return &cp
}
