package http

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"foresight/internal/export"
	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// handleAPICrossImpactEvaluate handles "POST /api/v1/crossimpact/evaluate"
// (any signed-in account): {"descriptors", "impacts", "scenario"} answers
// the consistent and near scenarios and, with a scenario, its balances.
// Nothing is stored.
func (s *Server) handleAPICrossImpactEvaluate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.facilitator(r); err != nil {
		s.error(w, r, err)
		return
	}
	var in workshop.CIBInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	ev, err := workshop.EvaluateCIB(in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewCIBEvaluationJSON(ev))
}

// handleCrossImpactPage handles "GET /crossimpact": the page where a
// signed-in user evaluates a matrix of their own.
func (s *Server) handleCrossImpactPage(w http.ResponseWriter, r *http.Request) {
	_, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "crossimpact.title"))
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, views.CrossImpact(p, views.CrossImpactPage{}))
}

// handleCrossImpactForm handles "POST /crossimpact": a matrix pasted or
// uploaded (JSON or ScenarioWizard CSV) and, optionally, a scenario to
// assess. It changes nothing, so it answers with the results at once; a
// problem shows the form again with what was typed.
func (s *Server) handleCrossImpactForm(w http.ResponseWriter, r *http.Request) {
	_, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "crossimpact.title"))
	if !ok {
		return
	}
	f, err := webform.ParseCrossImpact(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := views.CrossImpactPage{Form: f}
	in, err := f.Input()
	var ev workshop.CIBEvaluation
	if err == nil {
		ev, err = workshop.EvaluateCIB(in)
	}
	if err != nil {
		errs, ok := cibFormErrors(r.Context(), err, f)
		if !ok {
			s.error(w, r, err)
			return
		}
		v.Errors = errs
		_, status := errorStatus(err)
		s.render(w, r, status, views.CrossImpact(p, v))
		return
	}
	v.Result = views.NewCIBResultView(ev, in)
	s.render(w, r, http.StatusOK, views.CrossImpact(p, v))
}

// cibFormErrors places a problem of the cross-impact form on its field: the
// scenario's on "scenario", the matrix's on the matrix (or the file it came
// from), with its path in the matrix ("descriptors[1].id") before the
// message.
func cibFormErrors(ctx context.Context, err error, f webform.CrossImpact) (views.Errors, bool) {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code == workshop.EInternal {
		return nil, false
	}
	msg := userMessage(ctx, err)
	field := "matrix"
	if f.Filename != "" {
		field = "file"
	}
	switch {
	case de.Field == "matrix" || de.Field == "file":
		field = de.Field
	case strings.HasPrefix(de.Field, "scenario"):
		field = "scenario"
		if de.Field != "scenario" {
			msg = de.Field + ": " + msg
		}
	case de.Field != "":
		msg = de.Field + ": " + msg
	}
	return views.Errors{field: msg}, true
}
