package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	fhttp "foresight/internal/http"
	"foresight/internal/live"
	"foresight/internal/store"
	"foresight/internal/workshop"
	"foresight/views"
)

const chromiumPath = "/usr/bin/chromium"

// app is the real server on a real temporary database.
type app struct {
	URL string
	DB  *store.DB
	// Drop closes every open client connection, live streams included, as
	// a network failure would; the server goes on.
	Drop func()
}

func startApp(t *testing.T) *app {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(db, nil)
	db.Subscribe(hub.Apply) // as cmd wires it
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := fhttp.New(context.Background(), db, hub, decks, fhttp.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.CloseStreams()
		ts.Close()
		hub.Close()
		db.Close()
	})
	return &app{URL: ts.URL, DB: db, Drop: ts.CloseClientConnections}
}

// browser starts headless Chromium, or skips the test when it is missing
// and not required.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("FORESIGHT_E2E") == "required" {
			t.Fatalf("FORESIGHT_E2E=required but %s is missing: apt-get install -y chromium", chromiumPath)
		}
		t.Skipf("browser test skipped: %s is missing (apt-get install -y chromium; FORESIGHT_E2E=required makes this a failure)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// Start the browser now, so a start-up failure is reported as such.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// person opens a tab in a browser context of its own (own cookies), with a
// viewport, and optionally with JavaScript disabled.
func person(t *testing.T, browserCtx context.Context, width, height int64, javascript bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatal(err)
	}
	if !javascript {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}

// run runs browser actions with a bound, failing the test with what it was
// doing.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// screenshot saves a PNG of the viewport into $FORESIGHT_SCREENSHOTS, if set, to
// be looked at by a person.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("FORESIGHT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := get(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// screenshotOf saves a PNG of one element, the whole of it, into
// $FORESIGHT_SCREENSHOTS, if set: a form taller than the viewport is seen
// a part at a time.
func screenshotOf(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	dir := os.Getenv("FORESIGHT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := get(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot %s of %s: %v", name, sel, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitText polls until the element's text contains want: live updates take
// a moment to arrive, and this checks that they do, not how fast. The text
// is compared as read: no-break spaces as spaces, word joiners (which keep
// a term's range on one line) left out.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		text, err := get(ctx, chromedp.TextContent(chromedp.CSS(sel)))
		if got = asRead(text); err == nil && strings.Contains(got, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: text %q does not contain %q", sel, got, want)
}

// asRead is text as a person reads it: see waitText.
func asRead(s string) string {
	return strings.NewReplacer("\u2060", "", "\u00a0", " ").Replace(s)
}

// itemSel selects a rating item on the participant's page, by position;
// statusSel selects its status.
func itemSel(w *workshop.Workshop, scenario, criterion int) string {
	return "#" + views.ItemID(w.Scenarios[scenario].ID, w.Criteria[criterion].ID)
}

func statusSel(w *workshop.Workshop, scenario, criterion int) string {
	return "#" + views.ItemStatusID(w.Scenarios[scenario].ID, w.Criteria[criterion].ID)
}

// waitJS polls until a JavaScript expression is true.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := get(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("still false after 15 s: %s", expr)
}

// eval runs a JavaScript statement in the page.
func eval(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	if _, err := get(ctx, chromedp.Evaluate[any](expr)); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
}

// get runs one action that returns a value, bounded in time: a page that
// hangs fails the test instead of stalling it.
func get[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}
