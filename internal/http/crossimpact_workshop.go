package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"foresight/internal/export"
	"foresight/internal/i18n"
	"foresight/internal/workshop"
)

// crossImpactRound reads ?round=N of a cross-impact results request: a
// cross-impact round; by default the current round if it is one, else the
// last one.
func crossImpactRound(r *http.Request, ws *workshop.Workshop) (int, error) {
	rounds := ws.CrossImpactRounds()
	if q := r.URL.Query().Get("round"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return 0, workshop.FieldError("round", "must be a whole number from 1")
		}
		if n > ws.Round {
			return 0, workshop.Errorf(workshop.ENotFound, "This workshop has no round %d yet.", n)
		}
		if ws.KindOf(n) != workshop.RoundCrossImpact {
			return 0, workshop.FieldError("round", "Round %d is not a cross-impact round.", n)
		}
		return n, nil
	}
	if len(rounds) == 0 {
		return 0, workshop.Errorf(workshop.ENotFound, "This workshop has had no cross-impact round yet.")
	}
	return rounds[len(rounds)-1], nil
}

// crossImpactResult aggregates round n of a workshop's judgements, of the
// participants of group (0: everyone).
func (s *Server) crossImpactResult(ctx context.Context, ws *workshop.Workshop, n int, group int64) (workshop.CrossImpactResult, error) {
	js, err := s.store.Judgements(ctx, ws.ID, n)
	if err != nil {
		return workshop.CrossImpactResult{}, err
	}
	if group != 0 {
		kept := js[:0]
		for _, j := range js {
			if j.GroupID == group {
				kept = append(kept, j)
			}
		}
		js = kept
	}
	return workshop.NewCrossImpactResult(ws.CrossImpact(), n, js)
}

// apiCrossImpact is a participant's view of a cross-impact round.
type apiCrossImpact struct {
	Round       int                        `json:"round"`
	Open        bool                       `json:"open"` // judgements are taken now
	Descriptors []export.CIBDescriptorJSON `json:"descriptors"`
	Cells       []workshop.Cell            `json:"cells"`
	Judgements  []workshop.Judgement       `json:"judgements"`
}

// handleAPICrossImpact handles "GET /api/v1/workshops/{code}/crossimpact"
// (participant): the descriptors, the cells the participant is asked to
// judge and their own judgements of this round. In a rating round the
// cells are there (to prepare) and open is false.
func (s *Server) handleAPICrossImpact(w http.ResponseWriter, r *http.Request) {
	ws, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
		return
	}
	mine, err := s.store.JudgementsOf(r.Context(), p, ws.Round)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ci := ws.CrossImpact()
	out := apiCrossImpact{Round: ws.Round, Open: ws.State == workshop.StateOpen && ws.KindOf(ws.Round) == workshop.RoundCrossImpact,
		Descriptors: export.NewCIBDescriptorsJSON(ci, ws.TextLanguage(i18n.Lang(r.Context()))), Cells: ci.Cells(), Judgements: []workshop.Judgement{}}
	for _, j := range mine {
		out.Judgements = append(out.Judgements, j.Judgement)
	}
	writeJSON(w, http.StatusOK, out)
}

// judgementInput is the body of PUT …/crossimpact; Score is kept raw so
// that a missing score (422) differs from null ("don't know").
type judgementInput struct {
	From  string          `json:"from"`
	To    string          `json:"to"`
	Score json.RawMessage `json:"score"`
}

func (in judgementInput) parse() (workshop.Judgement, error) {
	j := workshop.Judgement{From: in.From, To: in.To}
	if in.From == "" {
		return j, workshop.FieldError("from", "is required")
	}
	if in.To == "" {
		return j, workshop.FieldError("to", "is required")
	}
	switch string(in.Score) {
	case "":
		return j, workshop.FieldError("score", "must be a whole number from −3 to 3, or null for “don't know”")
	case "null":
		return j, nil
	}
	var v int
	if err := json.Unmarshal(in.Score, &v); err != nil {
		return j, workshop.FieldError("score", "must be a whole number from −3 to 3, or null for “don't know”")
	}
	j.Score = &v
	return j, nil
}

// handleAPICrossImpactPut handles "PUT /api/v1/workshops/{code}/crossimpact"
// (participant): {"from", "to", "score": -3..3 | null} judges one cell of
// the open cross-impact round; answers {"seq": S} after the commit.
func (s *Server) handleAPICrossImpactPut(w http.ResponseWriter, r *http.Request) {
	_, p, err := s.participant(r)
	if err != nil {
		s.error(w, r, s.participantAPIError(r, err))
		return
	}
	var in judgementInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	j, err := in.parse()
	if err != nil {
		s.error(w, r, err)
		return
	}
	ch, err := s.store.SaveJudgement(r.Context(), p, j)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"seq": ch.Seq})
}

// handleAPICrossImpactResults handles
// "GET /api/v1/workshops/{code}/crossimpact/results[?round=N][&group=ID]"
// (owner, organiser): a cross-impact round's cells, its matrix of medians
// and the consistent scenarios.
func (s *Server) handleAPICrossImpactResults(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := crossImpactRound(r, ws)
	if err != nil {
		s.error(w, r, err)
		return
	}
	group, err := resultsGroup(r, ws)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.crossImpactResult(r.Context(), ws, n, group)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, export.NewCrossImpactResultsJSON(ws.CrossImpact(), res, group, ws.TextLanguage(i18n.Lang(r.Context()))))
}
