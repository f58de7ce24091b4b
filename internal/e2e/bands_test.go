package e2e

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// bandPick matches a term's choice on the phone: "likely (55–80 %) rated
// as 65 %", in any language: the range, then the number it is rated as.
var bandPick = regexp.MustCompile(`\((\d+)–(\d+)\s*%\).*?(\d+)\s*%\s*$`)

// TestBandsMeanWhatTheySay: on the estimates deck (ICD 203), in English and
// Polish, every term a participant can pick on the phone is rated as a
// number inside the term's range; the numbers offer every whole percent
// of the outer terms (1–5 % and 95–99 %); 0 and 100 are offered as numbers
// with no term; and a pick is stored as the number the page names.
func TestBandsMeanWhatTheySay(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	owner, err := a.DB.CreateUser(ctx, "analyst@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	w := estimatesWorkshop(t, a.DB, owner, 0)
	for _, lang := range []string{"en", "pl", "fr"} {
		tb := newTab(t, b, 390, 844, lang)
		p := tb.ctx
		run(t, p, "join in "+lang, chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
		item := itemSel(w, 0, 0)
		picks, err := get(p, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(`+jsString(item+" .scale.bands label")+`), l => l.textContent.replace(/\u2060/g, "").replace(/\s+/g, " ").trim())`))
		if err != nil || len(picks) != 7 {
			t.Fatalf("%s: the terms on the phone: %q (%v), want ICD 203's seven", lang, picks, err)
		}
		for _, pick := range picks {
			m := bandPick.FindStringSubmatch(pick)
			if m == nil {
				t.Fatalf("%s: %q does not say its range and number", lang, pick)
			}
			lo, _ := strconv.Atoi(m[1])
			hi, _ := strconv.Atoi(m[2])
			v, _ := strconv.Atoi(m[3])
			if v < lo || v > hi {
				t.Errorf("%s: %q is rated as %d %%, outside its own range", lang, pick, v)
			}
		}
		numbers, err := get(p, chromedp.Evaluate[[]int](`Array.from(document.querySelectorAll(`+jsString(item+" details.exact input[type=radio]")+`), i => Number(i.value))`))
		if err != nil {
			t.Fatal(err)
		}
		offered := map[int]bool{}
		for _, v := range numbers {
			offered[v] = true
		}
		for _, v := range []int{0, 1, 2, 3, 4, 5, 50, 95, 96, 97, 98, 99, 100} {
			if !offered[v] {
				t.Errorf("%s: %d %% is not offered among the numbers", lang, v)
			}
		}
		run(t, p, "open the numbers", chromedp.Click(chromedp.CSS(item+" details.exact summary")))
		screenshotOf(t, p, "bands-"+lang+"-390", item)
		// No label spills out of its button: the longer French words
		// ("Négligeable") on five points side by side.
		spill, err := get(p, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".scale span")).filter(s => s.offsetParent && s.scrollWidth > s.clientWidth + 1).map(s => s.textContent.replace(/\s+/g, " ").trim())`))
		if err != nil || len(spill) > 0 {
			t.Errorf("%s: labels wider than their buttons on a phone: %q (%v)", lang, spill, err)
		}
		screenshotOf(t, p, "scale-"+lang+"-390", itemSel(w, 0, 1))
	}

	// A pick stores the number the page names: "almost certain" is 97,
	// and 3 % can be given.
	p := person(t, b, 390, 844, true)
	run(t, p, "join", chromedp.Navigate(a.URL+"/j/"+w.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	run(t, p, "pick almost certain", chromedp.Click(chromedp.CSS(itemSel(w, 0, 0)+` .scale.bands input[value="97"] + span`)))
	waitStored(t, a, w, 0, 0, "97")
	run(t, p, "open the numbers and pick 3 %",
		chromedp.Click(chromedp.CSS(itemSel(w, 1, 0)+" details.exact summary")),
		chromedp.Click(chromedp.CSS(itemSel(w, 1, 0)+` details.exact input[value="3"] + span`)))
	waitStored(t, a, w, 1, 0, "3")
}
