package http

import (
	"net/http"

	"foresight/assets"
)

// routes lists every route of the server in one place.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+assets.Prefix, assets.Handler())
	mux.HandleFunc("GET /healthz", s.handleHealth)

	// Participants.
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("POST /language", s.handleLanguage) // the interface language, remembered in a cookie
	mux.HandleFunc("GET /join", s.handleJoinCode)
	mux.HandleFunc("GET /j/{code}", s.handleJoinPage)
	mux.HandleFunc("POST /j/{code}", s.handleJoin)
	mux.HandleFunc("GET /w/{code}", s.handleVotePage)
	mux.HandleFunc("POST /w/{code}/ratings", s.handleRatingsForm)        // ratings, clear, and reasons
	mux.HandleFunc("POST /w/{code}/crossimpact", s.handleJudgementsForm) // one source's cross-impact judgements
	mux.HandleFunc("GET /w/{code}/events", s.handleParticipantEvents)
	mux.HandleFunc("GET /w/{code}/ideas", s.handleIdeasPage)
	mux.HandleFunc("POST /w/{code}/ideas", s.handleIdeaForm)
	mux.HandleFunc("POST /w/{code}/ideas/{id}/vote", s.handleVoteForm) // vote on or off

	// Facilitators.
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /setup/{token}", s.handleSetupPage)
	mux.HandleFunc("POST /setup/{token}", s.handleSetup)
	mux.HandleFunc("GET /dashboard", s.handleDashboard)
	mux.HandleFunc("GET /scores", s.handleScoresOverview) // organisers: finished workshops' scores side by side
	mux.HandleFunc("GET /workshops/new", s.handleNewWorkshopPage)
	mux.HandleFunc("POST /workshops", s.handleCreateWorkshop)
	mux.HandleFunc("GET /workshops/{code}", s.handleResultsPage)
	mux.HandleFunc("GET /workshops/{code}/events", s.handleResultsEvents)
	mux.HandleFunc("POST /workshops/{code}/settings", s.handleSettingsForm)
	mux.HandleFunc("POST /workshops/{code}/focus", s.handleFocusForm)
	mux.HandleFunc("POST /workshops/{code}/display", s.handleDisplayCreate)
	mux.HandleFunc("POST /workshops/{code}/display/revoke", s.handleDisplayRevoke)
	mux.HandleFunc("POST /workshops/{code}/rationales/{id}/{action}", s.handleRationaleForm)
	mux.HandleFunc("POST /workshops/{code}/crossimpact/sources", s.handleSourceGroupsForm) // which expert group judges which sources
	mux.HandleFunc("POST /workshops/{code}/{action}", s.handleStepForm)                    // next, close, reopen, reveal, finish

	// Ideas from the room, for the owner and organisers.
	mux.HandleFunc("GET /workshops/{code}/ideas", s.handleFacilitatorIdeas)
	mux.HandleFunc("GET /workshops/{code}/ideas/events", s.handleFacilitatorIdeasEvents)
	mux.HandleFunc("GET /workshops/{code}/ideas/{id}", s.handleIdeaPage)
	mux.HandleFunc("POST /workshops/{code}/ideas/{phase}", s.handleIdeasPhaseForm)       // open, close
	mux.HandleFunc("POST /workshops/{code}/ideas/{id}/{action}", s.handleIdeaActionForm) // hide, unhide, merge, promote
	mux.HandleFunc("POST /workshops/{code}/deck", s.handleSaveAsDeck)                    // the workshop's scenarios as a new deck

	// The projector: for a signed-in facilitator, or by a display link.
	mux.HandleFunc("GET /workshops/{code}/projector", s.handleProjector)
	mux.HandleFunc("GET /workshops/{code}/projector/events", s.handleProjectorEvents)
	mux.HandleFunc("GET /display/{token}", s.handleDisplay)
	mux.HandleFunc("GET /display/{token}/events", s.handleDisplayEvents)

	// JSON API v1.
	mux.HandleFunc("GET /api/v1/workshops/{code}", s.handleAPIWorkshop)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/ratings", s.handleAPIRatingPut)
	mux.HandleFunc("DELETE /api/v1/workshops/{code}/ratings", s.handleAPIRatingDelete)
	mux.HandleFunc("GET /api/v1/workshops/{code}/results", s.handleAPIResults)
	mux.HandleFunc("GET /api/v1/workshops/{code}/events", s.handleAPIEvents)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/settings", s.handleAPISettings)
	mux.HandleFunc("POST /api/v1/workshops/{code}/rounds", s.handleAPINextRound)
	mux.HandleFunc("POST /api/v1/workshops/{code}/rounds/{n}/{action}", s.handleAPIRoundStep) // close, reopen, reveal
	mux.HandleFunc("POST /api/v1/workshops/{code}/finish", s.handleAPIFinish)
	mux.HandleFunc("POST /api/v1/workshops/{code}/focus", s.handleAPIFocus)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/rationales", s.handleAPIRationalePut)
	mux.HandleFunc("POST /api/v1/workshops/{code}/rationales/{id}/{action}", s.handleAPIRationaleFlag) // hide, unhide, feature, unfeature
	mux.HandleFunc("GET /api/v1/workshops/{code}/outcomes", s.handleAPIOutcomes)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/outcomes", s.handleAPIOutcomePut)
	mux.HandleFunc("GET /api/v1/workshops/{code}/scores", s.handleAPIScores)
	mux.HandleFunc("GET /api/v1/workshops/{code}/crossimpact", s.handleAPICrossImpact)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/crossimpact", s.handleAPICrossImpactPut)
	mux.HandleFunc("GET /api/v1/workshops/{code}/crossimpact/results", s.handleAPICrossImpactResults)
	mux.HandleFunc("PUT /api/v1/workshops/{code}/crossimpact/sources", s.handleAPISourceGroups)
	mux.HandleFunc("POST /api/v1/crossimpact/evaluate", s.handleAPICrossImpactEvaluate) // any signed-in account; stores nothing
	mux.HandleFunc("GET /api/v1/workshops/{code}/ideas", s.handleAPIIdeas)
	mux.HandleFunc("POST /api/v1/workshops/{code}/ideas", s.handleAPIIdeaPost)
	mux.HandleFunc("POST /api/v1/workshops/{code}/ideas/{phase}", s.handleAPIIdeasOpen) // open, close
	mux.HandleFunc("PUT /api/v1/workshops/{code}/ideas/{id}/vote", s.handleAPIVote)
	mux.HandleFunc("DELETE /api/v1/workshops/{code}/ideas/{id}/vote", s.handleAPIVote)
	mux.HandleFunc("POST /api/v1/workshops/{code}/ideas/{id}/promote", s.handleAPIIdeaPromote)
	mux.HandleFunc("POST /api/v1/workshops/{code}/ideas/{id}/{action}", s.handleAPIIdeaModerate) // hide, unhide, merge
	mux.HandleFunc("/api/", s.handleAPINotFound)

	// Decks: the library, the editor, import and export.
	mux.HandleFunc("GET /decks", s.handleDecks)
	mux.HandleFunc("GET /decks/new", s.handleDeckNew)
	mux.HandleFunc("POST /decks", s.handleDeckForm)          // a new deck: editor operations and save
	mux.HandleFunc("POST /decks/import", s.handleDeckImport) // JSON or CSV file
	mux.HandleFunc("GET /decks/{slug}/edit", s.handleDeckEdit)
	mux.HandleFunc("POST /decks/{slug}", s.handleDeckForm) // an existing deck: editor operations and save
	mux.HandleFunc("POST /decks/{slug}/copy", s.handleDeckCopy)
	mux.HandleFunc("POST /decks/{slug}/delete", s.handleDeckDelete)
	mux.HandleFunc("GET /decks/{slug}/export.json", s.handleDeckExport)

	// A workshop as a whole: copy, archive, anonymise, delete, remove a participant.
	mux.HandleFunc("POST /workshops/{code}/copy", s.handleWorkshopCopy)
	mux.HandleFunc("POST /workshops/{code}/archive", s.handleWorkshopArchive)
	mux.HandleFunc("POST /workshops/{code}/unarchive", s.handleWorkshopArchive)
	mux.HandleFunc("POST /workshops/{code}/anonymise", s.handleWorkshopAnonymise)
	mux.HandleFunc("POST /workshops/{code}/delete", s.handleWorkshopDelete)
	mux.HandleFunc("POST /workshops/{code}/participants/{id}/remove", s.handleParticipantRemove)
	mux.HandleFunc("POST /workshops/{code}/outcomes", s.handleOutcomesForm) // what became of each scenario, once finished

	// Cross-impact analysis of a matrix of one's own (any signed-in account).
	mux.HandleFunc("GET /crossimpact", s.handleCrossImpactPage)
	mux.HandleFunc("POST /crossimpact", s.handleCrossImpactForm)

	// Accounts: one's own, the organisers' people page, one-time links.
	mux.HandleFunc("GET /account", s.handleAccount)
	mux.HandleFunc("POST /account/password", s.handleChangePassword)
	mux.HandleFunc("POST /account/sessions/{id}/end", s.handleEndSession)
	mux.HandleFunc("GET /admin/users", s.handlePeople)
	mux.HandleFunc("POST /admin/invites", s.handleInvite)
	mux.HandleFunc("POST /admin/users/{id}/disable", s.handleDisableUser)
	mux.HandleFunc("POST /admin/users/{id}/enable", s.handleEnableUser)
	mux.HandleFunc("POST /admin/users/{id}/reset", s.handleResetLink)
	mux.HandleFunc("GET /invite/{token}", s.handleInvitePage)
	mux.HandleFunc("POST /invite/{token}", s.handleAcceptInvite)
	mux.HandleFunc("GET /reset/{token}", s.handleResetPage)
	mux.HandleFunc("POST /reset/{token}", s.handleReset)

	// Exports and the printable report.
	mux.HandleFunc("GET /workshops/{code}/export/report", s.handleReport)
	mux.HandleFunc("GET /workshops/{code}/export/report.pdf", s.handleReportPDF)
	mux.HandleFunc("GET /workshops/{code}/export/{file}", s.handleExport) // ratings.csv, summary.csv, rationales.csv, workshop.json, workshop.xlsx

	mux.HandleFunc("/", s.handleNotFound)
	return mux
}
