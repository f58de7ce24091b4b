package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"foresight/internal/export"
	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// crossImpactRound reads ?round=N of a cross-impact results request: a
// cross-impact round; by default the current round if it is one, else the
// last one.
func crossImpactRound(r *http.Request, ws *workshop.Workshop) (int, error) {
	rounds := ws.CrossImpactRounds()
	if q := r.URL.Query().Get("round"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return 0, workshop.FieldError("round", "error.must_whole_number_1")
		}
		if n > ws.Round {
			return 0, workshop.Errorf(workshop.ENotFound, "error.workshop_no_round_yet", n)
		}
		if ws.KindOf(n) != workshop.RoundCrossImpact {
			return 0, workshop.FieldError("round", "error.cib_not_cross_impact_round", n)
		}
		return n, nil
	}
	if len(rounds) == 0 {
		return 0, workshop.Errorf(workshop.ENotFound, "error.cib_no_round_yet")
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
		Descriptors: export.NewCIBDescriptorsJSON(ci, ws.TextLanguage(i18n.Lang(r.Context()))), Cells: ci.CellsFor(p.GroupID), Judgements: []workshop.Judgement{}}
	for _, j := range mine {
		out.Judgements = append(out.Judgements, j.Judgement)
	}
	writeJSON(w, http.StatusOK, out)
}

// judgementInput is the body of PUT …/crossimpact; Score is kept raw so
// that a missing score (422) differs from null ("don't know").
type judgementInput struct {
	From   string          `json:"from"`
	To     string          `json:"to"`
	Score  json.RawMessage `json:"score"`
	Reason string          `json:"reason"`
}

func (in judgementInput) parse() (workshop.Judgement, error) {
	j := workshop.Judgement{From: in.From, To: in.To, Reason: in.Reason}
	if in.From == "" {
		return j, workshop.FieldError("from", "error.required_lower")
	}
	if in.To == "" {
		return j, workshop.FieldError("to", "error.required_lower")
	}
	switch string(in.Score) {
	case "":
		return j, workshop.FieldError("score", "error.cib_judgement_score")
	case "null":
		return j, nil
	}
	var v int
	if err := json.Unmarshal(in.Score, &v); err != nil {
		return j, workshop.FieldError("score", "error.cib_judgement_score")
	}
	j.Score = &v
	return j, nil
}

// handleAPICrossImpactPut handles "PUT /api/v1/workshops/{code}/crossimpact"
// (participant): {"from", "to", "score": -3..3 | null} judges one cell of
// the open cross-impact round; answers {"seq": S} after the commit.
func (s *Server) handleAPICrossImpactPut(w http.ResponseWriter, r *http.Request) {
	p, ok := s.savingParticipant(w, r)
	if !ok {
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

// crossImpactVoteView gathers a participant's page in a cross-impact
// round: every source with the participant's answers (typed, where a form
// came back with a problem), and from round 2, where the group stood in
// the last cross-impact round when the workshop shows it.
func (s *Server) crossImpactVoteView(r *http.Request, ws *workshop.Workshop, p workshop.Participant, current int, typed *webform.Judgements) (views.CIVoteView, error) {
	ctx := r.Context()
	lang := ws.TextLanguage(i18n.Lang(ctx))
	ci := ws.CrossImpact()
	v := views.CIVoteView{W: ws, FromScenarios: ci.FromScenarios}
	mine, err := s.store.JudgementsOf(ctx, p, ws.Round)
	if err != nil {
		return v, err
	}
	answer, reason := map[workshop.Cell]string{}, map[workshop.Cell]string{}
	for _, j := range mine {
		answer[j.Cell()], reason[j.Cell()] = judgementValue(j.Judgement), j.Reason
	}
	// Feedback: the previous round, when it was a cross-impact round and
	// the workshop lets participants see results.
	var prev map[workshop.Cell]workshop.CellResult
	var prevOwn map[workshop.Cell]string
	if n := ws.Round - 1; n >= 1 && ws.KindOf(n) == workshop.RoundCrossImpact && ws.Visibility != workshop.VisibleNever {
		res, err := s.crossImpactResult(ctx, ws, n, 0)
		if err != nil {
			return v, err
		}
		prev = map[workshop.Cell]workshop.CellResult{}
		for _, c := range res.Cells {
			prev[c.Cell] = c
		}
		own, err := s.store.JudgementsOf(ctx, p, n)
		if err != nil {
			return v, err
		}
		prevOwn = map[workshop.Cell]string{}
		for _, j := range own {
			prevOwn[j.Cell()] = judgementValue(j.Judgement)
		}
	}
	titles := map[string][2]string{} // variant id: descriptor's and variant's titles
	for _, d := range ci.Descriptors {
		for _, vr := range d.Variants {
			titles[vr.ID] = [2]string{d.Title.In(lang), vr.Title.In(lang)}
		}
	}
	for _, c := range ci.CellsFor(p.GroupID) {
		if len(v.Sources) == 0 || v.Sources[len(v.Sources)-1].From != c.From {
			t := titles[c.From]
			v.Sources = append(v.Sources, views.CISource{From: c.From, Descriptor: t[0], Variant: t[1]})
		}
		src := &v.Sources[len(v.Sources)-1]
		t := titles[c.To]
		tg := views.CITarget{To: c.To, Descriptor: t[0], Variant: t[1], Value: answer[c], Reason: reason[c]}
		if tg.Value != "" {
			src.Given++
			v.Given++
		}
		if cr, ok := prev[c]; ok && cr.Median != nil {
			fb := &views.CIFeedback{Median: *cr.Median, Q1: *cr.Q1, Q3: *cr.Q3, Own: prevOwn[c]}
			if own, err := strconv.Atoi(fb.Own); err == nil {
				fb.Outside = float64(own) < fb.Q1 || float64(own) > fb.Q3
			}
			tg.Prev = fb
		}
		src.Targets = append(src.Targets, tg)
		v.Total++
	}
	if len(v.Sources) == 0 {
		return v, workshop.Errorf(workshop.EConflict, "error.cib_round_is_rating")
	}
	v.Current = min(max(current, 0), len(v.Sources)-1)
	if typed != nil {
		src := &v.Sources[v.Current]
		for i := range src.Targets {
			if val, ok := typed.Scores[src.Targets[i].To]; ok {
				src.Targets[i].Value = val
			}
			if val, ok := typed.Reasons[src.Targets[i].To]; ok {
				src.Targets[i].Reason = val
			}
		}
	}
	return v, nil
}

// judgementValue is a judgement as the form writes it: "-3"…"3" or "dk".
func judgementValue(j workshop.Judgement) string {
	if j.Score == nil {
		return webform.DontKnowValue
	}
	return strconv.Itoa(*j.Score)
}

// renderCrossImpactVote shows a participant's page in a cross-impact round.
func (s *Server) renderCrossImpactVote(w http.ResponseWriter, r *http.Request, ws *workshop.Workshop, p workshop.Participant, status, current int, typed *webform.Judgements, problem error, problemAt string) {
	v, err := s.crossImpactVoteView(r, ws, p, current, typed)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if problem != nil {
		v.Problem, v.ProblemAt = userMessage(r.Context(), problem), problemAt
	} else if r.URL.Query().Get("saved") != "" {
		v.Flash = i18n.T(r.Context(), "crossimpact.saved")
	}
	s.render(w, r, status, views.CrossImpactVote(s.page(r, ws.Title), v))
}

// handleJudgementsForm handles "POST /w/{code}/crossimpact": the phone's
// judgements of one source, saved at once (one transaction), then the
// next (or previous, or the same) source. A problem shows the source
// again as it was typed.
func (s *Server) handleJudgementsForm(w http.ResponseWriter, r *http.Request) {
	ws, p, err := s.participant(r)
	if err != nil {
		if c := workshop.ErrorCode(err); c == workshop.EUnauthorized || c == workshop.EForbidden {
			redirect(w, r, "/j/"+ws.Code)
			return
		}
		s.error(w, r, err)
		return
	}
	if err := s.allowSave(w, p); err != nil {
		s.error(w, r, err)
		return
	}
	if ws.KindOf(ws.Round) != workshop.RoundCrossImpact {
		s.error(w, r, workshop.CheckJudgementsOpen(ws.State, ws.KindOf(ws.Round)))
		return
	}
	f, err := webform.ParseJudgements(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var targets []string
	for _, c := range ws.CrossImpact().CellsFor(p.GroupID) {
		if c.From == f.From {
			targets = append(targets, c.To)
		}
	}
	js, err := f.Judgements(targets)
	problemAt := ""
	if err == nil {
		_, _, err = s.store.SaveJudgements(r.Context(), p, js)
	}
	if err != nil {
		if code := workshop.ErrorCode(err); code == workshop.EInternal || code == workshop.ETooMany {
			s.error(w, r, err)
			return
		}
		var de *workshop.Error
		if errors.As(err, &de) && de.Field != "" {
			problemAt = de.Field
		}
		_, status := errorStatus(err)
		if problemAt == "reason" {
			problemAt = "" // the reason of one of the targets: the form shows which
		}
		s.renderCrossImpactVote(w, r, ws, p, status, f.Source, &f, err, problemAt)
		return
	}
	next := f.Source
	switch f.Next {
	case "next":
		next++
	case "prev":
		next--
	}
	redirect(w, r, fmt.Sprintf("/w/%s?source=%d&saved=1#main", ws.Code, max(next, 0)))
}

// handleSourceGroupsForm handles "POST /workshops/{code}/crossimpact/sources":
// fields src-DESCRIPTOR = the ID of the expert group that judges that
// descriptor's sources, or "" for everyone.
func (s *Server) handleSourceGroupsForm(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseSourceGroups(r, ws.CrossImpact().CIBDescriptors())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.store.SetSourceGroups(r.Context(), ws.Code, f.Groups()); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=sources#cib-sources")
}

// apiSourceGroups is the split of the cross-impact sources among expert
// groups: descriptor id to group ID; a descriptor left out is everyone's.
type apiSourceGroups struct {
	Sources map[string]int64 `json:"sources"`
}

// handleAPISourceGroups handles "PUT /api/v1/workshops/{code}/crossimpact/sources"
// (owner, organiser): {"sources": {"DESCRIPTOR": GROUP_ID, …}} gives each
// descriptor's sources to an expert group (0 or left out: everyone) and
// answers the split as stored.
func (s *Server) handleAPISourceGroups(w http.ResponseWriter, r *http.Request) {
	ws, err := s.managedAPI(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in apiSourceGroups
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	updated, err := s.store.SetSourceGroups(r.Context(), ws.Code, in.Sources)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := apiSourceGroups{Sources: updated.SourceGroups}
	if out.Sources == nil {
		out.Sources = map[string]int64{}
	}
	writeJSON(w, http.StatusOK, out)
}
