package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"foresight/internal/pgtest"
	"foresight/internal/store"
)

// The schema refuses what the store never writes, the same on both
// engines: each case is a row the schema takes and the same row with one
// value it must refuse.
func TestSchemaConstraints(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	w, _ := mustWorkshop(t, db)
	p, _, err := db.Join(ctx, w.Code, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, intp(3)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Login(ctx, "fac@example.org", "a long password"); err != nil {
		t.Fatal(err)
	}
	const (
		tokenHash = `(SELECT token_hash FROM participants WHERE token_hash IS NOT NULL LIMIT 1)`
		ws        = `(SELECT min(id) FROM workshops)`
		sc        = `(SELECT min(id) FROM scenarios)`
		cr        = `(SELECT min(id) FROM criteria)`
		pa        = `(SELECT min(id) FROM participants)`
		usr       = `(SELECT min(id) FROM users)`
		now       = `'2026-12-04T12:00:00.000000000Z'`
	)
	long := func(n int) string { return "'" + strings.Repeat("x", n) + "'" }
	// The bad values of these break SQLite's CHECK of a 0/1 flag; on
	// PostgreSQL the column is boolean, which takes no such value.
	flags := map[string]bool{"criterion don't know": true, "reason flags": true, "outcome occurred": true, "round prefilled": true}
	cases := []struct {
		name, good, bad string
	}{
		{"user email length", `INSERT INTO users (email, password_hash, role, created_at) VALUES ('b@example.org', 'h', 'facilitator', ` + now + `)`,
			`INSERT INTO users (email, password_hash, role, created_at) VALUES ('b@', 'h', 'facilitator', ` + now + `)`},
		{"user role", `INSERT INTO users (email, password_hash, role, created_at) VALUES ('b@example.org', 'h', 'organiser', ` + now + `)`,
			`INSERT INTO users (email, password_hash, role, created_at) VALUES ('b@example.org', 'h', 'admin', ` + now + `)`},
		{"user email unique, whatever the case", `INSERT INTO users (email, password_hash, role, created_at) VALUES ('b@example.org', 'h', 'organiser', ` + now + `)`,
			`INSERT INTO users (email, password_hash, role, created_at) VALUES ('FAC@example.org', 'h', 'organiser', ` + now + `)`},
		{"workshop code length", `INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at) VALUES ('ABCDEFGH', 't', ` + usr + `, 'd', '["en"]', 'lobby', 1, ` + now + `, ` + now + `)`,
			`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at) VALUES ('ABCDEFG', 't', ` + usr + `, 'd', '["en"]', 'lobby', 1, ` + now + `, ` + now + `)`},
		{"workshop code unique", `INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at) VALUES ('ABCDEFGH', 't', ` + usr + `, 'd', '["en"]', 'lobby', 1, ` + now + `, ` + now + `)`,
			`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at) VALUES ('` + w.Code + `', 't', ` + usr + `, 'd', '["en"]', 'lobby', 1, ` + now + `, ` + now + `)`},
		{"workshop state", `UPDATE workshops SET state = 'closed'`, `UPDATE workshops SET state = 'paused'`},
		{"workshop round", `UPDATE workshops SET round = 2`, `UPDATE workshops SET round = 0`},
		{"workshop visibility", `UPDATE workshops SET visibility = 'live'`, `UPDATE workshops SET visibility = 'public'`},
		{"workshop pacing", `UPDATE workshops SET pacing = 'focus'`, `UPDATE workshops SET pacing = 'fast'`},
		{"workshop description", `UPDATE workshops SET description = ` + long(4000), `UPDATE workshops SET description = ` + long(4001)},
		{"workshop anonymity", `UPDATE workshops SET anonymity = 'pseudonymous'`, `UPDATE workshops SET anonymity = 'named'`},
		{"workshop participant limit", `UPDATE workshops SET participant_limit = 0`, `UPDATE workshops SET participant_limit = -1`},
		{"workshop copied from", `UPDATE workshops SET copied_from = 'ABCDEFGH'`, `UPDATE workshops SET copied_from = 'ABC'`},
		{"workshop owner exists", `UPDATE workshops SET owner_id = ` + usr, `UPDATE workshops SET owner_id = 999999`},
		{"scenario position unique", `INSERT INTO scenarios (workshop_id, position, key, body) VALUES (` + ws + `, 99, 'k99', '{}')`,
			`INSERT INTO scenarios (workshop_id, position, key, body) VALUES (` + ws + `, 1, 'k99', '{}')`},
		{"criterion kind", `UPDATE criteria SET kind = 'scale' WHERE id = ` + cr, `UPDATE criteria SET kind = 'stars' WHERE id = ` + cr},
		{"criterion range", `UPDATE criteria SET min = 0, max = 100 WHERE id = ` + cr, `UPDATE criteria SET min = 5, max = 5 WHERE id = ` + cr},
		{"criterion step", `UPDATE criteria SET step = 1 WHERE id = ` + cr, `UPDATE criteria SET step = 0 WHERE id = ` + cr},
		{"criterion don't know", `UPDATE criteria SET dont_know = TRUE WHERE id = ` + cr, `UPDATE criteria SET dont_know = 2 WHERE id = ` + cr},
		{"confidence is 1 to 3", `UPDATE criteria SET kind = 'confidence', min = 1, max = 3, step = 1 WHERE id = ` + cr,
			`UPDATE criteria SET kind = 'confidence', min = 1, max = 5, step = 1 WHERE id = ` + cr},
		{"rating value", `UPDATE ratings SET value = 100`, `UPDATE ratings SET value = 101`},
		{"rating round", `UPDATE ratings SET round = 1`, `UPDATE ratings SET round = 0`},
		{"rating participant exists", `UPDATE ratings SET participant_id = ` + pa, `UPDATE ratings SET participant_id = 999999`},
		{"one rating per item", `INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES (` + ws + `, 2, ` + pa + `, ` + sc + `, ` + cr + `, 1, ` + now + `)`,
			`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, ` + cr + `, 1, ` + now + `)`},
		{"reason length", `INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, ` + long(1000) + `, ` + now + `, ` + now + `)`,
			`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, ` + long(1001) + `, ` + now + `, ` + now + `)`},
		{"reason not empty", `INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, 'x', ` + now + `, ` + now + `)`,
			`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, '', ` + now + `, ` + now + `)`},
		{"reason flags", `INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, hidden, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, 'x', TRUE, ` + now + `, ` + now + `)`,
			`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, hidden, created_at, updated_at) VALUES (` + ws + `, 1, ` + pa + `, ` + sc + `, 'x', 2, ` + now + `, ` + now + `)`},
		{"display name length", `UPDATE participants SET display_name = ` + long(40), `UPDATE participants SET display_name = ''`},
		{"pseudonym unique in a workshop", `INSERT INTO participants (workshop_id, pseudonym, joined_at) VALUES (` + ws + `, 'P-OTHER', ` + now + `)`,
			`INSERT INTO participants (workshop_id, pseudonym, joined_at) VALUES (` + ws + `, '` + p.Pseudonym + `', ` + now + `)`},
		{"participant group exists", `UPDATE participants SET group_id = NULL`, `UPDATE participants SET group_id = 999999`},
		{"group name unique, whatever the case", `INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 1, 'Military'), (` + ws + `, 2, 'Diplomatic')`,
			`INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 1, 'Military'), (` + ws + `, 2, 'MILITARY')`},
		{"group position", `INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 1, 'Military')`,
			`INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 0, 'Military')`},
		{"group name length", `INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 1, ` + long(40) + `)`,
			`INSERT INTO groups (workshop_id, position, name) VALUES (` + ws + `, 1, ` + long(41) + `)`},
		{"session client length", `UPDATE sessions SET client_browser = ` + long(60), `UPDATE sessions SET client_browser = ` + long(61)},
		{"token purpose", `INSERT INTO tokens (hash, purpose, created_at, expires_at) VALUES (` + tokenHash + `, 'reset', ` + now + `, ` + now + `)`,
			`INSERT INTO tokens (hash, purpose, created_at, expires_at) VALUES (` + tokenHash + `, 'login', ` + now + `, ` + now + `)`},
		{"log action known", `INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (` + ws + `, ` + now + `, 'note', '{"text": "x"}')`,
			`INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (` + ws + `, ` + now + `, 'remove participant', '{}')`},
		{"log fields an object", `INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (` + ws + `, ` + now + `, 'note', '{}')`,
			`INSERT INTO workshop_log (workshop_id, at, action, fields) VALUES (` + ws + `, ` + now + `, 'note', '["archive"]')`},
		{"outcome occurred", `INSERT INTO outcomes (workshop_id, scenario_id, occurred, updated_at) VALUES (` + ws + `, ` + sc + `, TRUE, ` + now + `)`,
			`INSERT INTO outcomes (workshop_id, scenario_id, occurred, updated_at) VALUES (` + ws + `, ` + sc + `, 2, ` + now + `)`},
		{"outcome date", `INSERT INTO outcomes (workshop_id, scenario_id, known_on, updated_at) VALUES (` + ws + `, ` + sc + `, '2026-11-30', ` + now + `)`,
			`INSERT INTO outcomes (workshop_id, scenario_id, known_on, updated_at) VALUES (` + ws + `, ` + sc + `, '2026-1-30', ` + now + `)`},
		{"outcome note", `INSERT INTO outcomes (workshop_id, scenario_id, note, updated_at) VALUES (` + ws + `, ` + sc + `, ` + long(1000) + `, ` + now + `)`,
			`INSERT INTO outcomes (workshop_id, scenario_id, note, updated_at) VALUES (` + ws + `, ` + sc + `, ` + long(1001) + `, ` + now + `)`},
		{"round prefilled", `UPDATE rounds SET prefilled = TRUE`, `UPDATE rounds SET prefilled = 2`},
		{"deck slug length", `INSERT INTO decks (slug, owner_id, body, created_at, updated_at) VALUES (` + long(63) + `, ` + usr + `, '{}', ` + now + `, ` + now + `)`,
			`INSERT INTO decks (slug, owner_id, body, created_at, updated_at) VALUES (` + long(64) + `, ` + usr + `, '{}', ` + now + `, ` + now + `)`},
	}
	for _, c := range cases {
		// Each in its own transaction, rolled back: the bad row is judged
		// against the committed rows only.
		tx := db.RawWriteTx(t)
		_, err := tx.Exec(c.good)
		tx.Rollback()
		if err != nil {
			t.Errorf("%s: the schema refused the good row: %v", c.name, err)
			continue
		}
		if flags[c.name] && db.Engine() == "postgres" {
			continue
		}
		tx = db.RawWriteTx(t)
		_, err = tx.Exec(c.bad)
		tx.Rollback()
		switch {
		case err == nil:
			t.Errorf("%s: the schema took %s", c.name, c.bad)
		case !store.ConstraintBroken(err):
			t.Errorf("%s: refused, but not by a constraint: %v", c.name, err)
		}
	}
}

// The two engines' schemas have the same tables and columns, the same
// NULLs, foreign keys and unique keys (the CHECKs are compared by what
// they refuse, in TestSchemaConstraints).
func TestSchemasMatch(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("compares with PostgreSQL: runs in the PostgreSQL pass")
	}
	lite, err := store.Open(filepath.Join(t.TempDir(), "shape.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := MustOpenDB(t)
	a, b := lite.Shape(t), pg.Shape(t)
	if len(a) < 100 {
		t.Fatalf("the SQLite schema has %d facts: the query misses some", len(a))
	}
	if diff := lineDiff(a, b); diff != "" {
		t.Fatalf("the schemas differ (- SQLite, + PostgreSQL):\n%s", diff)
	}
}

// TestSchemasMatch tells a real difference of types: a time or a flag of
// another type on PostgreSQL than on SQLite.
func TestSchemasMatchFindsTypes(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("compares with PostgreSQL: runs in the PostgreSQL pass")
	}
	lite, err := store.Open(filepath.Join(t.TempDir(), "shape.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := MustOpenDB(t)
	tx := pg.RawWriteTx(t)
	for _, q := range []string{
		`ALTER TABLE users ALTER COLUMN disabled_at TYPE text`,
		`ALTER TABLE rationales ALTER COLUMN hidden DROP DEFAULT, ALTER COLUMN hidden TYPE integer USING hidden::integer`,
		`ALTER TABLE decks ALTER COLUMN body TYPE bytea USING convert_to(body, 'UTF8')`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := lineDiff(lite.Shape(t), pg.Shape(t))
	want := strings.Join([]string{
		"- decks.body is text", "- rationales.hidden is flag", "- users.disabled_at is time",
		"+ decks.body is bytes", "+ rationales.hidden is integer", "+ users.disabled_at is text",
	}, "\n")
	if got != want {
		t.Fatalf("the schemas differ by\n%s\nwant\n%s", got, want)
	}
}

// lineDiff lists the lines only in a (-) or only in b (+), or "".
func lineDiff(a, b []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var out []string
	for _, x := range a {
		if !inb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range b {
		if !ina[x] {
			out = append(out, "+ "+x)
		}
	}
	return strings.Join(out, "\n")
}
