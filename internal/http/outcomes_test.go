package http_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// scoresWorkshop is the worked example of docs/statistics.md, run through
// the API: three scenarios on one percent criterion (and a scale one that
// cannot be scored); P1, P2, P3 rate in round 1, P1 and P2 again in round
// 2. It returns the workshop, the facilitator and the participants'
// pseudonyms as P1, P2, P3.
func scoresWorkshop(t *testing.T, ts *testServer) (*workshop.Workshop, *client, [3]string, [3]*client) {
	t.Helper()
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	d := sampleDeck("scored", "Scored futures", "A", "B", "C")
	d.Criteria = []workshop.Criterion{
		{Key: "p", Name: workshop.Text{"en": "Probability"}, Kind: workshop.KindPercent, Min: 0, Max: 100, Step: 10, DontKnow: true, Labels: []workshop.Label{}, Yardstick: workshop.YardstickICD203},
		{Key: "impact", Name: workshop.Text{"en": "Impact"}, Kind: workshop.KindScale, Min: 1, Max: 5, Step: 1, DontKnow: true, Labels: []workshop.Label{}},
	}
	w, err := ts.db.CreateWorkshop(context.Background(), owner, d, "Scored", true)
	if err != nil {
		t.Fatal(err)
	}
	fac := ts.login(t, owner.Email)
	p := [3]*client{ts.join(t, w.Code), ts.join(t, w.Code), ts.join(t, w.Code)}
	a, b, c := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Scenarios[2].ID
	crit := w.Criteria[0].ID
	rate := func(who int, s int64, v int) { p[who].rate(t, w.Code, s, crit, fmt.Sprint(v)) }
	rate(0, a, 70)
	rate(1, a, 40)
	rate(2, a, 90)
	rate(0, b, 20)
	rate(1, b, 60)
	rate(2, b, 10)
	rate(0, c, 50)
	p[2].rate(t, w.Code, a, w.Criteria[1].ID, "null") // "don't know" is no estimate, and not of this criterion either
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActReveal, workshop.ActNextRound)
	rate(0, a, 80)
	rate(1, a, 70)
	rate(0, b, 10)
	rate(1, b, 30)
	// Each rated A differently in round 1: that tells their pseudonyms.
	_, es, err := ts.db.Estimates(context.Background(), w.Code, crit)
	if err != nil {
		t.Fatal(err)
	}
	var names [3]string
	for _, e := range es {
		if i, ok := map[int]int{70: 0, 40: 1, 90: 2}[e.Value]; ok && e.Round == 1 && e.ScenarioID == a {
			names[i] = e.Participant
		}
	}
	return w, fac, names, p
}

func TestScoresAgainstAHandComputation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w, fac, names, parts := scoresWorkshop(t, ts)
	crit := w.Criteria[0].ID
	scoresPath := apiPath(w.Code, fmt.Sprintf("/scores?criterion_id=%d", crit))

	// Not finished: 409; the outcomes wait too.
	fac.get(t, scoresPath).want(t, http.StatusConflict)
	fac.putJSON(t, apiPath(w.Code, "/outcomes"), fmt.Sprintf(`{"scenario_id": %d, "occurred": true}`, w.Scenarios[0].ID)).want(t, http.StatusConflict)
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActFinish)

	// Nothing resolved yet: 200, resolved 0, null scores.
	var empty scoresAnswer
	fac.get(t, scoresPath).want(t, http.StatusOK).decode(t, &empty)
	if empty.Resolved != 0 || len(empty.Rounds) != 2 || empty.Rounds[0].Median != nil || empty.Rounds[1].ParticipantsMean != nil || len(empty.Participants) != 0 {
		t.Fatalf("before any outcome: %+v", empty)
	}
	fac.get(t, apiPath(w.Code, fmt.Sprintf("/scores?criterion_id=%d", w.Criteria[1].ID))).want(t, http.StatusUnprocessableEntity).wantContains(t, `"field":"criterion_id"`)
	fac.get(t, apiPath(w.Code, "/scores")).want(t, http.StatusUnprocessableEntity)
	fac.get(t, apiPath(w.Code, "/scores?criterion_id=999999")).want(t, http.StatusNotFound)

	// A happened, B did not, C is not known.
	put := func(body string) *response { return fac.putJSON(t, apiPath(w.Code, "/outcomes"), body) }
	var outs []outcomeAnswer
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": true, "known_on": "2026-11-30", "note": "It came."}`, w.Scenarios[0].ID)).want(t, http.StatusOK).decode(t, &outs)
	if len(outs) != 3 || outs[0].Occurred == nil || !*outs[0].Occurred || *outs[0].KnownOn != "2026-11-30" || outs[0].Note != "It came." || outs[1].Occurred != nil || outs[0].UpdatedAt == nil {
		t.Fatalf("outcomes after the first: %+v", outs)
	}
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": false}`, w.Scenarios[1].ID)).want(t, http.StatusOK)
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": null, "note": "Too early to say."}`, w.Scenarios[2].ID)).want(t, http.StatusOK)
	// Bad input: a clear error, nothing changed.
	put(fmt.Sprintf(`{"scenario_id": %d}`, w.Scenarios[0].ID)).want(t, http.StatusUnprocessableEntity).wantContains(t, `"field":"occurred"`)
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": "yes"}`, w.Scenarios[0].ID)).want(t, http.StatusUnprocessableEntity)
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": true, "known_on": "31/11/2026"}`, w.Scenarios[0].ID)).want(t, http.StatusUnprocessableEntity).wantContains(t, `"field":"known_on"`)
	put(`{"scenario_id": 999999, "occurred": true}`).want(t, http.StatusNotFound)
	fac.get(t, apiPath(w.Code, "/outcomes")).want(t, http.StatusOK).decode(t, &outs)
	if *outs[0].KnownOn != "2026-11-30" || *outs[1].Occurred || outs[2].Occurred != nil || outs[2].Note != "Too early to say." {
		t.Fatalf("outcomes: %+v", outs)
	}

	var sc scoresAnswer
	fac.get(t, scoresPath).want(t, http.StatusOK).decode(t, &sc)
	if sc.CriterionID != crit || sc.Resolved != 2 || len(sc.Rounds) != 2 || len(sc.Items) != 3 || len(sc.Calibration) != 10 {
		t.Fatalf("scores: %+v", sc)
	}
	// Every figure, as docs/statistics.md computes it by hand.
	want := func(what string, got *float64, v float64) {
		t.Helper()
		if got == nil || math.Abs(*got-v) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, deref(got), v)
		}
	}
	want("round 1 median", sc.Rounds[0].Median, 0.065)
	want("round 1 mean", sc.Rounds[0].Mean, (1.0/9+0.09)/2)
	want("round 1 geo_odds", sc.Rounds[0].GeoOdds, 0.07613168817788322)
	want("round 1 participants_mean", sc.Rounds[0].ParticipantsMean, 0.145)
	want("round 2 median", sc.Rounds[1].Median, 0.05125)
	want("round 2 mean", sc.Rounds[1].Mean, 0.05125)
	want("round 2 geo_odds", sc.Rounds[1].GeoOdds, 0.04645083409103434)
	want("round 2 participants_mean", sc.Rounds[1].ParticipantsMean, 0.0575)
	type itemWant struct {
		n                         int
		median, bMed, bMean, bGeo float64
		scored                    bool
	}
	items := [3][2]itemWant{
		{{3, 70, 0.09, 1.0 / 9, 0.08599139720352834, true}, {2, 75, 0.0625, 0.0625, 0.06081454665684787, true}},
		{{3, 20, 0.04, 0.09, 0.0662719791522381, true}, {2, 20, 0.04, 0.04, 0.032087121525220814, true}},
		{{1, 50, 0, 0, 0, false}, {0, 0, 0, 0, 0, false}},
	}
	for i, it := range sc.Items {
		if it.ScenarioID != w.Scenarios[i].ID || len(it.Rounds) != 2 {
			t.Fatalf("item %d: %+v", i, it)
		}
		for r, iw := range items[i] {
			got := it.Rounds[r]
			what := fmt.Sprintf("item %d round %d", i, r+1)
			if got.Round != r+1 || got.N != iw.n {
				t.Errorf("%s: round %d n %d, want n %d", what, got.Round, got.N, iw.n)
			}
			if iw.n > 0 {
				want(what+" median", got.Median, iw.median)
			}
			if !iw.scored {
				if got.BrierMedian != nil || got.BrierMean != nil || got.BrierGeoOdds != nil {
					t.Errorf("%s: scored while not resolved: %+v", what, got)
				}
				continue
			}
			want(what+" brier_median", got.BrierMedian, iw.bMed)
			want(what+" brier_mean", got.BrierMean, iw.bMean)
			want(what+" brier_geo_odds", got.BrierGeoOdds, iw.bGeo)
		}
	}
	if sc.Items[0].Occurred == nil || !*sc.Items[0].Occurred || sc.Items[1].Occurred == nil || *sc.Items[1].Occurred || sc.Items[2].Occurred != nil {
		t.Errorf("items' outcomes: %v %v %v", sc.Items[0].Occurred, sc.Items[1].Occurred, sc.Items[2].Occurred)
	}
	// Participants, by pseudonym: P1 0.025, P2 0.09 (round 2), P3 0.01
	// (round 1, the last they rated).
	byName := map[string]participantAnswer{}
	for _, p := range sc.Participants {
		byName[p.Pseudonym] = p
	}
	for i, v := range []float64{0.025, 0.09, 0.01} {
		p, ok := byName[names[i]]
		if !ok || p.N != 2 || math.Abs(p.Brier-v) > 1e-12 {
			t.Errorf("participant P%d (%s): %+v, want n 2 brier %v", i+1, names[i], p, v)
		}
	}
	if len(sc.Participants) != 3 {
		t.Errorf("%d participants scored, want 3", len(sc.Participants))
	}
	// Calibration, round 2: 10 and 30 (B, did not happen), 70 and 80 (A,
	// happened): one each, observed 0, 0, 100, 100 %.
	for _, b := range sc.Calibration {
		switch b.From {
		case 10, 30, 70, 80:
			obs := 0.0
			if b.From >= 70 {
				obs = 100
			}
			if b.N != 1 || b.To != b.From+10 {
				t.Errorf("bin %d: %+v", b.From, b)
			}
			want(fmt.Sprintf("bin %d mean_forecast", b.From), b.MeanForecast, float64(b.From))
			want(fmt.Sprintf("bin %d observed", b.From), b.Observed, obs)
		default:
			if b.N != 0 || b.MeanForecast != nil || b.Observed != nil {
				t.Errorf("bin %d: %+v, want empty", b.From, b)
			}
		}
	}

	// The exports carry the same figures: scores.csv row by row, and
	// workshop.json's outcomes and scores as the API answers them.
	rows := exportCSV(t, fac.get(t, exportPath(w.Code, "scores.csv")).want(t, http.StatusOK))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != 1+3*2 {
		t.Fatalf("scores.csv: %d rows, want a header and 3 scenarios x 2 rounds", len(rows))
	}
	for _, row := range rows[1:] {
		var i, r int
		fmt.Sscan(row[col["round"]], &r)
		for j, s := range w.Scenarios {
			if row[col["scenario_id"]] == fmt.Sprint(s.ID) {
				i = j
			}
		}
		it := sc.Items[i].Rounds[r-1]
		what := fmt.Sprintf("scores.csv scenario %d round %d", i+1, r)
		wantExact(t, what+" brier_median", row[col["brier_median"]], it.BrierMedian)
		wantExact(t, what+" brier_geo_odds", row[col["brier_geo_odds"]], it.BrierGeoOdds)
		wantExact(t, what+" round_participants_mean", row[col["round_participants_mean"]], sc.Rounds[r-1].ParticipantsMean)
		if row[col["resolved"]] != "2" || row[col["n"]] != fmt.Sprint(it.N) {
			t.Errorf("%s: resolved %s n %s", what, row[col["resolved"]], row[col["n"]])
		}
	}
	var doc struct {
		Outcomes []outcomeAnswer  `json:"outcomes"`
		Scores   []map[string]any `json:"scores"`
	}
	fac.get(t, exportPath(w.Code, "workshop.json")).want(t, http.StatusOK).decode(t, &doc)
	var fromAPI map[string]any
	fac.get(t, scoresPath).want(t, http.StatusOK).decode(t, &fromAPI)
	if len(doc.Outcomes) != 3 || !*doc.Outcomes[0].Occurred || len(doc.Scores) != 1 || jsonOf(doc.Scores[0]) != jsonOf(fromAPI) {
		t.Fatalf("workshop.json: outcomes %+v, scores %s; the API says %s", doc.Outcomes, jsonOf(doc.Scores), jsonOf(fromAPI))
	}

	// A participant who comes back sees their own score: P1 0.025 over
	// two scenarios, P3 0.01 (from round 1).
	parts[0].get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Your Brier score: 0.025, over 2 resolved scenarios.", "you said 80 %", "score 0.04")
	parts[2].get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Your Brier score: 0.01, over 2 resolved scenarios.", "you said 90 %")
	parts[1].get(t, "/w/"+w.Code, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Twój wynik Briera: 0,09")

	// The organisation's overview: organisers only.
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	ts.login(t, org.Email).get(t, "/scores").want(t, http.StatusOK).wantContains(t, "Scored", "2 of 3", "0.065 → ", "0.051", "0.058")
	fac.get(t, "/scores").want(t, http.StatusForbidden)

	// Each change went into the log; a save that changes nothing did not.
	put(fmt.Sprintf(`{"scenario_id": %d, "occurred": false}`, w.Scenarios[1].ID)).want(t, http.StatusOK)
	page := fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK)
	page.wantContains(t, "recorded the outcome of scenario 1: happened", "recorded the outcome of scenario 2: did not happen", "recorded the outcome of scenario 3: not known yet")
	if got := strings.Count(page.body, "recorded the outcome of scenario 2"); got != 1 {
		t.Errorf("the log has %d lines for scenario 2, want 1 (the same outcome again is no change)", got)
	}
	// An anonymised workshop is scored the same: new pseudonyms, the same
	// figures.
	fac.postForm(t, "/workshops/"+w.Code+"/anonymise", nil).want(t, http.StatusSeeOther)
	var after scoresAnswer
	fac.get(t, scoresPath).want(t, http.StatusOK).decode(t, &after)
	if jsonOf(after.Rounds) != jsonOf(sc.Rounds) || len(after.Participants) != 3 || after.Participants[0].Pseudonym == sc.Participants[0].Pseudonym && after.Participants[1].Pseudonym == sc.Participants[1].Pseudonym {
		t.Fatalf("after anonymising: rounds %s (before %s), participants %+v", jsonOf(after.Rounds), jsonOf(sc.Rounds), after.Participants)
	}

	// Strangers get nothing; another facilitator is refused.
	ts.client().get(t, scoresPath).want(t, http.StatusUnauthorized)
	ts.client().putJSON(t, apiPath(w.Code, "/outcomes"), `{"scenario_id": 1, "occurred": true}`).want(t, http.StatusUnauthorized)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	ts.login(t, "other@example.org").get(t, apiPath(w.Code, "/outcomes")).want(t, http.StatusForbidden)
}

// TestOutcomesForm: the Outcomes card saves every scenario at once; a bad
// date shows the page again with what was typed and saves nothing more.
func TestOutcomesForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w, fac, _, _ := scoresWorkshop(t, ts)
	form := func(occurred [3]string, known, note string) url.Values {
		v := url.Values{}
		for i, s := range w.Scenarios {
			v.Set(fmt.Sprintf("occurred-%d", s.ID), occurred[i])
			if i == 0 {
				v.Set(fmt.Sprintf("known-%d", s.ID), known)
				v.Set(fmt.Sprintf("note-%d", s.ID), note)
			}
		}
		return v
	}
	fac.postForm(t, "/workshops/"+w.Code+"/outcomes", form([3]string{"yes", "no", "unknown"}, "", "")).want(t, http.StatusConflict)
	fac.steps(t, w.Code, workshop.ActClose, workshop.ActFinish)
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantContains(t, `id="outcomes"`, `name="occurred-`)
	fac.postForm(t, "/workshops/"+w.Code+"/outcomes", form([3]string{"yes", "no", "unknown"}, "2026-11-30", "Announced by the ministry.")).
		wantRedirect(t, "/workshops/"+w.Code+"?done=outcomes#outcomes")
	got, err := ts.db.WorkshopByCode(context.Background(), w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if a := got.OutcomeOf(w.Scenarios[0].ID); a.Occurred == nil || !*a.Occurred || a.KnownOn != "2026-11-30" || a.Note != "Announced by the ministry." {
		t.Fatalf("scenario A: %+v", a)
	}
	if b := got.OutcomeOf(w.Scenarios[1].ID); b.Occurred == nil || *b.Occurred {
		t.Fatalf("scenario B: %+v", b)
	}
	r := fac.postForm(t, "/workshops/"+w.Code+"/outcomes", form([3]string{"no", "yes", "unknown"}, "30.11.2026", "Typed again.")).want(t, http.StatusUnprocessableEntity)
	r.wantContains(t, "YYYY-MM-DD", `value="30.11.2026"`, "Typed again.", `aria-invalid="true"`)
	again, _ := ts.db.WorkshopByCode(context.Background(), w.Code)
	if a := again.OutcomeOf(w.Scenarios[0].ID); !*a.Occurred || a.Note != "Announced by the ministry." {
		t.Fatalf("a refused form changed scenario A: %+v", a)
	}
	// A problem in the first scenario still shows what was typed for the
	// last one, and saves none of them.
	bad := form([3]string{"perhaps", "yes", "yes"}, "", "")
	bad.Set(fmt.Sprintf("note-%d", w.Scenarios[2].ID), "Typed for the last scenario.")
	fac.postForm(t, "/workshops/"+w.Code+"/outcomes", bad).want(t, http.StatusUnprocessableEntity).
		wantContains(t, "Choose happened, did not happen or not known yet.", "Typed for the last scenario.")
	after, _ := ts.db.WorkshopByCode(context.Background(), w.Code)
	if c := after.OutcomeOf(w.Scenarios[2].ID); c.Occurred != nil {
		t.Fatalf("a refused form saved scenario C: %+v", c)
	}
	// Polish: the card speaks it.
	fac.get(t, "/workshops/"+w.Code, "Accept-Language", "pl").want(t, http.StatusOK).wantContains(t, "Rozstrzygnięcia", "Wydarzyło się")
}

type scoresAnswer struct {
	CriterionID int64 `json:"criterion_id"`
	Resolved    int   `json:"resolved"`
	Rounds      []struct {
		Round            int      `json:"round"`
		Median           *float64 `json:"median"`
		Mean             *float64 `json:"mean"`
		GeoOdds          *float64 `json:"geo_odds"`
		ParticipantsMean *float64 `json:"participants_mean"`
	} `json:"rounds"`
	Items []struct {
		ScenarioID int64 `json:"scenario_id"`
		Occurred   *bool `json:"occurred"`
		Rounds     []struct {
			Round        int      `json:"round"`
			N            int      `json:"n"`
			Median       *float64 `json:"median"`
			BrierMedian  *float64 `json:"brier_median"`
			BrierMean    *float64 `json:"brier_mean"`
			BrierGeoOdds *float64 `json:"brier_geo_odds"`
		} `json:"rounds"`
	} `json:"items"`
	Participants []participantAnswer `json:"participants"`
	Calibration  []struct {
		From         int      `json:"from"`
		To           int      `json:"to"`
		N            int      `json:"n"`
		MeanForecast *float64 `json:"mean_forecast"`
		Observed     *float64 `json:"observed"`
	} `json:"calibration"`
}

type participantAnswer struct {
	Pseudonym string  `json:"pseudonym"`
	N         int     `json:"n"`
	Brier     float64 `json:"brier"`
}

type outcomeAnswer struct {
	ScenarioID int64   `json:"scenario_id"`
	Occurred   *bool   `json:"occurred"`
	KnownOn    *string `json:"known_on"`
	Note       string  `json:"note"`
	UpdatedAt  *string `json:"updated_at"`
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
