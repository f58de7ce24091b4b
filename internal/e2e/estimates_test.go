package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// estimatesWorkshop is a workshop on the estimates deck (probability in
// percent with ICD 203, impact, confidence), open, with raters: scenario 1
// probable (60..70 %) but held with low confidence, scenario 2 unlikely
// (20..30 %) with high confidence.
func estimatesWorkshop(t *testing.T, db *store.DB, owner workshop.User, raters int) *workshop.Workshop {
	t.Helper()
	return groupsEstimatesWorkshop(t, db, owner, raters, nil)
}

// groupsEstimatesWorkshop is estimatesWorkshop with expert groups named in
// the lobby; rater i joins group i % len(groups). When groups are named,
// scenario 3's probability splits the room: the first group says 10..20 %,
// the others 80..90 %.
func groupsEstimatesWorkshop(t *testing.T, db *store.DB, owner workshop.User, raters int, groups []string) *workshop.Workshop {
	t.Helper()
	ctx := context.Background()
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, owner, decks[1], "Estimates: NATO after Kabul", len(groups) == 0)
	if err != nil {
		t.Fatal(err)
	}
	if w.DeckSlug != "nato-afghanistan-estimates" {
		t.Fatalf("deck %s, want the estimates deck", w.DeckSlug)
	}
	if len(groups) > 0 {
		if _, err := db.SetGroups(ctx, w.Code, groups, owner); err != nil {
			t.Fatal(err)
		}
		if w, err = db.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	prob, impact, conf := w.Criteria[0].ID, w.Criteria[1].ID, w.Criteria[2].ID
	for i := range raters {
		var group int64
		if len(groups) > 0 {
			group = w.Groups[i%len(groups)].ID
		}
		p, _, err := db.Join(ctx, w.Code, "", group)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) > 0 {
			v := 80 + 5*(i/len(groups)%3)
			if i%len(groups) == 0 {
				v = 10 + 5*(i/len(groups)%3)
			}
			if _, err := db.SaveRating(ctx, p, w.Scenarios[2].ID, prob, &v); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []struct {
			s, c int64
			v    int
		}{
			{w.Scenarios[0].ID, prob, 60 + 5*(i%3)}, {w.Scenarios[0].ID, impact, 4}, {w.Scenarios[0].ID, conf, 1 + i%4/3},
			{w.Scenarios[1].ID, prob, 20 + 5*(i%3)}, {w.Scenarios[1].ID, impact, 2}, {w.Scenarios[1].ID, conf, 3},
		} {
			v := r.v
			if _, err := db.SaveRating(ctx, p, r.s, r.c, &v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

// TestEstimatesWorkshop runs a workshop on the estimates deck: a
// participant picks a term of the yardstick and a number on a phone; the
// projector shows the terms with their ranges and draws the scenario held
// with low confidence as a hollow point, with a key; the report lists
// where the room is confident and where it is not.
func TestEstimatesWorkshop(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	owner, err := a.DB.CreateUser(ctx, "analyst@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	// Two expert groups, three raters in each: they agree on scenarios 1
	// and 2 and split on scenario 3.
	w := groupsEstimatesWorkshop(t, a.DB, owner, 6, []string{"military", "diplomatic"})
	prob := w.Criteria[0]

	// A phone: the terms of ICD 203 with their ranges, then a number.
	phone := person(t, b, 390, 844, true)
	run(t, phone, "join as a diplomat",
		chromedp.Navigate(a.URL+"/j/"+w.Code),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="group"][value="%d"]`, w.Groups[1].ID))),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#vote-form")),
	)
	first := itemSel(w, 0, 0)
	labels, err := get(phone, chromedp.Evaluate[string](fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.textContent.replace(/\u2060/g, "").replace(/\u00a0/g, " ").trim()).join("|")`, first+" .scale.bands label")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"almost no chance (1–5 %)", "likely (55–80 %)", "almost certain (95–99 %)"} {
		if !strings.Contains(labels, want) {
			t.Fatalf("the terms offered are %q; want %q among them", labels, want)
		}
	}
	run(t, phone, "pick “likely”", chromedp.Click(chromedp.CSS(first+` .scale.bands input[value="65"] + span`)))
	waitText(t, phone, statusSel(w, 0, 0), "Saved")
	screenshot(t, phone, "estimates-phone-terms")
	second := itemSel(w, 1, 0)
	run(t, phone, "open the numbers and pick 90 %",
		chromedp.Click(chromedp.CSS(second+" details.exact summary")),
		chromedp.Click(chromedp.CSS(second+` details.exact input[value="90"] + span`)),
	)
	waitText(t, phone, statusSel(w, 1, 0), "Saved")
	run(t, phone, "scroll to the numbers", chromedp.ScrollIntoView(chromedp.CSS(second+" details.exact")))
	screenshot(t, phone, "estimates-phone-numbers")
	p, err := a.DB.WorkshopByCode(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	tally, err := a.DB.LoadTally(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int64{}
	for _, row := range tally.Counts {
		if row.CriterionID == prob.ID {
			stored[fmt.Sprintf("%d/%d", row.ScenarioID, row.Answer.Value)] += row.Count
		}
	}
	if stored[fmt.Sprintf("%d/65", w.Scenarios[0].ID)] != 3 || stored[fmt.Sprintf("%d/90", w.Scenarios[1].ID)] != 1 {
		t.Fatalf("stored probabilities %v: want the term's 65 %% (and two raters' 65) on scenario 1, 90 on scenario 2", stored)
	}

	// The projector, by a display link, after the reveal.
	for _, act := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := a.DB.Step(ctx, w.Code, act, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	token, err := a.DB.CreateDisplayLink(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	beamer := person(t, b, 1920, 1080, true)
	run(t, beamer, "open the projector", chromedp.Navigate(a.URL+"/display/"+token), chromedp.WaitVisible(chromedp.CSS("svg.matrix")))
	hollow, err := get(beamer, chromedp.Evaluate[int](`document.querySelectorAll("svg.matrix circle.point.hollow").length`))
	if err != nil || hollow != 1 {
		t.Fatalf("%d hollow points, %v; want 1: scenario 1, held with low confidence", hollow, err)
	}
	waitText(t, beamer, ".matrix-key", "low")
	// Scenario 1: medians 65 (two 60s, three 65s, two 70s... a term with its range).
	waitText(t, beamer, "ol.legend li:first-child .meds", "likely (55–80 %)")
	waitText(t, beamer, "ol.legend li:nth-child(2) .meds", "unlikely (20–45 %)")
	// Scenario 3: the military say 10..20 % (median 15), the diplomats
	// 80..90 % (median 85): the legend says the groups disagree, and the
	// page of distributions gives each group's median with its words.
	// (Nobody rated its impact, so it has no point on the matrix.)
	waitText(t, beamer, "ol.legend li:nth-child(3) .meds", "groups disagree")
	waitText(t, beamer, ".page.multiples .groups-disagree", "military 15 · very unlikely (5–20 %)")
	waitText(t, beamer, ".page.multiples .groups-disagree", "diplomatic 85 · very likely (80–95 %)")
	if n, err := get(beamer, chromedp.Evaluate[int](`document.querySelectorAll(".page.multiples .groups-disagree").length`)); err != nil || n != 1 {
		t.Fatalf("%d items where groups disagree, %v; want 1 (scenario 3's probability)", n, err)
	}
	screenshot(t, beamer, "estimates-projector")

	// The report, in Polish: the table of confidence, and the terms.
	fac := person(t, b, 1280, 900, true)
	run(t, fac, "sign in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), owner.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
	run(t, fac, "switch to Polish", chromedp.Click(chromedp.CSS(`form[action="/language"] button[value="pl"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="pl"]`)))
	run(t, fac, "open the report", chromedp.Navigate(a.URL+"/workshops/"+w.Code+"/export/report"), chromedp.WaitVisible(chromedp.CSS("section.confidence")))
	waitText(t, fac, "section.confidence", "Pewnie: Pewność wysoka")
	waitText(t, fac, "section.confidence", "Niepewnie: Pewność niska")
	waitText(t, fac, "section.confidence", "prawdopodobne (55–80 %)")
	run(t, fac, "scroll to the table", chromedp.ScrollIntoView(chromedp.CSS("section.confidence")))
	screenshot(t, fac, "estimates-report-confidence-pl")
}

// TestOutcomesAndScores: after a workshop on the estimates deck finishes, a
// facilitator records on the workshop's page what became of two
// scenarios; the report shows the scores and the calibration chart, and
// the projector marks the outcomes with a tick and a cross.
func TestOutcomesAndScores(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	owner, err := a.DB.CreateUser(ctx, "analyst@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w := estimatesWorkshop(t, a.DB, owner, 8)
	for _, act := range []workshop.Action{workshop.ActClose, workshop.ActFinish} {
		if _, err := a.DB.Step(ctx, w.Code, act, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, owner.Email)
	s1, s2 := w.Scenarios[0].ID, w.Scenarios[1].ID
	run(t, fac, "record two outcomes",
		chromedp.Navigate(a.URL+"/workshops/"+w.Code+"#outcomes"),
		chromedp.WaitVisible(chromedp.CSS("#outcomes")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="occurred-%d"][value="yes"]`, s1))),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`#known-%d`, s1)), "2026-11-30"),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#note-%d`, s1)), "UNHCR figures, November."),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="occurred-%d"][value="no"]`, s2))),
		chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf(`input[name="occurred-%d"][value="no"]`, s2))),
	)
	screenshot(t, fac, "outcomes-card")
	run(t, fac, "save", chromedp.Click(chromedp.CSS(`#outcomes button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`main .notice[role="status"]`)))
	waitText(t, fac, `main .notice[role="status"]`, "Outcomes saved")
	got, err := a.DB.WorkshopByCode(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if o := got.OutcomeOf(s1); o.Occurred == nil || !*o.Occurred || o.KnownOn != "2026-11-30" || o.Note != "UNHCR figures, November." {
		t.Fatalf("scenario 1's outcome: %+v", o)
	}
	if o := got.OutcomeOf(s2); o.Occurred == nil || *o.Occurred {
		t.Fatalf("scenario 2's outcome: %+v", o)
	}

	run(t, fac, "open the report", chromedp.Navigate(a.URL+"/workshops/"+w.Code+"/export/report#scores"), chromedp.WaitVisible(chromedp.CSS("#scores svg.calibration")))
	// Round 1 only: scenario 1 (happened) median 65 % → 0.1225, scenario 2
	// (did not) median 25 % → 0.0625: the room's median score 0.0925.
	waitText(t, fac, "#scores", "0.093")
	circles, err := get(fac, chromedp.Evaluate[int](`document.querySelectorAll("#scores svg.calibration circle.bin").length`))
	if err != nil || circles < 2 {
		t.Fatalf("%d circles on the calibration chart, %v; want one for each tenth with estimates", circles, err)
	}
	run(t, fac, "scroll to the chart", chromedp.ScrollIntoView(chromedp.CSS("#scores figure")))
	screenshot(t, fac, "report-calibration")

	token, err := a.DB.CreateDisplayLink(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	beamer := person(t, b, 1920, 1080, true)
	run(t, beamer, "open the projector", chromedp.Navigate(a.URL+"/display/"+token), chromedp.WaitVisible(chromedp.CSS("svg.matrix")))
	marks, err := get(beamer, chromedp.Evaluate[string](`[...document.querySelectorAll("svg.matrix text.outcome-mark")].map(e => e.textContent).join("")`))
	if err != nil || marks != "✓✗" {
		t.Fatalf("outcome marks on the matrix %q, %v; want a tick and a cross", marks, err)
	}
	screenshot(t, beamer, "projector-outcomes")
}
