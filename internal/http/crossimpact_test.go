package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// somewherelandJSON is the ScenarioWizard manual's exercise (chapter 2) as
// the evaluate API takes it; each row lists a variant's impacts on the
// variants of the other descriptors, in the order A1 … F3.
func somewherelandJSON(t *testing.T, scenario ...string) string {
	t.Helper()
	descs := []workshop.CIBDescriptor{
		{ID: "A", Variants: []string{"A1", "A2", "A3"}}, {ID: "B", Variants: []string{"B1", "B2", "B3"}},
		{ID: "C", Variants: []string{"C1", "C2", "C3"}}, {ID: "D", Variants: []string{"D1", "D2"}},
		{ID: "E", Variants: []string{"E1", "E2", "E3"}}, {ID: "F", Variants: []string{"F1", "F2", "F3"}},
	}
	rows := map[string]string{
		"A1": "-2 1 1 0 0 0 0 0 -2 1 1 0 0 0", "A2": "2 1 -3 -2 -1 3 -2 2 0 0 0 2 -1 -1", "A3": "0 0 0 0 2 -2 3 -3 2 -1 -1 -2 2 0",
		"B1": "0 0 0 -2 1 1 0 0 0 0 0 0 0 0", "B2": "0 0 0 0 1 -1 0 0 1 0 -1 0 0 0", "B3": "3 -1 -2 3 0 -3 0 0 3 -1 -2 -2 1 1",
		"C1": "2 1 -3 0 0 0 -2 2 -3 1 2 0 0 0", "C2": "-1 2 -1 0 0 0 0 0 0 0 0 0 0 0", "C3": "0 0 0 0 0 0 -2 2 3 -1 -2 0 0 0",
		"D1": "0 0 0 0 0 0 0 0 0 3 -1 -2 -2 1 1", "D2": "0 -3 3 0 0 0 0 0 0 -3 1 2 2 -1 -1",
		"E1": "0 0 0 0 0 0 -2 -1 3 0 0 2 -1 -1", "E2": "0 0 0 -1 0 1 1 1 -2 0 0 -1 0 1", "E3": "2 -1 -1 -3 1 2 3 0 -3 0 0 -2 -1 3",
		"F1": "0 3 -3 0 0 0 -3 0 3 -3 3 -2 1 1", "F2": "1 -2 1 0 0 0 -1 2 -1 2 -2 2 -1 -1", "F3": "0 0 0 0 0 0 -1 2 -1 1 -1 2 -1 -1",
	}
	var impacts []workshop.CIBImpact
	for _, d := range descs {
		for _, from := range d.Variants {
			var cols []string
			for _, other := range descs {
				if other.ID != d.ID {
					cols = append(cols, other.Variants...)
				}
			}
			for i, f := range strings.Fields(rows[from]) {
				n, _ := strconv.Atoi(f)
				impacts = append(impacts, workshop.CIBImpact{From: from, To: cols[i], Score: float64(n)})
			}
		}
	}
	body := map[string]any{"descriptors": descs, "impacts": impacts}
	if scenario != nil {
		body["scenario"] = scenario
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type cibScenarioJSON struct {
	Variants         []string `json:"variants"`
	Inconsistency    float64  `json:"inconsistency"`
	TotalImpactScore float64  `json:"total_impact_score"`
}

type cibEvaluation struct {
	Consistent       []cibScenarioJSON  `json:"consistent"`
	Near             []cibScenarioJSON  `json:"near"`
	ConsistentCount  int                `json:"consistent_count"`
	Complete         *bool              `json:"complete"`
	Combinations     int                `json:"combinations"`
	Balances         map[string]float64 `json:"balances"`
	Inconsistency    *float64           `json:"inconsistency"`
	TotalImpactScore *float64           `json:"total_impact_score"`
}

// TestCrossImpactEvaluateAPI evaluates Somewhereland through the API: the
// manual's balances of [A2 B1 C3 D1 E1 F1], and its consistent scenarios.
func TestCrossImpactEvaluateAPI(t *testing.T) {
	ts := newTestServer(t)
	ts.user(t, "analyst@example.org", workshop.RoleFacilitator)
	c := ts.login(t, "analyst@example.org")
	const path = "/api/v1/crossimpact/evaluate"

	var ev cibEvaluation
	c.postJSON(t, path, somewherelandJSON(t, "A2", "B1", "C3", "D1", "E1", "F1")).want(t, http.StatusOK).decode(t, &ev)
	want := map[string]float64{"A1": 0, "A2": 3, "A3": -3, "B1": 2, "B2": 1, "B3": -3, "C1": -9, "C2": -1, "C3": 10,
		"D1": -7, "D2": 7, "E1": 4, "E2": -1, "E3": -3, "F1": 2, "F2": -1, "F3": -1}
	if len(ev.Balances) != len(want) {
		t.Errorf("balances of %d variants, want %d", len(ev.Balances), len(want))
	}
	for v, b := range want {
		if got, ok := ev.Balances[v]; !ok || got != b {
			t.Errorf("balance of %s = %v, want %v", v, got, b)
		}
	}
	if ev.Inconsistency == nil || *ev.Inconsistency != 14 || ev.TotalImpactScore == nil || *ev.TotalImpactScore != 14 {
		t.Errorf("inconsistency %v, total impact score %v: want 14 and 14", ev.Inconsistency, ev.TotalImpactScore)
	}
	if ev.Complete == nil || !*ev.Complete || ev.Combinations != 486 || len(ev.Consistent) == 0 || ev.ConsistentCount != len(ev.Consistent) {
		t.Fatalf("complete %v, %d combinations, %d consistent listed of %d", ev.Complete, ev.Combinations, len(ev.Consistent), ev.ConsistentCount)
	}
	for i, s := range ev.Consistent {
		if s.Inconsistency != 0 || len(s.Variants) != 6 || i > 0 && s.TotalImpactScore > ev.Consistent[i-1].TotalImpactScore {
			t.Errorf("consistent[%d] = %+v", i, s)
		}
		// Each is consistent when assessed on its own.
		var one cibEvaluation
		args := append([]string{}, s.Variants...)
		c.postJSON(t, path, somewherelandJSON(t, args...)).want(t, http.StatusOK).decode(t, &one)
		if *one.Inconsistency != 0 || *one.TotalImpactScore != s.TotalImpactScore {
			t.Errorf("%v assessed: inconsistency %v, score %v", s.Variants, *one.Inconsistency, *one.TotalImpactScore)
		}
	}
	for _, s := range ev.Near {
		if s.Inconsistency <= 0 || s.Inconsistency > 1 {
			t.Errorf("near %+v", s)
		}
	}

	// Without a scenario: no balances.
	var plain map[string]json.RawMessage
	c.postJSON(t, path, somewherelandJSON(t)).want(t, http.StatusOK).decode(t, &plain)
	if _, ok := plain["balances"]; ok {
		t.Error("balances without a scenario")
	}
	if string(plain["near"]) == "null" || string(plain["consistent"]) == "null" {
		t.Errorf("lists must be [] at least: %s", plain)
	}

	// Problems name their field.
	two := `{"descriptors": [{"id": "a", "variants": ["a1", "a2"]}, {"id": "b", "variants": ["b1", "b2"]}], "impacts": [%s]%s}`
	for _, bad := range []struct{ impacts, extra, field string }{
		{`{"from": "a1", "to": "a2", "score": 1}`, ``, "impacts[0]"},
		{`{"from": "zz", "to": "b1", "score": 1}`, ``, "impacts[0].from"},
		{`{"from": "a1", "to": "b1", "score": 4}`, ``, "impacts[0].score"},
		{`{"from": "a1", "to": "b1", "score": "2"}`, ``, "score"},
		{``, `, "scenario": ["a1"]`, "scenario"},
		{``, `, "scenario": ["a1", "a2"]`, "scenario[1]"},
	} {
		c.postJSON(t, path, strings.Replace(strings.Replace(two, "%s", bad.impacts, 1), "%s", bad.extra, 1)).wantAPIError(t, http.StatusUnprocessableEntity, bad.field)
	}
	c.postJSON(t, path, `{"descriptors": [{"id": "a", "variants": ["x", "y"]}, {"id": "a", "variants": ["z", "w"]}]}`).wantAPIError(t, http.StatusUnprocessableEntity, "descriptors[1].id")
	var many []string
	for i := range 13 {
		many = append(many, `{"id": "d`+strconv.Itoa(i)+`", "variants": ["v`+strconv.Itoa(i)+`a", "v`+strconv.Itoa(i)+`b"]}`)
	}
	c.postJSON(t, path, `{"descriptors": [`+strings.Join(many, ",")+`]}`).wantAPIError(t, http.StatusUnprocessableEntity, "descriptors")
	c.postJSON(t, path, `{"descriptors": [{"id": "a", "variants": ["1", "2", "3", "4", "5", "6"]}, {"id": "b", "variants": ["x", "y"]}]}`).wantAPIError(t, http.StatusUnprocessableEntity, "descriptors[0].variants")
	cells := strings.Repeat(`{"from": "a1", "to": "b1", "score": 1},`, workshop.CIBMaxImpacts)
	c.postJSON(t, path, strings.Replace(strings.Replace(two, "%s", cells+`{"from": "a1", "to": "b1", "score": 1}`, 1), "%s", "", 1)).wantAPIError(t, http.StatusUnprocessableEntity, "impacts")

	// Signed in only.
	ts.client().postJSON(t, path, somewherelandJSON(t)).wantAPIError(t, http.StatusUnauthorized, "")
}

const somewherelandCSVHead = ";A;;;;B;;\n;A1;A2;A3;;B1;B2;B3\nA. Government\n"

// TestCrossImpactPage evaluates a matrix pasted and one uploaded, and shows
// a problem with what was typed.
func TestCrossImpactPage(t *testing.T) {
	ts := newTestServer(t)
	ts.user(t, "analyst@example.org", workshop.RoleFacilitator)
	c := ts.login(t, "analyst@example.org")
	c.get(t, "/crossimpact").want(t, http.StatusOK).wantContains(t, `<textarea`, `name="matrix"`, `type="file"`)
	ts.client().get(t, "/crossimpact").want(t, http.StatusSeeOther)

	csv := somewherelandCSVHead + "A1 Patriots;;;;;-2;1;1\nA2 Prosperity;;;;;2;1;-3\nA3 Social;;;;;0;2;-2\n" +
		"B. Foreign policy\nB1 Cooperation;0;0;0;;;;\nB2 Rivalry;0;0;0;;;;\nB3 Conflict;3;-1;-2;;;;\n"
	// A1 → B1 is −2 and B1 → A1 is 0: in [A1 B1] the balance of B1 is −2
	// against B2's 1, a gap of 3.
	res := c.postForm(t, "/crossimpact", url.Values{"matrix": {csv}, "scenario": {"A1 B1"}}).want(t, http.StatusOK)
	res.wantContains(t, "A. Government", "B2 Rivalry", "Consistent scenarios", "This scenario is not consistent: its inconsistency is 3.", "among 9 combinations")

	// Uploaded, as multipart.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "matrix.csv")
	fw.Write([]byte(csv))
	mw.WriteField("scenario", "A2, B3")
	mw.Close()
	c.do(t, http.MethodPost, "/crossimpact", &body, "Content-Type", mw.FormDataContentType()).want(t, http.StatusOK).
		wantContains(t, "B3 Conflict", "This scenario is")

	// A bad cell: the form comes back with what was typed and the problem.
	bad := strings.Replace(csv, "B3 Conflict;3", "B3 Conflict;7", 1)
	res = c.postForm(t, "/crossimpact", url.Values{"matrix": {bad}, "scenario": {"A1 B1"}}).want(t, http.StatusUnprocessableEntity)
	res.wantContains(t, `aria-invalid="true"`, "line 10, column 2: &#34;7&#34; is not a number from −3 to 3", "B3 Conflict;7", `value="A1 B1"`)
	// A scenario that is not one: named on its field.
	c.postForm(t, "/crossimpact", url.Values{"matrix": {csv}, "scenario": {"B1 A1"}}).want(t, http.StatusUnprocessableEntity).
		wantContains(t, `id="scenario-error"`, "scenario[0]:")

	// In French, the page and its messages.
	c.postForm(t, "/crossimpact", url.Values{"matrix": {bad}}, "Accept-Language", "fr").want(t, http.StatusUnprocessableEntity).
		wantContains(t, "Analyse des impacts croisés", "ligne 10, colonne 2")
	c.postForm(t, "/crossimpact", url.Values{"matrix": {csv}}, "Accept-Language", "pl").want(t, http.StatusOK).
		wantContains(t, "Spójne scenariusze", "spośród 9 kombinacji")
}

type apiCIB struct {
	Round       int  `json:"round"`
	Open        bool `json:"open"`
	Descriptors []struct {
		ID, Title string
		Variants  []struct{ ID, Title string }
	} `json:"descriptors"`
	Cells      []workshop.Cell      `json:"cells"`
	Judgements []workshop.Judgement `json:"judgements"`
}

type apiCIBResults struct {
	Round  int    `json:"round"`
	Group  *int64 `json:"group"`
	Judged int    `json:"judged"`
	Cells  []struct {
		From, To            string
		N                   int `json:"n"`
		DontKnow            int `json:"dont_know"`
		Median, Q1, Q3      *float64
		Consensus, Disputed bool
	} `json:"cells"`
	Matrix     []workshop.CIBImpact `json:"matrix"`
	Consistent []cibScenarioJSON    `json:"consistent"`
	Near       []cibScenarioJSON    `json:"near"`
	Complete   bool                 `json:"complete"`
}

// TestCrossImpactWorkshopAPI runs two cross-impact rounds on a deck of
// three scenarios (no descriptors) through the API: three participants
// judge, the facilitator reads the cells, the matrix and the consistent
// scenarios; the second round is prefilled.
func TestCrossImpactWorkshopAPI(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("trio", "Trio", "Refugee crisis", "EU force", "Safe haven")
	w, err := ts.db.CreateWorkshop(t.Context(), owner, d, "Trio", false)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, owner.Email)
	p := []*client{ts.join(t, w.Code), ts.join(t, w.Code), ts.join(t, w.Code)}

	// Before any cross-impact round: no results.
	fac.get(t, apiPath(w.Code, "/crossimpact/results")).wantAPIError(t, http.StatusNotFound, "")
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "delphi"}`).wantAPIError(t, http.StatusUnprocessableEntity, "kind")
	opened := workshopJSON(t, fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact"}`).want(t, http.StatusOK))
	if opened.State != "open" || opened.Round != 1 {
		t.Fatalf("opened %+v", opened)
	}

	var view apiCIB
	p[0].get(t, apiPath(w.Code, "/crossimpact")).want(t, http.StatusOK).decode(t, &view)
	if !view.Open || len(view.Descriptors) != 3 || len(view.Cells) != 6 || view.Descriptors[0].Variants[1].ID != "s1-not" || view.Descriptors[0].Variants[1].Title != "does not occur" {
		t.Fatalf("participant's view %+v", view)
	}
	// s1 (refugee crisis) promotes s2 (EU force): +2, +2, +3. s2 hinders
	// s3 (safe haven): −1, −1, and one "don't know".
	put := func(c *client, from, to, score string) {
		t.Helper()
		c.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "`+from+`", "to": "`+to+`", "score": `+score+`}`).want(t, http.StatusOK)
	}
	put(p[0], "s1-occurs", "s2-occurs", "2")
	put(p[1], "s1-occurs", "s2-occurs", "2")
	put(p[2], "s1-occurs", "s2-occurs", "3")
	put(p[0], "s2-occurs", "s3-occurs", "-1")
	put(p[1], "s2-occurs", "s3-occurs", "-1")
	put(p[2], "s2-occurs", "s3-occurs", "null")
	p[0].get(t, apiPath(w.Code, "/crossimpact")).decode(t, &view)
	if len(view.Judgements) != 2 {
		t.Errorf("own judgements %+v", view.Judgements)
	}
	// Problems: a cell not asked about, a score out of range, none at all.
	p[0].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-not", "to": "s2-occurs", "score": 1}`).wantAPIError(t, http.StatusUnprocessableEntity, "to")
	p[0].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 4}`).wantAPIError(t, http.StatusUnprocessableEntity, "score")
	p[0].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs"}`).wantAPIError(t, http.StatusUnprocessableEntity, "score")
	p[0].putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(w.Scenarios[0].ID, w.Criteria[0].ID, "3")).wantAPIError(t, http.StatusConflict, "")
	fac.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 1}`).wantAPIError(t, http.StatusForbidden, "")
	p[0].get(t, apiPath(w.Code, "/crossimpact/results")).wantAPIError(t, http.StatusForbidden, "")

	var res apiCIBResults
	fac.get(t, apiPath(w.Code, "/crossimpact/results")).want(t, http.StatusOK).decode(t, &res)
	if res.Round != 1 || res.Judged != 3 || len(res.Cells) != 6 || !res.Complete || res.Group != nil {
		t.Fatalf("results %+v", res)
	}
	c0 := res.Cells[0] // s1-occurs → s2-occurs
	if c0.From != "s1-occurs" || c0.To != "s2-occurs" || c0.N != 3 || *c0.Median != 2 || !c0.Consensus || c0.Disputed {
		t.Errorf("cell s1 → s2: %+v", c0)
	}
	score := map[string]float64{}
	for _, m := range res.Matrix {
		score[m.From+">"+m.To] = m.Score
	}
	if len(res.Matrix) != 3*2*2*2 || score["s1-occurs>s2-occurs"] != 2 || score["s1-occurs>s2-not"] != -2 || score["s2-occurs>s3-not"] != 1 || score["s1-not>s2-occurs"] != 0 {
		t.Errorf("matrix %v", score)
	}
	cons := map[string]bool{}
	for _, s := range res.Consistent {
		cons[strings.Join(s.Variants, " ")] = true
	}
	if !cons["s1-occurs s2-occurs s3-not"] || cons["s1-occurs s2-not s3-not"] {
		t.Errorf("consistent %v", cons)
	}

	// Round 2, prefilled; one participant changes their mind.
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActReveal)
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact", "prefill": true}`).want(t, http.StatusOK)
	p[2].get(t, apiPath(w.Code, "/crossimpact")).decode(t, &view)
	if view.Round != 2 || len(view.Judgements) != 2 {
		t.Fatalf("round 2 starts with the participant's judgements: %+v", view)
	}
	put(p[2], "s1-occurs", "s2-occurs", "-3")
	fac.get(t, apiPath(w.Code, "/crossimpact/results")).decode(t, &res)
	if res.Round != 2 || *res.Cells[0].Median != 2 || res.Cells[0].Consensus {
		t.Errorf("round 2, cell 0: %+v", res.Cells[0])
	}
	fac.get(t, apiPath(w.Code, "/crossimpact/results?round=1")).decode(t, &res)
	if res.Round != 1 || res.Cells[0].N != 3 {
		t.Errorf("round 1 again: %+v", res)
	}
	fac.get(t, apiPath(w.Code, "/crossimpact/results?round=3")).wantAPIError(t, http.StatusNotFound, "")
	// A rating round next: the cross-impact results stay readable.
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActReveal)
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{}`).want(t, http.StatusOK)
	fac.get(t, apiPath(w.Code, "/crossimpact/results?round=3")).wantAPIError(t, http.StatusUnprocessableEntity, "round")
	fac.get(t, apiPath(w.Code, "/crossimpact/results")).decode(t, &res)
	if res.Round != 2 {
		t.Errorf("the last cross-impact round by default, got %d", res.Round)
	}
	p[0].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 1}`).wantAPIError(t, http.StatusConflict, "")
}

// TestCrossImpactPhone judges a source on the phone's page without
// JavaScript: the form saves the source's judgements and goes on to the
// next; a bad value comes back with what was chosen; round 2 shows where
// the group stood.
func TestCrossImpactPhone(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("trio", "Trio", "Refugee crisis", "EU force", "Safe haven")
	w, err := ts.db.CreateWorkshop(t.Context(), owner, d, "Trio", false)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, owner.Email)
	p := []*client{ts.join(t, w.Code), ts.join(t, w.Code), ts.join(t, w.Code)}
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact"}`).want(t, http.StatusOK)

	p[0].get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "If “Refugee crisis” happens…", `name="j-s2-occurs"`, "0 of 6 judgements given", "Development 1 of 3")
	p[0].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"}, "go": {"next"},
		"j-s2-occurs": {"2"}, "j-s3-occurs": {"dk"}}).wantRedirect(t, "/w/"+w.Code+"?source=1&saved=1#main")
	p[0].get(t, "/w/"+w.Code+"?source=1&saved=1").want(t, http.StatusOK).wantContains(t, "If “EU force” happens…", "2 of 6 judgements given", "Saved.")
	var view apiCIB
	p[0].get(t, apiPath(w.Code, "/crossimpact")).decode(t, &view)
	if len(view.Judgements) != 2 || *view.Judgements[0].Score != 2 && *view.Judgements[1].Score != 2 {
		t.Fatalf("saved %+v", view.Judgements)
	}
	// A value off the scale: nothing of the source is saved, the choice comes back.
	res := p[0].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s2-occurs"}, "source": {"1"}, "go": {"next"},
		"j-s1-occurs": {"1"}, "j-s3-occurs": {"9"}}).want(t, http.StatusUnprocessableEntity)
	res.wantContains(t, "Choose one of the points of the scale.", `href="#j-s3-occurs"`, `value="1" checked`)
	p[0].get(t, apiPath(w.Code, "/crossimpact")).decode(t, &view)
	if len(view.Judgements) != 2 {
		t.Errorf("a refused form saved something: %+v", view.Judgements)
	}
	p[1].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"}, "j-s2-occurs": {"3"}}).want(t, http.StatusSeeOther)
	p[2].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"}, "j-s2-occurs": {"-3"}}).want(t, http.StatusSeeOther)

	// Round 2: the group's median and middle half, and a note where the
	// participant's own judgement lay outside it.
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActReveal)
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact", "prefill": true}`).want(t, http.StatusOK)
	p[2].get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Last round the group said +2 (middle half −0.5 to +2.5).", "You said −3.", "outside the group")
	// Outside the middle half: a reason is asked, saved with the judgement,
	// shown to the facilitator and exported.
	p[2].get(t, "/w/"+w.Code).wantContains(t, `name="reason-s2-occurs"`)
	p[2].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"},
		"j-s2-occurs": {"-3"}, "reason-s2-occurs": {"Crises split Europe."}}).want(t, http.StatusSeeOther)
	p[2].get(t, "/w/"+w.Code).wantContains(t, "Crises split Europe.</textarea>")
	fac.get(t, "/workshops/"+w.Code).wantContains(t, "Reasons given for judgements outside", "1 → 2", "Crises split Europe.")
	fac.get(t, "/workshops/"+w.Code+"/export/judgements.csv").wantContains(t, ",-3,false,Crises split Europe.,")
	// A reason without a judgement is refused, and kept as typed.
	p[2].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"}, "j-s3-occurs": {"1"},
		"reason-s2-occurs": {"Because."}}).want(t, http.StatusUnprocessableEntity)
	// Closed: the form is there to read, but disabled.
	fac.steps(t, w.Code, workshop.ActClose)
	p[2].get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Voting is closed for now.", "disabled")
	p[2].postForm(t, "/w/"+w.Code+"/crossimpact", url.Values{"from": {"s1-occurs"}, "source": {"0"}, "j-s2-occurs": {"1"}}).want(t, http.StatusConflict)
	// In Polish.
	p[2].get(t, "/w/"+w.Code, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Jeśli nastąpi „Refugee crisis”…")
}

// TestCrossImpactLive opens a cross-impact round with the facilitator's
// button, then watches the heat map and the consistent scenarios change
// on the facilitator's stream and the projector as a judgement comes in.
func TestCrossImpactLive(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("trio", "Trio", "Refugee crisis", "EU force", "Safe haven")
	w, err := ts.db.CreateWorkshop(t.Context(), owner, d, "Trio", false)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, owner.Email)
	p := ts.join(t, w.Code)
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "Open a cross-impact round")
	fac.postForm(t, "/workshops/"+w.Code+"/next", url.Values{"kind": {"cross_impact"}}).wantRedirect(t, "/workshops/"+w.Code+"?done=next")
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, "Round 1: how the developments act on each other",
		`class="heatmap"`, "0 participants have judged", "Consistent scenarios", "none occurs")
	fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK).wantContains(t, `class="heatmap"`, "cib-stage")

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, path := range []string{"/workshops/" + w.Code + "/events", "/workshops/" + w.Code + "/projector/events"} {
		res := fac.send(t, ctx, http.MethodGet, path, nil)
		defer res.Body.Close()
		events := readEvents(ctx, res.Body)
		first := <-events
		if !strings.Contains(first.data, "heatmap") {
			t.Fatalf("%s: first event %s without the heat map", path, first.name)
		}
		if path == "/workshops/"+w.Code+"/events" {
			<-events // rationales
		}
		p.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 3}`).want(t, http.StatusOK)
		for {
			select {
			case ev := <-events:
				// Refugee crisis occurring pushes EU force up: "1, 2" is
				// the consistent scenario with the highest score.
				if strings.Contains(ev.data, "heat-p3") && strings.Contains(ev.data, "1, 2") {
					goto next
				}
			case <-ctx.Done():
				t.Fatalf("%s: no update with the judgement", path)
			}
		}
	next:
		p.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 2}`).want(t, http.StatusOK)
	}
}

// TestCrossImpactExports downloads a cross-impact round's judgements, its
// cells, the matrix for ScenarioWizard (which reads back as the same
// matrix), the workbook's sheets, workshop.json's part and the report's.
func TestCrossImpactExports(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("trio", "Trio", "=Refugee crisis", "EU force", "Safe haven")
	w, err := ts.db.CreateWorkshop(t.Context(), owner, d, "Trio", false)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, owner.Email)
	fac.get(t, "/workshops/"+w.Code+"/export/crossimpact-scenariowizard.csv").want(t, http.StatusNotFound)
	p := []*client{ts.join(t, w.Code), ts.join(t, w.Code)}
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact"}`).want(t, http.StatusOK)
	p[0].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 2}`).want(t, http.StatusOK)
	p[1].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 1}`).want(t, http.StatusOK)
	p[1].putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s2-occurs", "to": "s3-occurs", "score": null}`).want(t, http.StatusOK)

	base := "/workshops/" + w.Code + "/export/"
	fac.get(t, base+"judgements.csv").want(t, http.StatusOK).wantContentType(t, "text/csv").
		wantContains(t, "workshop_code,round,participant,group,from,to,score,dont_know,reason,judged_at", ",s1-occurs,s2-occurs,2,false,,", ",s2-occurs,s3-occurs,,true,,")
	fac.get(t, base+"crossimpact.csv").want(t, http.StatusOK).wantContains(t, ",1,s1-occurs,s2-occurs,2,0,1.5,1.25,1.75,1.5,false,false,false")
	sw := fac.get(t, base+"crossimpact-scenariowizard.csv").want(t, http.StatusOK)
	sw.wantContains(t, ";s1;;;s2;;;s3;\r\n;s1-occurs;s1-not;;s2-occurs;s2-not;;s3-occurs;s3-not\r\n'=Refugee crisis\r\noccurs;0;0;;1.5;-1.5;;0;0\r\n")
	in, err := workshop.ParseCIBInput([]byte(sw.body))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := workshop.EvaluateCIB(in)
	if err != nil || ev.Matrix.Score("s1-occurs", "s2-not") != -1.5 {
		t.Fatalf("the ScenarioWizard file reads back: %v", err)
	}
	var doc struct {
		CrossImpact struct {
			FromScenarios bool `json:"from_scenarios"`
			Rounds        []struct {
				Round      int
				Consistent []cibScenarioJSON
			}
			Judgements []struct{ Score *int }
		} `json:"cross_impact"`
	}
	fac.get(t, base+"workshop.json").want(t, http.StatusOK).decode(t, &doc)
	if !doc.CrossImpact.FromScenarios || len(doc.CrossImpact.Rounds) != 1 || len(doc.CrossImpact.Judgements) != 3 || len(doc.CrossImpact.Rounds[0].Consistent) == 0 {
		t.Errorf("workshop.json's cross_impact: %+v", doc.CrossImpact)
	}
	fac.get(t, base+"workshop.xlsx").want(t, http.StatusOK)
	fac.get(t, base+"report").want(t, http.StatusOK).wantContains(t, "Round 1: how the developments act on each other", `class="heatmap"`)
	fac.get(t, "/workshops/"+w.Code).wantContains(t, "crossimpact-scenariowizard.csv")
}

// TestCrossImpactSourceGroups gives the sources of two scenarios to two
// expert groups: each group's members are asked the cells of their field
// (and of scenarios given to nobody), are refused the others, and a
// participant without a group judges everything.
func TestCrossImpactSourceGroups(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("trio", "Trio", "Refugee crisis", "EU force", "Safe haven")
	w, err := ts.db.CreateWorkshop(t.Context(), owner, d, "Trio", false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = ts.db.SetGroups(t.Context(), w.Code, []string{"humanitarian", "military"}, owner); err != nil {
		t.Fatal(err)
	}
	hum, mil := w.Groups[0].ID, w.Groups[1].ID
	fac := ts.login(t, owner.Email)
	fac.get(t, "/workshops/"+w.Code).wantContains(t, "which group judges which sources", `name="src-s1"`)
	fac.postForm(t, "/workshops/"+w.Code+"/crossimpact/sources", url.Values{"src-s1": {fmt.Sprint(hum)}, "src-s2": {fmt.Sprint(mil)}, "src-s3": {""}}).
		wantRedirect(t, "/workshops/"+w.Code+"?done=sources#cib-sources")
	fac.postForm(t, "/workshops/"+w.Code+"/crossimpact/sources", url.Values{"src-s1": {"999"}}).want(t, http.StatusUnprocessableEntity)
	var split struct{ Sources map[string]int64 }
	fac.putJSON(t, apiPath(w.Code, "/crossimpact/sources"), fmt.Sprintf(`{"sources": {"s1": %d, "s2": %d, "s3": 0}}`, hum, mil)).want(t, http.StatusOK).decode(t, &split)
	if len(split.Sources) != 2 || split.Sources["s1"] != hum {
		t.Errorf("the split as stored: %v", split.Sources)
	}
	fac.putJSON(t, apiPath(w.Code, "/crossimpact/sources"), `{"sources": {"nope": 0}}`).wantAPIError(t, http.StatusUnprocessableEntity, "sources")
	h, m := ts.client(), ts.client()
	h.postForm(t, "/j/"+w.Code, url.Values{"group": {fmt.Sprint(hum)}}).wantRedirect(t, "/w/"+w.Code)
	m.postForm(t, "/j/"+w.Code, url.Values{"group": {fmt.Sprint(mil)}}).wantRedirect(t, "/w/"+w.Code)
	fac.postJSON(t, apiPath(w.Code, "/rounds"), `{"kind": "cross_impact"}`).want(t, http.StatusOK)
	from := func(c *client) []string {
		var v apiCIB
		c.get(t, apiPath(w.Code, "/crossimpact")).want(t, http.StatusOK).decode(t, &v)
		var out []string
		for _, cell := range v.Cells {
			if len(out) == 0 || out[len(out)-1] != cell.From {
				out = append(out, cell.From)
			}
		}
		return out
	}
	if got := strings.Join(from(h), " "); got != "s1-occurs s3-occurs" {
		t.Errorf("the humanitarian group judges the sources %s, want s1 and s3", got)
	}
	if got := strings.Join(from(m), " "); got != "s2-occurs s3-occurs" {
		t.Errorf("the military group judges the sources %s, want s2 and s3", got)
	}
	h.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s2-occurs", "to": "s1-occurs", "score": 1}`).wantAPIError(t, http.StatusUnprocessableEntity, "to")
	h.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "s1-occurs", "to": "s2-occurs", "score": 1}`).want(t, http.StatusOK)
	h.get(t, "/w/"+w.Code).wantContains(t, "Development 1 of 2", "If “Refugee crisis” happens…")
}
