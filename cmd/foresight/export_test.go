package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"foresight/internal/export"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// cliWorkshop creates a database with an open workshop through the CLI and
// has two participants rate in the store; it returns the database path and
// the join code.
func cliWorkshop(t *testing.T) (string, string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "cli.db")
	if _, err := runCLI(t, "a long password\n", "user", "add", "--db", db, "--email", "fac@example.org", "--role", "facilitator"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "", "workshop", "create", "--db", db, "--deck", "nato-afghanistan", "--owner", "fac@example.org", "--title", "Export: Tuesday", "--open")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	code := lines[len(lines)-1]
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.WorkshopByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		p, _, err := st.Join(ctx, code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		v := 2 + i
		if _, err := st.SaveRating(ctx, p, w.Scenarios[0].ID, w.Criteria[0].ID, &v); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveRationale(ctx, p, w.Scenarios[0].ID, fmt.Sprintf("-%d points, and why", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db, code
}

func TestExportCLI(t *testing.T) {
	db, code := cliWorkshop(t)
	dir := t.TempDir()
	grouped := code[:4] + "-" + code[4:] // as people type it
	for _, tt := range []struct {
		format string
		check  func(t *testing.T, b []byte)
	}{
		{"csv", func(t *testing.T, b []byte) {
			rows := cliCSV(t, b)
			if len(rows) != 3 || rows[1][0] != code || rows[1][7] != "2" || rows[2][7] != "3" {
				t.Fatalf("ratings %q: want a header and the two ratings", rows)
			}
		}},
		{"summary", func(t *testing.T, b []byte) {
			rows := cliCSV(t, b)
			if len(rows) != 1+20 || rows[1][6] != "2" || rows[1][9] != "2.5" {
				t.Fatalf("summary %q: want 20 items, the first with n=2 and median 2.5", rows[:2])
			}
		}},
		{"rationales", func(t *testing.T, b []byte) {
			rows := cliCSV(t, b)
			if len(rows) != 3 || rows[1][5] != "'-0 points, and why" {
				t.Fatalf("rationales %q: want two, neutralised", rows)
			}
		}},
		{"json", func(t *testing.T, b []byte) {
			var d export.Document
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			if d.Workshop.Code != code || len(d.Ratings) != 2 || len(d.Rationales) != 2 || d.Workshop.Title != "Export: Tuesday" {
				t.Fatalf("json: %+v", d.Workshop)
			}
		}},
		{"xlsx", func(t *testing.T, b []byte) {
			x, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			rows, err := x.GetRows("Ratings")
			if err != nil || len(rows) != 3 {
				t.Fatalf("xlsx Ratings: %d rows, %v", len(rows), err)
			}
		}},
	} {
		t.Run(tt.format, func(t *testing.T) {
			out, err := runCLI(t, "", "export", "--db", db, "--workshop", grouped, "--format", tt.format)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, []byte(out))
			file := filepath.Join(dir, "out."+tt.format)
			if out, err := runCLI(t, "", "export", "--db", db, "--workshop", code, "--format", tt.format, "--out", file); err != nil || out != "" {
				t.Fatalf("--out: %q, %v", out, err)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, b)
		})
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", db, "--workshop", code, "--format", "pdf"}, "--format"},
		{[]string{"--db", db, "--workshop", "nope!", "--format", "csv"}, "join code"},
		{[]string{"--db", db, "--workshop", "ZZZZZZZZ", "--format", "csv"}, "ZZZZ-ZZZZ"},
		{[]string{"--db", db, "--format", "csv"}, "usage"},
		{[]string{"--db", filepath.Join(dir, "missing.db"), "--workshop", code, "--format", "csv"}, "--db"},
		{[]string{"--db", db, "--workshop", code, "--format", "csv", "--out", filepath.Join(dir, "no", "such", "dir.csv")}, "no such file"},
	} {
		if _, err := runCLI(t, "", append([]string{"export"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("export %q: %v, want an error about %s", tt.args, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("exporting from a missing database created it")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func cliCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Fatal("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// millionRatings builds a workshop of 25,000 participants who rated every
// one of the 20 items of the built-in deck in two rounds: 1,000,000
// ratings (one in twenty "don't know") and 10,000 reasons, inserted in
// bulk with SQL.
func millionRatings(b *testing.B) (*store.DB, string, string) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "million.db")
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	u, err := st.CreateUser(ctx, "fac@example.org", "a long password", workshop.RoleFacilitator)
	if err != nil {
		b.Fatal(err)
	}
	decks, _ := workshop.BuiltinDecks()
	w, err := st.CreateWorkshop(ctx, u, decks[0], "A million ratings", true)
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=1&_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z")
	for _, q := range []string{
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)
		 INSERT INTO participants (workshop_id, token_hash, pseudonym, joined_at) SELECT $1, randomblob(32), printf('P-%05d', i), $2 FROM n`,
		`UPDATE workshops SET round = 2 WHERE id = $1`,
		`INSERT INTO rounds (workshop_id, n, opened_at) VALUES ($1, 2, $2)`,
		`INSERT INTO ratings (workshop_id, round, participant_id, scenario_id, criterion_id, value, rated_at)
		 SELECT $1, r.n, p.id, s.id, c.id, CASE WHEN abs(random()) % 20 = 0 THEN NULL ELSE 1 + abs(random()) % 5 END, $2
		 FROM (SELECT 1 AS n UNION ALL SELECT 2) r, participants p, scenarios s, criteria c
		 WHERE p.workshop_id = $1 AND s.workshop_id = $1 AND c.workshop_id = $1`,
		`INSERT INTO rationales (workshop_id, round, participant_id, scenario_id, text, created_at, updated_at)
		 SELECT $1, 1, p.id, s.id, 'A reason of some length, as people write them: ' || p.pseudonym, $2, $2
		 FROM participants p, scenarios s WHERE p.workshop_id = $1 AND s.workshop_id = $1 AND p.id % 25 = 0`,
	} {
		if _, err := raw.Exec(q, w.ID, now); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM ratings WHERE workshop_id = ?`, w.ID).Scan(&n); err != nil || n != 1_000_000 {
		b.Fatalf("%d ratings, %v; want 1,000,000", n, err)
	}
	raw.Close()
	if st, err = store.Open(path); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st, w.Code, path
}

// countingWriter counts the bytes of an export and drops them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkExportMillion exports a workshop of 1,000,000 ratings in every
// format and reports, besides time and allocations, the peak of the Go heap
// during the export and the peak RSS of the process: they stay flat because
// ratings stream from SQLite to the writer (and, for XLSX, through
// excelize's temporary files). Numbers for docs/benchmarks.md:
//
//	go test -run XXX -bench ExportMillion -benchtime 1x ./cmd/foresight/
func BenchmarkExportMillion(b *testing.B) {
	db, code, _ := millionRatings(b)
	for _, f := range export.Formats {
		b.Run(f.Name, func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			peak := watchHeap()
			debug.FreeOSMemory() // RSS from building the database should not count
			resetPeakRSS()
			b.ResetTimer()
			for range b.N {
				w := &countingWriter{}
				if err := exportTo(context.Background(), db, code, f, w); err != nil {
					b.Fatal(err)
				}
				size = w.n
			}
			b.StopTimer()
			heap, live := peak()
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			}
			b.ReportMetric(float64(size)/(1<<20), "file-MiB")
		})
	}
}

// watchHeap samples the heap until the returned func is called, and
// returns the peaks of the bytes in heap objects (live ones and garbage
// not yet collected) and of the live heap the last GC marked.
func watchHeap() func() (objects, live uint64) {
	runtime.GC()
	var peakObjects, peakLive atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peakObjects.Load() {
				peakObjects.Store(v)
			}
			if v := s[1].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(stop)
		<-done
		return peakObjects.Load(), peakLive.Load()
	}
}

// resetPeakRSS starts the kernel's peak RSS (VmHWM) afresh, on Linux.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak RSS in bytes since the last reset; 0 where
// the kernel does not tell.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

var _ io.Writer = (*countingWriter)(nil)
