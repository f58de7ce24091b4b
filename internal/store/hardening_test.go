package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A zero-byte database file is a copy or restore that went wrong, not a
// fresh install: Open refuses it and says what to do.
func TestOpenRefusesEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "foresight.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "is empty (0 bytes)") || !strings.Contains(err.Error(), "restore") {
		t.Fatalf("Open of an empty file: %v, want a refusal that explains", err)
	}
	if info, _ := os.Stat(path); info.Size() != 0 {
		t.Fatalf("the refused file was written to: %d bytes", info.Size())
	}
	// A missing file is a fresh install.
	db, err := Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// Every connection, writer and readers, truncates the WAL after a
// checkpoint to walSizeLimit.
func TestJournalSizeLimitOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var limit int64
	if err := db.writer.QueryRowContext(ctx, `PRAGMA journal_size_limit`).Scan(&limit); err != nil || limit != walSizeLimit {
		t.Fatalf("writer journal_size_limit = %d (%v), want %d", limit, err, walSizeLimit)
	}
	// Hold several reader connections at once so that each is a distinct one.
	var conns []interface{ Close() error }
	for i := range 4 {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if err := c.QueryRowContext(ctx, `PRAGMA journal_size_limit`).Scan(&limit); err != nil || limit != walSizeLimit {
			t.Fatalf("reader %d journal_size_limit = %d (%v), want %d", i, limit, err, walSizeLimit)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

// BackupFile copies without migrating: a database one migration behind
// stays so, and its backup too.
func TestBackupFileDoesNotMigrate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "old.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// Make it look like a database of the previous release.
	if _, err := db.writer.Exec(`DROP INDEX ratings_tally`); err != nil {
		t.Fatal(err)
	}
	res, err := db.writer.Exec(`DELETE FROM schema_migrations WHERE name = 'migrations/0006_tally_index.sql'`)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("forget the last migration: %d rows, %v", n, err)
	}
	db.Close()
	out := filepath.Join(dir, "backup.db")
	if err := BackupFile(ctx, path, out); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, out} {
		res, err := CheckFile(ctx, p)
		if err != nil || res != "ok" {
			t.Fatalf("%s: integrity %q, %v", p, res, err)
		}
		raw, err := sql.Open(driverName, "file:"+p+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = raw.QueryRow(`SELECT count(*) FROM schema_migrations WHERE name = 'migrations/0006_tally_index.sql'`).Scan(&n)
		raw.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%s was migrated by the backup", p)
		}
	}
	if err := BackupFile(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "b2.db")); err == nil {
		t.Fatal("a backup of a missing file succeeded")
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if err := BackupFile(ctx, empty, filepath.Join(dir, "b3.db")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("a backup of an empty file: %v", err)
	}
}

// Email addresses are text: invalid UTF-8 is refused like any bad address.
func TestNormalizeEmailRefusesInvalidUTF8(t *testing.T) {
	for _, s := range []string{"a\xff@example.org", "name@exa\xc3mple.org"} {
		if _, err := NormalizeEmail(s); err == nil {
			t.Errorf("NormalizeEmail(%q) accepted invalid UTF-8", s)
		}
	}
	if got, err := NormalizeEmail(" Name@Example.org "); err != nil || got != "name@example.org" {
		t.Errorf("NormalizeEmail of a good address: %q, %v", got, err)
	}
}
