package e2e

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// TestDelphiRounds: three participants rate, the facilitator reveals round
// 1, one participant sees the group's position on the scale, is asked for a
// reason, revises and gives it; the projector's risk matrix moves with an
// arrow from round 1, and the featured reason appears on it.
func TestDelphiRounds(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	u, err := a.DB.CreateUser(ctx, "facilitator@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, u, decks[0], "Delphi test", false)
	if err != nil {
		t.Fatal(err)
	}
	page := a.URL + "/workshops/" + w.Code

	fac := person(t, b, 1280, 900, true)
	run(t, fac, "sign in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "facilitator@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
	// The projector is a laptop that is not signed in: it opens a display link.
	token, err := a.DB.CreateDisplayLink(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	proj := person(t, b, 1920, 1080, true)
	run(t, proj, "open the projector",
		chromedp.Navigate(a.URL+"/display/"+token),
		chromedp.WaitVisible(chromedp.CSS(".stage.state-lobby svg.qr")),
	)
	screenshot(t, proj, "projector-lobby-1920")

	people := make([]context.Context, 3)
	for i := range people {
		people[i] = person(t, b, 360, 740, true)
		run(t, people[i], fmt.Sprintf("participant %d joins", i+1),
			chromedp.Navigate(a.URL+"/j/"+w.Code),
			chromedp.Click(chromedp.CSS("main form button")),
			chromedp.WaitVisible(chromedp.CSS("#vote-form")),
		)
	}
	waitText(t, proj, ".joined", "3 joined")
	screenshot(t, proj, "projector-lobby-joined-1920")

	step := func(action string) {
		t.Helper()
		run(t, fac, action,
			chromedp.Navigate(page),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action$="/%s"] button`, action))),
			chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)),
		)
	}
	// rate makes participant i choose a value on both criteria of scenario 0
	// and waits until each is saved.
	rate := func(i, value int) {
		t.Helper()
		for c := range 2 {
			sel := itemSel(w, 0, c)
			waitJS(t, people[i], fmt.Sprintf(`!document.querySelector(%q).disabled`, sel))
			run(t, people[i], "rate", chromedp.Click(chromedp.CSS(fmt.Sprintf(`%s input[value="%d"] + span`, sel, value))))
			waitText(t, people[i], statusSel(w, 0, c), "Saved")
		}
	}

	step("next") // round 1 opens; participants' pages follow by themselves
	for i, v := range []int{1, 3, 5} {
		rate(i, v)
	}
	waitText(t, proj, ".counts-line", "3 of 3 have rated")
	screenshot(t, proj, "projector-voting-1920")
	step("close")
	step("reveal")
	point := func() (float64, float64) {
		t.Helper()
		waitJS(t, proj, `document.querySelector(".matrix circle.point") !== null`)
		cx, err1 := get(proj, chromedp.Evaluate[string](`document.querySelector(".matrix circle.point").getAttribute("cx")`))
		cy, err2 := get(proj, chromedp.Evaluate[string](`document.querySelector(".matrix circle.point").getAttribute("cy")`))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		x, _ := strconv.ParseFloat(cx, 64)
		y, _ := strconv.ParseFloat(cy, 64)
		return x, y
	}
	x1, y1 := point()

	// Round 2: participant 3 (who said 5) sees the group's middle half on
	// the scale and is asked for a reason.
	step("next")
	p3 := people[2]
	sel := itemSel(w, 0, 0)
	waitJS(t, p3, fmt.Sprintf(`document.querySelector("%s .feedback .own") !== null`, sel))
	waitText(t, p3, sel+" .feedback-text", "group median 3")
	waitText(t, p3, sel+" .prompt", "outside the middle half")
	run(t, p3, "scroll to the feedback", chromedp.ScrollIntoView(chromedp.CSS(sel)))
	screenshot(t, p3, "participant-feedback-360")

	for i, v := range []int{3, 4, 4} {
		rate(i, v)
	}
	reason := "#" + views.ReasonID(w.Scenarios[0].ID)
	run(t, p3, "give a reason",
		chromedp.SendKeys(chromedp.CSS(reason), "Camps are already filling on the Iranian border."),
		chromedp.Click(chromedp.CSS(reason+" ~ .item-foot button")),
	)
	waitText(t, p3, "#"+views.ReasonStatusID(w.Scenarios[0].ID), "Saved")

	// The facilitator sees the reason live and features it.
	run(t, fac, "open the results", chromedp.Navigate(page))
	waitText(t, fac, "#"+views.RationalesID, "Iranian border")
	run(t, fac, "feature the reason",
		chromedp.Click(chromedp.CSS("#"+views.RationalesID+` form[action$="/feature"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)),
	)
	step("close")
	step("reveal")

	waitJS(t, proj, `document.querySelector(".matrix line.arrow") !== null`)
	x2, y2 := point()
	if x2 <= x1 || y2 >= y1 {
		t.Fatalf("scenario 1 moved from (%v, %v) to (%v, %v): want right and up (medians 3 -> 4)", x1, y1, x2, y2)
	}
	waitText(t, proj, ".featured", "Iranian border")
	screenshot(t, proj, "projector-revealed-1920")
	run(t, proj, "a 720p beamer", chromedp.EmulateViewport(1280, 720))
	screenshot(t, proj, "projector-revealed-1280")
	screenshot(t, fac, "facilitator-round-2")

	// The results API agrees: round 2 moved the median up by one.
	snap, err := a.DB.LoadTally(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Rationales) != 1 || !snap.Rationales[0].Featured {
		t.Fatalf("stored rationales %+v, want one, featured", snap.Rationales)
	}
}
