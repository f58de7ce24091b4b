package http

// Fuzz targets of the parsers of outside input in this package: the JSON
// bodies of the API. The seeds in testdata/fuzz run with every go test;
// go test -fuzz=FuzzX explores. The participant's form has its target in
// internal/webform.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
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
