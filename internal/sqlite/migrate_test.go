package sqlite_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"foresight/db"
	"foresight/internal/sqlite"
	"foresight/internal/workshop"
)

// A database written by the first schema keeps every row through the later
// migrations, including the one that rebuilds the workshops table (a DROP
// with foreign keys on would have cascaded to every rating).
func TestMigrationsKeepData(t *testing.T) {
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

	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	w, err := store.WorkshopByCode(context.Background(), "K7QFM2XD")
	if err != nil {
		t.Fatal(err)
	}
	if w.State != workshop.StateClosed || w.Visibility != workshop.VisibleAfterReveal || w.Pacing != workshop.PaceSelf || len(w.Scenarios) != 1 {
		t.Fatalf("migrated workshop %+v", w)
	}
	tally, err := store.LoadTally(context.Background(), w.ID)
	if err != nil || len(tally.Counts) != 1 || tally.Counts[0].Answer.Value != 4 || tally.Joined != 1 {
		t.Fatalf("migrated ratings %+v, %v", tally, err)
	}
	// The rebuilt table accepts the new state; the foreign keys are back on.
	if _, err := store.Step(context.Background(), w.Code, workshop.ActReveal, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, _, fk, err := store.Pragmas(context.Background()); err != nil || fk == 0 {
		t.Fatalf("pragmas after the migration: %v", err)
	}
}
