package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// TestAuthoring: a facilitator writes a deck of three scenarios with a
// probability criterion in percent, runs a workshop on it, and a
// participant rates it.
func TestAuthoring(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	if _, err := a.DB.CreateUser(ctx, "author@example.org", "a long password", workshop.RoleFacilitator); err != nil {
		t.Fatal(err)
	}
	fac := person(t, b, 1280, 900, true)
	run(t, fac, "sign in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "author@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
	// Each editor button posts the form and shows it again: wait for the page.
	click := func(what, sel, waitFor string) {
		t.Helper()
		// A click by script: the sticky save bar may lie over a button at
		// the bottom of the viewport, where a mouse click would land on it.
		eval(t, fac, fmt.Sprintf(`document.querySelector(%q).click()`, sel))
		run(t, fac, what, chromedp.WaitVisible(chromedp.CSS(waitFor)))
	}
	run(t, fac, "open the editor in English",
		chromedp.Navigate(a.URL+"/decks/new"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#title-en")),
		chromedp.SendKeys(chromedp.CSS("#title-en"), "Baltic futures"),
		chromedp.SendKeys(chromedp.CSS("#s-0-title-en"), "Shipping blockade"),
		chromedp.SendKeys(chromedp.CSS("#s-0-narrative-en"), "Within five years, shipping in the Baltic is blocked for weeks."),
	)
	click("add a scenario", `button[value="add-s"]`, "#s-1-title-en")
	run(t, fac, "write scenario 2",
		chromedp.SendKeys(chromedp.CSS("#s-1-title-en"), "Cable sabotage"),
		chromedp.SendKeys(chromedp.CSS("#s-1-narrative-en"), "Undersea data cables are cut twice in one winter."),
	)
	click("add another", `button[value="add-s"]`, "#s-2-title-en")
	run(t, fac, "write scenario 3",
		chromedp.SendKeys(chromedp.CSS("#s-2-title-en"), "Energy island"),
		chromedp.SendKeys(chromedp.CSS("#s-2-narrative-en"), "The Baltic states run their grid in island mode for a month."),
	)
	click("remove the second criterion", `button[value="remove-c-1"]`, "#c-0-name-en")
	run(t, fac, "make the criterion a probability",
		chromedp.Clear(chromedp.CSS("#c-0-name-en")),
		chromedp.SendKeys(chromedp.CSS("#c-0-name-en"), "Probability"),
		chromedp.Click(chromedp.CSS(`input[name="c-0-kind"][value="percent"]`)),
		chromedp.Clear(chromedp.CSS("#c-0-step")),
		chromedp.SendKeys(chromedp.CSS("#c-0-step"), "10"),
		chromedp.Clear(chromedp.CSS("#c-0-labels-en")),
		chromedp.SendKeys(chromedp.CSS("#c-0-labels-en"), "0 = Impossible\n100 = Certain"),
		chromedp.Click(chromedp.CSS(`input[name="c-0-dont_know"]`)), // no "don't know" here
	)
	screenshot(t, fac, "deck-editor")
	click("save the deck", `button[value="save"]`, `main .notice[role="status"]`)
	waitText(t, fac, "main table", "Baltic futures")

	decks, err := a.DB.DecksFor(ctx, workshop.User{Role: workshop.RoleOrganiser})
	if err != nil || len(decks) != 1 {
		t.Fatalf("stored decks: %d, %v", len(decks), err)
	}
	d := decks[0]
	c := d.Criteria
	if len(d.Scenarios) != 3 || d.Scenarios[1].Title["en"] != "Cable sabotage" || len(c) != 1 ||
		c[0].Kind != workshop.KindPercent || c[0].Step != 10 || c[0].DontKnow || len(c[0].Labels) != 2 {
		t.Fatalf("stored deck: %d scenarios, criteria %+v", len(d.Scenarios), c)
	}

	// A workshop on the new deck; a participant rates 70 %.
	run(t, fac, "create the workshop",
		chromedp.Navigate(a.URL+"/workshops/new?deck="+d.Slug),
		chromedp.Click(chromedp.CSS(`input[name="open"]`)),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
	)
	loc, err := get(fac, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	code := loc[strings.LastIndex(loc, "/")+1:]
	w, err := a.DB.WorkshopByCode(ctx, code)
	if err != nil || len(w.Scenarios) != 3 {
		t.Fatalf("workshop %s: %v", code, err)
	}
	pa := person(t, b, 360, 740, true)
	run(t, pa, "join and rate",
		chromedp.Navigate(a.URL+"/j/"+code),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#vote-form")),
		chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="70"] + span`)),
	)
	waitText(t, pa, statusSel(w, 0, 0), "Saved")
	screenshot(t, pa, "participant-percent-360")
	waitJS(t, fac, `document.querySelector("#results .stats-grid svg").getAttribute("aria-label").includes("1 rated 70")`)
}
