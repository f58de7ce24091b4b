package http

// Fuzz targets of the parsers of outside input in this package: the
// participant's rating form and the JSON bodies of the API. The seeds in
// testdata/fuzz run with every go test; go test -fuzz=FuzzX explores.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"foresight/internal/workshop"
)

// wantClientError checks that err is one a client gets told about: a typed
// domain error or a body over the limit, with a 4xx status.
func wantClientError(t *testing.T, err error) {
	t.Helper()
	var de *workshop.Error
	var mbe *http.MaxBytesError
	if !errors.As(err, &de) && !errors.As(err, &mbe) {
		t.Fatalf("an untyped error: %v", err)
	}
	if _, status := errorStatus(err); status < 400 || status >= 500 {
		t.Fatalf("error %v maps to status %d, want 4xx", err, status)
	}
}

func FuzzParseRatingForm(f *testing.F) {
	f.Add("r-1-2=3&r-1-3=dk&reason-1=Because")
	f.Add("clear=4-5")
	f.Add("r-1-2=3&r-1-2=4")
	f.Add("r-0-2=3&reason-x=y&clear=")
	f.Add("r-9223372036854775807-1=-2147483649&reason-00012=%E2%80%AE")
	f.Fuzz(func(t *testing.T, query string) {
		form, _ := url.ParseQuery(query) // what a server would parse
		rf, err := parseRatingForm(form)
		if err != nil {
			wantClientError(t, err)
			var de *workshop.Error
			if errors.As(err, &de) && (de.Code != workshop.EInvalid || de.Field == "") {
				t.Fatalf("error %+v: want an invalid field, named", de)
			}
			return
		}
		ratings := 0
		for name := range form {
			if strings.HasPrefix(name, "r-") {
				ratings++
			}
		}
		if len(rf.ratings) != ratings {
			t.Fatalf("%d ratings read from %d rating fields", len(rf.ratings), ratings)
		}
		for i, r := range rf.ratings {
			if r.item.ScenarioID <= 0 || r.item.CriterionID <= 0 {
				t.Fatalf("a rating of item %+v", r.item)
			}
			field := form.Get("r-" + strconv.FormatInt(r.item.ScenarioID, 10) + "-" + strconv.FormatInt(r.item.CriterionID, 10))
			if r.value == nil && field != "dk" || r.value != nil && field == "dk" {
				// The field may be spelt otherwise ("r-01-2"): only check
				// what can be looked up.
				if field != "" {
					t.Fatalf("rating %+v read from %q", r, field)
				}
			}
			if i > 0 {
				a, b := rf.ratings[i-1].item, r.item
				if a.ScenarioID > b.ScenarioID || a.ScenarioID == b.ScenarioID && a.CriterionID > b.CriterionID {
					t.Fatalf("ratings out of order: %+v before %+v", a, b)
				}
			}
		}
		for _, r := range rf.reasons {
			if r.scenarioID <= 0 {
				t.Fatalf("a reason for scenario %d", r.scenarioID)
			}
		}
		if rf.clear != nil && (rf.clear.ScenarioID <= 0 || rf.clear.CriterionID <= 0) {
			t.Fatalf("clear %+v", *rf.clear)
		}
	})
}

// jsonRequest is a request with body, limited as the middleware limits it.
func jsonRequest(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPut, "/api/v1/workshops/K7QFM2XD/ratings", bytes.NewReader(body))
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, maxBody)
	return r
}

func FuzzRatingJSON(f *testing.F) {
	f.Add([]byte(`{"scenario_id": 1, "criterion_id": 2, "value": 3}`))
	f.Add([]byte(`{"scenario_id": 1, "criterion_id": 2, "value": null}`))
	f.Add([]byte(`{"scenario_id": 1, "criterion_id": 2}`))
	f.Add([]byte(`{"scenario_id": "1", "criterion_id": 2, "value": 3.5}`))
	f.Add([]byte(`{"scenario_id": 1, "criterion_id": 2, "value": 3} {}`))
	f.Add([]byte(`{"scenario_id": 1, "extra": true}`))
	f.Add([]byte("{\"scenario_id\": 1, \"criterion_id\": 2, \"value\": \"\xff\"}"))
	f.Add([]byte(`[1, 2, 3]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ratingInput
		err := decodeJSON(jsonRequest(body), &in)
		if err != nil {
			wantClientError(t, err)
			return
		}
		item, value, err := in.parse()
		if err != nil {
			wantClientError(t, err)
			return
		}
		if in.ScenarioID == nil || in.CriterionID == nil || item.ScenarioID != *in.ScenarioID || item.CriterionID != *in.CriterionID {
			t.Fatalf("item %+v from %+v", item, in)
		}
		if (value == nil) != (string(in.Value) == "null") {
			t.Fatalf("value %v from %s", value, in.Value)
		}
	})
}

func FuzzSettingsJSON(f *testing.F) {
	f.Add([]byte(`{"title": "Tuesday", "visibility": "live"}`))
	f.Add([]byte(`{"participant_limit": -1}`))
	f.Add([]byte(`{"anonymity": "pseudonymous", "pacing": "focus", "description": "a\nb"}`))
	f.Add([]byte(`{"title": "\u202eevil"}`))
	f.Add([]byte(`{"title": null, "description": 7}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		set := workshop.Settings{Title: "Tuesday", Anonymity: workshop.Anonymous, Visibility: workshop.VisibleLive, Pacing: workshop.PaceSelf}
		if err := decodeJSON(jsonRequest(body), &set); err != nil {
			wantClientError(t, err)
			return
		}
		if err := set.Clean(); err != nil {
			wantClientError(t, err)
			return
		}
		if workshop.CheckText(set.Title, workshop.MaxTitleRunes) != nil || workshop.CheckText(set.Description, workshop.MaxTextRunes) != nil {
			t.Fatalf("unclean settings came through: %+v", set)
		}
		again := set
		if err := again.Clean(); err != nil || again != set {
			t.Fatalf("cleaning twice: %+v, %v; want %+v", again, err, set)
		}
	})
}
