package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// TestA11yGroups checks the pages of a workshop with expert groups in
// English and Polish, with axe-core and the Nu HTML Checker: the settings
// that name the groups (in the lobby, refused, and read-only once voting
// opened), the join page that asks for one (and refuses none), and the
// results, projector and report where groups disagree.
func TestA11yGroups(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	au := newAuditor(t)
	nav := func(u string) func(context.Context) error {
		return func(ctx context.Context) error { return do(ctx, "open "+u, chromedp.Navigate(a.URL+u)) }
	}
	anon := func(l *lane) *tab { return l.anon }
	part := func(l *lane) *tab { return l.part }
	fac := func(l *lane) *tab { return l.fac }

	org, orgUser := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, orgUser, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	code := w.Code
	for _, lang := range a11yLangs {
		l := &lane{lang: lang, anon: newTab(t, b, 360, 740, lang), part: newTab(t, b, 360, 740, lang), fac: newTab(t, b, 1280, 800, lang)}
		browserSignIn(t, l.fac.ctx, a, "organiser@example.org")
		au.lanes = append(au.lanes, l)
	}
	settings := func(ctx context.Context) error {
		return do(ctx, "open the settings", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.Click(chromedp.CSS("#settings > summary")),
			chromedp.WaitVisible(chromedp.CSS(`#settings button[type=submit]`)))
	}

	au.check(fac, "groups-settings-lobby", false, settings)
	au.check(fac, "groups-settings-error", false, func(ctx context.Context) error {
		return do(ctx, "name one group only",
			chromedp.Navigate(a.URL+"/workshops/"+code),
			chromedp.Click(chromedp.CSS("#settings > summary")),
			chromedp.SetValue(chromedp.CSS("#groups"), "alone"),
			chromedp.Click(chromedp.CSS(`#settings button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#groups-error")),
		)
	})
	org.post("/workshops/"+code+"/settings", url.Values{"title": {w.Title}, "anonymity": {"anonymous"}, "visibility": {"after_reveal"},
		"pacing": {"self"}, "participant_limit": {"0"}, "groups": {"military\ndiplomatic\nhumanitarian\nintelligence"}})
	if w, err = a.DB.WorkshopByCode(ctx, code); err != nil || len(w.Groups) != 4 {
		t.Fatalf("groups after the settings form: %+v, %v", w.Groups, err)
	}

	au.check(anon, "groups-join", true, nav("/j/"+code))
	au.check(anon, "groups-join-error", false, func(ctx context.Context) error {
		// Without JavaScript's check of required fields, as an old
		// browser or a stale page would post it.
		return do(ctx, "join without a group",
			chromedp.Navigate(a.URL+"/j/"+code),
			js(`document.querySelectorAll("[required]").forEach(e => e.removeAttribute("required"))`),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#group-error")),
		)
	})
	for i, l := range au.lanes {
		run(t, l.part.ctx, "join a group", chromedp.Navigate(a.URL+"/j/"+code),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="group"][value="%d"]`, w.Groups[i].ID))),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	}
	// Three of each of two groups far apart on every item, so that the
	// groups disagree; one of a third group.
	org.post("/workshops/"+code+"/next", nil)
	for i := range 7 {
		c := newClient(t, a.URL)
		group := w.Groups[min(i/3, 2)]
		c.post("/j/"+code, url.Values{"group": {fmt.Sprint(group.ID)}})
		rateAll(c, w, func(s, _ int) int { return []int{1, 5, 3}[min(i/3, 2)] - (s+i)%2*[]int{0, 1, 0}[min(i/3, 2)] })
	}

	au.check(part, "groups-vote-open", false, nav("/w/"+code))
	au.check(fac, "groups-settings-open", false, settings)
	au.check(fac, "groups-workshop-open", false, nav("/workshops/"+code))
	org.post("/workshops/"+code+"/close", nil)
	org.post("/workshops/"+code+"/reveal", nil)
	au.check(fac, "groups-workshop-revealed", true, func(ctx context.Context) error {
		return do(ctx, "open the results", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.WaitVisible(chromedp.CSS(".groups-disagree")))
	})
	au.check(fac, "groups-projector-revealed", false, func(ctx context.Context) error {
		return do(ctx, "open the projector", chromedp.Navigate(a.URL+"/workshops/"+code+"/projector"), chromedp.WaitVisible(chromedp.CSS("ol.legend .disagree-mark")))
	})
	au.check(fac, "groups-report", false, func(ctx context.Context) error {
		return do(ctx, "open the report", chromedp.Navigate(a.URL+"/workshops/"+code+"/export/report"), chromedp.WaitVisible(chromedp.CSS(".groups-row")))
	})

	t.Logf("axe-core: %d pages in %d languages, %d violations, %v", au.pages, len(au.lanes), len(au.failed), au.axeTime.Round(time.Millisecond))
	t.Run("NuHTMLChecker", au.validate)
}
