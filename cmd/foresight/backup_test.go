package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"foresight/internal/store"
)

func TestBackupCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "fac@example.org"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backups", "monday.db")
	msg, err := runCLI(t, "", "backup", "--db", db, "--out", out)
	if err != nil || !strings.Contains(msg, "integrity_check: ok") {
		t.Fatalf("backup: %q, %v", msg, err)
	}
	if res, err := store.CheckFile(context.Background(), out); err != nil || res != "ok" {
		t.Fatalf("integrity_check of the backup: %q, %v", res, err)
	}
	// The copy is a working database with the account in it.
	restored, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = restored.UserByEmail(context.Background(), "fac@example.org")
	restored.Close()
	if err != nil {
		t.Fatalf("the backup lacks the account: %v", err)
	}

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"existing file", []string{"--db", db, "--out", out}, "already exists"},
		{"no --out", []string{"--db", db}, "usage"},
		{"missing database", []string{"--db", filepath.Join(dir, "nope.db"), "--out", filepath.Join(dir, "x.db")}, "no such file"},
	} {
		if _, err := runCLI(t, "", append([]string{"backup"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}
