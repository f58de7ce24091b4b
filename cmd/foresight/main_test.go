package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"foresight/internal/sqlite"
	"foresight/internal/workshop"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

func TestCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if out, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "Fac@Example.org", "--role", "facilitator"); err != nil || !strings.Contains(out, "fac@example.org") {
		t.Fatalf("user add: %q, %v", out, err)
	}
	if _, err := runCLI(t, "short\n", "user", "add", "--db", db, "--email", "b@example.org"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("a short password: %v, want an error naming the password", err)
	}
	if _, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "fac@example.org"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("a duplicate account: %v", err)
	}
	out, err := runCLI(t, "", "workshop", "create", "--db", db, "--deck", "nato-afghanistan", "--owner", "fac@example.org", "--title", "Tuesday", "--open")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	code := lines[len(lines)-1]
	if c, ok := workshop.NormalizeCode(code); !ok || c != code {
		t.Fatalf("last line %q is not a canonical join code", code)
	}
	store, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	w, err := store.WorkshopByCode(context.Background(), code)
	store.Close()
	if err != nil || w.State != workshop.StateOpen || w.Title != "Tuesday" {
		t.Fatalf("created workshop %+v, %v; want open and titled Tuesday", w, err)
	}
	if _, err := runCLI(t, "", "workshop", "create", "--db", db, "--deck", "nope", "--owner", "fac@example.org"); err == nil || !strings.Contains(err.Error(), "no such deck") {
		t.Fatalf("unknown deck: %v", err)
	}
	if _, err := runCLI(t, "a new long password\n", "user", "passwd", "--db", db, "--email", "fac@example.org"); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	if out, err := runCLI(t, "", "decks"); err != nil || !strings.HasPrefix(out, "nato-afghanistan\t") {
		t.Fatalf("decks: %q, %v", out, err)
	}
	if _, err := runCLI(t, "", "frobnicate"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}
