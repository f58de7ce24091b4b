package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// TestFacilitatorSeesTheRoomAtAGlance runs a sixteen-person workshop with
// four groups through two rounds and opens the facilitator's page at
// 1280x900 in English and Polish. The page starts with a short overview:
// the counts, the matrix and one line per scenario with its verdicts,
// within the first two screens. The details of each scenario (histograms
// and statistics) are folded, open on request, and stay open while the
// results update live.
func TestFacilitatorSeesTheRoomAtAGlance(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	org, owner := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	w := roomWorkshop(t, a.DB, owner)
	org.post("/workshops/"+w.Code+"/next", nil)
	ps := rateRoom(t, a.DB, w, nil, 1)
	for _, step := range []string{"close", "reveal", "next"} {
		org.post("/workshops/"+w.Code+"/"+step, nil)
	}
	rateRoom(t, a.DB, w, slices.Clip(ps[:12]), 2) // four join anew; ps[12:] wait to rate

	for k, lang := range []string{"en", "pl", "fr"} {
		fac := newTab(t, b, 1280, 900, lang).ctx
		browserSignIn(t, fac, a, "organiser@example.org")
		run(t, fac, "open the facilitator's page",
			chromedp.Navigate(a.URL+"/workshops/"+w.Code),
			chromedp.WaitVisible(chromedp.CSS("#results svg.matrix")))
		fullScreenshot(t, fac, "facilitator-overview-"+lang)
		height, _ := get(fac, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
		if height > 5000 {
			t.Errorf("%s: the facilitator's page is %v px tall with every detail folded", lang, height)
		}
		matrixTop, _ := get(fac, chromedp.Evaluate[float64](`document.querySelector("#results svg.matrix").getBoundingClientRect().top + scrollY`))
		if matrixTop > 1800 {
			t.Errorf("%s: the matrix starts %v px down the page, below the first two screens", lang, matrixTop)
		}
		// One overview row per scenario, each naming the scenario as the
		// matrix numbers it and linking to its folded details.
		rows, _ := get(fac, chromedp.Evaluate[int](`document.querySelectorAll("#overview tbody tr").length`))
		if rows != len(w.Scenarios) {
			t.Errorf("%s: the overview has %d rows, want one per scenario (%d)", lang, rows, len(w.Scenarios))
		}
		first, _ := get(fac, chromedp.Evaluate[string](`document.querySelector("#overview tbody tr th").textContent.trim()`))
		if want := "1. " + w.Scenarios[0].Title.In(lang); first != want {
			t.Errorf("%s: the first row reads %q, want %q", lang, first, want)
		}
		// Scenario 3's groups disagree: its row says so.
		if n, _ := get(fac, chromedp.Evaluate[int](`document.querySelectorAll("#overview tbody tr:nth-child(3) .disagree-mark").length`)); n == 0 {
			t.Errorf("%s: scenario 3's overview row does not say that its groups disagree", lang)
		}
		open, _ := get(fac, chromedp.Evaluate[int](`document.querySelectorAll("#results details.scenario-details[open]").length`))
		if open != 0 {
			t.Errorf("%s: %d scenarios' details are open on arrival, want all folded", lang, open)
		}
		// The row's link opens scenario 3's details and shows them.
		id := fmt.Sprintf("#%s", views.ResultID(w.Scenarios[2].ID))
		run(t, fac, "open scenario 3 from the overview",
			chromedp.Click(chromedp.CSS(`#overview tbody tr:nth-child(3) a`)),
			chromedp.WaitVisible(chromedp.CSS(id+" svg.hist")))
		screenshot(t, fac, "facilitator-scenario-3-"+lang)
		// A rating comes in: the panel is sent again, and what the
		// facilitator opened stays open.
		before, _ := get(fac, chromedp.Evaluate[string](`document.querySelector("#results [data-announce]").textContent`))
		one := 1
		if _, err := a.DB.SaveRating(context.Background(), ps[12+k], w.Scenarios[0].ID, w.Criteria[1].ID, &one); err != nil {
			t.Fatal(err)
		}
		waitJS(t, fac, `document.querySelector("#results [data-announce]").textContent !== `+jsString(before))
		if still, _ := get(fac, chromedp.Evaluate[bool](`document.querySelector(`+jsString(id)+`).open`)); !still {
			t.Errorf("%s: scenario 3's details closed when the results updated", lang)
		}
	}
	// On a phone the overview stays in the screen's width: the table
	// scrolls inside its card, the page does not.
	phone := newTab(t, b, 390, 844, "en").ctx
	browserSignIn(t, phone, a, "organiser@example.org")
	run(t, phone, "open the facilitator's page on a phone",
		chromedp.Navigate(a.URL+"/workshops/"+w.Code),
		chromedp.WaitVisible(chromedp.CSS("#results svg.matrix")))
	fullScreenshot(t, phone, "facilitator-overview-phone")
	if wide, _ := get(phone, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); wide > 391 {
		t.Errorf("on a phone the facilitator's page is %v px wide in 390", wide)
	}
	// Nor does the overview scroll sideways inside its card: each scenario
	// is a block, each median under its criterion's name.
	if wide, _ := get(phone, chromedp.Evaluate[string](`(() => { const w = document.querySelector("#overview .table-wrap"); return w.scrollWidth > w.clientWidth + 1 ? w.scrollWidth + " in " + w.clientWidth : ""; })()`)); wide != "" {
		t.Errorf("on a phone the overview scrolls sideways: %s", wide)
	}
	labels, _ := get(phone, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#overview tbody td[data-label]"), "::before").content`))
	if !strings.Contains(labels, w.Criteria[0].Name.In("en")) {
		t.Errorf("on a phone a median does not say its criterion: %q", labels)
	}
}
