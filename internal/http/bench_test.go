package http_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	fhttp "foresight/internal/http"
	"foresight/internal/live"
	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// BenchmarkAPIRatingPut is the server's side of one rating, as a phone
// sends it (PUT /api/v1/workshops/{code}/ratings with its cookie): the
// handler, the store's group commit on a real database and the hub's
// Apply, without the network. allocs/op counts every goroutine's, so it
// is the garbage one rating leaves on the server. One request at a time:
// each rating is its own batch and COMMIT.
func BenchmarkAPIRatingPut(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(pgtest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	hub := live.NewHub(db, slog.New(slog.DiscardHandler))
	defer hub.Close()
	db.Subscribe(hub.Apply)
	decks, err := workshop.BuiltinDecks()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := fhttp.New(ctx, db, hub, decks, fhttp.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.CloseStreams()
	u, err := db.CreateUser(ctx, "fac@example.org", testPassword, workshop.RoleFacilitator)
	if err != nil {
		b.Fatal(err)
	}
	w, err := db.CreateWorkshop(ctx, u, decks[0], "", true)
	if err != nil {
		b.Fatal(err)
	}
	// Enough participants that none reaches the save limit (60 at once).
	cookies := make([]string, 500)
	for i := range cookies {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/j/"+w.Code, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		srv.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if strings.HasSuffix(c.Name, "fs_participant") {
				cookies[i] = c.Name + "=" + c.Value
			}
		}
		if rec.Code != http.StatusSeeOther || cookies[i] == "" {
			b.Fatalf("join: status %d", rec.Code)
		}
	}
	items := len(w.Scenarios) * len(w.Criteria)
	bodies := make([]string, 5*items)
	for i := range bodies {
		it := i % items
		bodies[i] = fmt.Sprintf(`{"scenario_id":%d,"criterion_id":%d,"value":%d}`,
			w.Scenarios[it/len(w.Criteria)].ID, w.Criteria[it%len(w.Criteria)].ID, 1+i/items)
	}
	path := "/api/v1/workshops/" + w.Code + "/ratings"
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("PUT", path, strings.NewReader(bodies[(i/len(cookies)+i)%len(bodies)]))
		req.Header.Set("Cookie", cookies[i%len(cookies)])
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("rating %d: status %d: %s", i, rec.Code, rec.Body)
		}
		i++
	}
}
