package http_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// Expert groups (issue 14): set in the lobby through the settings form or
// the API, chosen on the join page, listed in the workshop JSON, counted
// apart in the results, shown where they disagree, carried by the exports.

// groupsForm is the settings form of the built-in workshop with groups.
func groupsForm(w *workshop.Workshop, groups string) url.Values {
	f := settingsForm(w.Title, "", "anonymous", "0", "after_reveal", "self")
	f.Set("groups", groups)
	return f
}

// apiGroups is the groups of the workshop JSON.
func apiGroups(t *testing.T, c *client, code string) []workshop.Group {
	t.Helper()
	var out struct {
		Groups []workshop.Group
	}
	r := c.get(t, apiPath(code, "")).want(t, http.StatusOK)
	r.wantContains(t, `"groups":`)
	r.decode(t, &out)
	return out.Groups
}

func storedWorkshop(t *testing.T, ts *testServer, code string) *workshop.Workshop {
	t.Helper()
	w, err := ts.db.WorkshopByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestGroupsSettings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, false)
	fac := ts.login(t, owner.Email)
	path := "/workshops/" + w.Code + "/settings"
	page := "/workshops/" + w.Code

	if got := apiGroups(t, fac, w.Code); got == nil || len(got) != 0 {
		t.Fatalf("groups of a workshop without them: %v, want []", got)
	}
	fac.get(t, page).want(t, http.StatusOK).wantContains(t, `<textarea id="groups" name="groups"`)

	fac.postForm(t, path, groupsForm(w, "military, diplomatic\r\nhumanitarian\r\n")).wantRedirect(t, page+"?done=settings")
	groups := apiGroups(t, fac, w.Code)
	if got := namesOfGroups(groups); !reflect.DeepEqual(got, []string{"military", "diplomatic", "humanitarian"}) || groups[0].ID == 0 {
		t.Fatalf("groups %+v, want military, diplomatic, humanitarian with IDs", groups)
	}
	fac.get(t, page).want(t, http.StatusOK).wantContains(t, ">military\ndiplomatic\nhumanitarian</textarea>",
		"owner@example.org: set the expert groups: military, diplomatic, humanitarian")

	t.Run("form refuses bad names and changes nothing", func(t *testing.T) {
		for _, typed := range []string{"alone", "military, Military", "a, b, c, d, e, f, g, h, i, j, k, l, m"} {
			form := groupsForm(w, typed)
			form.Set("title", "Not saved")
			fac.postForm(t, path, form).want(t, http.StatusUnprocessableEntity).
				wantContains(t, `aria-describedby="groups-error"`, ">"+typed+"</textarea>", `value="Not saved"`)
		}
		if got := storedWorkshop(t, ts, w.Code); got.Title == "Not saved" || len(got.Groups) != 3 {
			t.Fatalf("a refused form changed the workshop: %q, %+v", got.Title, got.Groups)
		}
	})

	t.Run("API", func(t *testing.T) {
		var out struct{ Groups []workshop.Group }
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": ["diplomatic", "military", "intelligence"]}`).want(t, http.StatusOK).decode(t, &out)
		if got := namesOfGroups(out.Groups); !reflect.DeepEqual(got, []string{"diplomatic", "military", "intelligence"}) ||
			out.Groups[0].ID != groups[1].ID || out.Groups[1].ID != groups[0].ID {
			t.Fatalf("groups %+v after the API, want diplomatic and military keeping IDs %d and %d", out.Groups, groups[1].ID, groups[0].ID)
		}
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": ["solo"]}`).wantAPIError(t, 422, "groups")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": "military"}`).wantAPIError(t, 422, "groups")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"title": "Kept groups"}`).want(t, http.StatusOK)
		if got := storedWorkshop(t, ts, w.Code); len(got.Groups) != 3 || got.Title != "Kept groups" {
			t.Fatalf("after a change without groups: %q %+v", got.Title, got.Groups)
		}
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": []}`).want(t, http.StatusOK)
		if got := apiGroups(t, fac, w.Code); len(got) != 0 {
			t.Fatalf("groups after [] : %+v", got)
		}
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": ["military", "diplomatic"]}`).want(t, http.StatusOK)
	})

	t.Run("outside the lobby", func(t *testing.T) {
		ts.step(t, w.Code, workshop.ActNextRound)
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": ["military", "intelligence"]}`).wantAPIError(t, 409, "groups")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": [], "title": "Not saved"}`).wantAPIError(t, 409, "groups")
		fac.putJSON(t, apiPath(w.Code, "/settings"), `{"groups": ["military", "diplomatic"], "title": "Same groups"}`).want(t, http.StatusOK)
		// The page shows the groups, and why they stay, without a box.
		fac.get(t, page).want(t, http.StatusOK).wantLacks(t, `name="groups"`).
			wantContains(t, "Groups can be changed only in the lobby", `<li dir="auto">military</li>`)
		fac.get(t, page, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Grupy można zmieniać tylko w poczekalni")
		// Its form, without groups, saves the rest.
		fac.postForm(t, path, settingsForm("Open now", "", "anonymous", "0", "live", "self")).wantRedirect(t, page+"?done=settings")
		// A form from before voting opened is refused on the groups alone.
		fac.postForm(t, path, groupsForm(w, "military, intelligence")).want(t, http.StatusConflict).
			wantContains(t, "Groups can be changed only in the lobby", "<li dir=\"auto\">diplomatic</li>")
		if got := storedWorkshop(t, ts, w.Code); got.Title != "Open now" || !reflect.DeepEqual(got.GroupNames(), []string{"military", "diplomatic"}) {
			t.Fatalf("stored %q %q, want the title of the form without groups and the groups unchanged", got.Title, got.GroupNames())
		}
	})
}

func namesOfGroups(groups []workshop.Group) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g.Name)
	}
	return out
}

func TestGroupsJoin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, false)
	other := ts.workshop(t, owner, false)
	plain := ts.workshop(t, owner, false)
	var err error
	if w, err = ts.db.SetGroups(context.Background(), w.Code, []string{"military", "diplomatic"}, owner); err != nil {
		t.Fatal(err)
	}
	if other, err = ts.db.SetGroups(context.Background(), other.Code, []string{"north", "south"}, owner); err != nil {
		t.Fatal(err)
	}
	mil, dip := w.Groups[0].ID, w.Groups[1].ID
	join := "/j/" + w.Code

	ts.client().get(t, join).want(t, http.StatusOK).wantContains(t, "Your group",
		fmt.Sprintf(`name="group" value="%d" required`, mil), fmt.Sprintf(`name="group" value="%d" required`, dip), ">diplomatic</span>")
	ts.client().get(t, join, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Twoja grupa")

	for _, tt := range []struct {
		name, group, lang, message string
	}{
		{"no group", "", "en", "Choose the group you belong to."},
		{"not a number", "military", "en", "Choose the group you belong to."},
		{"another workshop's group", fmt.Sprint(other.Groups[0].ID), "en", "Choose one of this workshop"},
		{"no group, in Polish", "", "pl", "Wybierz grupę, do której należysz."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client()
			c.postForm(t, join, url.Values{"group": {tt.group}}, "Accept-Language", tt.lang).want(t, http.StatusUnprocessableEntity).
				wantContains(t, tt.message, `<fieldset class="plain" aria-describedby="group-error">`, `id="group-error"`, `name="group"`).
				wantLacks(t, "checked")
			c.get(t, "/w/"+w.Code).wantRedirect(t, join) // not joined
		})
	}
	if n := ts.tally(t, w).Joined; n != 0 {
		t.Fatalf("%d joined after refusals, want 0", n)
	}

	c := ts.client()
	c.postForm(t, join, url.Values{"group": {fmt.Sprint(dip)}}).wantRedirect(t, "/w/"+w.Code)
	if got := ts.tally(t, w).JoinedByGroup; !reflect.DeepEqual(got, map[int64]int{dip: 1}) {
		t.Fatalf("joined by group %v, want diplomatic 1", got)
	}

	t.Run("a pseudonymous workshop keeps the group chosen while the name is refused", func(t *testing.T) {
		set := w.Settings()
		set.Anonymity = workshop.Pseudonymous
		if _, err := ts.db.UpdateSettings(context.Background(), w.Code, set, nil, workshop.User{}); err != nil {
			t.Fatal(err)
		}
		ts.client().postForm(t, join, url.Values{"group": {fmt.Sprint(mil)}, "display_name": {" "}}).want(t, http.StatusUnprocessableEntity).
			wantContains(t, fmt.Sprintf(`name="group" value="%d" required checked`, mil))
		ts.client().postForm(t, join, url.Values{"display_name": {"Ada"}}).want(t, http.StatusUnprocessableEntity).
			wantContains(t, `value="Ada"`, "Choose the group you belong to.")
	})

	t.Run("a workshop without groups ignores one", func(t *testing.T) {
		ts.client().get(t, "/j/"+plain.Code).want(t, http.StatusOK).wantLacks(t, `name="group"`)
		ts.client().postForm(t, "/j/"+plain.Code, url.Values{"group": {fmt.Sprint(mil)}}).wantRedirect(t, "/w/"+plain.Code)
		if tally := ts.tally(t, plain); tally.Joined != 1 || tally.JoinedByGroup != nil {
			t.Fatalf("plain workshop: %d joined, by group %v", tally.Joined, tally.JoinedByGroup)
		}
	})
}

// groupRoom is a workshop of the built-in deck with the groups military,
// diplomatic and humanitarian, and these ratings of the first scenario in
// round 1 (hand-computed below):
//
//	criterion 1: military 1 1 2, diplomatic 4 5 5, humanitarian 3 3, no group 3
//	criterion 2: military 3 3 4, diplomatic 3 4 4
//
// One participant joined before the groups were named: they have none.
// Voting is open.
func groupRoom(t *testing.T, ts *testServer, owner workshop.User) (w *workshop.Workshop, participants []*client) {
	t.Helper()
	w = ts.workshop(t, owner, false)
	early := ts.join(t, w.Code)
	w, err := ts.db.SetGroups(context.Background(), w.Code, []string{"military", "diplomatic", "humanitarian"}, owner)
	if err != nil {
		t.Fatal(err)
	}
	ts.step(t, w.Code, workshop.ActNextRound)
	s0, c0, c1 := w.Scenarios[0].ID, w.Criteria[0].ID, w.Criteria[1].ID
	for _, r := range []struct {
		group  int
		c0, c1 string
	}{{0, "1", "3"}, {0, "1", "3"}, {0, "2", "4"}, {1, "4", "3"}, {1, "5", "4"}, {1, "5", "4"}, {2, "3", ""}, {2, "3", ""}} {
		p := ts.client()
		p.postForm(t, "/j/"+w.Code, url.Values{"group": {fmt.Sprint(w.Groups[r.group].ID)}}).wantRedirect(t, "/w/"+w.Code)
		p.rate(t, w.Code, s0, c0, r.c0)
		if r.c1 != "" {
			p.rate(t, w.Code, s0, c1, r.c1)
		}
		participants = append(participants, p)
	}
	early.rate(t, w.Code, s0, c0, "3")
	return w, append(participants, early)
}

// apiGroupStat is an item's "groups" entry as a client reads it.
type apiGroupStat struct {
	GroupID        int64 `json:"group_id"`
	N              int64
	Median, Q1, Q3 *float64
}

func TestGroupsResults(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, _ := groupRoom(t, ts, owner)
	mil, dip, hum := w.Groups[0].ID, w.Groups[1].ID, w.Groups[2].ID
	s0, c0, c1 := w.Scenarios[0].ID, w.Criteria[0].ID, w.Criteria[1].ID
	fac := ts.login(t, owner.Email)

	type item struct {
		ScenarioID     int64 `json:"scenario_id"`
		CriterionID    int64 `json:"criterion_id"`
		N              int64
		Mean, Median   *float64
		Q1, Q3         *float64
		Histogram      map[string]int64
		Groups         []apiGroupStat
		GroupsDisagree *bool `json:"groups_disagree"`
	}
	type results struct {
		Group         *int64
		Joined, Rated int
		Items         []item
	}
	get := func(t *testing.T, query string) results {
		t.Helper()
		var res results
		r := fac.get(t, apiPath(w.Code, "/results"+query)).want(t, http.StatusOK)
		r.wantContains(t, `"group":`)
		r.decode(t, &res)
		return res
	}
	find := func(t *testing.T, res results, sid, cid int64) item {
		t.Helper()
		for _, it := range res.Items {
			if it.ScenarioID == sid && it.CriterionID == cid {
				return it
			}
		}
		t.Fatalf("no item %d-%d", sid, cid)
		return item{}
	}
	stat := func(g int64, n int64, median, q1, q3 float64) apiGroupStat {
		return apiGroupStat{GroupID: g, N: n, Median: &median, Q1: &q1, Q3: &q3}
	}

	t.Run("everyone", func(t *testing.T) {
		res := get(t, "")
		if res.Group != nil || res.Joined != 9 || res.Rated != 9 {
			t.Fatalf("group=%v joined=%d rated=%d, want null, 9, 9", res.Group, res.Joined, res.Rated)
		}
		// Military 1 1 2: median 1, Q1 1, Q3 1.5 (h = 0.5·2 = 1 → 1; 1.5 → 1 + 0.5·1).
		// Diplomatic 4 5 5: median 5, Q1 4.5, Q3 5. Humanitarian 3 3: n 2.
		// The medians lie 4 apart (≥ 1, a quarter of 1–5) and 1.5 < 4.5:
		// they disagree.
		one := find(t, res, s0, c0)
		if want := []apiGroupStat{stat(mil, 3, 1, 1, 1.5), stat(dip, 3, 5, 4.5, 5), stat(hum, 2, 3, 3, 3)}; !reflect.DeepEqual(one.Groups, want) {
			t.Fatalf("groups of item 1: %s, want %s", jsonOf(one.Groups), jsonOf(want))
		}
		if one.N != 9 || *one.Median != 3 || one.GroupsDisagree == nil || !*one.GroupsDisagree {
			t.Fatalf("item 1: n=%d median=%v disagree=%v, want 9, 3, true", one.N, *one.Median, one.GroupsDisagree)
		}
		// Military 3 3 4: median 3, Q1 3, Q3 3.5. Diplomatic 3 4 4: median
		// 4, Q1 3.5, Q3 4. A point apart, but the middle halves touch at
		// 3.5: no disagreement.
		two := find(t, res, s0, c1)
		if want := []apiGroupStat{stat(mil, 3, 3, 3, 3.5), stat(dip, 3, 4, 3.5, 4), {GroupID: hum}}; !reflect.DeepEqual(two.Groups, want) {
			t.Fatalf("groups of item 2: %s, want %s", jsonOf(two.Groups), jsonOf(want))
		}
		if two.GroupsDisagree == nil || *two.GroupsDisagree {
			t.Fatalf("item 2: disagree=%v, want false", two.GroupsDisagree)
		}
	})

	t.Run("one group", func(t *testing.T) {
		res := get(t, fmt.Sprintf("?group=%d", mil))
		if res.Group == nil || *res.Group != mil || res.Joined != 3 || res.Rated != 3 {
			t.Fatalf("group=%v joined=%d rated=%d, want %d, 3, 3", res.Group, res.Joined, res.Rated, mil)
		}
		one := find(t, res, s0, c0)
		if want := map[string]int64{"1": 2, "2": 1, "3": 0, "4": 0, "5": 0}; one.N != 3 || !reflect.DeepEqual(one.Histogram, want) ||
			math.Abs(*one.Mean-4.0/3) > 1e-12 || *one.Median != 1 || *one.Q1 != 1 || *one.Q3 != 1.5 {
			t.Fatalf("military on item 1: %s, want n 3, mean 4/3, median 1, Q1 1, Q3 1.5, histogram %v", jsonOf(one), want)
		}
		if hum := find(t, get(t, fmt.Sprintf("?group=%d&round=1", hum)), s0, c0); hum.N != 2 || *hum.Median != 3 {
			t.Fatalf("humanitarian on item 1: %s", jsonOf(hum))
		}
		// The group's numbers ride the one results shape: groups and
		// disagreement are the room's.
		if !*one.GroupsDisagree || len(one.Groups) != 3 {
			t.Fatalf("military's view of item 1: %s", jsonOf(one))
		}
	})

	t.Run("a group that is not the workshop's", func(t *testing.T) {
		other := ts.workshop(t, owner, false)
		other, err := ts.db.SetGroups(context.Background(), other.Code, []string{"a", "b"}, owner)
		if err != nil {
			t.Fatal(err)
		}
		fac.get(t, apiPath(w.Code, "/results?group=x")).wantAPIError(t, 422, "group")
		fac.get(t, apiPath(w.Code, "/results?group=0")).wantAPIError(t, 422, "group")
		fac.get(t, apiPath(w.Code, fmt.Sprintf("/results?group=%d", other.Groups[0].ID))).wantAPIError(t, 404, "group")
		fac.get(t, apiPath(other.Code, fmt.Sprintf("/results?group=%d", mil))).wantAPIError(t, 404, "group")
	})

	t.Run("a workshop without groups", func(t *testing.T) {
		plain := ts.workshop(t, owner, true)
		ts.join(t, plain.Code).rate(t, plain.Code, plain.Scenarios[0].ID, plain.Criteria[0].ID, "2")
		r := fac.get(t, apiPath(plain.Code, "/results")).want(t, http.StatusOK).wantContains(t, `"group":null`, `"groups":[],"groups_disagree":false`)
		r.wantLacks(t, `"groups_disagree":true`)
		fac.get(t, apiPath(plain.Code, "/results?group=1")).wantAPIError(t, 404, "group")
	})

	t.Run("pages show each group's median where they disagree", func(t *testing.T) {
		mark := "Groups disagree:"
		item1 := `<span dir="auto">military</span> 1`
		fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, mark, item1, `<span dir="auto">diplomatic</span> 5`,
			`<span dir="auto">military</span>: 3 joined`, `<span dir="auto">humanitarian</span>: 2 joined`)
		if n := strings.Count(fac.get(t, "/workshops/"+w.Code).body, mark); n != 1 {
			t.Fatalf("the facilitator's page marks %d items, want 1 (item 2 does not disagree)", n)
		}
		fac.get(t, "/workshops/"+w.Code, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Grupy się różnią:")
		// The projector shows the live medians only when results are live,
		// and the revealed round always.
		fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK).wantLacks(t, mark)
		set := storedWorkshop(t, ts, w.Code).Settings()
		set.Visibility = workshop.VisibleLive
		if _, err := ts.db.UpdateSettings(context.Background(), w.Code, set, nil, workshop.User{}); err != nil {
			t.Fatal(err)
		}
		fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK).wantContains(t, mark, item1)
		ts.step(t, w.Code, workshop.ActClose)
		ts.step(t, w.Code, workshop.ActReveal)
		fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK).wantContains(t, mark, item1)
		fac.get(t, "/workshops/"+w.Code+"/export/report").want(t, http.StatusOK).wantContains(t, `<tr class="groups-row">`, mark, item1,
			"each participant chose one of 3 groups (military, diplomatic, humanitarian)")
	})
}

func TestGroupsExports(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, ps := groupRoom(t, ts, owner)
	s0 := w.Scenarios[0].ID
	ps[0].putJSON(t, apiPath(w.Code, "/rationales"), fmt.Sprintf(`{"scenario_id": %d, "text": "From the barracks."}`, s0)).want(t, http.StatusOK)
	ps[len(ps)-1].putJSON(t, apiPath(w.Code, "/rationales"), fmt.Sprintf(`{"scenario_id": %d, "text": "From nowhere."}`, s0)).want(t, http.StatusOK)
	fac := ts.login(t, owner.Email)
	export := func(file string) string {
		return fac.get(t, "/workshops/"+w.Code+"/export/"+file).want(t, http.StatusOK).body
	}

	t.Run("ratings.csv", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(export("ratings.csv"), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if h := rows[0]; h[len(h)-1] != "group" {
			t.Fatalf("header %q, want group last", h)
		}
		count := map[string]int{}
		for _, row := range rows[1:] {
			count[row[len(row)-1]]++
		}
		// 8 + 5 ratings in groups, 1 without.
		if want := map[string]int{"military": 6, "diplomatic": 6, "humanitarian": 2, "": 1}; !reflect.DeepEqual(count, want) {
			t.Fatalf("ratings by group %v, want %v", count, want)
		}
	})

	t.Run("rationales.csv", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(export("rationales.csv"), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, row := range rows[1:] {
			got[row[5]] = row[len(row)-1]
		}
		if h := rows[0]; h[len(h)-1] != "group" || !reflect.DeepEqual(got, map[string]string{"From the barracks.": "military", "From nowhere.": ""}) {
			t.Fatalf("header %q, reasons by group %v", h, got)
		}
	})

	t.Run("workshop.json", func(t *testing.T) {
		var doc struct {
			Workshop struct{ Groups []workshop.Group }
			Rounds   []struct {
				Results struct {
					Group *int64
					Items []struct {
						Groups         []apiGroupStat
						GroupsDisagree bool `json:"groups_disagree"`
					}
				}
			}
			Ratings    []struct{ Group *string }
			Rationales []struct {
				Text  string
				Group *string
			}
		}
		if err := json.Unmarshal([]byte(export("workshop.json")), &doc); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(doc.Workshop.Groups, w.Groups) {
			t.Fatalf("workshop groups %+v, want %+v", doc.Workshop.Groups, w.Groups)
		}
		if r := doc.Rounds[0].Results; r.Group != nil || len(r.Items[0].Groups) != 3 || !r.Items[0].GroupsDisagree || r.Items[1].GroupsDisagree {
			t.Fatalf("round 1 results: %s", jsonOf(r))
		}
		count := map[string]int{}
		for _, r := range doc.Ratings {
			name := "null"
			if r.Group != nil {
				name = *r.Group
			}
			count[name]++
		}
		if want := map[string]int{"military": 6, "diplomatic": 6, "humanitarian": 2, "null": 1}; !reflect.DeepEqual(count, want) {
			t.Fatalf("ratings by group %v, want %v", count, want)
		}
		for _, r := range doc.Rationales {
			if (r.Text == "From nowhere.") != (r.Group == nil) {
				t.Fatalf("rationale %q has group %v", r.Text, r.Group)
			}
		}
	})
}
