package http_test

import (
	"database/sql"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"testing"

	"foresight/db"
	fhttp "foresight/internal/http"
	"foresight/internal/password"
	"foresight/internal/store"
)

// oldDatabase creates a database file as a release that had only the
// migrations before first left it, writes rows into it with queries as that
// release wrote them, and returns its path; store.Open applies the rest of
// the migrations.
func oldDatabase(t *testing.T, first string, queries ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	names, err := fs.Glob(db.Migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY) STRICT`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name >= first {
			break
		}
		body, _ := fs.ReadFile(db.Migrations, name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations VALUES (?)`, name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range queries {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
	return path
}

// serveOldDatabase migrates a database written by an older release and
// serves it.
func serveOldDatabase(t *testing.T, path string) *testServer {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatalf("open the old database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return serveDB(t, st, path, fhttp.Config{}, false, nil)
}

// oldUser is the organiser ala@example.org with testPassword, as a row of
// the users table of any release.
func oldUser(t *testing.T) string {
	t.Helper()
	hash, err := password.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return `INSERT INTO users VALUES (1, 'ala@example.org', '` + hash + `', 'organiser', NULL, '2026-01-01T00:00:00.000000000Z')`
}

// oldWorkshop is a finished workshop of one scenario and one criterion, as
// the schema before the log had codes (migration 0007) holds it.
var oldWorkshop = []string{
	`INSERT INTO workshops (id, code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at)
		VALUES (1, 'K7QFM2XD', 'Old', 1, 'nato-afghanistan', '["en"]', 'finished', 1, '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO scenarios VALUES (1, 1, 1, 's', '{"title":{"en":"S"},"narrative":{"en":"N"}}')`,
	`INSERT INTO criteria VALUES (1, 1, 1, 'c', 'scale', 1, 5, 1, 1, '{"name":{"en":"C"},"labels":[]}')`,
	`INSERT INTO rounds (workshop_id, n, opened_at, closed_at) VALUES (1, 1, '2026-01-01T00:00:00.000000000Z', '2026-01-01T01:00:00.000000000Z')`,
}

// The log lines that the store wrote in English words before it kept
// facts read in the reader's language after the migration, whether the
// language comes from the browser or from the switcher's cookie; a line
// in no known shape is shown as it was written.
func TestOldLogRowsInBothLanguages(t *testing.T) {
	t.Parallel()
	logRow := func(at, actor, action, detail string) string {
		return `INSERT INTO workshop_log (workshop_id, at, actor_id, action, detail) VALUES (1, '2026-01-01T` + at + `:00.000000000Z', ` +
			actor + `, '` + action + `', '` + detail + `')`
	}
	path := oldDatabase(t, "migrations/0007", append([]string{oldUser(t)}, append(oldWorkshop,
		logRow("10:00", "1", "remove participant", "P-7KQ2M: 3 ratings and 1 reasons removed"),
		logRow("10:05", "NULL", "remove participant", "P-ABCDEF: 0 ratings and 22 reasons removed"),
		logRow("10:10", "1", "anonymise", "12 participants"),
		logRow("10:15", "1", "anonymise", "1 participants"),
		logRow("10:20", "1", "archive", "by hand"),
	)...)...)
	ts := serveOldDatabase(t, path)
	fac := ts.login(t, "ala@example.org")

	en := fac.get(t, "/workshops/K7QFM2XD", "Accept-Language", "en").want(t, http.StatusOK)
	en.wantContains(t,
		`<time datetime="2026-01-01T10:00:00Z">1 January 2026, 10:00 UTC</time> ala@example.org: removed participant P-7KQ2M (3 ratings and 1 reason)`,
		`a deleted account: removed participant P-ABCDEF (0 ratings and 22 reasons)`,
		`ala@example.org: anonymised the workshop (12 participants)`,
		`ala@example.org: anonymised the workshop (1 participant)`,
		`ala@example.org: archive (by hand)`,
	)

	want := []string{
		`<time datetime="2026-01-01T10:00:00Z">1 stycznia 2026, 10:00 UTC</time> ala@example.org: usunięcie uczestnika P-7KQ2M (3 oceny i 1 uzasadnienie)`,
		`usunięte konto: usunięcie uczestnika P-ABCDEF (0 ocen i 22 uzasadnienia)`,
		`ala@example.org: anonimizacja warsztatu (12 osób)`,
		`ala@example.org: anonimizacja warsztatu (1 osoba)`,
		`ala@example.org: archive (by hand)`,
	}
	fac.get(t, "/workshops/K7QFM2XD", "Accept-Language", "pl-PL,pl;q=0.9").want(t, http.StatusOK).wantContains(t, want...).
		wantLacks(t, "removed participant", "anonymised the workshop")
	fac.postForm(t, "/language", url.Values{"lang": {"pl"}, "next": {"/workshops/K7QFM2XD"}}).wantRedirect(t, "/workshops/K7QFM2XD")
	fac.get(t, "/workshops/K7QFM2XD", "Accept-Language", "en").want(t, http.StatusOK).wantContains(t, want...)
}

// Sessions labelled in English words before the client was two facts
// read in the reader's language after the migration.
func TestOldSessionClientsInBothLanguages(t *testing.T) {
	t.Parallel()
	session := func(n int, label string) string {
		return fmt.Sprintf(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at, handle, client, last_seen_at)
			VALUES (x'0%d', 1, '2026-01-01T00:00:00.000000000Z', '2999-01-01T00:00:00.000000000Z', 'handle%d', '%s', '2026-01-01T00:00:00.000000000Z')`, n, n, label)
	}
	path := oldDatabase(t, "migrations/0008", oldUser(t),
		session(1, "Samsung Internet on Android"), session(2, "A browser on iPadOS"), session(3, "curl"), session(4, ""))
	ts := serveOldDatabase(t, path)
	fac := ts.login(t, "ala@example.org")
	fac.get(t, "/account", "Accept-Language", "en").want(t, http.StatusOK).
		wantContains(t, "Samsung Internet on Android", "A browser on iPadOS", "<td>curl", "Unknown browser")
	fac.get(t, "/account", "Accept-Language", "pl").want(t, http.StatusOK).
		wantContains(t, "Samsung Internet w systemie Android", "Przeglądarka w systemie iPadOS", "<td>curl", "Nieznana przeglądarka").
		wantLacks(t, " on Android", "A browser on")
}
