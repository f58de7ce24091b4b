package http_test

// Tests of the second hardening round: what a signed-in scan and a
// tenant-crossing probe found. TestRevocationsEndStreamsAtOnce
// (revocation_test.go) is its point 2.

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/workshop"
)

// collectStream reads a live stream as a browser parses it, until it has
// seen an event whose data contains want, or 10 s passed; it returns the
// parser (every retry and id that took effect) and the events.
func collectStream(t *testing.T, c *client, path, want string) (*fhttp.EventParser, []fhttp.StreamEvent) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := c.send(t, ctx, http.MethodGet, path, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	sc.Split(fhttp.ScanEventLines)
	var p fhttp.EventParser
	var events []fhttp.StreamEvent
	for sc.Scan() {
		if ev, ok := p.Line(sc.Text()); ok {
			events = append(events, ev)
			if strings.Contains(ev.Data, want) {
				return &p, events
			}
		}
	}
	t.Fatalf("GET %s: no event with %q among %d events", path, want, len(events))
	return nil, nil
}

// 1. A reason with carriage returns cannot start fields or events of its
// own in any live stream: not on the facilitator's page, not in the API's
// stream, not on the projector once featured. It is stored with its line
// ends made LF.
func TestReasonCannotInjectStreamFields(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	attack := "AAA\revent: INJECTED\rdata: BBB\r\rretry: 86400000\rCCC"
	saved := p.reason(t, w.Code, w.Scenarios[0].ID, attack)
	stored, ok := ts.storedRationale(t, w, saved.ID)
	if want := "AAA\nevent: INJECTED\ndata: BBB\n\nretry: 86400000\nCCC"; !ok || stored.Text != want {
		t.Fatalf("stored %q, want %q", stored.Text, want)
	}
	fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/rationales/%d/feature", saved.ID)), "").want(t, http.StatusNoContent)
	ts.step(t, w.Code, workshop.ActClose)
	ts.step(t, w.Code, workshop.ActReveal) // featured reasons show on the projector once revealed
	for _, path := range []string{"/workshops/" + w.Code + "/events", "/workshops/" + w.Code + "/projector/events"} {
		parser, events := collectStream(t, fac, path, "retry: 86400000")
		for _, ev := range events {
			if ev.Name == "INJECTED" || ev.Name == "message" {
				t.Fatalf("%s: the reason made an event %q: %q", path, ev.Name, ev.Data)
			}
		}
		if len(parser.Retries) != 1 || parser.Retries[0] != "2000" || len(parser.IDs) != 0 {
			t.Fatalf("%s: retry fields %q and ids %q took effect, want only the server's retry: 2000", path, parser.Retries, parser.IDs)
		}
	}
}

// 6. One policy for stored text: control characters (C0 but tab and line
// feed, C1), bidi controls and invisible tag characters are refused with a
// message naming the field; one-line fields also refuse line and
// paragraph separators; multi-line text has its line ends normalised.
func TestInvisibleCharactersAreRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, false)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	ts.step(t, w.Code, workshop.ActNextRound)
	s0 := w.Scenarios[0].ID
	for name, text := range map[string]string{
		"NEL":             "a\u0085b",
		"CSI":             "a\u009bb",
		"escape":          "a\x1bb",
		"tag characters":  "a\U000E0049\U000E0047b",
		"byte order mark": "\ufeffa",
		"bidi override":   "a\u202eb",
	} {
		r := p.putJSON(t, apiPath(w.Code, "/rationales"), reasonJSON(s0, text))
		r.wantAPIError(t, http.StatusUnprocessableEntity, "text")
		if strings.Contains(r.body, text) {
			t.Fatalf("%s: the refusal repeats the character", name)
		}
	}
	// Multi-line text keeps its lines, with LF.
	saved := p.reason(t, w.Code, s0, "first\u2028second\r\nthird\tfourth \u200b")
	if got, _ := ts.storedRationale(t, w, saved.ID); got.Text != "first\nsecond\nthird\tfourth \u200b" {
		t.Fatalf("stored %q", got.Text)
	}
	// One-line fields refuse separators.
	for _, title := range []string{"a\u2028b", "a\u2029b", "a\u0085b", "a\nb"} {
		body := `{"title": "` + strings.NewReplacer("\n", `\n`).Replace(title) + `"}`
		fac.putJSON(t, apiPath(w.Code, "/settings"), body).wantAPIError(t, http.StatusUnprocessableEntity, "title")
	}
}

// 3. Wrong join codes count against the address on every route that takes
// a code, with the join page's budget: after it, every such route answers
// 429 with Retry-After, so codes cannot be probed through the API, the
// voting page, its stream or the rating endpoint. Tokens come back at five
// a second, so each route is probed until it refuses: a slow run (the race
// detector) may see a 404 or two more, never an unlimited number.
func TestCodeProbesAreThrottledEverywhere(t *testing.T) {
	t.Parallel()
	// The limiters' clock stands still: on a slow, loaded machine the
	// budget would refill between requests and the 429 never come.
	frozen := time.Now()
	ts := newTestServerWith(t, fhttp.Config{Now: func() time.Time { return frozen }}, false)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	probe := ts.client()
	n := 0
	wrong := func() string { n++; return fmt.Sprintf("ZZ%06d", n) }
	for _, c := range []struct {
		what string
		send func() *response
		// limit is how many requests may pass before the first 429: the
		// whole budget on the first route, a few refilled tokens after.
		limit int
	}{
		{"the API", func() *response { return probe.get(t, apiPath(wrong(), "")) }, 400},
		{"the voting page", func() *response { return probe.get(t, "/w/"+wrong()) }, 50},
		{"the voting page's stream", func() *response { return probe.get(t, "/w/"+wrong()+"/events") }, 50},
		{"the rating endpoint", func() *response { return probe.putJSON(t, apiPath(wrong(), "/ratings"), ratingJSON(1, 1, "3")) }, 50},
		{"the join page", func() *response { return probe.get(t, "/j/"+wrong()) }, 50},
		{"a real workshop", func() *response { return probe.get(t, apiPath(w.Code, "")) }, 50},
	} {
		for i := 0; ; i++ {
			r := c.send()
			if r.status == http.StatusTooManyRequests {
				r.wantRetryAfter(t)
				if c.limit == 400 && i < 300 {
					t.Fatalf("%s refused after %d wrong codes, before the budget of 300", c.what, i)
				}
				break
			}
			if i >= c.limit {
				t.Fatalf("%s: %d requests and no 429 (last %s: %d)", c.what, i+1, r.req, r.status)
			}
		}
	}
}

// 4. An import that is not a readable multipart form is the client's
// mistake: 400 with a message, never a 500 and an error in the log.
func TestBrokenDeckImportIs400(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	ts := newTestServerWith(t, fhttp.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, false)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	fac := ts.login(t, owner.Email)
	for _, c := range []struct{ name, contentType, body string }{
		{"not multipart", "application/x-www-form-urlencoded", "file=x"},
		{"no boundary", "multipart/form-data", "--x\r\n"},
		{"empty", "multipart/form-data; boundary=x", ""},
		{"cut short", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.json\"\r\n\r\n{"},
		{"no content type", "", "{}"},
	} {
		hdr := []string{}
		if c.contentType != "" {
			hdr = append(hdr, "Content-Type", c.contentType)
		}
		r := fac.do(t, http.MethodPost, "/decks/import", strings.NewReader(c.body), hdr...)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "The upload could not be read") {
			t.Errorf("%s: %d, want 400 with a message; body %.300s", c.name, r.status, r.body)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("a broken upload was logged as an error:\n%s", logs.String())
	}
}

// 5. While the workshop paces by focus, ratings and reasons for scenarios
// out of focus are refused with 409 and a message, through the API and
// the form; the scenario in focus takes them. Reads still list every
// scenario, with focus_scenario_id saying which one is open.
func TestFocusPacingIsEnforced(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	fac.putJSON(t, apiPath(w.Code, "/settings"), `{"pacing": "focus"}`).want(t, http.StatusOK)
	in, out, c := w.Scenarios[0].ID, w.Scenarios[1].ID, w.Criteria[0].ID
	p.rate(t, w.Code, in, c, "3")
	p.reason(t, w.Code, in, "In focus.")
	p.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(out, c, "4")).wantAPIError(t, http.StatusConflict, "")
	p.putJSON(t, apiPath(w.Code, "/rationales"), reasonJSON(out, "Out of focus.")).wantAPIError(t, http.StatusConflict, "")
	p.do(t, http.MethodDelete, apiPath(w.Code, fmt.Sprintf("/ratings?scenario_id=%d&criterion_id=%d", out, c)), nil).wantAPIError(t, http.StatusConflict, "")
	p.postForm(t, "/w/"+w.Code+"/ratings", url.Values{fmt.Sprintf("r-%d-%d", out, c): {"4"}}).want(t, http.StatusConflict).
		wantContains(t, "moved on to another scenario")
	var got struct {
		Focus     *int64 `json:"focus_scenario_id"`
		Scenarios []struct{ ID int64 }
	}
	p.get(t, apiPath(w.Code, "")).want(t, http.StatusOK).decode(t, &got)
	if got.Focus == nil || *got.Focus != in || len(got.Scenarios) != len(w.Scenarios) {
		t.Fatalf("the workshop as the participant reads it: focus %v, %d scenarios", got.Focus, len(got.Scenarios))
	}
	// The facilitator moves on: the other scenario takes answers.
	fac.postJSON(t, apiPath(w.Code, "/focus"), fmt.Sprintf(`{"scenario_id": %d}`, out)).want(t, http.StatusOK)
	p.rate(t, w.Code, out, c, "4")
	p.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(in, c, "1")).wantAPIError(t, http.StatusConflict, "")
}

// The projector shows the current round's reasons only, so a reason of an
// earlier round cannot be featured (409 with a message); it can still be
// hidden, and one featured before stays so until taken off.
func TestPastRoundReasonsAreNotFeatured(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac, p := ts.login(t, owner.Email), ts.join(t, w.Code)
	first := p.reason(t, w.Code, w.Scenarios[0].ID, "Round one.")
	second := p.reason(t, w.Code, w.Scenarios[1].ID, "Also round one.")
	flag := func(id int64, action string) *response {
		return fac.postJSON(t, apiPath(w.Code, fmt.Sprintf("/rationales/%d/%s", id, action)), "")
	}
	flag(second.ID, "feature").want(t, http.StatusNoContent)
	fac.steps(t, w.Code, actClose, actReveal, actNext)
	flag(first.ID, "feature").wantAPIError(t, http.StatusConflict, "")
	flag(first.ID, "hide").want(t, http.StatusNoContent)
	flag(second.ID, "unfeature").want(t, http.StatusNoContent)
}
