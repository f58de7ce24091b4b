package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReasonCannotTakeOverTheFacilitatorsPage: a participant's reason that
// holds carriage returns and SSE field names ("event:", "data:", "retry:")
// arrives on the facilitator's open page as the text of a reason, in
// Chromium's own event-stream parser: the results panel keeps its results,
// no part of the page shows the injected event's data, and the stream
// keeps working (a rating given afterwards still arrives live).
func TestReasonCannotTakeOverTheFacilitatorsPage(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	w, _ := openWorkshop(t, a)

	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, "organiser@example.org")
	run(t, fac, "open the workshop", chromedp.Navigate(a.URL+"/workshops/"+w.Code), chromedp.WaitVisible(chromedp.CSS(`[data-sse-swap="results"]`)))
	waitJS(t, fac, `document.querySelector('[data-sse-swap="results"]').children.length > 0`)
	before, err := get(fac, chromedp.Evaluate[int](`document.querySelector('[data-sse-swap="results"]').querySelectorAll("*").length`))
	if err != nil {
		t.Fatal(err)
	}

	p := person(t, b, 390, 844, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	attack := "AAA\revent: results\rdata: <p id=pwned>BBB</p>\r\rretry: 86400000\rCCC"
	send := fmt.Sprintf(`fetch("/api/v1/workshops/%s/rationales", {method: "PUT", headers: {"Content-Type": "application/json"},
		body: JSON.stringify({scenario_id: %d, text: %s})}).then(r => r.status)`, w.Code, w.Scenarios[0].ID, jsString(attack))
	status, err := get(p, chromedp.Evaluate[int](send, chromedp.EvalAwaitPromise))
	if err != nil || status != 200 {
		t.Fatalf("saving the reason: %d, %v", status, err)
	}

	// The reason arrives as text, lines and all.
	waitJS(t, fac, `document.querySelector('[data-sse-swap="rationales"]').textContent.includes("retry: 86400000")`)
	screenshot(t, fac, "facilitator-after-injection-1280")
	if got, _ := get(fac, chromedp.Evaluate[bool](`document.getElementById("pwned") !== null`)); got {
		t.Fatal("the reason's data replaced part of the page")
	}
	after, err := get(fac, chromedp.Evaluate[int](`document.querySelector('[data-sse-swap="results"]').querySelectorAll("*").length`))
	if err != nil || after < before/2 {
		t.Fatalf("the results panel shrank from %d to %d elements (%v)", before, after, err)
	}
	text, _ := get(fac, chromedp.Evaluate[string](`document.querySelector('[data-sse-swap="results"]').textContent`))
	if strings.Contains(text, "BBB") || strings.Contains(text, "CCC") {
		t.Fatalf("the results panel shows the reason's text: %.300s", text)
	}
	// The stream still works: a rating shows up live.
	eval(t, fac, `window.beforeRating = document.querySelector('[data-sse-swap="results"]').textContent`)
	run(t, p, "rate", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="4"] + span`)))
	waitStored(t, a, w, 0, 0, "4")
	waitJS(t, fac, `document.querySelector('[data-sse-swap="results"]').textContent !== window.beforeRating`)
}
