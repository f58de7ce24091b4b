package http_test

// The access matrix: every route of the server, for each kind of visitor,
// with the status each must get. The table is checked against the route
// patterns in the source, so a new route without a row fails the test.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"foresight/assets"
	"foresight/internal/workshop"
)

// The roles of the matrix, in the order of its columns.
const (
	roleAnon = iota
	rolePartA
	rolePartB
	roleOther
	roleOwner
	roleOrganiser
	nRoles
)

var roleNames = [nRoles]string{"anonymous", "participant of A", "participant of B", "other facilitator", "owner", "organiser"}

// accessFixture is what every row shares: the accounts, their signed-in
// browsers, and objects that are not a workshop's.
type accessFixture struct {
	ts                         *testServer
	owner, other, org          workshop.User
	target, signer             workshop.User // an account organisers act on; one that signs in
	signedIn                   [nRoles]*client
	spareSession               string // handle of another session of the owner, to end
	invite, reset              string // one-time links
	builtin                    string
	stylesheet                 string
	criterionA, criterionAName string
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	f := &accessFixture{ts: ts, builtin: ts.deck.Slug, stylesheet: assets.Path("css/app.css")}
	f.owner = ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	f.other = ts.user(t, "other@example.org", workshop.RoleFacilitator)
	f.org = ts.user(t, "org@example.org", workshop.RoleOrganiser)
	f.target = ts.user(t, "target@example.org", workshop.RoleFacilitator)
	f.signer = ts.user(t, "signer@example.org", workshop.RoleFacilitator)
	f.signedIn[roleOwner] = ts.login(t, f.owner.Email)
	f.signedIn[roleOther] = ts.login(t, f.other.Email)
	f.signedIn[roleOrganiser] = ts.login(t, f.org.Email)
	before := ts.sessionHandles(t, f.owner)
	if _, _, err := ts.db.Login(ctx, f.owner.Email, testPassword); err != nil {
		t.Fatal(err)
	}
	for _, h := range ts.sessionHandles(t, f.owner) {
		if !slices.Contains(before, h) {
			f.spareSession = h
		}
	}
	var err error
	if f.invite, _, err = ts.db.CreateInvite(ctx, f.org, "invited@example.org", workshop.RoleFacilitator); err != nil {
		t.Fatal(err)
	}
	if f.reset, _, err = ts.db.CreateResetLink(ctx, f.signer.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// scene holds the objects of one row or one route: a workshop A of the
// owner and B of the other facilitator, a participant in each, a reason, a
// deck, a display link. Each is made when a request first needs it.
type scene struct {
	f      *accessFixture
	t      *testing.T
	a, b   *workshop.Workshop
	pa, pb *client
	reason int64
	author int64
	deck   string
	screen string
	ideaID int64
}

func (f *accessFixture) scene(t *testing.T) *scene { return &scene{f: f, t: t} }

func (sc *scene) A() *workshop.Workshop {
	if sc.a == nil {
		sc.a = sc.f.ts.workshop(sc.t, sc.f.owner, true)
	}
	return sc.a
}

func (sc *scene) B() *workshop.Workshop {
	if sc.b == nil {
		sc.b = sc.f.ts.workshop(sc.t, sc.f.other, true)
	}
	return sc.b
}

func (sc *scene) code() string { return sc.A().Code }

func (sc *scene) partA() *client {
	if sc.pa == nil {
		sc.pa = sc.f.ts.join(sc.t, sc.code())
	}
	return sc.pa
}

func (sc *scene) partB() *client {
	if sc.pb == nil {
		sc.pb = sc.f.ts.join(sc.t, sc.B().Code)
	}
	return sc.pb
}

// rationale is the ID of a reason the participant of A gave.
func (sc *scene) rationale() int64 {
	if sc.reason == 0 {
		sc.reason = sc.partA().reason(sc.t, sc.code(), sc.A().Scenarios[0].ID, "Rivers decide it.").ID
		_, sc.author = sc.f.ts.authorOf(sc.t, sc.A(), "Rivers decide it.")
	}
	return sc.reason
}

// idea is the ID of an idea the participant of A proposed: A's round is
// closed and its ideas open.
func (sc *scene) idea() int64 {
	if sc.ideaID == 0 {
		ctx := context.Background()
		if _, err := sc.f.ts.db.Step(ctx, sc.code(), workshop.ActClose, 0, false); err != nil {
			sc.t.Fatal(err)
		}
		if _, err := sc.f.ts.db.SetIdeasOpen(ctx, sc.code(), true); err != nil {
			sc.t.Fatal(err)
		}
		sc.ideaID = sc.partA().propose(sc.t, sc.code(), "Rivers")
	}
	return sc.ideaID
}

// participant is the ID of the participant of A.
func (sc *scene) participant() int64 {
	sc.rationale()
	return sc.author
}

// ownDeck is the slug of a deck of the owner.
func (sc *scene) ownDeck() string {
	if sc.deck == "" {
		slug := fmt.Sprintf("deck-%d", time.Now().UnixNano())
		sc.deck = sc.f.ts.createDeck(sc.t, sc.f.owner, sampleDeck(slug, "Water futures", "Drought", "Floods")).Slug
	}
	return sc.deck
}

// display is the token of a display link of A.
func (sc *scene) display() string {
	if sc.screen == "" {
		tok, err := sc.f.ts.db.CreateDisplayLink(context.Background(), sc.code())
		if err != nil {
			sc.t.Fatal(err)
		}
		sc.screen = tok
	}
	return sc.screen
}

// item is a rating field of A and its API query.
func (sc *scene) item() (field, query string) {
	a := sc.A()
	sid, cid := a.Scenarios[0].ID, a.Criteria[0].ID
	return fmt.Sprintf("r-%d-%d", sid, cid), fmt.Sprintf("?scenario_id=%d&criterion_id=%d", sid, cid)
}

// all makes every object, for a walk that must not create any on the way.
func (sc *scene) all() {
	sc.partA()
	sc.partB()
	sc.rationale()
	sc.ownDeck()
	sc.display()
	sc.idea() // last: it closes A's round
}

// client is the browser of a role in this scene. Signed-in browsers are
// copies, so that what a row does to cookies stays in the row; relogin
// signs in afresh, for rows that end the session.
func (sc *scene) client(role int, relogin bool) *client {
	f := sc.f
	switch role {
	case roleAnon:
		return f.ts.client()
	case rolePartA:
		return sc.partA()
	case rolePartB:
		return sc.partB()
	}
	if relogin {
		u := map[int]workshop.User{roleOwner: f.owner, roleOther: f.other, roleOrganiser: f.org}[role]
		return f.ts.login(sc.t, u.Email)
	}
	return f.signedIn[role].clone()
}

// clone is a new browser with the cookies of c.
func (c *client) clone() *client {
	n := c.ts.client()
	u, _ := url.Parse(c.ts.url)
	n.hc.Jar.SetCookies(u, c.hc.Jar.Cookies(u))
	return n
}

// accessReq is one request of the matrix.
type accessReq struct {
	method, path string
	body, ctype  string
}

func accGet(path string) accessReq { return accessReq{method: "GET", path: path} }

func accForm(method, path string, v url.Values) accessReq {
	return accessReq{method: method, path: path, body: v.Encode(), ctype: "application/x-www-form-urlencoded"}
}

func accPost(path string, v url.Values) accessReq { return accForm("POST", path, v) }

func accJSON(method, path, body string) accessReq {
	return accessReq{method: method, path: path, body: body, ctype: "application/json"}
}

// accessRoute is one row of the matrix: a request and, for each role, what
// it gets: a status, "login" (303 to the sign-in page) or "303>/prefix" (a
// redirect to a path that begins so).
type accessRoute struct {
	req     func(sc *scene) accessReq
	want    string
	relogin bool // the request ends the session: facilitators sign in afresh
	serial  bool // acts on the shared target account: runs alone, in order
}

// Expectations shared by many routes, with %s for the allowed answer.
const (
	managers  = "login login login 403 %[1]s %[1]s"   // the owner and organisers, pages
	managersA = "401 403 403 403 %[1]s %[1]s"         // the same, API
	streamM   = "401 401 401 403 %[1]s %[1]s"         // the same, live streams
	partOfA   = "401 %[1]s 403 403 403 403"           // the participant of A, API
	signedIn  = "login login login %[1]s %[1]s %[1]s" // any account
	orgOnly   = "login login login 403 403 %[1]s"     // organisers
	everyone  = "%[1]s %[1]s %[1]s %[1]s %[1]s %[1]s"
)

// cibSmallMatrix is a cross-impact matrix of two descriptors.
const cibSmallMatrix = `{"descriptors": [{"id": "a", "variants": ["a1", "a2"]}, {"id": "b", "variants": ["b1", "b2"]}], "impacts": [{"from": "a1", "to": "b1", "score": 2}]}`

func expect(shape, allowed string) string { return fmt.Sprintf(shape, allowed) }

// accessRoutes is every route, in the order the rows run: state changes
// last within each group, so refused rows see the objects intact.
func accessRoutes(f *accessFixture) []accessRoute {
	ws := func(sc *scene, suffix string) string { return "/workshops/" + sc.code() + suffix }
	api := func(sc *scene, suffix string) string { return apiPath(sc.code(), suffix) }
	badPasswords := url.Values{"password": {testPassword}, "confirm": {"something else"}}
	return []accessRoute{
		// Public.
		{func(sc *scene) accessReq { return accGet(f.stylesheet) }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/healthz") }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/") }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/nothing") }, expect(everyone, "404"), false, false},
		{func(sc *scene) accessReq { return accPost("/nothing", nil) }, expect(everyone, "404"), false, false},
		{func(sc *scene) accessReq { return accGet("/api/v1/nothing") }, expect(everyone, "404"), false, false},
		{func(sc *scene) accessReq { return accPost("/language", url.Values{"lang": {"pl"}, "next": {"/"}}) }, expect(everyone, "303>/"), false, false},
		{func(sc *scene) accessReq { return accJSON("PUT", "/api/v1/nothing", "{}") }, expect(everyone, "404"), false, false},
		// Participants.
		{func(sc *scene) accessReq { return accGet("/join?code=" + sc.code()) }, expect(everyone, "303>/j/"), false, false},
		{func(sc *scene) accessReq { return accGet("/j/" + sc.code()) }, "200 303>/w/ 200 200 200 200", false, false},
		{func(sc *scene) accessReq { return accGet("/w/" + sc.code()) }, "303>/j/ 200 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false},
		{func(sc *scene) accessReq { return accGet("/w/" + sc.code() + "/events") }, "401 200 403 401 401 401", false, false},
		{func(sc *scene) accessReq {
			field, _ := sc.item()
			return accPost("/w/"+sc.code()+"/ratings", url.Values{field: {"3"}})
		}, "303>/j/ 303>/w/ 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false},
		{func(sc *scene) accessReq {
			return accPost("/w/"+sc.code()+"/crossimpact", url.Values{"from": {"aid-reaches-people"}, "j-threat-contained": {"1"}})
		}, "303>/j/ 409 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false}, // a rating round
		{func(sc *scene) accessReq { sc.idea(); return accGet("/w/" + sc.code() + "/ideas") }, "303>/j/ 200 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false},
		{func(sc *scene) accessReq {
			sc.idea()
			return accPost("/w/"+sc.code()+"/ideas", url.Values{"title": {"Floods"}})
		}, "303>/j/ 303>/w/ 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false},
		{func(sc *scene) accessReq {
			return accPost(fmt.Sprintf("/w/%s/ideas/%d/vote", sc.code(), sc.idea()), url.Values{"vote": {"on"}})
		}, "303>/j/ 303>/w/ 303>/j/ 303>/j/ 303>/j/ 303>/j/", false, false},
		{func(sc *scene) accessReq { return accPost("/j/"+sc.code(), nil) }, expect(everyone, "303>/w/"), false, false},
		// Signing in and out, first-run setup.
		{func(sc *scene) accessReq { return accGet("/login") }, "200 200 200 303>/dashboard 303>/dashboard 303>/dashboard", false, false},
		{func(sc *scene) accessReq {
			return accPost("/login", url.Values{"email": {f.signer.Email}, "password": {testPassword}})
		}, expect(everyone, "303>/dashboard"), false, false},
		{func(sc *scene) accessReq { return accPost("/logout", nil) }, expect(everyone, "login"), true, false},
		{func(sc *scene) accessReq { return accGet("/setup/not-a-token") }, expect(everyone, "404"), false, false},
		{func(sc *scene) accessReq {
			return accPost("/setup/not-a-token", url.Values{"email": {"new@example.org"}, "password": {testPassword}})
		}, expect(everyone, "404"), false, false},
		// Facilitators' pages.
		{func(sc *scene) accessReq { return accGet("/dashboard") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/scores") }, expect(orgOnly, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/workshops/new") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "")) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "/events")) }, expect(streamM, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "/projector")) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "/projector/events")) }, expect(streamM, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/display/" + sc.display()) }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/display/" + sc.display() + "/events") }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/display/not-a-token") }, expect(everyone, "404"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "/export/report")) }, "login 403 403 403 200 200", false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, "/export/report.pdf")) }, expect(everyone, "404"), false, false}, // no --chromium
		{func(sc *scene) accessReq { return accGet(ws(sc, "/export/ratings.csv")) }, "login 403 403 403 200 200", false, false},
		{func(sc *scene) accessReq { return accPost("/workshops", url.Values{"deck": {f.builtin}}) }, expect(signedIn, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq {
			return accPost(ws(sc, "/settings"), settingsForm("Tuesday", "", "anonymous", "0", "live", "self"))
		}, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq {
			return accPost(ws(sc, "/focus"), url.Values{"scenario_id": {strconv.FormatInt(sc.A().Scenarios[1].ID, 10)}})
		}, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/display"), nil) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { sc.display(); return accPost(ws(sc, "/display/revoke"), nil) }, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq {
			return accPost(ws(sc, fmt.Sprintf("/rationales/%d/hide", sc.rationale())), nil)
		}, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/close"), nil) }, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq {
			return accPost(ws(sc, "/crossimpact/sources"), url.Values{"src-humanitarian": {""}})
		}, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/copy"), nil) }, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/archive"), nil) }, expect(managers, "409"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/unarchive"), nil) }, expect(managers, "409"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/anonymise"), nil) }, expect(managers, "409"), false, false}, // finished workshops only
		{func(sc *scene) accessReq {
			return accPost(ws(sc, fmt.Sprintf("/participants/%d/remove", sc.participant())), nil)
		}, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq {
			return accPost(ws(sc, "/outcomes"), url.Values{fmt.Sprintf("occurred-%d", sc.A().Scenarios[0].ID): {"yes"}})
		}, expect(managers, "409"), false, false}, // finished workshops only
		{func(sc *scene) accessReq { sc.idea(); return accGet(ws(sc, "/ideas")) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { sc.idea(); return accGet(ws(sc, "/ideas/events")) }, expect(streamM, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(ws(sc, fmt.Sprintf("/ideas/%d", sc.idea()))) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, fmt.Sprintf("/ideas/%d/hide", sc.idea())), nil) }, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { sc.idea(); return accPost(ws(sc, "/ideas/close"), nil) }, expect(managers, "303>/workshops/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/deck"), nil) }, expect(managers, "303>/decks/"), false, false},
		{func(sc *scene) accessReq { return accPost(ws(sc, "/delete"), url.Values{"confirm": {sc.code()}}) }, expect(managers, "303>/dashboard"), false, false},
		// The JSON API.
		{func(sc *scene) accessReq { return accGet(api(sc, "")) }, "401 200 403 403 200 200", false, false},
		{func(sc *scene) accessReq { return accGet(api(sc, "/results")) }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq { return accGet(api(sc, "/events")) }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq {
			a := sc.A()
			return accJSON("PUT", api(sc, "/ratings"), ratingJSON(a.Scenarios[0].ID, a.Criteria[0].ID, "4"))
		}, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq { _, q := sc.item(); return accJSON("DELETE", api(sc, "/ratings"+q), "") }, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("PUT", api(sc, "/rationales"), reasonJSON(sc.A().Scenarios[0].ID, "Because."))
		}, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq { return accJSON("PUT", api(sc, "/settings"), `{"title": "Wednesday"}`) }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq { return accJSON("POST", api(sc, "/rounds"), "") }, expect(managersA, "409"), false, false},
		{func(sc *scene) accessReq { return accJSON("POST", api(sc, "/rounds/1/close"), "") }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("POST", api(sc, "/focus"), fmt.Sprintf(`{"scenario_id": %d}`, sc.A().Scenarios[1].ID))
		}, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("POST", api(sc, fmt.Sprintf("/rationales/%d/feature", sc.rationale())), "")
		}, expect(managersA, "204"), false, false},
		{func(sc *scene) accessReq { return accGet(api(sc, "/outcomes")) }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("PUT", api(sc, "/outcomes"), fmt.Sprintf(`{"scenario_id": %d, "occurred": true}`, sc.A().Scenarios[0].ID))
		}, expect(managersA, "409"), false, false}, // finished workshops only
		{func(sc *scene) accessReq {
			return accGet(api(sc, fmt.Sprintf("/scores?criterion_id=%d", sc.A().Criteria[0].ID)))
		}, expect(managersA, "422"), false, false}, // the built-in deck has no percent criterion
		// Cross-impact: the workshop's round is a rating round, so a
		// judgement is 409 and there are no cross-impact results yet.
		{func(sc *scene) accessReq { return accGet(api(sc, "/crossimpact")) }, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("PUT", api(sc, "/crossimpact"), `{"from": "aid-reaches-people", "to": "threat-contained", "score": 1}`)
		}, expect(partOfA, "409"), false, false},
		{func(sc *scene) accessReq { return accGet(api(sc, "/crossimpact/results")) }, expect(managersA, "404"), false, false},
		{func(sc *scene) accessReq { return accJSON("PUT", api(sc, "/crossimpact/sources"), `{"sources": {}}`) }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/crossimpact") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/crossimpact", url.Values{"matrix": {cibSmallMatrix}}) }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accJSON("POST", "/api/v1/crossimpact/evaluate", cibSmallMatrix) }, "401 401 401 200 200 200", false, false},
		// Ideas from the room.
		{func(sc *scene) accessReq { sc.idea(); return accGet(api(sc, "/ideas")) }, "401 200 403 403 200 200", false, false},
		{func(sc *scene) accessReq { sc.idea(); return accJSON("POST", api(sc, "/ideas"), `{"title": "Floods"}`) }, expect(partOfA, "201"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("PUT", api(sc, fmt.Sprintf("/ideas/%d/vote", sc.idea())), "")
		}, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("DELETE", api(sc, fmt.Sprintf("/ideas/%d/vote", sc.idea())), "")
		}, expect(partOfA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("POST", api(sc, fmt.Sprintf("/ideas/%d/hide", sc.idea())), "")
		}, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq {
			return accJSON("POST", api(sc, fmt.Sprintf("/ideas/%d/promote", sc.idea())), `{"title": "Rivers"}`)
		}, expect(managersA, "409"), false, false}, // the round is closed, not revealed
		{func(sc *scene) accessReq { sc.idea(); return accJSON("POST", api(sc, "/ideas/close"), "") }, expect(managersA, "200"), false, false},
		{func(sc *scene) accessReq { return accJSON("POST", api(sc, "/finish"), "") }, expect(managersA, "200"), false, false},
		// Decks.
		{func(sc *scene) accessReq { return accGet("/decks") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/decks/new") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/decks/" + sc.ownDeck() + "/edit") }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accGet("/decks/" + sc.ownDeck() + "/export.json") }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/decks", url.Values{"op": {"add-s"}}) }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq {
			return accUpload("/decks/import", "deck.csv", "title,narrative\nDrought,Rivers run dry.\n")
		}, expect(signedIn, "303>/decks"), false, false},
		{func(sc *scene) accessReq { return accPost("/decks/"+sc.ownDeck(), url.Values{"op": {"add-s"}}) }, expect(managers, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/decks/"+sc.ownDeck()+"/copy", nil) }, expect(managers, "303>/decks/"), false, false},
		{func(sc *scene) accessReq { return accPost("/decks/"+sc.ownDeck()+"/delete", nil) }, expect(managers, "303>/decks"), false, false},
		// Accounts.
		{func(sc *scene) accessReq { return accGet("/account") }, expect(signedIn, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/account/password", passwordForm("short", "short")) }, expect(signedIn, "422"), false, false},
		{func(sc *scene) accessReq { return accPost("/account/sessions/"+f.spareSession+"/end", nil) }, "login login login 404 303>/account 404", false, false},
		{func(sc *scene) accessReq { return accGet("/admin/users") }, expect(orgOnly, "200"), false, false},
		{func(sc *scene) accessReq {
			return accPost("/admin/invites", url.Values{"email": {"x@example.org"}, "role": {"facilitator"}})
		}, expect(orgOnly, "200"), false, false},
		{func(sc *scene) accessReq { return accPost(fmt.Sprintf("/admin/users/%d/disable", f.target.ID), nil) }, expect(orgOnly, "303>/admin/users"), false, true},
		{func(sc *scene) accessReq { return accPost(fmt.Sprintf("/admin/users/%d/enable", f.target.ID), nil) }, expect(orgOnly, "303>/admin/users"), false, true},
		{func(sc *scene) accessReq { return accPost(fmt.Sprintf("/admin/users/%d/reset", f.target.ID), nil) }, expect(orgOnly, "200"), false, true},
		{func(sc *scene) accessReq { return accGet("/invite/" + f.invite) }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/invite/"+f.invite, badPasswords) }, expect(everyone, "422"), false, false},
		{func(sc *scene) accessReq { return accGet("/reset/" + f.reset) }, expect(everyone, "200"), false, false},
		{func(sc *scene) accessReq { return accPost("/reset/"+f.reset, badPasswords) }, expect(everyone, "422"), false, false},
	}
}

// upload is a multipart form with one file.
func accUpload(path, filename, content string) accessReq {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", filename)
	io.WriteString(fw, content)
	mw.Close()
	return accessReq{method: "POST", path: path, body: b.String(), ctype: mw.FormDataContentType()}
}

// answer is what a request got: the status and where a redirect leads.
type answer struct {
	status   int
	location string
	header   http.Header
	body     string // not of live streams
}

// send sends a matrix request and reads the status; a live stream is
// closed as soon as its headers arrive.
func (c *client) sendReq(t *testing.T, rq accessReq, hdr ...string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	if rq.ctype != "" {
		hdr = append(hdr, "Content-Type", rq.ctype)
	}
	res := c.send(t, ctx, rq.method, rq.path, body, hdr...)
	defer res.Body.Close()
	a := answer{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("%s %s: read body: %v", rq.method, rq.path, err)
		}
		a.body = string(b)
	}
	return a
}

// matches reports whether an answer is what an expectation asks for.
func (a answer) matches(want string) bool {
	if want == "login" {
		want = "303>/login"
	}
	status, prefix, redirect := strings.Cut(want, ">")
	if strconv.Itoa(a.status) != status {
		return false
	}
	return !redirect || strings.HasPrefix(a.location, prefix)
}

func (a answer) String() string {
	if a.location != "" {
		return fmt.Sprintf("%d>%s", a.status, a.location)
	}
	return strconv.Itoa(a.status)
}

// allows reports whether an expectation lets the request through.
func allows(want string) bool {
	return want != "login" && !strings.HasPrefix(want, "4")
}

// TestAccessMatrix runs every route as each role: anonymous, a participant
// of workshop A, a participant of workshop B, a facilitator who does not
// own A, A's owner and an organiser. A request that a role may make runs on
// objects of its own, so that it changes nothing the other rows use. Rows
// run four at a time, but for those on the one account organisers act on.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	var mu sync.Mutex
	var requests []string
	row := func(t *testing.T, rt accessRoute) {
		wants := strings.Fields(rt.want)
		if len(wants) != nRoles {
			t.Fatalf("%d expectations, want %d", len(wants), nRoles)
		}
		shared := f.scene(t)
		got := make([]string, nRoles)
		var name string
		for role := range nRoles {
			sc := shared
			if allows(wants[role]) && rt.req(shared).method != "GET" {
				sc = f.scene(t) // a change of its own
			}
			rq := rt.req(sc)
			name = rq.method + " " + rq.path
			a := sc.client(role, rt.relogin).sendReq(t, rq)
			got[role] = a.String()
			if !a.matches(wants[role]) {
				t.Errorf("%s as %s: got %s, want %s", name, roleNames[role], a, wants[role])
			}
			mu.Lock()
			requests = append(requests, name)
			mu.Unlock()
		}
		t.Logf("%-60s %s", name, strings.Join(got, " "))
	}
	// Four rows at a time, in goroutines of this test rather than parallel
	// subtests, which would queue behind every other parallel test.
	routes := accessRoutes(f)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				t.Run(strconv.Itoa(i), func(t *testing.T) { row(t, routes[i]) })
			}
		})
	}
	for i, rt := range routes {
		if !rt.serial {
			jobs <- i
		}
	}
	close(jobs)
	wg.Wait()
	for i, rt := range routes {
		if rt.serial {
			t.Run(strconv.Itoa(i), func(t *testing.T) { row(t, rt) })
		}
	}
	newRouteMatcher(t).wantCovered(t, "TestAccessMatrix", requests, func(string) bool { return true })
}
