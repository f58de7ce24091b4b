package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// apiIdeaOut is an idea of GET .../ideas, as either viewer sees it.
type apiIdeaOut struct {
	ID         int64   `json:"id"`
	Title      string  `json:"title"`
	Text       string  `json:"text"`
	ScenarioID *int64  `json:"scenario_id"`
	Votes      int     `json:"votes"`
	Mine       *bool   `json:"mine"`
	Voted      *bool   `json:"voted"`
	Author     *string `json:"author"`
	Hidden     *bool   `json:"hidden"`
	MergedInto *int64  `json:"merged_into"`
	Groups     []struct {
		GroupID int64 `json:"group_id"`
		Votes   int   `json:"votes"`
	} `json:"groups"`
}

// propose posts an idea and returns its id.
func (c *client) propose(t *testing.T, code, title string) int64 {
	t.Helper()
	var out struct{ ID, Seq int64 }
	c.postJSON(t, apiPath(code, "/ideas"), fmt.Sprintf(`{"title": %q}`, title)).want(t, http.StatusCreated).decode(t, &out)
	if out.ID == 0 || out.Seq == 0 {
		t.Fatalf("propose %q: %+v", title, out)
	}
	return out.ID
}

// vote votes (PUT) or takes a vote back (DELETE) and returns the answer.
func (c *client) vote(t *testing.T, code string, id int64, method string) *response {
	t.Helper()
	return c.do(t, method, apiPath(code, fmt.Sprintf("/ideas/%d/vote", id)), nil)
}

func (c *client) ideas(t *testing.T, code string) map[string]apiIdeaOut {
	t.Helper()
	var list []apiIdeaOut
	c.get(t, apiPath(code, "/ideas")).want(t, http.StatusOK).decode(t, &list)
	out := map[string]apiIdeaOut{}
	for _, i := range list {
		out[i.Title] = i
	}
	return out
}

// ideasRoom is a workshop in the lobby with ideas opened through the API,
// its facilitator's client and n participants.
func ideasRoom(t *testing.T, ts *testServer, n int) (*workshop.Workshop, *client, []*client) {
	t.Helper()
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, u, false)
	fac := ts.login(t, u.Email)
	var out struct {
		IdeasOpen bool `json:"ideas_open"`
		IdeaVotes int  `json:"idea_votes"`
	}
	fac.postJSON(t, apiPath(w.Code, "/ideas/open"), "").want(t, http.StatusOK).decode(t, &out)
	if !out.IdeasOpen || out.IdeaVotes != 3 {
		t.Fatalf("open ideas: %+v", out)
	}
	var ps []*client
	for range n {
		ps = append(ps, ts.join(t, w.Code))
	}
	return w, fac, ps
}

func TestAPIIdeasOpenClose(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 1)
	p := ps[0]
	// Only the owner and organisers open and close.
	p.postJSON(t, apiPath(w.Code, "/ideas/close"), "").want(t, http.StatusForbidden)
	ts.client().postJSON(t, apiPath(w.Code, "/ideas/close"), "").want(t, http.StatusUnauthorized)
	other := ts.user(t, "other@example.org", workshop.RoleFacilitator)
	ts.login(t, other.Email).postJSON(t, apiPath(w.Code, "/ideas/close"), "").want(t, http.StatusForbidden)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	ts.login(t, org.Email).postJSON(t, apiPath(w.Code, "/ideas/close"), "").want(t, http.StatusOK)
	// 409 while ideas are closed.
	p.postJSON(t, apiPath(w.Code, "/ideas"), `{"title": "late"}`).wantAPIError(t, http.StatusConflict, "")
	fac.postJSON(t, apiPath(w.Code, "/ideas/open"), "").want(t, http.StatusOK)
	id := p.propose(t, w.Code, "Drones")
	// Opening round 1 closes ideas; they do not open while voting is open.
	fac.postJSON(t, apiPath(w.Code, "/rounds"), "").want(t, http.StatusOK)
	p.vote(t, w.Code, id, http.MethodPut).wantAPIError(t, http.StatusConflict, "")
	fac.postJSON(t, apiPath(w.Code, "/ideas/open"), "").wantAPIError(t, http.StatusConflict, "")
	fac.postJSON(t, apiPath(w.Code, "/ideas/reopen"), "").want(t, http.StatusNotFound)
}

func TestAPIIdeaPost(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 2)
	p := ps[0]
	var out struct{ ID, Seq int64 }
	p.postJSON(t, apiPath(w.Code, "/ideas"), fmt.Sprintf(`{"title": "Cyber", "text": "The grid.", "scenario_id": %d}`, w.Scenarios[0].ID)).
		want(t, http.StatusCreated).decode(t, &out)
	if out.ID == 0 || out.Seq <= w.Seq {
		t.Fatalf("created %+v", out)
	}
	for _, c := range []struct{ body, field string }{
		{`{"title": ""}`, "title"},
		{`{"title": "   "}`, "title"},
		{`{"text": "no title"}`, "title"},
		{`{"title": "` + strings.Repeat("x", 121) + `"}`, "title"},
		{`{"title": "ok", "text": "` + strings.Repeat("x", 1001) + `"}`, "text"},
		{`{"title": "ok", "scenario_id": 999999}`, "scenario_id"},
		{`{"title": "ok", "scenario_id": 0}`, "scenario_id"},
		{`{"title": 5}`, "title"},
		{`{"title": "ok", "colour": "red"}`, "colour"},
	} {
		p.postJSON(t, apiPath(w.Code, "/ideas"), c.body).wantAPIError(t, http.StatusUnprocessableEntity, c.field)
	}
	p.postJSON(t, apiPath(w.Code, "/ideas"), `{"title": `).want(t, http.StatusBadRequest)
	// A scenario of another workshop is unknown here.
	w2 := ts.workshop(t, workshop.User{ID: w.OwnerID}, false)
	p.postJSON(t, apiPath(w.Code, "/ideas"), fmt.Sprintf(`{"title": "ok", "scenario_id": %d}`, w2.Scenarios[0].ID)).
		wantAPIError(t, http.StatusUnprocessableEntity, "scenario_id")
	// Only participants propose.
	fac.postJSON(t, apiPath(w.Code, "/ideas"), `{"title": "mine"}`).want(t, http.StatusForbidden)
	ts.client().postJSON(t, apiPath(w.Code, "/ideas"), `{"title": "mine"}`).want(t, http.StatusUnauthorized)
	// 20 each; the 21st is 429.
	for n := 2; n <= workshop.MaxIdeasPerParticipant; n++ {
		p.propose(t, w.Code, fmt.Sprintf("idea %d", n))
	}
	p.postJSON(t, apiPath(w.Code, "/ideas"), `{"title": "21"}`).wantAPIError(t, http.StatusTooManyRequests, "")
	ps[1].propose(t, w.Code, "someone else's")
}

func TestAPIVotes(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 2)
	p, q := ps[0], ps[1]
	var ids []int64
	for n := range 4 {
		ids = append(ids, q.propose(t, w.Code, fmt.Sprintf("idea %d", n)))
	}
	var v struct {
		Seq       int64 `json:"seq"`
		VotesLeft int   `json:"votes_left"`
	}
	for n, id := range ids[:3] {
		p.vote(t, w.Code, id, http.MethodPut).want(t, http.StatusOK).decode(t, &v)
		if v.VotesLeft != 2-n || v.Seq == 0 {
			t.Fatalf("vote %d: %+v", n, v)
		}
	}
	p.vote(t, w.Code, ids[3], http.MethodPut).wantAPIError(t, http.StatusConflict, "")
	p.vote(t, w.Code, ids[0], http.MethodDelete).want(t, http.StatusOK).decode(t, &v)
	if v.VotesLeft != 1 {
		t.Fatalf("after taking back: %+v", v)
	}
	p.vote(t, w.Code, ids[3], http.MethodPut).want(t, http.StatusOK)
	// Unknown ideas, and ideas of another workshop.
	p.vote(t, w.Code, 999999, http.MethodPut).want(t, http.StatusNotFound)
	p.do(t, http.MethodPut, apiPath(w.Code, "/ideas/x/vote"), nil).want(t, http.StatusNotFound)
	fac.vote(t, w.Code, ids[0], http.MethodPut).want(t, http.StatusForbidden)
	// What a participant sees.
	got := p.ideas(t, w.Code)
	if i := got["idea 3"]; i.Votes != 1 || !*i.Voted || *i.Mine || i.Author != nil || i.Hidden != nil {
		t.Fatalf("p sees %+v", i)
	}
	if i := q.ideas(t, w.Code)["idea 3"]; !*i.Mine || *i.Voted {
		t.Fatalf("q sees %+v", i)
	}
}

// No participant ever exceeds their votes, whatever the requests that race.
func TestAPIVoteLimitUnderConcurrency(t *testing.T) {
	ts := newTestServer(t)
	w, _, ps := ideasRoom(t, ts, 4)
	var ids []int64
	for n := range 6 {
		ids = append(ids, ps[n%2].propose(t, w.Code, fmt.Sprintf("idea %d", n)))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := map[int]int{}
	for k, p := range ps {
		for _, id := range ids {
			for _, method := range []string{http.MethodPut, http.MethodPut, http.MethodDelete, http.MethodPut} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res := p.vote(t, w.Code, id, method)
					switch res.status {
					case http.StatusOK:
						var v struct {
							VotesLeft int `json:"votes_left"`
						}
						res.decode(t, &v)
						if v.VotesLeft < 0 || v.VotesLeft > 3 {
							t.Errorf("votes left %d", v.VotesLeft)
						}
						mu.Lock()
						accepted[k]++
						mu.Unlock()
					case http.StatusConflict:
					default:
						t.Errorf("%s: %d %s", res.req, res.status, res.body)
					}
				}()
			}
		}
	}
	wg.Wait()
	total := 0
	for k, p := range ps {
		voted := 0
		for _, i := range p.ideas(t, w.Code) {
			if *i.Voted {
				voted++
			}
		}
		if voted > 3 {
			t.Fatalf("participant %d voted for %d ideas, more than 3", k, voted)
		}
	}
	for _, i := range ps[0].ideas(t, w.Code) {
		total += i.Votes
	}
	if total > 3*len(ps) {
		t.Fatalf("%d votes in all, more than %d", total, 3*len(ps))
	}
}

// Merging joins the votes: a participant who voted for both counts once.
func TestAPIMergeArithmetic(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 4)
	a := ps[0].propose(t, w.Code, "A")
	b := ps[1].propose(t, w.Code, "B")
	c := ps[2].propose(t, w.Code, "C")
	// A: p0 p1 p2; B: p2 p3; C: p3.
	for _, v := range []struct {
		p  int
		id int64
	}{{0, a}, {1, a}, {2, a}, {2, b}, {3, b}, {3, c}} {
		ps[v.p].vote(t, w.Code, v.id, http.MethodPut).want(t, http.StatusOK)
	}
	merge := func(id, into int64) *response {
		return fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/merge", id)), fmt.Sprintf(`{"into": %d}`, into))
	}
	ps[0].postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/merge", b)), fmt.Sprintf(`{"into": %d}`, a)).want(t, http.StatusForbidden)
	merge(b, a).want(t, http.StatusOK)
	owner := fac.ideas(t, w.Code)
	if owner["A"].Votes != 4 || owner["B"].Votes != 0 || *owner["B"].MergedInto != a || owner["C"].Votes != 1 {
		t.Fatalf("after merging B into A: A %d, B %d (into %v), C %d; want 4, 0 (into %d), 1",
			owner["A"].Votes, owner["B"].Votes, owner["B"].MergedInto, owner["C"].Votes, a)
	}
	// Participants no longer see B; p2's second vote is theirs again.
	if _, ok := ps[2].ideas(t, w.Code)["B"]; ok {
		t.Fatal("participants see a merged idea")
	}
	var v struct {
		VotesLeft int `json:"votes_left"`
	}
	ps[2].vote(t, w.Code, c, http.MethodPut).want(t, http.StatusOK).decode(t, &v)
	if v.VotesLeft != 1 {
		t.Fatalf("p2 has %d votes left after voting for C, want 1", v.VotesLeft)
	}
	merge(c, c).wantAPIError(t, http.StatusUnprocessableEntity, "into")
	merge(c, b).wantAPIError(t, http.StatusUnprocessableEntity, "into")
	merge(c, 999999).wantAPIError(t, http.StatusUnprocessableEntity, "into")
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/merge", c)), `{}`).wantAPIError(t, http.StatusUnprocessableEntity, "into")
	merge(b, c).wantAPIError(t, http.StatusConflict, "")
	merge(999999, c).want(t, http.StatusNotFound)
	// A into C: p0 p1 p2 p3 on A, p2 p3 on C: four voters.
	merge(a, c).want(t, http.StatusOK)
	if got := fac.ideas(t, w.Code)["C"].Votes; got != 4 {
		t.Fatalf("C has %d votes, want 4", got)
	}
}

func TestAPIIdeasOwnerView(t *testing.T) {
	ts := newTestServer(t)
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, u, false)
	ctx := context.Background()
	w, err := ts.db.SetGroups(ctx, w.Code, []string{"Military", "Diplomatic"}, u)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, u.Email)
	fac.postJSON(t, apiPath(w.Code, "/ideas/open"), "").want(t, http.StatusOK)
	var ps []*client
	for k := range 3 {
		c := ts.client()
		c.postForm(t, "/j/"+w.Code, url.Values{"group": {strconv.FormatInt(w.Groups[k%2].ID, 10)}}).wantRedirect(t, "/w/"+w.Code)
		ps = append(ps, c)
	}
	a := ps[0].propose(t, w.Code, "A")
	hidden := ps[1].propose(t, w.Code, "rude")
	for _, p := range ps {
		p.vote(t, w.Code, a, http.MethodPut).want(t, http.StatusOK)
	}
	ps[0].postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/hide", hidden)), "").want(t, http.StatusForbidden)
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/hide", hidden)), "").want(t, http.StatusOK)
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/flag", hidden)), "").want(t, http.StatusNotFound)
	owner := fac.ideas(t, w.Code)
	i := owner["A"]
	if i.Author == nil || *i.Author == "" || *i.Hidden || i.MergedInto != nil || len(i.Groups) != 2 ||
		i.Groups[0].GroupID != w.Groups[0].ID || i.Groups[0].Votes != 2 || i.Groups[1].Votes != 1 || i.Votes != 3 {
		t.Fatalf("owner sees %+v", i)
	}
	if !*owner["rude"].Hidden {
		t.Fatal("the owner does not see the hidden idea as hidden")
	}
	if _, ok := ps[1].ideas(t, w.Code)["rude"]; ok {
		t.Fatal("participants see a hidden idea")
	}
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/unhide", hidden)), "").want(t, http.StatusOK)
	if _, ok := ps[1].ideas(t, w.Code)["rude"]; !ok {
		t.Fatal("participants do not see an idea shown again")
	}
	// Strangers see nothing.
	ts.client().get(t, apiPath(w.Code, "/ideas")).want(t, http.StatusUnauthorized)
}

func TestAPIIdeaPromote(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 2)
	id := ps[0].propose(t, w.Code, "Cyber attack")
	ps[0].vote(t, w.Code, id, http.MethodPut).want(t, http.StatusOK)
	ps[1].vote(t, w.Code, id, http.MethodPut).want(t, http.StatusOK)
	path := apiPath(w.Code, fmt.Sprintf("/ideas/%d/promote", id))
	ps[0].postJSON(t, path, `{"title": "x"}`).want(t, http.StatusForbidden)
	fac.postJSON(t, path, `{"narrative": "no title"}`).wantAPIError(t, http.StatusUnprocessableEntity, "title")
	fac.postJSON(t, path, `{"title": "`+strings.Repeat("x", 201)+`"}`).wantAPIError(t, http.StatusUnprocessableEntity, "title")
	var out struct {
		ScenarioID int64 `json:"scenario_id"`
	}
	fac.postJSON(t, path, `{"title": "A cyber attack on the grid", "narrative": "Edited by the facilitator."}`).want(t, http.StatusCreated).decode(t, &out)
	fac.postJSON(t, path, `{"title": "again"}`).wantAPIError(t, http.StatusConflict, "")
	fac.postJSON(t, apiPath(w.Code, "/ideas/999999/promote"), `{"title": "x"}`).want(t, http.StatusNotFound)
	// The workshop lists it, from the room, with its idea and source.
	var aw struct {
		Scenarios []struct {
			ID         int64   `json:"id"`
			Title      string  `json:"title"`
			Origin     string  `json:"origin"`
			IdeaID     *int64  `json:"idea_id"`
			ProposedBy *string `json:"proposed_by"`
			Votes      *int    `json:"votes"`
		} `json:"scenarios"`
	}
	ps[1].get(t, apiPath(w.Code, "")).want(t, http.StatusOK).decode(t, &aw)
	last := aw.Scenarios[len(aw.Scenarios)-1]
	if len(aw.Scenarios) != len(w.Scenarios)+1 || last.ID != out.ScenarioID || last.Origin != "room" || last.IdeaID == nil || *last.IdeaID != id ||
		last.Title != "A cyber attack on the grid" || last.ProposedBy == nil || *last.Votes != 2 || aw.Scenarios[0].Origin != "deck" || aw.Scenarios[0].IdeaID != nil {
		t.Fatalf("workshop scenarios %+v", aw.Scenarios)
	}
	// Rated in round 1 like the deck's.
	fac.postJSON(t, apiPath(w.Code, "/rounds"), "").want(t, http.StatusOK)
	ps[1].rate(t, w.Code, out.ScenarioID, w.Criteria[0].ID, "4")
	fac.postJSON(t, apiPath(w.Code, "/rounds/1/close"), "").want(t, http.StatusOK)
	if res := fac.results(t, w.Code); res.item(t, out.ScenarioID, w.Criteria[0].ID).N != 1 {
		t.Fatal("the scenario from the room has no result")
	}
	// Between rounds, a promotion is listed from the next round.
	id2 := ps[0].propose2(t, ts, w, "Later")
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/promote", id2)), `{"title": "Later"}`).wantAPIError(t, http.StatusConflict, "")
	fac.postJSON(t, apiPath(w.Code, "/rounds/1/reveal"), "").want(t, http.StatusOK)
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/promote", id2)), `{"title": "Later"}`).want(t, http.StatusCreated)
	ps[1].get(t, apiPath(w.Code, "")).want(t, http.StatusOK).decode(t, &aw)
	if len(aw.Scenarios) != len(w.Scenarios)+1 {
		t.Fatalf("round 1 lists %d scenarios, want %d", len(aw.Scenarios), len(w.Scenarios)+1)
	}
	fac.postJSON(t, apiPath(w.Code, "/rounds"), "").want(t, http.StatusOK)
	ps[1].get(t, apiPath(w.Code, "")).want(t, http.StatusOK).decode(t, &aw)
	if len(aw.Scenarios) != len(w.Scenarios)+2 {
		t.Fatalf("round 2 lists %d scenarios, want %d", len(aw.Scenarios), len(w.Scenarios)+2)
	}
}

// propose2 proposes an idea between rounds: ideas open, the idea, ideas
// closed again, through the store.
func (c *client) propose2(t *testing.T, ts *testServer, w *workshop.Workshop, title string) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.db.SetIdeasOpen(ctx, w.Code, true); err != nil {
		t.Fatal(err)
	}
	id := c.propose(t, w.Code, title)
	if _, err := ts.db.SetIdeasOpen(ctx, w.Code, false); err != nil {
		t.Fatal(err)
	}
	return id
}

// The pages work without JavaScript: a form to propose, a form per idea to
// vote, and the facilitator's forms; a problem shows what was typed.
func TestIdeasPagesWithoutJavaScript(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 2)
	p := ps[0]
	page := "/w/" + w.Code + "/ideas"
	p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, page)
	p.get(t, page).want(t, http.StatusOK).wantContains(t, "What are we missing?", `name="title"`, "You have <strong>3</strong> votes left.")
	// A problem keeps what was typed.
	p.postForm(t, page, url.Values{"title": {strings.Repeat("x", 121)}, "text": {"Kept <b>as typed</b>"}}).
		want(t, http.StatusUnprocessableEntity).wantContains(t, "at most 120 characters", "Kept &lt;b&gt;as typed&lt;/b&gt;", `href="#title"`)
	p.postForm(t, page, url.Values{"title": {"Floods"}, "scenario_id": {"x"}}).
		want(t, http.StatusUnprocessableEntity).wantContains(t, "no such scenario", `value="Floods"`)
	p.postForm(t, page, url.Values{"title": {"Floods"}, "text": {"Rivers rise."}, "scenario_id": {strconv.FormatInt(w.Scenarios[0].ID, 10)}}).
		wantRedirect(t, page+"?done=proposed")
	id := p.ideas(t, w.Code)["Floods"].ID
	vote := fmt.Sprintf("/w/%s/ideas/%d/vote", w.Code, id)
	ps[1].postForm(t, vote, url.Values{"vote": {"on"}}).wantRedirect(t, fmt.Sprintf("%s?done=voted#idea-%d", page, id))
	ps[1].get(t, page).want(t, http.StatusOK).wantContains(t, "Take back my vote", "You have <strong>2</strong> votes left.", "<strong>1</strong> vote")
	ps[1].postForm(t, vote, url.Values{"vote": {"off"}}).want(t, http.StatusSeeOther)
	if n := fac.ideas(t, w.Code)["Floods"].Votes; n != 0 {
		t.Fatalf("%d votes after taking it back", n)
	}
	// The facilitator's pages.
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "Ideas from the room", "Close ideas")
	fac.get(t, "/workshops/"+w.Code+"/ideas").want(t, http.StatusOK).wantContains(t, "Floods", "Rivers rise.", "Proposed by P-")
	fac.postForm(t, fmt.Sprintf("/workshops/%s/ideas/%d/hide", w.Code, id), nil).wantRedirect(t, "/workshops/"+w.Code+"/ideas?done=idea")
	p.get(t, page).want(t, http.StatusOK)
	if _, ok := p.ideas(t, w.Code)["Floods"]; ok {
		t.Fatal("a hidden idea is shown")
	}
	fac.postForm(t, fmt.Sprintf("/workshops/%s/ideas/%d/unhide", w.Code, id), nil).want(t, http.StatusSeeOther)
	ideaPage := fmt.Sprintf("/workshops/%s/ideas/%d", w.Code, id)
	fac.get(t, ideaPage).want(t, http.StatusOK).wantContains(t, `value="Floods"`, "Rivers rise.")
	fac.postForm(t, ideaPage+"/promote", url.Values{"title": {""}, "narrative": {"Kept."}}).
		want(t, http.StatusUnprocessableEntity).wantContains(t, "Give the scenario a title.", "Kept.")
	fac.postForm(t, ideaPage+"/merge", url.Values{"into": {"nothing"}}).want(t, http.StatusUnprocessableEntity).wantContains(t, "no such idea")
	// With no other idea there is no merge form: the refusal is said once.
	if r := fac.postForm(t, ideaPage+"/merge", url.Values{"into": {strconv.FormatInt(id, 10)}}).want(t, http.StatusUnprocessableEntity); strings.Count(r.body, "cannot be merged into itself") != 1 {
		t.Fatalf("merge into itself: the message %d times, want once", strings.Count(r.body, "cannot be merged into itself"))
	}
	fac.postForm(t, ideaPage+"/promote", url.Values{"title": {"Rivers flood the valley"}, "narrative": {"Rivers rise."}}).
		wantRedirect(t, "/workshops/"+w.Code+"/ideas?done=promoted")
	// From the room, on the participants' page; the deck offered anew.
	fac.postForm(t, "/workshops/"+w.Code+"/ideas/close", nil).want(t, http.StatusSeeOther)
	p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Rivers flood the valley", "From the room", "Proposed by P-", "0 votes")
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "Save the scenarios as a new deck")
	r := fac.postForm(t, "/workshops/"+w.Code+"/deck", nil).want(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/decks/") {
		t.Fatalf("save as a new deck: Location %q", loc)
	}
	d, err := ts.db.DeckBySlug(context.Background(), strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/decks/"), "/edit"))
	if err != nil || len(d.Scenarios) != len(w.Scenarios)+1 || d.Scenarios[len(w.Scenarios)].Title.In("en") != "Rivers flood the valley" {
		t.Fatalf("the new deck: %v %+v", err, d.Scenarios)
	}
	// Ideas closed: no form, no buttons.
	p.get(t, page).want(t, http.StatusOK).wantContains(t, "Ideas are closed")
	p.postForm(t, page, url.Values{"title": {"Late"}}).want(t, http.StatusConflict).wantContains(t, "Ideas are closed", `value="Late"`)
}

// The projector, the facilitator's list and the phones follow the ideas
// live, through the store's events and the hub, as they follow ratings.
func TestIdeasLive(t *testing.T) {
	ts := newTestServer(t)
	w, fac, ps := ideasRoom(t, ts, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	open := func(c *client, path string) <-chan sseEvent {
		res := c.send(t, ctx, http.MethodGet, path, nil)
		t.Cleanup(func() { res.Body.Close() })
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return readEvents(ctx, res.Body)
	}
	projector := open(fac, "/workshops/"+w.Code+"/projector/events")
	list := open(fac, "/workshops/"+w.Code+"/ideas/events")
	phone := open(ps[1], "/w/"+w.Code+"/events")
	// until waits for an event of name whose data holds want.
	until := func(events <-chan sseEvent, name, want string) {
		t.Helper()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("the stream ended before %s held %q", name, want)
				}
				if ev.name != name && ev.name != "state" && ev.name != "group" && ev.name != "projector" && ev.name != "ideas" {
					t.Fatalf("an event %q: %q", ev.name, ev.data)
				}
				if ev.name == name && strings.Contains(ev.data, want) {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %s event with %q", name, want)
			}
		}
	}
	until(projector, "projector", "What are we missing?")
	// A title that would be fields of its own in a stream stays one line of HTML.
	var out struct{ ID int64 }
	ps[0].postJSON(t, apiPath(w.Code, "/ideas"), `{"title": "Drones</li><script>", "text": "Cheap.\n\nevent: injected\ndata: <b>"}`).
		want(t, http.StatusCreated).decode(t, &out)
	id := out.ID
	start := time.Now()
	until(projector, "projector", "Drones&lt;/li&gt;&lt;script&gt;")
	until(list, "ideas", "Cheap.\n\nevent: injected\ndata: &lt;b&gt;")
	until(phone, "ideas", "")
	ps[1].vote(t, w.Code, id, http.MethodPut).want(t, http.StatusOK)
	until(projector, "projector", "<strong>1</strong> vote")
	until(list, "ideas", `<td class="num">1</td>`)
	until(phone, "ideas", "")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the views followed in %v", d)
	}
	// Closing the phase gives the projector back to the state of the workshop.
	fac.postJSON(t, apiPath(w.Code, "/ideas/close"), "").want(t, http.StatusOK)
	until(projector, "projector", "state-lobby")
}

// The exports and the report carry the ideas and mark the scenario from the
// room with its source.
func TestIdeasExports(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, u, false)
	w, err := ts.db.SetGroups(ctx, w.Code, []string{"Military", "Diplomatic"}, u)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, u.Email)
	fac.postJSON(t, apiPath(w.Code, "/ideas/open"), "").want(t, http.StatusOK)
	var ps []*client
	for k := range 3 {
		c := ts.client()
		c.postForm(t, "/j/"+w.Code, url.Values{"group": {strconv.FormatInt(w.Groups[k%2].ID, 10)}}).wantRedirect(t, "/w/"+w.Code)
		ps = append(ps, c)
	}
	a := ps[0].propose(t, w.Code, "=Cyber attack")
	b := ps[1].propose(t, w.Code, "Grid down")
	for _, p := range ps {
		p.vote(t, w.Code, a, http.MethodPut).want(t, http.StatusOK)
	}
	ps[2].vote(t, w.Code, b, http.MethodPut).want(t, http.StatusOK)
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/merge", b)), fmt.Sprintf(`{"into": %d}`, a)).want(t, http.StatusOK)
	var out struct {
		ScenarioID int64 `json:"scenario_id"`
	}
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/ideas/%d/promote", a)), `{"title": "A cyber attack on the grid", "narrative": "Lights out."}`).
		want(t, http.StatusCreated).decode(t, &out)
	fac.postJSON(t, apiPath(w.Code, "/rounds"), "").want(t, http.StatusOK)
	ps[1].rate(t, w.Code, out.ScenarioID, w.Criteria[0].ID, "4")
	ex := "/workshops/" + w.Code + "/export/"

	csv := fac.get(t, ex+"ideas.csv").want(t, http.StatusOK).wantContentType(t, "text/csv").body
	lines := strings.Split(strings.TrimPrefix(strings.TrimSpace(csv), "\ufeff"), "\r\n")
	if len(lines) != 3 || lines[0] != "workshop_code,idea_id,title,text,author,votes,votes: Military,votes: Diplomatic,hidden,merged_into,promoted_as,scenario_id,created_at" {
		t.Fatalf("ideas.csv:\n%s", csv)
	}
	// The formula is neutralised; three voters, two of Military's.
	if !strings.Contains(lines[1], fmt.Sprintf(`,'=Cyber attack,,P-`)) || !strings.Contains(lines[1], fmt.Sprintf(",3,2,1,false,,%d,,", out.ScenarioID)) {
		t.Fatalf("ideas.csv row %q", lines[1])
	}
	if !strings.Contains(lines[2], fmt.Sprintf(",Grid down,,P-")) || !strings.Contains(lines[2], fmt.Sprintf(",0,0,0,false,%d,,,", a)) {
		t.Fatalf("ideas.csv row %q", lines[2])
	}

	var doc struct {
		Deck struct {
			Scenarios []struct {
				ID         int64   `json:"id"`
				Origin     string  `json:"origin"`
				IdeaID     *int64  `json:"idea_id"`
				FromRound  int     `json:"from_round"`
				ProposedBy *string `json:"proposed_by"`
				IdeaVotes  *int    `json:"idea_votes"`
			} `json:"scenarios"`
		} `json:"deck"`
		Ideas []struct {
			ID         int64   `json:"id"`
			Title      string  `json:"title"`
			Author     *string `json:"author"`
			Votes      int     `json:"votes"`
			MergedInto *int64  `json:"merged_into"`
			PromotedAs *int64  `json:"promoted_as"`
			Groups     []struct {
				GroupID int64 `json:"group_id"`
				Votes   int   `json:"votes"`
			} `json:"groups"`
		} `json:"ideas"`
	}
	fac.get(t, ex+"workshop.json").want(t, http.StatusOK).decode(t, &doc)
	last := doc.Deck.Scenarios[len(doc.Deck.Scenarios)-1]
	if last.ID != out.ScenarioID || last.Origin != "room" || *last.IdeaID != a || last.FromRound != 1 || last.ProposedBy == nil || *last.IdeaVotes != 3 ||
		doc.Deck.Scenarios[0].Origin != "deck" || doc.Deck.Scenarios[0].IdeaID != nil {
		t.Fatalf("workshop.json scenarios %+v", doc.Deck.Scenarios)
	}
	if len(doc.Ideas) != 2 || doc.Ideas[0].Votes != 3 || *doc.Ideas[0].PromotedAs != out.ScenarioID || len(doc.Ideas[0].Groups) != 2 ||
		doc.Ideas[0].Groups[0].Votes != 2 || *doc.Ideas[1].MergedInto != a {
		t.Fatalf("workshop.json ideas %+v", doc.Ideas)
	}
	fac.get(t, ex+"workshop.xlsx").want(t, http.StatusOK)
	fac.get(t, ex+"report").want(t, http.StatusOK).
		wantContains(t, "Ideas from the room", "=Cyber attack", "Became scenario 11", "A cyber attack on the grid", "From the room", "Proposed by P-")
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "A cyber attack on the grid", "From the room")
}
