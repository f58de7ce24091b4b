package http_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
