package http_test

// Tests of the second hardening round: what a signed-in scan and a
// tenant-crossing probe found. TestRevocationsEndStreamsAtOnce
// (revocation_test.go) is its point 2.

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
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
