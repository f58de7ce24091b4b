package http_test

// Tests of the Delphi features: rounds and their steps, the consensus
// measures of the results, what participants see of the group, one-at-a-time
// pacing, rationales and their moderation, and the projector with its
// display link.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"foresight/internal/workshop"
)

// postJSON sends a POST with a JSON body; an empty body sends none.
func (c *client) postJSON(t *testing.T, path, body string, hdr ...string) *response {
	t.Helper()
	hdr = append(hdr, "Content-Type", "application/json")
	return c.do(t, http.MethodPost, path, strings.NewReader(body), hdr...)
}

// stepPath is the API v1 path of a facilitator's step in round n.
func stepPath(code string, a workshop.Action, n int) string {
	switch a {
	case workshop.ActNextRound:
		return apiPath(code, "/rounds")
	case workshop.ActFinish:
		return apiPath(code, "/finish")
	}
	return apiPath(code, fmt.Sprintf("/rounds/%d/%s", n, a))
}

// stepAPI takes a facilitator's step in round n through API v1.
func (c *client) stepAPI(t *testing.T, code string, a workshop.Action, n int) *response {
	t.Helper()
	return c.postJSON(t, stepPath(code, a, n), "")
}

// steps takes several steps through API v1, each in the current round,
// and fails unless each succeeds.
func (c *client) steps(t *testing.T, code string, actions ...workshop.Action) apiWorkshop {
	t.Helper()
	w := c.workshopAPI(t, code)
	for _, a := range actions {
		w = workshopJSON(t, c.stepAPI(t, code, a, w.Round).want(t, http.StatusOK))
	}
	return w
}

// workshopJSON decodes a workshop of API v1 and checks that the fields
// every reader gets are present, null or not.
func workshopJSON(t *testing.T, r *response) apiWorkshop {
	t.Helper()
	var raw map[string]any
	r.decode(t, &raw)
	wantKeys(t, r.req+": workshop", raw, "code", "title", "state", "round", "visibility", "pacing", "focus_scenario_id", "scenarios", "criteria")
	var w apiWorkshop
	r.decode(t, &w)
	return w
}

// workshopAPI reads GET /api/v1/workshops/{code} as c.
func (c *client) workshopAPI(t *testing.T, code string) apiWorkshop {
	t.Helper()
	return workshopJSON(t, c.get(t, apiPath(code, "")).want(t, http.StatusOK))
}

// resultsOf reads the results of round n (0: the current round) and the
// same answer as raw JSON, to tell absent keys from null ones.
func (c *client) resultsOf(t *testing.T, code string, n int) (apiResults, []map[string]any) {
	t.Helper()
	path := apiPath(code, "/results")
	if n > 0 {
		path += fmt.Sprintf("?round=%d", n)
	}
	r := c.get(t, path).want(t, http.StatusOK)
	var res apiResults
	var raw struct{ Items []map[string]any }
	r.decode(t, &res)
	r.decode(t, &raw)
	return res, raw.Items
}

// wantState checks the state and round the database holds.
func (ts *testServer) wantState(t *testing.T, code string, state workshop.State, round int) {
	t.Helper()
	w, err := ts.db.WorkshopByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("load workshop %s: %v", code, err)
	}
	if w.State != state || w.Round != round {
		t.Fatalf("stored state=%s round=%d, want %s %d", w.State, w.Round, state, round)
	}
}

// wantWorkshop checks the state, round and settings of an API answer.
func wantWorkshop(t *testing.T, what string, got apiWorkshop, state workshop.State, round int, visibility, pacing string, focus *int64) {
	t.Helper()
	if got.State != string(state) || got.Round != round || got.Visibility != visibility || got.Pacing != pacing || !reflect.DeepEqual(got.Focus, focus) {
		t.Fatalf("%s: state=%s round=%d visibility=%s pacing=%s focus_scenario_id=%s, want %s %d %s %s %s",
			what, got.State, got.Round, got.Visibility, got.Pacing, jsonOf(got.Focus), state, round, visibility, pacing, jsonOf(focus))
	}
}

// wantLacks fails when the body holds any of the substrings.
func (r *response) wantLacks(t *testing.T, substrings ...string) *response {
	t.Helper()
	for _, s := range substrings {
		if strings.Contains(r.body, s) {
			t.Fatalf("%s: body holds %q, want it absent; body: %.2000s", r.req, s, r.body)
		}
	}
	return r
}

func fp(v float64) *float64 { return &v }

// floatCheck is one statistic against its hand-computed value; want nil
// means null.
type floatCheck struct {
	name      string
	got, want *float64
}

func wantFloats(t *testing.T, what string, checks ...floatCheck) {
	t.Helper()
	for _, c := range checks {
		if (c.got == nil) != (c.want == nil) || c.got != nil && math.Abs(*c.got-*c.want) > 1e-9 {
			t.Errorf("%s: %s=%s, want %s", what, c.name, jsonOf(c.got), jsonOf(c.want))
		}
	}
}

var (
	actNext   = workshop.ActNextRound
	actClose  = workshop.ActClose
	actReopen = workshop.ActReopen
	actReveal = workshop.ActReveal
	actFinish = workshop.ActFinish
	allSteps  = []workshop.Action{actNext, actClose, actReopen, actReveal, actFinish}
)

func TestAPIRoundLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, false)
	fac := ts.login(t, owner.Email)

	// legal lists, by hand, the steps each state allows.
	legal := map[workshop.State][]workshop.Action{
		workshop.StateLobby:    {actNext},
		workshop.StateOpen:     {actClose, actFinish},
		workshop.StateClosed:   {actReopen, actReveal, actFinish},
		workshop.StateRevealed: {actNext, actFinish},
		workshop.StateFinished: {},
	}
	// refused is a step that must answer 409 and change nothing.
	refused := func(t *testing.T, a workshop.Action, n int, state workshop.State, round int) {
		t.Helper()
		before := ts.tallies(t, w)
		fac.stepAPI(t, w.Code, a, n).wantAPIError(t, http.StatusConflict, "")
		ts.wantUnchanged(t, before, w)
		ts.wantState(t, w.Code, state, round)
	}
	wantRefusals := func(t *testing.T, state workshop.State, round int) {
		t.Helper()
		for _, a := range allSteps {
			if !slices.Contains(legal[state], a) {
				refused(t, a, round, state, round)
			}
		}
		// A legal step of a round that is not the current one.
		for _, a := range legal[state] {
			if a == actNext || a == actFinish {
				continue
			}
			for _, n := range []int{round - 1, round + 1} {
				if n >= 1 {
					refused(t, a, n, state, round)
				}
			}
		}
	}

	// The lobby: only opening round 1 goes.
	wantWorkshop(t, "lobby", fac.workshopAPI(t, w.Code), workshop.StateLobby, 1, "after_reveal", "self", nil)
	wantRefusals(t, workshop.StateLobby, 1)

	walk := []struct {
		a     workshop.Action
		state workshop.State
		round int
	}{
		{actNext, workshop.StateOpen, 1},
		{actClose, workshop.StateClosed, 1},
		{actReopen, workshop.StateOpen, 1},
		{actClose, workshop.StateClosed, 1},
		{actReveal, workshop.StateRevealed, 1},
		{actNext, workshop.StateOpen, 2},
		{actClose, workshop.StateClosed, 2},
		{actReveal, workshop.StateRevealed, 2},
		{actFinish, workshop.StateFinished, 2},
	}
	round := 1
	for i, st := range walk {
		what := fmt.Sprintf("step %d (%s in round %d)", i+1, st.a, round)
		r := fac.stepAPI(t, w.Code, st.a, round).want(t, http.StatusOK)
		wantWorkshop(t, what, workshopJSON(t, r), st.state, st.round, "after_reveal", "self", nil)
		ts.wantState(t, w.Code, st.state, st.round)
		round = st.round
		wantRefusals(t, st.state, round)
	}

	// Paths that name no round or no step are not found, whatever the state.
	for _, suffix := range []string{"/rounds/0/close", "/rounds/-1/close", "/rounds/x/reveal", "/rounds/2/next", "/rounds/2/finish", "/rounds/2/open"} {
		before := ts.tallies(t, w)
		fac.postJSON(t, apiPath(w.Code, suffix), "").wantAPIError(t, http.StatusNotFound, "")
		ts.wantUnchanged(t, before, w)
	}
}

func TestAPIRoundStepsAccess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	ownerC, organiser, other := ts.login(t, owner.Email), ts.login(t, "organiser@example.org"), ts.login(t, "other@example.org")

	endpoints := []struct {
		name    string
		method  string
		suffix  string
		body    func(w *workshop.Workshop) string
		prepare []workshop.Action // steps from the lobby before the call
		state   workshop.State    // after the call
		round   int
	}{
		{"open round 1", http.MethodPost, "/rounds", nil, nil, workshop.StateOpen, 1},
		{"open round 2 prefilled", http.MethodPost, "/rounds", func(*workshop.Workshop) string { return `{"prefill": true}` },
			[]workshop.Action{actNext, actClose, actReveal}, workshop.StateOpen, 2},
		{"close", http.MethodPost, "/rounds/1/close", nil, []workshop.Action{actNext}, workshop.StateClosed, 1},
		{"reopen", http.MethodPost, "/rounds/1/reopen", nil, []workshop.Action{actNext, actClose}, workshop.StateOpen, 1},
		{"reveal", http.MethodPost, "/rounds/1/reveal", nil, []workshop.Action{actNext, actClose}, workshop.StateRevealed, 1},
		{"finish", http.MethodPost, "/finish", nil, []workshop.Action{actNext}, workshop.StateFinished, 1},
		{"settings", http.MethodPut, "/settings", func(*workshop.Workshop) string { return `{"visibility": "live"}` }, nil, workshop.StateLobby, 1},
		{"focus", http.MethodPost, "/focus", func(w *workshop.Workshop) string { return fmt.Sprintf(`{"scenario_id": %d}`, w.Scenarios[1].ID) },
			nil, workshop.StateLobby, 1},
	}
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			w := ts.workshop(t, owner, false)
			p := ts.join(t, w.Code)
			for _, a := range ep.prepare {
				ts.step(t, w.Code, a)
			}
			body := ""
			if ep.body != nil {
				body = ep.body(w)
			}
			send := func(c *client, code string) *response {
				return c.do(t, ep.method, apiPath(code, ep.suffix), strings.NewReader(body), "Content-Type", "application/json")
			}
			denied := []struct {
				name   string
				c      *client
				code   string
				status int
			}{
				{"other facilitator", other, w.Code, 403},
				{"participant", p, w.Code, 403},
				{"anonymous", ts.client(), w.Code, 401},
				{"owner, unknown code", ownerC, "ZZZZZZZZ", 404},
				{"owner, malformed code", ownerC, "nope", 404},
			}
			for _, d := range denied {
				before := ts.tallies(t, w)
				r := send(d.c, d.code)
				if r.status != d.status {
					t.Fatalf("%s: %s: status=%d, want %d; body: %.300s", d.name, r.req, r.status, d.status, r.body)
				}
				r.wantAPIError(t, d.status, "")
				ts.wantUnchanged(t, before, w)
			}
			got := workshopJSON(t, send(organiser, w.Code).want(t, http.StatusOK))
			if got.Code != w.Code || got.State != string(ep.state) || got.Round != ep.round {
				t.Fatalf("organiser: code=%s state=%s round=%d, want %s %s %d", got.Code, got.State, got.Round, w.Code, ep.state, ep.round)
			}
			ts.wantState(t, w.Code, ep.state, ep.round)
		})
	}
}

func TestAPINextRoundPrefill(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	fac := ts.login(t, owner.Email)

	tests := []struct {
		name    string
		body    string
		prefill bool
	}{
		{"no body", "", false},
		{"prefill false", `{"prefill": false}`, false},
		{"empty object", `{}`, false},
		{"prefill true", `{"prefill": true}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := ts.workshop(t, owner, true)
			p1, p2 := ts.join(t, w.Code), ts.join(t, w.Code)
			s0, s1, c0, c1 := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID, w.Criteria[1].ID
			p1.rate(t, w.Code, s0, c0, "2")
			p1.rate(t, w.Code, s1, c1, "null")
			p2.rate(t, w.Code, s0, c0, "4")
			round1 := []apiRating{{s0, c0, intp(2)}, {s1, c1, nil}}
			// Reading the results loads the live tallies, which the prefill must then bring up to date.
			if res, _ := fac.resultsOf(t, w.Code, 0); res.item(t, s0, c0).N != 2 {
				t.Fatalf("round 1: n=%d, want 2", res.item(t, s0, c0).N)
			}

			// Round 1: the participant's ratings, no previous round.
			got := p1.workshopAPI(t, w.Code)
			if !reflect.DeepEqual(got.Ratings, round1) || got.Previous != nil {
				t.Fatalf("round 1: ratings=%s previous=%s, want %s and absent", jsonOf(got.Ratings), jsonOf(got.Previous), jsonOf(round1))
			}
			fac.steps(t, w.Code, actClose, actReveal)
			r := fac.postJSON(t, apiPath(w.Code, "/rounds"), tt.body).want(t, http.StatusOK)
			wantWorkshop(t, "next round", workshopJSON(t, r), workshop.StateOpen, 2, "after_reveal", "self", nil)

			wantRatings := []apiRating{}
			wantN := int64(0)
			if tt.prefill {
				wantRatings, wantN = round1, 2
			}
			got = p1.workshopAPI(t, w.Code)
			if !reflect.DeepEqual(got.Ratings, wantRatings) || !reflect.DeepEqual(got.Previous, round1) {
				t.Fatalf("round 2: ratings=%s previous=%s, want %s and %s", jsonOf(got.Ratings), jsonOf(got.Previous), jsonOf(wantRatings), jsonOf(round1))
			}
			// The facilitator's results count the copies at once.
			res, _ := fac.resultsOf(t, w.Code, 0)
			if it := res.item(t, s0, c0); res.Round != 2 || it.N != wantN {
				t.Fatalf("round %d results: n=%d, want round 2 and n=%d", res.Round, it.N, wantN)
			}
			if !tt.prefill {
				return
			}
			// Copies are ratings of round 2 like any other: a change leaves round 1 alone.
			p1.rate(t, w.Code, s0, c0, "5")
			res, _ = fac.resultsOf(t, w.Code, 0)
			wantFloats(t, "round 2 after a change", floatCheck{"mean", res.item(t, s0, c0).Mean, fp(4.5)}, // (5 + 4) / 2
				floatCheck{"delta_median", res.item(t, s0, c0).DeltaMedian, fp(1.5)}) // 4.5 - 3
			res, _ = fac.resultsOf(t, w.Code, 1)
			wantFloats(t, "round 1 after a change in round 2", floatCheck{"mean", res.item(t, s0, c0).Mean, fp(3)}) // (2 + 4) / 2
		})
	}

	t.Run("bad bodies", func(t *testing.T) {
		w := ts.workshop(t, owner, true)
		fac.steps(t, w.Code, actClose, actReveal)
		for _, tt := range []struct {
			body   string
			status int
			field  string
		}{
			{`{"prefill": "yes"}`, 422, "prefill"},
			{`{"prefil": true}`, 422, "prefil"},
			{`{"prefill": true`, 400, ""},
			{`{"prefill": true} {}`, 400, ""},
		} {
			before := ts.tallies(t, w)
			fac.postJSON(t, apiPath(w.Code, "/rounds"), tt.body).wantAPIError(t, tt.status, tt.field)
			ts.wantUnchanged(t, before, w)
			ts.wantState(t, w.Code, workshop.StateRevealed, 1)
		}
	})
}

// TestAPIResultsConsensus checks the consensus measures and the change
// between rounds against numbers worked out by hand. Quartiles are type 7:
// with the n ratings sorted as x[0..n-1], quantile p lies at h = (n-1)p and
// is x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). On the 1-5
// scale the tolerance is (5 - 1) / 4 = 1: consensus is IQR <= 1, agreement
// the share of ratings within 1 of the median.
func TestAPIResultsConsensus(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	var ps []*client
	for range 5 {
		ps = append(ps, ts.join(t, w.Code))
	}
	// Item A is scenario 1 x criterion 1, B scenario 1 x criterion 2, C
	// scenario 2 x criterion 1. "" is no rating.
	a := [2]int64{w.Scenarios[0].ID, w.Criteria[0].ID}
	b := [2]int64{w.Scenarios[0].ID, w.Criteria[1].ID}
	c := [2]int64{w.Scenarios[1].ID, w.Criteria[0].ID}
	rateAll := func(item [2]int64, values ...string) {
		t.Helper()
		for i, v := range values {
			if v != "" {
				ps[i].rate(t, w.Code, item[0], item[1], v)
			}
		}
	}

	type itemWant struct {
		n, dontKnow                          int64
		mean, sd, median, q1, q3, iqr        *float64
		consensus, polarised                 bool
		agreement, cv, deltaMedian, deltaIQR *float64
	}
	check := func(t *testing.T, res apiResults, raw []map[string]any, name string, item [2]int64, wt itemWant) {
		t.Helper()
		it := res.item(t, item[0], item[1])
		what := fmt.Sprintf("round %d, item %s", res.Round, name)
		if it.N != wt.n || it.DontKnow != wt.dontKnow || it.Consensus != wt.consensus || it.Polarised != wt.polarised {
			t.Errorf("%s: n=%d dont_know=%d consensus=%v polarised=%v, want %d %d %v %v",
				what, it.N, it.DontKnow, it.Consensus, it.Polarised, wt.n, wt.dontKnow, wt.consensus, wt.polarised)
		}
		wantFloats(t, what,
			floatCheck{"mean", it.Mean, wt.mean}, floatCheck{"sd", it.SD, wt.sd}, floatCheck{"median", it.Median, wt.median},
			floatCheck{"q1", it.Q1, wt.q1}, floatCheck{"q3", it.Q3, wt.q3}, floatCheck{"iqr", it.IQR, wt.iqr},
			floatCheck{"agreement", it.Agreement, wt.agreement}, floatCheck{"cv", it.CV, wt.cv},
			floatCheck{"delta_median", it.DeltaMedian, wt.deltaMedian}, floatCheck{"delta_iqr", it.DeltaIQR, wt.deltaIQR})
		// Every field is present; the deltas are null, not left out, where
		// there is no change to tell: the shape of workshop.json.
		for _, obj := range raw {
			if int64(obj["scenario_id"].(float64)) != item[0] || int64(obj["criterion_id"].(float64)) != item[1] {
				continue
			}
			wantKeys(t, what, obj, "consensus", "agreement", "cv", "polarised", "bimodality", "delta_median", "delta_iqr")
			if (obj["delta_median"] == nil) != (wt.deltaMedian == nil) || (obj["delta_iqr"] == nil) != (wt.deltaIQR == nil) {
				t.Errorf("%s: delta_median=%v delta_iqr=%v, want null exactly where there is no change", what, obj["delta_median"], obj["delta_iqr"])
			}
		}
	}
	type summaryWant struct {
		items                                             int
		consensusShare, meanIQR, dShare, dMeanRelativeIQR *float64
	}
	checkSummary := func(t *testing.T, res apiResults, sw summaryWant) {
		t.Helper()
		what := fmt.Sprintf("round %d summary", res.Round)
		if res.Summary.Items != sw.items {
			t.Errorf("%s: items=%d, want %d", what, res.Summary.Items, sw.items)
		}
		wantFloats(t, what, floatCheck{"consensus_share", res.Summary.ConsensusShare, sw.consensusShare},
			floatCheck{"mean_relative_iqr", res.Summary.MeanRelativeIQR, sw.meanIQR},
			floatCheck{"delta_consensus_share", res.Summary.DeltaConsensusShare, sw.dShare},
			floatCheck{"delta_mean_relative_iqr", res.Summary.DeltaMeanRelativeIQR, sw.dMeanRelativeIQR})
	}

	// Round 1: two camps on A, a spread on B, one voice on C.
	rateAll(a, "1", "1", "1", "5", "5")
	rateAll(b, "2", "3", "4", "4", "null")
	rateAll(c, "4", "4", "4", "4", "4")
	round1 := map[string]itemWant{
		// 1 1 1 5 5, n = 5: q1 at h = 1 is 1, the median at h = 2 is 1, q3 at
		// h = 3 is 5; IQR 4 > 1. Mean 13/5 = 2.6; SD sqrt((5*53 - 13^2) /
		// (5*4)) = sqrt(4.8); CV sqrt(4.8)/2.6. Within 1 of the median: the
		// three 1s, 3/5. Polarised: n = 5; two points only, so Sarle's
		// coefficient is 1 > 5/9; peaks 1 (3 ratings) and 5 (2 >= 3/2), with
		// nothing between them.
		"A": {n: 5, mean: fp(2.6), sd: fp(math.Sqrt(4.8)), median: fp(1), q1: fp(1), q3: fp(5), iqr: fp(4),
			agreement: fp(0.6), cv: fp(math.Sqrt(4.8) / 2.6), polarised: true},
		// 2 3 4 4 and one "don't know", n = 4: q1 at h = 0.75 is 2 + 0.75*1 =
		// 2.75, the median at h = 1.5 is 3 + 0.5*1 = 3.5, q3 at h = 2.25 is
		// 4 + 0.25*0 = 4; IQR 1.25 > 1. Mean 13/4 = 3.25; SD sqrt((4*45 -
		// 169) / 12) = sqrt(11/12). Within 1 of 3.5: 3, 4, 4, so 3/4. n < 5:
		// not polarised.
		"B": {n: 4, dontKnow: 1, mean: fp(3.25), sd: fp(math.Sqrt(11.0 / 12)), median: fp(3.5), q1: fp(2.75), q3: fp(4), iqr: fp(1.25),
			agreement: fp(0.75), cv: fp(math.Sqrt(11.0/12) / 3.25)},
		// 4 4 4 4 4: everything 4, IQR 0, SD 0, CV 0/4 = 0, all within 1.
		"C": {n: 5, mean: fp(4), sd: fp(0), median: fp(4), q1: fp(4), q3: fp(4), iqr: fp(0),
			consensus: true, agreement: fp(1), cv: fp(0)},
	}
	// Items with ratings: A, B, C; in consensus: C alone, 1/3; mean IQR
	// in units of the 1–5 scale's range of 4: (4 + 1.25 + 0) / 3 / 4 =
	// 0.4375. Round 1 has nothing to compare with.
	summary1 := summaryWant{items: 3, consensusShare: fp(1.0 / 3), meanIQR: fp(0.4375)}
	items := map[string][2]int64{"A": a, "B": b, "C": c}

	res, raw := fac.resultsOf(t, w.Code, 0)
	for name, wt := range round1 {
		check(t, res, raw, name, items[name], wt)
	}
	checkSummary(t, res, summary1)

	// Round 2: the room converges on A and B; nobody rates C again.
	fac.steps(t, w.Code, actClose, actReveal, actNext)
	rateAll(a, "2", "3", "3", "3", "4")
	rateAll(b, "3", "3", "4", "4", "null")
	round2 := map[string]itemWant{
		// 2 3 3 3 4: q1 = x[1] = 3, median = x[2] = 3, q3 = x[3] = 3; IQR 0.
		// Mean 3; SD sqrt((5*47 - 15^2) / 20) = sqrt(0.5). All within 1.
		// Deviations -1 0 0 0 1: m2 = m4 = 0.4, m3 = 0, so Sarle's
		// coefficient is 1 / (0.4/0.16) = 0.4 <= 5/9: not polarised.
		// Change: median 3 - 1 = 2, IQR 0 - 4 = -4.
		"A": {n: 5, mean: fp(3), sd: fp(math.Sqrt(0.5)), median: fp(3), q1: fp(3), q3: fp(3), iqr: fp(0),
			consensus: true, agreement: fp(1), cv: fp(math.Sqrt(0.5) / 3), deltaMedian: fp(2), deltaIQR: fp(-4)},
		// 3 3 4 4 and "don't know": q1 at h = 0.75 is 3 + 0.75*0 = 3, the
		// median 3 + 0.5*1 = 3.5, q3 at h = 2.25 is 4; IQR 1 <= 1. Mean 3.5;
		// SD sqrt((4*50 - 14^2) / 12) = sqrt(1/3). All within 1 of 3.5.
		// Change: median 3.5 - 3.5 = 0 (present, not left out), IQR 1 - 1.25 = -0.25.
		"B": {n: 4, dontKnow: 1, mean: fp(3.5), sd: fp(math.Sqrt(1.0 / 3)), median: fp(3.5), q1: fp(3), q3: fp(4), iqr: fp(1),
			consensus: true, agreement: fp(1), cv: fp(math.Sqrt(1.0/3) / 3.5), deltaMedian: fp(0), deltaIQR: fp(-0.25)},
		// No ratings: every statistic null, no change to tell.
		"C": {},
	}
	// Items with ratings: A and B, both in consensus: share 1; mean IQR
	// in units of the range: (0 + 1) / 2 / 4 = 0.125. Change: 1 - 1/3 =
	// 2/3 and 0.125 - 0.4375 = -0.3125.
	summary2 := summaryWant{items: 2, consensusShare: fp(1), meanIQR: fp(0.125), dShare: fp(2.0 / 3), dMeanRelativeIQR: fp(-0.3125)}

	res, raw = fac.resultsOf(t, w.Code, 0)
	if res.Round != 2 || res.Rated != 5 {
		t.Fatalf("current results: round=%d rated=%d, want 2 and 5", res.Round, res.Rated)
	}
	for name, wt := range round2 {
		check(t, res, raw, name, items[name], wt)
	}
	checkSummary(t, res, summary2)
	if got, want := res.item(t, a[0], a[1]).Histogram, map[string]int64{"1": 0, "2": 1, "3": 3, "4": 1, "5": 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("round 2, item A: histogram=%v, want %v", got, want)
	}

	// Round 1 asked for later: as it was, still without deltas.
	res, raw = fac.resultsOf(t, w.Code, 1)
	for name, wt := range round1 {
		check(t, res, raw, name, items[name], wt)
	}
	checkSummary(t, res, summary1)
	if got, want := res.item(t, a[0], a[1]).Histogram, map[string]int64{"1": 3, "2": 0, "3": 0, "4": 0, "5": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("round 1, item A: histogram=%v, want %v", got, want)
	}
	// Round 1 has no earlier round: every item's deltas are null.
	for _, obj := range raw {
		for _, k := range []string{"delta_median", "delta_iqr"} {
			if v, ok := obj[k]; !ok || v != nil {
				t.Errorf("round 1 item %v has %s=%v (present %v), want null", obj, k, v, ok)
			}
		}
	}
}

func TestParticipantFeedback(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	fac := ts.login(t, owner.Email)

	tests := []struct {
		visibility string // "": the default
		feedback   bool
	}{
		{"", true},
		{"after_reveal", true},
		{"live", true},
		{"never", false},
	}
	for _, tt := range tests {
		t.Run(cmp.Or(tt.visibility, "default"), func(t *testing.T) {
			w := ts.workshop(t, owner, true)
			visibility := "after_reveal"
			if tt.visibility != "" {
				visibility = tt.visibility
				got := workshopJSON(t, fac.putJSON(t, apiPath(w.Code, "/settings"), fmt.Sprintf(`{"visibility": %q}`, tt.visibility)).want(t, http.StatusOK))
				wantWorkshop(t, "settings", got, workshop.StateOpen, 1, visibility, "self", nil)
			}
			p1, p2 := ts.join(t, w.Code), ts.join(t, w.Code)
			s0, c0 := w.Scenarios[0].ID, w.Criteria[0].ID
			p1.rate(t, w.Code, s0, c0, "2")
			p2.rate(t, w.Code, s0, c0, "5")

			if got := p1.workshopAPI(t, w.Code); got.Feedback != nil || got.Previous != nil || got.Visibility != visibility {
				t.Fatalf("round 1 open: visibility=%s feedback=%s previous=%s, want %s and both absent", got.Visibility, jsonOf(got.Feedback), jsonOf(got.Previous), visibility)
			}
			fac.steps(t, w.Code, actClose, actReveal)
			if got := p1.workshopAPI(t, w.Code); got.Feedback != nil {
				t.Fatalf("round 1 revealed: feedback=%s, want absent (it is for the next round)", jsonOf(got.Feedback))
			}
			fac.steps(t, w.Code, actNext)
			got := p1.workshopAPI(t, w.Code)
			if want := []apiRating{{s0, c0, intp(2)}}; !reflect.DeepEqual(got.Previous, want) {
				t.Fatalf("round 2: previous=%s, want %s", jsonOf(got.Previous), jsonOf(want))
			}
			if !tt.feedback {
				if got.Feedback != nil {
					t.Fatalf("round 2: feedback=%s, want absent", jsonOf(got.Feedback))
				}
				return
			}
			if n := len(w.Scenarios) * len(w.Criteria); len(got.Feedback) != n {
				t.Fatalf("round 2: %d feedback items, want %d (every item)", len(got.Feedback), n)
			}
			for _, fb := range got.Feedback {
				switch {
				case fb.ScenarioID == s0 && fb.CriterionID == c0:
					// 2 and 5: q1 at h = 0.25 is 2.75, the median 3.5, q3 at h = 0.75 is 4.25.
					if fb.N != 2 {
						t.Errorf("feedback %d-%d: n=%d, want 2", s0, c0, fb.N)
					}
					wantFloats(t, "feedback of the rated item", floatCheck{"median", fb.Median, fp(3.5)},
						floatCheck{"q1", fb.Q1, fp(2.75)}, floatCheck{"q3", fb.Q3, fp(4.25)}, floatCheck{"iqr", fb.IQR, fp(1.5)})
				case fb.N != 0 || fb.Median != nil || fb.IQR != nil:
					t.Errorf("feedback %d-%d: %s, want n=0 and null statistics", fb.ScenarioID, fb.CriterionID, jsonOf(fb))
				}
			}
			// Feedback accompanies voting: closed, it is gone.
			fac.steps(t, w.Code, actClose)
			if got := p1.workshopAPI(t, w.Code); got.Feedback != nil {
				t.Fatalf("round 2 closed: feedback=%s, want absent", jsonOf(got.Feedback))
			}
		})
	}
}

func TestVotePageGroupResults(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	s0, c0 := w.Scenarios[0].ID, w.Criteria[0].ID
	p.rate(t, w.Code, s0, c0, "3")
	group := fmt.Sprintf(`id="g-%d-%d"`, s0, c0)
	page := func() *response { return p.get(t, "/w/"+w.Code).want(t, http.StatusOK) }
	settings := func(visibility string) {
		t.Helper()
		fac.putJSON(t, apiPath(w.Code, "/settings"), fmt.Sprintf(`{"visibility": %q}`, visibility)).want(t, http.StatusOK)
	}

	page().wantLacks(t, "Group:", group) // after_reveal, voting open
	settings("live")
	page().wantContains(t, group, "Group: median <strong>3</strong>")
	settings("never")
	page().wantLacks(t, "Group:", group)
	settings("after_reveal")
	fac.steps(t, w.Code, actClose)
	page().wantLacks(t, "Group:", group)
	fac.steps(t, w.Code, actReveal)
	page().wantContains(t, "Group:", group)
	settings("never")
	page().wantLacks(t, "Group:", group)
}

func TestAPISettings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	put := func(c *client, body string) *response { return c.putJSON(t, apiPath(w.Code, "/settings"), body) }
	first := w.Scenarios[0].ID

	t.Run("changes", func(t *testing.T) {
		for _, tt := range []struct {
			body, visibility, pacing string
			focus                    *int64
		}{
			{`{"visibility": "live"}`, "live", "self", nil},
			// Focus pacing with no scenario chosen puts the first in focus.
			{`{"pacing": "focus"}`, "live", "focus", &first},
			{`{"visibility": "never", "pacing": "self"}`, "never", "self", nil},
			{`{}`, "never", "self", nil},
			{`{"visibility": "after_reveal"}`, "after_reveal", "self", nil},
		} {
			got := workshopJSON(t, put(fac, tt.body).want(t, http.StatusOK))
			wantWorkshop(t, tt.body, got, workshop.StateOpen, 1, tt.visibility, tt.pacing, tt.focus)
			wantWorkshop(t, tt.body+", read back", fac.workshopAPI(t, w.Code), workshop.StateOpen, 1, tt.visibility, tt.pacing, tt.focus)
		}
	})

	tests := []struct {
		name   string
		c      *client
		body   string
		status int
		field  string
	}{
		{"unknown visibility", fac, `{"visibility": "sometimes"}`, 422, "visibility"},
		{"empty visibility", fac, `{"visibility": ""}`, 422, "visibility"},
		{"visibility as a number", fac, `{"visibility": 1}`, 422, "visibility"},
		{"unknown pacing", fac, `{"pacing": "fast"}`, 422, "pacing"},
		{"valid visibility, unknown pacing", fac, `{"visibility": "live", "pacing": "fast"}`, 422, "pacing"},
		{"unknown field", fac, `{"colour": "red"}`, 422, "colour"},
		{"malformed", fac, `{"visibility": `, 400, ""},
		{"participant", p, `{"visibility": "live"}`, 403, ""},
		{"anonymous", ts.client(), `{"visibility": "live"}`, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.tallies(t, w)
			put(tt.c, tt.body).wantAPIError(t, tt.status, tt.field)
			ts.wantUnchanged(t, before, w)
			wantWorkshop(t, "after "+tt.name, fac.workshopAPI(t, w.Code), workshop.StateOpen, 1, "after_reveal", "self", nil)
		})
	}
}

func TestAPIFocus(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, other := ts.workshop(t, owner, true), ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	focus := func(c *client, body string) *response { return c.postJSON(t, apiPath(w.Code, "/focus"), body) }
	section := func(id int64) string { return fmt.Sprintf(`id="s-%d"`, id) }
	sections := func() []string {
		var out []string
		for _, s := range w.Scenarios {
			out = append(out, section(s.ID))
		}
		return out
	}
	s0, s2 := w.Scenarios[0].ID, w.Scenarios[2].ID

	// Self pacing: a focus is kept for later but shown to no one.
	got := workshopJSON(t, focus(fac, fmt.Sprintf(`{"scenario_id": %d}`, s2)).want(t, http.StatusOK))
	wantWorkshop(t, "focus while self-paced", got, workshop.StateOpen, 1, "after_reveal", "self", nil)
	p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, sections()...)

	got = workshopJSON(t, fac.putJSON(t, apiPath(w.Code, "/settings"), `{"pacing": "focus"}`).want(t, http.StatusOK))
	wantWorkshop(t, "focus pacing", got, workshop.StateOpen, 1, "after_reveal", "focus", &s2)
	page := p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, section(s2))
	for _, s := range w.Scenarios {
		if s.ID != s2 {
			page.wantLacks(t, section(s.ID))
		}
	}

	got = workshopJSON(t, focus(fac, fmt.Sprintf(`{"scenario_id": %d}`, s0)).want(t, http.StatusOK))
	wantWorkshop(t, "focus moved", got, workshop.StateOpen, 1, "after_reveal", "focus", &s0)
	if got := p.workshopAPI(t, w.Code); got.Focus == nil || *got.Focus != s0 {
		t.Fatalf("participant sees focus_scenario_id=%s, want %d", jsonOf(got.Focus), s0)
	}
	p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, section(s0)).wantLacks(t, section(s2))

	tests := []struct {
		name   string
		c      *client
		body   string
		status int
		field  string
	}{
		{"unknown scenario", fac, `{"scenario_id": 999999}`, 404, "scenario_id"},
		{"scenario of another workshop", fac, fmt.Sprintf(`{"scenario_id": %d}`, other.Scenarios[2].ID), 404, "scenario_id"},
		{"missing scenario", fac, `{}`, 422, "scenario_id"},
		{"null scenario", fac, `{"scenario_id": null}`, 422, "scenario_id"},
		{"scenario as text", fac, `{"scenario_id": "1"}`, 422, "scenario_id"},
		{"no body", fac, ``, 400, ""},
		{"participant", p, fmt.Sprintf(`{"scenario_id": %d}`, s2), 403, ""},
		{"anonymous", ts.client(), fmt.Sprintf(`{"scenario_id": %d}`, s2), 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.tallies(t, w, other)
			focus(tt.c, tt.body).wantAPIError(t, tt.status, tt.field)
			ts.wantUnchanged(t, before, w, other)
			wantWorkshop(t, "after "+tt.name, fac.workshopAPI(t, w.Code), workshop.StateOpen, 1, "after_reveal", "focus", &s0)
		})
	}
}

// rationaleSaved is the answer to PUT .../rationales.
type rationaleSaved struct {
	Seq, ID int64
	Deleted bool
}

func reasonJSON(sid int64, text string) string {
	b, _ := json.Marshal(map[string]any{"scenario_id": sid, "text": text})
	return string(b)
}

// reason saves a participant's reason through the API.
func (c *client) reason(t *testing.T, code string, sid int64, text string) rationaleSaved {
	t.Helper()
	var out rationaleSaved
	c.putJSON(t, apiPath(code, "/rationales"), reasonJSON(sid, text)).want(t, http.StatusOK).decode(t, &out)
	return out
}

// storedRationale returns the stored rationale with the given ID.
func (ts *testServer) storedRationale(t *testing.T, w *workshop.Workshop, id int64) (workshop.Rationale, bool) {
	t.Helper()
	for _, r := range ts.tally(t, w).Rationales {
		if r.ID == id {
			return r, true
		}
	}
	return workshop.Rationale{}, false
}

func TestAPIRationalePut(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, other, closed := ts.workshop(t, owner, true), ts.workshop(t, owner, true), ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	p.join(t, closed.Code)
	ts.step(t, closed.Code, actClose)
	fac := ts.login(t, owner.Email)
	s0 := w.Scenarios[0].ID

	t.Run("save, edit, remove", func(t *testing.T) {
		first := p.reason(t, w.Code, s0, "  Water runs short first.\r\n  ")
		if first.ID <= 0 || first.Seq <= w.Seq || first.Deleted {
			t.Fatalf("saved %+v, want an id, a seq above %d and deleted=false", first, w.Seq)
		}
		if r, ok := ts.storedRationale(t, w, first.ID); !ok || r.Text != "Water runs short first." || r.Round != 1 || r.ScenarioID != s0 {
			t.Fatalf("stored %+v (found %v), want the trimmed text in round 1 for scenario %d", r, ok, s0)
		}
		edit := p.reason(t, w.Code, s0, "Food runs short first.")
		if edit.ID != first.ID || edit.Seq <= first.Seq {
			t.Fatalf("edit %+v, want the same id %d and a seq above %d", edit, first.ID, first.Seq)
		}
		// The limit counts characters, not bytes: 1000 "é" are 2000 bytes.
		long := strings.Repeat("é", workshop.MaxRationaleRunes)
		p.reason(t, w.Code, s0, long)
		if r, _ := ts.storedRationale(t, w, first.ID); r.Text != long {
			t.Fatalf("stored %d bytes, want the %d of 1000 characters", len(r.Text), len(long))
		}
		gone := p.reason(t, w.Code, s0, "   ")
		if !gone.Deleted || gone.ID != first.ID {
			t.Fatalf("removed %+v, want deleted=true id=%d", gone, first.ID)
		}
		if n := len(ts.tally(t, w).Rationales); n != 0 {
			t.Fatalf("%d rationales stored after removal, want 0", n)
		}
		again := p.reason(t, w.Code, s0, "")
		if again.Deleted || again.Seq != gone.Seq {
			t.Fatalf("removing nothing: %+v, want deleted=false and the unchanged seq %d", again, gone.Seq)
		}
	})

	tests := []struct {
		name   string
		c      *client
		code   string
		body   string
		status int
		field  string
	}{
		{"bidi control character", p, w.Code, reasonJSON(s0, "harmless\u202Eexe.txt"), 422, "text"},
		{"isolate control character", p, w.Code, reasonJSON(s0, "a\u2066b"), 422, "text"},
		{"control character", p, w.Code, reasonJSON(s0, "bell\u0007"), 422, "text"},
		{"1001 characters", p, w.Code, reasonJSON(s0, strings.Repeat("a", workshop.MaxRationaleRunes+1)), 422, "text"},
		{"missing text", p, w.Code, fmt.Sprintf(`{"scenario_id": %d}`, s0), 422, "text"},
		{"missing scenario", p, w.Code, `{"text": "why"}`, 422, "scenario_id"},
		{"text as a number", p, w.Code, fmt.Sprintf(`{"scenario_id": %d, "text": 5}`, s0), 422, "text"},
		{"unknown field", p, w.Code, fmt.Sprintf(`{"scenario_id": %d, "text": "x", "round": 1}`, s0), 422, "round"},
		{"unknown scenario", p, w.Code, reasonJSON(999999, "why"), 404, "scenario_id"},
		{"scenario of another workshop", p, w.Code, reasonJSON(other.Scenarios[0].ID, "why"), 404, "scenario_id"},
		{"voting closed", p, closed.Code, reasonJSON(closed.Scenarios[0].ID, "why"), 409, ""},
		{"facilitator", fac, w.Code, reasonJSON(s0, "why"), 403, ""},
		{"anonymous", ts.client(), w.Code, reasonJSON(s0, "why"), 401, ""},
		{"unknown workshop", p, "ZZZZZZZZ", reasonJSON(s0, "why"), 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.tallies(t, w, other, closed)
			tt.c.putJSON(t, apiPath(tt.code, "/rationales"), tt.body).wantAPIError(t, tt.status, tt.field)
			ts.wantUnchanged(t, before, w, other, closed)
		})
	}
}

func TestAPIRationaleModeration(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w, other := ts.workshop(t, owner, true), ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	p1, p2, stranger := ts.join(t, w.Code), ts.join(t, w.Code), ts.join(t, other.Code)
	s0, s1 := w.Scenarios[0].ID, w.Scenarios[1].ID
	shy := p1.reason(t, w.Code, s0, "Shy reason about borders")
	bold := p2.reason(t, w.Code, s1, "Bold reason about harvests")
	elsewhere := stranger.reason(t, other.Code, other.Scenarios[0].ID, "Reason in another room")
	flag := func(c *client, code string, id any, action string) *response {
		return c.postJSON(t, apiPath(code, fmt.Sprintf("/rationales/%v/%s", id, action)), "")
	}
	wantFlags := func(t *testing.T, what string, id int64, hidden, featured bool) {
		t.Helper()
		r, ok := ts.storedRationale(t, w, id)
		if !ok || r.Hidden != hidden || r.Featured != featured {
			t.Fatalf("%s: stored hidden=%v featured=%v (found %v), want %v %v", what, r.Hidden, r.Featured, ok, hidden, featured)
		}
	}

	t.Run("flags", func(t *testing.T) {
		for _, st := range []struct {
			action           string
			hidden, featured bool
		}{
			{"feature", false, true},
			{"unfeature", false, false},
			{"feature", false, true},
			{"hide", true, false}, // hiding also ends featuring
			{"unhide", false, false},
			{"hide", true, false},
			{"feature", true, true}, // featured but hidden: still on no screen
		} {
			r := flag(fac, w.Code, shy.ID, st.action).want(t, http.StatusNoContent)
			if r.body != "" {
				t.Fatalf("%s: body %q, want none", r.req, r.body)
			}
			wantFlags(t, st.action, shy.ID, st.hidden, st.featured)
		}
	})

	t.Run("edits", func(t *testing.T) {
		flag(fac, w.Code, bold.ID, "feature").want(t, http.StatusNoContent)
		p2.reason(t, w.Code, s1, "Bold reason about harvests")
		wantFlags(t, "same text saved again", bold.ID, false, true)
		p2.reason(t, w.Code, s1, "Bold reason about rain")
		wantFlags(t, "text changed", bold.ID, false, false) // a featured text is approved as it was
		p1.reason(t, w.Code, s0, "Shy reason about borders, edited")
		wantFlags(t, "hidden text changed", shy.ID, true, false) // moderation sticks
		flag(fac, w.Code, shy.ID, "feature").want(t, http.StatusNoContent)
		flag(ts.login(t, "organiser@example.org"), w.Code, bold.ID, "feature").want(t, http.StatusNoContent)
		wantFlags(t, "featured by an organiser", bold.ID, false, true)
	})

	t.Run("projector", func(t *testing.T) {
		// Featured and not hidden: on the big screen once the round is revealed.
		fac.steps(t, w.Code, actClose, actReveal)
		fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK).
			wantContains(t, "Bold reason about rain").wantLacks(t, "Shy reason")
	})

	tests := []struct {
		name   string
		c      *client
		code   string
		id     any
		action string
		status int
	}{
		{"participant", p1, w.Code, shy.ID, "unhide", 403},
		{"other facilitator", ts.login(t, "other@example.org"), w.Code, shy.ID, "unhide", 403},
		{"anonymous", ts.client(), w.Code, shy.ID, "unhide", 401},
		{"unknown id", fac, w.Code, 999999, "unhide", 404},
		{"id not a number", fac, w.Code, "x", "unhide", 404},
		{"rationale of another workshop", fac, w.Code, elsewhere.ID, "hide", 404},
		{"unknown action", fac, w.Code, shy.ID, "delete", 404},
		{"unknown workshop", fac, "ZZZZZZZZ", shy.ID, "unhide", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.tallies(t, w, other)
			flag(tt.c, tt.code, tt.id, tt.action).wantAPIError(t, tt.status, "")
			ts.wantUnchanged(t, before, w, other)
		})
	}

	// The form of the facilitator's page does the same and returns to it.
	fac.postForm(t, fmt.Sprintf("/workshops/%s/rationales/%d/unhide", w.Code, shy.ID), nil).
		wantRedirect(t, "/workshops/"+w.Code+"?done=rationale#rationales")
	wantFlags(t, "unhidden by the form", shy.ID, false, true)
}

func TestRatingsFormReasons(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	s1, c0 := w.Scenarios[1].ID, w.Criteria[0].ID
	path := "/w/" + w.Code + "/ratings"
	field := fmt.Sprintf("reason-%d", s1)
	htmx := []string{"HX-Request", "true"}
	wantReasons := func(t *testing.T, want ...string) {
		t.Helper()
		var got []string
		for _, r := range ts.tally(t, w).Rationales {
			got = append(got, r.Text)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("stored reasons %q, want %q", got, want)
		}
	}

	// Without JavaScript the whole form is saved: ratings and reasons.
	p.postForm(t, path, url.Values{field: {"From the form."}, fmt.Sprintf("r-%d-%d", s1, c0): {"4"}}).
		wantRedirect(t, "/w/"+w.Code+"?saved=1")
	wantReasons(t, "From the form.")
	p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "From the form.")

	// With htmx one reason at a time, answered with its status.
	p.postForm(t, path, url.Values{field: {"From htmx."}}, htmx...).want(t, http.StatusOK).
		wantContains(t, "Saved", fmt.Sprintf(`id="reason-%d-status"`, s1))
	wantReasons(t, "From htmx.")

	before := ts.tallies(t, w)
	p.postForm(t, path, url.Values{field: {"evil\u202Etxt"}}, htmx...).want(t, http.StatusUnprocessableEntity).wantLacks(t, "Saved")
	p.postForm(t, path, url.Values{field: {"evil\u202Etxt"}}).want(t, http.StatusUnprocessableEntity).wantContains(t, "bidirectional")
	ts.wantUnchanged(t, before, w)

	p.postForm(t, path, url.Values{field: {""}}, htmx...).want(t, http.StatusOK).wantContains(t, "Cleared")
	wantReasons(t)
}

// displayLink matches the display link shown once after creating it.
var displayLink = regexp.MustCompile(`href="[^"]*/display/([A-Za-z0-9_-]+)"`)

// createDisplay creates a display link through the facilitator's form and
// returns its path.
func (c *client) createDisplay(t *testing.T, code string) string {
	t.Helper()
	r := c.postForm(t, "/workshops/"+code+"/display", nil).want(t, http.StatusOK).wantContentType(t, "text/html")
	m := displayLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("%s: no /display/<token> link in the page; body: %.2000s", r.req, r.body)
	}
	return "/display/" + m[1]
}

// wantProjectorPage checks a projector page: the join code in groups, the QR
// code, and no control that changes anything.
func wantProjectorPage(t *testing.T, r *response, w *workshop.Workshop) {
	t.Helper()
	r.want(t, http.StatusOK).wantContentType(t, "text/html").wantContains(t, workshop.GroupCode(w.Code), `<svg class="qr"`, "/j/"+w.Code)
	if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Fatalf("%s: Referrer-Policy=%q, want no-referrer", r.req, got)
	}
	for _, s := range []string{`method="post"`, "hx-post", "hx-put", "hx-delete", "/logout"} {
		if strings.Contains(strings.ToLower(r.body), s) {
			t.Fatalf("%s: page holds %q, want no control that changes state", r.req, s)
		}
	}
}

func TestProjector(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, false)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	path := "/workshops/" + w.Code + "/projector"
	if g := workshop.GroupCode(w.Code); len(g) != 9 || g[4] != '-' {
		t.Fatalf("GroupCode(%s)=%s, want XXXX-XXXX", w.Code, g)
	}

	wantProjectorPage(t, fac.get(t, path), w)
	wantProjectorPage(t, ts.login(t, "organiser@example.org").get(t, path), w)
	ts.login(t, "other@example.org").get(t, path).want(t, http.StatusForbidden)
	login := "/login?next=" + url.QueryEscape(path)
	ts.client().get(t, path).wantRedirect(t, login)
	p.get(t, path).wantRedirect(t, login)
	if got := ts.client().status(t, path+"/events"); got != http.StatusUnauthorized {
		t.Fatalf("anonymous GET %s/events: status=%d, want 401", path, got)
	}
	if got := fac.status(t, path+"/events"); got != http.StatusOK {
		t.Fatalf("owner GET %s/events: status=%d, want 200", path, got)
	}
}

func TestDisplayLink(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	other := ts.login(t, "other@example.org")
	wantLink := func(t *testing.T, link string, status int) {
		t.Helper()
		anon := ts.client() // no cookie at all
		r := anon.get(t, link)
		if status == http.StatusOK {
			wantProjectorPage(t, r, w)
		} else {
			r.want(t, status)
		}
		if got := anon.status(t, link+"/events"); got != status {
			t.Fatalf("GET %s/events: status=%d, want %d", link, got, status)
		}
	}

	first := fac.createDisplay(t, w.Code)
	wantLink(t, first, http.StatusOK)
	fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK).wantLacks(t, first) // shown once only

	// Only the workshop's facilitators make or end links.
	before := ts.tallies(t, w)
	other.postForm(t, "/workshops/"+w.Code+"/display", nil).want(t, http.StatusForbidden)
	other.postForm(t, "/workshops/"+w.Code+"/display/revoke", nil).want(t, http.StatusForbidden)
	p.postForm(t, "/workshops/"+w.Code+"/display/revoke", nil).wantRedirect(t, "/login?next="+url.QueryEscape("/workshops/"+w.Code+"/display/revoke"))
	ts.wantUnchanged(t, before, w)
	wantLink(t, first, http.StatusOK)

	// A new link replaces the old one.
	second := fac.createDisplay(t, w.Code)
	if second == first {
		t.Fatalf("second link %s equals the first", second)
	}
	wantLink(t, first, http.StatusNotFound)
	wantLink(t, second, http.StatusOK)

	fac.postForm(t, "/workshops/"+w.Code+"/display/revoke", nil).wantRedirect(t, "/workshops/"+w.Code+"?done=revoke")
	wantLink(t, second, http.StatusNotFound)
	wantLink(t, "/display/not-a-token", http.StatusNotFound)
}

// TestResultsEventsAccess checks who may open the facilitator's live
// stream. That a stream already open ends with the session is checked only
// at the 20-second keep-alive, too slow for this suite.
func TestResultsEventsAccess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	path := "/workshops/" + w.Code + "/events"

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := fac.send(t, ctx, http.MethodGet, path, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET %s: status=%d Content-Type=%q, want 200 text/event-stream", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := readEvents(ctx, res.Body)
	var names []string
	for len(names) < 2 {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended after %v: %v", names, ctx.Err())
			}
			names = append(names, ev.name)
		case <-ctx.Done():
			t.Fatalf("events %v before the deadline, want results and rationales", names)
		}
	}
	if want := []string{"results", "rationales"}; !slices.Equal(names, want) {
		t.Fatalf("first events %v, want %v", names, want)
	}

	for name, tt := range map[string]struct {
		c      *client
		status int
	}{
		"other facilitator": {ts.login(t, "other@example.org"), 403},
		"participant":       {p, 401},
		"anonymous":         {ts.client(), 401},
	} {
		if got := tt.c.status(t, path); got != tt.status {
			t.Errorf("%s: GET %s: status=%d, want %d", name, path, got, tt.status)
		}
	}
	signedOut := ts.login(t, owner.Email)
	signedOut.postForm(t, "/logout", nil).wantRedirect(t, "/login")
	if got := signedOut.status(t, path); got != http.StatusUnauthorized {
		t.Fatalf("after sign-out: GET %s: status=%d, want 401", path, got)
	}
}
