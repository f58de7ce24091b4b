package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"foresight/internal/pgtest"
	"foresight/internal/store"
	"foresight/internal/workshop"
)

// TestBackupUnderWriteLoad copies the database while writers keep saving
// ratings: the copy passes integrity_check and holds every rating
// acknowledged before the backup began.
func TestBackupUnderWriteLoad(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	db := MustOpenDB(t)
	w, _ := mustWorkshop(t, db)

	// Each writer joins participants one after another and rates all their
	// items: every write is a new row, so "present" is all we check.
	type acked struct {
		p    workshop.Participant
		item workshop.ItemKey
	}
	var (
		mu   sync.Mutex
		acks []acked
		stop = make(chan struct{})
		wg   sync.WaitGroup
	)
	writeErr := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for {
				p, _, err := db.Join(ctx, w.Code, "", 0)
				if err != nil {
					writeErr <- err
					return
				}
				for _, s := range w.Scenarios {
					for _, c := range w.Criteria {
						select {
						case <-stop:
							return
						default:
						}
						if _, err := db.SaveRating(ctx, p, s.ID, c.ID, intp(3)); err != nil {
							writeErr <- err
							return
						}
						mu.Lock()
						acks = append(acks, acked{p, workshop.ItemKey{ScenarioID: s.ID, CriterionID: c.ID}})
						mu.Unlock()
					}
				}
			}
		})
	}
	// Let some ratings in first.
	for deadline := time.Now().Add(10 * time.Second); ; {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	before := append([]acked(nil), acks...)
	mu.Unlock()
	out := filepath.Join(t.TempDir(), "backups", "copy.db")
	err := db.Backup(ctx, out)
	close(stop)
	wg.Wait()
	close(writeErr)
	for err := range writeErr {
		t.Fatalf("a writer failed during the backup: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("no rating was saved before the backup")
	}
	if res, err := store.CheckFile(ctx, out); err != nil || res != "ok" {
		t.Fatalf("integrity_check of the copy: %q, %v", res, err)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*partial*"))
	if len(matches) > 0 {
		t.Fatalf("the backup left temporary files: %v", matches)
	}

	copyDB, err := store.Open(out)
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer copyDB.Close()
	if res, err := copyDB.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("IntegrityCheck of the opened copy: %q, %v", res, err)
	}
	got := map[int64]map[workshop.ItemKey]workshop.Answer{}
	missing := 0
	for _, a := range before {
		rs, ok := got[a.p.ID]
		if !ok {
			if rs, err = copyDB.RatingsOf(ctx, a.p, 1); err != nil {
				t.Fatal(err)
			}
			got[a.p.ID] = rs
		}
		if v, ok := rs[a.item]; !ok || v.Value != 3 {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d ratings acknowledged before the backup began are missing from it", missing, len(before))
	}
	t.Logf("backup held all %d ratings acknowledged before it began (%d acknowledged by the end)", len(before), len(acks))
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	db := MustOpenDB(t)
	out := filepath.Join(t.TempDir(), "existing.db")
	if err := os.WriteFile(out, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(ctx, out)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup onto an existing file: %v, want an error saying it exists", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "precious" {
		t.Fatalf("the existing file was changed to %q", b)
	}
	// A second backup to the same new name is refused too.
	out2 := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(ctx, out2); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out2); err == nil {
		t.Fatal("a second backup overwrote the first")
	}
}

// TestOpenRefusesCorruptFile damages copies of a database in several ways:
// Open must refuse each with a message that says what to do.
func TestOpenRefusesCorruptFile(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.db")
	db, err := store.Open(orig)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := mustWorkshop(t, db)
	for range 30 { // enough rows for several pages
		p, _, err := db.Join(ctx, w.Code, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range w.Scenarios {
			if _, err := db.SaveRating(ctx, p, s.ID, w.Criteria[0].ID, intp(2)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Close(); err != nil { // checkpoints: everything is in the main file
		t.Fatal(err)
	}
	good, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	if len(good) < 8*pageSize {
		t.Fatalf("the test database has only %d bytes", len(good))
	}
	raw := func(path string) *sql.DB {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	garbage := func(b []byte, off, n int) {
		for i := range n {
			b[off+i] = byte(0xA5 ^ i*31)
		}
	}
	for _, tt := range []struct {
		name   string
		damage func(path string) error
	}{
		{"garbage in the header", func(p string) error {
			b := append([]byte(nil), good...)
			garbage(b, 0, 100)
			return os.WriteFile(p, b, 0o600)
		}},
		{"garbage in b-tree pages", func(p string) error {
			b := append([]byte(nil), good...)
			for pg := 2; pg*pageSize < len(b); pg += 2 {
				garbage(b, pg*pageSize, 64) // the page headers
			}
			return os.WriteFile(p, b, 0o600)
		}},
		{"garbage inside the ratings table", func(p string) error {
			b := append([]byte(nil), good...)
			root := 0
			if err := raw(orig).QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'ratings'`).Scan(&root); err != nil {
				return err
			}
			// Overwrite the page's cells: from the start of its cell
			// content area (bytes 5-6 of the b-tree page header) to its end.
			page := b[(root-1)*pageSize : root*pageSize]
			start := int(page[5])<<8 | int(page[6])
			garbage(page, start, pageSize-start)
			return os.WriteFile(p, b, 0o600)
		}},
		{"truncated to half", func(p string) error {
			return os.WriteFile(p, good[:len(good)/2/pageSize*pageSize], 0o600)
		}},
		{"truncated inside page 1", func(p string) error {
			return os.WriteFile(p, good[:1000], 0o600)
		}},
		{"broken foreign keys", func(p string) error {
			if err := os.WriteFile(p, good, 0o600); err != nil {
				return err
			}
			raw, err := sql.Open("sqlite3", "file:"+p+"?_foreign_keys=0")
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.Exec(`UPDATE ratings SET participant_id = 999999 WHERE rowid = (SELECT min(rowid) FROM ratings)`)
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "damaged.db")
			if err := tt.damage(p); err != nil {
				t.Fatal(err)
			}
			db, err := store.Open(p)
			if err == nil {
				db.Close()
				t.Fatal("Open served a damaged database")
			}
			msg := err.Error()
			for _, want := range []string{p, "restore the latest backup", "Backup and restore"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message %q does not contain %q", msg, want)
				}
			}
			t.Log(msg)
		})
	}
}

// On PostgreSQL, a backup names the tool that makes one.
func TestBackupOnPostgresNamesPgDump(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("PostgreSQL only")
	}
	db := MustOpenDB(t)
	err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "copy.db"))
	if !errors.Is(err, store.ErrBackupWithPgDump) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("Backup on PostgreSQL: %v, want the advice to use pg_dump", err)
	}
}
