package http_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// The interface follows Accept-Language until the person picks a language
// with the switcher; the choice is a cookie and wins from then on.
func TestLanguageNegotiationAndSwitcher(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.client()

	en := c.get(t, "/").want(t, http.StatusOK)
	en.wantContains(t, `<html lang="en">`, "Join a workshop", `name="lang" value="pl"`, `lang="fr">Français</button>`)
	if vary := en.header.Values("Vary"); !strings.Contains(strings.Join(vary, ","), "Accept-Language") {
		t.Errorf("Vary = %q, want Accept-Language in it (pages differ by language)", vary)
	}

	// The content-hashed assets are the same in every language: no Vary.
	css := regexp.MustCompile(`href="(/assets/css/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(en.body)
	if css == nil {
		t.Fatal("no stylesheet link on the home page")
	}
	if vary := c.get(t, css[1]).want(t, http.StatusOK).header.Values("Vary"); len(vary) != 0 {
		t.Errorf("asset %s has Vary %q: browsers would fetch it again after each cookie change", css[1], vary)
	}

	pl := c.get(t, "/", "Accept-Language", "pl-PL,pl;q=0.9,en;q=0.5").want(t, http.StatusOK)
	pl.wantContains(t, `<html lang="pl">`, "Dołącz do warsztatu", `name="lang" value="en"`)
	fr := c.get(t, "/", "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5").want(t, http.StatusOK)
	fr.wantContains(t, `<html lang="fr">`, "Rejoindre un atelier", `name="lang" value="en"`, `name="lang" value="pl"`)

	// The switcher returns to the page it was on and remembers the choice.
	r := c.postForm(t, "/language", url.Values{"lang": {"pl"}, "next": {"/login?next=%2Fdashboard"}})
	r.wantRedirect(t, "/login?next=%2Fdashboard")
	lc := cookieNamed(r.cookies, "fs_lang")
	if lc == nil || lc.Value != "pl" || !lc.HttpOnly || lc.SameSite != http.SameSiteLaxMode || lc.MaxAge < 300*24*3600 {
		t.Fatalf("language cookie %+v, want fs_lang=pl, HttpOnly, SameSite=Lax, kept for a year", lc)
	}
	c.get(t, "/login", "Accept-Language", "en").want(t, http.StatusOK).wantContains(t, `<html lang="pl">`, "Zaloguj się")

	// Bad input: an unknown language is refused in words, a foreign next
	// goes home.
	c.postForm(t, "/language", url.Values{"lang": {"de"}}).want(t, http.StatusUnprocessableEntity)
	c.postForm(t, "/language", url.Values{"lang": {"en"}, "next": {"//evil.example/"}}).wantRedirect(t, "/")
	c.get(t, "/").want(t, http.StatusOK).wantContains(t, `<html lang="en">`)
}

// Errors of the API and of pages come in the request's language, with the
// same code and field.
func TestErrorsInPolish(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.client()
	c.get(t, "/nothing", "Accept-Language", "pl").want(t, http.StatusNotFound).wantContains(t, "Nie znaleziono")
	r := c.get(t, "/api/v1/nothing", "Accept-Language", "pl").want(t, http.StatusNotFound)
	r.wantContains(t, `"code":"not_found"`)
	if strings.Contains(r.body, "No such API endpoint") {
		t.Errorf("API error not translated: %s", r.body)
	}
}

// A workshop shows each participant its deck's texts in their language,
// and a deck without that language in its first language.
func TestDeckTextInTheParticipantsLanguage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, u, true)
	sc := w.Scenarios[0]

	pl := ts.client()
	pl.postForm(t, "/j/"+w.Code, nil, "Accept-Language", "pl").wantRedirect(t, "/w/"+w.Code)
	pl.get(t, "/w/"+w.Code, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, html.EscapeString(sc.Title["pl"]))

	fr := ts.client()
	fr.postForm(t, "/j/"+w.Code, nil, "Accept-Language", "fr-BE").wantRedirect(t, "/w/"+w.Code)
	fr.get(t, "/w/"+w.Code, "Accept-Language", "fr-BE").want(t, http.StatusOK).wantContains(t, `<html lang="fr">`, html.EscapeString(sc.Title["fr"]))

	en := ts.client()
	en.join(t, w.Code)
	page := en.get(t, "/w/"+w.Code, "Accept-Language", "en-GB").want(t, http.StatusOK)
	page.wantContains(t, html.EscapeString(sc.Title["en"]))
	if strings.Contains(page.body, html.EscapeString(sc.Title["pl"])) {
		t.Error("an English participant sees the Polish title")
	}

	// A deck in Polish only: an English reader gets the Polish text.
	if got := (&workshop.Workshop{Languages: []string{"pl"}}).TextLanguage("en"); got != "pl" {
		t.Errorf("TextLanguage fell back to %q", got)
	}
}

// Every page of a workshop on a percent criterion reads in French, with
// its numbers in French formats and no message left with a verb it could
// not fill.
func TestPagesInFrench(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w, fac, _, parts := scoresWorkshop(t, ts)
	fr := []string{"Accept-Language", "fr-CA,fr;q=0.9"}
	pages := map[string]*client{
		"/dashboard": fac, "/decks": fac, "/account": fac,
		"/workshops/" + w.Code: fac, "/workshops/" + w.Code + "/export/report": fac, "/workshops/" + w.Code + "/projector": fac,
		"/w/" + w.Code: parts[0],
	}
	for path, c := range pages {
		r := c.get(t, path, fr...).want(t, http.StatusOK).wantContains(t, `<html lang="fr"`)
		if i := strings.Index(r.body, "%!"); i >= 0 {
			t.Errorf("%s: a message with a verb it could not fill: %q", path, r.body[max(0, i-80):min(len(r.body), i+40)])
		}
	}
	// The percent scale's points and the shares carry the French percent sign.
	parts[0].get(t, "/w/"+w.Code, fr...).wantContains(t, "<b>70\u202f%</b>", "Tour 2")
	fac.get(t, "/workshops/"+w.Code, fr...).wantContains(t, "\u202f%</strong> EIQ moyen, en proportion de chaque échelle")
}
