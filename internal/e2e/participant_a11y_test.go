package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"foresight/internal/workshop"
)

// openWorkshop creates an organiser, signed in through a plain client, and
// a workshop from the built-in deck with voting open.
func openWorkshop(t *testing.T, a *app) (*workshop.Workshop, *client) {
	t.Helper()
	org, u := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(context.Background(), u, decks[0], "NATO after Kabul", true)
	if err != nil {
		t.Fatal(err)
	}
	return w, org
}

// stored is what the database holds for one item in round 1, as "4" or
// "dk" per rating, sorted; "" when nobody rated it.
func stored(t *testing.T, a *app, w *workshop.Workshop, scenario, criterion int) string {
	t.Helper()
	tally, err := a.DB.LoadTally(context.Background(), w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range tally.Counts {
		if row.Round != 1 || row.ScenarioID != w.Scenarios[scenario].ID || row.CriterionID != w.Criteria[criterion].ID {
			continue
		}
		v := fmt.Sprint(row.Answer.Value)
		if row.Answer.DontKnow {
			v = "dk"
		}
		for range row.Count {
			got = append(got, v)
		}
	}
	return strings.Join(got, ",")
}

// waitStored polls the database until the item holds want.
func waitStored(t *testing.T, a *app, w *workshop.Workshop, scenario, criterion int, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := stored(t, a, w, scenario, criterion)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("item %d/%d stored %q, want %q", scenario, criterion, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// focusReport describes the focused element and whether a focus indicator
// is drawn: its own outline, or (for the hidden radio of a scale) the
// outline of the choice it labels.
const focusReport = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return "none";
	const shown = el.matches(".scale input") ? el.nextElementSibling : el;
	const cs = getComputedStyle(shown);
	const ring = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
	return (ring ? "ring " : "no-ring ") + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[" + el.name + "=" + el.value + "]" : "") + " " + (el.textContent || "").trim().slice(0, 40);
})()`

// tabTo presses Tab until the focused element matches the CSS selector,
// checking on the way that every stop shows a focus ring.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	for range 80 {
		run(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		where, err := get(ctx, chromedp.Evaluate[string](focusReport))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(where, "ring ") {
			t.Errorf("focus without a visible focus style: %s", where)
		}
		if ok, err := get(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.activeElement.matches(%s)`, jsString(sel)))); err == nil && ok {
			return
		}
	}
	t.Fatalf("Tab never reached %s", sel)
}

// TestKeyboardOnly joins, rates, revises and gives a reason with the
// keyboard alone, and runs the facilitator's round with it; every focus
// stop shows a focus ring.
func TestKeyboardOnly(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	w, _ := openWorkshop(t, a)
	fac := person(t, b, 1280, 800, true)
	browserSignIn(t, fac, a, "organiser@example.org")
	run(t, fac, "open the workshop", chromedp.Navigate(a.URL+"/workshops/"+w.Code))
	p := person(t, b, 1280, 800, true)

	run(t, p, "open the join link", chromedp.Navigate(a.URL+"/j/"+w.Code))
	tabTo(t, p, "main form button")
	run(t, p, "join with Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#vote-form")))

	// The first scale: Tab lands on its first point; arrows choose.
	first := itemSel(w, 0, 0)
	tabTo(t, p, first+" input")
	run(t, p, "choose 4 with the arrow keys", chromedp.KeyEvent(kb.ArrowRight+kb.ArrowRight+kb.ArrowRight))
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).classList.contains("saved")`, jsString(statusSel(w, 0, 0))))
	waitStored(t, a, w, 0, 0, "4")
	run(t, p, "revise to 3", chromedp.KeyEvent(kb.ArrowLeft))
	waitStored(t, a, w, 0, 0, "3")
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).classList.contains("saved")`, jsString(statusSel(w, 0, 0))))

	// The next scale: Space takes the point in focus.
	second := itemSel(w, 0, 1)
	tabTo(t, p, second+" input")
	run(t, p, "choose with Space", chromedp.KeyEvent(" "))
	waitStored(t, a, w, 0, 1, "1")

	// A reason, saved with its button.
	reason := fmt.Sprintf("#reason-%d", w.Scenarios[0].ID)
	tabTo(t, p, reason)
	run(t, p, "type a reason", chromedp.KeyEvent("The border is porous."))
	tabTo(t, p, fmt.Sprintf(`[data-hx-params="reason-%d"]`, w.Scenarios[0].ID))
	run(t, p, "save the reason", chromedp.KeyEvent(kb.Enter))
	waitText(t, p, reason+"-status", "✓")

	// The facilitator's page told a screen reader, politely.
	waitText(t, fac, `#results-live[aria-live="polite"]`, "1 rated")

	// The facilitator closes and reveals the round from the keyboard.
	tabTo(t, fac, `form[action$="/close"] button`)
	run(t, fac, "close voting with Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`form[action$="/reveal"] button`)))
	tabTo(t, fac, `form[action$="/reveal"] button`)
	run(t, fac, "reveal with Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`form[action$="/next"] button`)))
	tabTo(t, fac, `#settings > summary`)
	run(t, fac, "open the settings with Enter", chromedp.KeyEvent(kb.Enter))
	waitJS(t, fac, `document.getElementById("settings").open`)

	// The participant's page followed: the revealed round, with the
	// numbers of the charts as tables.
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("revealed-1-")`)
	waitJS(t, p, `document.querySelectorAll("details.chart-table table").length > 0`)
}

// interceptor holds every request of a tab through the Fetch domain (a
// stable part of the DevTools protocol, unlike network emulation) and
// answers as told: the rating posts pass, fail as if offline, or get 503
// with Retry-After; with the whole tab offline every new request fails as
// without a network, while connections already open stay.
type interceptor struct {
	mu      sync.Mutex
	mode    string // for the rating posts: "pass", "offline", "busy"
	offline bool   // every new request fails
	seen    int    // rating posts seen
}

func (ic *interceptor) set(mode string) {
	ic.mu.Lock()
	ic.mode = mode
	ic.mu.Unlock()
}

func (ic *interceptor) setOffline(off bool) {
	ic.mu.Lock()
	ic.offline = off
	ic.mu.Unlock()
}

func (ic *interceptor) count() int {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	return ic.seen
}

// decide says what to do with a paused request: "pass", "offline" or "busy".
func (ic *interceptor) decide(url string) string {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	rating := strings.HasSuffix(strings.SplitN(url, "?", 2)[0], "/ratings")
	if rating {
		ic.seen++
	}
	switch {
	case ic.offline:
		return "offline"
	case rating:
		return ic.mode
	}
	return "pass"
}

func intercept(t *testing.T, ctx context.Context) *interceptor {
	t.Helper()
	ic := &interceptor{mode: "pass"}
	paused := make(chan *fetch.EventRequestPaused, 256)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- ev
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			var ev *fetch.EventRequestPaused
			select {
			case ev = <-paused:
			case <-ctx.Done():
				return
			}
			id := ev.RequestID
			switch ic.decide(ev.Request.URL) {
			case "offline":
				chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonInternetDisconnected})
			case "busy":
				chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: 503,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Retry-After", Value: "1"}, {Name: "Content-Type", Value: "text/plain"}}, Body: []byte("busy")})
			default:
				chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
			}
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		t.Fatal(err)
	}
	return ic
}

// TestRetryUnsentRating: a rating that cannot reach the server is kept,
// the page says it is not sent yet (also after a reload), and it is sent
// again until the server stores it; only then does the page say saved. A
// busy server (503 with Retry-After) is retried the same way.
func TestRetryUnsentRating(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	w, org := openWorkshop(t, a)
	p := person(t, b, 360, 740, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	ic := intercept(t, p)

	item := itemSel(w, 0, 0)
	status := jsString(item + "-status")
	unsent := fmt.Sprintf(`document.querySelector(%s).textContent === document.getElementById("vote-form").dataset.unsent`, status)
	ic.set("offline")
	run(t, p, "rate 4 while offline", chromedp.Click(chromedp.CSS(item+` input[value="4"] + span`)))
	waitJS(t, p, unsent)
	screenshot(t, p, "participant-unsent-360")
	if got := stored(t, a, w, 0, 0); got != "" {
		t.Fatalf("stored %q while offline", got)
	}
	// Still offline, the participant reloads: the page asks first (a
	// choice is unsent), and after the reload the choice is still there,
	// still not sent, and never called saved.
	asked := answerLeaving(t, p, true)
	run(t, p, "reload", chromedp.Reload())
	if asked.Load() == 0 {
		t.Fatal("reloading with an unsent choice gave no warning")
	}
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(item+` input[value="4"]`)))
	waitJS(t, p, unsent)
	tries := ic.count()
	waitJS(t, p, fmt.Sprintf(`!document.querySelector(%s).classList.contains("saved")`, status))
	time.Sleep(1500 * time.Millisecond)
	if ic.count() <= tries {
		t.Fatalf("no new attempt within 1.5 s of the reload (%d attempts)", ic.count())
	}
	ic.set("pass")
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).classList.contains("saved")`, status))
	waitStored(t, a, w, 0, 0, "4")

	// A busy server: 503 with Retry-After: 1.
	other := itemSel(w, 0, 1)
	ic.set("busy")
	run(t, p, "rate 2 while the server is busy", chromedp.Click(chromedp.CSS(other+` input[value="2"] + span`)))
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).textContent === document.getElementById("vote-form").dataset.unsent`, jsString(other+"-status")))
	ic.set("pass")
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).classList.contains("saved")`, jsString(other+"-status")))
	waitStored(t, a, w, 0, 1, "2")
	if got := stored(t, a, w, 0, 0); got != "4" {
		t.Fatalf("the first rating is now %q, want 4", got)
	}

	// The network fails while the facilitator closes voting. The open
	// live stream brings the news, but the page cannot fetch the new
	// form; once the network is back it does, without a reload.
	signal := `document.querySelector("[data-sse-swap=state] [data-state]").dataset.state`
	eval(t, p, `window.noReload = true`)
	ic.setOffline(true)
	org.post("/workshops/"+w.Code+"/close", nil)
	waitJS(t, p, signal+`.startsWith("closed-1-")`)
	time.Sleep(500 * time.Millisecond)
	ic.setOffline(false)
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("closed-1-") && window.noReload === true`)
	waitJS(t, p, fmt.Sprintf(`document.querySelector(%s).disabled && document.querySelector(%s).checked`, jsString(item), jsString(item+` input[value="4"]`)))

	// Now the stream itself breaks (every connection drops) and cannot
	// reconnect while the facilitator reopens voting; when the network is
	// back, the stream reconnects and the page shows the state as it is.
	ic.setOffline(true)
	a.Drop()
	org.c.CloseIdleConnections()
	org.post("/workshops/"+w.Code+"/reopen", nil)
	time.Sleep(1500 * time.Millisecond)
	if st, _ := get(p, chromedp.Evaluate[string](signal)); !strings.HasPrefix(st, "closed-") {
		t.Fatalf("the page heard of state %q while it was offline: the test does not cut the stream", st)
	}
	ic.setOffline(false)
	waitJS(t, p, `document.querySelector("#main").dataset.state.startsWith("open-1-") && window.noReload === true`)
	waitJS(t, p, fmt.Sprintf(`!document.querySelector(%s).disabled && document.querySelector(%s).checked`, jsString(item), jsString(item+` input[value="4"]`)))
}

// touchTargets lists the interactive controls smaller than 44 x 44 CSS
// pixels: a scale's hidden radio counts by the choice it labels, a check
// box by its label; links inside running text are exempt, as are controls
// not shown.
const touchTargets = `(() => {
	const small = [];
	for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")) {
		if (el.type === "hidden" || el.closest(".skip, .sr-only, [hidden]")) continue;
		let box = el;
		if (el.matches(".scale input")) box = el.nextElementSibling;
		else if (el.matches("label > input")) box = el.closest("label");
		const cs = getComputedStyle(box);
		const r = box.getBoundingClientRect();
		if (cs.display === "none" || cs.visibility === "hidden" || (r.width === 0 && r.height === 0)) continue;
		if (el.tagName === "A" && getComputedStyle(el).display === "inline" && el.closest("p, li, dd, td")) continue;
		if (r.width < 44 || r.height < 44) {
			small.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " '" + (el.textContent || el.value || "").trim().slice(0, 30) + "' " + Math.round(r.width) + "x" + Math.round(r.height));
		}
	}
	return small;
})()`

// TestMobileParticipant: the participant's pages at phone widths: no
// sideways scrolling at 320 px, touch targets of at least 44 px, and
// screenshots at 360 x 740 and 1280 x 800 to look at
// (FORESIGHT_SCREENSHOTS=dir).
func TestMobileParticipant(t *testing.T) {
	a := startApp(t)
	b := browser(t)
	w, org := openWorkshop(t, a)
	others := newClient(t, a.URL)
	others.post("/j/"+w.Code, nil)
	rateAll(others, w, func(s, c int) int { return 1 + (s+c)%5 })

	phone := person(t, b, 320, 640, true)
	run(t, phone, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	run(t, phone, "rate", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="4"] + span`)))
	waitText(t, phone, statusSel(w, 0, 0), "✓")

	narrow := func(what string) {
		t.Helper()
		ok, err := get(phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		if err != nil || !ok {
			sw, _ := get(phone, chromedp.Evaluate[string](`document.documentElement.scrollWidth + " > " + window.innerWidth + ": " + [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`))
			t.Errorf("%s at 320 px scrolls sideways: %s (%v)", what, sw, err)
		}
		small, err := get(phone, chromedp.Evaluate[[]string](touchTargets))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range small {
			t.Errorf("%s: touch target under 44 x 44 px: %s", what, s)
		}
	}
	narrow("the open vote page")
	fresh := person(t, b, 320, 640, true)
	for _, page := range []string{"/", "/j/" + w.Code, "/join?code=zz"} {
		run(t, fresh, "open "+page, chromedp.Navigate(a.URL+page))
		ok, err := get(fresh, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		if err != nil || !ok {
			t.Errorf("%s at 320 px scrolls sideways (%v)", page, err)
		}
		small, err := get(fresh, chromedp.Evaluate[[]string](touchTargets))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range small {
			t.Errorf("%s: touch target under 44 x 44 px: %s", page, s)
		}
	}

	org.post("/workshops/"+w.Code+"/close", nil)
	org.post("/workshops/"+w.Code+"/reveal", nil)
	waitJS(t, phone, `document.querySelector("#main").dataset.state.startsWith("revealed-1-")`)
	narrow("the revealed vote page")
	run(t, phone, "open a table of numbers", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+" details.chart-table > summary")))
	run(t, phone, "scroll to the group's chart", chromedp.ScrollIntoView(chromedp.CSS(itemSel(w, 0, 0)+" .group")))
	screenshot(t, phone, "mobile-320-revealed")

	// Screenshots at a phone's and a laptop's size.
	org.post("/workshops/"+w.Code+"/next", nil)
	for _, size := range []struct{ w, h int64 }{{360, 740}, {1280, 800}} {
		tab := person(t, b, size.w, size.h, true)
		name := fmt.Sprintf("mobile-%d", size.w)
		run(t, tab, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
		run(t, tab, "rate", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` input[value="2"] + span`)))
		waitText(t, tab, statusSel(w, 0, 0), "✓")
		eval(t, tab, `window.scrollTo(0, 0)`)
		screenshot(t, tab, name+"-round2-top")
		run(t, tab, "scroll to the first scale", chromedp.ScrollIntoView(chromedp.CSS(itemSel(w, 0, 0))))
		screenshot(t, tab, name+"-round2-scale")
		colorScheme(t, tab, "dark")
		screenshot(t, tab, name+"-round2-dark")
		colorScheme(t, tab, "light")
		if size.w == 360 {
			fullScreenshot(t, tab, name+"-round2-full")
		}
	}
}

// fullScreenshot saves the whole page, not only the viewport, when
// FORESIGHT_SCREENSHOTS is set.
func fullScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FORESIGHT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := get(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".jpg"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// answerLeaving answers every warning the tab gives before its page is
// left, "leave" or "stay", and counts them.
func answerLeaving(t *testing.T, ctx context.Context, leave bool) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok && d.Type == page.DialogTypeBeforeunload {
			n.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: leave})
		}
	}); err != nil {
		t.Fatal(err)
	}
	return &n
}
