package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/live"
	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// testPassword is the password of every account the tests create.
const testPassword = "a long enough password"

// testServer is the real server, wired like cmd/foresight does it, on a real
// SQLite file in a temporary folder.
type testServer struct {
	url    string
	srv    *fhttp.Server
	db     *store.DB
	dbPath string
	deck   workshop.Deck
	// transport reaches the server (over TLS for an HTTPS server); proxied
	// means the server trusts the test client as a TLS-terminating proxy.
	transport http.RoundTripper
	proxied   bool
	// cookies checks every Set-Cookie any client of the server receives.
	cookies *cookieAudit
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWith(t, fhttp.Config{}, false)
}

// newTestServerWith is newTestServer with a configuration (a nil Logger
// discards the log) and, with https, served over TLS.
func newTestServerWith(tb testing.TB, cfg fhttp.Config, https bool) *testServer {
	tb.Helper()
	path := pgtest.NewDatabase(tb)
	db, err := store.Open(path)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return serveDB(tb, db, path, cfg, https, nil)
}

// serveDB starts a server on an open database: a second one on the same
// database shares its accounts and workshops but not its memory. The live
// hub reads from src, or from db when src is nil.
func serveDB(tb testing.TB, db *store.DB, path string, cfg fhttp.Config, https bool, src live.Source) *testServer {
	tb.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if src == nil {
		src = db
	}
	hub := live.NewHub(src, cfg.Logger)
	tb.Cleanup(hub.Close)
	db.Subscribe(hub.Apply) // as cmd wires it
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		tb.Fatalf("built-in decks: %v", err)
	}
	srv, err := fhttp.New(context.Background(), db, hub, decks, cfg)
	if err != nil {
		tb.Fatalf("new server: %v", err)
	}
	hs := httptest.NewUnstartedServer(srv)
	if https {
		hs.StartTLS()
	} else {
		hs.Start()
	}
	// Cleanups run last-in first-out: streams, HTTP, then hub and database.
	tb.Cleanup(func() { srv.CloseStreams(); hs.Close() })
	ts := &testServer{url: hs.URL, srv: srv, db: db, dbPath: path, deck: decks[0],
		transport: hs.Client().Transport, proxied: len(cfg.TrustedProxies) > 0, cookies: &cookieAudit{}}
	tb.Cleanup(func() { ts.cookies.report(tb) })
	return ts
}

// user creates an account with testPassword.
func (ts *testServer) user(t *testing.T, email string, role workshop.Role) workshop.User {
	t.Helper()
	u, err := ts.db.CreateUser(context.Background(), email, testPassword, role)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// workshop creates a workshop on the built-in deck, open or in the lobby.
func (ts *testServer) workshop(t *testing.T, owner workshop.User, open bool) *workshop.Workshop {
	t.Helper()
	w, err := ts.db.CreateWorkshop(context.Background(), owner, ts.deck, "", open)
	if err != nil {
		t.Fatalf("create workshop: %v", err)
	}
	return w
}

// step applies a facilitator's action straight in the store.
func (ts *testServer) step(t *testing.T, code string, a workshop.Action) {
	t.Helper()
	if _, err := ts.db.Step(context.Background(), code, a, 0, false); err != nil {
		t.Fatalf("step %s: %v", a, err)
	}
}

// tally reads what the database holds for a workshop, bypassing the server:
// its change counter (raised by every join, rating and state change),
// participants and ratings.
func (ts *testServer) tally(t *testing.T, w *workshop.Workshop) workshop.Tally {
	t.Helper()
	tl, err := ts.db.LoadTally(context.Background(), w.ID)
	if err != nil {
		t.Fatalf("load tally: %v", err)
	}
	return tl
}

// tallies reads the stored state of several workshops at once.
func (ts *testServer) tallies(t *testing.T, ws ...*workshop.Workshop) []workshop.Tally {
	t.Helper()
	var out []workshop.Tally
	for _, w := range ws {
		out = append(out, ts.tally(t, w))
	}
	return out
}

// wantUnchanged fails when the stored state of ws differs from before.
func (ts *testServer) wantUnchanged(t *testing.T, before []workshop.Tally, ws ...*workshop.Workshop) {
	t.Helper()
	if after := ts.tallies(t, ws...); !reflect.DeepEqual(after, before) {
		t.Fatalf("stored %+v, want it unchanged from %+v", after, before)
	}
}

// client is one browser: its own cookie jar, and redirects are not followed
// so that tests see the 303s.
type client struct {
	ts *testServer
	hc *http.Client
}

func (ts *testServer) client() *client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &client{ts: ts, hc: &http.Client{
		Jar:           jar,
		Transport:     auditTransport{ts: ts, base: ts.transport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// login signs a new client in through POST /login.
func (ts *testServer) login(t *testing.T, email string) *client {
	t.Helper()
	c := ts.client()
	c.postForm(t, "/login", url.Values{"email": {email}, "password": {testPassword}}).wantRedirect(t, "/dashboard")
	return c
}

// join makes a new client join a workshop through POST /j/{code}.
func (ts *testServer) join(t *testing.T, code string) *client {
	t.Helper()
	c := ts.client()
	c.join(t, code)
	return c
}

func (c *client) join(t *testing.T, code string) {
	t.Helper()
	c.postForm(t, "/j/"+code, nil).wantRedirect(t, "/w/"+code)
}

// response is an answer read in full.
type response struct {
	req     string // "METHOD path", for messages
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

// send sends a request; hdr holds header names and values in pairs. The
// caller closes the body.
func (c *client) send(t *testing.T, ctx context.Context, method, path string, body io.Reader, hdr ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, c.ts.url+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res
}

// do sends a request and reads the whole answer.
func (c *client) do(t *testing.T, method, path string, body io.Reader, hdr ...string) *response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := c.send(t, ctx, method, path, body, hdr...)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{req: method + " " + path, status: res.StatusCode, header: res.Header, body: string(b), cookies: res.Cookies()}
}

func (c *client) get(t *testing.T, path string, hdr ...string) *response {
	t.Helper()
	return c.do(t, http.MethodGet, path, nil, hdr...)
}

func (c *client) postForm(t *testing.T, path string, form url.Values, hdr ...string) *response {
	t.Helper()
	hdr = append(hdr, "Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, http.MethodPost, path, strings.NewReader(form.Encode()), hdr...)
}

func (c *client) putJSON(t *testing.T, path, body string, hdr ...string) *response {
	t.Helper()
	hdr = append(hdr, "Content-Type", "application/json")
	return c.do(t, http.MethodPut, path, strings.NewReader(body), hdr...)
}

// status sends a GET and reads only the status, so it works for live
// streams too: the stream is ended as soon as its headers arrived.
func (c *client) status(t *testing.T, path string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res := c.send(t, ctx, http.MethodGet, path, nil)
	res.Body.Close()
	return res.StatusCode
}

func (r *response) want(t *testing.T, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status=%d, want %d; body: %.400s", r.req, r.status, status, r.body)
	}
	return r
}

func (r *response) wantRedirect(t *testing.T, location string) *response {
	t.Helper()
	r.want(t, http.StatusSeeOther)
	if got := r.header.Get("Location"); got != location {
		t.Fatalf("%s: Location=%q, want %q", r.req, got, location)
	}
	return r
}

func (r *response) wantContains(t *testing.T, substrings ...string) *response {
	t.Helper()
	for _, s := range substrings {
		if !strings.Contains(r.body, s) {
			t.Fatalf("%s: body lacks %q; body: %.2000s", r.req, s, r.body)
		}
	}
	return r
}

func (r *response) wantContentType(t *testing.T, prefix string) *response {
	t.Helper()
	if got := r.header.Get("Content-Type"); !strings.HasPrefix(got, prefix) {
		t.Fatalf("%s: Content-Type=%q, want %s", r.req, got, prefix)
	}
	return r
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	r.wantContentType(t, "application/json")
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("%s: decode %.400s: %v", r.req, r.body, err)
	}
}

// wantAPIError checks a JSON error body and the field it names.
func (r *response) wantAPIError(t *testing.T, status int, field string) {
	t.Helper()
	r.want(t, status)
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.Field != field {
		t.Fatalf("%s: error=%+v, want a code, a message and field %q", r.req, e.Error, field)
	}
}

// wantRetryAfter checks a 429 with a Retry-After of whole seconds.
func (r *response) wantRetryAfter(t *testing.T) {
	t.Helper()
	r.want(t, http.StatusTooManyRequests)
	if n, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || n < 1 {
		t.Fatalf("%s: Retry-After=%q, want a number of seconds >= 1", r.req, r.header.Get("Retry-After"))
	}
}

// The JSON shapes of API v1, as a client reads them.
type (
	apiRating struct {
		ScenarioID  int64 `json:"scenario_id"`
		CriterionID int64 `json:"criterion_id"`
		Value       *int  `json:"value"`
	}
	apiWorkshop struct {
		Code, Title, State string
		Round              int
		Visibility, Pacing string
		Focus              *int64 `json:"focus_scenario_id"`
		Scenarios          []map[string]any
		Criteria           []map[string]any
		// For a participant; nil when absent, empty when [].
		Ratings  []apiRating
		Previous []apiRating
		Feedback []apiFeedback
	}
	apiFeedback struct {
		ScenarioID     int64 `json:"scenario_id"`
		CriterionID    int64 `json:"criterion_id"`
		N              int64
		Median, Q1, Q3 *float64
		IQR            *float64 `json:"iqr"`
	}
	apiItem struct {
		ScenarioID               int64 `json:"scenario_id"`
		CriterionID              int64 `json:"criterion_id"`
		N                        int64
		DontKnow                 int64 `json:"dont_know"`
		Mean, Median, Q1, Q3, SD *float64
		IQR                      *float64 `json:"iqr"`
		Histogram                map[string]int64
		Consensus, Polarised     bool
		Agreement                *float64
		CV                       *float64 `json:"cv"`
		DeltaMedian              *float64 `json:"delta_median"`
		DeltaIQR                 *float64 `json:"delta_iqr"`
	}
	apiSummary struct {
		Items                int
		ConsensusShare       *float64 `json:"consensus_share"`
		MeanRelativeIQR      *float64 `json:"mean_relative_iqr"`
		DeltaConsensusShare  *float64 `json:"delta_consensus_share"`
		DeltaMeanRelativeIQR *float64 `json:"delta_mean_relative_iqr"`
	}
	apiResults struct {
		Round         int
		Seq           int64
		Joined, Rated int
		Items         []apiItem
		Summary       apiSummary
	}
)

func (res apiResults) item(t *testing.T, sid, cid int64) apiItem {
	t.Helper()
	for _, it := range res.Items {
		if it.ScenarioID == sid && it.CriterionID == cid {
			return it
		}
	}
	t.Fatalf("results lack item %d-%d", sid, cid)
	return apiItem{}
}

func apiPath(code, suffix string) string { return "/api/v1/workshops/" + code + suffix }

func ratingJSON(sid, cid int64, value string) string {
	return fmt.Sprintf(`{"scenario_id": %d, "criterion_id": %d, "value": %s}`, sid, cid, value)
}

// rate saves one rating through the API and returns its seq.
func (c *client) rate(t *testing.T, code string, sid, cid int64, value string) int64 {
	t.Helper()
	var out struct{ Seq int64 }
	c.putJSON(t, apiPath(code, "/ratings"), ratingJSON(sid, cid, value)).want(t, http.StatusOK).decode(t, &out)
	return out.Seq
}

func (c *client) results(t *testing.T, code string) apiResults {
	t.Helper()
	var res apiResults
	c.get(t, apiPath(code, "/results")).want(t, http.StatusOK).decode(t, &res)
	return res
}

// ownRatings is what the API shows a participant of their own ratings.
func (c *client) ownRatings(t *testing.T, code string) []apiRating {
	t.Helper()
	var w apiWorkshop
	c.get(t, apiPath(code, "")).want(t, http.StatusOK).decode(t, &w)
	return w.Ratings
}

func intp(v int) *int { return &v }

func TestHealthz(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.client().get(t, "/healthz").want(t, http.StatusOK).wantContains(t, "ok")
}

func TestAPIRatingPut(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, other := ts.workshop(t, owner, true), ts.workshop(t, owner, true)
	lobby, closed := ts.workshop(t, owner, false), ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	for _, code := range []string{lobby.Code, closed.Code} {
		p.join(t, code)
	}
	ts.step(t, closed.Code, workshop.ActClose)
	stranger := ts.join(t, other.Code)
	fac := ts.login(t, owner.Email)
	sid, cid, cid2 := w.Scenarios[0].ID, w.Criteria[0].ID, w.Criteria[1].ID

	t.Run("saved", func(t *testing.T) {
		seq1 := p.rate(t, w.Code, sid, cid, "3")
		seq2 := p.rate(t, w.Code, sid, cid2, "null")
		seq3 := p.rate(t, w.Code, sid, cid, "4")
		if !(seq1 > w.Seq && seq2 > seq1 && seq3 > seq2) {
			t.Fatalf("seqs %d, %d, %d after %d; want each higher", seq1, seq2, seq3, w.Seq)
		}
		if got := p.rate(t, w.Code, sid, cid, "4"); got != seq3 {
			t.Fatalf("the same answer again: seq=%d, want the unchanged %d", got, seq3)
		}
		if got := ts.tally(t, w).Seq; got != seq3 {
			t.Fatalf("stored seq=%d, want %d: the answer came before the commit", got, seq3)
		}
		res := fac.results(t, w.Code)
		if it := res.item(t, sid, cid); it.N != 1 || it.Mean == nil || *it.Mean != 4 {
			t.Fatalf("item %d-%d: %s, want n=1 mean=4", sid, cid, jsonOf(it))
		}
		if it := res.item(t, sid, cid2); it.N != 0 || it.DontKnow != 1 {
			t.Fatalf("item %d-%d: n=%d dont_know=%d, want 0 and 1", sid, cid2, it.N, it.DontKnow)
		}
		want := []apiRating{{sid, cid, intp(4)}, {sid, cid2, nil}}
		if got := p.ownRatings(t, w.Code); !reflect.DeepEqual(got, want) {
			t.Fatalf("own ratings=%s, want %s", jsonOf(got), jsonOf(want))
		}
	})

	huge := `{"scenario_id": 1, "criterion_id": 1, "value": 3` + strings.Repeat(" ", 100_000) + "}"
	tests := []struct {
		name   string
		c      *client
		code   string
		body   string
		status int
		field  string
	}{
		{"missing value", p, w.Code, fmt.Sprintf(`{"scenario_id": %d, "criterion_id": %d}`, sid, cid), 422, "value"},
		{"value above the scale", p, w.Code, ratingJSON(sid, cid, "6"), 422, "value"},
		{"value below the scale", p, w.Code, ratingJSON(sid, cid, "0"), 422, "value"},
		{"fractional value", p, w.Code, ratingJSON(sid, cid, "3.5"), 422, "value"},
		{"value as text", p, w.Code, ratingJSON(sid, cid, `"3"`), 422, "value"},
		{"unknown field", p, w.Code, `{"scenario_id": 1, "criterion_id": 1, "value": 3, "extra": 1}`, 422, "extra"},
		{"malformed JSON", p, w.Code, `{"scenario_id": 1,`, 400, ""},
		{"two JSON values", p, w.Code, ratingJSON(sid, cid, "2") + ratingJSON(sid, cid, "2"), 400, ""},
		{"empty body", p, w.Code, "", 400, ""},
		{"body over 64 KiB", p, w.Code, huge, 413, ""},
		{"no cookie", ts.client(), w.Code, ratingJSON(sid, cid, "2"), 401, ""},
		{"participant of another workshop", stranger, w.Code, ratingJSON(sid, cid, "2"), 403, ""},
		{"facilitator without participant cookie", fac, w.Code, ratingJSON(sid, cid, "2"), 403, ""},
		{"unknown code", p, "ZZZZZZZZ", ratingJSON(sid, cid, "2"), 404, ""},
		{"malformed code", p, "nope", ratingJSON(sid, cid, "2"), 404, ""},
		{"scenario of another workshop", p, w.Code, ratingJSON(other.Scenarios[0].ID, cid, "2"), 404, "scenario_id"},
		{"unknown criterion", p, w.Code, ratingJSON(sid, 999_999, "2"), 404, "criterion_id"},
		{"workshop in the lobby", p, lobby.Code, ratingJSON(lobby.Scenarios[0].ID, lobby.Criteria[0].ID, "2"), 409, ""},
		{"voting closed", p, closed.Code, ratingJSON(closed.Scenarios[0].ID, closed.Criteria[0].ID, "2"), 409, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.tallies(t, w, other, lobby, closed)
			tt.c.putJSON(t, apiPath(tt.code, "/ratings"), tt.body).wantAPIError(t, tt.status, tt.field)
			ts.wantUnchanged(t, before, w, other, lobby, closed)
		})
	}
}

func TestAPIRatingDelete(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p, fac := ts.join(t, w.Code), ts.login(t, owner.Email)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	del := func(c *client, query string) *response {
		return c.do(t, http.MethodDelete, apiPath(w.Code, "/ratings?"+query), nil)
	}
	item := fmt.Sprintf("scenario_id=%d&criterion_id=%d", sid, cid)

	saved := p.rate(t, w.Code, sid, cid, "2")
	if n := fac.results(t, w.Code).item(t, sid, cid).N; n != 1 {
		t.Fatalf("n=%d after a rating, want 1", n)
	}
	var out struct{ Seq int64 }
	del(p, item).want(t, http.StatusOK).decode(t, &out)
	if out.Seq <= saved {
		t.Fatalf("seq=%d after clearing, want more than %d", out.Seq, saved)
	}
	if n := fac.results(t, w.Code).item(t, sid, cid).N; n != 0 {
		t.Fatalf("n=%d after clearing, want 0", n)
	}
	if got := p.ownRatings(t, w.Code); len(got) != 0 {
		t.Fatalf("own ratings=%s after clearing, want none", jsonOf(got))
	}
	cleared := out.Seq
	del(p, item).want(t, http.StatusOK).decode(t, &out)
	if out.Seq != cleared {
		t.Fatalf("clearing again: seq=%d, want the unchanged %d", out.Seq, cleared)
	}
	del(p, "scenario_id=x&criterion_id=1").wantAPIError(t, 422, "scenario_id")
	del(p, fmt.Sprintf("scenario_id=%d", sid)).wantAPIError(t, 422, "criterion_id")
	del(ts.client(), item).wantAPIError(t, 401, "")
	del(fac, item).wantAPIError(t, 403, "")
}

func TestAPIWorkshop(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	sid, cid := w.Scenarios[1].ID, w.Criteria[1].ID
	p.rate(t, w.Code, sid, cid, "5")

	t.Run("participant", func(t *testing.T) {
		var got apiWorkshop
		p.get(t, apiPath(w.Code, "")).want(t, http.StatusOK).decode(t, &got)
		if got.Code != w.Code || got.Title != w.Title || got.State != "open" || got.Round != 1 {
			t.Fatalf("code=%s title=%q state=%s round=%d, want %s %q open 1", got.Code, got.Title, got.State, got.Round, w.Code, w.Title)
		}
		if len(got.Scenarios) != len(w.Scenarios) || len(got.Criteria) != len(w.Criteria) {
			t.Fatalf("%d scenarios, %d criteria; want %d, %d", len(got.Scenarios), len(got.Criteria), len(w.Scenarios), len(w.Criteria))
		}
		wantKeys(t, "scenario", got.Scenarios[0], "id", "title", "narrative", "source")
		wantKeys(t, "criterion", got.Criteria[0], "id", "name", "kind", "min", "max", "step", "dont_know", "labels")
		if c := got.Criteria[0]; c["min"] != 1.0 || c["max"] != 5.0 || c["step"] != 1.0 || c["dont_know"] != true {
			t.Fatalf("criterion %v, want a 1-5 scale in steps of 1 with \"don't know\"", c)
		}
		if want := []apiRating{{sid, cid, intp(5)}}; !reflect.DeepEqual(got.Ratings, want) {
			t.Fatalf("ratings=%s, want %s", jsonOf(got.Ratings), jsonOf(want))
		}
	})

	tests := []struct {
		name   string
		c      *client
		code   string
		status int
	}{
		{"owner", ts.login(t, owner.Email), w.Code, 200},
		{"organiser", ts.login(t, "organiser@example.org"), w.Code, 200},
		{"other facilitator", ts.login(t, "other@example.org"), w.Code, 403},
		{"anonymous", ts.client(), w.Code, 401},
		{"unknown code", p, "ZZZZZZZZ", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.get(t, apiPath(tt.code, ""))
			if tt.status != http.StatusOK {
				r.wantAPIError(t, tt.status, "")
				return
			}
			var got apiWorkshop
			r.want(t, http.StatusOK).decode(t, &got)
			if got.Code != w.Code || got.Ratings != nil {
				t.Fatalf("code=%s ratings=%v, want %s and no ratings for a facilitator", got.Code, got.Ratings, w.Code)
			}
		})
	}
}

func TestAPIResults(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	ts.user(t, "organiser@example.org", workshop.RoleOrganiser)
	ts.user(t, "other@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p1, p2 := ts.join(t, w.Code), ts.join(t, w.Code)
	s0, s1, c0, c1 := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID, w.Criteria[1].ID
	p1.rate(t, w.Code, s0, c0, "2")
	p2.rate(t, w.Code, s0, c0, "5")
	p1.rate(t, w.Code, s0, c1, "null")
	p2.rate(t, w.Code, s1, c0, "4")
	fac := ts.login(t, owner.Email)

	t.Run("numbers", func(t *testing.T) {
		var res apiResults
		var raw struct{ Items []map[string]any }
		r := fac.get(t, apiPath(w.Code, "/results")).want(t, http.StatusOK)
		r.decode(t, &res)
		r.decode(t, &raw)
		wantKeys(t, "item", raw.Items[len(raw.Items)-1], "scenario_id", "criterion_id", "n", "dont_know", "mean", "median", "q1", "q3", "iqr", "sd", "histogram")
		if want := ts.tally(t, w).Seq; res.Round != 1 || res.Seq != want || res.Joined != 2 || res.Rated != 2 {
			t.Fatalf("round=%d seq=%d joined=%d rated=%d, want 1 %d 2 2", res.Round, res.Seq, res.Joined, res.Rated, want)
		}
		if got, want := len(res.Items), len(w.Scenarios)*len(w.Criteria); got != want {
			t.Fatalf("%d items, want %d (every scenario x criterion)", got, want)
		}
		for _, it := range res.Items {
			for v := 1; v <= 5; v++ {
				if _, ok := it.Histogram[strconv.Itoa(v)]; !ok || len(it.Histogram) != 5 {
					t.Fatalf("item %d-%d: histogram %v, want exactly the points 1..5", it.ScenarioID, it.CriterionID, it.Histogram)
				}
			}
			if it.N == 0 && (it.Mean != nil || it.Median != nil || it.Q1 != nil || it.Q3 != nil || it.IQR != nil || it.SD != nil) {
				t.Fatalf("item %d-%d has n=0 but statistics %s, want null", it.ScenarioID, it.CriterionID, jsonOf(it))
			}
		}
		two := res.item(t, s0, c0)
		if want := map[string]int64{"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}; two.N != 2 || two.DontKnow != 0 || !reflect.DeepEqual(two.Histogram, want) {
			t.Fatalf("item 2 and 5: n=%d dont_know=%d histogram=%v, want 2, 0, %v", two.N, two.DontKnow, two.Histogram, want)
		}
		for _, s := range []struct {
			name string
			got  *float64
			want float64
		}{
			{"mean", two.Mean, 3.5}, {"median", two.Median, 3.5}, {"q1", two.Q1, 2.75},
			{"q3", two.Q3, 4.25}, {"iqr", two.IQR, 1.5}, {"sd", two.SD, math.Sqrt(4.5)},
		} {
			if s.got == nil || math.Abs(*s.got-s.want) > 1e-9 {
				t.Fatalf("item 2 and 5: %s=%s, want %v", s.name, jsonOf(s.got), s.want)
			}
		}
		if dk := res.item(t, s0, c1); dk.N != 0 || dk.DontKnow != 1 {
			t.Fatalf("don't-know item: n=%d dont_know=%d, want 0 and 1", dk.N, dk.DontKnow)
		}
		one := res.item(t, s1, c0)
		if one.N != 1 || one.Mean == nil || *one.Mean != 4 || one.Median == nil || *one.Median != 4 || one.SD != nil {
			t.Fatalf("single rating 4: %s, want n=1 mean=4 median=4 sd=null", jsonOf(one))
		}
	})

	// The live stream of results has the same audience as the results.
	tests := []struct {
		name   string
		c      *client
		query  string
		status int
		field  string
	}{
		{"owner", fac, "", 200, ""},
		{"owner, round 1", fac, "?round=1", 200, ""},
		{"organiser", ts.login(t, "organiser@example.org"), "", 200, ""},
		{"other facilitator", ts.login(t, "other@example.org"), "", 403, ""},
		{"participant", p1, "", 403, ""},
		{"anonymous", ts.client(), "", 401, ""},
		{"round not yet held", fac, "?round=2", 404, ""},
		{"round not a number", fac, "?round=x", 422, "round"},
		{"round zero", fac, "?round=0", 422, "round"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.get(t, apiPath(w.Code, "/results"+tt.query))
			if tt.status == http.StatusOK {
				r.want(t, http.StatusOK).wantContains(t, `"round":1,`)
			} else {
				r.wantAPIError(t, tt.status, tt.field)
			}
			if path := apiPath(w.Code, "/events"); tt.query == "" {
				if got := tt.c.status(t, path); got != tt.status {
					t.Fatalf("GET %s: status=%d, want %d", path, got, tt.status)
				}
			}
		})
	}
	fac.get(t, apiPath("ZZZZZZZZ", "/results")).wantAPIError(t, 404, "")
}

// sseEvent is one server-sent event.
type sseEvent struct{ name, data string }

// readEvents sends the events of a stream to a channel until ctx ends,
// parsed as a browser parses them (fhttp.EventParser).
func readEvents(ctx context.Context, body io.Reader) <-chan sseEvent {
	out := make(chan sseEvent)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
		sc.Split(fhttp.ScanEventLines)
		var p fhttp.EventParser
		for sc.Scan() {
			ev, ok := p.Line(sc.Text())
			if !ok {
				continue
			}
			select {
			case out <- sseEvent{name: ev.Name, data: ev.Data}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func TestAPIEvents(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p, fac := ts.join(t, w.Code), ts.login(t, owner.Email)
	path := apiPath(w.Code, "/events")

	// Delivery is what counts here, never speed: the deadline is generous.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := fac.send(t, ctx, http.MethodGet, path, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET %s: status=%d Content-Type=%q, want 200 text/event-stream", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := readEvents(ctx, res.Body)
	next := func() apiResults {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended: %v", ctx.Err())
			}
			if ev.name != "results" {
				t.Fatalf("event %q, want results", ev.name)
			}
			var r apiResults
			if err := json.Unmarshal([]byte(ev.data), &r); err != nil {
				t.Fatalf("event data %.300s: %v", ev.data, err)
			}
			return r
		case <-ctx.Done():
			t.Fatalf("no event before the deadline")
		}
		return apiResults{}
	}

	first := next()
	if want := ts.tally(t, w).Seq; first.Seq != want || first.Joined != 1 || len(first.Items) != len(w.Scenarios)*len(w.Criteria) {
		t.Fatalf("first event: seq=%d joined=%d items=%d, want %d 1 %d", first.Seq, first.Joined, len(first.Items), want, len(w.Scenarios)*len(w.Criteria))
	}
	seq := p.rate(t, w.Code, w.Scenarios[0].ID, w.Criteria[0].ID, "4")
	for {
		r := next()
		if r.Seq >= seq {
			if it := r.item(t, w.Scenarios[0].ID, w.Criteria[0].ID); it.N != 1 || r.Rated != 1 {
				t.Fatalf("event with seq %d: n=%d rated=%d, want 1 and 1", r.Seq, it.N, r.Rated)
			}
			break
		}
	}
}

func TestCrossOriginRequestsRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p, fac := ts.join(t, w.Code), ts.login(t, owner.Email)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	field := fmt.Sprintf("r-%d-%d", sid, cid)

	tests := []struct {
		name string
		send func(t *testing.T, hdr ...string) *response
	}{
		{"API rating", func(t *testing.T, hdr ...string) *response {
			return p.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(sid, cid, "3"), hdr...)
		}},
		{"rating form", func(t *testing.T, hdr ...string) *response {
			return p.postForm(t, "/w/"+w.Code+"/ratings", url.Values{field: {"3"}}, hdr...)
		}},
		{"finish workshop", func(t *testing.T, hdr ...string) *response {
			return fac.postForm(t, "/workshops/"+w.Code+"/finish", nil, hdr...)
		}},
	}
	for _, tt := range tests {
		for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			t.Run(tt.name+" with "+hdr[0], func(t *testing.T) {
				before := ts.tallies(t, w)
				tt.send(t, hdr...).want(t, http.StatusForbidden)
				ts.wantUnchanged(t, before, w)
			})
		}
	}
	// The same request from the site itself goes through.
	tests[0].send(t, "Sec-Fetch-Site", "same-origin", "Origin", ts.url).want(t, http.StatusOK)
}

func TestFacilitatorPagesRequireSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w := ts.workshop(t, ts.user(t, "owner@example.org", workshop.RoleFacilitator), true)
	before, anon := ts.tallies(t, w), ts.client()
	for _, path := range []string{"/dashboard", "/workshops/new", "/workshops/" + w.Code} {
		anon.get(t, path).wantRedirect(t, "/login?next="+url.QueryEscape(path))
	}
	anon.postForm(t, "/workshops/"+w.Code+"/finish", nil).wantRedirect(t, "/login?next="+url.QueryEscape("/workshops/"+w.Code+"/finish"))
	ts.wantUnchanged(t, before, w)
}

// A path that names no step is not found, and changes nothing.
func TestStepFormUnknownAction(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	before, fac := ts.tallies(t, w), ts.login(t, owner.Email)
	fac.postForm(t, "/workshops/"+w.Code+"/dance", nil).want(t, http.StatusNotFound)
	ts.wantUnchanged(t, before, w)
}

func TestLoginAndLogout(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	c := ts.client()
	login := func(c *client, path, pw string) *response {
		return c.postForm(t, path, url.Values{"email": {u.Email}, "password": {pw}})
	}

	// Only a path on this site is a place to return to.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		login(ts.client(), "/login?next="+url.QueryEscape(next), testPassword).wantRedirect(t, "/dashboard")
	}

	login(c, "/login", "a wrong password").want(t, http.StatusUnauthorized).
		wantContentType(t, "text/html").wantContains(t, `value="owner@example.org"`)
	c.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")

	r := login(c, "/login?next=/workshops/new", testPassword).wantRedirect(t, "/workshops/new")
	var session *http.Cookie
	for _, ck := range r.cookies {
		if ck.Name == "fs_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %v, want fs_session with HttpOnly and SameSite=Lax", session)
	}
	c.get(t, "/dashboard").want(t, http.StatusOK)

	c.postForm(t, "/logout", nil).wantRedirect(t, "/login")
	c.get(t, "/dashboard").wantRedirect(t, "/login?next=%2Fdashboard")
	replay := ts.client()
	replay.get(t, "/dashboard", "Cookie", session.Name+"="+session.Value).wantRedirect(t, "/login?next=%2Fdashboard")
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	c := ts.client()
	wrong := url.Values{"email": {u.Email}, "password": {"a wrong password"}}
	for i := 1; i <= 10; i++ {
		if r := c.postForm(t, "/login", wrong); r.status != http.StatusUnauthorized {
			t.Fatalf("wrong login %d: status=%d, want 401", i, r.status)
		}
	}
	c.postForm(t, "/login", wrong).wantRetryAfter(t)
}

func TestJoin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w, finished := ts.workshop(t, owner, true), ts.workshop(t, owner, true)
	ts.step(t, finished.Code, workshop.ActFinish)
	c := ts.client()

	c.get(t, "/w/"+w.Code).wantRedirect(t, "/j/"+w.Code)
	c.get(t, "/j/"+w.Code).want(t, http.StatusOK).wantContentType(t, "text/html").wantContains(t, "Join the workshop")
	c.postForm(t, "/j/"+w.Code, nil).wantRedirect(t, "/w/"+w.Code)
	c.get(t, "/j/"+w.Code).wantRedirect(t, "/w/"+w.Code)
	c.postForm(t, "/j/"+w.Code, nil).wantRedirect(t, "/w/"+w.Code)
	c.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "Save my ratings")
	if got := ts.tally(t, w).Joined; got != 1 {
		t.Fatalf("joined=%d after one device joined twice, want 1", got)
	}

	grouped := strings.ToLower(workshop.GroupCode(w.Code))
	ts.client().get(t, "/join?code="+grouped).wantRedirect(t, "/j/"+w.Code)
	ts.client().get(t, "/j/ZZZZZZZZ").want(t, http.StatusNotFound).wantContentType(t, "text/html")
	ts.client().postForm(t, "/j/"+finished.Code, nil).want(t, http.StatusConflict).wantContentType(t, "text/html")
	if got := ts.tally(t, finished).Joined; got != 0 {
		t.Fatalf("joined=%d in a finished workshop, want 0", got)
	}
}

func TestJoinCodeRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.client()
	for i := 1; ; i++ {
		r := c.get(t, "/join?code=ZZZZ-ZZZZ")
		if r.status == http.StatusTooManyRequests {
			r.wantRetryAfter(t)
			return
		}
		if r.status != http.StatusNotFound {
			t.Fatalf("wrong code %d: status=%d, want 404 or, eventually, 429", i, r.status)
		}
		if i > 400 { // the limit allows a room's typos: 300 at once
			t.Fatalf("400 wrong codes and no 429")
		}
	}
}

func TestRatingsForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	s0, s1, c0, c1 := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID, w.Criteria[1].ID
	name := func(sid, cid int64) string { return fmt.Sprintf("r-%d-%d", sid, cid) }
	path := "/w/" + w.Code + "/ratings"
	htmx := []string{"HX-Request", "true"}
	wantRatings := func(t *testing.T, want ...apiRating) {
		t.Helper()
		if got := p.ownRatings(t, w.Code); !reflect.DeepEqual(got, want) {
			t.Fatalf("stored ratings %s, want %s", jsonOf(got), jsonOf(want))
		}
	}

	t.Run("without JavaScript", func(t *testing.T) {
		p.postForm(t, path, url.Values{name(s0, c0): {"4"}, name(s0, c1): {"dk"}}).wantRedirect(t, "/w/"+w.Code+"?saved=1")
		wantRatings(t, apiRating{s0, c0, intp(4)}, apiRating{s0, c1, nil})

		p.postForm(t, path, url.Values{name(s0, c0): {"9"}, name(s1, c0): {"2"}}).
			want(t, http.StatusUnprocessableEntity).wantContentType(t, "text/html").
			wantContains(t, "Choose a value from 1 to 5", fmt.Sprintf(`name="%s" value="2" checked`, name(s1, c0)))
		wantRatings(t, apiRating{s0, c0, intp(4)}, apiRating{s0, c1, nil}, apiRating{s1, c0, intp(2)})
	})

	t.Run("with htmx", func(t *testing.T) {
		p.postForm(t, path, url.Values{name(s1, c1): {"5"}}, htmx...).want(t, http.StatusOK).wantContains(t, "Saved")
		p.postForm(t, path, url.Values{"clear": {fmt.Sprintf("%d-%d", s0, c0)}}, htmx...).
			want(t, http.StatusOK).wantContains(t, fmt.Sprintf(`id="i-%d-%d"`, s0, c0))
		wantRatings(t, apiRating{s0, c1, nil}, apiRating{s1, c0, intp(2)}, apiRating{s1, c1, intp(5)})

		before := ts.tallies(t, w)
		p.postForm(t, path, url.Values{name(s0, c0): {"1"}, name(s1, c0): {"1"}}, htmx...).want(t, http.StatusUnprocessableEntity)
		p.postForm(t, path, url.Values{name(s0, c0): {"7"}}, htmx...).want(t, http.StatusUnprocessableEntity)
		ts.wantUnchanged(t, before, w)
	})
}

// TestGetChangesNothing sends a GET to the path of every row of the access
// matrix (the GET routes, and the paths of the state-changing routes, which
// a GET must not reach) as an anonymous visitor, a participant and the
// workshop's owner (TestAccessMatrix sends the GETs as every role), and
// checks that the database holds exactly what it held before and that
// nobody was signed out. Every HTML page it sees must carry the nonce of
// its CSP on each script and no inline script, style or event handler.
func TestGetChangesNothing(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	sc := f.scene(t)
	sc.all()
	clients := make([]*client, nRoles)
	for role := range nRoles {
		clients[role] = sc.client(role, false)
	}
	code := sc.code()
	field, _ := sc.item()
	paths := []string{
		"/login?next=/dashboard", "/workshops/" + code + "/open", "/workshops/" + code + "/finish",
		"/w/" + code + "/ratings?" + field + "=5", apiPath(code, "/ratings"), apiPath(code, "/results?round=1"),
		"/logout", "/workshops", "/admin/invites", fmt.Sprintf("/admin/users/%d/disable", f.target.ID),
	}
	for _, rt := range accessRoutes(f) {
		paths = append(paths, rt.req(sc).path)
	}
	wantOwn := sc.partA().ownRatings(t, code)
	before := f.ts.dbState(t)
	var requests []string
	for _, path := range paths {
		requests = append(requests, "GET "+path)
	}
	var wg sync.WaitGroup
	for _, role := range []int{roleAnon, rolePartA, roleOwner} {
		wg.Go(func() {
			t.Run(roleNames[role], func(t *testing.T) {
				for _, path := range paths {
					a := clients[role].sendReq(t, accessReq{method: "GET", path: path})
					if a.status >= 500 {
						t.Errorf("GET %s: status=%d, want no server error", path, a.status)
					}
					if strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
						wantStrictHTML(t, "GET "+path, a)
					}
				}
			})
		})
	}
	wg.Wait()
	f.ts.wantSameState(t, before, "GET requests")
	newRouteMatcher(t).wantCovered(t, "TestGetChangesNothing", requests, func(p string) bool { return methodOf(p) == "GET" })
	if got := sc.partA().ownRatings(t, code); !reflect.DeepEqual(got, wantOwn) {
		t.Fatalf("own ratings %s after GETs, want %s", jsonOf(got), jsonOf(wantOwn))
	}
	for _, role := range []int{roleOther, roleOwner, roleOrganiser} {
		clients[role].get(t, "/dashboard").want(t, http.StatusOK) // GET /logout did not sign out
	}
}

// wantKeys checks that a JSON object has every key, null or not.
func wantKeys(t *testing.T, what string, obj map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			t.Fatalf("%s %v lacks %q", what, obj, k)
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
