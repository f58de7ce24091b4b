package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// TestSmallThingsSeen walks the pages where a session saw small slips:
// the facilitator is told that opening voting fixes the groups; the
// participant's group line has no space before its comma; the report's
// count of raters per round is spaced; a finished workshop offers
// scores.csv; the deck editor offers no "Move up" on the first scenario;
// and the scores overview says what its arrow means.
func TestSmallThingsSeen(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	org, owner := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	w := roomWorkshop(t, a.DB, owner)
	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, "organiser@example.org")
	text := func(ctx context.Context, url, sel string) string {
		t.Helper()
		run(t, ctx, "open "+url, chromedp.Navigate(a.URL+url), chromedp.WaitReady(chromedp.CSS("main")))
		s, err := get(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(`+jsString(sel)+`), e => e.textContent).join("\n")`))
		if err != nil {
			t.Fatal(err)
		}
		return asRead(s)
	}
	if got := text(fac, "/workshops/"+w.Code, "main"); !strings.Contains(got, "Opening voting fixes the expert groups") {
		t.Error("the lobby with groups does not say that opening voting fixes them")
	}
	org.post("/workshops/"+w.Code+"/next", nil)
	rateRoom(t, a.DB, w, nil, 1)
	org.post("/workshops/"+w.Code+"/close", nil)
	org.post("/workshops/"+w.Code+"/reveal", nil)

	p := person(t, b, 390, 844, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS(`input[name="group"]`)), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	if got := text(p, "/w/"+w.Code, ".group p"); !strings.Contains(got, ", middle half ") || strings.Contains(got, " ,") {
		t.Errorf("the group's position reads %q", got)
	}
	org.post("/workshops/"+w.Code+"/next", nil)
	org.post("/workshops/"+w.Code+"/finish", nil)
	occurred := true
	if _, err := a.DB.SetOutcome(ctx, w.Code, owner, workshop.Outcome{ScenarioID: w.Scenarios[0].ID, Occurred: &occurred}); err != nil {
		t.Fatal(err)
	}
	if got := text(fac, "/workshops/"+w.Code+"/export/report", "dl.facts"); !strings.Contains(got, "16 rated · round 2") {
		t.Errorf("the report's participants read %q", got)
	}
	if got := text(fac, "/workshops/"+w.Code, "#export"); !strings.Contains(got, "Scores (CSV)") {
		t.Error("the finished workshop's exports do not offer scores.csv")
	}
	if got := text(fac, "/scores", "main"); !strings.Contains(got, "a smaller number after the arrow means") {
		t.Error("/scores does not say what its arrow means")
	}
	// The New workshop page names every deck in full, a long title too.
	offered := text(fac, "/workshops/new", "#deck")
	decks, _ := workshop.BuiltinDecks()
	for _, d := range decks {
		if title := d.Title.In("en"); !strings.Contains(offered, title) {
			t.Errorf("the decks offered read %q, without %q", offered, title)
		}
	}
	if n, _ := get(fac, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#deck label")).filter(l => l.scrollWidth > l.clientWidth + 1).length`)); n != 0 {
		t.Errorf("%d deck names are cut", n)
	}
	run(t, fac, "open a new deck with two scenarios",
		chromedp.Navigate(a.URL+"/decks/new"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#s-0-title-en")),
		chromedp.Click(chromedp.CSS(`button[value="add-s"]`)),
		chromedp.WaitVisible(chromedp.CSS("#s-1-title-en")))
	first, _ := get(fac, chromedp.Evaluate[string](`document.querySelector('[data-sortable="scenarios"] > li:first-child .card-head').innerText`))
	last, _ := get(fac, chromedp.Evaluate[string](`document.querySelector('[data-sortable="scenarios"] > li:last-child .card-head').innerText`))
	if strings.Contains(first, "Move up") || !strings.Contains(first, "Move down") || strings.Contains(last, "Move down") || !strings.Contains(last, "Move up") {
		t.Errorf("the first scenario offers %q, the last %q", first, last)
	}
}

// TestOwnRatingOnTheRevealedHistogram: after a round is revealed the
// participant finds their own rating on each histogram: its bar is marked
// and a line under the chart says which it is.
func TestOwnRatingOnTheRevealedHistogram(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	w, org := openWorkshop(t, a)
	p := person(t, b, 390, 844, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	run(t, p, "rate 4", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="4"] + span`)))
	waitStored(t, a, w, 0, 0, "4")
	org.post("/workshops/"+w.Code+"/close", nil)
	org.post("/workshops/"+w.Code+"/reveal", nil)
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("revealed-1-")`)
	waitText(t, p, itemSel(w, 0, 0)+" .own-note", "Your rating: 4")
	if n, _ := get(p, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(itemSel(w, 0, 0)+" svg.hist .own-slot")+`).length`)); n != 1 {
		t.Errorf("%d bars marked as the participant's own, want 1", n)
	}
	screenshotOf(t, p, "own-rating-390", itemSel(w, 0, 0))
}
