package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
	"foresight/views"
)

// TestLabelsNeverContradict: on the facilitator's page and the projector,
// an item is called one thing at most, in the same words on both. Two
// cases that used to read as two things at once, on the estimates deck
// with four expert groups:
//   - scenario 1: three groups say 50 %, the fourth 80 %: the room's IQR
//     is narrow (consensus by IQR alone) but the groups disagree, so it is
//     not called consensus;
//   - scenario 2: 60, 60, 60, 80, 80 %: the IQR is within a quarter of the
//     scale and the second peak is near the first: consensus, not
//     polarised.
//
// The round's mean IQR is a share of each scale, not a number that mixes
// percentages with 1–3 confidence points.
func TestLabelsNeverContradict(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	org, owner := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, owner, decks[1], "Estimates", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.SetGroups(ctx, w.Code, []string{"military", "diplomatic", "economic", "humanitarian"}, owner); err != nil {
		t.Fatal(err)
	}
	if w, err = a.DB.Step(ctx, w.Code, workshop.ActNextRound, 0, false); err != nil {
		t.Fatal(err)
	}
	prob := w.Criteria[0].ID
	for i := range 12 {
		p, _, err := a.DB.Join(ctx, w.Code, "", w.Groups[i%4].ID)
		if err != nil {
			t.Fatal(err)
		}
		v := 50
		if i%4 == 3 {
			v = 80
		}
		if _, err := a.DB.SaveRating(ctx, p, w.Scenarios[0].ID, prob, &v); err != nil {
			t.Fatal(err)
		}
		if i < 5 {
			v = []int{60, 60, 60, 80, 80}[i]
			if _, err := a.DB.SaveRating(ctx, p, w.Scenarios[1].ID, prob, &v); err != nil {
				t.Fatal(err)
			}
		}
	}
	org.post("/workshops/"+w.Code+"/close", nil)
	org.post("/workshops/"+w.Code+"/reveal", nil)

	fac := person(t, b, 1280, 900, true)
	browserSignIn(t, fac, a, "organiser@example.org")
	run(t, fac, "open the results", chromedp.Navigate(a.URL+"/workshops/"+w.Code), chromedp.WaitVisible(chromedp.CSS("#"+views.ResultID(w.Scenarios[1].ID))))
	badges := func(sid int64) string {
		t.Helper()
		got, err := get(fac, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(`+jsString("#"+views.ResultID(sid)+" .item-result")+`)[0].querySelectorAll(".badge, .disagree-mark"), e => e.textContent.trim()).join("|")`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := badges(w.Scenarios[0].ID); strings.Contains(got, "consensus") || !strings.Contains(got, "Groups disagree") {
		t.Errorf("scenario 1's probability is marked %q: want groups that disagree, and no consensus", got)
	}
	if got := badges(w.Scenarios[1].ID); got != "consensus" {
		t.Errorf("scenario 2's probability is marked %q, want consensus alone", got)
	}
	summary, _ := get(fac, chromedp.Evaluate[string](`document.querySelector("#results").innerText`))
	if !strings.Contains(summary, "mean IQR, as a share of each scale") {
		t.Errorf("the round's summary does not say how it averages the IQR: %.400s", summary)
	}
	screenshot(t, fac, "verdicts-facilitator-1280")

	proj := person(t, b, 1920, 1080, true)
	browserSignIn(t, proj, a, "organiser@example.org")
	run(t, proj, "open the projector", chromedp.Navigate(a.URL+"/workshops/"+w.Code+"/projector"), chromedp.WaitVisible(chromedp.CSS("ol.legend")))
	legend, _ := get(proj, chromedp.Evaluate[string](`document.querySelector("ol.legend").innerText`))
	for _, word := range []string{"split", "agreed"} {
		if strings.Contains(legend, word) {
			t.Errorf("the projector says %q: the facilitator's page has other words for it", word)
		}
	}
	second, _ := get(proj, chromedp.Evaluate[string](`document.querySelectorAll("ol.legend > li")[1].innerText`))
	if !strings.Contains(second, "consensus") || strings.Contains(second, "polarised") {
		t.Errorf("the projector calls scenario 2 %q", second)
	}
	first, _ := get(proj, chromedp.Evaluate[string](`document.querySelectorAll("ol.legend > li")[0].innerText`))
	if strings.Contains(first, "consensus") || !strings.Contains(first, "groups disagree") {
		t.Errorf("the projector calls scenario 1 %q", first)
	}
	screenshot(t, proj, "verdicts-projector-1920")
}
