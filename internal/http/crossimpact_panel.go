package http

import (
	"context"

	"foresight/internal/i18n"
	"foresight/internal/workshop"
	"foresight/views"
)

// crossImpactPanel is round n's heat map and consistent scenarios (limit
// of them listed) when it is a cross-impact round, nil otherwise.
func (s *Server) crossImpactPanel(ctx context.Context, ws *workshop.Workshop, n, limit int) (*views.CrossImpactPanelView, error) {
	if ws.KindOf(n) != workshop.RoundCrossImpact || ws.State == workshop.StateLobby {
		return nil, nil
	}
	res, err := s.crossImpactResult(ctx, ws, n, 0)
	if err != nil {
		return nil, err
	}
	return views.NewCrossImpactPanelView(ws, res, ws.TextLanguage(i18n.Lang(ctx)), limit), nil
}
