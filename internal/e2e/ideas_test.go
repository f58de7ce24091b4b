package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// TestIdeas runs an ideas phase in the lobby: the facilitator opens it on
// the workshop page, four participants on phones (one without JavaScript)
// propose and vote, the projector and the facilitator's list follow live,
// the facilitator promotes the top idea, edited; it is rated in round 1
// like the deck's scenarios and appears, from the room, in the report.
func TestIdeas(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	_, owner := signIn(t, a, "facilitator@example.org", workshop.RoleFacilitator)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, owner, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	code := w.Code

	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, owner.Email)
	run(t, fac, "open ideas on the workshop page",
		chromedp.Navigate(a.URL+"/workshops/"+code),
		chromedp.Click(chromedp.CSS(`form[action$="/ideas/open"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#ideas-panel")),
	)
	waitText(t, fac, "main .notice", "Ideas are open")
	// The projector, in a tab of the facilitator's.
	proj, cancel := chromedp.NewContext(fac)
	t.Cleanup(cancel)
	// The first action opens the tab: not under run's deadline, which
	// would close it.
	if err := chromedp.Do(proj, chromedp.EmulateViewport(1280, 720)); err != nil {
		t.Fatal(err)
	}
	run(t, proj, "open the projector",
		chromedp.Navigate(a.URL+"/workshops/"+code+"/projector"),
		chromedp.WaitVisible(chromedp.CSS(".ideas-stage")),
	)
	waitText(t, proj, ".ideas-stage", "What are we missing?")
	waitText(t, proj, ".ideas-stage .code-display", workshop.GroupCode(code))

	// Four phones join; the vote page points to the ideas.
	phones := make([]context.Context, 4)
	for i := range phones {
		phones[i] = person(t, b, 360, 740, i != 3) // the fourth without JavaScript
		run(t, phones[i], fmt.Sprintf("phone %d joins", i+1),
			chromedp.Navigate(a.URL+"/j/"+code),
			chromedp.Click(chromedp.CSS("main form button")),
			chromedp.WaitVisible(chromedp.CSS(".ideas-callout a")),
			chromedp.Click(chromedp.CSS(".ideas-callout a")),
			chromedp.WaitVisible(chromedp.CSS("#idea-form")),
		)
	}
	propose := func(i int, title, text string) {
		t.Helper()
		run(t, phones[i], "propose "+title,
			chromedp.SendKeys(chromedp.CSS("#title"), title),
			chromedp.SendKeys(chromedp.CSS("#text"), text),
			chromedp.Click(chromedp.CSS("#idea-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)),
		)
		waitText(t, phones[i], `main .notice[role="status"]`, "your idea is on the list")
	}
	propose(0, "A cyber attack blacks out a European capital", "Russia tests NATO below the threshold of Article 5.")
	propose(1, "Drone swarms", "")
	propose(3, "A second refugee wave from Pakistan", "Without JavaScript: the page is forms.")
	ideas, err := a.DB.Ideas(ctx, w.ID)
	if err != nil || len(ideas) != 3 {
		t.Fatalf("%d ideas stored (%v), want 3", len(ideas), err)
	}
	cyber, drones := ideas[0].ID, ideas[1].ID
	// The phone that proposed nothing sees the others' ideas arrive live,
	// and votes: a half-typed idea stays.
	waitText(t, phones[2], "#ideas-list", "A second refugee wave")
	run(t, phones[2], "type half an idea", chromedp.SendKeys(chromedp.CSS("#title"), "Half-typed"))
	vote := func(i int, id int64) {
		t.Helper()
		run(t, phones[i], fmt.Sprintf("phone %d votes for %d", i+1, id),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#idea-%d form button`, id))),
			chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`#idea-%d input[name="vote"][value="off"]`, id))),
		)
	}
	vote(2, cyber)
	vote(2, drones)
	// With htmx the vote swaps only the list; a vote sent while the list
	// was being refreshed loads the page again, and the tab keeps the idea.
	waitJS(t, phones[2], `document.getElementById("title").value === "Half-typed"`)
	run(t, phones[2], "load the page again", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#idea-form")))
	waitJS(t, phones[2], `document.getElementById("title").value === "Half-typed"`)
	waitText(t, phones[2], "#ideas-list .votes-left", "You have 1 vote left.")
	vote(0, cyber)
	vote(1, cyber)
	vote(3, cyber) // a form post and a new page
	waitText(t, phones[3], `main .notice[role="status"]`, "Your votes are saved.")
	screenshot(t, phones[2], "ideas-phone")
	screenshot(t, phones[3], "ideas-phone-nojs")

	// The projector and the facilitator's list follow.
	waitText(t, proj, ".top-ideas li:first-child", "A cyber attack blacks out a European capital")
	waitText(t, proj, ".top-ideas li:first-child", "4 votes")
	waitText(t, proj, ".top-ideas li:nth-child(2)", "1 vote")
	screenshot(t, proj, "ideas-projector")
	waitText(t, fac, "#ideas-panel tbody tr:first-child", "A cyber attack")
	waitText(t, fac, "#ideas-panel tbody tr:first-child td.num", "4")
	screenshot(t, fac, "ideas-facilitator")

	// The facilitator promotes the top idea, edited, and closes ideas.
	run(t, fac, "promote the top idea",
		chromedp.Click(chromedp.CSS("#ideas-panel tbody tr:first-child a.btn")),
		chromedp.WaitVisible(chromedp.CSS("#promote")),
	)
	screenshot(t, fac, "ideas-promote")
	run(t, fac, "edit and promote",
		chromedp.SetValue(chromedp.CSS("#promote #title"), "A cyber attack blacks out a European capital for a week"),
		chromedp.Click(chromedp.CSS("#promote button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#ideas-panel")),
	)
	waitText(t, fac, "#ideas-panel tbody tr:first-child", "Now a scenario")
	run(t, fac, "close ideas",
		chromedp.Click(chromedp.CSS(`form[action$="/ideas/close"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/ideas/open"] button`)),
	)
	waitJS(t, proj, `!document.querySelector(".ideas-stage")`)

	// Round 1: the scenario from the room is rated like the others.
	run(t, fac, "open voting",
		chromedp.Navigate(a.URL+"/workshops/"+code),
		chromedp.Click(chromedp.CSS(`form[action$="/next"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/close"] button`)),
	)
	w, err = a.DB.WorkshopByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	room := len(w.Scenarios) - 1
	if !w.Scenarios[room].FromRoom() {
		t.Fatalf("the last scenario is not from the room: %+v", w.Scenarios[room])
	}
	run(t, phones[0], "back to the scenarios", chromedp.Navigate(a.URL+"/w/"+code), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	run(t, phones[0], "find the scenario from the room", chromedp.ScrollIntoView(chromedp.CSS(itemSel(w, room, 0))))
	waitText(t, phones[0], fmt.Sprintf("#s-%d", w.Scenarios[room].ID), "From the room")
	for i := range 3 {
		run(t, phones[i], "rate the scenario from the room",
			chromedp.Navigate(a.URL+"/w/"+code),
			chromedp.WaitVisible(chromedp.CSS("#vote-form")),
			chromedp.ScrollIntoView(chromedp.CSS(itemSel(w, room, 0))),
			chromedp.Click(chromedp.CSS(itemSel(w, room, 0)+fmt.Sprintf(` input[value="%d"] + span`, 3+i%2))),
		)
		waitText(t, phones[i], statusSel(w, room, 0), "Saved")
	}
	screenshot(t, phones[0], "ideas-phone-rated")
	waitText(t, proj, ".progress", "From the room")
	screenshot(t, proj, "ideas-projector-voting")

	// The report: the scenario from the room, its results, and the ideas.
	run(t, fac, "close and reveal",
		chromedp.Navigate(a.URL+"/workshops/"+code),
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/reveal"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/reveal"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/next"] button`)),
	)
	run(t, fac, "open the report", chromedp.Navigate(a.URL+"/workshops/"+code+"/export/report"), chromedp.WaitVisible(chromedp.CSS(".ideas-report")))
	text, err := get(fac, chromedp.TextContent(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	text = asRead(text)
	for _, want := range []string{"A cyber attack blacks out a European capital for a week", "From the room", "4 votes", "Ideas from the room", "Became scenario 11", "Drone swarms"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	run(t, fac, "see the ideas in the report", chromedp.ScrollIntoView(chromedp.CSS(".ideas-report")))
	screenshot(t, fac, "ideas-report")
}
