package http_test

// Fuzz targets that send outside input through the whole server, on a real
// database: whatever the body, the answer is no server error, and a refused
// request stores nothing. The seeds in testdata/fuzz run with every go test.

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	fhttp "foresight/internal/http"
	"foresight/internal/workshop"
)

// fuzzServer is a server with an owner and an open workshop; the owner's
// browser is signed in.
func fuzzServer(f *testing.F) (*testServer, *workshop.Workshop, *client) {
	f.Helper()
	ts := newTestServerWith(f, fhttp.Config{}, false)
	ctx := context.Background()
	owner, err := ts.db.CreateUser(ctx, "owner@example.org", testPassword, workshop.RoleFacilitator)
	if err != nil {
		f.Fatal(err)
	}
	w, err := ts.db.CreateWorkshop(ctx, owner, ts.deck, "Fuzzed", true)
	if err != nil {
		f.Fatal(err)
	}
	fac := ts.client()
	res, err := fac.hc.PostForm(ts.url+"/login", url.Values{"email": {owner.Email}, "password": {testPassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		f.Fatalf("sign in: %v, %v", res, err)
	}
	res.Body.Close()
	return ts, w, fac
}

// wantRefusedOrStored checks the invariants of one fuzzed request.
func wantRefusedOrStored(t *testing.T, ts *testServer, w *workshop.Workshop, before []workshop.Tally, r *response, ok int) {
	t.Helper()
	if r.status >= 500 {
		t.Fatalf("%s: status=%d; body: %.300s", r.req, r.status, r.body)
	}
	if r.status != ok {
		ts.wantUnchanged(t, before, w)
	}
}

func FuzzAPIRatingBody(f *testing.F) {
	ts, w, _ := fuzzServer(f)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	f.Add(ratingJSON(sid, cid, "3"))
	f.Add(ratingJSON(sid, cid, "null"))
	f.Add(ratingJSON(sid, cid, "9"))
	f.Add(ratingJSON(sid, 999999, "3"))
	f.Add(`{"scenario_id": 1, "criterion_id": 1, "value": 3, "x": 1}`)
	f.Add("{\"scenario_id\": 1, \"criterion_id\": 1, \"value\": \"\xff\"}")
	f.Fuzz(func(t *testing.T, body string) {
		p := ts.join(t, w.Code)
		before := ts.tallies(t, w)
		r := p.putJSON(t, apiPath(w.Code, "/ratings"), body)
		wantRefusedOrStored(t, ts, w, before, r, http.StatusOK)
		if r.status >= 400 {
			r.wantContentType(t, "application/json")
		}
	})
}

func FuzzRationaleBody(f *testing.F) {
	ts, w, _ := fuzzServer(f)
	sid := w.Scenarios[0].ID
	f.Add(reasonJSON(sid, "Rivers decide it."))
	f.Add(reasonJSON(sid, ""))
	f.Add(reasonJSON(sid, "evil\u202Etxt"))
	f.Add(reasonJSON(sid, strings.Repeat("é", 1001)))
	f.Add(`{"scenario_id": 1}`)
	f.Fuzz(func(t *testing.T, body string) {
		p := ts.join(t, w.Code)
		before := ts.tallies(t, w)
		wantRefusedOrStored(t, ts, w, before, p.putJSON(t, apiPath(w.Code, "/rationales"), body), http.StatusOK)
	})
}

// FuzzRatingsForm posts form bodies as htmx does: one change at a time,
// so a refused form stores nothing (without JavaScript the page saves what
// is valid and reports the rest).
func FuzzRatingsForm(f *testing.F) {
	ts, w, _ := fuzzServer(f)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	item := "r-" + itoa64(sid) + "-" + itoa64(cid)
	f.Add(item + "=3")
	f.Add(item + "=dk")
	f.Add(item + "=6")
	f.Add("reason-" + itoa64(sid) + "=Because")
	f.Add("clear=" + itoa64(sid) + "-" + itoa64(cid))
	f.Add(item + "=3&" + item + "=4")
	f.Add("reason-" + itoa64(sid) + "=%FF%FE")
	f.Fuzz(func(t *testing.T, body string) {
		p := ts.join(t, w.Code)
		before := ts.tallies(t, w)
		r := p.do(t, http.MethodPost, "/w/"+w.Code+"/ratings", strings.NewReader(body),
			"Content-Type", "application/x-www-form-urlencoded", "HX-Request", "true")
		wantRefusedOrStored(t, ts, w, before, r, http.StatusOK)
	})
}

func FuzzSettingsBody(f *testing.F) {
	ts, w, fac := fuzzServer(f)
	f.Add(`{"title": "Wednesday"}`)
	f.Add(`{"participant_limit": 12, "visibility": "never"}`)
	f.Add(`{"pacing": "focus"}`)
	f.Add(`{"title": ""}`)
	f.Add(`{"anonymity": "named"}`)
	f.Add(`{"title": "a` + "\u2066" + `"}`)
	f.Fuzz(func(t *testing.T, body string) {
		before := ts.tallies(t, w)
		stored, err := ts.db.WorkshopByCode(context.Background(), w.Code)
		if err != nil {
			t.Fatal(err)
		}
		r := fac.putJSON(t, apiPath(w.Code, "/settings"), body)
		wantRefusedOrStored(t, ts, w, before, r, http.StatusOK)
		if r.status != http.StatusOK {
			after, err := ts.db.WorkshopByCode(context.Background(), w.Code)
			if err != nil || !reflect.DeepEqual(after.Settings(), stored.Settings()) {
				t.Fatalf("refused settings %s changed %+v into %+v (%v)", body, stored.Settings(), after.Settings(), err)
			}
		}
	})
}

func itoa64(v int64) string { return strconv.FormatInt(v, 10) }
