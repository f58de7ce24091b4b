package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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

// TestDeckEditorLanguages: a facilitator on a phone, in the Polish
// interface and without JavaScript, writes a deck in Polish with English
// beside it: a probability in percent on the PHIA yardstick and a
// confidence criterion. The kind's fields show as the kind is checked, by
// the style sheet alone. The deck is then edited on a laptop, where the
// languages sit side by side.
func TestDeckEditorLanguages(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	if _, err := a.DB.CreateUser(ctx, "author@example.org", "a long password", workshop.RoleFacilitator); err != nil {
		t.Fatal(err)
	}
	phone := person(t, b, 360, 740, false)
	browserSignIn(t, phone, a, "author@example.org")
	run(t, phone, "pick Polish, then a new deck in Polish and English",
		chromedp.Navigate(a.URL+"/decks"),
		chromedp.Click(chromedp.CSS(`header form.lang-switch button[value="pl"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="pl"] main a.btn[href="/decks/new"]`)),
		chromedp.Navigate(a.URL+"/decks/new"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="lang-own"][value="pl"]:checked`)),
		chromedp.Click(chromedp.CSS(`input[name="lang"][value="en"]`)),
	)
	screenshot(t, phone, "editor-languages-360-pl")
	run(t, phone, "open the editor",
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#title-pl")),
		chromedp.WaitVisible(chromedp.CSS("#title-en")),
		// (Typed keys: chromedp's keyboard drops "ą" and "ć".)
		chromedp.SendKeys(chromedp.CSS("#title-pl"), "Żegluga na Bałtyku"),
		chromedp.SendKeys(chromedp.CSS("#title-en"), "Baltic futures"),
		chromedp.SendKeys(chromedp.CSS("#s-0-title-pl"), "Blokada żeglugi"),
		chromedp.SendKeys(chromedp.CSS("#s-0-narrative-pl"), "Przez kilka tygodni żegluga na Bałtyku jest zablokowana."),
		chromedp.SendKeys(chromedp.CSS("#s-0-title-en"), "Shipping blockade"),
	)
	screenshotOf(t, phone, "editor-scenario-360-pl", `ol[data-sortable] > li`)

	// The first criterion becomes a probability in percent: its range
	// fields go, the step and the yardstick come.
	run(t, phone, "make Likelihood a percentage on the PHIA yardstick",
		chromedp.WaitVisible(chromedp.CSS("#c-0-min")),
		chromedp.WaitNotVisible(chromedp.CSS("#c-0-step")),
		chromedp.Click(chromedp.CSS(`input[name="c-0-kind"][value="percent"]`)),
		chromedp.WaitVisible(chromedp.CSS("#c-0-step")),
		chromedp.WaitNotVisible(chromedp.CSS("#c-0-min")),
		typeOver("#c-0-step", "5"),
		typeOver("#c-0-yardstick", "p"), // PHIA, picked by its first letter
		typeOver("#c-0-labels-pl", ""),
		typeOver("#c-0-labels-en", ""),
	)
	screenshotOf(t, phone, "editor-percent-360-pl", `li.deck-criterion`)
	run(t, phone, "make Impact a confidence criterion",
		chromedp.Click(chromedp.CSS(`input[name="c-1-kind"][value="confidence"]`)),
		chromedp.WaitVisible(chromedp.CSS("#c-1-level1-pl")),
		chromedp.WaitNotVisible(chromedp.CSS("#c-1-labels-pl")),
	)
	if got, err := get(phone, chromedp.Value(chromedp.CSS("#c-1-level1-pl"))); err != nil || got != "Niska" {
		t.Fatalf("confidence level 1 in Polish: %q, %v; want Niska", got, err)
	}
	screenshotOf(t, phone, "editor-confidence-360-pl", `li.deck-criterion:nth-child(2)`)
	run(t, phone, "save",
		chromedp.Click(chromedp.CSS(`.sticky-save button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)),
	)

	decks, err := a.DB.DecksFor(ctx, workshop.User{Role: workshop.RoleOrganiser})
	if err != nil || len(decks) != 1 {
		t.Fatalf("stored decks: %d, %v", len(decks), err)
	}
	d := decks[0]
	if d.Slug != "zegluga-na-baltyku" || len(d.Languages) != 2 || d.Languages[0] != "pl" || d.Title["en"] != "Baltic futures" ||
		d.Criteria[0].Kind != workshop.KindPercent || d.Criteria[0].Step != 5 || d.Criteria[0].Yardstick != workshop.YardstickPHIA ||
		d.Criteria[1].Kind != workshop.KindConfidence || d.Criteria[1].Labels[2].Text["pl"] != "Wysoka" || d.Criteria[1].Labels[2].Text["en"] != "High" {
		t.Fatalf("stored deck %s", d.JSON())
	}

	// On a laptop, in English: the languages side by side.
	laptop := person(t, b, 1280, 900, true)
	browserSignIn(t, laptop, a, "author@example.org")
	run(t, laptop, "edit the deck",
		chromedp.Navigate(a.URL+"/decks/"+d.Slug+"/edit"),
		chromedp.WaitVisible(chromedp.CSS("#s-0-title-en")),
	)
	top := func(sel string) float64 {
		y, err := get(laptop, chromedp.Evaluate[float64](fmt.Sprintf(`document.querySelector(%q).getBoundingClientRect().top`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	if pl, en := top("#s-0-title-pl"), top("#s-0-title-en"); pl != en {
		t.Errorf("on a laptop the Polish and English titles are at %v and %v, want side by side", pl, en)
	}
	screenshot(t, laptop, "editor-top-1280-en")
	screenshotOf(t, laptop, "editor-scenario-1280-en", `ol[data-sortable] > li`)
	screenshotOf(t, laptop, "editor-percent-1280-en", `li.deck-criterion`)
	screenshotOf(t, laptop, "editor-confidence-1280-en", `li.deck-criterion:nth-child(2)`)
}

// typeOver replaces a field's text by keyboard, as a person does: select
// all, delete, type. It needs no JavaScript in the page.
func typeOver(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, a := range []chromedp.Action[chromedp.Void]{
			chromedp.Focus(chromedp.CSS(sel)),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Backspace),
			chromedp.KeyEvent(text),
		} {
			if _, err := a(ctx, t); err != nil {
				return fmt.Errorf("type over %s: %w", sel, err)
			}
		}
		return nil
	})
}
