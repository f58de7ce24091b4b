package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"foresight/internal/i18n"
	"foresight/internal/store"
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
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.WorkshopByCode(context.Background(), code)
	st.Close()
	if err != nil || w.State != workshop.StateOpen || w.Title != "Tuesday" {
		t.Fatalf("created workshop %+v, %v; want open and titled Tuesday", w, err)
	}
	if _, err := runCLI(t, "", "workshop", "create", "--db", db, "--deck", "nope", "--owner", "fac@example.org"); err == nil || !strings.Contains(err.Error(), "no deck") {
		t.Fatalf("unknown deck: %v", err)
	}
	if _, err := runCLI(t, "a new long password\n", "user", "passwd", "--db", db, "--email", "fac@example.org"); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	// Disabling from the command line: the account cannot sign in until it
	// is enabled again; the last active organiser stays.
	if out, err := runCLI(t, "", "user", "disable", "--db", db, "--email", "FAC@example.org"); err != nil || !strings.Contains(out, "Disabled fac@example.org") {
		t.Fatalf("user disable: %q, %v", out, err)
	}
	if _, _, err := loginAs(t, db, "fac@example.org", "a new long password"); workshop.ErrorCode(err) != workshop.EUnauthorized {
		t.Fatalf("signing in to a disabled account: %v, want refused", err)
	}
	if out, err := runCLI(t, "", "user", "enable", "--db", db, "--email", "fac@example.org"); err != nil || !strings.Contains(out, "Enabled") {
		t.Fatalf("user enable: %q, %v", out, err)
	}
	if _, _, err := loginAs(t, db, "fac@example.org", "a new long password"); err != nil {
		t.Fatalf("signing in after enable: %v", err)
	}
	if _, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "org@example.org", "--role", "organiser"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, "", "user", "disable", "--db", db, "--email", "org@example.org"); err == nil || !strings.Contains(err.Error(), "last active organiser") {
		t.Fatalf("disabling the last organiser: %v", err)
	}
	if _, err := runCLI(t, "", "user", "disable", "--db", db, "--email", "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Fatalf("disabling an unknown account: %v", err)
	}
	if out, err := runCLI(t, "", "decks"); err != nil || !strings.HasPrefix(out, "nato-afghanistan\t") {
		t.Fatalf("decks: %q, %v", out, err)
	}
	if _, err := runCLI(t, "", "frobnicate"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}

func TestDeckCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")
	if _, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "fac@example.org"); err != nil {
		t.Fatal(err)
	}
	// Export a built-in deck, import it back: a copy with its own slug.
	exported, err := runCLI(t, "", "deck", "export", "--db", db, "nato-afghanistan")
	if err != nil || !strings.Contains(exported, `"schema": 1`) {
		t.Fatalf("export: %v", err)
	}
	jsonFile := filepath.Join(dir, "deck.json")
	os.WriteFile(jsonFile, []byte(exported), 0o600)
	out, err := runCLI(t, "", "deck", "import", "--db", db, "--owner", "fac@example.org", jsonFile)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || lines[len(lines)-1] != "nato-afghanistan-copy" {
		t.Fatalf("import: %q, %v", out, err)
	}
	// A CSV of scenarios becomes a deck with the usual criteria.
	csvFile := filepath.Join(dir, "Baltic futures.csv")
	os.WriteFile(csvFile, []byte("title,narrative,source\nBlockade,Shipping stops.,Report p. 3\nCable cut,Data links fail.,\n"), 0o600)
	out, err = runCLI(t, "", "deck", "import", "--db", db, "--owner", "fac@example.org", csvFile)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	slug := lines[len(lines)-1]
	if err != nil || slug != "baltic-futures" {
		t.Fatalf("CSV import: %q, %v", out, err)
	}
	if out, err = runCLI(t, "", "workshop", "create", "--db", db, "--deck", slug, "--owner", "fac@example.org"); err != nil {
		t.Fatalf("a workshop on the imported deck: %v", err)
	}
	if out, _ := runCLI(t, "", "decks", "--db", db); !strings.Contains(out, "baltic-futures\t2 scenarios") {
		t.Fatalf("decks lists %q", out)
	}
	// Problems name their place: the JSON path, the CSV line.
	bad := strings.Replace(exported, `"kind": "scale"`, `"kind": "stars"`, 1)
	os.WriteFile(jsonFile, []byte(bad), 0o600)
	if _, err := runCLI(t, "", "deck", "import", "--db", db, "--owner", "fac@example.org", jsonFile); err == nil || !strings.Contains(err.Error(), "criteria[0].kind") {
		t.Fatalf("a bad kind: %v", err)
	}
	os.WriteFile(csvFile, []byte("title,narrative\nOk,Fine.\nNo narrative,\n"), 0o600)
	if _, err := runCLI(t, "", "deck", "import", "--db", db, "--owner", "fac@example.org", csvFile); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("a CSV row without narrative: %v", err)
	}
	if _, err := runCLI(t, "", "deck", "export", "--db", db, "nope"); err == nil || !strings.Contains(err.Error(), "no deck") {
		t.Fatalf("exporting an unknown deck: %v", err)
	}
}

// loginAs signs in on the database file as the server would.
func loginAs(t *testing.T, path, email, pw string) (workshop.User, string, error) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return st.Login(context.Background(), email, pw)
}

// TestLocales checks the catalogs from the command line: the built-in ones
// are complete; a French catalog copied from English is listed, with the
// plural forms French needs.
func TestLocales(t *testing.T) {
	t.Cleanup(func() { _ = i18n.Load("") })
	out, err := runCLI(t, "", "locales")
	if err != nil || !strings.Contains(out, "Polski") || !strings.Contains(out, "complete") {
		t.Fatalf("locales: %v\n%s", err, out)
	}
	dir := t.TempDir()
	en, err := os.ReadFile("../../internal/i18n/locales/en.json")
	if err != nil {
		t.Fatal(err)
	}
	fr := strings.Replace(string(en), `"language.name": "English"`, `"language.name": "Français"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "fr.json"), []byte(fr), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, "", "locales", "--locales", dir)
	if err == nil || !strings.Contains(out, "Français") || !strings.Contains(out, `lacks the plural form "many"`) {
		t.Fatalf("locales with French: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "", "locales", "--locales", filepath.Join(dir, "nope")); err == nil {
		t.Fatal("a missing directory was accepted")
	}
}
