package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"foresight/internal/workshop"
)

// judgeAll makes a participant client of group (0: none) judge every
// source it is asked in the workshop's cross-impact round through the
// phone's form, with scores picked by pick (source variant, target
// variant; "" leaves a target unanswered).
func judgeAll(c *client, w *workshop.Workshop, group int64, pick func(from, to string) string) {
	c.t.Helper()
	bySource := map[string]url.Values{}
	var order []string
	for _, cell := range w.CrossImpact().CellsFor(group) {
		f, ok := bySource[cell.From]
		if !ok {
			f = url.Values{"from": {cell.From}}
			bySource[cell.From] = f
			order = append(order, cell.From)
		}
		if v := pick(cell.From, cell.To); v != "" {
			f.Set("j-"+cell.To, v)
		}
	}
	for _, from := range order {
		c.post("/w/"+w.Code+"/crossimpact", bySource[from])
	}
}

// variantIndex is a variant's place in its descriptor, from 0.
func variantIndex(w *workshop.Workshop, id string) int {
	for _, d := range w.Descriptors {
		for i, v := range d.Variants {
			if v.ID == id {
				return i
			}
		}
	}
	return -1
}

// projectorPages turns every page of the projector, checks that each
// fits the screen, and screenshots it.
func projectorPages(t *testing.T, p context.Context, name string) {
	t.Helper()
	n, err := get(p, chromedp.Evaluate[int](`document.querySelectorAll(".stage .page").length`))
	if err != nil || n != 2 {
		t.Fatalf("%s: %d pages (%v), want the heat map and the scenarios", name, n, err)
	}
	for page := range n {
		waitJS(t, p, fmt.Sprintf(`document.querySelectorAll(".stage .page")[%d].classList.contains("current")`, page))
		time.Sleep(200 * time.Millisecond) // the page's type shrinks to fit
		screenshot(t, p, fmt.Sprintf("%s-p%d", name, page+1))
		if bad, _ := get(p, chromedp.Evaluate[string](fits)); bad != "" {
			t.Errorf("%s, page %d: %s", name, page+1, bad)
		}
		run(t, p, "turn the page", chromedp.KeyEvent(kb.ArrowRight))
	}
	for range n {
		run(t, p, "turn back", chromedp.KeyEvent(kb.ArrowLeft))
	}
}

// TestCrossImpactWorkshop runs a two-round cross-impact workshop on the
// built-in deck (six descriptors) with three participants: one on a phone
// with JavaScript, one on a phone without, one through the forms. The
// facilitator opens both rounds from the workshop page; the projector
// shows the heat map and the consistent scenarios, which change as the
// second round's judgements come in.
func TestCrossImpactWorkshop(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	_, owner := signIn(t, a, "facilitator@example.org", workshop.RoleFacilitator)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, owner, decks[0], "NATO after Kabul: how it hangs together", false)
	if err != nil {
		t.Fatal(err)
	}
	code := w.Code
	fac := person(t, b, 1280, 800, true)
	browserSignIn(t, fac, a, "facilitator@example.org")
	proj := person(t, b, 1280, 720, true)
	browserSignIn(t, proj, a, "facilitator@example.org")
	phone := person(t, b, 360, 740, true)
	plain := person(t, b, 360, 740, false)
	third := newClient(t, a.URL)
	for _, p := range []context.Context{phone, plain} {
		run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+code), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("main h1")))
	}
	third.post("/j/"+code, nil)

	// Round 1: the facilitator opens a cross-impact round from the lobby.
	run(t, fac, "open a cross-impact round", chromedp.Navigate(a.URL+"/workshops/"+code),
		chromedp.Click(chromedp.CSS(`form input[name=kind][value=cross_impact] ~ button`)),
		chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	run(t, proj, "open the projector", chromedp.Navigate(a.URL+"/workshops/"+code+"/projector"), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	if w, err = a.DB.WorkshopByCode(ctx, code); err != nil {
		t.Fatal(err)
	}

	// The phone with JavaScript judges the first source by tapping, and
	// goes on; the one without judges the first source and saves.
	first := w.CrossImpact().Cells()[0].From
	var targets []string
	for _, c := range w.CrossImpact().Cells() {
		if c.From == first {
			targets = append(targets, c.To)
		}
	}
	run(t, phone, "open the phone's page", chromedp.Navigate(a.URL+"/w/"+code), chromedp.WaitVisible(chromedp.CSS("fieldset.judge")))
	screenshot(t, phone, "cib-phone-round1")
	screenshotOf(t, phone, "cib-phone-round1-form", "main form")
	for i, to := range targets {
		v := []string{"2", "1", "-1", "-2"}[i%4]
		run(t, phone, "tap a judgement", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="j-%s"][value="%s"] + span`, to, v))))
	}
	run(t, phone, "save and go on", chromedp.Click(chromedp.CSS(`button[name=go][value=next]`)), chromedp.WaitVisible(chromedp.CSS(`p.notice[role=status]`)))
	waitText(t, phone, ".cib-progress label", fmt.Sprintf("%d of", len(targets)))
	screenshot(t, phone, "cib-phone-saved")
	run(t, plain, "open the page without JavaScript", chromedp.Navigate(a.URL+"/w/"+code), chromedp.WaitVisible(chromedp.CSS("fieldset.judge")))
	for _, to := range targets {
		run(t, plain, "choose", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="j-%s"][value="1"] + span`, to))))
	}
	run(t, plain, "save without JavaScript", chromedp.Click(chromedp.CSS(`button[name=go][value=next]`)), chromedp.WaitVisible(chromedp.CSS(`p.notice[role=status]`)))
	waitText(t, plain, ".cib-progress label", fmt.Sprintf("%d of", len(targets)))

	// The third judges every cell: a variant promotes the variants of the
	// same place elsewhere and hinders the others, so the scenarios that
	// pick the same place everywhere hold together.
	coherent := func(from, to string) string {
		if variantIndex(w, from) == variantIndex(w, to) {
			return "3"
		}
		return "-2"
	}
	judgeAll(third, w, 0, coherent)
	waitText(t, proj, ".cib-stage .counts-line", "3")
	projectorPages(t, proj, "cib-projector-round1")

	// Close, reveal, and open round 2 prefilled.
	run(t, fac, "close", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/reveal"]`)))
	run(t, fac, "reveal", chromedp.Click(chromedp.CSS(`form[action$="/reveal"] button`)), chromedp.WaitVisible(chromedp.CSS(`form:has(input[name=kind][value=cross_impact]) button`)))
	screenshot(t, fac, "cib-facilitator-revealed")
	run(t, fac, "open round 2, prefilled", chromedp.Click(chromedp.CSS(`form:has(input[name=kind][value=cross_impact]) input[name=prefill]`)),
		chromedp.Click(chromedp.CSS(`form:has(input[name=kind][value=cross_impact]) button`)), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	waitText(t, fac, "#cib-h", "2")

	// The phones see where the group stood; the others come round to the
	// coherent view.
	run(t, plain, "reload round 2", chromedp.Navigate(a.URL+"/w/"+code), chromedp.WaitVisible(chromedp.CSS("fieldset.judge")))
	waitText(t, plain, "fieldset.judge", "Last round the group said")
	screenshot(t, plain, "cib-phone-round2-nojs")
	screenshotOf(t, plain, "cib-phone-round2-form", "main form")
	screenshotOf(t, plain, "cib-phone-round2-fieldset", "fieldset.judge")
	for _, c := range []*client{newClient(t, a.URL), newClient(t, a.URL)} {
		c.post("/j/"+code, nil)
		judgeAll(c, w, 0, coherent)
	}
	waitText(t, proj, ".cib-stage .counts-line", "5")
	waitText(t, proj, ".cib-consistent", "A1 B1 C1 D1 E1 F1")
	consistent, _ := get(proj, chromedp.TextContent(chromedp.CSS(".cib-consistent")))
	if !strings.Contains(consistent, "A1 B1 C1 D1 E1 F1") {
		t.Errorf("consistent scenarios on the projector: %q, want A1 B1 C1 D1 E1 F1 among them", consistent)
	}
	projectorPages(t, proj, "cib-projector-round2")
	big := person(t, b, 1920, 1080, true)
	browserSignIn(t, big, a, "facilitator@example.org")
	run(t, big, "projector in full HD", chromedp.Navigate(a.URL+"/workshops/"+code+"/projector"), chromedp.WaitVisible(chromedp.CSS(".stage .page.current table.heatmap")))
	projectorPages(t, big, "cib-projector-1080")
	run(t, fac, "the facilitator's page", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	screenshotOf(t, fac, "cib-facilitator-round2", "#results")

	// An analyst's own matrix on the evaluation page.
	run(t, fac, "evaluate a matrix", chromedp.Navigate(a.URL+"/crossimpact"),
		chromedp.SetValue(chromedp.CSS("#matrix"), cibPageMatrix), chromedp.SetValue(chromedp.CSS("#scenario"), "A2 B1"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#cib-consistent-h")))
	screenshotOf(t, fac, "cib-evaluate-results", "main")
	run(t, fac, "evaluate a bad matrix", chromedp.Navigate(a.URL+"/crossimpact"),
		chromedp.SetValue(chromedp.CSS("#matrix"), strings.Replace(cibPageMatrix, "B3 Conflict;3", "B3 Conflict;7", 1)),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#matrix-error")))
	screenshot(t, fac, "cib-evaluate-error")
}

// cibPageMatrix is a small ScenarioWizard matrix for the evaluation page.
const cibPageMatrix = ";A;;;;B;;\n;A1;A2;A3;;B1;B2;B3\nA. Government\nA1 Patriots;;;;;-2;1;1\nA2 Prosperity;;;;;2;1;-3\nA3 Social;;;;;0;2;-2\n" +
	"B. Foreign policy\nB1 Cooperation;0;0;0;;;;\nB2 Rivalry;1;0;-1;;;;\nB3 Conflict;3;-1;-2;;;;\n"

// TestA11yCrossImpact checks the cross-impact pages in English, Polish and
// French with axe-core (the dark theme too) and the Nu HTML Checker: the
// evaluation page empty, with results and with a problem; the phone's page
// in rounds 1 and 2; the facilitator's page, the projector and the report
// of a cross-impact round.
func TestA11yCrossImpact(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	au := newAuditor(t)
	nav := func(u string) func(context.Context) error {
		return func(ctx context.Context) error { return do(ctx, "open "+u, chromedp.Navigate(a.URL+u)) }
	}
	part := func(l *lane) *tab { return l.part }
	fac := func(l *lane) *tab { return l.fac }

	org, orgUser := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, orgUser, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	code := w.Code
	for _, lang := range a11yLangs {
		l := &lane{lang: lang, anon: newTab(t, b, 360, 740, lang), part: newTab(t, b, 360, 740, lang), fac: newTab(t, b, 1280, 800, lang)}
		browserSignIn(t, l.fac.ctx, a, "organiser@example.org")
		run(t, l.part.ctx, "join", chromedp.Navigate(a.URL+"/j/"+code), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("main h1")))
		au.lanes = append(au.lanes, l)
	}

	au.check(fac, "cib-evaluate", true, nav("/crossimpact"))
	au.check(fac, "cib-evaluate-results", true, func(ctx context.Context) error {
		return do(ctx, "evaluate a matrix", chromedp.Navigate(a.URL+"/crossimpact"),
			chromedp.SetValue(chromedp.CSS("#matrix"), cibPageMatrix),
			chromedp.SetValue(chromedp.CSS("#scenario"), "A2 B1"),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#cib-consistent-h")))
	})
	au.check(fac, "cib-evaluate-error", false, func(ctx context.Context) error {
		return do(ctx, "evaluate a bad matrix", chromedp.Navigate(a.URL+"/crossimpact"),
			chromedp.SetValue(chromedp.CSS("#matrix"), strings.Replace(cibPageMatrix, "B3 Conflict;3", "B3 Conflict;7", 1)),
			chromedp.Click(chromedp.CSS("main form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#matrix-error")))
	})

	// Expert groups, and the terrorist threat's sources for the military.
	org.post("/workshops/"+code+"/settings", url.Values{"title": {w.Title}, "anonymity": {"anonymous"}, "visibility": {"after_reveal"},
		"pacing": {"self"}, "participant_limit": {"0"}, "groups": {"military\ndiplomatic"}})
	if w, err = a.DB.WorkshopByCode(ctx, code); err != nil || len(w.Groups) != 2 {
		t.Fatalf("groups: %v", err)
	}
	org.post("/workshops/"+code+"/crossimpact/sources", url.Values{"src-terrorist-threat": {fmt.Sprint(w.Groups[0].ID)}})
	au.check(fac, "cib-workshop-lobby-sources", false, func(ctx context.Context) error {
		return do(ctx, "open the sources' split", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.Click(chromedp.CSS("#cib-sources > summary")),
			chromedp.WaitVisible(chromedp.CSS("#src-humanitarian")))
	})
	org.post("/workshops/"+code+"/next", url.Values{"kind": {"cross_impact"}})
	if w, err = a.DB.WorkshopByCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		c := newClient(t, a.URL)
		c.post("/j/"+code, url.Values{"group": {fmt.Sprint(w.Groups[i%2].ID)}})
		judgeAll(c, w, w.Groups[i%2].ID, func(from, to string) string {
			if variantIndex(w, from) == variantIndex(w, to) {
				return "2"
			}
			return []string{"-1", "-2", "1", "dk"}[i]
		})
	}
	au.check(part, "cib-phone-open", true, nav("/w/"+code))
	au.check(fac, "cib-workshop-open", true, func(ctx context.Context) error {
		return do(ctx, "open the workshop", chromedp.Navigate(a.URL+"/workshops/"+code), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	})
	au.check(fac, "cib-projector-open", false, func(ctx context.Context) error {
		return do(ctx, "open the projector", chromedp.Navigate(a.URL+"/workshops/"+code+"/projector"), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	})
	org.post("/workshops/"+code+"/close", nil)
	org.post("/workshops/"+code+"/reveal", nil)
	org.post("/workshops/"+code+"/next", url.Values{"kind": {"cross_impact"}, "prefill": {"1"}})
	au.check(part, "cib-phone-round2", false, func(ctx context.Context) error {
		return do(ctx, "open round 2", chromedp.Navigate(a.URL+"/w/"+code), chromedp.WaitVisible(chromedp.CSS("fieldset.judge")))
	})
	au.check(fac, "cib-report", false, func(ctx context.Context) error {
		return do(ctx, "open the report", chromedp.Navigate(a.URL+"/workshops/"+code+"/export/report"), chromedp.WaitVisible(chromedp.CSS("table.heatmap")))
	})

	t.Logf("axe-core: %d pages in %d languages, %d violations, %v", au.pages, len(au.lanes), len(au.failed), au.axeTime.Round(time.Millisecond))
	t.Run("NuHTMLChecker", au.validate)
}
