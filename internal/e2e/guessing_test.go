package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// TestFacilitatorIsNeverLeftGuessing: a refused settings form comes back
// with a summary at the top of the page whose links lead to the fields,
// and with what was typed; a new display link shows at once, open, with a
// button that copies it; reasons name the writer's group; and a reason of
// an earlier round is not offered for the projector, which would not show
// it.
func TestFacilitatorIsNeverLeftGuessing(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	_, owner := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, owner, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, "organiser@example.org")
	run(t, fac, "refuse a participant limit",
		chromedp.Navigate(a.URL+"/workshops/"+w.Code),
		chromedp.Click(chromedp.CSS("#settings > summary")),
		chromedp.SetValue(chromedp.CSS("#participant_limit"), "lots"),
		chromedp.Click(chromedp.CSS(`#settings button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("main .error-summary")))
	screenshot(t, fac, "settings-refused-1280")
	top, _ := get(fac, chromedp.Evaluate[float64](`document.querySelector("main .error-summary").getBoundingClientRect().top + scrollY`))
	if top > 400 {
		t.Errorf("the summary of the refused settings is %v px down the page, not at its top", top)
	}
	href, _ := get(fac, chromedp.Evaluate[string](`document.querySelector("main .error-summary a").getAttribute("href")`))
	if href != "#participant_limit" {
		t.Errorf("the summary links to %q, want the field #participant_limit", href)
	}
	if got, _ := get(fac, chromedp.Evaluate[string](`document.querySelector("#participant_limit").value`)); got != "lots" {
		t.Errorf("the form came back with %q, not what was typed", got)
	}

	run(t, fac, "create a display link",
		chromedp.Navigate(a.URL+"/workshops/"+w.Code),
		chromedp.Click(chromedp.CSS("#display > summary")),
		chromedp.Click(chromedp.CSS(`form[action$="/display"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#display-url")))
	open, _ := get(fac, chromedp.Evaluate[bool](`document.getElementById("display").open`))
	link, _ := get(fac, chromedp.Evaluate[string](`document.getElementById("display-url").value`))
	if !open || !strings.Contains(link, "/display/") {
		t.Fatalf("after creating a display link: open %v, link %q", open, link)
	}
	run(t, fac, "copy it", chromedp.Click(chromedp.CSS(`[data-copy="display-url"]`)))
	waitText(t, fac, `[data-copy="display-url"]`, "Copied")
	screenshot(t, fac, "display-link-1280")

	// Groups: a reason names its writer's group; in round 2, round 1's
	// reasons can be hidden but not featured.
	org, _ := signIn(t, a, "second@example.org", workshop.RoleOrganiser)
	gw := roomWorkshop(t, a.DB, owner)
	org.post("/workshops/"+gw.Code+"/next", nil)
	rateRoom(t, a.DB, gw, nil, 1)
	run(t, fac, "open the reasons", chromedp.Navigate(a.URL+"/workshops/"+gw.Code), chromedp.WaitVisible(chromedp.CSS("ul.rationales")))
	waitText(t, fac, "ul.rationales li", "military")
	for _, step := range []string{"close", "reveal", "next"} {
		org.post("/workshops/"+gw.Code+"/"+step, nil)
	}
	run(t, fac, "open round 1's reasons", chromedp.Navigate(a.URL+"/workshops/"+gw.Code+"?round=1"), chromedp.WaitVisible(chromedp.CSS("ul.rationales")))
	if n, _ := get(fac, chromedp.Evaluate[int](`document.querySelectorAll('ul.rationales form[action$="/feature"]').length`)); n != 0 {
		t.Errorf("round 1's reasons offer %d \"Feature\" buttons in round 2", n)
	}
	waitText(t, fac, "#"+views.RationalesID, "can be hidden, not featured")
}
