package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fhttp "foresight/internal/http"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// failingTallies is the store as the live hub reads it, with reads of the
// tallies that fail while fail is set: a recount after a commit that
// cannot read the database for a while.
type failingTallies struct {
	*store.DB
	fail atomic.Bool
}

func (f *failingTallies) LoadTally(ctx context.Context, id int64) (workshop.Tally, error) {
	if f.fail.Load() {
		return workshop.Tally{}, errors.New("disk I/O error (simulated)")
	}
	return f.DB.LoadTally(ctx, id)
}

// TestFailedRecountNeverFailsTheWrite removes a participant while the
// recount of the live results cannot read the database: the removal
// committed, so its answer is the usual redirect; the failure goes to the
// log; and the live results follow once the database reads again.
func TestFailedRecountNeverFailsTheWrite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	src := &failingTallies{DB: db}
	var logs syncBuffer
	ts := serveDB(t, db, path, fhttp.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, false, src)

	owner := ts.user(t, "owner@example.org", workshop.RoleFacilitator)
	w := ts.workshop(t, owner, true)
	fac := ts.login(t, owner.Email)
	s, c := w.Scenarios[0].ID, w.Criteria[0].ID
	stay, leave := ts.join(t, w.Code), ts.join(t, w.Code)
	stay.rate(t, w.Code, s, c, "2")
	leave.rate(t, w.Code, s, c, "5")
	leave.reason(t, w.Code, s, "Mine.")
	_, id := ts.authorOf(t, w, "Mine.")

	// The facilitator watches the live results: two ratings.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // generous: delivery counts, not speed
	defer cancel()
	res := fac.send(t, ctx, http.MethodGet, apiPath(w.Code, "/events"), nil)
	defer res.Body.Close()
	events := readEvents(ctx, res.Body)
	n := func() int64 {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("the stream ended: %v", ctx.Err())
			}
			var r apiResults
			if err := json.Unmarshal([]byte(ev.data), &r); err != nil {
				t.Fatal(err)
			}
			return r.item(t, s, c).N
		case <-ctx.Done():
			t.Fatal("no event before the deadline")
		}
		return 0
	}
	if got := n(); got != 2 {
		t.Fatalf("first event: n=%d, want 2", got)
	}

	src.fail.Store(true)
	fac.postForm(t, fmt.Sprintf("/workshops/%s/participants/%d/remove", w.Code, id), nil).
		wantRedirect(t, "/workshops/"+w.Code+"?done=removed#rationales")
	for !strings.Contains(logs.String(), "disk I/O error (simulated)") {
		select {
		case <-ctx.Done():
			t.Fatalf("the failed recount is not in the log:\n%s", logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), fmt.Sprintf("workshop=%d", w.ID)) {
		t.Fatalf("the log says:\n%s", logs.String())
	}
	src.fail.Store(false)
	if got := n(); got != 1 {
		t.Fatalf("after the recount: n=%d, want 1", got)
	}
	if got := fac.results(t, w.Code).item(t, s, c).N; got != 1 {
		t.Fatalf("the results API after the recount: n=%d, want 1", got)
	}
}

// TestHandlersNeverTellTheHub: the web adapter only calls the store; the
// store announces what committed, and the hub hears it from there. No
// handler may tell the hub of a change itself.
func TestHandlersNeverTellTheHub(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	tell := regexp.MustCompile(`\blive\.\w*\.?(Apply|ApplyRationale|Update|Reload|Forget)\b|\.live\.(Apply|ApplyRationale|Update|Reload|Forget)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := tell.Find(src); m != nil {
			t.Errorf("%s tells the live hub of a change (%s): call the store, which announces it", f, m)
		}
	}
}
