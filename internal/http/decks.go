package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"foresight/internal/i18n"
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
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Decks"))
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
		return i18n.T(ctx, "The deck is saved. Workshops made from it earlier keep their own copy.")
	case "deleted":
		return i18n.T(ctx, "The deck is deleted. Workshops made from it keep their own copy.")
	case "imported":
		return i18n.T(ctx, "The deck is imported.")
	}
	return ""
}

// handleDeckNew handles "GET /decks/new": the editor with one empty
// scenario and the usual criteria.
func (s *Server) handleDeckNew(w http.ResponseWriter, r *http.Request) {
	_, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "New deck"))
	if !ok {
		return
	}
	d := workshop.Deck{Criteria: workshop.DefaultCriteria(), Scenarios: []workshop.Scenario{{}}}
	s.render(w, r, http.StatusOK, views.DeckEditor(p, deckToForm(d, ""), nil, ""))
}

// editableDeck returns the deck of the {slug} path if u may edit it.
func (s *Server) editableDeck(r *http.Request, u workshop.User) (workshop.Deck, error) {
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err != nil {
		return d, err
	}
	if d.BuiltIn {
		return d, workshop.Errorf(workshop.EForbidden, "Built-in decks cannot be edited. Copy it, and edit the copy.")
	}
	if !d.CanEdit(u) {
		return d, workshop.Errorf(workshop.EForbidden, "Only the deck's author and organisers can change it.")
	}
	return d, nil
}

// handleDeckEdit handles "GET /decks/{slug}/edit".
func (s *Server) handleDeckEdit(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Edit deck"))
	if !ok {
		return
	}
	d, err := s.editableDeck(r, u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.DeckEditor(p, deckToForm(d, d.Slug), nil, ""))
}

// handleDeckForm handles "POST /decks" and "POST /decks/{slug}": the
// editor's buttons. "save" validates and stores; the others (add, remove,
// move) change the form and show it again, unsaved.
func (s *Server) handleDeckForm(w http.ResponseWriter, r *http.Request) {
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Edit deck"))
	if !ok {
		return
	}
	var base workshop.Deck
	slug := r.PathValue("slug")
	if slug != "" {
		var err error
		if base, err = s.editableDeck(r, u); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := formToDeckForm(r.PostForm, slug)
	op := r.PostForm.Get("op")
	if op != "save" && op != "" {
		if err := applyDeckOp(&f, op); err != nil {
			s.error(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, views.DeckEditor(p, f, nil, i18n.T(r.Context(), "Not saved yet: press “Save deck” when you are done.")))
		return
	}
	d, errs := formToDeck(r.Context(), f, base)
	if len(errs) == 0 {
		var err error
		if slug == "" {
			d.Slug = workshop.Slugify(d.Title.In(workshop.DefaultLanguage))
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
		if errs = deckErrors(r.Context(), err, f); errs == nil {
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, views.DeckEditor(p, f, errs, ""))
}

// handleDeckCopy handles "POST /decks/{slug}/copy": a copy the user owns.
func (s *Server) handleDeckCopy(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Copy deck"))
	if !ok {
		return
	}
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err == nil && !d.CanUse(u) {
		err = workshop.Errorf(workshop.EForbidden, "This deck is not yours to copy.")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Slug = workshop.Truncate(d.Slug, 50) + "-copy"
	title := workshop.Text{} // a new map: d.Title may be the built-in deck's own
	for lang, t := range d.Title {
		// In the title's own language where the interface has it.
		title[lang] = workshop.Truncate(i18n.Tf(i18n.WithLang(r.Context(), lang), "Copy of %s", t), workshop.MaxTitleRunes)
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
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Delete deck"))
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
	u, _, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Export deck"))
	if !ok {
		return
	}
	d, err := s.deck(r.Context(), r.PathValue("slug"))
	if err == nil && !d.CanUse(u) {
		err = workshop.Errorf(workshop.EForbidden, "This deck is not yours to export.")
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
	u, p, ok := s.facilitatorPage(w, r, i18n.T(r.Context(), "Decks"))
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
			err = workshop.Errorf(workshop.ETooLarge, "The file is larger than 1 MB.")
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
	file, hdr, err := r.FormFile("file")
	if err != nil {
		if errors.Is(err, http.ErrMissingFile) {
			fail(workshop.FieldError("file", "Choose a file to import."))
			return
		}
		fail(err)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, workshop.MaxDeckBytes+1))
	if err != nil {
		fail(err)
		return
	}
	d, err := workshop.ImportDeck(hdr.Filename, data)
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

// deckToForm turns a deck into the editor's fields (its English text).
func deckToForm(d workshop.Deck, slug string) views.DeckForm {
	en := workshop.DefaultLanguage
	f := views.DeckForm{Slug: slug, Title: d.Title[en], Description: d.Description[en], Source: d.Source[en]}
	for _, sc := range d.Scenarios {
		var signposts []string
		for _, sp := range sc.Signposts {
			signposts = append(signposts, sp[en])
		}
		f.Scenarios = append(f.Scenarios, views.ScenarioForm{Key: sc.Key, Title: sc.Title[en], Narrative: sc.Narrative[en],
			Source: sc.Source[en], Signposts: strings.Join(signposts, "\n")})
	}
	for _, c := range d.Criteria {
		cf := views.CriterionForm{Key: c.Key, Name: c.Name[en], Question: c.Question[en], Kind: c.Kind, DontKnow: c.DontKnow,
			Min: strconv.Itoa(c.Min), Max: strconv.Itoa(c.Max), Step: strconv.Itoa(c.Step)}
		if c.Kind == workshop.KindScale {
			cf.Step = ""
		} else {
			cf.Min, cf.Max = "", ""
		}
		var labels []string
		for _, l := range c.Labels {
			labels = append(labels, fmt.Sprintf("%d = %s", l.Value, l.Text[en]))
		}
		cf.Labels = strings.Join(labels, "\n")
		f.Criteria = append(f.Criteria, cf)
	}
	return f
}

// formToDeckForm reads the editor's posted fields, in the order of their
// position fields (which drag and drop rewrites).
func formToDeckForm(form map[string][]string, slug string) views.DeckForm {
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return strings.ReplaceAll(v[0], "\r\n", "\n")
		}
		return ""
	}
	count := func(name string) int {
		n, _ := strconv.Atoi(get(name))
		return min(max(n, 0), workshop.MaxScenarios+1)
	}
	f := views.DeckForm{Slug: slug, Title: get("title"), Description: get("description"), Source: get("source")}
	type positioned[T any] struct {
		pos  int
		item T
	}
	var scen []positioned[views.ScenarioForm]
	for i := range count("s-n") {
		p := func(field string) string { return get(fmt.Sprintf("s-%d-%s", i, field)) }
		pos, err := strconv.Atoi(p("pos"))
		if err != nil {
			pos = i
		}
		scen = append(scen, positioned[views.ScenarioForm]{pos, views.ScenarioForm{Key: p("key"), Title: p("title"),
			Narrative: p("narrative"), Source: p("source"), Signposts: p("signposts")}})
	}
	sort.SliceStable(scen, func(a, b int) bool { return scen[a].pos < scen[b].pos })
	for _, s := range scen {
		f.Scenarios = append(f.Scenarios, s.item)
	}
	var crit []positioned[views.CriterionForm]
	for i := range count("c-n") {
		p := func(field string) string { return get(fmt.Sprintf("c-%d-%s", i, field)) }
		pos, err := strconv.Atoi(p("pos"))
		if err != nil {
			pos = i
		}
		crit = append(crit, positioned[views.CriterionForm]{pos, views.CriterionForm{Key: p("key"), Name: p("name"), Question: p("question"),
			Kind: p("kind"), Min: p("min"), Max: p("max"), Step: p("step"), Labels: p("labels"), DontKnow: p("dont_know") != ""}})
	}
	sort.SliceStable(crit, func(a, b int) bool { return crit[a].pos < crit[b].pos })
	for _, c := range crit {
		f.Criteria = append(f.Criteria, c.item)
	}
	return f
}

var deckOp = regexp.MustCompile(`^(add|remove|up|down)-(s|c)(?:-(\d+))?$`)

// applyDeckOp adds, removes or moves one scenario or criterion.
func applyDeckOp(f *views.DeckForm, op string) error {
	m := deckOp.FindStringSubmatch(op)
	if m == nil {
		return workshop.Errorf(workshop.EInvalid, "Unknown editor action.")
	}
	i, _ := strconv.Atoi(m[3])
	switch m[2] {
	case "s":
		f.Scenarios = moveItem(f.Scenarios, m[1], i, views.ScenarioForm{}, workshop.MaxScenarios)
	case "c":
		f.Criteria = moveItem(f.Criteria, m[1], i, views.CriterionForm{Kind: workshop.KindScale, Min: "1", Max: "5", DontKnow: true}, workshop.MaxCriteria)
	}
	return nil
}

// moveItem applies an editor action to a list.
func moveItem[T any](list []T, action string, i int, blank T, limit int) []T {
	switch {
	case action == "add" && len(list) < limit:
		return append(list, blank)
	case i < 0 || i >= len(list):
		return list
	case action == "remove":
		return append(list[:i], list[i+1:]...)
	case action == "up" && i > 0:
		list[i-1], list[i] = list[i], list[i-1]
	case action == "down" && i < len(list)-1:
		list[i+1], list[i] = list[i], list[i+1]
	}
	return list
}

// formToDeck builds a deck from the editor's fields. Text in languages
// other than English comes from base (the stored deck), matched by key;
// new items get fresh keys. Problems come back by form field.
func formToDeck(ctx context.Context, f views.DeckForm, base workshop.Deck) (workshop.Deck, views.Errors) {
	en := workshop.DefaultLanguage
	errs := views.Errors{}
	text := func(baseText workshop.Text, v string) workshop.Text {
		t := workshop.Text{}
		for lang, s := range baseText {
			if lang != en {
				t[lang] = s
			}
		}
		if v = strings.TrimSpace(v); v != "" {
			t[en] = v
		}
		return t
	}
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: base.Slug, Languages: base.Languages,
		Title: text(base.Title, f.Title), Description: text(base.Description, f.Description), Source: text(base.Source, f.Source)}
	if len(d.Languages) == 0 {
		d.Languages = []string{en}
	}
	if d.Slug == "" {
		d.Slug = "new-deck" // replaced on save; Validate needs one
	}
	baseScen := map[string]workshop.Scenario{}
	for _, sc := range base.Scenarios {
		baseScen[sc.Key] = sc
	}
	used := map[string]bool{}
	for i, sf := range f.Scenarios {
		key := freshKey(sf.Key, fmt.Sprintf("s%d", i+1), used)
		b := baseScen[sf.Key]
		sc := workshop.Scenario{Key: key, Title: text(b.Title, sf.Title), Narrative: text(b.Narrative, sf.Narrative), Source: text(b.Source, sf.Source)}
		for j, line := range nonEmptyLines(sf.Signposts) {
			var bt workshop.Text
			if j < len(b.Signposts) {
				bt = b.Signposts[j]
			}
			sc.Signposts = append(sc.Signposts, text(bt, line))
		}
		if len(sc.Source) == 0 {
			sc.Source = nil
		}
		d.Scenarios = append(d.Scenarios, sc)
	}
	baseCrit := map[string]workshop.Criterion{}
	for _, c := range base.Criteria {
		baseCrit[c.Key] = c
	}
	used = map[string]bool{}
	for i, cf := range f.Criteria {
		field := func(name string) string { return fmt.Sprintf("c-%d-%s", i, name) }
		b := baseCrit[cf.Key]
		c := workshop.Criterion{Key: freshKey(cf.Key, fmt.Sprintf("c%d", i+1), used), Name: text(b.Name, cf.Name),
			Question: text(b.Question, cf.Question), Kind: cf.Kind, DontKnow: cf.DontKnow}
		if len(c.Question) == 0 {
			c.Question = nil
		}
		number := func(name, v string, def int) int {
			if strings.TrimSpace(v) == "" {
				return def
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs[field(name)] = i18n.T(ctx, "Enter a whole number.")
			}
			return n
		}
		if c.Kind == workshop.KindPercent {
			c.Min, c.Max, c.Step = 0, 100, number("step", cf.Step, 10)
		} else {
			c.Kind = workshop.KindScale
			c.Min, c.Max, c.Step = number("min", cf.Min, 1), number("max", cf.Max, 5), 1
		}
		baseLabels := map[int]workshop.Text{}
		for _, l := range b.Labels {
			baseLabels[l.Value] = l.Text
		}
		for n, line := range nonEmptyLines(cf.Labels) {
			v, t, ok := strings.Cut(line, "=")
			if !ok {
				v, t, ok = strings.Cut(line, ":")
			}
			value, err := strconv.Atoi(strings.TrimSpace(v))
			if !ok || err != nil || strings.TrimSpace(t) == "" {
				errs[field("labels")] = i18n.Tf(ctx, "Line %d: write a label as “value = text”, e.g. “1 = Very unlikely”.", n+1)
				break
			}
			c.Labels = append(c.Labels, workshop.Label{Value: value, Text: text(baseLabels[value], t)})
		}
		if c.Labels == nil {
			c.Labels = []workshop.Label{}
		}
		d.Criteria = append(d.Criteria, c)
	}
	if len(errs) > 0 {
		return d, errs
	}
	if err := d.Validate(); err != nil {
		return d, deckErrors(ctx, err, f)
	}
	return d, nil
}

// freshKey keeps a valid, unused key or makes a new one.
func freshKey(key, fallback string, used map[string]bool) string {
	for n := 1; key == "" || used[key] || workshop.Slugify(key) != key; n++ {
		key = fmt.Sprintf("%s-%d", fallback, n)
		if n == 1 {
			key = fallback
		}
	}
	used[key] = true
	return key
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

var deckPath = regexp.MustCompile(`^(scenarios|criteria)\[(\d+)\](?:\.(\w+))?`)

// deckErrors maps a deck validation error to the editor's fields:
// "scenarios[2].title.en" is field "s-2-title", "criteria[0].labels[1].value"
// is "c-0-labels". It returns nil for errors that are not the user's.
func deckErrors(ctx context.Context, err error, f views.DeckForm) views.Errors {
	var de *workshop.Error
	if !errors.As(err, &de) || de.Code == workshop.EInternal {
		return nil
	}
	msg := userMessage(ctx, err)
	if strings.Contains(de.Message, `"en" is required`) {
		msg = i18n.T(ctx, "Fill in this field.")
	}
	// Next to a field or at the top of the form, a rule's fragment ("must
	// be one line", "a deck needs 1 to 10 criteria") reads as a sentence.
	if r, size := utf8.DecodeRuneInString(msg); size > 0 {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	if m := deckPath.FindStringSubmatch(de.Field); m != nil {
		prefix, name := "s", m[3]
		if m[1] == "criteria" {
			prefix = "c"
		}
		switch {
		case name == "key" && prefix == "s":
			name = "title"
		case name == "key":
			name = "name"
		case name == "" && prefix == "c": // the criterion's range or step
			name = "max"
			if i, _ := strconv.Atoi(m[2]); i < len(f.Criteria) && f.Criteria[i].Kind == workshop.KindPercent {
				name = "step"
			}
		case name == "":
			name = "title"
		}
		return views.Errors{fmt.Sprintf("%s-%s-%s", prefix, m[2], name): msg}
	}
	switch top := strings.SplitN(de.Field, ".", 2)[0]; top {
	case "title", "description", "source":
		return views.Errors{top: msg}
	}
	return views.Errors{"": msg}
}
