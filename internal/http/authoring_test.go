package http_test

// Tests of authoring and managing: the deck library and its editor (which
// works without JavaScript: every button posts the whole form), deck import
// and export, workshops made from own decks, the settings form, the join
// rules of pseudonymous and limited workshops, and what facilitators do with
// a workshop as a whole (copy, archive, anonymise, delete, remove a
// participant).

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"foresight/internal/deckform"
	"foresight/internal/workshop"
)

// sampleDeck is a small English deck with the default criteria.
func sampleDeck(slug, title string, scenarios ...string) workshop.Deck {
	d := workshop.Deck{Schema: workshop.DeckSchema, Slug: slug, Languages: []string{"en"},
		Title: workshop.Text{"en": title}, Criteria: deckform.DefaultCriteria("en")}
	for i, s := range scenarios {
		d.Scenarios = append(d.Scenarios, workshop.Scenario{Key: fmt.Sprintf("s%d", i+1),
			Title: workshop.Text{"en": s}, Narrative: workshop.Text{"en": "What if " + s + "?"}})
	}
	return d
}

// createDeck stores a deck owned by owner straight in the store.
func (ts *testServer) createDeck(t *testing.T, owner workshop.User, d workshop.Deck) workshop.Deck {
	t.Helper()
	stored, err := ts.db.CreateDeck(context.Background(), owner, d, false)
	if err != nil {
		t.Fatalf("create deck %s: %v", d.Slug, err)
	}
	return stored
}

// storedDeck reads a deck from the store; ok is false when there is none.
func (ts *testServer) storedDeck(t *testing.T, slug string) (workshop.Deck, bool) {
	t.Helper()
	d, err := ts.db.DeckBySlug(context.Background(), slug)
	if workshop.ErrorCode(err) == workshop.ENotFound {
		return d, false
	}
	if err != nil {
		t.Fatalf("load deck %s: %v", slug, err)
	}
	return d, true
}

// decksOf lists the slugs of the decks the store holds for u, newest first.
func (ts *testServer) decksOf(t *testing.T, u workshop.User) []string {
	t.Helper()
	decks, err := ts.db.DecksFor(context.Background(), u)
	if err != nil {
		t.Fatalf("decks of %s: %v", u.Email, err)
	}
	var out []string
	for _, d := range decks {
		out = append(out, d.Slug)
	}
	return out
}

// wantDecks fails unless the store holds exactly these decks for u.
func (ts *testServer) wantDecks(t *testing.T, u workshop.User, want ...string) {
	t.Helper()
	if got := ts.decksOf(t, u); !slices.Equal(got, want) {
		t.Fatalf("stored decks of %s: %q, want %q", u.Email, got, want)
	}
}

// sameDeck compares two decks in their JSON form, which leaves out the
// owner and the built-in flag and treats absent and empty texts alike.
func sameDeck(t *testing.T, what string, got, want workshop.Deck) {
	t.Helper()
	if g, w := string(got.JSON()), string(want.JSON()); g != w {
		t.Fatalf("%s:\n got %.3000s\nwant %.3000s", what, g, w)
	}
}

func scenarioTitles(scenarios []workshop.Scenario) []string {
	var out []string
	for _, s := range scenarios {
		out = append(out, s.Title["en"])
	}
	return out
}

var (
	deckFormPattern = regexp.MustCompile(`(?s)<form[^>]*id="deck-form"[^>]*>(.*?)</form>`)
	inputPattern    = regexp.MustCompile(`<input\b([^>]*)>`)
	textareaPattern = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	selectPattern   = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	selectedPattern = regexp.MustCompile(`<option\b([^>]*\bselected\b[^>]*)>`)
	attrPattern     = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?`)
)

func attrs(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range attrPattern.FindAllStringSubmatch(tag, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// editorFields returns what a browser without JavaScript posts from the
// deck editor of a page: text and hidden inputs, textareas (without the
// newline the HTML parser drops after the start tag), the selected options
// and the checked radio buttons and checkboxes. The caller adds the
// button's op.
func editorFields(t *testing.T, r *response) url.Values {
	t.Helper()
	m := deckFormPattern.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("%s: no deck editor form in the page; body: %.2000s", r.req, r.body)
	}
	v := url.Values{}
	for _, in := range inputPattern.FindAllStringSubmatch(m[1], -1) {
		a := attrs(in[1])
		_, checked := a["checked"]
		if a["name"] == "" || (a["type"] == "radio" || a["type"] == "checkbox") && !checked {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, ta := range textareaPattern.FindAllStringSubmatch(m[1], -1) {
		v.Add(attrs(ta[1])["name"], strings.TrimPrefix(html.UnescapeString(ta[2]), "\n"))
	}
	for _, sel := range selectPattern.FindAllStringSubmatch(m[1], -1) {
		if opt := selectedPattern.FindStringSubmatch(sel[2]); opt != nil {
			v.Add(attrs(sel[1])["name"], attrs(opt[1])["value"])
		}
	}
	return v
}

// press posts the editor's form with one of its buttons.
func (c *client) press(t *testing.T, path string, fields url.Values, op string) *response {
	t.Helper()
	v := url.Values{}
	for k, vals := range fields {
		v[k] = slices.Clone(vals)
	}
	v.Set("op", op)
	return c.postForm(t, path, v)
}

// wantField fails unless the editor's fields hold name=value.
func wantField(t *testing.T, fields url.Values, name, want string) {
	t.Helper()
	if got, ok := fields[name]; !ok || len(got) != 1 || got[0] != want {
		t.Fatalf("editor field %s=%q, want %q", name, got, want)
	}
}

// validDeckForm is an editor form of a valid English deck: three
// scenarios and one five-point criterion.
func validDeckForm(title string) url.Values {
	v := url.Values{"langs": {"en"}, "lang-own": {"en"}, "lang": {"en"},
		"title-en": {title}, "description-en": {"For the tests."}, "source-en": {""}, "s-n": {"3"}, "c-n": {"1"}}
	for i, s := range []string{"Drought", "Floods", "Migration"} {
		p := fmt.Sprintf("s-%d-", i)
		v.Set(p+"pos", strconv.Itoa(i))
		v.Set(p+"key", "")
		v.Set(p+"title-en", s)
		v.Set(p+"narrative-en", s+" changes the region.")
		v.Set(p+"source-en", "")
		v.Set(p+"signposts-en", "")
	}
	for k, val := range map[string]string{"pos": "0", "key": "", "name-en": "Likelihood", "question-en": "How likely?", "kind": "scale",
		"min": "1", "max": "5", "step": "", "labels-en": "1 = Very unlikely\n5 = Very likely", "dont_know": "1"} {
		v.Set("c-0-"+k, val)
	}
	return v
}

// upload posts a multipart form to /decks/import with one file, or none
// when filename is empty, and any other fields.
func (c *client) upload(t *testing.T, filename string, content []byte, fields ...string) *response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	return c.do(t, http.MethodPost, "/decks/import", &b, "Content-Type", mw.FormDataContentType())
}

// builtinDeck is the built-in deck as it ships, loaded afresh.
func builtinDeck(t *testing.T) workshop.Deck {
	t.Helper()
	decks, err := workshop.BuiltinDecks()
	if err != nil || len(decks) == 0 {
		t.Fatalf("built-in decks: %d, %v", len(decks), err)
	}
	return decks[0]
}

func TestDeckLibraryAccess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ada := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	bob := ts.user(t, "bob@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.createDeck(t, ada, sampleDeck("alpha", "Alpha futures", "One"))
	ts.createDeck(t, bob, sampleDeck("beta", "Beta futures", "Two"))
	builtin := html.EscapeString(ts.deck.Title["en"])

	t.Run("facilitator", func(t *testing.T) {
		ts.login(t, ada.Email).get(t, "/decks").want(t, http.StatusOK).wantContentType(t, "text/html").
			wantContains(t, builtin, `<span class="badge">built in</span>`, "Alpha futures", `href="/decks/alpha/edit"`).
			wantLacks(t, "Beta futures", "/decks/beta/", `href="/decks/nato-afghanistan/edit"`)
	})
	t.Run("organiser sees every deck", func(t *testing.T) {
		ts.login(t, "organiser@example.org").get(t, "/decks").want(t, http.StatusOK).
			wantContains(t, builtin, "Alpha futures", "Beta futures", `href="/decks/alpha/edit"`, `href="/decks/beta/edit"`)
	})
	t.Run("anonymous", func(t *testing.T) {
		anon := ts.client()
		for _, path := range []string{"/decks", "/decks/new", "/decks/alpha/edit", "/decks/alpha/export.json"} {
			anon.get(t, path).wantRedirect(t, "/login?next="+url.QueryEscape(path))
		}
		for _, path := range []string{"/decks", "/decks/alpha", "/decks/alpha/copy", "/decks/alpha/delete"} {
			anon.postForm(t, path, validDeckForm("Sneaky")).wantRedirect(t, "/login?next="+url.QueryEscape(path))
		}
		anon.upload(t, "x.json", sampleDeck("sneaky", "Sneaky", "One").JSON()).wantRedirect(t, "/login?next=%2Fdecks%2Fimport")
		ts.wantDecks(t, ada, "alpha")
		ts.wantDecks(t, bob, "beta")
	})
	t.Run("participant", func(t *testing.T) {
		p := ts.join(t, ts.workshop(t, ada, true).Code)
		p.get(t, "/decks").wantRedirect(t, "/login?next=%2Fdecks")
	})
}

func TestDeckEditorWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)

	// A new deck asks for its languages first: a form that gets the editor.
	c.get(t, "/decks/new").want(t, http.StatusOK).wantContains(t, "New deck", `<form method="get" action="/decks/new">`,
		`name="lang" value="en" checked`, `name="lang-own" value="en" checked`).wantLacks(t, `id="deck-form"`)
	f := editorFields(t, c.get(t, "/decks/new?lang-own=en&lang=en").want(t, http.StatusOK).wantContains(t, "New deck", "Title — English"))
	wantField(t, f, "langs", "en")
	wantField(t, f, "s-n", "1")
	wantField(t, f, "c-n", "2")
	wantField(t, f, "c-0-name-en", "Likelihood")
	wantField(t, f, "c-0-kind", "scale")
	wantField(t, f, "c-1-name-en", "Impact")

	// Each button shows the form again, everything typed kept, unsaved.
	edit := func(t *testing.T, f url.Values, op string) url.Values {
		t.Helper()
		r := c.press(t, "/decks", f, op).want(t, http.StatusOK).wantContains(t, "Not saved yet")
		return editorFields(t, r)
	}
	f.Set("title-en", "Water futures")
	f.Set("description-en", "Three ways\nthe water goes.")
	f.Set("s-0-title-en", "Drought")
	f.Set("s-0-narrative-en", "Rivers run dry <fast> & \"soon\".")
	f = edit(t, f, "add-s")
	wantField(t, f, "s-n", "2")
	wantField(t, f, "title-en", "Water futures")
	wantField(t, f, "description-en", "Three ways\nthe water goes.")
	wantField(t, f, "s-0-title-en", "Drought")
	wantField(t, f, "s-0-narrative-en", "Rivers run dry <fast> & \"soon\".")
	wantField(t, f, "s-1-title-en", "")
	wantField(t, f, "s-1-narrative-en", "")

	f.Set("s-1-title-en", "Floods")
	f.Set("s-1-narrative-en", "Rivers burst their banks.")
	f = edit(t, f, "add-s")
	f.Set("s-2-title-en", "Migration")
	f.Set("s-2-narrative-en", "People follow the water.")
	titles := func(f url.Values) []string {
		n, _ := strconv.Atoi(f.Get("s-n"))
		var out []string
		for i := range n {
			out = append(out, f.Get(fmt.Sprintf("s-%d-title-en", i)))
		}
		return out
	}
	moves := []struct {
		op   string
		want []string
	}{
		{"up-s-1", []string{"Floods", "Drought", "Migration"}},
		{"down-s-0", []string{"Drought", "Floods", "Migration"}},
		{"up-s-0", []string{"Drought", "Floods", "Migration"}},     // the first cannot go up
		{"down-s-2", []string{"Drought", "Floods", "Migration"}},   // the last cannot go down
		{"remove-s-9", []string{"Drought", "Floods", "Migration"}}, // no such scenario
		{"add-s", []string{"Drought", "Floods", "Migration", ""}},
		{"remove-s-3", []string{"Drought", "Floods", "Migration"}},
	}
	for _, m := range moves {
		f = edit(t, f, m.op)
		if got := titles(f); !slices.Equal(got, m.want) {
			t.Fatalf("after %s: scenarios %q, want %q", m.op, got, m.want)
		}
	}
	wantField(t, f, "s-1-narrative-en", "Rivers burst their banks.") // the narrative moved with its title
	if got := titles(edit(t, f, "remove-s-0")); !slices.Equal(got, []string{"Floods", "Migration"}) {
		t.Fatalf("after remove-s-0: scenarios %q, want [Floods Migration]", got)
	}

	f = edit(t, f, "add-c")
	wantField(t, f, "c-n", "3")
	wantField(t, f, "c-2-name-en", "")
	wantField(t, f, "c-2-kind", "scale")
	wantField(t, f, "c-2-min", "1")
	wantField(t, f, "c-2-max", "5")
	wantField(t, f, "c-2-dont_know", "1")
	f = edit(t, edit(t, f, "remove-c-2"), "remove-c-1")
	wantField(t, f, "c-n", "1")
	ts.wantDecks(t, u) // nothing stored by the editor's other buttons

	f.Set("c-0-name-en", "Probability")
	f.Set("c-0-question-en", "How probable within five years?")
	f.Set("c-0-kind", "percent")
	f.Set("c-0-step", "10")
	f.Set("c-0-labels-en", "0 = Impossible\r\n100 = Certain")
	f.Del("c-0-dont_know")
	c.press(t, "/decks", f, "save").wantRedirect(t, "/decks?done=saved")
	c.get(t, "/decks?done=saved").want(t, http.StatusOK).wantContains(t, "The deck is saved", "Water futures")

	ts.wantDecks(t, u, "water-futures")
	d, _ := ts.storedDeck(t, "water-futures")
	if got, want := scenarioTitles(d.Scenarios), []string{"Drought", "Floods", "Migration"}; !slices.Equal(got, want) {
		t.Fatalf("stored scenarios %q, want %q", got, want)
	}
	if got := d.Scenarios[0].Narrative["en"]; got != "Rivers run dry <fast> & \"soon\"." {
		t.Fatalf("stored narrative %q, want it as typed", got)
	}
	if d.OwnerID != u.ID || d.Title["en"] != "Water futures" || d.Description["en"] != "Three ways\nthe water goes." {
		t.Fatalf("stored owner=%d title=%q description=%q, want %d, the typed title and description", d.OwnerID, d.Title["en"], d.Description["en"], u.ID)
	}
	if len(d.Criteria) != 1 {
		t.Fatalf("stored %d criteria, want 1", len(d.Criteria))
	}
	cr := d.Criteria[0]
	wantLabels := []workshop.Label{{Value: 0, Text: workshop.Text{"en": "Impossible"}}, {Value: 100, Text: workshop.Text{"en": "Certain"}}}
	if cr.Kind != workshop.KindPercent || cr.Min != 0 || cr.Max != 100 || cr.Step != 10 || cr.DontKnow ||
		cr.Name["en"] != "Probability" || !slices.EqualFunc(cr.Labels, wantLabels, func(a, b workshop.Label) bool {
		return a.Value == b.Value && a.Text["en"] == b.Text["en"]
	}) {
		t.Fatalf("stored criterion %s, want percent 0..100 step 10 without don't know, labelled 0 and 100", jsonOf(cr))
	}

	t.Run("positions set the order", func(t *testing.T) {
		// What drag and drop does: it rewrites the position fields.
		v := validDeckForm("Ordered by position")
		v.Set("s-0-pos", "2")
		v.Set("s-1-pos", "0")
		v.Set("s-2-pos", "1")
		want := []string{"Floods", "Migration", "Drought"}
		if got := titles(editorFields(t, c.press(t, "/decks", v, "add-c").want(t, http.StatusOK))); !slices.Equal(got, want) {
			t.Fatalf("editor after reordering: %q, want %q", got, want)
		}
		c.press(t, "/decks", v, "save").wantRedirect(t, "/decks?done=saved")
		d, ok := ts.storedDeck(t, "ordered-by-position")
		if got := scenarioTitles(d.Scenarios); !ok || !slices.Equal(got, want) {
			t.Fatalf("stored scenarios %q (found %v), want %q", got, ok, want)
		}
	})

	t.Run("same title twice", func(t *testing.T) {
		c.press(t, "/decks", validDeckForm("Water futures"), "save").wantRedirect(t, "/decks?done=saved")
		if _, ok := ts.storedDeck(t, "water-futures-2"); !ok {
			t.Fatalf("the second deck called Water futures is not stored as water-futures-2; decks %q", ts.decksOf(t, u))
		}
	})
}

func TestDeckEditorValidation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)

	tests := []struct {
		name     string
		change   map[string]string
		field    string // the field the error is next to
		contains []string
	}{
		{"empty scenario title", map[string]string{"s-0-title-en": "  ", "s-0-narrative-en": "Typed narrative, kept."}, "s-0-title-en",
			[]string{"Typed narrative, kept."}},
		{"empty narrative", map[string]string{"s-1-narrative-en": ""}, "s-1-narrative-en", []string{`value="Floods"`}},
		{"empty deck title", map[string]string{"title-en": ""}, "title-en", []string{`value="Drought"`}},
		{"scale of 12 points", map[string]string{"c-0-min": "1", "c-0-max": "12"}, "c-0-max", []string{"2 to 11 points", `value="12"`}},
		{"scale bound not a number", map[string]string{"c-0-max": "five"}, "c-0-max", []string{"whole number", `value="five"`}},
		{"label line without =", map[string]string{"c-0-labels-en": "1 = Very unlikely\n5 Very likely"}, "c-0-labels-en", []string{"Line 2", "5 Very likely"}},
		{"label off the scale", map[string]string{"c-0-labels-en": "1 = Very unlikely\n6 = Beyond"}, "c-0-labels-en", []string{"6 = Beyond"}},
		{"percent step 7", map[string]string{"c-0-kind": "percent", "c-0-step": "7", "c-0-labels-en": ""}, "c-0-step", []string{"step that divides 100", `value="7"`}},
		{"percent step 0", map[string]string{"c-0-kind": "percent", "c-0-step": "0", "c-0-labels-en": ""}, "c-0-step", []string{"step that divides 100", `value="0"`}},
		{"bidi control in the deck title", map[string]string{"title-en": "Water\u202Efutures"}, "title-en", []string{"bidirectional"}},
		{"bidi control in a scenario title", map[string]string{"s-2-title-en": "Migration\u2066"}, "s-2-title-en", []string{"bidirectional"}},
		{"no criterion", map[string]string{"c-n": "0"}, "", []string{"1 to 10 criteria"}},
		{"no scenario", map[string]string{"s-n": "0"}, "", []string{"1 to 100 scenarios"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validDeckForm("Invalid deck")
			for k, val := range tt.change {
				v.Set(k, val)
			}
			r := c.press(t, "/decks", v, "save").want(t, http.StatusUnprocessableEntity).wantContentType(t, "text/html").
				wantContains(t, tt.contains...).wantContains(t, "For the tests.")
			if tt.field != "" {
				// Described by its problem (after its help, if it has one).
				r.wantContains(t, fmt.Sprintf(`%s-error"`, tt.field), fmt.Sprintf(`id="%s-error"`, tt.field))
				if !regexp.MustCompile(fmt.Sprintf(`aria-describedby="[^"]*\b%s-error"`, tt.field)).MatchString(r.body) {
					t.Fatalf("no field is described by %s-error", tt.field)
				}
			}
			r.wantContains(t, `class="error-box" role="alert"`)
			ts.wantDecks(t, u)
		})
	}
}

func TestDeckEditing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ada := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	bob := ts.user(t, "bob@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	own := ts.createDeck(t, ada, sampleDeck("own", "Own deck", "Drought", "Floods"))
	theirs := ts.createDeck(t, bob, sampleDeck("theirs", "Their deck", "Heat"))
	c, org := ts.login(t, ada.Email), ts.login(t, "organiser@example.org")

	t.Run("who may edit", func(t *testing.T) {
		c.get(t, "/decks/own/edit").want(t, http.StatusOK).wantContains(t, `value="Own deck"`, `action="/decks/own"`)
		org.get(t, "/decks/own/edit").want(t, http.StatusOK).wantContains(t, `value="Own deck"`)
		c.get(t, "/decks/theirs/edit").want(t, http.StatusForbidden).wantContentType(t, "text/html").wantLacks(t, "Their deck")
		c.get(t, "/decks/nato-afghanistan/edit").want(t, http.StatusForbidden).wantContains(t, "Copy it")
		c.get(t, "/decks/nothing/edit").want(t, http.StatusNotFound)
		for _, path := range []string{"/decks/theirs", "/decks/nato-afghanistan"} {
			c.press(t, path, validDeckForm("Taken over"), "save").want(t, http.StatusForbidden)
			c.press(t, path, validDeckForm("Taken over"), "add-s").want(t, http.StatusForbidden)
		}
		c.press(t, "/decks/nothing", validDeckForm("Nothing"), "save").want(t, http.StatusNotFound)
		got, _ := ts.storedDeck(t, "theirs")
		sameDeck(t, "their deck after another facilitator's save", got, theirs)
		ts.wantDecks(t, ada, "own")
	})

	t.Run("an edit leaves earlier workshops alone", func(t *testing.T) {
		loc := c.postForm(t, "/workshops", url.Values{"deck": {"own"}}).want(t, http.StatusSeeOther).header.Get("Location")
		code := strings.TrimPrefix(loc, "/workshops/")
		f := editorFields(t, c.get(t, "/decks/own/edit").want(t, http.StatusOK))
		f.Set("s-0-title-en", "Long drought")
		f = editorFields(t, c.press(t, "/decks/own", f, "add-s").want(t, http.StatusOK))
		f.Set("s-2-title-en", "Heat")
		f.Set("s-2-narrative-en", "Summers get hotter.")
		c.press(t, "/decks/own", f, "save").wantRedirect(t, "/decks?done=saved")

		d, _ := ts.storedDeck(t, "own")
		if got, want := scenarioTitles(d.Scenarios), []string{"Long drought", "Floods", "Heat"}; !slices.Equal(got, want) || d.OwnerID != ada.ID {
			t.Fatalf("stored scenarios %q owner %d, want %q and %d", got, d.OwnerID, want, ada.ID)
		}
		if d.Scenarios[0].Key != own.Scenarios[0].Key {
			t.Fatalf("edited scenario key %q, want the old %q kept", d.Scenarios[0].Key, own.Scenarios[0].Key)
		}
		w, err := ts.db.WorkshopByCode(context.Background(), code)
		if err != nil {
			t.Fatalf("workshop %s: %v", code, err)
		}
		if got, want := scenarioTitles(w.Scenarios), []string{"Drought", "Floods"}; !slices.Equal(got, want) {
			t.Fatalf("workshop made before the edit has scenarios %q, want its own copy %q", got, want)
		}
	})

	t.Run("an organiser edits another's deck", func(t *testing.T) {
		f := editorFields(t, org.get(t, "/decks/theirs/edit").want(t, http.StatusOK))
		f.Set("title-en", "Their deck, edited")
		org.press(t, "/decks/theirs", f, "save").wantRedirect(t, "/decks?done=saved")
		if d, _ := ts.storedDeck(t, "theirs"); d.Title["en"] != "Their deck, edited" || d.OwnerID != bob.ID {
			t.Fatalf("stored title %q owner %d, want the new title and still owner %d", d.Title["en"], d.OwnerID, bob.ID)
		}
	})

	t.Run("every language is edited side by side", func(t *testing.T) {
		body := c.get(t, "/decks/nato-afghanistan/export.json").want(t, http.StatusOK).body
		c.upload(t, "nato-afghanistan.json", []byte(body)).wantRedirect(t, "/decks?done=imported")
		orig, ok := ts.storedDeck(t, "nato-afghanistan-copy")
		if !ok {
			t.Fatalf("the imported built-in deck is not stored as nato-afghanistan-copy; decks %q", ts.decksOf(t, ada))
		}
		sameDeck(t, "imported built-in deck", orig, func() workshop.Deck { d := ts.deck; d.Slug = orig.Slug; return d }())
		if !slices.Contains(orig.Languages, "pl") || orig.Scenarios[0].Title["pl"] == "" || orig.Scenarios[0].Title["fr"] == "" {
			t.Fatalf("the built-in deck has no Polish or French texts to edit: languages %q", orig.Languages)
		}

		r := c.get(t, "/decks/nato-afghanistan-copy/edit").want(t, http.StatusOK).
			wantContains(t, `<label for="s-0-title-en">Title — English</label>`, `<label for="s-0-title-pl">Title — Polish (optional)</label>`,
				`<label for="s-0-title-fr">Title — French (optional)</label>`, `lang="pl"`, `lang="fr"`,
				html.EscapeString(orig.Scenarios[0].Title["pl"]), html.EscapeString(orig.Scenarios[0].Title["fr"]))
		f := editorFields(t, r)
		f.Set("s-0-title-en", "Refugees, edited")
		f.Set("s-0-title-pl", "Uchodźcy, poprawione")
		f.Set("s-0-title-fr", "Réfugiés, modifié")
		c.press(t, "/decks/nato-afghanistan-copy", f, "save").wantRedirect(t, "/decks?done=saved")

		want := orig
		want.Scenarios = slices.Clone(orig.Scenarios)
		want.Scenarios[0].Title = workshop.Text{"en": "Refugees, edited", "fr": "Réfugiés, modifié", "pl": "Uchodźcy, poprawione"}
		got, _ := ts.storedDeck(t, "nato-afghanistan-copy")
		sameDeck(t, "deck after an edit in every language", got, want)
	})
}

func TestDeckCopyDeleteExport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ada := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	bob := ts.user(t, "bob@example.org", workshop.RoleFacilitator)
	own := ts.createDeck(t, ada, sampleDeck("own", "Own deck", "Drought", "Floods"))
	ts.createDeck(t, bob, sampleDeck("theirs", "Their deck", "Heat"))
	c := ts.login(t, ada.Email)
	pristine := builtinDeck(t)

	t.Run("export", func(t *testing.T) {
		for _, want := range []workshop.Deck{own, pristine} {
			r := c.get(t, "/decks/"+want.Slug+"/export.json").want(t, http.StatusOK).wantContentType(t, "application/json")
			if got, exp := r.header.Get("Content-Disposition"), fmt.Sprintf(`attachment; filename="%s.json"`, want.Slug); got != exp {
				t.Fatalf("%s: Content-Disposition=%q, want %q", r.req, got, exp)
			}
			got, err := workshop.ParseDeck(strings.NewReader(r.body))
			if err != nil {
				t.Fatalf("%s: the export does not parse: %v", r.req, err)
			}
			sameDeck(t, r.req, got, want)
		}
		c.get(t, "/decks/theirs/export.json").want(t, http.StatusForbidden)
		c.get(t, "/decks/nothing/export.json").want(t, http.StatusNotFound)
	})

	t.Run("copy", func(t *testing.T) {
		c.postForm(t, "/decks/nato-afghanistan/copy", nil).wantRedirect(t, "/decks/nato-afghanistan-copy/edit")
		d, ok := ts.storedDeck(t, "nato-afghanistan-copy")
		if !ok || d.OwnerID != ada.ID || d.Title["en"] != "Copy of "+pristine.Title["en"] {
			t.Fatalf("copy found=%v owner=%d title=%q, want owner %d and title %q", ok, d.OwnerID, d.Title["en"], ada.ID, "Copy of "+pristine.Title["en"])
		}
		if got, want := scenarioTitles(d.Scenarios), scenarioTitles(pristine.Scenarios); !slices.Equal(got, want) {
			t.Fatalf("copy has scenarios %q, want %q", got, want)
		}
		c.get(t, "/decks/nato-afghanistan-copy/edit").want(t, http.StatusOK)
		c.postForm(t, "/decks/nato-afghanistan/copy", nil).wantRedirect(t, "/decks/nato-afghanistan-copy-2/edit")
		c.postForm(t, "/decks/own/copy", nil).wantRedirect(t, "/decks/own-copy/edit")
		c.postForm(t, "/decks/theirs/copy", nil).want(t, http.StatusForbidden)
		c.postForm(t, "/decks/nothing/copy", nil).want(t, http.StatusNotFound)
		ts.wantDecks(t, ada, "own-copy", "nato-afghanistan-copy-2", "nato-afghanistan-copy", "own")
	})

	t.Run("delete", func(t *testing.T) {
		c.postForm(t, "/decks/theirs/delete", nil).want(t, http.StatusForbidden)
		c.postForm(t, "/decks/nato-afghanistan/delete", nil).want(t, http.StatusForbidden)
		c.postForm(t, "/decks/nothing/delete", nil).want(t, http.StatusNotFound)
		ts.wantDecks(t, bob, "theirs")
		loc := c.postForm(t, "/workshops", url.Values{"deck": {"own"}, "open": {"1"}}).want(t, http.StatusSeeOther).header.Get("Location")
		code := strings.TrimPrefix(loc, "/workshops/")
		c.postForm(t, "/decks/own/delete", nil).wantRedirect(t, "/decks?done=deleted")
		if _, ok := ts.storedDeck(t, "own"); ok {
			t.Fatalf("deck own is still stored after its deletion")
		}
		c.get(t, "/decks?done=deleted").want(t, http.StatusOK).wantContains(t, "The deck is deleted").wantLacks(t, "/decks/own/")
		c.get(t, "/decks/own/edit").want(t, http.StatusNotFound)
		// A workshop made from the deck keeps its own copy and still runs.
		c.get(t, loc).want(t, http.StatusOK).wantContains(t, "Own deck")
		p := ts.join(t, code)
		w := p.workshopAPI(t, code)
		if got := len(w.Scenarios); got != len(own.Scenarios) {
			t.Fatalf("workshop of the deleted deck has %d scenarios, want %d", got, len(own.Scenarios))
		}
		p.rate(t, code, int64(w.Scenarios[0]["id"].(float64)), int64(w.Criteria[0]["id"].(float64)), "3")
	})
}

func TestDeckImport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)

	t.Run("JSON", func(t *testing.T) {
		want := sampleDeck("mine", "Mine", "Drought", "Floods", "Heat")
		c.upload(t, "mine.json", want.JSON()).wantRedirect(t, "/decks?done=imported")
		got, ok := ts.storedDeck(t, "mine")
		if !ok || got.OwnerID != u.ID {
			t.Fatalf("imported deck found=%v owner=%d, want owner %d", ok, got.OwnerID, u.ID)
		}
		sameDeck(t, "imported deck", got, want)
		// The same file again gets a slug of its own.
		c.upload(t, "mine.json", want.JSON()).wantRedirect(t, "/decks?done=imported")
		ts.wantDecks(t, u, "mine-2", "mine")
	})

	t.Run("CSV", func(t *testing.T) {
		csv := "title,narrative,source\r\nDrought,\"Rivers run dry, fast.\",Report 1\r\nFloods,Rivers burst their banks.,\r\n"
		c.upload(t, "water.csv", []byte(csv)).wantRedirect(t, "/decks?done=imported")
		d, ok := ts.storedDeck(t, "water")
		if !ok {
			t.Fatalf("the CSV deck is not stored as water; decks %q", ts.decksOf(t, u))
		}
		if got, want := scenarioTitles(d.Scenarios), []string{"Drought", "Floods"}; !slices.Equal(got, want) ||
			d.Scenarios[0].Narrative["en"] != "Rivers run dry, fast." || d.Scenarios[0].Source["en"] != "Report 1" || d.Scenarios[1].Source != nil {
			t.Fatalf("CSV deck scenarios %s, want Drought (with its source) and Floods (without)", jsonOf(d.Scenarios))
		}
		var keys []string
		for _, cr := range d.Criteria {
			keys = append(keys, cr.Key)
		}
		if !slices.Equal(keys, []string{"likelihood", "impact"}) || d.Title["en"] != "water" {
			t.Fatalf("CSV deck title %q criteria %q, want water and [likelihood impact]", d.Title["en"], keys)
		}
	})

	before := ts.decksOf(t, u)
	big := append([]byte(`{"schema": 1, "slug": "big", "title": {"en": "`), bytes.Repeat([]byte("a"), workshop.MaxDeckBytes)...)
	tests := []struct {
		name     string
		filename string
		content  []byte
		status   int
		contains []string
	}{
		{"unknown JSON field", "bad.json", []byte(`{"schema": 1, "slug": "bad", "colour": "red"}`), 422, []string{"unknown field", "colour"}},
		{"JSON with a wrong type", "bad.json", []byte(`{"schema": "one"}`), 422, []string{"schema"}},
		{"JSON deck without scenarios", "bad.json", func() []byte { d := sampleDeck("bad", "Bad"); return d.JSON() }(), 422, []string{"scenarios"}},
		{"CSV row without a narrative", "bad.csv", []byte("title,narrative,source\nDrought,Rivers run dry.,\nFloods,,Report\n"), 422, []string{"line 3", "narrative"}},
		{"empty CSV", "bad.csv", []byte(""), 422, []string{"no scenarios"}},
		{"file just over 1 MB", "big.json", big, 413, []string{"larger than"}},
		{"file of 2 MB", "big.csv", bytes.Repeat([]byte("a,b\n"), workshop.MaxDeckBytes/2), 413, []string{"larger than"}},
		{"no file", "", nil, 422, []string{"Choose a file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.upload(t, tt.filename, tt.content).want(t, tt.status).wantContentType(t, "text/html").
				wantContains(t, tt.contains...).wantContains(t, `id="import-error"`, `aria-describedby="import-error"`)
			ts.wantDecks(t, u, before...)
		})
	}
}

func TestWorkshopFromOwnDeck(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ada := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	bob := ts.user(t, "bob@example.org", workshop.RoleFacilitator)
	org := ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	own := ts.createDeck(t, ada, sampleDeck("own", "Own deck", "Drought", "Floods", "Heat"))
	ts.createDeck(t, bob, sampleDeck("theirs", "Their deck", "Secret"))
	c := ts.login(t, ada.Email)

	c.get(t, "/workshops/new").want(t, http.StatusOK).wantContains(t, `value="own"`, "Own deck").wantLacks(t, "Their deck", `value="theirs"`)
	r := c.postForm(t, "/workshops", url.Values{"deck": {"own"}, "title": {""}, "open": {"1"}}).want(t, http.StatusSeeOther)
	code := strings.TrimPrefix(r.header.Get("Location"), "/workshops/")
	w, err := ts.db.WorkshopByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("Location %q: workshop %v", r.header.Get("Location"), err)
	}
	if got := scenarioTitles(w.Scenarios); w.DeckSlug != "own" || w.Title != "Own deck" || w.OwnerID != ada.ID || w.State != workshop.StateOpen ||
		!slices.Equal(got, scenarioTitles(own.Scenarios)) || len(w.Criteria) != len(own.Criteria) {
		t.Fatalf("workshop deck=%q title=%q owner=%d state=%s scenarios=%q criteria=%d, want own, Own deck, %d, open, %q, %d",
			w.DeckSlug, w.Title, w.OwnerID, w.State, got, len(w.Criteria), ada.ID, scenarioTitles(own.Scenarios), len(own.Criteria))
	}

	for _, deck := range []string{"theirs", "nothing", ""} {
		c.postForm(t, "/workshops", url.Values{"deck": {deck}, "title": {"Kept title"}}).want(t, http.StatusUnprocessableEntity).
			wantContains(t, "Choose one of the decks", `value="Kept title"`).wantLacks(t, "Their deck")
	}
	if ws, _ := ts.db.WorkshopsFor(context.Background(), ada); len(ws) != 1 {
		t.Fatalf("%d workshops of ada after refused decks, want 1", len(ws))
	}
	// An organiser may use any stored deck.
	ts.login(t, org.Email).postForm(t, "/workshops", url.Values{"deck": {"theirs"}}).want(t, http.StatusSeeOther)
}

// settingsForm is what the settings form posts.
func settingsForm(title, description, anonymity, limit, visibility, pacing string) url.Values {
	return url.Values{"title": {title}, "description": {description}, "anonymity": {anonymity},
		"participant_limit": {limit}, "visibility": {visibility}, "pacing": {pacing}}
}

func TestSettingsForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	path := "/workshops/" + w.Code + "/settings"
	stored := func(t *testing.T) workshop.Settings {
		t.Helper()
		got, err := ts.db.WorkshopByCode(context.Background(), w.Code)
		if err != nil {
			t.Fatal(err)
		}
		return got.Settings()
	}

	fac.postForm(t, path, settingsForm("  Water futures ", "Line one\r\nLine two", "pseudonymous", "2", "live", "self")).
		wantRedirect(t, "/workshops/"+w.Code+"?done=settings")
	want := workshop.Settings{Title: "Water futures", Description: "Line one\nLine two", Anonymity: workshop.Pseudonymous,
		ParticipantLimit: 2, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf, IdeaVotes: workshop.DefaultIdeaVotes}
	if got := stored(t); got != want {
		t.Fatalf("stored settings %+v, want %+v", got, want)
	}
	fac.get(t, "/workshops/"+w.Code+"?done=settings").want(t, http.StatusOK).
		wantContains(t, "Settings saved", `value="Water futures"`, `name="participant_limit" value="2"`, `value="pseudonymous" checked`)

	tests := []struct {
		name, field string
		form        url.Values
		kept        []string
	}{
		{"limit not a number", "participant_limit", settingsForm("Kept title", "Kept description", "anonymous", "abc", "never", "focus"),
			[]string{`value="Kept title"`, "Kept description", `value="abc"`, `value="never" checked`, `value="focus" checked`, `value="anonymous" checked`}},
		{"negative limit", "participant_limit", settingsForm("Kept title", "Kept description", "pseudonymous", "-1", "live", "self"),
			[]string{`value="Kept title"`, `value="-1"`}},
		{"limit too high", "participant_limit", settingsForm("Kept title", "", "pseudonymous", "100001", "live", "self"),
			[]string{`value="100001"`}},
		{"empty title", "title", settingsForm("   ", "Kept description", "pseudonymous", "7", "live", "self"),
			[]string{"Give the workshop a title", "Kept description", `value="7"`}},
		{"title with a newline", "title", settingsForm("Two\nlines", "Kept description", "pseudonymous", "7", "live", "self"),
			[]string{"on one line", "Kept description", `value="7"`}},
		{"bidi control in the description", "description", settingsForm("Kept title", "evil\u202Etxt", "pseudonymous", "7", "live", "self"),
			[]string{"bidirectional", `value="Kept title"`}},
		{"unknown anonymity", "anonymity", settingsForm("Kept title", "", "secret", "7", "live", "self"),
			[]string{`value="Kept title"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fac.postForm(t, path, tt.form).want(t, http.StatusUnprocessableEntity).wantContentType(t, "text/html").
				wantContains(t, tt.kept...).wantContains(t, `<details class="card" open id="settings">`)
			if tt.field != "anonymity" {
				r.wantContains(t, fmt.Sprintf(`aria-describedby="%s-error"`, tt.field))
			}
			if got := stored(t); got != want {
				t.Fatalf("stored settings %+v after a refused form, want them unchanged: %+v", got, want)
			}
		})
	}

	t.Run("API keeps the fields it is not given", func(t *testing.T) {
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"participant_limit": 5}`).want(t, http.StatusOK)
		want := want
		want.ParticipantLimit = 5
		if got := stored(t); got != want {
			t.Fatalf("stored settings %+v, want %+v", got, want)
		}
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"participant_limit": -1}`).wantAPIError(t, 422, "participant_limit")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"participant_limit": "2"}`).wantAPIError(t, 422, "participant_limit")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"title": ""}`).wantAPIError(t, 422, "title")
		if got := stored(t); got != want {
			t.Fatalf("stored settings %+v after refused changes, want %+v", got, want)
		}
	})

	t.Run("access", func(t *testing.T) {
		form := settingsForm("Taken over", "", "anonymous", "0", "live", "self")
		ts.login(t, "other@example.org").postForm(t, path, form).want(t, http.StatusForbidden)
		ts.client().postForm(t, path, form).wantRedirect(t, "/login?next="+url.QueryEscape(path))
		p := ts.client()
		p.postForm(t, "/j/"+w.Code, url.Values{"display_name": {"Ada"}}).wantRedirect(t, "/w/"+w.Code)
		p.postForm(t, path, form).wantRedirect(t, "/login?next="+url.QueryEscape(path))
		if got := stored(t); got.Title != "Water futures" {
			t.Fatalf("stored title %q after refused forms, want Water futures", got.Title)
		}
	})
}

// joinButton is the join page's submit button.
const joinButton = `<button type="submit">Join the workshop</button>`

func TestJoinRules(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	fac := ts.login(t, owner.Email)
	w := ts.workshop(t, owner, true)
	fac.putJSON(t, apiPath(w.Code, "/settings"), `{"anonymity": "pseudonymous"}`).want(t, http.StatusOK)

	t.Run("pseudonymous", func(t *testing.T) {
		c := ts.client()
		c.get(t, "/j/"+w.Code).want(t, http.StatusOK).wantContains(t, `name="display_name"`, joinButton)
		long := strings.Repeat("a", workshop.MaxDisplayNameRunes+1)
		for _, tt := range []struct {
			name, typed string
			contains    []string
		}{
			{"no name", "", []string{"Choose a name"}},
			{"only spaces", "   ", []string{"Choose a name"}},
			{"41 characters", long, []string{"at most 40 characters", `value="` + long + `"`}},
			{"bidi control", "Ada\u202E", []string{"at most 40 characters"}},
		} {
			form := url.Values{}
			if tt.typed != "" {
				form.Set("display_name", tt.typed)
			}
			c.postForm(t, "/j/"+w.Code, form).want(t, http.StatusUnprocessableEntity).wantContentType(t, "text/html").
				wantContains(t, tt.contains...).wantContains(t, `aria-describedby="display_name-error"`, joinButton)
			if got := ts.tally(t, w).Joined; got != 0 {
				t.Fatalf("%s: joined=%d, want 0", tt.name, got)
			}
		}
		// 40 characters that are two bytes each fit: the limit counts characters.
		ts.client().postForm(t, "/j/"+w.Code, url.Values{"display_name": {strings.Repeat("é", workshop.MaxDisplayNameRunes)}}).
			wantRedirect(t, "/w/"+w.Code)

		c.postForm(t, "/j/"+w.Code, url.Values{"display_name": {"  Ada  "}}).wantRedirect(t, "/w/"+w.Code)
		c.reason(t, w.Code, w.Scenarios[0].ID, "Rivers decide it.")
		fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "Rivers decide it.", `· <span dir="auto">Ada</span>`)
	})

	t.Run("anonymous workshops take no names", func(t *testing.T) {
		anon := ts.workshop(t, owner, true)
		c := ts.client()
		c.get(t, "/j/"+anon.Code).want(t, http.StatusOK).wantContains(t, joinButton).wantLacks(t, `name="display_name"`)
		c.postForm(t, "/j/"+anon.Code, url.Values{"display_name": {"Bob"}}).wantRedirect(t, "/w/"+anon.Code)
		c.reason(t, anon.Code, anon.Scenarios[0].ID, "Bob's reason.")
		fac.get(t, "/workshops/"+anon.Code).want(t, http.StatusOK).wantContains(t, "Bob&#39;s reason.").wantLacks(t, `<span dir="auto">Bob</span>`)
	})

	t.Run("limit", func(t *testing.T) {
		lim := ts.workshop(t, owner, true)
		fac.putJSON(t, apiPath(lim.Code, "/settings"), `{"participant_limit": 2}`).want(t, http.StatusOK)
		first := ts.join(t, lim.Code)
		ts.join(t, lim.Code)
		third := ts.client()
		third.postForm(t, "/j/"+lim.Code, nil).want(t, http.StatusConflict).wantContentType(t, "text/html").wantContains(t, "full").wantLacks(t, joinButton)
		third.get(t, "/j/"+lim.Code).want(t, http.StatusOK).wantContains(t, "This workshop is full", "at most 2 participants").wantLacks(t, joinButton)
		if got := ts.tally(t, lim).Joined; got != 2 {
			t.Fatalf("joined=%d in a workshop for 2, want 2", got)
		}
		// Those who joined come back in; raising the limit lets the third in.
		first.get(t, "/j/"+lim.Code).wantRedirect(t, "/w/"+lim.Code)
		first.postForm(t, "/j/"+lim.Code, nil).wantRedirect(t, "/w/"+lim.Code)
		fac.putJSON(t, apiPath(lim.Code, "/settings"), `{"participant_limit": 3}`).want(t, http.StatusOK)
		third.get(t, "/j/"+lim.Code).want(t, http.StatusOK).wantContains(t, joinButton)
		third.join(t, lim.Code)
	})
}

// authorOf returns the pseudonym and participant ID of the author of a reason.
func (ts *testServer) authorOf(t *testing.T, w *workshop.Workshop, text string) (string, int64) {
	t.Helper()
	for _, r := range ts.tally(t, w).Rationales {
		if r.Text == text {
			return r.Pseudonym, r.ParticipantID
		}
	}
	t.Fatalf("no stored reason %q", text)
	return "", 0
}

// dashboardSections splits the dashboard at its archive.
func dashboardSections(t *testing.T, c *client) (active, archived string) {
	t.Helper()
	body := c.get(t, "/dashboard").want(t, http.StatusOK).body
	active, archived, _ = strings.Cut(body, "<summary>Archived (")
	return active, archived
}

func TestManageWorkshop(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	fac := ts.login(t, owner.Email)
	ctx := context.Background()
	page := func(code string) string { return "/workshops/" + code }

	t.Run("copy", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		set := workshop.Settings{Title: "Water", Description: "About water.", Anonymity: workshop.Pseudonymous, ParticipantLimit: 5,
			Visibility: workshop.VisibleLive, Pacing: workshop.PaceFocus, IdeaVotes: 7}
		if _, err := ts.db.UpdateSettings(ctx, w.Code, set, nil, workshop.User{}); err != nil {
			t.Fatal(err)
		}
		p := ts.client()
		p.postForm(t, "/j/"+w.Code, url.Values{"display_name": {"Ada"}}).wantRedirect(t, "/w/"+w.Code)
		p.rate(t, w.Code, w.Scenarios[0].ID, w.Criteria[0].ID, "3")
		r := fac.postForm(t, page(w.Code)+"/copy", nil).want(t, http.StatusSeeOther)
		loc := r.header.Get("Location")
		code, ok := strings.CutSuffix(strings.TrimPrefix(loc, "/workshops/"), "?done=copied")
		if !ok || code == w.Code {
			t.Fatalf("Location=%q, want /workshops/<new code>?done=copied", loc)
		}
		cp, err := ts.db.WorkshopByCode(ctx, code)
		if err != nil {
			t.Fatalf("the copy %s: %v", code, err)
		}
		if cp.State != workshop.StateLobby || cp.Round != 1 || cp.OwnerID != owner.ID || cp.Settings() != set || cp.CopiedFrom != w.Code ||
			!slices.Equal(scenarioTitles(cp.Scenarios), scenarioTitles(w.Scenarios)) || len(cp.Criteria) != len(w.Criteria) {
			t.Fatalf("copy state=%s round=%d owner=%d settings=%+v from=%q scenarios=%q, want lobby 1 %d %+v %s %q",
				cp.State, cp.Round, cp.OwnerID, cp.Settings(), cp.CopiedFrom, scenarioTitles(cp.Scenarios), owner.ID, set, w.Code, scenarioTitles(w.Scenarios))
		}
		if tl := ts.tally(t, cp); tl.Joined != 0 || len(tl.Counts) != 0 {
			t.Fatalf("copy has joined=%d and %d counts, want a fresh start", tl.Joined, len(tl.Counts))
		}
		// The copy keeps the title; its page and the dashboard say where it
		// came from, in the reader's language.
		from := workshop.GroupCode(w.Code)
		fac.get(t, loc).want(t, http.StatusOK).wantContains(t, "This is a copy in the lobby", "<h1 dir=\"auto\">Water</h1>",
			`<p class="muted">Copy of workshop `+from+`</p>`)
		fac.get(t, loc, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, `<p class="muted">Kopia warsztatu `+from+`</p>`)
		fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantLacks(t, "Copy of workshop")
		copyRow := regexp.MustCompile(`href="/workshops/` + code + `" dir="auto">Water</a>\s*<br>\s*<span class="muted">(.*?)</span>`)
		for lang, want := range map[string]string{"en": "Copy of workshop " + from, "pl": "Kopia warsztatu " + from} {
			dash := fac.get(t, "/dashboard", "Accept-Language", lang).want(t, http.StatusOK)
			if m := copyRow.FindStringSubmatch(dash.body); m == nil || m[1] != want {
				t.Errorf("dashboard in %s: the copy's row says %q, want %q", lang, m, want)
			}
			if n := strings.Count(dash.body, `<span class="muted">`+want+`</span>`); n != 1 {
				t.Errorf("dashboard in %s: %d rows say %q, want the copy's only", lang, n, want)
			}
		}
		// An organiser's copy is theirs.
		ts.login(t, "organiser@example.org").postForm(t, page(w.Code)+"/copy", nil).want(t, http.StatusSeeOther)
	})

	t.Run("archive", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		grouped := workshop.GroupCode(w.Code)
		fac.postForm(t, page(w.Code)+"/archive", nil).want(t, http.StatusConflict)
		ts.step(t, w.Code, workshop.ActFinish)
		fac.postForm(t, page(w.Code)+"/archive", nil).wantRedirect(t, "/dashboard?done=archived")
		if active, archived := dashboardSections(t, fac); strings.Contains(active, grouped) || !strings.Contains(archived, grouped) {
			t.Fatalf("dashboard: workshop %s in the active list=%v, in the archive=%v; want only in the archive",
				grouped, strings.Contains(active, grouped), strings.Contains(archived, grouped))
		}
		fac.get(t, "/dashboard?done=archived").want(t, http.StatusOK).wantContains(t, "The workshop is archived")
		c := ts.client()
		c.postForm(t, "/j/"+w.Code, nil).want(t, http.StatusConflict).wantLacks(t, joinButton)
		c.get(t, "/j/"+w.Code).want(t, http.StatusOK).wantContains(t, "admits no new participants").wantLacks(t, joinButton)
		fac.get(t, page(w.Code)).want(t, http.StatusOK).wantContains(t, "/unarchive")

		fac.postForm(t, page(w.Code)+"/unarchive", nil).wantRedirect(t, page(w.Code)+"?done=unarchived")
		if active, archived := dashboardSections(t, fac); !strings.Contains(active, grouped) || archived != "" {
			t.Fatalf("dashboard after unarchiving: in the active list=%v, archive section present=%v; want active only",
				strings.Contains(active, grouped), archived != "")
		}
		// Finished stays finished: still nobody joins.
		c.postForm(t, "/j/"+w.Code, nil).want(t, http.StatusConflict)
	})

	t.Run("anonymise", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"anonymity": "pseudonymous"}`).want(t, http.StatusOK)
		p := ts.client()
		p.postForm(t, "/j/"+w.Code, url.Values{"display_name": {"Ada"}}).wantRedirect(t, "/w/"+w.Code)
		p.rate(t, w.Code, w.Scenarios[0].ID, w.Criteria[0].ID, "4")
		p.reason(t, w.Code, w.Scenarios[0].ID, "Rivers decide it.")
		before, _ := ts.authorOf(t, w, "Rivers decide it.")
		fac.get(t, page(w.Code)).want(t, http.StatusOK).wantContains(t, `<span dir="auto">Ada</span>`, before)

		fac.postForm(t, page(w.Code)+"/anonymise", nil).want(t, http.StatusConflict)
		p.get(t, "/w/"+w.Code).want(t, http.StatusOK)
		ts.step(t, w.Code, workshop.ActFinish)
		fac.postForm(t, page(w.Code)+"/anonymise", nil).wantRedirect(t, page(w.Code)+"?done=anonymised")

		after, _ := ts.authorOf(t, w, "Rivers decide it.")
		fac.get(t, page(w.Code)).want(t, http.StatusOK).wantContains(t, "This workshop is anonymised", "Rivers decide it.", after).
			wantLacks(t, `<span dir="auto">Ada</span>`, before, `value="pseudonymous" checked`)
		if after == before {
			t.Fatalf("pseudonym %s kept after anonymising, want a new one", after)
		}
		p.get(t, "/w/"+w.Code).wantRedirect(t, "/j/"+w.Code)
		p.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(w.Scenarios[0].ID, w.Criteria[0].ID, "2")).want(t, http.StatusUnauthorized)
		if res := fac.results(t, w.Code); res.item(t, w.Scenarios[0].ID, w.Criteria[0].ID).N != 1 {
			t.Fatalf("results lost the rating on anonymising: %s", jsonOf(res))
		}
		// The names cannot come back.
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"anonymity": "pseudonymous"}`).wantAPIError(t, 422, "anonymity")
	})

	t.Run("delete", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		p := ts.join(t, w.Code)
		p.rate(t, w.Code, w.Scenarios[0].ID, w.Criteria[0].ID, "4")
		for _, typed := range []string{"", "WRONGCOD", w.Code[:7], "nope"} {
			fac.postForm(t, page(w.Code)+"/delete", url.Values{"confirm": {typed}}).want(t, http.StatusUnprocessableEntity).
				wantContains(t, "Type the workshop&#39;s code exactly", `aria-describedby="confirm-error"`, `<details class="card" id="manage" open>`)
			if _, err := ts.db.WorkshopByCode(ctx, w.Code); err != nil {
				t.Fatalf("confirm %q: workshop gone (%v), want it kept", typed, err)
			}
		}
		typed := strings.ToLower(workshop.GroupCode(w.Code))
		fac.postForm(t, page(w.Code)+"/delete", url.Values{"confirm": {typed}}).wantRedirect(t, "/dashboard?done=deleted")
		if _, err := ts.db.WorkshopByCode(ctx, w.Code); workshop.ErrorCode(err) != workshop.ENotFound {
			t.Fatalf("workshop after deletion: err=%v, want not found", err)
		}
		fac.get(t, page(w.Code)).want(t, http.StatusNotFound)
		fac.get(t, apiPath(w.Code, "/results")).wantAPIError(t, 404, "")
		p.get(t, "/w/"+w.Code).want(t, http.StatusNotFound)
		fac.get(t, "/dashboard?done=deleted").want(t, http.StatusOK).wantContains(t, "all its data are deleted").wantLacks(t, workshop.GroupCode(w.Code))
	})

	t.Run("remove a participant", func(t *testing.T) {
		w, other := ts.workshop(t, owner, true), ts.workshop(t, owner, true)
		s0, c0, c1 := w.Scenarios[0].ID, w.Criteria[0].ID, w.Criteria[1].ID
		p1, p2 := ts.join(t, w.Code), ts.join(t, w.Code)
		p1.rate(t, w.Code, s0, c0, "1")
		p1.rate(t, w.Code, s0, c1, "null")
		p1.reason(t, w.Code, s0, "Removed reason.")
		p2.rate(t, w.Code, s0, c0, "5")
		p2.reason(t, w.Code, s0, "Kept reason.")
		pseudonym, id := ts.authorOf(t, w, "Removed reason.")
		stranger := ts.join(t, other.Code)
		stranger.reason(t, other.Code, other.Scenarios[0].ID, "Elsewhere.")
		_, strangerID := ts.authorOf(t, other, "Elsewhere.")
		removePath := fmt.Sprintf("%s/participants/%d/remove", page(w.Code), id)
		fac.get(t, page(w.Code)).want(t, http.StatusOK).wantContains(t, `action="`+removePath+`"`)

		for _, bad := range []string{"999999", "x", strconv.FormatInt(strangerID, 10)} {
			fac.postForm(t, fmt.Sprintf("%s/participants/%s/remove", page(w.Code), bad), nil).want(t, http.StatusNotFound)
		}
		fac.postForm(t, removePath, nil).wantRedirect(t, page(w.Code)+"?done=removed#rationales")

		res := fac.results(t, w.Code)
		if it := res.item(t, s0, c0); it.N != 1 || it.Mean == nil || *it.Mean != 5 {
			t.Fatalf("item %d-%d after removal: %s, want only the other participant's 5", s0, c0, jsonOf(it))
		}
		if it := res.item(t, s0, c1); it.N != 0 || it.DontKnow != 0 {
			t.Fatalf("item %d-%d after removal: n=%d dont_know=%d, want 0 and 0", s0, c1, it.N, it.DontKnow)
		}
		if live := ts.tally(t, w); len(live.Rationales) != 1 || live.Rationales[0].Text != "Kept reason." {
			t.Fatalf("stored reasons after removal: %s, want only Kept reason.", jsonOf(live.Rationales))
		}
		fac.get(t, page(w.Code)+"?done=removed").want(t, http.StatusOK).
			wantContains(t, "ratings and reasons are removed", "Kept reason.", "owner@example.org: removed participant "+pseudonym+" (2 ratings and 1 reason)").
			wantLacks(t, "Removed reason.")
		// Their device is no longer theirs in the workshop; they may join as someone new.
		p1.get(t, "/w/"+w.Code).wantRedirect(t, "/j/"+w.Code)
		p1.join(t, w.Code)
		if got := p1.ownRatings(t, w.Code); len(got) != 0 {
			t.Fatalf("rejoined participant sees ratings %s, want none", jsonOf(got))
		}
		if tl := ts.tally(t, other); len(tl.Rationales) != 1 {
			t.Fatalf("the other workshop has %d reasons, want its 1 untouched", len(tl.Rationales))
		}
	})

	t.Run("access", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		p := ts.join(t, w.Code)
		p.reason(t, w.Code, w.Scenarios[0].ID, "Mine.")
		_, id := ts.authorOf(t, w, "Mine.")
		ts.step(t, w.Code, workshop.ActFinish)
		other := ts.login(t, "other@example.org")
		before := ts.tallies(t, w)
		workshops, _ := ts.db.WorkshopsFor(ctx, workshop.User{Role: workshop.RoleOrganiser})
		for _, action := range []string{"copy", "archive", "unarchive", "anonymise", "delete", fmt.Sprintf("participants/%d/remove", id)} {
			path := page(w.Code) + "/" + action
			form := url.Values{"confirm": {w.Code}}
			other.postForm(t, path, form).want(t, http.StatusForbidden)
			p.postForm(t, path, form).wantRedirect(t, "/login?next="+url.QueryEscape(path))
			ts.client().postForm(t, path, form).wantRedirect(t, "/login?next="+url.QueryEscape(path))
			fac.postForm(t, "/workshops/ZZZZZZZZ/"+action, form).want(t, http.StatusNotFound)
		}
		ts.wantUnchanged(t, before, w)
		if ws, _ := ts.db.WorkshopsFor(ctx, workshop.User{Role: workshop.RoleOrganiser}); len(ws) != len(workshops) {
			t.Fatalf("%d workshops after refused actions, want %d: a refused copy made one", len(ws), len(workshops))
		}
		if got, err := ts.db.WorkshopByCode(ctx, w.Code); err != nil || got.Archived || got.Anonymised {
			t.Fatalf("workshop after refused actions: %+v, %v; want it there, neither archived nor anonymised", got, err)
		}
	})
}

func TestRegressionCopyRenamesBuiltinDeck(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	title := builtinDeck(t).Title["en"]

	c.postForm(t, "/decks/nato-afghanistan/copy", nil).wantRedirect(t, "/decks/nato-afghanistan-copy/edit")
	c.postForm(t, "/decks/nato-afghanistan/copy", nil).wantRedirect(t, "/decks/nato-afghanistan-copy-2/edit")
	if d, _ := ts.storedDeck(t, "nato-afghanistan-copy-2"); d.Title["en"] != "Copy of "+title {
		t.Errorf("second copy is titled %q, want %q", d.Title["en"], "Copy of "+title)
	}
	c.get(t, "/decks").want(t, http.StatusOK).wantContains(t, `<span dir="auto">`+html.EscapeString(title)+`</span> <span class="badge">built in</span>`)
	loc := c.postForm(t, "/workshops", url.Values{"deck": {"nato-afghanistan"}}).want(t, http.StatusSeeOther).header.Get("Location")
	if w, err := ts.db.WorkshopByCode(context.Background(), strings.TrimPrefix(loc, "/workshops/")); err != nil || w.Title != title {
		t.Errorf("workshop from the built-in deck after copies: title %q (%v), want %q", w.Title, err, title)
	}
}

func TestRegressionPercentStepErrorPlace(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	v := validDeckForm("Percent")
	v.Set("c-0-kind", "percent")
	v.Set("c-0-step", "7")
	v.Set("c-0-labels-en", "")
	ts.login(t, u.Email).press(t, "/decks", v, "save").want(t, http.StatusUnprocessableEntity).
		wantContains(t, `aria-describedby="c-0-step-error"`).wantLacks(t, `aria-describedby="c-0-max-error"`)
}

func TestRegressionEditorBodyLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	d := sampleDeck("long", "Long deck")
	for i := range 30 {
		d.Scenarios = append(d.Scenarios, workshop.Scenario{Key: fmt.Sprintf("s%d", i+1), Title: workshop.Text{"en": fmt.Sprintf("Scenario %d", i+1)},
			Narrative: workshop.Text{"en": strings.Repeat("Rivers run dry. ", 200)}})
	}
	c.upload(t, "long.json", d.JSON()).wantRedirect(t, "/decks?done=imported")
	f := editorFields(t, c.get(t, "/decks/long/edit").want(t, http.StatusOK))
	f.Set("s-0-title-en", "Edited")
	c.press(t, "/decks/long", f, "save").wantRedirect(t, "/decks?done=saved")
}

func TestRegressionSettingsErrorPageDropsLogAndDisplay(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	p := ts.join(t, w.Code)
	p.reason(t, w.Code, w.Scenarios[0].ID, "Mine.")
	_, id := ts.authorOf(t, w, "Mine.")
	fac.postForm(t, fmt.Sprintf("/workshops/%s/participants/%d/remove", w.Code, id), nil).want(t, http.StatusSeeOther)
	fac.createDisplay(t, w.Code)
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "removed participant P-", "Revoke the display link")
	fac.postForm(t, "/workshops/"+w.Code+"/settings", settingsForm("", "", "anonymous", "0", "live", "self")).
		want(t, http.StatusUnprocessableEntity).wantContains(t, "removed participant P-", "Revoke the display link")
}

func TestRegressionRemovedParticipantsCountAgainstLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	fac.putJSON(t, apiPath(w.Code, "/settings"), `{"participant_limit": 2}`).want(t, http.StatusOK)
	p1 := ts.join(t, w.Code)
	ts.join(t, w.Code)
	p1.reason(t, w.Code, w.Scenarios[0].ID, "Troll.")
	_, id := ts.authorOf(t, w, "Troll.")
	fac.postForm(t, fmt.Sprintf("/workshops/%s/participants/%d/remove", w.Code, id), nil).want(t, http.StatusSeeOther)
	// "They can join again as someone new", says the page.
	p1.join(t, w.Code)
}

// A deck title must be one line, as a workshop's is: otherwise the deck
// would import but could not start a workshop.
func TestRegressionDeckTitleWithNewline(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	d := sampleDeck("two-lines", "Two\nlines", "Drought")
	c.upload(t, "two-lines.json", d.JSON()).want(t, http.StatusUnprocessableEntity).wantContains(t, "one line")
	if decks, err := ts.db.DecksFor(context.Background(), u); err != nil || len(decks) != 0 {
		t.Fatalf("stored %d decks, %v; want none", len(decks), err)
	}
}

func TestRegressionEditorMessagesNameLanguageCodes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "ada@example.org", workshop.RoleFacilitator)
	c := ts.login(t, u.Email)
	for _, field := range []string{"title-en", "s-0-title-en", "s-0-narrative-en", "c-0-name-en"} {
		v := validDeckForm("Messages")
		v.Set(field, "")
		c.press(t, "/decks", v, "save").want(t, http.StatusUnprocessableEntity).
			wantContains(t, fmt.Sprintf(`id="%s-error"`, field)).wantLacks(t, "&#34;en&#34; is required")
	}
}
