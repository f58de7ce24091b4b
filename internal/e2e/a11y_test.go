package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// axeTags are the axe-core rule sets every page must pass: WCAG 2.0, 2.1
// and 2.2, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// a11yLangs are the interface languages every page is checked in, as the
// browser asks for them.
var a11yLangs = []string{"en", "pl", "fr"}

// axeViolation is one failed axe-core rule on a page, with where it failed.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRun runs axe-core over the page and returns the violations. It is
// evaluated over the DevTools protocol, so the page's CSP does not apply.
const axeRun = `axe.run(document, {runOnly: %s, resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help,
	targets: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 300))
})))`

// auditor checks pages with axe-core in each language and keeps the HTML
// the server sent for the Nu HTML Checker at the end.
type auditor struct {
	t       *testing.T
	axeJS   string
	htmlDir string
	lanes   []*lane
	pages   int
	failed  []string
	mu      sync.Mutex
	axeTime time.Duration
}

func newAuditor(t *testing.T) *auditor {
	t.Helper()
	axe, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if keep := os.Getenv("FORESIGHT_HTML_DIR"); keep != "" {
		dir = keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// Only this run's pages go to the checker.
		old, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9]-*.html"))
		for _, f := range old {
			os.Remove(f)
		}
	}
	return &auditor{t: t, axeJS: string(axe), htmlDir: dir}
}

// tab is a browser tab that remembers the last HTML document it loaded, so
// the served HTML (also of a form post) can be read back.
type tab struct {
	ctx context.Context
	mu  sync.Mutex
	doc network.RequestID
}

// newTab opens a tab that asks for the interface language lang.
func newTab(t *testing.T, b context.Context, width, height int64, lang string) *tab {
	t.Helper()
	tb := &tab{ctx: person(t, b, width, height, true)}
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok && ev.Type == network.ResourceTypeDocument {
			tb.mu.Lock()
			tb.doc = ev.RequestID
			tb.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}); err != nil {
		t.Fatal(err)
	}
	return tb
}

// served is the body of the last HTML document the tab loaded.
func (tb *tab) served() (string, error) {
	tb.mu.Lock()
	id := tb.doc
	tb.mu.Unlock()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
	if err != nil {
		return "", fmt.Errorf("body of the page: %w", err)
	}
	return string(res.Body), nil
}

// lane is one language's set of tabs: a visitor and a participant on
// phones, a facilitator on a laptop. The lanes of the languages run side
// by side.
type lane struct {
	lang            string
	anon, part, fac *tab
}

// do runs browser actions with a bound and says what failed; unlike run
// it may be called off the test's goroutine.
func do(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// js is an action that runs a JavaScript statement.
func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}

// colorScheme emulates the system's light or dark setting.
func colorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatal(err)
	}
}

// check loads a page in each language's lane at once (who picks the tab)
// with load, keeps its HTML and runs axe-core over it; with dark, once more
// in the dark theme. (The dark theme changes colours only, the same for
// every page: it is checked on one page of each kind, which keeps the test
// fast.)
func (a *auditor) check(who func(*lane) *tab, name string, dark bool, load func(ctx context.Context) error) {
	t := a.t
	t.Helper()
	type outcome struct {
		found []string
		err   error
	}
	out := make([]outcome, len(a.lanes))
	var wg sync.WaitGroup
	for i, l := range a.lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].found, out[i].err = a.checkOne(who(l), fmt.Sprintf("%02d-%s.%s", a.pages, name, l.lang), name, l.lang, dark && i == 0, load)
		}()
	}
	wg.Wait()
	for _, o := range out {
		if o.err != nil {
			t.Fatalf("%s: %v", name, o.err)
		}
		for _, msg := range o.found {
			a.failed = append(a.failed, msg)
			t.Error(msg)
		}
	}
	if os.Getenv("FORESIGHT_SCREENSHOTS") != "" {
		// Every language's page, to be read: the longer French texts are
		// where a label would be cut. The dark scheme in the first.
		for i, l := range a.lanes {
			tb := who(l)
			fullScreenshot(t, tb.ctx, "a11y-"+name+"."+l.lang)
			if dark && i == 0 {
				colorScheme(t, tb.ctx, "dark")
				screenshot(t, tb.ctx, "a11y-"+name+"-dark")
				colorScheme(t, tb.ctx, "light")
			}
		}
	}
	a.pages++
}

// checkOne is one language's part of check.
func (a *auditor) checkOne(tb *tab, file, name, lang string, dark bool, load func(ctx context.Context) error) ([]string, error) {
	if err := load(tb.ctx); err != nil {
		return nil, err
	}
	html, err := tb.served()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(a.htmlDir, file+".html"), []byte(html), 0o644); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("%s [%s, light]", name, lang)
	vs, err := a.axe(tb.ctx, what, axeTags...)
	found := violations(what, vs)
	if err != nil || !dark {
		return found, err
	}
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		return found, err
	}
	what = fmt.Sprintf("%s [%s, dark]", name, lang)
	vs, err = a.axe(tb.ctx, what)
	found = append(found, violations(what, vs)...)
	if err != nil {
		return found, err
	}
	_, err = chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
	})
	return found, err
}

// violations formats axe-core's findings for the test log.
func violations(what string, vs []axeViolation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s: %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t")))
	}
	return out
}

// axe injects axe-core unless the page has it, runs the rules of tags
// (without tags: the colour contrast rule alone) and returns the
// violations. It is safe to call from the lanes' goroutines.
func (a *auditor) axe(ctx context.Context, what string, tags ...string) ([]axeViolation, error) {
	start := time.Now()
	defer func() {
		a.mu.Lock()
		a.axeTime += time.Since(start)
		a.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](a.axeJS+"\n;true")); err != nil {
			return nil, fmt.Errorf("%s: inject axe-core: %w", what, err)
		}
	}
	runOnly := map[string]any{"type": "tag", "values": tags}
	if len(tags) == 0 {
		runOnly = map[string]any{"type": "rule", "values": []string{"color-contrast"}}
	}
	spec, _ := json.Marshal(runOnly)
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRun, spec), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("%s: axe.run: %w", what, err)
	}
	return vs, nil
}

// vnuJar finds the Nu HTML Checker and java, or says why it cannot.
func vnuJar() (string, error) {
	jar := os.Getenv("FORESIGHT_VNU_JAR")
	if jar == "" {
		_, file, _, _ := runtime.Caller(0)
		jar = filepath.Join(filepath.Dir(file), "..", "..", "tmp", "vnu", "vnu.jar")
	}
	if _, err := os.Stat(jar); err != nil {
		return "", fmt.Errorf("the Nu HTML Checker is missing at %s (run `make vnu`, or set FORESIGHT_VNU_JAR)", jar)
	}
	if _, err := exec.LookPath("java"); err != nil {
		return "", errors.New("java is missing (apt-get install -y default-jre-headless)")
	}
	return jar, nil
}

// vnuMessage is one message of the checker's JSON output.
type vnuMessage struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// validate runs the Nu HTML Checker once over every page kept, and fails
// on each error it reports; without the checker or java it skips (fails
// under FORESIGHT_E2E=required).
func (a *auditor) validate(t *testing.T) {
	t.Helper()
	jar, err := vnuJar()
	if err != nil {
		if os.Getenv("FORESIGHT_E2E") == "required" {
			t.Fatalf("FORESIGHT_E2E=required but the HTML check cannot run: %v", err)
		}
		t.Skipf("HTML check skipped: %v; FORESIGHT_E2E=required makes this a failure", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-jar", jar, "--errors-only", "--format", "json", a.htmlDir)
	var out strings.Builder
	cmd.Stderr = &out
	cmd.Stdout = &out
	runErr := cmd.Run()
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatalf("vnu: %v, output %q (%v)", err, out.String(), runErr)
	}
	n := 0
	for _, m := range res.Messages {
		if m.Type != "error" && m.SubType != "fatal" {
			continue
		}
		n++
		t.Errorf("HTML: %s:%d: %s\n\t%s", filepath.Base(m.URL), m.LastLine, m.Message, strings.TrimSpace(m.Extract))
	}
	if n == 0 && runErr != nil {
		t.Fatalf("vnu: %v: %s", runErr, out.String())
	}
	t.Logf("Nu HTML Checker: %d pages, %d errors", a.pages*len(a11yLangs), n)
}

// client is a plain HTTP client with cookies of its own: it sets the scene
// (facilitator steps, other participants' ratings) faster than a browser.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// post sends a form and fails the test unless the answer (after redirects)
// is 200.
func (c *client) post(path string, form url.Values) {
	c.t.Helper()
	res, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("POST %s: %s\n%.500s", path, res.Status, body)
	}
}

// signIn creates an account and signs the client in.
func signIn(t *testing.T, a *app, email string, role workshop.Role) (*client, workshop.User) {
	t.Helper()
	u, err := a.DB.CreateUser(context.Background(), email, "a long password", role)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, a.URL)
	c.post("/login", url.Values{"email": {email}, "password": {"a long password"}})
	return c, u
}

// browserSignIn signs a tab in through the form.
func browserSignIn(t *testing.T, ctx context.Context, a *app, email string) {
	t.Helper()
	run(t, ctx, "sign in",
		chromedp.Navigate(a.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)),
	)
}

// rateAll makes a participant client rate every item of the workshop's
// scenarios in focus with values picked by pick.
func rateAll(c *client, w *workshop.Workshop, pick func(s, c int) int) {
	c.t.Helper()
	form := url.Values{}
	for i, s := range w.Scenarios {
		for j, cr := range w.Criteria {
			form.Set(fmt.Sprintf("r-%d-%d", s.ID, cr.ID), fmt.Sprint(pick(i, j)))
		}
	}
	c.post("/w/"+w.Code+"/ratings", form)
}

// TestA11yEveryPage loads every page of the app in English, Polish and French (side
// by side, in a lane of tabs for each language), runs axe-core over each
// (WCAG 2.2 AA; the dark theme too) and the Nu HTML Checker over the HTML
// the server sent.
func TestA11yEveryPage(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	au := newAuditor(t)
	nav := func(u string) func(context.Context) error {
		return func(ctx context.Context) error { return do(ctx, "open "+u, chromedp.Navigate(a.URL+u)) }
	}
	anon := func(l *lane) *tab { return l.anon }
	part := func(l *lane) *tab { return l.part }
	fac := func(l *lane) *tab { return l.fac }

	// The checker itself: a page without a language and an image without
	// a text alternative must fail.
	probe := person(t, b, 360, 740, true)
	run(t, probe, "open a broken page", chromedp.Navigate(`data:text/html,<!DOCTYPE html><title>x</title><img src="data:,">`))
	if vs, err := au.axe(probe, "probe", axeTags...); err != nil || len(vs) != 2 {
		t.Fatalf("axe-core found %+v (%v) on a page with two violations", vs, err)
	}

	for _, lang := range a11yLangs {
		au.lanes = append(au.lanes, &lane{lang: lang, anon: newTab(t, b, 360, 740, lang)})
	}

	// Before any account exists: the first-run setup page.
	setup, err := a.DB.SetupLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	au.check(anon, "setup", false, nav("/setup/"+setup))

	org, orgUser := signIn(t, a, "organiser@example.org", workshop.RoleOrganiser)
	decks, _ := workshop.BuiltinDecks()
	w, err := a.DB.CreateWorkshop(ctx, orgUser, decks[0], "NATO after Kabul", false)
	if err != nil {
		t.Fatal(err)
	}
	code := w.Code
	for _, l := range au.lanes {
		l.fac = newTab(t, b, 1280, 800, l.lang)
		browserSignIn(t, l.fac.ctx, a, "organiser@example.org")
	}

	// Public pages.
	au.check(anon, "home", true, nav("/"))
	au.check(anon, "home-bad-code", false, nav("/join?code=zz"))
	au.check(anon, "login", false, nav("/login"))
	au.check(anon, "login-failed", false, func(ctx context.Context) error {
		return do(ctx, "sign in with a wrong password",
			chromedp.Navigate(a.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS("#email"), "organiser@example.org"),
			chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
			chromedp.Click(chromedp.CSS("main button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("main .error-box")),
		)
	})
	au.check(anon, "not-found", false, nav("/no/such/page"))
	invite, _, err := a.DB.CreateInvite(ctx, orgUser, "invited@example.org", workshop.RoleFacilitator)
	if err != nil {
		t.Fatal(err)
	}
	au.check(anon, "invite", false, nav("/invite/"+invite))
	reset, _, err := a.DB.CreateResetLink(ctx, orgUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	au.check(anon, "reset", false, nav("/reset/"+reset))
	au.check(anon, "join", true, nav("/j/"+code))

	// A participant on a phone in each lane, in each state of the
	// workshop, and three others rating through plain HTTP.
	for _, l := range au.lanes {
		l.part = newTab(t, b, 360, 740, l.lang)
		run(t, l.part.ctx, "join", chromedp.Navigate(a.URL+"/j/"+code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	}
	others := make([]*client, 3)
	for i := range others {
		others[i] = newClient(t, a.URL)
		others[i].post("/j/"+code, nil)
	}
	vote := nav("/w/" + code)
	results := nav("/workshops/" + code)
	projector := nav("/workshops/" + code + "/projector")
	step := func(action string) { org.post("/workshops/"+code+"/"+action, nil) }

	au.check(part, "vote-lobby", false, vote)
	au.check(fac, "workshop-lobby", false, results)
	au.check(fac, "projector-lobby", false, projector)

	// Ideas from the room, in the lobby: the phone's page and its
	// problems, the facilitator's list and an idea's page, the projector
	// and the workshop page while ideas are open; then the top idea
	// becomes a scenario, which the pages of round 1 show from the room.
	org.post("/workshops/"+code+"/ideas/open", nil)
	for i, c := range others {
		c.post("/w/"+code+"/ideas", url.Values{"title": {fmt.Sprintf("Idea %d of the room", i+1)}, "text": {"Why it matters, in a sentence or two."}})
	}
	ideas, err := a.DB.Ideas(ctx, w.ID)
	if err != nil || len(ideas) != len(others) {
		t.Fatalf("%d ideas (%v)", len(ideas), err)
	}
	for _, c := range others {
		c.post(fmt.Sprintf("/w/%s/ideas/%d/vote", code, ideas[0].ID), url.Values{"vote": {"on"}})
	}
	au.check(part, "ideas-phone", true, nav("/w/"+code+"/ideas"))
	au.check(part, "ideas-phone-error", false, func(ctx context.Context) error {
		return do(ctx, "propose a title that is too long",
			chromedp.Navigate(a.URL+"/w/"+code+"/ideas"),
			js(`(() => { const t = document.getElementById("title"); t.removeAttribute("required"); t.value = "x".repeat(130); document.getElementById("idea-form").submit(); })()`),
			chromedp.WaitVisible(chromedp.CSS("main .error-summary")),
		)
	})
	au.check(fac, "ideas-facilitator", true, nav("/workshops/"+code+"/ideas"))
	au.check(fac, "idea-page", false, nav(fmt.Sprintf("/workshops/%s/ideas/%d", code, ideas[0].ID)))
	au.check(fac, "projector-ideas", false, projector)
	au.check(fac, "workshop-ideas", false, results)
	org.post(fmt.Sprintf("/workshops/%s/ideas/%d/promote", code, ideas[0].ID), url.Values{"title": {"A scenario from the room"}, "narrative": {"What the room found missing."}})
	org.post("/workshops/"+code+"/ideas/close", nil)

	step("next")
	for i, c := range others {
		rateAll(c, w, func(s, _ int) int { return 1 + (s+i*2)%5 })
	}
	au.check(part, "vote-open", true, vote)
	au.check(part, "vote-form-error", false, func(ctx context.Context) error {
		// A form post without JavaScript whose rating the server refuses:
		// the page comes back with the problem and the choice as made.
		return do(ctx, "post a bad rating",
			chromedp.Navigate(a.URL+"/w/"+code),
			js(`(() => { const i = document.querySelector(`+jsString(itemSel(w, 0, 0)+` input[value="5"]`)+`); i.value = "9"; i.checked = true; document.getElementById("vote-form").submit(); })()`),
			chromedp.WaitVisible(chromedp.CSS("main .error-box")),
		)
	})
	au.check(fac, "workshop-open", false, results)
	au.check(fac, "projector-voting", false, projector)
	au.check(fac, "settings-error", false, func(ctx context.Context) error {
		return do(ctx, "save settings with a bad limit",
			chromedp.Navigate(a.URL+"/workshops/"+code),
			chromedp.Click(chromedp.CSS("#settings > summary")),
			chromedp.SetValue(chromedp.CSS("#participant_limit"), "lots"),
			chromedp.Click(chromedp.CSS(`#settings button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#settings .field-error")),
		)
	})

	step("close")
	au.check(part, "vote-closed", false, vote)
	step("reveal")
	au.check(part, "vote-revealed", true, vote)
	au.check(fac, "workshop-revealed", true, results)
	au.check(fac, "projector-revealed", false, projector)

	// Round 2, results live: the feedback on each scale, the group's
	// numbers moving, a reason to give.
	step("next")
	org.post("/workshops/"+code+"/settings", url.Values{"title": {w.Title}, "anonymity": {"anonymous"}, "visibility": {"live"}, "pacing": {"self"}, "participant_limit": {"0"}})
	for i, c := range others {
		rateAll(c, w, func(s, _ int) int { return 2 + (s+i)%3 })
	}
	au.check(part, "vote-round2-feedback", true, vote)
	au.check(fac, "workshop-round2", false, results)
	au.check(fac, "workshop-round1", false, nav("/workshops/"+code+"?round=1"))

	// One scenario at a time.
	org.post("/workshops/"+code+"/settings", url.Values{"title": {w.Title}, "anonymity": {"anonymous"}, "visibility": {"after_reveal"}, "pacing": {"focus"}, "participant_limit": {"0"}})
	au.check(part, "vote-focus", false, vote)
	au.check(fac, "workshop-focus", false, results)

	step("close")
	step("reveal")
	au.check(fac, "projector-revealed-round2", false, projector)
	display, err := a.DB.CreateDisplayLink(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	au.check(anon, "display", false, nav("/display/"+display))
	au.check(fac, "report", false, nav("/workshops/"+code+"/export/report"))
	step("finish")
	au.check(part, "vote-finished", false, vote)
	au.check(fac, "workshop-finished", false, results)

	// A workshop on the estimates deck: a yardstick's terms and numbers on
	// the phone, the terms with their ranges, hollow points and the key on
	// the projector, and the report's table of confidence.
	est := estimatesWorkshop(t, a.DB, orgUser, 6)
	for _, l := range au.lanes {
		run(t, l.part.ctx, "join the estimates workshop", chromedp.Navigate(a.URL+"/j/"+est.Code), chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
	}
	au.check(part, "vote-estimates", true, func(ctx context.Context) error {
		return do(ctx, "pick a term and open the numbers",
			chromedp.Navigate(a.URL+"/w/"+est.Code),
			chromedp.Click(chromedp.CSS(itemSel(est, 0, 0)+` .scale.bands input[value="65"] + span`)),
			chromedp.Click(chromedp.CSS(itemSel(est, 1, 0)+" details.exact summary")),
		)
	})
	au.check(fac, "workshop-estimates-open", false, nav("/workshops/"+est.Code))
	for _, act := range []workshop.Action{workshop.ActClose, workshop.ActReveal} {
		if _, err := a.DB.Step(ctx, est.Code, act, 0, false); err != nil {
			t.Fatal(err)
		}
	}
	au.check(part, "vote-estimates-revealed", false, nav("/w/"+est.Code))
	au.check(fac, "workshop-estimates-revealed", false, nav("/workshops/"+est.Code))
	au.check(fac, "projector-estimates", true, nav("/workshops/"+est.Code+"/projector"))
	au.check(fac, "report-estimates", false, nav("/workshops/"+est.Code+"/export/report"))
	// Looking back: outcomes recorded, the scores on every page that shows
	// them, and the organisation's overview.
	if _, err := a.DB.Step(ctx, est.Code, workshop.ActFinish, 0, false); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	for i, o := range []*bool{&yes, &no, nil} {
		if _, err := a.DB.SetOutcome(ctx, est.Code, orgUser, workshop.Outcome{ScenarioID: est.Scenarios[i].ID, Occurred: o, KnownOn: "2026-11-30", Note: "Recorded for the audit."}); err != nil {
			t.Fatal(err)
		}
	}
	au.check(fac, "workshop-estimates-outcomes", true, nav("/workshops/"+est.Code+"#outcomes"))
	au.check(fac, "outcomes-error", false, func(ctx context.Context) error {
		return do(ctx, "save an outcome with a bad date",
			chromedp.Navigate(a.URL+"/workshops/"+est.Code+"#outcomes"),
			js(`document.getElementById("known-`+fmt.Sprint(est.Scenarios[0].ID)+`").type = "text"`),
			chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#known-%d", est.Scenarios[0].ID)), "31.11.2026"),
			chromedp.Click(chromedp.CSS("#outcomes button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#outcomes .field-error")),
		)
	})
	au.check(part, "vote-estimates-scores", true, nav("/w/"+est.Code))
	au.check(fac, "projector-estimates-outcomes", false, nav("/workshops/"+est.Code+"/projector"))
	au.check(fac, "report-estimates-scores", false, nav("/workshops/"+est.Code+"/export/report"))
	au.check(fac, "scores-overview", true, nav("/scores"))

	// The facilitator's other pages.
	au.check(fac, "dashboard", true, nav("/dashboard"))
	au.check(fac, "new-workshop", false, nav("/workshops/new"))
	au.check(fac, "new-workshop-error", false, func(ctx context.Context) error {
		return do(ctx, "create a workshop from a deck that is not there",
			chromedp.Navigate(a.URL+"/workshops/new"),
			js(`document.querySelector('input[name="deck"]:checked').value = "no-such-deck"`),
			chromedp.Click(chromedp.CSS("main button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("main .field-error, main .error-box")),
		)
	})
	au.check(fac, "decks", false, nav("/decks"))
	// The deck editor in two languages, with every kind of criterion: the
	// new deck's languages, a new deck, its problems, and an own copy of
	// the estimates deck (a percent criterion on a yardstick, a scale,
	// a confidence criterion), also while a language waits to be removed.
	twoLanguages := "/decks/new?lang-own=en&lang=en&lang=pl"
	au.check(fac, "deck-new-languages", false, nav("/decks/new"))
	au.check(fac, "deck-new", false, nav(twoLanguages))
	au.check(fac, "deck-error", false, func(ctx context.Context) error {
		return do(ctx, "save a deck without a title",
			chromedp.Navigate(a.URL+twoLanguages),
			js(`document.querySelectorAll("[required]").forEach(e => e.removeAttribute("required"))`),
			chromedp.Click(chromedp.CSS(`main button[name="op"][value="save"]`)),
			chromedp.WaitVisible(chromedp.CSS("main .field-error, main .error-box")),
		)
	})
	own := decks[1]
	own.Slug = "estimates-own"
	if _, err := a.DB.CreateDeck(ctx, orgUser, own, false); err != nil {
		t.Fatal(err)
	}
	au.check(fac, "deck-edit", true, nav("/decks/"+own.Slug+"/edit"))
	au.check(fac, "deck-edit-removing-language", false, func(ctx context.Context) error {
		return do(ctx, "untick Polish",
			chromedp.Navigate(a.URL+"/decks/"+own.Slug+"/edit"),
			chromedp.Click(chromedp.CSS("#deck-form details > summary")),
			chromedp.Click(chromedp.CSS(`input[name="lang"][value="pl"]`)),
			chromedp.Click(chromedp.CSS(`button[name="op"][value="langs"]`)),
			chromedp.WaitVisible(chromedp.CSS("main .warning-box")),
		)
	})
	au.check(fac, "deck-edit-builtin", false, nav("/decks/"+decks[0].Slug+"/edit"))
	au.check(fac, "people", false, nav("/admin/users"))
	au.check(fac, "account", true, nav("/account"))

	t.Logf("axe-core: %d pages in %d languages, %d violations, %v", au.pages, len(au.lanes), len(au.failed), au.axeTime.Round(time.Millisecond))
	t.Run("NuHTMLChecker", au.validate)
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
