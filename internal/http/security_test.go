package http_test

// Test helpers of the security tests: the audit of every cookie the
// servers set, a fingerprint of the whole database, and the list of every
// route pattern, read from the source so that new routes cannot be missed.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"foresight/assets"
	fhttp "foresight/internal/http"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// cookieAudit collects what is wrong with the cookies a server sets: every
// client of a testServer passes each response through it.
type cookieAudit struct {
	mu       sync.Mutex
	seen     int
	problems []string
}

// auditTransport sends requests and checks the cookies of each response.
type auditTransport struct {
	ts   *testServer
	base http.RoundTripper
}

func (a auditTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := a.base
	if base == nil {
		base = http.DefaultTransport
	}
	res, err := base.RoundTrip(req)
	if err == nil && a.ts.cookies != nil {
		https := req.URL.Scheme == "https" || a.ts.proxied && strings.EqualFold(req.Header.Get("X-Forwarded-Proto"), "https")
		a.ts.cookies.check(req.Method+" "+req.URL.Path, https, res.Header.Values("Set-Cookie"))
	}
	return res, err
}

// check records the problems of Set-Cookie lines: every cookie is HttpOnly,
// SameSite=Lax, for the whole host (Path=/, no Domain) and, over HTTPS,
// Secure with the __Host- prefix; over plain HTTP neither (a browser would
// drop a Secure cookie there).
func (a *cookieAudit) check(req string, https bool, lines []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, line := range lines {
		a.seen++
		c, err := http.ParseSetCookie(line)
		var bad []string
		switch {
		case err != nil:
			bad = append(bad, err.Error())
		default:
			if !c.HttpOnly {
				bad = append(bad, "no HttpOnly")
			}
			if c.SameSite != http.SameSiteLaxMode {
				bad = append(bad, "not SameSite=Lax")
			}
			if c.Path != "/" || c.Domain != "" {
				bad = append(bad, "not for the whole host only")
			}
			if host := strings.HasPrefix(c.Name, "__Host-"); https && (!c.Secure || !host) {
				bad = append(bad, "over HTTPS without Secure and the __Host- prefix")
			} else if !https && (c.Secure || host) {
				bad = append(bad, "Secure over plain HTTP")
			}
		}
		if len(bad) > 0 {
			a.problems = append(a.problems, fmt.Sprintf("%s: Set-Cookie %.80q: %s", req, line, strings.Join(bad, ", ")))
		}
	}
}

func (a *cookieAudit) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen
}

func (a *cookieAudit) report(tb testing.TB) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.problems) > 0 {
		tb.Errorf("%d of %d cookies set are wrong:\n%s", len(a.problems), a.seen, strings.Join(a.problems, "\n"))
	}
}

// rawDB opens the test server's database past the store, read-only on
// SQLite: a file, or a PostgreSQL URL on a PostgreSQL run.
func (ts *testServer) rawDB(tb testing.TB) *sql.DB {
	tb.Helper()
	driver, dsn := "sqlite3", "file:"+ts.dbPath+"?mode=ro&_busy_timeout=5000"
	if store.IsPostgresURL(ts.dbPath) {
		driver, dsn = "pgx", ts.dbPath
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// dbState is a fingerprint of everything the database holds: per table, the
// number of rows and a hash of them, in any order. Sessions' bookkeeping
// (when a session was last seen, which browser it is) is left out: reading
// pages keeps it.
func (ts *testServer) dbState(tb testing.TB) map[string]string {
	tb.Helper()
	db := ts.rawDB(tb)
	listTables := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if store.IsPostgresURL(ts.dbPath) {
		listTables = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
	}
	var tables []string
	rows, err := db.Query(listTables)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		cols := "*"
		if table == "sessions" {
			cols = "id_hash, user_id, created_at, expires_at, handle"
		}
		rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %q`, cols, table))
		if err != nil {
			tb.Fatalf("read %s: %v", table, err)
		}
		ctypes, _ := rows.ColumnTypes()
		vals := make([]any, len(ctypes))
		for i := range vals {
			vals[i] = new(any)
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				tb.Fatal(err)
			}
			var line strings.Builder
			for _, v := range vals {
				fmt.Fprintf(&line, "%v\x00", *(v.(*any)))
			}
			lines = append(lines, line.String())
		}
		rows.Close()
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[table] = fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(h[:])[:12])
	}
	return out
}

// wantSameState fails, naming the tables, when the database changed.
func (ts *testServer) wantSameState(tb testing.TB, before map[string]string, what string) {
	tb.Helper()
	after := ts.dbState(tb)
	var diff []string
	for table, b := range before {
		if a := after[table]; a != b {
			diff = append(diff, fmt.Sprintf("%s: %s -> %s", table, b, a))
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		tb.Fatalf("%s changed the database:\n%s", what, strings.Join(diff, "\n"))
	}
}

// routePattern matches the registration of a route in the package's
// source: mux.HandleFunc("POST /j/{code}", ...) or mux.Handle("GET "+assets.Prefix, ...).
var routePattern = regexp.MustCompile(`mux\.Handle(?:Func)?\("([^"]*)"(\s*\+\s*assets\.Prefix)?`)

// routePatterns lists every route pattern of the server, read from the
// non-test Go files of this package: routes.go and the route functions it
// calls.
func routePatterns(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			p := m[1]
			if m[2] != "" {
				p += assets.Prefix
			}
			out = append(out, p)
		}
	}
	if len(out) < 50 {
		tb.Fatalf("found only %d route patterns in the source: is the pattern of registration out of date?", len(out))
	}
	sort.Strings(out)
	return out
}

// routeMatcher tells which route pattern a request reaches, with the real
// ServeMux rules of precedence.
type routeMatcher struct{ mux *http.ServeMux }

func newRouteMatcher(tb testing.TB) routeMatcher {
	mux := http.NewServeMux()
	for _, p := range routePatterns(tb) {
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	return routeMatcher{mux}
}

func (m routeMatcher) pattern(method, path string) string {
	_, p := m.mux.Handler(httptest.NewRequest(method, path, nil))
	return p
}

// wantCovered fails when a route pattern selected by keep is reached by
// none of the requests ("METHOD path").
func (m routeMatcher) wantCovered(tb testing.TB, what string, requests []string, keep func(pattern string) bool) {
	tb.Helper()
	hit := map[string]bool{}
	for _, r := range requests {
		method, path, _ := strings.Cut(r, " ")
		hit[m.pattern(method, path)] = true
	}
	var missing []string
	for _, p := range routePatterns(tb) {
		if keep(p) && !hit[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		tb.Fatalf("%s misses these routes; add them to its table:\n%s", what, strings.Join(missing, "\n"))
	}
}

// methodOf is the method of a route pattern, "" for any.
func methodOf(pattern string) string {
	if m, _, ok := strings.Cut(pattern, " "); ok {
		return m
	}
	return ""
}

// ---- Sessions and cookies ----

// sessionCookieOf returns the cookie of a response by name, or nil.
func cookieNamed(cookies []*http.Cookie, name string) *http.Cookie {
	for _, c := range cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestCookiesOverHTTPS(t *testing.T) {
	t.Parallel()
	t.Run("TLS", func(t *testing.T) {
		t.Parallel()
		ts := newTestServerWith(t, fhttp.Config{}, true)
		owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
		w := ts.workshop(t, owner, true)
		fac := ts.client()
		r := fac.postForm(t, "/login", url.Values{"email": {owner.Email}, "password": {testPassword}}).wantRedirect(t, "/dashboard")
		if c := cookieNamed(r.cookies, "__Host-fs_session"); c == nil || !c.Secure {
			t.Fatalf("cookies %v, want __Host-fs_session, Secure", r.cookies)
		}
		fac.get(t, "/dashboard").want(t, http.StatusOK)
		p := ts.client()
		r = p.postForm(t, "/j/"+w.Code, nil).wantRedirect(t, "/w/"+w.Code)
		if c := cookieNamed(r.cookies, "__Host-fs_participant"); c == nil || !c.Secure {
			t.Fatalf("cookies %v, want __Host-fs_participant, Secure", r.cookies)
		}
		p.get(t, "/w/"+w.Code).want(t, http.StatusOK)
		fac.postForm(t, "/logout", nil).wantRedirect(t, "/login")
		if n := ts.cookies.count(); n < 3 {
			t.Fatalf("the audit saw %d cookies, want 3 at least", n)
		}
	})
	t.Run("behind a trusted proxy", func(t *testing.T) {
		t.Parallel()
		ts := newTestServerWith(t, fhttp.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, false)
		owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
		https := []string{"X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.7"}
		r := ts.client().postForm(t, "/login", url.Values{"email": {owner.Email}, "password": {testPassword}}, https...).wantRedirect(t, "/dashboard")
		c := cookieNamed(r.cookies, "__Host-fs_session")
		if c == nil || !c.Secure {
			t.Fatalf("cookies %v, want __Host-fs_session, Secure", r.cookies)
		}
		r = ts.client().get(t, "/dashboard", append(https, "Cookie", c.Name+"="+c.Value)...).want(t, http.StatusOK)
		wantSecurityHeaders(t, "a page behind the proxy", r.header, true)
		// Over plain HTTP the same server sets plain cookies, and the
		// __Host- cookie means nothing there.
		r = ts.client().postForm(t, "/login", url.Values{"email": {owner.Email}, "password": {testPassword}}).wantRedirect(t, "/dashboard")
		if c := cookieNamed(r.cookies, "fs_session"); c == nil || c.Secure {
			t.Fatalf("cookies over HTTP %v, want fs_session without Secure", r.cookies)
		}
		ts.client().get(t, "/dashboard", "Cookie", c.Name+"="+c.Value).wantRedirect(t, "/login?next=%2Fdashboard")
		if n := ts.cookies.count(); n < 2 {
			t.Fatalf("the audit saw %d cookies, want 2 at least", n)
		}
	})
}

func TestNewSessionIDAtLogin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	other := ts.user(t, "other@example.org", workshop.RoleFacilitator)
	c := ts.client()
	form := url.Values{"email": {u.Email}, "password": {testPassword}}
	first := cookieNamed(c.postForm(t, "/login", form).wantRedirect(t, "/dashboard").cookies, "fs_session")
	second := cookieNamed(c.postForm(t, "/login", form).wantRedirect(t, "/dashboard").cookies, "fs_session")
	if first == nil || second == nil || first.Value == second.Value {
		t.Fatalf("session cookies %v then %v, want two different ones", first, second)
	}
	if got := ts.sessionHandles(t, u); len(got) != 2 {
		t.Fatalf("%d sessions after two sign-ins, want 2: each sign-in starts its own", len(got))
	}
	// Signing in as someone else in a browser with a session replaces it.
	third := cookieNamed(c.postForm(t, "/login", url.Values{"email": {other.Email}, "password": {testPassword}}).wantRedirect(t, "/dashboard").cookies, "fs_session")
	if third == nil || third.Value == second.Value {
		t.Fatalf("session cookie %v after signing in as another account, want a new one", third)
	}
	c.get(t, "/account").want(t, http.StatusOK).wantContains(t, other.Email)
}

// A copy of a session cookie is worthless once the session ended: by
// signing out, by disabling the account or by time.
func TestSessionReplayRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	u := ts.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, u, true)
	clock := acctClock(ts)
	cookieOf := func(c *client) string {
		t.Helper()
		base, _ := url.Parse(ts.url)
		for _, ck := range c.hc.Jar.Cookies(base) {
			if ck.Name == "fs_session" {
				return ck.Name + "=" + ck.Value
			}
		}
		t.Fatal("no session cookie")
		return ""
	}
	wantEnded := func(t *testing.T, cookie string) {
		t.Helper()
		replay := ts.client()
		replay.get(t, "/dashboard", "Cookie", cookie).wantRedirect(t, "/login?next=%2Fdashboard")
		replay.get(t, "/workshops/"+w.Code, "Cookie", cookie).wantRedirect(t, "/login?next="+url.QueryEscape("/workshops/"+w.Code))
		replay.get(t, apiPath(w.Code, "/results"), "Cookie", cookie).wantAPIError(t, http.StatusUnauthorized, "")
		replay.postForm(t, "/workshops/"+w.Code+"/close", nil, "Cookie", cookie).wantRedirect(t, "/login?next="+url.QueryEscape("/workshops/"+w.Code+"/close"))
		replay.postJSON(t, apiPath(w.Code, "/finish"), "", "Cookie", cookie).wantAPIError(t, http.StatusUnauthorized, "")
		if got := ts.tally(t, w); got.Seq != w.Seq {
			t.Fatalf("workshop seq %d after replays, want %d", got.Seq, w.Seq)
		}
	}

	t.Run("after sign-out", func(t *testing.T) {
		c := ts.login(t, u.Email)
		cookie := cookieOf(c)
		ts.client().get(t, apiPath(w.Code, "/results"), "Cookie", cookie).want(t, http.StatusOK)
		c.postForm(t, "/logout", nil).wantRedirect(t, "/login")
		wantEnded(t, cookie)
	})
	t.Run("after the account is disabled", func(t *testing.T) {
		cookie := cookieOf(ts.login(t, u.Email))
		ts.login(t, org.Email).postForm(t, fmt.Sprintf("/admin/users/%d/disable", u.ID), nil).wantRedirect(t, "/admin/users?done=disabled")
		wantEnded(t, cookie)
		// Enabling the account again does not bring old sessions back.
		ts.login(t, org.Email).postForm(t, fmt.Sprintf("/admin/users/%d/enable", u.ID), nil).wantRedirect(t, "/admin/users?done=enabled")
		wantEnded(t, cookie)
	})
	t.Run("after the session expired on the server", func(t *testing.T) {
		cookie := cookieOf(ts.login(t, u.Email))
		clock.Store(int64(store.SessionTTL - time.Minute))
		ts.client().get(t, "/dashboard", "Cookie", cookie).want(t, http.StatusOK)
		clock.Store(int64(store.SessionTTL + time.Minute))
		wantEnded(t, cookie)
		clock.Store(0)
	})
}

// newKeys returns a pair of random cookie keys: hash and block.
func newKeys(t *testing.T) [][]byte {
	t.Helper()
	h, b := make([]byte, 32), make([]byte, 32)
	rand.Read(h)
	rand.Read(b)
	return [][]byte{h, b}
}

// Cookie keys rotate: with keys [A, B] (A newest) a cookie made with B is
// accepted and issued again with A; once B is retired it is refused.
func TestSessionKeyRotation(t *testing.T) {
	t.Parallel()
	a, b := newKeys(t), newKeys(t)
	old := newTestServerWith(t, fhttp.Config{SessionKeys: b}, false)
	rotating := serveDB(t, old.db, old.dbPath, fhttp.Config{SessionKeys: append(slices.Clone(a), b...)}, false, nil)
	retired := serveDB(t, old.db, old.dbPath, fhttp.Config{SessionKeys: a}, false, nil)
	u := old.user(t, "fac@example.org", workshop.RoleFacilitator)
	w := old.workshop(t, u, true)

	withB := old.client()
	withB.postForm(t, "/login", url.Values{"email": {u.Email}, "password": {testPassword}}).wantRedirect(t, "/dashboard")
	withB.join(t, w.Code)
	base, _ := url.Parse(old.url)
	cookies := map[string]string{}
	for _, c := range withB.hc.Jar.Cookies(base) {
		cookies[c.Name] = c.Name + "=" + c.Value
	}
	pages := map[string]string{"fs_session": "/dashboard", "fs_participant": "/w/" + w.Code}
	refused := map[string]string{"fs_session": "/login?next=%2Fdashboard", "fs_participant": "/j/" + w.Code}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			r := rotating.client().get(t, page, "Cookie", cookies[name]).want(t, http.StatusOK)
			reissued := cookieNamed(r.cookies, name)
			if reissued == nil || reissued.Value == strings.TrimPrefix(cookies[name], name+"=") || reissued.MaxAge <= 0 {
				t.Fatalf("Set-Cookie %v, want %s issued again with the newest key", r.cookies, name)
			}
			// The new cookie is made with A: the server that knows only A
			// takes it, and the server with both does not issue it again.
			fresh := name + "=" + reissued.Value
			retired.client().get(t, page, "Cookie", fresh).want(t, http.StatusOK)
			if r := rotating.client().get(t, page, "Cookie", fresh).want(t, http.StatusOK); len(r.cookies) != 0 {
				t.Fatalf("a cookie made with the newest key was issued again: %v", r.cookies)
			}
			// The old cookie is refused once B is retired.
			retired.client().get(t, page, "Cookie", cookies[name]).wantRedirect(t, refused[name])
		})
	}
}

// ---- Cross-origin requests ----

// TestCrossOriginEveryStateChangingRoute sends every state-changing route
// of the access matrix, as every role, from another site: each is refused
// with 403 before it does anything.
func TestCrossOriginEveryStateChangingRoute(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	sc := f.scene(t)
	sc.all()
	clients := make([]*client, nRoles)
	for role := range nRoles {
		clients[role] = sc.client(role, false)
	}
	before := f.ts.dbState(t)
	var requests []string
	for _, rt := range accessRoutes(f) {
		rq := rt.req(sc)
		if rq.method == "GET" {
			continue
		}
		requests = append(requests, rq.method+" "+rq.path)
		for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "same-site"}} {
			for role, c := range clients {
				if a := c.sendReq(t, rq, hdr...); a.status != http.StatusForbidden {
					t.Errorf("%s %s as %s with %s: %s: status=%d, want 403", rq.method, rq.path, roleNames[role], hdr[0], hdr[1], a.status)
				}
			}
		}
	}
	f.ts.wantSameState(t, before, "cross-origin requests")
	newRouteMatcher(t).wantCovered(t, "the cross-origin walk", requests, func(p string) bool { return methodOf(p) != "GET" })
}

// ---- Headers and the Content Security Policy ----

var (
	scriptTag     = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	nonceAttr     = regexp.MustCompile(`\bnonce="([^"]+)"`)
	cspNonce      = regexp.MustCompile(`script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'`)
	inlineHandler = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	styleAttr     = regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	scriptURL     = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*"\s*javascript:`)
)

// wantStrictHTML checks a page against its CSP: every script carries the
// response's nonce, and nothing inline (style element or attribute, event
// handler, javascript: URL) needs the policy relaxed.
func wantStrictHTML(t *testing.T, what string, a answer) {
	t.Helper()
	m := cspNonce.FindStringSubmatch(a.header.Get("Content-Security-Policy"))
	if m == nil {
		t.Fatalf("%s: CSP %q has no script nonce", what, a.header.Get("Content-Security-Policy"))
	}
	for _, s := range scriptTag.FindAllStringSubmatch(a.body, -1) {
		if n := nonceAttr.FindStringSubmatch(s[1]); n == nil || n[1] != m[1] {
			t.Fatalf("%s: a script without the response's nonce: %.200s", what, s[0])
		}
	}
	for _, re := range []*regexp.Regexp{inlineHandler, styleAttr, scriptURL, regexp.MustCompile(`(?i)<style\b`)} {
		if loc := re.FindStringIndex(a.body); loc != nil {
			t.Fatalf("%s: inline code the CSP forbids: %.200s", what, a.body[loc[0]:])
		}
	}
}

// wantSecurityHeaders checks the headers every response carries.
func wantSecurityHeaders(t *testing.T, what string, h http.Header, https bool) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: CSP %q lacks %s", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: CSP %q allows inline code", what, csp)
	}
	if cspNonce.FindStringSubmatch(csp) == nil {
		t.Errorf("%s: CSP %q has no nonce", what, csp)
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s=%q, want %q", what, name, got, want)
		}
	}
	if rp := h.Get("Referrer-Policy"); rp != "same-origin" && rp != "no-referrer" {
		t.Errorf("%s: Referrer-Policy=%q, want same-origin or no-referrer", what, rp)
	}
	hsts := h.Get("Strict-Transport-Security")
	if https && !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("%s over HTTPS: Strict-Transport-Security=%q, want max-age", what, hsts)
	}
	if !https && hsts != "" {
		t.Errorf("%s over HTTP: Strict-Transport-Security=%q, want none", what, hsts)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, https := range []bool{false, true} {
		t.Run(fmt.Sprintf("https=%v", https), func(t *testing.T) {
			t.Parallel()
			ts := newTestServerWith(t, fhttp.Config{}, https)
			owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
			w := ts.workshop(t, owner, true)
			p := ts.join(t, w.Code)
			anon := ts.client()
			responses := map[string]*response{
				"a page":        anon.get(t, "/").want(t, http.StatusOK),
				"the API":       p.get(t, apiPath(w.Code, "")).want(t, http.StatusOK),
				"an API error":  anon.get(t, apiPath(w.Code, "/results")).want(t, http.StatusUnauthorized),
				"an error page": anon.get(t, "/nothing").want(t, http.StatusNotFound),
				"an asset":      anon.get(t, assets.Path("css/app.css")).want(t, http.StatusOK),
				"a redirect":    anon.get(t, "/w/"+w.Code).want(t, http.StatusSeeOther),
			}
			for what, r := range responses {
				wantSecurityHeaders(t, what, r.header, https)
			}
			for _, what := range []string{"a page", "an error page"} {
				r := responses[what]
				wantStrictHTML(t, what, answer{status: r.status, header: r.header, body: r.body})
			}
			// A fresh nonce for every response.
			again := anon.get(t, "/").header.Get("Content-Security-Policy")
			if again == responses["a page"].header.Get("Content-Security-Policy") {
				t.Fatalf("two responses share the CSP nonce: %q", again)
			}
			if !https {
				// Without a trusted proxy, a client cannot claim HTTPS.
				r := anon.get(t, "/", "X-Forwarded-Proto", "https")
				wantSecurityHeaders(t, "a page with a forged X-Forwarded-Proto", r.header, false)
			}
		})
	}
}

// ---- Passwords ----

// Argon2id hashes the whole password: bcrypt would take these two
// 100-character passwords, equal in their first 80 bytes, for one.
func TestLoginComparesTheWholePassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	pw := strings.Repeat("x", 80) + "A" + strings.Repeat("y", 19)
	almost := strings.Repeat("x", 80) + "B" + strings.Repeat("y", 19)
	u, err := ts.db.CreateUser(context.Background(), "long@example.org", pw, workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	ts.client().postForm(t, "/login", url.Values{"email": {u.Email}, "password": {almost}}).want(t, http.StatusUnauthorized)
	ts.client().postForm(t, "/login", url.Values{"email": {u.Email}, "password": {pw}}).wantRedirect(t, "/dashboard")
}

// The setup link: the minimum length, no password in the log, one use,
// and no use at all once an account exists by another way.
func TestSetupLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("first account", func(t *testing.T) {
		t.Parallel()
		var logs syncBuffer
		ts := newLoggedTestServer(t, &logs)
		token, err := ts.db.SetupLink(ctx)
		if err != nil || token == "" {
			t.Fatalf("setup link %q, %v", token, err)
		}
		short, good := "Nine-ch_1", "setup-Password-10"
		c := ts.client()
		c.get(t, "/setup/"+token).want(t, http.StatusOK)
		c.postForm(t, "/setup/"+token, url.Values{"email": {"first@example.org"}, "password": {short}}).
			want(t, http.StatusUnprocessableEntity).wantContains(t, "at least 10 characters")
		c.postForm(t, "/setup/"+token, url.Values{"email": {"first@example.org"}, "password": {good}}).wantRedirect(t, "/dashboard")
		c.get(t, "/dashboard").want(t, http.StatusOK)
		ts.client().get(t, "/setup/"+token).want(t, http.StatusNotFound)
		ts.client().postForm(t, "/setup/"+token, url.Values{"email": {"second@example.org"}, "password": {good}}).want(t, http.StatusNotFound)
		if n, _ := ts.db.CountUsers(ctx); n != 1 {
			t.Fatalf("%d accounts, want 1", n)
		}
		out := logs.String()
		if !strings.Contains(out, "/setup/{token}") {
			t.Fatalf("the log lacks the request lines: %q", out)
		}
		for _, secret := range []string{short, good, token} {
			if strings.Contains(out, secret) {
				t.Fatalf("the log holds the secret %q:\n%s", secret, out)
			}
		}
	})
	t.Run("an account made on the command line", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t)
		token, err := ts.db.SetupLink(ctx)
		if err != nil || token == "" {
			t.Fatalf("setup link %q, %v", token, err)
		}
		ts.user(t, "cli@example.org", workshop.RoleOrganiser) // foresight user add
		ts.client().get(t, "/setup/"+token).want(t, http.StatusNotFound)
		ts.client().postForm(t, "/setup/"+token, url.Values{"email": {"intruder@example.org"}, "password": {testPassword}}).want(t, http.StatusNotFound)
		if n, _ := ts.db.CountUsers(ctx); n != 1 {
			t.Fatalf("%d accounts, want 1: the setup link made an organiser after an account existed", n)
		}
	})
}

// ---- Rate limits ----

// proxiedServer trusts the test client as its proxy, so that each request
// can come from another address through X-Forwarded-For.
func proxiedServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWith(t, fhttp.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, false)
}

// from is the header of a request from another address.
func from(addr string) []string { return []string{"X-Forwarded-For", addr} }

// Failed sign-ins are limited per account too, so that many addresses
// cannot share out the guessing of one password.
func TestLoginLimitPerAccount(t *testing.T) {
	t.Parallel()
	ts := proxiedServer(t)
	victim := ts.user(t, "victim@example.org", workshop.RoleFacilitator)
	bystander := ts.user(t, "bystander@example.org", workshop.RoleFacilitator)
	for i := 1; i <= 10; i++ {
		ts.client().postForm(t, "/login", url.Values{"email": {victim.Email}, "password": {"wrong password " + strconv.Itoa(i)}},
			from(fmt.Sprintf("198.51.100.%d", i))...).want(t, http.StatusUnauthorized)
	}
	fresh := from("203.0.113.9")
	ts.client().postForm(t, "/login", url.Values{"email": {victim.Email}, "password": {testPassword}}, fresh...).wantRetryAfter(t)
	ts.client().postForm(t, "/login", url.Values{"email": {" Victim@Example.org "}, "password": {testPassword}}, fresh...).wantRetryAfter(t)
	ts.client().postForm(t, "/login", url.Values{"email": {bystander.Email}, "password": {testPassword}}, fresh...).wantRedirect(t, "/dashboard")
}

// Wrong join codes are limited per address; an IPv6 client counts as its
// /64, which it could otherwise walk through one address per guess.
func TestJoinCodeLimitPerIPv6Prefix(t *testing.T) {
	t.Parallel()
	ts := proxiedServer(t)
	for i := 1; ; i++ {
		r := ts.client().get(t, "/join?code=ZZZZ-ZZZZ", from(fmt.Sprintf("2001:db8:1:2::%x", i))...)
		if r.status == http.StatusTooManyRequests {
			r.wantRetryAfter(t)
			break
		}
		r.want(t, http.StatusNotFound)
		if i > 400 { // the limit allows a room's typos: 300 at once
			t.Fatal("400 wrong codes from one /64 and no 429")
		}
	}
	ts.client().get(t, "/join?code=ZZZZ-ZZZZ", from("2001:db8:1:3::1")...).want(t, http.StatusNotFound)
	ts.client().get(t, "/join?code=ZZZZ-ZZZZ", from("192.0.2.1")...).want(t, http.StatusNotFound)
}

// Ratings and reasons are limited per participant: a burst no person
// reaches by clicking, then ten a second. Others behind the same address
// are not slowed down.
func TestSaveLimitPerParticipant(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	script, person := ts.join(t, w.Code), ts.join(t, w.Code)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	field := fmt.Sprintf("r-%d-%d", sid, cid)
	// A token comes back every 100 ms: sixteen requests at a time outrun
	// that unless each takes over 1.6 s. Each way to save shares the limit.
	for _, c := range []struct {
		what string
		send func(i int) *response
	}{
		{"ratings", func(i int) *response {
			return script.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(sid, cid, strconv.Itoa(1+i%5)))
		}},
		{"the form", func(int) *response { return script.postForm(t, "/w/"+w.Code+"/ratings", url.Values{field: {"2"}}) }},
		{"the form with htmx", func(int) *response {
			return script.postForm(t, "/w/"+w.Code+"/ratings", url.Values{field: {"2"}}, "HX-Request", "true")
		}},
		{"reasons", func(int) *response {
			return script.putJSON(t, apiPath(w.Code, "/rationales"), reasonJSON(sid, "Because."))
		}},
		{"removals", func(int) *response {
			return script.do(t, http.MethodDelete, apiPath(w.Code, fmt.Sprintf("/ratings?scenario_id=%d&criterion_id=%d", sid, cid)), nil)
		}},
	} {
		var saved atomic.Int64
		var limited atomic.Pointer[response]
		for round := 0; limited.Load() == nil; round++ {
			if round == 20 {
				t.Fatalf("%s: %d saved and no 429", c.what, saved.Load())
			}
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Go(func() {
					switch r := c.send(round*16 + i); r.status {
					case http.StatusTooManyRequests:
						limited.CompareAndSwap(nil, r)
					case http.StatusOK, http.StatusSeeOther:
						saved.Add(1)
					default:
						t.Errorf("%s: %s: status=%d", c.what, r.req, r.status)
					}
				})
			}
			wg.Wait()
		}
		if c.what == "ratings" {
			if saved.Load() < 60 {
				t.Fatalf("the first 429 after %d ratings, want 60 at least", saved.Load())
			}
			limited.Load().wantAPIError(t, http.StatusTooManyRequests, "")
		}
		limited.Load().wantRetryAfter(t)
	}
	person.rate(t, w.Code, sid, cid, "5")
	person.reason(t, w.Code, sid, "Rivers decide it.")
}

// A whole room behind one NAT address joins and votes without a single
// 429: joining and rating cost nothing against the address. 2,000 people
// here (1,000 under the race detector, which slows the server down
// several times); 10,000 take the same code path, since the limits key on
// failures and on participants, never on the address of a success.
func TestRoomBehindOneAddress(t *testing.T) {
	t.Parallel()
	const workers = 16
	people := 2000
	if raceDetector {
		people = 1000
	}
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	transport := &http.Transport{MaxIdleConnsPerHost: workers}
	t.Cleanup(transport.CloseIdleConnections)
	ts.transport = transport
	var tooMany, failed atomic.Int64
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				c := ts.client()
				for _, r := range []*response{
					c.postForm(t, "/j/"+w.Code, nil),
					c.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(sid, cid, strconv.Itoa(1+i%5))),
				} {
					switch {
					case r.status == http.StatusTooManyRequests:
						tooMany.Add(1)
					case r.status != http.StatusSeeOther && r.status != http.StatusOK:
						failed.Add(1)
					}
				}
			}
		})
	}
	start := time.Now()
	for i := range people {
		next <- i
	}
	close(next)
	wg.Wait()
	t.Logf("%d people joined and rated from one address in %v", people, time.Since(start).Round(time.Millisecond))
	if tooMany.Load() != 0 || failed.Load() != 0 {
		t.Fatalf("%d answers were 429 and %d failed, want none", tooMany.Load(), failed.Load())
	}
	tl := ts.tally(t, w)
	res := ts.login(t, owner.Email).results(t, w.Code)
	if it := res.item(t, sid, cid); tl.Joined != people || it.N != int64(people) {
		t.Fatalf("joined=%d n=%d, want %d and %d", tl.Joined, it.N, people, people)
	}
}

// ---- Join codes ----

// A finished or archived workshop admits nobody new, and those who joined
// still see what they rated.
func TestClosedWorkshopKeepsItsParticipants(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	p.rate(t, w.Code, sid, cid, "4")
	p.reason(t, w.Code, sid, "Rivers decide it.")
	checked := fmt.Sprintf(`name="r-%d-%d" value="4" checked`, sid, cid)
	ts.step(t, w.Code, workshop.ActFinish)
	for _, archived := range []bool{false, true} {
		if archived {
			if _, err := ts.db.ArchiveWorkshop(context.Background(), w.Code, true); err != nil {
				t.Fatal(err)
			}
		}
		before := ts.tallies(t, w)
		ts.client().postForm(t, "/j/"+w.Code, nil).want(t, http.StatusConflict)
		ts.client().postJSON(t, "/j/"+w.Code, "").want(t, http.StatusConflict)
		ts.wantUnchanged(t, before, w)
		p.get(t, "/w/"+w.Code).want(t, http.StatusOK).wantContains(t, "has finished", checked, "Rivers decide it.")
		if got := p.ownRatings(t, w.Code); len(got) != 1 || got[0].Value == nil || *got[0].Value != 4 {
			t.Fatalf("archived=%v: own ratings %s, want the 4", archived, jsonOf(got))
		}
		p.putJSON(t, apiPath(w.Code, "/ratings"), ratingJSON(sid, cid, "2")).want(t, http.StatusConflict)
	}
}

// ---- Bad input: sizes and slow clients ----

// rawPost sends a body of size bytes, after prefix, with a Content-Length
// or chunked, over a connection of its own, without holding the body in
// memory; it returns the status of the answer.
func rawPost(t *testing.T, base, method, path, ctype, cookie, prefix string, size int, chunked bool) int {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", method, path, u.Host, ctype)
	if cookie != "" {
		head += "Cookie: " + cookie + "\r\n"
	}
	if chunked {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		chunk := bytes.Repeat([]byte("a"), 32<<10)
		copy(chunk, prefix)
		framed := append([]byte(fmt.Sprintf("%x\r\n", len(chunk))), append(chunk, "\r\n"...)...)
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		for sent := 0; sent < size; sent += len(chunk) {
			b := chunk
			if chunked {
				b = framed
			}
			if _, err := conn.Write(b); err != nil {
				return // the server hung up: it has had enough
			}
			copy(chunk, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"[:len(prefix)])
			framed = append(framed[:0], fmt.Sprintf("%x\r\n", len(chunk))...)
			framed = append(append(framed, chunk...), "\r\n"...)
		}
		if chunked {
			io.WriteString(conn, "0\r\n\r\n")
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s with %d bytes: %v", method, path, size, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	conn.Close()
	<-done
	return res.StatusCode
}

// cookieHeader is the Cookie header a client sends to its server.
func (c *client) cookieHeader() string {
	u, _ := url.Parse(c.ts.url)
	var parts []string
	for _, ck := range c.hc.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// TestTenMegabytePosts posts 10 MB, with a length and chunked, to the
// routes that read a body: each answers 413 without holding the body. Not
// parallel: it measures what the process allocates.
func TestTenMegabytePosts(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	org := ts.user(t, "org@example.org", workshop.RoleOrganiser)
	w := ts.workshop(t, owner, true)
	p, fac, orgC := ts.join(t, w.Code), ts.login(t, owner.Email), ts.login(t, org.Email)
	const size = 10 << 20
	form, js := "application/x-www-form-urlencoded", "application/json"
	multi := "multipart/form-data; boundary=xyz"
	filePart := "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deck.json\"\r\nContent-Type: application/json\r\n\r\n"
	routes := []struct {
		method, path, ctype, cookie, prefix string
	}{
		{"POST", "/login", form, "", "email="},
		{"POST", "/j/" + w.Code, form, "", "display_name="},
		{"POST", "/w/" + w.Code + "/ratings", form, p.cookieHeader(), "reason-1="},
		{"PUT", apiPath(w.Code, "/ratings"), js, p.cookieHeader(), `{"scenario_id": "`},
		{"PUT", apiPath(w.Code, "/rationales"), js, p.cookieHeader(), `{"text": "`},
		{"PUT", apiPath(w.Code, "/settings"), js, fac.cookieHeader(), `{"title": "`},
		{"POST", "/workshops/" + w.Code + "/settings", form, fac.cookieHeader(), "title="},
		{"POST", "/workshops", form, fac.cookieHeader(), "title="},
		{"POST", "/decks", form, fac.cookieHeader(), "title="},
		{"POST", "/decks/import", multi, fac.cookieHeader(), filePart},
		{"POST", "/admin/invites", form, orgC.cookieHeader(), "email="},
		{"POST", "/account/password", form, fac.cookieHeader(), "current="},
	}
	before := ts.dbState(t)
	heap := heapInUse()
	var worst uint64
	for _, rt := range routes {
		// What the process allocates while it refuses the post: within a
		// bound, and the same for 5 MB as for 10 MB, chunked or not.
		alloc := map[string]uint64{}
		for _, c := range []struct {
			name    string
			size    int
			chunked bool
		}{{"5 MB", size / 2, false}, {"10 MB", size, false}, {"10 MB chunked", size, true}} {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			if got := rawPost(t, ts.url, rt.method, rt.path, rt.ctype, rt.cookie, rt.prefix, c.size, c.chunked); got != http.StatusRequestEntityTooLarge {
				t.Errorf("%s %s, %s: status=%d, want 413", rt.method, rt.path, c.name, got)
			}
			runtime.ReadMemStats(&m1)
			alloc[c.name] = m1.TotalAlloc - m0.TotalAlloc
		}
		t.Logf("%-6s %-44s allocated %6.2f MB for 5 MB, %6.2f MB for 10 MB, %6.2f MB chunked", rt.method, rt.path,
			float64(alloc["5 MB"])/1e6, float64(alloc["10 MB"])/1e6, float64(alloc["10 MB chunked"])/1e6)
		// The deck routes read up to 4 MB (a 1 MB deck, encoded) before
		// they refuse, and the import holds its multipart form in memory:
		// bounded by that cap, not by what is sent. Others stop at 64 KiB.
		limit := uint64(5 << 20)
		if strings.HasPrefix(rt.path, "/decks") {
			limit = 48 << 20 // 12 times the 4 MB cap: copies, and the race detector's doubling
		} else {
			worst = max(worst, alloc["10 MB"], alloc["10 MB chunked"])
		}
		if a := max(alloc["10 MB"], alloc["10 MB chunked"]); a > limit {
			t.Errorf("%s %s: 10 MB made the process allocate %.1f MB, want at most %d MB", rt.method, rt.path, float64(a)/1e6, limit>>20)
		}
		if grow := int64(alloc["10 MB"]) - int64(alloc["5 MB"]); grow > 1<<20 {
			t.Errorf("%s %s: 10 MB allocated %.1f MB more than 5 MB: memory grows with the body", rt.method, rt.path, float64(grow)/1e6)
		}
	}
	grown := int64(heapInUse()) - int64(heap)
	t.Logf("posts of 5 and 10 MB: at most %.2f MB allocated for one (the deck routes aside); the live heap grew %.2f MB", float64(worst)/1e6, float64(grown)/1e6)
	if grown > 5<<20 {
		t.Errorf("the live heap grew %.1f MB, want less than 5 MB", float64(grown)/1e6)
	}
	ts.wantSameState(t, before, "10 MB posts")
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSlowHeadersAreDropped opens many connections that send their headers
// a byte at a time, slowloris style, to the real http.Server of the
// product (HTTPServer, ReadHeaderTimeout 5 s): a normal request still gets
// its answer meanwhile, and the server hangs up on each slow one after the
// timeout.
func TestSlowHeadersAreDropped(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	hs := ts.srv.HTTPServer("127.0.0.1:0")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	addr := ln.Addr().String()

	const slow = 200
	start := time.Now()
	closed := make(chan time.Duration, slow)
	for range slow {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: foresight\r\nX-Slow: ")
		go func() { // a byte every 200 ms, until the server hangs up
			for {
				if _, err := conn.Write([]byte("z")); err != nil {
					return
				}
				time.Sleep(200 * time.Millisecond)
			}
		}()
		go func() {
			io.Copy(io.Discard, conn) // returns when the server closes
			closed <- time.Since(start)
		}()
	}
	time.Sleep(time.Second)
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("a normal request among %d slow connections: %v", slow, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("a normal request among %d slow connections: status=%d", slow, res.StatusCode)
	}
	first, last := time.Hour, time.Duration(0)
	timeout := time.After(30 * time.Second)
	for range slow {
		select {
		case d := <-closed:
			first, last = min(first, d), max(last, d)
		case <-timeout:
			t.Fatalf("slow connections still open after 30 s")
		}
	}
	t.Logf("%d slow connections dropped between %v and %v", slow, first.Round(10*time.Millisecond), last.Round(10*time.Millisecond))
	if first < hs.ReadHeaderTimeout-time.Second {
		t.Fatalf("a slow connection was dropped after %v, before the header timeout of %v", first, hs.ReadHeaderTimeout)
	}
}

// ---- Bad input: text ----

// TestTextFieldsRefuseBadText sends text that is not UTF-8, that holds
// bidirectional controls (which can make "evil\u202Etxt.exe" read as
// "evilexe.txt"), or that is one character too long, into every text field
// a person types: each is refused and nothing is stored. At the limit, in
// characters of several bytes, the text is taken.
func TestTextFieldsRefuseBadText(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	named := ts.workshop(t, owner, true)
	if _, err := ts.db.UpdateSettings(context.Background(), named.Code, workshop.Settings{Title: "Named", Anonymity: workshop.Pseudonymous,
		Visibility: named.Visibility, Pacing: named.Pacing}, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	p, fac := ts.join(t, w.Code), ts.login(t, owner.Email)
	sid := w.Scenarios[0].ID
	jsonText := func(key, v string) string { return `{` + key + `"` + v + `"}` } // raw: bytes as they are
	fields := []struct {
		name  string
		limit int    // in characters
		char  string // of several bytes, for the limit
		send  func(v string) *response
	}{
		{"display name", workshop.MaxDisplayNameRunes, "ß", func(v string) *response {
			return ts.client().postForm(t, "/j/"+named.Code, url.Values{"display_name": {v}})
		}},
		{"reason, form", workshop.MaxRationaleRunes, "𝔸", func(v string) *response {
			return p.postForm(t, "/w/"+w.Code+"/ratings", url.Values{fmt.Sprintf("reason-%d", sid): {v}})
		}},
		{"reason, API", workshop.MaxRationaleRunes, "𝔸", func(v string) *response {
			return p.putJSON(t, apiPath(w.Code, "/rationales"), jsonText(fmt.Sprintf(`"scenario_id": %d, "text": `, sid), v))
		}},
		{"workshop title, form", workshop.MaxTitleRunes, "€", func(v string) *response {
			return fac.postForm(t, "/workshops/"+w.Code+"/settings", settingsForm(v, "", "anonymous", "0", "live", "self"))
		}},
		{"workshop title, API", workshop.MaxTitleRunes, "€", func(v string) *response {
			return fac.putJSON(t, apiPath(w.Code, "/settings"), jsonText(`"title": `, v))
		}},
		{"workshop description, API", workshop.MaxTextRunes, "€", func(v string) *response {
			return fac.putJSON(t, apiPath(w.Code, "/settings"), jsonText(`"description": `, v))
		}},
		{"new workshop title", workshop.MaxTitleRunes, "€", func(v string) *response {
			return fac.postForm(t, "/workshops", url.Values{"deck": {ts.deck.Slug}, "title": {v}})
		}},
		{"deck title", workshop.MaxTitleRunes, "€", func(v string) *response {
			f := validDeckForm(v)
			f.Set("op", "save")
			return fac.postForm(t, "/decks", f)
		}},
	}
	bad := []struct{ name, text string }{
		{"not UTF-8", "Fine\xff\xfetext"},
		{"a truncated UTF-8 sequence", "Fine text\xe2\x82"},
		{"a bidi override", "evil\u202Etxt.exe"},
		{"a bidi embedding", "a\u202Ab"},
		{"a bidi isolate", "a\u2067b\u2069"},
	}
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			cases := bad
			if f.limit > 0 {
				cases = append(cases, struct{ name, text string }{"one character too many", strings.Repeat(f.char, f.limit+1)})
			}
			for _, c := range cases {
				before := ts.dbState(t)
				r := f.send(c.text)
				if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
					t.Errorf("%s: status=%d, want 422 or 400; body: %.300s", c.name, r.status, r.body)
				}
				ts.wantSameState(t, before, f.name+" with "+c.name)
			}
			if f.limit > 0 {
				if r := f.send(strings.Repeat(f.char, f.limit)); r.status >= 400 {
					t.Errorf("%d characters (%d bytes): status=%d, want it taken; body: %.300s",
						f.limit, f.limit*len(f.char), r.status, r.body)
				}
			}
		})
	}
}

// dirAuto matches text inside an element with dir="auto", or in a child of
// one (a blockquote's paragraph).
func dirAuto(text string) *regexp.Regexp {
	return regexp.MustCompile(`dir="auto"[^>]*>\s*(<[a-z]+[^>]*>\s*)?` + regexp.QuoteMeta(html.EscapeString(text)))
}

// Names and reasons come from participants in any script: each is shown in
// an element with dir="auto", so that right-to-left text neither reads
// backwards nor turns the text around it.
func TestNamesAndReasonsAreIsolated(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	if _, err := ts.db.UpdateSettings(context.Background(), w.Code, workshop.Settings{Title: w.Title, Anonymity: workshop.Pseudonymous,
		Visibility: w.Visibility, Pacing: w.Pacing}, nil, workshop.User{}); err != nil {
		t.Fatal(err)
	}
	name, reason := "سارة", "הנהרות מכריעים: (3) > 2"
	p := ts.client()
	p.postForm(t, "/j/"+w.Code, url.Values{"display_name": {name}}).wantRedirect(t, "/w/"+w.Code)
	id := p.reason(t, w.Code, w.Scenarios[0].ID, reason).ID
	fac := ts.login(t, owner.Email)
	fac.postForm(t, fmt.Sprintf("/workshops/%s/rationales/%d/feature", w.Code, id), nil).want(t, http.StatusSeeOther)
	ts.step(t, w.Code, workshop.ActClose)
	ts.step(t, w.Code, workshop.ActReveal) // the projector shows featured reasons now
	pages := map[string]*response{
		"results":   fac.get(t, "/workshops/"+w.Code).want(t, http.StatusOK),
		"projector": fac.get(t, "/workshops/"+w.Code+"/projector").want(t, http.StatusOK),
		"report":    fac.get(t, "/workshops/"+w.Code+"/export/report").want(t, http.StatusOK),
		"vote":      p.get(t, "/w/"+w.Code).want(t, http.StatusOK),
	}
	for page, r := range pages {
		if !dirAuto(reason).MatchString(r.body) {
			t.Errorf("%s page: the reason is not in an element with dir=\"auto\"", page)
		}
	}
	if !dirAuto(name).MatchString(pages["results"].body) {
		t.Errorf("results page: the display name is not in an element with dir=\"auto\"")
	}
}

// ---- One vote ----

// 100 identical ratings sent at once by one participant leave one rating:
// n = 1. (The limit of saves refuses what comes past its burst of 60.)
func TestConcurrentIdenticalRatings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	sid, cid := w.Scenarios[0].ID, w.Criteria[0].ID
	body := ratingJSON(sid, cid, "4")
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make([]int, 100)
	seqs := make([]int64, 100)
	for i := range statuses {
		wg.Go(func() {
			<-start
			r := p.putJSON(t, apiPath(w.Code, "/ratings"), body)
			statuses[i] = r.status
			if r.status == http.StatusOK {
				var out struct{ Seq int64 }
				json.Unmarshal([]byte(r.body), &out)
				seqs[i] = out.Seq
			}
		})
	}
	close(start)
	wg.Wait()
	ok, seq := 0, int64(0)
	for i, st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
			if seq != 0 && seqs[i] != seq {
				t.Errorf("answers with seq %d and %d: the same rating changed the workshop twice", seq, seqs[i])
			}
			seq = seqs[i]
		case http.StatusTooManyRequests:
		default:
			t.Errorf("request %d: status=%d, want 200 or 429", i, st)
		}
	}
	if ok < 60 {
		t.Fatalf("%d of 100 saved, want the burst of 60 at least", ok)
	}
	tl := ts.tally(t, w)
	if tl.Seq != seq {
		t.Errorf("stored seq %d, answered %d", tl.Seq, seq)
	}
	res := ts.login(t, owner.Email).results(t, w.Code)
	if it := res.item(t, sid, cid); it.N != 1 || res.Rated != 1 {
		t.Fatalf("n=%d rated=%d after 100 identical ratings, want 1 and 1", it.N, res.Rated)
	}
	if n := ts.countRows(t, "ratings"); n != 1 {
		t.Fatalf("%d rows of ratings, want 1", n)
	}
}

// countRows counts the rows of a table, straight from the database.
func (ts *testServer) countRows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := ts.rawDB(t).QueryRow(fmt.Sprintf(`SELECT count(*) FROM %q`, table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A form that does not parse is the client's mistake: 400, and no line
// about an internal error in the log.
func TestMalformedFormsAreRefused(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	ts := newLoggedTestServer(t, &logs)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p, fac := ts.join(t, w.Code), ts.login(t, owner.Email)
	before := ts.tallies(t, w)
	for _, rt := range []struct {
		c    *client
		path string
	}{
		{ts.client(), "/login"}, {ts.client(), "/j/" + w.Code}, {p, "/w/" + w.Code + "/ratings"},
		{fac, "/workshops/" + w.Code + "/settings"}, {fac, "/workshops/" + w.Code + "/close"}, {fac, "/account/password"},
	} {
		for _, body := range [][2]string{
			{"application/x-www-form-urlencoded", "title=%X0"},
			{"application/x-www-form-urlencoded", "a=1;b=2"},
			{"text/plain; charset", "a=1"},
		} {
			r := rt.c.do(t, http.MethodPost, rt.path, strings.NewReader(body[1]), "Content-Type", body[0])
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "The form could not be read") {
				t.Errorf("POST %s with %q as %s: status=%d, want 400 saying the form could not be read; body: %.300s", rt.path, body[1], body[0], r.status, r.body)
			}
		}
	}
	ts.wantUnchanged(t, before, w)
	if strings.Contains(logs.String(), "internal error") {
		t.Fatalf("malformed forms were logged as internal errors:\n%s", logs.String())
	}
}

// Cross-impact judgements through the API share the participant's saving
// budget with every other way to save: 60 at once, then a 429. The
// limiters' clock stands still, so no token comes back meanwhile.
func TestJudgementsShareTheSaveLimit(t *testing.T) {
	t.Parallel()
	frozen := time.Now()
	ts := newTestServerWith(t, fhttp.Config{Now: func() time.Time { return frozen }}, false)
	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	p := ts.join(t, w.Code)
	for i := 0; ; i++ {
		// A rating round: each judgement is refused (409), and counts.
		r := p.putJSON(t, apiPath(w.Code, "/crossimpact"), `{"from": "a", "to": "b", "score": 1}`)
		if r.status == http.StatusTooManyRequests {
			if i < 60 {
				t.Fatalf("429 after %d judgements, before the burst of 60", i)
			}
			r.wantRetryAfter(t)
			return
		}
		if i >= 60 {
			t.Fatalf("%d judgements and no 429 (last: %d)", i+1, r.status)
		}
	}
}
