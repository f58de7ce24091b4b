package reliability

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"foresight/internal/pgtest"
)

// TestCommandLineChangesReachTheServer runs the command line (and another
// process's SQL) on the database file of a serving process. What they
// change reaches the server within a second, by design (the server looks
// at SQLite's data_version four times a second): a new password and a
// disabled account end the sessions and the live streams they hold, an
// imported deck and a new workshop are there, and no cached row outlives
// a change made elsewhere. The test waits up to 10 s for each, so that a
// slow machine cannot fail it; it logs how long each took.
func TestCommandLineChangesReachTheServer(t *testing.T) {
	e := newEnv(t)
	commandLineChangesReachTheServer(t, e, func(query string, args ...any) error {
		other, err := sql.Open("sqlite3", "file:"+e.db+"?_busy_timeout=5000")
		if err != nil {
			return err
		}
		defer other.Close()
		_, err = other.Exec(query, args...)
		return err
	})
}

// TestCommandLineChangesReachPostgresServers is the same on PostgreSQL,
// where the command line's commits reach the servers as notifications.
// Another program's SQL sends none, so that step is SQLite's only.
func TestCommandLineChangesReachPostgresServers(t *testing.T) {
	cluster := pgtest.Need(t)
	url, err := cluster.CreateDatabase(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	commandLineChangesReachTheServer(t, newEnvOn(t, url), nil)
}

// commandLineChangesReachTheServer runs the test on e's database; rawSQL,
// if not nil, runs SQL through a connection of another program.
func commandLineChangesReachTheServer(t *testing.T, e *env, rawSQL func(query string, args ...any) error) {
	tr := newTransport()
	defer tr.CloseIdleConnections()
	e.start(t)
	fac := e.login(t, tr)
	ctx := context.Background()

	// within waits until ok, and logs how long that took.
	within := func(what string, ok func() bool) {
		t.Helper()
		start := time.Now()
		for !ok() {
			if time.Since(start) > 10*time.Second {
				t.Fatalf("%s: not seen after 10 s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("%s: seen after %v", what, time.Since(start).Round(time.Millisecond))
	}
	status := func(hc *http.Client, path string) int {
		t.Helper()
		resp, err := hc.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	body := func(hc *http.Client, path string) string {
		t.Helper()
		resp, err := hc.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, resp.StatusCode)
		}
		return string(b)
	}
	// stream opens the facilitator's live results and reads their first
	// event; ended is closed when the server ends the stream.
	stream := func(hc *http.Client) (ended chan struct{}) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/workshops/"+e.code+"/events", nil)
		sc := &http.Client{Transport: tr, Jar: hc.Jar, CheckRedirect: hc.CheckRedirect}
		resp, err := sc.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("open the live results: %v %v", resp, err)
		}
		br := bufio.NewReader(resp.Body)
		if _, err := readEvent(br); err != nil {
			t.Fatal(err)
		}
		ended = make(chan struct{})
		go func() {
			defer resp.Body.Close()
			defer close(ended)
			io.Copy(io.Discard, br)
		}()
		t.Cleanup(func() { resp.Body.Close() })
		return ended
	}
	closed := func(c chan struct{}) func() bool {
		return func() bool {
			select {
			case <-c:
				return true
			default:
				return false
			}
		}
	}
	signedOut := func(hc *http.Client) func() bool {
		return func() bool { return status(hc, "/dashboard") == http.StatusSeeOther }
	}

	// 1. A row the server holds in memory, changed by another process.
	apiTitle := func() string {
		var w struct{ Title string }
		if err := json.Unmarshal([]byte(body(fac, "/api/v1/workshops/"+e.code)), &w); err != nil {
			t.Fatal(err)
		}
		return w.Title
	}
	if got := apiTitle(); got == "" {
		t.Fatal("no title") // read once: the server keeps the workshop in memory from here on
	}
	if rawSQL != nil {
		if err := rawSQL(`UPDATE workshops SET title = 'Renamed elsewhere', seq = seq + 1 WHERE code = ?`, e.code); err != nil {
			t.Fatal(err)
		}
		within("a title changed by another process", func() bool { return apiTitle() == "Renamed elsewhere" })
	}

	// 2. A new password from the command line ends the session and its
	// live stream.
	ended := stream(fac)
	e.cli(t, "another long password\n", "user", "passwd", "--db", e.db, "--email", e.email)
	within("user passwd: the session's live stream ends", closed(ended))
	within("user passwd: the session ends", signedOut(fac))
	e.password = "another long password"

	// 3. Disabling from the command line ends them too.
	e.cli(t, "a second organiser's password\n", "user", "add", "--db", e.db, "--email", "second@example.org", "--role", "organiser")
	fac = e.login(t, tr)
	ended = stream(fac)
	e.cli(t, "", "user", "disable", "--db", e.db, "--email", e.email)
	within("user disable: the session's live stream ends", closed(ended))
	within("user disable: the session ends", signedOut(fac))

	// 4. An imported deck and a new workshop are there for the second
	// organiser, and people can join the workshop.
	e.email, e.password = "second@example.org", "a second organiser's password"
	org := e.login(t, tr)
	deck := e.cli(t, "", "deck", "export", "--db", e.db, "nato-afghanistan")
	deck = strings.Replace(deck, `"slug": "nato-afghanistan"`, `"slug": "imported-elsewhere"`, 1)
	file := filepath.Join(e.dir, "deck.json")
	if err := os.WriteFile(file, []byte(deck), 0o600); err != nil {
		t.Fatal(err)
	}
	e.cli(t, "", "deck", "import", "--db", e.db, "--owner", e.email, file)
	within("deck import: the deck is listed", func() bool { return strings.Contains(body(org, "/decks"), "imported-elsewhere") })
	out := e.cli(t, "", "workshop", "create", "--db", e.db, "--deck", "imported-elsewhere", "--owner", e.email, "--title", "Made elsewhere", "--open")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	code := lines[len(lines)-1]
	within("workshop create: the workshop is on the dashboard", func() bool { return strings.Contains(body(org, "/dashboard"), "Made elsewhere") })
	p := newClient(tr, 10*time.Second)
	resp, err := p.PostForm(e.base+"/j/"+code, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("joining the workshop made elsewhere: status %d", resp.StatusCode)
	}
}
