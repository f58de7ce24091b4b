package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"foresight/internal/workshop"
)

// cspListener records the page's securitypolicyviolation events, from
// before any script of the page runs.
const cspListener = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
	window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});`

// cspWatch collects the Content Security Policy violations of one tab,
// three ways: the page's own event (JavaScript on), Chromium's issues and
// its log (also without JavaScript).
type cspWatch struct {
	ctx        context.Context
	javascript bool
	mu         sync.Mutex
	seen       []string
}

func watchCSP(t *testing.T, ctx context.Context, javascript bool) *cspWatch {
	t.Helper()
	w := &cspWatch{ctx: ctx, javascript: javascript}
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *audits.EventIssueAdded:
			if ev.Issue != nil && ev.Issue.Code == audits.InspectorIssueCodeContentSecurityPolicyIssue {
				msg = "issue"
				if d := ev.Issue.Details.ContentSecurityPolicyIssueDetails; d != nil {
					msg = fmt.Sprintf("issue: %s %s %s", d.ViolatedDirective, d.ContentSecurityPolicyViolationType, d.BlockedURL)
				}
			}
		case *cdplog.EventEntryAdded:
			if e := ev.Entry; e != nil && strings.Contains(e.Text, "Content Security Policy") {
				msg = "log: " + e.Text
			}
		}
		if msg != "" {
			w.mu.Lock()
			w.seen = append(w.seen, msg)
			w.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, audits.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener}); err != nil {
		t.Fatal(err)
	}
	return w
}

// take returns and forgets what was seen so far, the page's events too.
func (w *cspWatch) take(t *testing.T) []string {
	t.Helper()
	w.mu.Lock()
	out := w.seen
	w.seen = nil
	w.mu.Unlock()
	if w.javascript {
		events, err := get(w.ctx, chromedp.Evaluate[[]string](`(() => { const v = window.__csp || []; window.__csp = []; return v; })()`))
		if err != nil {
			t.Fatalf("read the page's CSP events: %v", err)
		}
		for _, e := range events {
			out = append(out, "event: "+e)
		}
	}
	return out
}

// visit opens a page, lets its scripts and live updates start, and fails
// the test, naming the page, on any CSP violation.
func (w *cspWatch) visit(t *testing.T, name, url string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	w.take(t) // what came before belongs to another page
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))}, actions...)
	run(t, w.ctx, "open "+name, steps...)
	if w.javascript {
		waitJS(t, w.ctx, `document.readyState === "complete" && (typeof htmx !== "undefined" || !document.querySelector('script[src*="htmx"]'))`)
	}
	time.Sleep(300 * time.Millisecond) // scripts run, live streams connect, events arrive
	if v := w.take(t); len(v) > 0 {
		t.Errorf("%s (%s): %d CSP violations:\n%s", name, url, len(v), strings.Join(v, "\n"))
	}
}

// TestNoCSPViolations visits every page, with JavaScript and without,
// and checks that the browser reports no Content Security Policy
// violation on any: no inline script or style, no eval, nothing from
// elsewhere.
func TestNoCSPViolations(t *testing.T) {
	ctx := context.Background()
	a := startApp(t)
	b := browser(t)
	org, err := a.DB.CreateUser(ctx, "org@example.org", "a long password", workshop.RoleOrganiser)
	if err != nil {
		t.Fatal(err)
	}
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.DB.CreateWorkshop(ctx, org, decks[0], "Kabul and after", true)
	if err != nil {
		t.Fatal(err)
	}
	own := decks[0]
	own.Slug, own.BuiltIn = "our-deck", false
	if _, err := a.DB.CreateDeck(ctx, org, own, false); err != nil {
		t.Fatal(err)
	}
	display, err := a.DB.CreateDisplayLink(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}

	// The detector works: a style attribute set by script is a violation.
	probe := person(t, b, 1280, 900, true)
	pw := watchCSP(t, probe, true)
	run(t, probe, "open the home page", chromedp.Navigate(a.URL+"/"), chromedp.WaitReady(chromedp.CSS("body")))
	pw.take(t)
	eval(t, probe, `document.body.setAttribute("style", "color: red")`)
	time.Sleep(300 * time.Millisecond)
	v := pw.take(t)
	browserSide := slices.ContainsFunc(v, func(s string) bool { return !strings.HasPrefix(s, "event: ") })
	if len(v) == 0 || !browserSide {
		// Without JavaScript only the browser's own reports can tell.
		t.Fatalf("an inline style set by script: reported as %q, want the page's event and the browser's report", v)
	}

	for _, javascript := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", javascript), func(t *testing.T) {
			t.Parallel()
			// A participant on a phone.
			phone := person(t, b, 390, 800, javascript)
			pw := watchCSP(t, phone, javascript)
			pw.visit(t, "home", a.URL+"/")
			pw.visit(t, "join", a.URL+"/j/"+w.Code)
			pw.visit(t, "vote", a.URL+"/j/"+w.Code,
				chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#vote-form")))
			pw.visit(t, "vote, again", a.URL+"/w/"+w.Code)
			pw.visit(t, "error page", a.URL+"/nothing-here")

			// The organiser on a laptop.
			fac := person(t, b, 1280, 900, javascript)
			fw := watchCSP(t, fac, javascript)
			fw.visit(t, "sign-in", a.URL+"/login",
				chromedp.SendKeys(chromedp.CSS("#email"), org.Email),
				chromedp.SendKeys(chromedp.CSS("#password"), "a long password"),
				chromedp.Click(chromedp.CSS("main button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS(`main a.btn[href="/workshops/new"]`)))
			for _, p := range []struct{ name, path string }{
				{"dashboard", "/dashboard"},
				{"new workshop", "/workshops/new"},
				{"results", "/workshops/" + w.Code},
				{"projector", "/workshops/" + w.Code + "/projector"},
				{"decks", "/decks"},
				{"new deck", "/decks/new"},
				{"deck editor", "/decks/our-deck/edit"},
				{"account", "/account"},
				{"people", "/admin/users"},
				{"report", "/workshops/" + w.Code + "/export/report"},
			} {
				fw.visit(t, p.name, a.URL+p.path)
			}

			// A laptop at the projector, not signed in.
			screen := person(t, b, 1280, 720, javascript)
			watchCSP(t, screen, javascript).visit(t, "display link", a.URL+"/display/"+display)
		})
	}
}
