package store_test

import (
	"context"
	"database/sql"
	"io/fs"
	"reflect"
	"testing"
	"time"

	"foresight/db"
	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// A PostgreSQL database written with the first schema's text times and
// 0/1 flags (postgres/0001) reads back the same through the store after
// postgres/0002 made them timestamptz and boolean: every time (cut to
// the microsecond), every flag and NULL, and the orders that times make.
func TestPostgresNativeTypesKeepRows(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL's migration: runs in the PostgreSQL pass")
	}
	ctx := context.Background()
	url, err := pgtest.SuiteCluster().CreateDatabase(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	first, err := fs.ReadFile(db.PostgresMigrations, "postgres/0001_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, raw, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY)`, string(first),
		`INSERT INTO schema_migrations VALUES ('postgres/0001_schema.sql')`)

	// Times as the store wrote them, with nanoseconds, and what they read
	// back as.
	const (
		userA     = "2025-01-02T03:04:05.123456789Z"
		userB     = "2025-01-03T00:00:00.000000000Z"
		disabledB = "2025-01-04T10:20:30.999999999Z"
		session   = "2025-06-01T08:00:00.000001000Z"
		seen      = "2025-06-02T09:30:00.500000000Z"
		later     = "2999-01-01T00:00:00.000000700Z"
		expired   = "2000-01-01T00:00:00.000000000Z"
		deckOld   = "2025-02-01T00:00:00.000000000Z"
		deckNew   = "2025-02-01T00:00:00.000002000Z"
		created1  = "2025-03-01T12:00:00.000000000Z"
		created2  = "2025-03-01T12:00:00.000001000Z"
		archived  = "2025-03-09T12:00:00.000000000Z"
		opened1   = "2025-03-02T09:00:00.111111111Z"
		closed1   = "2025-03-02T09:30:00.000000000Z"
		revealed1 = "2025-03-02T09:31:00.000000000Z"
		opened2   = "2025-03-02T09:40:00.000000000Z"
		closed2   = "2025-03-02T10:00:00.000000000Z"
		joined    = "2025-03-02T09:01:00.000000000Z"
		removed   = "2025-03-02T09:50:00.000000000Z"
		rated     = "2025-03-02T09:05:00.123456999Z"
		reasonA   = "2025-03-02T09:06:00.000000000Z"
		reasonB   = "2025-03-02T09:05:59.999999000Z"
		logged    = "2025-03-03T00:00:00.000000000Z"
		outcome   = "2025-04-01T00:00:00.000000000Z"
	)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC().Truncate(time.Microsecond)
	}
	insert := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := raw.QueryRow(q+` RETURNING 1`, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := raw.QueryRow(q+` RETURNING id`, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	a := id(`INSERT INTO users (email, password_hash, role, created_at) VALUES ('a@example.org', 'x', 'organiser', $1)`, userA)
	b := id(`INSERT INTO users (email, password_hash, role, disabled_at, created_at) VALUES ('b@example.org', 'x', 'facilitator', $1, $2)`, disabledB, userB)
	sessionToken, sessionHash := store.NewToken()
	_, oldHash := store.NewToken()
	insert(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at, handle, last_seen_at, client_browser) VALUES ($1, $2, $3, $4, 'h1', $5, 'Firefox')`,
		sessionHash, a, session, later, seen)
	insert(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at, handle) VALUES ($1, $2, $3, $4, 'h0')`, oldHash, a, expired, expired)
	_, inviteHash := store.NewToken()
	resetToken, resetHash := store.NewToken()
	setupToken, setupHash := store.NewToken()
	insert(`INSERT INTO tokens (hash, purpose, email, role, created_at, expires_at) VALUES ($1, 'invite', 'c@example.org', 'facilitator', $2, $3)`, inviteHash, session, later)
	insert(`INSERT INTO tokens (hash, purpose, email, role, created_at, expires_at) VALUES ($1, 'reset', 'a@example.org', NULL, $2, $3)`, resetHash, session, later)
	insert(`INSERT INTO tokens (hash, purpose, role, created_at, expires_at) VALUES ($1, 'setup', 'organiser', $2, $3)`, setupHash, session, later)
	deck := builtinDeck(t)
	for _, d := range []struct{ slug, at string }{{"deck-new", deckNew}, {"deck-old", deckOld}} {
		deck.Slug = d.slug
		id(`INSERT INTO decks (slug, owner_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, d.slug, a, string(deck.JSON()), d.at)
	}
	w1 := id(`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, seq, created_at, updated_at, archived_at)
		VALUES ('K7QFM2XD', 'Old', $1, 'deck-old', '["en"]', 'finished', 2, 9, $2, $3, $3)`, a, created1, archived)
	w2 := id(`INSERT INTO workshops (code, title, owner_id, deck_slug, languages, state, round, created_at, updated_at)
		VALUES ('M2XDK7QF', 'Newer', $1, 'deck-old', '["en"]', 'lobby', 1, $2, $2)`, a, created2)
	var scenarios [3]int64
	for i := range scenarios {
		scenarios[i] = id(`INSERT INTO scenarios (workshop_id, position, key, body) VALUES ($1, $2, $3, '{"title":{"en":"S"},"narrative":{"en":"N"}}')`,
			w1, i+1, string(rune('a'+i)))
	}
	c1 := id(`INSERT INTO criteria (workshop_id, position, key, kind, min, max, step, dont_know, body) VALUES ($1, 1, 'c1', 'scale', 1, 5, 1, 1, '{"name":{"en":"C"},"labels":[]}')`, w1)
	id(`INSERT INTO criteria (workshop_id, position, key, kind, min, max, step, dont_know, body) VALUES ($1, 2, 'c2', 'scale', 1, 5, 1, 0, '{"name":{"en":"D"},"labels":[]}')`, w1)
	insert(`INSERT INTO rounds (workshop_id, n, opened_at, closed_at, revealed_at) VALUES ($1, 1, $2, $3, $4)`, w1, opened1, closed1, revealed1)
	insert(`INSERT INTO rounds (workshop_id, n, opened_at, closed_at, prefilled) VALUES ($1, 2, $2, $3, 1)`, w1, opened2, closed2)
	insert(`INSERT INTO rounds (workshop_id, n) VALUES ($1, 1)`, w2)
	p1 := id(`INSERT INTO participants (workshop_id, pseudonym, joined_at) VALUES ($1, 'P-AAAAA', $2)`, w1, joined)
	id(`INSERT INTO participants (workshop_id, pseudonym, joined_at, removed_at) VALUES ($1, 'P-BBBBB', $2, $3)`, w1, joined, removed)
	id(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES ($1, 1, $2, $3, $4, 4, $5)`, w1, p1, scenarios[0], c1, rated)
	id(`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at) VALUES ($1, 2, $2, $3, $4, NULL, $5)`, w1, p1, scenarios[0], c1, closed2)
	rA := id(`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, hidden, featured, created_at, updated_at) VALUES ($1, 1, $2, $3, 'hidden one', 1, 0, $4, $5)`,
		w1, p1, scenarios[0], reasonA, closed1)
	rB := id(`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, featured, created_at, updated_at) VALUES ($1, 1, $2, $3, 'featured one', 1, $4, $4)`,
		w1, p1, scenarios[1], reasonB)
	_, linkHash := store.NewToken()
	insert(`INSERT INTO display_links (hash, workshop_id, created_at) VALUES ($1, $2, $3)`, linkHash, w1, logged)
	id(`INSERT INTO workshop_log (workshop_id, at, actor_id, action, fields) VALUES ($1, $2, $3, 'note', '{"text":"kept"}')`, w1, logged, a)
	insert(`INSERT INTO outcomes (workshop_id, scenario_id, occurred, known_on, note, updated_at) VALUES ($1, $2, 1, '2025-03-30', 'yes', $3)`, w1, scenarios[0], outcome)
	insert(`INSERT INTO outcomes (workshop_id, scenario_id, occurred, updated_at) VALUES ($1, $2, 0, $3)`, w1, scenarios[1], outcome)
	insert(`INSERT INTO outcomes (workshop_id, scenario_id, note, updated_at) VALUES ($1, $2, 'not known yet', $3)`, w1, scenarios[2], outcome)

	st, err := store.Open(url) // applies postgres/0002
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	same := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
		}
	}

	users, err := st.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("accounts %+v, %v", users, err)
	}
	same("accounts", users, []workshop.Account{
		{User: workshop.User{ID: a, Email: "a@example.org", Role: workshop.RoleOrganiser, CreatedAt: at(userA)}, Sessions: 1},
		{User: workshop.User{ID: b, Email: "b@example.org", Role: workshop.RoleFacilitator, CreatedAt: at(userB)}, DisabledAt: at(disabledB)},
	})
	sessions, err := st.ListSessions(ctx, a, sessionToken)
	if err != nil {
		t.Fatal(err)
	}
	same("sessions", sessions, []workshop.Session{{Handle: "h1", Client: workshop.SessionClient{Browser: "Firefox"},
		CreatedAt: at(session), LastSeenAt: at(seen), ExpiresAt: at(later), Current: true}})
	u, err := st.SessionUser(ctx, sessionToken)
	same("the session's user", []any{u, err}, []any{users[0].User, nil})
	invites, err := st.ListInvites(ctx)
	same("invitations", []any{invites, err}, []any{[]workshop.AccountLink{{Email: "c@example.org", Role: workshop.RoleFacilitator, ExpiresAt: at(later)}}, nil})
	reset, err := st.ResetByToken(ctx, resetToken)
	same("reset link", []any{reset, err}, []any{workshop.AccountLink{Email: "a@example.org", Role: workshop.RoleOrganiser, ExpiresAt: at(later)}, nil})
	same("setup link", st.CheckSetupToken(ctx, setupToken), nil)

	decks, err := st.DecksFor(ctx, users[0].User)
	if err != nil || len(decks) != 2 || decks[0].Slug != "deck-new" || decks[1].Slug != "deck-old" {
		t.Errorf("decks newest first: %v, %v", decks, err)
	}
	ws, err := st.WorkshopsFor(ctx, users[0].User)
	if err != nil || len(ws) != 2 || ws[0].ID != w2 || ws[1].ID != w1 {
		t.Fatalf("workshops newest first: %v, %v", ws, err)
	}
	w, err := st.WorkshopByCode(ctx, "K7QFM2XD")
	if err != nil || len(w.Criteria) != 2 {
		t.Fatalf("workshop %+v, %v", w, err)
	}
	same("workshops newest first", ws, []*workshop.Workshop{ws[0], {ID: w.ID, Code: w.Code, Title: w.Title, OwnerID: a, DeckSlug: w.DeckSlug, Languages: w.Languages,
		State: workshop.StateFinished, Round: 2, Seq: 9, Visibility: w.Visibility, Pacing: w.Pacing, CreatedAt: at(created1), Anonymity: w.Anonymity, Archived: true,
		IdeaVotes: workshop.DefaultIdeaVotes}})
	same("workshop", []any{w.CreatedAt, w.Archived, w.Anonymised}, []any{at(created1), true, false})
	same("don't know", []bool{w.Criteria[0].DontKnow, w.Criteria[1].DontKnow}, []bool{true, false})
	yes, no := true, false
	same("outcomes", w.Outcomes, []workshop.Outcome{
		{ScenarioID: scenarios[0], Occurred: &yes, KnownOn: "2025-03-30", Note: "yes", UpdatedAt: at(outcome)},
		{ScenarioID: scenarios[1], Occurred: &no, UpdatedAt: at(outcome)},
		{ScenarioID: scenarios[2], Note: "not known yet", UpdatedAt: at(outcome)},
	})
	entries, err := st.WorkshopLog(ctx, w1)
	same("log", []any{entries, err}, []any{[]workshop.LogEntry{{At: at(logged), Actor: "a@example.org", Action: workshop.LogNote, LogFields: workshop.LogFields{Text: "kept"}}}, nil})
	shown, err := st.HasDisplayLink(ctx, w1)
	same("display link", []any{shown, err}, []any{true, nil})
	reasons, err := st.Rationales(ctx, w1)
	same("rationales, oldest first", []any{reasons, err}, []any{[]workshop.Rationale{
		{ID: rB, Round: 1, ParticipantID: p1, ScenarioID: scenarios[1], Text: "featured one", Featured: true, UpdatedAt: at(reasonB), Pseudonym: "P-AAAAA"},
		{ID: rA, Round: 1, ParticipantID: p1, ScenarioID: scenarios[0], Text: "hidden one", Hidden: true, UpdatedAt: at(closed1), Pseudonym: "P-AAAAA"},
	}, nil})

	err = st.ExportWorkshop(ctx, "K7QFM2XD", func(src *workshop.Record) error {
		same("active participants", src.Joined, 1)
		same("rounds", src.Rounds, []workshop.RoundTimes{
			{N: 1, OpenedAt: at(opened1), ClosedAt: at(closed1), RevealedAt: at(revealed1)},
			{N: 2, OpenedAt: at(opened2), ClosedAt: at(closed2), Prefilled: true},
		})
		var ratings []workshop.StoredRating
		for r, err := range src.Ratings {
			if err != nil {
				return err
			}
			ratings = append(ratings, r)
		}
		same("ratings", ratings, []workshop.StoredRating{
			{Round: 1, Pseudonym: "P-AAAAA", ScenarioID: scenarios[0], CriterionID: c1, Answer: workshop.Answer{Value: 4}, RatedAt: at(rated)},
			{Round: 2, Pseudonym: "P-AAAAA", ScenarioID: scenarios[0], CriterionID: c1, Answer: workshop.Answer{DontKnow: true}, RatedAt: at(closed2)},
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The migrated columns take the store's writes.
	unhide := false
	ch, err := st.FlagRationale(ctx, "K7QFM2XD", rA, &unhide, nil)
	if err != nil || ch.Rationale.Hidden || ch.Rationale.UpdatedAt != at(closed1) {
		t.Fatalf("unhide a migrated rationale: %+v, %v", ch.Rationale, err)
	}
}
