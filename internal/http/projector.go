package http

import (
	"context"
	"net/http"

	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/workshop"
	"foresight/views"
)

// projectorViewOf is what the big screen shows of a snapshot.
func projectorViewOf(ctx context.Context, baseURL string, snap *live.Snapshot) views.ProjectorView {
	w := snap.Workshop
	v := views.ProjectorView{W: w, Results: snap.Results(w.Round), JoinURL: baseURL + "/j/" + w.Code, Lang: w.TextLanguage(i18n.Lang(ctx))}
	if w.Round > 1 {
		prev := snap.Results(w.Round - 1)
		v.Prev = &prev
	}
	if w.IdeasOpen {
		ideas := workshop.VisibleIdeas(snap.Ideas)
		v.Ideas = ideas[:min(len(ideas), views.MaxProjectorIdeas)]
	}
	for _, r := range snap.RoundRationales(w.Round) {
		if r.Featured && !r.Hidden {
			v.Featured = append(v.Featured, r)
		}
	}
	return v
}

// renderProjector is the render of every projector of a workshop in one
// language: the same bytes for the facilitator's tab and the display link.
func (s *Server) renderProjector(ctx context.Context, baseURL string) live.RenderFunc {
	return func(snap *live.Snapshot) [][]byte {
		return [][]byte{sseHTML(ctx, "projector", views.ProjectorPanel(s.projectorView(ctx, baseURL, snap)))}
	}
}

// projectorView is projectorViewOf with the current round's cross-impact
// results, when it is a cross-impact round.
func (s *Server) projectorView(ctx context.Context, baseURL string, snap *live.Snapshot) views.ProjectorView {
	v := projectorViewOf(ctx, baseURL, snap)
	var err error
	if v.CrossImpact, err = s.crossImpactPanel(ctx, snap.Workshop, snap.Workshop.Round, 6); err != nil {
		s.log.Error("cross-impact panel", "err", err)
	}
	return v
}

// projectorKey names the rendering that projectors in one language share.
func projectorKey(ctx context.Context, baseURL string) string {
	return "projector:" + baseURL + ":" + i18n.Lang(ctx)
}

// handleProjector handles "GET /workshops/{code}/projector": the big-screen
// view for the owner and organisers.
func (s *Server) handleProjector(w http.ResponseWriter, r *http.Request) {
	ws, _, err := s.managedWorkshop(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderProjectorPage(w, r, ws, "/workshops/"+ws.Code+"/projector/events")
}

// handleDisplay handles "GET /display/{token}": the projector view for a
// laptop that is not signed in. It shows, and changes nothing.
func (s *Server) handleDisplay(w http.ResponseWriter, r *http.Request) {
	ws, err := s.store.DisplayWorkshop(r.Context(), r.PathValue("token"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderProjectorPage(w, r, ws, "/display/"+r.PathValue("token")+"/events")
}

func (s *Server) renderProjectorPage(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, eventsURL string) {
	snap, err := s.live.Snapshot(r.Context(), ws.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer") // the display link is a secret
	p := views.Page{Title: ws.Title}
	s.render(w, r, http.StatusOK, views.Projector(p, s.projectorView(r.Context(), s.baseURL(r), snap), eventsURL))
}

// handleProjectorEvents handles "GET /workshops/{code}/projector/events".
func (s *Server) handleProjectorEvents(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.baseURL(r)
	ctx := renderContext(r)
	s.stream(w, r, ws, projectorKey(ctx, base), 0, s.renderProjector(ctx, base), s.manager(r, u, ws))
}

// handleDisplayEvents handles "GET /display/{token}/events".
func (s *Server) handleDisplayEvents(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	ws, err := s.store.DisplayWorkshop(r.Context(), token)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.baseURL(r)
	rctx := renderContext(r)
	s.stream(w, r, ws, projectorKey(rctx, base), 0, s.renderProjector(rctx, base), viewer{Viewer: live.Viewer{Display: true}, expires: true,
		alive: func(ctx context.Context) bool {
			_, err := s.store.DisplayWorkshop(ctx, token)
			return err == nil // a revoked link, or its owner disabled, ends the stream
		}})
}
