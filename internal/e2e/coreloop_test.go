package e2e

import (
	"context"
	"fmt"
	"path"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// TestCoreLoop: a facilitator signs in and opens a workshop; two participants
// join through /j/{code} in browser contexts of their own (one without
// JavaScript) and rate; the facilitator's page shows the new numbers without
// a reload; closing voting reaches the participant's page live.
func TestCoreLoop(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	token, err := a.DB.SetupLink(ctx)
	if err != nil || token == "" {
		t.Fatalf("setup link %q, %v", token, err)
	}

	fac := person(t, b, 1280, 900, true)
	run(t, fac, "create the first account",
		chromedp.Navigate(a.URL+"/setup/"+token),
		chromedp.SendKeys(chromedp.CSS("#email"), "facilitator@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
	run(t, fac, "create a workshop",
		chromedp.Navigate(a.URL+"/workshops/new"),
		chromedp.SendKeys(chromedp.CSS("#title"), "NATO after Kabul"),
		chromedp.Click(chromedp.CSS(`input[name="open"]`)),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#results")),
	)
	loc, err := get(fac, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	code := path.Base(loc)
	w, err := a.DB.WorkshopByCode(ctx, code)
	if err != nil {
		t.Fatalf("workshop %q from %s: %v", code, loc, err)
	}
	// A marker that a reload would wipe out.
	eval(t, fac, `window.noReload = true`)
	waitText(t, fac, "#results .counts", "0 joined")

	// Participant A: a phone with JavaScript.
	pa := person(t, b, 360, 740, true)
	run(t, pa, "join with JavaScript",
		chromedp.Navigate(a.URL+"/j/"+code),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#vote-form")),
	)
	waitText(t, fac, "#results .counts", "1 joined")
	run(t, pa, "rate likelihood 4", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="4"] + span`)))
	waitText(t, pa, statusSel(w, 0, 0), "Saved")
	run(t, pa, "rate impact don't know", chromedp.Click(chromedp.CSS(itemSel(w, 0, 1)+` input[value="dk"] + span`)))
	waitText(t, pa, statusSel(w, 0, 1), "Saved")
	screenshot(t, pa, "participant-360")

	hist := func(criterion int) string {
		return fmt.Sprintf(`document.querySelector("#%s .stats-grid > div:nth-child(%d) svg").getAttribute("aria-label")`, views.ResultID(w.Scenarios[0].ID), criterion+1)
	}
	waitText(t, fac, "#results .counts", "1 rated")
	waitJS(t, fac, hist(0)+`.includes("1 rated 4")`)
	waitJS(t, fac, hist(1)+`.includes("1 don't know")`)

	// Participant B: a phone without JavaScript; the page is one form.
	pb := person(t, b, 360, 740, false)
	run(t, pb, "join and rate without JavaScript",
		chromedp.Navigate(a.URL+"/j/"+code),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#vote-form")),
		chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="2"] + span`)),
		chromedp.Click(chromedp.CSS(itemSel(w, 1, 0)+` input[value="5"] + span`)),
		chromedp.Click(chromedp.CSS(".sticky-save button")),
		chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)),
	)
	waitText(t, pb, `main .notice[role="status"]`, "saved")
	screenshot(t, pb, "participant-nojs-360")

	waitText(t, fac, "#results .counts", "2 rated")
	waitJS(t, fac, hist(0)+`.includes("1 rated 2") && `+hist(0)+`.includes("1 rated 4")`)
	waitJS(t, fac, `window.noReload === true`)
	screenshot(t, fac, "facilitator-top")
	run(t, fac, "scroll to the results", chromedp.ScrollIntoView(chromedp.CSS("#results")))
	screenshot(t, fac, "facilitator-results")

	// The store holds exactly what the pages said.
	res, err := a.DB.LoadTally(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, row := range res.Counts {
		n += row.Count
	}
	if n != 4 || res.Joined != 2 {
		t.Fatalf("stored %d ratings from %d participants, want 4 from 2", n, res.Joined)
	}

	// Closing voting reaches participant A's open page without a reload.
	eval(t, pa, `window.noReload = true`)
	run(t, fac, "close voting",
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/reopen"] button`)),
	)
	waitJS(t, pa, `document.querySelector("#main").dataset.state.startsWith("closed-1-")`)
	waitJS(t, pa, fmt.Sprintf(`document.querySelector(%q).disabled && window.noReload === true`, itemSel(w, 0, 0)))
	waitJS(t, pa, fmt.Sprintf(`document.querySelector(%q).checked`, itemSel(w, 0, 0)+` input[value="4"]`))
	screenshot(t, pa, "participant-closed-360")
	if got := w.State; got != workshop.StateOpen {
		t.Fatalf("the workshop was %s before closing, want open", got)
	}
}
