package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"foresight/db"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// A database written by the first schema keeps every row through the later
// migrations, including the one that rebuilds the workshops table (a DROP
// with foreign keys on would have cascaded to every rating).
func TestMigrationsKeepData(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	first, err := fs.ReadFile(db.Migrations, "migrations/0001_initial.sql")
	if err != nil {
		t.Fatal(err)
	}
	now := "2026-01-01T00:00:00.000000000Z"
	for _, q := range []string{
		`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY) STRICT`,
		string(first),
		`INSERT INTO schema_migrations VALUES ('migrations/0001_initial.sql')`,
		`INSERT INTO users VALUES (1, 'a@example.org', 'x', 'organiser', NULL, '` + now + `')`,
		`INSERT INTO workshops VALUES (1, 'K7QFM2XD', 'Old', 1, 'nato-afghanistan', '["en"]', 'closed', 1, 3, '` + now + `', '` + now + `')`,
		`INSERT INTO scenarios VALUES (1, 1, 1, 's', '{"title":{"en":"S"},"narrative":{"en":"N"}}')`,
		`INSERT INTO criteria VALUES (1, 1, 1, 'c', 'scale', 1, 5, 1, 1, '{"name":{"en":"C"},"labels":[]}')`,
		`INSERT INTO rounds VALUES (1, 1, '` + now + `', NULL)`,
		`INSERT INTO participants VALUES (1, 1, x'00', '` + now + `')`,
		`INSERT INTO ratings VALUES (1, 1, 1, 1, 1, 1, 4, '` + now + `')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q[:min(len(q), 60)], err)
		}
	}
	raw.Close()

	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.WorkshopByCode(context.Background(), "K7QFM2XD")
	if err != nil {
		t.Fatal(err)
	}
	if w.State != workshop.StateClosed || w.Visibility != workshop.VisibleAfterReveal || w.Pacing != workshop.PaceSelf || len(w.Scenarios) != 1 || w.CopiedFrom != "" {
		t.Fatalf("migrated workshop %+v", w)
	}
	tally, err := st.LoadTally(context.Background(), w.ID)
	if err != nil || len(tally.Counts) != 1 || tally.Counts[0].Answer.Value != 4 || tally.Joined != 1 {
		t.Fatalf("migrated ratings %+v, %v", tally, err)
	}
	// The rebuilt table accepts the new state; the foreign keys are back on.
	if _, err := st.Step(context.Background(), w.Code, workshop.ActReveal, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, _, fk, err := st.Pragmas(context.Background()); err != nil || fk == 0 {
		t.Fatalf("pragmas after the migration: %v", err)
	}
}

// oldDatabase creates a database file as a release that had only the
// migrations before first left it, and opens it without the store, so a
// test can write rows the way that release wrote them. store.Open then
// applies the rest.
func oldDatabase(t *testing.T, first string) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
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
		if _, err := raw.Exec(`INSERT INTO schema_migrations VALUES ($1)`, name); err != nil {
			t.Fatal(err)
		}
	}
	return raw, path
}

// mustExec runs statements on a raw database, failing the test on the first error.
func mustExec(t *testing.T, raw *sql.DB, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q[:min(len(q), 80)], err)
		}
	}
}

// The log's English sentences become codes and facts: the two kinds of
// line the old store wrote are parsed into their fields, and any other line
// is kept as a note of its words.
func TestLogMigrationConvertsOldRows(t *testing.T) {
	sqliteOnly(t)
	raw, path := oldDatabase(t, "migrations/0007")
	const at = "2026-01-01T10:00:0%d.000000000Z"
	row := func(id int, actor, action, detail string) string {
		return fmt.Sprintf(`INSERT INTO workshop_log (id, workshop_id, at, actor_id, action, detail) VALUES (%d, 1, '`+at+`', %s, '%s', '%s')`,
			id, id, actor, action, detail)
	}
	mustExec(t, raw,
		`INSERT INTO users VALUES (1, 'ala@example.org', 'x', 'organiser', NULL, '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO workshops (id, code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at)
			VALUES (1, 'K7QFM2XD', 'Old', 1, 'nato-afghanistan', '["en"]', 'finished', 1, '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`,
		row(1, "1", "remove participant", "P-7KQ2M: 3 ratings and 1 reasons removed"),
		row(2, "NULL", "remove participant", "P-ABCDEF: 0 ratings and 12 reasons removed"),
		row(3, "1", "anonymise", "12 participants"),
		row(4, "1", "anonymise", "1 participants"),
		row(5, "1", "remove participant", "P-7KQ2M: some ratings and 1 reasons removed"),
		row(6, "1", "anonymise", "participants"),
		row(7, "1", "archive", ""),
		row(8, "1", "remove participant", "P-7KQ2M: 3 ratings and 1 reasons removed, then restored"),
	)
	raw.Close()

	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	log, err := st.WorkshopLog(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	entry := func(id int, actor string, a workshop.LogAction, f workshop.LogFields) workshop.LogEntry {
		when, _ := time.Parse(time.RFC3339Nano, fmt.Sprintf(at, id))
		return workshop.LogEntry{At: when, Actor: actor, Action: a, LogFields: f}
	}
	want := []workshop.LogEntry{ // newest first
		entry(8, "ala@example.org", workshop.LogNote, workshop.LogFields{Text: "remove participant (P-7KQ2M: 3 ratings and 1 reasons removed, then restored)"}),
		entry(7, "ala@example.org", workshop.LogNote, workshop.LogFields{Text: "archive"}),
		entry(6, "ala@example.org", workshop.LogNote, workshop.LogFields{Text: "anonymise (participants)"}),
		entry(5, "ala@example.org", workshop.LogNote, workshop.LogFields{Text: "remove participant (P-7KQ2M: some ratings and 1 reasons removed)"}),
		entry(4, "ala@example.org", workshop.LogAnonymised, workshop.LogFields{Participants: 1}),
		entry(3, "ala@example.org", workshop.LogAnonymised, workshop.LogFields{Participants: 12}),
		entry(2, "", workshop.LogParticipantRemoved, workshop.LogFields{Pseudonym: "P-ABCDEF", Ratings: 0, Reasons: 12}),
		entry(1, "ala@example.org", workshop.LogParticipantRemoved, workshop.LogFields{Pseudonym: "P-7KQ2M", Ratings: 3, Reasons: 1}),
	}
	if !reflect.DeepEqual(log, want) {
		t.Fatalf("migrated log:\n%+v\nwant\n%+v", log, want)
	}

	// The schema refuses an unknown action and fields that are not a JSON object.
	raw, err = sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, bad := range []string{
		`INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (1, 'now', 'remove participant', '{}')`,
		`INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (1, 'now', 'note', 'archive')`,
		`INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (1, 'now', 'note', '["archive"]')`,
	} {
		if _, err := raw.Exec(bad); err == nil {
			t.Errorf("the schema took %s", bad)
		}
	}
}

// Every action the domain knows is a code of the schema's, and no other.
func TestLogActionsInSchema(t *testing.T) {
	st := MustOpenDB(t)
	codes := strings.Join(st.RawStrings(t, `SELECT code FROM log_actions ORDER BY code`), " ")
	var want []string
	for _, a := range workshop.LogActions {
		want = append(want, string(a))
	}
	sort.Strings(want)
	if codes != strings.Join(want, " ") {
		t.Fatalf("log_actions holds %q, want %q", codes, strings.Join(want, " "))
	}
}

// The English labels of sessions' clients become their two facts, the
// browser and the system.
func TestSessionClientMigration(t *testing.T) {
	sqliteOnly(t)
	raw, path := oldDatabase(t, "migrations/0008")
	labels := []string{"Firefox on Linux", "Samsung Internet on Android", "A browser on iPadOS", "curl", ""}
	mustExec(t, raw, `INSERT INTO users VALUES (1, 'a@example.org', 'x', 'organiser', NULL, '2026-01-01T00:00:00.000000000Z')`)
	for i, label := range labels {
		// Each used a minute later than the one before: the list shows the latest first.
		if _, err := raw.Exec(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at, handle, client, last_seen_at)
			VALUES ($1, 1, '2026-01-01T00:00:00.000000000Z', '2999-01-01T00:00:00.000000000Z', $2, $3, $4)`,
			[]byte{byte(i)}, fmt.Sprintf("handle%d", i), label, fmt.Sprintf("2026-01-01T00:0%d:00.000000000Z", i)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.ListSessions(context.Background(), 1, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []workshop.SessionClient
	for _, s := range list {
		got = append(got, s.Client)
	}
	want := []workshop.SessionClient{ // the latest first
		{},
		{Browser: "curl"},
		{System: "iPadOS"},
		{Browser: "Samsung Internet", System: "Android"},
		{Browser: "Firefox", System: "Linux"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("migrated clients %+v, want %+v", got, want)
	}
}
