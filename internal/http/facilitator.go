package http

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"time"

	"foresight/internal/i18n"
	"foresight/internal/live"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// handleHome handles "GET /": the join-by-code form.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, views.Home(s.page(r, i18n.T(r.Context(), "common.join_workshop")), "", ""))
}

// handleDashboard handles "GET /dashboard": the account's workshops.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	u, err := s.facilitator(r)
	if requireSignIn(w, r, err) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	ws, err := s.store.WorkshopsFor(r.Context(), u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := views.Page{Title: i18n.T(r.Context(), "common.workshops"), User: &u}
	var flash string
	switch r.URL.Query().Get("done") {
	case "archived":
		flash = i18n.T(r.Context(), "facilitator.workshop_archived_admits_nobody")
	case "deleted":
		flash = i18n.T(r.Context(), "facilitator.workshop_all_data_deleted")
	}
	s.render(w, r, http.StatusOK, views.Dashboard(p, ws, flash))
}

// deckOptions are the decks u can start a workshop from.
func (s *Server) deckOptions(r *http.Request, u workshop.User) ([]views.DeckOption, error) {
	decks, err := s.usableDecks(r.Context(), u)
	var opts []views.DeckOption
	for _, d := range decks {
		opts = append(opts, views.DeckOption{Slug: d.Slug, Title: d.Title.In(i18n.Lang(r.Context())), Scenarios: len(d.Scenarios)})
	}
	return opts, err
}

// handleNewWorkshopPage handles "GET /workshops/new[?deck=SLUG]".
func (s *Server) handleNewWorkshopPage(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "common.new_workshop"))
	if !ok {
		return
	}
	opts, err := s.deckOptions(r, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := webform.NewWorkshop{Deck: cmp.Or(r.URL.Query().Get("deck"), s.deckIDs[0])}
	s.render(w, r, http.StatusOK, views.NewWorkshop(p, opts, f, nil))
}

// handleCreateWorkshop handles "POST /workshops": form deck, title, open.
func (s *Server) handleCreateWorkshop(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "common.new_workshop"))
	if !ok {
		return
	}
	f, err := webform.ParseNewWorkshop(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	opts, err := s.deckOptions(r, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	deck, err := s.deck(r.Context(), f.Deck)
	if err != nil || !deck.CanUse(u) {
		s.render(w, r, http.StatusUnprocessableEntity, views.NewWorkshop(p, opts, f, views.Errors{"deck": i18n.T(r.Context(), "facilitator.choose_one_decks_in")}))
		return
	}
	// Without a title the workshop takes the deck's, in the language the
	// facilitator reads the deck list in.
	title := f.TitleOr(deck.Title.In(i18n.Lang(r.Context())))
	ws, err := s.store.CreateWorkshop(r.Context(), u, deck, title, f.Open)
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok {
			s.error(w, r, err)
			return
		}
		_, status := errorStatus(err)
		s.render(w, r, status, views.NewWorkshop(p, opts, f, errs))
		return
	}
	redirect(w, r, "/workshops/"+ws.Code)
}

// handleResultsPage handles "GET /workshops/{code}[?round=N]": join
// details, voting controls, settings, and the results (live for the current
// round), for the owner and organisers.
func (s *Server) handleResultsPage(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
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
	v, err := s.resultsPageView(r, snap, round)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Flash = flashMessage(r.Context(), r.URL.Query().Get("done"))
	p := views.Page{Title: ws.Title, User: &u}
	s.render(w, r, http.StatusOK, views.Results(p, v))
}

// currentPageView is the facilitator's page of the workshop's current round
// as it is now: what a form with a problem is shown again on top of.
func (s *Server) currentPageView(r *http.Request, id int64) (views.ResultsView, error) {
	snap, err := s.live.Snapshot(r.Context(), id)
	if err != nil {
		return views.ResultsView{}, err
	}
	return s.resultsPageView(r, snap, snap.Workshop.Round)
}

// resultsPageView is everything the facilitator's page shows of round n:
// the live view plus the display link's state and the workshop's log.
func (s *Server) resultsPageView(r *http.Request, snap *live.Snapshot, n int) (views.ResultsView, error) {
	v := resultsView(r.Context(), s.baseURL(r), snap, n)
	var err error
	if v.CrossImpact, err = s.crossImpactPanel(r.Context(), snap.Workshop, n, 20); err != nil {
		return v, err
	}
	if v.HasDisplay, err = s.store.HasDisplayLink(r.Context(), snap.Workshop.ID); err != nil {
		return v, err
	}
	log, err := s.store.WorkshopLog(r.Context(), snap.Workshop.ID)
	for _, e := range log {
		v.Log = append(v.Log, logLine(r.Context(), e))
	}
	return v, err
}

// logLine is an entry of the workshop's log as the facilitator reads it:
// the entry's facts put into words in the reader's language.
func logLine(ctx context.Context, e workshop.LogEntry) views.LogLine {
	l := views.LogLine{At: i18n.DateTime(ctx, e.At), ISO: e.At.UTC().Format(time.RFC3339), Actor: e.Actor}
	if l.Actor == "" {
		l.Actor = i18n.T(ctx, "facilitator.deleted_account")
	}
	switch e.Action {
	case workshop.LogParticipantRemoved:
		l.What = i18n.Tf(ctx, "facilitator.removed_participant", e.Pseudonym,
			i18n.N(ctx, e.Ratings, "common.ratings_count"), i18n.N(ctx, e.Reasons, "facilitator.reasons_count"))
	case workshop.LogAnonymised:
		l.What = i18n.Tf(ctx, "facilitator.anonymised_workshop", i18n.N(ctx, e.Participants, "facilitator.participants_count"))
	case workshop.LogOutcomeRecorded:
		l.What = i18n.Tf(ctx, "facilitator.recorded_outcome_scenario", e.Scenario, outcomeWords(ctx, e.Outcome))
	case workshop.LogGroupsChanged:
		if e.Groups == "" {
			l.What = i18n.T(ctx, "facilitator.removed_expert_groups")
		} else {
			l.What = i18n.Tf(ctx, "facilitator.set_expert_groups", e.Groups)
		}
	case workshop.LogIdeaHidden:
		l.What = i18n.Tf(ctx, "ideas.log_hidden", e.Idea)
	case workshop.LogIdeaUnhidden:
		l.What = i18n.Tf(ctx, "ideas.log_unhidden", e.Idea)
	case workshop.LogIdeasMerged:
		l.What = i18n.Tf(ctx, "ideas.log_merged", e.Idea, e.Into, i18n.N(ctx, e.Votes, "ideas.votes_count"))
	case workshop.LogIdeaPromoted:
		l.What = i18n.Tf(ctx, "ideas.log_promoted", e.Idea, e.Scenario, i18n.N(ctx, e.Votes, "ideas.votes_count"))
	default: // a note from before the log had codes: its words as written
		l.What = cmp.Or(e.Text, string(e.Action))
	}
	return l
}

// outcomeWords is a recorded outcome as the log says it.
func outcomeWords(ctx context.Context, word string) string {
	switch word {
	case workshop.LogOccurred:
		return i18n.T(ctx, "common.happened_lower")
	case workshop.LogNotOccurred:
		return i18n.T(ctx, "common.did_not_happen_lower")
	}
	return i18n.T(ctx, "facilitator.not_known_yet")
}

// resultsView is the facilitator's view of round n of a snapshot.
func resultsView(ctx context.Context, baseURL string, snap *live.Snapshot, n int) views.ResultsView {
	v := views.ResultsView{
		W:             snap.Workshop,
		Results:       snap.Results(n),
		Rationales:    snap.RoundRationales(n),
		JoinURL:       baseURL + "/j/" + snap.Workshop.Code,
		Lang:          snap.Workshop.TextLanguage(i18n.Lang(ctx)),
		JoinedByGroup: snap.JoinedByGroup,
		Ideas:         len(snap.Ideas),
	}
	if n > 1 {
		prev := snap.Results(n - 1)
		v.Prev = &prev
	}
	return v
}

// flashMessage is the confirmation shown after a facilitator's action.
func flashMessage(ctx context.Context, done string) string {
	switch done {
	case "next":
		return i18n.T(ctx, "facilitator.voting_open_participants_screens")
	case "close":
		return i18n.T(ctx, "facilitator.voting_closed_ratings_kept")
	case "reopen":
		return i18n.T(ctx, "facilitator.voting_open_again")
	case "reveal":
		return i18n.T(ctx, "facilitator.results_round_revealed")
	case "finish":
		return i18n.T(ctx, "error.workshop_finished")
	case "settings":
		return i18n.T(ctx, "facilitator.settings_saved_participants_screens")
	case "sources":
		return i18n.T(ctx, "crossimpact.sources_saved")
	case "focus":
		return i18n.T(ctx, "facilitator.room_moved_scenario_in")
	case "revoke":
		return i18n.T(ctx, "facilitator.display_link_no_longer")
	case "rationale":
		return i18n.T(ctx, "facilitator.reason_updated")
	case "copied":
		return i18n.T(ctx, "facilitator.copy_in_lobby_ready")
	case "unarchived":
		return i18n.T(ctx, "facilitator.workshop_out_archive")
	case "anonymised":
		return i18n.T(ctx, "facilitator.workshop_anonymised")
	case "outcomes":
		return i18n.T(ctx, "facilitator.outcomes_saved_report_scores")
	case "removed":
		return i18n.T(ctx, "facilitator.participants_ratings_reasons_removed")
	case "ideas-open":
		return i18n.T(ctx, "ideas.flash_opened")
	case "ideas-close":
		return i18n.T(ctx, "ideas.flash_closed")
	case "idea":
		return i18n.T(ctx, "ideas.flash_idea_updated")
	case "merged":
		return i18n.T(ctx, "ideas.flash_merged")
	case "promoted":
		return i18n.T(ctx, "ideas.flash_promoted")
	}
	return ""
}

// handleStepForm handles "POST /workshops/{code}/{action}" for the actions
// next (with form field prefill), close, reopen, reveal and finish.
func (s *Server) handleStepForm(w http.ResponseWriter, r *http.Request) {
	action := workshop.Action(r.PathValue("action"))
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseStep(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	kind, err := f.Kind()
	if err != nil {
		s.error(w, r, err)
		return
	}
	if action == workshop.ActNextRound {
		_, err = s.store.NextRound(r.Context(), ws.Code, kind, f.Prefill)
	} else {
		_, err = s.store.Step(r.Context(), ws.Code, action, 0, f.Prefill)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done="+string(action))
}

// handleSettingsForm handles "POST /workshops/{code}/settings": form
// title, description, anonymity, participant_limit, visibility, pacing,
// and groups (the expert groups' names, one per line or separated by
// commas; the form has it in the lobby only, and without it the groups
// stay as they are).
func (s *Server) handleSettingsForm(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseSettings(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err = f.Check(); err == nil {
		_, err = s.store.UpdateSettings(r.Context(), ws.Code, f.Settings(), f.GroupNames(), u)
	}
	if err != nil {
		errs, ok := formErrors(r.Context(), err)
		if !ok {
			s.error(w, r, err)
			return
		}
		// Show the page again with what was typed and the problem.
		v, verr := s.currentPageView(r, ws.ID)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		v.SettingsForm, v.SettingsErrors = &f, errs
		_, status := errorStatus(err)
		s.render(w, r, status, views.Results(views.Page{Title: ws.Title, User: &u}, v))
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=settings")
}

// handleFocusForm handles "POST /workshops/{code}/focus": form scenario_id.
func (s *Server) handleFocusForm(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	f, err := webform.ParseFocus(r)
	if err == nil {
		err = f.Check()
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.store.SetFocus(r.Context(), ws.Code, f.Scenario()); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=focus#"+views.ResultID(f.Scenario()))
}

// handleDisplayCreate handles "POST /workshops/{code}/display": a new
// read-only display link, shown once.
func (s *Server) handleDisplayCreate(w http.ResponseWriter, r *http.Request) {
	ws, u, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	token, err := s.store.CreateDisplayLink(r.Context(), ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// Shown in the response to the POST, not after a redirect: the token
	// must not sit in a URL or in the browser's history.
	v, err := s.currentPageView(r, ws.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.DisplayURL = s.baseURL(r) + "/display/" + token
	p := views.Page{Title: ws.Title, User: &u}
	s.render(w, r, http.StatusOK, views.Results(p, v))
}

// handleDisplayRevoke handles "POST /workshops/{code}/display/revoke".
func (s *Server) handleDisplayRevoke(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	if err := s.store.RevokeDisplayLinks(r.Context(), ws.Code); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=revoke")
}

// rationaleFlags maps a moderation action to the flags it sets.
func rationaleFlags(action string) (hidden, featured *bool, ok bool) {
	yes, no := true, false
	switch action {
	case "hide":
		return &yes, &no, true
	case "unhide":
		return &no, nil, true
	case "feature":
		return nil, &yes, true
	case "unfeature":
		return nil, &no, true
	}
	return nil, nil, false
}

// handleRationaleForm handles "POST /workshops/{code}/rationales/{id}/{action}"
// for hide, unhide, feature and unfeature.
func (s *Server) handleRationaleForm(w http.ResponseWriter, r *http.Request) {
	ws, _, ok := s.managedPage(w, r)
	if !ok {
		return
	}
	if err := s.flagRationale(r, ws); err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/workshops/"+ws.Code+"?done=rationale#"+views.RationalesID)
}

func (s *Server) flagRationale(r *http.Request, ws *workshop.Workshop) error {
	hidden, featured, ok := rationaleFlags(r.PathValue("action"))
	if !ok {
		return workshop.Errorf(workshop.ENotFound, "error.no_such_action")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return workshop.Errorf(workshop.ENotFound, "error.workshop_no_such_rationale")
	}
	_, err = s.store.FlagRationale(r.Context(), ws.Code, id, hidden, featured)
	return err
}

// handleResultsEvents handles "GET /workshops/{code}/events": the results
// and the rationales as HTML over SSE for the facilitator's page.
func (s *Server) handleResultsEvents(w http.ResponseWriter, r *http.Request) {
	ws, u, err := s.managedWorkshop(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	base := s.baseURL(r)
	ctx := renderContext(r)
	s.stream(w, r, ws, "results-html:"+base+":"+i18n.Lang(ctx), 0, func(snap *live.Snapshot) [][]byte {
		v := resultsView(ctx, base, snap, snap.Workshop.Round)
		var err error
		if v.CrossImpact, err = s.crossImpactPanel(ctx, snap.Workshop, snap.Workshop.Round, 20); err != nil {
			s.log.Error("cross-impact panel", "err", err)
		}
		return [][]byte{sseHTML(ctx, "results", views.ResultsPanel(v)), sseHTML(ctx, "rationales", views.RationalesPanel(v))}
	}, s.manager(r, u, ws))
}
