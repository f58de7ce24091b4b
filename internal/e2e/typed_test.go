package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// storedReason is the text of the reason for scenario sid in round, or "".
func storedReason(t *testing.T, a *app, w *workshop.Workshop, round int, sid int64) string {
	t.Helper()
	rs, err := a.DB.Rationales(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Round == round && r.ScenarioID == sid {
			return r.Text
		}
	}
	return ""
}

func waitReason(t *testing.T, a *app, w *workshop.Workshop, round int, sid int64, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got := storedReason(t, a, w, round, sid)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("round %d, scenario %d: stored reason %q, want %q", round, sid, got, want)
		}
	}
}

// TestReasonsAreNeverLost: a typed reason saves itself when the box is
// left and after a pause in typing, and the page says so; one over the
// limit is kept whole, counted and refused with a message, never cut; the
// page warns before it is left with anything unsent; in round 2 the
// participant's round-1 reason is there to keep; the lobby shows no "Not
// saved yet"; and without JavaScript a refused reason comes back as typed.
func TestReasonsAreNeverLost(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	org, u := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(context.Background(), u, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := w.Scenarios[0].ID, w.Scenarios[1].ID
	box := "#" + views.ReasonID(s0)
	status := jsString(views.ReasonStatusID(s0))

	p := person(t, b, 390, 844, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	// The lobby: nothing typed, nothing to save, and the page says nothing of saving.
	if txt, _ := get(p, chromedp.Evaluate[string](`document.querySelector("main").innerText`)); strings.Contains(txt, "Not saved yet") {
		t.Fatal("the lobby says \"Not saved yet\" with nothing typed")
	}
	org.post("/workshops/"+w.Code+"/next", nil)
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("open-1-")`)
	waitJS(t, p, `document.querySelector(`+jsString(box)+`) && !document.querySelector(`+jsString(box)+`).disabled`)

	// Typing says "not saved yet"; leaving the box (rating the next
	// scenario) saves it.
	first := "Camps on the Iranian border are already full."
	run(t, p, "type a reason", chromedp.SendKeys(chromedp.CSS(box), first))
	waitJS(t, p, `document.getElementById(`+status+`).textContent === document.getElementById("vote-form").dataset.typing`)
	screenshot(t, p, "reason-typing-390")
	run(t, p, "rate the next scenario", chromedp.Click(chromedp.CSS(itemSel(w, 1, 0)+` input[value="3"] + span`)))
	waitReason(t, a, w, 1, s0, first)
	waitJS(t, p, `document.getElementById(`+status+`).classList.contains("saved")`)

	// A pause in typing saves too, without leaving the box.
	run(t, p, "type more", chromedp.Focus(chromedp.CSS(box)), chromedp.SendKeys(chromedp.CSS(box), " More each week."))
	waitReason(t, a, w, 1, s0, first+" More each week.")
	waitJS(t, p, `document.activeElement.id === `+jsString(views.ReasonID(s0))+` && document.getElementById(`+status+`).classList.contains("saved")`)

	// Over the limit: counted, kept whole, refused with a message, not sent.
	long := strings.Repeat("word ", workshop.MaxRationaleRunes/5) + "via Iran"
	eval(t, p, `(() => { const b = document.querySelector(`+jsString(box)+`); b.value = `+jsString(long)+`; b.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	waitJS(t, p, `document.getElementById(`+jsString(views.ReasonID(s0)+"-count")+`).classList.contains("over")`)
	waitJS(t, p, `document.getElementById(`+status+`).textContent === document.getElementById("vote-form").dataset.toolong`)
	screenshot(t, p, "reason-too-long-390")
	if got, _ := get(p, chromedp.Evaluate[string](`document.querySelector(`+jsString(box)+`).value`)); got != long {
		t.Fatalf("the box holds %d characters, want all %d typed", len(got), len(long))
	}
	time.Sleep(2 * time.Second) // past the pause that would save it
	if got := storedReason(t, a, w, 1, s0); got != first+" More each week." {
		t.Fatalf("a reason over the limit was stored: %q", got)
	}

	// Leaving the page with it unsent asks first.
	asked := answerLeaving(t, p, false)
	eval(t, p, `window.location.href = "/"`)
	for deadline := time.Now().Add(10 * time.Second); asked.Load() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("leaving the page with an unsent reason gave no warning")
		}
	}
	// Shortened, it saves.
	eval(t, p, `(() => { const b = document.querySelector(`+jsString(box)+`); b.value = "Shorter: the route via Iran."; b.dispatchEvent(new Event("input", {bubbles: true})); b.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	waitReason(t, a, w, 1, s0, "Shorter: the route via Iran.")

	// Round 2: the round-1 reason is shown, and kept with one button.
	for _, step := range []string{"close", "reveal", "next"} {
		org.post("/workshops/"+w.Code+"/"+step, nil)
	}
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("open-2-")`)
	waitText(t, p, "#"+views.ReasonID(s0)+"-previous", "Shorter: the route via Iran.")
	screenshot(t, p, "reason-round-2-390")
	run(t, p, "keep the round-1 reason", chromedp.Click(chromedp.CSS(`[data-keep-reason="`+views.ReasonID(s0)+`"]`)))
	waitReason(t, a, w, 2, s0, "Shorter: the route via Iran.")

	// Without JavaScript: a reason over the limit comes back as typed,
	// with the message, and is not called saved.
	q := person(t, b, 390, 844, false)
	run(t, q, "join without JavaScript", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	qbox := "#" + views.ReasonID(s1)
	run(t, q, "type a long reason", chromedp.SetValue(chromedp.CSS(qbox), long), chromedp.Click(chromedp.CSS(".sticky-save button")), chromedp.WaitVisible(chromedp.CSS(".error-box")))
	if got, _ := get(q, chromedp.Evaluate[string](`document.querySelector(`+jsString(qbox)+`).value`)); got != long {
		t.Fatalf("the form came back with %d characters, want the %d typed", len(got), len(long))
	}
	if st, _ := get(q, chromedp.Evaluate[string](`document.getElementById(`+jsString(views.ReasonStatusID(s1))+`).textContent`)); strings.Contains(st, "✓") || !strings.Contains(st, "limit") {
		t.Fatalf("the refused reason's status says %q", st)
	}
	screenshot(t, q, "reason-refused-nojs-390")
}
