package http

import (
	"net/http"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
	"foresight/views"
)

// handleScoresOverview handles "GET /scores": for organisers, the finished
// workshops with known outcomes and their group Brier scores side by side,
// newest first.
func (s *Server) handleScoresOverview(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "common.scores"))
	if !ok {
		return
	}
	if u.Role != workshop.RoleOrganiser {
		s.error(w, r, workshop.Errorf(workshop.EForbidden, "error.scores_every_workshop_organisers"))
		return
	}
	list, err := s.store.WorkshopsFor(r.Context(), u) // an organiser's: every workshop, newest first
	if err != nil {
		s.error(w, r, err)
		return
	}
	var rows []views.ScoresRow
	waiting := 0
	for _, listed := range list {
		if listed.State != workshop.StateFinished {
			continue
		}
		ws, err := s.store.WorkshopByCode(r.Context(), listed.Code) // with its criteria and outcomes
		if err != nil {
			s.error(w, r, err)
			return
		}
		if !resolvedAny(ws) {
			waiting++
			continue
		}
		for _, c := range ws.Criteria {
			if c.Kind != workshop.KindPercent {
				continue
			}
			_, sc, err := s.store.Scores(r.Context(), ws.Code, c.ID)
			if err != nil {
				s.error(w, r, err)
				return
			}
			rows = append(rows, views.ScoresRow{W: ws, Criterion: c, Scores: sc})
		}
	}
	s.render(w, r, http.StatusOK, views.ScoresOverview(p, rows, waiting))
}
