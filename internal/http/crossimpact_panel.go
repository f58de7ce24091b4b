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
	js, err := s.store.Judgements(ctx, ws.ID, n)
	if err != nil {
		return nil, err
	}
	res, err := workshop.NewCrossImpactResult(ws.CrossImpact(), n, js)
	if err != nil {
		return nil, err
	}
	v := views.NewCrossImpactPanelView(ws, res, ws.TextLanguage(i18n.Lang(ctx)), limit)
	v.AddReasons(js)
	return v, nil
}
