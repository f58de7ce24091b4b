package http

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"foresight/internal/deckform"
	"foresight/internal/i18n"
	"foresight/internal/webform"
	"foresight/internal/workshop"
	"foresight/views"
)

// deck returns a deck by slug: a built-in one, or one from the store.
func (s *Server) deck(ctx context.Context, slug string) (workshop.Deck, error) {
	if d, ok := s.decks[slug]; ok {
		return d, nil
	}
	return s.store.DeckBySlug(ctx, slug)
}

// usableDecks are the built-in decks and the ones u may edit.
func (s *Server) usableDecks(ctx context.Context, u workshop.User) ([]workshop.Deck, error) {
	var out []workshop.Deck
	for _, slug := range s.deckIDs {
		out = append(out, s.decks[slug])
	}
	own, err := s.store.DecksFor(ctx, u)
	return append(out, own...), err
}

// facilitatorPage returns the signed-in account and its page data, or
// answers the request (sign-in redirect or error) and returns false.
func (s *Server) facilitatorPage(w http.ResponseWriter, r *http.Request, title string) (workshop.User, views.Page, bool) {
	u, err := s.facilitator(r)
	if requireSignIn(w, r, err) {
		return u, views.Page{}, false
	}
	if err != nil {
		s.error(w, r, err)
		return u, views.Page{}, false
	}
	return u, views.Page{Title: title, User: &u}, true
}

// handleDecks handles "GET /decks": the decks a facilitator can use.
func (s *Server) handleDecks(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "common.decks"))
	if !ok {
		return
	}
	s.renderDecks(w, r, u, p, http.StatusOK, deckFlash(r.Context(), r.URL.Query().Get("done")), "")
}

func (s *Server) renderDecks(w http.ResponseWriter, r *http.Request, u workshop.User, p views.Page, status int, flash, importErr string) {
	decks, err := s.usableDecks(r.Context(), u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var items []views.DeckItem
	for _, d := range decks {
		items = append(items, views.DeckItem{Slug: d.Slug, Title: d.Title.In(i18n.Lang(r.Context())), Scenarios: len(d.Scenarios),
			Criteria: len(d.Criteria), BuiltIn: d.BuiltIn, CanEdit: d.CanEdit(u)})
	}
	s.render(w, r, status, views.Decks(p, items, flash, importErr))
}

func deckFlash(ctx context.Context, done string) string {
	switch done {
	case "saved":
		return i18n.T(ctx, "decks.deck_saved_workshops_made")
	case "deleted":
		return i18n.T(ctx, "decks.deck_deleted_workshops_made")
	case "imported":
		return i18n.T(ctx, "decks.deck_imported")
	}
	return ""
}

// handleDeckNew handles "GET /decks/new": first the deck's languages
// (deckform.Chosen, in the query), then the editor with one empty
// scenario and the usual criteria in those languages.
func (s *Server) handleDeckNew(w http.ResponseWriter, r *http.Request) {
	_, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.new_deck"))
	if !ok {
		return
	}
	langs := deckform.Chosen(r.URL.Query())
	if langs == nil {
		s.render(w, r, http.StatusOK, views.DeckLanguages(p, deckform.Form{Languages: []string{i18n.Lang(r.Context())}}))
		return
	}
	d := workshop.Deck{Languages: langs, Criteria: deckform.DefaultCriteria(langs...), Scenarios: []workshop.Scenario{{}}}
	s.render(w, r, http.StatusOK, views.DeckEditor(p, deckform.FromDeck(d, ""), nil, ""))
}

// editableDeck returns the deck of the {slug} path if u may edit it.
func (s *Server) editableDeck(r *http.Request, u workshop.User) (workshop.Deck, error) {
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err != nil {
		return d, err
	}
	if d.BuiltIn {
		return d, workshop.Errorf(workshop.EForbidden, "error.built_in_decks_cannot")
	}
	if !d.CanEdit(u) {
		return d, workshop.Errorf(workshop.EForbidden, "error.only_decks_author_organisers")
	}
	return d, nil
}

// handleDeckEdit handles "GET /decks/{slug}/edit".
func (s *Server) handleDeckEdit(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.edit_deck"))
	if !ok {
		return
	}
	d, err := s.editableDeck(r, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.DeckEditor(p, deckform.FromDeck(d, d.Slug), nil, ""))
}

// handleDeckForm handles "POST /decks" and "POST /decks/{slug}": the
// editor's buttons. "save" validates and stores; the others (add, remove,
// move) change the form and show it again, unsaved.
func (s *Server) handleDeckForm(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.edit_deck"))
	if !ok {
		return
	}
	slug := r.PathValue("slug")
	if slug != "" {
		if _, err := s.editableDeck(r, u); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f, op := deckform.Parse(r.PostForm, slug)
	if op != deckform.OpSave && op != "" {
		if err := f.Apply(op); err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, views.DeckEditor(p, f, nil, i18n.T(r.Context(), "decks.not_saved_yet_press")))
		return
	}
	d, errs := f.Deck(r.Context(), userMessage)
	if len(errs) == 0 {
		var err error
		if slug == "" {
			d.Slug = workshop.Slugify(d.Title[d.Languages[0]])
			if _, builtin := s.decks[d.Slug]; builtin {
				d.Slug += "-copy"
			}
			_, err = s.store.CreateDeck(r.Context(), u, d, true)
		} else {
			err = s.store.UpdateDeck(r.Context(), slug, d)
		}
		if err == nil {
			redirect(w, r, "/decks?done=saved")
			return
		}
		if errs = f.Errors(r.Context(), err, userMessage); errs == nil {
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, views.DeckEditor(p, f, errs, ""))
}

// handleDeckCopy handles "POST /decks/{slug}/copy": a copy the user owns.
func (s *Server) handleDeckCopy(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.copy_deck"))
	if !ok {
		return
	}
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err == nil && !d.CanUse(u) {
		err = workshop.Errorf(workshop.EForbidden, "error.deck_not_yours_copy")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Slug = workshop.Truncate(d.Slug, 50) + "-copy"
	title := workshop.Text{} // a new map: d.Title may be the built-in deck's own
	for lang, t := range d.Title {
		// In the title's own language where the interface has it.
		title[lang] = workshop.Truncate(i18n.Tf(i18n.WithLang(r.Context(), lang), "decks.copy_value", t), workshop.MaxTitleRunes)
	}
	d.Title = title
	copied, err := s.store.CreateDeck(r.Context(), u, d, true)
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/decks/"+copied.Slug+"/edit")
}

// handleDeckDelete handles "POST /decks/{slug}/delete".
func (s *Server) handleDeckDelete(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.delete_deck"))
	if !ok {
		return
	}
	d, err := s.editableDeck(r, u)
	if err == nil {
		err = s.store.DeleteDeck(r.Context(), d.Slug)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirect(w, r, "/decks?done=deleted")
}

// handleDeckExport handles "GET /decks/{slug}/export.json": the deck in
// the versioned format, built-in decks too.
func (s *Server) handleDeckExport(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "decks.export_deck"))
	if !ok {
		return
	}
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err == nil && !d.CanUse(u) {
		err = workshop.Errorf(workshop.EForbidden, "error.deck_not_yours_export")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, d.Slug))
	w.Write(d.JSON())
}

// handleDeckImport handles "POST /decks/import": a multipart form with a
// JSON deck or a CSV file of scenarios.
func (s *Server) handleDeckImport(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "common.decks"))
	if !ok {
		return
	}
	fail := func(err error) {
		if workshop.ErrorCode(err) == workshop.EInternal {
			var mbe *http.MaxBytesError
			if !errors.As(err, &mbe) {
				s.error(w, r, err)
				return
			}
			err = workshop.Errorf(workshop.ETooLarge, "error.file_larger_than_1")
		}
		_, status := errorStatus(err)
		msg := userMessage(r.Context(), err)
		// A problem in the file names where it is, as a path in the deck
		// format: "scenarios[2].title: ...".
		var de *workshop.Error
		if errors.As(err, &de) && de.Field != "" && de.Field != "file" {
			msg = de.Field + ": " + msg
		}
		s.renderDecks(w, r, u, p, status, "", msg)
	}
	f, err := webform.ParseDeckImport(r)
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.Is(err, http.ErrMissingFile):
			fail(workshop.FieldError("file", "error.choose_file_import"))
		case errors.As(err, &mbe):
			fail(err)
		default:
			// Not multipart, no boundary, an empty or cut body: the
			// client's mistake, never ours.
			fail(workshop.Errorf(workshop.EMalformed, "error.upload_could_not_read"))
		}
		return
	}
	defer f.File.Close()
	data, err := io.ReadAll(io.LimitReader(f.File, workshop.MaxDeckBytes+1))
	if err != nil {
		fail(err)
		return
	}
	lang := cmp.Or(f.CSVLanguage, i18n.Lang(r.Context()))
	d, err := workshop.ImportDeck(f.Filename, data, lang, deckform.CSVDefaults(lang))
	if err != nil {
		fail(err)
		return
	}
	if _, builtin := s.decks[d.Slug]; builtin {
		d.Slug = workshop.Truncate(d.Slug, 50) + "-copy"
	}
	if _, err := s.store.CreateDeck(r.Context(), u, d, true); err != nil {
		fail(err)
		return
	}
	redirect(w, r, "/decks?done=imported")
}
