package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"foresight/internal/store"
	"foresight/internal/workshop"
)

// roomWorkshop is the workshop of a real session: the estimates deck's
// ten scenarios and three criteria, four expert groups that disagree on
// scenario 3, sixteen raters, two rounds (revealed), featured reasons.
func roomWorkshop(t *testing.T, db *store.DB, owner workshop.User) *workshop.Workshop {
	t.Helper()
	ctx := context.Background()
	decks, _ := workshop.BuiltinDecks()
	w, err := db.CreateWorkshop(ctx, owner, decks[1], "NATO after Kabul: estimates", false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = db.SetGroups(ctx, w.Code, []string{"military", "diplomatic", "economic", "humanitarian"}, owner); err != nil {
		t.Fatal(err)
	}
	return w
}

// rateRoom makes sixteen raters join (if needed) and rate every item of
// the current round; round 2 moves most scenarios a little.
func rateRoom(t *testing.T, db *store.DB, w *workshop.Workshop, ps []workshop.Participant, round int) []workshop.Participant {
	t.Helper()
	ctx := context.Background()
	for len(ps) < 16 {
		p, _, err := db.Join(ctx, w.Code, "", w.Groups[len(ps)%4].ID)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	for i, p := range ps {
		for si, s := range w.Scenarios {
			for _, c := range w.Criteria {
				var v int
				switch c.Kind {
				case workshop.KindPercent:
					v = []int{65, 20, 50, 85, 35, 60, 15, 70, 45, 55}[si] + 5*(i%3) - 5 + 5*(round-1)*(si%2)
					if si == 2 { // groups disagree
						v = []int{10, 15, 85, 90}[i%4]
					}
				case workshop.KindConfidence:
					v = 2 + (i/4+si)%2 // moderate or high, mixed in every group
					if si == 6 {
						v = 1 // the room is not confident of scenario 7
					}
				default:
					v = 1 + (si*3)%5 // impact: each scenario its own, a little spread
					if i%8 == 0 {
						v = min(5, v+1)
					}
				}
				if err := c.CheckValue(&v); err != nil {
					v = c.Min
				}
				if _, err := db.SaveRating(ctx, p, s.ID, c.ID, &v); err != nil {
					t.Fatal(err)
				}
			}
		}
		if i < 3 {
			if _, err := db.SaveRationale(ctx, p, w.Scenarios[i].ID, fmt.Sprintf("Reason %d of round %d: the camps along the border fill faster than aid arrives, and the winter closes the passes.", i+1, round)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ps
}

// fits reports what of the projector's current page does not fit the
// viewport, "" when all of it does.
const fits = `(() => {
	const de = document.documentElement, out = [];
	if (de.scrollHeight > innerHeight + 1) out.push("the page is " + de.scrollHeight + " px tall in " + innerHeight);
	if (de.scrollWidth > innerWidth + 1) out.push("the page is " + de.scrollWidth + " px wide in " + innerWidth);
	const page = document.querySelector(".stage .page.current");
	if (!page) out.push("no current page");
	else if (page.scrollHeight > page.clientHeight + 1) out.push("the current page overflows: " + page.scrollHeight + " in " + page.clientHeight);
	return out.join("; ");
})()`

// overlaps lists the matrix's scenario labels, outcome marks and groups'
// marks and letters that cover one another.
const overlaps = `(() => {
	const sel = [".point-label", ".outcome-mark", ".group-mark", ".group-letter"].map(c => ".stage .page.current .matrix " + c).join(", ");
	const boxes = Array.from(document.querySelectorAll(sel)).map(e => [e.textContent || e.getAttribute("class"), e.getBoundingClientRect()]);
	const out = [];
	for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
		const [a, r] = boxes[i], [b, s] = boxes[j];
		if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) out.push(a + " covers " + b);
	}
	return out.join("; ");
})()`

// TestProjectorFitsTheScreen shows a real session on the projector at
// 1920x1080 and 1280x720, in English, Polish and French: the lobby, the
// room's ideas, voting (with a scenario from the room), a
// revealed second round with groups that disagree and featured reasons,
// and the finished workshop with outcomes. Every page of every state fits
// the screen without scrolling, and no scenario's number on the matrix
// covers another's.
func TestProjectorFitsTheScreen(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	org, owner := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	w := roomWorkshop(t, a.DB, owner)

	type screen struct {
		w, h int64
		lang string
	}
	screens := []screen{{1920, 1080, "en"}, {1280, 720, "en"}, {1920, 1080, "pl"}, {1280, 720, "pl"}, {1920, 1080, "fr"}, {1280, 720, "fr"}}
	tabs := make([]*tab, len(screens))
	for i, sc := range screens {
		tabs[i] = newTab(t, b, sc.w, sc.h, sc.lang)
		browserSignIn(t, tabs[i].ctx, a, "organiser@example.org")
		run(t, tabs[i].ctx, "open the projector", chromedp.Navigate(a.URL+"/workshops/"+w.Code+"/projector"), chromedp.WaitVisible(chromedp.CSS(".stage .page.current")))
	}
	check := func(state string) {
		t.Helper()
		for i, sc := range screens {
			p := tabs[i].ctx
			waitJS(t, p, `document.querySelector(".stage").dataset.stage.startsWith(`+jsString(state)+`) && document.querySelector(".stage .page.current") !== null`)
			n, err := get(p, chromedp.Evaluate[int](`document.querySelectorAll(".stage .page").length`))
			if err != nil {
				t.Fatal(err)
			}
			for page := range n {
				name := fmt.Sprintf("projector-%s-%s-%dx%d-p%d", state, sc.lang, sc.w, sc.h, page+1)
				waitJS(t, p, fmt.Sprintf(`document.querySelectorAll(".stage .page")[%d].classList.contains("current")`, page))
				screenshot(t, p, name)
				if bad, _ := get(p, chromedp.Evaluate[string](fits)); bad != "" {
					t.Errorf("%s: %s", name, bad)
				}
				if bad, _ := get(p, chromedp.Evaluate[string](overlaps)); bad != "" {
					t.Errorf("%s: on the matrix %s", name, bad)
				}
				run(t, p, "turn the page", chromedp.KeyEvent(kb.ArrowRight))
			}
			// Back to the first page for the next state.
			for range n {
				run(t, p, "turn back", chromedp.KeyEvent(kb.ArrowLeft))
			}
		}
	}
	check("lobby")
	// Ideas from the room: eight long ideas on the projector with the
	// join code; the top one becomes an eleventh scenario, with a long
	// title, marked from the room in every state that follows.
	org.post("/workshops/"+w.Code+"/ideas/open", nil)
	var ps []workshop.Participant
	for i := range 4 {
		p, _, err := a.DB.Join(ctx, w.Code, "", w.Groups[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	var top int64
	for i := range 9 {
		title := fmt.Sprintf("Idea %d: %s", i+1, strings.Repeat("a long proposal that says what the deck is missing ", 3))[:workshop.MaxIdeaTitleRunes]
		ch, err := a.DB.ProposeIdea(ctx, ps[i%4], workshop.IdeaDraft{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps[:1+i%4] {
			if _, err := a.DB.Vote(ctx, p, ch.Ideas[0].ID, true); err != nil && workshop.ErrorCode(err) != workshop.EConflict {
				t.Fatal(err)
			}
		}
		if i == 3 {
			top = ch.Ideas[0].ID
		}
	}
	check("ideas")
	org.post(fmt.Sprintf("/workshops/%s/ideas/%d/promote", w.Code, top), url.Values{"title": {strings.Repeat("A scenario from the room with a title as long as they come ", 3)[:150]}})
	org.post("/workshops/"+w.Code+"/ideas/close", nil)
	org.post("/workshops/"+w.Code+"/next", nil)
	ps = rateRoom(t, a.DB, w, ps, 1)
	check("open")
	for _, step := range []string{"close", "reveal", "next"} {
		org.post("/workshops/"+w.Code+"/"+step, nil)
	}
	rateRoom(t, a.DB, w, ps, 2)
	org.post("/workshops/"+w.Code+"/close", nil)
	org.post("/workshops/"+w.Code+"/reveal", nil)
	rs, err := a.DB.Rationales(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	featured := true
	for _, r := range rs {
		if r.Round == 2 {
			if _, err := a.DB.FlagRationale(ctx, w.Code, r.ID, nil, &featured); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("revealed")
	// Scenario 3, where the groups disagree, has each group's medians on
	// the matrix, joined to its point.
	if n, err := get(tabs[0].ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.matrix .group-mark").length`)); err != nil || n != 4 {
		t.Errorf("%d group marks on the matrix (%v), want the four groups of scenario 3", n, err)
	}
	org.post("/workshops/"+w.Code+"/finish", nil)
	for i, s := range w.Scenarios[:6] {
		occurred := i%2 == 0
		if _, err := a.DB.SetOutcome(ctx, w.Code, owner, workshop.Outcome{ScenarioID: s.ID, Occurred: &occurred}); err != nil {
			t.Fatal(err)
		}
	}
	check("finished")
	if t.Failed() {
		t.Log("screenshots in $FORESIGHT_SCREENSHOTS show each page")
	}
}
